"""search/article.py: the item model and its stable id."""
import hashlib

from search.article import Article, article_id
from search.ingest import parse_text


def sha(text, size):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:size]


def test_article_id_is_a_hash_of_the_source_and_the_start_of_the_first_paragraph():
    source = "000_ac6bb446a57d0c7e.txt"
    paragraph = "9月5日，全省开发区2022年第三次“三个一批”活动暨太忻一体化经济区建设推进会在太原举行。省委书记林武出席并讲话。"
    assert article_id(source, paragraph) == f"{sha(source, 10)}-{sha(paragraph[:40], 6)}"
    assert article_id(source, paragraph) == article_id(source, paragraph[:40] + "（后文改动不影响）")
    assert article_id(source, "本报讯 " + paragraph) != article_id(source, paragraph)
    assert article_id("2022/09/page.txt", paragraph) != article_id("2022/10/page.txt", paragraph)


def test_a_clash_within_a_dump_gets_a_suffix_in_order():
    base, seen = article_id("a.txt", "同一段话。"), {}
    assert [article_id("a.txt", text, seen) for text in ("同一段话。", "另一段话。", "同一段话。", "同一段话。")] == [
        base, article_id("a.txt", "另一段话。"), f"{base}-2", f"{base}-3"]


def test_items_that_start_alike_in_a_dump_get_suffixes_in_dump_order():
    base = article_id("same.txt", "因线路检修，今天全天停电。")
    items = parse_text("停电通知\n\n因线路检修，今天全天停电。\n\n" * 3, "same.txt")
    assert [a.id for a in items] == [base, f"{base}-2", f"{base}-3"]


def test_seed_ids(seed):
    assert [a.id for a in seed("000")][:2] == ["f7f6be5d04-ac6655", "f7f6be5d04-79262b"]


A = "甲地举办秋季运动会\n\n本报讯 9月5日，甲地举办秋季运动会，两千余名运动员参赛。\n\n"
B = "乙地启动道路改造\n\n本报讯 9月6日，乙地启动道路改造工程，全长十二公里。\n\n"
C = "丙地新建图书馆开馆\n\n本报讯 9月7日，丙地新建图书馆正式开馆迎客。\n"


def test_ids_survive_a_recut_of_the_items_before():
    """A better parser that splits or merges earlier items does not move later ids."""
    b_as_a_subhead = "乙地启动道路改造\n\n当天，乙地启动道路改造工程，全长十二公里。\n\n"
    merged = parse_text(A + b_as_a_subhead + C, "p.txt")
    assert [a.title for a in merged] == ["甲地举办秋季运动会", "丙地新建图书馆开馆"]
    merged_before = {a.title: a.id for a in merged}
    split_before = {a.title: a.id for a in parse_text(A + B + C, "p.txt")}
    assert merged_before["丙地新建图书馆开馆"] == split_before["丙地新建图书馆开馆"]
    assert merged_before["甲地举办秋季运动会"] == split_before["甲地举办秋季运动会"]
    assert [a.seq for a in parse_text(A + B + C, "p.txt")] == [1, 2, 3]


def test_items_with_the_same_first_paragraph_get_distinct_ids():
    twice = A + A.replace("甲地举办秋季运动会\n", "甲地举办秋季运动会（二）\n")
    ids = [a.id for a in parse_text(twice, "p.txt")]
    assert ids[1] == ids[0] + "-2"


def test_to_dict_and_back(seed):
    for item in seed("003"):
        assert Article.from_dict(item.to_dict()) == item


def test_from_dict_ignores_unknown_keys(seed):
    item = seed("000")[0]
    assert Article.from_dict(dict(item.to_dict(), score=1.5)) == item


def test_from_dict_of_an_article_stored_before_paper_and_page_existed(seed):
    stored = seed("000")[0].to_dict()
    del stored["paper"], stored["page"]
    assert Article.from_dict(stored).to_dict() == dict(stored, paper=None, page=None)
