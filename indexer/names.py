"""File names as people and Unicode-only parts (Whoosh terms, JSON, terminals) can take them.

On Linux a file name is bytes; Python hands undecodable bytes (a GBK name from a zip made on
Windows) over as lone surrogates, which UTF-8 cannot encode. Such a name is read and indexed
like any other; wherever it is shown or stored as text, its undecodable bytes are written as
``\\xb9`` escapes. The report's id is computed from the real name, so it stays unique.
"""
from __future__ import annotations


def printable(name: str) -> str:
    """Return ``name`` with undecodable bytes escaped (``报告\\xb9\\xfa.txt``); valid Unicode."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
