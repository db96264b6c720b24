"""`--cluster` on search, search-index and search-web: the same output as over an index
folder (results, --show, exports, day and article pages, stats), the hidden list beside the
cluster file (hide, unhide), a partial answer said on stderr and on the page, errors as one
line."""
import csv
import io
import json

import pytest

from search.cluster import daemons, sharding
from web import create_app

from commands import invoke


def search_json(*args, env=None):
    r = invoke("search", *args, "--json", env=env)
    return r.returncode, json.loads(r.stdout) if r.stdout else None, r.stderr


def comparable(answer):
    """A JSON answer with its hits by id (the order and scores by relevance may differ:
    IDF is per shard, and the rankers are not the same)."""
    hits = sorted(answer["hits"], key=lambda h: h["id"])
    return {**answer, "hits": [{k: v for k, v in h.items() if k != "score"} for h in hits],
            "score keys": [list(h) for h in hits]}


def test_search_json_is_the_same_as_over_the_index(seed_cluster, seed_index):
    for args in (["太忻"], ["开发区", "--city", "太原", "--sort", "date"], ["--topic", "经济", "--limit", "100"]):
        code, over_index, _ = search_json(*args, "--index", seed_index)
        code_c, over_cluster, stderr = search_json(*args, "--cluster", seed_cluster.path)
        assert (code_c, comparable(over_cluster), stderr) == (code, comparable(over_index), "")
        assert search_json(*args, env={"NEWS_CLUSTER": seed_cluster.path})[1] == over_cluster
    by_date = ["开发区", "--sort", "date", "--limit", "100"]
    assert [h["date"] for h in search_json(*by_date, "--cluster", seed_cluster.path)[1]["hits"]] == \
        [h["date"] for h in search_json(*by_date, "--index", seed_index)[1]["hits"]]


def test_the_search_page_and_api_over_a_cluster(seed_cluster, seed_index):
    cluster = create_app(test_config={"CLUSTER": seed_cluster.path}).test_client()
    folder = create_app(seed_index).test_client()
    for query in ("/api/search?q=太忻", "/api/search?q=&city=忻州&sort=date"):
        assert comparable(cluster.get(query).get_json()) == comparable(folder.get(query).get_json())
    page = cluster.get("/search?q=太忻")
    assert page.status_code == 200 and "部分索引分片没有响应" not in page.get_data(as_text=True)
    some_id = folder.get("/api/search?q=太忻").get_json()["hits"][0]["id"]
    assert cluster.get(f"/article/{some_id}").status_code == 200
    assert cluster.get("/article/f7f6be5d04-000000").status_code == 404
    health = cluster.get("/healthz").get_json()
    assert (health["status"], health["articles"], health["dumps"]) == ("ok", 35, 5) and health["generation"] > 0


def test_index_stats_over_a_cluster(seed_cluster, seed_index):
    r = invoke("search-index", "stats", "--cluster", seed_cluster.path, "--json")
    figures, over_index = json.loads(r.stdout), json.loads(invoke("search-index", "stats", "--index", seed_index, "--json").stdout)
    assert {k: figures[k] for k in ("articles", "dumps", "kinds", "facets")} == \
        {k: over_index[k] for k in ("articles", "dumps", "kinds", "facets")}
    assert figures["index"] == seed_cluster.path


def test_a_stopped_shard_is_said_on_stderr_in_json_and_on_the_page(seed_cluster):
    lost = seed_cluster.shards[1]
    held = [s for s in ("000_ac6bb446a57d0c7e.txt", "001_a252e5aeaf5db998.txt") if sharding.owner(s, 3) != 1]
    app = create_app(test_config={"CLUSTER": seed_cluster.path}).test_client()
    try:
        daemons.stop(seed_cluster, [lost])
        code, answer, stderr = search_json("", "--cluster", seed_cluster.path, "--limit", "100")
        page = app.get("/search?q=").get_data(as_text=True)
        api = app.get("/api/search?q=").get_json()
    finally:
        daemons.start(seed_cluster, [lost])
    assert (code, answer["partial"], stderr) == (0, True, "warning: part of the archive did not answer (a shard "
                                                          "is down): these results are incomplete\n")
    assert held and {h["source"] for h in answer["hits"]} >= set(held)
    assert all(sharding.owner(h["source"], 3) != 1 for h in answer["hits"])
    assert api["partial"] is True and api["total"] == answer["total"]
    assert "部分索引分片没有响应，以下结果不完整。" in page


def test_cluster_errors_are_one_line(tmp_path, seed_index):
    r = invoke("search", "太忻", "--cluster", tmp_path / "none.toml")
    assert (r.returncode, r.stderr) == (2, f"error: {tmp_path / 'none.toml'}: no cluster file; "
                                           "create one with `search-cluster init DIR`\n")
    r = invoke("search", "太忻", "--cluster", tmp_path / "none.toml", "--index", seed_index)
    assert (r.returncode, r.stderr) == (2, "error: cluster: give --index or --cluster, not both\n")
    from search.cluster import config
    down = config.init(str(tmp_path / "down"), shards=1, port=0)
    r = invoke("search-index", "update", "--cluster", down.path)
    assert (r.returncode, r.stderr) == (2, f"error: shard-0 at {down.shards[0].address} does not answer "
                                           f"(connection refused); start it with `search-cluster start {down.folder}`\n")
    page = create_app(test_config={"CLUSTER": down.path}).test_client().get("/search?q=太忻")
    assert page.status_code == 503 and "front at" in page.get_data(as_text=True)


@pytest.mark.parametrize("command", ["update", "rebuild"])
def test_update_and_rebuild_over_a_cluster(tmp_path, command):
    from builders import copy_seeds
    from clusters import running_cluster
    dumps = copy_seeds(tmp_path / "dumps", prefixes={"000", "002"})
    with running_cluster(tmp_path / "cluster", shards=2) as cluster:
        r = invoke("search-index", command, dumps, "--cluster", cluster.path)
        first = "rebuilt from 2 dumps: 2 added" if command == "rebuild" else "2 added"
        assert (r.returncode, r.stdout.split(", 0 updated")[0]) == (0, first)
        again = invoke("search-index", "update", dumps, "--cluster", cluster.path)
        assert again.stdout.startswith("0 added, 0 updated, 0 removed (11 articles")


def test_stats_say_when_the_data_files_changed(tmp_path, data_dir, monkeypatch):
    """As for an index folder: an update keeps what was parsed, stats say a rebuild is due."""
    from builders import copy_seeds
    from clusters import running_cluster
    dumps = copy_seeds(tmp_path / "dumps", prefixes={"002"})
    env = {"NEWS_DATA_DIR": str(data_dir)}
    with running_cluster(tmp_path / "cluster", shards=1) as cluster:
        invoke("search-index", "update", dumps, "--cluster", cluster.path, env=env)
        stats = lambda: json.loads(invoke("search-index", "stats", "--cluster", cluster.path, "--json", env=env).stdout)
        assert stats()["dictionary_changed"] is False
        with open(data_dir / "userdict.txt", "a", encoding="utf-8") as f:
            f.write("新词语\n")
        assert stats()["dictionary_changed"] is True
        assert invoke("search-index", "update", dumps, "--cluster", cluster.path, env=env).stdout.startswith("0 added, 0 updated")
        assert stats()["dictionary_changed"] is True
        invoke("search-index", "rebuild", dumps, "--cluster", cluster.path, env=env)
        assert stats()["dictionary_changed"] is False


TAIXIN = "f7f6be5d04-ac6655"        # seed 000's first article (太忻 in title and body)


def test_hide_unhide_and_stats_over_a_cluster_keep_the_list_beside_its_file(seed_cluster):
    """The hidden list of a cluster is cluster.hidden.tsv beside cluster.toml; every search,
    export, page and stats over the cluster leaves those articles out, at once."""
    path, web = seed_cluster.path, create_app(test_config={"CLUSTER": seed_cluster.path}).test_client()
    title = "全省开发区2022年第三次“三个一批”活动暨太忻一体化经济区建设推进会举行"
    before = search_json("", "--cluster", path, "--limit", "100")[1]
    taixin = search_json("太忻", "--cluster", path, "--limit", "100")[1]
    r = invoke("search-index", "hide", TAIXIN, "--reason", "court order 17", "--cluster", path)
    try:
        assert (r.returncode, r.stdout, r.stderr) == (0, f"{TAIXIN} ({title}): hidden: court order 17\n", "")
        listed = seed_cluster.folder + "/cluster.hidden.tsv"
        assert open(listed, encoding="utf-8").read().splitlines()[1].split("\t")[::2] == [TAIXIN, "court order 17"]
        after = search_json("", "--cluster", path, "--limit", "100")[1]
        assert after["total"] == before["total"] - 1 and TAIXIN not in [h["id"] for h in after["hits"]]
        assert after["facets"]["city"]["忻州"] == before["facets"]["city"]["忻州"] - 1
        assert [h["id"] for h in search_json("太忻", "--cluster", path, "--limit", "100")[1]["hits"]] == \
            [h["id"] for h in taixin["hits"] if h["id"] != TAIXIN]
        shown = invoke("search", "--show", TAIXIN, "--cluster", path)
        assert (shown.returncode, shown.stderr.split(": hidden since")[0]) == (2, f"error: {TAIXIN}")
        exported = invoke("search", "", "--export", "jsonl", "--cluster", path).stdout.splitlines()
        assert len(exported) == before["total"] - 1 and TAIXIN not in "".join(exported)
        stats = invoke("search-index", "stats", "--cluster", path).stdout.splitlines()
        assert stats[-2] == "hidden      1 article (`search-index unhide ID` shows one again)"
        assert stats[-1].startswith(f"  {TAIXIN}  ") and stats[-1].endswith(f"  court order 17  ({title})")
        assert web.get(f"/article/{TAIXIN}").status_code == 410
        for url in ("/search?q=太忻", "/day/2022-09-05", "/export.csv?q=", "/api/search?q="):
            assert TAIXIN not in web.get(url).get_data(as_text=True), url
    finally:
        r = invoke("search-index", "unhide", TAIXIN, "--cluster", path)
    assert (r.returncode, r.stdout.split(" (hidden since")[0]) == (0, f"{TAIXIN}: shown again")
    assert search_json("", "--cluster", path, "--limit", "100")[1] == before


def test_show_export_and_day_pages_over_a_cluster_are_the_same(seed_cluster, seed_index):
    for args in (["--show", TAIXIN, "太忻"], ["开发区", "--export", "csv", "--sort", "date"],
                 ["", "--export", "jsonl", "--sort", "oldest", "--city", "太原"], ["--show", "f7f6be5d04-000000"]):
        over_index = invoke("search", *args, "--index", seed_index)
        over_cluster = invoke("search", *args, "--cluster", seed_cluster.path)
        assert (over_cluster.returncode, rows(over_cluster.stdout, args), over_cluster.stderr) == \
            (over_index.returncode, rows(over_index.stdout, args), over_index.stderr), args
    cluster = create_app(test_config={"CLUSTER": seed_cluster.path}).test_client()
    folder = create_app(seed_index).test_client()
    for url in ("/day/2022-09-05", "/day/2030-01-01", "/export.csv?q=太忻&sort=oldest", "/api/article/" + TAIXIN):
        a, b = folder.get(url), cluster.get(url)
        assert (b.status_code, rows(b.get_data(as_text=True), url)) == \
            (a.status_code, rows(a.get_data(as_text=True), url)), url


def rows(text, asked):
    """An export as its dates in order and its rows in any order (the engines break ties of
    a day differently); any other output as it is."""
    if "export" not in str(asked):
        return text
    if "csv" in str(asked):
        records = list(csv.reader(io.StringIO(text)))
        return records[0], [r[2] for r in records[1:]], sorted(records[1:])
    records = [json.loads(line) for line in text.splitlines()]
    return [r["date"] for r in records], sorted(records, key=lambda r: r["id"])
