"""Benchmark harness: a synthetic corpus, two baselines and the query mix they share.

    python -m bench.corpus --articles 10000      # dumps only
    python -m bench.run --articles 10000         # corpus, parse, baselines, ours → bench/out/

corpus   synthetic dumps recombined from the seed dumps (or real articles laid out as dumps)
queries  the fixed query mix, picked from the corpus by document frequency
naive    Whoosh + jieba ChineseAnalyzer, the way the tutorials do it
fts5     SQLite FTS5 over jieba-cut text
run      measures all of them, and ours through bench/ours.py
"""
import logging

import jieba

jieba.setLogLevel(logging.WARNING)      # its "Building prefix dict…" lines would clutter output
