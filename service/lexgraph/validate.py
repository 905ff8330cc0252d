"""The SHACL gate: validate a graph against ``ontology/shapes`` before it may be loaded.

Used by the build (refuse to load a violating graph) and by ingest (422 with the report). Three
pySHACL traits shape this module:

- pySHACL mutates the shapes graph it is given, so every call validates against a fresh copy;
  one parsed shapes graph can then serve concurrent requests.
- pySHACL treats string arguments as file paths or URLs; only ``Graph`` objects are passed, and
  ``owl:imports`` are never followed, so validation never reads or fetches anything.
- Without inference, ``sh:targetClass lkg:LegalInstrument`` only reaches an ``lkg:EUAct`` if the
  data graph holds ``lkg:EUAct rdfs:subClassOf lkg:LegalInstrument``. :func:`load_shapes` keeps
  the ontology's subclass axioms beside the shapes and :func:`validate` mixes them into a copy
  of the data graph (pySHACL's ``ont_graph``); the caller's graph is never changed.

With a ``timeout``, validation runs in a child process that is killed when time is up, because
a thread running pySHACL cannot be stopped.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import multiprocessing.context
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.graph import ConjunctiveGraph, Dataset
from rdflib.namespace import SH
from rdflib.term import Node

from lexgraph.errors import LexgraphError

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


def load_shapes(ontology_dir: Path) -> Graph:
    """Parse ``shapes/*.ttl`` once, plus the ontology's ``rdfs:subClassOf`` axioms.

    The vocabularies are not needed: shapes name allowed concepts with ``sh:in``, so a data
    graph validates without the SKOS schemes in it.
    """
    shapes = Graph()
    files = sorted((ontology_dir / "shapes").glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no SHACL shapes in {ontology_dir / 'shapes'}")
    for path in files:
        shapes.parse(path, format="turtle")
    ontology = Graph().parse(ontology_dir / "lexgraph.ttl", format="turtle")
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        if not isinstance(triple[2], BNode):
            shapes.add(triple)
    return shapes


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, ns in graph.namespaces():
        copy.bind(prefix, ns, override=True)
    copy += graph
    return copy


def _class_axioms(shapes: Graph) -> Graph:
    axioms = Graph()
    for triple in shapes.triples((None, RDFS.subClassOf, None)):
        axioms.add(triple)
    return axioms


def _plain(data: Graph) -> Graph:
    """A Dataset would be validated graph by graph; the gate checks the union as one graph."""
    if isinstance(data, ConjunctiveGraph | Dataset):
        merged = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    return data


def _run(data: Graph, shapes: Graph) -> tuple[bool, list[_Row]]:
    """Run pySHACL on a fresh copy of ``shapes``; return conformance and raw result rows."""
    import pyshacl  # imported late: it is slow to import and only the gate needs it

    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=_copy(shapes),
        ont_graph=_class_axioms(shapes),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
        meta_shacl=False,
        do_owl_imports=False,
    )
    rows: list[_Row] = []
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


def _child(
    payload: tuple[Graph, Graph] | tuple[str, str], conn: multiprocessing.connection.Connection
) -> None:
    data, shapes = payload
    if isinstance(data, str) and isinstance(shapes, str):  # spawned: graphs came as N-Triples
        data = Graph().parse(data=data, format="nt")
        shapes = Graph().parse(data=shapes, format="nt")
    assert isinstance(data, Graph) and isinstance(shapes, Graph)
    conforms, rows = _run(data, shapes)
    conn.send((conforms, [tuple(t.n3() if t is not None else None for t in r) for r in rows]))
    conn.close()


def _from_n3(text: str | None) -> Node | None:
    if text is None:
        return None
    g = Graph().parse(data=f"<urn:x:s> <urn:x:p> {text} .", format="nt")
    return next(iter(g.objects()))


def _run_with_deadline(data: Graph, shapes: Graph, timeout: float) -> ValidationReport:
    """Validate in a child process and kill it at the deadline.

    Where ``fork`` exists the child inherits the parsed graphs (nothing to serialise, no
    re-import of ``__main__``); pySHACL is imported first so the child imports nothing.
    Elsewhere the graphs travel as N-Triples to a spawned interpreter.
    """
    import pyshacl  # noqa: F401  (warm the import before forking)

    payload: tuple[Graph, Graph] | tuple[str, str]
    ctx: multiprocessing.context.BaseContext
    if "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        payload = (data, shapes)
    else:  # pragma: no cover - platforms without fork
        ctx = multiprocessing.get_context("spawn")
        payload = (data.serialize(format="nt"), shapes.serialize(format="nt"))
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(payload, send), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise ValidationTimeout(f"SHACL validation did not finish within {timeout:g} s")
        conforms, raw = receive.recv()
    except EOFError:
        raise LexgraphError(
            "SHACL validation process failed", code="validation_failed", status=500
        ) from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    rows: list[_Row] = [tuple(_from_n3(t) for t in r) for r in raw]
    return _report(shapes, conforms, rows)


def validate(data: Graph, shapes: Graph, *, timeout: float | None = None) -> ValidationReport:
    """Validate ``data`` against ``shapes`` (from :func:`load_shapes`) without inference.

    Neither argument is modified. With ``timeout`` (seconds) the work runs in a child process
    and :class:`ValidationTimeout` is raised when it takes longer.
    """
    data = _plain(data)
    if timeout is not None:
        return _run_with_deadline(data, shapes, timeout)
    conforms, rows = _run(data, shapes)
    return _report(shapes, conforms, rows)
