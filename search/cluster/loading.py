"""Bringing a cluster in line with a dumps folder: new dumps added, changed ones re-parsed,
removed ones dropped, as `search-index update` does for the embedded index.

What is atomic: one dump. A dump's articles and its record (search.cluster.documents)
live on the shard that owns the dump (search.cluster.sharding) and are replaced in one
transaction there (delete the dump's id range, insert its rows, commit), so a search sees
a dump's old articles or its new ones, never a mix, and never an article without its
record. A whole update is not atomic: a search during it sees some dumps updated and
others not yet. An update that crashes or is killed leaves every dump either as it was or
as it is now (an open transaction dies with its connection), and running it again
converges to exactly the articles of a clean build: dumps are compared by their records,
and a dump found on a shard that does not own it (after a crash while moving it, or when
a shard was added) is written to its owner, then deleted from the other shard.

`rebuild` re-parses every dump (after editing the data files: `search-index stats` says
when dumps were parsed with other data files), one transaction each; a dump written in
another row format is taken again by `update` too.
"""
import concurrent.futures
import datetime
import multiprocessing
import os
import time

from .. import data
from ..errors import DumpError, SearchError
from ..index.locking import beside_lock
from ..index.updating import UpdateReport, _scan, refuse_mass_delete
from ..index.workers import _parse, file_sha1
from . import documents, layout, sharding
from .config import SHARD_INDEX
from .connection import NodeDown, answering, connect, rows

BATCH_BYTES = 4 << 20          # per INSERT statement (searchd's max_packet_size is 128M)
RECORD_PAGE = 5000
AHEAD = 8                      # dumps parsed ahead of the writes, per worker

# Fault injection for tests: called with ("commit", source) just before a dump's
# transaction commits, and ("committed", source) after.
hook = None


def update(dumps_dir, cluster, rebuild=False, progress=None, wait=True, on_wait=None, workers=None,
           allow_mass_delete=False):
    """Bring the cluster's shards in line with the dumps folder; see the module docstring.
    As for the embedded index, an update that would remove more than half of the articles
    is refused unless `allow_mass_delete` (a dumps folder not mounted looks empty)."""
    workers = workers or min(4, os.cpu_count() or 1)
    if not os.path.isdir(dumps_dir):
        raise SearchError(f"{dumps_dir}: no such dumps folder")
    start = time.monotonic()
    with beside_lock(cluster.path, wait=wait, on_wait=on_wait):
        shards = Shards(cluster)
        try:
            report = _update(dumps_dir, shards, rebuild, progress, workers, allow_mass_delete, cluster.path)
        finally:
            shards.close()
    report.seconds = time.monotonic() - start
    return report


class Shards:
    """One write connection per shard."""

    def __init__(self, cluster):
        hint = f"; start it with `search-cluster start {cluster.folder}`"
        self.nodes = cluster.shards
        self.conns = []
        try:
            for node in self.nodes:
                self.conns.append(connect(node, hint=hint))
            for k in range(len(self.nodes)):
                self._add_missing_attributes(k, cluster)
        except SearchError:
            self.close()
            raise

    def _add_missing_attributes(self, k, cluster):
        """A shard made with an older layout gets the attributes added since (its rows are
        loaded again: their records' format is older)."""
        statements = layout.missing_attributes(self.rows(k, f"DESCRIBE {SHARD_INDEX}"))
        if statements is None:
            raise SearchError(f"{self.nodes[k].name}: its index has other full-text fields than this version "
                              f"writes; stop it, remove its folder under {cluster.data_dir} and load it again")
        for statement in statements:
            self.rows(k, statement.format(index=SHARD_INDEX))

    def close(self):
        for conn in self.conns:
            conn.close()

    def rows(self, k, sql, args=None):
        return rows(self.conns[k], self.nodes[k], sql, args)

    def records(self):
        """source → [(shard, Record)] of every dump record on every shard."""
        found = {}
        for k in range(len(self.nodes)):
            last = -1
            while True:
                page = self.rows(k, f"SELECT id, article FROM {SHARD_INDEX} WHERE kind_n = 0 AND id > %s "
                                    f"ORDER BY id ASC LIMIT {RECORD_PAGE} OPTION max_matches={RECORD_PAGE}", (last,))
                for doc_id, text in page:
                    record = documents.Record.from_json(text)
                    found.setdefault(record.source, []).append((k, record))
                if len(page) < RECORD_PAGE:
                    break
                last = page[-1][0]
        return found

    def replace_dump(self, k, source, article_rows, record):
        """In one transaction on shard k: the dump's old rows out, its new rows and record in."""
        conn, node = self.conns[k], self.nodes[k]
        low, high = sharding.id_range(source)
        with answering(node):
            with conn.cursor() as cur:
                cur.execute("BEGIN")
                try:
                    cur.execute(f"DELETE FROM {SHARD_INDEX} WHERE id BETWEEN {low} AND {high}")
                    # REPLACE: an INSERT of an id deleted in the same transaction is a duplicate.
                    for statement in _inserts(conn, [*article_rows, documents.record_row(record)], verb="REPLACE"):
                        cur.execute(statement)
                    if hook:
                        hook("commit", source)
                    cur.execute("COMMIT")
                except BaseException:
                    _rollback(cur)
                    raise
        if hook:
            hook("committed", source)

    def delete_dump(self, k, source):
        low, high = sharding.id_range(source)
        self.rows(k, f"DELETE FROM {SHARD_INDEX} WHERE id BETWEEN {low} AND {high}")

    def replace_record(self, k, record):
        conn = self.conns[k]
        for statement in _inserts(conn, [documents.record_row(record)], verb="REPLACE"):
            self.rows(k, statement)

    def count(self, kinds):
        """Documents of these kind_n values (0: dump records) on all shards."""
        where = "kind_n = 0" if kinds == "records" else "kind_n > 0"
        return sum(int(self.rows(k, f"SELECT COUNT(*) FROM {SHARD_INDEX} WHERE {where}")[0][0])
                   for k in range(len(self.nodes)))


def _rollback(cur):
    try:
        cur.execute("ROLLBACK")
    except Exception:
        pass                      # the connection is gone: searchd drops the transaction


def _inserts(conn, row_list, verb="INSERT"):
    """INSERT statements for rows (layout.COLUMNS order), each at most about BATCH_BYTES."""
    head = f"{verb} INTO {SHARD_INDEX} ({', '.join(layout.COLUMNS)}) VALUES "
    batch, size = [], 0
    for row in row_list:
        literal = "(" + ", ".join(_literal(conn, v) for v in row) + ")"
        if batch and size + len(literal) > BATCH_BYTES:
            yield head + ", ".join(batch)
            batch, size = [], 0
        batch.append(literal)
        size += len(literal)
    if batch:
        yield head + ", ".join(batch)


def _literal(conn, value):
    if isinstance(value, list):                 # a multi-value attribute
        return "(" + ", ".join(str(int(v)) for v in value) + ")"
    if isinstance(value, int):
        return str(value)
    return conn.escape(value)


# -- the update ------------------------------------------------------------------------------

def _update(dumps_dir, shards, rebuild, progress, workers, allow_mass_delete, name):
    n = len(shards.nodes)
    stats, problems = _scan(dumps_dir)
    known = shards.records()
    report = UpdateReport(skipped=list(problems), rebuilt=rebuild)
    fingerprint = data.fingerprint()
    todo, touched = [], []
    for source, (path, size, mtime) in stats.items():
        places = known.get(source)
        if not places:
            todo.append(source)
            continue
        owner = sharding.owner(source, n)
        record = next((r for k, r in places if k == owner), places[0][1])
        older = record.format != documents.FORMAT       # written by an older version: said as a rebuild
        report.rebuilt = report.rebuilt or older
        if rebuild or older or len(places) > 1 or places[0][0] != owner:
            todo.append(source)
        elif (record.size, record.mtime_ns) != (size, mtime):
            (touched if record.sha1 == _sha1_or_none(path) else todo).append(source)
    unreadable = [p.path.replace(os.sep, "/").rstrip("/") for p in problems]
    removed = sorted(s for s in set(known) - set(stats)
                     if not any(s == p or s.startswith(p + "/") for p in unreadable))
    refuse_mass_delete(name, dumps_dir, {s: places[0][1] for s, places in known.items()}, removed,
                       allow_mass_delete)
    for source in removed:
        for k, _ in known[source]:
            shards.delete_dump(k, source)
    for source in touched:
        (k, record), = known[source]
        record.size, record.mtime_ns = stats[source][1], stats[source][2]
        shards.replace_record(k, record)
    if progress:
        progress(0, total=len(todo))
    jobs = [(s, stats[s][0], dumps_dir) for s in todo]
    for source, article_rows, error, sha1 in _encoded(jobs, workers):
        if error:
            report.skipped.append(DumpError(source, error))      # a changed dump keeps its old articles
        else:
            places = known.get(source, [])
            if not places:
                report.added.append(source)
            elif any(r.sha1 != sha1 for _, r in places):
                report.updated.append(source)
            owner = sharding.owner(source, n)
            _, size, mtime = stats[source]
            record = documents.Record(source, size, mtime, sha1, len(article_rows),
                                      datetime.datetime.now().isoformat(timespec="seconds"), fingerprint,
                                      documents.FORMAT)
            shards.replace_dump(owner, source, article_rows, record)
            for k, _ in places:
                if k != owner:
                    shards.delete_dump(k, source)             # moved to its owner
        if progress:
            progress(1)
    report.removed = removed
    report.dumps = shards.count("records")
    report.articles = shards.count("articles")
    return report


def _encode(job):
    """Parse one dump and make its rows: (source, rows, error or None, sha1)."""
    source, articles, error, sha1 = _parse(job)
    return source, [documents.row(a) for a in articles], error, sha1


def _encoded(jobs, workers):
    """_encode of every job, in worker processes when there are several dumps: a few jobs
    ahead of the writes, so parsed rows never pile up in memory."""
    if workers <= 1 or len(jobs) < 8:
        for job in jobs:
            yield _encode(job)
        return
    context = multiprocessing.get_context("fork")
    pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)
    pending, queue = set(), iter(jobs)
    try:
        while True:
            for job in queue:
                pending.add(pool.submit(_encode, job))
                if len(pending) >= AHEAD * workers:
                    break
            if not pending:
                return
            done, pending = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in done:
                yield future.result()
    except concurrent.futures.process.BrokenProcessPool:
        raise SearchError("a parsing worker died; the dumps done so far are in the cluster, "
                          "run the update again for the rest") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _sha1_or_none(path):
    try:
        return file_sha1(path)
    except OSError:
        return None
