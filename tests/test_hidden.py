"""Taking an article down: the hidden list beside the index (search.hidden), applied to every
search, page, export and the API, kept across rebuilds, changed by `search-index hide` and
`unhide`, listed by `search-index stats`.
"""
import json
import os

import pytest

from builders import build_index, copy_seeds
from commands import invoke
from search.errors import Hidden, SearchError
from search.hidden import HiddenList, HiddenListUnreadable
from search.searching import Searcher
from web import create_app

TAIXIN = "f7f6be5d04-ac6655"        # seed 000's first article (太忻 in title and body)
OLD_HOUSES = "f7f6be5d04-79262b"    # 我市开工改造688个老旧小区, in the same dump
SEED_000 = 6


@pytest.fixture
def index_dir(tmp_path):
    """A fresh index of seed 000 (six items), its dumps folder beside it."""
    dumps = copy_seeds(tmp_path / "dumps", prefixes={"000"})
    build_index(tmp_path / "index", dumps)
    return str(tmp_path / "index")


def ids(results):
    return [h.id for h in results.hits]


# -- the list ----------------------------------------------------------------------------------

def test_the_list_is_a_tab_separated_file_beside_the_index(tmp_path):
    hidden = HiddenList.beside(tmp_path / "index")
    assert hidden.path == str(tmp_path / "index.hidden.tsv") and hidden.entries() == {}
    entry = hidden.hide("a-1", "court order\t2024/17\nsecond line")
    assert (entry.id, entry.reason) == ("a-1", "court order 2024/17 second line")
    hidden.hide("b-2", "privacy request")
    assert (tmp_path / "index.hidden.tsv").read_text(encoding="utf-8").splitlines() == [
        "# articles taken down (search-index hide / unhide): id, hidden at, reason; tab-separated",
        f"a-1\t{entry.hidden_at}\tcourt order 2024/17 second line",
        f"b-2\t{hidden.get('b-2').hidden_at}\tprivacy request"]
    reader = HiddenList.beside(tmp_path / "index")          # another process's view
    assert reader.ids() == {"a-1", "b-2"}
    assert hidden.unhide("a-1") == entry
    assert reader.ids() == {"b-2"}                           # it reads the file again once it changed
    with pytest.raises(SearchError) as e:
        hidden.unhide("a-1")
    assert (str(e.value), e.value.parameter) == ("a-1: not hidden", "id")
    with pytest.raises(SearchError) as e:
        hidden.hide("c-3", " \t ")
    assert str(e.value) == "reason: say why the article is hidden (--reason TEXT)"
    assert sorted(os.listdir(tmp_path)) == [".index.hidden.tsv.lock", "index.hidden.tsv"]


def test_a_damaged_list_is_an_error_naming_the_file_and_line_not_an_empty_list(tmp_path):
    path = tmp_path / "index.hidden.tsv"
    path.write_text("# comment\na-1\t2024-01-01T00:00:00\tok\nno tabs here\n", encoding="utf-8")
    with pytest.raises(HiddenListUnreadable) as e:
        HiddenList(str(path)).ids()
    assert str(e.value) == f"{path}: line 3: not an id, a time and a reason separated by tabs"


# -- searches, pages and exports --------------------------------------------------------------

def test_a_hidden_article_is_left_out_of_everything_the_library_answers(index_dir):
    with Searcher(index_dir) as s:
        before = s.search("", per_page=100)
        article, entry, again = s.hide(TAIXIN, "correction requested")
        assert (article["id"], entry.reason, again) == (TAIXIN, "correction requested", False)
        after = s.search("", per_page=100)
        assert ids(after) == [i for i in ids(before) if i != TAIXIN] and after.total == SEED_000 - 1
        assert s.search("太忻").total == 0
        assert after.facets["city"] == {"太原": 5}                       # counts leave it out too
        assert [h.id for h in s.all_hits("")] == ids(after)
        assert TAIXIN not in [a["id"] for _, pages in s.day("2022-09-05").papers for _, items in pages for a in items]
        assert TAIXIN not in [n["id"] for n in s.neighbours(s.article(OLD_HOUSES))]
        with pytest.raises(Hidden) as e:
            s.find(TAIXIN)
        assert str(e.value) == (f"{TAIXIN}: hidden since {entry.hidden_at}: correction requested "
                                f"(`search-index unhide {TAIXIN}` shows it again)")
        assert s.stats()["hidden"] == [{"id": TAIXIN, "hidden_at": entry.hidden_at, "reason": "correction requested",
                                        "title": article["title"], "in_index": True}]
        s.unhide(TAIXIN)
        assert ids(s.search("", per_page=100)) == ids(before)


def test_hiding_needs_an_article_of_the_index_and_stats_names_one_no_longer_there(index_dir):
    with Searcher(index_dir) as s:
        with pytest.raises(SearchError) as e:
            s.hide("0000000000-000000", "x")
        assert (str(e.value), e.value.parameter) == ("no article with id '0000000000-000000'", "id")
        assert not os.path.exists(index_dir + ".hidden.tsv")
        entry = s.hidden.hide("0000000000-000000", "its dump was renamed since")     # as a rebuild would leave it
        assert s.stats()["hidden"] == [{"id": "0000000000-000000", "hidden_at": entry.hidden_at, "title": None,
                                        "reason": "its dump was renamed since", "in_index": False}]
    stats = invoke("search-index", "stats", "--index", index_dir).stdout.splitlines()
    assert stats[-1] == f"  0000000000-000000  {entry.hidden_at}  its dump was renamed since  (not in the index)"


# -- the commands ---------------------------------------------------------------------------

def test_hide_and_unhide_commands_and_stats(index_dir):
    title = "全省开发区2022年第三次“三个一批”活动暨太忻一体化经济区建设推进会举行"
    r = invoke("search-index", "hide", TAIXIN, "--reason", "court order 17", "--index", index_dir)
    assert (r.returncode, r.stdout, r.stderr) == (0, f"{TAIXIN} ({title}): hidden: court order 17\n", "")
    when = HiddenList.beside(index_dir).get(TAIXIN).hidden_at
    assert invoke("search", "太忻", "--index", index_dir).stdout == "no articles for “太忻”\n"
    r = invoke("search", "--show", TAIXIN, "--index", index_dir)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == f"error: {TAIXIN}: hidden since {when}: court order 17 (`search-index unhide {TAIXIN}` shows it again)\n"
    exported = [json.loads(line)["id"] for line in
                invoke("search", "", "--export", "jsonl", "--index", index_dir).stdout.splitlines()]
    assert len(exported) == SEED_000 - 1 and TAIXIN not in exported
    stats = invoke("search-index", "stats", "--index", index_dir).stdout.splitlines()
    assert stats[-2:] == ["hidden      1 article (`search-index unhide ID` shows one again)",
                          f"  {TAIXIN}  {when}  court order 17  ({title})"]
    r = invoke("search-index", "unhide", TAIXIN, "--index", index_dir)
    assert (r.returncode, r.stdout) == (0, f"{TAIXIN}: shown again (hidden since {when}: court order 17)\n")
    assert invoke("search", "太忻", "--json", "--index", index_dir).returncode == 0


@pytest.mark.parametrize("args,message", [
    (["hide", "nope", "--reason", "x"], "error: no article with id 'nope'"),
    (["hide", TAIXIN], "error: Missing option '--reason'. (see `search-index hide --help`)"),
    (["hide", TAIXIN, "--reason", " "], "error: reason: say why the article is hidden (--reason TEXT)"),
    (["unhide", TAIXIN], f"error: {TAIXIN}: not hidden"),
])
def test_hide_and_unhide_errors_are_one_line(index_dir, args, message):
    r = invoke("search-index", *args, "--index", index_dir)
    assert (r.returncode, r.stdout, r.stderr) == (2, "", message + "\n")


def test_the_list_survives_a_rebuild_and_applies_without_one(index_dir, tmp_path):
    assert invoke("search-index", "hide", OLD_HOUSES, "--reason", "privacy", "--index", index_dir).returncode == 0
    r = invoke("search-index", "rebuild", tmp_path / "dumps", "--index", index_dir)
    assert r.returncode == 0, r.stderr
    with Searcher(index_dir) as s:
        assert OLD_HOUSES not in ids(s.search("", per_page=100)) and s.search("老旧小区").total == 0
    assert HiddenList.beside(index_dir).ids() == {OLD_HOUSES}


# -- the web app -----------------------------------------------------------------------------

def test_a_hidden_article_is_a_410_page_in_chinese_and_gone_from_every_page(index_dir):
    client = create_app(index_dir, {"TESTING": True}).test_client()
    assert f"/article/{TAIXIN}" in client.get("/search?q=太忻").get_data(as_text=True)
    with Searcher(index_dir) as s:
        s.hide(TAIXIN, "court order 17")
    response = client.get(f"/article/{TAIXIN}")
    text = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "文章已撤下" in text and "这篇文章已撤下，不再提供。" in text and "court order" not in text
    response = client.get(f"/api/article/{TAIXIN}")
    assert (response.status_code, response.get_json()) == (
        410, {"error": "hidden", "parameter": None, "message": "这篇文章已撤下，不再提供。"})
    for url in ("/search?q=太忻", "/search?q=", "/", "/day/2022-09-05", f"/article/{OLD_HOUSES}", "/export.csv?q=",
                "/export.jsonl?q=", "/api/search?q="):
        assert TAIXIN not in client.get(url).get_data(as_text=True), url
