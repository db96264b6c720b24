"""Which shard holds what, and the document ids Sphinx knows our articles by.

A dump's articles and its record live together on one shard, chosen by a hash of the dump
(the first part of every article id is a hash of the dump's path): IDF is per shard, so
shards must be random samples of the archive, never a city or a year each; and one dump
is then one transaction on one shard (search.cluster.loading). The hash is a jump
consistent hash: going from N to N+1 shards moves only 1/(N+1) of the dumps, and
`search-index update --cluster` moves them.

Sphinx ids are 64-bit integers: the dump's hash (40 bits) and the item's `seq` (20 bits);
seq 0 is the dump's record. An article id (`f7f6be5d04-ac6655`) names its dump in its first
part, so an article is found by id among the rows of its dump's id range. Its seq is not
in the id, so each row also keeps a 62-bit key of the article id (`article_key`): hidden
articles are left out of a search by their keys, without looking their rows up.
"""
import hashlib
import re

from ..article import dump_hash

_ARTICLE_ID = re.compile(r"([0-9a-f]{10})-[0-9a-f]{6}(?:-\d+)?")

SEQ_BITS = 20
MAX_SEQ = (1 << SEQ_BITS) - 1


def dump_key(source):
    """The 40-bit hash of a dump that starts the ids of its articles."""
    return int(dump_hash(source), 16)


def doc_id(article):
    """The Sphinx id of an Article: its dump's hash and its place in the dump."""
    if not 0 < article.seq <= MAX_SEQ:
        raise ValueError(f"{article.id}: item number {article.seq} out of range for a cluster id")
    return int(article.id[:10], 16) << SEQ_BITS | article.seq


def article_key(article_id):
    """The 62-bit key of an article id (positive as Sphinx's signed 64-bit attributes)."""
    return int.from_bytes(hashlib.sha1(str(article_id).encode("utf-8")).digest()[:8], "big") >> 2


def dump_range_of(article_id):
    """The Sphinx id range of the dump an article id names, or None if it is not an id."""
    m = _ARTICLE_ID.fullmatch(str(article_id))
    return _range(int(m.group(1), 16)) if m else None


def record_id(source):
    return dump_key(source) << SEQ_BITS


def id_range(source):
    """The ids of a dump's record and items, lowest and highest."""
    return _range(dump_key(source))


def _range(key):
    first = key << SEQ_BITS
    return first, first | MAX_SEQ


def owner(source, shards):
    """The shard (0 … shards-1) that holds a dump."""
    return jump_hash(dump_key(source), shards)


def jump_hash(key, buckets):
    """Lamping and Veach's jump consistent hash of a 64-bit key into `buckets`."""
    b, j = -1, 0
    while j < buckets:
        b = j
        key = (key * 2862933555777941757 + 1) & 0xFFFFFFFFFFFFFFFF
        j = int((b + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return b
