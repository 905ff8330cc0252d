"""GraphSpill: a SPARQL server is loaded graph by graph from a file, each graph's parts joined
and turned into N-Triples, the same triples as parsing every graph into one rdflib Dataset."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from lexgraph.build import GraphSpill

INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
A, B, C = "https://example.org/g/a", "https://example.org/g/b", "https://example.org/g/c"


def quads(graph: str, *lines: str) -> bytes:
    return "".join(f"{line[:-2]} <{graph}> .\n" for line in lines).encode()


def test_parts_of_a_graph_are_joined_in_the_order_first_added(tmp_path: Path) -> None:
    spill = GraphSpill(tmp_path / "graphs.nq")
    parts = [
        (A, quads(A, '<https://example.org/s> <https://example.org/p> "één\\n" .')),
        (B, quads(B, "_:b1 <https://example.org/p> <https://example.org/o> .")),
        (
            A,
            quads(
                A,
                f'<https://example.org/s> <https://example.org/q> "2"^^<{INTEGER}> .',
            ),
        ),
        (C, b""),  # a graph with no triples is not loaded
        (A, quads(A, '<https://example.org/s> <https://example.org/p> "één\\n" .')),  # again
    ]
    for graph, body in parts:
        spill.add(graph, body)
    try:
        loaded = list(spill.graphs())
    finally:
        spill.close()
    assert [graph for graph, _ in loaded] == [A, B]
    expected = Dataset()
    for _, body in parts:
        expected.parse(data=body, format="nquads")
    for graph, ntriples in loaded:
        got = Graph().parse(data=ntriples, format="nt")
        want = expected.graph(URIRef(graph))
        assert len(got) == len(want) == (2 if graph == A else 1)
        if graph == A:  # no blank nodes: the same triples
            assert set(got) == set(want)
