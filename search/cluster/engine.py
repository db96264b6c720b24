"""The distributed engine: search.engine's interface over a cluster's front.

One round trip per search, a batch of SphinxQL statements sent to the front's distributed
index, which asks every shard and merges: the page (MATCH() of the query tree, from
search.cluster.match; the filters as WHERE on the shards' attributes; the hidden articles
left out by their keys; ORDER BY the same keys as the embedded engine, relevance or date,
then the other, then the id), SHOW META for the exact total (`total_found`) and the
warnings, then the facets (search.cluster.facets: a GROUP BY per group of columns, counted
over every match). A shard that did not answer leaves a warning there: the answer is the
other shards', marked `partial`, never silently short. Stored articles come from the
`article` attribute, so snippets are made by our highlighter as for the embedded engine.

What the time goes to, measured: Sphinx 2.2 spends ~10 µs per max_matches slot, whatever the
matches, so the page asks for only the slots it shows (1,000 slots were ~10 ms of every
search, a FACET of 5,000 values ~60 ms); each grouping costs ~1 ms (it evaluates the match
again), more for strings and for many groups; the rest is Python: ~1 ms for the statements
and answers, and the snippets (search.highlight).
"""
import datetime
import json
import threading
import zlib

from .. import data, schema
from ..engine import Engine, Found, FoundDoc, Status
from ..errors import IndexUnreadable, SearchError
from . import facets, layout, sharding
from .config import FRONT_INDEX, SHARD_INDEX
from .connection import NodeDown, answering, connect
from .dictionary import Dictionary
from .match import match

SCORE_SCALE = 10000
OLDER_ROWS = ("unknown column", "no such filter attribute", "no such attribute")   # what shards say


def _ranker():
    """BM25F over the fields with search.schema's weights (grams ×GRAMS_WEIGHT against words,
    the headline ×3, a byline ×BYLINE_WEIGHT, filter tags none; Sphinx takes whole numbers,
    so ×10), times the kind's weight (photos and notices ×0.5). Sphinx's bm25f has one b for
    every field: the headline's (0.3; a body's is 0.75 in the embedded engine). Measured on
    bench.relevance's judged queries over 3 shards: nDCG@10 0.9295 with b 0.75 and the
    headline ×3 alone, 0.9538 so (0.9667 with b 0.2, not taken: tuned on the same queries)."""
    weights = {**{f.grams: f.weight * schema.GRAMS_WEIGHT for f in schema.TEXT_FIELDS},
               **{f.words: f.weight for f in schema.TEXT_FIELDS},
               "author": schema.BYLINE_WEIGHT, "place": 1.0, layout.TAGS: 0.0}
    fields = ",".join(f"{name}={round(10 * w)}" for name, w in weights.items())
    kind = "1"
    for k, name in enumerate(schema.KIND.values, 1):
        if schema.KIND_WEIGHTS[name] != 1:
            kind = f"IF(kind_n={k},{schema.KIND_WEIGHTS[name]:g},{kind})"
    return f"expr('{SCORE_SCALE}*bm25f(1.2,{schema.TEXT['title'].b:g},{{{fields}}})*{kind}')"


RANKER = _ranker()
UNDATED_LAST = 10 ** 9       # above any YYYYMMDD: where undated articles go when oldest come first
# The orders of search.engine.Request, each ending with the same tie-break (the Sphinx id).
ORDER = {"relevance": "score DESC, date DESC, id ASC", "date": "date DESC, score DESC, id ASC",
         "oldest": "day ASC, score DESC, id ASC"}
SELECT_EXTRA = {"relevance": "", "date": "", "oldest": f", IF(date > 0, date, {UNDATED_LAST}) AS day"}
MAX_DUMP_ITEMS = 10000       # items of one dump listed beside an article (a 20 MB dump has ~400)


class ClusterEngine(Engine):
    """A cluster (search.cluster.config.Cluster); thread-safe: a connection per thread."""

    def __init__(self, cluster):
        self.cluster = cluster
        self._local = threading.local()
        self._names = facets.Names()
        self._dictionary = Dictionary(cluster)
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
            except SearchError as e:         # (the rest of the statements' answers are not read)
                self._local.conn = None
                conn.close()
                if any(said in str(e) for said in OLDER_ROWS):
                    raise IndexUnreadable(self.cluster.path, "rows of an older format", message=(
                        f"{self.cluster.path}: the shards hold rows an older version wrote; load them again "
                        f"with `search-index update DUMPS_DIR --cluster {self.cluster.path}`")) from None
                raise
        raise AssertionError("unreachable")

    def _partial(self, meta):
        return "warning" in meta

    # -- the interface ---------------------------------------------------------------------------
    def search(self, request):
        text, unscored = match(request.tree), match(request.tree, scored=False)
        where = ["MATCH(%s)"] if text else []
        where += ["kind_n > 0", *_filters(request.filters), *_hidden(request.hidden)]
        condition = " AND ".join(where)
        by_date = request.sort != "relevance"
        # max_matches costs Sphinx 2.2 time per slot, whatever the matches (1,000: ~10 ms a
        # query): only what the page needs; total_found stays exact.
        statements = [f"SELECT id, article, WEIGHT() AS score{SELECT_EXTRA[request.sort]} FROM {FRONT_INDEX} "
                      f"WHERE {condition} ORDER BY {ORDER[request.sort]} LIMIT {request.offset}, {request.limit} "
                      f"OPTION max_matches={request.offset + request.limit}, ranker={RANKER}", "SHOW META"]
        groupings = facets.groupings(request.facets)
        statements += [g.statement(FRONT_INDEX, condition) for g in groupings]
        statements += ["SHOW META"] if groupings else []
        sets = self._batch(statements, (text,) + (unscored,) * len(groupings) if text else None)
        meta = _meta(sets[1])
        docs = [FoundDoc(json.loads(row[1]), None if by_date else row[2] / SCORE_SCALE) for row in sets[0]]
        answers = sets[2:2 + len(groupings)]
        lookups = self._names.lookups(groupings, answers, FRONT_INDEX)
        if lookups:                  # names not seen before: one more round trip
            for (column, _), rows in zip(lookups, self._batch([statement for _, statement in lookups])):
                self._names.learn(column, rows)
        counts = {}
        for grouping, rows in zip(groupings, answers):
            counts.update(grouping.read(rows, self._names))
        return Found(total=int(meta.get("total_found", 0)), docs=docs,
                     facets={k: v for k, v in counts.items() if k in request.facets},
                     partial=self._partial(meta) or (bool(groupings) and self._partial(_meta(sets[-1]))))

    def word_counts(self, candidates):
        return self._dictionary.word_counts(candidates)

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
        self._dictionary.close()
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
            attribute, numbers = _attribute(column), [_number(column, v) for v in chosen]
            if column.all_of:
                out += [f"{attribute} = {n}" for n in numbers]     # a multi-value: has each of them
            else:
                out.append(f"{attribute} IN ({', '.join(map(str, numbers))})")
        else:
            start, end = chosen
            if start:
                out.append(f"date >= {schema.date_number(start.isoformat())}")
            if end:
                out.append(f"date > 0 AND date <= {schema.date_number(end.isoformat())}")
    return out


def _hidden(ids):
    """The WHERE condition that leaves out the articles of these ids (by their keys)."""
    if not ids:
        return []
    keys = sorted({sharding.article_key(i) for i in ids})
    return [f"{layout.ARTICLE_KEY} NOT IN ({', '.join(map(str, keys))})"]


def _attribute(column):
    """The shards' attribute of a filter column: cities are a multi-value attribute of their
    places in the list, a Named column its keys, the others their stored numbers."""
    return column.name if column.name in layout.MULTI else column.stored


def _number(column, value):
    return column.key(value) if column.names_field else column.values.index(value) + 1
