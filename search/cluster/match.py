"""A query tree (search.query) written as a Sphinx extended query, for MATCH().

Each leaf means what search.embedded.evaluate makes of it, over the same terms
(search.cluster.tokens):

    太忻              grams: the phrase of search.analysis.phrase_slots, "592a5ffbr*"
    陈俊琦            also its byline
    老旧小区改造        its chunks, each such a phrase, all required; the whole term scores extra
    "…"               one phrase
    综改*             words that start with it (words fields), and two-character grams
    title:…           the same in the headline fields only
    author:… place:…  keyword tokens (place: also the text)
    city:太原 (under OR/NOT)   the tag city0
    -x, NOT x         every article (the tag `all`) without x
    a NEAR/n b        a b, and their phrases in one window of Sphinx's proximity operator
                      (its own NEAR ignores the distance): see _near

Scores are Sphinx's (an expression ranker of BM25F: search.cluster.engine); a word that
only ranks in the embedded engine (AND MAYBE) is written `A | (A B)`: the same matches,
B adding to the score (Sphinx 2.2.11's own MAYBE drops A's documents that lack B).
"""
from .. import analysis, schema
from ..query import Lit, chunks
from ..query.tree import is_not
from ..text import normalize
from . import layout, tokens

EVERYTHING = f"(@{layout.TAGS} {layout.EVERYTHING})"
NOTHING = f"(@{layout.TAGS} none)"              # a tag no document has


def match(tree, scored=True):
    """The MATCH() text of a tree (None: no full-text condition, every article). Not
    `scored`: the same matches without what only adds to the score (each `A | (A B)` is A;
    for facet counts, which Sphinx evaluates once more each)."""
    return None if tree is None else _node(tree, scored)


def _node(node, scored):
    if isinstance(node, Lit):
        return _literal(node, scored)
    if node.op == "or":
        return "(" + " | ".join(_node(c, scored) for c in node.children) + ")"
    if node.op == "not":
        return f"({EVERYTHING} -{_node(node.children[0], scored)})"
    if node.op == "near":
        return _near(node, scored)
    positives = [_node(c, scored) for c in node.children if not is_not(c)] or [EVERYTHING]
    negatives = [f"-{_node(c.children[0], scored)}" for c in node.children if is_not(c)]
    return "(" + " ".join(positives + negatives) + ")"


def _near(node, scored):
    """A NEAR/n B: both, with a phrase of each in one window of Sphinx's proximity operator
    (`"a b c"~N` finds its k keywords within N + k - 1 positions, in any order; Sphinx
    2.2's NEAR ignores its distance). A phrase's keywords are its slots, one per position
    from its first unit; its units may reach e positions further (a pair's second
    character: e = 1). Occurrences of A and B with at most n positions between them span
    at most n + e + (keywords of A) + (keywords of B) positions, whichever comes first,
    when e is the same for both: N = n + 1 + e. Where it is not, the phrase that reaches
    further gets keywords for its last units (any token of the unit: `76ee*`) until it is.
    The window holds keywords, not phrases: an article whose phrases occur elsewhere while
    their keywords meet within the window would be found here, not by the embedded engine.
    Operands that are not text (a byline, a prefix) make NEAR an AND, as there."""
    both = "(" + " ".join(_node(c, scored) for c in node.children) + ")"
    sides = [_near_side(c) for c in node.children]
    if None in sides:
        return both
    fields = [f for f in schema.TEXT if f in sides[0][0] and f in sides[1][0]]
    windows = []
    for a, units_a in sides[0][1]:
        for b, units_b in sides[1][1]:
            reach = min(len(units_a) - len(a), len(units_b) - len(b))
            a, b = a + units_a[len(a):len(units_a) - reach], b + units_b[len(b):len(units_b) - reach]
            windows.append(f'"{" ".join(a + b)}"~{node.distance + 1 + reach}')
    if not fields or not windows:
        return NOTHING
    return f"({both} (@{_names(fields, 'grams')} ({' | '.join(windows)})))"


def _near_side(node):
    """(text fields, [(patterns of a phrase's slots, patterns of each of its units)]) of a
    NEAR operand, a text term or an OR of them (its aliases); None for anything else."""
    lits = [node] if isinstance(node, Lit) else node.children if node.op == "or" else []
    fields, phrases = set(), []
    for lit in lits:
        if not isinstance(lit, Lit) or lit.prefix or lit.field not in (None, *schema.TEXT):
            return None
        fields.update([lit.field] if lit.field else schema.TEXT)
        text = normalize(lit.text)
        slots, units = analysis.phrase_slots(text), [tokens.unit_code(u) + "*" for u, _, _ in analysis.units(text)]
        phrases += [(patterns, units) for patterns in tokens.phrase_patterns(slots)] if slots else []
    return (fields, phrases) if lits else None


def _literal(lit, scored):
    if lit.field in schema.FILTERS:
        column = schema.FILTERS[lit.field]
        value = column.value(lit.text)
        if value is not None:
            return f"(@{layout.TAGS} {layout.tag(column, value)})"
        lit = Lit(f"{lit.field}:{lit.text}")             # not a filter value: plain text
    text = normalize(lit.text)
    every = tuple(schema.TEXT)
    if lit.field == "author":
        value = lit.text.strip()
        return _any("author", [tokens.word_token(v) for v in dict.fromkeys((value, normalize(value)))])
    if lit.field == "place":
        return f"({_any('place', [tokens.word_token(lit.text.strip())])} | {_grams(text, every)})"
    fields = (lit.field,) if lit.field in schema.TEXT else every
    if lit.prefix:
        return _prefix(text, fields)
    pieces = [text] if lit.phrase else chunks(text)
    if len(pieces) <= 1:
        found = _clause(text, fields, scored)
    else:
        required = " ".join(_clause(piece, fields, scored) for piece in pieces)
        found = _boosted(required, _grams(text, fields), scored)
    if lit.field is None:                            # a plain term also finds its byline
        value = lit.text.strip()
        found = f"({found} | {_any('author', [tokens.word_token(v) for v in dict.fromkeys((value, normalize(value)))])})"
    return found


def _clause(text, fields, scored):
    """Must contain `text` (its grams); its jieba words add to the score."""
    found = _grams(text, fields)
    words = [tokens.word_token(w) for w in dict.fromkeys(analysis.index_words(text))]
    if not words or found == NOTHING:
        return found
    return _boosted(found, _any(_names(fields, "words"), words), scored)


def _grams(text, fields):
    slots = analysis.phrase_slots(text)
    if not slots:
        return NOTHING
    names = _names(fields, "grams")
    phrases = [p[0] if len(p) == 1 else f'"{" ".join(p)}"' for p in tokens.phrase_patterns(slots)]
    return f"(@{names} {phrases[0]})" if len(phrases) == 1 else f"(@{names} ({' | '.join(phrases)}))"


def _prefix(text, fields):
    """Words that start with `text`, and the two-character grams that do."""
    parts = [_any(_names(fields, "words"), tokens.word_prefix_patterns(text))]
    grams = tokens.two_character_grams_starting(text)
    if grams:
        parts.append(_any(_names(fields, "grams"), grams))
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def _boosted(required, extra, scored):
    return f"({required} | ({required} {extra}))" if scored else required


def _any(names, patterns):
    return f"(@{names} {patterns[0]})" if len(patterns) == 1 else f"(@{names} ({' | '.join(patterns)}))"


def _names(fields, kind):
    """`@title_g` or `@(title_g,body_g)`: the index fields of these text fields."""
    names = [getattr(schema.TEXT[f], kind) for f in fields]
    return names[0] if len(names) == 1 else "(" + ",".join(names) + ")"
