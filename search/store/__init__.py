"""The embedded index on disk: one folder of Whoosh-Reloaded 2.7.5 files.

Written by search.index, read by search.embedded; this package is the format both share:

* here: the Whoosh schema made from search.schema, and opening an index folder (a missing
  or unreadable one is a NoIndex or IndexUnreadable error; `check` opens every file);
* folder: which files of the folder make its latest commit, and which are leftovers;
* fields: our field types (jieba words, character grams), pickled into the index;
* positions: how a term's positions in a document are packed;
* records: the dump and meta records kept beside the articles;
* whoosh_internals: the only module that uses Whoosh's private attributes.
"""
import contextlib
import os
import time

from whoosh import fields as whoosh_fields, index as whoosh_index

from .. import schema
from ..errors import IndexUnreadable, NoIndex, SearchError
from . import folder, whoosh_internals  # noqa: F401 (whoosh_internals checks the Whoosh version on import)
from .fields import Grams, Words
from .records import meta

# A new version makes `search-index update` rebuild the index. 2: grams index what stands
# between units (phrases match punctuation), and two-character jieba words are words too.
SCHEMA_VERSION = 2


def whoosh_schema():
    """The Whoosh schema of search.schema's document: stored record fields, each text field
    as words and grams, keywords, and a sortable number per column (of the column's bits)."""
    spec = dict(id=whoosh_fields.ID(stored=True, unique=True), source=whoosh_fields.ID(stored=True),
                kind=whoosh_fields.ID(stored=True), article=whoosh_fields.STORED(), dump=whoosh_fields.STORED())
    for f in schema.TEXT_FIELDS:
        spec[f.words], spec[f.grams] = Words(), Grams()
    for k in schema.KEYWORDS:
        spec[k.name] = whoosh_fields.KEYWORD(commas=True) if k.many else whoosh_fields.ID()
    for c in schema.COLUMNS:
        spec[c.stored] = whoosh_fields.NUMERIC(int, bits=c.bits, signed=False, sortable=True, default=0)
    return whoosh_fields.Schema(**spec)


@contextlib.contextmanager
def reading(index_dir):
    """Whoosh's errors opening the index in `index_dir` as IndexUnreadable. OSErrors pass:
    a reader may try again (an update cleaned up a file meanwhile); errors.naming turns
    them into SearchErrors where they reach the library's caller."""
    try:
        yield
    except (SearchError, OSError):
        raise
    except Exception as e:          # Whoosh's own errors, a damaged table of contents…
        raise IndexUnreadable(index_dir, f"{type(e).__name__}: {e}" if str(e) else type(e).__name__) from e


def exists(index_dir, attempts=3):
    """Is there an index in `index_dir`? A folder listing taken while an update renames its
    new table of contents into place and deletes the old one can show neither: a folder
    that holds segments is looked at again before it counts as holding no index."""
    with reading(index_dir):
        for attempt in range(attempts):
            if whoosh_index.exists_in(index_dir):
                return True
            if attempt < attempts - 1 and os.path.isdir(index_dir) and any(map(folder.SEGMENT_FILE.fullmatch,
                                                                              os.listdir(index_dir))):
                time.sleep(0.01)
                continue
            return False


def open_index(index_dir):
    """The Whoosh index in `index_dir`; NoIndex if there is none."""
    if not exists(index_dir):
        raise NoIndex(index_dir)
    with reading(index_dir):
        return whoosh_index.open_dir(index_dir)


def check(index_dir, attempts=3):
    """Open the latest commit in `index_dir` and every segment's files, as a search would:
    NoIndex if there is none, IndexUnreadable naming what is damaged or missing. (A commit
    whose files an update cleans up meanwhile fails once, then opens: that is no damage.)"""
    for _ in range(attempts):
        try:
            with reading(index_dir), open_index(index_dir).searcher() as s:
                for segment, _ in s.reader().leaf_readers():
                    if segment.doc_count_all():
                        segment.stored_fields(0)      # Whoosh opens the stored fields lazily
                meta(s)
            return
        except IndexUnreadable as e:
            problem = e
        except OSError as e:
            where = os.path.basename(os.fsdecode(e.filename)) if e.filename else index_dir
            problem = IndexUnreadable(index_dir, f"{where}: {e.strerror or e}")
    raise problem


def create(index_dir):
    """A new, empty index in the folder `index_dir` (which exists)."""
    return whoosh_index.create_in(index_dir, whoosh_schema())


def outdated(ix):
    """Was this index written with another schema (then an update rebuilds it)?"""
    with ix.searcher() as s:
        return ix.schema.names() != whoosh_schema().names() or meta(s).get("schema") != SCHEMA_VERSION
