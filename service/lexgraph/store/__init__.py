"""Graph stores: see :mod:`lexgraph.store.base` for the interface."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lexgraph.store.base import GraphStore, RawResult, SparqlJson, StoreError

if TYPE_CHECKING:
    from lexgraph.settings import Settings


def open_store(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """The store the settings name: embedded Oxigraph (default) or a remote SPARQL server."""
    if settings.backend == "sparql":
        try:
            from lexgraph.store.remote import (  # type: ignore[import-not-found,unused-ignore]
                RemoteStore,
            )
        except ImportError:
            raise StoreError(
                "LEXGRAPH_BACKEND=sparql: the SPARQL-server backend is not part of this version; "
                "use the embedded store (LEXGRAPH_BACKEND=oxigraph)"
            ) from None
        store: GraphStore = RemoteStore(settings)
        return store
    from lexgraph.store.oxigraph import OxigraphStore

    return OxigraphStore(settings.store, read_only=read_only)


__all__ = ["GraphStore", "RawResult", "SparqlJson", "StoreError", "open_store"]
