"""Bound parameters are also written as a VALUES block, so pyoxigraph plans them as constants."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from lexgraph.store.oxigraph import OxigraphStore, with_values

DOC = ox.NamedNode("https://example.org/doc/1")


def test_values_block_opens_the_where_group() -> None:
    text = "SELECT ?param_d ?c WHERE { ?c <urn:p> ?param_d }"
    out = with_values(text, {"param_d": DOC, "param_n": ox.Literal("a")})
    head, body = out.split("{", 1)
    assert head == "SELECT ?param_d ?c WHERE "
    assert body.lstrip().startswith(
        'VALUES (?param_d ?param_n) { (<https://example.org/doc/1> "a") }'
    )
    assert body.rstrip().endswith("?c <urn:p> ?param_d }")


def test_braces_in_iris_strings_and_comments_are_skipped() -> None:
    text = '# {not here}\nSELECT ?param_d (STR("{") AS ?s) WHERE { ?x <urn:a{b> ?param_d }'
    out = with_values(text, {"param_d": DOC})
    assert out.index("VALUES") > out.index("WHERE {")


def test_blank_nodes_are_left_to_the_substitution() -> None:
    text = "SELECT ?param_b WHERE { ?param_b ?p ?o }"
    assert with_values(text, {"param_b": ox.BlankNode("b0")}) == text
    assert with_values(text, {}) == text


def test_results_equal_the_substitution_alone(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.store.add(
        ox.Quad(ox.NamedNode("urn:c1"), ox.NamedNode("urn:src"), DOC, ox.NamedNode("urn:g1"))
    )
    store.store.add(
        ox.Quad(
            ox.NamedNode("urn:c2"),
            ox.NamedNode("urn:src"),
            ox.NamedNode("https://example.org/doc/2"),
            ox.NamedNode("urn:g2"),
        )
    )
    text = "SELECT ?param_d ?c WHERE { { SELECT ?param_d ?c WHERE { ?c <urn:src> ?param_d } } }"
    got = store.select(text, {"param_d": DOC})
    assert [b["c"]["value"] for b in got["results"]["bindings"]] == ["urn:c1"]
    plain = store.store.query(
        text, use_default_graph_as_union=True, substitutions={ox.Variable("param_d"): DOC}
    )
    assert isinstance(plain, ox.QuerySolutions)
    assert [s["c"].value for s in plain] == ["urn:c1"]
    store.close()
