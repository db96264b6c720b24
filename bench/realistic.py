"""A development corpus of realistic news, laid out as the papers we will be judged on.

    python -m bench.realistic OUT                 # writes OUT/<set>/ pages and gold.json
    python -m bench.segmentation OUT/stream-25/gold.json OUT/stream-25

The shared sets are seed sentences shuffled into word salad, so they cannot tell a
headline from a fragment by meaning. This corpus is real-sounding Chinese news written for
the project (bench/data/realistic.txt: ~150 invented items, none copied from a paper) and
laid out in the kinds of layout the held-out papers use:

* `stream-00`, `stream-10`, `stream-25`, `stream-40`: broadcast transcripts, ten items a
  file (title, blank line, paragraphs), each body opening with a broadcast lead
  (`央视网消息（新闻联播）：`, ASCII or full-width brackets) except for that share of
  items, drawn at random, so files differ in how many leads they lack;
* `national`: national-daily pages, headlines flush (kicker, title, subtitle), paragraphs
  and subheads indented with `　　`, agency leads, bylines, closing credits, column tags;
* `relaid`, `relaid-gaps`: the national pages re-laid by bench/relay.py with blank-line
  paragraphs and column breaks (every line apart; the pages' own gaps kept);
* `briefs`: pages of six to ten briefs of 100–300 characters, a title and a lead each.

Every set has a gold.json in the team's format (anchors: 12 characters from the middle
of an item's first and last paragraph of 24+ characters). Output depends only on the data
file, --seed and this code.
"""
import argparse
import datetime
import json
import os
import random
import shutil
from dataclasses import dataclass, field

from . import relay

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "realistic.txt")
SEED = 20240610
INDENT = "\u3000\u3000"
TOPICS = ["经济", "城建", "民生", "教育", "卫生健康", "政务", "科技", "文旅", "生态", "安全", "法治"]
CITIES = ["太原", "大同", "朔州", "忻州", "阳泉", "吕梁", "晋中", "长治", "晋城", "临汾", "运城", None]
BROADCAST_LEADS = ["央视网消息（新闻联播）：", "央视网消息(新闻联播)：", "中国网络电视台消息(新闻联播)：",
                   "央视网消息 （新闻联播）：", "中国网络电视台消息（新闻联播）："]
BROADCAST_TAGS = ["【奋进新征程 建功新时代】", "【新思想引领新征程】", "【权威发布】", "【高质量发展调研行】"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国红梅晓东静伟丽军敏强磊洋艳勇杰娟涛明超秀英华平刚桂兰玉芳海燕志宏鹏飞"


@dataclass
class Story:
    topic: str
    place: str
    title: str
    kicker: str = ""
    subtitle: str = ""
    blocks: list = field(default_factory=list)     # (text, is_subhead)

    @property
    def paragraphs(self):
        return [text for text, sub in self.blocks if not sub]

    @property
    def has_subheads(self):
        return any(sub for _, sub in self.blocks)


def load(path=DATA):
    """The invented stories of the data file."""
    stories, current = [], None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("### "):
                topic, place = line[4:].split()
                current = Story(topic, place, "")
                stories.append(current)
            elif not line.strip() or line.startswith("# ") or current is None:
                continue
            elif line[:2] in ("引 ", "题 ", "副 "):
                setattr(current, {"引": "kicker", "题": "title", "副": "subtitle"}[line[0]], line[2:].strip())
            elif line.startswith("## "):
                current.blocks.append((line[3:].strip(), True))
            else:
                current.blocks.append((line.strip(), False))
    return stories


def anchor(paragraph):
    middle = len(paragraph) // 2
    return paragraph[max(0, middle - 6):middle + 6]


def gold_item(name, date, story, title=None, paragraphs=None):
    """The reference entry of a story printed in `name` (its body anchors, its title)."""
    long = [p for p in (paragraphs or story.paragraphs) if len(p) >= 24] or (paragraphs or story.paragraphs)
    return {"file": name, "kind": "article", "title": title or story.title, "alt_titles": [],
            "start": anchor(long[0]), "end": anchor(long[-1]), "date": [date, date],
            "cities": CITIES, "topics": TOPICS, "joins": [], "excludes": []}


def name_of(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _dates(rng, count, start=datetime.date(2023, 3, 1)):
    days = sorted(rng.sample(range(300), count))
    return [(start + datetime.timedelta(days=d)) for d in days]


# -- broadcast streams ------------------------------------------------------------------
def shuffled(rng, stories, count):
    """`count` stories: the whole list in random orders, one after another."""
    pool = []
    while len(pool) < count:
        pool += rng.sample(stories, len(stories))
    return pool[:count]


def stream(rng, stories, missing, files=30):
    """Files of ten broadcast items; `missing`: the share of items printed without a lead."""
    pages, gold = {}, []
    pool = shuffled(rng, stories, files * 10)
    dates = _dates(rng, files)
    for k, date in enumerate(dates):
        name = f"{date.isoformat()}_tv_{k + 1:03d}.txt"
        blocks = []
        for story in pool[k * 10:k * 10 + 10]:
            title = story.title
            if rng.random() < 0.08:
                title = rng.choice(BROADCAST_TAGS) + title
            paragraphs = story.paragraphs          # broadcast items have no subheads
            lead = "" if rng.random() < missing else rng.choice(BROADCAST_LEADS)
            blocks += [title, lead + paragraphs[0], *paragraphs[1:]]
            gold.append(gold_item(name, date.isoformat(), story, title))
        pages[name] = "\n\n".join(blocks) + "\n"
    return pages, gold


# -- national-daily pages ---------------------------------------------------------------
def national_lead(rng, story, date):
    """(the lead opening the first paragraph, a closing credit or "") for a report."""
    md = f"{date.month}月{date.day}日"
    reporters = "　".join(name_of(rng) for _ in range(rng.randint(1, 2)))
    place = story.place
    kind = rng.random()
    if story.topic == "评论":
        return "", ""
    if story.topic == "国际":
        return rng.choice([f"新华社{place}{md}电　（记者{reporters}）", f"据新华社{place}{md}电　",
                           f"本报{place}{md}电　（记者{reporters}）"]), ""
    if kind < 0.45:
        return f"本报{place}{md}电　（记者{reporters}）", ""
    if kind < 0.6:
        return f"新华社{place}{md}电　（记者{reporters}）", ""
    if kind < 0.7:
        return "", f"（本报记者　{reporters}）"
    if kind < 0.8:
        return rng.choice([f"人民网{place}{md}讯　", f"中新网{md}电　", f"据新华社{place}{md}电　"]), ""
    return "", ""                   # a report without lead or credit


def national_item(rng, story, date):
    """Lines of one item on an indented page."""
    lines = [x for x in (story.kicker, story.title, story.subtitle) if x]
    lead, credit = national_lead(rng, story, date)
    if not lead and (story.has_subheads or story.topic == "评论") and rng.random() < 0.7:
        lines.append(INDENT + "本报记者　" + "　".join(name_of(rng) for _ in range(rng.randint(1, 2))))
    first = True
    for text, sub in story.blocks:
        if first and not sub:
            text, first = lead + text, False
        lines.append(INDENT + text)
    if credit:
        lines[-1] += credit
    return lines


def national(rng, stories, pages=60):
    out, gold = {}, []
    pool = shuffled(rng, stories, pages * 7)
    dates = _dates(rng, pages)
    taken = 0
    for k, date in enumerate(dates):
        name = f"daily_{date.strftime('%Y%m%d')}_p{rng.randint(1, 20):02d}.txt"
        count = rng.randint(4, 7)
        chosen, taken = pool[taken:taken + count], taken + count
        text = []
        for story in chosen:
            if text:
                text += [""] * (2 if rng.random() < 0.2 else 1)
            text += national_item(rng, story, date)
            gold.append(gold_item(name, date.isoformat(), story))
        out[name] = "\n".join(text) + "\n"
    return out, gold


# -- pages of briefs --------------------------------------------------------------------
def brief_text(story, limit=300):
    """The first paragraphs of a story, as long as they stay within `limit` characters."""
    texts = [story.paragraphs[0]]
    for p in story.paragraphs[1:]:
        if sum(map(len, texts)) + len(p) > limit:
            break
        texts.append(p)
    return texts


def briefs(rng, stories, pages=20):
    out, gold = {}, []
    short = [s for s in stories if len(s.paragraphs[0]) <= 300]
    dates = _dates(rng, pages)
    for k, date in enumerate(dates):
        name = f"{date.isoformat()}_briefs_p{k % 8 + 1:02d}.txt"
        blocks = []
        for story in rng.sample(short, rng.randint(6, 10)):
            texts = brief_text(story)
            lead, _ = national_lead(rng, story, date)
            if not lead and rng.random() < 0.7:
                lead = rng.choice(BROADCAST_LEADS + [f"本报讯　"])
            blocks += [story.title, lead + texts[0], *texts[1:]]
            gold.append(gold_item(name, date.isoformat(), story, paragraphs=texts))
        out[name] = "\n\n".join(blocks) + "\n"
    return out, gold


def _write(folder, pages, gold, about):
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    for name, text in pages.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(folder, "gold.json"), "w", encoding="utf-8") as f:
        json.dump({"about": about, "articles": gold}, f, ensure_ascii=False, indent=1)


def generate(out, seed=SEED, data=DATA):
    """Write every set under `out`; returns {set: (pages, items)}."""
    stories = load(data)
    made = {}
    for share in (0, 10, 25, 40):
        rng = random.Random(seed + share)
        pages, gold = stream(rng, stories, share / 100)
        _write(os.path.join(out, f"stream-{share:02d}"), pages, gold,
               f"Broadcast transcripts of invented stories, {share}% of leads left out (bench/realistic.py).")
        made[f"stream-{share:02d}"] = (len(pages), len(gold))
    pages, gold = national(random.Random(seed), stories)
    _write(os.path.join(out, "national"), pages, gold,
           "National-daily pages of invented stories (bench/realistic.py).")
    made["national"] = (len(pages), len(gold))
    nat = os.path.join(out, "national")
    for folder, keep in (("relaid", False), ("relaid-gaps", True)):
        target = os.path.join(out, folder)
        if os.path.isdir(target):
            shutil.rmtree(target)
        counts = relay.relay(os.path.join(nat, "gold.json"), nat, target, keep_gaps=keep, item_gap=1, seed=seed)
        made[folder] = (counts["pages"], counts["breaks"])
    pages, gold = briefs(random.Random(seed + 1), stories)
    _write(os.path.join(out, "briefs"), pages, gold, "Pages of briefs from invented stories (bench/realistic.py).")
    made["briefs"] = (len(pages), len(gold))
    return made


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.realistic", description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--data", default=DATA, help="the stories (default: bench/data/realistic.txt)")
    a = ap.parse_args(argv)
    for name, (pages, items) in generate(a.out, a.seed, a.data).items():
        print(f"{name}: {pages} pages, {items} {'breaks' if name.startswith('relaid') else 'items'}")


if __name__ == "__main__":
    main()
