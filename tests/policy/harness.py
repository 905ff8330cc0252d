"""Test helpers: documents as the build sees them, and an in-memory store with the real queries.

Tests that need the whole pipeline use the real build (see ``conftest.py``); these helpers let the
policy layer be tested on its own, on the seeds and on the documents in ``tests/policy/data``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "graph_data" / "sources"
DATA = Path(__file__).parent / "data"

SEED_IDS = {
    "000_3e05258bd5a6b280": "6511548",
    "001_5eaab51baa93c604": "7747653",
    "002_50923e3173a0bcfc": "7753121",
    "003_6571167254aee64b": "2022-11-07-antwoorden-van-dijk-mobilisatie-rusland",
    "004_7ab7b858e0b64f93": "2025-07-beslisnota-verzamelbrief-opvang-oekraine",
}


@dataclass
class Doc:
    """The attributes of a source document the policy layer reads."""

    document_id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    iri: str | None = None


def seed(stem: str) -> Doc:
    path = SOURCES / f"{stem}.txt"
    return Doc(SEED_IDS[stem], path.read_text(encoding="utf-8"), path=path)


def sample(name: str) -> Doc:
    path = DATA / f"{name}.txt"
    return Doc(f"test-{name}", path.read_text(encoding="utf-8"), path=path)


def rows(result: Mapping[str, Any]) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in row.items()} for row in result["results"]["bindings"]]
