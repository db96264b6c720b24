"""Searching: a query and filters → Results (hits with marked snippets, total, facets).

    with Searcher("index") as s:
        results = s.search("太忻", cities=["太原"], sort="date")
        results.total, results.hits[0].snippet, results.facets["topic"]

The Searcher is the same for every engine: it checks the parameters, parses the query
(search.query), asks its engine (search.engine) for one page and the facet counts, and
marks the query's words in titles and snippets (search.highlight), with its terms' aliases
(search.aliases), labels (search.labels) and, when asked, suggestions (search.suggestions,
over Engine.words and Engine.word_counts). It also lists every
hit of a search (`all_hits`, for exports) and every item of a day (`day`), and leaves out
the articles taken down (search.hidden) everywhere. Given an index folder it searches it
with the embedded engine. Returns data only; search.formatting, the CLI and the web app
render it.
"""
import datetime
import time
from dataclasses import dataclass
from itertools import groupby

from . import aliases as alias_groups
from . import data, highlight, labels, suggestions
from .article import page_order
from .engine import SORTS, Request
from .errors import Hidden, NotFound, SearchError, naming
from .hidden import HiddenList
from .query import literals, parse, split
from .results import Day, Hit, Results
from .schema import make_filters, parse_date

MAX_PER_PAGE = 100
MAX_PAGE = 100000
MAX_QUERY_CHARS = 1000
BATCH = 500                  # articles fetched at a time for an export or a day
SORT_ALIASES = {"newest": "date"}


@dataclass(frozen=True)
class _Query:
    """A checked search: the query text, its tree and terms, the filters and the order."""
    q: str
    tree: object
    terms: list
    filters: object
    sort: str
    alias_terms: list = ()       # the terms aliases added (marked as such)
    aliases: dict = None         # term typed → its aliases searched too


class Searcher:
    """An index to search: a folder (the embedded engine) or any `engine`; thread-safe;
    each search sees the index's latest commit. `hidden`: the articles taken down
    (search.hidden; by default the list beside the index folder), left out everywhere."""

    def __init__(self, index_dir=None, engine=None, hidden=None):
        self.index_dir = index_dir
        if engine is None:
            from .embedded import EmbeddedEngine      # (imported only here: a cluster does without)
            engine = EmbeddedEngine(index_dir)
        self.engine = engine
        self.hidden = hidden or (HiddenList.beside(index_dir) if index_dir else HiddenList(None))

    def close(self):
        self.engine.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def generation(self):
        return self.engine.generation

    def search(self, q="", cities=(), topics=(), date_from=None, date_to=None, kinds=(),
               sort="relevance", page=1, per_page=10, filters=None, aliases=True):
        """One page of results. `filters`: {filter name: [values]} for filters of
        search.schema beyond cities, topics and kinds (paper, section). Written in the
        query, `city:太原` is the same as cities=["太原"] (unless it sits under OR or NOT).
        `sort`: relevance, date (or newest) or oldest; `per_page` is at most 100. With
        `aliases`, terms also find their aliases (search.aliases); a search that finds
        little has suggestions (search.suggestions), looked up when first asked for."""
        start = time.perf_counter()
        query = self._query(q, cities, topics, kinds, filters, date_from, date_to, sort, aliases)
        page, per_page = _number(page, "page", MAX_PAGE), _number(per_page, "limit", MAX_PER_PAGE)
        found = self._ask(query, offset=(page - 1) * per_page, limit=per_page)
        hits = [_hit(d.article, query, d.score) for d in found.docs]

        def suggest():
            with naming(self.index_dir):
                suggested = suggestions.suggest(self.engine, query.q, query.tree, found.total)
            return suggested + (suggestions.byline_only(query.q, query.tree, hits) if page == 1 else [])
        return Results(query=query.q, total=found.total, page=page, per_page=per_page, sort=query.sort,
                       hits=hits, facets=found.facets, filters=query.filters, terms=query.terms,
                       seconds=time.perf_counter() - start, partial=found.partial, aliases=query.aliases,
                       suggest=suggest)

    def all_hits(self, q="", cities=(), topics=(), date_from=None, date_to=None, kinds=(), sort="relevance",
                 filters=None, aliases=True):
        """Every hit of a search, in order, as an iterator (for exports): the parameters
        are checked now, the hits fetched BATCH at a time as they are read, each once."""
        query = self._query(q, cities, topics, kinds, filters, date_from, date_to, sort, aliases)
        return (_hit(article, query, score) for article, score in self._every(query))

    def _query(self, q, cities, topics, kinds, filters, date_from, date_to, sort, aliases=True):
        q = (q or "")[:MAX_QUERY_CHARS]
        sort = SORT_ALIASES.get(sort, sort)
        if sort not in SORTS:
            raise SearchError(f"sort: must be one of relevance, date (or newest), oldest, not {str(sort)[:20]!r}",
                              parameter="sort", code="unknown_value", value=str(sort)[:20], choices=list(SORTS))
        tree, inline = split(parse(q))
        typed = {"city": list(cities), "topic": list(topics), "kind": list(kinds)}
        for name, values in [*(filters or {}).items(), *inline.items()]:
            typed.setdefault(name, []).extend(values)
        chosen = make_filters(typed, date_from, date_to)
        if tree is None and sort == "relevance":
            sort = "date"                                   # nothing to rank by: newest first
        tree, expanded = alias_groups.expand(tree) if aliases else (tree, {})
        return _Query(q, tree, literals(tree), chosen, sort, literals(tree, aliases=True), expanded)

    def _ask(self, query, offset, limit, facets=None):
        request = Request(query.tree, query.filters, query.sort, offset=offset, limit=limit,
                          hidden=self.hidden.ids(), **({} if facets is None else {"facets": facets}))
        with naming(self.index_dir):
            return self.engine.search(request)

    def _every(self, query):
        """(stored article, score) of every match, in order, each once (an update that
        commits meanwhile may move articles between batches)."""
        seen, offset = set(), 0
        while True:
            found = self._ask(query, offset, BATCH, facets=())
            for doc in found.docs:
                if doc.article["id"] not in seen:
                    seen.add(doc.article["id"])
                    yield doc.article, doc.score
            offset += len(found.docs)
            if len(found.docs) < BATCH or offset >= found.total:
                return

    def day(self, date):
        """Every item of one day (`YYYY-MM-DD`) in print order, grouped by paper (by name,
        unknown last) and page (1, 2 … A1 … unknown last), each page's items in dump
        order; and the nearest days before and after it that have items."""
        day = parse_date(date, "date")
        if parse_date(date, "date", end=True) != day:
            raise SearchError(f"date: {str(date)[:40]!r} is not one day (use YYYY-MM-DD)", parameter="date",
                              code="not_a_date", value=str(date)[:40])
        query = self._query("", (), (), (), None, day, day, "date")
        items = sorted((article for article, _ in self._every(query)),
                       key=lambda a: (a.get("paper") is None, a.get("paper") or "", page_order(a.get("page")),
                                      a["source"], a["seq"]))
        papers = [(paper, [(page, list(on_page)) for page, on_page in groupby(in_paper, key=lambda a: a.get("page"))])
                  for paper, in_paper in groupby(items, key=lambda a: a.get("paper"))]
        previous, following = self.nearest_days(day)
        return Day(date=day.isoformat(), total=len(items), papers=papers, previous=previous, next=following)

    def nearest_days(self, day):
        """The dates of the nearest items before and after `day` (a date or `YYYY-MM-DD`;
        None where there is none)."""
        day = parse_date(day, "date")
        one = datetime.timedelta(days=1)
        nearest = []
        for sort, span in (("date", (None, day - one if day > datetime.date.min else None)),
                           ("oldest", (day + one if day < datetime.date.max else None, None))):
            if span == (None, None):
                nearest.append(None)
                continue
            found = self._ask(self._query("", (), (), (), None, *span, sort), 0, 1, facets=())
            nearest.append(found.docs[0].article["date"] if found.docs else None)
        return tuple(nearest)

    def article(self, article_id):
        """The stored article (a dict) with this id, or None; Hidden if it was taken down."""
        with naming(self.index_dir):
            article = self.engine.article(article_id)
        entry = self.hidden.get(article["id"]) if article else None
        if entry:
            raise Hidden(entry.id, entry.reason, entry.hidden_at)
        return article

    def find(self, article_id):
        """The stored article with this id; NotFound, or Hidden if it was taken down. (Ids
        are looked up in the index, never as files.)"""
        article = self.article(article_id)
        if article is None:
            raise _not_found(article_id)
        return article

    def hide(self, article_id, reason):
        """Take an article down (search.hidden): (the article, its Entry, whether it was
        hidden already, with another reason). NotFound if the index has no such article."""
        with naming(self.index_dir):
            article = self.engine.article(article_id)
        if article is None:
            raise _not_found(article_id)
        before = self.hidden.get(article_id)
        return article, self.hidden.hide(article_id, reason), before is not None

    def unhide(self, article_id):
        """Show a hidden article again: the Entry it had (SearchError if it was not hidden)."""
        return self.hidden.unhide(article_id)

    def neighbours(self, article):
        """The other items of the same dump, in dump order (id, seq, title, kind, body),
        but not the hidden ones."""
        with naming(self.index_dir):
            items = self.engine.dump_items(article["source"])
        hidden = self.hidden.ids()
        return sorted(({k: d[k] for k in ("id", "seq", "title", "kind", "body")} for d in items
                       if d["id"] not in hidden), key=lambda d: d["seq"])

    def overview(self):
        """How many articles and dumps, and the newest dates, for the home page."""
        everything = self.search("", per_page=5, sort="date")
        with naming(self.index_dir):
            dumps = self.engine.dump_count()
        return {"articles": everything.total, "dumps": dumps, "newest": everything.hits,
                "years": everything.facets.get("year", {})}

    def stats(self):
        """What the index holds: counts of articles and dumps, per facet, and when it changed."""
        with naming(self.index_dir):
            status = self.engine.status()
        everything = self.search("", per_page=1)
        return {
            "index": status.location,
            "articles": everything.total,
            "dumps": status.dumps,
            "kinds": everything.facets.get("kind", {}),
            "facets": {k: v for k, v in everything.facets.items() if k != "kind"},
            "last_update": status.last_update,
            "built_at": status.built_at,
            "dictionary_changed": status.data not in (None, data.fingerprint()),
            "size_mb": round(status.size_bytes / 2**20, 2),
            "hidden": [self._hidden_entry(entry) for entry in self.hidden.entries().values()],
        }

    def _hidden_entry(self, entry):
        """A hidden article for stats: its id, when, why, and its title (None: not in the index)."""
        with naming(self.index_dir):
            article = self.engine.article(entry.id)
        title = (article["title"] or article["kind"]) if article else None
        return {"id": entry.id, "hidden_at": entry.hidden_at, "reason": entry.reason, "title": title,
                "in_index": article is not None}


def _hit(article, query, score):
    a = article
    return Hit(id=a["id"], title=a["title"], date=a["date"], cities=a["cities"], topic=a["topic"],
               kind=a["kind"], source=a["source"], score=round(score, 3) if score is not None else None,
               snippet=highlight.snippet(a["body"], query.terms, query.alias_terms),
               marked_title=highlight.mark(a["title"] or "", query.terms, query.alias_terms),
               kicker=a["kicker"], authors=a["authors"], paper=a.get("paper"), page=a.get("page"),
               section=a["section"], label=labels.label(a))


def _not_found(article_id):
    return NotFound(f"no article with id {str(article_id)[:40]!r}", parameter="id", id=str(article_id)[:40])


def _number(value, name, highest):
    """A whole number from 1 to `highest`, else a SearchError naming the parameter."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SearchError(f"{name}: must be a whole number ≥ 1, not {str(value)[:20]!r}", parameter=name,
                          code="not_a_number", value=str(value)[:20])
    if number < 1 or number > highest:
        raise SearchError(f"{name}: must be between 1 and {highest}, not {number}", parameter=name,
                          code="out_of_range", value=number, low=1, high=highest)
    return number
