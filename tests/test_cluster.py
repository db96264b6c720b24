"""The cluster engine against the embedded one, on the seed dumps and on the fixture corpus
(the layout fixtures and dumps named as papers name them): the same totals, facet counts and
matching ids for every query of the language, filters by paper and section included; the
same order by date, newest or oldest first; the same answers with articles hidden; a
stopped shard marks the answer partial; an update converges.

The seed cluster is 3 shards and a front on free loopback ports (conftest), the fixture
cluster 2 shards, each started once.
"""
import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings

from search.cluster import loading, sharding
from search.cluster.engine import ClusterEngine
from search.errors import SearchError
from search.hidden import HiddenList
from search.searching import Searcher

from builders import SEEDS, TESTS_DATA, add_dump, build_index
from clusters import running_cluster
from test_hostile import queries as hostile_queries
from test_papers import DUMPS as PAPER_DUMPS

LAYOUTS = TESTS_DATA / "layouts"

# (query, keyword arguments of Searcher.search): substrings, phrases, AND/OR/NOT, fields,
# filters in the query and as parameters, dates, prefixes.
QUERIES = [
    ("", {}), ("太忻", {}), ("一体化", {}), ("太忻一体化", {}), ("忻一", {}), ("体化经", {}),
    ("老旧小区", {}), ("老旧小区改造", {}), ("开发区", {}), ("三个一批", {}), ("人才公寓", {}),
    ("2022", {}), ("2024年", {}), ("688", {}), ("app", {}), ("APP", {}), ("550套", {}), ("1852.35", {}),
    ("太", {}), ("园", {}), ("化", {}), ("中來", {}),
    ('"推动先进要素集聚"', {}), ('"太忻一体化经济区"', {}), ('"三个一批"活动', {}), ('"老旧 小区"', {}),
    ('"全省开发区2024年第一次"', {}), ('"，"', {}), ('"项目，"', {}),
    ("太忻 一体化", {}), ("太忻 AND 经济", {}), ("太忻 OR 雄安", {}), ("开发区 OR 公寓", {}),
    ("开发区 -太原", {}), ("开发区 NOT 2024", {}), ("(太原 OR 忻州) 项目", {}), ("-经济", {}),
    ("NOT 太原 NOT 晋中", {}), ("(开发区 OR 公寓) -(2024 OR 签约)", {}),
    ("title:太忻", {}), ('title:"三个一批"', {}), ("title:太原 body", {}), ("author:陈剑", {}), ("author:陳劍", {}),
    ("place:晋祠", {}), ("place:古交", {}), ("place:万柏林区", {}),
    ("city:太原", {}), ("city:忻州 开发区", {}), ("topic:经济", {}), ("太忻 OR city:朔州", {}), ("-city:太原", {}),
    ("kind:photo", {}), ("city:北京", {}), ("city:太原市 topic:经济", {}), ("unknown:字段", {}),
    ("综改*", {}), ("开发*", {}), ("太*", {}), ("经*", {}), ("app*", {}),
    ("开发区", {"cities": ["太原"]}), ("", {"topics": ["经济"], "date_from": "2024"}),
    ("", {"date_to": "2022-03"}), ("项目", {"date_from": "2022-02-01", "date_to": "2022-04-30"}),
    ("", {"kinds": ["photo", "notice"]}), ("", {"cities": ["太原", "忻州"]}), ("太原", {"topics": ["经济", "城建"]}),
    # issue 13: punctuation and spaces in phrases, field groups, read filter values, bylines,
    # aliases, words as words, labels and suggestions (the Searcher's, the same for both)
    ('"14+7"', {}), ('"14 7"', {}), ('"7+3"', {}), ('"“三个一批”"', {}), ('"三个一批”活动"', {}), ('"《三个一批》"', {}),
    ('"1852.35亿元"', {}), ('"太忻 一体化"', {}), ("14+7", {}), ("title:(太忻 OR 老旧)", {}), ("-title:(太忻 OR 老旧)", {}),
    ("topic:經濟", {}), ("陈俊琦", {}), ("徐浩轩", {}), ("市民", {}), ("太原钢铁", {}), ("综改区", {}), ("大盂", {}),
    ("太新", {}), ("能 曲沃县", {}),
    # NEAR: Sphinx's proximity operator over the phrases of both terms (search.cluster.match)
    ("太忻 NEAR/10 一体化", {}), ("太忻 NEAR/0 一体化", {}), ("开发区 NEAR/5 项目", {}), ("项目 NEAR/0 建设", {}),
    ("项目 NEAR/3 建设", {}), ("经济 NEAR 发展", {}), ("title:太忻 NEAR/3 一体化", {}), ("太原钢铁 NEAR/40 转型", {}),
    ('"太忻 一体化" NEAR/5 开发区', {}), ("2022 NEAR/2 开发区", {}), ("太 NEAR/1 忻", {}), ("陈剑 NEAR/5 太忻", {}),
    ("开发区 NEAR/5 项目 NEAR/5 签约", {}), ("年 NEAR/5 项目", {}), ('"三个一批" NEAR/3 2022', {}),
    ("太 NEAR/10 项目 NEAR/2 太", {}), ("经济 NEAR/3 开发区", {}), ('项目 NEAR/3 “三个一批” NEAR/2 "太忻 一体化"', {}),
]
# The paper and the section (names from an open list), and the kind, in queries and as filters.
PAPER_QUERIES = [
    ("paper:太原日报", {}), ("paper:太原日報", {}), ("", {"filters": {"paper": [" 太原 日报 "]}}),
    ("", {"filters": {"paper": ["太原日报", "城市晚报"]}}), ("paper:新闻日报 OR paper:不存在的报", {}),
    ("section:民生", {}), ("section:要闻 OR section:民生", {}), ("", {"filters": {"section": ["民生"]}}),
    ("", {"filters": {"section": ["文化便民出行再升级"]}}), ("太忻 -paper:忻州日报", {}), ("-section:民生", {}),
    ("(paper:城市晚报 OR topic:经济) 项目", {}), ("", {"filters": {"paper": ["人民日报"]}}),
    ("kind:图片 OR kind:notice", {}), ("kind:公告", {}), ("", {"kinds": ["photo"], "filters": {"paper": ["新闻日报"]}}),
    ("晚报", {}), ("paper:忻州日报", {"sort": "oldest"}), ("", {"filters": {"section": ["民生"]}, "topics": ["城建"]}),
]


@pytest.fixture(scope="module")
def both(seed_cluster, seed_index):
    with Searcher(seed_index) as embedded, Searcher(engine=ClusterEngine(seed_cluster)) as cluster:
        yield embedded, cluster


@pytest.fixture(scope="module")
def fixture_corpus(tmp_path_factory):
    """The layout fixtures and dumps named as papers name them: (dumps, index, cluster)."""
    folder = tmp_path_factory.mktemp("fixtures")
    dumps = folder / "dumps"
    shutil.copytree(LAYOUTS, dumps)
    for name, text in PAPER_DUMPS.items():
        add_dump(dumps, name, text)
    build_index(folder / "index", dumps)
    with running_cluster(folder / "cluster", shards=2) as cluster:
        loading.update(str(dumps), cluster, workers=1)
        yield dumps, str(folder / "index"), cluster


@pytest.fixture(scope="module")
def fixtures_both(fixture_corpus):
    _, index_dir, cluster = fixture_corpus
    with Searcher(index_dir) as embedded, Searcher(engine=ClusterEngine(cluster)) as on_cluster:
        yield embedded, on_cluster


def same_answers(a, b, q, **kwargs):
    """Both engines give the same total, facets, matching ids (all pages) and snippets."""
    x, y = a.search(q, per_page=100, **kwargs), b.search(q, per_page=100, **kwargs)
    assert (y.total, y.facets, y.partial) == (x.total, x.facets, False), (q, kwargs)
    xs, ys = x.hits, y.hits
    if x.total > 100:                   # (more than the first page holds)
        every = {k: v for k, v in kwargs.items() if k != "sort"}
        xs, ys = a.all_hits(q, **every), b.all_hits(q, **every)
    xs, ys = sorted(xs, key=by_id), sorted(ys, key=by_id)
    assert [(h.id, h.snippet) for h in ys] == [(h.id, h.snippet) for h in xs], (q, kwargs)
    return x


def by_id(hit):
    return hit.id


@pytest.mark.parametrize("q, kwargs", QUERIES, ids=[f"{q}|{k}" for q, k in QUERIES])
def test_the_same_matches_totals_and_facets(both, q, kwargs):
    same_answers(*both, q, **kwargs)


@pytest.mark.parametrize("q, kwargs", QUERIES + PAPER_QUERIES, ids=[f"{q}|{k}" for q, k in QUERIES + PAPER_QUERIES])
def test_the_fixture_corpus_the_same(fixtures_both, q, kwargs):
    same_answers(*fixtures_both, q, **kwargs)


def test_the_fixture_corpus_has_papers_sections_kinds_and_undated_articles(fixtures_both):
    """(So that the differential tests above compare them.)"""
    facets = same_answers(*fixtures_both, "").facets
    assert {"太原日报", "忻州日报", "城市晚报", "新闻日报"} <= set(facets["paper"]) and len(facets["section"]) >= 10
    assert set(facets["kind"]) == {"article", "photo", "notice"}
    assert fixtures_both[0].search("", sort="oldest", per_page=100, page=4).hits[-1].date is None


def in_order(searcher, q, sort, **kwargs):
    """Every hit in the engine's order, and page 1 of 100 hits."""
    return [h for h in searcher.all_hits(q, sort=sort, **kwargs)]


@pytest.mark.parametrize("sort", ["date", "oldest"])
@pytest.mark.parametrize("q, kwargs", [("", {}), ("项目", {}), ("太原 OR 项目", {}), ("", {"cities": ["太原"]}),
                                       ("", {"filters": {"paper": ["城市晚报", "新闻日报"]}})])
def test_by_date_the_same_order_and_pages(fixtures_both, q, kwargs, sort):
    """Newest or oldest first (undated last) in both; articles of one day may come in another
    order (the embedded engine breaks those ties by its own score)."""
    embedded, cluster = fixtures_both
    a, b = in_order(embedded, q, sort, **kwargs), in_order(cluster, q, sort, **kwargs)
    assert [h.date for h in b] == [h.date for h in a]
    by_day = lambda hits: {d: sorted(h.id for h in hits if h.date == d) for d in {h.date for h in hits}}
    assert by_day(b) == by_day(a)
    pages = [h.id for page in (1, 2, 3) for h in cluster.search(q, sort=sort, per_page=4, page=page, **kwargs).hits]
    assert pages == [h.id for h in b][:12]
    assert all(h.score is None for h in b)


def test_hidden_articles_are_left_out_of_both_alike(fixture_corpus, tmp_path):
    """Hidden ids: gone from results, totals and every facet count, exports and days."""
    _, index_dir, cluster = fixture_corpus
    hidden = HiddenList(str(tmp_path / "hidden.tsv"))
    embedded = Searcher(index_dir, hidden=hidden)
    on_cluster = Searcher(engine=ClusterEngine(cluster), hidden=hidden)
    try:
        everything = embedded.search("", sort="oldest", per_page=100)
        taken = {h.id: h for h in everything.hits[:2] + [h for h in everything.hits if h.paper == "忻州日报"]}
        before = {h.date: on_cluster.day(h.date).total for h in taken.values()}
        for article_id in taken:
            on_cluster.hide(article_id, "a correction")
        assert hidden.ids() == set(taken) and len(taken) >= 3
        for q, kwargs in [("", {}), ("太忻", {}), ("paper:忻州日报", {}), ("", {"sort": "oldest"})] + PAPER_QUERIES[:8]:
            answer = same_answers(embedded, on_cluster, q, **kwargs)
            assert not {h.id for h in answer.hits} & hidden.ids()
        assert same_answers(embedded, on_cluster, "").total == everything.total - len(taken)
        assert "忻州日报" not in on_cluster.search("").facets["paper"]
        for day in {h.date for h in taken.values()}:
            assert on_cluster.day(day) == embedded.day(day)
            assert on_cluster.day(day).total == before[day] - sum(h.date == day for h in taken.values())
    finally:
        on_cluster.engine.close()
        embedded.engine.close()


@pytest.mark.parametrize("q", ["太新", "taixin", "一体话", "太忻一体化经济区区", "太原市 开法区", "陈俊琦"])
def test_the_same_suggestions(both, q):
    """“Did you mean”, looked up in the shards' dictionaries (search.cluster.dictionary)."""
    embedded, cluster = both
    assert cluster.search(q).suggestions == embedded.search(q).suggestions


def test_no_suggestion_that_needs_the_words_starting_like_a_term(both):
    """A character replaced or added is found by listing the index words that start like
    the term (Engine.words), which Sphinx 2.2 cannot do (the README says so); a homophone
    found through pairs of two articles or more is found anyway."""
    embedded, cluster = both
    asked = ["综改示范园", "老旧小去", "开发去"]
    assert [embedded.search(q).suggestions for q in asked] == [["综改示范区"], ["老旧小区"], ["开发", "开发区", "开发性"]]
    assert [cluster.search(q).suggestions for q in asked] == [[], [], ["开发", "开发区"]]


def test_relevance_order_overlaps(both):
    """IDF is per shard and the rankers differ, so the order by relevance may too; the
    top 10 mostly agree (the README gives the measured overlap)."""
    embedded, cluster = both
    overlaps = []
    for q, kwargs in QUERIES:
        a, b = embedded.search(q, **kwargs), cluster.search(q, **kwargs)
        if a.total > 10 and q:
            overlaps.append(len({h.id for h in a.hits} & {h.id for h in b.hits}) / 10)
    assert len(overlaps) >= 10 and sum(overlaps) / len(overlaps) >= 0.7


def test_articles_dumps_and_days_by_id(fixtures_both):
    embedded, cluster = fixtures_both
    every_id = [hit.id for hit in embedded.all_hits("")]
    assert len(every_id) > 300
    assert [cluster.article(x) for x in every_id[::5]] == [embedded.article(x) for x in every_id[::5]]
    assert [cluster.article(x) for x in ("f7f6be5d04-000000", "../../etc/passwd", "f7f6be5d04-0")] == [None] * 3
    for article in map(embedded.article, every_id[::20]):
        assert cluster.neighbours(article) == embedded.neighbours(article)
    assert cluster.overview()["dumps"] == embedded.overview()["dumps"] > 50
    for day in ("2022-09-05", "2022-09-06", "2022-09-07", "2023-06-01"):
        assert cluster.day(day) == embedded.day(day)
    assert cluster.nearest_days("2030-01-01") == embedded.nearest_days("2030-01-01")


def test_stats(both):
    embedded, cluster = both
    a, b = embedded.stats(), cluster.stats()
    for key in ("articles", "dumps", "kinds", "facets", "dictionary_changed", "hidden"):
        assert b[key] == a[key]
    assert b["index"].endswith("cluster.toml") and b["size_mb"] > 0


def test_a_stopped_shard_gives_a_partial_answer(seed_cluster, both):
    from search.cluster import daemons
    embedded, cluster = both
    full = cluster.search("")
    lost = seed_cluster.shards[1]
    try:
        daemons.stop(seed_cluster, [lost])
        partial = cluster.search("")
        assert (partial.partial, partial.total < full.total) == (True, True)
        held = {h.id for h in cluster.search("", per_page=100).hits}
        assert held == {h.id for h in full_hits(embedded) if sharding.owner(h.source, 3) != 1}
    finally:
        daemons.start(seed_cluster, [lost])
    assert cluster.search("").partial is False


def full_hits(searcher):
    return searcher.search("", per_page=100).hits


# -- updates ----------------------------------------------------------------------------------

@pytest.fixture
def small_cluster(tmp_path):
    with running_cluster(tmp_path / "cluster", shards=2) as cluster:
        yield cluster


def state(searcher):
    """What a search engine holds: every article's id and its stored article."""
    results = searcher.search("", per_page=100)
    return results.total, {h.id: searcher.article(h.id) for h in results.hits}


def clean_build(tmp_path, dumps):
    index_dir = tmp_path / f"clean-{len(os.listdir(tmp_path))}"
    build_index(index_dir, dumps)
    with Searcher(str(index_dir)) as s:
        return state(s)


def test_new_changed_and_removed_dumps(small_cluster, tmp_path):
    dumps = tmp_path / "dumps"
    shutil.copytree(SEEDS, dumps)
    engine = Searcher(engine=ClusterEngine(small_cluster))
    assert loading.update(str(dumps), small_cluster).summary().split(" (")[0] == "5 added, 0 updated, 0 removed"
    assert loading.update(str(dumps), small_cluster).summary().split(" (")[0] == "0 added, 0 updated, 0 removed"
    changed = sorted(dumps.iterdir())[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n新增一段：太忻一体化再出发。\n", encoding="utf-8")
    (dumps / sorted(os.listdir(dumps))[3]).unlink()
    report = loading.update(str(dumps), small_cluster)
    assert (report.added, report.updated, report.removed) == ([], [changed.name], [sorted(os.listdir(SEEDS))[3]])
    assert state(engine) == clean_build(tmp_path, dumps)
    os.utime(changed, ns=(1, 1))                       # a new mtime, the same content: nothing to parse
    assert loading.update(str(dumps), small_cluster).summary().split(" (")[0] == "0 added, 0 updated, 0 removed"
    away = tmp_path / "away"                           # a dumps folder not mounted looks empty
    dumps.rename(away)
    dumps.mkdir()
    with pytest.raises(SearchError, match=r"refusing to remove \d+ of \d+ articles: 4 of 4 dumps are gone"):
        loading.update(str(dumps), small_cluster)
    assert state(engine) == clean_build(tmp_path, away)
    report = loading.update(str(dumps), small_cluster, allow_mass_delete=True)
    assert (len(report.removed), report.articles) == (4, 0)


def test_a_cluster_loaded_by_an_older_version_is_loaded_again_by_an_update(tmp_path):
    """Shards made and loaded before the paper and section columns (row format 1): a search
    says to update; the update adds the attributes they lack and loads every dump again,
    saying so (as a rebuild); then the new columns answer."""
    from search.cluster import documents, layout
    from commands import invoke
    dumps = tmp_path / "dumps"
    for name, text in PAPER_DUMPS.items():
        add_dump(dumps, name, text)
    older = pytest.MonkeyPatch()
    try:
        older.setattr(layout, "BIGINTS", ())
        older.setattr(layout, "STRINGS", ("article",))
        older.setattr(layout, "ATTRIBUTES", layout.MULTI + layout.NUMBERS + ("article",))
        older.setattr(layout, "COLUMNS", ("id",) + layout.FIELDS + layout.MULTI + layout.NUMBERS + ("article",))
        older.setattr(documents, "FORMAT", 1)
        with running_cluster(tmp_path / "cluster", shards=1) as cluster:
            loading.update(str(dumps), cluster, workers=1)
            older.undo()
            r = invoke("search", "--paper", "太原日报", "--cluster", cluster.path)
            assert (r.returncode, r.stderr) == (2, f"error: {cluster.path}: the shards hold rows an older version "
                                                   f"wrote; load them again with `search-index update DUMPS_DIR "
                                                   f"--cluster {cluster.path}`\n")
            r = invoke("search-index", "update", dumps, "--cluster", cluster.path)
            assert r.stdout.split(" (")[0] == "rebuilt from 7 dumps: 0 added, 0 updated, 0 removed"
            with Searcher(engine=ClusterEngine(cluster)) as s:
                assert s.search("", filters={"paper": ["太原日报"]}).total == 4
            again = invoke("search-index", "update", dumps, "--cluster", cluster.path)
            assert again.stdout.split(" (")[0] == "0 added, 0 updated, 0 removed"
    finally:
        older.undo()


class Crash(Exception):
    pass


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["commit", "committed"])
def test_an_update_killed_midway_converges_when_run_again(small_cluster, tmp_path, monkeypatch, moment):
    """A crash before a dump's transaction commits (it is rolled back) or after (the
    rest are not done): the next update ends with exactly the articles of a clean build."""
    dumps = tmp_path / "dumps"
    shutil.copytree(SEEDS, dumps)
    loading.update(str(dumps), small_cluster)
    for path in sorted(dumps.iterdir())[:3]:
        path.write_text(path.read_text(encoding="utf-8").replace("太原", "太原市区"), encoding="utf-8")
    (dumps / sorted(os.listdir(dumps))[4]).unlink()
    seen = []

    def crash(when, source):
        if when == moment:
            seen.append(source)
            if len(seen) == 2:
                raise Crash(source)
    monkeypatch.setattr(loading, "hook", crash)
    with pytest.raises(Crash):
        loading.update(str(dumps), small_cluster, workers=1)
    monkeypatch.setattr(loading, "hook", None)
    engine = Searcher(engine=ClusterEngine(small_cluster))
    halfway = state(engine)
    assert halfway != clean_build(tmp_path, dumps)
    loading.update(str(dumps), small_cluster, workers=1)
    assert state(engine) == clean_build(tmp_path, dumps)


@pytest.mark.slow
def test_a_new_shard_takes_its_dumps_over(tmp_path):
    """From 2 shards to 3: the update moves the dumps the new shard owns, no others."""
    with running_cluster(tmp_path / "cluster", shards=3) as three:
        two = tmp_path / "cluster" / "two.toml"
        text = (tmp_path / "cluster" / "cluster.toml").read_text()
        two.write_text(text[:text.rindex("[[shards]]")])
        from search.cluster import config
        loading.update(str(SEEDS), config.load(two), workers=1)
        shards = loading.Shards(three)
        try:
            before = {s: [k for k, _ in places] for s, places in shards.records().items()}
            assert set(k for ks in before.values() for k in ks) <= {0, 1}
            report = loading.update(str(SEEDS), three, workers=1)
            after = {s: [k for k, _ in places] for s, places in shards.records().items()}
        finally:
            shards.close()
        assert after == {s: [sharding.owner(s, 3)] for s in before}
        moved = sorted(s for s in before if after[s] != before[s])
        assert sorted(report.updated + report.added) == [] and moved == sorted(
            s for s in before if sharding.owner(s, 3) == 2)
        with Searcher(engine=ClusterEngine(three)) as s:
            assert s.search("").total == 35


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=hostile_queries)
def test_any_query_gets_the_same_answer(both, q):
    """The hostile tester's queries (syntax in odd places, fields, unbalanced quotes, any
    text): a valid MATCH() every time, and the embedded engine's totals and facets."""
    embedded, cluster = both
    a, b = embedded.search(q, per_page=100), cluster.search(q, per_page=100)
    assert (b.total, sorted(h.id for h in b.hits), b.facets) == (a.total, sorted(h.id for h in a.hits), a.facets)


@pytest.mark.slow
def test_an_update_process_killed_before_a_commit_converges(small_cluster, tmp_path):
    """SIGKILL in the middle of a dump's transaction (rows written, not committed): searchd
    drops the transaction with the connection; the next update converges."""
    import subprocess
    import sys
    dumps = tmp_path / "dumps"
    shutil.copytree(SEEDS, dumps)
    script = ("import os, signal, sys\n"
              "from search.cluster import config, loading\n"
              "done = []\n"
              "def hook(when, source):\n"
              "    if when == 'commit':\n"
              "        done.append(source)\n"
              "        if len(done) == 3:\n"
              "            os.kill(os.getpid(), signal.SIGKILL)\n"
              "loading.hook = hook\n"
              "loading.update(sys.argv[1], config.load(sys.argv[2]), workers=1)\n")
    killed = subprocess.run([sys.executable, "-c", script, str(dumps), small_cluster.path], capture_output=True)
    assert killed.returncode == -9
    engine = Searcher(engine=ClusterEngine(small_cluster))
    records = loading.Shards(small_cluster)
    try:
        assert len(records.records()) == 2          # two dumps committed, the third rolled back
    finally:
        records.close()
    loading.update(str(dumps), small_cluster, workers=1)
    assert state(engine) == clean_build(tmp_path, dumps)
