"""Keep every core busy, to check that the tests pass on a loaded machine.

    python scripts/load_cores.py --seconds 3600 &     # one busy process per core
    for run in 1 2 3; do bash .ci/run || break; done   # CI three times in a row under load
    kill %1                                            # or let --seconds run out

Not part of `.ci/run`. Each worker spins on plain arithmetic at normal priority, competing for
the CPU as another engineer's build or test run would. Workers stop with the script: on
Ctrl-C, on `kill`, when --seconds run out, and if the script itself is killed with SIGKILL
(each worker checks for its parent twice a second).
"""
import argparse
import multiprocessing
import os
import signal
import sys
import time


def spin(parent):
    """Burn one core until the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    while os.getppid() == parent:
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            sum(i * i for i in range(1000))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python scripts/load_cores.py", description=__doc__.split("\n")[0])
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                    help="busy processes (default: one per core, %(default)s here)")
    ap.add_argument("--seconds", type=float, default=None, help="stop after this long (default: when stopped)")
    args = ap.parse_args(argv)
    if not 1 <= args.processes <= 256:
        ap.error("--processes: between 1 and 256")
    if args.seconds is not None and args.seconds <= 0:
        ap.error("--seconds: more than 0")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    workers = [multiprocessing.Process(target=spin, args=(os.getpid(),), daemon=True) for _ in range(args.processes)]
    for worker in workers:
        worker.start()
    until = f"for {args.seconds:g} s" if args.seconds else "until stopped"
    print(f"{args.processes} busy processes {until} (pid {os.getpid()}; Ctrl-C or kill {os.getpid()} stops them)",
          flush=True)
    try:
        if args.seconds:
            time.sleep(args.seconds)
        else:
            signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
