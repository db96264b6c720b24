"""The embedded engine: an index folder (search.store) searched in this process.

It keeps the latest commit open and notices new ones (an update that finished) on the
next call, so a long-running server shows new articles without a restart. Searches in
flight keep the commit they started with.
"""
import errno
import os
import threading
import time

from .. import schema, store
from ..article import KINDS
from ..engine import Engine, Found, FoundDoc, Status
from ..errors import NoIndex, from_os_error
from ..store.records import dump_records, meta
from .evaluate import Evaluator
from .hits import order
from .snapshot import Snapshot

OPEN_ATTEMPTS = 3           # a commit's files can vanish under a reader once an update cleans up


class EmbeddedEngine(Engine):
    """An open index folder; thread-safe; refreshes itself when the index gets a new commit."""

    def __init__(self, index_dir):
        self.index_dir = index_dir
        self._lock = threading.RLock()         # the current searcher, and every file read
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self._folder = _identity(index_dir)
                self._ix, self._searcher, self._snapshot = self._open_commit()
                break
            except OSError as e:
                if attempt == OPEN_ATTEMPTS - 1:
                    if not os.path.isdir(index_dir):
                        raise NoIndex(index_dir) from e
                    raise from_os_error(e, index_dir) from e
                time.sleep(0.05)   # an update committed and cleaned up while we read: again

    def _open_commit(self):
        """The latest commit with every file it needs opened now: Whoosh opens a segment's
        stored fields lazily, and by then a later commit may have deleted them."""
        ix = store.open_index(self.index_dir)
        with store.reading(self.index_dir):      # a damaged file: IndexUnreadable, not Whoosh's error
            searcher = ix.searcher()
            for reader, _ in searcher.reader().leaf_readers():
                if reader.doc_count_all():
                    try:
                        reader.stored_fields(0)
                    except TypeError:          # Whoosh's way of saying the column file is gone
                        searcher.close()
                        raise FileNotFoundError(errno.ENOENT, "a segment's stored fields vanished", self.index_dir)
            return ix, searcher, Snapshot(searcher.reader(), self._lock)

    def close(self):
        self._searcher.close()

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

    def search(self, request):
        searcher, snapshot = self._current()
        evaluator = Evaluator(snapshot)
        found = evaluator.run(request.tree) if request.tree is not None else evaluator.everything()
        found = found.where(snapshot.filter_mask(request.filters, request.hidden))
        found.scores = found.scores * snapshot.kind_weights(found.docs)
        by_date = request.sort != "relevance"
        page = order(found, snapshot.columns[schema.DATE.stored], request.sort, request.offset + request.limit)
        page = page[request.offset:]
        with self._lock:
            stored = [searcher.stored_fields(int(found.docs[i]))["article"] for i in page]
        docs = [FoundDoc(article, None if by_date else float(found.scores[i])) for article, i in zip(stored, page)]
        return Found(total=len(found.docs), docs=docs, facets=snapshot.facets(found.docs, request.facets))

    def words(self, prefix, limit):
        return self._current()[1].words(prefix, limit)

    def word_counts(self, candidates):
        return self._current()[1].word_counts(candidates)

    def article(self, article_id):
        searcher, _ = self._current()
        with self._lock:
            doc = searcher.document(id=str(article_id))
        if not doc or doc.get("kind") not in KINDS:
            return None
        return doc["article"]

    def dump_items(self, source):
        searcher, _ = self._current()
        with self._lock:
            return [d["article"] for d in searcher.documents(source=source) if d.get("kind") in KINDS]

    def dump_count(self):
        searcher, _ = self._current()
        with self._lock:
            return sum(1 for _ in searcher.document_numbers(kind="dump"))

    def status(self):
        searcher, _ = self._current()
        with self._lock:
            records, about = dump_records(searcher), meta(searcher)
        return Status(location=os.path.abspath(self.index_dir), dumps=len(records),
                      last_update=max((r.indexed_at for r in records.values()), default=None),
                      built_at=about.get("built_at"), data=about.get("data"),
                      size_bytes=sum(os.path.getsize(os.path.join(self.index_dir, f))
                                     for f in os.listdir(self.index_dir)))


def _identity(folder):
    st = os.stat(folder)
    return st.st_dev, st.st_ino
