"""Gold annotations: loading, span resolution and precision/recall per type.

Seed gold files name each citation by its exact text and which occurrence it is (0-based among
the exact occurrences of that text), or ``"all"`` for every whole-word occurrence not already
covered by another gold span; offsets are derived from the source, never typed by hand.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "gold"
SOURCES = ROOT / "graph_data" / "sources"


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    type: str
    id: str
    pinpoint: str | None


def _occurrences(text: str, needle: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(needle), text)]


def resolve(text: str, entries: list[dict[str, Any]]) -> list[Gold]:
    """Spans of gold entries in ``text``; raises when an entry is not found."""
    spans: list[Gold] = []
    for e in (e for e in entries if e["occurrence"] != "all"):
        found = _occurrences(text, e["text"])
        if e["occurrence"] >= len(found):
            raise AssertionError(f"gold text not found: {e['text']!r} #{e['occurrence']}")
        start = found[e["occurrence"]]
        spans.append(Gold(start, start + len(e["text"]), e["type"], e["id"], e["pinpoint"]))
    for e in (e for e in entries if e["occurrence"] == "all"):
        # whole words; a footnote digit glued to the end ("Zanten2") does not join the word
        word = re.compile(rf"(?<![\w-]){re.escape(e['text'])}(?![^\W\d_⁰¹²³⁴⁵⁶⁷⁸⁹]|-[A-Za-z])")
        for m in word.finditer(text):
            if not any(g.start < m.end() and m.start() < g.end for g in spans):
                spans.append(Gold(m.start(), m.end(), e["type"], e["id"], e["pinpoint"]))
    return sorted(spans, key=lambda g: (g.start, g.end))


def seed_sets() -> list[tuple[str, str, list[Gold]]]:
    out = []
    for path in sorted((GOLD / "seeds").glob("*.jsonl")):
        text = (SOURCES / f"{path.stem}.txt").read_text(encoding="utf-8")
        entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        out.append((path.stem, text, resolve(text, entries)))
    return out


def passage_set() -> list[tuple[str, str, list[Gold]]]:
    out = []
    lines = (GOLD / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(x for x in lines if x.strip()):
        item = json.loads(line)
        entries = [{**c, "occurrence": c.get("occurrence", 0)} for c in item["citations"]]
        out.append((f"passage {n + 1}", item["text"], resolve(item["text"], entries)))
    return out


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(
    docs: list[tuple[str, str, list[Gold]]], predict: Any, *, with_id: bool
) -> tuple[dict[str, Score], Score, list[str]]:
    """Per-type and overall scores; a hit needs the same span (and id, when ``with_id``)."""
    per_type: dict[str, Score] = defaultdict(Score)
    total = Score()
    misses: list[str] = []
    for name, text, gold in docs:
        want = {(g.start, g.end, g.id if with_id else ""): g for g in gold}
        got = {(c.start, c.end, c.id if with_id else ""): c for c in predict(text)}
        for key, g in want.items():
            s = per_type[g.type]
            if key in got:
                s.tp += 1
                total.tp += 1
            else:
                s.fn += 1
                total.fn += 1
                misses.append(f"{name}: missed {text[g.start : g.end]!r} {g.id}")
        for key, c in got.items():
            if key not in want:
                per_type[c.type].fp += 1
                total.fp += 1
                misses.append(f"{name}: spurious {c.text!r} {c.id}")
    return dict(per_type), total, misses
