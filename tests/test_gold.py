"""The hand-made reference for seeds 000 and 002 (tests/data/gold_dev.json, a copy of
/work/shared/gold/dev.json), checked the way /work/shared/tools/score_parse.py scores it:
every reference item is found by its start/end anchors without swallowing another one, and
its kind, title, date, main city, topic and repaired column breaks are right."""
import json
import re

import pytest

from builders import TESTS_DATA, parse_seed

GOLD = json.loads((TESTS_DATA / "gold_dev.json").read_text(encoding="utf-8"))["articles"]


def norm(s):
    return re.sub(r"\s+", "", s or "")


def flat(s):
    return re.sub(r"[ \t\u3000]+", "", s or "")


def items_of(file):
    return parse_seed(file[:3])


def match(gold):
    """Index of the parsed item that holds this reference item, or None."""
    others = [o for o in GOLD if o["file"] == gold["file"] and o is not gold]
    for i, item in enumerate(items_of(gold["file"])):
        body = norm(item.body)
        if norm(gold["start"]) not in body or norm(gold["end"]) not in body:
            continue
        clash = [o for o in others if norm(o["start"]) in body
                 and norm(o["start"]) not in norm(gold["start"])
                 and norm(gold["start"]) not in norm(o["start"])]
        if clash or any(norm(x) in body for x in gold.get("excludes", [])):
            continue
        return i
    return None


def label(gold):
    return f"{gold['file'][:3]}-{gold['title'] or gold['start'][:10]}"


@pytest.fixture(params=GOLD, ids=label)
def pair(request):
    gold = request.param
    i = match(gold)
    assert i is not None, f"no item holds {gold['start']!r} … {gold['end']!r} on its own"
    return gold, items_of(gold["file"])[i]


def test_reference_covers_seeds_000_and_002():
    assert sorted({g["file"][:3] for g in GOLD}) == ["000", "002"]
    assert len(GOLD) == 11


def test_kind(pair):
    gold, item = pair
    assert item.kind == gold["kind"]


def test_title(pair):
    gold, item = pair
    titles = [norm(t) for t in [gold["title"], *gold["alt_titles"]] if t]
    if titles:
        assert norm(item.title) in titles
    else:
        assert item.title is None


def test_date(pair):
    gold, item = pair
    low, high = gold["date"]
    assert item.date is not None and low <= item.date <= high


def test_main_city(pair):
    gold, item = pair
    assert (item.cities[0] if item.cities else None) in gold["cities"]


def test_topic(pair):
    gold, item = pair
    assert item.topic in gold["topics"]


def test_joins(pair):
    gold, item = pair
    assert [j for j in gold["joins"] if flat(j) not in flat(item.body)] == []


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_every_parsed_item_is_a_reference_item(prefix):
    gold = [g for g in GOLD if g["file"][:3] == prefix]
    matched = sorted(match(g) for g in gold)
    assert matched == list(range(len(parse_seed(prefix))))
