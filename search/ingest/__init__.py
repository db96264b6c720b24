"""Dump file → Articles: reading (dumps, layout), cutting (segment, bylines), and the facets
of each item (dates, places, topics). `parse_file` and `parse_text` are the way in;
`explain_file` says why a dump was cut as it was.

They are imported on first use: searching needs only the lists of places and topics
(search.schema), not the parser (~60 ms of every cold `search`)."""
import importlib

__all__ = ["explain_file", "parse_file", "parse_text"]
_HOMES = {"explain_file": "explain", "parse_file": "parse", "parse_text": "parse"}


def __getattr__(name):
    if name in _HOMES:
        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
