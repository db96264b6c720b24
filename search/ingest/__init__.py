"""Dump file → Articles: reading (dumps, layout), cutting (segment, bylines), and the facets
of each item (dates, places, topics). `parse_file` and `parse_text` are the way in."""
from .parse import parse_file, parse_text

__all__ = ["parse_file", "parse_text"]
