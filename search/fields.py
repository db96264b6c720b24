"""Whoosh field types for Chinese text: jieba words and exact-match grams.

They index normalized text straight into postings, without Whoosh's analyzer pipeline:
jieba's stock `ChineseAnalyzer` stores character offsets as positions and emits
overlapping search-mode tokens, which breaks every phrase query; and building one Python
token object per character costs more than all the rest of indexing.
"""
import sys
from array import array
from collections import Counter

from whoosh import fields, formats
from whoosh.system import pack_uint

from . import analysis
from .text import normalize


class Words(fields.FieldType):
    """jieba words with their frequencies, for BM25 ranking (no positions). Two-character
    words are left to the grams field, where the same term is indexed anyway."""

    def __init__(self, field_boost=1.0):
        super().__init__(formats.Frequency(field_boost=field_boost), analyzer=None, scorable=True)

    def frequencies(self, value):
        """word → how often it occurs in `value` (two-character words: see word_field)."""
        return Counter(w for w in analysis.index_words(normalize(value))
                       if len(w) != 2 or analysis.word_field(w) == "w")

    def index(self, value, **kwargs):
        boost = self.format.field_boost
        for word, freq in self.frequencies(value).items():
            yield word.encode("utf-8"), freq, freq * boost, pack_uint(freq)

    def tokenize(self, value, **kwargs):
        raise NotImplementedError("query terms are built by search.query, not by Whoosh's parser")


class PackedPositions(formats.Positions):
    """Positions as packed little-endian 32-bit integers: Whoosh's own Positions format
    pickles a list of deltas per term and document, which cost more than tokenizing."""

    def encode(self, poslist):
        packed = array("I", poslist)
        if sys.byteorder == "big":
            packed.byteswap()
        return packed.tobytes()

    def decode_positions(self, valuestring):
        packed = array("I")
        packed.frombytes(valuestring)
        if sys.byteorder == "big":
            packed.byteswap()
        return packed.tolist()

    def decode_frequency(self, valuestring):
        return len(valuestring) // 4

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost

    def combine(self, vs):
        return self.encode(sorted({p for v in vs for p in self.decode_positions(v)}))


class Grams(fields.FieldType):
    """Overlapping character pairs with positions: exact substring and phrase matching."""

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
        raise NotImplementedError("query terms are built by search.query, not by Whoosh's parser")
