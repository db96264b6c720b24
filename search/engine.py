"""Query evaluation with numpy over the postings Whoosh stores.

Whoosh evaluates queries one document and one position at a time in Python: on 2,000
documents a phrase query took 40 ms, at 100,000 it would take seconds. Here a term's
postings are read block by block straight into arrays (docnums, term frequencies and, for
phrases, positions), cached per segment, and everything else is vector arithmetic:

* a phrase matches where term k occurs at position p + k for every k, checked for all
  occurrences at once on (docnum << 32 | position) keys;
* AND, OR and NOT are sorted-array intersections, unions and differences;
* scores are BM25F: a term's frequencies in the headline and the body are weighted
  (headline ×3), length-normalized per field, summed, then saturated;
* filters and facets are masks and counts over per-document columns.

The index files are Whoosh's; only reading them goes around Whoosh's matchers. This leans
on Whoosh-Reloaded 2.7.5 internals (the terms reader, block layout, columns), which is
why that version is pinned.
"""
import threading
from collections import OrderedDict

import numpy as np
from whoosh.codec import whoosh3
from whoosh.matching.mcore import ListMatcher
from whoosh.util.numeric import byte_to_length

from . import positions as packed

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 3.0, "body": 1.0}
COLUMNS = ("date", "city_mask", "topic_n", "kind_n")
LENGTH_FIELDS = ("title_w", "title_g", "body_w", "body_g")
CACHE_BYTES = 96 * 2**20
_LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
EMPTY = np.zeros(0, dtype=np.int64)


class Postings:
    """Sorted global docnums, their term frequencies, and optionally position keys."""

    __slots__ = ("docs", "tf", "keys")

    def __init__(self, docs, tf, keys=None):
        self.docs, self.tf, self.keys = docs, tf, keys

    @classmethod
    def empty(cls, with_keys=False):
        return cls(EMPTY, np.zeros(0, np.float32), EMPTY if with_keys else None)


# -- reading one segment ------------------------------------------------------------------------

class _Cache:
    """Least-recently-used arrays, bounded by their total size in bytes."""

    def __init__(self, budget):
        self.budget, self.used = budget, 0
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value, size):
        with self.lock:
            if key in self.items:
                return
            self.items[key] = (value, size)
            self.used += size
            while self.used > self.budget and len(self.items) > 1:
                _, (_, old) = self.items.popitem(last=False)
                self.used -= old


_postings_cache = _Cache(CACHE_BYTES)
_segment_cache = {}
_segment_lock = threading.Lock()


def _read_blocks(matcher, positions):
    """(docnums, weights, positions bytes) of a W3 posting list, a block at a time."""
    ids, weights, values = [], [], []
    while True:
        matcher._read_data()
        deltas, block_weights, block_values = matcher._data
        n = matcher._blocklength
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if block_weights is None:
            weights.append(np.ones(n, np.float32))
        elif isinstance(block_weights, float):
            weights.append(np.full(n, block_weights, np.float32))
        else:
            weights.append(np.asarray(block_weights, np.float32))
        if positions:
            values.extend(block_values)
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return np.concatenate(ids), np.concatenate(weights), values


def _segment_postings(segreader, segment_id, field, term, positions):
    """Cached (local docnums, tf, positions per posting or None) of one segment."""
    key = (segment_id, field, term, positions)
    hit = _postings_cache.get(key)
    if hit is not None:
        return hit[0]
    btext = term.encode("utf-8")
    if (field, btext) not in segreader._terms:
        result = (EMPTY, np.zeros(0, np.float32), [] if positions else None)
    else:
        fmt = segreader.schema[field].format
        matcher = segreader._terms.matcher(field, btext, fmt)
        if isinstance(matcher, ListMatcher):
            docs = np.asarray(matcher._ids, dtype=np.int64)
            tf = np.asarray(matcher._weights, dtype=np.float32)
            values = list(matcher._values) if positions else None
        else:
            docs, tf, values = _read_blocks(matcher, positions)
        if positions:
            counts = np.fromiter((packed.count(v) for v in values), dtype=np.int64, count=len(values))
            values = (counts, packed.decode_many(values, counts))
        result = (docs, tf, values)
    size = result[0].nbytes * 2 + (result[2][1].nbytes * 2 if positions and result[2] else 0) + 200
    _postings_cache.put(key, result, size)
    return result


def _column(segreader, name, n):
    """A numeric column of one segment as an array, read as raw bytes when possible."""
    if not segreader.has_column(name):
        return np.zeros(n, np.int64)
    col = segreader.column_reader(name, translate=False)
    try:
        raw = col._dbfile.get(col._basepos, col._count * col._fixedlen)
        values = np.frombuffer(raw, dtype=">" + col._typecode).astype(np.int64)
        if len(values) < n:
            values = np.concatenate([values, np.full(n - len(values), col._default, np.int64)])
        return values[:n]
    except AttributeError:
        return np.fromiter(col, dtype=np.int64, count=n)


def _lengths(segreader, field, n):
    """Field lengths of one segment (Whoosh keeps them as one-byte approximations)."""
    perdoc, name = segreader._perdoc, whoosh3._lenfield(field)
    if not perdoc.has_column(name):
        return np.zeros(n, np.float32)
    col = perdoc.column_reader(name, whoosh3.LENGTHS_COLUMN)
    try:
        raw = np.frombuffer(col._dbfile.get(col._basepos, col._count), dtype=np.uint8)
        raw = np.concatenate([raw, np.zeros(max(0, n - len(raw)), np.uint8)])[:n]
    except AttributeError:
        raw = np.fromiter(col, dtype=np.uint8, count=n)
    return _LENGTH_TABLE[raw]


def _segment_arrays(segreader):
    """Per-document columns of a segment: facets, field lengths, deletions."""
    segment = segreader.segment()
    key = (segment.segment_id(), segment.deleted_count() if hasattr(segment, "deleted_count") else 0)
    with _segment_lock:
        hit = _segment_cache.get(key)
    if hit is not None:
        return hit
    n = segreader.doc_count_all()
    arrays = {name: _column(segreader, name, n) for name in COLUMNS}
    arrays.update({f"len:{f}": _lengths(segreader, f, n) for f in LENGTH_FIELDS})
    live = np.ones(n, dtype=bool)
    deleted = list(segreader.deleted_docs_set)   # a cached property in Whoosh-Reloaded
    if deleted:
        live[np.asarray(deleted, dtype=np.int64)] = False
    arrays["live"] = live
    with _segment_lock:
        if len(_segment_cache) > 1024:
            _segment_cache.clear()
        _segment_cache[key] = arrays
    return arrays


# -- one generation of the index ------------------------------------------------------------

class Snapshot:
    """Arrays over every document of one reader (one commit), by global docnum.

    `io_lock` guards reading the index files: Whoosh reads them with seek() then read()
    on shared file objects, which threads must not interleave."""

    def __init__(self, reader, io_lock):
        self.reader = reader
        self.io_lock = io_lock
        self.leaves = [(r, base, r.segment().segment_id()) for r, base in reader.leaf_readers()]
        with io_lock:
            parts = [_segment_arrays(r) for r, _, _ in self.leaves]
        if parts:
            self.columns = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
        else:
            self.columns = {name: np.zeros(0, np.int64) for name in COLUMNS + ("live",)}
        live = self.columns["live"]
        self.articles = live & (self.columns["kind_n"] > 0)
        self.n_articles = int(np.count_nonzero(self.articles))
        self.avg_length = {}
        for field in LENGTH_FIELDS:
            lengths = self.columns.get(f"len:{field}")
            total = float(lengths[self.articles].sum()) if lengths is not None and self.n_articles else 0.0
            self.avg_length[field] = total / self.n_articles if self.n_articles else 1.0

    # postings ---------------------------------------------------------------------------
    def postings(self, field, term, positions=False):
        docs, tfs, keys = [], [], []
        for segreader, base, segment_id in self.leaves:
            with self.io_lock:
                d, tf, values = _segment_postings(segreader, segment_id, field, term, positions)
            if not len(d):
                continue
            docs.append(d + base)
            tfs.append(tf)
            if positions:
                counts, pos = values
                keys.append(((d + base).repeat(counts) << 32) | pos)
        if not docs:
            return Postings.empty(positions)
        docs = np.concatenate(docs)
        tf = np.concatenate(tfs)
        live = self.columns["live"][docs]
        posting = Postings(docs[live], tf[live], np.concatenate(keys) if positions else None)
        if positions and not live.all():
            posting.keys = posting.keys[self.columns["live"][posting.keys >> 32]]
        return posting

    def phrase(self, field, terms):
        """Documents where `terms` occur at consecutive positions, with occurrence counts."""
        if len(terms) == 1:
            return self.postings(field, terms[0])
        lists = [self.postings(field, t, positions=True) for t in terms]
        starts = lists[0].keys
        for k, posting in enumerate(lists[1:], 1):
            if not len(starts):
                break
            starts = starts[_contains(posting.keys, starts + k)]
        docs, counts = np.unique(starts >> 32, return_counts=True)
        return Postings(docs, counts.astype(np.float32))

    def expand(self, field, prefix, limit):
        """Terms of a field that start with `prefix`, at most `limit`."""
        out = []
        with self.io_lock:
            for term in self.reader.expand_prefix(field, prefix):
                out.append(term.decode("utf-8"))
                if len(out) >= limit:
                    break
        return out

    # scoring ----------------------------------------------------------------------------
    def bm25f(self, per_field, df):
        """BM25F of one term or phrase from its frequencies per field ({field: Postings})."""
        docs = _union([p.docs for p in per_field.values()])
        if not len(docs):
            return docs, np.zeros(0, np.float32)
        weighted = np.zeros(len(docs), np.float32)
        for field, posting in per_field.items():
            if not len(posting.docs):
                continue
            base = field.split("_")[0]
            lengths = self.columns[f"len:{field}"][posting.docs]
            norm = 1 - B + B * lengths / max(self.avg_length[field], 1.0)
            weighted[np.searchsorted(docs, posting.docs)] += FIELD_WEIGHTS[base] * posting.tf / norm
        n = max(self.n_articles, 1)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        return docs, (idf * weighted * (K1 + 1) / (weighted + K1)).astype(np.float32)


def _contains(sorted_keys, wanted):
    """Which of `wanted` occur in `sorted_keys`."""
    if not len(sorted_keys):
        return np.zeros(len(wanted), dtype=bool)
    idx = np.searchsorted(sorted_keys, wanted)
    idx[idx == len(sorted_keys)] = len(sorted_keys) - 1
    return sorted_keys[idx] == wanted


def _union(arrays):
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


# -- results: documents with scores ----------------------------------------------------------

class Hits:
    """A sorted array of docnums with their scores; the algebra of the query language."""

    __slots__ = ("docs", "scores")

    def __init__(self, docs, scores):
        self.docs, self.scores = docs, scores

    @classmethod
    def none(cls):
        return cls(EMPTY, np.zeros(0, np.float32))

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
