"""The distributed engine: search.engine's interface over a cluster's front.

One SphinxQL statement per search, sent to the front's distributed index, which asks every
shard and merges: MATCH() of the query tree (search.cluster.match), the filters as WHERE on
the shards' attributes, ORDER BY the same keys as the embedded engine (relevance or date,
then the other, then the id), and a FACET per column, counted over every match; then SHOW
META for the exact total (`total_found`) and the warnings. A shard that did not answer
leaves a warning there: the answer is the other shards', marked `partial`, never silently
short. Stored articles come from the `article` attribute, so snippets are made by our
highlighter as for the embedded engine.
"""
import datetime
import json
import threading
import zlib

from .. import data, schema
from ..engine import Engine, Found, FoundDoc, Status
from ..errors import IndexUnreadable
from . import layout, sharding
from .config import FRONT_INDEX, SHARD_INDEX
from .connection import NodeDown, answering, connect
from .match import match

SCORE_SCALE = 10000
# BM25F over the text fields, the headline weighted as search.schema weighs it.
RANKER = "expr('{scale}*bm25f(1.2,0.75,{{{weights}}})')".format(
    scale=SCORE_SCALE, weights=",".join(f"{name}={f.weight:g}" for f in schema.TEXT_FIELDS
                                        for name in (f.grams, f.words)))
MIN_MATCHES = 1000           # Sphinx's default max_matches
FACET_LIMIT = 5000           # values per facet (months of four centuries)
MAX_DUMP_ITEMS = 10000       # items of one dump listed beside an article (a 20 MB dump has ~400)


class ClusterEngine(Engine):
    """A cluster (search.cluster.config.Cluster); thread-safe: a connection per thread."""

    def __init__(self, cluster):
        self.cluster = cluster
        self._local = threading.local()
        self._execute("SHOW META")               # the front answers, or a clear error now

    # -- SphinxQL ------------------------------------------------------------------------------
    def _connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.cluster.front, hint=self._hint())
        return conn

    def _hint(self):
        return f"; start it with `search-cluster start {self.cluster.folder}`"

    def _execute(self, sql, args=None):
        """(result sets, SHOW META) of one statement."""
        sets = self._batch([sql, "SHOW META"], args)
        return sets[:-1], _meta(sets[-1])

    def _batch(self, statements, args=None):
        """Every result set of several statements, sent in one round trip; one
        reconnection if the front dropped the connection (it was restarted)."""
        for attempt in (1, 2):
            conn = self._connection()
            try:
                with answering(self.cluster.front):
                    with conn.cursor() as cur:
                        cur.execute("; ".join(statements), args)
                        sets = [cur.fetchall()]
                        while cur.nextset():
                            sets.append(cur.fetchall())
                        return sets
            except NodeDown:
                self._local.conn = None
                conn.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _partial(self, meta):
        return "warning" in meta

    # -- the interface ---------------------------------------------------------------------------
    def search(self, request):
        text = match(request.tree)
        where = ["MATCH(%s)"] if text else []
        where += ["kind_n > 0", *_filters(request.filters)]
        by_date = request.sort == "date"
        order = "date DESC, score DESC, id ASC" if by_date else "score DESC, date DESC, id ASC"
        matches = max(MIN_MATCHES, request.offset + request.limit)
        condition = " AND ".join(where)
        # Sphinx 2.2.11 cannot send WEIGHT() and FACET in one distributed query: the page
        # and its META, then the facets (of one more query, its first row unused).
        statements = [f"SELECT id, article, WEIGHT() AS score FROM {FRONT_INDEX} WHERE {condition} "
                      f"ORDER BY {order} LIMIT {request.offset}, {request.limit} "
                      f"OPTION max_matches={matches}, ranker={RANKER}", "SHOW META"]
        facets = _facets(request.facets)
        if facets:
            statements += [f"SELECT id FROM {FRONT_INDEX} WHERE {condition} LIMIT 1 OPTION max_matches={FACET_LIMIT}"
                           + "".join(f" FACET {attribute} LIMIT {FACET_LIMIT}" for attribute, _ in facets),
                           "SHOW META"]
        sets = self._batch(statements, (text, text) if text and facets else (text,) if text else None)
        meta = _meta(sets[1])
        docs = [FoundDoc(json.loads(article), None if by_date else score / SCORE_SCALE)
                for _, article, score in sets[0]]
        counts = {}
        for (_, read), rows in zip(facets, sets[3:-1]):
            counts.update(read(rows))
        return Found(total=int(meta.get("total_found", 0)), docs=docs,
                     facets={k: v for k, v in counts.items() if k in request.facets},
                     partial=self._partial(meta) or (bool(facets) and self._partial(_meta(sets[-1]))))

    def article(self, article_id):
        span = sharding.dump_range_of(article_id)
        if span is None:
            return None
        found = [a for a in self._items(*span, complete=False) if a["id"] == article_id]
        return found[0] if found else None

    def dump_items(self, source):
        return self._items(*sharding.id_range(source))

    def _items(self, low, high, complete=True):
        """The stored articles with Sphinx ids in [low, high] (one dump's); a shard that did
        not answer is an error when the answer must be complete or nothing was found."""
        sets, meta = self._execute(
            f"SELECT article FROM {FRONT_INDEX} WHERE id BETWEEN {low} AND {high} AND kind_n > 0 "
            f"LIMIT {MAX_DUMP_ITEMS} OPTION max_matches={MAX_DUMP_ITEMS}")
        if self._partial(meta) and (complete or not sets[0]):
            raise self._shard_down(meta)
        return [json.loads(article) for article, in sets[0]]

    def dump_count(self):
        return self._records()[0]

    def _records(self):
        """(dumps, oldest and newest indexing time, how many were parsed with other data files)."""
        crc = zlib.crc32(data.fingerprint().encode())
        sets, meta = self._execute(f"SELECT COUNT(*), MIN(indexed_at), MAX(indexed_at), "
                                   f"SUM(IF(data_crc = {crc}, 0, 1)) FROM {FRONT_INDEX} WHERE kind_n = 0")
        if self._partial(meta):
            raise self._shard_down(meta)
        dumps, oldest, newest, other = sets[0][0] if sets[0] else (0, 0, 0, 0)
        return int(dumps), int(oldest or 0), int(newest or 0), int(other or 0)

    def status(self):
        dumps, oldest, newest, other = self._records()
        when = lambda t: datetime.datetime.fromtimestamp(t).isoformat(timespec="seconds") if dumps else None
        return Status(location=self.cluster.path, dumps=dumps, last_update=when(newest), built_at=when(oldest),
                      data="other data files" if other else data.fingerprint(), size_bytes=self._size())

    def _size(self):
        """Bytes of the shards' indexes, on disk and in memory."""
        total = 0
        for node in self.cluster.shards:
            try:
                conn = connect(node)
            except NodeDown:
                continue
            try:
                with answering(node), conn.cursor() as cur:
                    cur.execute(f"SHOW INDEX {SHARD_INDEX} STATUS")
                    figures = dict(cur.fetchall())
                total += int(figures.get("disk_bytes", 0)) + int(figures.get("ram_bytes", 0))
            finally:
                conn.close()
        return total

    @property
    def generation(self):
        """Changes when a dump is indexed or removed: the newest record's time and the dumps."""
        dumps, _, newest, _ = self._records()
        return newest * 1000 + dumps

    def _shard_down(self, meta):
        return IndexUnreadable(self.cluster.path, f"a shard does not answer: {meta['warning']}")

    def close(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _meta(rows):
    """SHOW META's rows as a dict (the first of repeated names)."""
    meta = {}
    for row in rows:
        meta.setdefault(row[0], row[1])
    return meta


def _filters(filters):
    """WHERE conditions of search.schema Filters on the shards' attributes."""
    out = []
    for column, chosen in filters.chosen():
        if isinstance(column, schema.Values):
            numbers = [column.values.index(v) + 1 for v in chosen]
            name = column.name if column.name in layout.MULTI else column.stored
            if column.all_of:
                out += [f"{name} = {n}" for n in numbers]          # a multi-value: has each of them
            else:
                out.append(f"{name} IN ({', '.join(map(str, numbers))})")
        else:
            start, end = chosen
            if start:
                out.append(f"date >= {schema.date_number(start.isoformat())}")
            if end:
                out.append(f"date > 0 AND date <= {schema.date_number(end.isoformat())}")
    return out


def _facets(names):
    """(attribute, rows → {facet: counts}) for the facets named, per search.schema column."""
    out = []
    for column in schema.COLUMNS:
        if isinstance(column, schema.Values) and column.name in names:
            attribute = column.name if column.name in layout.MULTI else column.stored
            out.append((attribute, _value_counts(column)))
        elif column is schema.DATE:
            if "year" in names:
                out.append(("year", lambda rows: {"year": {str(y): int(n) for y, n in sorted(rows, reverse=True) if y}}))
            if "month" in names:
                out.append(("month", lambda rows: {"month": {f"{m // 100}-{m % 100:02d}": int(n)
                                                             for m, n in sorted(rows, reverse=True) if m}}))
    return out


def _value_counts(column):
    def read(rows):
        return {column.name: schema.ranked({column.values[n - 1]: int(count) for n, count in rows
                                            if 0 < n <= len(column.values)})}
    return read
