"""Test data: the seed dumps, small dumps written on the fly, and indexes built from them.

Doubles as a command, so a newcomer can open the very index the tests search:

    python -m tests.builders /tmp/seed-index      # then: search 太忻 --index /tmp/seed-index
"""
import os
import re
import shutil
import sys
from pathlib import Path

from search import index
from search.ingest import parse_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TESTS_DATA = Path(__file__).resolve().parent / "data"

_parsed = {}

# News in the other two East Asian languages, whose legacy encodings GB18030 also decodes.
JAPANESE = ("東京都は５日、新型コロナウイルスの感染者が新たに１２３人確認されたと発表した。"
            "都内の感染者は累計で４万人を超えた。知事は記者会見で、都民に対して不要不急の外出を控えるよう"
            "呼びかけた。また、飲食店の営業時間の短縮要請を来月まで延長する方針を明らかにした。\n\n"
            "大阪府でも同日、新たに８９人の感染が確認された。府知事は「医療体制は逼迫している」と述べた。\n")
KOREAN = ("서울시는 5일 신종 코로나바이러스 감염증 확진자가 새로 123명 발생했다고 밝혔다. "
          "시내 누적 확진자는 4만 명을 넘어섰다. 시장은 기자회견에서 시민들에게 불필요한 외출을 자제해 "
          "달라고 당부했다.\n\n또한 음식점의 영업시간 단축 요청을 다음 달까지 연장할 방침을 밝혔다. "
          "부산시에서도 같은 날 89명의 감염이 확인되었다.\n")

# Bidi and zero-width controls inside words: an RLO (U+202E) in a title, isolates (U+2066/9)
# and marks (U+200E/F) in the body.
BIDI_DUMP = ("太忻一体\u202e化经济区建设提速\n\n本报讯 9月5日，太忻\u2066一体化\u2069经济区\u200e建设推进会在"
             "太原举行，会议要求加快推进太忻一\u200f体化发展。\n")


def seed_files():
    return sorted(p.name for p in SEEDS.glob("*.txt"))


def seed_path(prefix):
    """The seed dump whose name starts with the 3-digit `prefix` (000 … 004)."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert len(matches) == 1, f"no single seed dump {prefix}_*.txt in {SEEDS}"
    return matches[0]


def parse_seed(prefix):
    """Articles of a seed dump, parsed once per test session (treat them as read-only)."""
    if prefix not in _parsed:
        _parsed[prefix] = parse_file(str(seed_path(prefix)))
    return _parsed[prefix]


def seed_articles():
    """Every article of every seed dump, as the index gets them."""
    return [a for name in seed_files() for a in parse_seed(name[:3])]


def by_title(articles, title):
    found = [a for a in articles if a.title == title]
    assert len(found) == 1, f"{len(found)} items titled {title!r}: {[a.title for a in articles]}"
    return found[0]


def containing(articles, text):
    """The one item whose body holds `text`."""
    found = [a for a in articles if text in a.body]
    assert len(found) == 1, f"{len(found)} items contain {text!r}"
    return found[0]


def flat(text):
    """Drop spaces (not line breaks): a repaired column break leaves no "\\n" in a phrase."""
    return re.sub(r"[ \t\u3000]+", "", text or "")


def copy_seeds(folder, prefixes=None):
    os.makedirs(folder, exist_ok=True)
    for name in seed_files():
        if prefixes is None or name[:3] in prefixes:
            shutil.copy(SEEDS / name, os.path.join(folder, name))
    return str(folder)


def add_dump(folder, name, text, encoding="utf-8"):
    """Write a dump file (text, or bytes as they are) into `folder`; returns its path."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def seeds_with(tmp_path_factory, dumps, prefixes=None):
    """The folder of an index of the seed dumps (those of `prefixes`) and `dumps`
    ({file name: text}), built in temporary folders."""
    folder = copy_seeds(tmp_path_factory.mktemp("dumps"), prefixes)
    for name, text in dumps.items():
        add_dump(folder, name, text)
    index_dir = tmp_path_factory.mktemp("ix") / "index"
    build_index(str(index_dir), folder)
    return str(index_dir)


def build_index(index_dir, dumps_dir=SEEDS):
    report = index.update(str(dumps_dir), str(index_dir), workers=1)
    assert not report.skipped, report.skipped
    return report


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "seed-index"
    print(build_index(target).summary(), "→", target)
