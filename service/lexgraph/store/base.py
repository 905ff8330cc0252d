"""The store interface: one protocol, two backends (embedded Oxigraph, remote SPARQL 1.1 server).

Every named graph holds one unit that is replaced whole: a document's graph, the register, the
curation layer, the ontology. The default graph of a query is the union of all named graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from lexgraph.errors import Unavailable

#: SPARQL 1.1 Query Results JSON, as a parsed object: {"head": {"vars": [...]}, "results": ...}
#: or {"head": {}, "boolean": bool}.
SparqlJson = dict[str, Any]


@dataclass(frozen=True)
class RawResult:
    """A query result serialised in the requested media type."""

    body: bytes
    media_type: str
    truncated: bool = False


class StoreError(Unavailable):
    """The store could not be opened, reached, or a write could not be committed.

    A :class:`~lexgraph.errors.LexgraphError`: the API answers 503 ``store_unavailable`` with
    ``Retry-After``, the command line prints the message.
    """

    code = "store_unavailable"

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"Retry-After": "30"})


class StoreTimeout(StoreError, TimeoutError):
    """The store did not answer within the time allowed (a remote server's query ran too long)."""

    code = "query_timeout"


class GraphStore(Protocol):
    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> SparqlJson:
        """Run a trusted SELECT/ASK query; ``bindings`` are bound as values, never pasted in."""
        ...

    def select_json(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, hide: Iterable[str] = ()
    ) -> bytes:
        """:meth:`select`'s result as SPARQL JSON bytes, without the columns named in ``hide``
        (written compactly in UTF-8, as :func:`lexgraph.result_writers.json_document` does)."""
        ...

    def query_raw(
        self,
        sparql: str,
        media_type: str,
        default_graph_uris: Iterable[str] = (),
        named_graph_uris: Iterable[str] = (),
    ) -> RawResult:
        """Run a query and serialise the result in ``media_type``."""
        ...

    def replace_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Atomically replace one named graph with the given N-Triples."""
        ...

    def delete_graph(self, graph_iri: str) -> bool:
        """Remove a named graph; False when it did not exist."""
        ...

    def graph_names(self) -> list[str]: ...

    def has_graph(self, graph_iri: str) -> bool:
        """Whether the named graph holds any triple (without listing every graph)."""
        ...

    def count(self, graph_iri: str | None = None) -> int:
        """Triples in one named graph, or quads in the whole store."""
        ...

    def dump_nquads(self) -> bytes: ...

    def close(self) -> None: ...
