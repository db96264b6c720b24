"""`search-cluster`: create, start, stop and check a search cluster on this machine.

    search-cluster init cluster --shards 3 --port 9306
    search-cluster start cluster
    search-index update seeds --cluster cluster/cluster.toml
    search 太忻 --cluster cluster/cluster.toml
    search-cluster stop cluster
"""
import sys

import click

from ..errors import SearchError

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _fail(message):
    from ..cli import fail
    fail(message)


@click.group(context_settings=CONTEXT)
def cluster_cli():
    """Run the archive on a cluster of searchd (Sphinx 2.2 or Manticore) processes."""


@cluster_cli.command("init")
@click.argument("folder")
@click.option("--shards", default=3, show_default=True, type=int, help="Shards (searchd processes with an index each).")
@click.option("--port", default=9306, show_default=True, type=int,
              help="The front's SphinxQL port; the shards take the next 2 per shard. 0: the first free run.")
def init_cmd(folder, shards, port):
    """Write FOLDER/cluster.toml: a front and N shards on 127.0.0.1.

    \b
    Example:
        search-cluster init cluster --shards 3 --port 9306
    Ports: the front's from PORT, then each shard's SphinxQL and native API port (2N+1 in all).
    """
    from . import config
    try:
        cluster = config.init(folder, shards=shards, port=port)
    except SearchError as e:
        _fail(str(e))
    click.echo(f"wrote {cluster.path}: front at {cluster.front.address}, "
               f"{len(cluster.shards)} shard{'s' if len(cluster.shards) != 1 else ''} "
               f"(ports {cluster.front.port}-{cluster.shards[-1].api_port})")
    click.echo(f"next: search-cluster start {folder}")


@cluster_cli.command("start")
@click.argument("folder")
def start_cmd(folder):
    """Start the cluster's searchd processes on this machine (the shards, then the front)."""
    from . import config, daemons
    try:
        cluster = config.load(folder)
        started = daemons.start(cluster, on_start=lambda node: click.echo(f"starting {node.name} at {node.address}…"))
    except SearchError as e:
        _fail(str(e))
    if not started:
        click.echo("already running")
    _print_status(cluster)


@cluster_cli.command("stop")
@click.argument("folder")
def stop_cmd(folder):
    """Stop the cluster's searchd processes on this machine (each saves its index first)."""
    from . import config, daemons
    try:
        cluster = config.load(folder)
        stopped = daemons.stop(cluster)
    except SearchError as e:
        _fail(str(e))
    click.echo(f"stopped {', '.join(n.name for n in stopped)}" if stopped else "nothing was running")


@cluster_cli.command("status")
@click.argument("folder")
def status_cmd(folder):
    """Which nodes answer, and how many documents each shard holds. Exit code 1 if one does not."""
    from . import config
    try:
        cluster = config.load(folder)
    except SearchError as e:
        _fail(str(e))
    sys.exit(0 if _print_status(cluster) else 1)


def _print_status(cluster):
    from . import daemons
    statuses = daemons.status(cluster)
    for s in statuses:
        click.echo(s.line())
    return all(s.answers for s in statuses)


def main():
    cluster_cli(prog_name="search-cluster")
