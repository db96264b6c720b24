"""Our engine as bench.run measures it: the library for builds and warm queries, the real
commands (`search`, `search-index update`, `search-web`) as new processes for the rest."""
import os
import shutil
import socket
import subprocess
import sys
from urllib.parse import urlencode

from search import index
from search.formatting import hit_json
from search.searching import Searcher


def _command(name):
    """A console script of this installation (next to the running Python)."""
    here = os.path.dirname(sys.executable)
    return shutil.which(name, path=here + os.pathsep + os.environ.get("PATH", "")) or name


def build(dumps_dir, index_dir):
    shutil.rmtree(index_dir, ignore_errors=True)
    index.update(dumps_dir, index_dir)


def open(index_dir):
    """A warm searcher; search(query dict) → the same shape as the baselines answer."""
    return searching(Searcher(index_dir))


def searching(searcher):
    """search(query dict) → the same shape as the baselines answer, from a Searcher (of
    an index folder or of a cluster: bench.cluster)."""
    def search(q):
        r = searcher.search(q["q"], cities=[q["city"]] if q["city"] else [],
                            topics=[q["topic"]] if q["topic"] else [], date_from=q["from"], date_to=q["to"])
        return {"total": r.total, "hits": [hit_json(h) for h in r.hits],
                "facets": {k: r.facets[k] for k in ("city", "topic", "year")}}
    return search


def search_argv(index_dir, text):
    return [_command("search"), text, "--index", index_dir]


def cluster_search_argv(cluster_file, text):
    return [_command("search"), text, "--cluster", cluster_file]


def update_argv(dumps_dir, index_dir):
    return [_command("search-index"), "update", dumps_dir, "--index", index_dir]


def serve(index_dir):
    """`search-web` on a free loopback port; (process, base URL)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    popen = subprocess.Popen([_command("search-web"), "--port", str(port), "--index", index_dir],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return popen, f"http://127.0.0.1:{port}/"


def search_url(base_url, q):
    params = [("q", q["q"])] + [(k, q[k]) for k in ("city", "topic", "from", "to") if q[k]]
    return base_url + "search?" + urlencode(params)
