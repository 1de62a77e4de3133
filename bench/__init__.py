"""Benchmark suite: a synthetic corpus, and measurements of indexing, queries, HTTP and recall.

Everything is compared with a textbook Whoosh + jieba setup (``bench.textbook``) and with the
segmentation limit, measured in the same run, because the machine is shared and noisy: ratios
from one run mean something, absolute figures from different runs do not. See bench/README.md.
"""
