"""search/ingest.py: whole dumps → Articles, in every layout and encoding papers use."""
import codecs
import re

import pytest

from search.article import KINDS
from search.ingest import parse_file, parse_text
from search.ingest.topics import TOPICS

# One page of a city paper, written in each layout below: a kicker, 本报讯 leads, datelines,
# trailing credits, a paragraph cut mid-word (就业 | 创业) and an article without a dateline.
P1 = ("9月5日，记者从市人社局获悉，2022年以来我市多措并举稳就业，新增城镇就业岗位1.2万个，"
      "帮助2300名困难人员实现再就业。")
P2a = "市人社局负责人介绍，今年全市举办线上线下招聘会86场，组织企业进校园开展专场招聘，推动高校毕业生就业"
P2b = "创业，为企业送去人才，为求职者送去岗位。"
P3 = "9月4日，迎泽区老旧供热管网改造工程正式启动，涉及小区42个，惠及居民1.5万户。"
P4 = "据了解，改造工程计划在供暖季前全部完工，确保居民温暖过冬。"
P5 = "近日，小店区坞城街道在社区广场举办中秋游园会，猜灯谜、做月饼等活动吸引了500余名居民参加。"

BLANK_LINES = f"""稳就业 促增收

我市新增就业岗位1.2万个

本报讯（记者 王芳）{P1}

{P2a}

{P2b}（李明）

迎泽区启动老旧管网改造

本报讯（记者 赵刚）{P3}

{P4}（孙丽）

小店区举办中秋游园会

本报讯 {P5}
"""

INDENTED = f"""稳就业 促增收
我市新增就业岗位1.2万个
\u3000\u3000本报讯（记者 王芳）{P1}
\u3000\u3000{P2a}
{P2b}（李明）
迎泽区启动老旧管网改造
\u3000\u3000本报讯（记者 赵刚）{P3}
\u3000\u3000{P4}（孙丽）
小店区举办中秋游园会
\u3000\u3000本报讯 {P5}
"""

NO_BLANK_LINES = INDENTED.replace("\u3000\u3000", "")

MARKDOWN = f"""## 稳就业 促增收

# 我市新增就业岗位1.2万个

### ——全年目标任务已完成八成

本报讯（记者 王芳）{P1}

{P2a}

{P2b}（李明）

# 迎泽区启动老旧管网改造

本报讯（记者 赵刚）{P3}

{P4}（孙丽）

# 小店区举办中秋游园会

本报讯 {P5}
"""

EXPECTED = [
    dict(kind="article", title="我市新增就业岗位1.2万个", kicker="稳就业 促增收", subtitle=None,
         authors=["王芳", "李明"], date="2022-09-05", cities=["太原"], places=[],
         body=P1 + "\n" + P2a + P2b),
    dict(kind="article", title="迎泽区启动老旧管网改造", kicker=None, subtitle=None,
         authors=["赵刚", "孙丽"], date="2022-09-04", cities=["太原"], places=["迎泽区"],
         body=P3 + "\n" + P4),
    dict(kind="article", title="小店区举办中秋游园会", kicker=None, subtitle=None,
         authors=[], date="2022-09-05", cities=["太原"], places=["小店区", "坞城街道"], body=P5),
]


def summary(articles):
    keys = EXPECTED[0].keys()
    return [{k: getattr(a, k) for k in keys} for a in articles]


@pytest.mark.parametrize("text", [BLANK_LINES, INDENTED, NO_BLANK_LINES],
                         ids=["blank-lines", "indented", "no-blank-lines"])
def test_layouts(write_dump, text):
    assert summary(parse_file(str(write_dump("page.txt", text)))) == EXPECTED


def test_markdown_kicker_title_and_deck(write_dump):
    expected = [dict(EXPECTED[0], subtitle="——全年目标任务已完成八成")] + EXPECTED[1:]
    assert summary(parse_file(str(write_dump("page.md", MARKDOWN)))) == expected


@pytest.mark.parametrize("encode", [
    pytest.param(lambda t: t.encode("gb18030"), id="gb18030"),
    pytest.param(lambda t: t.encode("gbk"), id="gbk"),
    pytest.param(lambda t: t.encode("utf-16"), id="utf-16-bom"),
    pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf-8-bom"),
    pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
    pytest.param(lambda t: codecs.BOM_UTF16_LE + t.replace("\n", "\r\n").encode("utf-16-le"),
                 id="utf-16-bom-crlf"),
])
def test_encodings_and_line_ends(write_dump, encode):
    assert summary(parse_file(str(write_dump("page.txt", encode(BLANK_LINES))))) == EXPECTED


def test_utf8_cut_inside_the_last_character(write_dump):
    data = BLANK_LINES.rstrip("\n").encode("utf-8")[:-2]     # "。" is three bytes; keep one
    items = parse_file(str(write_dump("page.txt", data)))
    assert summary(items)[:2] == EXPECTED[:2]
    assert items[2].body == P5[:-1]


def test_png_renamed_txt_is_refused_naming_the_file(write_dump):
    from search.errors import DumpError
    path = write_dump("page03.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(DumpError, match=re.escape(f"{path}: not a text dump: it is a PNG image")):
        parse_file(str(path))


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\r\n", "\u3000\u3000\n\n\ufeff".encode("utf-8")],
                         ids=["empty", "whitespace", "ideographic-space"])
def test_empty_dumps_have_no_items(write_dump, content):
    assert parse_file(str(write_dump("empty.txt", content))) == []


def test_dated_file_name_dates_every_item(write_dump):
    items = parse_file(str(write_dump("2022-09-06_taiyuan_p02.txt", NO_BLANK_LINES)))
    assert [(a.title, a.date, a.cities) for a in items] == [
        ("我市新增就业岗位1.2万个", "2022-09-06", ["太原"]),
        ("迎泽区启动老旧管网改造", "2022-09-06", ["太原"]),
        ("小店区举办中秋游园会", "2022-09-06", ["太原"]),
    ]


def test_html_dump(write_dump):
    page = ("<html><body><h2>稳就业 促增收</h2><h1>我市新增就业岗位1.2万个</h1>"
            f"<p>本报讯（记者 王芳）{P1}</p><p>{P2a}{P2b}（李明）</p>"
            f"<h1>迎泽区启动老旧管网改造</h1><p>本报讯（记者 赵刚）{P3}</p><p>{P4}（孙丽）</p>"
            f"<h1>小店区举办中秋游园会</h1><p>本报讯 {P5}</p></body></html>")
    assert summary(parse_file(str(write_dump("page.html.txt", page)))) == EXPECTED


# -- the fields of every item ----------------------------------------------------------
FIELDS = ["id", "source", "seq", "kind", "title", "kicker", "subtitle", "section", "authors",
          "date", "cities", "places", "topic", "body", "captions", "paper", "page"]


def check_fields(item):
    d = item.to_dict()
    assert list(d) == FIELDS
    assert KINDS == ("article", "photo", "notice")
    assert isinstance(d["seq"], int) and d["seq"] >= 1
    assert isinstance(d["source"], str) and d["source"]
    assert d["kind"] in KINDS
    assert d["topic"] in TOPICS
    if d["kind"] == "photo":
        assert d["title"] is None
    else:
        assert d["title"] is None or (isinstance(d["title"], str) and d["title"])
    for key in ("kicker", "subtitle", "section", "paper", "page"):
        assert d[key] is None or (isinstance(d[key], str) and d[key])
    for key in ("authors", "cities", "places", "captions"):
        assert isinstance(d[key], list) and all(isinstance(x, str) and x for x in d[key])
    assert d["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["date"])
    assert isinstance(d["body"], str) and d["body"]
    assert "" not in d["body"].split("\n")
    assert re.fullmatch(r"[0-9a-f]{10}-[0-9a-f]{6}(-\d+)?", d["id"])
    assert set(d["cities"]) <= {"太原", "大同", "朔州", "忻州", "阳泉", "吕梁", "晋中", "长治",
                                "晋城", "临汾", "运城"}


def test_every_seed_item_has_every_field(all_seed_items):
    for item in all_seed_items:
        check_fields(item)


def test_seq_counts_items_in_dump_order(seed):
    for prefix in ("000", "001", "002", "003", "004"):
        items = seed(prefix)
        assert [a.seq for a in items] == list(range(1, len(items) + 1))
        assert {a.source for a in items} == {items[0].source}


def test_source_is_the_file_name_under_the_dumps_folder(seed):
    assert seed("000")[0].source == "000_ac6bb446a57d0c7e.txt"


def test_no_body_holds_a_page_marker(all_seed_items):
    assert [a.id for a in all_seed_items if re.search(r"[（(]\s*(上接|下转)", a.body)] == []


def test_counts_of_items_per_seed(seed):
    assert [len(seed(p)) for p in ("000", "001", "002", "003", "004")] == [6, 11, 5, 7, 6]


# -- stable ids ------------------------------------------------------------------------
def test_parsing_twice_gives_the_same_ids(seeds_dir):
    path = str(next(seeds_dir.glob("001_*.txt")))
    assert [a.id for a in parse_file(path)] == [a.id for a in parse_file(path)]


def test_ids_are_unique_across_dumps(all_seed_items):
    ids = [a.id for a in all_seed_items]
    assert len(set(ids)) == len(ids)


def test_ids_differ_between_dumps_with_the_same_text():
    assert ([a.id for a in parse_text(BLANK_LINES, "a.txt")]
            != [a.id for a in parse_text(BLANK_LINES, "b.txt")])


def test_ids_are_keyed_by_the_path_under_the_root(write_dump, tmp_path):
    path = write_dump("2022/09/page.txt", BLANK_LINES)
    items = parse_file(str(path), root=str(tmp_path))
    assert [a.source for a in items] == ["2022/09/page.txt"] * 3
    assert [a.id for a in items] == [a.id for a in parse_text(BLANK_LINES, "2022/09/page.txt")]
    assert items[0].id != parse_file(str(path))[0].id          # keyed as "page.txt" instead


def test_same_ids_whatever_the_encoding(write_dump):
    utf8 = parse_file(str(write_dump("x/page.txt", BLANK_LINES)))
    gbk = parse_file(str(write_dump("y/page.txt", BLANK_LINES.encode("gbk"))))
    assert [a.id for a in utf8] == [a.id for a in gbk]
