"""Trusted reads for the REST routers: fixed SPARQL text, user values passed as bindings only.

The store is synchronous, so every call runs in the thread pool, off the event loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool

from lexgraph.store.base import GraphStore

PREFIXES = """\
PREFIX lkg: <https://w3id.org/lexgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""

Row = dict[str, str]


def _rows(result: Mapping[str, Any]) -> list[Row]:
    bindings = result.get("results", {}).get("bindings", [])
    return [{name: term["value"] for name, term in b.items()} for b in bindings]


async def select(
    store: GraphStore, body: str, bindings: Mapping[str, Any] | None = None
) -> list[Row]:
    """Rows of a trusted SELECT (``PREFIXES`` prepended): variable -> lexical value."""
    result = await run_in_threadpool(store.select, PREFIXES + body, bindings)
    return _rows(result)


async def ask(store: GraphStore, body: str, bindings: Mapping[str, Any] | None = None) -> bool:
    result = await run_in_threadpool(store.select, PREFIXES + body, bindings)
    return bool(result.get("boolean"))


def as_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
