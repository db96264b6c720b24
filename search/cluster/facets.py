"""Facet counts on a cluster: a few GROUP BY statements over every match, as counts per facet.

What a grouping costs Sphinx 2.2 (measured on one shard, 4,400 matches): ~1 ms a statement
(the match is evaluated again for each), more with many groups (1,300 days: 15 ms), and 3-5×
more for strings than for numbers. So:

* the columns of listed values in one statement: a GROUP BY of the enums (topic, kind: a
  few dozen combinations, as cheap as grouping by one), in which each value of the
  multi-value column (the cities) is summed (SUM(IN(city, k)));
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
from typing import Callable

from .. import schema
from . import layout

LIMIT = 5000                 # values per facet (months of four centuries)


@dataclass(frozen=True)
class Grouping:
    select: str                     # what each group answers: its values, COUNT(*), sums
    group: str                      # GROUP BY this
    read: Callable                  # (rows, Names) → {facet: {value: count}}
    named: object = None            # the Named column whose keys it groups, if any

    def statement(self, index, condition):
        return (f"SELECT {self.select} FROM {index} WHERE {condition} GROUP BY {self.group} "
                f"LIMIT {LIMIT} OPTION max_matches={LIMIT}, ranker=none")


def groupings(facets):
    """The Groupings that count these facets (names of search.engine.FACETS)."""
    wanted = [c for c in schema.COLUMNS if set(c.facets) & set(facets)]
    listed = [c for c in wanted if isinstance(c, schema.Values) and not c.names_field]
    out = [_listed(listed)] if listed else []
    for column in wanted:
        if column is schema.DATE:
            out.append(Grouping("GROUPBY(), COUNT(*)", "month", _date_counts))
        elif column.names_field:
            out.append(Grouping("GROUPBY(), COUNT(*)", column.stored, _named_counts(column), column))
    return out


def _listed(columns):
    """One Grouping for the columns of listed values: by every enum (topic, kind: a few
    dozen combinations, as cheap as one), each value of a multi-value column (the cities)
    summed over the groups (SUM(IN(city, k))), a statement less than grouping by it."""
    enums = [c for c in schema.COLUMNS if isinstance(c, schema.Enum)]
    multi = [c for c in columns if c.name in layout.MULTI]
    sums = [f"SUM(IN({c.name}, {n}))" for c in multi for n in range(1, len(c.values) + 1)]

    def read(rows, names):
        count = len(enums)                  # where COUNT(*) is in a row, the sums after it
        out = {c.name: _by_number(c, ((row[k], row[count]) for row in rows))
               for k, c in enumerate(enums) if c in columns}
        at = count + 1
        for column in multi:
            out[column.name] = schema.ranked({value: sum(int(row[at + i]) for row in rows)
                                              for i, value in enumerate(column.values)})
            at += len(column.values)
        return out
    return Grouping(", ".join([c.stored for c in enums] + ["COUNT(*)"] + sums),
                    ", ".join(c.stored for c in enums), read)


def _date_counts(rows, names):
    """Counts by year and by month from the counts by month (YYYYMM; 0: undated)."""
    months = sorted(((m, int(n)) for m, n in rows if m), reverse=True)
    years = {}
    for m, n in months:
        years[str(m // 100)] = years.get(str(m // 100), 0) + n
    return {"year": years, "month": {f"{m // 100}-{m % 100:02d}": n for m, n in months}}


def _by_number(column, pairs):
    """{value: count} of (place in the column's values from 1, count) pairs."""
    counts = {}
    for n, count in pairs:
        if 0 < n <= len(column.values):
            counts[column.values[n - 1]] = counts.get(column.values[n - 1], 0) + int(count)
    return schema.ranked(counts)


def _named_counts(column):
    def read(rows, names):
        shown = names.known(column)
        return {column.name: schema.ranked({shown[int(k)]: int(n) for k, n in rows if int(k) in shown})}
    return read


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
            column = grouping.named
            if column is None:
                continue
            known = self.known(column)
            keys = sorted({int(k) for k, _ in rows if int(k) and int(k) not in known})
            if keys:
                out.append((column, f"SELECT GROUPBY(), {column.names_field} FROM {index} "
                                    f"WHERE {column.stored} IN ({', '.join(map(str, keys))}) "
                                    f"GROUP BY {column.stored} WITHIN GROUP ORDER BY {column.names_field} ASC "
                                    f"LIMIT {len(keys)} OPTION max_matches={len(keys)}, ranker=none"))
        return out

    def learn(self, column, rows):
        with self._lock:
            self._names.setdefault(column.name, {}).update((int(k), name) for k, name in rows)
