"""The engine interface: what a Searcher asks of the index it searches.

    found = engine.search(Request(tree, filters, sort="date", offset=10, limit=10))
    found.total, found.facets["city"], [(d.article["id"], d.score) for d in found.docs], found.partial

An engine evaluates a query tree (search.query: Lit and Node, or None for every article)
under Filters (search.schema), leaving out the articles whose ids are `hidden` (taken
down: search.hidden), counts the facets of the whole match set, and returns one page of
it in the order asked for, each document with its stored article (the dict of
search.article.Article). It also fetches stored articles by id and by dump, and says what
it holds. It does not parse, validate, highlight or format: the Searcher does that, the
same way for every engine.

Engines: search.embedded.EmbeddedEngine (the index folder, read with numpy in this
process). A distributed engine would write the tree as its own query (SphinxQL: MATCH()
over the same grams and words, the filters as WHERE on the same columns, FACET for the
counts) and set `partial` when a shard did not answer.
"""
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Tuple

from .schema import Filters

SORTS = ("relevance", "date", "oldest")
FACETS = ("city", "topic", "year", "month", "kind", "paper", "section")


@dataclass(frozen=True)
class Request:
    tree: object                 # search.query tree; None: every article
    filters: Filters
    sort: str = "relevance"      # relevance: score, then newest; date: newest, then score; oldest:
    offset: int = 0              # oldest, undated last, then score; all end with a fixed
    limit: int = 10              # tie-break, so pages continue one order
    facets: Tuple[str, ...] = FACETS
    hidden: FrozenSet[str] = frozenset()     # ids of articles to leave out, as if not indexed


@dataclass
class FoundDoc:
    article: dict                # as stored: Article.to_dict()
    score: Optional[float]       # None when sorted by date (newest or oldest)


@dataclass
class Found:
    total: int                   # matches in all
    docs: List[FoundDoc]         # the page asked for, in order
    facets: Dict[str, Dict[str, int]]   # facet → value → count over every match, largest first
    partial: bool = False        # True: part of the index did not answer; the rest did


@dataclass
class Status:
    location: str                # where the index is (a folder, a cluster)
    dumps: int
    last_update: Optional[str]   # when a dump was last taken in (ISO time)
    built_at: Optional[str]
    data: Optional[str]          # fingerprint of the data files it was built with (search.data)
    size_bytes: int


class Engine(ABC):
    """An index to search; thread-safe; sees each new commit of its index by itself."""

    @abstractmethod
    def search(self, request: Request) -> Found:
        """The matches of request.tree that pass request.filters: total, facets, one page."""

    @abstractmethod
    def article(self, article_id) -> Optional[dict]:
        """The stored article with this id, or None."""

    @abstractmethod
    def dump_items(self, source) -> List[dict]:
        """The stored articles of one dump (its `source`), in any order."""

    @abstractmethod
    def dump_count(self) -> int:
        """How many dumps the index holds."""

    @abstractmethod
    def status(self) -> Status:
        """What the index holds besides its articles, and where it is."""

    @property
    @abstractmethod
    def generation(self) -> int:
        """A number that changes with every commit (for health checks)."""

    # “Did you mean” (search.suggestions) looks words up with these two. An engine that
    # cannot leaves them as they are, and gets no suggestions.

    def word_counts(self, candidates) -> Dict[str, int]:
        """{candidate: articles} for the candidates the index holds as a jieba word, or as a
        pair of Chinese characters in two articles or more."""
        return {}

    def words(self, prefix, limit) -> List[Tuple[str, int]]:
        """The first `limit` jieba words of the index that start with `prefix`, in order,
        each with how many articles hold it."""
        return []

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
