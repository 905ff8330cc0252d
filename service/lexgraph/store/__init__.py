"""Graph stores: see :mod:`lexgraph.store.base` for the interface."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lexgraph.store.base import GraphStore, RawResult, SparqlJson, StoreError, StoreTimeout

if TYPE_CHECKING:
    from lexgraph.settings import Settings


def open_store(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """The store the settings name: embedded Oxigraph (default) or a remote SPARQL server."""
    if settings.backend == "sparql":
        from lexgraph.store.remote import RemoteStore

        return RemoteStore(settings)
    from lexgraph.store.oxigraph import OxigraphStore

    return OxigraphStore(settings.store, read_only=read_only)


__all__ = ["GraphStore", "RawResult", "SparqlJson", "StoreError", "StoreTimeout", "open_store"]
