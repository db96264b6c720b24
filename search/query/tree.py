"""The tree a query parses into, the filters taken out of it, and the terms it marks.

A tree is Lit leaves under Node("and" | "or" | "not" | "near") nodes: plain data, no
numpy and no index, so any engine can evaluate it (search.embedded turns it into array
operations, a distributed engine would write it in its own query language). A Lit with
`alias` set was added by search.aliases: it stands for the term typed, beside it under an
OR, and scores and is marked as an alias.
"""
from dataclasses import dataclass, field
from typing import List, Optional

from .. import analysis, schema
from ..text import normalize

FILTER_FIELDS = tuple(schema.FILTERS)                  # city topic kind
FIELDS = ("title", "author", "place") + FILTER_FIELDS  # title: a text field; author, place: keywords


@dataclass
class Lit:
    text: str                    # as typed (normalized when matched); a filter's value as stored
    field: Optional[str] = None  # one of FIELDS, or None (anywhere)
    phrase: bool = False
    prefix: bool = False
    alias: Optional[str] = None  # the term typed that this alias stands for (search.aliases)


@dataclass
class Node:
    op: str                      # and | or | not | near
    children: List = field(default_factory=list)
    distance: Optional[int] = None   # near: at most this many characters between the two


def is_not(node):
    return isinstance(node, Node) and node.op == "not"


def split(tree):
    """(text query tree without field filters, {filter field: [values]}).

    Only a filter that the whole query requires (alone, or one of the top-level ANDed
    parts) becomes a filter. Anywhere else (under OR or NOT) it stays in the tree, where
    engines read it as the set of documents with that city, topic or kind. A filter value
    is read as the parameters read it (`city:太原市` is `--city 太原市`); a filter field
    with an unknown value (city:北京) is plain text wherever it is."""
    filters = {}

    def inside(node):
        if isinstance(node, Lit):
            return _filter(node) or (Lit(f"{node.field}:{node.text}") if node.field in FILTER_FIELDS else node)
        return Node(node.op, [inside(c) for c in node.children], node.distance)

    def top(node):
        found = _filter(node) if isinstance(node, Lit) else None
        if found:
            filters.setdefault(found.field, []).append(found.text)
            return None
        if isinstance(node, Node) and node.op == "and":
            kids = [k for k in (top(c) for c in node.children) if k is not None]
            if not kids:
                return None
            return kids[0] if len(kids) == 1 else Node("and", kids)
        return inside(node)

    return (top(tree) if tree is not None else None), filters


def _filter(lit):
    """The filter `lit` stands for, its value as stored; None if it is not a filter."""
    if lit.field not in FILTER_FIELDS:
        return None
    value = schema.FILTERS[lit.field].value(lit.text)
    return Lit(value, field=lit.field) if value is not None else None


def literals(tree, aliases=False):
    """The positive terms of a query, normalized: what a snippet highlights (with
    `aliases`, only the terms that aliases added, which are marked as such)."""
    out = []

    def walk(node, positive=True):
        if isinstance(node, Lit):
            if positive and node.field not in ("author",) + FILTER_FIELDS and bool(node.alias) == aliases:
                text = normalize(node.text)
                out.append(text)
                if not node.phrase:
                    out.extend(chunk for chunk in chunks(text) if chunk != text)
            return
        for child in node.children:
            walk(child, positive and node.op != "not")

    if tree is not None:
        walk(tree)
    return sorted(set(out), key=lambda t: (-len(t), t))


def chunks(text):
    """Pieces of a term that must each occur: jieba's words, single characters glued to
    their neighbour (活动暨太忻 → 活动暨, 太忻) so that no piece is a lone character."""
    spans = [[s, e] for w, s, e in analysis.tokenize(text) if analysis.WORD_CHAR.search(w)]
    merged = []
    for span in spans:
        if merged and merged[-1][1] == span[0] and (span[1] - span[0] == 1 or merged[-1][1] - merged[-1][0] == 1):
            merged[-1][1] = span[1]
        else:
            merged.append(span)
    return [text[s:e] for s, e in merged]
