"""A ``VALUES`` block written into a query's text, first in its top-level WHERE group.

Both backends bind parameters this way: a SPARQL server through the text alone, the embedded
store beside pyoxigraph's substitution (see :func:`lexgraph.store.oxigraph.with_values`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_IRI_TOKEN = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_STRING_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'',
    re.DOTALL,
)


def where_brace(sparql: str) -> int:
    """The offset of the ``{`` that opens the query's top-level WHERE group.

    A scan that skips comments, IRIs and strings; the first brace found is the WHERE group's,
    unless it belongs to an ``EXISTS`` in the projection (refused: ValueError).
    """
    i = 0
    n = len(sparql)
    while i < n:
        ch = sparql[i]
        if ch == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch == "<":
            m = _IRI_TOKEN.match(sparql, i)
            if m:
                i = m.end()
                continue
        if ch in "\"'":
            m = _STRING_TOKEN.match(sparql, i)
            if m:
                i = m.end()
                continue
        if ch == "{":
            before = sparql[:i].rstrip().upper()
            if before.endswith("EXISTS"):
                break
            return i
        i += 1
    raise ValueError("no top-level WHERE group found to bind parameters in")


@lru_cache(maxsize=512)
def _after_where_brace(sparql: str) -> int:
    return where_brace(sparql) + 1


def insert_values(sparql: str, names: Sequence[str], terms: Sequence[str]) -> str:
    """``sparql`` with ``VALUES (?name ...) { (term ...) }`` first in its WHERE group; ``terms``
    are written SPARQL terms. ValueError when the query has no WHERE group to put it in."""
    at = _after_where_brace(sparql)
    variables = " ".join("?" + n for n in names)
    return f"{sparql[:at]}\n  VALUES ({variables}) {{ ({' '.join(terms)}) }}\n{sparql[at:]}"
