"""Full-text search for Chinese regional newspaper dumps.

dump file → Article (ingest) → index document (schema) → index folder (index writes, store
holds) → query tree (query) → the engine interface (engine; embedded reads the folder) →
Results (searching, highlight) → formatting → CLI or web.
"""
__version__ = "0.1.0"
