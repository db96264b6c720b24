"""A query tree (search.query) evaluated on one Snapshot: Lit and Node → Hits.

Matching: a term must occur as a substring (after normalization), which the grams field
guarantees whatever jieba made of the text; a phrase's punctuation must be the text's
(search.analysis.phrase_slots). A term longer than one word (老旧小区改造) is cut into
chunks (jieba's words) that must all occur, so scattered words also match, while the exact
sequence adds to the score. jieba's words add word-level BM25 ranking, weighted above the
grams (search.schema: a match of the term as a word ranks first). A plain term also finds
the articles whose byline names it, below any text match. A filter field inside the tree
(under OR or NOT) is the set of articles having that value. NEAR keeps the documents where
occurrences of its two terms stand within its distance of each other, in one field. Words
of a query found next to each other, in the order typed, score extra.
"""
import numpy as np

from .. import analysis, schema
from ..query import Lit, chunks
from ..query.tree import is_not
from ..text import normalize
from .hits import Hits, union

EXACT_BOOST = 2.0
MAX_EXPANSION = 200       # terms a prefix (综改*) or a position of a phrase may expand to
TEXT_FIELDS = tuple(f.name for f in schema.TEXT_FIELDS)


class Evaluator:
    """Runs a parsed query on one index snapshot → Hits."""

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
        if node.op == "near":
            return self.near(node)
        positives = [c for c in node.children if not is_not(c)]
        result = self.run(positives[0]) if positives else self.everything()
        for child in positives[1:]:
            result = result & self.run(child)
        for child in node.children:
            if is_not(child):
                result = result - self.run(child.children[0])
        together = adjacent_words(positives)
        if together:               # the words next to each other, in the order typed, score extra
            result = result.boosted_by(self.grams(together, TEXT_FIELDS).scaled(EXACT_BOOST))
        return result

    def everything(self):
        return Hits.unscored(np.flatnonzero(self.snap.articles))

    def literal(self, lit):
        found = self._literal(lit)
        return found.scaled(schema.ALIAS_WEIGHT) if lit.alias else found

    def _literal(self, lit):
        if lit.field in schema.FILTERS:
            column = schema.FILTERS[lit.field]
            value = column.value(lit.text)
            if value is not None:
                return Hits.unscored(self.snap.having(column, value))
            lit = Lit(f"{lit.field}:{lit.text}")             # not a filter value: plain text
        text = normalize(lit.text)
        if lit.field == "author":
            return self.byline(lit.text, 1.0)
        if lit.field == "place":
            return self.keyword("place", lit.text.strip()) | self.grams(text, TEXT_FIELDS)
        fields = (lit.field,) if lit.field in schema.TEXT else TEXT_FIELDS
        if lit.prefix:
            return self.prefix(text, fields)
        found = self.text(text, lit.phrase, fields)
        if lit.field is None:
            found = found | self.byline(lit.text, schema.BYLINE_WEIGHT, df=len(found.docs))
        return found

    def text(self, text, phrase, fields):
        """A term (or a phrase) in these text fields."""
        pieces = [text] if phrase else chunks(text)
        if len(pieces) <= 1:
            return self.clause(text, fields)
        # Each piece must occur; the whole term in one piece scores extra.
        result = self.clause(pieces[0], fields)
        for piece in pieces[1:]:
            result = result & self.clause(piece, fields)
        return result.boosted_by(self.grams(text, fields).scaled(EXACT_BOOST))

    def clause(self, text, fields):
        """Must contain `text` (its grams); jieba's words add to the score."""
        found = self.grams(text, fields)
        for word in dict.fromkeys(analysis.index_words(text)):
            found = found.boosted_by(self.words(word, fields))
        return found

    def grams(self, text, fields):
        per_field = {}
        for f in fields:
            name = schema.TEXT[f].grams
            per_field[name] = self.snap.phrase(name, self._slots(name, text))
        return self._scored(per_field).scaled(schema.GRAMS_WEIGHT)

    def _slots(self, field, text):
        """(offset, terms) of a phrase of `text` in an index field, prefixes expanded."""
        slots = []
        for slot in analysis.phrase_slots(text):
            terms = list(slot.terms)
            for prefix in slot.prefixes:
                terms.extend(self.snap.expand(field, prefix, MAX_EXPANSION))
            slots.append((slot.offset, list(dict.fromkeys(terms))))
        return slots

    def words(self, word, fields):
        return self._scored({schema.TEXT[f].words: self.snap.postings(schema.TEXT[f].words, word) for f in fields})

    def prefix(self, text, fields):
        """Words starting with `text`, and the pairs of two Chinese characters that do (综改*
        finds 综改 inside 山西综改示范区, which jieba keeps as one word)."""
        words, pairs = set(), set()
        for f in fields:
            words.update(self.snap.expand(schema.TEXT[f].words, text, MAX_EXPANSION))
            pairs.update(t for t in self.snap.expand(schema.TEXT[f].grams, text, MAX_EXPANSION)
                         if len(t) == 2 and all(analysis.is_cjk(ch) for ch in t))
        result = Hits.none()
        for word in sorted(words)[:MAX_EXPANSION]:
            result = result | self.words(word, fields)
        for pair in sorted(pairs)[:MAX_EXPANSION]:
            result = result | self.grams(pair, fields)
        return result

    def keyword(self, field, *values):
        """Documents with any of these keywords, each scoring 1."""
        return Hits.unscored(union([self.snap.postings(field, v).docs for v in values]), 1.0)

    def byline(self, name, weight, df=0):
        """The articles whose authors include `name` (as printed, or normalized: a query in
        traditional characters finds a simplified byline), scoring `weight` × the idf of
        the name among them and `df` other matches."""
        value = name.strip()
        found = self.keyword("author", *dict.fromkeys((value, normalize(value))))
        return found.scaled(weight * self.snap.idf(df + len(found.docs)))

    def near(self, node):
        """Both terms, where an occurrence of one is within `distance` characters of one of
        the other in the same field. (Terms that are not text, like a byline, match
        nowhere near anything: NEAR reads as AND for them.)"""
        both = self.run(node.children[0]) & self.run(node.children[1])
        fields = [_fields(child) for child in node.children]
        if None in fields:
            return both
        close = []
        for f in set(fields[0]) & set(fields[1]):
            name = schema.TEXT[f].grams
            a, b = (self._occurrences(name, child) for child in node.children)
            close.append(_within(a, b, node.distance))
        return both.where_in(union(close))

    def _occurrences(self, field, node):
        """(start keys, end keys) of a term's occurrences (an OR of aliases: of any)."""
        lits = [node] if isinstance(node, Lit) else node.children
        starts, ends = [], []
        for lit in lits:
            text = normalize(lit.text)
            keys = self.snap.phrase(field, self._slots(field, text), keys=True).keys
            starts.append(keys)
            ends.append(keys + max(analysis.phrase_units(text) - 1, 0))
        order = np.argsort(np.concatenate(starts), kind="stable")
        return np.concatenate(starts)[order], np.concatenate(ends)[order]

    def _scored(self, per_field):
        df = len(union([p.docs for p in per_field.values()]))
        docs, scores = self.snap.bm25f(per_field, df)
        return Hits(docs, scores)


def adjacent_words(nodes):
    """The phrase of two or more plain words typed one after the other (`能 曲沃县`: 能,
    any gap, 曲沃县), or None."""
    words = [n for n in nodes if isinstance(n, Lit) and n.field is None and not (n.phrase or n.prefix or n.alias)]
    return " ".join(normalize(w.text) for w in words) if len(words) >= 2 else None


def _fields(node):
    """The text fields a NEAR operand searches: a text term, or an OR of them (aliases)."""
    lits = [node] if isinstance(node, Lit) else node.children if node.op == "or" else []
    fields = set()
    for lit in lits:
        if not isinstance(lit, Lit) or lit.prefix or lit.field not in (None, *schema.TEXT):
            return None
        fields.update([lit.field] if lit.field else TEXT_FIELDS)
    return fields or None


def _within(a, b, distance):
    """The documents where an occurrence in `a` and one in `b` ((start, end) keys, sorted
    by start) have at most `distance` positions between them (or overlap)."""
    (a_start, a_end), (b_start, b_end) = a, b
    if not len(a_start) or not len(b_start):
        return np.zeros(0, dtype=np.int64)
    near = np.zeros(len(b_start), dtype=bool)
    at = np.searchsorted(a_start, b_start)
    before = np.clip(at - 1, 0, None)          # the last a starting before b
    after = np.clip(at, None, len(a_start) - 1)  # the first a starting at or after b
    same = (a_start[before] >> 32) == (b_start >> 32)
    near |= (at > 0) & same & (b_start - a_end[before] - 1 <= distance)
    same = (a_start[after] >> 32) == (b_start >> 32)
    near |= (at < len(a_start)) & same & (a_start[after] - b_end - 1 <= distance)
    return np.unique(b_start[near] >> 32)
