"""The exceptions the library raises for problems a user can fix: one family.

Every one is a SearchError whose message is complete and meant to be shown as is. The CLI
turns any of them into one line on stderr and an exit code (search.cli.reported), the web
app into a page or JSON with a status (web.errors): 400 for a bad parameter (`parameter`
names it), 404 for NotFound, 503 for NoIndex and IndexUnreadable. OS errors met while
reading or writing an index are raised as SearchErrors too (`from_os_error`), naming the file.
"""
import contextlib
import os


class SearchError(Exception):
    """A problem the user can fix. `parameter`: the search parameter at fault (city, from,
    page…), or None when the problem is not one parameter's. `code` says what kind of
    problem it is and `details` holds its values, so that a front end can say it in its
    own words (web.errors says it in Chinese): `not_a_date` with value '2022-13-45'."""
    code = "error"

    def __init__(self, message, parameter=None, code=None, **details):
        super().__init__(message)
        self.parameter = parameter
        self.code = code or self.code
        self.details = details


class DumpError(SearchError):
    """A dump that cannot be read: names the file and the reason."""
    code = "unreadable_dump"

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class NoIndex(SearchError):
    """There is no index in `index_dir`; `command` builds one."""
    code = "no_index"

    def __init__(self, index_dir, dumps_dir=None, message=None):
        self.index_dir, self.dumps_dir = index_dir, dumps_dir
        self.command = f"search-index update {dumps_dir or 'DUMPS_DIR'} --index {index_dir}"
        super().__init__(message or f"{index_dir}: no index there yet; build it with `{self.command}`")


class IndexUnreadable(SearchError):
    """An index folder whose files cannot be read as an index (damaged, or another format)."""
    code = "index_unreadable"

    def __init__(self, path, reason, message=None):
        super().__init__(message or f"{path}: unreadable index ({reason})", path=str(path), reason=reason)
        self.path = str(path)


class IndexLocked(SearchError):
    """Another update of the same index is running (and we were told not to wait)."""
    code = "index_locked"


class NotFound(SearchError):
    """Something asked for by name (an article id) is not in the index."""
    code = "not_found"


class Hidden(NotFound):
    """An article taken down with `search-index hide` (search.hidden): it is in the index,
    but no search, page or export shows it."""
    code = "hidden"

    def __init__(self, article_id, reason, hidden_at):
        super().__init__(f"{article_id}: hidden since {hidden_at}: {reason} (`search-index unhide {article_id}` "
                         f"shows it again)", id=article_id, reason=reason, hidden_at=hidden_at)


def from_os_error(error, path=None):
    """An OSError as a SearchError of one line naming its file (or `path`, if it names none)."""
    if error.filename is not None:
        where = os.fsdecode(error.filename)
        if error.filename2 is not None:
            where += " → " + os.fsdecode(error.filename2)
        return SearchError(f"{where}: {error.strerror or type(error).__name__}")
    reason = error.strerror or str(error) or type(error).__name__
    return SearchError(f"{path}: {reason}" if path else reason)


@contextlib.contextmanager
def naming(path):
    """OSErrors raised inside as SearchErrors naming their file (or `path`, if they name none)."""
    try:
        yield
    except OSError as e:
        raise from_os_error(e, path) from e
