"""Editable data files: user dictionary, gazetteer, places, topic lexicon, sources, leads,
aliases.

They ship inside the package. Set NEWS_DATA_DIR to a folder holding edited copies of any of
them (same file names) to use those instead without touching the installed package.
"""
import hashlib
import os
from importlib import resources

FILES = ("userdict.txt", "gazetteer.tsv", "places.tsv", "topics.txt", "sources.tsv", "leads.txt", "aliases.txt")
INDEXED = FILES[:-1]        # what the index is built with (aliases are read by each search)


def path(name):
    override = os.environ.get("NEWS_DATA_DIR")
    if override and os.path.isfile(os.path.join(override, name)):
        return os.path.join(override, name)
    return str(resources.files(__name__).joinpath(name))


def numbered_lines(name):
    """(line number, line) of the file's lines but comments (#…) and blank lines, stripped."""
    with open(path(name), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith("#"):
                yield number, line


def lines(name):
    return (line for _, line in numbered_lines(name))


def numbered_rows(name, columns):
    """(line number, cells) of a .tsv data file, each with at least `columns` cells; a
    SearchError naming the file and line otherwise (an editor that saved spaces for tabs)."""
    from ..errors import SearchError
    for number, line in numbered_lines(name):
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) < columns or not all(cells[:columns]):
            raise SearchError(f"{path(name)}: line {number}: expected {columns} tab-separated columns, "
                              f"got {line[:60]!r}")
        yield number, cells


def rows(name, columns):
    """The cells of each row of a .tsv data file (see numbered_rows)."""
    return (cells for _, cells in numbered_rows(name, columns))


def usual_names(name, column, required=None):
    """{name: the usual name it stands for} of a .tsv data file whose rows start with a name
    and hold, in `column` when present, the name it stands for: places.tsv's short forms
    (综改区 → 山西转型综合改革示范区) and aliases.txt (太钢 → 太原钢铁) share this format."""
    found = {}
    for cells in rows(name, required or column + 1):
        usual = cells[column] if len(cells) > column else ""
        if usual and usual != cells[0]:
            found[cells[0]] = usual
    return found


def fingerprint():
    """A hash of the data files the index is built with: the index records it, to tell
    when a rebuild is due."""
    digest = hashlib.sha1()
    for name in INDEXED:
        with open(path(name), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:12]
