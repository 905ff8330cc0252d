"""Precision and recall against the hand-made gold sets (thresholds of the extractor's contract)."""

from __future__ import annotations

import pytest

from lexgraph.extract import extract

from .gold import passage_set, score, seed_sets

SETS = {"seeds": seed_sets, "passages": passage_set}


def _report(name: str, per_type: dict, total: object, misses: list[str]) -> None:
    print(f"\n{name}")
    for ctype, s in sorted(per_type.items()):
        print(f"  {ctype:24} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}")
    for line in misses:
        print("  ", line)


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_span_and_id_scores(set_name: str) -> None:
    docs = SETS[set_name]()
    spans, span_total, _ = score(docs, extract, with_id=False)
    per_type, total, misses = score(docs, extract, with_id=True)
    _report(f"{set_name} (span)", spans, span_total, [])
    _report(f"{set_name} (span+id)", per_type, total, misses)
    assert total.precision >= 0.97, misses
    assert total.recall >= 0.95, misses


def test_gold_pinpoints_match() -> None:
    for name, text, gold in seed_sets():
        found = {(c.start, c.end): c.pinpoint for c in extract(text)}
        for g in gold:
            if (g.start, g.end) in found:
                assert found[(g.start, g.end)] == g.pinpoint, (name, text[g.start : g.end])
