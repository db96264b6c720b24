"""Keeping the index to a few segments as small updates accumulate.

Every update adds a segment, and each segment has its own term dictionary: a hundred
one-dump updates would leave a hundred segments, the index several times the size of a
clean build, and every search reading them all. So each update's commit merges:

* the segments are ranked by live documents, largest first (deleted ones do not count, so
  a segment thinned by changed dumps is merged sooner, and its deleted documents go);
* each must hold more documents than all the smaller ones together: the first that does
  not is merged with all of them, into one segment.

So segment sizes at least double from one to the next among the small segments, and most
commits merge only the last few. What one update may merge is bounded: a merge re-indexes
its documents (~100–200 a second), so no merge takes more than MAX_MERGED live documents
in all, and a segment of more is never merged. The segments of a build (a worker cuts one
at a million distinct terms: ~16,000 articles) are therefore left as they are, and so is
the largest segment of a small index (merging it would cost a rebuild's time for one small
update). Small segments that together would pass the bound stay apart: there is one such
segment per few hundred to MAX_MERGED articles added by updates since the last build, and
`search-index rebuild` compacts everything.

A merge re-indexes the stored documents (each article as parsed, each dump record) with
search.index.writing's SegmentBuilder: the merged segment is what a build of the same
articles writes. (Like any re-parsed dump, it takes jieba's words from the data files of
the moment.)
"""
from whoosh.reading import SegmentReader

from .. import schema
from ..article import KINDS, Article
from . import faults, writing

MAX_MERGED = 1_000          # live documents a merge may re-index (~5–10 s), and the most it may hold


def choose(segments):
    """The segments to merge into one (none, or two and more), largest first."""
    ranked = sorted((s for s in segments if s.doc_count() <= MAX_MERGED), key=lambda s: -s.doc_count())
    if len(ranked) < len(segments):
        start = 0                    # the largest is one of the segments never merged
    else:
        start = 1                    # the largest is never merged: the cost stays that of what came since
    for i in range(start, len(ranked) - 1):
        smaller = sum(s.doc_count() for s in ranked[i + 1:])
        if ranked[i].doc_count() < smaller and ranked[i].doc_count() + smaller <= MAX_MERGED:
            return ranked[i:]
    return []


def merging(target):
    """A function of a commit's segments (search.index.writing.adopting's `merge`) that
    drops those whose documents are all deleted (a dump changed again and again would
    leave one each time) and merges those `choose` picks into one new segment of
    `target`."""
    def merge(segments):
        segments = [s for s in segments if s.doc_count()]
        chosen = choose(segments)
        if not chosen:
            return segments
        merged = reindex(target, chosen)
        faults.reach("merged")
        return [s for s in segments if s not in chosen] + merged
    return merge


def reindex(target, segments):
    """The live documents of `segments`, re-indexed into new segments of `target`."""
    builder = writing.SegmentBuilder(target)
    for segment in segments:
        reader = SegmentReader(target.storage, target.schema, segment)
        try:
            for _, stored in reader.iter_docs():
                builder.add_document(**document(stored))
        finally:
            reader.close()
    return builder.finish()


def document(stored):
    """The index document of a stored one: an article's from the Article it keeps; a
    record (dump, meta) is all stored."""
    if stored.get("kind") in KINDS:
        return schema.document(Article.from_dict(stored["article"]))
    return stored
