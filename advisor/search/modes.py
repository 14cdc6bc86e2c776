"""Retrieval modes: named apart from retrieval so that the CLI can offer them without loading it."""

MODES = ("hybrid", "dense", "bm25")  # fused, embeddings only, BM25 only
