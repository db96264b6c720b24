"""Snippets: the best passage of an article, with the query's words marked.

Matches are found in the normalized text (so 中来 marks 中來) and mapped back to the
text as printed. A match is always a whole query term or phrase, never the part of a
token that happened to overlap (Whoosh's own highlighter marks 马克 inside 马克思 when
tokens overlap), found as the index finds it (search.analysis.phrase_pattern: `14 7` marks
14+7). Terms that an alias added (太钢 for 太原钢铁) are marked as aliases. The result is a
Marked passage, text and spans: search.formatting renders it as HTML, for a terminal or as
plain text.
"""
import bisect
import functools
import re
from dataclasses import dataclass
from typing import Tuple

from .analysis import phrase_pattern
from .text import normalize_map

MATCH, ALIAS = "match", "alias"

WIDTH = 120
_SENTENCE_END = re.compile(r"[。！？；!?\n]")


@dataclass(frozen=True)
class Marked:
    """A passage as printed (on one line: line breaks read as spaces), the spans to mark
    in it ((start, end, MATCH or ALIAS) character offsets, in order, apart), and whether it
    was cut from a longer text before or after (an ellipsis there)."""
    text: str = ""
    spans: Tuple[Tuple[int, int, str], ...] = ()
    cut_before: bool = False
    cut_after: bool = False

    def pieces(self):
        """(text, None, MATCH or ALIAS) pieces of the passage, in order, without the ellipses."""
        at = 0
        for start, end, kind in self.spans:
            if start > at:
                yield self.text[at:start], None
            yield self.text[start:end], kind
            at = end
        if at < len(self.text):
            yield self.text[at:], None


@functools.lru_cache(maxsize=256)
def _pattern(term):
    return phrase_pattern(term)


def occurrences(norm, terms):
    """(start, end, term index) of every occurrence of every term in normalized text,
    overlapping ones included."""
    found = []
    for k, term in enumerate(terms):
        pattern = _pattern(term) if term else None
        if pattern is None:
            continue
        m = pattern.search(norm)
        while m:
            if m.end() > m.start():
                found.append((m.start(), m.end(), k))
            m = pattern.search(norm, m.start() + 1)
    found.sort()
    return found


def merged(spans, aliases_from=None):
    """Overlapping occurrences as one span each, [start, end, kind]: an ALIAS where every
    occurrence in it is of a term at `aliases_from` or later."""
    out = []
    for start, end, k in spans:
        kind = ALIAS if aliases_from is not None and k >= aliases_from else MATCH
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
            if kind == MATCH:
                out[-1][2] = MATCH
        else:
            out.append([start, end, kind])
    return out


def _passage(text, offsets, spans, lo, hi, cut_before=False, cut_after=False):
    """Normalized range [lo, hi) of `text` as printed, with the normalized spans mapped."""
    at = offsets[lo] if lo < len(offsets) else len(text)
    end = offsets[hi - 1] + 1 if hi > lo else at
    marks, last = [], at
    for s, e, kind in spans:
        s, e = max(s, lo), min(e, hi)
        if s >= e:
            continue
        start, stop = max(offsets[s], last), offsets[e - 1] + 1
        if start < stop:
            marks.append((start - at, stop - at, kind))
            last = stop
    return Marked(text[at:end].replace("\n", " "), tuple(marks), cut_before, cut_after)


def mark(text, terms, aliases=()):
    """The whole text, with every occurrence of the terms (and aliases) marked."""
    if not text:
        return Marked()
    norm, offsets = normalize_map(text)
    found = occurrences(norm, list(terms) + list(aliases))
    return _passage(text, offsets, merged(found, len(terms)), 0, len(norm))


def snippet(text, terms, aliases=(), width=WIDTH):
    """The passage of about `width` characters that holds the most distinct terms."""
    if not text:
        return Marked()
    norm, offsets = normalize_map(text)
    found = occurrences(norm, list(terms) + list(aliases))
    start = _best_start(norm, found, width)
    stop = min(len(norm), start + width)
    return _passage(text, offsets, merged(found, len(terms)), start, stop, start > 0, stop < len(norm))


def _best_start(norm, found, width):
    """Where the passage of `width` characters starts: the candidate start holding the most
    distinct terms, then the most occurrences, then the earliest.

    Each occurrence proposes one start: just after the last sentence end in the 40 characters
    before it, or else a quarter of the width before it. An occurrence counts for a start w
    when it lies wholly inside [w, w + width), i.e. when end - width <= w <= start. The
    candidate starts are swept in order while occurrences enter (w reaches end - width) and
    leave (w passes start), so the work is O(n log n) in the number of occurrences.
    """
    if not found:
        return 0
    ends = [m.start() for m in _SENTENCE_END.finditer(norm)]
    candidates = set()
    for start, _, _ in found:
        lead = max(0, start - width // 4)
        i = bisect.bisect_left(ends, start) - 1          # last sentence end before `start`
        boundary = ends[i] + 1 if i >= 0 and ends[i] >= max(0, start - 40) else None
        candidates.add(boundary if boundary is not None and boundary >= lead - 20 else lead)
    entering = sorted(range(len(found)), key=lambda j: found[j][1] - width)
    leaving = sorted(range(len(found)), key=lambda j: found[j][0])
    state = [0] * len(found)                            # 0 not yet in, 1 in, 2 gone
    per_term, distinct, count = {}, 0, 0
    a = b = 0
    best, best_key = 0, None
    for window in sorted(candidates):
        while a < len(entering) and found[entering[a]][1] - width <= window:
            j = entering[a]
            a += 1
            if state[j] == 0:
                state[j] = 1
                k = found[j][2]
                per_term[k] = per_term.get(k, 0) + 1
                distinct += per_term[k] == 1
                count += 1
        while b < len(leaving) and found[leaving[b]][0] < window:
            j = leaving[b]
            b += 1
            if state[j] == 1:
                k = found[j][2]
                per_term[k] -= 1
                distinct -= per_term[k] == 0
                count -= 1
            state[j] = 2
        key = (distinct, count, -window)
        if best_key is None or key > best_key:
            best, best_key = window, key
    return best
