"""The query language, and how a query becomes a Whoosh query.

    太忻 一体化            both (words are ANDed; AND may be written too)
    "推动先进要素集聚"      the exact phrase
    太忻 OR 雄安           either
    -疫情  NOT 疫情        without
    title:太忻            in the headline (kicker, title, subtitle)
    author:陈剑  place:晋祠  city:太原  topic:经济   by field
    综改*                 words starting with 综改
    (太原 OR 忻州) 项目     grouping

Parsing never fails: an unbalanced quote closes at the end, a stray parenthesis or an
unknown field is read as plain text. The parser returns a small tree, which `Evaluator`
runs against an index snapshot (search.engine).

Matching: a term must occur as a substring (after normalization), which the character
pair field guarantees whatever jieba made of the text. A term longer than one word (老旧
小区改造) is cut by jieba and its words are ANDed, so scattered words also match, while
the exact sequence adds to the score. jieba's words add word-level BM25 ranking.
"""
import re
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from . import analysis, engine
from .article import KINDS
from .engine import Hits
from .ingest.places import CITIES
from .text import normalize
from .ingest.topics import TOPICS

EXACT_BOOST = 1.0
MAX_EXPANSION = 200       # words a prefix (综改*) or a single character may expand to
MAX_TERMS = 32            # terms per query; the rest of a very long query is ignored
MAX_DEPTH = 8             # nested brackets; deeper ones are read as plain brackets
TEXT_FIELDS = ("title", "body")
FILTER_FIELDS = ("city", "topic", "kind")
FIELDS = ("title", "author", "place") + FILTER_FIELDS
FILTER_VALUES = {"city": CITIES, "topic": TOPICS, "kind": KINDS}


@dataclass
class Lit:
    text: str                    # as typed (normalized when matched)
    field: Optional[str] = None  # title | author | place | city | topic | kind | None (anywhere)
    phrase: bool = False
    prefix: bool = False


@dataclass
class Node:
    op: str                      # and | or | not
    children: List = field(default_factory=list)


_TOKEN = re.compile(r'[^\s()":]+:"[^"]*"?|"[^"]*"?|\(|\)|[^\s()"]+')


def tokens(qstring):
    return _TOKEN.findall(qstring)


def parse(qstring):
    """A query string → a tree of Node/Lit, or None for an empty query.

    Only the first MAX_TERMS terms are kept: later ones are dropped here, as if they had
    not been typed, so that AND, OR and NOT all simply skip them."""
    toks = tokens(qstring)
    pos = 0
    kept = 0

    def counted(lit):
        nonlocal kept
        if lit is None or kept >= MAX_TERMS:
            return None
        kept += 1
        return lit

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def parse_or(depth):
        parts = [parse_and(depth)]
        while peek() == "OR":
            take()
            parts.append(parse_and(depth))
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Node("or", parts)

    def parse_and(depth):
        parts = []
        while peek() is not None and peek() != "OR":
            if peek() == ")":
                if depth:
                    break
                take()              # a stray ")" is ignored
                continue
            if peek() == "AND":           # words are ANDed anyway
                take()
                continue
            node = parse_unary(depth)
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Node("and", parts)

    def parse_unary(depth):
        tok = take()
        if tok == "NOT":
            if peek() is None or peek() in ("OR", ")"):
                return None               # a dangling NOT: nothing to exclude
            inner = parse_unary(depth)
            return Node("not", [inner]) if inner is not None else None
        if tok.startswith("-") and len(tok) > 1:
            inner = atom(tok[1:], depth)
            return Node("not", [inner]) if inner is not None else None
        return atom(tok, depth)

    def atom(tok, depth):
        if tok == "(":
            return group(depth)
        return counted(term(tok))

    def group(depth):
        if depth >= MAX_DEPTH:
            return None
        inner = parse_or(depth + 1)
        if peek() == ")":
            take()
        return inner

    def term(tok):
        if tok.startswith('"'):
            text = tok.strip('"').strip()
            return Lit(text, phrase=True) if text else None
        fieldname, sep, rest = tok.partition(":")
        if sep and fieldname.lower() in FIELDS and not rest.strip('"'):
            return None                   # a field with no value
        if sep and fieldname.lower() in FIELDS and rest:
            if rest.startswith('"'):
                rest = rest.strip('"')
                return Lit(rest, field=fieldname.lower(), phrase=True) if rest else None
            return _word(rest, fieldname.lower())
        return _word(tok, None)

    return parse_or(0)


def _word(text, fieldname):
    prefix = text.endswith("*")
    text = text.strip("*")
    if not analysis.WORD_CHAR.search(normalize(text)):
        return None                  # `*`, `-`, punctuation alone: nothing to search
    return Lit(text, field=fieldname, prefix=prefix)


def split(tree):
    """(text query tree without field filters, {filter field: [values]}).

    Only a filter that the whole query requires (alone, or one of the top-level ANDed
    parts) becomes a filter. Anywhere else (under OR or NOT) it stays in the tree, where
    the evaluator reads it as the set of documents with that city, topic or kind.
    A filter field with an unknown value (city:北京) is plain text wherever it is."""
    filters = {}

    def inside(node):
        if isinstance(node, Lit):
            if node.field in FILTER_FIELDS and not _is_filter_value(node):
                return Lit(f"{node.field}:{node.text}")     # city:北京 is not a filter: plain text
            return node
        return Node(node.op, [inside(c) for c in node.children])

    def top(node):
        if isinstance(node, Lit) and node.field in FILTER_FIELDS and _is_filter_value(node):
            filters.setdefault(node.field, []).append(node.text)
            return None
        if isinstance(node, Node) and node.op == "and":
            kids = [k for k in (top(c) for c in node.children) if k is not None]
            if not kids:
                return None
            return kids[0] if len(kids) == 1 else Node("and", kids)
        return inside(node)

    return (top(tree) if tree is not None else None), filters


def _is_filter_value(lit):
    return lit.text in FILTER_VALUES[lit.field]


def filter_mask(columns, fieldname, value):
    """Which documents have this city, topic or kind (a boolean array by docnum)."""
    if fieldname == "city":
        return (columns["city_mask"] & (1 << CITIES.index(value))) != 0
    if fieldname == "topic":
        return columns["topic_n"] == TOPICS.index(value) + 1
    return columns["kind_n"] == KINDS.index(value) + 1


def literals(tree):
    """The positive terms of a query, normalized: what a snippet highlights."""
    out = []

    def walk(node, positive=True):
        if isinstance(node, Lit):
            if positive and node.field not in ("author",) + FILTER_FIELDS:
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


class Evaluator:
    """Runs a parsed query on one index snapshot (search.engine) → engine.Hits."""

    def __init__(self, snapshot):
        self.snap = snapshot

    def run(self, node):
        if isinstance(node, Lit):
            return self.literal(node)
        if node.op == "or":
            result = Hits.none()
            for child in node.children:
                result = result | self.run(child)
            return result
        if node.op == "not":
            return self.everything() - self.run(node.children[0])
        positives = [c for c in node.children if not _is_not(c)]
        result = self.run(positives[0]) if positives else self.everything()
        for child in positives[1:]:
            result = result & self.run(child)
        for child in node.children:
            if _is_not(child):
                result = result - self.run(child.children[0])
        return result

    def everything(self):
        docs = np.flatnonzero(self.snap.articles)
        return Hits(docs, np.zeros(len(docs), np.float32))

    def literal(self, lit):
        if lit.field in FILTER_FIELDS:
            if _is_filter_value(lit):
                return self.having(lit.field, lit.text)
            lit = Lit(f"{lit.field}:{lit.text}")             # not a filter value: plain text
        text = normalize(lit.text)
        if lit.field == "author":
            # Authors are indexed as printed; a query in traditional characters or full
            # width finds them by its normalized (simplified) form too.
            value = lit.text.strip()
            return self.keyword("author", *dict.fromkeys((value, normalize(value))))
        if lit.field == "place":
            return self.keyword("place", lit.text.strip()) | self.grams(text, TEXT_FIELDS)
        fields = ("title",) if lit.field == "title" else TEXT_FIELDS
        if lit.prefix:
            return self.prefix(text, fields)
        pieces = [text] if lit.phrase else chunks(text)
        if len(pieces) <= 1:
            return self.clause(text, fields)
        # Each piece must occur; the whole term in one piece scores extra.
        result = self.clause(pieces[0], fields)
        for piece in pieces[1:]:
            result = result & self.clause(piece, fields)
        exact = self.grams(text, fields)
        return result.boosted_by(Hits(exact.docs, exact.scores * EXACT_BOOST))

    def clause(self, text, fields):
        """Must contain `text` (character grams); jieba's words add to the score."""
        found = self.grams(text, fields)
        for word in analysis.index_words(text):
            found = found.boosted_by(self.words(word, fields))
        return found

    def grams(self, text, fields):
        terms = analysis.phrase_terms(text)
        if not terms:
            return Hits.none()
        if len(terms) == 1 and len(terms[0]) == 1 and analysis.is_cjk(terms[0]):
            # One character: the character ending a run, or any pair it starts.
            per_field = {}
            for f in fields:
                name = f"{f}_g"
                # expand() includes the character itself when it is a term: list it once.
                variants = list(dict.fromkeys([terms[0]] + self.snap.expand(name, terms[0], MAX_EXPANSION)))
                per_field[name] = _merge([self.snap.postings(name, t) for t in variants])
        else:
            per_field = {f"{f}_g": self.snap.phrase(f"{f}_g", terms) for f in fields}
        return self._scored(per_field)

    def words(self, word, fields):
        suffix = analysis.word_field(word)
        return self._scored({f"{f}_{suffix}": self.snap.postings(f"{f}_{suffix}", word) for f in fields})

    def prefix(self, text, fields):
        """Words starting with `text`: from the words fields, and the two-character words
        that the grams fields hold (see analysis.word_field)."""
        words = set()
        for f in fields:
            words.update(self.snap.expand(f"{f}_w", text, MAX_EXPANSION))
            words.update(t for t in self.snap.expand(f"{f}_g", text, MAX_EXPANSION)
                         if analysis.word_field(t) == "g")
        result = Hits.none()
        for word in sorted(words)[:MAX_EXPANSION]:
            result = result | self.words(word, fields)
        return result

    def having(self, fieldname, value):
        """The articles with this city, topic or kind (a filter inside the query), unscored."""
        docs = np.flatnonzero(filter_mask(self.snap.columns, fieldname, value) & self.snap.articles)
        return Hits(docs, np.zeros(len(docs), np.float32))

    def keyword(self, field, *values):
        """Documents with any of these keywords, each scoring 1."""
        docs = engine._union([self.snap.postings(field, v).docs for v in values])
        return Hits(docs, np.ones(len(docs), np.float32))

    def _scored(self, per_field):
        df = len(engine._union([p.docs for p in per_field.values()]))
        docs, scores = self.snap.bm25f(per_field, df)
        return Hits(docs, scores)


def _merge(postings):
    """One posting list from several (the expansions of a single character)."""
    postings = [p for p in postings if len(p.docs)]
    if not postings:
        return engine.Postings.empty()
    docs = np.concatenate([p.docs for p in postings])
    tf = np.concatenate([p.tf for p in postings])
    unique, inverse = np.unique(docs, return_inverse=True)
    return engine.Postings(unique, np.bincount(inverse, weights=tf).astype(np.float32))


def _is_not(node):
    return isinstance(node, Node) and node.op == "not"
