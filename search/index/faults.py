"""Fault injection, for the tests: an update that dies or fails at a point its code reaches.

A killed or failed update must leave the old index or the new one, whatever it was doing.
Killing a process after a delay tests whatever moment the delay happens to hit on that
machine; naming the moment tests it on every machine. So the write side calls
`reach("point")` at its moments, and the environment variable

    NEWS_TEST_FAULT=POINT:ACTION[:N]

makes the N-th arrival (default the first) of any one process of an update at POINT do
ACTION:

* `kill`: SIGKILL the update's main process (from a worker: its parent, so the worker
  is orphaned, as when an operator kills the command);
* `killall`: SIGKILL the update's whole process group;
* `enospc`: raise OSError(ENOSPC), as a full disk would.

POINTS lists the moments. Unset (always, outside the tests), `reach` is one dict lookup.
"""
import errno
import os
import signal

from ..errors import SearchError

VARIABLE = "NEWS_TEST_FAULT"
POINTS = {
    "parsed": "a dump parsed and its articles added to a segment (in a worker, or the main process)",
    "segment-written": "a new segment's files complete on disk, not yet in any commit",
    "merged": "small segments merged into a new one, not yet in any commit",
    "before-commit": "every new segment written; the table of contents not yet",
    "toc-written": "a full build's table of contents in place; the old commit's files not yet removed",
    "committed": "the update committed and cleaned up; the lock not yet released",
}
ACTIONS = ("kill", "killall", "enospc")
MAIN = os.getpid()          # the process that imported the write side: workers are forked from it
_arrivals = {}


def begin():
    """A new update: arrivals are counted from here (worker processes fork later)."""
    _arrivals.clear()


def reach(point):
    """Called by the write side at `point`; does the fault NEWS_TEST_FAULT names for it."""
    wanted = os.environ.get(VARIABLE)
    if not wanted:
        return
    name, action, nth = parse(wanted)
    if name != point:
        return
    _arrivals[point] = _arrivals.get(point, 0) + 1
    if _arrivals[point] != nth:
        return
    if action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f"(fault injected at {point})")
    if action == "killall":
        os.killpg(os.getpgid(0), signal.SIGKILL)
    os.kill(MAIN, signal.SIGKILL)


def parse(text):
    """`point:action[:n]` → (point, action, n); a SearchError for anything else."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or parts[0] not in POINTS or parts[1] not in ACTIONS \
            or (len(parts) == 3 and not parts[2].isdigit()):
        raise SearchError(f"{VARIABLE}: {text!r} is not POINT:ACTION[:N] with a point of {', '.join(POINTS)} "
                          f"and an action of {', '.join(ACTIONS)}")
    return parts[0], parts[1], int(parts[2]) if len(parts) == 3 else 1

