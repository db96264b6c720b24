"""`search`: query words in, hits (or one article, or every hit as an export) out."""
import itertools
import sys

import click

from .. import config
from ..formatting import (article_json, article_lines, csv_lines, jsonl, past_the_end, printable, results_json,
                          results_lines, terminal_json)
from .opening import open_searcher, target
from .reporting import OneLineErrors, closed_pipe_ends_quietly, fail, no_color, reported, write_lines

# `search` takes its query words as they come, `-word` included (a NOT term): so no short
# options at all (`-photo` would be read as -p -h -o …), and only `--help` for help.
SEARCH_CONTEXT = {"help_option_names": ["--help"], "ignore_unknown_options": True}


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
                hits = iter(searcher.all_hits(**chosen))
                first = next(hits, None)            # known before a reader can close the pipe
                write_lines(EXPORTS[export](itertools.chain([] if first is None else [first], hits)))
                sys.exit(1 if first is None else 0)
            results = searcher.search(page=page, per_page=limit, **chosen)
            suggested = results.suggestions     # looked up while the index is open
    with closed_pipe_ends_quietly():
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
    with closed_pipe_ends_quietly():
        if as_json:
            click.echo(terminal_json(article_json(article), indent=1))
            return
        from ..query import literals, parse
        for line in article_lines(article, literals(parse(q))):
            click.echo(line)



def search_main():
    search_cmd(prog_name="search")
