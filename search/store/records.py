"""The index's records beside its articles: one per dump, and one about the index itself.

Every dump has a small record document (kind `dump`: path, size, mtime, content hash,
article count) inside the index, so that the list of dumps and their articles change in
one commit. The meta record (`meta:index`) says which schema version and data files the
index was built with, and when.
"""
import datetime
from dataclasses import dataclass

META_ID = "meta:index"
RECORD_KINDS = ("dump", "meta")


@dataclass
class DumpRecord:
    source: str
    size: int
    mtime_ns: int
    sha1: str
    articles: int
    indexed_at: str

    def to_document(self):
        return dict(id=f"dump:{self.source}", source=self.source, kind="dump", dump=self.__dict__.copy())


def dump_records(searcher):
    """source → DumpRecord of every dump in the index (a Whoosh searcher)."""
    return {d["source"]: DumpRecord(**d["dump"]) for d in searcher.documents(kind="dump")}


def record_count(searcher):
    """Live dump and meta records: documents that are not articles."""
    return sum(1 for kind in RECORD_KINDS for _ in searcher.document_numbers(kind=kind))


def meta(searcher):
    """What the meta record says ({} for an index without one)."""
    doc = searcher.document(id=META_ID)
    return doc["dump"] if doc else {}


def meta_document(schema_version, data_fingerprint):
    return dict(id=META_ID, kind="meta", source="", dump={
        "schema": schema_version, "data": data_fingerprint,
        "built_at": datetime.datetime.now().isoformat(timespec="seconds")})
