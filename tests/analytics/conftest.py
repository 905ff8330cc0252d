"""One real build of the seed graph per session (``lexgraph build`` over a copy of graph_data)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lexgraph.build import run_build
from lexgraph.settings import get_settings
from lexgraph.store import GraphStore, open_store

ROOT = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/lexgraph/id/"
DOC_7747653 = ID + "doc/7747653"
DOC_6511548 = ID + "doc/6511548"
DOC_VERZAMEL = ID + "doc/2025-07-beslisnota-verzamelbrief-opvang-oekraine"


@dataclass
class Built:
    store: GraphStore
    path: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    tmp = tmp_path_factory.mktemp("analytics-build")
    data = tmp / "graph_data"
    shutil.copytree(ROOT / "graph_data", data, ignore=shutil.ignore_patterns("build"))
    settings = get_settings(store=tmp / "store", data_dir=data)
    assert run_build(settings, if_needed=False) == 0
    store = open_store(settings)
    yield Built(store, tmp / "store")
    store.close()


@pytest.fixture(scope="session")
def store(built: Built) -> GraphStore:
    return built.store
