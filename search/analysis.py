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
_TWO_CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2}")


# -- index terms ------------------------------------------------------------------------
#
# Two views of the same (normalized) text go into the index:
#
# * words: jieba's words, counted for BM25 ranking;
# * grams: overlapping pairs of "units" with their positions, for exact matching. A unit is
#   a Chinese character or a run of letters/digits (2022, 5g). Every pair of adjacent
#   units is a gram at the position of its first unit; a run of units ends at punctuation
#   (a single space between Chinese characters does not end it: 陈 剑 reads as 陈剑). The
#   last Chinese character of a run and every letters/digits unit are also indexed alone.
#
# Any string of two or more units that occurs in the text is then a phrase of consecutive
# grams, whatever jieba made of it: 太忻 is found in 暨太忻一体化 although jieba cuts
# 暨/太/忻/一体化 there.

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def index_words(text, two_character=True):
    """jieba words of normalized text that carry letters, digits or Chinese (without the
    two-character Chinese words unless `two_character`: see is_gram_word)."""
    if two_character:
        return [w for w in cut(text) if WORD_CHAR.search(w)]
    return [w for w in cut(text) if not is_gram_word(w) and WORD_CHAR.search(w)]


def is_gram_word(word):
    """Is this jieba word exactly one gram (two Chinese characters)? Then its postings in
    the grams field are the word's postings, so the words field does not index it a second
    time (that was a fifth of all postings); see search.schema.TextField.field_for_word."""
    return len(word) == 2 and bool(_TWO_CHINESE.match(word))


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


def gram_positions(text):
    """term → positions, for normalized text: what the exact-match field indexes.

    Written for speed (it runs on every character of every article): one regex pass,
    then one list comprehension deciding each unit's term."""
    pairs = _UNIT_GAP.findall(text)
    if not pairs:
        return {}
    following = [unit for unit, _ in pairs[1:]] + [""]
    terms = [unit + nxt if (gap == "" and nxt) or (gap == " " and nxt and _joins((unit, gap), nxt)) else unit
             for (unit, gap), nxt in zip(pairs, following)]
    positions = defaultdict(list)
    for pos, term in enumerate(terms):
        positions[term].append(pos)
    for pos, ((unit, _), term) in enumerate(zip(pairs, terms)):
        if term != unit and (len(unit) > 1 or unit < "\u3400"):
            positions[unit].append(pos)      # letters/digits are also indexed alone
    return positions


def grams(text):
    """(term, position) pairs of normalized text, by position (see gram_positions)."""
    return sorted(((term, pos) for term, plist in gram_positions(text).items() for pos in plist),
                  key=lambda pair: (pair[1], -len(pair[0])))


def phrase_terms(literal):
    """The grams a phrase query needs to find `literal` (normalized) as a substring.

    One term per position: the pair starting there, or the unit alone where a run ends
    inside the literal. The literal's last unit is not required to end a run in the text
    (太忻 is found in 太忻一体化), so it adds no term of its own unless it is the only one.
    """
    seq = units(literal)
    if len(seq) == 1:
        return [seq[0][0]]
    terms = []
    for k, (unit, _, _) in enumerate(seq[:-1]):
        nxt = seq[k + 1]
        terms.append(unit + nxt[0] if nxt[2] else unit)
    return terms
