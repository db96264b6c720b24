"""The archive on a cluster of searchd processes (Sphinx 2.2 here, Manticore in production).

config (cluster.toml) → daemons (searchd processes on this machine) ; sharding (which shard
holds a dump, Sphinx ids) ; layout (a shard's index) ; tokens (our terms as ASCII tokens) ;
connection (SphinxQL through pymysql, imported only here) ; documents (articles and dump
records as rows) → loading (`search-index update --cluster`) ; match (a query tree as MATCH())
→ engine (search.engine's interface: `search … --cluster`, `search-web --cluster`).
"""


def open_searcher(cluster_file):
    """A Searcher over the cluster of this cluster file (or folder)."""
    from ..searching import Searcher
    from .config import load
    from .engine import ClusterEngine
    cluster = load(cluster_file)
    return Searcher(cluster.path, engine=ClusterEngine(cluster))


def update(dumps_dir, cluster_file, **options):
    """Bring the cluster of this cluster file in line with a dumps folder (search.cluster.loading)."""
    from .config import load
    from .loading import update as load_dumps
    return load_dumps(dumps_dir, load(cluster_file), **options)
