"""What was in force when: protection periods, end-date statements, repealed instruments.

Periods come from curated records (a seed's quote where one states the period, the register's
decisions otherwise). End-date statements are detected in every document and kept even when they
contradict each other (5 versus 4 March 2027): each is linked to the period whose end it speaks
about, so a query puts the disagreeing statements side by side. A citation of an instrument that
was repealed (or no longer applied) on the citing document's date is flagged at build time from
the register's dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from lexgraph import iris
from lexgraph.extract.model import Citation
from lexgraph.namespaces import ID, LKG, PROV
from lexgraph.policy.curation import Curation, Record
from lexgraph.policy.rdf import date_literal

#: An end-date statement speaks about a period whose end is at most this far from its date.
TOLERANCE = dt.timedelta(days=2)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    decision: str
    iri: URIRef
    record: Record


def period_iri(end: dt.date) -> URIRef:
    return ID[f"protection-period/ukraine/{end.isoformat()}"]


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def periods(curation: Curation) -> list[Period]:
    out = []
    for r in curation.records:
        if r.kind != "protection-period":
            continue
        end = _as_date(r.fields["end"])
        out.append(
            Period(_as_date(r.fields["start"]), end, r.fields["decision"], period_iri(end), r)
        )
    return sorted(out, key=lambda p: p.start)


def period_for(stated: dt.date, known: Iterable[Period]) -> Period | None:
    """The period whose end date the statement is (nearly) about."""
    best = min(known, key=lambda p: abs(p.end - stated), default=None)
    if best is not None and abs(best.end - stated) <= TOLERANCE:
        return best
    return None


def instrument_ref(cid: str, register: Any | None) -> URIRef:
    """The IRI of an instrument, with the register's ELI where it has one."""
    if register is not None:
        try:
            return URIRef(register.iri(cid))
        except Exception:  # an id the register does not know resolves by rule
            pass
    return iris.instrument_iri(cid)


def add_period(g: Graph, p: Period, activity: URIRef, register: Any | None) -> None:
    decision = instrument_ref(p.decision, register)
    g.add((p.iri, RDF.type, LKG.ProtectionPeriod))
    g.add((p.iri, LKG.startDate, date_literal(p.start)))
    g.add((p.iri, LKG.endDate, date_literal(p.end)))
    g.add((p.iri, LKG.establishedBy, decision))
    g.add((decision, DCTERMS.identifier, Literal(p.decision)))
    proposal = p.record.fields.get("proposal")
    if proposal:
        prop = instrument_ref(proposal, register)
        g.add((p.iri, PROV.wasInfluencedBy, prop))
        g.add((prop, DCTERMS.identifier, Literal(proposal)))
    g.add((p.iri, PROV.wasGeneratedBy, activity))


def _date_of(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def no_longer_in_force(
    citations: Iterable[Citation], document_date: dt.date | None, register: Any | None
) -> list[tuple[Citation, str]]:
    """Citations of instruments repealed (or no longer applied) on or before the document date."""
    if document_date is None or register is None:
        return []
    out = []
    for c in citations:
        inst = register.get(c.id)
        if inst is None:
            continue
        until = _date_of(getattr(inst, "repealed_from", None)) or _date_of(
            getattr(inst, "no_longer_in_force", None)
        )
        if until is not None and until <= document_date:
            out.append((c, c.id))
    return out
