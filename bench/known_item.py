"""Known-item search: does a 5–8 character piece of a title find its article in the top 10?

    python -m bench.known_item                               # the layout fixtures and seeds
    python -m bench.known_item --corpus bench/work/corpus-10000 --items 1000

For each sampled item with a title, a piece of 5 to 8 characters is cut from its title at a
random place (never through a run of digits or letters), typed as a query as it is, and the
item counts as found when it is among the first 10 hits. Titles repeat (a story printed in
several layouts, a synthetic corpus made from templates): a piece held by more than 10
titles cannot put every one of them in the top 10, so the figure is also given for the
*distinguishable* pieces, those held by at most 10 titles, which is what a corpus of real
titles mostly has. The index is built in a temporary folder unless --index names one built
from the same dumps.
"""
import argparse
import os
import random
import re
import sys
import tempfile
from collections import Counter

from search.searching import Searcher
from search.text import normalize

from .relevance import build

TOP = 10
PIECE = (5, 8)
_RUN = re.compile(r"[0-9a-z]")


def articles(searcher):
    """Every stored item, page by page."""
    page, out = 1, []
    while True:
        hits = searcher.search("", per_page=100, page=page, sort="date").hits
        out.extend(searcher.article(h.id) for h in hits)
        if len(hits) < 100:
            return out
        page += 1


def piece(title, rng):
    """A piece of 5–8 characters of `title` (the whole title if it is shorter), not cut
    through a run of digits or letters, or None."""
    if len(title) <= PIECE[0]:
        return title
    for _ in range(20):
        length = rng.randint(*PIECE)
        start = rng.randint(0, max(0, len(title) - length))
        end = min(len(title), start + length)
        cut = (start > 0 and _RUN.match(title[start - 1]) and _RUN.match(title[start])) or \
              (end < len(title) and _RUN.match(title[end - 1]) and _RUN.match(title[end]))
        text = title[start:end].strip()
        if not cut and len(text) >= PIECE[0] and '"' not in text and not text.startswith("-"):
            return text
    return None


def measure(searcher, items, sample, seed):
    """(found, tried, found among distinguishable, distinguishable, misses)."""
    rng = random.Random(seed)
    titled = [a for a in items if a.get("title")]
    titles = [normalize(a["title"]) for a in titled]
    chosen = rng.sample(range(len(titled)), min(sample, len(titled)))
    tally, misses = Counter(), []
    for k in chosen:
        text = piece(titles[k], rng)
        if text is None:
            continue
        holders = sum(text in t for t in titles)
        hit = titled[k]["id"] in [h.id for h in searcher.search(text, per_page=TOP).hits]
        tally["tried"] += 1
        tally["found"] += hit
        if holders <= TOP:
            tally["distinguishable"] += 1
            tally["found_distinguishable"] += hit
            if not hit:
                misses.append((text, titled[k]["title"]))
    return tally, misses


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.known_item", description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="a folder made by bench.corpus (its dumps/); default: seeds and fixtures")
    ap.add_argument("--index", help="an index already built from the same dumps")
    ap.add_argument("--items", type=int, default=1000, help="items sampled")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--misses", type=int, default=10, help="distinguishable misses to print")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        target = args.index
        if target is None:
            target = build(work, os.path.join(args.corpus, "dumps") if args.corpus else None)
        with Searcher(target) as searcher:
            tally, misses = measure(searcher, articles(searcher), args.items, args.seed)
    for text, title in misses[:args.misses]:
        print(f"missed {text!r} of {title!r}")
    share = tally["found"] / max(tally["tried"], 1)
    distinct = tally["found_distinguishable"] / max(tally["distinguishable"], 1)
    print(f"{tally['found']}/{tally['tried']} pieces found their item in the top {TOP} ({share:.1%}); "
          f"distinguishable pieces: {tally['found_distinguishable']}/{tally['distinguishable']} ({distinct:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
