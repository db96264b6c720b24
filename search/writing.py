"""Writing Whoosh segments fast, and adopting them into the index in one commit.

Whoosh's SegmentWriter turns every posting into a tuple, sorts them all (spilling sorted
runs to disk once it holds 128 MB, then merging them), and writes them back one by one
through a chain of Python calls: that was 90% of indexing time, about 7 ms per article.
`SegmentBuilder` groups postings by term as documents arrive, in compact arrays, and
writes each term's posting blocks directly in Whoosh's W3 format. The files are the ones
SegmentWriter would write, read by Whoosh's unchanged readers.

Worker processes each fill builders with their own dumps; the parent's ordinary writer
(deletions, dump records) then commits with `adopting(segments)`, so the whole update is
one table-of-contents write: one atomic commit.

This leans on Whoosh-Reloaded 2.7.5 internals (the W3 block layout, per-document writer,
term index), as Whoosh's own multiprocessing writer does; that version is pinned.
"""
import itertools
import struct
import zlib
from array import array
from collections import defaultdict
from pickle import dumps

import numpy as np

from whoosh import formats
from whoosh.codec import whoosh3
from whoosh.system import pack_ushort
from whoosh.util.numeric import length_to_byte

from . import positions
from .fields import Grams, PackedPositions, Words

_DOUBLE = struct.Struct(">d").pack
# Whoosh pickles blocks with protocol 2, which writes every bytes value as a call to
# _codecs.encode(str, "latin1"): 2.4 times the size and 10 times the time, both ways, of
# protocol 4. Whoosh's reader takes any protocol.
PICKLE = 4
BLOCK = 128                      # postings per block, as Whoosh's W3 codec writes them
COMPRESSION = 1
MAX_POSTINGS = 20_000_000        # per segment: about 400 MB of arrays while building
CHUNK = 1_000_000                # postings turned into Python objects at a time when writing


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
        deltas, block statistics); only what Whoosh's block format needs as Python objects
        is made, a chunk of terms at a time to bound memory."""
        n = len(self.tids)
        if not n:
            return
        terms = sorted(self.term_ids)
        rank = np.empty(len(terms), dtype=np.uint32)
        rank[np.fromiter((self.term_ids[t] for t in terms), dtype=np.int64, count=len(terms))] = \
            np.arange(len(terms), dtype=np.uint32)
        order = np.argsort(rank[np.frombuffer(self.tids, dtype=np.uint32)], kind="stable")
        ranks = rank[np.frombuffer(self.tids, dtype=np.uint32)[order]]
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
        stats = _BlockStats(blocks, freqs.astype(np.float64) * self.format.field_boost,
                            np.frombuffer(lengths, dtype=np.uint32)[docs] if lengths is not None else None)
        if self.positional:
            packed, value_offsets, value_sizes = positions.encode_many(
                np.frombuffer(self.positions, dtype=np.uint32), freqs_in)
            value_offsets, value_sizes = value_offsets[order], value_sizes[order]
        elif not self.generic and self.format.fixed_value_size():
            packed = freqs.astype(">u4").tobytes()     # Frequency: the packed frequency
        block_of_term = np.searchsorted(blocks, starts)

        g = 0
        while g < len(terms):                           # a chunk of terms, ~CHUNK postings
            last = int(np.searchsorted(starts, starts[g] + CHUNK, side="right"))
            last = max(last, g + 1)
            lo0, hi0 = int(starts[g]), int(ends[last - 1])
            chunk_docs, chunk_deltas = docs[lo0:hi0].tolist(), deltas[lo0:hi0].tolist()
            chunk_freqs = freqs[lo0:hi0].tolist()
            if self.positional:
                chunk_offsets = value_offsets[lo0:hi0].tolist()
                chunk_ends = (value_offsets[lo0:hi0] + value_sizes[lo0:hi0]).tolist()
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
                _write_term(writer, tbytes, lo, hi, chunk_deltas, chunk_docs, chunk_freqs, values, stats,
                            int(block_of_term[t]))
            g = last


class _BlockStats:
    """Per-block maximum weight, weight range and field-length range, for every block."""

    def __init__(self, blocks, weights, lengths):
        self.max_weight = np.maximum.reduceat(weights, blocks).astype(float).tolist()
        self.uniform = (np.minimum.reduceat(weights, blocks) == np.maximum.reduceat(weights, blocks)).tolist()
        self.weight_sum = np.add.reduceat(weights, blocks).astype(float).tolist()
        if lengths is None:
            self.min_length = self.max_length = [0] * len(blocks)
        else:
            self.min_length = np.minimum.reduceat(lengths, blocks).tolist()
            self.max_length = np.maximum.reduceat(lengths, blocks).tolist()


class SegmentBuilder:
    """Documents in, finished Whoosh segments out (a new one every MAX_POSTINGS)."""

    def __init__(self, ix, max_postings=MAX_POSTINGS):
        self.ix = ix
        self.schema = ix.schema
        self.codec = whoosh3.W3Codec()
        self.max_postings = max_postings
        self.finished = []
        self._start()

    def _start(self):
        self.segment = self.codec.new_segment(self.ix.storage, self.ix.indexname)
        self.perdoc = self.codec.per_document_writer(self.ix.storage, self.segment)
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
        if sum(map(len, self.fields.values())) >= self.max_postings:
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
        writer = self.codec.field_writer(self.ix.storage, self.segment)
        for name in sorted(self.fields):
            writer.start_field(name, self.schema[name])
            self.fields[name].write(writer, self.lengths.get(name))
            writer.finish_field()
        writer.close()
        self.segment.set_doc_count(self.docnum)
        # No compound file: Whoosh reads a compound file's parts through BytesIO, copying
        # each whole part (the postings!) into memory when a searcher opens the segment.
        self.finished.append(self.segment)
        self._start()


def _write_term(writer, tbytes, lo, hi, deltas, docs, freqs, values, stats, first_block):
    """Postings lo:hi (one term) as W3 blocks, and the term's entry in the term index.

    `values`: a list with one bytes value per posting, one bytes string of fixed-size
    values, or None (the format stores none)."""
    postfile = writer._postfile
    start = postfile.tell()
    postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
    info = whoosh3.W3TermInfo(df=hi - lo, minid=docs[lo], maxid=docs[hi - 1])
    fixed = 4 if isinstance(values, bytes) else None
    for b, block_lo in enumerate(range(lo, hi, BLOCK), first_block):
        block_hi = min(hi, block_lo + BLOCK)
        maxweight = stats.max_weight[b]
        if stats.uniform[b]:
            weights = None if maxweight == 1.0 else maxweight
        else:
            weights = tuple(float(f) for f in freqs[block_lo:block_hi])
        if values is None:
            block_values = None
        elif fixed:
            block_values = values[fixed * (block_lo - lo):fixed * (block_hi - lo)]
        else:
            block_values = tuple(values[block_lo - lo:block_hi - lo])
        data = dumps((tuple(deltas[block_lo:block_hi]), weights, block_values), PICKLE)
        compression = COMPRESSION if len(data) >= 1024 else 0   # small blocks gain little
        if compression:
            data = zlib.compress(data, compression)
        minlength, maxlength = stats.min_length[b], stats.max_length[b]
        header = block_header(block_hi - block_lo, docs[block_hi - 1], maxweight, compression,
                              length_to_byte(minlength), length_to_byte(maxlength))
        size = len(header) + len(data)
        postfile.write_int(-size if block_hi == hi else size)
        postfile.write(header)
        postfile.write(data)
        info._weight += stats.weight_sum[b]
        info._maxweight = max(info._maxweight, maxweight)
        info._minlength = minlength if info._minlength is None else min(info._minlength, minlength)
        info._maxlength = max(info._maxlength, maxlength)
    info.set_extent(start, postfile.tell() - start)
    writer._tindex.add(pack_ushort(writer._fieldid) + tbytes, info.to_bytes())


def block_header(count, last_id, max_weight, compression, min_length, max_length):
    """The pickled tuple W3 puts before each block, written directly: it is the same bytes
    `pickle.dumps(tuple, 2)` makes (tests check), at a fraction of the cost."""
    return b"".join((b"\x80\x02(", _pickled_int(count), _pickled_int(last_id), b"G", _DOUBLE(max_weight),
                     _pickled_int(compression), _pickled_int(min_length), _pickled_int(max_length), b"tq\x00."))


def _pickled_int(value):
    if 0 <= value < 256:
        return b"K" + bytes((value,))
    if 0 <= value < 65536:
        return b"M" + value.to_bytes(2, "little")
    return b"J" + value.to_bytes(4, "little", signed=True)


def adopting(segments, policy=None):
    """A merge policy for the parent's commit: keep the index's segments (or what `policy`
    makes of them) and add the workers' finished segments."""
    def merge(w, existing):
        return (policy(w, existing) if policy else list(existing)) + list(segments)
    return merge
