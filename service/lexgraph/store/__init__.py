"""Graph stores: see :mod:`lexgraph.store.base` for the interface."""

from lexgraph.store.base import GraphStore, RawResult, SparqlJson, StoreError

__all__ = ["GraphStore", "RawResult", "SparqlJson", "StoreError"]
