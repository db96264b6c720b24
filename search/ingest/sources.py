"""Which paper a dump comes from, by its file name: data/sources.tsv.

Each row: a shell pattern matched against the file name (case ignored), the paper, its
home city (what `我市` means; empty for a provincial or national paper) and, optionally,
the layout its dumps are printed in when detection is not enough (see layout.LAYOUTS).
The first matching row wins.
"""
import fnmatch
import functools
from dataclasses import dataclass
from typing import Optional

from .. import data
from ..errors import SearchError
from .layout import LAYOUTS
from .places import check_city

FILE = "sources.tsv"


@dataclass(frozen=True)
class Source:
    pattern: str
    paper: str
    home: Optional[str]         # home city, None for a provincial or national paper
    layout: Optional[str]       # a pinned layout, None to detect it per dump


@functools.lru_cache(maxsize=1)
def sources():
    out = []
    for number, (pattern, paper, *rest) in data.numbered_rows(FILE, 2):
        home = rest[0] if rest and rest[0] else None
        layout = rest[1] if len(rest) > 1 and rest[1] else None
        if home:
            check_city(FILE, pattern, home)
        if layout and layout not in LAYOUTS:
            raise SearchError(f"{data.path(FILE)}: line {number}: unknown layout {layout!r}; "
                              f"layouts are {' '.join(LAYOUTS)}")
        out.append(Source(pattern, paper, home, layout))
    return out


def configured(filename):
    """The Source whose pattern matches the file name, else None."""
    lower = filename.lower()
    for source in sources():
        if fnmatch.fnmatch(lower, source.pattern.lower()):
            return source
    return None
