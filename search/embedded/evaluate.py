"""A query tree (search.query) evaluated on one Snapshot: Lit and Node → Hits.

Matching: a term must occur as a substring (after normalization), which the character
grams field guarantees whatever jieba made of the text. A term longer than one word (老旧
小区改造) is cut into chunks (jieba's words) that must all occur, so scattered words also
match, while the exact sequence adds to the score. jieba's words add word-level BM25
ranking. A filter field inside the tree (under OR or NOT) is the set of articles having
that value.
"""
import numpy as np

from .. import analysis, schema
from ..query import Lit, chunks
from ..query.tree import is_not
from ..text import normalize
from .hits import Hits, union
from .snapshot import Postings

EXACT_BOOST = 1.0
MAX_EXPANSION = 200       # words a prefix (综改*) or a single character may expand to
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
        positives = [c for c in node.children if not is_not(c)]
        result = self.run(positives[0]) if positives else self.everything()
        for child in positives[1:]:
            result = result & self.run(child)
        for child in node.children:
            if is_not(child):
                result = result - self.run(child.children[0])
        return result

    def everything(self):
        return Hits.unscored(np.flatnonzero(self.snap.articles))

    def literal(self, lit):
        if lit.field in schema.FILTERS:
            column = schema.FILTERS[lit.field]
            value = column.value(lit.text)
            if value is not None:
                return Hits.unscored(self.snap.having(column, value))
            lit = Lit(f"{lit.field}:{lit.text}")             # not a filter value: plain text
        text = normalize(lit.text)
        if lit.field == "author":
            # Authors are indexed as printed; a query in traditional characters or full
            # width finds them by its normalized (simplified) form too.
            value = lit.text.strip()
            return self.keyword("author", *dict.fromkeys((value, normalize(value))))
        if lit.field == "place":
            return self.keyword("place", lit.text.strip()) | self.grams(text, TEXT_FIELDS)
        fields = (lit.field,) if lit.field in schema.TEXT else TEXT_FIELDS
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
                name = schema.TEXT[f].grams
                # expand() includes the character itself when it is a term: list it once.
                variants = list(dict.fromkeys([terms[0]] + self.snap.expand(name, terms[0], MAX_EXPANSION)))
                per_field[name] = _merge([self.snap.postings(name, t) for t in variants])
        else:
            per_field = {schema.TEXT[f].grams: self.snap.phrase(schema.TEXT[f].grams, terms) for f in fields}
        return self._scored(per_field)

    def words(self, word, fields):
        names = [schema.TEXT[f].field_for_word(word) for f in fields]
        return self._scored({name: self.snap.postings(name, word) for name in names})

    def prefix(self, text, fields):
        """Words starting with `text`: from the words fields, and the two-character words
        that the grams fields hold (see analysis.is_gram_word)."""
        words = set()
        for f in fields:
            words.update(self.snap.expand(schema.TEXT[f].words, text, MAX_EXPANSION))
            words.update(t for t in self.snap.expand(schema.TEXT[f].grams, text, MAX_EXPANSION)
                         if analysis.is_gram_word(t))
        result = Hits.none()
        for word in sorted(words)[:MAX_EXPANSION]:
            result = result | self.words(word, fields)
        return result

    def keyword(self, field, *values):
        """Documents with any of these keywords, each scoring 1."""
        return Hits.unscored(union([self.snap.postings(field, v).docs for v in values]), 1.0)

    def _scored(self, per_field):
        df = len(union([p.docs for p in per_field.values()]))
        docs, scores = self.snap.bm25f(per_field, df)
        return Hits(docs, scores)


def _merge(postings):
    """One posting list from several (the expansions of a single character)."""
    postings = [p for p in postings if len(p.docs)]
    if not postings:
        return Postings.empty()
    docs = np.concatenate([p.docs for p in postings])
    tf = np.concatenate([p.tf for p in postings])
    unique, inverse = np.unique(docs, return_inverse=True)
    return Postings(unique, np.bincount(inverse, weights=tf).astype(np.float32))
