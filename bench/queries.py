"""The fixed query mix, picked from the corpus itself so that it suits any corpus.

Four kinds of query, each alone and with a city, a topic and a date-range filter:
a common word (in >30% of articles), a rare word (in ≤0.1%, at least one), two words
(~15% and ~5%, both required) and a two-word phrase (~3%). Words are chosen by document
frequency under jieba, among words of two or more Han characters that jieba also cuts
as one word on their own, so every engine can find them. Ties break by the word itself:
the same corpus always gives the same mix.

    mix = build(articles)   # [{"name", "q", "city", "topic", "from", "to"}, ...]
"""
import functools
import re
from collections import Counter

import jieba
import rjieba

HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
PHRASE_SAMPLE = 3000          # articles scanned for adjacent word pairs


def parse(q):
    """A query string → [(is_phrase, text)]: quoted parts are phrases, the rest words."""
    return [(bool(phrase), phrase or word) for phrase, word in QUERY_PART.findall(q) if phrase or word]


@functools.lru_cache(maxsize=1)
def _cutter():
    """jieba's plain dictionary in rjieba: the same cuts, twenty times faster. A private
    instance, because the parser adds the project's words to rjieba's shared one."""
    return rjieba.Jieba()


def _tokens(article):
    return _cutter().cut((article["title"] or "") + "\n" + article["body"])


def _single(word):
    return jieba.lcut(word) == [word]


def _nearest(counts, n, share, exclude=()):
    """The word whose document share is nearest `share`."""
    ranked = sorted((abs(df / n - share), w) for w, df in counts.items() if w not in exclude)
    return next(w for _, w in ranked if _single(w))


def _frequencies(articles):
    df, pairs = Counter(), Counter()
    step = max(1, len(articles) // PHRASE_SAMPLE)
    for k, article in enumerate(articles):
        tokens = _tokens(article)
        df.update({w for w in tokens if HAN_WORD.fullmatch(w)})
        if k % step == 0:       # words next to each other in the text, nothing between
            pairs.update({(a, b) for a, b in zip(tokens, tokens[1:]) if HAN_WORD.fullmatch(a) and HAN_WORD.fullmatch(b)})
    return df, pairs, len(range(0, len(articles), step))


def pick_words(articles):
    """{"common", "rare", "two", "phrase"} → query string."""
    df, pairs, sampled = _frequencies(articles)
    n = len(articles)
    common = {w: c for w, c in df.items() if c / n > 0.3} or df
    common_word = _nearest(common, n, 0.4)
    rare_limit = max(1, n // 1000)
    rare = (sorted((-c, w) for w, c in df.items() if c <= rare_limit)
            or sorted((c, w) for w, c in df.items()))        # a corpus of repeats: the rarest
    rare_word = next(w for _, w in rare if _single(w))
    first = _nearest(df, n, 0.15, exclude={common_word})
    second = _nearest({w: c for w, c in df.items() if w not in first and first not in w}, n, 0.05)
    phrases = sorted((abs(c / sampled - 0.03), a + b) for (a, b), c in pairs.items()
                     if jieba.lcut(a + b) == [a, b])
    return {"common": common_word, "rare": rare_word, "two": f"{first} {second}",
            "phrase": f'"{phrases[0][1]}"' if phrases else first}


def pick_filters(articles):
    """The most frequent main city and topic, and the middle fifth of the dates."""
    cities = Counter(a["cities"][0] for a in articles if a["cities"])
    topic_counts = Counter(a["topic"] for a in articles)
    dates = sorted(a["date"] for a in articles if a["date"])
    top = lambda c: min(c, key=lambda k: (-c[k], k))
    return {"city": top(cities) if cities else None, "topic": top(topic_counts),
            "from": dates[len(dates) * 2 // 5] if dates else None,
            "to": dates[len(dates) * 3 // 5] if dates else None}


def build(articles):
    """The query mix: each word query alone and with each filter."""
    words, filters = pick_words(articles), pick_filters(articles)
    empty = {"city": None, "topic": None, "from": None, "to": None}
    variants = [("", {}), ("+city", {"city": filters["city"]}), ("+topic", {"topic": filters["topic"]}),
                ("+date", {"from": filters["from"], "to": filters["to"]})]
    return [{"name": kind + suffix, "q": q, **empty, **extra}
            for kind, q in words.items() for suffix, extra in variants]
