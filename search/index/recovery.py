"""Where an index folder may be written, and clearing away what a failed or killed update
wrote.

Every update, a full build too, writes new segments beside the index's files and commits
by writing one new table of contents (search.store.folder): killed or failed before that,
it has changed nothing but left files no commit names. `clean` removes them, before every
update and after a failed one, under the update lock: so a disk that filled up is given
its space back, and the index is always its last complete commit.
"""
import os
import shutil

from .. import store
from ..errors import IndexUnreadable, SearchError
from ..store import folder


def check_target(dumps_dir, index_dir):
    """Refuse an --index that would mix the index with something else: a file, the dumps
    folder, a folder of other files (a mistyped path to one's documents)."""
    if os.path.exists(index_dir) and not os.path.isdir(index_dir):
        raise SearchError(f"{index_dir}: is a file, not an index folder; choose another --index")
    if os.path.realpath(index_dir) == os.path.realpath(dumps_dir):
        raise SearchError(f"{index_dir}: is the dumps folder; the index needs a folder of its own")
    if os.path.isdir(index_dir) and not all(map(folder.is_index_file, os.listdir(index_dir))):
        raise SearchError(f"{index_dir}: holds files that are not an index; refusing to write an index "
                          "into it (choose an empty or new folder)")


def clean(index_dir):
    """Remove every index file the latest commit does not use (none, if there is no commit
    yet); leave a folder whose table of contents cannot be read as it is (a rebuild
    replaces it). Searchers still reading an older commit keep the files they have open."""
    if not os.path.isdir(index_dir):
        return
    try:
        with store.reading(index_dir):
            keep = folder.commit_files(index_dir) if store.exists(index_dir) else set()
    except IndexUnreadable:
        return
    for name in os.listdir(index_dir):
        if name in keep or name == folder.LOCK_FILE or not folder.is_index_file(name):
            continue
        path = os.path.join(index_dir, name)
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
