"""`--cluster` on search, search-index and search-web: the same output as over an index
folder, a partial answer said on stderr and on the page, errors as one line."""
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
