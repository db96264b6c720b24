"""Articles and dump records as rows of a shard's index (search.cluster.layout).

The text is analysed by the same functions as the embedded index (search.analysis via
search.schema's text fields): the grams field gets one token per gram position, the words
field one token per jieba word occurrence, so both engines hold the same terms at the same
positions (search.cluster.tokens: one token per position holds all of its grams). Filter columns are
search.schema's, as attributes and as `tags` tokens.
"""
import datetime
import json
import zlib
from dataclasses import asdict, dataclass

import numpy as np

from .. import analysis, schema
from ..store.records import DumpRecord
from ..text import normalize
from . import layout, sharding, tokens

FORMAT = 3                    # of rows: a dump indexed with another format is indexed again
                              # (2: the grams of issue 13, two-character words as words;
                              # 3: the paper and section columns, the article id's key)


def row(article):
    """The row of an Article, in layout.COLUMNS order."""
    values = {"id": sharding.doc_id(article)}
    for f in schema.TEXT_FIELDS:
        text = normalize(f.text(article))
        values[f.grams] = tokens.gram_stream(text)
        values[f.words] = " ".join(tokens.word_token(w) for w in analysis.index_words(text))
    for k in schema.KEYWORDS:
        if k.name in layout.KEYWORD_FIELDS:
            values[k.name] = " ".join(tokens.word_token(v) for v in keyword_values(k.values(article)))
    tags = [layout.EVERYTHING]
    for column in schema.COLUMNS:
        code = column.encode(article)
        if column.names_field:    # a Named column: its key, the name as printed, a tag
            name = getattr(article, column.name)
            values[column.stored], values[column.names_field] = code, name or ""
            tags += [layout.tag(column, name)] if code else []
        elif isinstance(column, schema.Values):
            having = values_of(column, code)
            tags += [layout.tag(column, v) for v in having]
            if column.name in layout.MULTI:
                values[column.name] = [column.values.index(v) + 1 for v in having]
            else:
                values[column.stored] = code
        else:                     # the date, and the month its facets count (years too)
            values[column.stored] = code
            values["month"] = code // 100
    values[layout.TAGS] = " ".join(tags)
    values[layout.ARTICLE_KEY] = sharding.article_key(article.id)
    values["article"] = json.dumps(article.to_dict(), ensure_ascii=False)
    return _ordered(values)


def keyword_values(values):
    """Keyword values as the embedded index splits them (comma-separated, stripped)."""
    return [v.strip() for v in ",".join(values).split(",") if v.strip()]


def values_of(column, code):
    """The values of a filter column that an encoded document has."""
    stored = np.array([code])
    return [v for v in column.values if column.having(stored, v)[0]]


# -- dump records --------------------------------------------------------------------------------

@dataclass
class Record(DumpRecord):
    """What a shard knows of a dump it holds: its file as indexed (as the embedded index's
    record), and with what."""
    data: str = ""             # fingerprint of the data files it was parsed with
    format: int = FORMAT

    @classmethod
    def from_json(cls, text):
        raw = json.loads(text)
        return cls(**{k: raw.get(k) for k in cls.__dataclass_fields__})


def record_row(record):
    indexed = datetime.datetime.fromisoformat(record.indexed_at).timestamp()
    values = {"id": sharding.record_id(record.source), layout.TAGS: "", "indexed_at": int(indexed),
              "data_crc": zlib.crc32(record.data.encode()), "article": json.dumps(asdict(record), ensure_ascii=False)}
    return _ordered(values)


def _ordered(values):
    defaults = {**{f: "" for f in layout.FIELDS + layout.STRINGS}, **{a: 0 for a in layout.NUMBERS + layout.BIGINTS},
                **{a: [] for a in layout.MULTI}}
    return tuple(values.get(c, defaults.get(c)) for c in layout.COLUMNS)
