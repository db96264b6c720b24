"""Dump file → Articles: reading (dumps, layout), cutting (segment, bylines), and the facets
of each item (dates, places, topics). `parse_file` and `parse_text` are the way in;
`explain_file` says why a dump was cut as it was."""
from .explain import explain_file
from .parse import parse_file, parse_text

__all__ = ["explain_file", "parse_file", "parse_text"]
