"""One update at a time per index: an flock on a file inside the index folder, so a killed
update leaves no stale lock.

An flock belongs to the open file, which forked children share: an index worker would
keep the lock after its parent was killed. So a forked child lets go of it at once
(os.register_at_fork): only the process that took the lock holds it, and it is free the
moment that process dies.
"""
import contextlib
import fcntl
import os

from ..errors import IndexLocked
from ..store.folder import LOCK_FILE

_held = set()               # descriptors of the locks this process holds


def update_lock(index_dir, wait=True, on_wait=None):
    """Hold the index's update lock (creating the folder if need be); wait for it (calling
    `on_wait(holder)` first), or with `wait` False raise IndexLocked naming the process
    that holds it."""
    os.makedirs(index_dir, exist_ok=True)
    return file_lock(os.path.join(index_dir, LOCK_FILE), index_dir, wait, on_wait)


def beside_lock(path, wait=True, on_wait=None):
    """The update lock of something that is a file, not a folder (a cluster's
    cluster.toml): `.NAME.lock` beside it; as update_lock otherwise."""
    lock_path = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.lock")
    return file_lock(lock_path, path, wait, on_wait)


@contextlib.contextmanager
def file_lock(lock_path, name, wait=True, on_wait=None):
    """Hold an flock on `lock_path`, written with our pid while held; errors name `name`."""
    with open(lock_path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            if not wait:
                raise IndexLocked(f"{name}: an update is already running ({holder}); try again when it ends")
            if on_wait:
                on_wait(holder)
            fcntl.flock(f, fcntl.LOCK_EX)
        owner = os.getpid()
        _held.add(f.fileno())
        f.seek(0)
        f.truncate()
        f.write(f"pid {owner}")
        f.flush()
        try:
            yield
        finally:
            if os.getpid() == owner:
                _held.discard(f.fileno())
                f.seek(0)
                f.truncate()
                fcntl.flock(f, fcntl.LOCK_UN)


def _let_go_in_child():
    """In a forked child: point the lock's descriptors at /dev/null, so that the child's
    copy no longer keeps the parent's lock alive (closing them would leave the file
    objects with a stale descriptor)."""
    if not _held:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for fd in _held:
        os.dup2(null, fd)
    os.close(null)
    _held.clear()


os.register_at_fork(after_in_child=_let_go_in_child)
