"""The SHACL gate: validate a graph against ``ontology/shapes`` before it may be loaded.

Used by the build (refuse to load a violating graph) and by ingest (422 with the report). It runs
once per document, so its fixed costs are kept out of the per-call path:

- :func:`load_shapes` parses the shapes once and returns a :class:`Shapes` graph that pySHACL can
  use as it is. pySHACL changes the shapes graph it is given in one way only: it adds two system
  triples (``owl:Class rdfs:subClassOf rdfs:Class`` and ``owl:DatatypeProperty rdfs:subClassOf
  rdf:Property``, ``pyshacl.shapes_graph.ShapesGraph._add_system_triples``). ``load_shapes``
  adds them itself, so pySHACL adding them again changes nothing and one parsed shapes graph
  serves every call (and concurrent ones). A plain ``Graph`` of shapes is still accepted and is
  then copied first, so a caller's graph is never changed.
- pySHACL treats string arguments as file paths or URLs; only ``Graph`` objects are passed, and
  ``owl:imports`` are never followed, so validation never reads or fetches anything.
- Without inference, ``sh:targetClass lkg:LegalInstrument`` only reaches an ``lkg:EUAct`` if the
  data graph holds ``lkg:EUAct rdfs:subClassOf lkg:LegalInstrument``. :func:`load_shapes` keeps
  the ontology's subclass axioms beside the shapes; :func:`validate` puts the data, the
  referenced descriptions (``context``) and these axioms into one new graph that pySHACL
  validates in place, so the caller's graph is never changed and nothing is copied twice.
- The shapes' SPARQL constraints (``sh:sparql``, graph-wide with ``$this`` bound to the focus
  node) cost rdflib about 45 ms a document and pyoxigraph about 1 ms on the same triples. So
  pyoxigraph decides whether any of them has a solution (:func:`_sparql_found`: pySHACL's own
  focus nodes, prefixes and pre-bound variables, the data written as N-Triples into an
  in-memory store) and pySHACL checks the other constraints (:func:`_split`). When one has a
  solution — or the data holds something the two engines could read differently, such as an
  ill-typed literal — pySHACL validates against every shape, so every report (its messages,
  values and paths) is pySHACL's own; ``tests/shapes/test_sparql_oxigraph.py`` compares both
  ways over the seeds, every shape case and graphs that break each constraint. Where rdflib
  still evaluates SPARQL, the graph handed to pySHACL parses and translates each distinct text
  once per process (:func:`prepared_query`).

What a document "references" (:func:`referenced_iris`, :func:`referenced_descriptions`): the
IRIs its graph points at (objects of its triples, except classes named by ``rdf:type`` and the
document's own passages, citations, selectors and other nodes under its IRI), and the
descriptions of those nodes in the shared graphs, the register and the curation layer, followed
from node to node inside those graphs (an instrument's identifier nodes, the instrument that
repealed it, a person's party). Those are the descriptions class-targeted shapes need when a
document names a shared node: ``sh:targetClass lkg:LegalInstrument`` and its identifier shapes
reach a cited instrument typed in the document only with the register's description beside it,
and a document that gives a register instrument a second identifier breaks ``sh:maxCount 1``
only there. Provenance and anchoring (``prov:wasGeneratedBy``, ``oa:hasSource``,
``oa:hasSelector``) are left out: the provenance shapes require exactly one generating activity
and one source document *in the same graph*, so a motion anchored in a document by curation
and also described by the register would otherwise have two; each graph's provenance was
checked with that graph. Other documents' graphs are not read: a node described by many
documents would make the lookup grow with the store, and each document graph passed the gate
when it was stored. The shared graphs do not grow with the number of documents, so neither does
the lookup.

With a ``timeout``, validation runs in a forked child process that is killed when time is up,
because a thread running pySHACL cannot be stopped. The child freezes the garbage collector's
view of everything it inherited, so a collection in the child does not touch (and copy) the
parent's pages, and adds the referenced descriptions and axioms to its own copy of the data
graph instead of copying it into a new one; the results come back as pickled terms.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.context
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.graph import ConjunctiveGraph, Dataset
from rdflib.namespace import SH
from rdflib.term import Node

from lexgraph import iris
from lexgraph.errors import LexgraphError
from lexgraph.namespaces import LKG, OA, PROV

if TYPE_CHECKING:
    from lexgraph.store.base import GraphStore

SHAPES_NS = Namespace("https://w3id.org/lexgraph/shapes#")

_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

#: One raw result: source shape, focus node, path, value, message, severity.
_Row = tuple[Node | None, ...]


class ValidationTimeout(LexgraphError):
    """Validation did not finish within its time box; nothing may be committed."""

    status = 503
    code = "validation_timeout"


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``, with terms as strings (IRIs, literal lexical forms)."""

    shape: str
    shape_name: str | None
    focus_node: str
    path: str | None
    value: str | None
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)

    def as_text(self) -> str:
        """One line per result: severity, shape, focus node, path, value and message."""
        if not self.results:
            return "Conforms: no SHACL violations."
        head = (
            f"{'Conforms' if self.conforms else 'Does not conform'}: {len(self.results)} result(s)"
        )
        lines = [head]
        for r in self.results:
            shape = _short(r.shape) + (f" ({r.shape_name})" if r.shape_name else "")
            where = f"focus <{r.focus_node}>"
            if r.path:
                where += f" path <{r.path}>"
            if r.value is not None:
                where += f" value {r.value!r}"
            lines.append(f"[{r.severity}] {shape}: {where}: {r.message}")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {"conforms": self.conforms, "results": [asdict(r) for r in self.results]}


def _short(iri: str) -> str:
    return "lkg-shape:" + iri[len(SHAPES_NS) :] if iri.startswith(str(SHAPES_NS)) else iri


#: What pySHACL adds to every shapes graph it is given (``ShapesGraph.system_triples``).
_SYSTEM_TRIPLES = (
    (OWL.Class, RDFS.subClassOf, RDFS.Class),
    (OWL.DatatypeProperty, RDFS.subClassOf, RDF.Property),
)


class Shapes(Graph):
    """A shapes graph ready for :func:`validate`: pySHACL's system triples already in it, and the
    ontology's ``rdfs:subClassOf`` axioms (also in it) kept apart in :attr:`axioms`."""

    axioms: Graph
    #: The SPARQL constraints checked with pyoxigraph and the shapes left to pySHACL
    #: (:func:`_split`), made on first use.
    split: _Split | None = None


def _prepared(shapes: Graph) -> Shapes:
    """``shapes`` itself when :func:`load_shapes` made it, else a prepared copy."""
    if isinstance(shapes, Shapes) and all(t in shapes for t in _SYSTEM_TRIPLES):
        return shapes
    copy = Shapes()
    for prefix, ns in shapes.namespaces():
        copy.bind(prefix, ns, override=True)
    copy += shapes
    return _finish(copy)


def _finish(shapes: Shapes) -> Shapes:
    for triple in _SYSTEM_TRIPLES:
        shapes.add(triple)
    shapes.axioms = Graph()
    for axiom in shapes.triples((None, RDFS.subClassOf, None)):
        shapes.axioms.add(axiom)
    return shapes


def load_shapes(ontology_dir: Path) -> Shapes:
    """Parse ``shapes/*.ttl`` once, plus the ontology's ``rdfs:subClassOf`` axioms.

    The vocabularies are not needed: shapes name allowed concepts with ``sh:in``, so a data
    graph validates without the SKOS schemes in it.
    """
    shapes = Shapes()
    files = sorted((ontology_dir / "shapes").glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no SHACL shapes in {ontology_dir / 'shapes'}")
    for path in files:
        shapes.parse(path, format="turtle")
    ontology = Graph().parse(ontology_dir / "lexgraph.ttl", format="turtle")
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        if not isinstance(triple[2], BNode):
            shapes.add(triple)
    return _finish(shapes)


_SHAPES_CACHE: dict[Path, tuple[tuple[tuple[str, int, int], ...], Shapes]] = {}
_SHAPES_LOCK = threading.Lock()


def shapes_for(ontology_dir: Path) -> Shapes:
    """:func:`load_shapes`, parsed once per process and again only when a file changed (the
    files' names, sizes and modification times are compared: a few ``stat`` calls)."""
    key = ontology_dir.resolve()
    files = [*sorted((ontology_dir / "shapes").glob("*.ttl")), ontology_dir / "lexgraph.ttl"]
    stamp = tuple((p.name, *_stat(p)) for p in files)
    with _SHAPES_LOCK:
        cached = _SHAPES_CACHE.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        shapes = load_shapes(ontology_dir)
        _SHAPES_CACHE[key] = (stamp, shapes)
        return shapes


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


# --- SPARQL constraints, parsed once ----------------------------------------------------------

_QUERIES: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Any] = {}
_QUERY_LIMIT = 256


def prepared_query(text: str, base: str | None = None, init_ns: Any = None) -> Any:
    """The parsed and translated form of a SPARQL text, made once per process per distinct text.

    A translated query is what :func:`rdflib.plugins.sparql.prepareQuery` returns and may be
    evaluated any number of times with other bindings; the results are those of parsing it
    again. The gate's SPARQL constraints are the same few texts for every document.
    """
    from rdflib.plugins.sparql import processor

    key = (text, base, tuple(sorted((k, str(v)) for k, v in (init_ns or {}).items())))
    prepared = _QUERIES.get(key)
    if prepared is None:
        prepared = processor.translateQuery(processor.parseQuery(text), base, init_ns)
        if len(_QUERIES) < _QUERY_LIMIT:
            _QUERIES[key] = prepared
    return prepared


@contextmanager
def prepared_sparql() -> Iterator[None]:
    """Within the block, every rdflib SPARQL query parses each distinct text once per process.

    :func:`validate` no longer needs this (its data graph uses :func:`prepared_query` itself);
    it remains for callers that run other rdflib SPARQL in bulk.
    """
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query

    def query(
        self: Any,
        strOrQuery: Any,
        initBindings: Any = None,
        initNs: Any = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Any:
        if isinstance(strOrQuery, str):
            strOrQuery = prepared_query(strOrQuery, base, initNs)
        return processor.evalQuery(self.graph, strOrQuery, initBindings, base)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


class _GateGraph(Graph):
    """The graph pySHACL validates: its SPARQL queries are parsed once per process."""

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,  # rdflib's parameter names
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str) and processor == "sparql" and not kwargs:
            query_object = prepared_query(query_object, None, initNs)
            initNs = None  # already applied by the translation
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


def _gate_graph(data: Graph, context: Graph | None, shapes: Shapes) -> _GateGraph:
    """One new graph: the data (a Dataset's union), the referenced descriptions and the axioms."""
    gate = _GateGraph()
    if isinstance(data, ConjunctiveGraph | Dataset):
        gate.addN((s, p, o, gate) for s, p, o, _ in data.quads((None, None, None, None)))
    else:
        gate += data
    if context is not None:
        gate += context
    gate += shapes.axioms
    return gate


# --- SPARQL constraints answered by pyoxigraph ---------------------------------------------


@dataclass
class _Split:
    """The shapes' SPARQL constraints that pyoxigraph can decide, and the shapes without them."""

    core: Shapes
    #: (pySHACL's shape, its SPARQL constraints' query helpers) for each moved shape.
    checks: list[tuple[Any, list[Any]]]


_SPLIT_LOCK = threading.Lock()


def _movable(shapes: Graph, node: Node, shape: Any) -> bool:
    """Whether the SPARQL constraints of ``shape`` can be decided outside pySHACL: a node shape
    validated only through its own targets (no other shape names it, so no ``sh:node``,
    ``sh:or`` … depends on its conformance) and not deactivated."""
    return (
        not shape.is_property_shape
        and not shape.deactivated
        and next(shapes.subjects(None, node), None) is None
    )


def _split(shapes: Shapes) -> _Split:
    """The shapes' SPARQL constraints, each with pySHACL's own reading of it (its prefixes, its
    pre-bound variables, its focus nodes), and a copy of the shapes without those ``sh:sparql``
    triples for pySHACL's core constraints; made once per shapes graph."""
    if shapes.split is not None:
        return shapes.split
    with _SPLIT_LOCK:
        if shapes.split is not None:
            return shapes.split
        from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
        from pyshacl.shapes_graph import ShapesGraph

        checks: list[tuple[Any, list[Any]]] = []
        for shape in list(ShapesGraph(shapes).shapes):
            node = shape.node
            if (node, SH.sparql, None) not in shapes or not _movable(shapes, node, shape):
                continue
            try:
                helpers = list(SPARQLBasedConstraint(shape).sparql_constraints)
            except Exception:  # malformed: pySHACL reports it itself
                continue
            checks.append((shape, helpers))
        moved = {shape.node for shape, _ in checks}
        core = Shapes()
        for prefix, ns in shapes.namespaces():
            core.bind(prefix, ns, override=True)
        core.addN((s, p, o, core) for s, p, o in shapes if not (p == SH.sparql and s in moved))
        core.axioms = shapes.axioms
        core.split = _Split(core, [])
        shapes.split = _Split(core, checks)
        return shapes.split


_NOT_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_BNODE_ID = re.compile(r"[A-Za-z0-9_]+")


def _nt_term(t: Node) -> str | None:
    """One term in N-Triples, or None (see :func:`_ntriples`)."""
    if isinstance(t, URIRef):
        return None if _NOT_IN_IRI.search(t) else f"<{t}>"
    if isinstance(t, Literal):
        if t.ill_typed:
            return None
        # JSON's string escapes are N-Triples' (\", \\, \n, \r, \t, \b, \f, \uXXXX)
        text = json.dumps(str(t), ensure_ascii=False)
        if t.language:
            return f"{text}@{t.language}"
        if t.datatype is not None:
            return None if _NOT_IN_IRI.search(t.datatype) else f"{text}^^<{t.datatype}>"
        return text
    if isinstance(t, BNode) and _BNODE_ID.fullmatch(t):
        return f"_:{t}"
    return None


def _ntriples(graph: Graph) -> str | None:
    """``graph`` as N-Triples, written term by term (rdflib's writer takes about 7 µs a triple);
    None when a term cannot be written unambiguously (an IRI with a character N-Triples forbids,
    an unusual blank node id) or is an ill-typed literal (``"x"^^xsd:integer``), on which the two
    SPARQL engines may disagree."""
    search = _NOT_IN_IRI.search
    lines = []
    for triple in graph:
        parts = [f"<{t}>" if type(t) is URIRef and not search(t) else _nt_term(t) for t in triple]
        if None in parts:
            return None
        lines.append(f"{parts[0]} {parts[1]} {parts[2]} .\n")
    return "".join(lines)


def _oxigraph_data(graph: Graph) -> Any | None:
    """``graph`` in an in-memory pyoxigraph store (its default graph), or None when
    :func:`_ntriples` cannot write it."""
    import pyoxigraph as ox

    text = _ntriples(graph)
    if text is None:
        return None
    store = ox.Store()
    try:
        store.load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, UnicodeEncodeError):  # a lone surrogate, say
        return None
    return store


def _sparql_found(gate: Graph, checks: list[tuple[Any, list[Any]]]) -> bool:
    """Whether some SPARQL constraint in ``checks`` has a solution for some focus node of its
    shape, evaluated by pyoxigraph over the same data, with ``$this`` and the other variables
    pySHACL pre-binds bound the same way (SEP-0007 substitution, as SHACL-SPARQL pre-binding).

    A solution is what makes pySHACL report a result; True is also the answer whenever this
    cannot be decided here (an ill-typed literal, a query pyoxigraph rejects, a constraint pySHACL
    would refuse), so that pySHACL then evaluates the constraints itself.
    """
    import pyoxigraph as ox

    from lexgraph.store.oxigraph import to_oxigraph

    store = None
    try:
        for shape, helpers in checks:
            focus = shape.focus_nodes(gate)
            active = [h for h in helpers if not h.deactivated]
            if not focus or not active:
                continue
            if store is None:
                store = _oxigraph_data(gate)
                if store is None:
                    return True
            for helper in active:
                for node in focus:
                    bound, text = helper.pre_bind_variables(node)
                    result = store.query(
                        helper.apply_prefixes(text),
                        substitutions={ox.Variable(k): to_oxigraph(v) for k, v in bound.items()},
                    )
                    if not isinstance(result, ox.QuerySolutions):
                        return True
                    if next(iter(result), None) is not None:
                        return True
    except Exception:
        return True
    return False


def _run(gate: _GateGraph, shapes: Shapes, *, oxigraph: bool = True) -> tuple[bool, list[_Row]]:
    """Run pySHACL in place on ``gate``; return conformance and raw result rows.

    With ``oxigraph`` (the default), the SPARQL constraints that :func:`_split` could move are
    first decided by pyoxigraph (:func:`_sparql_found`, about 1 ms against about 45 ms in rdflib)
    and pySHACL checks the rest; when one of them has a solution, pySHACL validates against all
    the shapes, so every report is pySHACL's own.
    """
    import pyshacl  # imported late: it is slow to import and only the gate needs it

    shacl_graph: Shapes = shapes
    if oxigraph:
        split = _split(shapes)
        if split.checks and not _sparql_found(gate, split.checks):
            shacl_graph = split.core
    conforms, report, _ = pyshacl.validate(
        gate,
        shacl_graph=shacl_graph,
        inference="none",
        inplace=True,
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
        meta_shacl=False,
        do_owl_imports=False,
    )
    rows: list[_Row] = []
    if conforms:
        return True, rows
    for res in report.subjects(RDF.type, SH.ValidationResult):
        rows.append(
            (
                report.value(res, SH.sourceShape),
                report.value(res, SH.focusNode),
                report.value(res, SH.resultPath),
                report.value(res, SH.value),
                report.value(res, SH.resultMessage),
                report.value(res, SH.resultSeverity),
            )
        )
    return bool(conforms), rows


_WARM: set[int] = set()


def _warm(shapes: Shapes) -> None:
    """Validate an empty graph once, in this process, so that the SPARQL constraints are parsed
    here (and inherited by every forked child) rather than in each child again."""
    if id(shapes) not in _WARM:
        _run(_gate_graph(Graph(), None, shapes), shapes)
        _run(_gate_graph(Graph(), None, shapes), shapes, oxigraph=False)
        _WARM.add(id(shapes))


def _text(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal | URIRef):
        return str(term)
    return term.n3()


def _report(shapes: Graph, conforms: bool, rows: list[_Row]) -> ValidationReport:
    results = []
    for shape, focus, path, value, message, severity in rows:
        name = shapes.value(shape, SH.name) if shape is not None else None
        if message is None and shape is not None:
            message = shapes.value(shape, SH.message)
        results.append(
            ValidationResult(
                shape=_text(shape) or "",
                shape_name=str(name) if name is not None else None,
                focus_node=_text(focus) or "",
                path=_text(path),
                value=_text(value),
                message=str(message) if message is not None else "",
                severity=_SEVERITIES.get(severity, str(severity))
                if isinstance(severity, URIRef)
                else str(severity),
            )
        )
    results.sort(key=lambda r: (r.shape, r.focus_node, r.path or "", r.value or "", r.message))
    return ValidationReport(conforms=conforms, results=results)


def _gate_in_child(data: Graph, context: Graph | None, shapes: Shapes) -> _GateGraph:
    """In a forked child: ``data`` itself (the child's copy of it) with the referenced
    descriptions and the axioms added, so that nothing is copied; a new graph when ``data``
    shares its store with other graphs (pySHACL reads the whole store of the graph it is given)."""
    plain = type(data) is Graph or type(data) is _GateGraph
    if not plain or any(c.identifier != data.identifier for c in data.store.contexts()):
        return _gate_graph(data, context, shapes)
    gate = _GateGraph(store=data.store, identifier=data.identifier)
    if context is not None:
        gate += context
    gate += shapes.axioms
    return gate


def _child(
    payload: tuple[Graph, Graph | None, Shapes] | tuple[str, str],
    conn: multiprocessing.connection.Connection,
) -> None:
    # Everything inherited stays out of the collector's view: a full collection would otherwise
    # write to (and so copy) every page of the parent's objects.
    gc.freeze()
    if len(payload) == 2:  # spawned: graphs came as N-Triples
        gate_text, shapes_text = payload
        gate, parsed_shapes = _GateGraph(), Shapes()
        gate.parse(data=gate_text, format="nt")
        parsed_shapes.parse(data=shapes_text, format="nt")
        shapes = _finish(parsed_shapes)
    else:  # forked: the parent's graphs, as they are
        data, context, shapes = payload
        gate = _gate_in_child(data, context, shapes)
    # the terms themselves (pickled): an N3 round trip lost blank node ids and could not read a
    # multi-line literal back
    conn.send(_run(gate, shapes))
    conn.close()


def _run_with_deadline(
    data: Graph, context: Graph | None, shapes: Shapes, timeout: float
) -> ValidationReport:
    """Validate in a child process and kill it at the deadline.

    Where ``fork`` exists the child inherits the parsed graphs and queries (nothing to serialise,
    no re-import of ``__main__``) and validates its copy of ``data`` in place
    (:func:`_gate_in_child`); pySHACL is imported and the SPARQL constraints parsed first, so
    the child does neither. Elsewhere the graphs travel as N-Triples to a spawned interpreter.
    """
    payload: tuple[Graph, Graph | None, Shapes] | tuple[str, str]
    ctx: multiprocessing.context.BaseContext
    if "fork" in multiprocessing.get_all_start_methods():
        _warm(shapes)
        ctx = multiprocessing.get_context("fork")
        payload = (data, context, shapes)
    else:  # pragma: no cover - platforms without fork
        ctx = multiprocessing.get_context("spawn")
        gate = _gate_graph(data, context, shapes)
        payload = (gate.serialize(format="nt"), shapes.serialize(format="nt"))
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(payload, send), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise ValidationTimeout(f"SHACL validation did not finish within {timeout:g} s")
        conforms, rows = receive.recv()
    except EOFError:
        raise LexgraphError(
            "SHACL validation process failed", code="validation_failed", status=500
        ) from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    return _report(shapes, conforms, rows)


def validate(
    data: Graph,
    shapes: Graph,
    *,
    context: Graph | None = None,
    timeout: float | None = None,
) -> ValidationReport:
    """Validate ``data`` (with ``context``, the descriptions of the shared nodes it references,
    see :func:`referenced_descriptions`) against ``shapes`` (from :func:`load_shapes`) without
    inference.

    No argument is modified. With ``timeout`` (seconds) the work runs in a child process and
    :class:`ValidationTimeout` is raised when it takes longer.
    """
    prepared = _prepared(shapes)
    if timeout is not None:
        return _run_with_deadline(data, context, prepared, timeout)
    conforms, rows = _run(_gate_graph(data, context, prepared), prepared)
    return _report(prepared, conforms, rows)


# --- what a document references ---------------------------------------------------------------

#: The graphs whose descriptions of shared nodes are validated with a document that names them.
SHARED_GRAPHS = (iris.REGISTER_GRAPH, iris.CURATION_GRAPH)

#: IRIs per lookup query (a document names a few dozen shared nodes; a bound on the query text).
_REFERENCES_PER_QUERY = 500

#: How far the lookup follows links inside the shared graphs (instrument → the instrument that
#: repealed it → its identifier nodes is three); each step is one query.
_REFERENCE_DEPTH = 3

#: Per-graph statements, checked with the graph that makes them (see the module docstring).
_NOT_SHARED = (PROV.wasGeneratedBy, OA.hasSource, OA.hasSelector)


def referenced_iris(data: Graph) -> list[URIRef]:
    """The IRIs ``data`` points at that may be described elsewhere: objects of its triples,
    except classes (``rdf:type``) and the nodes under the IRI of a document it describes."""
    own = tuple(
        f"{doc}{sep}"
        for doc in data.subjects(RDF.type, LKG.Document)
        if isinstance(doc, URIRef)
        for sep in ("/", "#")
    )
    found = {
        o
        for p, o in data.predicate_objects(None)
        if isinstance(o, URIRef) and p != RDF.type and not (own and str(o).startswith(own))
    }
    return sorted(found)


def _describe(store: GraphStore, nodes: Iterable[URIRef]) -> Graph:
    """The triples about ``nodes`` in the shared graphs, by one query per chunk of IRIs."""
    found = Graph()
    graphs = " ".join(f"<{g}>" for g in SHARED_GRAPHS)
    skip = ", ".join(f"<{p}>" for p in _NOT_SHARED)
    nodes = list(nodes)
    for start in range(0, len(nodes), _REFERENCES_PER_QUERY):
        values = " ".join(f"<{n}>" for n in nodes[start : start + _REFERENCES_PER_QUERY])
        query = (
            f"CONSTRUCT {{ ?r ?p ?o }} WHERE {{ VALUES ?g {{ {graphs} }} "
            f"VALUES ?r {{ {values} }} GRAPH ?g {{ ?r ?p ?o }} FILTER(?p NOT IN ({skip})) }}"
        )
        body = store.query_raw(query, "application/n-triples").body
        if body.strip():
            found.parse(data=body, format="nt")
    return found


def referenced_descriptions(store: GraphStore, data: Graph) -> Graph:
    """What ``data`` references, as the store's shared graphs describe it (see the module's
    docstring): the descriptions of :func:`referenced_iris`, then of the IRIs those descriptions
    point at, up to a few steps. The cost depends on the document and the shared graphs, never
    on the number of stored documents."""
    return _follow(data, lambda nodes: _describe(store, nodes))


def referenced_descriptions_in(shared: Iterable[Graph], data: Graph) -> Graph:
    """:func:`referenced_descriptions` from the shared graphs in memory (the register and the
    curation graph, as the build makes them) instead of a store: the same triples."""
    graphs = list(shared)

    def describe(nodes: Iterable[URIRef]) -> Graph:
        found = Graph()
        for node in nodes:
            for graph in graphs:
                for p, o in graph.predicate_objects(node):
                    if p not in _NOT_SHARED:
                        found.add((node, p, o))
        return found

    return _follow(data, describe)


def _follow(data: Graph, describe: Callable[[Iterable[URIRef]], Graph]) -> Graph:
    context = Graph()
    seen: set[URIRef] = set()
    frontier = [n for n in referenced_iris(data) if _iri_ok(n)]
    for _ in range(_REFERENCE_DEPTH):
        if not frontier:
            break
        seen.update(frontier)
        found = describe(frontier)
        context += found
        frontier = sorted(
            {
                o
                for p, o in found.predicate_objects(None)
                if isinstance(o, URIRef) and p != RDF.type and o not in seen and _iri_ok(o)
            }
        )
    return context


def _iri_ok(iri: URIRef) -> bool:
    """IRIs that can be written between ``<>`` in a query (the graph's own are; this guards
    against a malformed one breaking the lookup)."""
    return bool(iri) and not any(c in iri for c in '<>"{}|^`\\ \n\r\t')
