"""Search parameters: the query string of /search, /api/search and the exports, and back to URLs.

    /search?q=太忻&city=太原&topic=经济&paper=太原日报&section=…&kind=photo&year=2022&month=4
           &from=2022-01-01&to=…&sort=oldest&page=2
    /search?q=太原钢铁&aliases=off        the words as typed, without their aliases

Every state of the search page is one of these URLs. Cities, topics, kinds, papers,
sections and dates are checked (and normalized) by the library here, so a bad value is a
SearchError naming its parameter; `sort` and `page` are checked by the search itself. `year` (and `month` within
it) narrow the date range. An over-long query is cut and control characters are dropped,
each with a notice, rather than refused.
"""
import dataclasses
import datetime
import re
from typing import Optional, Tuple
from urllib.parse import urlencode

from flask import url_for

from search.article import KIND_NAMES
from search.errors import SearchError
from search.schema import make_filters, parse_date
from search.searching import MAX_QUERY_CHARS, SORT_ALIASES

# (parameter, SearchParams field) of the filters that take several values, in the order
# chips and facets list them
LISTS = (("city", "cities"), ("topic", "topics"), ("paper", "papers"), ("section", "sections"), ("kind", "kinds"))
PARAMETERS = ("q", *(name for name, _ in LISTS), "year", "month", "from", "to", "sort", "page", "aliases")
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
FILTER_LABELS = {"city": "城市", "topic": "主题", "paper": "报纸", "section": "版面", "kind": "类型", "year": "年份",
                 "month": "月份", "from": "起", "to": "止"}


@dataclasses.dataclass(frozen=True)
class SearchParams:
    q: str = ""
    cities: Tuple[str, ...] = ()
    topics: Tuple[str, ...] = ()
    papers: Tuple[str, ...] = ()
    sections: Tuple[str, ...] = ()
    kinds: Tuple[str, ...] = ()
    year: Optional[int] = None
    month: Optional[int] = None
    date_from: Optional[datetime.date] = None
    date_to: Optional[datetime.date] = None
    sort: str = "relevance"
    page: str = "1"
    notices: Tuple[str, ...] = ()
    aliases: bool = True

    @classmethod
    def from_args(cls, args):
        """Parameters from a request's query string (a MultiDict); SearchError if invalid."""
        q, notices = clean_query(args.get("q", ""))
        year, month = _year(args.get("year")), _month(args.get("month"))
        if month and not year:
            raise SearchError("month: needs a year too (add year=YYYY)", parameter="month", code="month_without_year")
        filters = make_filters({name: args.getlist(name) for name, _ in LISTS}, args.get("from"), args.get("to"))
        sort = args.get("sort") or "relevance"
        return cls(q=q, **{field: filters.values.get(name, ()) for name, field in LISTS}, year=year, month=month,
                   date_from=filters.date_from, date_to=filters.date_to,
                   sort=SORT_ALIASES.get(sort, sort), page=args.get("page") or "1", notices=notices,
                   aliases=args.get("aliases") != "off")

    def replace(self, **changes):
        """These parameters with some changed, back on page 1 unless a page is given."""
        return dataclasses.replace(self, **{"page": "1", **changes})

    def toggle(self, field, value):
        """These parameters with `value` added to, or removed from, `field` (cities, topics…)."""
        chosen = getattr(self, field)
        return self.replace(**{field: tuple(v for v in chosen if v != value) if value in chosen else chosen + (value,)})

    def date_range(self):
        """from/to narrowed to the selected year or month; SearchError naming the year when
        the dates leave nothing of it (from > to on their own was refused by from_args)."""
        start, end = self.date_from, self.date_to
        if self.year:
            period = f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"
            start = max(filter(None, (start, parse_date(period, "year"))))
            end = min(filter(None, (end, parse_date(period, "year", end=True))))
            if start > end:
                raise SearchError(f"year: {period} is outside the dates chosen "
                                  f"({self.date_from or '…'} to {self.date_to or '…'})", parameter="year",
                                  code="outside_dates", period=period, start=str(self.date_from or "…"),
                                  end=str(self.date_to or "…"))
        return start, end

    def search_kwargs(self):
        """Keyword arguments of Searcher.search."""
        return {**self.all_kwargs(), "page": self.page}

    def all_kwargs(self):
        """Keyword arguments of Searcher.all_hits: the search without its page."""
        date_from, date_to = self.date_range()
        return dict(q=self.q, cities=self.cities, topics=self.topics, kinds=self.kinds, date_from=date_from,
                    date_to=date_to, sort=self.sort, filters={"paper": self.papers, "section": self.sections},
                    aliases=self.aliases)

    def pairs(self):
        """The query string as (name, value) pairs, leaving out defaults."""
        pairs = [("q", self.q)]
        pairs += [(name, value) for name, field in LISTS for value in getattr(self, field)]
        if self.year:
            pairs.append(("year", str(self.year)))
        if self.month:
            pairs.append(("month", f"{self.month:02d}"))
        if self.date_from:
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("to", self.date_to.isoformat()))
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if str(self.page) != "1":
            pairs.append(("page", str(self.page)))
        if not self.aliases:
            pairs.append(("aliases", "off"))
        return pairs

    def url(self, endpoint="results.results"):
        return url_for(endpoint) + "?" + urlencode(self.pairs())

    def active_filters(self):
        """(parameter, value in words, parameters without it) of every filter set: the
        removable chips."""
        found = [(name, KIND_NAMES.get(value, value) if name == "kind" else value, self.toggle(field, value))
                 for name, field in LISTS for value in getattr(self, field)]
        if self.year:
            found.append(("year", str(self.year), self.replace(year=None, month=None)))
        if self.month:
            found.append(("month", f"{self.year}-{self.month:02d}", self.replace(month=None)))
        if self.date_from:
            found.append(("from", self.date_from.isoformat(), self.replace(date_from=None)))
        if self.date_to:
            found.append(("to", self.date_to.isoformat(), self.replace(date_to=None)))
        return found


def clean_query(q):
    """(query cut to the library's limit without control characters, notices saying so)."""
    notices = []
    if CONTROL_CHARS.search(q):
        q = CONTROL_CHARS.sub(" ", q)
        notices.append("查询中的控制字符已删除。")
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS]
        notices.append(f"查询过长，只搜索了前 {MAX_QUERY_CHARS} 个字符。")
    return q, tuple(notices)


def search_args(args):
    """The search parameters of a query string (a MultiDict), as (name, value) pairs."""
    return [(k, v) for k, v in args.items(multi=True) if k in PARAMETERS]


def args_without(args, name):
    """A query string without parameter `name` (a month goes with its year): the corrected
    search after an error."""
    dropped = {name, "month"} if name == "year" else {name}
    return [(k, v) for k, v in search_args(args) if k not in dropped]


def _year(value):
    if not value:
        return None
    if not re.fullmatch(r"\d{4}", value.strip()) or int(value) == 0:
        raise SearchError(f"year: must be a year like 2022, not {value[:20]!r}", parameter="year", code="not_a_year",
                          value=value[:20])
    return int(value)


def _month(value):
    if not value:
        return None
    if not re.fullmatch(r"0?[1-9]|1[0-2]", value.strip()):
        raise SearchError(f"month: must be a month from 1 to 12, not {value[:20]!r}", parameter="month",
                          code="not_a_month", value=value[:20])
    return int(value)
