"""Re-lay indented pages as blank-line paragraphs with column breaks, with their gold.

    python -m bench.relay GOLD.json PAGES_DIR OUT_DIR [--breaks 0.15] [--item-gap 1 | --keep-gaps]
    python /work/shared/tools/score_parse.py OUT_DIR/gold.json OUT_DIR

Pages laid out like a national daily (headlines flush, paragraphs indented, blank lines
only between items) are printed again the way a blank-line paper or a conversion prints
them: no indents, a blank line before every paragraph, and a share of paragraphs cut by a
column break at a random place, even mid-word. By default every line is set apart by one
blank line and `--item-gap` blank lines separate items (1: spacing says nothing);
`--keep-gaps` keeps the page's own blank lines and only turns each indent into a blank
line. The gold file is copied with a `joins` entry for each break (the text across it,
which only a repaired break keeps in one paragraph), so the same scorer measures
boundaries, titles and repaired breaks. Output depends only on the input and --seed.
"""
import argparse
import json
import os
import random
import re

from search.ingest import leads

INDENT = re.compile(r"^[\u3000\u00a0\t ]+")
JOIN_SIDE = 5            # characters each side of a break in its `joins` phrase


def norm(text):
    return re.sub(r"\s+", "", text)


def items_of(lines):
    """The page's items as printed: [(first line index, headline lines, paragraphs)]."""
    items = []
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        if INDENT.match(line):
            if not items:
                items.append((k, [], []))
            items[-1][2].append(INDENT.sub("", line).rstrip())
        else:
            if not items or items[-1][2]:
                items.append((k, [], []))
            items[-1][1].append(line.strip())
    return items


def cut(rng, paragraph):
    """Where a column break cuts the paragraph: between two Chinese characters of its text,
    or None. Not inside a lead or a closing credit: the parser takes those off the body, so
    the text across such a break is in no body however well it is repaired."""
    lead = leads.split_lead(paragraph)
    start = len(paragraph) - len(lead[1]) if lead else 0
    credit = leads.split_closing_credit(paragraph)
    end = len(credit[1]) if credit and credit[1] else len(paragraph)
    places = [i for i in range(start + 8, end - 8)
              if "\u4e00" <= paragraph[i - 1] <= "\u9fff" and "\u4e00" <= paragraph[i] <= "\u9fff"]
    return rng.choice(places) if places else None


def relay_page(rng, lines, golds, breaks, item_gap, keep_gaps):
    """(the page re-laid, breaks made); each break's join goes to the gold item it falls in."""
    owners = {}
    for start, heads, paragraphs in items_of(lines):
        body = norm("".join(paragraphs))
        owners[start] = next((g for g in golds if norm(g["start"]) in body and norm(g["end"]) in body), None)
    out, owner, count = [], None, 0
    for k, line in enumerate(lines):
        if k in owners:
            owner = owners[k]
            if out and not keep_gaps:
                out += [""] * (item_gap - 1)
        if not line.strip():
            if keep_gaps:
                out.append("")
            continue
        if not INDENT.match(line):
            out += ([""] if out and not keep_gaps else []) + [line.strip()]
            continue
        paragraph = INDENT.sub("", line).rstrip()
        at = cut(rng, paragraph) if rng.random() < breaks else None
        pieces = [paragraph] if at is None else [paragraph[:at], paragraph[at:]]
        if at is not None:
            count += 1
            if owner is not None:
                owner["joins"].append(paragraph[max(0, at - JOIN_SIDE):at + JOIN_SIDE])
        for piece in pieces:            # a blank line before each paragraph (the indent)
            out += ["", piece]
    return "\n".join(out).strip("\n") + "\n", count


def relay(gold_path, pages, out, breaks=0.15, item_gap=1, keep_gaps=False, seed=1):
    rng = random.Random(seed)
    gold = json.load(open(gold_path, encoding="utf-8"))
    by_file = {}
    for g in gold["articles"]:
        by_file.setdefault(g["file"], []).append(dict(g, joins=list(g.get("joins", []))))
    os.makedirs(out, exist_ok=True)
    counts = {"pages": 0, "breaks": 0}
    for name in sorted(by_file):
        with open(os.path.join(pages, name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        text, n = relay_page(rng, lines, by_file[name], breaks, item_gap, keep_gaps)
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)
        counts["pages"] += 1
        counts["breaks"] += n
    spacing = "the page's own blank lines kept" if keep_gaps else f"{item_gap} blank line(s) between items"
    about = (f"{gold.get('about', '')} Re-laid by bench/relay.py: blank-line paragraphs, no indents, "
             f"{spacing}, {breaks:.0%} of paragraphs cut by a column break.")
    with open(os.path.join(out, "gold.json"), "w", encoding="utf-8") as f:
        json.dump({"about": about, "articles": [g for name in sorted(by_file) for g in by_file[name]]},
                  f, ensure_ascii=False, indent=1)
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.relay", description=__doc__.split("\n")[0])
    ap.add_argument("gold")
    ap.add_argument("pages")
    ap.add_argument("out")
    ap.add_argument("--breaks", type=float, default=0.15, help="share of paragraphs cut by a column break")
    ap.add_argument("--item-gap", type=int, default=1, help="blank lines between items")
    ap.add_argument("--keep-gaps", action="store_true", help="keep the page's blank lines; indents become blank lines")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    print(json.dumps(relay(a.gold, a.pages, a.out, a.breaks, a.item_gap, a.keep_gaps, a.seed)))


if __name__ == "__main__":
    main()
