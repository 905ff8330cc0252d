"""The policy graph of one document: anchoring, provenance, curated-over-detected, flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import DCTERMS, FOAF, SKOS, XSD

from lexgraph.extract.model import Citation
from lexgraph.namespaces import ID, LKG, OA, PROV, VOCAB
from lexgraph.policy import policy_graph
from lexgraph.policy.terms import POLICY_AGENT_NAME, POLICY_AGENT_VERSION, agent_iri

from .harness import ROOT, SEED_IDS, Doc, sample, seed

DATA = ROOT / "graph_data"


def graph_of(doc: Doc, citations: list[Citation] | None = None) -> Graph:
    return policy_graph(doc, [], citations or [], DATA)


def anchored(g: Graph) -> list[URIRef]:
    return sorted({s for s in g.subjects(OA.hasSelector, None) if isinstance(s, URIRef)})


@pytest.mark.parametrize("stem", sorted(SEED_IDS))
def test_every_fact_quotes_its_source_slice(stem: str) -> None:
    doc = seed(stem)
    g = graph_of(doc)
    facts = anchored(g)
    assert facts or stem == "003_6571167254aee64b"
    for fact in facts:
        sels = set(g.objects(fact, OA.hasSelector))
        [pos] = [s for s in sels if (s, RDF.type, OA.TextPositionSelector) in g]
        [quote] = [s for s in sels if (s, RDF.type, OA.TextQuoteSelector) in g]
        start, end = int(g.value(pos, OA.start)), int(g.value(pos, OA.end))  # type: ignore[arg-type]
        assert str(g.value(quote, OA.exact)) == doc.text[start:end], fact
        assert g.value(fact, OA.hasSource) == URIRef(f"{ID}doc/{doc.document_id}")
        assert g.value(fact, PROV.wasGeneratedBy) is not None, fact


def test_build_is_deterministic() -> None:
    doc = seed("000_3e05258bd5a6b280")
    assert to_isomorphic(graph_of(doc)) == to_isomorphic(graph_of(doc))


def test_detected_facts_name_the_detector_and_its_version() -> None:
    g = graph_of(seed("003_6571167254aee64b"))
    q = URIRef(f"{ID}doc/2022-11-07-antwoorden-van-dijk-mobilisatie-rusland/question/1")
    activity = g.value(q, PROV.wasGeneratedBy)
    assert g.value(activity, PROV.wasAssociatedWith) == agent_iri()
    assert str(g.value(agent_iri(), LKG.softwareVersion)) == POLICY_AGENT_VERSION
    assert POLICY_AGENT_NAME in str(agent_iri())


def test_curated_facts_replace_the_detected_ones() -> None:
    g = graph_of(seed("002_50923e3173a0bcfc"))
    assert list(g.subjects(RDF.type, LKG.Commitment)) == [ID["commitment/appreciatie-motie-piri"]]
    [appreciation] = g.subjects(RDF.type, LKG.MotionAppreciation)
    activity = g.value(appreciation, PROV.wasGeneratedBy)
    record = g.value(activity, PROV.used)
    assert (record, RDF.type, LKG.CurationRecord) in g
    assert str(g.value(record, LKG.quote)) == "Gelet op het voorgaande ontraad ik de motie."
    assert g.value(appreciation, LKG.appreciation) == VOCAB["motion-appreciation/ontraden"]


def test_a_new_commitment_is_open_with_its_deadline() -> None:
    g = graph_of(sample("brief-toezegging"))
    commitments = sorted(g.subjects(RDF.type, LKG.Commitment))
    assert len(commitments) == 2
    with_deadline = [c for c in commitments if g.value(c, LKG.deadline) is not None]
    [c] = with_deadline
    assert g.value(c, LKG.deadline) == Literal("2026-10-01", datatype=XSD.date)
    for c in commitments:
        assert g.value(c, LKG.status) == VOCAB["commitment-status/open"]
        assert str(g.value(c, LKG.madeOn)) == "2026-09-10"
        maker = g.value(c, LKG.madeBy)
        assert str(g.value(maker, FOAF.name)) == "Minister van Asiel en Migratie"
        assert g.value(c, LKG.madeTo) == ID["organization/tweede-kamer"]


def test_an_appreciation_in_a_new_letter_names_its_motion_and_members() -> None:
    g = graph_of(sample("brief-motie-oordeel"))
    values = {
        (str(g.value(a, LKG.appreciation)).rsplit("/", 1)[-1], g.value(a, LKG.appreciationOf))
        for a in g.subjects(RDF.type, LKG.MotionAppreciation)
    }
    assert values == {
        ("oordeel-kamer", ID["motion/jansen"]),
        ("ontraden", ID["motion/van-der-berg-de-groot"]),
    }
    jansen = ID["person/jansen"]
    assert (ID["motion/jansen"], LKG.submittedBy, jansen) in g
    party = g.value(jansen, LKG.party)
    assert str(g.value(party, SKOS.prefLabel)) == "GroenLinks-PvdA"
    assert (ID["motion/jansen"], DCTERMS.identifier, Literal("motion:jansen")) in g


def test_new_question_answer_letter_gets_pairs() -> None:
    g = graph_of(sample("antwoorden-kamervragen"))
    numbers = sorted(
        str(g.value(q, LKG.questionNumber)) for q in g.subjects(RDF.type, LKG.Question)
    )
    assert numbers == ["1", "2", "3"]
    assert len(list(g.subjects(LKG.answers, None))) == 3


def test_points_are_grounded_by_the_citations_in_them_or_bound_to_them() -> None:
    doc = seed("001_5eaab51baa93c604")
    text = doc.text
    s = text.index("artikel 15, onder c, van de Kwalificatierichtlijn")
    body = Citation(s, s + 49, text[s : s + 49], "eu-act", "celex:32011L0095", "art. 15(c)")
    f = text.index("¹ Richtlijn 2011/95/EU") + 2
    marker = text.index("¹", s)
    note = Citation(
        f, f + 19, text[f : f + 19], "eu-act", "celex:32011L0095", markers=((marker, marker + 1),)
    )
    g = graph_of(doc, [body, note])
    point_a = URIRef(f"{ID}doc/7747653/point/a")
    grounds = set(g.objects(point_a, LKG.groundedBy))
    assert ID["provision/celex-32011L0095/art_15/pnt_c"] in grounds
    assert URIRef("http://data.europa.eu/eli/dir/2011/95/oj") in grounds
    assert not list(g.objects(URIRef(f"{ID}doc/7747653/point/c"), LKG.groundedBy))


@dataclass
class _Instrument:
    repealed_from: dt.date | None


class _Register:
    def get(self, cid: str) -> _Instrument | None:
        return {"celex:32013L0032": _Instrument(dt.date(2026, 6, 12))}.get(cid)

    def iri(self, cid: str) -> str:
        return "http://data.europa.eu/eli/dir/2013/32/oj"


@pytest.mark.parametrize(("date", "flagged"), [("2026-06-30", True), ("2026-06-11", False)])
def test_citations_of_repealed_instruments_are_flagged(date: str, flagged: bool) -> None:
    from lexgraph.policy.curation import load_curation
    from lexgraph.policy.facts import build_document_graph

    text = "De Procedurerichtlijn vereist dat beslissingen binnen 21 maanden worden genomen."
    cite = Citation(3, 21, text[3:21], "eu-act", "celex:32013L0032")
    doc = Doc("t", text, meta={"date": date})
    g = build_document_graph(doc, [], [cite], load_curation(DATA), _Register())
    citation = URIRef(f"{ID}doc/t/citation/3-21-eu-act")
    eli = URIRef("http://data.europa.eu/eli/dir/2013/32/oj")
    assert ((citation, LKG.citesInstrumentNoLongerInForce, eli) in g) is flagged
    assert ((URIRef(f"{ID}doc/t"), LKG.citesInstrumentNoLongerInForce, eli) in g) is flagged


def test_end_date_statements_link_to_their_period() -> None:
    g = graph_of(seed("001_5eaab51baa93c604"))
    about = {
        str(g.value(s, LKG.statedEndDate)): g.value(s, LKG.about)
        for s in g.subjects(RDF.type, LKG.EndDateStatement)
    }
    period = ID["protection-period/ukraine/2027-03-04"]
    assert about == {"2027-03-05": period, "2027-03-04": period, "2028-03-04": None}
