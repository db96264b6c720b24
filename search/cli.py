"""Command-line entry points: `search` and `search-index`.

The library returns data; this module only formats it (search.formatting), and turns a
SearchError into one line on stderr and an exit code, in one place (`reported`): 0 with
hits, 1 with no hits or something skipped, 2 on error, 130 when interrupted. Everything
printed from data — file names, titles, snippets, queries — goes through `printable`, so
a control character in a dump's name or text cannot drive the terminal.
"""
import contextlib
import sys
import time

import click

from . import config
from .errors import SearchError, from_os_error
from .formatting import one_line, printable, results_json, terminal, terminal_json

CONTEXT = {"help_option_names": ["-h", "--help"]}
# `search` takes its query words as they come, `-word` included (a NOT term): so no short
# options at all (`-photo` would be read as -p -h -o …), and only `--help` for help.
SEARCH_CONTEXT = {"help_option_names": ["--help"], "ignore_unknown_options": True}
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def fail(message, code=EXIT_ERROR):
    click.echo(f"error: {printable(message)}", err=True)
    sys.exit(code)


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


def run_update(dumps_dir, index_dir, rebuild=False, wait=True, first_use=False, named=False,
               allow_mass_delete=False):
    """Update (or build) the index with a progress bar; returns the report. With
    `first_use`, only build an index that is missing (search.index.build_if_missing: not
    one `named` by --index), saying so; None if there was one."""
    from . import index
    progress = Progress("parsing and indexing dumps")
    options = dict(progress=progress, on_wait=lambda holder: click.echo(printable(
        f"another update of {index_dir} is running ({holder}); waiting for it…"), err=True))
    try:
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

def print_results(results):
    for rank, hit in enumerate(results.hits, (results.page - 1) * results.per_page + 1):
        title = terminal(hit.marked_title) if hit.title else one_line(hit.label)
        click.echo(f"{rank:>3}. " + click.style(title, bold=True))
        meta = [hit.date or "no date", " ".join(hit.cities) or "—", hit.topic, hit.kind if hit.kind != "article" else None,
                hit.source, hit.id]
        click.echo("     " + click.style(one_line(" · ".join(str(m) for m in meta if m)), dim=True))
        click.echo("     " + terminal(hit.snippet))
    shown = f"{results.total} article{'s' if results.total != 1 else ''} for {one_line(results.describe())}"
    click.echo(f"\n{shown} ({results.seconds * 1000:.0f} ms), page {results.page} of {results.pages}")
    for name, label in (("city", "City"), ("topic", "Topic"), ("year", "Year")):
        values = results.facets.get(name) or {}
        if values:
            click.echo(f"{label:>6}: " + one_line("  ".join(f"{k} {v}" for k, v in list(values.items())[:12])))


class SearchCommand(click.Command):
    """Unknown options are query words (`-疫情` is a NOT term), except a misspelt long
    option: `--lmit 3` is an error, not a search for “--lmit 3”. After a bare `--`, every
    word is query text."""

    def parse_args(self, ctx, args):
        known, takes_value = set(), set()
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                names = list(param.opts) + list(param.secondary_opts)
                known.update(names)
                if not param.is_flag and not param.count:
                    takes_value.update(param.opts)
        words = iter(args)
        for word in words:
            if word == "--":
                break
            name = word.split("=", 1)[0]
            if name in takes_value and "=" not in word:
                next(words, None)                       # its value, whatever it looks like
            elif word.startswith("--") and name not in known:
                fail(f"no such option: {name}")
        return super().parse_args(ctx, args)


@click.command(cls=SearchCommand, context_settings=SEARCH_CONTEXT)
@click.argument("query", nargs=-1)
@click.option("--city", "cities", multiple=True, help="Only articles about this city (repeat: all of them).")
@click.option("--topic", "topics", multiple=True, help="Only articles of this topic.")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Published on or after this date.")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Published on or before this date.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="Hits per page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, 100000))
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--index", "index_dir", default=None, help="Index folder [env NEWS_INDEX_DIR, default ./index: "
                                                           "built from the dumps on first use; an --index is not].")
def search_cmd(query, cities, topics, date_from, date_to, sort, limit, page, as_json, index_dir):
    """Search the newspaper archive.

    \b
    Examples:
        search 太忻
        search '"太忻一体化经济区"' --city 忻州 --from 2022-01-01
        search '太原 OR 忻州 -疫情' --topic 经济 --sort date --json
    Words are ANDed; "exact phrase"; OR; -word or NOT word; title:…, author:…, place:….
    Words after a bare -- are all query text, even if they start with --.
    Exit code: 0 with hits, 1 without, 2 on error.
    """
    named, index_dir = index_dir is not None, index_dir or config.index_dir()
    with reported():                            # (a wrong Whoosh version fails the imports)
        from .searching import Searcher
        from .store import exists
        if not exists(index_dir):               # only then load the write side, to build one
            built = run_update(config.dumps_dir(), index_dir, first_use=True, named=named)
            if built:                           # (None: another process built it meanwhile)
                report_update(built, err=True)
        with Searcher(index_dir) as searcher:      # it retries a commit cleaned up under it
            results = searcher.search(" ".join(query), cities=cities, topics=topics, date_from=date_from,
                                      date_to=date_to, sort=sort, page=page, per_page=limit)
    if as_json:
        click.echo(terminal_json(results_json(results), indent=1))
    else:
        print_results(results)
    sys.exit(0 if results.total else 1)


def search_main():
    search_cmd(prog_name="search")


# -- search-index ---------------------------------------------------------------------------

@click.group(context_settings=CONTEXT)
def index_cli():
    """Build and maintain the search index of newspaper dumps."""


index_option = click.option("--index", "index_dir", default=None,
                            help="Index folder [env NEWS_INDEX_DIR, default ./index].")
dumps_argument = click.argument("dumps_dir", required=False)


@index_cli.command("parse")
@click.argument("files", nargs=-1, required=True)
def parse_cmd(files):
    """Print the items of dump FILES as JSON Lines, in dump order.

    \b
    Example:
        search-index parse seeds/000_ac6bb446a57d0c7e.txt | head -1
    A file that cannot be read gets one line on stderr; the exit code is 1 if any was.
    """
    from .ingest import parse_file
    failed = 0
    out = click.get_text_stream("stdout")
    for path in files:
        try:
            articles = parse_file(path, root=config.source_root(path))
        except (SearchError, OSError) as e:
            problem = from_os_error(e, path) if isinstance(e, OSError) else e
            click.echo(f"skipped {printable(problem)}", err=True)
            failed += 1
            continue
        for article in articles:
            out.write(terminal_json(article.to_dict()) + "\n")
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
@mass_delete_option
def update_cmd(dumps_dir, index_dir, watch, interval, no_wait, allow_mass_delete):
    """Take new, changed and removed dumps into the index.

    \b
    DUMPS_DIR defaults to env NEWS_DUMPS_DIR or ./seeds. Example:
        search-index update seeds --index index
    Exit code 1 if a dump could not be read (it is named on stderr; the rest is indexed).
    With --watch, a poll that fails (the dumps folder gone for a while) is reported and
    polling goes on; --allow-mass-delete applies to the first update only.
    """
    update_and_exit(dumps_dir, index_dir, wait=not no_wait, watch=watch, interval=interval,
                    allow_mass_delete=allow_mass_delete)


@index_cli.command("rebuild")
@dumps_argument
@index_option
@mass_delete_option
def rebuild_cmd(dumps_dir, index_dir, allow_mass_delete):
    """Build the index again from every dump (after editing the data files).

    The old index answers searches until the new one is complete.
    """
    update_and_exit(dumps_dir, index_dir, rebuild=True, allow_mass_delete=allow_mass_delete)


def update_and_exit(dumps_dir, index_dir, rebuild=False, wait=True, watch=False, interval=10.0,
                    allow_mass_delete=False):
    """Update (or rebuild), report, keep polling with `watch`; exit 1 if a dump was skipped."""
    dumps_dir = dumps_dir or config.dumps_dir()
    index_dir = index_dir or config.index_dir()
    with reported(interrupted="interrupted; the index keeps its last complete commit"):
        report = run_update(dumps_dir, index_dir, rebuild=rebuild, wait=wait, allow_mass_delete=allow_mass_delete)
        report_update(report)
        if watch:
            keep_watching(dumps_dir, index_dir, interval)       # until interrupted
    sys.exit(1 if report.skipped else 0)


def keep_watching(dumps_dir, index_dir, interval):
    """Poll every `interval` seconds until interrupted, printing what each poll changed. A
    poll that fails (the dumps folder missing for a while, a refused mass delete, a full
    disk) is one line on stderr, once until the error changes, and polling goes on."""
    last_error = None
    while True:
        time.sleep(interval)
        try:
            report = run_update(dumps_dir, index_dir, wait=True)
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
def stats_cmd(index_dir, as_json):
    """What the index holds: articles, dumps, counts per facet, last update."""
    index_dir = index_dir or config.index_dir()
    with reported():
        from .searching import Searcher
        with Searcher(index_dir) as searcher:
            figures = searcher.stats()
    if as_json:
        click.echo(terminal_json(figures, indent=1))
        return
    click.echo(printable(f"index       {figures['index']} ({figures['size_mb']} MB)"))
    click.echo(printable(f"articles    {figures['articles']} from {figures['dumps']} dumps  "
                         + "  ".join(f"{k} {v}" for k, v in figures["kinds"].items())))
    click.echo(printable(f"last update {figures['last_update'] or 'never'} (built {figures['built_at']})"))
    for name in ("city", "topic", "year"):
        click.echo(printable(f"{name:<11} " + "  ".join(f"{k} {v}" for k, v in figures["facets"].get(name, {}).items())))
    if figures["dictionary_changed"]:
        click.echo("note: the data files changed since the index was built; run `search-index rebuild`")


def index_main():
    index_cli(prog_name="search-index")
