"""The paper, the page and the section: facets, filters, how results show them, a day's issue
by paper and page, and the exports that carry them; in the library, the `search` command
and the web app, over dumps named as papers name them (the seeds carry no paper or page).
"""
import csv
import html
import io
import json
import re

import pytest

from builders import add_dump, build_index
from commands import invoke
from search import schema
from search.searching import Searcher
from search.errors import SearchError
from web import create_app

DUMPS = {
    "2022-09-06_taiyuan_p01.txt": "太原日报 2022年9月6日 星期二\n\n要闻\n\n太忻一体化经济区建设提速\n\n"
                                  "本报讯（记者 陈剑）9月6日，太忻一体化经济区建设推进会在太原召开，会议部署了下一阶段的重点项目。\n\n"
                                  "晋祠博物馆推出夜游项目\n\n本报讯（记者 王芳）9月6日，晋祠博物馆推出夜游项目，游客可以在灯光下参观古建筑。\n",
    "2022-09-06_taiyuan_p02.txt": "民生\n\n老旧小区改造进入收尾阶段\n\n"
                                  "本报讯（记者 李明）9月6日，我市今年开工改造的老旧小区进入收尾阶段，居民楼道焕然一新。\n",
    "tyrb_20220906_A3版.txt": "汾河公园秋季花展开幕\n\n本报讯（记者 赵雪）9月6日，汾河公园秋季花展开幕，二十多个品种的菊花吸引市民前来观赏。\n",
    "2022-09-06_xinzhou_p03.txt": "忻州产业新城签约一批项目\n\n本报讯（记者 郝强）9月6日，忻州市召开太忻一体化经济区工作会议，二十个项目现场签约。\n",
    "2022-09-06_misc.txt": "社区食堂开张\n\n本报讯 9月6日，小店区一家社区食堂开张，老人用餐可享优惠。\n",
    "2022-09-05_xinzhou_p01.txt": "忻州召开太忻一体化经济区工作会议\n\n"
                                  "本报讯（记者 郝强）9月5日，忻州市召开太忻一体化经济区工作会议，研究部署产业新城建设。\n",
    "2022-09-08_misc.txt": "一场秋雨一场寒\n\n本报讯 9月8日，省城迎来降温降雨天气，气象部门提醒市民及时添衣。\n",
}
TITLES = {"太忻一体化经济区建设提速": "p1a", "晋祠博物馆推出夜游项目": "p1b", "老旧小区改造进入收尾阶段": "p2",
          "汾河公园秋季花展开幕": "a3", "忻州产业新城签约一批项目": "xz3", "社区食堂开张": "misc",
          "忻州召开太忻一体化经济区工作会议": "xz1", "一场秋雨一场寒": "rain"}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    dumps = tmp_path_factory.mktemp("papers")
    for name, text in DUMPS.items():
        add_dump(dumps, name, text)
    folder = tmp_path_factory.mktemp("ix") / "index"
    build_index(folder, dumps)
    return str(folder)


@pytest.fixture(scope="module")
def searcher(index_dir):
    with Searcher(index_dir) as s:
        yield s


@pytest.fixture(scope="module")
def ids(searcher):
    """Short name (TITLES) → article id."""
    return {TITLES[h.title]: h.id for h in searcher.search("", per_page=100).hits}


@pytest.fixture(scope="module")
def client(index_dir, tmp_path_factory):
    return create_app(index_dir, {"TESTING": True, "DUMPS_DIR": str(tmp_path_factory.mktemp("none") / "x")}).test_client()


def names(results):
    return [TITLES[h.title] for h in results.hits]


# -- the library -------------------------------------------------------------------------------

def test_paper_and_section_are_facets_counted_over_the_match_set(searcher):
    facets = searcher.search("").facets
    assert facets["paper"] == {"太原日报": 4, "忻州日报": 2}
    assert facets["section"] == {"民生": 1, "要闻": 1}
    assert searcher.search("太忻").facets["paper"] == {"太原日报": 1, "忻州日报": 2}
    assert searcher.search("", filters={"paper": ["忻州日报"]}).facets["paper"] == {"忻州日报": 2}


@pytest.mark.parametrize("query,filters", [
    ("", {"paper": ["太原日报"]}), ("paper:太原日报", None), ("", {"paper": ["太原日報"]}), ("", {"paper": [" 太原 日报 "]}),
    ("paper:太原日報 OR paper:不存在的报", None),
])
def test_the_paper_filter_in_parameters_and_queries_alike_any_script(searcher, query, filters):
    assert sorted(names(searcher.search(query, filters=filters, per_page=100))) == ["a3", "p1a", "p1b", "p2"]


def test_several_papers_mean_any_of_them_and_a_section_filters_too(searcher):
    both = searcher.search("", filters={"paper": ["太原日报", "忻州日报"]}, sort="oldest", per_page=100)
    assert names(both) == ["xz1", "p1a", "p1b", "p2", "xz3", "a3"]
    assert names(searcher.search("", filters={"section": ["民生"]})) == ["p2"]
    assert names(searcher.search("section:要闻 OR section:民生", sort="oldest")) == ["p1a", "p2"]
    assert names(searcher.search("太忻 -paper:忻州日报")) == ["p1a"]
    assert searcher.search("", filters={"paper": ["人民日报"]}).total == 0
    assert searcher.search("", filters={"paper": ["忻州日报"]}).describe() == "paper 忻州日报, newest first"
    with pytest.raises(SearchError) as e:
        searcher.search("", filters={"paper": ["\u200b"]})          # nothing left of the name
    assert (str(e.value), e.value.parameter) == ("paper: '\\u200b' names no paper", "paper")


def test_hits_say_where_they_were_printed(searcher):
    printed = {TITLES[h.title]: h.printed for h in searcher.search("", per_page=100).hits}
    assert printed == {"p1a": "太原日报 · 第1版", "p1b": "太原日报 · 第1版", "p2": "太原日报 · 第2版", "a3": "太原日报 · A3版",
                       "xz3": "忻州日报 · 第3版", "xz1": "忻州日报 · 第1版", "misc": "", "rain": ""}


def test_a_day_is_grouped_by_paper_and_page_in_print_order(searcher, ids):
    day = searcher.day("2022-09-06")
    grouped = [(paper, [(page, [TITLES[a["title"]] for a in items]) for page, items in pages])
               for paper, pages in day.papers]
    assert grouped == [("太原日报", [("1", ["p1a", "p1b"]), ("2", ["p2"]), ("A3", ["a3"])]),
                       ("忻州日报", [("3", ["xz3"])]),
                       (None, [(None, ["misc"])])]
    assert (day.date, day.total, day.previous, day.next) == ("2022-09-06", 6, "2022-09-05", "2022-09-08")
    empty = searcher.day("2022-09-07")
    assert (empty.total, empty.papers, empty.previous, empty.next) == (0, [], "2022-09-06", "2022-09-08")
    assert (searcher.day("2022-09-05").previous, searcher.day("2022-09-08").next) == (None, None)
    with pytest.raises(SearchError) as e:
        searcher.day("2022-09")
    assert str(e.value) == "date: '2022-09' is not one day (use YYYY-MM-DD)"


# -- the search command ---------------------------------------------------------------------

def test_search_shows_paper_and_page_and_filters_by_them(index_dir, ids):
    r = invoke("search", "--paper", "太原日报", "--sort", "oldest", "--index", index_dir)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1] == f"     2022-09-06 · 太原日报 · 第1版 · 太原 · 经济 · {ids['p1a']}"
    assert lines[-7:] == [
        "4 articles, paper 太原日报, oldest first (%s ms), page 1 of 1" % lines[-7].split("(")[1].split(" ms")[0],
        "   City: 太原 4", "  Topic: 文旅 2  城建 1  经济 1", "   Year: 2022 4", "  Paper: 太原日报 4",
        "Section: 民生 1  要闻 1", "   Kind: article 4"]


def test_search_show_prints_the_whole_article_with_its_citation(index_dir, ids):
    r = invoke("search", "--show", ids["p2"], "--index", index_dir)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.splitlines() == [
        "老旧小区改造进入收尾阶段", "",
        "   paper  太原日报 · 第2版", " section  民生", "    date  2022-09-06", " authors  李明", "  cities  太原",
        "   topic  城建", "  source  2022-09-06_taiyuan_p02.txt (item 1)", f"      id  {ids['p2']}", "",
        "9月6日，我市今年开工改造的老旧小区进入收尾阶段，居民楼道焕然一新。", "",
        "    cite  李明. 老旧小区改造进入收尾阶段[N]. 太原日报, 2022-09-06(2)."]
    data = json.loads(invoke("search", "--show", ids["a3"], "--json", "--index", index_dir).stdout)
    assert (data["paper"], data["page"], data["citation"]) == (
        "太原日报", "A3", "赵雪. 汾河公园秋季花展开幕[N]. 太原日报, 2022-09-06(A3).")


def test_export_csv_has_every_hit_with_paper_page_and_section(index_dir, ids, searcher):
    r = invoke("search", "太忻 OR 老旧小区", "--export", "csv", "--sort", "oldest", "--index", index_dir)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("\ufeffid,title,date,paper,page,section,authors,cities,topic,kind,source,snippet\n")
    rows = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    order = [h.id for h in searcher.search("太忻 OR 老旧小区", sort="oldest").hits]
    assert [row[2] for row in rows[1:]] == ["2022-09-05"] + ["2022-09-06"] * 3
    assert rows[1:] == sorted([
        [ids["xz1"], "忻州召开太忻一体化经济区工作会议", "2022-09-05", "忻州日报", "1", "", "郝强", "忻州", "经济", "article",
         "2022-09-05_xinzhou_p01.txt", "9月5日，忻州市召开太忻一体化经济区工作会议，研究部署产业新城建设。"],
        [ids["p1a"], "太忻一体化经济区建设提速", "2022-09-06", "太原日报", "1", "要闻", "陈剑", "太原", "经济", "article",
         "2022-09-06_taiyuan_p01.txt", "9月6日，太忻一体化经济区建设推进会在太原召开，会议部署了下一阶段的重点项目。"],
        [ids["p2"], "老旧小区改造进入收尾阶段", "2022-09-06", "太原日报", "2", "民生", "李明", "太原", "城建", "article",
         "2022-09-06_taiyuan_p02.txt", "9月6日，我市今年开工改造的老旧小区进入收尾阶段，居民楼道焕然一新。"],
        [ids["xz3"], "忻州产业新城签约一批项目", "2022-09-06", "忻州日报", "3", "", "郝强", "忻州", "经济", "article",
         "2022-09-06_xinzhou_p03.txt", "9月6日，忻州市召开太忻一体化经济区工作会议，二十个项目现场签约。"],
    ], key=lambda row: order.index(row[0]))


# -- the web app -----------------------------------------------------------------------------

def test_results_show_paper_and_page_and_the_sidebar_has_paper_section_and_kind(client, ids):
    text = client.get("/search?q=老旧小区").get_data(as_text=True)
    assert ('<a class="paper" href="/search?q=&amp;paper=%E5%A4%AA%E5%8E%9F%E6%97%A5%E6%8A%A5">太原日报</a> · '
            '<span class="page">第2版</span>') in text
    text = client.get("/search?q=").get_data(as_text=True)
    for facet, values in (("paper", [("太原日报", 4), ("忻州日报", 2)]), ("section", [("民生", 1), ("要闻", 1)]),
                          ("kind", [("文章", 8)])):
        section = re.search(rf'<section class="facet" aria-labelledby="facet-{facet}">(.*?)</section>', text, re.S)
        found = re.findall(r'href="([^"]+)"[^>]*>\s*<span class="value">([^<]+)</span> <span class="count">(\d+)<',
                           section.group(1))
        assert [(label, int(n)) for _, label, n in found] == values
        for url, label, n in found:                 # each count is the total of the page its link opens
            opened = client.get(html.unescape(url)).get_data(as_text=True)
            assert f'<strong id="total">{n}</strong>' in opened, (facet, label)


def test_paper_section_and_kind_filters_show_as_chips(client):
    text = client.get("/search?q=&paper=太原日报&section=民生&kind=article").get_data(as_text=True)
    chips = re.findall(r'<a class="chip" href="[^"]+"[^>]*>([^<]+)<span', text)
    assert chips == ["报纸：太原日报", "版面：民生", "类型：文章"]
    assert '<strong id="total">1</strong>' in text


def test_day_page_lists_the_issue_by_paper_and_page_with_the_nearest_days(client, ids):
    text = client.get("/day/2022-09-06").get_data(as_text=True)
    assert "<title>2022年9月6日 · 地方报纸全文检索</title>" in text
    headings = re.findall(r"<h([23]) id=\"[^\"]+\">(?:<a [^>]+>)?([^<]+)", text)
    assert headings == [("2", "太原日报"), ("3", "第1版"), ("3", "第2版"), ("3", "A3版"), ("2", "忻州日报"), ("3", "第3版"),
                        ("2", "未注明报纸"), ("3", "未注明版次")]
    linked = re.findall(r'<a href="/article/([^"]+)">', text)
    assert linked == [ids[n] for n in ("p1a", "p1b", "p2", "a3", "xz3", "misc")]
    assert '<span class="section">要闻</span>' in text
    assert '<a rel="prev" href="/day/2022-09-05">← 上一期 2022-09-05</a>' in text
    assert '<a rel="next" href="/day/2022-09-08">下一期 2022-09-08 →</a>' in text
    assert '<a href="/search?q=&amp;paper=%E5%A4%AA%E5%8E%9F%E6%97%A5%E6%8A%A5&amp;from=2022-09-06&amp;to=2022-09-06">' in text


def test_a_day_without_items_is_a_404_pointing_to_the_nearest_days_and_a_bad_date_a_400(client):
    response = client.get("/day/2022-09-07")
    text = response.get_data(as_text=True)
    assert response.status_code == 404 and "这一天没有收录文章。" in text
    assert 'href="/day/2022-09-06"' in text and 'href="/day/2022-09-08"' in text
    response = client.get("/day/2022-13-01")
    assert response.status_code == 400
    assert "日期“2022-13-01”不是日期，请写成 2022-09-05、2022-09 或 2022 这样。" in response.get_data(as_text=True)


def test_article_page_links_paper_section_and_the_days_around_it(client, ids):
    text = client.get(f"/article/{ids['p2']}").get_data(as_text=True)
    assert ('<dt>报纸</dt><dd><a class="paper" href="/search?q=&amp;paper=%E5%A4%AA%E5%8E%9F%E6%97%A5%E6%8A%A5">太原日报</a>'
            ' · <span class="page">第2版</span></dd>') in text
    assert '<dt>版面</dt><dd><a href="/search?q=&amp;section=%E6%B0%91%E7%94%9F">民生</a></dd>' in text
    assert '<a href="/day/2022-09-06">2022年9月6日的全部文章</a>' in text
    assert '<a rel="prev" href="/day/2022-09-05">← 上一期 2022-09-05</a>' in text
    assert '<a rel="next" href="/day/2022-09-08">下一期 2022-09-08 →</a>' in text
    assert "<dt>来源</dt><dd>2022-09-06_taiyuan_p02.txt（第 1 篇）</dd>" in text


def test_exports_are_downloads_of_every_hit_with_the_search_parameters(client, searcher):
    results = client.get("/search?q=太忻&page=2").get_data(as_text=True)
    assert '<a href="/export.csv?q=%E5%A4%AA%E5%BF%BB" download>CSV</a>' in results       # every page, not page 2
    response = client.get("/export.jsonl?q=太忻&paper=忻州日报&sort=oldest")
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"search.jsonl\"; filename*=UTF-8''%E5%A4%AA%E5%BF%BB.jsonl")
    rows = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [(r["title"], r["paper"], r["page"]) for r in rows] == [
        ("忻州召开太忻一体化经济区工作会议", "忻州日报", "1"), ("忻州产业新城签约一批项目", "忻州日报", "3")]
    csv_bytes = client.get("/export.csv?q=").get_data()
    assert csv_bytes.startswith("\ufeffid,title,".encode()) and csv_bytes.count(b"\r\n") == 1 + searcher.search("").total
    assert client.get("/export.csv?q=&paper=%E2%80%8B").status_code == 400


def test_an_index_written_before_the_paper_and_section_columns_answers_without_them(tmp_path, monkeypatch):
    """Until `search-index update` rebuilds it (its schema differs), an older index is searched
    as one where no article has a paper or section: no traceback, no facet, no match."""
    for name, text in DUMPS.items():
        add_dump(tmp_path / "dumps", name, text)
    with monkeypatch.context() as older:
        older.setattr(schema, "COLUMNS", tuple(c for c in schema.COLUMNS if c not in (schema.PAPER, schema.SECTION)))
        older.setattr(schema, "KEYWORDS", tuple(k for k in schema.KEYWORDS if k.name not in ("paper", "section")))
        build_index(tmp_path / "index", tmp_path / "dumps")
    with Searcher(str(tmp_path / "index")) as s:
        everything = s.search("")
        assert (everything.total, everything.facets["paper"], everything.facets["section"]) == (8, {}, {})
        assert s.search("", filters={"paper": ["太原日报"]}).total == 0
        assert s.search("", sort="oldest").hits[0].printed == "忻州日报 · 第1版"       # the stored article has them
