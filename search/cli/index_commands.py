"""`search-index`: parse dumps, update or rebuild the index (or a cluster), its figures,
and hiding articles."""
import sys
import time

import click

from .. import config
from ..errors import SearchError, from_os_error
from ..formatting import one_line, printable, stats_lines, terminal_json
from .opening import open_searcher, run_update, target
from .reporting import CONTEXT, Group, report_update, reported, write_lines


@click.group(cls=Group, context_settings=CONTEXT)
def index_cli():
    """Build and maintain the search index of newspaper dumps."""


index_option = click.option("--index", "index_dir", default=None,
                            help="Index folder [env NEWS_INDEX_DIR, default ./index].")
cluster_option = click.option("--cluster", "cluster_file", default=None, metavar="FILE",
                              help="A cluster (its cluster.toml: see search-cluster) instead [env NEWS_CLUSTER].")
dumps_argument = click.argument("dumps_dir", required=False)


@index_cli.command("parse")
@click.argument("files", nargs=-1, required=True)
@click.option("--explain", is_flag=True, help="Say why each item starts where it does, as plain text.")
def parse_cmd(files, explain):
    """Print the items of dump FILES as JSON Lines, in dump order.

    \b
    Example:
        search-index parse seeds/000_ac6bb446a57d0c7e.txt | head -1
        search-index parse --explain seeds/001_a252e5aeaf5db998.txt
    A file that cannot be read gets one line on stderr; the exit code is 1 if any was.
    """
    from ..ingest import explain_file, parse_file
    failed = 0
    for path in files:
        try:
            if explain:
                lines = [printable(line) for line in explain_file(path, root=config.source_root(path)).lines()]
            else:
                lines = [terminal_json(a.to_dict()) for a in parse_file(path, root=config.source_root(path))]
        except (SearchError, OSError) as e:
            problem = from_os_error(e, path) if isinstance(e, OSError) else e
            click.echo(f"skipped {printable(problem)}", err=True)
            failed += 1
            continue
        write_lines(line + "\n" for line in lines)
    sys.exit(1 if failed else 0)


mass_delete_option = click.option("--allow-mass-delete", is_flag=True,
                                  help="Remove the articles of dumps that are gone even if that is more than half "
                                       "of the index (refused otherwise: a dumps folder not mounted looks empty).")


@index_cli.command("update")
@dumps_argument
@index_option
@click.option("--watch", is_flag=True, help="Keep polling the dumps folder and take new dumps in.")
@click.option("--interval", default=10.0, show_default=True, type=click.FloatRange(0.1), help="Seconds between polls.")
@click.option("--no-wait", is_flag=True, help="Exit at once if another update is running.")
@cluster_option
@mass_delete_option
def update_cmd(dumps_dir, index_dir, watch, interval, no_wait, cluster_file, allow_mass_delete):
    """Take new, changed and removed dumps into the index.

    \b
    DUMPS_DIR defaults to env NEWS_DUMPS_DIR or ./seeds. Example:
        search-index update seeds --index index
    Exit code 1 if a dump could not be read (it is named on stderr; the rest is indexed).
    With --watch, a poll that fails (the dumps folder gone for a while) is reported and
    polling goes on; --allow-mass-delete applies to the first update only.
    """
    update_and_exit(dumps_dir, index_dir, wait=not no_wait, watch=watch, interval=interval, cluster_file=cluster_file,
                    allow_mass_delete=allow_mass_delete)


@index_cli.command("rebuild")
@dumps_argument
@index_option
@cluster_option
@mass_delete_option
def rebuild_cmd(dumps_dir, index_dir, cluster_file, allow_mass_delete):
    """Build the index again from every dump (after editing the data files).

    The old index answers searches until the new one is complete (a cluster: each dump's
    old articles until its new ones are in).
    """
    update_and_exit(dumps_dir, index_dir, rebuild=True, cluster_file=cluster_file, allow_mass_delete=allow_mass_delete)


def update_and_exit(dumps_dir, index_dir, rebuild=False, wait=True, watch=False, interval=10.0, cluster_file=None,
                    allow_mass_delete=False):
    """Update (or rebuild), report, keep polling with `watch`; exit 1 if a dump was skipped."""
    dumps_dir = dumps_dir or config.dumps_dir()
    with reported():
        cluster_file = target(index_dir, cluster_file)
    index_dir = index_dir or config.index_dir()
    interrupted = ("interrupted; every dump is as it was or as it is now: update again to finish" if cluster_file
                   else "interrupted; the index keeps its last complete commit")
    with reported(interrupted=interrupted):
        report = run_update(dumps_dir, index_dir, rebuild=rebuild, wait=wait, cluster_file=cluster_file,
                            allow_mass_delete=allow_mass_delete)
        report_update(report)
        if watch:
            keep_watching(dumps_dir, index_dir, interval, cluster_file)       # until interrupted
    sys.exit(1 if report.skipped else 0)


def keep_watching(dumps_dir, index_dir, interval, cluster_file=None):
    """Poll every `interval` seconds until interrupted, printing what each poll changed. A
    poll that fails (the dumps folder missing for a while, a refused mass delete, a full
    disk) is one line on stderr, once until the error changes, and polling goes on."""
    last_error = None
    while True:
        time.sleep(interval)
        try:
            report = run_update(dumps_dir, index_dir, wait=True, cluster_file=cluster_file)
        except SearchError as e:
            if str(e) != last_error:
                click.echo(time.strftime("%H:%M:%S ") + f"error: {printable(e)} (still polling)", err=True)
                last_error = str(e)
            continue
        last_error = None
        if report.changed or report.rebuilt:
            click.echo(time.strftime("%H:%M:%S ") + printable(report.summary()))


@index_cli.command("stats")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@cluster_option
def stats_cmd(index_dir, as_json, cluster_file):
    """What the index (or cluster) holds: articles, dumps, counts per facet, last update."""
    with reported():
        cluster_file = target(index_dir, cluster_file)
        with open_searcher(index_dir or config.index_dir(), cluster_file) as searcher:
            figures = searcher.stats()
    for line in [terminal_json(figures, indent=1)] if as_json else stats_lines(figures):
        click.echo(line)


@index_cli.command("hide")
@click.argument("article_id", metavar="ID")
@click.option("--reason", required=True, help="Why (a court order, a correction…): kept and listed by stats.")
@index_option
@cluster_option
def hide_cmd(article_id, reason, index_dir, cluster_file):
    """Take article ID out of every search, page and export, without editing its dump.

    \b
    Example:
        search-index hide f7f6be5d04-ac6655 --reason "correction requested 2024-03-01"
    The list is kept beside the index (INDEX.hidden.tsv; a cluster's beside its cluster.toml)
    and survives rebuilds; it takes effect at once, without an update. `search-index stats`
    lists it; `unhide` undoes it.
    """
    with reported():
        with open_searcher(index_dir or config.index_dir(), target(index_dir, cluster_file)) as searcher:
            article, entry, again = searcher.hide(article_id, reason)
    title = article["title"] or article["kind"]
    said = "already hidden; reason now" if again else "hidden"
    click.echo(one_line(f"{article_id} ({title}): {said}: {entry.reason}"))


@index_cli.command("unhide")
@click.argument("article_id", metavar="ID")
@index_option
@cluster_option
def unhide_cmd(article_id, index_dir, cluster_file):
    """Show article ID again, after `search-index hide`."""
    with reported():
        with open_searcher(index_dir or config.index_dir(), target(index_dir, cluster_file)) as searcher:
            entry = searcher.unhide(article_id)
    click.echo(one_line(f"{article_id}: shown again (hidden since {entry.hidden_at}: {entry.reason})"))


def index_main():
    index_cli(prog_name="search-index")

