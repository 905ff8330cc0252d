"""``lexgraph analytics …`` through the real command line (typer's CliRunner, in process)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lexgraph.cli import app

from .conftest import DOC_7747653, Built

runner = CliRunner()


def run(built: Built, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["analytics", *args, "--store", str(built.path)])
    return result.exit_code, result.stdout, result.stderr


def test_most_cited_table(built: Built) -> None:
    code, out, _ = run(built, "most-cited", "--limit", "3")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].split() == [
        "#",
        "id",
        "pinpoint",
        "documents",
        "citations",
        "pagerank",
        "label",
    ]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split()[:4] == ["1", "celex:32001L0055", "3", "38"]
    assert len(lines) == 5
    # columns line up: every "documents" value ends where its header ends
    end = lines[0].index("documents") + len("documents")
    assert all(line[end - 1] != " " for line in lines[2:])


def test_json(built: Built) -> None:
    code, out, _ = run(built, "most-cited", "--scope", "policy_point", "--json")
    assert code == 0
    assert [(r["cid"], r["in_degree"]) for r in json.loads(out)] == [
        ("celex:32011L0095", 3),
        ("treaty:refugee-convention", 1),
    ]


def test_path_impact_clusters_timeline_network(built: Built) -> None:
    code, out, _ = run(built, "path", DOC_7747653 + "/point/a")
    assert code == 0 and "grounded_by" in out and "art. 15(c) celex:32011L0095" in out
    assert DOC_7747653 + "/passage/603-897" in out
    code, out, _ = run(built, "path", DOC_7747653 + "/point/c")
    assert code == 0 and out.startswith("no evidence path")
    code, out, _ = run(built, "impact", "celex:32013L0032", "--as-of", "2026-12-01")
    assert code == 0
    assert "repealed (repealed by celex:32024R1348, from 2026-06-12)" in out
    assert "3 dependents" in out
    code, out, _ = run(built, "clusters", "--min-weight", "2")
    assert code == 0 and "treaty:echr" in out and "treaty:iccpr" in out
    code, out, _ = run(built, "timeline", "--json")
    assert code == 0 and sum(1 for p in json.loads(out) if p["conflict"]) == 1
    code, out, _ = run(built, "network", "--iri", DOC_7747653 + "/point/a", "--json")
    assert code == 0 and len(json.loads(out)["nodes"]) == 5
    code, out, _ = run(built, "network")
    assert code == 0 and "policy_point" in out and "grounds" in out


@pytest.mark.parametrize(
    "args",
    [
        ("impact", "celex:39999L0001"),
        ("impact", "nonsense"),
        ("impact", "celex:32013L0032", "--as-of", "soon"),
        ("path", "https://example.org/none"),
        ("network", "--iri", "https://example.org/none"),
        ("most-cited", "--scope", "passage"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(built: Built, args: tuple[str, ...]) -> None:
    code, out, err = run(built, *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("lexgraph analytics: ")


def test_missing_store_exits_1(tmp_path: object) -> None:
    result = runner.invoke(app, ["analytics", "timeline", "--store", f"{tmp_path}/none"])
    assert result.exit_code == 1
    assert result.stderr.startswith("lexgraph analytics: cannot open the store")
