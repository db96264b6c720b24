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
    """search.embedded's grams match: the phrase terms at consecutive positions (one
    Chinese character alone: that character ending a run, or any gram it starts)."""
    terms = analysis.phrase_terms(literal)
    positions = analysis.gram_positions(text)
    if not terms:
        return False
    if len(terms) == 1 and len(terms[0]) == 1 and analysis.is_cjk(terms[0]):
        return any(t.startswith(terms[0]) and analysis.units(t)[0][0] == terms[0] for t in positions)
    starts = set(positions.get(terms[0], []))
    for k, term in enumerate(terms[1:], 1):
        starts &= {p - k for p in positions.get(term, [])}
    return bool(starts)


def sphinx_finds(text, literal):
    """The pattern search.cluster.match writes, matched as Sphinx matches a phrase."""
    terms = analysis.phrase_terms(literal)
    if not terms:
        return False
    stream = tokens.gram_stream(text).split()
    if len(terms) == 1 and len(terms[0]) == 1 and analysis.is_cjk(terms[0]):
        patterns = [tokens.any_gram_starting(terms[0])]
    else:
        patterns = [tokens.query_gram(t) for t in terms]
    found = lambda token, p: token.startswith(p[:-1]) if p.endswith("*") else token == p
    return any(all(found(stream[s + k], p) for k, p in enumerate(patterns))
               for s in range(len(stream) - len(patterns) + 1))


@given(st.text(ALPHABET, min_size=1, max_size=24), st.text(ALPHABET, min_size=1, max_size=6), st.data())
def test_a_phrase_matches_where_the_embedded_index_matches(text, other, data):
    text = normalize(text)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    for literal in (text[start:end], normalize(other)):          # a substring, and anything
        assert sphinx_finds(text, literal) == embedded_finds(text, literal), (text, literal)


def test_tokens_are_short_ascii_and_one_per_position():
    text = normalize("在2022年，5G手机“太忻一体化”ａｂｃ陈 剑说" + "x" * 80 + "𠀀𠀁")
    stream = tokens.gram_stream(text).split()
    assert len(stream) == 1 + max(p for positions in analysis.gram_positions(text).values() for p in positions)
    assert all(len(t) <= tokens.MAX_TOKEN and re.fullmatch("[0-9a-z]+", t) for t in stream)
    assert stream[:5] == ["5728x32303232z", "x32303232z5e74", "5e74", "x3567z624b", "624b673a"]


def test_a_unit_is_found_alone_and_at_the_start_of_its_pairs():
    """2022 is indexed alone where it starts the pair 2022年 (search.analysis); a Chinese
    character alone only where a run ends."""
    assert tokens.query_gram("2022") == "x32303232z*"
    assert tokens.query_gram("年") == "5e74"
    assert tokens.query_gram("2022年") == "x32303232z5e74"


def test_words_keep_their_prefixes():
    assert tokens.word_token("综改示范区") == "7efc6539793a8303533a"
    assert tokens.word_prefix_patterns("综改") == ["7efc6539*"]
    long_word = "山西转型综合改革示范区建设"
    token = tokens.word_token(long_word)
    assert len(token) <= tokens.MAX_TOKEN and token.startswith(tokens.word_token("山西转型综合改"))
    assert tokens.word_prefix_patterns(long_word[:9]) == [tokens.word_token(long_word[:9]) + "*",
                                                          tokens.word_token(long_word[:7]) + "h*"]
    assert tokens.two_character_grams_starting("综") == ["7efc????"]
    assert tokens.two_character_grams_starting("综改") == ["7efc6539"]
    assert tokens.two_character_grams_starting("综改示") == tokens.two_character_grams_starting("ab") == []
