"""Score the parser's cuts against a gold file of items: boundaries, titles, dates, joins.

    python -m bench.segmentation tests/data/layouts/national/gold.json tests/data/layouts/national
    python -m bench.segmentation GOLD DIR --verbose       # also every miss, and breaks repaired anywhere
    python -m bench.segmentation GOLD DIR --printed-cut   # what the gold lets any parser reach

The gold format is the team's (`/work/shared/gold/dev.json`): per item its file, kind,
title (and accepted alternatives), start and end anchors that the item's body must hold
(whitespace ignored) without holding another item's start, a date range, accepted main
cities and topics, `joins` (phrases that only a repaired column break keeps in one
paragraph) and `excludes` (text the body must not hold). The printed line is the one
`score_parse.py` prints, computed in-process, so a clone without the shared tools can
score its fixtures (tests/test_fixtures.py runs this over tests/data/layouts/).
"""
import argparse
import json
import os
import re
import sys

from search.ingest import parse_file


def norm(text):
    return re.sub(r"\s+", "", text or "")


def flat(text):
    """Like norm, but a line break stays: a repaired column break leaves none in a phrase."""
    return re.sub(r"[ \t\u3000]+", "", text or "")


def _match(g, items, others):
    """Index of the first parsed item that holds reference item `g` on its own, or None."""
    for i, p in enumerate(items):
        body = norm(p["body"])
        if norm(g["start"]) not in body or norm(g["end"]) not in body:
            continue
        clash = [o for o in others if norm(o["start"]) in body and norm(o["start"]) not in norm(g["start"])
                 and norm(g["start"]) not in norm(o["start"]) and o["start"] != g["start"]]
        if clash or any(norm(x) in body for x in g.get("excludes", [])):
            continue
        return i
    return None


def printed_cut(path):
    """The items an indented page prints: a new one at every run of flush lines, its body the
    indented paragraphs. Scoring this cut shows what a gold file lets any parser reach
    (anchors that occur in more than one item can never be matched)."""
    items = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            if re.match(r"[\u3000\u00a0\t ]", line):
                if not items:
                    items.append({"title": None, "body": []})
                items[-1]["body"].append(line.strip())
            elif not items or items[-1]["body"]:
                items.append({"title": line.strip(), "body": []})
    return [dict(kind="article", date=None, cities=[], topic=None, title=i["title"], body="\n".join(i["body"]))
            for i in items if i["body"]]


def score(gold_path, dump_dir, files=None, report=None, cut=None):
    """Counts and shares (the dict behind the printed line); `report(kind, text)` hears misses.
    `cut(path)` gives the items of a dump as dicts (default: the parser's)."""
    report = report or (lambda kind, text: None)
    with open(gold_path, encoding="utf-8") as f:
        gold = json.load(f)["articles"]
    if files:
        gold = [g for g in gold if g["file"][:3] in files]
    names = sorted({g["file"] for g in gold})
    cut = cut or (lambda path: [a.to_dict() for a in parse_file(path, root=dump_dir)])
    parsed = {name: cut(os.path.join(dump_dir, name)) for name in names}
    n = dict(gold=len(gold), found=0, title=0, date=0, city=0, topic=0, joins=0, kind=0)
    matched = set()
    for g in gold:
        items = parsed[g["file"]]
        i = _match(g, items, [o for o in gold if o["file"] == g["file"] and o is not g])
        label = g["title"] or g["start"]
        if i is None:
            report("MISS", f"{g['file']} {g['kind']} {label}")
            continue
        p = items[i]
        matched.add((g["file"], i))
        n["found"] += 1
        lines = flat(p["body"])
        missing = [j for j in g.get("joins", []) if flat(j) not in lines]
        n["joins"] += len(g.get("joins", [])) - len(missing)
        if missing:
            report("JOIN", f"{label} {missing}")
        n["kind"] += p["kind"] == g["kind"]
        titles = [norm(t) for t in [g["title"], *g.get("alt_titles", [])] if t]
        if not titles or norm(p["title"]) in titles:
            n["title"] += 1
        else:
            report("TITLE", f"{p['title']!r} want {g['title']}")
        if g["date"][0] <= (p["date"] or "")[:10] <= g["date"][1]:
            n["date"] += 1
        else:
            report("DATE", f"{p['date']} want {g['date']} {label}")
        first = p["cities"][0] if p["cities"] else None
        n["city"] += first in g["cities"]
        n["topic"] += p["topic"] in g["topics"]
    bodies = {name: "\n".join(flat(p["body"]) for p in items) for name, items in parsed.items()}
    anywhere = sum(flat(j) in bodies[g["file"]] for g in gold for j in g.get("joins", []))
    predicted = sum(len(parsed[name]) for name in names)
    precision = len(matched) / predicted if predicted else 0.0
    recall = n["found"] / n["gold"] if n["gold"] else 0.0
    joins = sum(len(g.get("joins", [])) for g in gold)
    return {**n, "predicted": predicted, "recall": recall, "precision": precision,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "joins_total": joins, "joins_share": n["joins"] / joins if joins else None,
            "joins_anywhere": anywhere}


def line(s):
    """The one line score_parse.py prints."""
    share = lambda k: s[k] / s["gold"] if s["gold"] else 0.0
    joins = format(s["joins_share"], ".2f") if s["joins_share"] is not None else "n/a"
    return (f"predicted={s['predicted']} gold={s['gold']} boundary_recall={s['recall']:.2f} "
            f"precision={s['precision']:.2f} f1={s['f1']:.2f} title={share('title'):.2f} "
            f"date={share('date'):.2f} city={share('city'):.2f} topic={share('topic'):.2f} "
            f"joins={joins} kind={share('kind'):.2f}")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.segmentation", description=__doc__.split("\n")[0])
    ap.add_argument("gold")
    ap.add_argument("dumps")
    ap.add_argument("--files", help="comma-separated dump prefixes, e.g. 000,002")
    ap.add_argument("--verbose", action="store_true", help="print every miss")
    ap.add_argument("--printed-cut", action="store_true",
                    help="score the cut indented pages print (a new item at every flush headline) instead of the "
                         "parser's: the most the gold file lets any parser reach")
    a = ap.parse_args(argv)
    report = (lambda kind, text: print(kind, text)) if a.verbose else None
    s = score(a.gold, a.dumps, a.files.split(",") if a.files else None, report,
              printed_cut if a.printed_cut else None)
    print(line(s))
    if a.verbose and s["joins_total"]:
        print(f"column breaks repaired in any item, matched or not: {s['joins_anywhere']}/{s['joins_total']}")


if __name__ == "__main__":
    sys.exit(main())
