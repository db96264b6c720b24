"""Index terms: jieba words for ranking; grams, with what stands between units, that
guarantee substring and phrase matches; the phrase semantics as a regular expression."""
from hypothesis import given, strategies as st

from search.analysis import Slot, gram_positions, grams, index_words, phrase_pattern, phrase_slots, units
from search.text import normalize


def occurs(text, literal):
    """Would a phrase query for `literal` match `text`, by the index terms alone?"""
    slots = phrase_slots(normalize(literal))
    at = gram_positions(normalize(text))

    def holds(slot, position):
        return any(position in at.get(t, ()) for t in slot.terms) or any(
            position in positions for term, positions in at.items() if term.startswith(slot.prefixes or "\0"))
    starts = {p for positions in at.values() for p in positions}
    return bool(slots) and any(all(holds(s, p + s.offset) for s in slots) for p in starts)


def by_pattern(text, literal):
    return phrase_pattern(normalize(literal)).search(normalize(text)) is not None


def test_grams_of_a_sentence():
    assert grams("活动暨太忻") == [("活动", 0), ("动暨", 1), ("暨太", 2), ("太忻", 3), ("忻", 4)]


def test_what_stands_between_units_is_indexed_around_them():
    assert grams("“14+7”集中") == [("14 +", 0), ("“14", 0), ("14", 0), ("7 ”", 1), ("+7", 1), ("7", 1),
                                   ("”集", 2), ("集中", 2), ("中", 3)]
    assert gram_positions("原，“忻")["，“忻"] == [1] and gram_positions("原，“忻")["原 ，“"] == [0]


def test_digits_and_letters_are_units_of_their_own():
    assert [u for u, _, _ in units("2022年5g基站")] == ["2022", "年", "5g", "基", "站"]
    assert ("2022年", 0) in grams("2022年") and ("2022", 0) in grams("2022年")


def test_a_space_between_chinese_characters_does_not_separate_them():
    assert phrase_slots("陈剑") == [Slot(0, ("陈剑",))] and ("陈剑", 2) in grams("记者 陈 剑")


def test_punctuation_ends_a_run():
    assert not occurs("太原，忻州", "原忻")
    assert occurs("太原，忻州", "太原，忻州")


def test_punctuation_in_a_phrase_is_the_texts():
    assert occurs("实施“14+7”集中", "14+7") and not occurs("实施“14-7”集中", "14+7")
    assert occurs("14 + 7", "14+7")                         # spaces beside punctuation do not count
    assert not occurs("2014+7", "14+7") and not occurs("14+7", "4+7")   # digits are matched whole


def test_a_space_in_a_phrase_is_any_gap():
    assert [occurs(t, "14 7") for t in ("14+7", "14、7", "14 7", "147", "14天7")] == [True, True, True, False, False]
    assert occurs("太忻一体化", "太忻 一体化") and occurs("太忻，一体化", "太忻 一体化")


def test_punctuation_at_the_ends_of_a_phrase_borders_the_gap():
    assert occurs("第一次“三个一批”活动", "“三个一批”") and occurs("。“三个一批”，", "“三个一批”")
    assert not occurs("三个一批活动", "“三个一批”") and not occurs("《三个一批》", "“三个一批”")


def test_index_words_drop_punctuation_and_keep_two_character_words():
    assert index_words(normalize("“三个一批”活动，")) == ["三个一批", "活动"]


def same_run(a, b):
    """Two characters of one letters/digits unit."""
    return (a + b).isascii() and (a + b).isalnum()


TEXT = st.text(alphabet="太忻一体化经济区建设推动先进要素集聚中来，。、 “”+-2022年ab", min_size=1, max_size=40)


@given(TEXT, st.data())
def test_every_substring_of_the_text_is_found_by_its_grams(text, data):
    norm = normalize(text)
    if not units(norm):
        return
    start = data.draw(st.integers(0, len(norm) - 1))
    end = data.draw(st.integers(start + 1, len(norm)))
    literal = norm[start:end].strip()
    # Letters and digits are matched as whole runs (2022, not 202): cut between units only.
    cuts_a_run = (start > 0 and same_run(norm[start - 1], norm[start])) or \
                 (end < len(norm) and same_run(norm[end - 1], norm[end]))
    if units(literal) and not cuts_a_run:
        assert occurs(text, literal), (text, literal)


@given(TEXT, st.text(alphabet="太忻一体化，。、 “”+-2022年ab", min_size=1, max_size=8))
def test_the_index_terms_match_where_the_pattern_does(text, literal):
    literal = normalize(literal).strip()
    if units(literal):
        assert occurs(text, literal) == by_pattern(text, literal), (text, literal)
