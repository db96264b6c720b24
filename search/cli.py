"""Command-line entry points: `search` and `search-index`.

The library returns data; this module only formats it (search.formatting), and turns a
SearchError into one line on stderr and an exit code, in one place (`reported`): 0 with
hits, 1 with no hits or something skipped, 2 on error, 130 when interrupted. A bad option
(click's usage errors) is one such line too (`OneLineErrors`). Everything printed from
data — file names, titles, snippets, queries — goes through `printable`, so a control
character in a dump's name or text cannot drive the terminal; colour only reaches a
terminal, and not with NO_COLOR set.
"""
import contextlib
import os
import sys
import time

import click

from . import config
from .errors import SearchError, from_os_error
from .formatting import (article_json, article_lines, csv_lines, jsonl, one_line, past_the_end, printable,
                         results_json, results_lines, stats_lines, terminal_json)

CONTEXT = {"help_option_names": ["-h", "--help"]}
# `search` takes its query words as they come, `-word` included (a NOT term): so no short
# options at all (`-photo` would be read as -p -h -o …), and only `--help` for help.
SEARCH_CONTEXT = {"help_option_names": ["--help"], "ignore_unknown_options": True}
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def fail(message, code=EXIT_ERROR):
    click.echo(f"error: {printable(message)}", err=True)
    sys.exit(code)


class OneLineErrors:
    """A click command or group whose usage errors (`--limit x`, a missing argument, an
    unknown command) are one `error: …` line and exit code 2, like the library's errors,
    instead of click's usage block."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            fail("interrupted", EXIT_INTERRUPTED)
        except click.ClickException as e:
            command = e.ctx.command_path if getattr(e, "ctx", None) else prog_name
            fail(f"{e.format_message()} (see `{command} --help`)" if command else e.format_message())
        sys.exit(code if isinstance(code, int) else 0)


class Group(OneLineErrors, click.Group):
    pass


def no_color():
    """Honour NO_COLOR (https://no-color.org): no colour even on a terminal."""
    if os.environ.get("NO_COLOR"):
        click.get_current_context().color = False


@contextlib.contextmanager
def reported(interrupted="interrupted"):
    """Where the library's errors meet the user: a SearchError is one line on stderr and
    exit code 2; Ctrl-C is `interrupted` and exit code 130."""
    try:
        yield
    except SearchError as e:
        fail(str(e))
    except KeyboardInterrupt:
        fail(interrupted, EXIT_INTERRUPTED)


class Progress:
    """A progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, label):
        self.label = label
        self.bar = None

    def __call__(self, n, total=None):
        if total is not None:
            if total and sys.stderr.isatty():
                self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
                self.bar.__enter__()
            return
        if self.bar:
            self.bar.update(n)

    def close(self):
        if self.bar:
            self.bar.__exit__(None, None, None)
            self.bar = None


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
    from .searching import Searcher
    if cluster_file:
        from .cluster import open_searcher as open_cluster
        return open_cluster(cluster_file)
    if build:
        from .store import exists
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
    from . import index
    progress = Progress("parsing and indexing dumps")
    options = dict(progress=progress, on_wait=lambda holder: click.echo(printable(
        f"another update of {cluster_file or index_dir} is running ({holder}); waiting for it…"), err=True))
    try:
        if cluster_file:
            from . import cluster
            return cluster.update(dumps_dir, cluster_file, rebuild=rebuild, wait=wait,
                                  allow_mass_delete=allow_mass_delete, **options)
        if first_use:
            return index.build_if_missing(index_dir, dumps_dir, lambda message: click.echo(printable(message), err=True),
                                          named=named, **options)
        return index.update(dumps_dir, index_dir, rebuild=rebuild, wait=wait, allow_mass_delete=allow_mass_delete,
                            **options)
    finally:
        progress.close()


def report_update(report, err=False):
    for problem in report.skipped:
        click.echo(f"skipped {printable(problem)}", err=True)
    click.echo(printable(report.summary()), err=err)


# -- search ---------------------------------------------------------------------------------

class SearchCommand(OneLineErrors, click.Command):
    """Unknown options are query words (`-疫情` is a NOT term), except a misspelt long
    option: `--lmit 3` is an error, not a search for “--lmit 3”. After a bare `--`, every
    word is query text. `-h` as the only query word asks for help (NOT h alone would
    search nothing)."""

    def parse_args(self, ctx, args):
        known, takes_value = set(), set()
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                names = list(param.opts) + list(param.secondary_opts)
                known.update(names)
                if not param.is_flag and not param.count:
                    takes_value.update(param.opts)
        words, query = iter(args), []
        for word in words:
            if word == "--":
                query += list(words)
                break
            name = word.split("=", 1)[0]
            if name in takes_value and "=" not in word:
                next(words, None)                       # its value, whatever it looks like
            elif word.startswith("--") and name not in known:
                fail(f"no such option: {name}")
            elif not word.startswith("--"):
                query.append(word)
        if query == ["-h"]:
            click.echo(self.get_help(ctx))
            ctx.exit(0)
        return super().parse_args(ctx, args)


DATE_HELP = "YYYY-MM-DD, YYYY-MM or YYYY (2022/3/1 and 2022年3月1日 too)."
EXPORTS = {"jsonl": jsonl, "csv": csv_lines}


@click.command(cls=SearchCommand, context_settings=SEARCH_CONTEXT)
@click.argument("query", nargs=-1)
@click.option("--city", "cities", multiple=True, help="Only articles about this city (repeat: all of them).")
@click.option("--topic", "topics", multiple=True, help="Only articles of this topic (repeat: any of them).")
@click.option("--paper", "papers", multiple=True, help="Only articles of this paper (repeat: any of them).")
@click.option("--section", "sections", multiple=True, help="Only articles under this section banner (版面).")
@click.option("--kind", "kinds", multiple=True, help="article, photo or notice (文章 图片 公告).")
@click.option("--from", "date_from", metavar="DATE", help="Published on or after: " + DATE_HELP)
@click.option("--to", "date_to", metavar="DATE", help="Published on or before: " + DATE_HELP)
@click.option("--sort", default="relevance", show_default=True, metavar="ORDER",
              help="relevance, date (newest first; also: newest) or oldest.")
@click.option("--limit", default="10", show_default=True, metavar="N", help="Hits per page (1-100).")
@click.option("--page", default="1", show_default=True, metavar="N", help="Page of the results.")
@click.option("--json", "as_json", is_flag=True, help="Print the results (or the --show article) as JSON.")
@click.option("--show", "show_id", metavar="ID", help="Print the whole article with this id (query words marked).")
@click.option("--export", metavar="FORMAT", help="Print every hit (all pages) as jsonl or csv.")
@click.option("--no-aliases", is_flag=True, help="Search the words as typed, without their aliases (data/aliases.txt).")
@click.option("--index", "index_dir", default=None, help="Index folder [env NEWS_INDEX_DIR, default ./index: "
                                                           "built from the dumps on first use; an --index is not].")
@click.option("--cluster", "cluster_file", default=None, metavar="FILE",
              help="Search a cluster (its cluster.toml: see search-cluster) instead [env NEWS_CLUSTER].")
def search_cmd(query, cities, topics, papers, sections, kinds, date_from, date_to, sort, limit, page, as_json,
               show_id, export, no_aliases, index_dir, cluster_file):
    """Search the newspaper archive.

    \b
    Examples:
        search 太忻
        search '"太忻一体化经济区"' --city 忻州 --from 2022-01-01
        search '太原 OR 忻州 -疫情' --topic 经济 --sort oldest --json
        search --show f7f6be5d04-ac6655 | less -R
        search 太忻 --paper 太原日报 --export csv > 太忻.csv
    Words are ANDed; "exact phrase"; OR; -word or NOT word; title:…, author:…, place:…,
    city:…, topic:…, paper:…, section:…, kind:…; title:(a OR b); a NEAR/10 b.
    Words after a bare -- are all query text, even if they start with --.
    When little is found, suggestions go to stderr (你是不是要找：…).
    --export prints every hit, whatever --page and --limit say.
    Exit code: 0 with hits (or the article), 1 without, 2 on error.
    """
    no_color()
    q = " ".join(query)
    if export is not None and export not in EXPORTS:
        fail(f"export: must be jsonl or csv, not {export[:20]!r}")
    if show_id is not None and export is not None:
        fail("show: --show prints one article; --export prints hits; give one of them")
    chosen = dict(q=q, cities=cities, topics=topics, kinds=kinds, date_from=date_from, date_to=date_to, sort=sort,
                  filters={"paper": papers, "section": sections}, aliases=not no_aliases)
    with reported():                            # (a wrong Whoosh version fails the imports)
        cluster_file = target(index_dir, cluster_file)
        named = index_dir is not None           # (an --index is never built on first use)
        with open_searcher(index_dir or config.index_dir(), cluster_file, build=True, named=named) as searcher:
            if show_id is not None:             # (the Searcher retries a commit cleaned up under it)
                show(searcher.find(show_id), q, as_json)
                sys.exit(0)
            if export is not None:
                exported = Counted(searcher.all_hits(**chosen))
                write_lines(EXPORTS[export](exported))
                sys.exit(0 if exported.count else 1)
            results = searcher.search(page=page, per_page=limit, **chosen)
            suggested = results.suggestions     # looked up while the index is open
    if as_json:
        click.echo(terminal_json(results_json(results), indent=1))
    elif results.past_the_end:
        click.echo(past_the_end(results))
    else:
        for line in results_lines(results):
            click.echo(line)
    if results.partial:
        click.echo("warning: part of the archive did not answer (a shard is down): these results are incomplete",
                   err=True)
    if suggested:
        click.echo(printable("你是不是要找：" + "  ".join(suggested)), err=True)
    sys.exit(0 if results.hits else 1)


def show(article, q, as_json):
    if as_json:
        click.echo(terminal_json(article_json(article), indent=1))
        return
    from .query import literals, parse
    for line in article_lines(article, literals(parse(q))):
        click.echo(line)


class Counted:
    """An iterator that counts what went through it."""

    def __init__(self, items):
        self.items, self.count = iter(items), 0

    def __iter__(self):
        for self.count, item in enumerate(self.items, 1):
            yield item


def write_lines(lines):
    """Write text lines to stdout as UTF-8 as they come (a closed pipe, `| head`, ends
    it quietly)."""
    out = getattr(sys.stdout, "buffer", None)
    try:
        for line in lines:
            if out is not None:
                out.write(line.encode("utf-8"))
            else:
                sys.stdout.write(line)
        sys.stdout.flush()
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def search_main():
    search_cmd(prog_name="search")


# -- search-index ---------------------------------------------------------------------------

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
    from .ingest import explain_file, parse_file
    failed = 0
    out = click.get_text_stream("stdout")
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
        for line in lines:
            out.write(line + "\n")
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
