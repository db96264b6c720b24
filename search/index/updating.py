"""Bringing the index in line with the dumps folder: new dumps added, changed ones
re-parsed, removed ones dropped; a full build when there is no index or its schema changed.

Dump records (search.store.records) live in the same index as the articles, so the list
of dumps and their articles change in one Whoosh commit: an update that crashes or is
interrupted leaves the previous commit whole and searchable. A full build writes its
segments beside the old index and replaces it in one commit too (writing.publish); the
folder is never moved, so it may be a mount point. What a failed or killed update wrote is
removed (search.index.recovery). An update that would take away more than half of the
articles (a dumps folder that is suddenly empty: a mount gone) is refused unless told.

    report = update("seeds", "index")        # adds new, re-parses changed, drops removed
    print(report.summary())                  # 5 added, 0 updated, 0 removed
"""
import datetime
import errno
import os
import time
from dataclasses import dataclass, field
from typing import List

from .. import data, store
from ..errors import DumpError, NoIndex, SearchError, naming
from ..ingest import dumps
from ..store import folder
from ..store.records import DumpRecord, dump_records, meta_document, record_count
from . import faults, merging, recovery, writing
from .locking import update_lock
from .workers import file_sha1, index_dumps


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


def build_if_missing(index_dir, dumps_dir, announce, named=False, **options):
    """The first-use policy of `search` and `search-web`: an index missing where nobody named
    one (./index, or env NEWS_INDEX_DIR) is built from the dumps folder, once, after
    `announce(message)`; returns the UpdateReport, or None if there was an index.

    An index folder named on the command line (`named`: --index) is never built, so that a
    typo cannot get an index of its own: one that does not exist is a SearchError naming
    it, an empty one a NoIndex error saying how to build it. So is no dumps folder."""
    if store.exists(index_dir):
        return None
    if named:
        if not os.path.exists(index_dir):
            raise SearchError(f"{index_dir}: no such index folder (--index is never built on first use); build it "
                              f"with `{NoIndex(index_dir, dumps_dir).command}`", parameter="index")
        raise NoIndex(index_dir, dumps_dir)
    if not os.path.isdir(dumps_dir):
        raise NoIndex(index_dir, dumps_dir, f"{index_dir}: no index there yet, and no dumps folder {dumps_dir} "
                                            f"to build one from; run `search-index update DUMPS_DIR --index {index_dir}`")
    announce(f"no index yet: building {index_dir} from {dumps_dir} (once)…")
    return update(dumps_dir, index_dir, **options)


def update(dumps_dir, index_dir, rebuild=False, progress=None, wait=True, on_wait=None, workers=None,
           allow_mass_delete=False):
    """Bring the index in line with the dumps folder; see the module docstring.

    `progress(n, total=None)`: told the number of dumps to parse, then each one done;
    `wait`: for another update of the same index to end (else IndexLocked), calling
    `on_wait(holder)` first; `workers`: processes that parse and index in parallel
    (default: the CPU count, at most 4); `allow_mass_delete`: remove the articles of the
    dumps gone however many they are.
    """
    workers = workers or min(4, os.cpu_count() or 1)
    if not os.path.isdir(dumps_dir):
        raise SearchError(f"{dumps_dir}: no such dumps folder")
    start = time.monotonic()
    faults.begin()
    with naming(index_dir):
        recovery.check_target(dumps_dir, index_dir)
        with update_lock(index_dir, wait=wait, on_wait=on_wait):
            recovery.clean(index_dir)              # what a killed update left
            try:
                if rebuild or not store.exists(index_dir) or store.outdated(store.open_index(index_dir)):
                    report = _build(dumps_dir, index_dir, progress, workers, allow_mass_delete)
                else:
                    report = _update(dumps_dir, index_dir, progress, workers, allow_mass_delete)
            except BaseException as e:
                recovery.clean(index_dir)          # what this one wrote: a full disk gets its space back
                if isinstance(e, OSError) and e.errno == errno.ENOSPC:
                    raise SearchError(f"{index_dir}: no space left on the device; the update changed nothing and its "
                                      "files are removed: free some space and run it again") from e
                raise
            faults.reach("committed")
    report.seconds = time.monotonic() - start
    return report


def _scan(dumps_dir):
    """(source → (path, size, mtime) of every dump found, DumpErrors of the unreadable)."""
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


def refuse_mass_delete(index_dir, dumps_dir, known, removed, allowed):
    """A SearchError if the dumps gone hold more than half of the articles (`known`: the
    record of each dump indexed); `index_dir` names the index (or cluster) in it."""
    total = sum(r.articles for r in known.values())
    lost = sum(known[s].articles for s in removed)
    if lost * 2 > total and not allowed:
        raise SearchError(f"{index_dir}: refusing to remove {lost} of {total} articles: {len(removed)} of "
                          f"{len(known)} dumps are gone from {dumps_dir} (a folder not mounted?); if they are meant "
                          "to go, run again with --allow-mass-delete")


def _index(index_dir, jobs, stats, known, report, progress, workers):
    """Parse and index `jobs` into new segments (see workers.index_dumps); returns them and
    the new record of every dump that was read (a dump that could not be read keeps its
    old articles and record)."""
    records = []

    def done(source, count, error, sha1):
        if error:
            report.skipped.append(DumpError(source, error))
        else:
            if source not in known:
                report.added.append(source)
            elif known[source].sha1 != sha1:
                report.updated.append(source)
            _, size, mtime = stats[source]
            now = datetime.datetime.now().isoformat(timespec="seconds")
            records.append(DumpRecord(source, size, mtime, sha1, count, now))
        if progress:
            progress(1)

    return index_dumps(index_dir, jobs, done, workers), records


def _build(dumps_dir, index_dir, progress, workers, allow_mass_delete):
    """A complete index from scratch, written beside the old one (if any) and committed in
    its place."""
    stats, problems = _scan(dumps_dir)
    old = _readable_records(index_dir)
    report = UpdateReport(skipped=list(problems), rebuilt=old is not None)
    old = old or {}
    report.removed = sorted(set(old) - set(stats))
    refuse_mass_delete(index_dir, dumps_dir, old, report.removed, allow_mass_delete)
    jobs = [(s, path, dumps_dir) for s, (path, _, _) in stats.items()]
    if progress:
        progress(0, total=len(jobs))
    segments, records = _index(index_dir, jobs, stats, old, report, progress, workers)
    target = folder.target(index_dir, store.whoosh_schema())
    builder = writing.SegmentBuilder(target)
    for record in records:
        builder.add_document(**record.to_document())
    builder.add_document(**meta_document(store.SCHEMA_VERSION, data.fingerprint()))
    segments += builder.finish()
    faults.reach("before-commit")
    writing.publish(target, segments)
    faults.reach("toc-written")
    recovery.clean(index_dir)                      # the old commit's files
    _count(store.open_index(index_dir), report)
    return report


def _readable_records(index_dir):
    """The dump records of the index in the folder; None if there is none, or none that can
    be read (a rebuild replaces a damaged index)."""
    try:
        if not store.exists(index_dir):
            return None
        with store.open_index(index_dir).searcher() as s:
            return dump_records(s)
    except SearchError:
        return None


def _update(dumps_dir, index_dir, progress, workers, allow_mass_delete):
    ix = store.open_index(index_dir)
    stats, problems = _scan(dumps_dir)
    report = UpdateReport(skipped=list(problems))
    with ix.searcher() as s:
        known = dump_records(s)
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
    refuse_mass_delete(index_dir, dumps_dir, known, removed, allow_mass_delete)
    if not todo and not removed and not touched:
        _count(ix, report)
        return report
    if progress:
        progress(0, total=len(todo))
    jobs = [(s, stats[s][0], dumps_dir) for s in todo]
    segments, records = _index(index_dir, jobs, stats, known, report, progress, workers)
    reparsed = [r.source for r in records if r.source in known]
    for source in touched:
        rec = known[source]
        rec.size, rec.mtime_ns = stats[source][1], stats[source][2]
        records.append(rec)
    target = folder.target(index_dir, ix.schema)
    builder = writing.SegmentBuilder(target)           # new records: a segment, as the articles
    for record in records:
        builder.add_document(**record.to_document())
    segments += builder.finish()
    # The writer only now, and only to delete: worker processes forked earlier do not
    # share its lock file, and every document it commits is in an adopted segment.
    w = ix.writer(compound=False)
    try:
        for source in removed + reparsed:
            w.delete_by_term("source", source)             # its articles and record
        for source in touched:
            w.delete_by_term("id", known[source].to_document()["id"])     # only its record
        faults.reach("before-commit")
        w.commit(mergetype=writing.adopting(segments, merging.merging(target)))
    except BaseException:
        w.cancel()
        raise
    report.removed = removed
    _count(ix, report)
    return report


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
