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
* a *gram* (one unit, or a pair of adjacent units) is its units' codes in a row
  (`太忻` → 592a5ffb, `2022年` → x32303232z5e74);
* a *word* (jieba's, or a keyword) is the codes of its characters in a row: 4 hex digits each
  (characters beyond U+FFFF: `g` and 6), so "a word that starts with these characters" is
  `word_code*`. A word longer than WORD_CHARS characters keeps the codes of its first
  PREFIX_CHARS characters, then `h` and a hash of the whole word.
"""
import functools
import hashlib

from .. import analysis

MAX_TOKEN = 40            # bytes; Sphinx 2.2 cuts words at 42
RUN_HEX = 24              # hex digits of a letters/digits unit kept as is; longer ones are hashed
PREFIX_CHARS = 7          # characters of a long word kept before its hash
CJK_CODE = 4              # the length of a Chinese character's code


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
    search.analysis.grams, the gram that starts there. Where a letters/digits unit is also
    indexed alone at the position of its pair, the pair's token starts with the unit's
    code, so the query finds it as a prefix (see query_gram)."""
    at = {}
    for term, positions in analysis.gram_positions(text).items():
        for p in positions:
            if len(term) > len(at.get(p, "")):          # the pair, not the unit also indexed alone
                at[p] = term
    return " ".join(gram_token(at[p]) for p in range(len(at)))


def query_gram(term):
    """The pattern that finds a grams-field term at a position: its token, or, for a unit
    that search.analysis also indexes alone where it starts a pair, any gram it starts."""
    units = analysis.units(term)
    if len(units) == 1 and _indexed_alone_in_pairs(term):
        return unit_code(term) + "*"
    return gram_token(term)


def _indexed_alone_in_pairs(unit):
    """Does the analysis index `unit` alone at the position where it starts a pair? Asked
    of search.analysis itself, so a change there carries over."""
    return 0 in analysis.gram_positions(unit + "一").get(unit, [])


def any_gram_starting(unit):
    """The pattern of every gram that starts with `unit` (the unit alone at the end of a
    run, or the pair it starts)."""
    return unit_code(unit) + "*"


def two_character_grams_starting(prefix):
    """The patterns of the grams that are two Chinese characters and start with `prefix`
    (what a prefix search finds in the grams field: see search.analysis.is_gram_word)."""
    if not prefix or len(prefix) > 2 or not all(analysis.is_cjk(ch) for ch in prefix):
        return []
    if len(prefix) == 2:
        return [gram_token(prefix)]
    return [unit_code(prefix) + "?" * CJK_CODE]
