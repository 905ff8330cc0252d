"""The guard parses queries on several threads at once; rdflib's pyparsing grammar is not
thread-safe, so concurrent first parses refused valid queries before parsing was serialised."""

from __future__ import annotations

import json
import subprocess
import sys

RACE = r"""
import json, threading
from lexgraph.errors import LexgraphError
from lexgraph.guard import check_query

queries = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
    "ASK { ?s ?p ?o }",
    "SELECT ?x WHERE { ?x <http://e/p> 'a'@en FILTER(?x > 3) } ORDER BY ?x LIMIT 5",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } OPTIONAL { ?s a ?t } }",
]
refused = []
start = threading.Barrier(16)

def check(query):
    start.wait()
    try:
        check_query(query, max_length=20000, max_depth=64)
    except LexgraphError as exc:
        refused.append(exc.message)

threads = [threading.Thread(target=check, args=(queries[i % 4],)) for i in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(refused))
"""


def test_concurrent_first_parses_accept_valid_queries() -> None:
    for _ in range(2):  # a fresh interpreter each time: the race is in the first parses
        proc = subprocess.run(
            [sys.executable, "-c", RACE], capture_output=True, text=True, timeout=120, check=True
        )
        assert json.loads(proc.stdout) == [], proc.stdout
