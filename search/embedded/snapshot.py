"""One commit of the index as numpy arrays: postings, per-document columns, BM25F.

Whoosh evaluates queries one document and one position at a time in Python: on 2,000
documents a phrase query took 40 ms, at 100,000 it would take seconds. Here a term's
postings are read block by block straight into arrays (docnums, term frequencies and, for
phrases, positions; search.store.whoosh_internals), cached per segment, and the rest is
vector arithmetic:

* a phrase matches where term k occurs at position p + k for every k, checked for all
  occurrences at once on (docnum << 32 | position) keys;
* scores are BM25F: a term's frequencies in each text field are weighted (search.schema),
  length-normalized per field, summed, then saturated;
* filters and facets are masks and counts over the per-document columns of search.schema.
"""
import re
import threading
from collections import OrderedDict

import numpy as np

from .. import schema
from ..store import positions as packed
from ..store import whoosh_internals as internals
from .hits import EMPTY, union

K1 = 1.2
LENGTH_FIELDS = tuple(schema.INDEX_TEXT_FIELDS)
WORD_FIELDS = tuple(f.words for f in schema.TEXT_FIELDS)
BODY_GRAMS = schema.TEXT["body"].grams
_TWO_CHINESE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2}")
CACHE_BYTES = 96 * 2**20


class Postings:
    """Sorted global docnums, their term frequencies, and optionally position keys."""

    __slots__ = ("docs", "tf", "keys")

    def __init__(self, docs, tf, keys=None):
        self.docs, self.tf, self.keys = docs, tf, keys

    @classmethod
    def empty(cls, with_keys=False):
        return cls(EMPTY, np.zeros(0, np.float32), EMPTY if with_keys else None)


# -- reading one segment, cached ----------------------------------------------------------------

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


def _segment_postings(segreader, segment_id, field, term, positions):
    """Cached (local docnums, tf, (counts, positions) or None) of one segment."""
    key = (segment_id, field, term, positions)
    hit = _postings_cache.get(key)
    if hit is not None:
        return hit[0]
    docs, tf, values = internals.read_postings(segreader, field, term, positions)
    if positions and len(docs):
        counts = np.fromiter((packed.count(v) for v in values), dtype=np.int64, count=len(values))
        values = (counts, packed.decode_many(values, counts))
    result = (docs, tf, values)
    size = docs.nbytes * 2 + (values[1].nbytes * 2 if positions and values else 0) + 200
    _postings_cache.put(key, result, size)
    return result


def _segment_arrays(segreader):
    """Per-document columns of a segment: facets, field lengths, deletions."""
    key = internals.segment_key(segreader)
    with _segment_lock:
        hit = _segment_cache.get(key)
    if hit is not None:
        return hit
    n = segreader.doc_count_all()
    arrays = {c.stored: internals.read_column(segreader, c.stored, n) for c in schema.COLUMNS}
    arrays.update({f"len:{f}": internals.read_lengths(segreader, f, n) for f in LENGTH_FIELDS})
    live = np.ones(n, dtype=bool)
    deleted = internals.deleted_docs(segreader)
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
        self._numbered = {}
        self.leaves = [(r, base, r.segment().segment_id()) for r, base in reader.leaf_readers()]
        with io_lock:
            parts = [_segment_arrays(r) for r, _, _ in self.leaves]
        if parts:
            self.columns = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
        else:
            self.columns = {name: np.zeros(0, np.int64) for name in [c.stored for c in schema.COLUMNS] + ["live"]}
        # Dump and meta records have no kind: only articles do.
        self.articles = self.columns["live"] & (self.columns[schema.KIND.stored] > 0)
        # By the KIND column's codes (0: not an article): the weight of each kind's scores.
        self.kind_weight = np.array([1.0] + [schema.KIND_WEIGHTS[k] for k in schema.KIND.values], np.float32)
        kinds = self.columns[schema.KIND.stored]
        self.short_kind = (kinds > 0) & (kinds != schema.KIND.values.index("article") + 1)
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

    def phrase(self, field, slots, keys=False):
        """Documents where, for every (offset, terms) of `slots`, one of the terms occurs at
        the phrase's start + offset: occurrence counts, and with `keys` the start keys."""
        if not slots:
            return Postings.empty(keys)
        if len(slots) == 1 and not keys:
            return self.any_of(field, slots[0][1])
        lists = sorted(((offset, self.any_of(field, terms, positions=True)) for offset, terms in slots),
                       key=lambda pair: len(pair[1].keys))
        offset, first = lists[0]
        starts = first.keys[(first.keys & 0xFFFFFFFF) >= offset] - offset
        for offset, posting in lists[1:]:
            if not len(starts):
                break
            starts = starts[_contains(posting.keys, starts + offset)]
        docs, counts = np.unique(starts >> 32, return_counts=True)
        return Postings(docs, counts.astype(np.float32), starts if keys else None)

    def any_of(self, field, terms, positions=False):
        """The postings of any of these terms: each document once, frequencies summed, the
        positions of all (the terms of one position of a phrase never share a position)."""
        lists = [p for p in (self.postings(field, t, positions) for t in terms) if len(p.docs)]
        if len(lists) <= 1:
            return lists[0] if lists else Postings.empty(positions)
        docs = np.concatenate([p.docs for p in lists])
        tf = np.concatenate([p.tf for p in lists])
        unique, inverse = np.unique(docs, return_inverse=True)
        keys = np.sort(np.concatenate([p.keys for p in lists])) if positions else None
        return Postings(unique, np.bincount(inverse, weights=tf).astype(np.float32), keys)

    def expand(self, field, prefix, limit):
        """Terms of a field that start with `prefix`, at most `limit`."""
        out = []
        with self.io_lock:
            for term in self.reader.expand_prefix(field, prefix):
                out.append(term.decode("utf-8"))
                if len(out) >= limit:
                    break
        return out

    def words(self, prefix, limit):
        """The first `limit` jieba words (words fields) that start with `prefix`, each with
        the number of documents holding it."""
        found = set()
        with self.io_lock:
            for leaf, _, _ in self.leaves:
                for field in WORD_FIELDS:
                    for k, term in enumerate(leaf.expand_prefix(field, prefix)):
                        if k >= limit:
                            break
                        found.add(term.decode("utf-8"))
        chosen = sorted(found)[:limit]
        counts = self.word_counts(chosen)
        return [(word, counts[word]) for word in chosen if word in counts]

    def word_counts(self, candidates):
        """{candidate: documents} of the candidates that are jieba words of the index, or
        pairs of Chinese characters of its grams in two documents or more (a pair in one
        document is often a seam between two words). Exact lookups, no term list is read;
        a pair (every two-character word is one) is first looked for in the bodies only."""
        out = {}
        with self.io_lock:
            for word in candidates:
                pair = _TWO_CHINESE.fullmatch(word) is not None
                if pair and not any((BODY_GRAMS, word) in leaf for leaf, _, _ in self.leaves):
                    continue
                counts = [sum(leaf.doc_frequency(field, word) for leaf, _, _ in self.leaves) for field in WORD_FIELDS]
                if pair:
                    grams = max(sum(leaf.doc_frequency(f.grams, word) for leaf, _, _ in self.leaves)
                                for f in schema.TEXT_FIELDS)
                    counts.append(grams if grams >= 2 else 0)
                if max(counts):
                    out[word] = max(counts)
        return out

    # scoring ----------------------------------------------------------------------------
    def bm25f(self, per_field, df):
        """BM25F of one term or phrase from its frequencies per index field ({field: Postings})."""
        docs = union([p.docs for p in per_field.values()])
        if not len(docs):
            return docs, np.zeros(0, np.float32)
        weighted = np.zeros(len(docs), np.float32)
        for field, posting in per_field.items():
            if not len(posting.docs):
                continue
            lengths = self.columns[f"len:{field}"][posting.docs]
            average = max(self.avg_length[field], 1.0)
            # A photo caption or a notice counts as at least as long as the average article.
            lengths = np.where(self.short_kind[posting.docs], np.maximum(lengths, average), lengths)
            text_field = schema.INDEX_TEXT_FIELDS[field]
            norm = 1 - text_field.b + text_field.b * lengths / average
            weight = text_field.weight
            weighted[np.searchsorted(docs, posting.docs)] += weight * posting.tf / norm
        return docs, (self.idf(df) * weighted * (K1 + 1) / (weighted + K1)).astype(np.float32)

    def idf(self, df):
        n = max(self.n_articles, 1)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def kind_weights(self, docs):
        """search.schema.KIND_WEIGHTS of these documents."""
        return self.kind_weight[self.columns[schema.KIND.stored][docs]]

    # filters and facets -------------------------------------------------------------------
    def filter_mask(self, filters, hidden=()):
        """The articles passing these search.schema.Filters, but none of the `hidden` ids
        (a boolean array by docnum)."""
        mask = self.articles.copy()
        for column, chosen in filters.chosen():
            mask &= column.mask(self.columns[column.stored], chosen)
        for article_id in hidden:
            mask[self.postings("id", article_id).docs] = False
        return mask

    def having(self, column, value):
        """The articles with this value of a column (a filter inside a query)."""
        return np.flatnonzero(column.having(self.columns[column.stored], value) & self.articles)

    def facets(self, docs, names):
        """{facet: {value: count}} over these docnums, for the facets named."""
        counts = {}
        for column in schema.COLUMNS:
            if not set(column.facets) & set(names):
                continue
            if column.names_field:
                numbers, named = self.numbered(column)
                counts.update(column.count(numbers[docs], named))
            else:
                counts.update(column.count(self.columns[column.stored][docs]))
        return {name: values for name, values in counts.items() if name in names}

    def numbered(self, column):
        """A Named column as small numbers, 1… by document (0: none), and {number: name
        as printed}, the names read from its keyword field: counted with a bincount
        instead of sorting 62-bit keys (8× faster at 50,000 matches). Made once per
        snapshot; a name only deleted articles had counts 0."""
        found = self._numbered.get(column.name)
        if found is None:
            with self.io_lock:          # (an index written before the column has no such field)
                printed = [term.decode("utf-8") for term in self.reader.lexicon(column.names_field)
                           ] if column.names_field in self.reader.schema else []
            by_key = {column.key(name): name for name in reversed(printed)}
            keys = np.array(sorted(by_key), dtype=np.int64)
            stored = self.columns[column.stored]
            at = np.minimum(np.searchsorted(keys, stored), max(len(keys) - 1, 0))
            known = (stored > 0) & (keys[at] == stored) if len(keys) else np.zeros(len(stored), bool)
            numbers = np.where(known, at + 1, 0)
            found = self._numbered[column.name] = (numbers, {i + 1: by_key[int(k)] for i, k in enumerate(keys)})
        return found


def _contains(sorted_keys, wanted):
    """Which of `wanted` occur in `sorted_keys`."""
    if not len(sorted_keys):
        return np.zeros(len(wanted), dtype=bool)
    idx = np.searchsorted(sorted_keys, wanted)
    idx[idx == len(sorted_keys)] = len(sorted_keys) - 1
    return sorted_keys[idx] == wanted
