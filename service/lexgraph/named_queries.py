"""Named ("stored") SPARQL queries: one ``.rq`` file each in ``queries/``, with a header.

Outside users script against these names, parameters and columns, so the header is the contract
and is parsed strictly: a query file without a title or with an undeclared ``?parameter`` fails at
load time, not when a user first calls it. Header lines look like::

    # title: Policy point grounds
    # description: Which instrument ... (may repeat; lines are joined)
    # question: CQ1 — Which instrument, down to the article, grounds policy point X ...?
    # param: document (document) — any identifier of the document
    # param: point (string) — the point's letter, e.g. "a"
    # columns: point, pointText, instrument

Parameter types: ``string`` (a plain literal), ``iri`` (an absolute http(s) IRI), ``document``
(any of a document's identifiers: documentId, reference, official id or IRI; resolved to the
document IRI before the query runs). Parameter ``x`` is bound to the variable ``?param_x`` (so a
parameter may share its name with a result column, as ``point`` does in policy-point-grounds), as
an RDF term through the store's substitution mechanism, never pasted into the query text.

Substitution (SPARQL SEP-0007, as pyoxigraph implements it) applies to projected variables, so a
query projects its ``?param_x`` variables too and uses them in triple patterns (which also works
for stores that bind through a trailing VALUES clause); the runner drops them from the result, so
clients see exactly the ``columns`` of the header.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from lexgraph.errors import LexgraphError, NotFound
from lexgraph.store.base import GraphStore, SparqlJson

PARAM_TYPES = ("string", "iri", "document")
_NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")
_HEADER_RE = re.compile(r"^#\s*([a-z]+):\s?(.*)$")
_PARAM_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)\s+\((\w+)\)\s+(?:—|-{1,2})\s+(.+)$")
_IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_MAX_VALUE = 2000

# Parameters are projected: substitution binds projected variables (see the module docstring).
# The identifier patterns come first and the type is a FILTER EXISTS: with the type pattern
# first, Oxigraph enumerated every document before the bound value narrowed it (22-35 ms at
# 1,000 documents, 0.2 ms this way).
_RESOLVE_DOCUMENT = """
PREFIX lkg: <https://w3id.org/lexgraph/ontology#>
SELECT DISTINCT ?value ?doc WHERE {
  { ?doc lkg:documentId ?value } UNION { ?doc lkg:reference ?value }
  UNION { ?doc lkg:officialIdentifier ?value }
  FILTER EXISTS { ?doc a lkg:Document }
}
"""

_IS_DOCUMENT = """
PREFIX lkg: <https://w3id.org/lexgraph/ontology#>
SELECT ?value WHERE { ?value a lkg:Document } LIMIT 1
"""


def variable(name: str) -> str:
    """The query variable a parameter is bound to."""
    return f"param_{name}"


class BadParameter(LexgraphError):
    status = 400
    code = "invalid_parameter"


@dataclass(frozen=True)
class Parameter:
    """A declared query parameter."""

    name: str
    type: str
    description: str

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type, "description": self.description}


@dataclass(frozen=True)
class NamedQuery:
    """A parsed ``.rq`` file: its header and its (syntax-checked) SPARQL text."""

    name: str
    title: str
    description: str
    question: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    sparql: str
    path: Path

    def summary(self) -> dict[str, Any]:
        """What ``GET /queries`` lists for this query."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "question": self.question,
            "parameters": [p.as_json() for p in self.parameters],
            "columns": list(self.columns),
        }


class QueryFileError(ValueError):
    """A ``.rq`` file whose header or query is malformed."""


def parse_query_file(path: Path) -> NamedQuery:
    """Parse and check one ``.rq`` file (header fields, declared parameters, SPARQL syntax)."""
    name = path.stem
    if not _NAME_RE.match(name):
        raise QueryFileError(f"{path}: query names are lower-case words joined by '-'")
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER_RE.match(line)
        if m:
            fields.setdefault(m[1], []).append(m[2].strip())
        elif fields and line.strip() != "#":
            raise QueryFileError(f"{path}: header line is not 'key: value': {line!r}")
    for required in ("title", "description", "question", "columns"):
        if not fields.get(required):
            raise QueryFileError(f"{path}: header lacks '{required}:'")
    params = []
    for raw in fields.get("param", []):
        pm = _PARAM_RE.match(raw)
        if not pm or pm[2] not in PARAM_TYPES:
            raise QueryFileError(
                f"{path}: bad param line {raw!r}; expected 'name (type) — description' "
                f"with type in {PARAM_TYPES}"
            )
        params.append(Parameter(pm[1], pm[2], pm[3]))
    columns = tuple(c.strip() for c in " ".join(fields["columns"]).split(",") if c.strip())
    try:
        parsed = prepareQuery(text)
    except Exception as exc:  # rdflib raises pyparsing errors of several kinds
        raise QueryFileError(f"{path}: SPARQL syntax error: {exc}") from exc
    projected = [str(v) for v in (parsed.algebra.get("PV") or [])]
    expected = set(columns) | {variable(p.name) for p in params}
    for p in params:
        if not re.search(rf"[?$]{re.escape(variable(p.name))}\b", text):
            raise QueryFileError(f"{path}: parameter {p.name!r} is not used in the query")
    if set(projected) != expected:
        raise QueryFileError(
            f"{path}: the projection {sorted(projected)} must be the header's columns plus the "
            f"parameter variables: {sorted(expected)}"
        )
    return NamedQuery(
        name=name,
        title=" ".join(fields["title"]),
        description=" ".join(fields["description"]),
        question=" ".join(fields["question"]),
        parameters=tuple(params),
        columns=columns,
        sparql=text,
        path=path,
    )


def load_queries(queries_dir: Path) -> dict[str, NamedQuery]:
    """All named queries in a directory, by name (sorted); parsed once per change of the files."""
    paths = sorted(queries_dir.glob("*.rq"))
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
    return dict(_load(stamp))


@lru_cache(maxsize=8)
def _load(stamp: tuple[tuple[str, int], ...]) -> tuple[tuple[str, NamedQuery], ...]:
    queries = [parse_query_file(Path(path)) for path, _ in stamp]
    return tuple((q.name, q) for q in queries)


def get_query(queries: Mapping[str, NamedQuery], name: str) -> NamedQuery:
    try:
        return queries[name]
    except KeyError:
        raise NotFound(f"no named query {name!r}; GET /queries lists them") from None


def resolve_document(store: GraphStore, value: str) -> URIRef:
    """The IRI of the document ``value`` names: documentId, reference, official id or IRI."""
    value = value.strip()
    found = store.select(_RESOLVE_DOCUMENT, {"value": Literal(value)})
    docs = {row["doc"]["value"] for row in found.get("results", {}).get("bindings", [])}
    if len(docs) == 1:
        return URIRef(docs.pop())
    if len(docs) > 1:
        raise BadParameter(f"document identifier {value!r} is ambiguous")
    if _IRI_RE.match(value):
        asked = store.select(_IS_DOCUMENT, {"value": URIRef(value)})
        if asked.get("results", {}).get("bindings"):
            return URIRef(value)
    raise BadParameter(f"no document with identifier {value!r}", code="unknown_document")


def bind_parameters(
    store: GraphStore, query: NamedQuery, params: Mapping[str, str]
) -> dict[str, Any]:
    """Check the given values against the declaration and turn them into RDF terms."""
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise BadParameter(
            f"query {query.name!r} has no parameter(s) {', '.join(unknown)}; "
            f"it takes: {', '.join(declared) or 'none'}"
        )
    bindings: dict[str, Any] = {}
    for p in query.parameters:
        value = params.get(p.name)
        if value is None or not value.strip():
            raise BadParameter(f"missing parameter {p.name!r} ({p.type}): {p.description}")
        if len(value) > _MAX_VALUE or any(ord(ch) < 32 for ch in value):
            raise BadParameter(f"parameter {p.name!r} is too long or contains control characters")
        if p.type == "iri":
            if not _IRI_RE.match(value):
                raise BadParameter(f"parameter {p.name!r} must be an absolute http(s) IRI")
            bindings[variable(p.name)] = URIRef(value)
        elif p.type == "document":
            bindings[variable(p.name)] = resolve_document(store, value)
        else:
            bindings[variable(p.name)] = Literal(value.strip())
    return bindings


def run_query_json(
    store: GraphStore,
    queries: Mapping[str, NamedQuery],
    name: str,
    params: Mapping[str, str] | None = None,
) -> bytes:
    """Run a named query with validated, bound parameters; SPARQL 1.1 JSON results as bytes,
    the parameter columns left out (the store cuts them from its own output: no parse and
    re-write of the rows)."""
    query = get_query(queries, name)
    bindings = bind_parameters(store, query, params or {})
    return store.select_json(query.sparql, bindings, hide=bindings)


def run_query(
    store: GraphStore,
    queries: Mapping[str, NamedQuery],
    name: str,
    params: Mapping[str, str] | None = None,
) -> SparqlJson:
    """Run a named query with validated, bound parameters; SPARQL 1.1 JSON results."""
    result: SparqlJson = json.loads(run_query_json(store, queries, name, params))
    return result
