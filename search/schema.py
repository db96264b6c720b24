"""The index document format, in one place: what of an article is indexed, and how.

* Text fields (TEXT_FIELDS): the headline (kicker, title, subtitle) and the body (with its
  captions). Each is indexed twice: `<name>_g`, character grams with positions, for exact
  matching, and `<name>_w`, jieba words, for word-level ranking. BM25F weighs them.
* Keyword fields (KEYWORDS): authors, places, cities and topic, matched whole.
* Columns (COLUMNS): one integer per document for each property a search filters and
  counts: the cities (a bitset), the topic and the kind (enums), the date (YYYYMMDD). Each
  column knows how to encode an article, read a user's value (`--city 太原市` and
  `city:太原市` alike), mask the documents that have a value and count its facet. Filters
  and facets are loops over COLUMNS: a new facet is one more column here.

Engines store and read these fields their own way (search.store for the embedded index).
"""
import calendar
import datetime
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, Tuple

import numpy as np

from . import analysis
from .article import KINDS
from .errors import SearchError
from .ingest.places import CITIES
from .ingest.topics import TOPICS


# -- text and keyword fields --------------------------------------------------------------------

@dataclass(frozen=True)
class TextField:
    name: str                       # the query field (title:) and the index fields' prefix
    weight: float                   # its weight in BM25F
    text: Callable                  # Article → the text indexed

    @property
    def grams(self):
        return f"{self.name}_g"

    @property
    def words(self):
        return f"{self.name}_w"

    def field_for_word(self, word):
        """The index field holding a jieba word's postings (see analysis.is_gram_word)."""
        return self.grams if analysis.is_gram_word(word) else self.words


TEXT_FIELDS = (
    TextField("title", 3.0, lambda a: " ".join(p for p in (a.kicker, a.title, a.subtitle) if p)),
    TextField("body", 1.0, lambda a: "\n".join([a.body, *a.captions])),
)
TEXT = {f.name: f for f in TEXT_FIELDS}
INDEX_TEXT_FIELDS = {name: f for f in TEXT_FIELDS for name in (f.words, f.grams)}


@dataclass(frozen=True)
class Keywords:
    name: str                       # the index field (author: and place: in queries)
    values: Callable                # Article → its values
    many: bool = True               # several values (comma-separated) or exactly one


KEYWORDS = (
    Keywords("author", lambda a: a.authors), Keywords("city", lambda a: a.cities),
    Keywords("topic", lambda a: [a.topic], many=False), Keywords("place", lambda a: a.places),
)


# -- columns: filters and facets ----------------------------------------------------------------

class Column:
    """A property kept as one integer per document (`stored` names the index column)."""
    name = stored = ""
    labels = {}                     # the filter's name in words: {"en": …, "zh": …}

    def encode(self, article):
        raise NotImplementedError

    def mask(self, stored, chosen):
        """Which documents (a boolean array by docnum, from the `stored` column) pass."""
        raise NotImplementedError

    def count(self, stored):
        """{facet name: {value: count}} of these documents' values (the column, indexed)."""
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
        return text.strip()

    def value(self, text):
        """The value a user typed, as stored (`太原市` → `太原`), or None if it is not one."""
        text = self.normalize(text)
        return text if text in self.values else None

    def parse(self, text):
        value = self.value(text)
        if value is None:
            raise SearchError(f"{self.name}: unknown {self.name} {self.normalize(text)!r}; "
                              f"{self.plural} are {' '.join(self.values)}", parameter=self.name)
        return value

    def having(self, stored, value):
        raise NotImplementedError

    def mask(self, stored, chosen):
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
        return text.strip().removesuffix("市")

    def encode(self, article):
        return sum(1 << CITIES.index(c) for c in set(article.cities) if c in CITIES)

    def having(self, stored, value):
        return (stored & (1 << CITIES.index(value))) != 0

    def count(self, stored):
        return {"city": ranked({c: int(np.count_nonzero(stored & (1 << i))) for i, c in enumerate(CITIES)})}


class Enum(Values):
    """One value of a list, stored as its place in the list from 1 (0: none, which is how
    the dump and meta records of the index tell themselves apart from articles)."""

    def __init__(self, name, stored, values, plural, labels, all_of=True):
        self.name, self.stored, self.values, self.plural = name, stored, values, plural
        self.labels, self.all_of = labels, all_of

    def encode(self, article):
        value = getattr(article, self.name)
        return self.values.index(value) + 1 if value in self.values else 0

    def having(self, stored, value):
        return stored == self.values.index(value) + 1

    def count(self, stored):
        counts = np.bincount(stored, minlength=len(self.values) + 1)
        return {self.name: ranked({v: int(counts[i + 1]) for i, v in enumerate(self.values)})}


class Dates(Column):
    """The date as the number YYYYMMDD (0: undated): sortable, and its year and month by
    division. Filtered by a range (from, to) that holds dated articles only; counted by
    year and by month."""
    name = stored = "date"
    labels = {"en": "from {} to {}", "zh": "{} 至 {}"}

    def encode(self, article):
        return date_number(article.date)

    def mask(self, stored, chosen):
        start, end = chosen
        mask = np.ones(len(stored), dtype=bool)
        if start:
            mask &= stored >= date_number(start.isoformat())
        if end:
            # Undated (0) is before every date only as a number.
            mask &= (stored > 0) & (stored <= date_number(end.isoformat()))
        return mask

    def count(self, stored):
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
KIND = Enum("kind", "kind_n", KINDS, "kinds", {"en": "kind", "zh": "类别"}, all_of=False)
DATE = Dates()
COLUMNS = (CITY, TOPIC, DATE, KIND)                  # in the order facets and descriptions list them
FILTERS = {c.name: c for c in COLUMNS if isinstance(c, Values)}     # city: topic: kind: in queries


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
        doc[k.name] = ",".join(k.values(article))
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
            raise SearchError(f"{name}: no such filter; filters are {' '.join(FILTERS)}", parameter=name)
        parsed = [FILTERS[name].parse(v) for v in typed if v and v.strip()]
        if parsed:
            chosen[name] = tuple(dict.fromkeys(parsed))
    start, end = parse_date(date_from, "from"), parse_date(date_to, "to", end=True)
    if start and end and start > end:
        raise SearchError(f"from: {start} is after to: {end}", parameter="from")
    return Filters(chosen, start, end)


def parse_date(value, name, end=False):
    """`YYYY-MM-DD` (or YYYY-MM, YYYY: their first day, or last with `end`) → date;
    anything else is a SearchError naming the parameter `name`."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if end and fmt == "%Y":
            return day.replace(month=12, day=31)
        if end and fmt == "%Y-%m":           # the month's last day (no date arithmetic: 9999-12)
            return day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return day
    raise SearchError(f"{name}: {text[:40]!r} is not a date (use YYYY-MM-DD)", parameter=name)
