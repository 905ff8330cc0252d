"""Hypothesis strategies for SPARQL-ish input: random text and mutated real queries.

Shared by the suite (a few hundred cases) and ``bench/fuzz.py`` (tens of thousands).
"""

from __future__ import annotations

from hypothesis import strategies as st

#: Valid, hostile and borderline queries that mutations start from.
SEEDS: tuple[str, ...] = (
    "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    "PREFIX lkg: <https://w3id.org/lexgraph/ontology#>\n"
    "SELECT ?d (COUNT(?c) AS ?n) WHERE { ?c lkg:citedId ?id ; <http://purl.org/spar/cito/"
    "hasCitingEntity> ?p . ?p <http://www.w3.org/ns/oa#hasSource> ?d } GROUP BY ?d ORDER BY "
    "DESC(?n)",
    "ASK { ?s a <https://w3id.org/lexgraph/ontology#Document> }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) } LIMIT 5",
    "DESCRIBE ?x WHERE { ?x ?p 'RTB'@nl }",
    "SELECT ?x WHERE { ?x <http://e/p>/<http://e/q>* ?y . OPTIONAL { ?y ?p ?z } "
    "MINUS { ?x ?p2 ?y } FILTER(REGEX(STR(?y), '^a', 'i')) } VALUES ?x { <http://e/a> }",
    'SELECT * { ?s ?p """long\n{{{ string""" . BIND(CONCAT("a", \'b\') AS ?c) } # }}}',
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
    "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "LOAD <http://127.0.0.1:9/x>",
    "SELECT * { { { { ?s ?p ?o } } } }",
    "SELECT * { ?s ?p [ <http://e/q> ( 1 2 ( 3 ) ) ] }",
)

#: Tokens that mutations splice in.
TOKENS: tuple[str, ...] = (
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    '"',
    "'",
    '"""',
    "'''",
    "#",
    "\n",
    "\\",
    ".",
    ";",
    ",",
    "?x",
    "$y",
    "_:b",
    "a",
    "SERVICE",
    "SERVICE <http://127.0.0.1:9/> {}",
    "FROM",
    "FROM NAMED",
    "<file:///etc/passwd>",
    "GRAPH",
    "OPTIONAL",
    "UNION",
    "MINUS",
    "FILTER",
    "BIND",
    "VALUES",
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "PREFIX p: <http://e/>",
    "BASE <http://e/>",
    "p:x",
    "^^",
    "@en",
    "1e9",
    "-0.5",
    "*",
    "/",
    "|",
    "^",
    "!",
    "+",
    "?",
    "&&",
    "||",
    "=",
    "!=",
    "COUNT(*)",
    "GROUP BY",
    "ORDER BY",
    "LIMIT 1",
    "OFFSET 2",
    "\x00",
    "\ud800",
    "\u202e",
    "\ufeff",
    "é",
    "💥",
)


@st.composite
def mutated_query(draw: st.DrawFn) -> str:
    """A seed query with a few random insertions, deletions, duplications and nestings."""
    text = draw(st.sampled_from(SEEDS))
    # Mostly light damage, so that a fair share still parses and reaches the later checks.
    for _ in range(draw(st.sampled_from((0, 1, 1, 1, 2, 2, 3, 6)))):
        op = draw(st.sampled_from(("insert", "delete", "duplicate", "nest", "truncate")))
        pos = draw(st.integers(0, len(text)))
        if op == "insert":
            token = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)))
            text = text[:pos] + token + text[pos:]
        elif op == "delete":
            end = draw(st.integers(pos, min(len(text), pos + 12)))
            text = text[:pos] + text[end:]
        elif op == "duplicate":
            end = draw(st.integers(pos, min(len(text), pos + 40)))
            text = text[:end] + text[pos:end] + text[end:]
        elif op == "nest":
            opener = draw(st.sampled_from("{(["))
            closer = {"{": "}", "(": ")", "[": "]"}[opener]
            depth = draw(st.integers(1, 120))
            end = draw(st.integers(pos, len(text)))
            text = text[:pos] + opener * depth + text[pos:end] + closer * depth + text[end:]
        else:
            text = text[:pos]
    return text


def sparql_input() -> st.SearchStrategy[str | bytes]:
    """Mutated queries most of the time, plus raw text and raw bytes."""
    return st.one_of(
        mutated_query(),
        mutated_query(),
        mutated_query(),
        st.text(max_size=300),
        st.binary(max_size=200),
    )
