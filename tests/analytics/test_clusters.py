"""Co-citation clusters on the seed graph.

Passages of the Woo answer 6511548 that cite both the ECHR and the ICCPR: 5116-5477 ("artikel 14
van het EVRM", "artikel 26 van het Internationaal verdrag ..."), 5480-5924, 7460-7755,
10425-10618 and 13665-14042 (the last with the Algemene wet gelijke behandeling too): weight 5.
In the Verzamelbrief note, 11903-11970 cites the Zvw with the RMO, and the section 2504-13454 the
RMO with motion Claassen/Vondeling (kst:29689-1283); nothing else is cited with those three.
"""

from __future__ import annotations

import pytest

from lexgraph.analytics import cocitation_clusters
from lexgraph.errors import LexgraphError
from lexgraph.store import GraphStore

RMO = "nl-act:regeling-medische-zorg-ontheemden-uit-oekraine"


def test_passage_level_clusters(store: GraphStore) -> None:
    clusters = cocitation_clusters(store)
    members = [{m.cid for m in c.members} for c in clusters]
    seen = [cid for group in members for cid in group]
    assert len(seen) == len(set(seen))  # every instrument in at most one cluster
    treaties = next(c for c in clusters if "treaty:echr" in {m.cid for m in c.members})
    assert {m.cid for m in treaties.members} == {"treaty:echr", "treaty:iccpr", "bwb:BWBR0006502"}
    assert treaties.pairs[0].a == "treaty:echr"
    assert (treaties.pairs[0].b, treaties.pairs[0].weight) == ("treaty:iccpr", 5)
    assert treaties.weight == 7  # 5 + AWGB with each treaty once (13665-14042)
    assert {"bwb:BWBR0018450", RMO, "kst:29689-1283"} in members
    # the RTB with what it is cited beside: Vw 2000, RooO and the Tijdelijke wet (790-1285),
    # the Vc (9998-10422), the Vb (7150-7454), Decision 2025/1460 (13908-14738), COM(2025) 650
    # and Kamerstuk 19 637, nr. 3338 (footnotes bound to 1628-2025 and 1288-1624)
    rtb = next(c for c in clusters if "celex:32001L0055" in {m.cid for m in c.members})
    assert rtb.members[0].cid == "celex:32001L0055"
    assert {"bwb:BWBR0011823", "com:2025:650", "kst:19637-3338"} <= {m.cid for m in rtb.members}
    assert clusters[0].id == 1 and [c.id for c in clusters] == list(range(1, len(clusters) + 1))


def test_min_weight_keeps_the_treaty_pair(store: GraphStore) -> None:
    clusters = cocitation_clusters(store, min_weight=2)
    assert [[m.cid for m in c.members] for c in clusters] == [["treaty:echr", "treaty:iccpr"]]
    assert cocitation_clusters(store, min_weight=6) == []


def test_document_level(store: GraphStore) -> None:
    # only the RTB and the RooO are cited together in two documents (6511548, Verzamelbrief)
    clusters = cocitation_clusters(store, min_weight=2, level="document")
    assert len(clusters) == 1
    assert [(p.a, p.b, p.weight) for p in clusters[0].pairs] == [
        ("bwb:BWBR0046503", "celex:32001L0055", 2)
    ]


@pytest.mark.parametrize("kwargs", [{"min_weight": 0}, {"level": "sentence"}])
def test_bad_parameters(store: GraphStore, kwargs: dict[str, object]) -> None:
    with pytest.raises(LexgraphError) as err:
        cocitation_clusters(store, **kwargs)  # type: ignore[arg-type]
    assert err.value.status == 400
