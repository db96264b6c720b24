"""Facet counts of a whole match set: by city, topic, year, month and kind.

Counted with numpy over the per-document columns of an index snapshot (search.engine),
so counting the facets of 50,000 matches is a handful of vector operations. Counts are of
the matches' own values: an article about 太原 and 忻州 counts under both cities.
"""
import numpy as np

from .article import KINDS
from .ingest.places import CITIES
from .ingest.topics import TOPICS


def counts(columns, docs):
    """{facet: {value: count}} for an array of matching docnums, largest first."""
    dates = columns["date"][docs]
    masks = columns["city_mask"][docs]
    topics = np.bincount(columns["topic_n"][docs], minlength=len(TOPICS) + 1)
    kinds = np.bincount(columns["kind_n"][docs], minlength=len(KINDS) + 1)
    dated = dates[dates > 0]
    years, year_counts = np.unique(dated // 10000, return_counts=True)
    months, month_counts = np.unique(dated // 100, return_counts=True)
    return {
        "city": _ranked({c: int(np.count_nonzero(masks & (1 << i))) for i, c in enumerate(CITIES)}),
        "topic": _ranked({t: int(topics[i + 1]) for i, t in enumerate(TOPICS)}),
        "year": {str(int(y)): int(n) for y, n in sorted(zip(years, year_counts), reverse=True)},
        "month": {f"{int(m) // 100}-{int(m) % 100:02d}": int(n)
                  for m, n in sorted(zip(months, month_counts), reverse=True)},
        "kind": _ranked({k: int(kinds[i + 1]) for i, k in enumerate(KINDS)}),
    }


def _ranked(values):
    return dict(sorted(((k, v) for k, v in values.items() if v), key=lambda kv: (-kv[1], kv[0])))
