"""Output formats of the library's data: HTML, a terminal, plain text and JSON.

A marked passage (search.highlight.Marked) becomes HTML for the web page and the JSON API
(escaped text, matches in <mark>), coloured text for a terminal (the CLI; click drops the
colour when the output is piped) or plain text. Results become the JSON that `search
--json` and `/api/search` print. A new output format is one more function here.

Everything meant for a terminal goes through `printable`, so a control character in a
dump's name or text cannot drive the terminal.
"""
import html as _html
import json
import re
import unicodedata

import click

from .highlight import ALIAS, MATCH

JSON_FACETS = ("city", "topic", "year")
HIT_FIELDS = ("id", "title", "label", "date", "cities", "topic", "kind", "source", "score")
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
    """What `search --json` and `/api/search` answer: {query, total, page, hits, facets,
    partial, aliases, suggestions}; `partial` is true when part of the index (a cluster's
    shard) did not answer."""
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "hits": [hit_json(h) for h in results.hits],
        "facets": {k: results.facets.get(k, {}) for k in JSON_FACETS},
        "partial": results.partial,
        "aliases": results.aliases,
        "suggestions": results.suggestions,
    }


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
