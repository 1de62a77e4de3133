"""Indexer side of policy-search: read report files, clean them, extract metadata, build the index."""
