"""Facet counts on a cluster: a few GROUP BY statements over every match, as counts per facet.

What a grouping costs Sphinx 2.2 (measured on one shard, 4,400 matches): ~1 ms a statement
(the match is evaluated again for each), more with many groups (1,300 days: 15 ms), and 3-5×
more for strings than for numbers. So:

* cities: one GROUP BY of the multi-value attribute (each of an article's cities counted);
* the enums (topic, kind): one GROUP BY of them all (a few dozen combinations), which costs
  as much as one of them;
* the date: GROUP BY month; the years are the sums of their months;
* a Named column (paper, section): a GROUP BY of its 62-bit keys (of two such columns
  together, 5× more); the names as printed are looked up once per key and remembered
  (Names): the first spelling in code-point order among the articles with that key, as the
  embedded engine shows it.

FACET is not used: it adds an ungrouped query that needs a slot (max_matches) per value of
the largest facet, and each slot costs (5,000: ~60 ms a search).
"""
import threading
from dataclasses import dataclass
from typing import Callable, Tuple

from .. import schema
from . import layout

LIMIT = 5000                 # values per facet (months of four centuries)


@dataclass(frozen=True)
class Grouping:
    attributes: Tuple[str, ...]     # GROUP BY these
    read: Callable                  # (rows: (group values…, count), Names) → {facet: {value: count}}
    named: Tuple = ()               # the Named columns whose keys it groups

    def statement(self, index, condition):
        group = ", ".join(self.attributes)
        values = "GROUPBY()" if len(self.attributes) == 1 else group
        return (f"SELECT {values}, COUNT(*) FROM {index} WHERE {condition} GROUP BY {group} "
                f"LIMIT {LIMIT} OPTION max_matches={LIMIT}, ranker=none")


def groupings(facets):
    """The Groupings that count these facets (names of search.engine.FACETS)."""
    wanted = [c for c in schema.COLUMNS if set(c.facets) & set(facets)]
    enums = [c for c in wanted if isinstance(c, schema.Enum)]
    out = [Grouping(tuple(c.stored for c in enums), _counts_of_each(enums))] if enums else []
    for column in wanted:
        if column is schema.DATE:
            out.append(Grouping(("month",), _date_counts))
        elif column.names_field:
            out.append(Grouping((column.stored,), _counts_of_each([column]), (column,)))
        elif column.name in layout.MULTI:
            out.append(Grouping((column.name,), _counts_of_each([column])))
    return out


def _counts_of_each(columns):
    """Counts per column from the counts of combinations of their values (rows of numbers,
    then the count): a Named column's keys by their names, the others by their place in
    the column's values (from 1)."""
    def read(rows, names):
        out = {}
        for k, column in enumerate(columns):
            shown = names.known(column) if column.names_field else dict(enumerate(column.values, 1))
            counts = {}
            for row in rows:
                value = shown.get(int(row[k]))
                if value is not None:
                    counts[value] = counts.get(value, 0) + int(row[-1])
            out[column.name] = schema.ranked(counts)
        return out
    return read


def _date_counts(rows, names):
    """Counts by year and by month from the counts by month (YYYYMM; 0: undated)."""
    months = sorted(((m, int(n)) for m, n in rows if m), reverse=True)
    years = {}
    for m, n in months:
        years[str(m // 100)] = years.get(str(m // 100), 0) + n
    return {"year": years, "month": {f"{m // 100}-{m % 100:02d}": n for m, n in months}}


class Names:
    """The names as printed of Named columns' keys, looked up once per key (thread-safe)."""

    def __init__(self):
        self._names = {}
        self._lock = threading.Lock()

    def known(self, column):
        with self._lock:
            return dict(self._names.get(column.name, {}))

    def lookups(self, groupings, answers, index):
        """The statements that look up the names of keys these answers hold and that are
        not known yet: [(column, statement)]."""
        out = []
        for grouping, rows in zip(groupings, answers):
            for k, column in enumerate(grouping.named):
                known = self.known(column)
                keys = sorted({int(row[k]) for row in rows if int(row[k]) and int(row[k]) not in known})
                if keys:
                    out.append((column, f"SELECT GROUPBY(), {column.names_field} FROM {index} "
                                        f"WHERE {column.stored} IN ({', '.join(map(str, keys))}) "
                                        f"GROUP BY {column.stored} WITHIN GROUP ORDER BY {column.names_field} ASC "
                                        f"LIMIT {len(keys)} OPTION max_matches={len(keys)}, ranker=none"))
        return out

    def learn(self, column, rows):
        with self._lock:
            self._names.setdefault(column.name, {}).update((int(k), name) for k, name in rows)
