"""Source documents: the text exactly as read (strict UTF-8, never normalised) and its metadata.

Offsets everywhere in lexgraph are Python string offsets into :attr:`SourceDocument.text`.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from lexgraph import iris
from lexgraph.errors import LexgraphError

REQUIRED_KEYS = ("document_id", "type", "title", "date")
KNOWN_KEYS = frozenset(
    (
        *REQUIRED_KEYS,
        "reference",
        "identifier",
        "sender",
        "addressee",
        "subject",
        "language",
        "added",
        "date_note",
        "source_note",
    )
)
_ID_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,119}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SourceError(LexgraphError):
    """A source file or its metadata cannot be used."""

    code = "invalid_source"
    status = 422


@dataclass(frozen=True)
class SourceDocument:
    """One document: its id, text, metadata, and the IRIs of its node and named graph."""

    document_id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def iri(self) -> URIRef:
        return iris.document_iri(self.document_id)

    @property
    def graph_iri(self) -> URIRef:
        return iris.document_graph(self.document_id)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode_text(data: bytes, name: str) -> str:
    """Strict UTF-8; a clear error naming the input otherwise (BOM-less, NUL-free, not empty)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SourceError(f"{name}: not UTF-8 text (byte {err.start})") from None
    if "\x00" in text:
        raise SourceError(f"{name}: contains NUL bytes (binary data?)")
    if not text.strip():
        raise SourceError(f"{name}: empty text")
    return text


def check_metadata(meta: dict[str, Any], name: str) -> dict[str, Any]:
    """The metadata with unknown keys and missing or malformed required values refused."""
    unknown = sorted(set(meta) - KNOWN_KEYS)
    if unknown:
        raise SourceError(f"{name}: unknown metadata keys {', '.join(unknown)}")
    missing = [k for k in REQUIRED_KEYS if not str(meta.get(k) or "").strip()]
    if missing:
        raise SourceError(f"{name}: missing metadata {', '.join(missing)}")
    if not _ID_RE.match(str(meta["document_id"])):
        raise SourceError(f"{name}: document_id {meta['document_id']!r} is not a plain id")
    for key in ("date", "added"):
        if key in meta and not _DATE_RE.match(str(meta[key])):
            raise SourceError(f"{name}: {key} must be YYYY-MM-DD, not {meta[key]!r}")
    return {k: str(v) for k, v in meta.items()}


def load_source(path: Path) -> SourceDocument:
    """One ``NAME.txt`` with its ``NAME.meta.toml``."""
    meta_path = path.with_suffix(".meta.toml")
    if not meta_path.exists():
        raise SourceError(f"{path.name}: no metadata file {meta_path.name}")
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SourceError(f"{meta_path.name}: {err}") from None
    meta = check_metadata(meta, meta_path.name)
    text = decode_text(path.read_bytes(), path.name)
    return SourceDocument(meta["document_id"], text, meta, path)


def load_sources(data_dir: Path) -> list[SourceDocument]:
    """Every document in ``data_dir/sources``, in file-name order; document ids must be unique."""
    docs = [load_source(p) for p in sorted((data_dir / "sources").glob("*.txt"))]
    seen: dict[str, str] = {}
    for doc in docs:
        name = doc.path.name if doc.path else doc.document_id
        if doc.document_id in seen:
            raise SourceError(
                f"{name}: document_id {doc.document_id} also used by {seen[doc.document_id]}"
            )
        seen[doc.document_id] = name
    return docs
