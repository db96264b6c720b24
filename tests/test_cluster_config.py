"""search-cluster init|start|stop|status and cluster.toml: ports, errors, processes."""
import pytest
from click.testing import CliRunner

from search.cluster import config, daemons, sharding
from search.cluster.cli import cluster_cli
from search.errors import SearchError
from search.ingest import parse_text

from clusters import require_searchd, running_cluster


def run(*args, env=None):
    result = CliRunner(env=env).invoke(cluster_cli, [str(a) for a in args], prog_name="search-cluster")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_init_writes_a_front_and_shards_on_consecutive_ports(tmp_path):
    result = run("init", tmp_path / "c", "--shards", 2, "--port", 9400)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (f"wrote {tmp_path / 'c' / 'cluster.toml'}: front at 127.0.0.1:9400, "
                                             "2 shards (ports 9400-9404)")
    cluster = config.load(tmp_path / "c")
    assert [(n.name, n.host, n.port, n.api_port) for n in cluster.nodes] == [
        ("front", "127.0.0.1", 9400, None), ("shard-0", "127.0.0.1", 9401, 9402), ("shard-1", "127.0.0.1", 9403, 9404)]
    assert cluster.data_dir == str(tmp_path / "c" / "nodes")


def test_init_refuses_to_overwrite_and_bad_numbers(tmp_path):
    run("init", tmp_path, "--port", 9400)
    again = run("init", tmp_path, "--port", 9500)
    assert (again.exit_code, again.stderr) == (2, f"error: {tmp_path / 'cluster.toml'}: already exists; "
                                                  "edit it, or choose another folder\n")
    assert run("init", tmp_path / "x", "--shards", 0).stderr == "error: shards: must be between 1 and 64, not 0\n"
    assert run("init", tmp_path / "y", "--port", 65530).stderr == "error: port: must be between 1 and 65528, not 65530\n"


@pytest.mark.parametrize("text, message", [
    ("[front]\nhost = '127.0.0.1'\nport = 9306\n", "[[shards]]: the cluster needs at least one shard"),
    ("[[shards]]\nhost = 'a'\nport = 1\napi_port = 2\n", "front: missing (a table with host and port)"),
    ("[front]\nhost = 'a'\nport = 'x'\n[[shards]]\nhost = 'a'\nport = 1\napi_port = 2\n",
     "front.port: must be a port number (1-65535), not 'x'"),
    ("[front]\nhost = 'a'\nport = 1\n[[shards]]\nhost = 'a'\nport = 2\n",
     "shards[0].api_port: must be a port number (1-65535), not None"),
    ("[front\n", "not a valid cluster file (Expected ']' at the end of a table declaration (at line 1, column 7))"),
])
def test_a_bad_cluster_file_is_one_error_naming_file_and_key(tmp_path, text, message):
    path = tmp_path / "cluster.toml"
    path.write_text(text)
    with pytest.raises(SearchError) as e:
        config.load(path)
    assert str(e.value) == f"{path}: {message}"


def test_no_cluster_file(tmp_path):
    with pytest.raises(SearchError) as e:
        config.load(tmp_path)
    assert str(e.value) == f"{tmp_path / 'cluster.toml'}: no cluster file; create one with `search-cluster init DIR`"


def test_a_missing_searchd_names_the_package(tmp_path, monkeypatch):
    run("init", tmp_path, "--port", 9400)
    monkeypatch.setenv("NEWS_SEARCHD", "no-such-searchd")
    result = run("start", tmp_path)
    assert (result.exit_code, result.stderr) == (2, "error: searchd not found: install the sphinxsearch package "
                                                    "(apt-get install sphinxsearch), or Manticore Search, whose "
                                                    "searchd speaks the same SphinxQL\n")


def test_status_of_a_stopped_cluster(tmp_path):
    cluster = config.init(str(tmp_path), shards=1, port=0)
    result = run("status", tmp_path)
    f, s = cluster.front, cluster.shards[0]
    assert (result.exit_code, result.stdout) == (1, f"front     {f.address:<21} down (connection refused)\n"
                                                    f"shard-0   {s.address:<21} down (connection refused)\n")


def test_start_status_stop(tmp_path):
    require_searchd()
    cluster = config.init(str(tmp_path), shards=2, port=0)
    try:
        started = run("start", tmp_path)
        assert started.exit_code == 0
        assert started.stdout.splitlines()[:3] == [f"starting {n.name} at {n.address}…" for n in
                                                   (*cluster.shards, cluster.front)]
        status = run("status", tmp_path)
        assert status.exit_code == 0
        assert [line.split()[:3] for line in status.stdout.splitlines()] == [
            [n.name, n.address, "up"] for n in cluster.nodes]
        assert status.stdout.count(", 0 documents") == 2
        assert run("start", tmp_path).stdout.splitlines()[0] == "already running"
        pids = [daemons.pid_of(cluster, n) for n in cluster.nodes]
    finally:
        stopped = run("stop", tmp_path)
    assert stopped.stdout == "stopped front, shard-0, shard-1\n"
    assert [daemons.pid_of(cluster, n) for n in cluster.nodes] == [None] * 3
    assert not any(daemons.running(pid) for pid in pids)
    assert run("stop", tmp_path).stdout == "nothing was running\n"


def test_a_taken_port_is_one_line(tmp_path):
    import socket
    require_searchd()
    cluster = config.init(str(tmp_path), shards=1, port=0)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", cluster.shards[0].port))
        taken.listen()
        try:
            result = run("start", tmp_path)
        finally:
            daemons.stop(cluster)
    assert (result.exit_code, result.stderr) == (2, f"error: shard-0: port {cluster.shards[0].address} is in use by "
                                                    f"another program; choose other ports in {cluster.path}\n")


def test_dumps_spread_over_shards_and_adding_a_shard_moves_few():
    sources = [f"paper-{k:05d}.txt" for k in range(3000)]
    three = [sharding.owner(s, 3) for s in sources]
    four = [sharding.owner(s, 4) for s in sources]
    assert [three.count(k) for k in range(3)] == pytest.approx([1000] * 3, rel=0.1)
    moved = [(a, b) for a, b in zip(three, four) if a != b]
    assert all(b == 3 for _, b in moved)                 # only onto the new shard
    assert len(moved) == pytest.approx(750, rel=0.15)    # a quarter


def test_sphinx_ids_of_articles_and_records():
    article = parse_text("甲地运动会开幕\n\n本报讯 甲地举办秋季运动会。\n", "000_ac6bb446a57d0c7e.txt")[0]
    assert article.id.startswith("f7f6be5d04-")
    assert sharding.doc_id(article) == (0xf7f6be5d04 << 20) | 1
    assert sharding.dump_range_of(article.id) == sharding.id_range("000_ac6bb446a57d0c7e.txt")
    assert sharding.dump_range_of(article.id + "-2") == sharding.id_range("000_ac6bb446a57d0c7e.txt")
    assert [sharding.dump_range_of(x) for x in ("../../etc", "f7f6be5d04-0", "f7f6be5d04-x", "F7F6BE5D04-3A9C1E")] == \
        [None, None, None, None]
    low, high = sharding.id_range("000_ac6bb446a57d0c7e.txt")
    assert (high - low, low >> 20) == ((1 << 20) - 1, sharding.dump_key("000_ac6bb446a57d0c7e.txt"))


def test_every_column_of_the_schema_has_its_attributes_on_the_shards():
    """A new column in search.schema needs its attributes here (and a new row FORMAT)."""
    from search import schema
    from search.cluster import layout
    needed = {c.name if c.name in layout.MULTI else c.stored for c in schema.COLUMNS}
    needed |= {c.names_field for c in schema.COLUMNS if c.names_field} | {"month", layout.ARTICLE_KEY}
    assert needed <= set(layout.ATTRIBUTES) and len(layout.ATTRIBUTES) == len(set(layout.ATTRIBUTES))
    assert layout.missing_attributes([(name, "field") for name in layout.FIELDS]) == [
        f"ALTER TABLE {{index}} ADD COLUMN {a} {layout.TYPES[a]}" for a in layout.ATTRIBUTES]
    assert layout.missing_attributes([("title_g", "field")]) is None          # fields cannot be added


def test_hidden_articles_are_left_out_by_a_key_of_their_id():
    from search.cluster.engine import _hidden
    keys = sorted(sharding.article_key(i) for i in ("f7f6be5d04-ac6655", "f7f6be5d04-79262b"))
    assert all(0 < k < 2 ** 62 for k in keys) and sharding.article_key("f7f6be5d04-ac6655-2") not in keys
    assert _hidden(frozenset({"f7f6be5d04-79262b", "f7f6be5d04-ac6655"})) == [
        f"article_key NOT IN ({keys[0]}, {keys[1]})"]
    assert _hidden(frozenset()) == []
