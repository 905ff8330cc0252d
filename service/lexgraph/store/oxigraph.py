"""The embedded, persistent store: pyoxigraph over RocksDB.

Writes of one named graph are one SPARQL Update, which Oxigraph commits as one atomic RocksDB
batch: after a crash the graph is wholly old or wholly new.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from lexgraph.store.base import RawResult, SparqlJson, StoreError

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def to_oxigraph(value: Any) -> Any:
    """An rdflib term, a pyoxigraph term or a plain Python value as a pyoxigraph term."""
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype or XSD.string)))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(str(XSD.boolean)))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer)))
    if isinstance(value, str):
        return ox.Literal(value)
    raise TypeError(f"cannot bind a {type(value).__name__} as a SPARQL term")


def _check_iri(iri: str) -> str:
    if not iri or any(c in iri for c in '<>"{}|^`\\ \n\r\t'):
        raise ValueError(f"not an absolute IRI: {iri!r}")
    return iri


class OxigraphStore:
    """The :class:`~lexgraph.store.base.GraphStore` over a pyoxigraph store on disk."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        try:
            if read_only:
                self.store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
        except OSError as err:
            raise StoreError(f"cannot open the store at {self.path}: {err}") from err

    # --- reading -----------------------------------------------------------------------------
    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> SparqlJson:
        subs = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
        result = self.store.query(sparql, use_default_graph_as_union=True, substitutions=subs)
        if isinstance(result, bool | ox.QueryBoolean):
            return {"head": {}, "boolean": bool(result)}
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() runs SELECT and ASK queries only")
        out = io.BytesIO()
        result.serialize(out, ox.QueryResultsFormat.JSON)
        parsed: SparqlJson = json.loads(out.getvalue())
        return parsed

    def query_raw(
        self,
        sparql: str,
        media_type: str,
        default_graph_uris: Iterable[str] = (),
        named_graph_uris: Iterable[str] = (),
    ) -> RawResult:
        default = [ox.NamedNode(_check_iri(g)) for g in default_graph_uris]
        named = [ox.NamedNode(_check_iri(g)) for g in named_graph_uris]
        kwargs: dict[str, Any] = {}
        if default:
            kwargs["default_graph"] = default
        else:
            kwargs["use_default_graph_as_union"] = True
        if named:
            kwargs["named_graphs"] = named
        result = self.store.query(sparql, **kwargs)
        out = io.BytesIO()
        if isinstance(result, bool | ox.QuerySolutions | ox.QueryBoolean):
            fmt = RESULT_FORMATS.get(media_type)
            if fmt is None:
                raise ValueError(f"cannot write query results as {media_type}")
            if isinstance(result, bool):  # older pyoxigraph returned a plain bool for ASK
                result = self.store.query("ASK {}" if result else "ASK { FILTER(false) }")
            result.serialize(out, fmt)
        else:
            rdf_fmt = GRAPH_FORMATS.get(media_type)
            if rdf_fmt is None:
                raise ValueError(f"cannot write a graph as {media_type}")
            ox.serialize(result, out, rdf_fmt)
        return RawResult(out.getvalue(), media_type)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, graph_iri: str) -> bool:
        g = _check_iri(graph_iri)
        return bool(self.select(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")["boolean"])

    def count(self, graph_iri: str | None = None) -> int:
        if graph_iri is None:
            query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        else:
            g = _check_iri(graph_iri)
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
        rows = self.select(query)["results"]["bindings"]
        return int(rows[0]["n"]["value"]) if rows else 0

    def dump_nquads(self) -> bytes:
        out = io.BytesIO()
        self.store.dump(out, ox.RdfFormat.N_QUADS)
        return out.getvalue()

    # --- writing -----------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Replace one named graph in a single atomic update."""
        g = _check_iri(graph_iri)
        # Parse first so that malformed input fails before anything is written.
        try:
            list(ox.parse(ntriples, ox.RdfFormat.N_TRIPLES))
        except SyntaxError as err:
            raise StoreError(f"invalid N-Triples for {graph_iri}: {err}") from err
        body = ntriples.decode("utf-8")
        try:
            self.store.update(
                f"DROP SILENT GRAPH <{g}> ; INSERT DATA {{ GRAPH <{g}> {{\n{body}\n}} }}"
            )
        except OSError as err:
            raise StoreError(f"could not commit {graph_iri}: {err}") from err

    def delete_graph(self, graph_iri: str) -> bool:
        node = ox.NamedNode(_check_iri(graph_iri))
        if not self.store.contains_named_graph(node):
            return False
        self.store.remove_graph(node)
        return True

    def bulk_load(self, nquads: bytes) -> None:
        """Load N-Quads fast (builds only: not transactional)."""
        self.store.bulk_load(nquads, ox.RdfFormat.N_QUADS)

    def flush(self) -> None:
        self.store.flush()

    def close(self) -> None:
        """Flush and release the database (its lock); closing twice is harmless."""
        store = self.__dict__.pop("store", None)
        if store is not None and not self.read_only:  # a read-only instance cannot flush
            store.flush()
