"""Parsing dumps and indexing their articles: in this process, or in worker processes.

Each worker parses dumps taken from a queue into segments of its own (search.index.writing)
and reports every dump back; the parent commits all the segments with its own changes in
one step. Fewer than PARALLEL_MIN dumps are done in the parent. A worker dies with its
parent (die_with_parent) and does not hold the update lock (search.index.locking).
"""
import ctypes
import gc
import hashlib
import multiprocessing
import os
import signal
from queue import Empty

from .. import schema, store
from ..errors import DumpError, SearchError
from ..store import folder
from . import faults, writing

PARALLEL_MIN = 8          # dumps: fewer are parsed in this process
PR_SET_PDEATHSIG = 1      # prctl option (linux/prctl.h)


def file_sha1(path):
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parse(job):
    """Parse one dump (source, path, dumps folder): (source, Articles, error or None, sha1)."""
    from ..ingest import parse_file
    source, path, root = job
    try:
        sha1 = file_sha1(path)
        return source, parse_file(path, root=root), None, sha1
    except DumpError as e:
        return source, [], e.reason, None
    except OSError as e:
        return source, [], e.strerror or str(e), None


def index_dumps(index_dir, jobs, done, workers):
    """Parse and index the dumps of `jobs` into new segments in `index_dir` (returned, for
    the commit to adopt), calling `done(source, article count, error or None, sha1)` for
    each dump, in this process, in the order they finish."""
    if workers <= 1 or len(jobs) < PARALLEL_MIN:
        builder = writing.SegmentBuilder(_target(index_dir))
        for job in jobs:
            source, articles, error, sha1 = _parse(job)
            done(source, len(articles), error, sha1)
            for a in articles:
                builder.add_document(**schema.document(a))
            faults.reach("parsed")
        return builder.finish()
    context = multiprocessing.get_context("fork")
    job_queue, results = context.Queue(), context.Queue()
    procs = [context.Process(target=_index_worker, daemon=True, args=(index_dir, job_queue, results, os.getpid()))
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
            elif isinstance(payload, OSError):
                raise payload           # a full disk, a folder gone: it names the file
            else:
                raise SearchError(f"an indexing worker failed: {payload}")
    finally:
        for proc in procs:
            if proc.is_alive() and finished < len(procs):
                proc.terminate()
            proc.join()
    return segments


def _target(index_dir):
    return folder.target(index_dir, store.whoosh_schema())


def _index_worker(index_dir, jobs, results, parent):
    """Worker process: parse dumps taken from `jobs` into segments of its own."""
    die_with_parent(parent)
    gc.disable()        # millions of short-lived objects and no cycles: collection is pure cost
    try:
        builder = writing.SegmentBuilder(_target(index_dir))
        for job in _jobs(jobs, parent):
            source, articles, error, sha1 = _parse(job)
            for a in articles:
                builder.add_document(**schema.document(a))
            results.put(("dump", (source, len(articles), error, sha1)))
            faults.reach("parsed")
        results.put(("segments", builder.finish()))
    except OSError as e:
        results.put(("failed", e))
    except BaseException as e:
        results.put(("failed", f"{type(e).__name__}: {e}"))


def die_with_parent(parent):
    """Have the kernel kill this process the moment its parent dies (Linux's
    PR_SET_PDEATHSIG): nobody would commit what an orphaned worker writes. Where that
    does not exist, the job loop notices within a second (`_jobs`)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:       # the parent died before we asked
        os._exit(1)


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
