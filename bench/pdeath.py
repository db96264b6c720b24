"""How soon an index worker dies once its parent update is killed.

    python -m bench.pdeath [--trials 20]

Each trial starts a parent process that takes an index's update lock and forks one index
worker (search.index.workers._index_worker), then SIGKILLs the parent and times the
worker's end (through a pidfd, so the end is seen the moment it happens):

* `pdeathsig`: the worker is busy with a dump that never ends; only the parent-death
  signal (PR_SET_PDEATHSIG, what updates use on Linux) can end it;
* `job-loop`: the signal switched off and the worker idle, waiting for a job; it checks
  its parent once a second (the fallback where the signal does not exist). A busy worker
  without the signal would work on until its dump is done.

Prints the median and the worst, in milliseconds. Linux only (prctl, pidfd_open).
"""
import argparse
import os
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time

PARENT = """
import multiprocessing, os, signal, sys
from search.index import locking, workers

index_dir, mode = sys.argv[1], sys.argv[2]
context = multiprocessing.get_context("fork")
jobs, results = context.Queue(), context.Queue()
if mode == "pdeathsig":
    workers._parse = lambda job: signal.pause()          # a dump that never ends
    jobs.put(("slow.txt", "slow.txt", "."))
else:
    workers.die_with_parent = lambda parent: None          # no signal: the job loop's own check
with locking.update_lock(index_dir):
    child = context.Process(target=workers._index_worker, args=(index_dir, jobs, results, os.getpid()))
    child.start()
    print(child.pid, flush=True)
    signal.pause()
"""
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def trial(index_dir, mode):
    """Seconds from the parent's SIGKILL to the worker's end."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT, index_dir, mode], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT, start_new_session=True)
    try:
        worker = int(parent.stdout.readline())
        pidfd = os.pidfd_open(worker)
        time.sleep(0.3)                            # let the worker reach its dump or its queue
        started = time.perf_counter()
        os.kill(parent.pid, signal.SIGKILL)
        ready, _, _ = select.select([pidfd], [], [], 30)
        ended = time.perf_counter()
        os.close(pidfd)
        if not ready:
            raise RuntimeError(f"{mode}: the worker outlived its parent by 30 s")
        return ended - started
    finally:
        try:
            os.killpg(parent.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        parent.wait()
        parent.stdout.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    args = parser.parse_args(argv)
    from tests.builders import build_index, copy_seeds      # a small real index for the worker to open
    with tempfile.TemporaryDirectory() as tmp:
        build_index(os.path.join(tmp, "index"), copy_seeds(os.path.join(tmp, "dumps"), prefixes={"000"}))
        for mode in ("pdeathsig", "job-loop"):
            times = [trial(os.path.join(tmp, "index"), mode) * 1000 for _ in range(args.trials)]
            print(f"{mode:>9}: the worker ended {statistics.median(times):.1f} ms after its parent's SIGKILL "
                  f"(median of {args.trials}; worst {max(times):.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
