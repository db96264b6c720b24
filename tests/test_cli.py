"""`search-index parse` as a user runs it: JSON Lines on stdout, one line per bad file on stderr."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from builders import ROOT, seed_path

FIELDS = ["id", "source", "seq", "kind", "title", "kicker", "subtitle", "section", "authors",
          "date", "cities", "places", "topic", "body", "captions"]


def search_index():
    here = os.path.dirname(sys.executable)
    found = shutil.which("search-index", path=here + os.pathsep + os.environ.get("PATH", ""))
    if not found:
        pytest.fail("the search-index command is not installed (pip install -e .)")
    return found


def run(*args):
    """`search-index parse ARGS…` from the repository root, with the default data and dumps."""
    env = {k: v for k, v in os.environ.items() if k not in ("NEWS_DUMPS_DIR", "NEWS_DATA_DIR")}
    return subprocess.run([search_index(), "parse", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env, timeout=120)


def test_parse_prints_json_lines_with_every_field():
    r = run(seed_path("000"), seed_path("002"))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    items = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(items) == 11
    assert all(list(item) == FIELDS for item in items)
    assert [(i["source"][:3], i["seq"]) for i in items] == (
        [("000", n) for n in range(1, 7)] + [("002", n) for n in range(1, 6)])


def test_parse_output_matches_the_library(seed):
    r = run(seed_path("004"))
    assert [json.loads(line) for line in r.stdout.splitlines()] == [a.to_dict() for a in seed("004")]


def test_parse_keeps_chinese_readable():
    r = run(seed_path("000"))
    assert "我市开工改造688个老旧小区" in r.stdout
    assert "\\u" not in r.stdout


def test_one_unreadable_file_among_good_ones(tmp_path):
    bad = tmp_path / "page03.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    r = run(seed_path("000"), bad, seed_path("002"))
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"skipped {bad}: not a text dump: it is a PNG image"]
    sources = [json.loads(line)["source"] for line in r.stdout.splitlines()]
    assert sources == ["000_ac6bb446a57d0c7e.txt"] * 6 + ["002_a349228e6c3992d1.txt"] * 5


def test_missing_file(tmp_path):
    r = run(tmp_path / "gone.txt")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.splitlines() == [f"skipped {tmp_path / 'gone.txt'}: no such file"]


def test_empty_dump_prints_nothing_and_succeeds(tmp_path):
    (tmp_path / "blank.txt").write_bytes(b" \n\n")
    r = run(tmp_path / "blank.txt")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_same_ids_on_every_run():
    first, second = run(seed_path("001")), run(seed_path("001"))
    ids = [json.loads(line)["id"] for line in first.stdout.splitlines()]
    assert ids == [json.loads(line)["id"] for line in second.stdout.splitlines()]
    assert len(set(ids)) == 11
