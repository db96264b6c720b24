"""What a search returns: data only (search.formatting renders it).

    results.total, results.hits[0].snippet, results.facets["topic"], results.describe("zh")
"""
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from .highlight import Marked
from .schema import SEPARATOR, Filters

WORDS = {"en": {"all": "all articles", "by_date": "newest first"},
         "zh": {"all": "全部文章", "by_date": "按时间排序"}}


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
    label: str = ""                                     # what to call it in a list (search.labels)


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

    def describe(self, lang="en"):
        """What was searched, in words: `“太忻”, city 忻州, newest first` (lang "en" or "zh")."""
        words = WORDS[lang]
        parts = [f"“{self.query}”" if self.query.strip() else words["all"]]
        filters = self.filters.describe(lang)
        if filters:
            parts.append(filters)
        if self.sort == "date":
            parts.append(words["by_date"])
        return SEPARATOR[lang].join(parts)
