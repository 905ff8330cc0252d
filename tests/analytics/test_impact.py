"""Impact sets on the seed graph.

The Procedures Directive (celex:32013L0032) is repealed by Regulation (EU) 2024/1348 from
12 June 2026 (register) and cited only in the decision note 7747653 of 30 June 2026: as
"Procedurerichtlijn" in paragraph 16699-17486 and as "Richtlijn 2013/32/EU" in footnote
18321-18344, whose marker sits in that paragraph. No decision point rests on it.
"""

from __future__ import annotations

from datetime import date

import pytest

from lexgraph.analytics import impact_set
from lexgraph.errors import LexgraphError
from lexgraph.store import GraphStore

from .conftest import DOC_6511548, DOC_7747653, ID


def test_procedures_directive_is_repealed_and_flags_its_dependents(store: GraphStore) -> None:
    impact = impact_set(store, "celex:32013L0032", as_of=date(2026, 12, 1))
    assert impact.iri == "http://data.europa.eu/eli/dir/2013/32/oj"
    assert impact.repealed and not impact.expired and impact.inactive
    assert impact.repealed_by == "celex:32024R1348"
    assert impact.no_longer_in_force == date(2026, 6, 12)
    assert [(d.iri, d.kind, d.depth) for d in impact.dependents] == [
        (DOC_7747653 + "/passage/16699-17486", "passage", 1),
        (DOC_7747653 + "/passage/18321-18344", "passage", 1),
        (DOC_7747653, "document", 2),
    ]
    assert all(d.via_repealed for d in impact.dependents)
    # 30 June 2026 is after 12 June 2026: the note relied on it when it no longer applied
    assert all(d.cited_after_end for d in impact.dependents)
    assert {d.document_id for d in impact.dependents} == {"7747653"}


def test_before_the_repeal_nothing_is_flagged(store: GraphStore) -> None:
    impact = impact_set(store, "celex:32013L0032", as_of=date(2026, 6, 11))
    assert not impact.repealed and not impact.inactive
    assert not any(d.via_repealed for d in impact.dependents)


def test_qualification_directive(store: GraphStore) -> None:
    # repealed by Regulation 2024/1347 from 1 July 2026, the day after the note of 30 June 2026
    before = impact_set(store, "celex:32011L0095", as_of=date(2026, 6, 30))
    after = impact_set(store, "celex:32011L0095", as_of=date(2026, 7, 1))
    assert not before.repealed and after.repealed
    depth = {d.iri: d.depth for d in after.dependents}
    # points a and d name the directive itself; point b only its art. 15(c)
    assert depth[DOC_7747653 + "/point/a"] == 1
    assert depth[DOC_7747653 + "/point/d"] == 1
    assert depth[DOC_7747653 + "/point/b"] == 2
    assert depth[ID + "provision/celex-32011L0095/art_15/pnt_c"] == 1
    assert DOC_7747653 + "/point/e" not in depth and DOC_7747653 + "/point/c" not in depth
    assert all(d.via_repealed for d in after.dependents)
    assert not any(d.via_repealed for d in before.dependents)
    assert not any(d.cited_after_end for d in after.dependents)


def test_an_extension_decision_expires(store: GraphStore) -> None:
    # Implementing Decision 2024/1836 extended protection to 4 March 2026
    assert not impact_set(store, "celex:32024D1836", as_of=date(2026, 3, 4)).expired
    later = impact_set(store, "celex:32024D1836", as_of=date(2026, 3, 5))
    assert later.expired and later.ends == date(2026, 3, 4)
    assert later.dependents == ()  # no seed cites it


def test_a_commitment_depends_on_the_kamerstuk_that_answers_it(store: GraphStore) -> None:
    impact = impact_set(store, "kst:19637-3338", as_of=date(2026, 12, 1))
    assert not impact.inactive
    kinds = {(d.kind, d.iri) for d in impact.dependents}
    assert ("commitment", ID + "commitment/apb-2024-terugkeer-oekraiense-mannen") in kinds
    assert ("document", DOC_6511548) in kinds


@pytest.mark.parametrize(
    ("cid", "status", "code"),
    [("celex:39999L0001", 404, "unknown_id"), ("nonsense", 400, "invalid_id")],
)
def test_errors(store: GraphStore, cid: str, status: int, code: str) -> None:
    with pytest.raises(LexgraphError) as err:
        impact_set(store, cid)
    assert (err.value.status, err.value.code) == (status, code)
