"""The article model: what a dump is cut into, and what the index stores."""
import hashlib
from dataclasses import dataclass, field
from typing import List, Optional

KINDS = ("article", "photo", "notice")


def untitled_label(kind):
    """What to show where an item has no title: photos, and articles printed without one."""
    return "（图片）" if kind == "photo" else "（无标题）"


def article_id(source, seq):
    """Stable id: the same dump (by its path under the dumps folder) gives the same ids."""
    return f"{hashlib.sha1(source.encode('utf-8')).hexdigest()[:10]}-{seq:02d}"


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

    def to_dict(self):
        """A plain dict (what `parse` prints and the index stores)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, d):
        return cls(**{k: d[k] for k in cls.__dataclass_fields__})
