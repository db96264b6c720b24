"""Facet lists and the timeline of a results page: counts, each with a link.

A facet is Datasette's shape, `Facet(name, label, values)` with each value
`FacetValue(value, label, count, toggle_url, selected)`: a plain link that adds the filter
(or drops it when selected). The counts are the library's, over the whole match set with
the active filters applied, so a value's count is the total of the page its link opens.
"""
from dataclasses import dataclass
from typing import List, Optional

from search.article import KIND_NAMES

from .params import FILTER_LABELS, LISTS


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    toggle_url: str
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: List[FacetValue]


@dataclass
class Bar:
    label: str
    title: str                   # what the bar stands for, in words
    count: int
    url: Optional[str]           # None for a period without matches
    height: int                  # percent of the tallest bar, a multiple of 5 (CSS class h0…h100)
    selected: bool


def facets(results, params):
    """City, topic, paper, section, kind (文章 图片 公告) and year facets, and months once a
    year is chosen."""
    counts = results.facets
    found = [Facet(name, FILTER_LABELS[name], [_many(params, field, v, n) for v, n in counts.get(name, {}).items()])
             for name, field in LISTS]
    found.append(Facet("year", FILTER_LABELS["year"],
                       [_one(params, "year", int(y), f"{y}年", n) for y, n in sorted(counts["year"].items())]))
    if params.year:
        months = [(int(m[5:]), n) for m, n in sorted(counts["month"].items()) if m.startswith(f"{params.year:04d}-")]
        found.append(Facet("month", FILTER_LABELS["month"], [_one(params, "month", m, f"{m}月", n) for m, n in months]))
    return [f for f in found if f.values]


def _many(params, field, value, count):
    """A value of a facet that can hold several (cities: an article about all of them;
    papers: any of them)."""
    label = KIND_NAMES.get(value, value) if field == "kinds" else value
    return FacetValue(value, label, count, params.toggle(field, value).url(), value in getattr(params, field))


def _one(params, field, value, label, count):
    """A value of a facet that holds one at a time (year, month); a new year drops the month."""
    selected = getattr(params, field) == value
    changes = {field: None if selected else value}
    if field == "year":
        changes["month"] = None
    return FacetValue(str(value), label, count, params.replace(**changes).url(), selected)


def timeline(results, params):
    """Bars of matches per year, or per month of the chosen year; empty periods included.
    Empty when fewer than two periods have matches (one bar says nothing the total does not)."""
    if params.year:
        months = results.facets["month"]
        periods = [(f"{m}月", f"{params.year}年{m}月", months.get(f"{params.year:04d}-{m:02d}", 0),
                    params.replace(month=m), m == params.month) for m in range(1, 13)]
    else:
        years = {int(y): n for y, n in results.facets["year"].items()}
        if not years:
            return []
        periods = [(str(y), f"{y}年", years.get(y, 0), params.replace(year=y), False)
                   for y in range(min(years), max(years) + 1)]
    if sum(1 for _, _, n, _, _ in periods if n) < 2:
        return []
    tallest = max(n for _, _, n, _, _ in periods) or 1
    return [Bar(label, title, n, target.url() if n else None, 5 * round(20 * n / tallest), selected)
            for label, title, n, target, selected in periods]
