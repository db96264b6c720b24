"""The archive on a cluster of searchd processes (Sphinx 2.2 here, Manticore in production).

config (cluster.toml) → daemons (searchd processes on this machine) ; sharding (which shard
holds a dump, Sphinx ids) ; layout (a shard's index) ; tokens (our terms as ASCII tokens) ;
connection (SphinxQL through pymysql, imported only here) ; documents (articles and dump
records as rows) → loading (`search-index update --cluster`) ; match (a query tree as MATCH())
and facets (counts as GROUP BY) → engine (search.engine's interface: `search … --cluster`,
`search-web --cluster`). The articles taken down are listed beside the cluster file
(cluster.hidden.tsv: search.hidden).
"""


def open_searcher(cluster_file):
    """A Searcher over the cluster of this cluster file (or folder), with its hidden list."""
    from ..hidden import HiddenList
    from ..searching import Searcher
    from .config import load
    from .engine import ClusterEngine
    cluster = load(cluster_file)
    return Searcher(cluster.path, engine=ClusterEngine(cluster), hidden=HiddenList(cluster.hidden_list))


def update(dumps_dir, cluster_file, **options):
    """Bring the cluster of this cluster file in line with a dumps folder (search.cluster.loading)."""
    from .config import load
    from .loading import update as load_dumps
    return load_dumps(dumps_dir, load(cluster_file), **options)
