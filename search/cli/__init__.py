"""Command-line entry points: `search` (search_command) and `search-index`
(index_commands).

The library returns data; these modules only format it (search.formatting), and turn a
SearchError into one line on stderr and an exit code, in one place (reporting.reported): 0
with hits, 1 with no hits or something skipped, 2 on error, 130 when interrupted. A bad
option (click's usage errors) is one such line too (reporting.OneLineErrors). Everything
printed from data — file names, titles, snippets, queries — goes through `printable`, so a
control character in a dump's name or text cannot drive the terminal; colour only reaches a
terminal, and not with NO_COLOR set.
"""
from .index_commands import index_cli, index_main
from .reporting import fail, reported
from .search_command import search_cmd, search_main

__all__ = ["fail", "index_cli", "index_main", "reported", "search_cmd", "search_main"]
