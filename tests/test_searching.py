"""Searching the seed index: recall, phrases, normalization, ranking, facets, filters."""
import re
import threading
from collections import Counter

import numpy as np
import pytest

from search import schema, store
from search.embedded.evaluate import Evaluator
from search.embedded.hits import Hits
from search.embedded.hits import order as _order
from search.embedded.snapshot import Postings, Snapshot
from search.errors import SearchError
from search.formatting import html, results_json
from search.query import MAX_TERMS
from search.searching import Searcher
from search.text import normalize
from builders import seed_articles, seeds_with

HAN = re.compile(r"[\u4e00-\u9fff]+")

EXTRA = """

马克思主义学院揭牌

本报讯（记者 王一）9月6日，市马克思主义学院在小店区揭牌。苏州中來公司负责人出席。会上发布了ＡＰＰ下载量２０２２万次的消息。

老旧小区改造全面提速

本报讯 9月6日，全市老旧小区改造工作推进会召开。

小区环境 焕然一新

本报讯 9月6日，记者走访了几个老旧小区，居民说，改造后楼道亮了，管网换了。（李四）

<b>标签</b> & “引号” 测试

本报讯 9月6日，一段含有 <script>alert(1)</script> 的文字。
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    with Searcher(seeds_with(tmp_path_factory, {"2022-09-06_taiyuan_p09.txt": EXTRA})) as s:
        yield s


@pytest.fixture(scope="module")
def articles(searcher):
    """Every indexed article (as stored), to count by brute force."""
    return [searcher.article(h.id) for h in searcher.search("", per_page=100).hits]


def ids(results):
    return [h.id for h in results.hits]


def all_ids(searcher, q, **kw):
    first = searcher.search(q, per_page=100, **kw)
    return {h.id for h in first.hits}


def seed_id(prefix, title_start):
    return next(a.id for a in seed_articles() if a.source.startswith(prefix) and (a.title or "").startswith(title_start))


def text_of(article):
    headline = " ".join(p for p in (article["kicker"], article["title"], article["subtitle"]) if p)
    return normalize(headline + "\n" + article["body"] + "\n" + "\n".join(article["captions"]))


# -- recall -----------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix,title_start", [
    ("000", "中学生"), ("000", "一社会组织"), ("003", "晋中"), ("004", "市政协"),
])
def test_every_substring_of_two_to_four_chinese_characters_finds_its_article(searcher, prefix, title_start):
    wanted = seed_id(prefix, title_start)
    article = searcher.article(wanted)
    strings = set()
    for run in HAN.findall(text_of(article)):
        for n in (2, 3, 4):
            strings.update(run[i:i + n] for i in range(len(run) - n + 1))
    missed = [s for s in sorted(strings) if wanted not in all_ids(searcher, f'"{s}"')]
    assert len(strings) > 150
    assert missed == []


def test_unquoted_terms_find_their_article_too(searcher):
    wanted = seed_id("003", "晋中")
    text = text_of(searcher.article(wanted))
    runs = [r for r in HAN.findall(text) if len(r) >= 6]
    strings = {run[i:i + 5] for run in runs for i in range(0, len(run) - 4, 2)}
    assert len(strings) > 30
    assert [s for s in strings if wanted not in all_ids(searcher, s)] == []


def test_taixin_is_found_where_jieba_cuts_it_into_single_characters(searcher):
    # jieba cuts 活动暨太忻一体化 as 活动/暨/太/忻/一体化 in the stock dictionary.
    wanted = seed_id("000", "全省开发区2022年第三次")
    assert wanted in all_ids(searcher, "太忻")
    assert wanted in all_ids(searcher, "暨太忻")


def test_taixin_finds_exactly_the_articles_that_say_it(searcher, articles):
    expected = {a["id"] for a in articles if "太忻" in text_of(a)}
    assert len(expected) >= 6
    assert all_ids(searcher, "太忻") == expected


# -- phrases ------------------------------------------------------------------------------------

def test_phrase_query_finds_the_articles_with_the_exact_phrase(searcher, articles):
    expected = {a["id"] for a in articles if "太忻一体化经济区" in text_of(a)}
    assert all_ids(searcher, '"太忻一体化经济区"') == expected


def test_phrase_across_a_repaired_column_break(searcher):
    assert all_ids(searcher, '"推动先进要素集聚"') == {seed_id("000", "全省开发区2022年第三次")}
    assert all_ids(searcher, '"产一批”项目16个"') == {seed_id("003", "晋中")}


def test_phrase_does_not_match_scattered_words(searcher, articles):
    scattered = [a for a in articles if "老旧小区" in text_of(a) and "改造" in text_of(a)
                 and "老旧小区改造" not in text_of(a)]
    assert scattered, "the fixture has an article with both words apart"
    phrase = all_ids(searcher, '"老旧小区改造"')
    assert not phrase & {a["id"] for a in scattered}
    assert all_ids(searcher, "老旧小区 改造") >= phrase | {a["id"] for a in scattered}


# -- normalization ------------------------------------------------------------------------------

def test_traditional_and_simplified_find_each_other(searcher, articles):
    traditional = {a["id"] for a in articles if "中來" in a["body"]}
    simplified = {a["id"] for a in articles if "中来" in a["body"]}
    assert traditional and simplified - traditional
    assert all_ids(searcher, "中来") == traditional | simplified
    assert all_ids(searcher, "中來") == traditional | simplified


def test_full_width_digits_and_latin_letters_match_ascii(searcher):
    marx = {h.id for h in searcher.search("马克思主义学院").hits}
    assert len(marx) == 1
    assert all_ids(searcher, "2022万次") == marx
    assert all_ids(searcher, "app下载量") == marx
    assert all_ids(searcher, "２０２２万次") == marx


# -- snippets -----------------------------------------------------------------------------------

def test_snippet_marks_the_whole_phrase_from_the_best_passage(searcher):
    snippet = html(searcher.search('"推动先进要素集聚"').hits[0].snippet)
    assert "<mark>推动先进要素集聚</mark>" in snippet
    assert len(re.sub(r"<[^>]+>", "", snippet)) <= 125


def test_snippet_marks_the_word_searched_not_a_fragment_of_a_token(searcher):
    snippet = html(searcher.search("马克思").hits[0].snippet)
    assert "<mark>马克思</mark>" in snippet
    assert "<mark>马克</mark>" not in snippet


def test_snippet_marks_matches_written_in_traditional_characters(searcher):
    hit = next(h for h in searcher.search("中来").hits if "马克思" in (h.title or ""))
    assert "<mark>中來</mark>" in html(hit.snippet)


def test_snippets_and_titles_are_escaped(searcher):
    hit = searcher.search("引号 测试").hits[0]
    snippet, title = html(hit.snippet), html(hit.marked_title)
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert title.startswith("&lt;b&gt;标签&lt;/b&gt; &amp;")
    assert "<mark>引号</mark>" in title


# -- ranking --------------------------------------------------------------------------------------

def test_title_match_ranks_above_body_match(searcher):
    results = searcher.search("老旧小区")
    assert "老旧小区" in results.hits[0].title
    titled = [h.score for h in results.hits if "老旧小区" in (h.title or "")]
    untitled = [h.score for h in results.hits if "老旧小区" not in (h.title or "")]
    assert untitled and min(titled) > max(untitled)


def test_exact_phrase_ranks_above_scattered_words(searcher):
    results = searcher.search("老旧小区改造")
    exact = [h for h in results.hits if "老旧小区改造" in normalize(h.title or "") + normalize(
        searcher.article(h.id)["body"])]
    scattered = [h for h in results.hits if h not in exact]
    assert exact and scattered
    assert min(h.score for h in exact) > max(h.score for h in scattered)


# -- facets and filters ---------------------------------------------------------------------------

def brute_force(articles, literal=None, city=None, topic=None, year=None):
    chosen = [a for a in articles
              if (literal is None or normalize(literal) in text_of(a))
              and (city is None or city in a["cities"])
              and (topic is None or a["topic"] == topic)
              and (year is None or (a["date"] or "").startswith(year))]
    return chosen, {
        "city": dict(Counter(c for a in chosen for c in a["cities"])),
        "topic": dict(Counter(a["topic"] for a in chosen)),
        "year": dict(Counter(a["date"][:4] for a in chosen if a["date"])),
    }


@pytest.mark.parametrize("literal,city,topic", [
    ("太忻", None, None), ("项目", None, None), ("项目", "太原", None), ("市", None, "经济"),
    (None, None, None), (None, "晋中", None), ("发展", "太原", "经济"),
])
def test_facet_counts_equal_a_brute_force_count(searcher, articles, literal, city, topic):
    chosen, expected = brute_force(articles, literal, city, topic)
    q = f'"{literal}"' if literal else ""
    results = searcher.search(q, cities=[city] if city else [], topics=[topic] if topic else [])
    assert results.total == len(chosen)
    assert {k: results.facets[k] for k in ("city", "topic", "year")} == expected


def test_date_range_filter(searcher, articles):
    results = searcher.search("", date_from="2022-04-01", date_to="2022-04-30", per_page=100)
    expected = {a["id"] for a in articles if a["date"] and "2022-04-01" <= a["date"] <= "2022-04-30"}
    assert {h.id for h in results.hits} == expected and expected
    assert all(h.date.startswith("2022-04") for h in results.hits)


def test_year_and_month_shorthands_cover_the_whole_period(searcher):
    year = searcher.search("", date_from="2024", date_to="2024", per_page=100)
    assert year.total == year.facets["year"]["2024"] == sum(
        n for m, n in year.facets["month"].items() if m.startswith("2024"))
    month = searcher.search("", date_from="2022-04", date_to="2022-04")
    assert month.total == searcher.search("").facets["month"]["2022-04"]


def test_inline_filters_are_the_same_as_parameters(searcher):
    assert all_ids(searcher, "项目 city:晋中") == all_ids(searcher, "项目", cities=["晋中"])
    assert all_ids(searcher, "topic:教育") == all_ids(searcher, "", topics=["教育"])


def test_a_city_named_with_shi_is_one_filter_in_the_query_and_as_a_parameter(seed_index):
    """`city:太原市` found nothing while `--city 太原市` found 31: both are read by the schema now."""
    with Searcher(seed_index) as s:
        taiyuan = ids(s.search("", cities=["太原"], per_page=100))
        assert len(taiyuan) == 31
        assert ids(s.search("city:太原市", per_page=100)) == taiyuan
        assert ids(s.search("", cities=["太原市"], per_page=100)) == taiyuan
        assert ids(s.search("city:太原市 OR city:忻州市", per_page=100)) == ids(s.search("city:太原 OR city:忻州", per_page=100))
        assert s.search("-city:太原市").total == 35 - 31


def test_two_cities_mean_articles_about_both(searcher, articles):
    both = {a["id"] for a in articles if {"太原", "忻州"} <= set(a["cities"])}
    assert all_ids(searcher, "", cities=["太原", "忻州"]) == both and both


def test_sort_by_date_is_newest_first(searcher):
    dates = [h.date for h in searcher.search("项目", sort="date", per_page=50).hits]
    assert len(dates) > 5 and dates == sorted(dates, reverse=True)
    assert searcher.search("项目", sort="date").hits[0].score is None


def test_pages_continue_without_overlap(searcher):
    one = searcher.search("", per_page=7, page=1)
    two = searcher.search("", per_page=7, page=2)
    assert one.total == two.total > 14
    assert not set(ids(one)) & set(ids(two))
    assert ids(one) + ids(two) == ids(searcher.search("", per_page=14))


# -- query language -------------------------------------------------------------------------------

def test_or_and_not(searcher):
    taixin, jinci = all_ids(searcher, "太忻"), all_ids(searcher, "晋祠")
    assert all_ids(searcher, "太忻 OR 晋祠") == taixin | jinci
    assert all_ids(searcher, "太忻 -林武") == taixin - all_ids(searcher, "林武")
    assert all_ids(searcher, "太忻 NOT 林武") == taixin - all_ids(searcher, "林武")
    assert all_ids(searcher, "(太忻 OR 晋祠) 项目") == (taixin | jinci) & all_ids(searcher, "项目")


def test_title_field(searcher, articles):
    expected = {a["id"] for a in articles
                if "太忻" in normalize(" ".join(p for p in (a["kicker"], a["title"], a["subtitle"]) if p))}
    assert all_ids(searcher, "title:太忻") == expected and expected < all_ids(searcher, "太忻")


def test_author_field(searcher, articles):
    expected = {a["id"] for a in articles if "陈剑" in a["authors"]}
    assert all_ids(searcher, "author:陈剑") == expected and len(expected) == 2


@pytest.mark.parametrize("q", ['"', '"太忻', "((太忻", "太忻)", "title:", "*", "NOT", "OR OR", "-", "foo:bar",
                               "太忻 AND", "a" * 5000, "\x00\x07", "😀", ":::", "title:\"\"", "-(-(-"])
def test_malformed_queries_are_answered_as_plain_words(searcher, q):
    """What a malformed query means as plain words (brackets, quotes, operators and stray
    field names dropped) is what it finds."""
    plain = " ".join(re.sub(r'["()*:\-]|\b(AND|OR|NOT)\b|title:', " ", q).split())
    assert ids(searcher.search(q, per_page=100)) == ids(searcher.search(plain, per_page=100))


def test_unbalanced_quote_is_a_phrase_to_the_end(searcher):
    assert all_ids(searcher, '"推动先进要素集聚') == all_ids(searcher, '"推动先进要素集聚"')


@pytest.mark.parametrize("kwargs,message", [
    ({"cities": ["北京"]}, "city: unknown city '北京'"),
    ({"topics": ["体育"]}, "topic: unknown topic '体育'"),
    ({"date_from": "2022-13-45"}, "from: '2022-13-45' is not a date"),
    ({"date_to": "soon"}, "to: 'soon' is not a date"),
    ({"date_from": "2023-01-01", "date_to": "2022-01-01"}, "from: 2023-01-01 is after to: 2022-01-01"),
    ({"sort": "popular"}, "sort: must be one of relevance, date (or newest), oldest, not 'popular'"),
    ({"page": 0}, "page: must be between 1 and 100000"),
    ({"page": "x"}, "page: must be a whole number"),
    ({"per_page": 101}, "limit: must be between 1 and 100, not 101"),
])
def test_bad_parameters_are_one_clear_error(searcher, kwargs, message):
    with pytest.raises(SearchError) as e:
        searcher.search("太忻", **kwargs)
    assert str(e.value).startswith(message)
    assert e.value.parameter == message.partition(":")[0]      # what the web app's 400 page drops


def test_a_new_filter_is_named_by_the_schema(searcher):
    with pytest.raises(SearchError) as e:
        searcher.search("太忻", filters={"edition": ["早版"]})
    assert (str(e.value), e.value.parameter) == (
        "edition: no such filter; filters are city topic kind paper section", "edition")
    assert all_ids(searcher, "", filters={"kind": ["photo"]}) == all_ids(searcher, "kind:photo")
    assert all_ids(searcher, "", kinds=["图片"]) == all_ids(searcher, "kind:photo") == all_ids(searcher, "kind:图片")


def test_json_shape(searcher):
    data = results_json(searcher.search("太忻", per_page=2))
    assert list(data) == ["query", "total", "page", "pages", "limit", "hits", "facets", "partial", "aliases", "suggestions"]
    assert (data["total"], data["page"], data["pages"], data["limit"]) == (6, 1, 3, 2)
    assert list(data["facets"]) == ["city", "topic", "year", "kind", "paper", "section"]
    assert list(data["hits"][0]) == ["id", "title", "label", "date", "paper", "page", "section", "cities", "topic",
                                     "kind", "source", "score", "snippet"]
    assert len(data["hits"]) == 2


def test_prefix_finds_words_of_every_length(searcher, articles):
    """综改* covers 综改示范区 (a words-field word) and the two-character word 综改 itself."""
    expected = {a["id"] for a in articles if "综改" in text_of(a)}
    assert len(expected) >= 3
    assert all_ids(searcher, "综改*") == expected


# -- filters inside the query ----------------------------------------------------------------------

def having(articles, city=None, topic=None):
    return {a["id"] for a in articles if (city is None or city in a["cities"]) and (topic is None or a["topic"] == topic)}


def test_inline_filters_under_or_are_a_union(searcher, articles):
    taiyuan, xinzhou, datong = (having(articles, city=c) for c in ("太原", "忻州", "大同"))
    assert xinzhou and datong - xinzhou and datong - taiyuan
    assert all_ids(searcher, "city:太原 OR city:忻州") == taiyuan | xinzhou
    assert all_ids(searcher, "city:大同 OR city:忻州") == datong | xinzhou
    assert all_ids(searcher, "city:太原 OR city:大同") == taiyuan | datong
    economy, livelihood = having(articles, topic="经济"), having(articles, topic="民生")
    assert economy and livelihood
    assert all_ids(searcher, "topic:经济 OR topic:民生") == economy | livelihood
    assert all_ids(searcher, "太忻 OR city:忻州") == all_ids(searcher, "太忻") | xinzhou
    assert all_ids(searcher, "(太忻 OR city:忻州) 项目") == (all_ids(searcher, "太忻") | xinzhou) & all_ids(searcher, "项目")


def test_inline_filter_under_not_excludes(searcher, articles):
    everything = {a["id"] for a in articles}
    taiyuan = having(articles, city="太原")
    assert taiyuan and everything - taiyuan
    assert all_ids(searcher, "-city:太原") == everything - taiyuan
    assert all_ids(searcher, "NOT city:太原") == everything - taiyuan
    assert all_ids(searcher, "项目 -city:太原") == all_ids(searcher, "项目") - taiyuan
    assert all_ids(searcher, "项目 -topic:经济") == all_ids(searcher, "项目") - having(articles, topic="经济")


def test_inline_filter_with_an_unknown_value_is_plain_text_anywhere(searcher):
    assert all_ids(searcher, "太忻 OR city:北京") == all_ids(searcher, "太忻") | all_ids(searcher, "city:北京")
    assert all_ids(searcher, "太忻 -city:北京") == all_ids(searcher, "太忻") - all_ids(searcher, "city:北京")


# -- the term cap ----------------------------------------------------------------------------------

def test_terms_past_the_cap_are_ignored_by_and_or_and_not(searcher, articles):
    taixin = all_ids(searcher, "太忻")
    assert taixin and len(taixin) < len(articles)
    assert all_ids(searcher, " ".join(["太忻"] * MAX_TERMS) + " -疫情") == taixin
    assert all_ids(searcher, " OR ".join(["太忻"] * MAX_TERMS) + " OR 雄安") == taixin
    assert all_ids(searcher, " ".join(["太忻"] * MAX_TERMS) + " 晋祠") == taixin


# -- order -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def snapshot(searcher):
    """An array snapshot of the test index, and its Whoosh searcher (to find docnums)."""
    whoosh_searcher = store.open_index(searcher.index_dir).searcher()
    yield whoosh_searcher, Snapshot(whoosh_searcher.reader(), threading.RLock())
    whoosh_searcher.close()


def test_relevance_order_is_score_then_newest_then_docnum(searcher, snapshot):
    whoosh_searcher, snap = snapshot
    dated = sorted((h.date, h.id) for h in searcher.search("", per_page=100).hits)
    (old_date, old), (new_date, new) = dated[0], dated[-1]
    assert old_date < new_date
    old_doc, new_doc = (whoosh_searcher.document_number(id=i) for i in (old, new))
    dates = snap.columns["date"]
    # The older article scores a little higher: relevance comes first, however old it is.
    docs = np.array(sorted((old_doc, new_doc)))
    scores = np.array([1.00001 if d == old_doc else 1.0 for d in docs], np.float32)
    found = Hits(docs, scores)
    assert list(docs[_order(found, dates, "relevance", 2)]) == [old_doc, new_doc]
    assert list(docs[_order(found, dates, "relevance", 1)]) == [old_doc]
    # Equal scores: newest first. By date: newest first whatever the score; oldest: the reverse.
    tied = Hits(docs, np.ones(2, np.float32))
    assert list(docs[_order(tied, dates, "relevance", 2)]) == [new_doc, old_doc]
    assert list(docs[_order(found, dates, "date", 2)]) == [new_doc, old_doc]
    reversed_scores = Hits(docs, scores[::-1].copy())
    assert list(docs[_order(reversed_scores, dates, "oldest", 2)]) == [old_doc, new_doc]
    assert list(docs[_order(reversed_scores, dates, "oldest", 1)]) == [old_doc]


def test_relevance_pages_continue_one_order(searcher):
    everything = ids(searcher.search("city:太原 OR city:忻州", per_page=14))
    pages = [ids(searcher.search("city:太原 OR city:忻州", per_page=7, page=p)) for p in (1, 2)]
    assert pages[0] + pages[1] == everything and len(set(everything)) == 14
    dates = [h.date for h in searcher.search("city:太原 OR city:忻州", per_page=100).hits]
    assert dates == sorted(dates, reverse=True)          # every score is 0: newest first


# -- dates -----------------------------------------------------------------------------------------

UNDATED = """

无日期的稿件

本报讯 记者走访了几个社区，居民说楼道亮了。（张三）

又一篇

本报讯 市里的一个项目开工了。
"""


@pytest.fixture(scope="module")
def undated_searcher(tmp_path_factory):
    """One seed dump, and a dump with no date anywhere: its articles have no date."""
    with Searcher(seeds_with(tmp_path_factory, {"notes_p01.txt": UNDATED}, prefixes={"000"})) as s:
        yield s


def test_oldest_first_puts_undated_articles_last_and_pages_continue(undated_searcher):
    newest = [h for h in undated_searcher.search("", sort="date", per_page=100).hits]
    oldest = undated_searcher.search("", sort="oldest", per_page=100).hits
    assert [h.date for h in oldest] == sorted(h.date for h in newest if h.date) + [None, None]
    assert {h.id for h in oldest} == {h.id for h in newest}
    assert [h.score for h in oldest] == [None] * len(oldest)
    pages = [undated_searcher.search("", sort="oldest", per_page=3, page=p).hits for p in (1, 2, 3)]
    assert [h.id for page in pages for h in page] == [h.id for h in oldest][:9]
    assert ids(undated_searcher.search("", sort="newest")) == ids(undated_searcher.search("", sort="date"))


def test_date_bounds_exclude_undated_articles_either_way(undated_searcher):
    every = undated_searcher.search("", per_page=100).hits
    undated = {h.id for h in every if not h.date}
    dated = {h.id for h in every if h.date}
    assert len(undated) == 2 and dated
    assert all_ids(undated_searcher, "", date_from="2000-01-01") == dated
    assert all_ids(undated_searcher, "", date_to="2099-12-31") == dated
    assert all_ids(undated_searcher, "", date_from="2000", date_to="2099") == dated


# -- single characters and authors -------------------------------------------------------------------

@pytest.mark.parametrize("char", ["区", "忻", "市"])
def test_one_character_counts_each_occurrence_once(searcher, snapshot, articles, char):
    """A character's frequency is how often it occurs (pairs it starts, or the end of a run)."""
    whoosh_searcher, snap = snapshot
    counts = {whoosh_searcher.document_number(id=a["id"]): normalize("\n".join([a["body"], *a["captions"]])).count(char)
              for a in articles}
    docs = np.array(sorted(d for d, n in counts.items() if n))
    tf = np.array([counts[d] for d in docs], np.float32)
    assert len(docs) and tf.max() > 1
    expected_docs, expected_scores = snap.bm25f({"body_g": Postings(docs, tf)}, len(docs))
    found = Evaluator(snap).grams(char, ("body",))
    assert list(found.docs) == list(expected_docs)
    assert np.allclose(found.scores, expected_scores * schema.GRAMS_WEIGHT)


def test_author_in_traditional_characters_finds_the_simplified_byline(searcher, articles):
    expected = {a["id"] for a in articles if "陈剑" in a["authors"]}
    assert len(expected) == 2
    assert all_ids(searcher, "author:陳劍") == expected
    assert all_ids(searcher, "author:陈剑") == expected
    assert all_ids(searcher, "author:陈剑 OR author:陳劍") == expected


def test_all_hits_reads_every_match_in_batches_each_once(searcher, monkeypatch):
    monkeypatch.setattr("search.searching.BATCH", 4)
    for q, sort in (("", "date"), ("太原", "relevance"), ("city:太原 OR city:忻州", "oldest")):
        every = searcher.search(q, sort=sort, per_page=100)
        assert [h.id for h in searcher.all_hits(q, sort=sort)] == ids(every) and every.total > 8
    with pytest.raises(SearchError):
        searcher.all_hits("太忻", sort="popular")          # checked when asked, before any hit is read
