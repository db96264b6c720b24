"""Output formats of the library's data: HTML, a terminal, plain text, JSON and CSV.

A marked passage (search.highlight.Marked) becomes HTML for the web page and the JSON API
(escaped text, matches in <mark>), coloured text for a terminal (the CLI; click drops the
colour when the output is piped or NO_COLOR is set) or plain text. Results become the
JSON that `search --json` and `/api/search` print, or lines for a terminal; an article
becomes JSON with its citation (`search --show --json`, `/api/article/ID`) or text for a
terminal or pager (`search --show`); every hit of a search becomes JSON Lines or CSV
(`search --export`, `/export.jsonl`, `/export.csv`). A new output format is one more
function here.

Everything meant for a terminal goes through `printable`, so a control character in a
dump's name or text cannot drive the terminal.
"""
import csv
import html as _html
import io
import json
import re
import unicodedata

import click

from .article import where_printed
from .highlight import ALIAS, MATCH, mark
from . import labels

JSON_FACETS = ("city", "topic", "year", "kind", "paper", "section")
HIT_FIELDS = ("id", "title", "label", "date", "paper", "page", "section", "cities", "topic", "kind", "source",
              "score")
EXPORT_FIELDS = ("id", "title", "date", "paper", "page", "section", "authors", "cities", "topic", "kind", "source",
                 "snippet")
TERMINAL_FACETS = (("city", "City"), ("topic", "Topic"), ("year", "Year"), ("paper", "Paper"),
                   ("section", "Section"), ("kind", "Kind"))
FACET_VALUES_SHOWN = 12
_UNPRINTABLE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


# -- marked passages --------------------------------------------------------------------------

HTML_MARKS = {MATCH: "<mark>", ALIAS: '<mark class="alias" title="别名">'}
TERMINAL_COLOURS = {MATCH: dict(fg="yellow", bold=True), ALIAS: dict(fg="cyan", bold=True, underline=True)}


def html(marked):
    """`…escaped text <mark>match</mark> text…`: safe to put in a page as is. A match
    through an alias is `<mark class="alias" title="别名">`."""
    return _joined(marked, lambda text, kind: (f"{HTML_MARKS[kind]}{_html.escape(text)}</mark>" if kind
                                               else _html.escape(text)))


def terminal(marked):
    """The passage on one terminal line, matches in bold yellow, alias matches in cyan."""
    return _joined(marked, lambda text, kind: (click.style(one_line(text), **TERMINAL_COLOURS[kind]) if kind
                                               else one_line(text)))


def plain(marked):
    """The passage as text, ellipses included, matches unmarked."""
    return _joined(marked, lambda text, kind: text)


def _joined(marked, render):
    parts = ["…"] if marked.cut_before else []
    parts += [render(text, kind) for text, kind in marked.pieces()]
    if marked.cut_after:
        parts.append("…")
    return "".join(parts)


# -- JSON ---------------------------------------------------------------------------------------

def hit_json(hit):
    return {**{name: getattr(hit, name) for name in HIT_FIELDS}, "snippet": html(hit.snippet)}


def results_json(results):
    """What `search --json` and `/api/search` answer: {query, total, page, pages, limit,
    hits, facets, partial, aliases, suggestions}; `partial` is true when part of the index
    (a cluster's shard) did not answer."""
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "limit": results.per_page,
        "hits": [hit_json(h) for h in results.hits],
        "facets": {k: results.facets.get(k, {}) for k in JSON_FACETS},
        "partial": results.partial,
        "aliases": results.aliases,
        "suggestions": results.suggestions,
    }


def article_json(article):
    """What `search --show ID --json` and `/api/article/ID` answer: the stored article and
    its citation."""
    return {**article, "citation": citation(article)}


def citation(article):
    """A reference to the article as GB/T 7714 writes one for a newspaper: `陈剑. 标题[N].
    太原日报, 2022-09-06(2).` (authors, paper, date and page left out where unknown)."""
    title = labels.label(article)
    when = (article["date"] or "") + (f"({article['page']})" if article.get("page") else "")
    where = ", ".join(part for part in (article.get("paper"), when) if part)
    parts = [", ".join(article["authors"]) + "." if article["authors"] else "", f"{title}[N].",
             where + "." if where else ""]
    return " ".join(part for part in parts if part)


# -- exports: every hit of a search --------------------------------------------------------

def export_record(hit):
    """One hit of an export: EXPORT_FIELDS, lists as lists, the snippet as plain text."""
    values = {name: getattr(hit, name) for name in EXPORT_FIELDS if name != "snippet"}
    return {**values, "snippet": plain(hit.snippet)}


def jsonl(hits):
    """JSON Lines, one hit a line (control characters written as \\u escapes)."""
    for hit in hits:
        yield terminal_json(export_record(hit)) + "\n"


def csv_lines(hits):
    """CSV in UTF-8 with a byte order mark (so a spreadsheet reads the Chinese), a header
    row, lists joined with `;`. A cell that a spreadsheet would run as a formula (`=`, `+`,
    `-`, `@` first) gets a `'` in front."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def row(values):
        writer.writerow(values)
        line = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return line

    yield "\ufeff" + row(EXPORT_FIELDS)
    for hit in hits:
        record = export_record(hit)
        yield row([_cell(";".join(v) if isinstance(v, list) else "" if v is None else str(v))
                   for v in record.values()])


def _cell(text):
    text = one_line(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# -- terminals: results and an article -----------------------------------------------------

def results_lines(results):
    """Results for a terminal: each hit (title, its details, snippet), a summary line and
    the facets. Assumes hits on the page (see Results.past_the_end)."""
    if not results.hits:
        return [summary(results)]
    lines = []
    for rank, hit in enumerate(results.hits, (results.page - 1) * results.per_page + 1):
        title = terminal(hit.marked_title) if hit.title == hit.label else one_line(hit.label)
        lines.append(f"{rank:>3}. " + click.style(title, bold=True))
        details = [hit.date or "no date", hit.printed, " ".join(hit.cities) or "—", hit.topic,
                   hit.kind if hit.kind != "article" else None, hit.id]
        lines.append("     " + click.style(one_line(" · ".join(str(d) for d in details if d)), dim=True))
        lines.append("     " + terminal(hit.snippet))
    lines += ["", summary(results)]
    if results.aliases:
        searched = "; ".join(f"{typed} → {'、'.join(found)}" for typed, found in results.aliases.items())
        lines.append(one_line(f"  Aliases searched too: {searched} (--no-aliases leaves them out)"))
    for name, label in TERMINAL_FACETS:
        values = results.facets.get(name) or {}
        if values:
            shown = list(values.items())[:FACET_VALUES_SHOWN]
            lines.append(f"{label:>7}: " + one_line("  ".join(f"{k} {v}" for k, v in shown)))
    return lines


def summary(results):
    """`6 articles for “太忻”, city 忻州 (3 ms), page 1 of 1`; `no articles for “雄安”`;
    `35 articles, newest first …` for an empty query."""
    what = f" for “{results.query}”" if results.query.strip() else ""
    described = results.describe()
    what += f", {described}" if described else ""
    if not results.total:
        return one_line(f"no articles{what}")
    count = f"{results.total} article{'s' if results.total != 1 else ''}"
    return one_line(f"{count}{what} ({results.seconds * 1000:.0f} ms), page {results.page} of {results.pages}")


def past_the_end(results):
    """What a page after the last one says: `there is only 1 page (6 articles for “太忻”, 10 a page)`."""
    pages = "is only 1 page" if results.pages == 1 else f"are only {results.pages} pages"
    what = f" for “{results.query}”" if results.query.strip() else ""
    return one_line(f"there {pages} ({results.total} article{'s' if results.total != 1 else ''}{what}, "
                    f"{results.per_page} a page)")


def stats_lines(figures):
    """What `search-index stats` prints of Searcher.stats(): sizes, counts per facet, the
    hidden articles."""
    lines = [f"index       {figures['index']} ({figures['size_mb']} MB)",
             f"articles    {figures['articles']} from {figures['dumps']} dumps  "
             + "  ".join(f"{k} {v}" for k, v in figures["kinds"].items()),
             f"last update {figures['last_update'] or 'never'} (built {figures['built_at']})"]
    for name in ("city", "topic", "year", "paper", "section"):
        values = list(figures["facets"].get(name, {}).items())[:FACET_VALUES_SHOWN]
        if values or name in ("city", "topic", "year"):
            lines.append(f"{name:<11} " + "  ".join(f"{k} {v}" for k, v in values))
    hidden = figures["hidden"]
    lines.append(f"hidden      {len(hidden)} article{'' if len(hidden) == 1 else 's'}"
                 + (" (`search-index unhide ID` shows one again)" if hidden else ""))
    for entry in hidden:
        title = entry["title"] if entry["in_index"] else "not in the index"
        lines.append(f"  {entry['id']}  {entry['hidden_at']}  {entry['reason']}  ({title})")
    if figures["dictionary_changed"]:
        lines.append("note: the data files changed since the index was built; run `search-index rebuild`")
    return [one_line(line) for line in lines]


ARTICLE_DETAILS = (("paper", lambda a: where_printed(a)), ("section", lambda a: a["section"]),
                   ("date", lambda a: a["date"] or "no date"), ("authors", lambda a: "、".join(a["authors"])),
                   ("places", lambda a: "、".join(a["places"])), ("cities", lambda a: " ".join(a["cities"])),
                   ("topic", lambda a: a["topic"]), ("kind", lambda a: a["kind"] if a["kind"] != "article" else ""),
                   ("source", lambda a: f"{a['source']} (item {a['seq']})"), ("id", lambda a: a["id"]))


def article_lines(article, terms=()):
    """The whole article for a terminal or a pager (`search --show ID | less -R`): its
    headline, details, paragraphs apart, captions and citation; `terms` marked."""
    a = article
    lines = [click.style(one_line(a["kicker"]), dim=True)] if a["kicker"] else []
    title = terminal(mark(a["title"], terms)) if a["title"] == labels.label(a) else one_line(labels.label(a))
    lines.append(click.style(title, bold=True))
    if a["subtitle"]:
        lines.append(terminal(mark(a["subtitle"], terms)))
    lines.append("")
    for label, value in ARTICLE_DETAILS:
        shown = value(a)
        if shown:
            lines.append(click.style(f"{label:>8}", dim=True) + "  " + one_line(shown))
    for paragraph in a["body"].split("\n"):
        if paragraph.strip():
            lines += ["", terminal(mark(paragraph.strip(), terms))]
    if a["captions"]:
        lines += ["", click.style(f"{'captions':>8}", dim=True)]
        lines += ["  " + terminal(mark(caption, terms)) for caption in a["captions"]]
    lines += ["", click.style(f"{'cite':>8}", dim=True) + "  " + one_line(citation(a))]
    return lines


# -- terminals ------------------------------------------------------------------------------

def printable(text):
    """`text` with control, format and separator characters (and lone surrogates from
    undecodable file names) written as escapes: `b\\x1b]0;x\\x07ad.txt`."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in _UNPRINTABLE_CATEGORIES else ch for ch in text)


def one_line(text):
    """`text` for one terminal line: tabs and line breaks as spaces, the rest printable."""
    return printable(re.sub(r"[\t\r\n]", " ", text))


def terminal_json(data, **kwargs):
    """json.dumps(ensure_ascii=False) with the characters `printable` escapes written as
    \\u escapes (the same JSON; lone surrogates could not even be encoded raw)."""
    text = json.dumps(data, ensure_ascii=False, **kwargs)
    if text.isprintable():
        return text

    def escape(ch):
        if unicodedata.category(ch) not in _UNPRINTABLE_CATEGORIES or ch == "\n":
            return ch
        units = ch.encode("utf-16-be", "surrogatepass")
        return "".join(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04x}" for i in range(0, len(units), 2))
    return "".join(escape(ch) for ch in text)


def _escape(ch):
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"
