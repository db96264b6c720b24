"""Searching: a query and filters → hits with snippets, total and facet counts.

    with Searcher("index") as s:
        results = s.search("太忻", cities=["太原"], sort="date")
        results.total, results.hits[0].snippet, results.facets["topic"]

The searcher keeps the index open and notices new commits (an update that finished) on
the next search, so a long-running server shows new articles without a restart.
Returns data only; the CLI and the web app format it.
"""
import datetime
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np

from . import engine, facets, highlight, index, query as qlang
from .article import untitled_label
from .errors import SearchError
from .ingest.places import CITIES
from .ingest.topics import TOPICS

SORTS = ("relevance", "date")
WORDS = {
    "en": {"all": "all articles", "city": "city", "topic": "topic", "kind": "kind",
           "dates": "from {} to {}", "by_date": "newest first", "comma": ", "},
    "zh": {"all": "全部文章", "city": "城市", "topic": "主题", "kind": "类别",
           "dates": "{} 至 {}", "by_date": "按时间排序", "comma": "，"},
}
MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 1000
OPEN_ATTEMPTS = 3           # a commit's files can vanish under a reader once an update cleans up


@dataclass
class Hit:
    id: str
    title: Optional[str]
    date: Optional[str]
    cities: List[str]
    topic: str
    kind: str
    source: str
    score: Optional[float]       # None when sorted by date
    snippet: str                 # HTML: escaped text with <mark>
    title_html: str = ""         # the title, escaped, with <mark>
    kicker: Optional[str] = None
    authors: List[str] = field(default_factory=list)

    JSON_FIELDS = ("id", "title", "date", "cities", "topic", "kind", "source", "score", "snippet")

    @property
    def label(self):
        return self.title or untitled_label(self.kind)

    def to_json(self):
        return {k: getattr(self, k) for k in self.JSON_FIELDS}


@dataclass
class Filters:
    cities: Sequence[str] = ()
    topics: Sequence[str] = ()
    date_from: Optional[datetime.date] = None
    date_to: Optional[datetime.date] = None
    kinds: Sequence[str] = ()

    def describe(self, lang="en"):
        words = WORDS[lang]
        parts = []
        if self.cities:
            parts.append(words["city"] + " " + " + ".join(self.cities))
        if self.topics:
            parts.append(words["topic"] + " " + " + ".join(self.topics))
        if self.date_from or self.date_to:
            parts.append(words["dates"].format(self.date_from or "…", self.date_to or "…"))
        if self.kinds:
            parts.append(words["kind"] + " " + " + ".join(self.kinds))
        return words["comma"].join(parts)


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
        return words["comma"].join(parts)

    def to_json(self):
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "hits": [h.to_json() for h in self.hits],
            "facets": {k: self.facets.get(k, {}) for k in ("city", "topic", "year")},
        }


def parse_date(value, name, end=False):
    """`YYYY-MM-DD` (or YYYY-MM, YYYY: their first day, or last with `end`) → date;
    anything else is a SearchError naming the parameter."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if end and fmt == "%Y":
            return day.replace(month=12, day=31)
        if end and fmt == "%Y-%m":
            following = day.replace(day=28) + datetime.timedelta(days=4)
            return following - datetime.timedelta(days=following.day)
        return day
    raise SearchError(f"{name}: {text[:40]!r} is not a date (use YYYY-MM-DD)")


def make_filters(cities=(), topics=(), date_from=None, date_to=None, kinds=()):
    """Validated filters; unknown values are a SearchError that names them."""
    cities = [c.strip().removesuffix("市") for c in cities if c and c.strip()]
    for c in cities:
        if c not in CITIES:
            raise SearchError(f"city: unknown city {c!r}; cities are {' '.join(CITIES)}")
    topics = [t.strip() for t in topics if t and t.strip()]
    for t in topics:
        if t not in TOPICS:
            raise SearchError(f"topic: unknown topic {t!r}; topics are {' '.join(TOPICS)}")
    kinds = [k.strip() for k in kinds if k and k.strip()]
    for k in kinds:
        if k not in index.ARTICLE_KINDS:
            raise SearchError(f"kind: unknown kind {k!r}; kinds are {' '.join(index.ARTICLE_KINDS)}")
    start, end = parse_date(date_from, "from"), parse_date(date_to, "to", end=True)
    if start and end and start > end:
        raise SearchError(f"from: {start} is after to: {end}")
    return Filters(tuple(dict.fromkeys(cities)), tuple(dict.fromkeys(topics)), start, end, tuple(dict.fromkeys(kinds)))


class Searcher:
    """An open index; thread-safe; refreshes itself when the index gets a new commit."""

    def __init__(self, index_dir):
        self.index_dir = index_dir
        self._lock = threading.RLock()         # the current searcher, and every file read
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self._folder = _identity(index_dir)
                self._ix, self._searcher, self._snapshot = self._open_commit()
                break
            except OSError:
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05)   # an update committed and cleaned up while we read: again

    def _open_commit(self):
        """The latest commit with every file it needs opened now: Whoosh opens a segment's
        stored fields lazily, and by then a later commit may have deleted them."""
        ix = index.open_index(self.index_dir)
        searcher = ix.searcher()
        for reader, _ in searcher.reader().leaf_readers():
            if reader.doc_count_all():
                try:
                    reader.stored_fields(0)
                except TypeError:          # Whoosh's way of saying the column file is gone
                    searcher.close()
                    raise FileNotFoundError(f"{self.index_dir}: a segment's stored fields vanished")
        return ix, searcher, engine.Snapshot(searcher.reader(), self._lock)

    def close(self):
        self._searcher.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _current(self):
        """The Whoosh searcher and the array snapshot of the latest commit."""
        with self._lock:
            try:
                # A rebuild swaps in a new folder, whose commits are numbered from 1 again.
                fresh = _identity(self.index_dir) == self._folder and self._searcher.up_to_date()
            except Exception:            # the folder is being swapped right now
                fresh = True
            if not fresh:
                try:
                    folder = _identity(self.index_dir)
                    ix, new, snapshot = self._open_commit()
                except Exception:
                    new = None           # keep serving the last good commit
                if new is not None:
                    # The old searcher is not closed here: a search in another thread may
                    # still be reading it. Its files close when the last user lets go.
                    self._searcher, self._snapshot = new, snapshot
                    self._ix, self._folder = ix, folder
            return self._searcher, self._snapshot

    @property
    def generation(self):
        return self._current()[0].reader().generation()

    def search(self, q="", cities=(), topics=(), date_from=None, date_to=None, kinds=(),
               sort="relevance", page=1, per_page=10, filters=None):
        start = time.perf_counter()
        q = (q or "")[:MAX_QUERY_CHARS]
        if sort not in SORTS:
            raise SearchError(f"sort: must be one of {', '.join(SORTS)}, not {str(sort)[:20]!r}")
        page, per_page = _positive(page, "page"), _positive(per_page, "per_page")
        per_page = min(per_page, MAX_PER_PAGE)
        tree, inline = qlang.split(qlang.parse(q))
        if filters is None:
            filters = make_filters(list(cities) + inline.get("city", []), list(topics) + inline.get("topic", []),
                                   date_from, date_to, list(kinds) + inline.get("kind", []))
        searcher, snapshot = self._current()
        evaluator = qlang.Evaluator(snapshot)
        found = evaluator.run(tree) if tree is not None else evaluator.everything()
        found = found.where(_filter_mask(snapshot.columns, snapshot.articles, filters))
        by_date = sort == "date" or tree is None
        order = _order(found, snapshot.columns["date"], by_date, page * per_page)
        terms = qlang.literals(tree)
        with self._lock:
            stored = [searcher.stored_fields(int(found.docs[i])) for i in order[(page - 1) * per_page:]]
        hits = [self._hit(doc, terms, None if by_date else float(found.scores[i]))
                for doc, i in zip(stored, order[(page - 1) * per_page:])]
        return Results(query=q, total=len(found.docs), page=page, per_page=per_page,
                       sort="date" if by_date else sort,
                       hits=hits, facets=facets.counts(snapshot.columns, found.docs), filters=filters,
                       terms=terms, seconds=time.perf_counter() - start)

    def _hit(self, stored, terms, score):
        a = stored["article"]
        return Hit(id=a["id"], title=a["title"], date=a["date"], cities=a["cities"], topic=a["topic"],
                   kind=a["kind"], source=a["source"], score=round(score, 3) if score is not None else None,
                   snippet=highlight.snippet(a["body"], terms), title_html=highlight.mark(a["title"] or "", terms),
                   kicker=a["kicker"], authors=a["authors"])

    def article(self, article_id):
        """The stored article (a dict) with this id, or None."""
        searcher, _ = self._current()
        with self._lock:
            doc = searcher.document(id=str(article_id))
        if not doc or doc.get("kind") not in index.ARTICLE_KINDS:
            return None
        return doc["article"]

    def neighbours(self, article):
        """The other items of the same dump, in dump order (id, seq, title, kind)."""
        searcher, _ = self._current()
        with self._lock:
            docs = [d["article"] for d in searcher.documents(source=article["source"])
                    if d.get("kind") in index.ARTICLE_KINDS]
        return sorted(({k: d[k] for k in ("id", "seq", "title", "kind", "body")} for d in docs),
                      key=lambda d: d["seq"])

    def overview(self):
        """How many articles and dumps, and the newest dates, for the home page."""
        searcher, _ = self._current()
        everything = self.search("", per_page=5, sort="date")
        with self._lock:
            dumps = sum(1 for _ in searcher.document_numbers(kind="dump"))
        return {"articles": everything.total, "dumps": dumps, "newest": everything.hits,
                "years": everything.facets.get("year", {})}


def _identity(folder):
    st = os.stat(folder)
    return st.st_dev, st.st_ino


def _order(found, dates, by_date, top):
    """Indexes into `found` of its best `top` documents, best first.

    By relevance: score, then newest, then docnum; by date: newest, then score, then
    docnum. Compared one key after the other (never folded into one number, which lets a
    date outweigh a small difference of score), and ending with docnum, so the order is
    total and consecutive pages continue one order."""
    scores = found.scores.astype(np.float64)
    days = dates[found.docs].astype(np.int64)
    first, second = (-days, -scores) if by_date else (-scores, -days)
    candidates = np.arange(len(first))
    if len(first) > top:
        kth = np.partition(first, top - 1)[top - 1]
        candidates = np.flatnonzero(first <= kth)        # the top, and everything tied with its last
    return candidates[np.lexsort((found.docs[candidates], second[candidates], first[candidates]))][:top]


def _filter_mask(columns, articles, filters):
    mask = articles.copy()
    for city in filters.cities:
        mask &= qlang.filter_mask(columns, "city", city)
    for topic in filters.topics:
        mask &= qlang.filter_mask(columns, "topic", topic)
    if filters.kinds:
        mask &= np.logical_or.reduce([qlang.filter_mask(columns, "kind", k) for k in filters.kinds])
    if filters.date_from:
        mask &= columns["date"] >= index.date_number(filters.date_from.isoformat())
    if filters.date_to:
        # An undated article (0) is before every date only as a number: a range, from or
        # to, holds dated articles only.
        mask &= (columns["date"] > 0) & (columns["date"] <= index.date_number(filters.date_to.isoformat()))
    return mask


def _positive(value, name):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SearchError(f"{name}: must be a whole number ≥ 1, not {str(value)[:20]!r}")
    if number < 1 or number > 100000:
        raise SearchError(f"{name}: must be between 1 and 100000, not {number}")
    return number
