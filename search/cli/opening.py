"""Which index or cluster a command works on, opened for searching or brought up to date
(the index folder built on first use where that is allowed)."""
import click

from .. import config
from ..errors import SearchError
from ..formatting import printable
from .reporting import Progress, report_update


def target(index_dir, cluster_file):
    """The cluster file to use, or None for the index folder: --cluster or --index as
    given, else env NEWS_CLUSTER, else the index folder (env NEWS_INDEX_DIR or ./index)."""
    if index_dir and cluster_file:
        raise SearchError("cluster: give --index or --cluster, not both", parameter="cluster")
    return None if index_dir else cluster_file or config.cluster_file()


def open_searcher(index_dir, cluster_file, build=False, named=False):
    """A Searcher of the cluster, or of the index folder; with `build`, an index folder
    that is missing is built first from the dumps folder (first use, see run_update),
    unless it was `named` by --index: then it is an error naming it."""
    from ..searching import Searcher
    if cluster_file:
        from ..cluster import open_searcher as open_cluster
        return open_cluster(cluster_file)
    if build:
        from ..store import exists
        if not exists(index_dir):           # only then load the write side, to build one
            built = run_update(config.dumps_dir(), index_dir, first_use=True, named=named)
            if built:                       # (None: another process built it meanwhile)
                report_update(built, err=True)
    return Searcher(index_dir)


def run_update(dumps_dir, index_dir, rebuild=False, wait=True, first_use=False, named=False, cluster_file=None,
               allow_mass_delete=False):
    """Update (or build) the index, or the cluster of `cluster_file`, with a progress bar;
    returns the report. With `first_use`, only build an index that is missing
    (search.index.build_if_missing: not one `named` by --index), saying so; None if there
    was one."""
    from .. import index
    progress = Progress("parsing and indexing dumps")
    options = dict(progress=progress, on_wait=lambda holder: click.echo(printable(
        f"another update of {cluster_file or index_dir} is running ({holder}); waiting for it…"), err=True))
    try:
        if cluster_file:
            from .. import cluster
            return cluster.update(dumps_dir, cluster_file, rebuild=rebuild, wait=wait,
                                  allow_mass_delete=allow_mass_delete, **options)
        if first_use:
            return index.build_if_missing(index_dir, dumps_dir, lambda message: click.echo(printable(message), err=True),
                                          named=named, **options)
        return index.update(dumps_dir, index_dir, rebuild=rebuild, wait=wait, allow_mass_delete=allow_mass_delete,
                            **options)
    finally:
        progress.close()
