"""Most relied-on instruments and provisions on the seed graph, counted by hand from the seeds.

Citations of the Temporary Protection Directive (RTB, celex:32001L0055): 19 in the Woo answer
6511548 ("Richtlijn Tijdelijke Bescherming (RTB)", then "RTB" throughout), 4 in the decision
note 7747653 (three "RTB", one "Artikel 19, tweede lid, van de RTB") and 15 in the Verzamelbrief
decision note: 38 citations in 3 documents. The Regeling opvang ontheemden Oekraïne (RooO,
bwb:BWBR0046503) is the only other instrument cited by two documents: once in 6511548 (passage
790-1285) and three times in the Verzamelbrief note (passages 1895-1971, 10267-10323,
10536-10610). Every other instrument is cited by one document.
"""

from __future__ import annotations

import pytest

from lexgraph.analytics import most_relied_on
from lexgraph.errors import LexgraphError
from lexgraph.store import GraphStore


def test_the_rtb_is_the_most_cited_instrument(store: GraphStore) -> None:
    top = most_relied_on(store, "document", "instrument", limit=50)
    first, second = top[0], top[1]
    assert (first.cid, first.in_degree, first.citations) == ("celex:32001L0055", 3, 38)
    assert first.iri == "http://data.europa.eu/eli/dir/2001/55/oj"
    assert (second.cid, second.in_degree, second.citations) == ("bwb:BWBR0046503", 2, 4)
    assert all(r.in_degree == 1 for r in top[2:])
    # ICCPR: 12 citations, all in 6511548 (e.g. "artikel 12.2 ICCPR", "artikelen 26 en 4.1.
    # ICCPR"); a citation naming two articles counts once for the treaty
    iccpr = next(r for r in top if r.cid == "treaty:iccpr")
    assert (iccpr.in_degree, iccpr.citations) == (1, 12)
    # 27 distinct instruments and motions are cited in the five seeds
    assert len(top) == 27
    assert all(0 < r.pagerank < 1 for r in top)
    # among instruments cited by one document only, PageRank grows with the citations
    assert iccpr.pagerank > next(r for r in top if r.cid == "treaty:echr").pagerank


def test_limit(store: GraphStore) -> None:
    assert [r.cid for r in most_relied_on(store, limit=2)] == [
        "celex:32001L0055",
        "bwb:BWBR0046503",
    ]


def test_most_cited_provisions_by_document(store: GraphStore) -> None:
    ranked = most_relied_on(store, "document", "provision")
    # eight pinpointed articles, each cited in one document only (the treaty articles in
    # 6511548, art. 15(c) QD and art. 19(2) RTB in 7747653)
    assert len(ranked) == 8
    assert {r.in_degree for r in ranked} == {1}
    by_pin = {(r.cid, r.pinpoint): r.citations for r in ranked}
    # art. 15(c) QD: "artikel 15, onder c, van de Kwalificatierichtlijn" in passages 603-897
    # and 6909-7563, "artikel 15c" in 9162-10507
    assert by_pin["celex:32011L0095", "art. 15(c)"] == 3
    assert by_pin["celex:32001L0055", "art. 19(2)"] == 1
    # art. 4(1) ICCPR: "artikel 4.1 ICCPR" twice in 5927-6395, with art. 12(2) in 6398-6646 and
    # 7973-8160, with art. 26 in 7460-7755
    assert by_pin["treaty:iccpr", "art. 4(1)"] == 5


def test_by_policy_point(store: GraphStore) -> None:
    ranked = most_relied_on(store, "policy_point", "instrument")
    # points a and d rest on the Qualification Directive and its art. 15(c), point b on art.
    # 15(c) only, point e on the Refugee Convention; point c names no ground
    assert [(r.cid, r.in_degree) for r in ranked] == [
        ("celex:32011L0095", 3),
        ("treaty:refugee-convention", 1),
    ]
    assert ranked[0].citations == 5  # a->QD, a->15(c), b->15(c), d->QD, d->15(c)
    assert ranked[0].pagerank > ranked[1].pagerank
    provisions = most_relied_on(store, "policy_point", "provision")
    assert [(r.cid, r.pinpoint, r.in_degree) for r in provisions] == [
        ("celex:32011L0095", "art. 15(c)", 3)
    ]


@pytest.mark.parametrize(
    "kwargs",
    [{"scope": "passage"}, {"kind": "treaty"}, {"limit": 0}],
)
def test_bad_parameters(store: GraphStore, kwargs: dict[str, object]) -> None:
    with pytest.raises(LexgraphError) as err:
        most_relied_on(store, **kwargs)  # type: ignore[arg-type]
    assert err.value.status == 400
