"""The docstring examples of the API modules run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["lexgraph.api.negotiation", "lexgraph.ingest"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
