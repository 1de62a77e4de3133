"""Search side of policy-search: text analysis, schema, index store and the query engine.

Imports go one way: ``web`` → ``search`` ← ``indexer``. Nothing here imports ``indexer`` or ``web``.
"""
