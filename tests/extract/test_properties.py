"""Properties of the extractor on arbitrary and on mutated real text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lexgraph.extract import CITATION_TYPES, extract

SEEDS = sorted((Path(__file__).resolve().parents[2] / "graph_data" / "sources").glob("*.txt"))
SEED_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in SEEDS)

# text that looks like the corpus: its characters plus digits, brackets, superscripts, breaks
ALPHABET = st.sampled_from(sorted(set(SEED_TEXT) | set("()[]/-–.:;,¹²³⁴⁵⁶⁷⁸⁹⁰\t\n\r\x0c")))
NEAR_TEXT = st.text(alphabet=ALPHABET, max_size=400)


def _check(text: str) -> None:
    found = extract(text)
    for c in found:
        assert 0 <= c.start < c.end <= len(text)
        assert c.text == text[c.start : c.end]
        assert c.type in CITATION_TYPES
        assert c.id and ":" in c.id
    assert found == sorted(found, key=lambda c: (c.start, c.end, c.type))
    assert extract(text) == found  # deterministic


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(NEAR_TEXT)
def test_corpus_like_text(text: str) -> None:
    _check(text)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=len(SEED_TEXT) - 1),
    st.integers(min_value=0, max_value=40),
    st.text(alphabet=ALPHABET, max_size=20),
)
def test_mutated_seed_text(at: int, cut: int, insert: str) -> None:
    window = SEED_TEXT[max(0, at - 600) : at + 600]
    mid = len(window) // 2
    _check(window[:mid] + insert + window[mid + cut :])
