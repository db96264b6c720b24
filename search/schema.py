"""The index document format, in one place: what of an article is indexed, and how.

* Text fields (TEXT_FIELDS): the headline (kicker, title, subtitle) and the body (with its
  captions). Each is indexed twice: `<name>_g`, character grams with positions, for exact
  matching, and `<name>_w`, jieba words, for word-level ranking. BM25F weighs them.
* Keyword fields (KEYWORDS): authors, places, cities, topic, paper and section, matched whole.
* Columns (COLUMNS): one integer per document for each property a search filters and
  counts: the cities (a bitset), the topic and the kind (enums), the date (YYYYMMDD), the
  paper and the section (names from an open list, kept as a number: Named). Each column
  knows how to encode an article, read a user's value (`--city 太原市` and `city:太原市`
  alike, traditional script too), mask the documents that have a value and count its
  facet. Filters and facets are loops over COLUMNS: a new facet is one more column here.

Engines store and read these fields their own way (search.store for the embedded index).
numpy is imported by the methods that mask and count arrays, not here: a cluster's searches
use the columns' values and names only (numpy is ~100 ms of a cold `search --cluster`).
"""
import calendar
import datetime
import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, Tuple

from .article import KIND_NAMES, KINDS
from .errors import SearchError
from .ingest.places import CITIES
from .ingest.topics import TOPICS
from .text import fold_width, normalize


# -- text and keyword fields --------------------------------------------------------------------

@dataclass(frozen=True)
class TextField:
    name: str                       # the query field (title:) and the index fields' prefix
    weight: float                   # its weight in BM25F
    text: Callable                  # Article → the text indexed
    b: float = 0.75                 # how much its length normalizes its frequencies in BM25F

    @property
    def grams(self):
        return f"{self.name}_g"

    @property
    def words(self):
        return f"{self.name}_w"


TEXT_FIELDS = (
    # A headline is short whatever it says: its length counts for little (b), so a long
    # title holding a query ranks above a short article that mentions it once.
    TextField("title", 3.0, lambda a: " ".join(p for p in (a.kicker, a.title, a.subtitle) if p), b=0.3),
    TextField("body", 1.0, lambda a: "\n".join([a.body, *a.captions])),
)
TEXT = {f.name: f for f in TEXT_FIELDS}
INDEX_TEXT_FIELDS = {name: f for f in TEXT_FIELDS for name in (f.words, f.grams)}

# Ranking: what every engine multiplies a score by (tuned on bench/judgements.json).
GRAMS_WEIGHT = 0.5          # the characters of a term (grams), against the term as a jieba
                            # word (words: 1): 市民 as a word ranks above 市 + 民政局
BYLINE_WEIGHT = 0.2         # a plain term that is an author's name: below any text match
ALIAS_WEIGHT = 0.8          # a match through data/aliases.txt, against the term as typed
# Photo captions and notices are short, which BM25 rewards: they are scored as if they
# were as long as the average article, then weighted.
KIND_WEIGHTS = {"article": 1.0, "photo": 0.5, "notice": 0.5}


@dataclass(frozen=True)
class Keywords:
    name: str                       # the index field (author: and place: in queries)
    values: Callable                # Article → its values
    many: bool = True               # several values (comma-separated) or exactly one


KEYWORDS = (
    Keywords("author", lambda a: a.authors), Keywords("city", lambda a: a.cities),
    Keywords("topic", lambda a: [a.topic], many=False), Keywords("place", lambda a: a.places),
    Keywords("paper", lambda a: [a.paper] if a.paper else [], many=False),
    Keywords("section", lambda a: [a.section] if a.section else [], many=False),
)


# -- columns: filters and facets ----------------------------------------------------------------

class Column:
    """A property kept as one integer per document (`stored` names the index column, of
    `bits` bits). `names_field`: the keyword field an engine reads the names of the
    values from, for a column that stores them as numbers (Named)."""
    name = stored = ""
    labels = {}                     # the filter's name in words: {"en": …, "zh": …}
    bits = 32
    names_field = None

    @property
    def facets(self):
        """The facets its counts fill (the date: year and month)."""
        return (self.name,)

    def encode(self, article):
        raise NotImplementedError

    def mask(self, stored, chosen):
        """Which documents (a boolean array by docnum, from the `stored` column) pass."""
        raise NotImplementedError

    def count(self, stored, names=None):
        """{facet name: {value: count}} of these documents' values (the column, indexed);
        `names`: {number: name} of a Named column's values, read from its names_field."""
        raise NotImplementedError

    def describe(self, chosen, lang):
        """What was chosen, in words of `lang` ("en" or "zh")."""
        raise NotImplementedError


class Values(Column):
    """A column filtered by named values. Several chosen values mean documents having all
    of them (cities: every facet count stays the total of the page its link opens), or
    any of them where a document has only one (`all_of` False)."""
    values: Tuple[str, ...] = ()
    plural = ""
    all_of = True

    def normalize(self, text):
        """As values are compared: width folded, simplified (`經濟` → `经济`), lower case."""
        return normalize(text).strip()

    def value(self, text):
        """The value a user typed, as stored (`太原市` → `太原`), or None if it is not one."""
        text = self.normalize(text)
        return text if text in self.values else None

    def parse(self, text):
        value = self.value(text)
        if value is None:
            typed = self.normalize(text)
            raise SearchError(f"{self.name}: unknown {self.name} {typed!r}; {self.plural} are {' '.join(self.values)}",
                              parameter=self.name, code="unknown_value", value=typed, choices=list(self.values))
        return value

    def having(self, stored, value):
        raise NotImplementedError

    def mask(self, stored, chosen):
        import numpy as np
        masks = [self.having(stored, value) for value in chosen]
        return np.logical_and.reduce(masks) if self.all_of else np.logical_or.reduce(masks)

    def describe(self, chosen, lang):
        return self.labels[lang] + " " + " + ".join(chosen)


class Cities(Values):
    """An article's cities as a bitset: bit i for CITIES[i]."""
    name, stored, plural = "city", "city_mask", "cities"
    labels = {"en": "city", "zh": "城市"}
    values = CITIES

    def normalize(self, text):
        return super().normalize(text).removesuffix("市")

    def encode(self, article):
        return sum(1 << CITIES.index(c) for c in set(article.cities) if c in CITIES)

    def having(self, stored, value):
        return (stored & (1 << CITIES.index(value))) != 0

    def count(self, stored, names=None):
        import numpy as np
        return {"city": ranked({c: int(np.count_nonzero(stored & (1 << i))) for i, c in enumerate(CITIES)})}


class Enum(Values):
    """One value of a list, stored as its place in the list from 1 (0: none, which is how
    the dump and meta records of the index tell themselves apart from articles).
    `aliases`: other names a user may give a value (`图片` for `photo`)."""

    def __init__(self, name, stored, values, plural, labels, all_of=True, aliases=None):
        self.name, self.stored, self.values, self.plural = name, stored, values, plural
        self.labels, self.all_of, self.aliases = labels, all_of, aliases or {}

    def normalize(self, text):
        text = super().normalize(text)
        return self.aliases.get(text, text)

    def encode(self, article):
        value = getattr(article, self.name)
        return self.values.index(value) + 1 if value in self.values else 0

    def having(self, stored, value):
        return stored == self.values.index(value) + 1

    def count(self, stored, names=None):
        import numpy as np
        counts = np.bincount(stored, minlength=len(self.values) + 1)
        return {self.name: ranked({v: int(counts[i + 1]) for i, v in enumerate(self.values)})}


class Named(Values):
    """A name from an open list (the paper, the section), stored as a number: 62 bits of
    the SHA-1 of its normalized form (0: none), so that any engine filters and counts it
    like the other columns. The names as printed are also kept in the keyword field of
    the same name (`names_field`), where an engine reads them back for the facet. Any
    name is a valid filter value (one nobody printed finds nothing); several chosen mean
    any of them, as an article has one."""
    bits = 64
    all_of = False

    def __init__(self, name, labels):
        self.name, self.stored, self.names_field, self.labels = name, f"{name}_h", name, labels
        self.plural = f"{name}s"

    def normalize(self, text):
        return re.sub(r"\s+", "", normalize(text or ""))

    def key(self, text):
        """The number a name is stored as: `太原日报`, `太原日報` and ` 太原 日报` alike."""
        normal = self.normalize(text)
        if not normal:
            return 0
        return (int.from_bytes(hashlib.sha1(normal.encode("utf-8")).digest()[:8], "big") >> 2) or 1

    def value(self, text):
        shown = " ".join(str(text).split())
        return shown if self.normalize(shown) else None

    def parse(self, text):
        value = self.value(text)
        if value is None:
            raise SearchError(f"{self.name}: {str(text)[:40]!r} names no {self.name}", parameter=self.name,
                              code="unknown_value", value=str(text)[:40], choices=[])
        return value

    def encode(self, article):
        return self.key(getattr(article, self.name))

    def having(self, stored, value):
        return stored == self.key(value)

    def count(self, stored, names=None):
        """`stored`: the column's numbers, or any numbering of them from 1 that `names`
        maps to the names (an engine may count small numbers faster: the embedded one does)."""
        import numpy as np
        values = stored[stored > 0]
        names = names or {}
        if len(values) and int(values.max()) <= len(names):
            found = {number: int(n) for number, n in enumerate(np.bincount(values)) if n}
        else:
            numbers, counts = np.unique(values, return_counts=True)
            found = {int(k): int(n) for k, n in zip(numbers, counts)}
        return {self.name: ranked({names[k]: n for k, n in found.items() if k in names})}


class Dates(Column):
    """The date as the number YYYYMMDD (0: undated): sortable, and its year and month by
    division. Filtered by a range (from, to) that holds dated articles only; counted by
    year and by month."""
    name = stored = "date"
    labels = {"en": "from {} to {}", "zh": "{} 至 {}"}
    facets = ("year", "month")

    def encode(self, article):
        return date_number(article.date)

    def mask(self, stored, chosen):
        import numpy as np
        start, end = chosen
        mask = np.ones(len(stored), dtype=bool)
        if start:
            mask &= stored >= date_number(start.isoformat())
        if end:
            # Undated (0) is before every date only as a number.
            mask &= (stored > 0) & (stored <= date_number(end.isoformat()))
        return mask

    def count(self, stored, names=None):
        import numpy as np
        dated = stored[stored > 0]
        years, year_counts = np.unique(dated // 10000, return_counts=True)
        months, month_counts = np.unique(dated // 100, return_counts=True)
        return {"year": {str(int(y)): int(n) for y, n in sorted(zip(years, year_counts), reverse=True)},
                "month": {f"{int(m) // 100}-{int(m) % 100:02d}": int(n)
                          for m, n in sorted(zip(months, month_counts), reverse=True)}}

    def describe(self, chosen, lang):
        start, end = chosen
        return self.labels[lang].format(start or "…", end or "…")


CITY = Cities()
TOPIC = Enum("topic", "topic_n", TOPICS, "topics", {"en": "topic", "zh": "主题"})
KIND = Enum("kind", "kind_n", KINDS, "kinds", {"en": "kind", "zh": "类型"}, all_of=False,
            aliases={name: kind for kind, name in KIND_NAMES.items()})
DATE = Dates()
PAPER = Named("paper", {"en": "paper", "zh": "报纸"})
SECTION = Named("section", {"en": "section", "zh": "版面"})
COLUMNS = (CITY, TOPIC, DATE, KIND, PAPER, SECTION)   # in the order facets and descriptions list them
FILTERS = {c.name: c for c in COLUMNS if isinstance(c, Values)}     # city: topic: kind: paper: section: in queries


def ranked(counts):
    """Non-zero counts, largest first, then by value."""
    return dict(sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0])))


def date_number(iso):
    """2022-09-05 → 20220905 (0 for no date)."""
    return int(iso.replace("-", "")) if iso else 0


# -- the document ---------------------------------------------------------------------------

def document(article):
    """The index document of an Article: the article itself (stored), its text fields
    (each twice: words and grams), keywords and columns."""
    doc = dict(id=article.id, source=article.source, kind=article.kind, article=article.to_dict())
    for f in TEXT_FIELDS:
        doc[f.words] = doc[f.grams] = f.text(article)
    for k in KEYWORDS:
        doc[k.name] = ",".join(k.values(article)) or None       # (None: no term at all)
    for c in COLUMNS:
        doc[c.stored] = c.encode(article)
    return doc


# -- filters: what a user chose ---------------------------------------------------------------

SEPARATOR = {"en": ", ", "zh": "，"}          # between the parts of a description


@dataclass(frozen=True)
class Filters:
    """Valid filters: the values chosen per column of FILTERS (as stored, each once), and a
    date range."""
    values: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)
    date_from: Optional[datetime.date] = None
    date_to: Optional[datetime.date] = None

    @property
    def cities(self):
        return self.values.get("city", ())

    @property
    def topics(self):
        return self.values.get("topic", ())

    @property
    def kinds(self):
        return self.values.get("kind", ())

    def chosen(self):
        """(column, what was chosen) of every column in use, in the order of COLUMNS."""
        for column in COLUMNS:
            if column is DATE:
                if self.date_from or self.date_to:
                    yield column, (self.date_from, self.date_to)
            elif self.values.get(column.name):
                yield column, self.values[column.name]

    def describe(self, lang="en"):
        """In words: `city 太原 + 忻州, from 2022-01-01 to …` (lang "en" or "zh")."""
        return SEPARATOR[lang].join(c.describe(chosen, lang) for c, chosen in self.chosen())


def make_filters(values=None, date_from=None, date_to=None):
    """Filters from what a user typed: {filter name: [values]} and dates as text; a
    SearchError naming the parameter for an unknown filter, value or date."""
    chosen = {}
    for name, typed in (values or {}).items():
        if name not in FILTERS:
            raise SearchError(f"{name}: no such filter; filters are {' '.join(FILTERS)}", parameter=name,
                              code="no_such_filter", choices=list(FILTERS))
        parsed = [FILTERS[name].parse(v) for v in typed if v and v.strip()]
        if parsed:
            chosen[name] = tuple(dict.fromkeys(parsed))
    start, end = parse_date(date_from, "from"), parse_date(date_to, "to", end=True)
    if start and end and start > end:
        raise SearchError(f"from: {start} is after to: {end}", parameter="from", code="dates_reversed",
                          start=start.isoformat(), end=end.isoformat())
    return Filters(chosen, start, end)


DATE_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY"


def parse_date(value, name, end=False):
    """`YYYY-MM-DD` (or YYYY-MM, YYYY: their first day, or last with `end`) → date; also
    written `2022/3/1`, `2022.03.01`, `20220301`, `2022年3月1日`. Anything else is a
    SearchError naming the parameter `name`."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    usual = fold_width(text)
    if re.fullmatch(r"\d{8}", usual):
        usual = f"{usual[:4]}-{usual[4:6]}-{usual[6:]}"
    usual = re.sub(r"\s*[年月/.]\s*", "-", usual).removesuffix("日").rstrip("-")
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            day = datetime.datetime.strptime(usual, fmt).date()
        except ValueError:
            continue
        if end and fmt == "%Y":
            return day.replace(month=12, day=31)
        if end and fmt == "%Y-%m":           # the month's last day (no date arithmetic: 9999-12)
            return day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return day
    raise SearchError(f"{name}: {text[:40]!r} is not a date (use {DATE_FORMS})", parameter=name,
                      code="not_a_date", value=text[:40])
