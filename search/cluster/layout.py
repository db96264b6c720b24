"""The real-time index every shard holds: its full-text fields and its attributes.

The fields are search.schema's text fields (each as grams and as words) and keywords
(authors, places), all written as tokens (search.cluster.tokens), plus `tags`: a token per
filter value an article has (`city3`, `topic5`, `kind1`) and `all`, so that a filter or a
NOT inside a query (`太忻 OR city:太原`, `-疫情`) is full-text search too. The attributes are
search.schema's columns (cities as a multi-value attribute; a Named column, the paper and
the section, as its 62-bit key and as the name as printed, which the facet counts show),
the month the date facets count (by month, and by year from the months), a key of the
article id (hidden articles are left out by it: search.cluster.sharding.article_key) and
the stored article (its JSON: snippets are made from it).
"""
TEXT_FIELDS = ("title_g", "body_g", "title_w", "body_w")
KEYWORD_FIELDS = ("author", "place")
TAGS = "tags"
FIELDS = TEXT_FIELDS + KEYWORD_FIELDS + (TAGS,)

MULTI = ("city",)                                   # the indexes (from 1) of an article's cities
NUMBERS = ("topic_n", "kind_n", "date", "month",
           "indexed_at", "data_crc")                # of dump records: when, and with which data files
ARTICLE_KEY = "article_key"
BIGINTS = ("paper_h", "section_h", ARTICLE_KEY)     # Named columns' keys (search.schema), the id's key
NAMES = ("paper", "section")                        # Named columns' names as printed
STRINGS = ("article",) + NAMES                      # the article as JSON; a dump's record (seq 0)
ATTRIBUTES = MULTI + NUMBERS + BIGINTS + STRINGS
COLUMNS = ("id",) + FIELDS + ATTRIBUTES             # the order rows are inserted in

EVERYTHING = "all"                                  # the tag every article has


def tag(column, value):
    """The tags-field token of a filter value of a search.schema column: `city3` (its place
    in the column's values), or for a Named column the name and its key (`paper3a9f…`)."""
    if column.names_field:
        return f"{column.name}{column.key(value):x}"
    return f"{column.name}{column.values.index(value)}"


TYPES = {**{a: "MULTI" for a in MULTI}, **{a: "INTEGER" for a in NUMBERS}, **{a: "BIGINT" for a in BIGINTS},
         **{a: "STRING" for a in STRINGS}}


def missing_attributes(described):
    """`ALTER TABLE` statements adding the attributes a shard's index lacks, from its
    `DESCRIBE` rows: an index made before a column was added keeps its own schema (searchd
    reads it from disk, not from searchd.conf). Its rows get values when their dumps are
    loaded again (search.cluster.documents.FORMAT). None if a full-text field is missing,
    which no statement adds."""
    have = {name for name, _ in described}
    if set(FIELDS) - have:
        return None
    return [f"ALTER TABLE {{index}} ADD COLUMN {a} {TYPES[a]}" for a in ATTRIBUTES if a not in have]


def index_section(name, path):
    """The searchd.conf section of a shard's real-time index."""
    lines = [f"index {name}", "{", "    type = rt", f"    path = {path}"]
    lines += [f"    rt_field = {f}" for f in FIELDS]
    lines += [f"    rt_attr_multi = {a}" for a in MULTI]
    lines += [f"    rt_attr_uint = {a}" for a in NUMBERS]
    lines += [f"    rt_attr_bigint = {a}" for a in BIGINTS]
    lines += [f"    rt_attr_string = {a}" for a in STRINGS]
    lines += [
        "    charset_table = 0..9, a..z      # tokens are ASCII codes of our terms (search.cluster.tokens)",
        "    min_word_len = 1",
        "    dict = keywords",
        "    min_prefix_len = 1              # prefix searches: a unit's grams, words by their start",
        "    index_field_lengths = 1         # for bm25f's length normalization",
        "    rt_mem_limit = 256M",
        "}",
    ]
    return "\n".join(lines)
