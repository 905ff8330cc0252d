"""``lexgraph build``: sources → passages → citations → RDF → SHACL gate → store + N-Quads dump.

The gate runs per document on that document's own small graph (pySHACL over the whole store
would grow with the corpus). Nothing is written unless every graph conforms; the new store is
built beside the old one and swapped in by renaming, so the old store stays whole on failure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from lexgraph import __version__, iris
from lexgraph.errors import LexgraphError
from lexgraph.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract
from lexgraph.extract.model import Citation
from lexgraph.passages import Passage, segment
from lexgraph.rdf import document_graph, register_graph
from lexgraph.settings import Settings
from lexgraph.sources import SourceDocument, check_metadata, decode_text, load_sources
from lexgraph.validate import ValidationReport, load_shapes, validate

DUMP_NAME = "lexgraph.nq"
FINGERPRINT_NAME = "fingerprint"
#: When the register's identifiers were last checked against the official sources.
REGISTER_REVIEWED = "2026-11-22"


@dataclass
class BuiltDocument:
    """One document's graph and what it was made from."""

    document: SourceDocument
    passages: list[Passage]
    citations: list[Citation]
    graph: Graph = field(default_factory=Graph)


class BuildRefused(LexgraphError):
    code = "shacl_violation"
    status = 422


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_register_if_any(data_dir: Path) -> Any | None:
    """The instrument register, when the data folder has one."""
    path = data_dir / "register" / "instruments.toml"
    if not path.exists():
        return None
    from lexgraph.register import (  # type: ignore[import-not-found,unused-ignore]
        load_register,
    )

    return load_register(path)


def build_document(doc: SourceDocument, register: Any | None, data_dir: Path) -> BuiltDocument:
    """Passages, citations and policy facts of one document, as its named graph's triples."""
    from lexgraph.policy import policy_graph

    passages = segment(doc.text, doc.document_id)
    citations = extract(doc.text, doc.document_id)
    graph = document_graph(doc, passages, citations, register, (EXTRACTOR_NAME, EXTRACTOR_VERSION))
    graph += policy_graph(doc, passages, citations, data_dir)
    return BuiltDocument(doc, passages, citations, graph)


def document_graph_for_ingest(
    settings: Settings, text: str, meta: dict[str, Any], document_id: str
) -> BuiltDocument:
    """The same stages for a document posted to the API (metadata type may be a label)."""
    from lexgraph.vocab import document_type

    fields = {k: v for k, v in meta.items() if v not in (None, "")}
    fields["document_id"] = document_id
    fields["type"] = str(document_type(str(fields.get("type") or "other"))).rsplit("/", 1)[-1]
    fields.setdefault("added", dt.datetime.now(dt.UTC).date().isoformat())
    fields.setdefault("language", "nl")
    clean = check_metadata(fields, document_id)
    doc = SourceDocument(document_id, decode_text(text.encode("utf-8"), document_id), clean)
    return build_document(doc, load_register_if_any(settings.data_dir), settings.data_dir)


def load_ontology(ontology_dir: Path) -> Graph:
    g = Graph()
    for path in sorted(
        [ontology_dir / "lexgraph.ttl", *sorted((ontology_dir / "vocab").glob("*.ttl"))]
    ):
        g.parse(path, format="turtle")
    return g


def fingerprint(settings: Settings) -> str:
    """Hash of everything a build reads, so ``--if-needed`` knows when the store is current."""
    h = hashlib.sha256(__version__.encode())
    roots = [settings.data_dir / d for d in ("sources", "register", "curation")]
    roots += [settings.ontology_dir]
    package = Path(__file__).parent
    files = [(root, p) for root in roots for p in root.rglob("*") if p.is_file()]
    files += [(package, p) for p in package.rglob("*.py")]  # the code, not node_modules
    for root, path in sorted(files):
        h.update(str(path.relative_to(root.parent)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _report_failure(name: str, report: ValidationReport) -> None:
    _log(f"SHACL violations in {name}:")
    _log(report.as_text())


def build_dataset(settings: Settings) -> Dataset:
    """Every named graph of the corpus, validated; raises :class:`BuildRefused` on violations."""
    from lexgraph.policy import curation_graph

    data_dir = settings.data_dir
    shapes = load_shapes(settings.ontology_dir)
    register = load_register_if_any(data_dir)
    docs = load_sources(data_dir)
    ds = Dataset()
    failures: list[str] = []
    started = time.perf_counter()
    triples = 0
    for i, doc in enumerate(docs, 1):
        built = build_document(doc, register, data_dir)
        report = validate(built.graph, shapes)
        if not report.conforms:
            _report_failure(f"document {doc.document_id}", report)
            failures.append(doc.document_id)
        ds.graph(doc.graph_iri).__iadd__(built.graph)
        triples += len(built.graph)
        rate = triples / max(time.perf_counter() - started, 1e-9)
        _log(f"[{i}/{len(docs)}] {doc.document_id}: {len(built.graph)} triples ({rate:,.0f}/s)")
    others: list[tuple[URIRef, Graph, str]] = [
        (iris.CURATION_GRAPH, curation_graph(data_dir), "the curation layer"),
        (iris.ONTOLOGY_GRAPH, load_ontology(settings.ontology_dir), "the ontology"),
    ]
    if register is not None:
        record = "graph_data/register/instruments.toml"
        reg = register_graph(register, record, REGISTER_REVIEWED)
        others.insert(0, (iris.REGISTER_GRAPH, reg, "the register"))
    for graph_iri, graph, name in others:
        if graph_iri != iris.ONTOLOGY_GRAPH:
            report = validate(graph, shapes)
            if not report.conforms:
                _report_failure(name, report)
                failures.append(name)
        ds.graph(graph_iri).__iadd__(graph)
    if failures:
        raise BuildRefused(f"the graph violates the shapes in: {', '.join(failures)}")
    return ds


def nquads(ds: Dataset) -> bytes:
    """Sorted N-Quads: the same data always gives the same bytes."""
    raw = ds.serialize(format="nquads", encoding="utf-8")
    lines = sorted({line for line in raw.decode("utf-8").splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new``; the old store is removed only after the rename."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def write_store(settings: Settings, dump: bytes) -> None:
    from lexgraph.store.oxigraph import OxigraphStore

    target = Path(settings.store)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    store = OxigraphStore(staging)
    store.bulk_load(dump)
    store.close()
    _swap_in(staging, target)


def load_remote(settings: Settings, ds: Dataset) -> None:
    """Load the built graphs into a SPARQL server: each named graph replaced in one request,
    then the server's lexgraph graphs that the build no longer has are dropped (as a rebuilt
    embedded store would not have them)."""
    from lexgraph.store import open_store

    store = open_store(settings)
    try:
        built = set()
        for g in ds.graphs():
            if isinstance(g.identifier, URIRef) and len(g):
                built.add(str(g.identifier))
                store.replace_graph(str(g.identifier), g.serialize(format="nt", encoding="utf-8"))
        for stale in sorted(set(store.graph_names()) - built):
            store.delete_graph(stale)
            _log(f"dropped {stale}: not part of this build")
    finally:
        store.close()


def run_build(settings: Settings, *, if_needed: bool = False) -> int:
    """Build, validate and load; 0 on success, 1 when refused (store untouched), 2 on bad data."""
    from lexgraph.guard import harden_rdflib

    harden_rdflib()
    stamp = Path(settings.store).with_name(Path(settings.store).name + "." + FINGERPRINT_NAME)
    current = fingerprint(settings)
    fresh = Path(settings.store).exists() and stamp.exists()
    if if_needed and fresh and stamp.read_text().strip() == current:
        _log(f"store {settings.store} is up to date")
        return 0
    started = time.perf_counter()
    try:
        ds = build_dataset(settings)
    except BuildRefused as err:
        _log(f"lexgraph build: refused: {err.message}; the store was not changed")
        return 1
    except LexgraphError as err:
        _log(f"lexgraph build: {err.message}")
        return 2
    except (ValueError, OSError) as err:  # a malformed register or curation file, unreadable data
        _log(f"lexgraph build: {err}")
        return 2
    dump = nquads(ds)
    if settings.backend == "sparql":
        from lexgraph.store import StoreError

        try:
            load_remote(settings, ds)
        except StoreError as err:
            _log(f"lexgraph build: {err.message}")
            return 2
    else:
        write_store(settings, dump)
        stamp.write_text(current + "\n")
    build_dir = settings.build_dir
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / DUMP_NAME).write_bytes(dump)
    quads = dump.count(b"\n")
    target = settings.sparql_query_url if settings.backend == "sparql" else settings.store
    _log(f"built {quads} quads in {time.perf_counter() - started:.1f} s → {target}")
    return 0
