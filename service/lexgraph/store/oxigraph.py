"""The embedded, persistent store: pyoxigraph over RocksDB.

Writes of one named graph are one load or one SPARQL Update, which Oxigraph commits as one atomic
RocksDB batch: after a crash the graph is wholly old or wholly new.

RocksDB lets one process open the store read-write. A read-only open
(``pyoxigraph.Store.read_only``) is a static view: it does not see commits made after it opened,
and pyoxigraph calls reading while another process writes undefined behaviour (the writer's
compactions delete files the reader still names). So several server processes never open the
live store: :class:`OxigraphSnapshotStore` reads the newest immutable checkpoint in
``<store>.snapshots/`` (:mod:`lexgraph.snapshots`), and a writer that closes the store after
writing publishes a new checkpoint there when that folder exists (someone serves snapshots).
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import json
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from lexgraph import result_writers
from lexgraph.snapshots import (
    Generation,
    SnapshotPublisher,
    open_newest,
    prune_generations,
    read_current,
    snapshot_root,
)
from lexgraph.store.base import RawResult, SparqlJson, StoreError
from lexgraph.store.values import insert_values

log = logging.getLogger(__name__)

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


def with_values(sparql: str, subs: Mapping[str, Any]) -> str:
    """``sparql`` with the bound terms also in a ``VALUES`` block first in its WHERE group.

    pyoxigraph applies ``substitutions`` after planning, so its optimiser sees a bound
    parameter as a free variable and may start from the wrong pattern: a document's citations
    were found by going through every citation in the store (268 ms against 1 ms at 1,000
    documents, seconds at 10,000). A ``VALUES`` block is planned as the constant it is. The
    substitutions still apply, so the results are the same; blank nodes cannot be written in
    ``VALUES`` and are left to the substitution alone.
    """
    terms = {k: v for k, v in subs.items() if isinstance(v, ox.NamedNode | ox.Literal)}
    if not terms:
        return sparql
    try:
        return insert_values(sparql, list(terms), [str(v) for v in terms.values()])
    except ValueError:  # no WHERE group to put it in: the substitution alone binds
        return sparql


def _check_iri(iri: str) -> str:
    if not iri or any(c in iri for c in '<>"{}|^`\\ \n\r\t'):
        raise ValueError(f"not an absolute IRI: {iri!r}")
    return iri


class OxigraphStore:
    """The :class:`~lexgraph.store.base.GraphStore` over a pyoxigraph store on disk."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._dirty = False
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
        terms = {k: to_oxigraph(v) for k, v in (bindings or {}).items()}
        result = self.store.query(
            with_values(sparql, terms),
            use_default_graph_as_union=True,
            substitutions={ox.Variable(k): v for k, v in terms.items()},
        )
        if isinstance(result, bool | ox.QueryBoolean):
            return {"head": {}, "boolean": bool(result)}
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() runs SELECT and ASK queries only")
        out = io.BytesIO()
        result.serialize(out, ox.QueryResultsFormat.JSON)
        parsed: SparqlJson = json.loads(out.getvalue())
        return parsed

    def select_json(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, hide: Iterable[str] = ()
    ) -> bytes:
        """:meth:`select` written as SPARQL JSON, without the columns in ``hide``. Bound columns
        are cut from pyoxigraph's own output; nothing is parsed back into Python objects."""
        subs = {k: to_oxigraph(v) for k, v in (bindings or {}).items()}
        result = self.store.query(
            with_values(sparql, subs),
            use_default_graph_as_union=True,
            substitutions={ox.Variable(k): v for k, v in subs.items()},
        )
        if not isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            raise TypeError("select_json() runs SELECT and ASK queries only")
        body = result.serialize(None, ox.QueryResultsFormat.JSON) or b""
        hidden = set(hide)
        if isinstance(result, ox.QueryBoolean) or not hidden:
            return body
        variables = [v.value for v in result.variables]
        columns = [k for k in variables if k in hidden]
        if all(k in subs for k in columns):
            cut = result_writers.drop_bound_columns(body, variables, {k: subs[k] for k in columns})
            if cut is not None:
                return cut
        doc = result_writers.drop_columns(json.loads(body), hidden)
        return result_writers.json_document(doc)

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
    #: Makes "is the graph new? then load it" one step for the threads of a process (RocksDB
    #: already keeps other processes from writing).
    _replacing = threading.Lock()

    def replace_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Replace one named graph in a single atomic write.

        A graph the store does not hold yet is loaded in one transaction (``Store.load``: the
        N-Triples parsed once; on a syntax error nothing is written). An existing graph is
        dropped and written in one SPARQL update; its text is parsed first, so that it can only
        be N-Triples inside ``INSERT DATA``.
        """
        g = _check_iri(graph_iri)
        node = ox.NamedNode(g)
        with self._replacing:
            self._dirty = True
            try:
                if not self.store.contains_named_graph(node):
                    self.store.load(ntriples, ox.RdfFormat.N_TRIPLES, to_graph=node)
                    return
                list(ox.parse(ntriples, ox.RdfFormat.N_TRIPLES))
            except SyntaxError as err:
                raise StoreError(f"invalid N-Triples for {graph_iri}: {err}") from err
            except OSError as err:
                raise StoreError(f"could not commit {graph_iri}: {err}") from err
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
        self._dirty = True
        self.store.remove_graph(node)
        return True

    def bulk_load(self, nquads: bytes) -> None:
        """Load N-Quads fast (builds only: not transactional)."""
        self._dirty = True
        self.store.bulk_load(nquads, ox.RdfFormat.N_QUADS)

    def flush(self) -> None:
        self.store.flush()

    def close(self) -> None:
        """Flush and release the database (its lock); closing twice is harmless.

        After writes, when ``<store>.snapshots/`` exists (a server reads snapshots of this
        store), a new generation is published first, so the readers see the writes.
        """
        store = self.__dict__.pop("store", None)
        if store is None or self.read_only:  # a read-only instance cannot flush
            return
        if self._dirty and snapshot_root(self.path).is_dir():
            try:
                generation = SnapshotPublisher(lambda: store, self.path).publish()
                log.info("published snapshot generation %d of %s", generation, self.path)
            except OSError as exc:  # the write is committed; readers see it after a restart
                log.error("could not publish a snapshot of %s: %s", self.path, exc)
        self._dirty = False
        store.flush()


#: The generation a request reads, pinned by :meth:`OxigraphSnapshotStore.pinned`.
_PINNED: contextvars.ContextVar[tuple[int, Generation] | None] = contextvars.ContextVar(
    "lexgraph_pinned_generation", default=None
)


class OxigraphSnapshotStore(OxigraphStore):
    """A read-only store over the newest snapshot of the store at ``path``.

    For server processes that share one store (``lexgraph serve --workers N``): none of them
    opens the live store; each reads the newest published generation, moving on when CURRENT
    changes. :meth:`pinned` keeps one request on one generation from its first query to its last,
    so a response never mixes two states of the store. Writes raise :class:`StoreError`.
    """

    def __init__(self, path: Path | str) -> None:  # the live store is never opened here
        self.path = Path(path)
        self.read_only = True
        self._dirty = False
        self.root = snapshot_root(self.path)
        self._switch = threading.Lock()
        try:
            current = open_newest(self.root)
        except OSError as err:
            raise StoreError(f"cannot open a snapshot of the store at {self.path}: {err}") from err
        assert current is not None
        self._current: Generation | None = current
        # The newest pyoxigraph handle, where the query pool looks for an embedded store.
        self._handle = current.store

    @property
    def store(self) -> Any:  # type: ignore[override]
        pinned = _PINNED.get()
        if pinned is not None and pinned[0] == id(self):
            return pinned[1].store
        return self.latest().store

    @property
    def generation(self) -> int | None:
        """The generation a query made now would read."""
        pinned = _PINNED.get()
        if pinned is not None and pinned[0] == id(self):
            return pinned[1].number
        return self.latest().number

    def latest(self) -> Generation:
        """The newest generation, opened when CURRENT moved since the last call."""
        current = self._current
        if current is None:
            raise StoreError(f"the snapshot store of {self.path} is closed")
        if read_current(self.root) == current.number:
            return current
        try:
            fresh = open_newest(self.root, unless=current.number)
        except OSError as err:
            log.error("cannot open the newest snapshot of %s: %s", self.path, err)
            return current  # keep serving the generation held open
        if fresh is None:
            return current
        with self._switch:
            current = self._current
            if current is None:
                fresh.close()
                raise StoreError(f"the snapshot store of {self.path} is closed")
            if fresh.number <= current.number:
                fresh.close()  # another thread moved on first
                return current
            # The old generation stays open (and locked) while pinned requests still read it.
            self._current, self._handle = fresh, fresh.store
        del current  # unpinned, it is released here and older generations can go
        with contextlib.suppress(OSError):
            prune_generations(self.root, fresh.number)
        return fresh

    def is_latest(self) -> Generation | None:
        """The generation held open when it is still the newest (one small file read), else
        None: then :meth:`latest` opens the new one (milliseconds; call it off the event loop)."""
        current = self._current
        if current is not None and read_current(self.root) == current.number:
            return current
        return None

    @contextlib.contextmanager
    def pinned(self, generation: Generation | None = None) -> Iterator[int]:
        """Read one generation (by default the newest) for everything inside the block."""
        generation = generation or self.latest()
        token = _PINNED.set((id(self), generation))
        try:
            yield generation.number
        finally:
            _PINNED.reset(token)

    def _refuse(self) -> StoreError:
        return StoreError(
            f"this process reads snapshots of {self.path} and cannot write; write with "
            "lexgraph ingest (or a one-worker server), which publishes a new snapshot"
        )

    def replace_graph(self, graph_iri: str, ntriples: bytes) -> None:
        raise self._refuse()

    def delete_graph(self, graph_iri: str) -> bool:
        raise self._refuse()

    def bulk_load(self, nquads: bytes) -> None:
        raise self._refuse()

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """Release the generation (its lock); closing twice is harmless."""
        with self._switch:
            current, self._current = self._current, None
            self.__dict__.pop("_handle", None)
        if current is not None:
            current.close()
