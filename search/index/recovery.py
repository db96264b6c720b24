"""Where an index folder may be written, and what a killed update leaves behind.

A full build is written to `<index>.building` and swapped into place (the old index goes to
`<index>.old` for a moment); workers write segments in `*.tmp` folders inside the index.
Before every update (under the update lock) what a killed one left is cleared away or put
back, so the index is always the last complete commit.
"""
import os
import shutil

from .. import store
from ..errors import SearchError


def check_target(dumps_dir, index_dir):
    """Refuse an --index that would replace something that is not an index: a full build
    moves the index folder aside and deletes it, so it must be an index, empty or new."""
    if os.path.exists(index_dir) and not os.path.isdir(index_dir):
        raise SearchError(f"{index_dir}: is a file, not an index folder; choose another --index")
    if os.path.realpath(index_dir) == os.path.realpath(dumps_dir):
        raise SearchError(f"{index_dir}: is the dumps folder; the index needs a folder of its own")
    if os.path.isdir(index_dir) and not store.exists(index_dir) and _has_files(index_dir):
        raise SearchError(f"{index_dir}: holds files that are not an index; refusing to replace it "
                          "(choose an empty or new folder)")


def _has_files(folder):
    """Anything but a killed worker's leftovers (`*.tmp` folders) and lock files."""
    return any(not (name.endswith(".tmp") or name.endswith(".lock")) for name in os.listdir(folder))


def building_folder(index_dir):
    return f"{index_dir.rstrip(os.sep)}.building"


def recover(index_dir):
    """Undo what a killed rebuild left: a half-built index aside (removed), and the old
    index moved aside but the new one not yet in place (put back)."""
    shutil.rmtree(building_folder(index_dir), ignore_errors=True)
    old = f"{index_dir.rstrip(os.sep)}.old"
    if not store.exists(index_dir) and os.path.isdir(old) and store.exists(old):
        shutil.rmtree(index_dir, ignore_errors=True)
        os.rename(old, index_dir)


def swap(new, target):
    """Move the finished index into place; the old one goes only once the new one is there."""
    old = f"{target.rstrip(os.sep)}.old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(target):
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def remove_leftovers(index_dir):
    """Temporary folders of workers killed mid-update (we hold the update lock)."""
    for name in os.listdir(index_dir):
        if name.endswith(".tmp") and os.path.isdir(os.path.join(index_dir, name)):
            shutil.rmtree(os.path.join(index_dir, name), ignore_errors=True)
