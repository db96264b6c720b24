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
import zlib
from array import array
from collections import defaultdict
from pickle import dumps

import numpy as np

from whoosh import formats
from whoosh.codec import whoosh3
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte

from .fields import Grams, PackedPositions, Words

BLOCK = 128                      # postings per block, as Whoosh's W3 codec writes them
COMPRESSION = 1
MAX_POSTINGS = 12_000_000        # per segment: about 300 MB of arrays while building


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
        """Every term's postings, in term order, through the segment's field writer."""
        tids = np.frombuffer(self.tids, dtype=np.uint32)
        order = np.argsort(tids, kind="stable")        # by term; docnums stay ascending
        sorted_tids = tids[order]
        bounds = np.flatnonzero(np.diff(sorted_tids)) + 1
        group_start = np.empty(len(self.term_ids), dtype=np.int64)
        group_end = np.empty(len(self.term_ids), dtype=np.int64)
        group_start[sorted_tids[np.concatenate([[0], bounds])]] = np.concatenate([[0], bounds])
        group_end[sorted_tids[np.concatenate([bounds - 1, [len(tids) - 1]])]] = np.concatenate([bounds, [len(tids)]])
        docs = np.frombuffer(self.docs, dtype=np.uint32)[order].tolist()
        freqs_unsorted = np.frombuffer(self.freqs, dtype=np.uint32)
        freqs = freqs_unsorted[order].tolist()
        if self.positional:
            starts = (np.cumsum(freqs_unsorted, dtype=np.int64) - freqs_unsorted)[order].tolist()
            packed = np.frombuffer(self.positions, dtype=np.uint32).astype("<u4").tobytes()
        for term in sorted(self.term_ids):
            t = self.term_ids[term]
            lo, hi = int(group_start[t]), int(group_end[t])
            if self.positional:
                values = [packed[4 * s:4 * (s + f)] for s, f in zip(starts[lo:hi], freqs[lo:hi])]
            elif self.generic:
                values = [self.values[i] for i in order[lo:hi].tolist()]
            else:
                values = None
            tbytes = term.encode("utf-8") if isinstance(term, str) else term
            _write_term(writer, self.format, tbytes, docs[lo:hi], freqs[lo:hi], values, lengths)


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
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.ix.storage)
        self.finished.append(self.segment)
        self._start()


def _write_term(writer, fmt, tbytes, docs, freqs, values, lengths):
    """One term's postings as W3 blocks, and its entry in the term index."""
    postfile = writer._postfile
    start = postfile.tell()
    postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
    boost = fmt.field_boost
    n = len(docs)
    info = whoosh3.W3TermInfo()
    info._df = n
    info._minid, info._maxid = docs[0], docs[-1]
    for lo in range(0, n, BLOCK):
        hi = min(n, lo + BLOCK)
        ids = docs[lo:hi]
        weights = [f * boost for f in freqs[lo:hi]]
        if values is not None:
            block_values = tuple(values[lo:hi])
        elif fmt.fixed_value_size() == 0:
            block_values = None
        else:                        # Frequency: each value is the frequency, packed
            block_values = b"".join(pack_uint(f) for f in freqs[lo:hi])
        block_lengths = [lengths[d] for d in ids] if lengths is not None else [0]
        maxweight = max(weights)
        info._weight += sum(weights)
        info._maxweight = max(info._maxweight, maxweight)
        minlength, maxlength = min(block_lengths), max(block_lengths)
        info._minlength = minlength if info._minlength is None else min(info._minlength, minlength)
        info._maxlength = max(info._maxlength, maxlength)
        deltas, base = [], 0
        for d in ids:
            deltas.append(d - base)
            base = d
        if all(w == 1.0 for w in weights):
            mini_weights = None
        elif all(w == weights[0] for w in weights):
            mini_weights = weights[0]
        else:
            mini_weights = tuple(weights)
        data = dumps((tuple(deltas), mini_weights, block_values), 2)
        compression = COMPRESSION if len(data) >= 1024 else 0   # small blocks gain little
        if compression:
            data = zlib.compress(data, compression)
        header = dumps((hi - lo, ids[-1], maxweight, compression,
                        length_to_byte(minlength), length_to_byte(maxlength)), 2)
        size = len(header) + len(data)
        postfile.write_int(-size if hi == n else size)
        postfile.write(header)
        postfile.write(data)
    info.set_extent(start, postfile.tell() - start)
    writer._tindex.add(pack_ushort(writer._fieldid) + tbytes, info.to_bytes())


def adopting(segments, policy=None):
    """A merge policy for the parent's commit: keep the index's segments (or what `policy`
    makes of them) and add the workers' finished segments."""
    def merge(w, existing):
        return (policy(w, existing) if policy else list(existing)) + list(segments)
    return merge
