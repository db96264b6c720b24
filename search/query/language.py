"""Parsing a query string into a tree (search.query.tree), leniently.

Grammar, loosest first:  or := and ("OR" and)*   and := near ("AND"? near)*
near := unary ("NEAR" | "NEAR/n" unary)*   unary := "NOT" unary | "-" atom | atom
atom := "(" or ")" | field:"(" or ")" | field:"phrase" | field:word | "phrase" | word[*]

A field before a group applies to every term inside that names no field of its own
(`title:(太忻 OR 老旧)` is `title:太忻 OR title:老旧`). NEAR/n binds two terms that stand
within n characters of each other (NEAR alone: n = NEAR_DISTANCE); between anything else it
is AND, and a NEAR with nothing on one side is a plain word.

Nothing is an error: a quote left open closes at the end, a ")" without "(" is skipped, a
"(" without ")" closes at the end, brackets deeper than MAX_DEPTH are plain brackets, a
dangling NOT or an empty field is dropped, an unknown field is plain text, and terms past
MAX_TERMS are dropped as if they had not been typed.
"""
import re

from .. import analysis
from ..text import normalize
from .tree import FIELDS, FILTER_FIELDS, Lit, Node

MAX_TERMS = 32            # terms per query; the rest of a very long query is ignored
MAX_DEPTH = 8             # nested brackets; deeper ones are read as plain brackets
NEAR_DISTANCE = 10        # characters between the two terms of a NEAR without /n
MAX_DISTANCE = 1000

_NEAR = re.compile(r"NEAR(?:/(\d{1,6}))?")

_TOKEN = re.compile(r'[^\s()":]+:"[^"]*"?|"[^"]*"?|\(|\)|[^\s()"]+')


def tokens(qstring):
    return _TOKEN.findall(qstring)


def parse(qstring):
    """A query string → a tree of Node/Lit, or None for an empty query."""
    return _Parser(tokens(qstring)).parse_or(0)


class _Parser:
    """Recursive descent over the tokens; `depth` counts the open brackets."""

    def __init__(self, toks):
        self.toks, self.pos, self.kept = toks, 0, 0

    def peek(self):
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self):
        self.pos += 1
        return self.toks[self.pos - 1]

    def parse_or(self, depth):
        parts = [self.parse_and(depth)]
        while self.peek() == "OR":
            self.take()
            parts.append(self.parse_and(depth))
        return _joined("or", parts)

    def parse_and(self, depth):
        parts = []
        while self.peek() is not None and self.peek() != "OR":
            if self.peek() == ")":
                if depth:
                    break
                self.take()                  # a stray ")" is ignored
            elif self.peek() == "AND":       # words are ANDed anyway
                self.take()
            else:
                parts.append(self.parse_near(depth))
        return _joined("and", parts)

    def parse_near(self, depth):
        left = self.parse_unary(depth)
        while left is not None and self.near_follows():
            distance = self.take_near()
            right = self.parse_unary(depth)
            left = _near(left, right, distance)
        return left

    def near_follows(self):
        """Is the next token NEAR(/n), with a term after it?"""
        tok, after = self.peek(), self.toks[self.pos + 1] if self.pos + 1 < len(self.toks) else None
        return tok is not None and _NEAR.fullmatch(tok) is not None and after not in (None, "OR", ")", "AND")

    def take_near(self):
        number = _NEAR.fullmatch(self.take()).group(1)
        return min(int(number), MAX_DISTANCE) if number is not None else NEAR_DISTANCE

    def parse_unary(self, depth):
        tok = self.take()
        if tok == "NOT":
            if self.peek() in (None, "OR", ")"):
                return None                  # a dangling NOT: nothing to exclude
            return _negated(self.parse_unary(depth))
        if tok.startswith("-") and len(tok) > 1:
            return _negated(self.atom(tok[1:], depth))
        return self.atom(tok, depth)

    def atom(self, tok, depth):
        if tok == "(":
            return self.group(depth)
        if tok.endswith(":") and tok[:-1].lower() in FIELDS and self.peek() == "(":
            self.take()
            return _in_field(self.group(depth), tok[:-1].lower())
        lit = term(tok)
        if lit is None or self.kept >= MAX_TERMS:
            return None
        self.kept += 1
        return lit

    def group(self, depth):
        if depth >= MAX_DEPTH:
            return None
        inner = self.parse_or(depth + 1)
        if self.peek() == ")":
            self.take()
        return inner


def _joined(op, parts):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Node(op, parts)


def _negated(inner):
    return Node("not", [inner]) if inner is not None else None


def _near(left, right, distance):
    """left NEAR right: a near node of two terms (a chain's last term pairs with the next);
    AND between anything else."""
    if right is None:
        return left
    last = left.children[-1] if isinstance(left, Node) and left.op == "near" else left
    if isinstance(last, Lit) and isinstance(right, Lit) and not (last.prefix or right.prefix) \
            and last.field not in FILTER_FIELDS and right.field not in FILTER_FIELDS:
        pair = Node("near", [last, right], distance)
        return pair if last is left else Node("and", [left, pair])
    if isinstance(left, Node) and left.op == "and":
        return Node("and", left.children + [right])
    return Node("and", [left, right])


def _in_field(node, fieldname):
    """A group with `fieldname` given to every term in it that names no field."""
    if node is None:
        return None
    if isinstance(node, Lit):
        return node if node.field is not None else Lit(node.text, fieldname, node.phrase, node.prefix)
    return Node(node.op, [_in_field(c, fieldname) for c in node.children], node.distance)


def term(tok):
    """One token as a Lit: a phrase, a field's value, a word or a prefix; None if it holds
    nothing searchable."""
    if tok.startswith('"'):
        text = tok.strip('"').strip()
        return Lit(text, phrase=True) if analysis.WORD_CHAR.search(normalize(text)) else None
    fieldname, sep, rest = tok.partition(":")
    if sep and fieldname.lower() in FIELDS:
        if rest.startswith('"'):
            rest = rest.strip('"').strip()
            return Lit(rest, field=fieldname.lower(), phrase=True) if analysis.WORD_CHAR.search(normalize(rest)) else None
        return _word(rest, fieldname.lower()) if rest else None
    return _word(tok, None)


def _word(text, fieldname):
    prefix = text.endswith("*")
    text = text.strip("*")
    if not analysis.WORD_CHAR.search(normalize(text)):
        return None                  # `*`, `-`, punctuation alone: nothing to search
    return Lit(text, field=fieldname, prefix=prefix)
