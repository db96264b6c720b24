"""The one module that touches Whoosh's private attributes; the fence around them.

Reading postings, columns and field lengths straight into numpy arrays, and writing a
term's posting blocks without Whoosh's sorting pool, both need the internals of
Whoosh-Reloaded 2.7.5's W3 codec: its block layout, matchers, column readers, term index
and term infos. Everything else uses Whoosh's public API. The version is pinned in
setup.py and checked here, at import, so that a different Whoosh is one clear error
instead of wrong results.
"""
import struct
import zlib
from pickle import dumps

import numpy as np
import whoosh
from whoosh.codec import whoosh3
from whoosh.matching.mcore import ListMatcher
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from ..errors import SearchError

WHOOSH_VERSION = (2, 7, 5)
if tuple(whoosh.__version__[:3]) != WHOOSH_VERSION:
    raise SearchError(f"the index is read and written with Whoosh-Reloaded 2.7.5's internals, but Whoosh "
                      f"{'.'.join(map(str, whoosh.__version__))} is installed: pip install 'Whoosh-Reloaded==2.7.5'")

# Whoosh pickles blocks with protocol 2, which writes every bytes value as a call to
# _codecs.encode(str, "latin1"): 2.4 times the size and 10 times the time, both ways, of
# protocol 4. Whoosh's reader takes any protocol.
PICKLE = 4
BLOCK = 128                      # postings per block, as Whoosh's W3 codec writes them
COMPRESSION = 1                  # zlib level, for blocks of 1 KB or more
_DOUBLE = struct.Struct(">d").pack
_LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY = np.zeros(0, dtype=np.int64)


# -- reading ------------------------------------------------------------------------------------

def read_postings(segreader, field, term, positions):
    """(local docnums, term frequencies, stored values or None) of one term in one segment;
    the values (bytes, one per posting) only with `positions`."""
    btext = term.encode("utf-8")
    if (field, btext) not in segreader._terms:
        return _EMPTY, np.zeros(0, np.float32), [] if positions else None
    matcher = segreader._terms.matcher(field, btext, segreader.schema[field].format)
    if isinstance(matcher, ListMatcher):
        return (np.asarray(matcher._ids, dtype=np.int64), np.asarray(matcher._weights, dtype=np.float32),
                list(matcher._values) if positions else None)
    return _read_blocks(matcher, positions)


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
    return np.concatenate(ids), np.concatenate(weights), values if positions else None


def read_column(segreader, name, n):
    """A numeric column of one segment as an int64 array, read as raw bytes when possible;
    zeros for a column the index does not have (written before the column existed)."""
    if name not in segreader.schema or not segreader.has_column(name):
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


def read_lengths(segreader, field, n):
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


def deleted_docs(segreader):
    """Local docnums deleted in this segment (a cached property in Whoosh-Reloaded)."""
    return list(segreader.deleted_docs_set)


def segment_key(segreader):
    """What identifies a segment's contents: its id, and how many of its documents are deleted."""
    segment = segreader.segment()
    return segment.segment_id(), segment.deleted_count() if hasattr(segment, "deleted_count") else 0


# -- writing ------------------------------------------------------------------------------------

def write_term(writer, tbytes, lo, hi, deltas, docs, freqs, values, stats, first_block):
    """Postings lo:hi (one term) as W3 blocks through a segment's field writer, and the
    term's entry in its term index. `deltas`, `docs`, `freqs`: lists for the chunk of
    postings lo:hi lies in; `stats`: per-block figures (search.index.writing._BlockStats);
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
