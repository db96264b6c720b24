"""Ranking quality on judged queries: nDCG@10 and MRR over bench/judgements.json.

    python -m bench.relevance                  # the figures, and the worst queries
    python -m bench.relevance --floor 0.90     # exit 1 if nDCG@10 is under the floor (CI)
    python -m bench.relevance --verbose        # every query: its figures and top results

The judgements name items by their dump and a piece of their title (or body), graded 3
(about the query), 2 (discusses it), 1 (mentions it); they were written before ranking was
tuned. The index is built from the seed dumps and the layout fixtures (tests/data/layouts/,
when present) in a temporary folder, unless --index names one already built from them.
`--cluster FILE` ranks on a cluster instead (search.cluster), loaded with the same dumps
first: give it a cluster of its own, as the load removes any other dump it holds.

nDCG@10: the gains 2^grade − 1 of the top 10, discounted by log2(rank + 1), divided by the
best possible order's; MRR: 1 / the rank of the first relevant item (0 if none in the top
10). Both are averaged over the queries.
"""
import argparse
import json
import math
import os
import shutil
import sys
import tempfile

from search import index
from search.ingest import parse_file
from search.searching import Searcher

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
JUDGEMENTS = os.path.join(HERE, "judgements.json")
DUMP_FOLDERS = (os.path.join(ROOT, "seeds"), os.path.join(ROOT, "tests", "data", "layouts"))
TOP = 10


def dumps():
    """name (the path under its folder) → (folder, path) of every dump the judgements may
    name: the seeds, then the layout fixtures (their gold files and notes left out)."""
    found = {}
    for folder in DUMP_FOLDERS:
        for here, _, files in sorted(os.walk(folder)):
            for name in sorted(files):
                if not name.endswith((".json", "README.md")):
                    path = os.path.join(here, name)
                    found.setdefault(os.path.relpath(path, folder), (folder, path))
    return found


def resolve(items, available):
    """Judged item key → article id: the one item of the named dump whose title (else
    body) holds the anchor. A ValueError names an anchor that finds no item or several."""
    ids, parsed = {}, {}
    for key, (dump, anchor) in items.items():
        names = [n for n in available if n.startswith(dump)]
        if len(names) != 1:
            raise ValueError(f"{JUDGEMENTS}: {key}: {len(names)} dumps named {dump}*")
        name = names[0]
        if name not in parsed:
            folder, path = available[name]
            parsed[name] = parse_file(path, root=folder)
        matches = [a for a in parsed[name] if anchor in (a.title or "")] or \
                  [a for a in parsed[name] if anchor in a.body]
        if len(matches) != 1:
            raise ValueError(f"{JUDGEMENTS}: {key}: {len(matches)} items of {name} hold {anchor!r}")
        ids[key] = matches[0].id
    return ids


def ndcg(ranked, grades, top=TOP):
    gains = [2 ** grades.get(i, 0) - 1 for i in ranked[:top]]
    ideal = sorted((2 ** g - 1 for g in grades.values()), reverse=True)[:top]
    dcg = sum(g / math.log2(r + 2) for r, g in enumerate(gains))
    best = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / best if best else 0.0


def reciprocal_rank(ranked, grades, top=TOP):
    return next((1 / (r + 1) for r, i in enumerate(ranked[:top]) if grades.get(i, 0) > 0), 0.0)


def evaluate(searcher, judgements):
    """[(query, nDCG@10, RR, ranked ids, grades by id)] for every judged query."""
    ids = resolve(judgements["items"], dumps())
    rows = []
    for query in judgements["queries"]:
        grades = {ids[key]: grade for key, grade in query["judged"].items()}
        ranked = [h.id for h in searcher.search(query["q"], per_page=TOP).hits]
        rows.append((query["q"], ndcg(ranked, grades), reciprocal_rank(ranked, grades), ranked, grades))
    return rows


def copy_dumps(folder):
    """Every dump the judgements may name, copied into `folder`/dumps (paths kept)."""
    source = os.path.join(folder, "dumps")
    for name, (_, path) in dumps().items():
        os.makedirs(os.path.dirname(os.path.join(source, name)), exist_ok=True)
        shutil.copy(path, os.path.join(source, name))
    return source


def build(folder, source=None):
    """An index built in `folder` of the dumps in `source` (default: copy_dumps)."""
    target = os.path.join(folder, "index")
    index.update(source or copy_dumps(folder), target, workers=1)
    return target


def open_searcher(args, work):
    """A Searcher of the cluster (loaded with the judged dumps) or of the index asked for."""
    if args.cluster:
        from search import cluster
        cluster.update(copy_dumps(work), args.cluster, workers=1)
        return cluster.open_searcher(args.cluster)
    return Searcher(args.index or build(work))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.relevance", description=__doc__.split("\n")[0])
    ap.add_argument("--index", help="an index already built from the seeds and the layout fixtures")
    ap.add_argument("--cluster", metavar="FILE", help="rank on this cluster, loaded with the same dumps (its own: "
                                                       "other dumps it holds are removed)")
    ap.add_argument("--floor", type=float, help="exit 1 if nDCG@10 is below this")
    ap.add_argument("--verbose", action="store_true", help="every query with its top results")
    args = ap.parse_args(argv)
    with open(JUDGEMENTS, encoding="utf-8") as f:
        judgements = json.load(f)
    with tempfile.TemporaryDirectory() as work:
        with open_searcher(args, work) as searcher:
            rows = evaluate(searcher, judgements)
            titles = {}
            if args.verbose:
                titles = {i: (searcher.article(i) or {}).get("title") or "·" for row in rows for i in row[3]}
    label = {i: key for key, i in resolve(judgements["items"], dumps()).items()}
    shown = rows if args.verbose else sorted(rows, key=lambda r: (r[1], r[2]))[:8]
    for q, n, rr, ranked, grades in shown:
        print(f"{n:6.3f} {rr:6.3f}  {q}")
        if args.verbose:
            for i in ranked:
                print(f"{'':16}{grades.get(i, 0)} {label.get(i, i)} {titles.get(i, '')[:40]}")
    mean_ndcg = sum(r[1] for r in rows) / len(rows)
    mrr = sum(r[2] for r in rows) / len(rows)
    print(f"{len(rows)} queries: nDCG@{TOP} {mean_ndcg:.4f}  MRR {mrr:.4f}")
    if args.floor is not None and mean_ndcg < args.floor:
        print(f"nDCG@{TOP} {mean_ndcg:.4f} is below the floor {args.floor}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
