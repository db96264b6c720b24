"""Search a reporter trusts (issue 13): each wrong answer of the issue's table, and the
phrase semantics checked against the text itself."""
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from search import analysis, schema
from search.formatting import html, results_json
from search.searching import Searcher
from search.text import normalize
from builders import by_title, containing, seed_articles, seeds_with


def the(anchor):
    """The id of the seed item with this title, else the one whose body holds it."""
    items = seed_articles()
    return (by_title(items, anchor) if any(a.title == anchor for a in items) else containing(items, anchor)).id


PHOTO = the("太钢将深度融入太忻一体化经济区发展。")           # a caption in 004
NOTICE = the("兴业公租房田黄先生")                            # 001's notice headed 通知
SOCIAL_BUREAU = the("一社会组织 涉嫌非法")                   # 市民政局 (市 + 民政局), never 市民
EPIDEMIC = the("市疫情防控办提示9地返（抵）并人员要主动报备")     # 14+7, 7+3, 7+5
SPRING = the("春到并州画图开")                               # 太钢, 大孟 (a misprint of 大盂)
THIRD_2022 = the("全省开发区2022年第三次“三个一批”活动暨太忻一体化经济区建设推进会举行")
FIRST_2022 = the("全省开发区2022年第一次“三个一批”活动举行")
BRIDGE = the("夜幕下的胜利桥灯光璀璨")                        # a photo credited 徐浩轩


@pytest.fixture(scope="module")
def s(seed_index):
    with Searcher(seed_index) as searcher:
        yield searcher


@pytest.fixture(scope="module")
def fields():
    """id → the normalized text of each text field (phrases do not cross fields)."""
    return {a.id: [normalize(f.text(a)) for f in schema.TEXT_FIELDS] for a in seed_articles()}


def ids(results):
    return [h.id for h in results.hits]


def found(s, q, **kw):
    return set(ids(s.search(q, per_page=100, **kw)))


def holding(fields, literal):
    """The articles a phrase matches, by brute force over their text."""
    pattern = analysis.phrase_pattern(normalize(literal))
    return {i for i, texts in fields.items() if any(pattern.search(t) for t in texts)}


# -- phrases -----------------------------------------------------------------------------------

def test_a_phrase_with_punctuation_finds_that_punctuation_only(s, fields):
    """"14+7" found 5 articles, 4 without 14+7 and nothing marked."""
    quoted = s.search('"14+7"')
    assert ids(quoted) == [EPIDEMIC] == [i for i, t in fields.items() if "14+7" in "".join(t)]
    assert quoted.total <= s.search("14+7").total
    assert "实施“<mark>14+7</mark>”集中隔离" in html(quoted.hits[0].snippet)
    assert found(s, '"7+3"') == {EPIDEMIC} and found(s, '"7-3"') == set()


def test_a_space_in_a_phrase_stands_for_any_punctuation_or_spaces(s, fields):
    """"14 7" found the same 5 as "14+7"."""
    assert found(s, '"14 7"') == holding(fields, "14 7") == {EPIDEMIC}
    assert "<mark>14+7</mark>" in html(s.search('"14 7"').hits[0].snippet)
    assert found(s, '"太忻 一体化"') == holding(fields, "太忻，一体化") | holding(fields, "太忻一体化")


def test_punctuation_around_a_phrase_must_border_it(s, fields):
    quoted = found(s, '"“三个一批”"')
    assert quoted == holding(fields, "“三个一批”") and len(quoted) == 7
    assert found(s, '"“三个一批”项目"') == holding(fields, "“三个一批”项目") < quoted
    assert found(s, '"《三个一批》"') == set()


CUT = st.integers(min_value=2, max_value=12)


# A third of the profile's examples (each is a search): 33 in a developer's run, 333 in CI.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture],
          max_examples=max(10, settings.default.max_examples // 3))
@given(data=st.data())
def test_quoted_strings_cut_from_articles_find_what_brute_force_finds(s, fields, data):
    """Random quoted strings cut from the seed articles (digits, Latin and punctuation
    included): the hits are the articles whose text the phrase's pattern matches, and
    never more than the same words unquoted."""
    article = data.draw(st.sampled_from(sorted(fields)))
    text = data.draw(st.sampled_from([t for t in fields[article] if len(t) > 2]))
    start = data.draw(st.integers(0, len(text) - 2))
    literal = text[start:start + data.draw(CUT)].strip()
    runs = re.compile(r"[0-9a-z]")
    assume('"' not in literal and analysis.units(literal))
    assume(not (start > 0 and runs.match(text[start - 1]) and runs.match(text[start])))
    quoted = found(s, f'"{literal}"')
    assert article in quoted or runs.match(literal[-1])   # (a cut through a run of digits)
    assert quoted == holding(fields, literal)
    if not re.search(r'[()\-:*]|\b(?:AND|OR|NOT|NEAR)\b', literal):
        assert quoted <= found(s, literal)


# -- fields and filters ------------------------------------------------------------------------

def test_a_field_before_a_group_applies_to_each_term(s):
    """title:(太忻 OR 老旧) found 7: the field was dropped."""
    assert found(s, "title:(太忻 OR 老旧)") == found(s, "title:太忻 OR title:老旧")
    assert len(found(s, "title:(太忻 OR 老旧)")) == 3
    assert found(s, "-title:(太忻 OR 老旧)") == found(s, "") - found(s, "title:太忻 OR title:老旧")


def test_inline_filters_read_values_as_the_options_do(s):
    """city:太原市 was read as text; topic:經濟 still is."""
    economy = ids(s.search("", topics=["经济"], per_page=100))
    assert len(economy) == 14
    assert ids(s.search("topic:經濟", per_page=100)) == economy
    assert ids(s.search("", topics=["經濟"], per_page=100)) == economy
    assert len(ids(s.search("city:太原市", per_page=100))) == 31


# -- bylines --------------------------------------------------------------------------------------

BYLINES = """

区图书馆开放夜间阅览

本报讯（记者 李卫东）9月6日，区图书馆开放夜间阅览，读者称赞服务贴心。

社区志愿者李卫东获表彰

本报讯 9月6日，社区志愿者李卫东因长期照顾独居老人获得表彰，街道为他颁发了证书，邻居们纷纷点赞。（王五）
"""


@pytest.fixture(scope="module")
def bylines(tmp_path_factory):
    with Searcher(seeds_with(tmp_path_factory, {"2022-09-06_taiyuan_p07.txt": BYLINES}, prefixes={"000"})) as searcher:
        yield searcher


def test_plain_queries_find_bylines(s):
    """陈俊琦 and 徐浩轩 (a photo credit) found nothing."""
    assert found(s, "陈俊琦") == {THIRD_2022, FIRST_2022}
    assert found(s, "徐浩轩") == {BRIDGE}
    assert s.search("陈俊琦").suggestions == ["author:陈俊琦"]


def test_a_byline_ranks_below_a_text_match(bylines):
    results = bylines.search("李卫东")
    assert [h.title for h in results.hits] == ["社区志愿者李卫东获表彰", "区图书馆开放夜间阅览"]
    assert results.hits[0].score > results.hits[1].score
    assert results.suggestions == []


# -- ranking --------------------------------------------------------------------------------------

def test_a_match_as_a_word_ranks_above_characters_that_touch(s):
    """市民 ranked 市民政局 (市 + 民政局) first."""
    results = s.search("市民")
    as_word = [h.id for h in results.hits
               if "市民" in analysis.index_words(normalize(s.article(h.id)["body"]))]
    assert len(as_word) == 3 and SOCIAL_BUREAU in ids(results)
    assert ids(results)[:3] == as_word and ids(results)[-1] == SOCIAL_BUREAU


def test_a_caption_ranks_below_articles_that_match_as_well(s, fields):
    """太忻 -疫情 ranked a photo labelled （图片） first."""
    results = s.search("太忻 -疫情")
    order = ids(results)
    assert PHOTO in order
    as_often = [i for i in order if i != PHOTO and "".join(fields[i]).count("太忻") >= "".join(fields[PHOTO]).count("太忻")]
    assert as_often and all(order.index(i) < order.index(PHOTO) for i in as_often)


def test_photos_and_notices_are_labelled_by_their_own_text(s):
    photo = next(h for h in s.search("太钢").hits if h.id == PHOTO)
    assert (photo.title, photo.label) == (None, "太钢将深度融入太忻一体化经济区发展")
    notice = s.search("兴业公租房").hits[0]
    assert (notice.id, notice.title, notice.label) == (NOTICE, "通知", "通知：兴业公租房田黄先生")
    data = results_json(s.search("胜利桥"))["hits"][0]
    assert (data["title"], data["label"]) == (None, "夜幕下的胜利桥灯光璀璨，水光天色交相辉映")


# -- aliases --------------------------------------------------------------------------------------

def test_aliases_find_the_other_names_and_are_marked(s, fields):
    """太原钢铁 found 1 (太原 and 钢铁 scattered), 综改区 0, 大盂 only 000."""
    saying = lambda text: {i for i, t in fields.items() if text in "".join(t)}
    assert found(s, "太原钢铁") == saying("太钢") | {SPRING} and len(saying("太钢")) == 3
    assert found(s, "综改区") == saying("综改示范区") and len(saying("综改示范区")) == 7
    assert found(s, "大盂") == saying("大盂") | saying("大孟") == {THIRD_2022, SPRING}
    photo = next(h for h in s.search("太原钢铁").hits if h.id == PHOTO)
    assert html(photo.snippet) == '<mark class="alias" title="别名">太钢</mark>将深度融入太忻一体化经济区发展。'
    assert s.search("太原钢铁").aliases == {"太原钢铁": ["太钢"]}


def test_a_quoted_phrase_and_no_aliases_stay_exact(s, fields):
    assert found(s, '"太钢"') == {i for i, t in fields.items() if "太钢" in "".join(t)}
    assert found(s, '"太原钢铁"') == set()
    assert found(s, "太原钢铁", aliases=False) == {SPRING}
    assert s.search("太原钢铁", aliases=False).aliases == {}


# -- proximity ------------------------------------------------------------------------------------

def occurrences(text, literal):
    """(first unit, last unit) of each occurrence of `literal` in a normalized text."""
    starts = [m.start() for m in re.finditer(r"[\u4e00-\u9fff]|[0-9a-z]+", text)]
    pattern = analysis.phrase_pattern(literal)
    out, at = [], 0
    while (m := pattern.search(text, at)) is not None:
        first = next(k for k, p in enumerate(starts) if p >= m.start())
        last = max(k for k, p in enumerate(starts) if p < m.end())
        out.append((first, last))
        at = m.start() + 1
    return out


def near_by_brute_force(fields, a, b, distance):
    return {i for i, texts in fields.items() for t in texts
            if any(max(sa, sb) - min(ea, eb) - 1 <= distance
                   for sa, ea in occurrences(t, a) for sb, eb in occurrences(t, b))}


@pytest.mark.parametrize("a,b,distance", [("太忻", "一体化", 10), ("林武", "综改示范区", 5), ("林武", "出席", 0),
                                          ("项目", "签约", 3), ("太原", "忻州", 30)])
def test_near_finds_the_two_within_that_many_characters(s, fields, a, b, distance):
    expected = near_by_brute_force(fields, a, b, distance)
    assert expected and found(s, f"{a} NEAR/{distance} {b}") == expected
    assert found(s, f"{b} NEAR/{distance} {a}") == expected


def test_near_is_narrower_than_and(s):
    assert found(s, "林武 NEAR/5 综改示范区") == {FIRST_2022}
    assert found(s, "林武 综改示范区") == {FIRST_2022, THIRD_2022}


# -- did you mean ---------------------------------------------------------------------------------

@pytest.mark.parametrize("q,suggested", [("太新", "太忻"), ("taixin", "太忻"), ("忻洲", "忻州"), ("xinzhou", "忻州"),
                                         ('"太新"', '"太忻"'), ("太新 项目", "太忻 项目")])
def test_a_query_that_finds_nothing_suggests_index_words_that_sound_the_same(s, q, suggested):
    results = s.search(q)
    assert results.total == 0 and results.suggestions[0] == suggested
    assert results_json(results)["suggestions"] == results.suggestions


def test_one_edit_away(s):
    assert s.search("综改示范去").suggestions == ["综改示范区"]


def test_a_query_that_finds_enough_suggests_nothing(s):
    assert s.search("太忻").suggestions == [] and s.search("新华社记者").suggestions == []
