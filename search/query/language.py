"""Parsing a query string into a tree (search.query.tree), leniently.

Grammar, loosest first:  or := and ("OR" and)*   and := unary ("AND"? unary)*
unary := "NOT" unary | "-" atom | atom   atom := "(" or ")" | field:"phrase" | field:word | "phrase" | word[*]

Nothing is an error: a quote left open closes at the end, a ")" without "(" is skipped, a
"(" without ")" closes at the end, brackets deeper than MAX_DEPTH are plain brackets, a
dangling NOT or an empty field is dropped, an unknown field is plain text, and terms past
MAX_TERMS are dropped as if they had not been typed.
"""
import re

from .. import analysis
from ..text import normalize
from .tree import FIELDS, Lit, Node

MAX_TERMS = 32            # terms per query; the rest of a very long query is ignored
MAX_DEPTH = 8             # nested brackets; deeper ones are read as plain brackets

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
                parts.append(self.parse_unary(depth))
        return _joined("and", parts)

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


def term(tok):
    """One token as a Lit: a phrase, a field's value, a word or a prefix; None if it holds
    nothing searchable."""
    if tok.startswith('"'):
        text = tok.strip('"').strip()
        return Lit(text, phrase=True) if text else None
    fieldname, sep, rest = tok.partition(":")
    if sep and fieldname.lower() in FIELDS:
        if rest.startswith('"'):
            rest = rest.strip('"')
            return Lit(rest, field=fieldname.lower(), phrase=True) if rest else None
        return _word(rest, fieldname.lower()) if rest else None
    return _word(tok, None)


def _word(text, fieldname):
    prefix = text.endswith("*")
    text = text.strip("*")
    if not analysis.WORD_CHAR.search(normalize(text)):
        return None                  # `*`, `-`, punctuation alone: nothing to search
    return Lit(text, field=fieldname, prefix=prefix)
