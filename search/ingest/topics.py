"""One topic per article, from the editable lexicon in data/topics.txt.

Each topic scores the weighted count of its words; words in the headline count three
times. The highest score wins, ties go to the topic listed first in the file, and an
article that matches no word gets the file's `default:` topic.

A lexicon word counts wherever it occurs inside one of the words jieba cuts from the
text (经济 inside 太忻一体化经济区 too). Which lexicon words a jieba word contains is
remembered per distinct word, so an article costs one pass over its words rather than a
search of the text for each of the lexicon's words.
"""
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from .. import analysis, data
from ..errors import SearchError

TOPICS = ("经济", "城建", "民生", "教育", "卫生健康", "政务", "科技", "文旅", "生态", "安全", "法治")
HEADLINE_WEIGHT = 3


class LexiconError(SearchError):
    pass


MIN_WORD, MAX_WORD = 2, 8      # lexicon words are looked for inside jieba's words at these lengths


@dataclass(frozen=True)
class Lexicon:
    words: dict          # topic → {word: weight}
    default: str
    contained: dict = field(default_factory=dict, compare=False)   # jieba word → lexicon words in it

    def inside(self, token):
        """The lexicon words that occur in `token`."""
        found = self.contained.get(token)
        if found is None:
            vocabulary = self.vocabulary
            found = tuple({token[i:j] for i in range(len(token))
                           for j in range(i + MIN_WORD, min(len(token), i + MAX_WORD) + 1)
                           if token[i:j] in vocabulary})
            if len(self.contained) < 500_000:
                self.contained[token] = found
        return found

    @functools.cached_property
    def vocabulary(self):
        return {w for words in self.words.values() for w in words}


def parse(lines):
    """(line number, line) pairs of the lexicon file → Lexicon, or a LexiconError."""
    words, default, topic = {}, None, None
    for number, line in lines:
        if line.startswith("default:"):
            default = line.split(":", 1)[1].strip()
        elif re.fullmatch(r"\[.+\]", line):
            topic = line[1:-1].strip()
            if topic not in TOPICS:
                raise LexiconError(f"topics.txt: unknown topic [{topic}] (line {number}); "
                                   f"topics are {' '.join(TOPICS)}")
            words.setdefault(topic, {})
        elif topic is None:
            raise LexiconError(f"topics.txt: word before any [topic] (line {number})")
        else:
            word, *weight = line.split()
            try:
                value = float(weight[0]) if weight else 1.0
            except ValueError:
                value = None
            if value is None or not math.isfinite(value) or value <= 0:
                raise LexiconError(f"topics.txt: weight of {word!r} must be a positive number (line {number})")
            if not MIN_WORD <= len(word) <= MAX_WORD:
                raise LexiconError(f"topics.txt: {word!r} must have {MIN_WORD} to {MAX_WORD} characters "
                                   f"(line {number})")
            words[topic][word] = value
    if default not in TOPICS:
        raise LexiconError(f"topics.txt: `default:` must name one of {' '.join(TOPICS)}")
    return Lexicon(words, default)


@functools.lru_cache(maxsize=1)
def lexicon():
    from ..text import normalize
    raw = parse(data.numbered_lines("topics.txt"))
    # Words are matched against normalized text, so normalize them the same way.
    return Lexicon({t: {normalize(w): v for w, v in ws.items()} for t, ws in raw.words.items()},
                   raw.default)


def scores(headline, body):
    """topic → score for normalized headline and body text."""
    lex = lexicon()
    tokens = Counter(analysis.words(body))
    for token in analysis.words(headline):
        tokens[token] += HEADLINE_WEIGHT
    counts = Counter()
    for token, n in tokens.items():
        for word in lex.inside(token):
            counts[word] += n
    return {topic: sum(weight * counts[word] for word, weight in words.items() if word in counts)
            for topic, words in lex.words.items()}


def classify(headline, body):
    found = scores(headline, body)
    best = max(found.values(), default=0)
    if best <= 0:
        return lexicon().default
    return next(t for t in lexicon().words if found[t] == best)
