"""Running the cluster's searchd processes on this machine: start, stop, status.

Each local node (search.cluster.config) gets a folder `<data_dir>/<node>/` with the
searchd.conf written from the cluster file at every start (so the file stays the one place
to edit), its index files, binlog, logs and pid file. searchd daemonizes itself; it is
stopped with `searchd --stopwait`, which waits until it has saved its indexes.

The front's distributed index has one agent per shard at the shard's native API port: a
SphinxQL port there gives "handshake failure". A shard that does not answer within
AGENT_QUERY_MS leaves the others' results, marked partial (search.cluster.engine).
"""
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from typing import Optional

from ..errors import SearchError
from . import layout
from .config import FRONT_INDEX, SHARD_INDEX, port_free
from .connection import NodeDown, connect, rows

SEARCHD = "searchd"
AGENT_CONNECT_MS = 500
AGENT_QUERY_MS = 10000
START_SECONDS = 30             # how long a new searchd may take to answer
STOP_SECONDS = 60              # … and to save its indexes and exit


def searchd():
    """The searchd program; a SearchError naming the package when it is missing."""
    path = shutil.which(os.environ.get("NEWS_SEARCHD", SEARCHD))
    if not path:
        raise SearchError("searchd not found: install the sphinxsearch package (apt-get install sphinxsearch), "
                          "or Manticore Search, whose searchd speaks the same SphinxQL")
    return path


def conf_path(cluster, node):
    return os.path.join(cluster.node_dir(node), "searchd.conf")


def conf_text(cluster, node):
    """searchd.conf of a node: the front's distributed index, or a shard's real-time index."""
    folder = cluster.node_dir(node)
    if node is cluster.front:
        index = [f"index {FRONT_INDEX}", "{", "    type = distributed"]
        index += [f"    agent = {s.host}:{s.api_port}:{SHARD_INDEX}" for s in cluster.shards]
        index += [f"    agent_connect_timeout = {AGENT_CONNECT_MS}", f"    agent_query_timeout = {AGENT_QUERY_MS}", "}"]
        index = "\n".join(index)
        listen = [f"{node.host}:{node.port}:mysql41"]
    else:
        index = layout.index_section(SHARD_INDEX, os.path.join(folder, "data", SHARD_INDEX))
        listen = [f"{node.host}:{node.port}:mysql41", f"{node.host}:{node.api_port}"]
    searchd_section = ["searchd", "{"]
    searchd_section += [f"    listen = {address}" for address in listen]
    searchd_section += [
        f"    log = {os.path.join(folder, 'searchd.log')}",
        f"    query_log = {os.path.join(folder, 'query.log')}",
        f"    pid_file = {os.path.join(folder, 'searchd.pid')}",
        f"    binlog_path = {os.path.join(folder, 'binlog') if node is not cluster.front else ''}",
        "    workers = threads",
        "    max_packet_size = 128M          # a whole dump is inserted in one transaction",
        "    seamless_rotate = 1",
        "}",
    ]
    return f"# written by search-cluster start from {cluster.path}; edit that file instead\n\n{index}\n\n" \
           + "\n".join(searchd_section) + "\n"


def write_conf(cluster, node):
    folder = cluster.node_dir(node)
    for sub in ("data", "binlog"):
        os.makedirs(os.path.join(folder, sub), exist_ok=True)
    path = conf_path(cluster, node)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(conf_text(cluster, node))
    os.replace(path + ".tmp", path)
    return path


# -- processes --------------------------------------------------------------------------------

@dataclass
class NodeStatus:
    node: object
    pid: Optional[int]           # of a local searchd that runs, else None
    answers: bool
    documents: Optional[int]     # articles and records of a shard (None: front, or no answer)
    problem: str = ""

    def line(self):
        where = f"{self.node.name:<9} {self.node.address:<21}"
        if not self.answers:
            return f"{where} down" + (f" ({self.problem})" if self.problem else "")
        pid = f" pid {self.pid}" if self.pid else ""
        docs = f", {self.documents} documents" if self.documents is not None else ""
        return f"{where} up{pid}{docs}"


def pid_of(cluster, node):
    """The pid of a local node's searchd if it runs, else None."""
    try:
        with open(os.path.join(cluster.node_dir(node), "searchd.pid")) as f:
            pid = int(f.read().strip() or 0)
    except (OSError, ValueError):
        return None
    return pid if pid > 0 and running(pid) else None


def running(pid):
    """Does this process run (not gone, and not a zombie waiting to be reaped)?"""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def start(cluster, nodes=None, on_start=None):
    """Start the local nodes that do not run (shards first, then the front), and wait
    until each answers; returns the nodes started."""
    program = searchd()
    started = []
    for node in nodes or [*cluster.shards, cluster.front]:
        if not node.local:
            continue
        if pid_of(cluster, node):
            continue
        taken = [p for p in (node.port, node.api_port) if p and not port_free(node.host, p)]
        if taken:
            raise SearchError(f"{node.name}: port {node.host}:{taken[0]} is in use by another program; "
                              f"choose other ports in {cluster.path}")
        path = write_conf(cluster, node)
        if on_start:
            on_start(node)
        done = subprocess.run([program, "--config", path], capture_output=True, text=True, errors="replace")
        if done.returncode != 0:
            raise SearchError(f"{node.name}: searchd did not start: {_last_error(done.stdout + done.stderr, cluster, node)}")
        _wait_until_answering(cluster, node)
        started.append(node)
    return started


def _wait_until_answering(cluster, node):
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            connect(node, timeout=1.0).close()
            return
        except NodeDown as e:
            if pid_of(cluster, node) is None or time.monotonic() > deadline:
                raise SearchError(f"{node.name}: searchd did not start: {_last_error('', cluster, node) or e}") from None
        time.sleep(0.1)


def _last_error(output, cluster, node):
    """The FATAL or ERROR line of searchd's output or log that says why it stopped."""
    lines = output.splitlines()
    try:
        with open(os.path.join(cluster.node_dir(node), "searchd.log"), encoding="utf-8", errors="replace") as f:
            lines += f.read().splitlines()[-20:]
    except OSError:
        pass
    for line in reversed(lines):
        if "FATAL" in line or "ERROR" in line:
            return line.split("FATAL:", 1)[-1].split("ERROR:", 1)[-1].strip()
    return lines[-1].strip() if lines else "no reason given"


def stop(cluster, nodes=None):
    """Stop the local nodes that run (the front first), each waiting until its searchd has
    saved its indexes and exited; returns the nodes stopped."""
    stopped = []
    for node in nodes or [cluster.front, *cluster.shards]:
        pid = pid_of(cluster, node) if node.local else None
        if pid is None:
            continue
        try:
            subprocess.run([searchd(), "--config", conf_path(cluster, node), "--stopwait"],
                           capture_output=True, text=True, timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        _wait_gone(pid)
        stopped.append(node)
    return stopped


def _wait_gone(pid):
    """Until the process has exited (--stopwait returns while it ends); killed if it hangs."""
    deadline = time.monotonic() + STOP_SECONDS
    while running(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline = float("inf")
        time.sleep(0.02)


def status(cluster):
    """A NodeStatus per node, front first."""
    out = []
    for node in cluster.nodes:
        pid = pid_of(cluster, node) if node.local else None
        try:
            conn = connect(node, timeout=1.0)
        except NodeDown as e:
            out.append(NodeStatus(node, pid, False, None, e.reason))
            continue
        try:
            documents = None
            if node is not cluster.front:
                documents = int(rows(conn, node, f"SELECT COUNT(*) FROM {SHARD_INDEX}")[0][0])
            out.append(NodeStatus(node, pid, True, documents))
        except SearchError as e:
            out.append(NodeStatus(node, pid, True, None, str(e)))
        finally:
            conn.close()
    return out
