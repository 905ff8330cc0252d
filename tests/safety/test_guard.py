"""The static query guard: order of checks, codes, and that no engine sees hostile input."""

from __future__ import annotations

import json
import sys
import time

import pytest

from lexgraph.errors import QueryRejected
from lexgraph.guard import (
    bracket_depth,
    check_protocol_graphs,
    check_query,
    check_text,
    harden_rdflib,
)

LIMITS = {"max_length": 20_000, "max_depth": 64}


def rejected(query: str | bytes, **limits: int) -> QueryRejected:
    with pytest.raises(QueryRejected) as info:
        check_query(query, **{**LIMITS, **limits})
    return info.value


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 3", "SELECT"),
        ("ASK {}", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <https://w3id.org/lexgraph/id/x>", "DESCRIBE"),
        ("PREFIX ex: <http://example.org/>\n# a comment\nSELECT ?x { ?x ex:p 1 }", "SELECT"),
    ],
)
def test_accepts_the_four_forms(query: str, form: str) -> None:
    assert check_query(query, **LIMITS).form == form


def test_dataset_clauses_are_resolved_against_the_prologue() -> None:
    checked = check_query(
        "PREFIX g: <https://w3id.org/lexgraph/graph/> "
        "SELECT * FROM g:register FROM NAMED <http://kasei.us/2009/09/sparql/data/data1.rdf> {}",
        **LIMITS,
    )
    assert checked.default_graphs == ("https://w3id.org/lexgraph/graph/register",)
    assert checked.named_graphs == ("http://kasei.us/2009/09/sparql/data/data1.rdf",)


# -- (a) text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["SELECT * {}\x00", "SELECT ?x { ?x <p> '\ud800' }", b"SELECT * { ?s ?p '\xff\xfe' }"],
)
def test_nul_surrogates_and_invalid_utf8_are_invalid_text(query: str | bytes) -> None:
    assert rejected(query).code == "invalid_text"
    assert rejected(query).status == 400


def test_text_check_comes_before_length_and_depth() -> None:
    assert rejected("{" * 50_000 + "\x00").code == "invalid_text"


def test_valid_utf8_bytes_are_decoded() -> None:
    assert check_text("SELECT ?x { ?x <p> 'Ä' }".encode()) == "SELECT ?x { ?x <p> 'Ä' }"


# -- (b) length, (c) depth --------------------------------------------------------------------


def test_too_long_is_413_and_comes_before_depth() -> None:
    error = rejected("SELECT * " + "{" * 30_000)
    assert (error.status, error.code) == (413, "query_too_long")


@pytest.mark.parametrize("opener", ["{", "(", "["])
def test_deep_nesting_is_refused_before_parsing(opener: str) -> None:
    closer = {"{": "}", "(": ")", "[": "]"}[opener]
    query = "SELECT * WHERE { FILTER(" + opener * 5000 + closer * 5000 + ") }"
    started = time.perf_counter()
    error = rejected(query)
    assert error.code == "query_too_deep"
    assert time.perf_counter() - started < 0.5


def test_five_thousand_nested_groups_never_reach_a_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    import rdflib.plugins.sparql.parser as parser

    def explode(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser must not see this query")

    monkeypatch.setattr(parser, "parseQuery", explode)
    assert rejected("SELECT * WHERE " + "{" * 5000 + "}" * 5000).code == "query_too_deep"


def test_depth_at_the_limit_parses_despite_recursion_cost() -> None:
    # rdflib needs ~38 Python frames per nested parenthesis: 60 levels overflow the default
    # recursion limit of 1000, so the guard must give the parser room.
    query = "SELECT * WHERE { FILTER(" + "(" * 60 + "1" + ")" * 60 + ") }"
    assert check_query(query, **LIMITS).depth == 62
    assert sys.getrecursionlimit() >= 2_000


def test_brackets_inside_strings_iris_and_comments_do_not_count() -> None:
    query = (
        'SELECT ?x { ?x <http://e/p> "{{{((([[[" . ?x <http://e/q> """}}}\n{{{""" '
        "FILTER(?x != <http://e/(x)>) } # {{{{{{{{{{"
    )
    assert bracket_depth(query) == 2
    assert check_query(query, max_length=1000, max_depth=2).depth == 2


def test_less_than_is_not_an_iri() -> None:
    assert bracket_depth("SELECT * { ?s ?p ?o FILTER(?o < 3 && (?o > 1)) }") == 3


# -- (d) parse, read-only ---------------------------------------------------------------------


def test_malformed_query_reports_line_and_column() -> None:
    error = rejected("SELECT ?x\nWHERE { ?x ?p }")
    assert error.code == "malformed_query"
    assert "line 2" in error.message and "column" in error.message


def test_undefined_prefix_is_malformed() -> None:
    assert rejected("SELECT * FROM nope:x {}").code == "malformed_query"


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX e: <http://e/> DELETE DATA { e:a e:b e:c }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/lexgraph/graph/register>",
        "CREATE GRAPH <http://e/g>",
        "ADD DEFAULT TO <http://e/g>",
        "MOVE <http://e/a> TO <http://e/b>",
        "COPY <http://e/a> TO <http://e/b>",
        "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "# comment\nBASE <http://e/>\ninsert data { <a> <b> <c> }",
    ],
)
def test_update_forms_are_read_only_403(update: str) -> None:
    error = rejected(update)
    assert (error.status, error.code) == (403, "read_only")
    assert "read-only" in error.message


# -- (e) SERVICE and dataset ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * { ?a ?b ?c OPTIONAL { { SELECT * { SERVICE ?endpoint { ?s ?p ?o } } } } }",
        "ASK { FILTER EXISTS { SERVICE <file:///etc/passwd> {} } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o MINUS { SERVICE <http://x/> { ?s ?p ?o } } }",
        "PREFIX s: <http://127.0.0.1:9/> SELECT * { SERVICE s:sparql { ?s ?p ?o } }",
    ],
)
def test_service_anywhere_is_refused(query: str) -> None:
    error = rejected(query)
    assert (error.status, error.code) == (400, "service_forbidden")


def test_the_word_service_in_a_string_is_fine() -> None:
    check_query('SELECT * { ?s ?p "SERVICE <http://x/> {}" }', **LIMITS)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
        "SELECT * FROM NAMED <FILE:///etc/passwd> { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * FROM <relative/graph> {}",
        "SELECT * FROM <ftp://example.org/x> {}",
        "SELECT * FROM <data:text/plain,hello> {}",
        "SELECT * FROM <http://127.0.0.1:8080/x> {}",
        "SELECT * FROM <http://localhost/x> {}",
        "SELECT * FROM <http://[::1]/x> {}",
        "SELECT * FROM <http://10.1.2.3/x> {}",
        "SELECT * FROM <http://169.254.169.254/latest/meta-data/> {}",
        "BASE <file:///etc/> SELECT * FROM <passwd> {}",
    ],
)
def test_file_relative_and_internal_dataset_names_are_refused(query: str) -> None:
    error = rejected(query)
    assert (error.status, error.code) == (400, "dataset_forbidden")


def test_protocol_graph_parameters_follow_the_same_rule() -> None:
    assert check_protocol_graphs(["https://w3id.org/lexgraph/graph/register"], []) == (
        ("https://w3id.org/lexgraph/graph/register",),
        (),
    )
    for bad in ("file:///etc/passwd", "http://127.0.0.1:1/", "g", "http://a b/"):
        with pytest.raises(QueryRejected) as info:
            check_protocol_graphs([], [bad])
        assert info.value.code == "dataset_forbidden"


# -- hardening --------------------------------------------------------------------------------


def test_harden_rdflib_refuses_remote_jsonld_contexts(listener) -> None:  # type: ignore[no-untyped-def]
    import rdflib
    import rdflib.plugins.sparql as rdflib_sparql

    from lexgraph.errors import LexgraphError

    harden_rdflib()
    assert rdflib_sparql.SPARQL_LOAD_GRAPHS is False
    for context in (listener.url + "ctx.jsonld", "file:///etc/passwd"):
        doc = json.dumps({"@context": context, "@id": "http://e/a", "http://e/p": "x"})
        with pytest.raises(LexgraphError) as info:
            rdflib.Graph().parse(data=doc, format="json-ld")
        assert info.value.code == "remote_context_forbidden"
    doc = json.dumps({"@context": {"@import": listener.url + "i"}, "@id": "http://e/a"})
    with pytest.raises(LexgraphError):
        rdflib.Graph().parse(data=doc, format="json-ld")
    inline = '{"@context": {"p": "http://e/p"}, "@id": "http://e/a", "p": "x"}'
    assert len(rdflib.Graph().parse(data=inline, format="json-ld")) == 1
    assert listener.connections == 0


def test_hardened_rdflib_does_not_dereference_from(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import rdflib
    import rdflib.plugins.sparql as rdflib_sparql

    secret = tmp_path / "secret.ttl"
    secret.write_text('<http://e/s> <http://e/p> "SECRET" .\n', encoding="utf-8")
    query = f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"
    monkeypatch.setattr(rdflib_sparql, "SPARQL_LOAD_GRAPHS", True)
    # Control: rdflib's default really reads the file ...
    assert [str(r[0]) for r in rdflib.Dataset().query(query)] == ["SECRET"]  # type: ignore[index]
    harden_rdflib()
    # ... and after hardening it does not.
    assert list(rdflib.Dataset().query(query)) == []
