"""One update at a time per index: an flock beside the index folder, so a killed update
leaves no stale lock."""
import contextlib
import fcntl
import os

from ..errors import IndexLocked


@contextlib.contextmanager
def update_lock(index_dir, wait=True, on_wait=None):
    """Hold the index's update lock; wait for it (calling `on_wait(holder)` first), or with
    `wait` False raise IndexLocked naming the process that holds it."""
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
