"""Writing Whoosh segments fast, and adopting them into the index in one commit.

Whoosh's SegmentWriter turns every posting into a tuple, sorts them all (spilling sorted
runs to disk once it holds 128 MB, then merging them), and writes them back one by one
through a chain of Python calls: that was 90% of indexing time, about 7 ms per article.
`SegmentBuilder` groups postings by term as documents arrive, in compact arrays, and
writes each term's posting blocks directly in Whoosh's W3 format. The files are the ones
SegmentWriter would write, read by Whoosh's unchanged readers.

Worker processes each fill builders with their own dumps; the parent's ordinary writer
(deletions, dump records) then commits with `adopting(segments)`, so the whole update is
one table-of-contents write: one atomic commit. A full build has no old commit to change:
`publish` makes its segments the index in one table-of-contents write.

Writing a term's posting blocks needs Whoosh-Reloaded 2.7.5's internals (the W3 block
layout, the term index), as Whoosh's own multiprocessing writer does: that part is
search.store.whoosh_internals.write_term.
"""
import itertools
from array import array
from collections import defaultdict
from types import SimpleNamespace

import numpy as np

from whoosh import formats
from whoosh.codec import whoosh3
from whoosh.index import TOC

from ..store import folder, positions
from ..store.fields import Grams, PackedPositions, Words
from ..store.whoosh_internals import BLOCK, write_term
from . import faults

MAX_POSTINGS = 20_000_000        # per segment: about 400 MB of arrays while building
MAX_TERMS = 1_000_000            # distinct terms per segment: ~300 bytes each while building and
                                 # writing (text of random characters makes one a character)
CHUNK = 100_000              # postings and positions turned into Python objects at a time when writing


class _FieldPostings:
    """A field's postings in arrival order, as flat arrays: term id, docnum, frequency and,
    for positional fields, the positions. Grouped by term only when the segment is written
    (a stable numpy sort), which costs far less than a dictionary of lists per term."""

    def __init__(self, field):
        self.format = field.format
        self.positional = isinstance(field.format, PackedPositions)
        self.generic = not self.positional and not isinstance(field.format, (formats.Frequency, formats.Existence))
        self.term_ids = defaultdict(itertools.count().__next__)
        self.tids, self.docs, self.freqs = array("I"), array("I"), array("I")
        self.positions = array("I")
        self.values = []

    def add(self, docnum, terms, freqs, positions=None, values=None):
        ids = self.term_ids
        self.tids.extend([ids[t] for t in terms])
        self.docs.extend(itertools.repeat(docnum, len(self.tids) - len(self.docs)))
        self.freqs.extend(freqs)
        if positions is not None:
            self.positions.extend(itertools.chain.from_iterable(positions))
        if values is not None:
            self.values.extend(values)

    def __len__(self):
        return len(self.tids)

    def write(self, writer, lengths):
        """Every term's postings, in term order, through the segment's field writer.

        Per-posting work is done with numpy (ordering by term, block boundaries, docnum
        deltas, block statistics); what Whoosh's block format needs as Python objects (and
        the packed positions) is made a chunk of terms at a time, about CHUNK postings and
        positions, so that memory stays a few arrays of the field's postings."""
        n = len(self.tids)
        if not n:
            return
        terms = sorted(self.term_ids)
        rank = np.empty(len(terms), dtype=np.uint32)
        rank[np.fromiter((self.term_ids[t] for t in terms), dtype=np.int64, count=len(terms))] = \
            np.arange(len(terms), dtype=np.uint32)
        tids = np.frombuffer(self.tids, dtype=np.uint32)
        order = np.argsort(rank[tids], kind="stable").astype(np.uint32)
        ranks = rank[tids[order]]
        starts = np.flatnonzero(np.r_[True, ranks[1:] != ranks[:-1]])   # one per term, in term order
        del ranks
        ends = np.r_[starts[1:], n]
        docs = np.frombuffer(self.docs, dtype=np.uint32)[order]
        freqs_in = np.frombuffer(self.freqs, dtype=np.uint32)
        freqs = freqs_in[order]
        offset_in_term = np.arange(n, dtype=np.int64) - np.repeat(starts, ends - starts)
        block_start = offset_in_term % BLOCK == 0
        del offset_in_term
        deltas = np.diff(docs, prepend=np.uint32(0))
        deltas[block_start] = docs[block_start]
        blocks = np.flatnonzero(block_start)
        del block_start
        stats = _BlockStats(blocks, freqs, self.format.field_boost,
                            np.frombuffer(lengths, dtype=np.uint32)[docs] if lengths is not None else None)
        block_of_term = np.searchsorted(blocks, starts)
        if self.positional:       # where each posting's positions start, in arrival order
            first_position = np.cumsum(freqs_in, dtype=np.int64) - freqs_in
        elif not self.generic and self.format.fixed_value_size():
            packed = freqs.astype(">u4").tobytes()     # Frequency: the packed frequency
        work = np.cumsum(freqs if self.positional else np.ones(n, np.uint32), dtype=np.int64)
        work += np.arange(1, n + 1)                     # postings and positions done, by posting

        g = 0
        while g < len(terms):                           # a chunk of terms, ~CHUNK postings and positions
            last = int(np.searchsorted(starts, np.searchsorted(work, work[starts[g]] + CHUNK), side="right"))
            last = max(last, g + 1)
            lo0, hi0 = int(starts[g]), int(ends[last - 1])
            chunk_docs, chunk_deltas = docs[lo0:hi0].tolist(), deltas[lo0:hi0].tolist()
            chunk_freqs = freqs[lo0:hi0].tolist()
            first_block = int(block_of_term[g])
            chunk_stats = stats.lists(first_block, int(np.searchsorted(blocks, hi0)))
            if self.positional:
                packed, offsets, sizes = self._packed_positions(order[lo0:hi0], first_position, freqs_in)
                chunk_offsets, chunk_ends = offsets.tolist(), (offsets + sizes).tolist()
            for t in range(g, last):
                lo, hi = int(starts[t]) - lo0, int(ends[t]) - lo0
                if self.positional:
                    values = [packed[a:b] for a, b in zip(chunk_offsets[lo:hi], chunk_ends[lo:hi])]
                elif self.generic:
                    values = [self.values[i] for i in order[lo0 + lo:lo0 + hi].tolist()]
                elif self.format.fixed_value_size():
                    values = packed[4 * (lo0 + lo):4 * (lo0 + hi)]
                else:
                    values = None
                term = terms[t]
                tbytes = term.encode("utf-8") if isinstance(term, str) else term
                write_term(writer, tbytes, lo, hi, chunk_deltas, chunk_docs, chunk_freqs, values, chunk_stats,
                           int(block_of_term[t]) - first_block)
            g = last

    def _packed_positions(self, picked, first_position, freqs_in):
        """The packed positions (search.store.positions) of the postings `picked`, in that
        order: (buffer, offset and size of each value)."""
        counts = freqs_in[picked].astype(np.int64)
        value_starts = first_position[picked]
        gathered = np.repeat(value_starts - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
        return positions.encode_many(np.frombuffer(self.positions, dtype=np.uint32)[gathered], counts)


class _BlockStats:
    """Per-block maximum weight, weight range and field-length range, for every block (as
    arrays; `lists` gives a run of blocks as the Python lists write_term reads)."""

    def __init__(self, blocks, freqs, boost, lengths):
        weights = freqs.astype(np.float64) * boost
        self.max_weight = np.maximum.reduceat(weights, blocks)
        self.uniform = np.minimum.reduceat(weights, blocks) == self.max_weight
        self.weight_sum = np.add.reduceat(weights, blocks)
        if lengths is None:
            self.min_length = self.max_length = np.zeros(len(blocks), np.uint32)
        else:
            self.min_length = np.minimum.reduceat(lengths, blocks)
            self.max_length = np.maximum.reduceat(lengths, blocks)

    def lists(self, lo, hi):
        return SimpleNamespace(**{name: getattr(self, name)[lo:hi].tolist() for name in
                                  ("max_weight", "uniform", "weight_sum", "min_length", "max_length")})


class SegmentBuilder:
    """Documents in, finished Whoosh segments out (a new one every MAX_POSTINGS postings or
    MAX_TERMS terms), written into `target`'s folder (an open index, or
    search.store.folder.target)."""

    def __init__(self, target, max_postings=MAX_POSTINGS):
        self.target = target
        self.schema = target.schema
        self.codec = whoosh3.W3Codec()
        self.max_postings = max_postings
        self.finished = []
        self._start()

    def _start(self):
        self.segment = self.codec.new_segment(self.target.storage, self.target.indexname)
        self.perdoc = self.codec.per_document_writer(self.target.storage, self.segment)
        self.fields = {}             # field name → _FieldPostings
        self.lengths = {}            # field name → array of field lengths by docnum
        self.docnum = 0

    def add_document(self, **values):
        """Like SegmentWriter.add_document (no boosts, no vectors: our schema has none)."""
        docnum = self.docnum
        self.perdoc.start_doc(docnum)
        for name in sorted(values):
            value = values[name]
            if value is None:
                continue
            field = self.schema[name]
            length = self._index(name, field, value, docnum) if field.indexed else 0
            self.perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                self.perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        self.perdoc.finish_doc()
        self.docnum += 1
        if sum(map(len, self.fields.values())) >= self.max_postings or \
                sum(len(f.term_ids) for f in self.fields.values()) >= MAX_TERMS:
            self._finish_segment()

    def _index(self, name, field, value, docnum):
        postings = self.fields.get(name)
        if postings is None:
            postings = self.fields[name] = _FieldPostings(field)
        if isinstance(field, Grams):
            found = field.positions(value)
            freqs = list(map(len, found.values()))
            postings.add(docnum, found.keys(), freqs, positions=found.values())
        elif isinstance(field, Words):
            found = field.frequencies(value)
            freqs = list(found.values())
            postings.add(docnum, found.keys(), freqs)
        else:
            items = list(field.index(value))
            freqs = [freq for _, freq, _, _ in items]
            postings.add(docnum, [t for t, _, _, _ in items], freqs,
                         values=[v for _, _, _, v in items] if postings.generic else None)
        length = sum(freqs)
        if field.scorable:
            lengths = self.lengths.setdefault(name, array("I"))
            lengths.extend(itertools.repeat(0, docnum + 1 - len(lengths)))
            lengths[docnum] = length
        return length

    def finish(self):
        """Write what is buffered; the finished segments (empty list if no documents)."""
        if self.docnum:
            self._finish_segment()
        else:
            self.perdoc.close()
        return self.finished

    def _finish_segment(self):
        self.perdoc.close()
        writer = self.codec.field_writer(self.target.storage, self.segment)
        for name in sorted(self.fields):
            writer.start_field(name, self.schema[name])
            self.fields[name].write(writer, self.lengths.get(name))
            writer.finish_field()
        writer.close()
        self.segment.set_doc_count(self.docnum)
        # No compound file: Whoosh reads a compound file's parts through BytesIO, copying
        # each whole part (the postings!) into memory when a searcher opens the segment.
        self.finished.append(self.segment)
        faults.reach("segment-written")
        self._start()


def publish(target, segments):
    """Commit `segments` as the whole index in target's folder: a new table of contents,
    one generation past the latest, written aside and renamed into place (Whoosh's TOC), so
    a reader opens the old commit or this one. The old commit's files stay until
    search.index.recovery.clean removes them."""
    generation = folder.latest_generation(target.storage.folder) + 1
    TOC(target.schema, list(segments), generation).write(target.storage, target.indexname)


def adopting(segments, merge=None):
    """A merge policy for the parent's commit: the index's segments and the workers' new
    ones, made fewer by `merge` (a function of the list: search.index.merging.merging)."""
    def policy(writer, existing):
        found = list(existing) + list(segments)
        return merge(found) if merge else found
    return policy
