"""Ingest one document: text + metadata → passages → citations → RDF → SHACL gate → store.

The same pipeline as ``lexgraph build``, for a single document, used by ``POST /documents`` and
``lexgraph ingest``. It commits the document's named graph in one store transaction, and only
after the graph passed validation (with the descriptions of what it references), so a failed
ingest leaves the store exactly as it was. Re-ingesting the same document replaces its graph
(idempotent).

Writes go through a :class:`WriteGate`: one writer at a time per process, and a second write for
a document whose write is still running is refused with 409 rather than queued behind it.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
import sys
import threading
import tomllib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from starlette.concurrency import run_in_threadpool

from lexgraph import iris
from lexgraph.errors import LexgraphError
from lexgraph.settings import Settings
from lexgraph.store.base import GraphStore

_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,119}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Conflict(LexgraphError):
    status = 409
    code = "write_in_progress"


class ShaclViolation(LexgraphError):
    """The document's graph breaks the shapes; ``report`` is the validation report as JSON."""

    status = 422
    code = "shacl_violation"

    def __init__(self, message: str, report: Any) -> None:
        super().__init__(message)
        self.report = report

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = super().as_json()
        body["error"]["report"] = self.report
        return body


class IngestMetadata(BaseModel):
    """Metadata of an ingested document; only ``title`` and ``date`` are required."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=1000)
    date: str = Field(description="YYYY-MM-DD")
    type: str | None = Field(
        default=None,
        max_length=200,
        description="document-type label of the ontology, Dutch or English (e.g. 'Kamerbrief')",
    )
    reference: str | None = Field(default=None, max_length=200, description="Onze referentie")
    sender: str | None = Field(default=None, max_length=1000)
    addressee: str | None = Field(default=None, max_length=1000)
    identifier: str | None = Field(
        default=None, max_length=200, description="official identifier, e.g. kst-19637-3338"
    )

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        if not _DATE.fullmatch(value):
            raise ValueError("must be YYYY-MM-DD")
        dt.date.fromisoformat(value)  # raises ValueError for 2025-02-30
        return value

    @field_validator("title", "type", "reference", "sender", "addressee", "identifier")
    @classmethod
    def _no_control(cls, value: str | None) -> str | None:
        if value is not None and _CONTROL.search(value):
            raise ValueError("contains control characters")
        return value or None


def slug(text: str, limit: int = 80) -> str:
    """Lower-case ASCII slug ("Beslisnota Verzamelbrief" -> "beslisnota-verzamelbrief").

    >>> slug("Antwoorden Van Dijk – mobilisatie Rusland")
    'antwoorden-van-dijk-mobilisatie-rusland'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return out[:limit].rstrip("-") or "document"


def document_id_for(meta: IngestMetadata) -> str:
    """The reference ("Onze referentie"), else the official identifier, else date + title slug."""
    for candidate in (meta.reference, meta.identifier):
        if candidate:
            if not _DOC_ID.fullmatch(candidate):
                raise LexgraphError(
                    f"{candidate!r} cannot serve as a document id (letters, digits, '.', '_' "
                    "and '-' only)",
                    code="invalid_metadata",
                    status=422,
                )
            return candidate
    return f"{meta.date}-{slug(meta.title)}"


class WriteGate:
    """One writer per process; a second write for a busy document is refused (409)."""

    def __init__(self) -> None:
        self._writer = threading.Lock()
        self._guard = threading.Lock()
        self._busy: set[str] = set()

    @contextmanager
    def document(self, document_id: str) -> Iterator[None]:
        with self._guard:
            if document_id in self._busy:
                raise Conflict(f"a write for document {document_id!r} is already in progress")
            self._busy.add(document_id)
        try:
            with self._writer:
                yield
        finally:
            with self._guard:
                self._busy.discard(document_id)


@dataclass(frozen=True)
class IngestResult:
    document_id: str
    iri: str
    graph: str
    citations: int
    triples: int
    replaced: bool

    def as_json(self) -> dict[str, Any]:
        """The same keys as the API's 201 answer."""
        return {
            "documentId": self.document_id,
            "iri": self.iri,
            "graph": self.graph,
            "citations": self.citations,
            "triples": self.triples,
            "replaced": self.replaced,
        }


def check_document_type(label: str | None) -> None:
    """A given ``type`` must name a document type of the ontology (Dutch or English label)."""
    from lexgraph.vocab import UnknownConcept, document_type

    if label is None:
        return
    try:
        document_type(label)
    except UnknownConcept:
        raise LexgraphError(
            f"unknown document type {label!r}; use a label of the document-type scheme "
            "(e.g. 'Kamerbrief', 'beslisnota', 'parliamentary letter')",
            code="invalid_metadata",
            status=422,
        ) from None


def build_document_graph(settings: Settings, text: str, meta: IngestMetadata) -> Any:
    """The document's graph, built by the same stages as ``lexgraph build``."""
    from lexgraph.build import document_graph_for_ingest

    return document_graph_for_ingest(settings, text, meta.model_dump(), document_id_for(meta))


def prepare_ingest(settings: Settings) -> None:
    """Make a long-running process ready to ingest: run the stages once on a short text (shapes,
    register, extractor patterns and constraint queries loaded), then hand everything the
    process holds to ``gc.freeze``. A full collection walks every object the collector tracks;
    with the shapes, the register and the server's own objects in view, one took up to 270 ms in
    the middle of an ingest. Frozen, they are no longer walked; they are still freed by
    reference counting."""
    from lexgraph.validate import shapes_for, validate

    meta = IngestMetadata(title="warm-up", date="2025-01-01", type="Kamerbrief")
    built = build_document_graph(settings, "Richtlijn 2011/95/EU (Kwalificatierichtlijn).", meta)
    validate(built.graph, shapes_for(settings.ontology_dir), timeout=settings.validation_timeout)
    gc.collect()
    gc.freeze()


def ingest_sync(
    settings: Settings,
    store: GraphStore,
    text: str,
    meta: IngestMetadata,
    gate: WriteGate,
) -> IngestResult:
    """Build, validate and commit; raises :class:`ShaclViolation` (422) with nothing committed.

    The gate validates the document's graph together with the store's descriptions of the shared
    nodes it references (:func:`lexgraph.validate.referenced_descriptions`: register instruments,
    curated people, bodies and debates), looked up by IRI, so its cost does not grow with the
    number of stored documents.
    """
    from lexgraph.validate import referenced_descriptions, shapes_for, validate

    if not text.strip():
        raise LexgraphError("the text is empty", code="invalid_ingest")
    check_document_type(meta.type)
    document_id = document_id_for(meta)
    graph_iri = str(iris.document_graph(document_id))
    with gate.document(document_id):
        built = build_document_graph(settings, text, meta)
        report = validate(
            built.graph,
            shapes_for(settings.ontology_dir),
            context=referenced_descriptions(store, built.graph),
            timeout=settings.validation_timeout,
        )
        if not report.conforms:
            raise ShaclViolation(
                f"document {document_id!r} violates {len(report.results)} shape constraint(s)",
                report.as_json(),
            )
        replaced = store.has_graph(graph_iri)  # listing every graph would grow with the store
        store.replace_graph(graph_iri, built.graph.serialize(format="nt", encoding="utf-8"))
        return IngestResult(
            document_id=document_id,
            iri=str(iris.document_iri(document_id)),
            graph=graph_iri,
            citations=len(built.citations),
            triples=len(built.graph),
            replaced=replaced,
        )


async def ingest_document(
    settings: Settings,
    store: GraphStore,
    text: str,
    meta: IngestMetadata,
    gate: WriteGate,
) -> IngestResult:
    """:func:`ingest_sync` off the event loop."""
    return await run_in_threadpool(ingest_sync, settings, store, text, meta, gate)


def delete_sync(store: GraphStore, document_id: str, gate: WriteGate) -> bool:
    with gate.document(document_id):
        return store.delete_graph(str(iris.document_graph(document_id)))


async def delete_document(store: GraphStore, document_id: str, gate: WriteGate) -> bool:
    """Remove a document's named graph; False when there was none."""
    return await run_in_threadpool(delete_sync, store, document_id, gate)


def read_metadata_file(path: Path) -> IngestMetadata:
    """Metadata from a ``.toml`` or ``.json`` file (the same fields as the API's ``metadata``)."""
    raw = path.read_bytes()
    if path.suffix.lower() == ".json":
        data = json.loads(raw.decode("utf-8"))
    else:
        data = tomllib.loads(raw.decode("utf-8"))
    if not isinstance(data, dict):
        raise LexgraphError(f"{path}: expected a table/object of metadata fields")
    fields = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
    try:
        return IngestMetadata.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise LexgraphError(
            f"{path}: invalid metadata: {problems}", code="invalid_metadata"
        ) from None


def run_cli(settings: Settings, file: Path, meta_file: Path) -> int:
    """``lexgraph ingest FILE --meta META``: 0 on commit, 1 on bad input, 2 on SHACL violation."""
    from lexgraph.store import open_store  # type: ignore[attr-defined,unused-ignore]

    try:
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LexgraphError(f"{file}: not valid UTF-8 (byte {exc.start})") from None
        meta = read_metadata_file(meta_file)
    except (OSError, ValueError, LexgraphError) as exc:
        print(f"error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    store = open_store(settings)
    try:
        result = ingest_sync(settings, store, text, meta, WriteGate())
    except ShaclViolation as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        print(json.dumps(exc.report, indent=2, ensure_ascii=False), file=sys.stderr)
        return 2
    except LexgraphError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(json.dumps(result.as_json(), ensure_ascii=False))
    return 0
