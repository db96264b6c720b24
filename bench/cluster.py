"""The cluster engine as bench.run measures it, with 1 and with 3 shards.

A cluster is made in the work folder (search-cluster init on free loopback ports) and
started, loaded from the dumps as `search-index update --cluster` does (parsing included,
as for ours), queried warm through its front with the same mix and the same Searcher, and
cold (`search 太忻 --cluster` as a new process), then stopped and removed (whatever
happened). Skipped, saying why, where searchd is missing.
"""
import os
import shutil
import time

from search.cluster import config, daemons, loading
from search.cluster.engine import ClusterEngine
from search.searching import Searcher

from . import ours

SHARDS = (1, 3)


def missing():
    """Why the cluster cannot be measured here, or None."""
    return None if shutil.which("searchd") else "searchd is not installed (apt-get install sphinxsearch)"


def measure(out, articles, mix, rounds, shards, latency, cold_start):
    """{"index": build figures, "query": latency figures, "cold_start": a new `search`
    process's time} of a cluster of `shards` shards."""
    dumps, folder = os.path.join(out, "dumps"), os.path.join(out, f"cluster-{shards}")
    shutil.rmtree(folder, ignore_errors=True)
    cluster = config.init(folder, shards=shards, port=0)
    try:
        daemons.start(cluster)
        print(f"cluster-{shards}: indexing…", flush=True)
        text = sum(len(((a["title"] or "") + a["body"]).encode("utf-8")) for a in articles)
        started = time.perf_counter()
        report = loading.update(dumps, cluster)
        seconds = time.perf_counter() - started
        with Searcher(cluster.path, engine=ClusterEngine(cluster)) as searcher:
            size = searcher.engine.status().size_bytes
            print(f"cluster-{shards}: querying…", flush=True)
            query = latency(ours.searching(searcher), mix, rounds)
        cold = cold_start(ours.cluster_search_argv(cluster.path, "太忻"))
        return {"index": {"seconds": round(seconds, 2), "articles_per_s": round(len(articles) / seconds, 1),
                          "mb_per_s": round(text / 2**20 / seconds, 3), "index_mb": round(size / 2**20, 1),
                          "articles": report.articles},
                "query": query, "cold_start": cold, "shards": shards}
    finally:
        daemons.stop(cluster)
        shutil.rmtree(folder, ignore_errors=True)
