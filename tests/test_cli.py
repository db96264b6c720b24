"""`search` and `search-index` as a user runs them: JSON Lines on stdout, one line per bad
file on stderr, one error line and an exit code. In this process through click's runner
(`invoke`); a few as real processes (`process`): the installed entry points, a first
search that builds the index, what a terminal gets.
"""
import json
import os
import re
import shutil

import pytest

from builders import BIDI_DUMP, ROOT, add_dump, build_index, seed_path
from commands import invoke, process

FIELDS = ["id", "source", "seq", "kind", "title", "kicker", "subtitle", "section", "authors",
          "date", "cities", "places", "topic", "body", "captions", "paper", "page"]


def parse(*args):
    """`search-index parse ARGS…` from the repository root, with the default data and dumps."""
    return invoke("search-index", "parse", *args)


def test_parse_prints_json_lines_with_every_field():
    r = process("search-index", "parse", seed_path("000"), seed_path("002"))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    items = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(items) == 11
    assert all(list(item) == FIELDS for item in items)
    assert [(i["source"][:3], i["seq"]) for i in items] == (
        [("000", n) for n in range(1, 7)] + [("002", n) for n in range(1, 6)])


def test_parse_output_matches_the_library(seed):
    r = parse(seed_path("004"))
    assert [json.loads(line) for line in r.stdout.splitlines()] == [a.to_dict() for a in seed("004")]


def test_parse_keeps_chinese_readable():
    r = parse(seed_path("000"))
    assert "我市开工改造688个老旧小区" in r.stdout
    assert "\\u" not in r.stdout


def test_one_unreadable_file_among_good_ones(tmp_path):
    bad = tmp_path / "page03.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    r = parse(seed_path("000"), bad, seed_path("002"))
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"skipped {bad}: not a text dump: it is a PNG image"]
    sources = [json.loads(line)["source"] for line in r.stdout.splitlines()]
    assert sources == ["000_ac6bb446a57d0c7e.txt"] * 6 + ["002_a349228e6c3992d1.txt"] * 5


def test_missing_file(tmp_path):
    r = parse(tmp_path / "gone.txt")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.splitlines() == [f"skipped {tmp_path / 'gone.txt'}: no such file"]


def test_empty_dump_prints_nothing_and_succeeds(tmp_path):
    (tmp_path / "blank.txt").write_bytes(b" \n\n")
    r = parse(tmp_path / "blank.txt")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_explain_prints_plain_text_per_file_and_names_unreadable_ones(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("甲地运动会开幕\n\n本报讯 甲地举办秋季运动会，两千余名运动员参加比赛。\n\n"
                    "乙地启动道路改造\n\n乙地当天启动道路改造工程，全长十二公里。\n", encoding="utf-8")
    r = parse("--explain", page, tmp_path / "gone.txt")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"skipped {tmp_path / 'gone.txt'}: no such file"]
    assert r.stdout.splitlines() == [
        "page.txt: layout blank-lines (detected); 1 item; the dump shows leads, bylines or credits",
        "  item 1   line 1     甲地运动会开幕",
        "           starts it: the first item of the dump",
        "    -      line 5     乙地启动道路改造",
        "           stays: a subhead of item 1: no lead follows, item 1 is not finished, and neither "
        "layout nor headline shape marks a new item",
    ]


def test_same_ids_on_every_run():
    first, second = parse(seed_path("001")), parse(seed_path("001"))
    ids = [json.loads(line)["id"] for line in first.stdout.splitlines()]
    assert ids == [json.loads(line)["id"] for line in second.stdout.splitlines()]
    assert len(set(ids)) == 11


# -- search and search-index update/rebuild/stats ---------------------------------------------

@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder with a copy of the seeds in ./seeds and no index yet."""
    folder = tmp_path_factory.mktemp("work")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    return folder


def test_first_search_builds_the_index_from_seeds(workdir):
    r = process("search", "太忻", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert "no index yet: building index from seeds" in r.stderr
    assert "5 added, 0 updated, 0 removed (35 articles" in r.stderr
    assert (workdir / "index").is_dir()
    assert "6 articles for “太忻”" in r.stdout


def test_search_prints_plain_text_when_piped(workdir):
    r = invoke("search", "太忻", cwd=workdir)
    assert "\x1b[" not in r.stdout and "<mark>" not in r.stdout
    lines = r.stdout.splitlines()
    assert lines[0].startswith("  1. ")
    assert "City: 太原 6  忻州 2" in r.stdout and "Topic: 经济 6" in r.stdout and "Year: 2022 6" in r.stdout


def test_search_json_shape_and_exit_codes(workdir):
    r = invoke("search", "太忻", "--json", "--limit", "3", cwd=workdir)
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert list(data) == ["query", "total", "page", "pages", "limit", "hits", "facets", "partial", "aliases", "suggestions"]
    assert data["partial"] is False
    assert (data["query"], data["total"], data["page"], data["pages"], data["limit"], len(data["hits"])) == (
        "太忻", 6, 1, 2, 3, 3)
    assert list(data["hits"][0]) == ["id", "title", "label", "date", "paper", "page", "section", "cities", "topic",
                                     "kind", "source", "score", "snippet"]
    assert "<mark>太忻</mark>" in data["hits"][0]["snippet"]
    assert data["facets"] == {"city": {"太原": 6, "忻州": 2, "晋城": 1, "朔州": 1}, "topic": {"经济": 6},
                              "year": {"2022": 6}, "kind": {"article": 5, "photo": 1}, "paper": {}, "section": {}}
    none = invoke("search", "没有这个词", "--json", cwd=workdir)
    assert none.returncode == 1 and json.loads(none.stdout)["total"] == 0


def test_search_filters_and_sort(workdir):
    r = invoke("search", "项目", "--city", "晋中", "--from", "2024-01-01", "--sort", "date", "--json", cwd=workdir)
    hits = json.loads(r.stdout)["hits"]
    assert hits and all("晋中" in h["cities"] and h["date"] >= "2024-01-01" for h in hits)
    assert [h["date"] for h in hits] == sorted((h["date"] for h in hits), reverse=True)


@pytest.mark.parametrize("args,message", [
    (["太忻", "--from", "2022-13-45"], "error: from: '2022-13-45' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"),
    (["太忻", "--city", "北京"], "error: city: unknown city '北京'; cities are 太原 大同 朔州 忻州 阳泉 吕梁 晋中 长治 晋城 临汾 运城"),
    (["太忻", "--index", "/nonexistent/ix"], "error: /nonexistent/ix: no such index folder (--index is never built"),
])
def test_search_errors_are_one_line_and_exit_2(workdir, args, message, tmp_path):
    r = invoke("search", *args, cwd=tmp_path if "--index" in args else workdir)
    assert r.returncode == 2
    assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith(message)
    assert "Traceback" not in r.stderr


def test_update_twice_says_nothing_changed(workdir):
    r = invoke("search-index", "update", cwd=workdir)
    assert r.returncode == 0 and r.stdout.startswith("0 added, 0 updated, 0 removed (35 articles")


def test_update_reports_a_skipped_dump_and_exits_1(workdir, tmp_path):
    dumps = tmp_path / "dumps"
    shutil.copytree(ROOT / "seeds", dumps)
    (dumps / "scan.txt").write_bytes(b"%PDF-1.4 binary")
    r = invoke("search-index", "update", dumps, "--index", tmp_path / "ix", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.splitlines() == ["skipped scan.txt: not a text dump: it is a PDF document"]
    assert r.stdout.startswith("5 added, 0 updated, 0 removed, 1 skipped (35 articles")


def test_stats(workdir):
    r = invoke("search-index", "stats", "--json", cwd=workdir)
    figures = json.loads(r.stdout)
    assert (figures["articles"], figures["dumps"]) == (35, 5)
    text = invoke("search-index", "stats", cwd=workdir).stdout
    assert "articles    35 from 5 dumps" in text and "topic       经济 14" in text


def test_rebuild(workdir):
    r = invoke("search-index", "rebuild", cwd=workdir)
    assert r.returncode == 0 and r.stdout.startswith("rebuilt from 5 dumps: 0 added, 0 updated, 0 removed (35 articles")


def test_environment_sets_the_folders(workdir, tmp_path):
    env = {"NEWS_INDEX_DIR": str(tmp_path / "elsewhere"), "NEWS_DUMPS_DIR": str(workdir / "seeds")}
    r = invoke("search-index", "update", cwd=tmp_path, env=env)
    assert r.returncode == 0 and (tmp_path / "elsewhere").is_dir()
    assert invoke("search", "晋祠", "--json", cwd=tmp_path, env=env).returncode == 0


# -- options that are query words, and misspelt options -------------------------------------

def test_a_not_word_that_looks_like_short_flags_is_searched(seed_index, tmp_path):
    r = invoke("search", "太忻", "-photo", "--index", seed_index, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Usage:" not in r.stdout
    assert "6 articles for “太忻 -photo”" in r.stdout
    r = invoke("search", "太忻", "-h", "--json", "--index", seed_index, cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["query"] == "太忻 -h"
    r = invoke("search", "太忻", "-疫情", "--json", "--index", seed_index, cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["query"] == "太忻 -疫情"


def test_search_help_is_long_only(seed_index, tmp_path):
    r = invoke("search", "--help", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("Usage: search [OPTIONS] [QUERY]...")
    assert invoke("search-index", "-h", cwd=tmp_path).stdout.startswith("Usage: search-index")


@pytest.mark.parametrize("args", [["太忻", "--lmit", "3"], ["--lmit=3", "太忻"], ["太忻", "--json", "--lmit"]])
def test_a_misspelt_long_option_is_an_error(seed_index, tmp_path, args):
    r = invoke("search", *args, "--index", seed_index, cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (2, "", "error: no such option: --lmit\n")


def test_option_values_and_words_after_a_bare_double_dash_are_not_options(seed_index, tmp_path):
    r = invoke("search", "--json", "--index", seed_index, "--", "太忻", "--lmit", cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    assert json.loads(r.stdout)["query"] == "太忻 --lmit"
    r = invoke("search", "太忻", "--city", "--lmit", "--index", seed_index, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("error: city: unknown city '--lmit'")


# -- an index folder that cannot be read or written --------------------------------------------

def assert_one_error_line(r, *fragments):
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert all(f in lines[0] for f in fragments), (lines[0], fragments)


def test_update_into_an_impossible_folder_is_one_error_line(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    index_dir = tmp_path / "afile" / "ix"
    r = invoke("search-index", "update", ROOT / "seeds", "--index", index_dir, cwd=tmp_path)
    assert_one_error_line(r, str(tmp_path / "afile"))
    r = invoke("search", "太忻", cwd=tmp_path, env={"NEWS_DUMPS_DIR": str(ROOT / "seeds"), "NEWS_INDEX_DIR": str(index_dir)})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    building, error = r.stderr.splitlines()
    assert building.startswith("no index yet: building")
    assert error.startswith(f"error: {tmp_path / 'afile'}")


@pytest.fixture
def corrupt_index(seed_index, tmp_path):
    """A copy of the seed index whose table of contents is garbage."""
    folder = tmp_path / "ix"
    shutil.copytree(seed_index, folder)
    tocs = list(folder.glob("*.toc"))
    assert tocs
    for toc in tocs:
        toc.write_bytes(b"garbage, not a table of contents")
    return folder


def test_a_corrupt_index_is_one_error_line_naming_it(corrupt_index, tmp_path):
    for name, *args in (("search", "太忻"), ("search-index", "stats"), ("search-index", "update", ROOT / "seeds")):
        r = invoke(name, *args, "--index", corrupt_index, cwd=tmp_path)
        assert_one_error_line(r, str(corrupt_index), "unreadable index")


def test_a_missing_segment_file_is_one_error_line_naming_it(seed_index, tmp_path):
    folder = tmp_path / "ix"
    shutil.copytree(seed_index, folder)
    gone = sorted(folder.glob("*.trm"))[0]
    gone.unlink()
    r = invoke("search", "太忻", "--index", folder, cwd=tmp_path)
    assert_one_error_line(r, str(gone))


# -- control characters in file names and data ----------------------------------------------

def test_control_characters_in_dump_names_are_escaped(tmp_path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    good = "b\x1b]0;x\x07ad\u2028.txt"
    shutil.copy(seed_path("000"), dumps / good)
    (dumps / "p\x1b[31mdf.txt").write_bytes(b"%PDF-1.4 binary")
    r = invoke("search-index", "update", dumps, "--index", tmp_path / "ix", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.splitlines() == ["skipped p\\x1b[31mdf.txt: not a text dump: it is a PDF document"]
    found = json.loads(invoke("search", "太忻", "--json", "--index", tmp_path / "ix", cwd=tmp_path).stdout)
    r = process("search", "--show", found["hits"][0]["id"], "--index", tmp_path / "ix", cwd=tmp_path)  # a terminal
    assert r.returncode == 0, r.stderr
    assert "b\\x1b]0;x\\x07ad\\u2028.txt (item 1)" in r.stdout
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\u2028" not in r.stdout
    r = invoke("search", "太忻", "--json", "--index", tmp_path / "ix", cwd=tmp_path)
    assert "\u2028" not in r.stdout
    assert {h["source"] for h in json.loads(r.stdout)["hits"]} == {good}


def test_control_characters_in_the_query_are_escaped(seed_index, tmp_path):
    r = invoke("search", "太忻\x1b[31m\x9b", "--index", seed_index, cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    assert "\x1b" not in r.stdout and "\x9b" not in r.stdout
    assert "太忻\\x1b[31m\\x9b" in r.stdout


def test_bidi_controls_in_a_title_are_shown_escaped(tmp_path):
    add_dump(tmp_path / "dumps", "2022-09-06_taiyuan_p01.txt", BIDI_DUMP)
    build_index(tmp_path / "ix", tmp_path / "dumps")
    r = invoke("search", '"太忻一体化经济区"', "--index", tmp_path / "ix", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "  1. 太忻一体\\u202e化经济区建设提速"
    assert "9月5日，太忻\\u2066一体化\\u2069经济区\\u200e建设推进会" in r.stdout
    r = invoke("search", '"太忻一体化经济区"', "--json", "--index", tmp_path / "ix", cwd=tmp_path)
    assert "\u202e" not in r.stdout and "\\u202e" in r.stdout
    assert json.loads(r.stdout)["hits"][0]["title"] == "太忻一体\u202e化经济区建设提速"


# -- the reporter's rough edges: help, one-line errors, colour, pages, wording --------------------

def test_dash_h_alone_is_help_and_help_names_every_date_form(seed_index, tmp_path):
    r = invoke("search", "-h", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("Usage: search [OPTIONS] [QUERY]...")
    assert "YYYY-MM-DD, YYYY-MM or YYYY" in r.stdout and "--sort ORDER" in r.stdout and "oldest" in r.stdout


@pytest.mark.parametrize("args,message", [
    (["太忻", "--limit", "0"], "error: limit: must be between 1 and 100, not 0"),
    (["太忻", "--limit", "x"], "error: limit: must be a whole number ≥ 1, not 'x'"),
    (["太忻", "--page", "0"], "error: page: must be between 1 and 100000, not 0"),
    (["太忻", "--sort", "popular"], "error: sort: must be one of relevance, date (or newest), oldest, not 'popular'"),
    (["太忻", "--export", "xml"], "error: export: must be jsonl or csv, not 'xml'"),
    (["--show", "x", "--export", "csv"], "error: show: --show prints one article; --export prints hits; give one of them"),
    (["--show", "0000000000-000000"], "error: no article with id '0000000000-000000'"),
    (["太忻", "--from", "2022-13-45"], "error: from: '2022-13-45' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"),
])
def test_every_bad_option_is_one_error_line_with_exit_2(seed_index, tmp_path, args, message):
    r = invoke("search", *args, "--index", seed_index, cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (2, "", message + "\n")


def test_click_usage_errors_of_search_index_are_one_line_too(tmp_path):
    r = invoke("search-index", "update", "--interval", "x", cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (
        2, "", "error: Invalid value for '--interval': 'x' is not a valid float range. (see `search-index update --help`)\n")
    r = invoke("search-index", "reindex", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "error: No such command 'reindex'. (see `search-index --help`)\n")


def test_newest_oldest_and_traditional_or_slashed_values_are_accepted(seed_index, tmp_path):
    def found(*args):
        r = invoke("search", "项目", "--json", "--limit", "100", *args, "--index", seed_index, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        return [(h["id"], h["date"]) for h in json.loads(r.stdout)["hits"]]
    assert found("--sort", "newest") == found("--sort", "date")
    oldest = found("--sort", "oldest")
    assert [d for _, d in oldest] == sorted(d for _, d in found())
    assert found("--topic", "經濟") == found("--topic", "经济") and found("--topic", "经济")
    assert found("--from", "2022/03/01", "--to", "2022年4月") == found("--from", "2022-03-01", "--to", "2022-04-30")


def test_summary_lines_for_everything_for_nothing_and_past_the_end(seed_index, tmp_path):
    everything = invoke("search", "", "--index", seed_index, cwd=tmp_path).stdout.splitlines()
    summary = everything[everything.index("") + 1]
    assert re.fullmatch(r"35 articles, newest first \(\d+ ms\), page 1 of 4", summary), summary
    r = invoke("search", "没有这个词", "--city", "大同", "--index", seed_index, cwd=tmp_path)
    assert (r.returncode, r.stdout) == (1, "no articles for “没有这个词”, city 大同\n")
    r = invoke("search", "太忻", "--page", "9", "--index", seed_index, cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (1, "there is only 1 page (6 articles for “太忻”, 10 a page)\n", "")
    r = invoke("search", "太忻", "--page", "9", "--limit", "2", "--index", seed_index, cwd=tmp_path)
    assert (r.returncode, r.stdout) == (1, "there are only 3 pages (6 articles for “太忻”, 2 a page)\n")
    r = invoke("search", "太忻", "--page", "9", "--json", "--index", seed_index, cwd=tmp_path)
    data = json.loads(r.stdout)
    assert (r.returncode, data["total"], data["pages"], data["page"], data["hits"]) == (1, 6, 1, 9, [])


def on_a_terminal(*args, env=None):
    """What a terminal shows of `search ARGS…` run as a real process (its stdout a pty)."""
    import pty
    import subprocess
    from commands import clean_env, installed
    leader, follower = pty.openpty()
    try:
        process = subprocess.run([installed("search"), *map(str, args)], stdout=follower, stderr=subprocess.PIPE,
                                 env=clean_env(**(env or {})), timeout=60)
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:                     # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(leader)
    assert process.returncode == 0, process.stderr
    return output.decode("utf-8")


def test_colour_on_a_terminal_unless_no_color(seed_index):
    shown = on_a_terminal("老旧小区", "--show", "f7f6be5d04-79262b", "--index", seed_index)
    assert "\x1b[1m我市开工改造688个\x1b[33m\x1b[1m老旧小区\x1b[0m" in shown          # the query's words marked
    plain = on_a_terminal("太忻", "--limit", "1", "--index", seed_index, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain and "太忻一体化经济区" in plain


def test_show_prints_the_kicker_first_and_export_every_hit(seed_index, tmp_path):
    r = invoke("search", "老旧小区", "--show", "f7f6be5d04-79262b", "--index", seed_index, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.splitlines()[:2] == ["保基本 抓提升 促完善", "我市开工改造688个老旧小区"]
    r = invoke("search", "", "--export", "jsonl", "--index", seed_index, cwd=tmp_path)
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 35
    assert invoke("search", "没有这个词", "--export", "csv", "--index", seed_index, cwd=tmp_path).returncode == 1


def test_search_suggests_on_stderr_and_exits_1_when_nothing_is_found(workdir):
    invoke("search", "太忻", cwd=workdir)                  # builds the index on first use
    r = invoke("search", "太新", cwd=workdir)
    assert (r.returncode, r.stderr) == (1, "你是不是要找：太忻\n")
    data = json.loads(invoke("search", "taixin", "--json", cwd=workdir).stdout)
    assert (data["total"], data["suggestions"]) == (0, ["太忻"])


def test_search_names_the_aliases_it_searched_and_no_aliases_leaves_them_out(workdir):
    r = invoke("search", "太原钢铁", cwd=workdir)
    assert "3 articles for “太原钢铁”" in r.stdout
    assert "Aliases searched too: 太原钢铁 → 太钢 (--no-aliases leaves them out)" in r.stdout
    plain = invoke("search", "太原钢铁", "--no-aliases", "--json", cwd=workdir)
    assert json.loads(plain.stdout)["total"] == 1 and json.loads(plain.stdout)["aliases"] == {}


@pytest.mark.parametrize("args", [["太原"], ["太原", "--json"], ["--show", "f7f6be5d04-ac6655"],
                                  ["太原", "--export", "csv"]])
def test_a_reader_that_closes_the_pipe_leaves_the_exit_code_of_the_search(seed_index, args):
    """`search 太原 | head -1`: the reader has gone, so output ends quietly, and the exit code
    still says hits were found (click's own handling would exit 1: “no hits”)."""
    import subprocess
    from commands import clean_env, installed
    read_end, write_end = os.pipe()
    os.close(read_end)                              # gone before the first line is written
    try:
        done = subprocess.run([installed("search"), *args, "--index", seed_index], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120, env=clean_env())
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, "")
