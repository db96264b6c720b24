"""search/dumps.py: finding dump files and decoding their bytes, or refusing them clearly."""
import codecs
import os
import signal

import pytest

from search.ingest import dumps
from search.errors import DumpError, SearchError

from builders import JAPANESE, KOREAN

TEXT = ("我市新增就业岗位1.2万个\n\n"
        "本报讯（记者 王芳）9月5日，记者从市人社局获悉，2022年以来我市多措并举稳就业，"
        "新增城镇就业岗位1.2万个。（李明）\n")


@pytest.mark.parametrize("encode", [
    pytest.param(lambda t: t.encode("utf-8"), id="utf-8"),
    pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf-8-bom"),
    pytest.param(lambda t: t.encode("utf-16"), id="utf-16-bom-native"),
    pytest.param(lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), id="utf-16-le-bom"),
    pytest.param(lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), id="utf-16-be-bom"),
    pytest.param(lambda t: t.encode("utf-16-le"), id="utf-16-le-no-bom"),
    pytest.param(lambda t: t.encode("gb18030"), id="gb18030"),
    pytest.param(lambda t: t.encode("gbk"), id="gbk"),
])
def test_decode_reads_every_encoding_a_paper_writes(encode):
    assert dumps.decode(encode(TEXT)) == TEXT


def test_decode_gb18030_four_byte_characters():
    text = "南汉刘䶮墓考古新发现𠮷\n本报讯（记者 王芳）9月5日，考古人员在此发现一处墓葬。\n"
    assert dumps.decode(text.encode("gb18030")) == text


def test_decode_utf8_cut_inside_the_last_character_keeps_everything_before_it():
    data = TEXT.rstrip("\n").encode("utf-8")[:-1]      # "）" is three bytes; keep two
    assert dumps.decode(data) == TEXT.rstrip("\n")[:-1]


def test_decode_drops_stray_nul_bytes():
    text = "本报讯（记者 王芳）" + "我市开展秋季安全生产大检查，重点检查危险化学品、矿山等行业领域。" * 10
    data = text[:10].encode("utf-8") + b"\x00" + text[10:].encode("utf-8")
    assert dumps.decode(data) == text


@pytest.mark.parametrize("data, what", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "a PNG image"),
    (b"\xff\xd8\xff\xe0" + bytes(range(256)), "a JPEG image"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
    (b"PK\x03\x04" + bytes(100), "a ZIP archive (or Word/Excel file)"),
])
def test_decode_refuses_known_binary_formats_by_name(data, what):
    with pytest.raises(DumpError) as e:
        dumps.decode(data, "page01.txt")
    assert str(e.value) == f"page01.txt: not a text dump: it is {what}"
    assert e.value.path == "page01.txt"


def test_decode_refuses_random_bytes():
    data = bytes((i * 7919 + 13) % 256 for i in range(4000))
    with pytest.raises(DumpError) as e:
        dumps.decode(data, "noise.txt")
    assert str(e.value) == ("noise.txt: not text in UTF-8, UTF-16 or GB18030 "
                            "(binary data or another encoding)")


def test_dump_error_is_a_search_error():
    assert issubclass(DumpError, SearchError)


def test_read_a_png_renamed_txt_names_the_file(write_dump):
    path = write_dump("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(200)))
    with pytest.raises(DumpError) as e:
        dumps.read(str(path))
    assert str(e.value) == f"{path}: not a text dump: it is a PNG image"


def test_read_uses_the_display_name_in_errors(write_dump):
    path = write_dump("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(DumpError, match=r"^2022/photo\.txt: not a text dump"):
        dumps.read(str(path), display="2022/photo.txt")


def test_read_missing_file(tmp_path):
    with pytest.raises(DumpError) as e:
        dumps.read(str(tmp_path / "gone.txt"))
    assert e.value.reason == "no such file"


def test_read_a_folder(tmp_path):
    with pytest.raises(DumpError) as e:
        dumps.read(str(tmp_path))
    assert e.value.reason == "is a folder, not a dump file"


@pytest.mark.parametrize("content", [b"", b" \n\r\n\t\n", "\u3000\u3000\n\n".encode("utf-8")])
def test_read_empty_and_whitespace_files_without_error(write_dump, content):
    path = write_dump("blank.txt", content)
    assert dumps.read(str(path)).strip() == ""


def test_read_html_keeps_text_and_headings_drops_head_and_scripts(write_dump):
    page = ("<!DOCTYPE html><html><head><title>太原日报</title><style>p{color:red}</style></head>"
            "<body><h2>稳就业 促增收</h2><h1>我市新增就业岗位1.2万个</h1>"
            "<script>var x = 1;</script>"
            "<p>本报讯（记者 王芳）9月5日，记者从市人社局获悉&hellip;</p><p>第二段。</p></body></html>")
    text = dumps.read(str(write_dump("page.txt", page)))
    lines = [line for line in text.split("\n") if line.strip()]
    assert lines == ["## 稳就业 促增收", "# 我市新增就业岗位1.2万个",
                     "本报讯（记者 王芳）9月5日，记者从市人社局获悉…", "第二段。"]


def test_find_lists_dump_files_sorted_skipping_hidden_and_other_suffixes(tmp_path):
    for name in ["b.md", "a.txt", "c.text", "NOTES.TXT", "scan.pdf", ".hidden.txt",
                 "sub/e.txt", ".git/config.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("本报讯", encoding="utf-8")
    found, problems = dumps.find(str(tmp_path))
    assert found == ["NOTES.TXT", "a.txt", "b.md", "c.text", "sub/e.txt"]
    assert problems == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_find_reports_link_loops_and_broken_links(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.txt").write_text("本报讯", encoding="utf-8")
    os.symlink("..", tmp_path / "sub" / "loop")
    os.symlink("nowhere.txt", tmp_path / "broken.txt")
    found, problems = dumps.find(str(tmp_path))
    assert found == ["sub/e.txt"]
    assert sorted(str(p) for p in problems) == ["broken.txt: broken symbolic link",
                                                 "sub/loop: symbolic link loop, skipped"]


def test_html_source_line_breaks_inside_a_paragraph_are_not_paragraph_breaks():
    text = dumps.html_to_text("<p>会议强调\n  要加快发展 A&amp;lt;B and\nmore</p><p>第二段</p>")
    assert [p for p in text.split("\n") if p] == ["会议强调要加快发展 A&lt;B and more", "第二段"]


def test_a_file_name_that_is_not_utf8_is_one_clear_problem(tmp_path):
    folder = os.fsencode(str(tmp_path))
    with open(os.path.join(folder, "太原日报_20220906.txt".encode("gbk")), "wb") as f:
        f.write("标题\n\n本报讯 9月5日，正文。\n".encode("utf-8"))
    with open(os.path.join(folder, b"ok.txt"), "wb") as f:
        f.write("标题\n\n本报讯 9月5日，正文。\n".encode("utf-8"))
    found, problems = dumps.find(str(tmp_path))
    assert found == ["ok.txt"]
    assert [str(p) for p in problems] == ["太原日报_20220906.txt: the file name is not UTF-8 (shown as GB18030 reads "
                                          "it); rename the file to index it"]


SEED_TEXT = open(os.path.join(os.path.dirname(__file__), "..", "seeds", "000_ac6bb446a57d0c7e.txt"),
                 encoding="utf-8").read()


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + SEED_TEXT.encode("utf-8")[:-1],
    SEED_TEXT.encode("gb18030")[:-1],
    SEED_TEXT.encode("utf-16-le")[:-1],
    codecs.BOM_UTF16_BE + SEED_TEXT.encode("utf-16-be")[:-1],
], ids=["utf-8 with BOM", "gb18030", "utf-16 without BOM", "utf-16 with BOM"])
def test_a_dump_cut_in_the_middle_of_its_last_character_keeps_the_rest(data):
    text = dumps.decode(data)
    assert SEED_TEXT.startswith(text) and len(text) >= len(SEED_TEXT) - 2


def test_one_damaged_byte_in_utf8_costs_one_character_not_the_dump():
    data = SEED_TEXT[:200].encode("utf-8") + b"\xff" + SEED_TEXT[200:].encode("utf-8")
    text = dumps.decode(data)
    assert text.count("\ufffd") == 1 and text.replace("\ufffd", "") == SEED_TEXT


# -- links and files that are not dumps: never followed out, never opened -----------------------

@pytest.fixture
def no_hang():
    """Interrupts (and fails) a test whose read blocks: a pipe opened for reading waits for
    a writer forever, so a hang would otherwise stop the whole run."""
    def interrupted(signum, frame):
        raise AssertionError("blocked for 20 s: a read of a pipe or device waits forever")
    previous = signal.signal(signal.SIGALRM, interrupted)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_find_skips_links_out_of_the_dumps_folder_and_follows_links_inside(tmp_path, no_hang):
    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    (outside / "secret.txt").write_text("机密", encoding="utf-8")
    (outside / "more" / "x.txt").write_text("机密", encoding="utf-8")
    dumps_dir = tmp_path / "dumps"
    (dumps_dir / "2022").mkdir(parents=True)
    (dumps_dir / "2022" / "a.txt").write_text("本报讯", encoding="utf-8")
    links = {"passwd.txt": "/etc/passwd", "environ.txt": "/proc/self/environ", "kmsg.txt": "/proc/kmsg",
             "secret.txt": "../outside/secret.txt", "elsewhere": str(outside), "alias.txt": "2022/a.txt",
             "latest": "2022", "up": ".."}
    for name, target in links.items():
        os.symlink(target, dumps_dir / name)
    os.symlink("dumps", tmp_path / "dumps-link")
    for root in (dumps_dir, tmp_path / "dumps-link"):          # the folder itself may be a link
        found, problems = dumps.find(str(root))
        assert found == ["2022/a.txt", "alias.txt"]
        out = {name: os.path.realpath(dumps_dir / name) for name in ("elsewhere", "environ.txt", "kmsg.txt",
                                                                     "passwd.txt", "secret.txt", "up")}
        assert sorted(str(p) for p in problems) == sorted(
            [f"{name}: symbolic link out of the dumps folder (to {target})" for name, target in out.items()]
            + ["latest: symbolic link loop, skipped"])              # 2022/ is listed already


def test_find_names_a_pipe_called_txt_without_opening_it(tmp_path, no_hang):
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe")                               # not a dump name: not mentioned
    (tmp_path / "a.txt").write_text("本报讯", encoding="utf-8")
    found, problems = dumps.find(str(tmp_path))
    assert found == ["a.txt"]
    assert [str(p) for p in problems] == ["pipe.txt: not a regular file (a pipe, socket or device)"]


@pytest.mark.parametrize("make", [lambda p: os.mkfifo(p), lambda p: os.symlink("/dev/zero", p)], ids=["pipe", "device"])
def test_read_refuses_a_pipe_or_a_device_without_waiting(tmp_path, no_hang, make):
    make(tmp_path / "page.txt")
    with pytest.raises(DumpError) as e:
        dumps.read(str(tmp_path / "page.txt"))
    assert str(e.value) == f"{tmp_path / 'page.txt'}: not a regular file (a pipe, socket or device)"


def pretend_stat(monkeypatch, path, as_if):
    """Fault injection: os.stat of `path` answers for the file `as_if`, as if `path` had
    been that file when checked and was swapped right after."""
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: real_stat(as_if if str(p) == str(path) else p, *a, **k))


def test_a_pipe_swapped_in_between_the_check_and_the_open_does_not_block(tmp_path, monkeypatch, no_hang):
    os.mkfifo(tmp_path / "page.txt")
    (tmp_path / "real.txt").write_text(TEXT, encoding="utf-8")
    pretend_stat(monkeypatch, tmp_path / "page.txt", tmp_path / "real.txt")
    with pytest.raises(DumpError) as e:
        dumps.read(str(tmp_path / "page.txt"), display="page.txt")
    assert str(e.value) == "page.txt: not a regular file (a pipe, socket or device)"


def test_a_file_swapped_for_another_between_the_check_and_the_open_is_refused(tmp_path, monkeypatch):
    (tmp_path / "checked.txt").write_text(TEXT, encoding="utf-8")
    os.symlink("/etc/passwd", tmp_path / "page.txt")
    pretend_stat(monkeypatch, tmp_path / "page.txt", tmp_path / "checked.txt")
    with pytest.raises(DumpError) as e:
        dumps.read(str(tmp_path / "page.txt"), display="page.txt")
    assert str(e.value) == "page.txt: changed while being opened (replaced by another file); try again"


# -- Japanese and Korean bytes are not GB18030 Chinese ------------------------------------------

@pytest.mark.parametrize("data, what", [
    (JAPANESE.encode("shift_jis"), "Japanese (Shift-JIS)"),
    (("①" + JAPANESE).encode("cp932"), "Japanese (Shift-JIS)"),               # Windows' Shift-JIS
    (KOREAN.encode("euc_kr"), "Korean (EUC-KR)"),
    (("똠방각하 " + KOREAN).encode("cp949"), "Korean (EUC-KR)"),             # Windows' EUC-KR (UHC)
    (KOREAN.encode("euc_kr")[:-1], "Korean (EUC-KR)"),                       # cut inside the last character
], ids=["shift-jis", "cp932", "euc-kr", "cp949", "euc-kr-cut"])
def test_decode_refuses_japanese_and_korean_bytes(data, what):
    assert data.decode("gb18030", errors="replace").count("\ufffd") <= 1      # GB18030 reads it all
    with pytest.raises(DumpError) as e:
        dumps.decode(data, "page01.txt")
    assert str(e.value) == (f"page01.txt: not text in UTF-8, UTF-16 or GB18030: it reads as {what}; "
                            "save it as UTF-8 to index it")


TRADITIONAL = ("太原市舉辦城市發展論壇 與會專家圍繞城市更新展開討論\n\n"
               "本報訊（記者 歐陽嘉）9月5日，城市發展論壇在並舉行，與會專家圍繞老舊小區改造、"
               "歷史街區保護展開討論，提出了多項建議。論壇指出，要堅持以人民為中心的發展思想，"
               "推動城市更新行動走深走實。晉祠博物館館長表示，將繼續做好文物保護與活化利用。（諸葛鑫、司馬燊）\n")
RARE_NAMES = ("迎澤區表彰二〇二二年度優秀志願者\n\n"
              "本报讯 9月5日，迎泽区召开志愿服务表彰大会，喆、堃、犇、淼、垚、焱、昇、燊、赟、玥、翀、鑫、"
              "淏、懿、祎、骉、珺等十七名志愿者受到表彰。他们常年在社区开展助老、助残和环境整治服务。\n")
NAMES_ONLY = ("王建国 李秀英 张伟 刘洋 陈静 杨帆 赵磊 黄丽 周杰 吴敏 徐强 孙丽 马超 朱红 胡军 郭芳 何平 高峰 "
              "林涛 罗斌 郑爽 梁宇 谢娜 宋佳 唐亮 许晴 韩梅 冯刚 邓超 曹颖 彭飞 曾毅 肖战 田野 董洁 袁泉\n")
WITH_KANA = ("晋祠迎来日本游客\n\n本报讯 9月5日，一批日本游客来到晋祠参观，"
             "他们用日语说“ありがとう”（谢谢），称赞晋祠的宋代彩塑和古建筑。导游介绍了难老泉和周柏。\n")


@pytest.mark.parametrize("text", [TRADITIONAL, RARE_NAMES, NAMES_ONLY, WITH_KANA, SEED_TEXT],
                         ids=["traditional", "rare-names", "names-only", "quoted-kana", "seed"])
@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_decode_keeps_real_chinese_in_gbk_and_gb18030(text, encoding):
    assert dumps.decode(text.encode(encoding)) == text


def test_a_list_of_names_that_also_decodes_as_korean_is_read_as_chinese():
    """The hardest case: hangul sits where GB2312 keeps its commonest hanzi, so these bytes
    are valid EUC-KR too; but they are mostly hanzi there, not hangul."""
    NAMES_ONLY.encode("gbk").decode("cp949")            # no error: valid Korean bytes as well
    assert dumps.decode(NAMES_ONLY.encode("gbk")) == NAMES_ONLY
