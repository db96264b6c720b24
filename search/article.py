"""The article model: what a dump is cut into, and what the index stores."""
import hashlib
import re
from dataclasses import MISSING, dataclass, field
from typing import List, Optional

KINDS = ("article", "photo", "notice")
KIND_NAMES = {"article": "文章", "photo": "图片", "notice": "公告"}      # as pages and `kind:` name them
ID_KEY_CHARS = 40       # how much of an item's first paragraph its id is keyed on


def untitled_label(kind):
    """What to show where an item has no title: photos, and articles printed without one."""
    return "（图片）" if kind == "photo" else "（无标题）"


def page_label(page):
    """How a paper names its page: `2` → `第2版`, `A3` → `A3版`; "" when unknown."""
    if not page:
        return ""
    return f"第{page}版" if str(page).isdigit() else f"{page}版"


def where_printed(article):
    """`太原日报 · 第2版`, `太原日报`, `第2版`, or "" when neither is known (a dict or a Hit)."""
    get = article.get if isinstance(article, dict) else lambda name: getattr(article, name, None)
    return " · ".join(part for part in (get("paper"), page_label(get("page"))) if part)


def page_order(page):
    """A sort key putting pages in print order: 1 < 2 < 10 < A1 < A2 < B1; unknown last."""
    if not page:
        return (2, "", 0)
    letters = re.match(r"[^\d]*", page).group(0)
    digits = page[len(letters):]
    return (1 if letters else 0, letters, int(digits) if digits.isdigit() else 0)


def _digest(text, size):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:size]


def dump_hash(source):
    """The part of its articles' ids that names the dump (10 hex digits)."""
    return _digest(source, 10)


def article_id(source, first_paragraph, seen=None):
    """Stable id: a hash of the dump's path under the dumps folder and one of the start of
    the item's first paragraph (`f7f6be5d04-3a9c1e`). Cutting the items before it
    differently does not move it. Where earlier items of the same dump start with the same
    text, the id gets a suffix in dump order (`-2`, `-3`): `seen` counts the items given
    each id so far in the dump, and is updated (a count, so that a dump of thousands of
    items alike is not quadratic)."""
    key = re.sub(r"\s+", "", first_paragraph or "")[:ID_KEY_CHARS]
    base = f"{dump_hash(source)}-{_digest(key, 6)}"
    if seen is None:
        return base
    seen[base] = n = seen.get(base, 0) + 1
    return base if n == 1 else f"{base}-{n}"


@dataclass
class Article:
    id: str
    source: str                 # the dump's path relative to the dumps folder (its file name)
    seq: int                    # 1-based position in the dump
    kind: str                   # article | photo | notice
    title: Optional[str]        # None for a photo, or an article printed without a title
    kicker: Optional[str]
    subtitle: Optional[str]
    section: Optional[str]      # the page banner the article sits under
    authors: List[str]
    date: Optional[str]         # YYYY-MM-DD
    cities: List[str]           # main city first
    places: List[str]
    topic: str
    body: str                   # paragraphs joined by "\n"
    captions: List[str] = field(default_factory=list)
    paper: Optional[str] = None     # the paper's name, when the source or a masthead says it
    page: Optional[str] = None      # the page (`2`, `A3`), from the file name or a page line

    def to_dict(self):
        """A plain dict (what `parse` prints and the index stores)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, d):
        """An Article from a dict; fields added later (paper, page) may be missing, as in
        an index built before they existed."""
        fields = cls.__dataclass_fields__
        return cls(**{k: d[k] for k in fields if k in d or (fields[k].default is MISSING
                                                           and fields[k].default_factory is MISSING)})
