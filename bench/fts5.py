"""SQLite FTS5 over jieba-cut text: the "just use SQLite" alternative.

Title and body are cut by jieba (default mode, as for queries) and stored space-joined in
an FTS5 table whose `unicode61` tokenizer then splits on those spaces, so FTS5 tokens are
jieba words. Facets live in a plain table joined by rowid. A query does what a results
page needs: top 10 by bm25 (title weighted 10×) with a `snippet()`, and city/topic/year
counts over the whole match set in one GROUP BY, with the same optional filters.
"""
import os
import re
import sqlite3
import time

import jieba

from .naive import fields
from .queries import parse

WORD = re.compile(r"\w")
BATCH = 1000
TITLE_WEIGHT = 10.0


def cut(text):
    """jieba words of `text` joined by spaces. Punctuation is kept for snippets: unicode61
    does not index it."""
    return " ".join(w for w in jieba.cut(text) if not w.isspace())


def build(articles, path):
    """Write `articles` (parsed dicts) to a new database at `path`; returns timings."""
    if os.path.exists(path):
        os.remove(path)
    jieba.initialize()
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript("""
        PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
        CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'unicode61');
        CREATE TABLE meta (id INTEGER PRIMARY KEY, aid TEXT, title TEXT, date TEXT,
                           year TEXT, city TEXT, topic TEXT);
    """)
    size, cutting = 0, 0.0
    for start in range(0, len(articles), BATCH):
        docs = [fields(a) for a in articles[start:start + BATCH]]
        t = time.perf_counter()
        rows = [(start + k, cut(d["title"]), cut(d["body"])) for k, d in enumerate(docs)]
        cutting += time.perf_counter() - t
        size += sum(len((d["title"] + d["body"]).encode("utf-8")) for d in docs)
        db.executemany("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)", rows)
        db.executemany("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [(start + k, d["id"], d["title"], d["date"], d["year"], d["city"], d["topic"])
                        for k, d in enumerate(docs)])
    db.commit()
    db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    db.commit()
    db.close()
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "jieba_seconds": round(cutting, 2),
            "articles_per_s": round(len(articles) / seconds, 1),
            "mb_per_s": round(size / 2**20 / seconds, 3),
            "index_mb": round(os.path.getsize(path) / 2**20, 1)}


def match_expression(q):
    """A user query → an FTS5 MATCH expression: words ANDed, quoted parts as phrases."""
    parts = []
    for is_phrase, text in parse(q):
        words = ['"' + w.replace('"', '""') + '"' for w in cut(text).split() if WORD.search(w)]
        if is_phrase and words:
            parts.append(" + ".join(words))         # "a" + "b": the phrase a b
        else:
            parts += words
    return " AND ".join(parts)


def _filters(q):
    sql, args = [], []
    for name in ("city", "topic"):
        if q[name]:
            sql.append(f"m.{name} = ?")
            args.append(q[name])
    if q["from"]:
        sql.append("m.date >= ?")
        args.append(q["from"])
    if q["to"]:
        sql.append("m.date <= ?")
        args.append(q["to"])
    return "".join(" AND " + s for s in sql), args


class Engine:
    """An open database, kept open between queries (a warm server)."""

    def __init__(self, path):
        self.db = sqlite3.connect(path)

    def search(self, q):
        """A query dict of bench.queries → {"total", "hits", "facets"}."""
        expression = match_expression(q["q"])
        if not expression:
            return {"total": 0, "hits": [], "facets": {"city": {}, "topic": {}, "year": {}}}
        where, args = _filters(q)
        top = self.db.execute(
            f"SELECT m.aid, m.title, snippet(fts, 1, '【', '】', '…', 24) "
            f"FROM fts JOIN meta m ON m.id = fts.rowid WHERE fts MATCH ?{where} "
            f"ORDER BY bm25(fts, {TITLE_WEIGHT}, 1.0) LIMIT 10", [expression] + args).fetchall()
        facets = {"city": {}, "topic": {}, "year": {}}
        for city, topic, year, n in self.db.execute(
                f"SELECT m.city, m.topic, m.year, count(*) FROM fts JOIN meta m ON m.id = fts.rowid "
                f"WHERE fts MATCH ?{where} GROUP BY 1, 2, 3", [expression] + args):
            for name, value in (("city", city), ("topic", topic), ("year", year)):
                facets[name][value] = facets[name].get(value, 0) + n
        hits = [{"id": aid, "title": title, "snippet": snippet.replace(" ", "")}
                for aid, title, snippet in top]
        return {"total": sum(facets["topic"].values()), "hits": hits, "facets": facets}

    def close(self):
        self.db.close()
