"""Articles taken down without editing their dump: the hidden list beside the index.

A court order, a correction or a privacy request takes an article out of every search,
page, export and the API (`search-index hide ID --reason TEXT`, `unhide ID`). The list is
a small tab-separated file next to the index folder (`index.hidden.tsv` beside `index/`),
so a rebuild, which replaces the index, keeps it; it is applied when searching (the ids
go to the engine with every request), so hiding needs no update of the index.

    id<TAB>hidden at<TAB>reason          (lines starting with # are comments)

Searches read it again whenever the file changes (its size, time or inode); writes go to
a temporary file renamed over it, under a lock, so a reader never sees half a list and
two `hide` commands never lose each other's lines.
"""
import contextlib
import datetime
import fcntl
import os
import tempfile
import threading
from dataclasses import dataclass

from .errors import IndexUnreadable, SearchError, naming

HEADER = "# articles taken down (search-index hide / unhide): id, hidden at, reason; tab-separated\n"


@dataclass(frozen=True)
class Entry:
    id: str
    hidden_at: str               # ISO time, to the second
    reason: str


class HiddenListUnreadable(IndexUnreadable):
    """A hidden list that cannot be read: nothing is shown rather than too much."""
    code = "hidden_list_unreadable"

    def __init__(self, path, reason):
        super().__init__(path, reason, message=f"{path}: {reason}")


class HiddenList:
    """The hidden list of one index (`path`: its file, which may not exist yet; None: an
    engine without one, where nothing is hidden)."""

    def __init__(self, path):
        self.path = path
        self._seen = None            # (inode, size, mtime) of the file last read
        self._entries = {}
        self._lock = threading.Lock()

    @classmethod
    def beside(cls, index_dir):
        """The hidden list of the index in `index_dir`: `<index_dir>.hidden.tsv`."""
        return cls(os.path.normpath(os.path.abspath(index_dir)) + ".hidden.tsv")

    def entries(self):
        """{id: Entry} of the hidden articles, read again if the file changed."""
        if self.path is None:
            return {}
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return {}
        except OSError as e:
            raise HiddenListUnreadable(self.path, e.strerror or str(e)) from e
        with self._lock:
            if self._seen != (st.st_ino, st.st_size, st.st_mtime_ns):
                self._entries = self._read()
                self._seen = (st.st_ino, st.st_size, st.st_mtime_ns)
            return self._entries

    def ids(self):
        return frozenset(self.entries())

    def get(self, article_id):
        """The Entry of a hidden article, else None."""
        return self.entries().get(article_id)

    def _read(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as e:
            raise HiddenListUnreadable(self.path, getattr(e, "strerror", None) or str(e)) from e
        found = {}
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3 or not parts[0].strip():
                raise HiddenListUnreadable(self.path, f"line {number}: not an id, a time and a reason separated "
                                                      f"by tabs")
            article_id, hidden_at, reason = (p.strip() for p in parts)
            found[article_id] = Entry(article_id, hidden_at, reason)
        return found

    # -- changes ---------------------------------------------------------------------------------
    def hide(self, article_id, reason):
        """Hide an article (again, with a new reason); returns its Entry."""
        reason = " ".join(str(reason).split())
        if not reason:
            raise SearchError("reason: say why the article is hidden (--reason TEXT)", parameter="reason",
                              code="missing_value")
        entry = Entry(article_id, datetime.datetime.now().isoformat(timespec="seconds"), reason)
        with self._changing() as entries:
            entries[article_id] = entry
        return entry

    def unhide(self, article_id):
        """Show a hidden article again; returns the Entry it had. SearchError if not hidden."""
        with self._changing() as entries:
            entry = entries.pop(article_id, None)
            if entry is None:
                raise SearchError(f"{article_id}: not hidden", parameter="id", code="not_hidden", id=article_id)
        return entry

    @contextlib.contextmanager
    def _changing(self):
        """The entries to change, written back (atomically) when the block ends."""
        folder = os.path.dirname(self.path)
        with naming(self.path), open(os.path.join(folder, "." + os.path.basename(self.path) + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            entries = dict(self._read())
            yield entries
            fd, temporary = tempfile.mkstemp(dir=folder, prefix=".hidden-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(HEADER)
                    for e in entries.values():
                        f.write(f"{e.id}\t{e.hidden_at}\t{e.reason}\n")
                    f.flush()
                    os.fsync(f.fileno())
                os.chmod(temporary, 0o644)
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
