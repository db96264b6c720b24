"""Documents with scores as sorted numpy arrays: the algebra a query tree becomes, and
the order results are shown in."""
import numpy as np

EMPTY = np.zeros(0, dtype=np.int64)


class Hits:
    """A sorted array of docnums with their scores; the algebra of the query language."""

    __slots__ = ("docs", "scores")

    def __init__(self, docs, scores):
        self.docs, self.scores = docs, scores

    @classmethod
    def none(cls):
        return cls(EMPTY, np.zeros(0, np.float32))

    @classmethod
    def unscored(cls, docs, score=0.0):
        return cls(docs, np.full(len(docs), score, np.float32))

    def __and__(self, other):
        docs, i, j = np.intersect1d(self.docs, other.docs, assume_unique=True, return_indices=True)
        return Hits(docs, self.scores[i] + other.scores[j])

    def __or__(self, other):
        docs = sorted_unique(np.concatenate((self.docs, other.docs)))
        scores = np.zeros(len(docs), np.float32)
        scores[np.searchsorted(docs, self.docs)] += self.scores
        scores[np.searchsorted(docs, other.docs)] += other.scores
        return Hits(docs, scores)

    def __sub__(self, other):
        keep = ~np.isin(self.docs, other.docs, assume_unique=True)
        return Hits(self.docs[keep], self.scores[keep])

    def boosted_by(self, other):
        """Add the scores of `other` where it also matches (AND MAYBE)."""
        common, i, j = np.intersect1d(self.docs, other.docs, assume_unique=True, return_indices=True)
        scores = self.scores.copy()
        scores[i] += other.scores[j]
        return Hits(self.docs, scores)

    def where(self, mask):
        keep = mask[self.docs]
        return Hits(self.docs[keep], self.scores[keep])

    def where_in(self, docs):
        """Only the documents also in these sorted docnums."""
        keep = np.isin(self.docs, docs, assume_unique=True)
        return Hits(self.docs[keep], self.scores[keep])

    def scaled(self, factor):
        return Hits(self.docs, (self.scores * factor).astype(np.float32)) if factor != 1 else self


def union(arrays):
    """The sorted docnums in any of these sorted arrays."""
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return EMPTY
    return arrays[0] if len(arrays) == 1 else sorted_unique(np.concatenate(arrays))


def sorted_unique(values):
    """np.unique by sorting. numpy ≥ 2.3 answers plain np.unique with a std::unordered_set
    (an allocation per element): 3× slower on a common word's postings, 10× in a process
    whose heap is large."""
    values = np.sort(values)
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


UNDATED_LAST = 10 ** 9          # above any YYYYMMDD: where undated articles go when oldest come first


def order(found, dates, sort, top):
    """Indexes into `found` of its best `top` documents, best first.

    By relevance: score, then newest, then docnum; by date: newest, then score, then
    docnum; oldest: oldest (undated last), then score, then docnum. Compared one key
    after the other (never folded into one number, which lets a date outweigh a small
    difference of score), and ending with docnum, so the order is total and consecutive
    pages continue one order."""
    scores = found.scores.astype(np.float64)
    days = dates[found.docs].astype(np.int64)
    if sort == "oldest":
        first, second = np.where(days > 0, days, UNDATED_LAST), -scores
    elif sort == "date":
        first, second = -days, -scores
    else:
        first, second = -scores, -days
    candidates = np.arange(len(first))
    if len(first) > top:
        kth = np.partition(first, top - 1)[top - 1]
        candidates = np.flatnonzero(first <= kth)        # the top, and everything tied with its last
    return candidates[np.lexsort((found.docs[candidates], second[candidates], first[candidates]))][:top]
