"""Whoosh field types for Chinese text: jieba words and exact-match grams.

Their class paths are pickled into every index's table of contents, so they are part of
the index format: indexes written before this package existed name them `search.fields.*`,
which search/fields.py still answers.

They index normalized text straight into postings, without Whoosh's analyzer pipeline:
jieba's stock `ChineseAnalyzer` stores character offsets as positions and emits
overlapping search-mode tokens, which breaks every phrase query; and building one Python
token object per character costs more than all the rest of indexing.
"""
from collections import Counter

from whoosh import fields, formats
from whoosh.system import pack_uint

from .. import analysis
from ..text import normalize
from . import positions


class Words(fields.FieldType):
    """jieba words with their frequencies, for BM25 ranking (no positions)."""

    def __init__(self, field_boost=1.0):
        super().__init__(formats.Frequency(field_boost=field_boost), analyzer=None, scorable=True)

    def frequencies(self, value):
        """word → how often it occurs in `value`."""
        return Counter(analysis.index_words(normalize(value)))

    def index(self, value, **kwargs):
        boost = self.format.field_boost
        for word, freq in self.frequencies(value).items():
            yield word.encode("utf-8"), freq, freq * boost, pack_uint(freq)

    def tokenize(self, value, **kwargs):
        raise NotImplementedError("query terms are built by search.embedded, not by Whoosh's parser")


class PackedPositions(formats.Positions):
    """Positions as 16-bit deltas (see search.positions) instead of a pickled list."""

    def encode(self, poslist):
        return positions.encode_one(poslist)

    def decode_positions(self, valuestring):
        return positions.decode_one(valuestring)

    def decode_frequency(self, valuestring):
        return positions.count(valuestring)

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost

    def combine(self, vs):
        return self.encode(sorted({p for v in vs for p in self.decode_positions(v)}))


class Grams(fields.FieldType):
    """Unit pairs and what stands between units, with positions: exact substring and phrase
    matching (search.analysis.gram_positions)."""

    def __init__(self, field_boost=1.0):
        super().__init__(PackedPositions(field_boost=field_boost), analyzer=None, scorable=True)

    def positions(self, value):
        """gram → its positions in `value`, ascending."""
        return analysis.gram_positions(normalize(value))

    def index(self, value, **kwargs):
        boost = self.format.field_boost
        encode = self.format.encode
        for term, poslist in self.positions(value).items():
            yield term.encode("utf-8"), len(poslist), len(poslist) * boost, encode(poslist)

    def tokenize(self, value, **kwargs):
        raise NotImplementedError("query terms are built by search.embedded, not by Whoosh's parser")
