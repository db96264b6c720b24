"""The index folder's files: which make up its latest commit, and which are something else.

Whoosh keeps an index as files in one folder: a table of contents per commit
(`_MAIN_<generation>.toc`, written aside and renamed into place) naming the segments of
that commit (`MAIN_<id>.*`). Readers open the latest table of contents. So a commit, even
a full rebuild, is new segment files beside the old ones and one new table of contents:
the folder itself is never moved, which is what lets the index folder be a mount point.
Whatever no table of contents names (a failed or killed update's segments, an older
commit's files, a half-written table of contents) can be removed under the update lock.
"""
import os
import re
from types import SimpleNamespace

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

INDEX_NAME = "MAIN"                                            # Whoosh's default
TOC_FILE = re.compile(rf"_{INDEX_NAME}_(\d+)\.toc")
TOC_BEING_WRITTEN = re.compile(rf"_{INDEX_NAME}_\d+\.toc\..+")
SEGMENT_FILE = re.compile(rf"({INDEX_NAME}_[0-9a-z]+)\..+")
WRITER_FILES = {f"{INDEX_NAME}_WRITELOCK", f"{INDEX_NAME}.tmp"}   # Whoosh's writer: its lock, its sorting folder
LOCK_FILE = ".update.lock"                                    # ours (search.index.locking)


def target(index_dir, schema):
    """What a writer of new segments into `index_dir` needs (storage, index name, schema),
    whether or not the folder holds an index yet."""
    return SimpleNamespace(storage=FileStorage(index_dir), indexname=INDEX_NAME, schema=schema)


def is_index_file(name):
    """A name that Whoosh, our writers or our lock put in an index folder."""
    return bool(TOC_FILE.fullmatch(name) or TOC_BEING_WRITTEN.fullmatch(name) or SEGMENT_FILE.fullmatch(name)
                or name in WRITER_FILES or name == LOCK_FILE)


def latest_generation(index_dir):
    """The number of the latest table of contents in the folder (0 if there is none)."""
    found = [int(m.group(1)) for m in map(TOC_FILE.fullmatch, os.listdir(index_dir)) if m]
    return max(found, default=0)


def commit_files(index_dir):
    """The names of the files of the latest commit: its table of contents and its segments'
    files (Whoosh's errors if the table of contents cannot be read)."""
    toc = TOC.read(FileStorage(index_dir), INDEX_NAME)
    segments = {s.segment_id() for s in toc.segments}
    live = set()
    for name in os.listdir(index_dir):
        segment = SEGMENT_FILE.fullmatch(name)
        if name == f"_{INDEX_NAME}_{toc.generation}.toc" or (segment and segment.group(1) in segments):
            live.add(name)
    return live
