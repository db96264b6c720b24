"""How a term's positions in one document are stored: compact, and fast in bulk.

A value is one marker byte and the positions: 0x02 then 16-bit little-endian deltas (the
first is the position itself), or, when a gap does not fit in 16 bits (documents of more
than 65,535 characters), 0x04 then 32-bit positions. Whoosh's own Positions format
pickles a list per value, which cost more than tokenizing and took twice the space.

`encode_many` and `decode_many` do whole posting lists at once with numpy: the index
writer encodes a segment's field in one go, the query engine decodes a term in one go.
"""
import numpy as np

NARROW, WIDE = 2, 4


def encode_one(positions):
    positions = np.asarray(positions, dtype=np.int64)
    deltas = np.diff(positions, prepend=0)
    if len(deltas) and deltas.max() >= 65536:
        return bytes((WIDE,)) + positions.astype("<u4").tobytes()
    return bytes((NARROW,)) + deltas.astype("<u2").tobytes()


def decode_one(value):
    if value[0] == WIDE:
        return np.frombuffer(value, dtype="<u4", offset=1).tolist()
    return np.cumsum(np.frombuffer(value, dtype="<u2", offset=1), dtype=np.int64).tolist()


def count(value):
    return (len(value) - 1) // value[0]


def encode_many(positions, counts, chunk=1 << 18):
    """Values for consecutive postings: `positions` concatenated, `counts` per posting.
    Returns (buffer, offset of each value, size of each value). Works about `chunk`
    positions at a time (a posting's are never split), so that a segment's tens of
    millions of positions need no gigabytes of temporaries: ~80 bytes a position."""
    counts = np.asarray(counts, dtype=np.int64)
    ends = np.cumsum(counts)
    buffers, offsets, sizes = [], [], []
    lo = done_bytes = 0
    while lo < len(counts):
        start = int(ends[lo] - counts[lo])
        hi = max(lo + 1, int(np.searchsorted(ends, start + chunk, side="right")))
        buffer, part_offsets, part_sizes = _encode(positions[start:int(ends[hi - 1])], counts[lo:hi])
        buffers.append(buffer)
        offsets.append(part_offsets + done_bytes)
        sizes.append(part_sizes)
        done_bytes += len(buffer)
        lo = hi
    if not buffers:
        return b"", np.zeros(0, np.int64), np.zeros(0, np.int64)
    return b"".join(buffers), np.concatenate(offsets), np.concatenate(sizes)


def _encode(positions, counts):
    positions = np.asarray(positions, dtype=np.int64)
    posting = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    deltas = np.diff(positions, prepend=0)
    deltas[first] = positions[first]
    wide = np.zeros(len(counts), dtype=bool)
    if len(deltas):
        wide = np.maximum.reduceat(deltas, first) >= 65536 if len(counts) else wide
    width = np.where(wide, WIDE, NARROW)
    sizes = 1 + width * counts
    offsets = np.cumsum(sizes) - sizes
    buffer = np.zeros(int(sizes.sum()), dtype=np.uint8)
    buffer[offsets] = width
    narrow_positions = ~wide[posting]
    index_in_posting = np.arange(len(positions)) - first[posting]
    low = offsets[posting] + 1 + 2 * index_in_posting
    values = deltas[narrow_positions]
    buffer[low[narrow_positions]] = values & 0xFF
    buffer[low[narrow_positions] + 1] = values >> 8
    for p in np.flatnonzero(wide):          # rare: a gap of more than 65,535 characters
        start = offsets[p] + 1
        buffer[start:start + 4 * counts[p]] = np.frombuffer(
            positions[first[p]:first[p] + counts[p]].astype("<u4").tobytes(), dtype=np.uint8)
    return buffer.tobytes(), offsets, sizes


def decode_many(values, counts):
    """Positions of consecutive postings (values as stored, `counts` per posting),
    concatenated in one array."""
    counts = np.asarray(counts, dtype=np.int64)
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    raw = np.frombuffer(b"".join(values), dtype=np.uint8)
    sizes = 1 + NARROW * counts
    offsets = np.cumsum(sizes) - sizes
    if len(raw) != int(sizes.sum()) or (len(offsets) and raw[offsets].max() != NARROW):
        return np.concatenate([np.asarray(decode_one(v), dtype=np.int64) for v in values])
    keep = np.ones(len(raw), dtype=bool)
    keep[offsets] = False
    deltas = raw[keep].view("<u2").astype(np.int64)
    running = np.cumsum(deltas)
    first = np.cumsum(counts) - counts
    return running - np.repeat(running[first] - deltas[first], counts)
