"""Building and updating the embedded index from a dumps folder: the write side.

updating (update, the first-use policy) → workers (parse dumps, here or in worker
processes) → writing (segments in Whoosh's format, adopted in one commit) → merging (few
segments as updates accumulate), with locking (one update at a time), recovery (clearing
what a failed or killed update wrote) and faults (kills and full disks at named points,
for the tests). The documents written are search.schema's; the files are search.store's.
Reading never imports this package.

    from search import index
    report = index.update("seeds", "index")       # 5 added, 0 updated, 0 removed (…)
"""
from ..store import exists
from .locking import update_lock
from .updating import UpdateReport, build_if_missing, update

__all__ = ["UpdateReport", "build_if_missing", "exists", "update", "update_lock"]
