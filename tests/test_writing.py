"""The segment builder writes what Whoosh's own writer would: same search results."""
import pickle
from types import SimpleNamespace

import pytest
from whoosh.index import TOC
from whoosh.writing import PostingPool, SegmentWriter

from builders import SEEDS
from search import index
from search.index import writing
from search.searching import Searcher
from search.store.whoosh_internals import block_header


@pytest.mark.parametrize("fields", [
    (1, 0, 1.0, 0, 0, 0), (128, 123456, 3.0, 1, 5, 200), (7, 70000, 2.5, 0, 300, 255), (3, 2**31 - 1, 0.5, 1, 0, 1),
])
def test_block_headers_are_the_bytes_pickle_writes(fields):
    assert block_header(*fields) == pickle.dumps(fields, 2)


def test_an_index_written_by_whoosh_itself_answers_the_same(tmp_path, monkeypatch):
    """Build the seed index with Whoosh's SegmentWriter instead of the builder: every query
    must give the same documents, scores and facets."""
    ours = tmp_path / "ours"
    index.update(str(SEEDS), str(ours), workers=1)

    class WhooshBuilder:
        """Stands in for SegmentBuilder: documents go through Whoosh's own writer."""
        def __init__(self, target):
            # A writer of a new segment in the target folder, whether or not it holds an index yet.
            ix = SimpleNamespace(storage=target.storage, indexname=target.indexname,
                                 _read_toc=lambda: TOC(target.schema, [], 0))
            self.writer = SegmentWriter(ix, _lk=False)     # the caller holds the lock
            self.writer._tempstorage = ix.storage.temp_storage("reference.tmp")   # not the caller's
            self.writer.pool = PostingPool(self.writer._tempstorage, self.writer.newsegment)

        def add_document(self, **fields):
            self.writer.add_document(**fields)

        def finish(self):
            segment = self.writer._finalize_segment()
            self.writer._tempstorage.destroy()
            return [segment]

    monkeypatch.setattr(writing, "SegmentBuilder", WhooshBuilder)
    theirs = tmp_path / "theirs"
    index.update(str(SEEDS), str(theirs), workers=1)
    with Searcher(str(ours)) as a, Searcher(str(theirs)) as b:
        for q in ["太忻", '"推动先进要素集聚"', "老旧小区改造", "", "城市 OR 发展", "综改*", "title:太忻", "中來"]:
            ra, rb = a.search(q, per_page=50), b.search(q, per_page=50)
            assert [(h.id, h.score) for h in ra.hits] == [(h.id, h.score) for h in rb.hits], q
            assert ra.facets == rb.facets


@pytest.mark.parametrize("postings", [
    [[0]], [[3, 5, 70000]], [[1, 2, 3], [7], [65535, 65536 + 70000], [0, 200000]], [[5, 9], [2]],
])
def test_positions_encode_and_decode_in_bulk_and_one_by_one(postings):
    from search.store import positions
    flat = [p for plist in postings for p in plist]
    counts = [len(plist) for plist in postings]
    buffer, offsets, sizes = positions.encode_many(flat, counts)
    values = [buffer[o:o + s] for o, s in zip(offsets, sizes)]
    assert values == [positions.encode_one(plist) for plist in postings]
    assert [positions.decode_one(v) for v in values] == postings
    assert [positions.count(v) for v in values] == counts
    assert positions.decode_many(values, counts).tolist() == flat


def test_an_index_written_before_the_package_split_opens_and_updates_as_it_is(tmp_path, monkeypatch, seed_index):
    """Whoosh pickles the field classes' paths into the table of contents: indexes written
    before search/store/ existed name `search.fields.*`, which must still open."""
    from search.store import fields
    for cls in (fields.Words, fields.Grams, fields.PackedPositions):
        monkeypatch.setattr(cls, "__module__", "search.fields")
    old = tmp_path / "old"
    index.update(str(SEEDS), str(old), workers=1)
    monkeypatch.undo()
    toc = b"".join(p.read_bytes() for p in old.glob("*.toc"))
    assert b"csearch.fields\nGrams\n" in toc and b"search.store" not in toc
    with Searcher(str(old)) as a, Searcher(seed_index) as b:
        for q in ["太忻", '"推动先进要素集聚"', "综改*"]:
            assert [(h.id, h.score) for h in a.search(q).hits] == [(h.id, h.score) for h in b.search(q).hits], q
    assert index.update(str(SEEDS), str(old), workers=1).summary().startswith("0 added, 0 updated, 0 removed")


def test_another_whoosh_version_is_refused_with_one_line_naming_the_one_needed(monkeypatch):
    import importlib

    import whoosh

    from search.errors import SearchError
    from search.store import whoosh_internals
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 4))
    with pytest.raises(SearchError) as e:
        importlib.reload(whoosh_internals)
    assert str(e.value) == ("the index is read and written with Whoosh-Reloaded 2.7.5's internals, but Whoosh "
                            "2.7.4 is installed: pip install 'Whoosh-Reloaded==2.7.5'")
