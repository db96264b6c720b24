"""The old home of the index's field types (now search.store.fields).

Indexes written before the package split pickled `search.fields.Words`, `Grams` and
`PackedPositions` into their table of contents; unpickling it imports them from here.
"""
from .store.fields import Grams, PackedPositions, Words

__all__ = ["Grams", "PackedPositions", "Words"]
