"""Aliases (data/aliases.txt): names that stand for one another in searches.

    太钢	太原钢铁                  a query for 太原钢铁 also finds 太钢, and the reverse
    综改区	山西转型综合改革示范区    names that stand for the same name make one group

A query term (not a quoted phrase, a prefix or a byline) that holds a name of a group also
matches with that name replaced by each other name of the group (太原钢铁集团 → 太钢集团):
`expand` puts those variants beside the term under an OR, each a Lit whose `alias` is the
term typed, so every engine evaluates them as it does any term, scores them lower
(search.schema.ALIAS_WEIGHT) and snippets mark them as aliases. The file is read again when
it changes, so a running server takes an edit at its next search.
"""
import functools
import os

from . import data
from .query import Lit, Node
from .text import normalize

FILE = "aliases.txt"
MAX_VARIANTS = 8            # aliases of one term


def groups():
    """name → the other names of its group (all normalized)."""
    path = data.path(FILE)
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return {}
    return _groups(path, stamp)


@functools.lru_cache(maxsize=4)
def _groups(path, stamp):
    members = {}
    for name, usual in data.usual_names(FILE, 1).items():
        members.setdefault(normalize(usual), {normalize(usual)}).add(normalize(name))
    found = {}
    for group in members.values():
        for name in group:
            found[name] = tuple(sorted(group - {name}, key=lambda n: (-len(n), n)))
    return found


def variants(text, table=None):
    """The texts `text` (normalized) stands for through aliases, in a fixed order."""
    table = groups() if table is None else table
    out = []
    for name in sorted(table, key=lambda n: (-len(n), n)):
        if name in text:
            out.extend(text.replace(name, other) for other in table[name])
    return list(dict.fromkeys(v for v in out if v != text))[:MAX_VARIANTS]


def expand(tree):
    """The tree with every term that holds an alias ORed with its variants; and
    {term typed: [its aliases]} for telling the user."""
    table = groups()
    used = {}

    def walk(node):
        if isinstance(node, Lit):
            if node.phrase or node.prefix or node.alias or node.field not in (None, "title"):
                return node
            found = variants(normalize(node.text), table)
            if not found:
                return node
            used.setdefault(node.text, []).extend(v for v in found if v not in used.get(node.text, []))
            return Node("or", [node] + [Lit(v, node.field, alias=node.text) for v in found])
        return Node(node.op, [walk(c) for c in node.children], node.distance)

    return (walk(tree) if tree is not None and table else tree), used
