"""The citation network on the seed graph: its nodes, edges and neighbourhoods."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest
from rdflib.plugins.sparql import prepareQuery

from lexgraph.analytics import citation_network, neighbourhood, node_link
from lexgraph.analytics._sparql import ALL_QUERIES, PREFIXES
from lexgraph.analytics.network import NEIGHBOURHOOD_CAP, RELATIONS, pinpoint_of
from lexgraph.errors import LexgraphError
from lexgraph.store import GraphStore

from .conftest import DOC_7747653, ID

POINT_A = DOC_7747653 + "/point/a"
ART_15C = ID + "provision/celex-32011L0095/art_15/pnt_c"
QD = "http://data.europa.eu/eli/dir/2011/95/oj"


@pytest.mark.parametrize("name", sorted(ALL_QUERIES))
def test_every_query_parses(name: str) -> None:
    prepareQuery(PREFIXES + ALL_QUERIES[name])


def test_node_kinds_and_relations(store: GraphStore) -> None:
    g = citation_network(store)
    kinds = Counter(d["kind"] for _, d in g.nodes(data=True))
    # five seed documents; decision points a-e of 7747653; six curated commitments; three
    # motions (Piri, Boomsma/Van Zanten, Claassen/Vondeling)
    assert kinds["document"] == 5
    assert kinds["policy_point"] == 5
    assert kinds["commitment"] == 6
    assert kinds["motion"] == 3
    assert kinds["provision"] == 8  # the eight distinct pinpointed articles cited in the seeds
    assert set(kinds) == {
        "document",
        "passage",
        "instrument",
        "provision",
        "commitment",
        "motion",
        "policy_point",
    }
    relations = {d["relation"] for _, _, d in g.edges(data=True)}
    assert relations <= set(RELATIONS)
    assert {"contains", "cites", "part_of", "grounds", "answers", "appreciates"} <= relations
    for node, data in g.nodes(data=True):
        assert isinstance(data["label"], str) and data["label"], node
        if data["kind"] in ("instrument", "motion"):
            assert ":" in data["cid"], node


def test_point_a_is_grounded_on_article_15c_with_its_passage(store: GraphStore) -> None:
    g = citation_network(store)
    assert g.nodes[QD]["cid"] == "celex:32011L0095"
    edge = g.edges[ART_15C, POINT_A]
    # point a reads "Een beleid op grond van artikel 15, onder c, van de Kwalificatierichtlijn",
    # in list item 603-897 of the decision note
    assert edge["relation"] == "grounds"
    assert edge["passage"] == DOC_7747653 + "/passage/603-897"
    assert edge["quote"] == "artikel 15, onder c, van de Kwalificatierichtlijn"
    assert g.edges[ART_15C, QD]["relation"] == "part_of"
    assert g.edges[DOC_7747653, POINT_A]["relation"] == "contains"
    cites = g.edges[DOC_7747653 + "/passage/603-897", ART_15C]
    assert cites["relation"] == "cites" and cites["passage"].endswith("/passage/603-897")


def test_motion_piri_appreciation(store: GraphStore) -> None:
    g = citation_network(store)
    edge = g.edges[
        DOC_7747653.replace("7747653", "7753121") + "/passage/2703-2747", ID + "motion/piri"
    ]
    assert edge["relation"] == "appreciates"
    assert edge["answer_kind"] == "ontraden"
    assert edge["quote"].startswith("Gelet op het voorgaande ontraad ik de motie")


def test_neighbourhood_of_point_a(store: GraphStore) -> None:
    sub = neighbourhood(store, POINT_A, 1)
    # point a: its document, its "Ad a)" explanation 4734-6791, and its two grounds
    assert set(sub) == {
        POINT_A,
        DOC_7747653,
        DOC_7747653 + "/passage/4734-6791",
        QD,
        ART_15C,
    }
    assert sub.nodes[POINT_A]["distance"] == 0
    assert {sub.nodes[n]["distance"] for n in sub if n != POINT_A} == {1}
    wide = neighbourhood(store, POINT_A, 3)
    assert len(wide) <= NEIGHBOURHOOD_CAP
    assert set(sub) <= set(wide)


def test_neighbourhood_errors(store: GraphStore) -> None:
    with pytest.raises(LexgraphError) as err:
        neighbourhood(store, "https://example.org/nothing")
    assert err.value.status == 404
    with pytest.raises(LexgraphError) as err:
        neighbourhood(store, POINT_A, -1)
    assert err.value.status == 400


def test_node_link_round_trip(store: GraphStore) -> None:
    g = neighbourhood(store, POINT_A, 2)
    data = node_link(g)
    back = nx.node_link_graph(data, edges="links")
    assert set(back) == set(g)
    assert set(back.edges) == set(g.edges)


def test_pinpoint_of() -> None:
    assert pinpoint_of(ID + "provision/treaty-rome-statute/art_7/par_1/pnt_h") == "art. 7(1)(h)"
    assert pinpoint_of(ID + "provision/celex-32001L0055/art_19/par_2") == "art. 19(2)"


def test_facts_are_read_again_when_the_store_changes(store: GraphStore) -> None:
    graph = "https://w3id.org/lexgraph/graph/test-analytics-cache"
    doc = ID + "doc/test-analytics-cache"
    assert doc not in citation_network(store)
    lkg = "https://w3id.org/lexgraph/ontology#"
    nt = (
        f"<{doc}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{lkg}Document> .\n"
        f'<{doc}> <{lkg}documentId> "test-analytics-cache" .\n'
        f'<{doc}> <{lkg}sha256> "00ff" .\n'
    )
    store.replace_graph(graph, nt.encode())
    try:
        assert citation_network(store).nodes[doc]["kind"] == "document"
    finally:
        store.delete_graph(graph)
    assert doc not in citation_network(store)
