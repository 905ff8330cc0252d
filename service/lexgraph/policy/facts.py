"""Turn detections and curated records into anchored RDF for one document.

Curated records win over detections: a detected fact of the same family whose span overlaps a
curated one is dropped, so a commitment is never listed twice. Everything here is deterministic
(IRIs from offsets, record ids and keys; times from metadata), so two builds give the same triples.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, SKOS

from lexgraph import iris
from lexgraph.extract.model import Citation
from lexgraph.namespaces import LKG, OA, PROV
from lexgraph.policy import detect, terms
from lexgraph.policy import rdf as r
from lexgraph.policy import time as ptime
from lexgraph.policy.curation import Curation, Located, locate
from lexgraph.policy.text import DATE_RE, parse_date, slug

#: Citation types that can ground a policy point (legal rules, not papers or letters).
GROUND_TYPES = {"eu-act", "nl-act", "nl-regulation", "nl-policy-rule", "treaty", "case-law"}

#: Which detections a curated record of each kind supersedes when their spans overlap.
FAMILY = {
    "commitment": "commitment",
    "commitment-response": "commitment",
    "motion": "motion",
    "motion-appreciation": "motion",
    "end-date-statement": "time",
    "protection-period": "time-period",
    "question-answer-pair": "qa",
    "policy-point-ground": "point",
}

TWEEDE_KAMER = "tweede-kamer"


@dataclass
class Context:
    """What the builders of one document share."""

    document_id: str
    text: str
    doc: URIRef
    graph: Graph
    activity: URIRef
    passages: Sequence[Any]
    citations: Sequence[Citation]
    curation: Curation
    register: Any | None
    date: dt.date | None


# --------------------------------------------------------------------------------------------
# Document metadata
# --------------------------------------------------------------------------------------------

_DATUM = re.compile(r"Datum\s+" + DATE_RE.pattern)


def _meta(document: Any) -> dict[str, Any]:
    meta = getattr(document, "meta", None) or {}
    return dict(meta) if isinstance(meta, dict) else {}


def _to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def document_date(document: Any) -> dt.date | None:
    """The document's date: metadata first, else the "Datum" line of the letterhead."""
    for value in (getattr(document, "date", None), _meta(document).get("date")):
        d = _to_date(value)
        if d:
            return d
    m = _DATUM.search(document.text)
    return parse_date(m[1], m[2], m[3]) if m else None


def added_date(document: Any) -> dt.date:
    """When the document entered the corpus (the detection time; never the wall clock)."""
    for value in (getattr(document, "added", None), _meta(document).get("added")):
        d = _to_date(value)
        if d:
            return d
    return document_date(document) or dt.date(1970, 1, 1)


def document_iri(document: Any) -> URIRef:
    iri = getattr(document, "iri", None)
    return URIRef(str(iri)) if iri else iris.document_iri(document.document_id)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _fact(ctx: Context, kind: str, start: int, end: int) -> URIRef:
    return URIRef(f"{ctx.doc}/{kind}/{start}-{end}")


def _citation_iri(ctx: Context, c: Citation) -> URIRef:
    return iris.citation_iri(ctx.document_id, c.start, c.end, c.type)


def _ground_iris(c: Citation, register: Any | None) -> list[URIRef]:
    if c.pinpoint:
        provisions = iris.provision_iris(c.id, c.pinpoint)
        if provisions:
            return provisions
    return [ptime.instrument_ref(c.id, register)]


_SIGNATORY = re.compile(
    r"^\s*((?:De|Het)\s+(?:Minister|Staatssecretaris|Minister-President)[^,\n]{0,80}),\s*$",
    re.MULTILINE,
)


def _default_maker(ctx: Context) -> URIRef:
    """Who speaks in a document: its signatory office, else the sender in its metadata."""
    m = _SIGNATORY.search(ctx.text)
    if m:
        return r.add_office(ctx.graph, _office_name(m[1]))
    return r.add_office(ctx.graph, "kabinet")


def _office_name(phrase: str) -> str:
    words = " ".join(phrase.split())
    return re.sub(r"^(?:[Dd]e|[Hh]et)\s+", "", words)


def _tweede_kamer(ctx: Context) -> URIRef:
    if TWEEDE_KAMER in ctx.curation.organizations:
        return agent_iri(ctx.curation, TWEEDE_KAMER, ctx.graph)
    org = r.organization(TWEEDE_KAMER)
    ctx.graph.add((org, RDF.type, FOAF.Organization))
    ctx.graph.add((org, FOAF.name, Literal("Tweede Kamer der Staten-Generaal")))
    return org


# --------------------------------------------------------------------------------------------
# Detected facts
# --------------------------------------------------------------------------------------------


def add_questions(ctx: Context, curated: list[Located]) -> None:
    taken = {str(loc.record.fields["number"]) for loc in curated}
    spans = [(loc.start, loc.end) for loc in curated]
    g = ctx.graph
    for hit in detect.detect_questions(ctx.text):
        if hit.label in taken or any(_overlaps((hit.q.start, hit.q.end), s) for s in spans):
            continue
        q = URIRef(f"{ctx.doc}/question/{slug(hit.label)}")
        g.add((q, RDF.type, LKG.Question))
        g.add((q, LKG.questionNumber, Literal(hit.label)))
        r.anchor(g, q, ctx.doc, ctx.text, hit.q.start, hit.q.end, ctx.activity)
        if hit.parent:
            g.add((q, DCTERMS.isPartOf, URIRef(f"{ctx.doc}/question/{slug(hit.parent)}")))
        if hit.a:
            a = URIRef(f"{ctx.doc}/answer/{slug(hit.label)}")
            g.add((a, RDF.type, LKG.Answer))
            g.add((a, LKG.answers, q))
            r.anchor(g, a, ctx.doc, ctx.text, hit.a.start, hit.a.end, ctx.activity)


def _passages_within(ctx: Context, start: int, end: int) -> list[URIRef]:
    inside = [p for p in ctx.passages if start <= p.start and p.end <= end]
    ids = {id(p) for p in inside}
    top = [
        p
        for p in inside
        if not any(
            id(q) in ids and q is not p and q.start <= p.start and p.end <= q.end for q in inside
        )
    ]
    return [URIRef(str(p.iri)) for p in sorted(top, key=lambda p: p.start)]


def add_points(ctx: Context) -> None:
    g = ctx.graph
    for hit in detect.detect_points(ctx.text):
        point = URIRef(f"{ctx.doc}/point/{hit.label}")
        g.add((point, RDF.type, LKG.PolicyPoint))
        g.add((point, LKG.label, Literal(hit.label)))
        r.anchor(g, point, ctx.doc, ctx.text, hit.span.start, hit.span.end, ctx.activity)
        regions = [(hit.span.start, hit.span.end)]
        if hit.explanation:
            ex = hit.explanation
            regions.append((ex.start, ex.end))
            passages = _passages_within(ctx, ex.start, ex.end)
            if passages:
                for p in passages:
                    g.add((point, LKG.explainedIn, p))
            else:
                node = URIRef(f"{ctx.doc}/explanation/{ex.start}-{ex.end}")
                g.add((node, RDF.type, OA.SpecificResource))
                g.add((node, LKG.label, Literal(f"Ad {hit.label})")))
                r.anchor(g, node, ctx.doc, ctx.text, ex.start, ex.end, ctx.activity)
                g.add((point, LKG.explainedIn, node))
        for c in ctx.citations:
            if c.type not in GROUND_TYPES:
                continue
            spans = [(c.start, c.end), *c.markers]
            if any(_overlaps(s, reg) for s in spans for reg in regions):
                for ground in _ground_iris(c, ctx.register):
                    g.add((point, LKG.groundedBy, ground))


def add_commitments(ctx: Context, curated: list[Located]) -> None:
    g = ctx.graph
    spans = [(loc.start, loc.end) for loc in curated]
    for hit in detect.detect_commitments(ctx.text):
        own = [(hit.span.start, hit.span.end)]
        if hit.response:
            own.append((hit.response.start, hit.response.end))
        if any(_overlaps(a, b) for a in own for b in spans):
            continue
        c = _fact(ctx, "commitment", hit.span.start, hit.span.end)
        g.add((c, RDF.type, LKG.Commitment))
        g.add(
            (
                c,
                DCTERMS.description,
                Literal(" ".join(ctx.text[hit.span.start : hit.span.end].split())),
            )
        )
        maker = r.add_office(g, _office_name(hit.maker)) if hit.maker else _default_maker(ctx)
        g.add((c, LKG.madeBy, maker))
        if hit.made_to:
            g.add((c, LKG.madeTo, _person(ctx, *hit.made_to)))
        elif re.search(r"\b(?:[Uu]w|[Dd]e)\s+Kamer\b|Tweede Kamer", ctx.text):
            g.add((c, LKG.madeTo, _tweede_kamer(ctx)))
        if hit.kind == "new":
            g.add((c, LKG.status, terms.status("open")))
            if ctx.date:
                g.add((c, LKG.madeOn, r.date_literal(ctx.date)))
            if hit.deadline:
                g.add((c, LKG.deadline, r.date_literal(hit.deadline)))
        else:
            g.add((c, LKG.status, terms.status("fulfilled" if hit.response else "open")))
        r.anchor(g, c, ctx.doc, ctx.text, hit.span.start, hit.span.end, ctx.activity)
        if hit.response:
            resp = _fact(ctx, "commitment-response", hit.response.start, hit.response.end)
            g.add((resp, RDF.type, LKG.CommitmentResponse))
            g.add((resp, LKG.respondsTo, c))
            g.add((resp, LKG.answerKind, terms.answer_kind("fulfils")))
            g.add((resp, LKG.answeredIn, ctx.doc))
            r.anchor(g, resp, ctx.doc, ctx.text, hit.response.start, hit.response.end, ctx.activity)


def _motion_ids(ctx: Context) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Motion mentions: (start, end, CITATIONS id, submitters as written), in text order."""
    cites = [c for c in ctx.citations if c.type == "motion"]
    out = []
    for hit in detect.detect_motions(ctx.text):
        span = (hit.span.start, hit.span.end)
        cid = next((c.id for c in cites if _overlaps((c.start, c.end), span)), hit.key)
        out.append((hit.span.start, hit.span.end, cid, hit.submitters))
    for c in cites:
        if not any(_overlaps((c.start, c.end), (s, e)) for s, e, _, _ in out):
            out.append((c.start, c.end, c.id, ()))
    out.sort()
    # A mention without a number ("de motie Boomsma en Van Zanten" in a summary) is the motion
    # that another mention or a curated record numbers, when the submitters are the same.
    by_names: dict[tuple[str, ...], str] = {
        tuple(rec.fields["submitters"]): rec.fields["motion"]
        for rec in ctx.curation.records
        if rec.kind == "motion"
    }
    for _, _, cid, names in out:
        if names and not cid.startswith("motion:"):
            by_names[tuple(slug(n) for n in names)] = cid
    return [(s, e, by_names.get(tuple(slug(x) for x in n), cid), n) for s, e, cid, n in out]


def add_motions(ctx: Context, curated: list[Located]) -> None:
    g = ctx.graph
    members = {m.name: m.party for m in detect.detect_members(ctx.text)}
    mentions = _motion_ids(ctx)
    for _s, _e, cid, names in mentions:
        motion = ptime.instrument_ref(cid, ctx.register)
        g.add((motion, RDF.type, LKG.Motion))
        g.add((motion, DCTERMS.identifier, Literal(cid)))
        for name in names:
            g.add((motion, LKG.submittedBy, _person(ctx, name, members.get(name))))
    for name, party_name in members.items():
        _person(ctx, name, party_name)
    spans = [(loc.start, loc.end) for loc in curated]
    for hit in detect.detect_appreciations(ctx.text):
        if any(_overlaps((hit.span.start, hit.span.end), s) for s in spans):
            continue
        target = _motion_for(mentions, hit.span.start, hit.span.end)
        if target is None:
            continue
        a = _fact(ctx, "motion-appreciation", hit.span.start, hit.span.end)
        g.add((a, RDF.type, LKG.MotionAppreciation))
        g.add((a, LKG.appreciationOf, ptime.instrument_ref(target, ctx.register)))
        g.add((a, LKG.appreciation, terms.appreciation(hit.value)))
        r.anchor(g, a, ctx.doc, ctx.text, hit.span.start, hit.span.end, ctx.activity)


def _person(ctx: Context, name: str, party_name: str | None) -> URIRef:
    """A member named in the text; curated persons keep their curated name and party."""
    if slug(name) in ctx.curation.persons:
        return agent_iri(ctx.curation, slug(name), ctx.graph)
    return r.add_person(ctx.graph, name, name, party_name)


def _motion_for(
    mentions: list[tuple[int, int, str, tuple[str, ...]]], start: int, end: int
) -> str | None:
    inside = [cid for s, e, cid, _ in mentions if _overlaps((s, e), (start, end))]
    if inside:
        return inside[-1]
    before = [cid for s, _e, cid, _ in mentions if s < start]
    if before:
        return before[-1]
    return mentions[0][2] if mentions else None


def add_end_dates(ctx: Context, curated: list[Located], periods: list[ptime.Period]) -> None:
    g = ctx.graph
    spans = [(loc.start, loc.end) for loc in curated]
    for hit in detect.detect_end_dates(ctx.text):
        if any(_overlaps((hit.span.start, hit.span.end), s) for s in spans):
            continue
        st = _fact(ctx, "end-date-statement", hit.span.start, hit.span.end)
        _statement(g, st, hit.date, periods)
        r.anchor(g, st, ctx.doc, ctx.text, hit.span.start, hit.span.end, ctx.activity)


def _statement(g: Graph, st: URIRef, date: dt.date, periods: list[ptime.Period]) -> None:
    g.add((st, RDF.type, LKG.EndDateStatement))
    g.add((st, LKG.statedEndDate, r.date_literal(date)))
    period = ptime.period_for(date, periods)
    if period is not None:
        g.add((st, LKG.about, period.iri))


def flag_repealed(ctx: Context) -> None:
    for c, cid in ptime.no_longer_in_force(ctx.citations, ctx.date, ctx.register):
        inst = ptime.instrument_ref(cid, ctx.register)
        ctx.graph.add((_citation_iri(ctx, c), LKG.citesInstrumentNoLongerInForce, inst))
        ctx.graph.add((ctx.doc, LKG.citesInstrumentNoLongerInForce, inst))


# --------------------------------------------------------------------------------------------
# Curated facts
# --------------------------------------------------------------------------------------------


def add_curated(ctx: Context, loc: Located, periods: list[ptime.Period]) -> None:
    rec, g = loc.record, ctx.graph
    f = rec.fields
    activity = r.curation_activity(g, rec)
    record_node = r.ID[f"curation/{rec.id}"]
    r.anchor(g, record_node, ctx.doc, ctx.text, loc.start, loc.end, activity)
    kind = rec.kind
    if kind == "commitment":
        c = commitment_iri(f["key"])
        g.add((c, RDF.type, LKG.Commitment))
        g.add((c, DCTERMS.identifier, Literal(f["key"])))
        g.add((c, DCTERMS.description, Literal(f["text"])))
        g.add((c, LKG.madeBy, agent_iri(ctx.curation, f["made_by"], g)))
        if "made_to" in f:
            g.add((c, LKG.madeTo, agent_iri(ctx.curation, f["made_to"], g)))
        if "debate" in f:
            g.add((c, LKG.madeDuring, debate_iri(ctx.curation, f["debate"], g)))
        if "made_on" in f:
            g.add((c, LKG.madeOn, r.date_literal(_d(f["made_on"]))))
        if "deadline" in f:
            g.add((c, LKG.deadline, r.date_literal(_d(f["deadline"]))))
        g.add((c, LKG.status, terms.status(f["status"])))
        r.anchor(g, c, ctx.doc, ctx.text, loc.start, loc.end, activity)
    elif kind == "commitment-response":
        resp = r.ID[f"commitment-response/{rec.id}"]
        target = (
            commitment_iri(f["commitment"])
            if "commitment" in f
            else ptime.instrument_ref(f["motion"], ctx.register)
        )
        g.add((resp, RDF.type, LKG.CommitmentResponse))
        g.add((resp, LKG.respondsTo, target))
        g.add((resp, LKG.answerKind, terms.answer_kind(f["answer_kind"])))
        answered = f.get("answered_in")
        if answered:
            other = ptime.instrument_ref(answered, ctx.register)
            g.add((resp, LKG.answeredIn, other))
            g.add((other, DCTERMS.identifier, Literal(answered)))
        else:
            g.add((resp, LKG.answeredIn, ctx.doc))
        if "motion" in f:
            g.add((resp, LKG.followUpOf, target))
        r.anchor(g, resp, ctx.doc, ctx.text, loc.start, loc.end, activity)
    elif kind == "motion":
        m = ptime.instrument_ref(f["motion"], ctx.register)
        g.add((m, RDF.type, LKG.Motion))
        g.add((m, DCTERMS.identifier, Literal(f["motion"])))
        for key in f["submitters"]:
            g.add((m, LKG.submittedBy, agent_iri(ctx.curation, key, g)))
        if "asks" in f:
            g.add((m, LKG.asks, Literal(f["asks"])))
        if "title" in f:
            g.add((m, DCTERMS.title, Literal(f["title"])))
        if "debate" in f:
            g.add((m, DCTERMS.relation, debate_iri(ctx.curation, f["debate"], g)))
        r.anchor(g, m, ctx.doc, ctx.text, loc.start, loc.end, activity)
    elif kind == "motion-appreciation":
        a = r.ID[f"motion-appreciation/{rec.id}"]
        g.add((a, RDF.type, LKG.MotionAppreciation))
        g.add((a, LKG.appreciationOf, ptime.instrument_ref(f["motion"], ctx.register)))
        g.add((a, LKG.appreciation, terms.appreciation(f["appreciation"])))
        if "given_by" in f:
            g.add((a, DCTERMS.creator, agent_iri(ctx.curation, f["given_by"], g)))
        r.anchor(g, a, ctx.doc, ctx.text, loc.start, loc.end, activity)
    elif kind == "policy-point-ground":
        point = URIRef(f"{ctx.doc}/point/{f['point']}")
        grounds = (
            iris.provision_iris(f["ground"], f["pinpoint"]) if f.get("pinpoint") else []
        ) or [ptime.instrument_ref(f["ground"], ctx.register)]
        for ground in grounds:
            g.add((point, LKG.groundedBy, ground))
        g.add((point, PROV.wasDerivedFrom, record_node))
    elif kind == "protection-period":
        p = next(p for p in periods if p.record.id == rec.id)
        ptime.add_period(g, p, activity, ctx.register)
        r.anchor(g, p.iri, ctx.doc, ctx.text, loc.start, loc.end, activity)
    elif kind == "end-date-statement":
        st = r.ID[f"end-date-statement/{rec.id}"]
        _statement(g, st, _d(f["date"]), periods)
        r.anchor(g, st, ctx.doc, ctx.text, loc.start, loc.end, activity)
    elif kind == "question-answer-pair":
        q = r.ID[f"question/{rec.id}"]
        g.add((q, RDF.type, LKG.Question))
        g.add((q, LKG.questionNumber, Literal(str(f["number"]))))
        if "asked_by" in f:
            g.add((q, LKG.askedBy, agent_iri(ctx.curation, f["asked_by"], g)))
        r.anchor(g, q, ctx.doc, ctx.text, loc.start, loc.end, activity)
        assert loc.answer is not None
        a = r.ID[f"answer/{rec.id}"]
        g.add((a, RDF.type, LKG.Answer))
        g.add((a, LKG.answers, q))
        r.anchor(g, a, ctx.doc, ctx.text, loc.answer[0], loc.answer[1], activity)


def _d(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def commitment_iri(key: str) -> URIRef:
    return r.ID[f"commitment/{slug(key)}"]


def agent_iri(curation: Curation, key: str, g: Graph | None = None) -> URIRef:
    """The IRI of a curated person, office or organization; with ``g``, its description too, so
    that a document graph can be read (and validated) on its own."""
    if key in curation.organizations:
        node = r.organization(key)
        if g is not None:
            g.add((node, RDF.type, FOAF.Organization))
            g.add((node, FOAF.name, Literal(curation.organizations[key].name)))
        return node
    if key in curation.offices:
        name = curation.offices[key].name
        return r.add_office(g, name) if g is not None else r.office(name)
    if g is not None and key in curation.persons:
        p = curation.persons[key]
        node = r.add_person(g, p.key, p.name, p.party)
        if p.role:
            g.add((node, FOAF.title, Literal(p.role)))
        return node
    return r.person(key)


def debate_iri(curation: Curation, key: str, g: Graph) -> URIRef:
    """A curated debate, described in ``g`` (title, dates, the reports that record it)."""
    d = curation.debates[key]
    node = r.debate(d.key)
    g.add((node, RDF.type, LKG.Debate))
    g.add((node, DCTERMS.title, Literal(d.title)))
    for day in d.dates:
        g.add((node, DCTERMS.date, r.date_literal(day)))
    g.add((node, LKG.startDate, r.date_literal(min(d.dates))))
    g.add((node, LKG.endDate, r.date_literal(max(d.dates))))
    if d.kind:
        g.add((node, SKOS.note, Literal(d.kind)))
    for hid in d.reports:
        h = iris.instrument_iri(hid)
        g.add((node, DCTERMS.isReferencedBy, h))
        g.add((h, DCTERMS.identifier, Literal(hid)))
    return node


# --------------------------------------------------------------------------------------------
# Corpus-level facts (the curation graph)
# --------------------------------------------------------------------------------------------


def corpus_graph(curation: Curation, register: Any | None) -> Graph:
    """Persons, organizations, debates and the periods no seed states (register-based).

    Document graphs also describe the persons and debates their own facts name, so each reads on
    its own; queries over the union use DISTINCT."""
    g = Graph()
    for p in curation.persons.values():
        node = r.add_person(g, p.key, p.name, p.party)
        if p.role:
            g.add((node, FOAF.title, Literal(p.role)))
    for of in curation.offices.values():
        r.add_office(g, of.name)
    for o in curation.organizations.values():
        node = r.organization(o.key)
        g.add((node, RDF.type, FOAF.Organization))
        g.add((node, FOAF.name, Literal(o.name)))
    for key in curation.debates:
        debate_iri(curation, key, g)
    for period in ptime.periods(curation):
        if period.record.document is None:
            activity = r.curation_activity(g, period.record)
            ptime.add_period(g, period, activity, register)
            decision = ptime.instrument_ref(period.decision, register)
            g.add((period.iri, PROV.wasDerivedFrom, decision))
    _ = OWL  # reserved for owl:sameAs links between person keys
    return g


def build_document_graph(
    document: Any,
    passages: Sequence[Any],
    citations: Iterable[Citation],
    curation: Curation,
    register: Any | None,
) -> Graph:
    g = Graph()
    doc = document_iri(document)
    ctx = Context(
        document_id=document.document_id,
        text=document.text,
        doc=doc,
        graph=g,
        activity=r.detection_activity(g, document.document_id, doc, added_date(document)),
        passages=passages,
        citations=list(citations),
        curation=curation,
        register=register,
        date=document_date(document),
    )
    ids = {document.document_id, str(doc), *_aliases(document)}
    located = [locate(rec, ctx.text) for rec in curation.for_document(ids)]
    by_family: dict[str, list[Located]] = {}
    for loc in located:
        by_family.setdefault(FAMILY[loc.record.kind], []).append(loc)
    periods = ptime.periods(curation)
    add_questions(ctx, by_family.get("qa", []))
    add_points(ctx)
    add_commitments(ctx, by_family.get("commitment", []))
    add_motions(ctx, by_family.get("motion", []))
    add_end_dates(ctx, by_family.get("time", []), periods)
    flag_repealed(ctx)
    for loc in located:
        add_curated(ctx, loc, periods)
    return g


def _aliases(document: Any) -> set[str]:
    meta = _meta(document)
    out = set()
    for key in ("reference", "official_id", "officialIdentifier", "slug", "document_id", "id"):
        v = meta.get(key)
        if isinstance(v, str | int):
            out.add(str(v))
    path = getattr(document, "path", None)
    if path is not None:
        out.add(Path(str(path)).stem)
    return out
