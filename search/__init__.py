"""Full-text search for Chinese regional newspaper dumps.

dump file → Article (ingest) → index document (index) → hits (searching) → CLI or web.
"""
__version__ = "0.1.0"
