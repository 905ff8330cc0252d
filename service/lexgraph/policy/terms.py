"""Controlled values of the policy layer and the software agent that detects facts.

The concepts live in the SKOS schemes of ``ontology/vocab/`` and are named by
:mod:`lexgraph.vocab`; these wrappers give a clear error naming the scheme on a bad value (a
curation record with ``status = "done"`` fails the build with the allowed values).
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import URIRef

from lexgraph import vocab
from lexgraph.namespaces import ID

POLICY_AGENT_NAME = "lexgraph-policy"
POLICY_AGENT_VERSION = "1.0.0"


def _pick(scheme: Mapping[str, URIRef], name: str, what: str) -> URIRef:
    try:
        return scheme[name]
    except KeyError:
        raise ValueError(f"unknown {what} {name!r}; one of {sorted(scheme)}") from None


def status(name: str) -> URIRef:
    """A commitment-status concept ("open", "fulfilled", ...)."""
    return _pick(vocab.COMMITMENT_STATUS, name, "commitment status")


def answer_kind(name: str) -> URIRef:
    """An answer-kind concept ("fulfils", "partly-fulfils", "declines", ...)."""
    return _pick(vocab.ANSWER_KIND, name, "answer kind")


def appreciation(name: str) -> URIRef:
    """A motion-appreciation concept ("ontraden", "oordeel-kamer", ...)."""
    return _pick(vocab.APPRECIATION, name, "motion appreciation")


def agent_iri() -> URIRef:
    return ID[f"agent/{POLICY_AGENT_NAME}/{POLICY_AGENT_VERSION}"]
