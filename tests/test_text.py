"""search/text.py: one canonical form for matching; displayed text stays as printed."""
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import is_cjk
from search.text import INVISIBLE, fold_width, normalize, normalize_map

from builders import by_title


def test_traditional_becomes_simplified():
    assert normalize("中來") == "中来"
    assert normalize("蘇州中來光伏新材") == "苏州中来光伏新材"


def test_full_width_letters_and_digits_fold_punctuation_stays():
    assert normalize("２０２２年９月５日，ＡＰＰ（微信）") == "2022年9月5日，app（微信）"
    assert fold_width("①号楼、㉑号楼　Ｂ座") == "1号楼、21号楼 B座"


def test_body_keeps_the_text_as_printed(seed):
    body = by_title(seed("004"), "春到并州画图开").body
    assert "苏州中來是太忻一体化经济区首批签约的重点项目之一" in body
    assert "苏州中来光伏新材股份有限公司" in body
    assert normalize(body).count("中来") == 2


def test_normalize_map_offsets_point_at_the_original_characters():
    text = "苏州中來２０２２ＡＢ"
    norm, offsets = normalize_map(text)
    assert norm == "苏州中来2022ab"
    assert offsets == list(range(len(text)))
    start = norm.index("中来")
    assert text[offsets[start]: offsets[start + 1] + 1] == "中來"


def test_normalize_map_when_one_character_becomes_two():
    norm, offsets = normalize_map("第㉑条，中來")
    assert norm == "第21条，中来"
    assert offsets == [0, 1, 1, 2, 3, 4, 5]


BIDI_AND_ZERO_WIDTH = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff\u00ad"


def test_invisible_controls_are_dropped_for_matching():
    assert all(normalize(f"太忻{c}一体化") == "太忻一体化" for c in BIDI_AND_ZERO_WIDTH)
    assert normalize("\u202e中來\u202c\u2067ＡＢ\u2069") == "中来ab"


def test_normalize_map_skips_invisible_controls_and_maps_the_rest_back():
    text = "太忻\u2066一体\u202e化\u2069经济区"
    norm, offsets = normalize_map(text)
    assert norm == "太忻一体化经济区"
    assert offsets == [0, 1, 3, 4, 6, 8, 9, 10]
    start = norm.index("一体化经济")
    assert text[offsets[start]: offsets[start + 4] + 1] == "一体\u202e化\u2069经济"     # the highlight span


def test_is_cjk():
    assert is_cjk("來") and is_cjk("中") and not is_cjk("，") and not is_cjk("A")


ALPHABET = st.sampled_from(list("中來来國国說说發发臺台乾隆年月日ＡＢｚ１２０９①⑳㉑㊿　，。（）ABCab 19\u202e\u2066\u2069\u200e\u200b"))


@settings(database=None)
@given(st.text(ALPHABET, max_size=30))
def test_normalize_map_agrees_with_normalize(text):
    norm, offsets = normalize_map(text)
    assert norm == normalize(text)
    assert len(offsets) == len(norm)
    assert offsets == sorted(offsets)
    visible = {i for i, c in enumerate(text) if not INVISIBLE.match(c)}
    assert set(offsets) == visible                      # every visible character maps, none is lost
