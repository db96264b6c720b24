"""How fast dumps are cut into articles: items per second over the files of some folders.

    python -m bench.parse_speed DIR… [--repeat 5]

Parses every `.txt`/`.md` file of the folders (not their subfolders) in one process, as
`search-index parse` does, `--repeat` times; prints the best pass (the one least disturbed
by other work on the machine) and the median. Read and decode time is included. To compare
two versions of the parser, run each on the same folders, alternating, on a quiet machine.
"""
import argparse
import os
import statistics
import time

from search.ingest import parse_file


def files_of(folders):
    return sorted(os.path.join(d, name) for d in folders for name in os.listdir(d)
                  if name.endswith((".txt", ".md")) and os.path.isfile(os.path.join(d, name)))


def measure(paths, repeat):
    """(items, [seconds of each pass])."""
    items, times = 0, []
    for _ in range(repeat):
        started = time.perf_counter()
        items = sum(len(parse_file(path)) for path in paths)
        times.append(time.perf_counter() - started)
    return items, times


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.parse_speed", description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)
    paths = files_of(a.folders)
    measure(paths[:5], 1)               # load jieba, the data files and the dictionaries first
    items, times = measure(paths, a.repeat)
    print(f"{len(paths)} files, {items} items: best {items / min(times):.0f} items/s "
          f"({min(times):.2f} s), median {items / statistics.median(times):.0f} items/s")


if __name__ == "__main__":
    main()
