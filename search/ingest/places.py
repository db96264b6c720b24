"""Which of Shanxi's 11 cities an article is about, from the places it names.

Place names come from data/gazetteer.tsv (official divisions, built from the National
Bureau of Statistics codes) and data/places.tsv (landmarks, zones, nicknames). All of
them are added to jieba's dictionary, and a place is mentioned where jieba cuts its name
as a word: 古交 in 古交发展, but not 兴县 in 新兴县域经济.

`我市`, `本市`, `市民政局`… name the paper's home city: the city a source is configured
with (data/sources.tsv, see sources.py), or else the city that dominates the dump's own
place names.
"""
import functools
import re
from collections import Counter
from dataclasses import dataclass

from .. import analysis, data
from ..errors import SearchError

CITIES = ("太原", "大同", "朔州", "忻州", "阳泉", "吕梁", "晋中", "长治", "晋城", "临汾", "运城")

# The paper's own city: 我市/本市, and the city's organs named without the city (市委,
# 市住建局) when nothing but punctuation or a preposition stands before 市.
HOME_MARK = re.compile(
    r"我市|本市|(?:^|(?<=[，。、；：“”（）\s从由在向与据经对和及将为]))"
    r"市(?:委|政府|政协|人大|纪委|[\u4e00-\u9fff]{1,6}?(?:局|委员会|办公室|办|中心|厅|工会|协会))"
)
PROVINCE_MARK = re.compile(r"我省|全省|本省")


@dataclass(frozen=True)
class Place:
    name: str       # the official or usual name (古交市 for 古交)
    city: str
    kind: str


@functools.lru_cache(maxsize=1)
def gazetteer():
    """name as printed → Place; short forms point to the official name."""
    names = {}
    official = {}
    for name, city, kind, code, *_ in data.rows("gazetteer.tsv", 4):
        if kind != "county-short":
            official[code] = name
    for name, city, kind, code, *_ in data.rows("gazetteer.tsv", 4):
        check_city("gazetteer.tsv", name, city)
        canonical = official.get(code, name) if kind in ("county-short", "city") else name
        names.setdefault(name, Place(canonical if kind != "city" else city, city, kind))
    usual = data.usual_names("places.tsv", 3, required=3)
    for name, city, kind, *_ in data.rows("places.tsv", 3):
        check_city("places.tsv", name, city)
        names.setdefault(name, Place(usual.get(name, name), city, kind))
    return names


def find(text):
    """Places named in `text` (normalized), in order.

    Every place name is in jieba's dictionary (see search.analysis), so a name is a word
    jieba cuts; a name inside a longer word (新兴县域 for 兴县) is not a mention.
    """
    places = gazetteer()
    return [places[word] for word in analysis.words(text) if word in places]


def check_city(file, name, city):
    """A SearchError naming the data file unless `city` is one of the 11."""
    if city not in CITIES:
        raise SearchError(f"{data.path(file)}: {name}: unknown city {city!r}; cities are {' '.join(CITIES)}")


def dominant_city(places):
    """The city that at least half of a dump's place names belong to, if any."""
    counts = Counter(p.city for p in places)
    if not counts:
        return None
    city, n = counts.most_common(1)[0]
    return city if n >= 2 and n * 2 >= sum(counts.values()) else None


def cities_of(title, body, home):
    """(cities main first, places) of one article.

    Title mentions weigh three times body mentions; `我市` and the city's organs count for
    the home city. With no place at all, a report is about the home city, unless it speaks
    for the province (我省, 全省).
    """
    counts = Counter()
    first_seen = {}
    places = []
    for weight, text in ((3, title), (1, body)):
        for place in find(text):
            counts[place.city] += weight
            first_seen.setdefault(place.city, len(first_seen))
            if place.kind not in ("city", "alias") and place.name not in places:
                places.append(place.name)
    home_marks = len(HOME_MARK.findall(title)) + len(HOME_MARK.findall(body))
    if home and home_marks:
        counts[home] += home_marks
        first_seen.setdefault(home, len(first_seen))
    if not counts:
        speaks_for_province = PROVINCE_MARK.search(title + body)
        return ([] if speaks_for_province or not home else [home]), places
    ranked = sorted(counts, key=lambda c: (-counts[c], first_seen[c]))
    return ranked, places
