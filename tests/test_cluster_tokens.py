"""Our terms as Sphinx tokens: a phrase of grams finds a text in the token stream exactly
where the embedded index finds it (no searchd needed: Sphinx's phrase and prefix matching
are simulated on the token stream, which is all they look at)."""
import re

from hypothesis import given
from hypothesis import strategies as st

from search import analysis
from search.cluster import tokens
from search.text import normalize

# Chinese characters, letters, digits, a space, punctuation, a character beyond U+FFFF,
# Hangul (letters that are not Chinese): every kind of unit and break the grams know.
ALPHABET = "太忻一体化经济区ab5g2022 ，。-_한𠀀"


def embedded_finds(text, literal):
    """search.embedded's grams match: every slot of the phrase holds at its offset."""
    slots = analysis.phrase_slots(literal)
    positions = analysis.gram_positions(text)
    if not slots:
        return False

    def holds(slot, p):
        return any(p in positions.get(t, ()) for t in slot.terms) or any(
            p in where for term, where in positions.items() for prefix in slot.prefixes if term.startswith(prefix))
    starts = {p for where in positions.values() for p in where}
    return any(all(holds(slot, p + slot.offset) for slot in slots) for p in starts)


def sphinx_finds(text, literal):
    """The patterns search.cluster.match writes, matched as Sphinx matches a phrase."""
    slots = analysis.phrase_slots(literal)
    if not slots:
        return False
    stream = tokens.gram_stream(text).split()
    found = lambda token, p: re.fullmatch(".*".join(map(re.escape, p.split("*"))), token) is not None
    return any(any(all(found(stream[s + k], p) for k, p in enumerate(patterns))
                   for s in range(len(stream) - len(patterns) + 1))
               for patterns in tokens.phrase_patterns(slots))


@given(st.text(ALPHABET, min_size=1, max_size=24), st.text(ALPHABET, min_size=1, max_size=6), st.data())
def test_a_phrase_matches_where_the_embedded_index_matches(text, other, data):
    text = normalize(text)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    for literal in (text[start:end].strip(), normalize(other).strip()):     # a substring, and anything
        if literal:
            assert sphinx_finds(text, literal) == embedded_finds(text, literal), (text, literal)


def test_tokens_are_short_ascii_and_one_per_position():
    text = normalize("在2022年，5G手机“太忻一体化”ａｂｃ陈 剑说" + "x" * 80 + "𠀀𠀁")
    stream = tokens.gram_stream(text).split()
    assert len(stream) == 1 + max(p for positions in analysis.gram_positions(text).values() for p in positions)
    assert all(len(t) <= tokens.MAX_TOKEN and re.fullmatch("[0-9a-z]+", t) for t in stream)
    assert stream[:5] == ["5728x32303232zr", "x32303232z5e74r", "5e74sff0ctr", "x3567z624brff0c", "624b673ar"]


def test_a_unit_is_found_alone_and_at_the_start_of_its_pairs():
    """2022 is indexed alone wherever it stands (search.analysis); a Chinese character alone
    only where the text ends; a pair whatever punctuation stands before it."""
    assert tokens.phrase_patterns(analysis.phrase_slots("2022")) == [["x32303232z*"]]
    assert tokens.phrase_patterns(analysis.phrase_slots("年")) == [["5e74*"]]
    assert tokens.phrase_patterns(analysis.phrase_slots("2022年")) == [["x32303232z5e74r*"]]
    assert tokens.phrase_patterns(analysis.phrase_slots("14+7")) == [["x3134zs002btr*", "x37z*"]]
    assert tokens.phrase_patterns(analysis.phrase_slots("14 7")) == [["x3134zs*", "x37z*"]]
    assert tokens.phrase_patterns(analysis.phrase_slots("“三个")) == [["4e094e2ar201c*"]]
    assert tokens.phrase_patterns(analysis.phrase_slots("“三")) == [["4e09*r201c*"]]


def test_words_keep_their_prefixes():
    assert tokens.word_token("综改示范区") == "7efc6539793a8303533a"
    assert tokens.word_prefix_patterns("综改") == ["7efc6539*"]
    long_word = "山西转型综合改革示范区建设"
    token = tokens.word_token(long_word)
    assert len(token) <= tokens.MAX_TOKEN and token.startswith(tokens.word_token("山西转型综合改"))
    assert tokens.word_prefix_patterns(long_word[:9]) == [tokens.word_token(long_word[:9]) + "*",
                                                          tokens.word_token(long_word[:7]) + "h*"]
    assert tokens.two_character_grams_starting("综") == ["7efc????r*"]
    assert tokens.two_character_grams_starting("综改") == ["7efc6539r*"]
    assert tokens.two_character_grams_starting("综改示") == tokens.two_character_grams_starting("ab") == []
