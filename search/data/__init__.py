"""Editable data files: user dictionary, gazetteer, places, topic lexicon, sources.

They ship inside the package. Set NEWS_DATA_DIR to a folder holding edited copies of any of
them (same file names) to use those instead without touching the installed package.
"""
import hashlib
import os
from importlib import resources

FILES = ("userdict.txt", "gazetteer.tsv", "places.tsv", "topics.txt", "sources.tsv")


def path(name):
    override = os.environ.get("NEWS_DATA_DIR")
    if override and os.path.isfile(os.path.join(override, name)):
        return os.path.join(override, name)
    return str(resources.files(__name__).joinpath(name))


def lines(name):
    """The file's lines without comments (#…) and blank lines, stripped."""
    with open(path(name), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


def rows(name):
    """Tab-separated rows of a .tsv data file."""
    for line in lines(name):
        yield [cell.strip() for cell in line.split("\t")]


def fingerprint():
    """A hash of all data files: the index records it, to tell when a rebuild is due."""
    digest = hashlib.sha1()
    for name in FILES:
        with open(path(name), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:12]
