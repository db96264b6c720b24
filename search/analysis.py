"""Cutting Chinese text into words with jieba, for places, topics and the index.

We use jieba-rs through `rjieba`: the same dictionary and algorithm as jieba (its output is
identical on the seed dumps), about twenty times faster, and with its dictionary compiled
in, so a new `search` process does not spend 0.7 s loading one. The project's own words
(data/userdict.txt) and every place name of the gazetteer are added on first use.
"""
import functools
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Tuple

import rjieba

from . import data
from .text import normalize


def dictionary_words():
    """(word, frequency or None, tag or None) from the user dictionary, the gazetteers and
    the topic lexicon: places and topic words are found as the words jieba cuts."""
    for line in data.lines("userdict.txt"):
        parts = line.split()
        word = parts[0]
        freq = next((int(p) for p in parts[1:] if p.isdigit()), None)
        tag = next((p for p in parts[1:] if not p.isdigit()), None)
        yield word, freq, tag
    for name in ("gazetteer.tsv", "places.tsv"):
        for row in data.rows(name, 1):
            yield row[0], None, "ns"
    for line in data.lines("topics.txt"):
        if not line.startswith(("[", "default:")):
            yield normalize(line.split()[0]), None, None


_ready = False
_ready_lock = threading.Lock()


def jieba():
    """rjieba's shared cutter with our words added, once. (rjieba builds its module-level
    cutter at import, 0.1 s; a second `Jieba()` would build the dictionary again.) The
    lock matters: adding words while another thread cuts is an error in rjieba."""
    global _ready
    if not _ready:
        with _ready_lock:
            if not _ready:
                for word, freq, tag in dictionary_words():
                    rjieba.add_word(word, freq, tag)
                _ready = True
    return rjieba


def cut(text):
    """Words of `text` (already normalized), as jieba cuts them."""
    return jieba().cut(text, hmm=True)


@functools.lru_cache(maxsize=16)
def words(text):
    """cut(text) as a tuple, remembered: places and topics look at the same texts."""
    return tuple(cut(text))


def tokenize(text):
    """(word, start, end) for each word of `text`, offsets in characters."""
    return jieba().tokenize(text, mode="default", hmm=True)


WORD_CHAR = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# -- index terms ------------------------------------------------------------------------
#
# Two views of the same (normalized) text go into the index:
#
# * words: jieba's words, counted for BM25 ranking (a match of the query as a word ranks
#   above the same characters across a word boundary: 市民 in 市民中心, not in 市民政局);
# * grams: terms of "units" with their positions, for exact matching. A unit is a Chinese
#   character or a run of letters/digits (2022, 5g); units are numbered 0, 1, 2… and the
#   punctuation and spaces between two units (their *gap*) take no position. At each unit:
#
#     太忻    the pair it forms with the next unit, where nothing separates them (a single
#             space between two Chinese characters does not: 陈 剑 reads as 陈剑);
#     忻 ，   else the unit, a space and the gap's punctuation (its *signature*: the gap
#             without spaces; empty for a gap of spaces only): what follows the unit;
#     ，一    and for each of the signature's last 1–4 characters, those characters and
#             the next unit, at the next unit's position: what precedes a unit;
#     忻      a unit that ends the text alone; a letters/digits unit is also indexed
#             alone wherever it is (2022 is found in 2022年).
#
# Any string that occurs in the text is then a phrase of these terms at consecutive
# positions (phrase_slots), whatever jieba made of it: 太忻 is found in 暨太忻一体化
# although jieba cuts 暨/太/忻/一体化 there, 14+7 in 14+7 and not in 14-7.

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
PUNCTUATION_BEFORE = 4          # characters of a gap indexed with the unit after it
_SPACES = re.compile(r"\s+")
_GAP = re.compile(r"[\W_]*")
_ALNUM = rf"[^\W_{_CJK}]"


def index_words(text):
    """jieba words of normalized text that carry letters, digits or Chinese."""
    return [w for w in cut(text) if WORD_CHAR.search(w)]


# A unit, then the separators before the next one (\W: neither letter, digit nor Chinese).
_UNIT_GAP = re.compile(rf"([{_CJK}]|[^\W_{_CJK}]+)([\W_]*)")


def is_cjk(ch):
    return "\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def units(text):
    """(unit, position, joined) per unit; `joined` is True when it touches the unit before."""
    pairs = _UNIT_GAP.findall(text)
    return [(unit, k, k > 0 and _joins(pairs[k - 1], unit)) for k, (unit, _) in enumerate(pairs)]


def _joins(before, unit):
    """Does `unit` continue the run of the (unit, gap) pair before it?"""
    gap = before[1]
    return gap == "" or (gap == " " and len(unit) == 1 and len(before[0]) == 1
                         and is_cjk(unit) and is_cjk(before[0]))


def signature(gap):
    """A gap's punctuation, spaces left out: what a phrase's punctuation must equal."""
    return _SPACES.sub("", gap) if gap else ""


def _is_alnum(unit):
    """A run of letters or digits (Latin, digits, kana, Hangul…), not a Chinese character."""
    return len(unit) > 1 or not is_cjk(unit)


def gram_positions(text):
    """term → positions, for normalized text: what the exact-match field indexes.

    Written for speed (it runs on every character of every article): one regex pass, and
    for most units one pair; gaps add their terms."""
    pairs = _UNIT_GAP.findall(text)
    if not pairs:
        return {}
    positions = defaultdict(list)
    lead = signature(_GAP.match(text).group())
    if lead:
        _before(positions, lead, pairs[0][0], 0)
    last = len(pairs) - 1
    for pos, (unit, gap) in enumerate(pairs):
        nxt = pairs[pos + 1][0] if pos < last else ""
        if nxt and (gap == "" or _joins((unit, gap), nxt)):
            term = unit + nxt
        elif gap:
            sig = signature(gap)
            term = unit + " " + sig
            if nxt and sig:
                _before(positions, sig, nxt, pos + 1)
        else:
            term = unit
        positions[term].append(pos)
        if term != unit and (len(unit) > 1 or not is_cjk(unit)):
            positions[unit].append(pos)      # letters/digits are also indexed alone
    return positions


def _before(positions, sig, unit, pos):
    for n in range(1, min(len(sig), PUNCTUATION_BEFORE) + 1):
        positions[sig[-n:] + unit].append(pos)


def grams(text):
    """(term, position) pairs of normalized text, by position (see gram_positions)."""
    return sorted(((term, pos) for term, plist in gram_positions(text).items() for pos in plist),
                  key=lambda pair: (pair[1], -len(pair[0])))


# -- phrases --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    """What a phrase needs at one position (its unit's number from the phrase's first unit):
    one of `terms`, or a term that starts with one of `prefixes`."""
    offset: int
    terms: Tuple[str, ...] = ()
    prefixes: Tuple[str, ...] = ()


def _parts(literal):
    """(signature before the first unit, [(unit, gap after it)…]) of a normalized literal."""
    return signature(_GAP.match(literal).group()), _UNIT_GAP.findall(literal)


def phrase_slots(literal):
    """The grams a phrase needs to find `literal` (normalized), position by position.

    A phrase matches the texts whose normalized form holds its units in order, with the
    same punctuation between them (spaces aside: 14+7 and 14 + 7, not 14-7), where a gap
    of spaces only in the phrase stands for any gap (14 7 finds 14+7, 14、7 and 14 7);
    punctuation before its first unit must end the gap before it in the text, and
    punctuation after its last unit must start the gap after it (“三个 finds “三个一批”).
    phrase_pattern says the same as a regular expression."""
    lead, seq = _parts(literal)
    if not seq:
        return []
    slots = []
    if lead:
        slots.append(Slot(0, (lead[-PUNCTUATION_BEFORE:] + seq[0][0],)))
    last = len(seq) - 1
    for k, (unit, gap) in enumerate(seq[:-1]):
        nxt = seq[k + 1][0]
        if gap == "":
            slots.append(Slot(k, (unit + nxt,)))
        elif gap.isspace():                          # any gap: joined, or any punctuation
            joined = () if _is_alnum(unit) and _is_alnum(nxt) else (unit + nxt,)
            slots.append(Slot(k, joined, (unit + " ",)))
            if k + 1 == last and not signature(seq[-1][1]):
                slots.append(_anywhere(nxt, k + 1))
        else:
            sig = signature(gap)
            slots.append(Slot(k, (unit + " " + sig,)))
            slots.append(Slot(k + 1, (sig[-PUNCTUATION_BEFORE:] + nxt,)))
    unit, trail = seq[-1]
    trail = signature(trail)
    if trail:
        slots.append(Slot(last, (), (unit + " " + trail,)))
    elif not slots:
        slots.append(_anywhere(unit, 0))
    return slots


def _anywhere(unit, offset):
    """A unit wherever it stands: letters/digits alone; a Chinese character as any term
    it starts (a pair, what follows it, or itself at the end)."""
    return Slot(offset, (unit,)) if _is_alnum(unit) else Slot(offset, (), (unit,))


def phrase_units(literal):
    """How many units (positions) the phrase spans."""
    return len(_UNIT_GAP.findall(literal))


def phrase_pattern(literal):
    """A regular expression over normalized text that matches where phrase_slots does:
    the definition the property tests check the index against, and what snippets mark."""
    lead, seq = _parts(literal)
    if not seq:
        return None
    parts = [_punctuation(lead[-PUNCTUATION_BEFORE:]) + r"\s*" if lead else ""]
    for k, (unit, gap) in enumerate(seq):
        parts.append(rf"(?<!{_ALNUM}){re.escape(unit)}(?!{_ALNUM})" if _is_alnum(unit) else re.escape(unit))
        if k == len(seq) - 1:
            sig = signature(gap)
            parts.append(r"\s*" + _punctuation(sig) if sig else "")
        elif gap == "":
            nxt = seq[k + 1][0]
            parts.append("(?: )?" if _joins((unit, " "), nxt) else "")
        elif gap.isspace():
            parts.append(r"[\W_]*")
        else:
            parts.append(r"\s*" + _punctuation(signature(gap)) + r"\s*")
    return re.compile("".join(parts))


def _punctuation(sig):
    return r"\s*".join(re.escape(ch) for ch in sig)
