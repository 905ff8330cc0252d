"""Policy knowledge: policy points, commitments, motions, questions and answers, and time.

Two entry points for the build:

- :func:`policy_graph` gives the facts of one document (detected from its structure and stock
  phrases, plus the curated records that quote it), to merge into the document's named graph;
- :func:`curation_graph` gives the corpus-level curated facts (persons, organizations, debates,
  periods that no document states) for the curation graph.

Curated records whose quote is not in their document raise :class:`CurationError` naming the record.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph

from lexgraph.extract.model import Citation
from lexgraph.policy.curation import CurationError, load_curation
from lexgraph.policy.facts import build_document_graph, corpus_graph
from lexgraph.policy.terms import POLICY_AGENT_NAME, POLICY_AGENT_VERSION

__all__ = [
    "POLICY_AGENT_NAME",
    "POLICY_AGENT_VERSION",
    "CurationError",
    "curation_graph",
    "policy_graph",
]


def _register(data_dir: Path) -> Any | None:
    """The instrument register, when it exists (its dates flag repealed instruments)."""
    path = data_dir / "register" / "instruments.toml"
    if not path.exists():
        return None
    try:
        module = importlib.import_module("lexgraph.register")
    except ImportError:
        return None
    return module.load_register(path)


def policy_graph(
    document: Any,
    passages: Sequence[Any],
    citations: Iterable[Citation],
    data_dir: Path,
) -> Graph:
    """The policy facts of one document, each anchored to its span with its provenance."""
    return build_document_graph(
        document, passages, citations, load_curation(data_dir), _register(data_dir)
    )


def curation_graph(data_dir: Path) -> Graph:
    """Corpus-level curated facts: persons, organizations, debates, register-based periods."""
    return corpus_graph(load_curation(data_dir), _register(data_dir))
