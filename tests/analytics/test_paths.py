"""Evidence paths on the seed graph."""

from __future__ import annotations

import pytest

from lexgraph.analytics import evidence_path
from lexgraph.errors import LexgraphError
from lexgraph.store import GraphStore

from .conftest import DOC_7747653, DOC_VERZAMEL, ID

ART_15C = ID + "provision/celex-32011L0095/art_15/pnt_c"


def test_point_a_to_article_15c(store: GraphStore) -> None:
    # decision point a of 7747653 reads "a. Een beleid op grond van artikel 15, onder c, van de
    # Kwalificatierichtlijn¹": one step, supported by that list item (603-897)
    steps = evidence_path(store, DOC_7747653 + "/point/a")
    assert steps is not None and len(steps) == 1
    (step,) = steps
    assert step.from_iri == DOC_7747653 + "/point/a"
    assert step.to_iri == ART_15C
    assert step.relation == "grounded_by"
    assert step.passage == DOC_7747653 + "/passage/603-897"
    assert step.quote == "artikel 15, onder c, van de Kwalificatierichtlijn"
    assert step.to_label == "art. 15(c) celex:32011L0095"


def test_points_b_and_d_cite_the_article_in_their_own_passages(store: GraphStore) -> None:
    # point b: "artikel 15, onder c, van de Kwalificatierichtlijn" in 6909-7563; point d: "artikel
    # 15c" in its explanation, passage 9162-10507
    b = evidence_path(store, DOC_7747653 + "/point/b")
    d = evidence_path(store, DOC_7747653 + "/point/d")
    assert b is not None and d is not None
    assert [(s.to_iri, s.passage) for s in b] == [(ART_15C, DOC_7747653 + "/passage/6909-7563")]
    assert [(s.to_iri, s.quote) for s in d] == [(ART_15C, "artikel 15c")]


def test_no_eu_article_behind_points_c_and_e(store: GraphStore) -> None:
    # point c names no ground and its explanation (7565-9027) cites nothing; point e rests on
    # the Refugee Convention, a treaty, not an EU act
    assert evidence_path(store, DOC_7747653 + "/point/c") is None
    assert evidence_path(store, DOC_7747653 + "/point/e") is None
    e = evidence_path(store, DOC_7747653 + "/point/e", to="instrument")
    assert e is not None
    assert [(s.to_iri, s.quote) for s in e] == [
        (ID + "treaty/refugee-convention", "Vluchtelingenverdrag")
    ]


def test_commitment_podt_reaches_the_rtb(store: GraphStore) -> None:
    # the commitment to member Podt (non-refoulement) is answered in the Verzamelbrief note from
    # "Het non-refoulementsbeginsel in relatie tot terugkeer ..." to the paragraph 8427-8490,
    # which cites the RTB; the answer names no article, so there is no path to an EU article
    commitment = ID + "commitment/podt-non-refoulement"
    assert evidence_path(store, commitment) is None
    steps = evidence_path(store, commitment, to="instrument")
    assert steps is not None
    assert [(s.relation, s.to_iri) for s in steps] == [
        ("answered_in", DOC_VERZAMEL + "/passage/8427-8490"),
        ("cites", "http://data.europa.eu/eli/dir/2001/55/oj"),
    ]
    assert steps[0].quote is not None
    assert steps[0].quote.startswith("Het non-refoulementsbeginsel in relatie")
    assert steps[1].quote == "RTB"


def test_commitment_answered_in_a_kamerstuk(store: GraphStore) -> None:
    # 6511548: "De weerslag van de uitvoering van deze toezegging is te raadplegen via de
    # Verzamelbrief ... d.d. 20 december 2024": answered in Kamerstukken II 19 637, nr. 3338
    steps = evidence_path(
        store, ID + "commitment/apb-2024-terugkeer-oekraiense-mannen", "instrument"
    )
    assert steps is not None
    assert [(s.relation, s.to_iri) for s in steps] == [
        ("answered_in", "https://zoek.officielebekendmakingen.nl/kst-19637-3338")
    ]


def test_errors(store: GraphStore) -> None:
    with pytest.raises(LexgraphError) as err:
        evidence_path(store, ID + "commitment/none-such")
    assert (err.value.status, err.value.code) == (404, "unknown_iri")
    with pytest.raises(LexgraphError) as err:
        evidence_path(store, DOC_7747653)
    assert (err.value.status, err.value.code) == (400, "invalid_start")
    with pytest.raises(LexgraphError) as err:
        evidence_path(store, DOC_7747653 + "/point/a", "treaty")  # type: ignore[arg-type]
    assert err.value.status == 400
