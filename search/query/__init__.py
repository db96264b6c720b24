"""The query language: a query string → a plain tree (Lit, Node) that every engine receives.

    太忻 一体化            both (words are ANDed; AND may be written too)
    "推动先进要素集聚"      the exact phrase
    太忻 OR 雄安           either
    -疫情  NOT 疫情        without
    title:太忻            in the headline (kicker, title, subtitle)
    author:陈剑  place:晋祠  city:太原  topic:经济   by field
    综改*                 words starting with 综改
    (太原 OR 忻州) 项目     grouping

`language` parses (never failing: an unbalanced quote closes at the end, a stray bracket
or an unknown field is plain text); `tree` holds the tree, takes the filters the whole
query requires out of it (`split`), and lists the terms a snippet marks (`literals`).
Evaluating a tree is an engine's work (search.embedded.evaluate).
"""
from .language import MAX_DEPTH, MAX_TERMS, parse, tokens
from .tree import FIELDS, Lit, Node, chunks, literals, split

__all__ = ["FIELDS", "MAX_DEPTH", "MAX_TERMS", "Lit", "Node", "chunks", "literals", "parse", "split", "tokens"]
