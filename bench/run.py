"""The benchmark: corpus → parse → baselines and ours → a table and a JSON file.

    python -m bench.run --articles 10000 --only baselines
    python -m bench.run --articles 10000 --only ours      # adds ours to the same results file
    python -m bench.run --articles 10000 --only cluster   # the cluster engine, 1 and 3 shards
    python -m bench.run --tiny                            # CI: 300 articles, well under a minute

The corpus under bench/work/corpus-<N> is generated once and reused. Engines are measured
one after another, never side by side: on two cores a neighbour would be measured too.
Baselines index the parsed articles (parsing is timed on its own); ours builds from the
dumps, parsing included. Query latency: one warm-up pass over the mix (bench.queries), then
--rounds timed passes against an engine kept open, as a server would; p50/p95/p99 over
every timed query.
Results go to bench/out/results-<N>.json; sections run before on the same corpus are kept.
"""
import argparse
import datetime
import importlib
import importlib.util
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request

from search.ingest import parse_file

from . import cluster, corpus, fts5, naive, queries

TINY_ARTICLES = 300
CLUSTERS = tuple(f"cluster-{n}" for n in cluster.SHARDS)
BASELINES = {"naive": naive, "fts5": fts5}


# -- measuring ------------------------------------------------------------------------
def percentile(values, p):
    """Linear interpolation between closest ranks, as numpy's default."""
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def latency(search, mix, rounds):
    """Time `search(query)` over the mix: a warm-up pass, then `rounds` timed passes (ms)."""
    hits = {q["name"]: search(q)["total"] for q in mix}
    times = {q["name"]: [] for q in mix}
    for _ in range(rounds):
        for q in mix:
            started = time.perf_counter()
            search(q)
            times[q["name"]].append((time.perf_counter() - started) * 1000)
    every = [t for ts in times.values() for t in ts]
    figures = {f"p{p}_ms": round(percentile(every, p), 2) for p in (50, 95, 99)}
    return {**figures, "mean_ms": round(statistics.fmean(every), 2), "samples": len(every),
            "per_query": {name: {"median_ms": round(statistics.median(ts), 2), "hits": hits[name]}
                          for name, ts in times.items()}}


def parse_corpus(out):
    """Parse every dump once, timed; returns (article dicts, figures)."""
    dumps = os.path.join(out, "dumps")
    rows = list(corpus.expected(out))
    parse_file(os.path.join(dumps, rows[0][0]), root=dumps)     # loads dictionaries, untimed
    articles, pairs, size = [], [], 0
    started = time.perf_counter()
    for name, items in rows:
        parsed = [a.to_dict() for a in parse_file(os.path.join(dumps, name), root=dumps)]
        size += os.path.getsize(os.path.join(dumps, name))
        articles += parsed
        pairs.append((items, parsed))
    seconds = time.perf_counter() - started
    return articles, {"seconds": round(seconds, 2), "dumps": len(rows), "articles": len(articles),
                      "articles_per_s": round(len(articles) / seconds, 1),
                      "mb_per_s": round(size / 2**20 / seconds, 3),
                      "agreement": corpus.agreement(pairs)}


def baseline(name, articles, out, mix, rounds):
    module = BASELINES[name]
    path = os.path.join(out, {"naive": "naive-index", "fts5": "fts5.db"}[name])
    print(f"{name}: indexing {len(articles)} articles…", flush=True)
    built = module.build(articles, path)
    engine = module.Engine(path)
    print(f"{name}: querying…", flush=True)
    try:
        return {"index": built, "query": latency(engine.search, mix, rounds)}
    finally:
        engine.close()


# -- ours -----------------------------------------------------------------------------
# The project's own index is measured through bench/ours.py, written by its authors.
# It must provide:
#
#   build(dumps_dir, index_dir)           build the index of every dump under dumps_dir
#   open(index_dir) -> search             search(query dict of bench.queries) → {"total",
#                                         "hits": top 10 with highlights, "facets": counts of
#                                         city/topic/year over all matches}, as the baselines
#   search_argv(index_dir, text) -> argv  the command line of `search TEXT`
#   update_argv(dumps_dir, index_dir)     the command line that takes new dumps in
#   serve(index_dir) -> (popen, base_url) start the web server as a child process (its pid is
#                                         the server's own); base_url answers when it is ready
#   search_url(base_url, query) -> url    the results page of a query dict
#
# NEWS_INDEX_DIR and NEWS_DUMPS_DIR are set for every call and child process.
def ours_index(ours, dumps, index_dir, articles):
    """Build throughput from the dumps, parsing included, in the baselines' units: parsed
    items and megabytes of their title and body text per second; and the index size."""
    text = sum(len(((a["title"] or "") + a["body"]).encode("utf-8")) for a in articles)
    started = time.perf_counter()
    ours.build(dumps, index_dir)
    seconds = time.perf_counter() - started
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(index_dir) for f in fs)
    return {"seconds": round(seconds, 2), "articles_per_s": round(len(articles) / seconds, 1),
            "mb_per_s": round(text / 2**20 / seconds, 3), "index_mb": round(size / 2**20, 1)}


def ours_queries(ours, index_dir, mix, rounds):
    """Query latency, measured exactly as for the baselines."""
    return latency(ours.open(index_dir), mix, rounds)


def ours_cold_start(ours, index_dir):
    return cold_start(ours.search_argv(index_dir, "太忻"))


def cold_start(argv, runs=5):
    """Wall time of a command such as `search "太忻"` as a new process (files in the page
    cache). Exit code 1 (nothing found: a corpus of other articles) is an answer too."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        if subprocess.run(argv, stdout=subprocess.DEVNULL).returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(argv)} failed")
        times.append(time.perf_counter() - started)
    return {"first_s": round(times[0], 3), "median_s": round(statistics.median(times), 3)}


def ours_update(ours, dumps, index_dir, work):
    """Wall time of taking one new dump (5 articles, another seed) into the built index, as
    a user does: the dump lands in the dumps folder, `search-index update` runs. The dump is
    removed and the index updated again afterwards (untimed), leaving both as they were."""
    folder = os.path.join(work, "update-dump")
    corpus.generate(folder, 5, seed=corpus.SEED + 1)
    name, _ = next(corpus.expected(folder))
    path = os.path.join(dumps, name.replace(".txt", "_new.txt"))
    shutil.copy(os.path.join(folder, "dumps", name), path)
    try:
        started = time.perf_counter()
        subprocess.run(ours.update_argv(dumps, index_dir), stdout=subprocess.DEVNULL, check=True)
        seconds = time.perf_counter() - started
    finally:
        os.remove(path)
    subprocess.run(ours.update_argv(dumps, index_dir), stdout=subprocess.DEVNULL, check=True)
    return {"seconds": round(seconds, 3), "dump": os.path.basename(path)}


def ours_server_rss(ours, index_dir, mix, queries_sent=1000):
    """Peak resident memory (VmHWM) of the web server after `queries_sent` searches."""
    popen, base = ours.serve(index_dir)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base, timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or popen.poll() is not None:
                    raise RuntimeError(f"web server at {base} did not answer")
                time.sleep(0.2)
        started = time.perf_counter()
        for k in range(queries_sent):
            urllib.request.urlopen(ours.search_url(base, mix[k % len(mix)]), timeout=60).read()
        seconds = time.perf_counter() - started
        with open(f"/proc/{popen.pid}/status") as f:
            peak_kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
        return {"peak_rss_mb": round(peak_kb / 1024, 1), "queries": queries_sent,
                "mean_ms": round(seconds * 1000 / queries_sent, 2)}
    finally:
        popen.terminate()
        try:
            popen.wait(10)
        except subprocess.TimeoutExpired:
            popen.kill()


def run_ours(out, articles, mix, rounds):
    try:
        ours = importlib.import_module("bench.ours")
    except ModuleNotFoundError as e:
        if e.name != "bench.ours":
            raise
        sys.exit("bench/ours.py does not exist yet: see the ours section of bench/run.py")
    dumps, index_dir = os.path.join(out, "dumps"), os.path.join(out, "ours-index")
    os.environ.update(NEWS_INDEX_DIR=index_dir, NEWS_DUMPS_DIR=dumps)
    print("ours: indexing…", flush=True)
    result = {"index": ours_index(ours, dumps, index_dir, articles)}
    print("ours: querying…", flush=True)
    result["query"] = ours_queries(ours, index_dir, mix, rounds)
    result["cold_start"] = ours_cold_start(ours, index_dir)
    result["update"] = ours_update(ours, dumps, index_dir, out)
    result["server"] = ours_server_rss(ours, index_dir, mix)
    return result


# -- report ---------------------------------------------------------------------------
def table(results):
    c, p = results["corpus"], results["parse"]
    a = p["agreement"]
    share = lambda x: "n/a" if x is None else f"{x:.1%}"
    lines = [
        f"corpus  {c['articles']} articles (+{c['photos']} photos) in {c['dumps']} dumps, "
        f"{c['bytes'] / 2**20:.1f} MB, {c['bytes_per_article']} B/article, seed {c['seed']}",
        f"parse   {p['seconds']} s: {p['articles_per_s']} items/s, {p['mb_per_s']} MB/s; "
        f"{a['items_parsed']}/{a['items_expected']} items, dumps with the right count "
        f"{share(a['dumps_with_right_count'])}, main city {share(a['main_city'])}, topic {share(a['topic'])}",
        "",
        f"{'engine':10}{'build s':>9}{'art/s':>9}{'MB/s':>8}{'size MB':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
    ]
    engines = [e for e in ("naive", "fts5", "ours", *CLUSTERS) if "index" in results.get(e, {})]
    for e in engines:
        i, q = results[e]["index"], results[e]["query"]
        lines.append(f"{e:10}{i['seconds']:>9}{i['articles_per_s']:>9}{i['mb_per_s']:>8}{i['index_mb']:>9}"
                     f"{q['p50_ms']:>9}{q['p95_ms']:>9}{q['p99_ms']:>9}")
    lines += ["", f"{'query':14}" + "".join(f"{e + ' ms (hits)':>20}" for e in engines)]
    for q in results["mix"]:
        cells = [results[e]["query"]["per_query"][q["name"]] for e in engines]
        lines.append(f"{q['name']:14}" + "".join(f"{c['median_ms']:>11} ({c['hits']:>5})" for c in cells)
                     + f"   {q['q']}")
    if "cold_start" in results.get("ours", {}):
        o = results["ours"]
        lines.append(f"\nours: `search 太忻` new process {o['cold_start']['median_s']} s; update one dump "
                     f"{o['update']['seconds']} s; server peak RSS after {o['server']['queries']} queries "
                     f"{o['server']['peak_rss_mb']} MB")
    elif "skipped" in results.get("ours", {}):
        lines.append(f"\nours: skipped ({results['ours']['skipped']})")
    for name in CLUSTERS:
        if "skipped" in results.get(name, {}):
            lines.append(f"{name}: skipped ({results[name]['skipped']})")
        elif "cold_start" in results.get(name, {}):
            lines.append(f"{name}: `search 太忻 --cluster` new process {results[name]['cold_start']['median_s']} s")
    return "\n".join(lines)


def machine():
    import jieba
    import whoosh
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "whoosh": ".".join(map(str, whoosh.__version__)), "jieba": jieba.__version__,
            "platform": platform.platform()}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--tiny", action="store_true", help=f"{TINY_ARTICLES} articles, 3 rounds (CI)")
    ap.add_argument("--only", choices=("all", "baselines", "naive", "fts5", "ours", "cluster"), default="all")
    ap.add_argument("--rounds", type=int, default=5, help="timed passes over the query mix")
    ap.add_argument("--from-jsonl", metavar="FILE", help="real articles instead of generated ones")
    ap.add_argument("--work", default=os.path.join("bench", "work"))
    ap.add_argument("--out", default=os.path.join("bench", "out"))
    args = ap.parse_args(argv)
    n, rounds = (TINY_ARTICLES, 3) if args.tiny else (args.articles, args.rounds)

    if args.from_jsonl:
        label = f"{os.path.splitext(os.path.basename(args.from_jsonl))[0]}-{n}"
        out = os.path.join(args.work, f"corpus-{label}")
        os.makedirs(out, exist_ok=True)
        manifest = corpus.from_jsonl(args.from_jsonl, out, n)
    else:
        label, out = str(n), os.path.join(args.work, f"corpus-{n}")
        os.makedirs(out, exist_ok=True)
        manifest = corpus.ensure(out, n)
    print(f"corpus: {out} ({manifest['articles']} articles)", flush=True)
    articles, parsed = parse_corpus(out)
    mix = queries.build(articles)

    path = os.path.join(args.out, f"results-{label}.json")
    results = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            results = json.load(f)
        if results.get("corpus", {}).get("bytes") != manifest["bytes"] or results.get("mix") != mix:
            results = {}                     # another corpus: earlier sections do not compare
    results.update(articles=manifest["articles"], when=datetime.datetime.now().isoformat(timespec="seconds"),
                   machine=machine(), corpus=manifest, parse=parsed, mix=mix, rounds=rounds)

    wanted = {"all": ["naive", "fts5", "ours", *CLUSTERS], "baselines": ["naive", "fts5"],
              "cluster": list(CLUSTERS)}.get(args.only, [args.only])
    for name in wanted:
        if name in CLUSTERS:
            shards = int(name.split("-")[1])
            results[name] = ({"skipped": cluster.missing()} if cluster.missing()
                             else cluster.measure(out, articles, mix, rounds, shards, latency, cold_start))
        elif name != "ours":
            results[name] = baseline(name, articles, out, mix, rounds)
        elif args.only == "all" and importlib.util.find_spec("bench.ours") is None:
            results["ours"] = {"skipped": "bench/ours.py does not exist yet"}
        else:
            results["ours"] = run_ours(out, articles, mix, rounds)
        results[name]["when"] = datetime.datetime.now().isoformat(timespec="seconds")
        save(results, args.out, path)          # after each engine: a later failure keeps these
    print("\n" + table(results) + f"\n\nwritten to {path}")


def save(results, folder, path):
    os.makedirs(folder, exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    sys.exit(main())
