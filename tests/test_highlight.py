"""Snippets: which passage is chosen, and that choosing it stays fast on long articles."""
import random
import re

from search import highlight
from search.formatting import html
from search.text import normalize_map


def plain(snippet_html):
    return re.sub(r"</?mark>", "", snippet_html)


def reference_start(norm, found, width):
    """The passage choice by brute force: every candidate start, every occurrence counted."""
    if not found:
        return 0
    best, best_key = 0, None
    for start, _, _ in found:
        lead = max(0, start - width // 4)
        boundary = max((m.end() for m in highlight._SENTENCE_END.finditer(norm, max(0, start - 40), start)),
                       default=None)
        window = boundary if boundary is not None and boundary >= lead - 20 else lead
        inside = [f for f in found if f[0] >= window and f[1] <= window + width]
        key = (len({f[2] for f in inside}), len(inside), -window)
        if best_key is None or key > best_key:
            best, best_key = window, key
    return best


def test_the_passage_with_the_most_distinct_terms_wins_over_more_matches_of_one():
    filler = "这是一段没有关键词的文字" * 20
    many_of_one = "。" + "太原太原太原太原太原。"
    both = "。太原和忻州共同建设。"
    text = filler + many_of_one + filler + both + filler
    s = html(highlight.snippet(text, ["太原", "忻州"]))
    assert "<mark>太原</mark>和<mark>忻州</mark>共同建设" in s
    assert plain(s).startswith("…太原和忻州共同建设。")  # starts just after the sentence end


def test_among_passages_with_as_many_terms_the_one_with_more_matches_wins():
    filler = "这是一段没有关键词的文字" * 20
    text = filler + "。太原到忻州。" + filler + "。太原忻州太原忻州太原。" + filler
    s = html(highlight.snippet(text, ["太原", "忻州"]))
    assert s.startswith("…<mark>太原忻州太原忻州太原</mark>。"), s


def test_among_equal_passages_the_earliest_wins():
    filler = "这是一段没有关键词的文字" * 20
    text = filler + "。甲太原忻州。" + filler + "。乙太原忻州。" + filler
    s = html(highlight.snippet(text, ["太原", "忻州"]))
    assert s.startswith("…甲<mark>太原忻州</mark>。"), s


def test_no_sentence_end_nearby_starts_a_quarter_width_before_the_match():
    text = "字" * 500 + "忻州" + "字" * 500
    s = html(highlight.snippet(text, ["忻州"], width=120))
    assert plain(s) == "…" + "字" * 30 + "忻州" + "字" * 88 + "…"


def test_same_choice_as_brute_force_on_random_texts():
    rng = random.Random(20240501)
    alphabet = "的工作天气。！\n甲乙丙丁戊"
    vocabulary = ["的", "工作", "天气", "甲乙", "丙", "的工", "作天气。甲"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        terms = rng.sample(vocabulary, rng.randint(1, 4))
        width = rng.choice([120, 30, 7, 3, 1])
        norm, _ = normalize_map(text)
        found = highlight.occurrences(norm, terms)
        assert highlight._best_start(norm, found, width) == reference_start(norm, found, width), (text, terms, width)


def test_thousands_of_matches_in_a_long_article():
    # 50,000 characters, ~12,000 occurrences of three terms: the brute-force choice took
    # seconds here (and half a minute for a page of such articles).
    text = ("今天的天气很好，我们的工作很顺利。" * 3000)[:50000]
    terms = ["的", "工作", "天气"]
    norm, _ = normalize_map(text)
    found = highlight.occurrences(norm, terms)
    assert len(norm) == 50000 and len(found) > 10000
    s = html(highlight.snippet(text, terms))
    assert "<mark>" in s and "工作</mark>" in s and "天气</mark>" in s
    assert len(plain(s)) <= highlight.WIDTH + 2
    start = highlight._best_start(norm, found, highlight.WIDTH)
    assert start == 0                                    # every passage holds all three: the first one
    # The same article with the terms only near its end: the passage found is there.
    tail = "我们在太原讨论了今后的工作和天气预报。"
    text = "各地代表参加会议。" * 5500 + tail
    s = html(highlight.snippet(text, terms))
    assert s == "…我们在太原讨论了今后<mark>的工作</mark>和<mark>天气</mark>预报。"


class Counted(list):
    """The occurrences, counting every time one of them is looked at."""

    looked = 0

    def __iter__(self):
        for item in super().__iter__():
            Counted.looked += 1
            yield item

    def __getitem__(self, i):
        Counted.looked += 1
        return super().__getitem__(i)


def test_choosing_the_passage_looks_at_each_occurrence_a_bounded_number_of_times():
    text = "今天的天气很好，我们的工作很顺利。" * 400
    norm, _ = normalize_map(text)
    found = highlight.occurrences(norm, ["的", "工作", "天气"])
    assert len(found) == 1600
    Counted.looked = 0
    start = highlight._best_start(norm, Counted(found), highlight.WIDTH)
    assert start == 0
    assert Counted.looked < 20 * len(found)          # not once per pair of occurrences
