"""Page links: previous, next, the first and last page and a few around the current one."""
from dataclasses import dataclass
from typing import List, Optional

AROUND = 2                       # pages shown either side of the current one


@dataclass
class PageLink:
    number: int
    url: str
    current: bool


@dataclass
class Pagination:
    previous: Optional[str]
    next: Optional[str]
    pages: List[Optional[PageLink]]  # None marks a gap (…)


def paginate(results, params):
    """Links for every page worth showing; at most 2 * AROUND + 5 entries however many pages."""
    last, current = results.pages, results.page
    shown = sorted({1, last} | set(range(max(1, current - AROUND), min(last, current + AROUND) + 1)))
    pages = []
    for number in shown:
        if pages and number > pages[-1].number + 1:
            pages.append(None)
        pages.append(PageLink(number, params.replace(page=str(number)).url(), number == current))
    return Pagination(
        previous=params.replace(page=str(min(current - 1, last))).url() if current > 1 else None,
        next=params.replace(page=str(current + 1)).url() if current < last else None,
        pages=pages,
    )
