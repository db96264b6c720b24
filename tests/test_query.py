"""The query language: parsing (never failing), filters, highlighted terms, chunks."""
import pytest

from search.query import MAX_TERMS, Lit, Node, chunks, literals, parse, split


@pytest.mark.parametrize("q,tree", [
    ("太忻", Lit("太忻")),
    ("太忻 一体化", Node("and", [Lit("太忻"), Lit("一体化")])),
    ('"推动先进要素集聚"', Lit("推动先进要素集聚", phrase=True)),
    ("太忻 OR 雄安", Node("or", [Lit("太忻"), Lit("雄安")])),
    ("太忻 -疫情", Node("and", [Lit("太忻"), Node("not", [Lit("疫情")])])),
    ("太忻 NOT 疫情", Node("and", [Lit("太忻"), Node("not", [Lit("疫情")])])),
    ("title:太忻", Lit("太忻", field="title")),
    ('title:"太忻一体化"', Lit("太忻一体化", field="title", phrase=True)),
    ("author:陈剑", Lit("陈剑", field="author")),
    ("综改*", Lit("综改", prefix=True)),
    ("(太原 OR 忻州) 项目", Node("and", [Node("or", [Lit("太原"), Lit("忻州")]), Lit("项目")])),
])
def test_parse(q, tree):
    assert parse(q) == tree


@pytest.mark.parametrize("q,tree", [
    ('"太忻', Lit("太忻", phrase=True)),                      # quote closed at the end
    ("((太忻", Lit("太忻")),                                  # missing ")"
    ("太忻)", Lit("太忻")),                                   # stray ")"
    ("foo:bar", Lit("foo:bar")),                             # unknown field: plain text
    ("title:", None), ("太忻 AND 一体化", Node("and", [Lit("太忻"), Lit("一体化")])),
    ("*", None), ("-", None), ('""', None), ("", None), ("   ", None),
    ("NOT", None), ("太忻 NOT", Lit("太忻")),
    ("OR", None), ("太忻 OR", Lit("太忻")),
])
def test_parse_is_lenient(q, tree):
    assert parse(q) == tree


def test_filters_are_split_from_the_text_query():
    tree, filters = split(parse("项目 city:晋中 topic:经济 -city:太原"))
    assert tree == Node("and", [Lit("项目"), Node("not", [Lit("太原", field="city")])])
    assert filters == {"city": ["晋中"], "topic": ["经济"]}


def test_literals_are_the_positive_terms_normalized_longest_first():
    assert literals(parse('老旧小区改造 "中來" -疫情 author:陈剑')) == ["老旧小区改造", "老旧小区", "中来", "改造"]


@pytest.mark.parametrize("text,expected", [
    ("太忻", ["太忻"]),
    ("老旧小区改造", ["老旧小区", "改造"]),
    ("活动暨太忻一体化", ["活动暨", "太忻一体化"]),
    ("营商环境", ["营商环境"]),
])
def test_chunks_have_no_lone_characters(text, expected):
    assert chunks(text) == expected


@pytest.mark.parametrize("q,tree", [
    ("city:太原 OR city:忻州", Node("or", [Lit("太原", field="city"), Lit("忻州", field="city")])),
    ("topic:经济 OR topic:民生", Node("or", [Lit("经济", field="topic"), Lit("民生", field="topic")])),
    ("太忻 OR city:忻州", Node("or", [Lit("太忻"), Lit("忻州", field="city")])),
    ("-city:太原", Node("not", [Lit("太原", field="city")])),
    ("太忻 OR city:北京", Node("or", [Lit("太忻"), Lit("city:北京")])),          # unknown value: plain text
    ("-city:北京", Node("not", [Lit("city:北京")])),
])
def test_filters_under_or_and_not_stay_in_the_tree(q, tree):
    assert split(parse(q)) == (tree, {})


def test_filters_anywhere_in_the_top_level_and_are_split():
    tree, filters = split(parse("(项目 city:晋中) AND 太忻 kind:photo"))
    assert tree == Node("and", [Lit("项目"), Lit("太忻")])
    assert filters == {"city": ["晋中"], "kind": ["photo"]}
    assert split(parse("city:太原 topic:经济")) == (None, {"city": ["太原"], "topic": ["经济"]})


def test_filter_values_are_read_as_parameters_are():
    assert split(parse("city:太原市 项目")) == (Lit("项目"), {"city": ["太原"]})
    assert split(parse("city:太原市 OR 雄安")) == (Node("or", [Lit("太原", field="city"), Lit("雄安")]), {})


def test_terms_past_the_cap_are_dropped_when_parsing():
    words = [f"w{i}" for i in range(MAX_TERMS)]
    kept = Node("and", [Lit(w) for w in words])
    assert parse(" ".join(words)) == kept
    assert parse(" ".join(words) + " -疫情") == kept
    assert parse(" ".join(words) + " NOT (疫情 OR 雄安) 太忻") == kept
    assert parse(" OR ".join(words) + " OR 雄安") == Node("or", [Lit(w) for w in words])
    assert parse(" ".join(words[:-1]) + " 太忻 雄安") == Node("and", [Lit(w) for w in words[:-1]] + [Lit("太忻")])
