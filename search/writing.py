"""Faster Whoosh segment writing, and segments written by several processes at once.

Whoosh writes every posting through a chain of Python calls with type assertions and, per
posting, reads the document's field length back from disk. That per-posting path was 90%
of indexing time. `FastCodec` is Whoosh's own W3 codec with that path tightened: the same
files, read back by the unchanged W3 readers. `build_segments` runs several writers in
worker processes, each parsing its own dumps into its own segment; the parent commits
them all in one table-of-contents write, which is still one atomic commit.

This leans on Whoosh-Reloaded 2.7.5 internals (as Whoosh's own multiprocessing writer
does): `SegmentWriter._finalize_segment`, the pool and postings-writer attributes.
"""
import os
import random
import string

from whoosh.codec import whoosh3
from whoosh.writing import SegmentWriter, PostingPool

LIMIT_MB = 256


class FastPostingsWriter(whoosh3.W3PostingsWriter):
    def add_posting(self, id_, weight, vbytes, length=None):
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length


class FastFieldWriter(whoosh3.W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        """Whoosh's base loop, with field lengths read once per field instead of per posting."""
        lastfn = lasttext = None
        field_lengths = None
        postwriter = None
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lasttext is not None:
                    self.finish_term()
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                field_lengths = _lengths(lengths, fieldname)
                lastfn, lasttext = fieldname, None
            if docnum == -1:        # spelling-only entries: none in our schema
                continue
            if btext != lasttext:
                if lasttext is not None:
                    self.finish_term()
                self.start_term(btext)
                postwriter = self._postwriter
                lasttext = btext
            postwriter.add_posting(docnum, weight, value,
                                   field_lengths[docnum] if field_lengths is not None else 0)
        if lasttext is not None:
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


def _lengths(perdoc, fieldname):
    """The field's length for every document of the segment, decoded once."""
    if perdoc is None or not perdoc.has_column(whoosh3._lenfield(fieldname)):
        return None
    column = perdoc.column_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    return [whoosh3.byte_to_length(b) if b else 0 for b in column]


class FastCodec(whoosh3.W3Codec):
    def field_writer(self, storage, segment):
        return FastFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return FastPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                  compression=self._compression, inlinelimit=self._inlinelimit)


class FastPool(PostingPool):
    """Whoosh's posting pool without its per-posting type assertions."""

    def add(self, item):
        self.fieldnames.add(item[0])
        self.currentsize += 134 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


def writer(ix, lock=True, limitmb=LIMIT_MB):
    """A SegmentWriter with the fast codec and pool; `lock=False` for worker processes."""
    w = SegmentWriter(ix, _lk=lock, codec=FastCodec(), limitmb=limitmb)
    if not lock:
        # Workers share the index folder: each needs a temporary folder of its own.
        suffix = "".join(random.choices(string.ascii_lowercase, k=8))
        w._tempstorage = ix.storage.temp_storage(f"{ix.indexname}.{os.getpid()}.{suffix}.tmp")
    w.pool = FastPool(w._tempstorage, w.newsegment, limitmb=limitmb)
    return w


def finish_segment(w):
    """Close a worker's writer and return its segment (None if it got no documents)."""
    try:
        if not w._added:
            w._close_segment()
            return None
        return w._finalize_segment()
    finally:
        w._tempstorage.destroy()


def adopting(segments, policy=None):
    """A merge policy for the parent's commit: keep the index's segments (or what `policy`
    makes of them) and add the workers' finished segments."""
    def merge(w, existing):
        kept = policy(w, existing) if policy else list(existing)
        return kept + [s for s in segments if s is not None]
    return merge
