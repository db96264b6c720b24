"""The query language, and how a query becomes a Whoosh query.

    太忻 一体化            both (words are ANDed)
    "推动先进要素集聚"      the exact phrase
    太忻 OR 雄安           either
    -疫情  NOT 疫情        without
    title:太忻            in the headline (kicker, title, subtitle)
    author:陈剑  place:晋祠  city:太原  topic:经济   by field
    综改*                 words starting with 综改
    (太原 OR 忻州) 项目     grouping

Parsing never fails: an unbalanced quote closes at the end, a stray parenthesis or an
unknown field is read as plain text. The parser returns a small tree; `to_whoosh` turns
it into Whoosh queries over the index fields (see search.index).

Matching: a term must occur as a substring (after normalization), which the character
pair field guarantees whatever jieba made of the text. A term longer than one word (老旧
小区改造) is cut by jieba and its words are ANDed, so scattered words also match, while
the exact sequence adds to the score. jieba's words add word-level BM25 ranking.
"""
import re
from dataclasses import dataclass, field
from typing import List, Optional

from whoosh import query as wq

from . import analysis
from .text import normalize

TITLE_BOOST = 3.0
EXACT_BOOST = 2.0
WORD_BOOST = 1.0
MAX_EXPANSION = 200       # words a prefix (综改*) or a single character may expand to
MAX_TERMS = 32            # terms per query; the rest of a very long query is ignored
TEXT_FIELDS = ("title", "body")
FILTER_FIELDS = ("city", "topic", "kind")
FIELDS = ("title", "author", "place") + FILTER_FIELDS


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
    """A query string → a tree of Node/Lit, or None for an empty query."""
    toks = tokens(qstring)
    pos = 0

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
                return Lit("NOT")
            inner = parse_unary(depth)
            return Node("not", [inner]) if inner is not None else None
        if tok.startswith("-") and len(tok) > 1:
            inner = atom(tok[1:], depth)
            return Node("not", [inner]) if inner is not None else None
        return atom(tok, depth)

    def atom(tok, depth):
        if tok == "(":
            inner = parse_or(depth + 1)
            if peek() == ")":
                take()
            return inner
        if tok.startswith('"'):
            text = tok.strip('"').strip()
            return Lit(text, phrase=True) if text else None
        fieldname, sep, rest = tok.partition(":")
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
    """(text query tree without field filters, {filter field: [values]})."""
    filters = {}

    def walk(node, positive=True):
        if isinstance(node, Lit):
            if node.field in FILTER_FIELDS and positive:
                filters.setdefault(node.field, []).append(node.text)
                return None
            return node
        kids = [walk(c, positive and node.op != "not") for c in node.children]
        kids = [k for k in kids if k is not None]
        if not kids:
            return None
        if node.op != "not" and len(kids) == 1:
            return kids[0]
        return Node(node.op, kids)

    return (walk(tree) if tree is not None else None), filters


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


class Builder:
    """Turns a parsed tree into a Whoosh query; needs a reader to expand prefixes."""

    def __init__(self, reader):
        self.reader = reader
        self.count = 0

    def build(self, node):
        if isinstance(node, Lit):
            return self.literal(node)
        if node.op == "or":
            return wq.Or([self.build(c) for c in node.children])
        if node.op == "not":
            return wq.AndNot(match_all(), self.build(node.children[0]))
        positives = [self.build(c) for c in node.children if not _is_not(c)]
        negatives = [self.build(c.children[0]) for c in node.children if _is_not(c)]
        query = wq.And(positives) if positives else match_all()
        if negatives:
            query = wq.AndNot(query, wq.Or(negatives))
        return query

    def literal(self, lit):
        self.count += 1
        if self.count > MAX_TERMS:
            return match_all()
        text = normalize(lit.text)
        if lit.field == "author":
            return wq.Term("author", lit.text.strip())
        if lit.field == "place":
            return wq.Or([wq.Term("place", lit.text.strip()), self.recall(text, TEXT_FIELDS)])
        fields = ("title",) if lit.field == "title" else TEXT_FIELDS
        if lit.prefix:
            return self.prefix(text, fields)
        if lit.phrase:
            return self.clause(text, fields)
        pieces = chunks(text)
        if len(pieces) <= 1:
            return self.clause(text, fields)
        # Each piece must occur; the whole term in one piece scores extra.
        return wq.AndMaybe(wq.And([self.clause(p, fields) for p in pieces]),
                           wq.Or([self.grams(f, text) for f in fields], boost=EXACT_BOOST))

    def clause(self, text, fields):
        """Must contain `text`; ranked by jieba's words as well."""
        recall = self.recall(text, fields)
        words = [w for w in analysis.index_words(text)]
        if not words:
            return recall
        ranking = wq.Or([wq.Term(f"{f}_w", w, boost=_boost(f) * WORD_BOOST) for f in fields for w in words])
        return wq.AndMaybe(recall, ranking)

    def recall(self, text, fields):
        return wq.Or([self.grams(f, text) for f in fields])

    def grams(self, fieldname, text):
        name = f"{fieldname}_g"
        terms = analysis.phrase_terms(text)
        boost = _boost(fieldname)
        if not terms:
            return wq.NullQuery()
        if len(terms) > 1:
            return wq.Phrase(name, terms, boost=boost)
        term = terms[0]
        if len(term) == 1 and analysis.is_cjk(term):
            # One character: the pairs it starts, or the character ending a run.
            return wq.Or([wq.Term(name, term, boost=boost), *self.expand(name, term, boost)])
        return wq.Term(name, term, boost=boost)

    def prefix(self, text, fields):
        return wq.Or([q for f in fields for q in self.expand(f"{f}_w", text, _boost(f))] or [wq.NullQuery()])

    def expand(self, fieldname, prefix, boost):
        out = []
        for term in self.reader.expand_prefix(fieldname, prefix):
            out.append(wq.Term(fieldname, term.decode("utf-8"), boost=boost))
            if len(out) >= MAX_EXPANSION:
                break
        return out


def _boost(fieldname):
    return TITLE_BOOST if fieldname == "title" else 1.0


def _is_not(node):
    return isinstance(node, Node) and node.op == "not"


def match_all():
    """Every article (not the dump records that share the index)."""
    return wq.Or([wq.Term("kind", k) for k in ("article", "photo", "notice")])
