"""The embedded engine: the index folder searched in this process with numpy.

engine (EmbeddedEngine: commits, refresh, one search) → evaluate (a query tree → Hits) →
snapshot (a commit's postings and columns as arrays) → hits (the algebra, the order).
"""
from .engine import EmbeddedEngine

__all__ = ["EmbeddedEngine"]
