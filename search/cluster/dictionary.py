"""How many articles of a cluster hold a word: the lookups of “did you mean” (search.suggestions).

A distributed index has no dictionary of its own, so each shard is asked with one
`CALL KEYWORDS(tokens, index, 1)` (its dictionary's document counts, every candidate at
once) and the counts are summed: a dump's articles live on one shard. A candidate counts
as a jieba word (its token: search.cluster.tokens.word_token), and a pair of Chinese
characters also as a gram (its token with no punctuation before it) when two articles or
more hold it, as Engine.word_counts says. Unlike the embedded engine, which takes the
larger of its two words fields, Sphinx counts the articles holding a token in any field
(a name in a byline too); a shard that does not answer is left out: suggestions are a
help, never an error.

Listing the words that start with a prefix (Engine.words, for a character replaced or
added: 综改示范去 → 综改示范区) is not possible: Sphinx 2.2 cannot list its dictionary
through SphinxQL (Manticore's CALL KEYWORDS expands wildcards), so a cluster leaves it out.
"""
import re
import threading

from ..errors import SearchError
from . import tokens
from .config import SHARD_INDEX
from .connection import connect, rows

_TWO_CHINESE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2}")
MIN_PAIR_ARTICLES = 2        # a pair in one article is often the seam between two words


class Dictionary:
    """The shards' dictionaries (thread-safe: a connection per shard and thread)."""

    def __init__(self, cluster):
        self.cluster = cluster
        self._local = threading.local()

    def word_counts(self, candidates):
        """{candidate: articles} of the candidates the shards hold as a word, or as a pair
        of Chinese characters in MIN_PAIR_ARTICLES articles or more."""
        candidates = list(dict.fromkeys(candidates))
        asked = {c: (tokens.word_token(c), tokens.gram_token(c) + "r" if _TWO_CHINESE.fullmatch(c) else None)
                 for c in candidates}
        docs = self._docs({t for pair in asked.values() for t in pair if t})
        out = {}
        for candidate, (word, pair) in asked.items():
            grams = docs.get(pair, 0) if pair else 0
            count = max(docs.get(word, 0), grams if grams >= MIN_PAIR_ARTICLES else 0)
            if count and (pair is None or grams):
                out[candidate] = count
        return out

    def _docs(self, wanted):
        """{token: articles holding it} summed over the shards that answer."""
        totals = {}
        if not wanted:
            return totals
        text = " ".join(sorted(wanted))
        for node in self.cluster.shards:
            try:
                found = rows(self._connection(node), node, f"CALL KEYWORDS(%s, '{SHARD_INDEX}', 1)", (text,))
            except SearchError:
                self._drop(node)
                continue
            for _, tokenized, _, docs, _ in found:
                totals[tokenized] = totals.get(tokenized, 0) + int(docs)
        return totals

    def _connection(self, node):
        conns = self._conns()
        if node.name not in conns:
            conns[node.name] = connect(node)
        return conns[node.name]

    def _drop(self, node):
        conn = self._conns().pop(node.name, None)
        if conn is not None:
            conn.close()

    def _conns(self):
        if not hasattr(self._local, "conns"):
            self._local.conns = {}
        return self._local.conns

    def close(self):
        for conn in self._conns().values():
            conn.close()
        self._local.conns = {}
