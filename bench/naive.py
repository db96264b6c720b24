"""The naive baseline: Whoosh with jieba's ChineseAnalyzer, as the tutorials show it.

One writer with default settings (`ix.writer()`: one process, 128 MB), title and body
analysed by `jieba.analyse.ChineseAnalyzer` (jieba's search mode), everything stored. The
facet fields are sortable (column-stored) so that `groupedby` is not needlessly slow: the
baseline should be naive, not crippled. A query does what a results page needs: top 10,
highlighted body fragments, and city/topic/year counts over every match.

Known weakness, kept because it is what a user of these tools gets: jieba's tokenizer
gives each word its character offset as its position, so Whoosh sees two words as
adjacent only after a one-character word: phrase queries of longer words find nothing.
"""
import os
import shutil
import time

import jieba
from jieba.analyse import ChineseAnalyzer
from whoosh import index, sorting
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser
from whoosh.query import And, Term, TermRange

FACETS = ("city", "topic", "year")


def schema():
    analyzer = ChineseAnalyzer()
    return Schema(id=ID(stored=True), title=TEXT(stored=True, analyzer=analyzer),
                  body=TEXT(stored=True, analyzer=analyzer), date=ID(stored=True, sortable=True),
                  year=ID(sortable=True), city=ID(stored=True, sortable=True),
                  topic=ID(stored=True, sortable=True))


def fields(article):
    """What the baselines index of a parsed article: its main city only."""
    return {"id": article["id"], "title": article["title"] or "", "body": article["body"],
            "date": article["date"] or "", "year": (article["date"] or "")[:4],
            "city": article["cities"][0] if article["cities"] else "", "topic": article["topic"]}


def build(articles, path):
    """Index `articles` (parsed dicts) into a new index at `path`; returns timings."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    jieba.initialize()                  # loading the dictionary is not indexing
    started = time.perf_counter()
    ix = index.create_in(path, schema())
    writer = ix.writer()
    size = 0
    for article in articles:
        doc = fields(article)
        size += len((doc["title"] + doc["body"]).encode("utf-8"))
        writer.add_document(**doc)
    writer.commit()
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "articles_per_s": round(len(articles) / seconds, 1),
            "mb_per_s": round(size / 2**20 / seconds, 3), "index_mb": round(_size(path) / 2**20, 1)}


def _size(path):
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))


class Engine:
    """An open index and searcher, kept open between queries (a warm server)."""

    def __init__(self, path):
        self.ix = index.open_dir(path)
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema)

    def search(self, q):
        """A query dict of bench.queries → {"total", "hits", "facets"}."""
        filters = [Term(f, q[f]) for f in ("city", "topic") if q[f]]
        if q["from"] or q["to"]:
            filters.append(TermRange("date", q["from"], q["to"]))
        facets = sorting.Facets()
        for name in FACETS:
            facets.add_field(name, maptype=sorting.Count)
        results = self.searcher.search(self.parser.parse(q["q"]), limit=10, groupedby=facets,
                                       filter=And(filters) if filters else None)
        # With groupedby Whoosh collects and sorts every match: iterating would highlight all.
        hits = [{"id": h["id"], "title": h["title"], "snippet": h.highlights("body")} for h in results[:10]]
        return {"total": len(results), "hits": hits,
                "facets": {name: dict(results.groups(name)) for name in FACETS}}

    def close(self):
        self.searcher.close()
