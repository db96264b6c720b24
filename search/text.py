"""Text normalization shared by ingest, index and query.

Text and queries are compared in one canonical form: NFKC (full-width letters and digits
become ASCII), traditional characters become simplified (OpenCC `t2s`, so 中來 matches
中来), Latin letters are lower-cased. Displayed text stays as printed; `normalize_map`
keeps, for each normalized character, the index of the original character it came from,
so that a match found in normalized text can be highlighted in the original. Invisible
format controls (bidi marks, overrides and isolates, zero-width spaces and joiners) are
dropped: `太忻<U+202E>一体化` matches `太忻一体化`.
"""
import functools
import re
import unicodedata

import opencc

# Chinese punctuation must survive normalization: NFKC would turn "，" into "," and "（"
# into "(", which changes how a sentence reads. Only these blocks are folded.
_FOLDED_RANGES = ((0xff01, 0xff5e), (0x3000, 0x3000), (0x2460, 0x24ff), (0x3251, 0x32bf))
_FOLD = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _FOLDED_RANGES) + "]")
_KEEP_FULLWIDTH = set("，。！？；：（）【】「」『』《》〈〉、“”‘’…—～")
# Characters that print nothing but reorder (bidi: U+061C, U+200E/F, U+202A–E, U+2066–9) or
# join and split (soft hyphen, zero-width space/joiners, word joiner, BOM) what is printed.
# Matching ignores them; the web page drops them and the terminal and JSON show them escaped.
INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_SPECIAL = re.compile(f"{INVISIBLE.pattern}|{_FOLD.pattern}")      # what normalize_map visits one by one


@functools.lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


def _fold_char(ch):
    if ch in _KEEP_FULLWIDTH:
        return ch
    return unicodedata.normalize("NFKC", ch)


@functools.lru_cache(maxsize=1)
def _fold_table():
    """{code point: its folded text} of every character _FOLD matches, for str.translate."""
    return {c: _fold_char(chr(c)) for a, b in _FOLDED_RANGES for c in range(a, b + 1)}


def fold_width(text):
    """Full-width ASCII (１２３ＡＢＣ) and circled numbers to plain ASCII; punctuation kept."""
    return text.translate(_fold_table())


def to_simplified(text):
    return _t2s().convert(text)


@functools.lru_cache(maxsize=8)
def normalize(text):
    """Canonical form used for matching: invisible controls dropped, width-folded,
    simplified, lower-case. (Remembered: indexing normalizes each headline and body for two
    fields.)"""
    return to_simplified(fold_width(INVISIBLE.sub("", text))).lower()


def normalize_map(text):
    """Return (normalized, offsets): offsets[i] is the index in `text` of normalized[i].

    Invisible controls have no normalized character, so no offset points at them. Width
    folding can change lengths (①→1 is one char, ㉑→21 two): where it does not and nothing
    is dropped (most text), offsets are the positions themselves; otherwise the characters
    that fold or drop are visited one by one. OpenCC's t2s maps characters one to one in
    practice, and when it does not, we convert per character so the map stays exact.
    """
    folded = fold_width(text)
    if len(folded) == len(text) and not INVISIBLE.search(text):      # the usual case: one to one
        return _simplified_lower(folded, list(range(len(text))))
    chars, offsets, last = [], [], 0
    for m in _SPECIAL.finditer(text):
        i = m.start()
        chars.append(text[last:i])
        offsets.extend(range(last, i))
        last = i + 1
        ch = m.group()
        if INVISIBLE.match(ch):
            continue
        folded = _fold_char(ch)
        chars.append(folded)
        offsets.extend([i] * len(folded))
    chars.append(text[last:])
    offsets.extend(range(last, len(text)))
    return _simplified_lower("".join(chars), offsets)


def _simplified_lower(folded, offsets):
    simplified = to_simplified(folded)
    if len(simplified) != len(folded):
        simplified = "".join(to_simplified(c) if len(to_simplified(c)) == 1 else c for c in folded)
    lowered = simplified.lower()
    if len(lowered) != len(simplified):  # "İ".lower() is two characters
        lowered = "".join(c.lower()[:1] for c in simplified)
    return lowered, offsets
