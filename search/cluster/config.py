"""The cluster file (cluster.toml): where the front and the shards of a cluster listen.

    front  = a searchd with one `type = distributed` index; searches go to its SphinxQL port
    shards = searchd processes with one real-time index each; each gets the articles of the
             dumps it owns (search.cluster.sharding) through its own SphinxQL port, and the
             front's agents read it through its native API port

`search-cluster init DIR` writes a cluster of N shards on 127.0.0.1 with consecutive
ports (the front's, then each shard's SphinxQL and API port: 2N+1 ports). For production,
edit the hosts and ports: every command reads only this file. Paths in it are relative to
the file's folder.
"""
import os
import random
import socket
import sys
from dataclasses import dataclass
from typing import List, Optional

from ..errors import SearchError

FILE_NAME = "cluster.toml"
SHARD_INDEX = "articles"       # the real-time index on every shard
FRONT_INDEX = "archive"        # the distributed index on the front
DEFAULT_PORT = 9306
MAX_SHARDS = 64


@dataclass(frozen=True)
class Node:
    name: str                  # front, shard-0, shard-1, …
    host: str
    port: int                  # SphinxQL (mysql41 protocol)
    api_port: Optional[int]    # native API (shards only: the front's agents use it)

    @property
    def address(self):
        return f"{self.host}:{self.port}"

    @property
    def local(self):
        """Runs on this machine, so `search-cluster start` can start it."""
        return self.host in ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Cluster:
    path: str                  # the cluster file
    front: Node
    shards: List[Node]
    data_dir: str              # where local nodes keep their files, one folder per node

    @property
    def nodes(self):
        return [self.front, *self.shards]

    @property
    def folder(self):
        return os.path.dirname(os.path.abspath(self.path))

    @property
    def hidden_list(self):
        """The articles taken down (search.hidden), beside the cluster file: cluster.hidden.tsv.
        Searches read it where they run: every machine serving searches needs the same file."""
        return os.path.splitext(os.path.abspath(self.path))[0] + ".hidden.tsv"

    def node_dir(self, node):
        return os.path.join(self.data_dir, node.name)


def cluster_file(location):
    """A cluster file, or the cluster.toml of a folder."""
    return os.path.join(location, FILE_NAME) if os.path.isdir(location) else location


def load(location):
    """The Cluster of a cluster file (or of the cluster.toml in a folder); a SearchError
    naming the file and the key for anything missing or wrong."""
    path = cluster_file(location)
    try:
        with open(path, "rb") as f:
            raw = _toml().load(f)
    except FileNotFoundError:
        raise SearchError(f"{path}: no cluster file; create one with `search-cluster init DIR`") from None
    except OSError as e:
        raise SearchError(f"{path}: {e.strerror or e}") from None
    except ValueError as e:          # tomllib.TOMLDecodeError
        raise SearchError(f"{path}: not a valid cluster file ({e})") from None
    front = _node(path, raw.get("front"), "front", "front", api=False)
    shards = raw.get("shards")
    if not isinstance(shards, list) or not shards:
        raise SearchError(f"{path}: [[shards]]: the cluster needs at least one shard")
    nodes = [_node(path, s, f"shards[{k}]", f"shard-{k}", api=True) for k, s in enumerate(shards)]
    data_dir = raw.get("data_dir", "nodes")
    if not isinstance(data_dir, str) or not data_dir:
        raise SearchError(f"{path}: data_dir: must be a folder name")
    folder = os.path.dirname(os.path.abspath(path))
    return Cluster(path, front, nodes, os.path.join(folder, data_dir))


def _node(path, raw, key, name, api):
    if not isinstance(raw, dict):
        raise SearchError(f"{path}: {key}: missing (a table with host and port)")
    host = raw.get("host")
    if not isinstance(host, str) or not host.strip():
        raise SearchError(f"{path}: {key}.host: must be a host name or address")
    ports = ("port", "api_port") if api else ("port",)
    values = []
    for port_key in ports:
        value = raw.get(port_key)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
            raise SearchError(f"{path}: {key}.{port_key}: must be a port number (1-65535), not {value!r}")
        values.append(value)
    return Node(name, host.strip(), values[0], values[1] if api else None)


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib
        return tomllib
    import tomli
    return tomli


# -- a new cluster ---------------------------------------------------------------------------

def init(folder, shards=3, port=DEFAULT_PORT, host="127.0.0.1"):
    """Write `folder`/cluster.toml for a front and `shards` shards on `host`, ports from
    `port` on (port 0: the first run of 2N+1 free ports); returns the Cluster. An existing
    cluster file is never overwritten."""
    if not 1 <= shards <= MAX_SHARDS:
        raise SearchError(f"shards: must be between 1 and {MAX_SHARDS}, not {shards}")
    count = 2 * shards + 1
    if port == 0:
        port = free_ports(count, host, start=random.randrange(20000, 50000))
    elif not 1 <= port <= 65535 - count:
        raise SearchError(f"port: must be between 1 and {65535 - count}, not {port}")
    path = os.path.join(folder, FILE_NAME)
    if os.path.exists(path):
        raise SearchError(f"{path}: already exists; edit it, or choose another folder")
    os.makedirs(folder, exist_ok=True)
    lines = [
        "# A search cluster: a front (a distributed index) and shards (real-time indexes), each a",
        "# searchd of Sphinx 2.2 or Manticore. Written by `search-cluster init`; for production, point",
        "# the hosts and ports at your servers. Ports: `port` speaks SphinxQL (the mysql41 protocol);",
        "# a shard's `api_port` is its native API, which the front's agents use.",
        'data_dir = "nodes"          # local nodes keep their files here (relative to this file)',
        "",
        "[front]",
        f'host = "{host}"',
        f"port = {port}",
    ]
    for k in range(shards):
        lines += ["", "[[shards]]", f'host = "{host}"', f"port = {port + 1 + 2 * k}",
                  f"api_port = {port + 2 + 2 * k}"]
    with open(path, "x", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return load(path)


def free_ports(count, host="127.0.0.1", start=20000, stop=60000):
    """The first port of a run of `count` consecutive ports free on `host`."""
    port = start
    while port + count < stop:
        taken = next((p for p in range(port, port + count) if not port_free(host, p)), None)
        if taken is None:
            return port
        port = taken + 1
    raise SearchError(f"port: no {count} consecutive free ports on {host}")


def port_free(host, port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)     # as a server binds: TIME_WAIT is free
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True
