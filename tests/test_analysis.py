"""Index terms: jieba words for ranking, character grams that guarantee substring matches."""
from hypothesis import given, strategies as st

from search.analysis import grams, index_words, phrase_terms, units
from search.text import normalize


def occurs(text, literal):
    """Would a phrase query for `literal` match `text`, by the index terms alone?"""
    terms = phrase_terms(normalize(literal))
    at = {}
    for term, pos in grams(normalize(text)):
        at.setdefault(term, set()).add(pos)
    starts = at.get(terms[0], set())
    return any(all(p + k in at.get(t, ()) for k, t in enumerate(terms)) for p in starts)


def test_grams_of_a_sentence():
    assert grams("活动暨太忻") == [("活动", 0), ("动暨", 1), ("暨太", 2), ("太忻", 3), ("忻", 4)]


def test_digits_and_letters_are_units_of_their_own():
    assert [u for u, _, _ in units("2022年5g基站")] == ["2022", "年", "5g", "基", "站"]
    assert ("2022年", 0) in grams("2022年") and ("2022", 0) in grams("2022年")


def test_a_space_between_chinese_characters_does_not_separate_them():
    assert phrase_terms("陈剑") == ["陈剑"] and ("陈剑", 2) in grams("记者 陈 剑")


def test_punctuation_ends_a_run():
    assert not occurs("太原，忻州", "原忻")
    assert occurs("太原，忻州", "太原，忻州")


def test_index_words_drop_punctuation():
    assert index_words(normalize("“三个一批”活动，")) == ["三个一批", "活动"]


def same_run(a, b):
    """Two characters of one letters/digits unit."""
    return (a + b).isascii() and (a + b).isalnum()


CHINESE = st.text(alphabet="太忻一体化经济区建设推动先进要素集聚中来，。 2022年ab", min_size=1, max_size=40)


@given(CHINESE, st.data())
def test_every_substring_of_the_text_is_found_by_its_grams(text, data):
    norm = normalize(text)
    if len(units(norm)) < 2:
        return
    start = data.draw(st.integers(0, len(norm) - 1))
    end = data.draw(st.integers(start + 1, len(norm)))
    literal = norm[start:end]
    # Letters and digits are matched as whole runs (2022, not 202): cut between units only.
    cuts_a_run = (start > 0 and same_run(norm[start - 1], norm[start])) or \
                 (end < len(norm) and same_run(norm[end - 1], norm[end]))
    if len(units(literal)) >= 2 and literal == literal.strip("，。 ") and not cuts_a_run:
        assert occurs(text, literal), (text, literal)
