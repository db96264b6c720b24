"""What a search returns: data only (search.formatting renders it).

    results.total, results.hits[0].snippet, results.facets["topic"], results.describe("zh")
"""
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from .article import where_printed
from .highlight import Marked
from .schema import SEPARATOR, Filters

SORT_WORDS = {"en": {"date": "newest first", "oldest": "oldest first"},
              "zh": {"date": "按时间从新到旧", "oldest": "按时间从旧到新"}}


@dataclass
class Hit:
    id: str
    title: Optional[str]
    date: Optional[str]
    cities: List[str]
    topic: str
    kind: str
    source: str
    score: Optional[float]                              # None when sorted by date
    snippet: Marked = Marked()                          # the best passage, query words marked
    marked_title: Marked = Marked()                     # the title, query words marked
    kicker: Optional[str] = None
    authors: List[str] = field(default_factory=list)
    paper: Optional[str] = None
    page: Optional[str] = None
    section: Optional[str] = None
    label: str = ""                                     # what to call it in a list (search.labels)

    @property
    def printed(self):
        """`太原日报 · 第2版`, or "" when neither is known."""
        return where_printed(self)


@dataclass
class Results:
    query: str
    total: int
    page: int
    per_page: int
    sort: str
    hits: List[Hit]
    facets: Dict[str, Dict[str, int]]
    filters: Filters
    terms: List[str]             # normalized terms the snippets mark
    seconds: float = 0.0
    partial: bool = False        # part of the index did not answer (see search.engine.Found)
    aliases: Dict[str, List[str]] = field(default_factory=dict)   # term typed → aliases searched too
    suggest: Optional[Callable[[], List[str]]] = field(default=None, repr=False, compare=False)

    @property
    def suggestions(self):
        """Queries that may be meant (search.suggestions), looked up when first asked for:
        a caller that only wants the hits does not pay for them."""
        if not hasattr(self, "_suggestions"):
            self._suggestions = self.suggest() if self.suggest else []
        return self._suggestions

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def past_the_end(self):
        """A page after the last one was asked for (there are hits, none on this page)."""
        return self.total > 0 and self.page > self.pages

    def describe(self, lang="en"):
        """The filters and the order, in words, without the query (which a page or a
        summary line shows on its own): `city 忻州, newest first` (lang "en" or "zh")."""
        filters = self.filters.describe(lang)
        parts = [filters] if filters else []
        if self.sort in SORT_WORDS[lang]:
            parts.append(SORT_WORDS[lang][self.sort])
        return SEPARATOR[lang].join(parts)


@dataclass
class Day:
    """Every item of one day, as a paper prints them: [(paper, [(page, [article…])…])…]
    (stored article dicts; paper and page None where unknown), and the nearest dates
    before and after it that have items."""
    date: str
    total: int
    papers: List[Tuple[Optional[str], List[Tuple[Optional[str], List[dict]]]]]
    previous: Optional[str]
    next: Optional[str]
