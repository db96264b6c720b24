"""Cutting Chinese text into words with jieba, for places, topics and the index.

We use jieba-rs through `rjieba`: the same dictionary and algorithm as jieba (its output is
identical on the seed dumps), about twenty times faster, and with its dictionary compiled
in, so a new `search` process does not spend 0.7 s loading one. The project's own words
(data/userdict.txt) and every place name of the gazetteer are added on first use.
"""
import functools
import re

import rjieba

from . import data


def dictionary_words():
    """(word, frequency or None, tag or None) from the user dictionary and the gazetteers."""
    for line in data.lines("userdict.txt"):
        parts = line.split()
        word = parts[0]
        freq = next((int(p) for p in parts[1:] if p.isdigit()), None)
        tag = next((p for p in parts[1:] if not p.isdigit()), None)
        yield word, freq, tag
    for name in ("gazetteer.tsv", "places.tsv"):
        for row in data.rows(name):
            yield row[0], None, "ns"


@functools.lru_cache(maxsize=1)
def jieba():
    # rjieba builds its module-level cutter at import (0.1 s); a second `Jieba()` would
    # build the dictionary again, so the shared one gets our words.
    for word, freq, tag in dictionary_words():
        rjieba.add_word(word, freq, tag)
    return rjieba


def cut(text):
    """Words of `text` (already normalized), as jieba cuts them."""
    return jieba().cut(text, hmm=True)


def tokenize(text):
    """(word, start, end) for each word of `text`, offsets in characters."""
    return jieba().tokenize(text, mode="default", hmm=True)


WORD_CHAR = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
