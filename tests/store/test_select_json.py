"""``select_json``: a trusted query's SPARQL JSON bytes without the parameter columns, the bytes
the named-query endpoint sends. It must equal, byte for byte, what parsing ``select``'s result,
dropping the columns row by row and writing it again gives (the former path), on every backend;
on the embedded store the bound columns are cut from pyoxigraph's output, so values that look
like JSON members are tried on purpose."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from conftest import Virtuoso, clear_lexgraph_graphs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from lexgraph.result_writers import drop_bound_columns, drop_columns, json_document
from lexgraph.store import GraphStore
from lexgraph.store.oxigraph import OxigraphStore

G1 = "https://w3id.org/lexgraph/graph/doc/a"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATA = (
    '<http://x/s1> <http://x/p> "één, \\"twee\\"" .\n'
    "<http://x/s1> <http://x/q> <http://x/o> .\n"
    '<http://x/s2> <http://x/p> ",\\"param_x\\":{\\"type\\":\\"uri\\",'
    '\\"value\\":\\"http://x/o\\"}" .\n'
    "<http://x/s3> <http://x/q> <http://x/o> .\n"
)
QUERY = """SELECT ?s ?param_x ?label WHERE {
  ?s <http://x/q> ?param_x . OPTIONAL { ?s <http://x/p> ?label }
}"""


def former(store: GraphStore, sparql: str, bindings: Mapping[str, Any]) -> bytes:
    """What the endpoint sent before: parse, drop the columns row by row, write again."""
    return json_document(drop_columns(store.select(sparql, bindings), set(bindings)))


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "oxigraph":
        s: GraphStore = OxigraphStore(tmp_path / "store")
    else:
        from lexgraph.store.remote import RemoteStore

        virtuoso: Virtuoso = request.getfixturevalue("virtuoso")
        settings = virtuoso.settings()
        clear_lexgraph_graphs(settings)
        s = RemoteStore(settings)
    s.replace_graph(G1, DATA.encode())
    yield s
    s.close()


def test_parameter_columns_left_out_same_bytes(store: GraphStore) -> None:
    bindings = {"param_x": URIRef("http://x/o")}
    body = store.select_json(QUERY, bindings, hide=bindings)
    assert body == former(store, QUERY, bindings)
    doc = json.loads(body)
    assert doc["head"]["vars"] == ["s", "label"]
    rows = sorted(doc["results"]["bindings"], key=lambda r: r["s"]["value"])
    assert [r["s"]["value"] for r in rows] == ["http://x/s1", "http://x/s3"]
    assert rows[0]["label"] == {"type": "literal", "value": 'één, "twee"'}
    assert rows[1] == {"s": {"type": "uri", "value": "http://x/s3"}}  # label unbound
    # the value that spells the hidden member is a row's value, untouched
    other = store.select_json(
        "SELECT ?param_x ?label WHERE { <http://x/s2> <http://x/p> ?label }",
        {"param_x": URIRef("http://x/o")},
        hide=["param_x"],
    )
    label = ',"param_x":{"type":"uri","value":"http://x/o"}'
    assert json.loads(other)["results"]["bindings"] == [
        {"label": {"type": "literal", "value": label}}
    ]


def test_nothing_hidden_and_ask(store: GraphStore) -> None:
    bindings = {"param_x": URIRef("http://x/o")}
    body = store.select_json(QUERY, bindings)
    assert json.loads(body) == store.select(QUERY, bindings)
    assert json.loads(body)["head"]["vars"] == ["s", "param_x", "label"]
    ask = store.select_json("ASK { <http://x/s3> ?p ?o }")
    assert json.loads(ask) == {"head": {}, "boolean": True}


def test_a_hidden_column_that_is_not_bound_is_dropped_too(store: GraphStore) -> None:
    body = store.select_json(QUERY.replace("?param_x", "?o"), hide=["o", "nope"])
    doc = json.loads(body)
    assert doc["head"]["vars"] == ["s", "label"]
    assert body == json_document(drop_columns(store.select(QUERY.replace("?param_x", "?o")), {"o"}))


# --- the byte cut on pyoxigraph's own output, against the round trip, on arbitrary values ------

TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(',:{}[]"\\/ \t\n\r\x00\x7f\u2028é💥')),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=12,
)
MEMBERISH = st.sampled_from(
    [
        ',"param_x":{"type":"literal","value":"v"}',
        '{"param_x":{"type":"literal","value":"v"},',
        '"param_x":',
        '},"results":{"bindings":[',
    ]
)


@st.composite
def terms(draw: st.DrawFn) -> ox.NamedNode | ox.Literal | None:
    kind = draw(st.sampled_from(["plain", "lang", "typed", "iri", "undef"]))
    text = draw(st.one_of(TEXT, MEMBERISH))
    if kind == "plain":
        return ox.Literal(text)
    if kind == "lang":
        return ox.Literal(text, language=draw(st.sampled_from(["nl", "en-GB"])))
    if kind == "typed":
        return ox.Literal(text, datatype=ox.NamedNode(XSD + draw(st.sampled_from(["date", "x"]))))
    if kind == "iri":
        return ox.NamedNode("http://x/" + draw(st.sampled_from(["o", "p,q", "é"])))
    return None


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    s = OxigraphStore(tmp_path_factory.mktemp("select-json") / "store")
    yield s
    s.close()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(terms(), min_size=3, max_size=3), max_size=5),
    params=st.lists(terms().filter(lambda t: t is not None), min_size=1, max_size=2),
    positions=st.lists(st.integers(0, 4), min_size=2, max_size=2),
)
def test_cut_equals_round_trip(
    empty_store: OxigraphStore,
    rows: list[list[Any]],
    params: list[Any],
    positions: list[int],
) -> None:
    columns = ["a", "b", "c"]
    for i, _ in enumerate(params):
        columns.insert(min(positions[i], len(columns)), f"param_{i}")
    values = " ".join(
        "(" + " ".join("UNDEF" if t is None else str(t) for t in row) + ")" for row in rows
    )
    sparql = (
        f"SELECT {' '.join('?' + c for c in columns)} WHERE {{ VALUES (?a ?b ?c) {{ {values} }} }}"
    )
    bindings = {f"param_{i}": t for i, t in enumerate(params)}
    body = empty_store.select_json(sparql, bindings, hide=bindings)
    assert body == former(empty_store, sparql, bindings)
    assert json.loads(body)["head"]["vars"] == ["a", "b", "c"]
    # and the cut itself took it (not the fall-back parse)
    raw = empty_store.store.query(
        sparql,
        substitutions={ox.Variable(k): v for k, v in bindings.items()},
    ).serialize(None, ox.QueryResultsFormat.JSON)
    assert drop_bound_columns(raw, columns, bindings) == body


def test_cut_refuses_what_it_cannot_cut_exactly() -> None:
    body = json_document(
        {
            "head": {"vars": ["a", "param_x"]},
            "results": {
                "bindings": [
                    {
                        "a": {"type": "literal", "value": "1"},
                        "param_x": {"type": "uri", "value": "http://x/o"},
                    },
                    {
                        "a": {"type": "literal", "value": "2"},
                        "param_x": {"type": "uri", "value": "http://x/other"},
                    },
                ]
            },
        }
    )
    assert (
        drop_bound_columns(body, ["a", "param_x"], {"param_x": ox.NamedNode("http://x/o")}) is None
    )
    assert (
        drop_bound_columns(body, ["a", "param_x"], {"param_y": ox.NamedNode("http://x/o")}) is None
    )
    assert (
        drop_bound_columns(body, ["param_x", "a"], {"param_x": ox.NamedNode("http://x/o")}) is None
    )
    one = {"param_x": ox.Literal("v")}
    assert drop_bound_columns(b'{"head":{},"boolean":true}', ["param_x"], one) is None
