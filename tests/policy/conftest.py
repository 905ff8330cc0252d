"""One store per test session, built from graph_data/ by the real ``lexgraph build``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from lexgraph.build import run_build
from lexgraph.settings import get_settings
from lexgraph.store import GraphStore, open_store

from .harness import ROOT


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    tmp = tmp_path_factory.mktemp("policy-build")
    data = tmp / "graph_data"
    shutil.copytree(ROOT / "graph_data", data, ignore=shutil.ignore_patterns("build"))
    settings = get_settings(store=tmp / "store", data_dir=data)
    assert run_build(settings, if_needed=False) == 0
    store = open_store(settings)
    yield store
    store.close()
