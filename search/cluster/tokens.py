"""Our index terms as ASCII tokens, so that Sphinx indexes exactly the terms we do.

Sphinx decides what a word is by its charset_table and caps a word at 42 bytes. Rather
than teach it Chinese, every term of search.analysis (a gram, a jieba word, a keyword) is
written as a token of [0-9a-z] that Sphinx takes whole; the charset_table is `0..9, a..z`
and nothing is left to Sphinx's own tokenizer. The codes are built so that the prefix
searches the query language needs are Sphinx prefix searches (`token*`):

* a *unit* (search.analysis.units: a Chinese character, or a run of letters/digits) is
  `unit_code`: a Chinese character is the 4 hex digits of its code point (`太` → 592a); any
  other unit is `x`, the hex of its UTF-8 bytes and `z` (`2022` → x32303232z), or, when that
  is long, `y`, 16 hex digits of its SHA-1 and `z`. No unit's code is the start of another's,
  so "a gram that starts with this unit" is `unit_code*`;
* a *position* of the grams field is one token (gram_stream): its main term (a pair of
  adjacent units: their codes in a row, `太忻` → 592a5ffb; a unit and the punctuation
  after it: the unit, `s`, the punctuation's characters and `t`; a unit alone), then `r`
  and the punctuation before the unit, backwards (`“14+7”` → x3134zs2btr201c …);
* a *word* (jieba's, or a keyword) is the codes of its characters in a row: 4 hex digits each
  (characters beyond U+FFFF: `g` and 6), so "a word that starts with these characters" is
  `word_code*`. A word longer than WORD_CHARS characters keeps the codes of its first
  PREFIX_CHARS characters, then `h` and a hash of the whole word.
"""
import functools
import hashlib
import re
from collections import defaultdict

from .. import analysis

MAX_TOKEN = 40            # bytes; Sphinx 2.2 cuts words at 42
RUN_HEX = 24              # hex digits of a letters/digits unit kept as is; longer ones are hashed
PREFIX_CHARS = 7          # characters of a long word kept before its hash
CJK_CODE = 4              # the length of a Chinese character's code
_PUNCTUATION = re.compile(r"[\W_]")   # a term that starts so is punctuation before a unit


@functools.lru_cache(maxsize=1 << 16)
def unit_code(unit):
    if len(unit) == 1 and analysis.is_cjk(unit):
        return f"{ord(unit):04x}"
    raw = unit.encode("utf-8").hex()
    if len(raw) <= RUN_HEX:
        return f"x{raw}z"
    return f"y{hashlib.sha1(unit.encode('utf-8')).hexdigest()[:16]}z"


@functools.lru_cache(maxsize=1 << 18)
def gram_token(term):
    """The token of a grams-field term (one unit, or two adjacent units written together)."""
    return "".join(unit_code(unit) for unit, _, _ in analysis.units(term))


def char_code(ch):
    n = ord(ch)
    return f"{n:04x}" if n < 0x10000 else f"g{n:06x}"


@functools.lru_cache(maxsize=1 << 18)
def word_token(word):
    """The token of a jieba word or a keyword value (see the module docstring)."""
    codes = [char_code(ch) for ch in word]
    whole = "".join(codes)
    if len(whole) <= MAX_TOKEN:
        return whole
    return _kept_prefix(codes) + "h" + hashlib.sha1(word.encode("utf-8")).hexdigest()[:8]


def word_prefix_patterns(prefix):
    """Sphinx patterns for the words that start with `prefix`: `code*`, and for a prefix
    longer than the part a long word keeps, the long words that start the same way."""
    codes = [char_code(ch) for ch in prefix]
    patterns = ["".join(codes) + "*"]
    kept = _kept_prefix(codes)
    if len(kept) < len("".join(codes)):
        patterns.append(kept + "h*")
    return patterns


def _kept_prefix(codes):
    """The codes of a long word's first characters: at most PREFIX_CHARS, and short enough
    to leave room for the hash."""
    kept = ""
    for code in codes[:PREFIX_CHARS]:
        if len(kept) + len(code) > MAX_TOKEN - 12:
            break
        kept += code
    return kept


def gram_stream(text):
    """The grams field of normalized `text` as Sphinx sees it: one token per position of
    search.analysis.grams, made of the position's main term (the pair its unit starts, the
    unit and the punctuation after it, or the unit alone), `r`, then the punctuation before
    the unit read backwards (its last PUNCTUATION_BEFORE characters, as the R terms hold
    it). So "a term at this position" is the prefix `main r*`, "with this punctuation
    before it" the longer prefix `main r punctuation*`, and a unit's every term `unit*`."""
    by_position = defaultdict(list)
    for term, position in analysis.grams(text):
        by_position[position].append(term)
    return " ".join(_position_token(tuple(by_position[p])) for p in range(len(by_position)))


@functools.lru_cache(maxsize=1 << 18)       # (positions repeat: most hold one pair of characters)
def _position_token(terms):
    before = max((t for t in terms if _PUNCTUATION.match(t)), key=len, default="")
    main = [t for t in terms if not _PUNCTUATION.match(t)]
    main = max(main, key=lambda t: (" " in t, len(analysis.units(t))))
    punctuation = before[:len(before) - len(analysis.units(before)[0][0])] if before else ""
    token = main_code(main) + "r"
    for ch in reversed(punctuation):
        if len(token) + len(char_code(ch)) > MAX_TOKEN:
            break
        token += char_code(ch)
    return token


@functools.lru_cache(maxsize=1 << 18)
def main_code(term):
    """The code of a main term: its units' codes; the unit and `s`, its punctuation and `t`
    for a unit with the punctuation after it (hashed when long)."""
    if " " not in term:
        return "".join(unit_code(unit) for unit, _, _ in analysis.units(term))
    unit, punctuation = term.split(" ", 1)
    code = "".join(char_code(ch) for ch in punctuation)
    if len(unit_code(unit)) + len(code) + 2 > MAX_TOKEN - 9:
        code = "h" + hashlib.sha1(punctuation.encode("utf-8")).hexdigest()[:8]
    return unit_code(unit) + "s" + code + "t"


def phrase_patterns(slots):
    """The Sphinx phrases (lists of patterns, one per position) of search.analysis's phrase
    slots; several when a position may hold either of two terms (a space in a phrase: the
    pair, or the unit with any punctuation after it)."""
    by_offset = defaultdict(list)
    for slot in slots:
        by_offset[slot.offset].append(slot)
    positions = []
    for offset in range(max(by_offset) + 1):
        positions.append(_choices(by_offset[offset], offset == 0))
    phrases = [[]]
    for choices in positions:
        phrases = [phrase + [c] for phrase in phrases for c in choices][:MAX_PHRASES]
    return phrases


MAX_PHRASES = 16


def _choices(slots, first):
    """The patterns of one position: what its slots need of its main term, and of the
    punctuation before it where only that says it (before a phrase's first unit; between
    two units the term before holds the punctuation already). Sphinx takes `*` inside a
    pattern too: `4e09*r201c*` is 三 with “ before it, whatever its main term."""
    before = [t for s in slots for t in s.terms if _PUNCTUATION.match(t)]
    mains = [s for s in slots if any(not _PUNCTUATION.match(t) for t in s.terms) or s.prefixes]
    if mains:
        slot = mains[0]
        choices = [_exact(t) for t in slot.terms if not _PUNCTUATION.match(t)] + [_prefix(p) for p in slot.prefixes]
    else:                                          # only what precedes the unit: any term of it
        choices = [unit_code(analysis.units(before[0])[0][0]) + "*"]
    if first and before:
        punctuation = before[0][:len(before[0]) - len(analysis.units(before[0])[0][0])]
        backwards = "".join(char_code(ch) for ch in reversed(punctuation))
        choices = [(c[:-1] if c.endswith("r*") else c) + ("" if c.endswith("r*") else "r") + backwards + "*"
                   for c in choices]
    return choices


def _exact(term):
    units = analysis.units(term)
    if " " not in term and len(units) == 1 and not (len(term) == 1 and analysis.is_cjk(term)):
        return unit_code(term) + "*"               # letters/digits: wherever the unit stands
    return main_code(term) + "r*"


def _prefix(prefix):
    if " " not in prefix:
        return unit_code(prefix) + "*"             # any term the unit starts
    unit, punctuation = prefix.split(" ", 1)
    return unit_code(unit) + "s" + "".join(char_code(ch) for ch in punctuation) + "*"


def two_character_grams_starting(prefix):
    """The patterns of the grams that are two Chinese characters and start with `prefix`
    (what a prefix search finds in the grams field, as search.embedded.evaluate's prefix)."""
    if not prefix or len(prefix) > 2 or not all(analysis.is_cjk(ch) for ch in prefix):
        return []
    if len(prefix) == 2:
        return [gram_token(prefix) + "r*"]
    return [unit_code(prefix) + "?" * CJK_CODE + "r*"]
