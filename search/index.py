"""The Whoosh index: schema, Article → document, and incremental updates.

Every dump also gets a small record document (kind `dump`: path, size, mtime, content
hash, article count), inside the same index, so that the list of dumps and their articles
change in one Whoosh commit: an update that crashes or is interrupted leaves the previous
commit (the previous index) whole and searchable. A full build is written to a sibling
folder and moved into place when it is complete.

    report = update("seeds", "index")        # adds new, re-parses changed, drops removed
    print(report.summary())                  # 5 added, 0 updated, 0 removed
"""
import contextlib
import datetime
import fcntl
import gc
import hashlib
import os
import shutil
import time
import multiprocessing
from queue import Empty
from dataclasses import dataclass, field
from typing import List

from whoosh import fields, index as whoosh_index
from whoosh.writing import MERGE_SMALL

from . import data, writing
from .ingest import dumps
from .article import KINDS
from .errors import DumpError, SearchError
from .fields import Grams, Words
from .ingest.places import CITIES
from .ingest.topics import TOPICS

SCHEMA_VERSION = 1
PARALLEL_MIN = 8          # dumps: fewer are parsed in this process
ARTICLE_KINDS = KINDS      # what the index holds besides dump records and its meta document


def schema():
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        source=fields.ID(stored=True),
        kind=fields.ID(stored=True),
        article=fields.STORED(),
        title_w=Words(), title_g=Grams(),
        body_w=Words(), body_g=Grams(),
        author=fields.KEYWORD(commas=True),
        city=fields.KEYWORD(commas=True),
        topic=fields.ID(),
        place=fields.KEYWORD(commas=True),
        date=fields.NUMERIC(int, bits=32, signed=False, sortable=True, default=0),
        city_mask=fields.NUMERIC(int, bits=32, signed=False, sortable=True, default=0),
        topic_n=fields.NUMERIC(int, bits=32, signed=False, sortable=True, default=0),
        kind_n=fields.NUMERIC(int, bits=32, signed=False, sortable=True, default=0),
        dump=fields.STORED(),
    )


def city_mask(cities):
    return sum(1 << CITIES.index(c) for c in set(cities) if c in CITIES)


def date_number(iso):
    """2022-09-05 → 20220905 (0 for no date): sortable, and year/month by division."""
    return int(iso.replace("-", "")) if iso else 0


def document(article):
    """The index document of an Article."""
    a = article
    headline = " ".join(p for p in (a.kicker, a.title, a.subtitle) if p)
    body = "\n".join([a.body, *a.captions])
    return dict(
        id=a.id, source=a.source, kind=a.kind, article=a.to_dict(),
        title_w=headline, title_g=headline, body_w=body, body_g=body,
        author=",".join(a.authors), city=",".join(a.cities), topic=a.topic,
        place=",".join(a.places), date=date_number(a.date),
        city_mask=city_mask(a.cities),
        topic_n=TOPICS.index(a.topic) + 1 if a.topic in TOPICS else 0,
        kind_n=ARTICLE_KINDS.index(a.kind) + 1,
    )


# -- dumps as the index sees them ------------------------------------------------------------

@dataclass
class DumpRecord:
    source: str
    size: int
    mtime_ns: int
    sha1: str
    articles: int
    indexed_at: str

    def to_document(self):
        return dict(id=f"dump:{self.source}", source=self.source, kind="dump", dump=self.__dict__.copy())


def file_sha1(path):
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parse(job):
    """Parse one dump: (source, Articles, error or None, sha1)."""
    from .ingest import parse_file
    source, path, root = job
    try:
        sha1 = file_sha1(path)
        return source, parse_file(path, root=root), None, sha1
    except DumpError as e:
        return source, [], e.reason, None
    except OSError as e:
        return source, [], e.strerror or str(e), None


# -- update ------------------------------------------------------------------------------------

@dataclass
class UpdateReport:
    added: List[str] = field(default_factory=list)
    updated: List[str] = field(default_factory=list)
    removed: List[str] = field(default_factory=list)
    skipped: List[DumpError] = field(default_factory=list)
    articles: int = 0            # articles in the index afterwards
    dumps: int = 0               # dumps in the index afterwards
    seconds: float = 0.0
    rebuilt: bool = False

    @property
    def changed(self):
        return bool(self.added or self.updated or self.removed)

    def summary(self):
        s = f"rebuilt from {self.dumps} dumps: " if self.rebuilt else ""
        s += f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed"
        if self.skipped:
            s += f", {len(self.skipped)} skipped"
        return s + f" ({self.articles} articles, {self.seconds:.1f} s)"


class IndexLocked(SearchError):
    pass


@contextlib.contextmanager
def update_lock(index_dir, wait=True, on_wait=None):
    """One update at a time per index. The lock is an flock, so a killed process frees it."""
    parent = os.path.dirname(os.path.abspath(index_dir)) or "."
    os.makedirs(parent, exist_ok=True)
    path = os.path.join(parent, f".{os.path.basename(os.path.abspath(index_dir))}.lock")
    with open(path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            if not wait:
                raise IndexLocked(f"{index_dir}: an update is already running ({holder}); try again when it ends")
            if on_wait:
                on_wait(holder)
            fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}")
        f.flush()
        try:
            yield
        finally:
            f.seek(0)
            f.truncate()
            fcntl.flock(f, fcntl.LOCK_UN)


def exists(index_dir):
    return whoosh_index.exists_in(index_dir)


def open_index(index_dir):
    if not exists(index_dir):
        raise SearchError(f"no index in {index_dir}: build it with `search-index update DUMPS_DIR --index {index_dir}`")
    return whoosh_index.open_dir(index_dir)


def dump_records(ix):
    """source → DumpRecord of every dump in the index."""
    with ix.searcher() as s:
        return {d["source"]: DumpRecord(**d["dump"])
                for d in s.documents(kind="dump")}


def _scan(dumps_dir):
    found, problems = dumps.find(dumps_dir)
    stats = {}
    for source in found:
        path = os.path.join(dumps_dir, source)
        try:
            st = os.stat(path)
        except OSError as e:
            problems.append(DumpError(source, e.strerror or str(e)))
            continue
        stats[source] = (path, st.st_size, st.st_mtime_ns)
    return stats, problems


def update(dumps_dir, index_dir, rebuild=False, progress=None, wait=True, on_wait=None, workers=None):
    """Bring the index in line with the dumps folder; see the module docstring.

    `workers`: processes that parse and index in parallel (default: the CPU count, at most 4).
    """
    workers = workers or min(4, os.cpu_count() or 1)
    if not os.path.isdir(dumps_dir):
        raise SearchError(f"{dumps_dir}: no such dumps folder")
    _check_target(dumps_dir, index_dir)
    start = time.monotonic()
    with update_lock(index_dir, wait=wait, on_wait=on_wait):
        _recover(index_dir)
        if rebuild or not exists(index_dir) or _outdated(index_dir):
            report = _build(dumps_dir, index_dir, progress, workers)
        else:
            report = _update(dumps_dir, index_dir, progress, workers)
    report.seconds = time.monotonic() - start
    return report


def _check_target(dumps_dir, index_dir):
    """Refuse an --index that would replace something that is not an index: a full build
    moves the index folder aside and deletes it, so it must be an index, empty or new."""
    if os.path.exists(index_dir) and not os.path.isdir(index_dir):
        raise SearchError(f"{index_dir}: is a file, not an index folder; choose another --index")
    if os.path.realpath(index_dir) == os.path.realpath(dumps_dir):
        raise SearchError(f"{index_dir}: is the dumps folder; the index needs a folder of its own")
    if os.path.isdir(index_dir) and not exists(index_dir) and _has_files(index_dir):
        raise SearchError(f"{index_dir}: holds files that are not an index; refusing to replace it "
                          "(choose an empty or new folder)")


def _has_files(folder):
    """Anything but a killed worker's leftovers (`*.tmp` folders) and lock files."""
    return any(not (name.endswith(".tmp") or name.endswith(".lock")) for name in os.listdir(folder))


def _outdated(index_dir):
    ix = whoosh_index.open_dir(index_dir)
    return ix.schema.names() != schema().names() or _meta(ix).get("schema") != SCHEMA_VERSION


def _meta(ix):
    with ix.searcher() as s:
        doc = s.document(id="meta:index")
        return doc["dump"] if doc else {}


def _meta_document():
    return dict(id="meta:index", kind="meta", source="", dump={
        "schema": SCHEMA_VERSION, "data": data.fingerprint(),
        "built_at": datetime.datetime.now().isoformat(timespec="seconds")})


def _record(writer, source, stats, sha1, articles):
    _, size, mtime = stats[source]
    now = datetime.datetime.now().isoformat(timespec="seconds")
    writer.add_document(**DumpRecord(source, size, mtime, sha1, articles, now).to_document())


def _index_worker(index_dir, jobs, results, parent):
    """Worker process: parse dumps taken from `jobs` into segments of its own."""
    gc.disable()        # millions of short-lived objects and no cycles: collection is pure cost
    try:
        builder = writing.SegmentBuilder(whoosh_index.open_dir(index_dir))
        for job in _jobs(jobs, parent):
            source, articles, error, sha1 = _parse(job)
            for a in articles:
                builder.add_document(**document(a))
            results.put(("dump", (source, len(articles), error, sha1)))
        results.put(("segments", builder.finish()))
    except BaseException as e:
        results.put(("failed", f"{type(e).__name__}: {e}"))


def _jobs(queue, parent):
    """Jobs until the parent's None; if the parent update was killed, stop at once."""
    while True:
        try:
            job = queue.get(timeout=1)
        except Empty:
            if os.getppid() != parent:
                os._exit(1)              # nobody will commit what we write
            continue
        if job is None:
            return
        yield job


def _index_dumps(ix, w, jobs, stats, known, report, progress, workers):
    """Parse and index dumps: in this process into `w`, or in worker processes that each
    write a segment (returned, for the commit to adopt). Dump records and deletions of the
    old articles of changed dumps always go through `w`, so they commit together."""

    def done(source, count, error, sha1):
        if error:
            report.skipped.append(DumpError(source, error))   # a changed dump keeps its old articles
        else:
            if source not in known:
                report.added.append(source)
            else:
                if known[source].sha1 != sha1:
                    report.updated.append(source)
                w.delete_by_term("source", source)     # its old articles and record
            _record(w, source, stats, sha1, count)
        if progress:
            progress(1)

    if workers <= 1 or len(jobs) < PARALLEL_MIN:
        builder = writing.SegmentBuilder(ix)
        for job in jobs:
            source, articles, error, sha1 = _parse(job)
            done(source, len(articles), error, sha1)
            for a in articles:
                builder.add_document(**document(a))
        return builder.finish()
    context = multiprocessing.get_context("fork")
    job_queue, results = context.Queue(), context.Queue()
    procs = [context.Process(target=_index_worker, daemon=True,
                             args=(ix.storage.folder, job_queue, results, os.getpid()))
             for _ in range(workers)]
    for proc in procs:
        proc.start()
    for job in jobs:
        job_queue.put(job)
    for _ in procs:
        job_queue.put(None)
    segments, finished = [], 0
    try:
        while finished < len(procs):
            try:
                kind, payload = results.get(timeout=1)
            except Empty:
                dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
                if dead:        # killed (out of memory?) or crashed without a word
                    how = f"killed by signal {-dead[0]}" if dead[0] < 0 else f"exit code {dead[0]}"
                    raise SearchError(f"an indexing worker died ({how}); the index is unchanged")
                continue
            if kind == "dump":
                done(*payload)
            elif kind == "segments":
                segments += payload
                finished += 1
            else:
                raise SearchError(f"an indexing worker failed: {payload}")
    finally:
        for proc in procs:
            if proc.is_alive() and finished < len(procs):
                proc.terminate()
            proc.join()
    return segments


def _commit(w, segments, merge_small):
    """One atomic commit: the writer's own documents and deletions, and the workers' segments."""
    w.commit(mergetype=writing.adopting(segments, MERGE_SMALL if merge_small else None))


def _build(dumps_dir, index_dir, progress, workers):
    """A complete index from scratch, written aside and moved into place."""
    stats, problems = _scan(dumps_dir)
    report = UpdateReport(skipped=list(problems), rebuilt=exists(index_dir))
    old = dump_records(whoosh_index.open_dir(index_dir)) if exists(index_dir) else {}
    tmp = f"{index_dir.rstrip(os.sep)}.building"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    try:
        ix = whoosh_index.create_in(tmp, schema())
        jobs = [(s, path, dumps_dir) for s, (path, _, _) in stats.items()]
        if progress:
            progress(0, total=len(jobs))
        w = ix.writer(compound=False)
        try:
            segments = _index_dumps(ix, w, jobs, stats, old, report, progress, workers)
            w.add_document(**_meta_document())
            _commit(w, segments, merge_small=False)
        except BaseException:
            w.cancel()
            raise
        report.removed = sorted(set(old) - set(stats))
        _count(ix, report)
        _swap(tmp, index_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return report


def _recover(index_dir):
    """Undo what a killed rebuild left: a half-built index aside (removed), and the old
    index moved aside but the new one not yet in place (put back)."""
    shutil.rmtree(f"{index_dir.rstrip(os.sep)}.building", ignore_errors=True)
    old = f"{index_dir.rstrip(os.sep)}.old"
    if not exists(index_dir) and os.path.isdir(old) and exists(old):
        shutil.rmtree(index_dir, ignore_errors=True)
        os.rename(old, index_dir)


def _swap(new, target):
    """Move the finished index into place; the old one goes only once the new one is there."""
    old = f"{target.rstrip(os.sep)}.old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(target):
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _update(dumps_dir, index_dir, progress, workers):
    _remove_leftovers(index_dir)
    ix = whoosh_index.open_dir(index_dir)
    stats, problems = _scan(dumps_dir)
    report = UpdateReport(skipped=list(problems))
    known = dump_records(ix)
    todo, touched = [], []
    for source, (path, size, mtime) in stats.items():
        if source not in known:
            todo.append(source)
        elif (known[source].size, known[source].mtime_ns) != (size, mtime):
            # Same content with a new mtime needs only its record updated.
            (touched if known[source].sha1 == _sha1_or_none(path) else todo).append(source)
    unreadable = [p.path.replace(os.sep, "/").rstrip("/") for p in problems]
    removed = sorted(s for s in set(known) - set(stats)          # gone, not merely unreadable now
                     if not any(s == p or s.startswith(p + "/") for p in unreadable))
    if not todo and not removed and not touched:
        _count(ix, report)
        return report
    if progress:
        progress(0, total=len(todo))
    w = ix.writer(compound=False)
    try:
        for source in removed:
            w.delete_by_term("source", source)
        for source in touched:
            rec = known[source]
            rec.size, rec.mtime_ns = stats[source][1], stats[source][2]
            w.update_document(**rec.to_document())
        jobs = [(s, stats[s][0], dumps_dir) for s in todo]
        segments = _index_dumps(ix, w, jobs, stats, known, report, progress, workers)
        _commit(w, segments, merge_small=True)
    except BaseException:
        w.cancel()
        raise
    report.removed = removed
    _count(ix, report)
    return report


def _remove_leftovers(index_dir):
    """Temporary folders of workers killed mid-update (we hold the update lock)."""
    for name in os.listdir(index_dir):
        if name.endswith(".tmp") and os.path.isdir(os.path.join(index_dir, name)):
            shutil.rmtree(os.path.join(index_dir, name), ignore_errors=True)


def _sha1_or_none(path):
    try:
        return file_sha1(path)
    except OSError:
        return None


def _count(ix, report):
    """Live articles and dumps (term frequencies would still count deleted documents)."""
    with ix.searcher() as s:
        report.dumps = sum(1 for _ in s.document_numbers(kind="dump"))
        report.articles = s.doc_count() - record_count(s)


def record_count(searcher):
    """Live dump and meta records: documents that are not articles."""
    return sum(1 for kind in ("dump", "meta") for _ in searcher.document_numbers(kind=kind))


def stats(index_dir):
    """What the index holds: counts of articles and dumps, per facet, and when it changed."""
    from .searching import Searcher
    ix = open_index(index_dir)
    records = dump_records(ix)
    meta = _meta(ix)
    with Searcher(index_dir) as s:
        everything = s.search("", per_page=1)
    last = max((r.indexed_at for r in records.values()), default=None)
    return {
        "index": os.path.abspath(index_dir),
        "articles": everything.total,
        "dumps": len(records),
        "kinds": everything.facets.get("kind", {}),
        "facets": {k: v for k, v in everything.facets.items() if k != "kind"},
        "last_update": last,
        "built_at": meta.get("built_at"),
        "dictionary_changed": meta.get("data") not in (None, data.fingerprint()),
        "size_mb": round(sum(os.path.getsize(os.path.join(index_dir, f))
                             for f in os.listdir(index_dir)) / 2**20, 2),
    }
