"""Command-line entry points: `search` and `search-index`.

The library returns data; this module only formats it, and turns SearchError into one
line on stderr and an exit code.
"""
import json
import sys

import click

from . import config
from .errors import SearchError


def fail(message, code=2):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def index_cli():
    """Build and maintain the search index of newspaper dumps."""


@index_cli.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
def parse_cmd(files):
    """Print the items of dump FILES as JSON Lines, in dump order.

    \b
    Example:
        search-index parse seeds/000_ac6bb446a57d0c7e.txt | head -1
    Unreadable files get one line on stderr; the exit code is 1 if any was skipped.
    """
    from .ingest import parse_file
    failed = 0
    out = click.get_text_stream("stdout")
    for path in files:
        try:
            articles = parse_file(path, root=config.source_root(path))
        except SearchError as e:
            click.echo(f"skipped {e}", err=True)
            failed += 1
            continue
        for article in articles:
            out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
    sys.exit(1 if failed else 0)


def index_main():
    index_cli(prog_name="search-index")
