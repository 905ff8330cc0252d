"""One store per test session, built from graph_data/ the way ``lexgraph build`` builds it.

The real build (:func:`lexgraph.build.run_build` into a temporary store) is used whenever it is
importable; until then the policy layer's own graphs over the seeds stand in (``localstore``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import ROOT


def _real_build(tmp: Path) -> Any | None:
    try:
        build = importlib.import_module("lexgraph.build")
        stores = importlib.import_module("lexgraph.store")
    except ModuleNotFoundError:
        return None
    if not hasattr(build, "run_build") or not hasattr(stores, "open_store"):
        return None
    from lexgraph.settings import get_settings

    settings = get_settings(store=tmp / "store", data_dir=ROOT / "graph_data")
    assert build.run_build(settings, if_needed=False) == 0
    return stores.open_store(settings)


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("policy-build")
    store = _real_build(tmp)
    if store is None:
        from .localstore import build

        store = build(ROOT / "graph_data")
    yield store
    close = getattr(store, "close", None)
    if callable(close):
        close()
