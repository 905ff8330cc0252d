"""Every named query against the store the build makes from graph_data/, compared with its golden
result in queries/golden/ (rows compared as a set, since ties in ORDER BY have no fixed order).

Regenerate after a reviewed change: ``LEXGRAPH_WRITE_GOLDEN=1 .venv/bin/pytest
tests/policy/test_golden.py`` rewrites the files; then read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import tomllib
from typing import Any

import pytest

from lexgraph.named_queries import load_queries, run_query

from .harness import ROOT

GOLDEN = ROOT / "queries" / "golden"
CASES = tomllib.loads((GOLDEN / "cases.toml").read_text(encoding="utf-8"))["case"]
QUERIES = load_queries(ROOT / "queries")


#: Columns that are "; "-joined sets (GROUP_CONCAT has no order in SPARQL 1.1).
SET_COLUMNS = {"submitters"}


def _value(column: str, value: str) -> str:
    return "; ".join(sorted(value.split("; "))) if column in SET_COLUMNS else value


def normalise(result: dict[str, Any]) -> dict[str, Any]:
    rows = [
        {k: _value(k, v["value"]) for k, v in sorted(row.items())}
        for row in result["results"]["bindings"]
    ]
    rows.sort(key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))
    return {"vars": result["head"]["vars"], "rows": rows}


def test_every_named_query_has_a_golden_case() -> None:
    assert {c["query"] for c in CASES} == set(QUERIES)
    files = {c["file"] for c in CASES}
    assert files == {p.name for p in GOLDEN.glob("*.json")}


@pytest.mark.parametrize("case", CASES, ids=[c["file"].removesuffix(".json") for c in CASES])
def test_golden(built_store: Any, case: dict[str, Any]) -> None:
    got = normalise(run_query(built_store, QUERIES, case["query"], case.get("params", {})))
    assert got["vars"] == list(QUERIES[case["query"]].columns)
    path = GOLDEN / case["file"]
    if os.environ.get("LEXGRAPH_WRITE_GOLDEN") == "1":
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected


def test_every_named_query_is_documented() -> None:
    readme = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    for name, q in QUERIES.items():
        row = next((ln for ln in readme.splitlines() if ln.startswith(f"| `{name}` |")), None)
        assert row is not None, f"{name} is not in queries/README.md"
        assert ", ".join(q.columns) in row
        for p in q.parameters:
            assert f"`{p.name}`" in row
