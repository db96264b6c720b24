"""How long hostile queries take: the figures behind "any query gets an answer, fast".

    python -m bench.hostile [--examples 1000]

Builds the seed index in a temporary folder, then sends the hostile tests' generated
queries (tests/test_hostile.py's strategies: query syntax in odd places, unbalanced
quotes, 10,000-character strings…) and their fixed worst cases to the library
(`Searcher.search`), the `search` command (in-process) and `/api/search` and `/search`
(Flask's test client); prints the median, the 99th percentile and the slowest answer of
each, in milliseconds. The tests only bound a runaway; these are the times.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from urllib.parse import urlencode

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(call, times):
    started = time.perf_counter()
    call()
    times.append((time.perf_counter() - started) * 1000)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="generated queries per way in")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    from click.testing import CliRunner
    from hypothesis import HealthCheck, given, settings

    from bench.run import percentile
    from builders import build_index
    from search.cli import search_cmd
    from search.errors import SearchError
    from search.searching import Searcher
    from test_hostile import HOSTILE_QUERIES, queries
    from web import create_app

    with tempfile.TemporaryDirectory() as tmp:
        index_dir = os.path.join(tmp, "index")
        build_index(index_dir)
        client = create_app(index_dir, {"DUMPS_DIR": os.path.join(tmp, "none")}).test_client()
        runner = CliRunner()
        with Searcher(index_dir) as searcher:
            ways = {
                "library": lambda q: _answer(lambda: searcher.search(q), SearchError),
                "search command": lambda q: runner.invoke(search_cmd, ["--index", index_dir, "--json", "--", q]),
                "/api/search": lambda q: client.get("/api/search?" + urlencode({"q": q})),
                "/search": lambda q: client.get("/search?" + urlencode({"q": q})),
            }
            for name, way in ways.items():
                times = []
                for q in HOSTILE_QUERIES:
                    timed(lambda: way(q), times)

                @settings(max_examples=args.examples, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
                @given(q=queries)
                def generated(q):
                    timed(lambda: way(q), times)
                generated()
                print(f"{name:>15}: {len(times)} queries, median {statistics.median(times):.1f} ms, "
                      f"p99 {percentile(times, 99):.1f} ms, slowest {max(times):.1f} ms")
    return 0


def _answer(call, allowed):
    try:
        call()
    except allowed:
        pass


if __name__ == "__main__":
    sys.exit(main())
