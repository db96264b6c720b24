"""Synthetic newspaper dumps for the benchmark, made from the seed dumps.

    python -m bench.corpus --articles 10000 --out bench/work/corpus-10k
    python -m bench.corpus --from-jsonl real.jsonl --out bench/work/real

The five seeds hold only ~35 articles, so the generator recombines their sentences. It
parses the seeds with our own parser to harvest paragraphs, titles, kickers and captions,
turns their place names, dates and years into slots, and fills the slots per article with
one of the 11 cities, its counties, towns and landmarks (search/data/gazetteer.tsv,
places.tsv). Numbers are redrawn so that the vocabulary is not just the seeds'. Each
article gets a topic; its headline and lead use that topic's words (bench/templates.py)
and body paragraphs are only taken while that topic stays ahead, so that the parser's own
classifier can be checked against what was meant.

Dumps are laid out as printed pages: 5–8 items separated by blank lines, leads
`本报讯（记者 X）`, datelines, trailing credits, photo captions `… X 摄`, and column
breaks that cut a paragraph mid-sentence. The output folder holds `dumps/*.txt`,
`expected.jsonl` (per dump: the items meant, in order) and `manifest.json`.
Output depends only on the seed number, the seed dumps and this code.
"""
import argparse
import datetime
import functools
import hashlib
import itertools
import json
import os
import random
import re
import shutil
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from search import data
from search.ingest import topics
from search.ingest import parse_file
from search.ingest.places import CITIES
from search.text import normalize

from . import templates

SEED = 20240601
VERSION = 2                  # bump when the output for a given seed changes
SEEDS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "seeds")
TOPICS = topics.TOPICS
FIRST_DAY, LAST_DAY = datetime.date(2010, 1, 1), datetime.date(2025, 12, 31)
BODY_CHARS = (1050, 330)     # mean and spread of an article's length: ~3.4 KB as UTF-8

SLOT = re.compile(r"\{(C|K|T|L|MD|Y[+-]?\d*|N|P|B|NAME)\}")
DATE_MD = re.compile(r"\d{1,2}月\d{1,2}日")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
NUMBER = re.compile(r"\{[^}]*\}|\d+")       # a slot (left alone) or a number
SENTENCE = re.compile(r"[^。！？]+[。！？]+”?")


# -- places ---------------------------------------------------------------------------
@dataclass
class City:
    name: str
    counties: list = field(default_factory=list)
    towns: dict = field(default_factory=dict)      # county → its towns
    landmarks: list = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def cities():
    """The 11 cities with their counties (no development zones), towns and landmarks."""
    out = {name: City(name) for name in CITIES}
    county_of_code = {}
    for name, city, kind, code, *_ in data.rows("gazetteer.tsv", 4):
        if kind == "county" and code[4:6] < "70" and name[-1] in "区县市":
            out[city].counties.append(name)
            out[city].towns[name] = []
            county_of_code[code] = name
    for name, city, kind, code, *_ in data.rows("gazetteer.tsv", 4):
        if kind == "town" and code[:6] in county_of_code:
            out[city].towns[county_of_code[code[:6]]].append(name)
    for name, city, kind, *_ in data.rows("places.tsv", 3):
        if kind == "landmark":
            out[city].landmarks.append(name)
    return out


@functools.lru_cache(maxsize=1)
def _place_slots():
    """A regex over every place name, and the slot each kind of name becomes."""
    slot_of_kind = {"city": "{C}", "alias": "{C}", "county": "{K}", "county-short": "{K}",
                    "town": "{T}", "landmark": "{L}", "zone": "{L}"}
    slots = {row[0]: slot_of_kind[row[2]] for name in ("gazetteer.tsv", "places.tsv")
             for row in data.rows(name, 3) if row[2] in slot_of_kind}
    pattern = re.compile("|".join(map(re.escape, sorted(slots, key=len, reverse=True))))
    return pattern, slots


def templatize(text, year):
    """Seed text of `year` → text with slots for places, dates and years.

    Years become offsets from the article's year (`2021—2025` in 2022 → `{Y-1}—{Y+3}`), so
    that a text moved to 2013 still reads as written in 2013.
    """
    pattern, slots = _place_slots()
    text = pattern.sub(lambda m: slots[m.group()], text)
    text = DATE_MD.sub("{MD}", text)
    return YEAR.sub(lambda m: "{Y%+d}" % (int(m.group()) - year) if int(m.group()) != year else "{Y}", text)


# -- the pool harvested from the seeds ------------------------------------------------
@dataclass
class Pool:
    paragraphs: list        # [(sentences, total scores, each sentence's scores)], as templates
    by_topic: dict          # topic → indexes into paragraphs
    neutral: list           # sentences that score for no topic
    titles: dict            # topic → seed titles as templates
    kickers: list
    subtitles: list
    captions: list
    fingerprint: str


def _scores(headline, body):
    s = topics.scores(normalize(headline), normalize(body))
    return tuple(s.get(t, 0) for t in TOPICS)


def _add(a, b):
    return tuple(x + y for x, y in zip(a, b))


def harvest(seed_dir=SEEDS_DIR):
    """Parse the seed dumps and keep what an article can be rebuilt from."""
    pool = Pool(paragraphs=[], by_topic=defaultdict(list), neutral=[], titles=defaultdict(list),
                kickers=[], subtitles=[], captions=list(templates.CAPTIONS), fingerprint="")
    for name in sorted(os.listdir(seed_dir)):
        for a in parse_file(os.path.join(seed_dir, name)):
            year = int(a.date[:4]) if a.date else 0
            if a.kind == "photo":
                pool.captions += [templatize(p, year) for p in a.body.split("\n") if p.endswith("。")]
            if a.kind != "article":
                continue
            pool.captions += [templatize(c, year) for c in a.captions if c.endswith("。")]
            if a.title and len(a.title) <= 30:
                pool.titles[a.topic].append(templatize(a.title, year))
            pool.kickers += [templatize(a.kicker, year)] if a.kicker else []
            pool.subtitles += [templatize(a.subtitle, year)] if a.subtitle else []
            for para in a.body.split("\n"):
                if len(para) < 40 or "。" not in para or para[-1] not in "。！？”":
                    continue
                sentences = SENTENCE.findall(templatize(para, year))
                scored = [(s, _scores("", s)) for s in sentences]
                pool.neutral += [s for s, sc in scored if not any(sc)]
                total = functools.reduce(_add, (sc for _, sc in scored))
                pool.by_topic[topics.classify("", normalize(para))].append(len(pool.paragraphs))
                pool.paragraphs.append(([s for s, _ in scored], total, [sc for _, sc in scored]))
    digest = hashlib.sha1(json.dumps([pool.paragraphs, pool.titles, pool.kickers, pool.subtitles,
                                      pool.captions], ensure_ascii=False).encode("utf-8"))
    pool.fingerprint = digest.hexdigest()[:12]
    return pool


# -- one article ----------------------------------------------------------------------
class Slots:
    """Fills an article's slots: the same city and first county throughout."""

    def __init__(self, rng, city, date):
        self.rng, self.city, self.date = rng, cities()[city], date
        self.counties = rng.sample(self.city.counties, min(2, len(self.city.counties)))
        self.town = rng.choice(self.city.towns[self.counties[0]] or self.counties)
        self.landmark = rng.choice(self.city.landmarks)
        self.seen_county = False

    def value(self, slot):
        rng = self.rng
        if slot == "K":
            county = rng.choice(self.counties) if self.seen_county else self.counties[0]
            self.seen_county = True
            return county
        if slot[0] == "Y":
            return str(self.date.year + int(slot[1:] or 0))
        if slot == "MD":
            day = self.date - datetime.timedelta(days=rng.choice((0, 1, 1, 2, 3, 7)))
            return f"{day.month}月{day.day}日"
        if slot == "N":
            return str(rng.randint(3, 300))
        if slot == "P":
            return f"{rng.randint(1, 40)}.{rng.randint(0, 9)}"
        if slot == "B":
            return f"{rng.randint(2, 300)}.{rng.randint(10, 99)}"
        if slot == "NAME":
            return person(rng)
        return {"C": self.city.name, "T": self.town, "L": self.landmark}[slot]

    def fill(self, text):
        return SLOT.sub(lambda m: self.value(m.group(1)), text)

    def redraw(self, text):
        """A seed sentence with new numbers (same number of digits), then its slots filled."""
        def number(m):
            n = len(m.group())
            if m.group()[0] == "{":
                return m.group()
            return str(self.rng.randint(10 ** (n - 1) if n > 1 else 1, 10 ** n - 1))
        return self.fill(NUMBER.sub(number, text))


def person(rng):
    return rng.choice(templates.SURNAMES) + "".join(rng.choices(templates.GIVEN, k=rng.choice((1, 2, 2))))


def body_run(rng, pool, topic):
    """(seed paragraph, some of its consecutive sentences, their topic scores)."""
    indexes = pool.by_topic.get(topic) if rng.random() < 0.5 else None
    k = rng.choice(indexes or range(len(pool.paragraphs)))
    sentences, total, each = pool.paragraphs[k]
    if len(sentences) <= 3:
        return k, "".join(sentences), total
    start = rng.randrange(len(sentences) - 1)
    end = rng.randint(start + 2, len(sentences))
    return k, "".join(sentences[start:end]), functools.reduce(_add, each[start:end])


def body(rng, pool, topic, scores, length):
    """Paragraphs (templates) up to `length` characters; `topic` stays the best score and
    no seed paragraph is used twice."""
    t = TOPICS.index(topic)
    paragraphs, size, used = [], 0, set()
    while size < length:
        for _ in range(8):
            k, text, add = body_run(rng, pool, topic)
            after = _add(scores, add)
            if k not in used and after[t] > max(s for i, s in enumerate(after) if i != t):
                used.add(k)
                break
        else:
            text, after = "".join(rng.sample(pool.neutral, 3)), scores
        paragraphs.append(text)
        scores, size = after, size + len(text)
    return paragraphs


def headline(rng, pool, topic, slots):
    """[section?, kicker?, title, subtitle?] as printed lines."""
    seed_titles = pool.titles.get(topic, [])
    title = rng.choice(seed_titles if seed_titles and rng.random() < 0.3 else templates.TITLES[topic])
    lines = [slots.redraw(title)]
    if rng.random() < 0.12:
        lines.insert(0, slots.redraw(rng.choice(pool.kickers)))
    if rng.random() < 0.05:
        lines.insert(0, rng.choice(templates.SECTIONS))
    if rng.random() < 0.08:
        lines.append(slots.fill(rng.choice(templates.SUBTITLES)) if rng.random() < 0.5
                     else slots.redraw(rng.choice(pool.subtitles)))
    return lines


def caption(rng, pool, slots):
    return slots.redraw(rng.choice(pool.captions)) + person(rng) + " 摄"


def column_break(rng, text):
    """Cut a paragraph mid-sentence, as a page's column does: both halves stay prose."""
    cuts = [i for i in range(60, len(text) - 60)
            if "\u4e00" <= text[i - 1] <= "\u9fff" and "\u4e00" <= text[i] <= "\u9fff"]
    if not cuts:
        return [text]
    i = rng.choice(cuts)
    return [text[:i], text[i:]]


def article(rng, pool, city, date):
    """(printed blocks, topic) of one article; blocks are separated by blank lines."""
    topic = rng.choices(TOPICS, weights=[templates.TOPIC_WEIGHTS[t] for t in TOPICS])[0]
    slots = Slots(rng, city, date)
    heads = headline(rng, pool, topic, slots)
    lead = slots.fill("{MD}，" + rng.choice(templates.LEADS[topic]))
    scores = _scores(" ".join(heads), lead)
    length = max(300, rng.gauss(*BODY_CHARS)) - len(lead)
    paragraphs = [lead] + [slots.redraw(p) for p in body(rng, pool, topic, scores, length)]
    reporters = " ".join(person(rng) for _ in range(rng.choice((1, 1, 2))))
    style = rng.random()
    if style < 0.6:                                   # 本报讯（记者 X）M月D日，…
        paragraphs[0] = f"本报讯（记者 {reporters}）" + paragraphs[0]
    elif style < 0.75:                                # the lead on a line of its own
        paragraphs.insert(0, f"本报讯（记者 {reporters}）")
    elif style < 0.93:                                # no lead; a credit closes the article
        paragraphs[-1] += f"（{reporters.replace(' ', '、')}）"
    else:                                             # no lead; a byline closes it
        paragraphs.append(f"记者 {reporters}")
    if rng.random() < 0.12 and len(paragraphs) > 2:
        k = rng.randrange(1, len(paragraphs) - 1)
        halves = column_break(rng, paragraphs[k])
        if len(halves) == 2 and rng.random() < 0.3:   # a photo printed in the break
            halves.insert(1, caption(rng, pool, slots))
        paragraphs[k:k + 1] = halves
    return heads + paragraphs, topic


# -- dumps ----------------------------------------------------------------------------
def _write(out, name, blocks):
    text = "\n\n".join(blocks) + "\n"
    with open(os.path.join(out, "dumps", name), "w", encoding="utf-8") as f:
        f.write(text)
    return len(text.encode("utf-8"))


def _prepare(out):
    if os.path.isdir(os.path.join(out, "dumps")):
        shutil.rmtree(os.path.join(out, "dumps"))
    os.makedirs(os.path.join(out, "dumps"))


def _page_name(rng, taken, date, place):
    page = rng.randint(1, 16)
    while f"{date}_{place}_p{page:02d}" in taken:
        page += 1
    taken.add(f"{date}_{place}_p{page:02d}")
    return f"{date}_{place}_p{page:02d}.txt"


def generate(out, articles, seed=SEED, seed_dir=SEEDS_DIR):
    """Write `articles` synthetic articles as dumps under `out`; returns the manifest."""
    started = time.perf_counter()
    rng = random.Random(seed)
    pool = harvest(seed_dir)
    _prepare(out)
    days = (LAST_DAY - FIRST_DAY).days
    taken, stats = set(), Counter()
    by_city, by_topic = Counter(), Counter()
    with open(os.path.join(out, "expected.jsonl"), "w", encoding="utf-8") as expected:
        while stats["articles"] < articles:
            home = rng.choice(CITIES)
            date = FIRST_DAY + datetime.timedelta(days=rng.randint(0, days))
            blocks, items = [], []
            for _ in range(min(rng.randint(5, 8), articles - stats["articles"])):
                city = home if rng.random() < 0.85 else rng.choice(CITIES)
                printed, topic = article(rng, pool, city, date)
                blocks += printed
                items.append(["article", city, topic])
                by_city[city] += 1
                by_topic[topic] += 1
                stats["articles"] += 1
                if rng.random() < 0.1:
                    blocks.append(caption(rng, pool, Slots(rng, home, date)))
                    items.append(["photo", None, None])
                    stats["photos"] += 1
            name = _page_name(rng, taken, date.isoformat(), templates.CITY_PINYIN[home])
            stats["bytes"] += _write(out, name, blocks)
            stats["dumps"] += 1
            expected.write(json.dumps({"file": name, "items": items}, ensure_ascii=False) + "\n")
    manifest = {"version": VERSION, "seed": seed, "source": "seeds", "pool": pool.fingerprint,
                **stats, "items": stats["articles"] + stats["photos"],
                "bytes_per_article": round(stats["bytes"] / max(1, stats["articles"])),
                "cities": dict(by_city.most_common()), "topics": dict(by_topic.most_common()),
                "seconds": round(time.perf_counter() - started, 2)}
    _save_manifest(out, manifest)
    return manifest


def from_jsonl(path, out, articles=None, seed=SEED):
    """Lay out real articles (`{"title", "date", "body"}` per line) as dumps of 5–8 of a day.

    As papers' exports and transcripts print them: the title, a blank line, the paragraphs
    (a blank line between each), the next title. Nothing marks a title but its shape and
    the lack of a lead or credit around it, as in the exports users have; text is left as
    it is.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    _prepare(out)
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in itertools.islice((l for l in f if l.strip()), articles)]
    rows.sort(key=lambda r: r.get("date") or "")            # a page holds one day's articles
    taken, stats = set(), Counter()
    with open(os.path.join(out, "expected.jsonl"), "w", encoding="utf-8") as expected:
        for date, same_day in itertools.groupby(rows, key=lambda r: (r.get("date") or "")[:10]):
            same_day = list(same_day)
            while same_day:
                size = rng.randint(5, 8)
                page, same_day = same_day[:size], same_day[size:]
                blocks = []
                for r in page:
                    blocks.append(r["title"].strip())
                    blocks += [p.strip() for p in r["body"].split("\n") if p.strip()]
                name = _page_name(rng, taken, date or "undated", "shanxi")
                stats["bytes"] += _write(out, name, blocks)
                stats["dumps"] += 1
                stats["articles"] += len(page)
                items = [["article", None, None]] * len(page)
                expected.write(json.dumps({"file": name, "items": items}) + "\n")
    manifest = {"version": VERSION, "seed": seed, "source": os.path.abspath(path), **stats,
                "photos": 0, "items": stats["articles"],
                "bytes_per_article": round(stats["bytes"] / max(1, stats["articles"])),
                "seconds": round(time.perf_counter() - started, 2)}
    _save_manifest(out, manifest)
    return manifest


def _save_manifest(out, manifest):
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)


def load_manifest(out):
    try:
        with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def ensure(out, articles, seed=SEED):
    """The manifest of a generated corpus at `out`, generating it only if it is not there."""
    m = load_manifest(out)
    if (m and m.get("version") == VERSION and m.get("seed") == seed and m.get("source") == "seeds"
            and m.get("articles") == articles and m.get("pool") == harvest().fingerprint):
        return m
    return generate(out, articles, seed)


def expected(out):
    """(file, items meant) for each dump, in the order written."""
    with open(os.path.join(out, "expected.jsonl"), encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            yield row["file"], row["items"]


# -- checking the parser against what was generated -----------------------------------
def agreement(pairs):
    """Pairs of (items meant, parsed article dicts) per dump → agreement figures.

    City and topic are compared only in dumps whose item count came out right, item by item.
    """
    c = Counter()
    for items, parsed in pairs:
        c["dumps"] += 1
        c["expected"] += len(items)
        c["parsed"] += len(parsed)
        if len(items) != len(parsed):
            continue
        c["exact"] += 1
        for (kind, city, topic), a in zip(items, parsed):
            c["checked"] += 1
            c["kind"] += kind == a["kind"]
            if city:                                # generated, not real: city and topic known
                c["meant"] += 1
                c["city"] += bool(a["cities"]) and a["cities"][0] == city
                c["topic"] += a["topic"] == topic
    share = lambda n, d: round(n / d, 4) if d else None
    return {"dumps": c["dumps"], "items_expected": c["expected"], "items_parsed": c["parsed"],
            "dumps_with_right_count": share(c["exact"], c["dumps"]),
            "kind": share(c["kind"], c["checked"]),
            "main_city": share(c["city"], c["meant"]), "topic": share(c["topic"], c["meant"])}


def verify(out, limit=200):
    """Parse `limit` dumps spread over the corpus (all if None) and compare with expected."""
    rows = list(expected(out))
    if limit and limit < len(rows):
        rows = [rows[i * len(rows) // limit] for i in range(limit)]
    dumps = os.path.join(out, "dumps")
    return agreement((items, [a.to_dict() for a in parse_file(os.path.join(dumps, name), root=dumps)])
                     for name, items in rows)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, help="how many articles (default 10000; all of --from-jsonl)")
    ap.add_argument("--out", help="output folder (default bench/work/corpus-<N>)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--from-jsonl", metavar="FILE", help="lay out these real articles instead")
    ap.add_argument("--verify", type=int, default=200, metavar="DUMPS",
                    help="parse this many dumps afterwards and compare (0: skip)")
    args = ap.parse_args(argv)
    articles = args.articles or (None if args.from_jsonl else 10000)
    out = args.out or os.path.join("bench", "work", f"corpus-{articles or 'all'}")
    os.makedirs(out, exist_ok=True)
    if args.from_jsonl:
        manifest = from_jsonl(args.from_jsonl, out, articles, args.seed)
    else:
        manifest = generate(out, articles, args.seed)
    print(json.dumps({k: v for k, v in manifest.items() if k not in ("cities", "topics")}, ensure_ascii=False))
    if args.verify:
        print(json.dumps(verify(out, args.verify), ensure_ascii=False))


if __name__ == "__main__":
    main()
