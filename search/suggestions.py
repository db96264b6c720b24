"""“Did you mean”: queries a reporter may have meant when a search finds (almost) nothing.

When a search finds fewer than FEW articles, each term of the query in text (not a prefix,
a byline or a filter) is looked up among the words of the index (Engine.words):

* a term in Chinese: index words that sound the same, tones aside (太新 → 太忻, the error a
  pinyin keyboard makes), and for terms of three characters or more, words one edit away
  (a character replaced, added or dropped after the first two: 综改示范去 → 综改示范区);
* a term of Latin letters: index words whose toneless pinyin it is (taixin → 太忻).

Index words are looked up exactly (Engine.word_counts) or by how they start (Engine.words):
no list of all words is read.

A suggestion is the whole query with that term replaced, its word found in more articles
than the query was (and MORE times as many, when the query found some); the best MAX of
them, those whose word is in the most articles first. A query
that finds articles only through their bylines (陈俊琦) is suggested as `author:陈俊琦`.
pypinyin is imported here only, when a suggestion is looked for.
"""
import functools
import re
import unicodedata
from collections import defaultdict

from .analysis import is_cjk
from .query import Lit, Node
from .text import normalize

FEW = 3                     # suggest when a search finds fewer articles than this
MORE = 5                    # … words found in this many times as many articles
MAX = 3                     # suggestions shown
EDIT_WORDS = 200            # index words looked at per edit position
MAX_CANDIDATES = 4000       # strings looked up at one length of a spelled-out word
PER_SYLLABLE = 60           # characters tried for one syllable: the commonest (GB2312's order)
_LATIN = re.compile(r"[a-z]{2,30}")


def suggest(engine, query, tree, total):
    """Suggested queries (strings, best first) for a search of `query` that found `total`."""
    if tree is None or total >= FEW:
        return []
    scored = {}
    for lit in _terms(tree):
        text = normalize(lit.text)
        for word, df in _alternatives(engine, text):
            if df >= MORE * total and df > total and word != text:
                suggestion = query.replace(lit.text, word)
                scored[suggestion] = max(df, scored.get(suggestion, 0))
    return sorted(scored, key=lambda s: (-scored[s], s))[:MAX]


def byline_only(query, tree, hits):
    """`author:NAME` when the query is one name and every hit has it only in its byline."""
    lits = _terms(tree) if tree is not None else []
    if not hits or len(lits) != 1 or lits[0].phrase or lits[0].field is not None:
        return []
    name = normalize(lits[0].text)
    for hit in hits:
        text = normalize(" ".join(filter(None, (hit.kicker, hit.title, hit.snippet.text))))
        if name not in map(normalize, hit.authors) or name in text:
            return []
    return [f"author:{lits[0].text.strip()}"]


def _terms(tree):
    """The positive text terms of a tree, as typed (aliases left out)."""
    found = []

    def walk(node, positive=True):
        if isinstance(node, Lit):
            if positive and not node.alias and not node.prefix and node.field in (None, "title"):
                found.append(node)
        elif isinstance(node, Node):
            for child in node.children:
                walk(child, positive and node.op != "not")
    walk(tree)
    return found


def _alternatives(engine, text):
    """(word, articles) of index words `text` may have been meant as."""
    if _LATIN.fullmatch(text):
        return _from_pinyin(engine, text)
    if len(text) < 2 or not all(is_cjk(ch) for ch in text):
        return []
    found = dict(_homophones(engine, text))
    if len(text) >= 3:
        for word, df in _one_edit(engine, text):
            found.setdefault(word, df)
    return found.items()


def _homophones(engine, text):
    """Index words with the toneless pinyin of `text`, character by character."""
    from pypinyin import Style, pinyin
    readings = pinyin(text, style=Style.NORMAL, heteronym=True, errors=lambda s: [[s]])
    return _spelled(engine, [_characters(tuple(r)) for r in readings])


def _from_pinyin(engine, latin):
    """Index words whose toneless pinyin, written together, is `latin`."""
    found = {}
    for syllables in _syllables(latin):
        found.update(_spelled(engine, [_characters((s,)) for s in syllables]))
    return found.items()


def _spelled(engine, choices):
    """(word, articles) of the index words whose k-th character is one of choices[k]:
    longer ones grown a character at a time through pairs the index holds."""
    if len(choices) < 2:
        return []
    starts = [a + b for a in choices[0] for b in choices[1]]
    for chars in choices[2:]:
        pairs = engine.word_counts({start[-1] + ch for start in starts for ch in chars})
        starts = [start + ch for start in starts for ch in chars if start[-1] + ch in pairs][:MAX_CANDIDATES]
    return list(engine.word_counts(starts[:MAX_CANDIDATES]).items())


def _one_edit(engine, text):
    """Index words one character away from `text` (replaced, added or dropped), after its
    first two characters: the index lists words by how they start."""
    found = dict(engine.word_counts({text[:i] + text[i + 1:] for i in range(len(text))}))
    for i in range(2, len(text) + 1):
        for word, df in engine.words(text[:i], EDIT_WORDS):
            replaced = len(word) == len(text) and word[i + 1:] == text[i + 1:]
            added = len(word) == len(text) + 1 and word[i + 1:] == text[i:]
            if word != text and (replaced or added):
                found[word] = df
    return found.items()


@functools.lru_cache(maxsize=1)
def _by_syllable():
    """toneless syllable → the characters of GB2312 (the 6,763 of everyday print) read so."""
    from pypinyin.pinyin_dict import pinyin_dict
    table = defaultdict(list)
    for code, readings in pinyin_dict.items():
        ch = chr(code)
        if is_cjk(ch) and _everyday(ch):
            for reading in readings.split(","):
                table[_toneless(reading)].append(ch)
    return {syllable: tuple(sorted(chars, key=_everyday)) for syllable, chars in table.items()}


def _everyday(ch):
    """The character's GB2312 code (the commonest first), or None outside GB2312."""
    try:
        return ch.encode("gb2312")
    except UnicodeEncodeError:
        return None


def _toneless(reading):
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=1024)
def _characters(syllables):
    """Everyday characters read as any of these syllables, the commonest PER_SYLLABLE of
    each (GB2312 lists its 3,755 commonest characters first)."""
    return tuple(dict.fromkeys(ch for s in syllables for ch in _by_syllable().get(s, ())[:PER_SYLLABLE]))


def _syllables(latin, limit=4):
    """Ways to cut `latin` into pinyin syllables, fewest syllables first."""
    known = _by_syllable()
    cuts = {0: [[]]}
    for end in range(1, len(latin) + 1):
        ways = []
        for start in range(max(0, end - 6), end):
            if start in cuts and latin[start:end] in known:
                ways.extend(way + [latin[start:end]] for way in cuts[start])
        if ways:
            cuts[end] = sorted(ways, key=len)[:limit]
    return cuts.get(len(latin), [])
