"""Searching: a query and filters → Results (hits with marked snippets, total, facets).

    with Searcher("index") as s:
        results = s.search("太忻", cities=["太原"], sort="date")
        results.total, results.hits[0].snippet, results.facets["topic"]

The Searcher is the same for every engine: it checks the parameters, parses the query
(search.query), asks its engine (search.engine) for one page and the facet counts, and
marks the query's words in titles and snippets (search.highlight). Given an index folder
it searches it with the embedded engine. Returns data only; search.formatting, the CLI and
the web app render it.
"""
import time

from . import aliases as alias_groups
from . import data, highlight, labels, suggestions
from .embedded import EmbeddedEngine
from .engine import SORTS, Request
from .errors import SearchError, naming
from .query import literals, parse, split
from .results import Hit, Results
from .schema import make_filters

MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 1000


class Searcher:
    """An index to search: a folder (the embedded engine) or any `engine`; thread-safe;
    each search sees the index's latest commit."""

    def __init__(self, index_dir=None, engine=None):
        self.index_dir = index_dir
        self.engine = engine or EmbeddedEngine(index_dir)

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
        search.schema beyond cities, topics and kinds. Written in the query, `city:太原`
        is the same as cities=["太原"] (unless it sits under OR or NOT). With `aliases`,
        terms also find their aliases (search.aliases); a search that finds little comes
        with suggestions (search.suggestions)."""
        start = time.perf_counter()
        q = (q or "")[:MAX_QUERY_CHARS]
        if sort not in SORTS:
            raise SearchError(f"sort: must be one of {', '.join(SORTS)}, not {str(sort)[:20]!r}", parameter="sort")
        page, per_page = _positive(page, "page"), _positive(per_page, "per_page")
        per_page = min(per_page, MAX_PER_PAGE)
        tree, inline = split(parse(q))
        tree, expanded = alias_groups.expand(tree) if aliases else (tree, {})
        typed = {"city": list(cities), "topic": list(topics), "kind": list(kinds)}
        for name, values in [*(filters or {}).items(), *inline.items()]:
            typed.setdefault(name, []).extend(values)
        chosen = make_filters(typed, date_from, date_to)
        by_date = sort == "date" or tree is None          # nothing to rank by: newest first
        with naming(self.index_dir):
            found = self.engine.search(Request(tree, chosen, "date" if by_date else "relevance",
                                               offset=(page - 1) * per_page, limit=per_page))
        terms, alias_terms = literals(tree), literals(tree, aliases=True)
        hits = [_hit(d.article, terms, alias_terms, d.score) for d in found.docs]

        def suggest():
            with naming(self.index_dir):
                suggested = suggestions.suggest(self.engine, q, tree, found.total)
            return suggested + (suggestions.byline_only(q, tree, hits) if page == 1 else [])
        return Results(query=q, total=found.total, page=page, per_page=per_page, sort="date" if by_date else sort,
                       hits=hits, facets=found.facets, filters=chosen, terms=terms,
                       seconds=time.perf_counter() - start, partial=found.partial, aliases=expanded, suggest=suggest)

    def article(self, article_id):
        """The stored article (a dict) with this id, or None."""
        with naming(self.index_dir):
            return self.engine.article(article_id)

    def neighbours(self, article):
        """The other items of the same dump, in dump order (id, seq, title, kind, body)."""
        with naming(self.index_dir):
            items = self.engine.dump_items(article["source"])
        return sorted(({k: d[k] for k in ("id", "seq", "title", "kind", "body")} for d in items),
                      key=lambda d: d["seq"])

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
        }


def _hit(article, terms, alias_terms, score):
    a = article
    return Hit(id=a["id"], title=a["title"], date=a["date"], cities=a["cities"], topic=a["topic"],
               kind=a["kind"], source=a["source"], score=round(score, 3) if score is not None else None,
               snippet=highlight.snippet(a["body"], terms, alias_terms),
               marked_title=highlight.mark(a["title"] or "", terms, alias_terms),
               kicker=a["kicker"], authors=a["authors"], label=labels.label(a))


def _positive(value, name):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SearchError(f"{name}: must be a whole number ≥ 1, not {str(value)[:20]!r}", parameter=name)
    if number < 1 or number > 100000:
        raise SearchError(f"{name}: must be between 1 and 100000, not {number}", parameter=name)
    return number
