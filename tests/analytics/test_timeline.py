"""The protection timeline on the seed graph.

Periods (register and curation): activation 4 March 2022 by Implementing Decision 2022/382, the
automatic extension to 4 March 2024 under art. 4(1) of the RTB, then extensions by Decisions
2023/2409 (to 4 March 2025), 2024/1836 (to 4 March 2026) and 2025/1460 (to 4 March 2027).
Statements: 6511548 "De RTB loopt op dit moment tot en met 4 maart 2026." and "... verlengd tot
en met 4 maart 2027."; 7747653 "Het einde van de tijdelijke bescherming is op dit moment voorzien
voor 5 maart 2027." (the conflict) beside its own 4 March 2027; the Verzamelbrief note's 4 March
2027; and 7747653's footnote on talks to extend again, to 4 March 2028.
"""

from __future__ import annotations

from datetime import date

from lexgraph.analytics import protection_timeline
from lexgraph.store import GraphStore


def test_periods(store: GraphStore) -> None:
    periods = [p for p in protection_timeline(store) if p.kind == "period"]
    assert [(p.start, p.end, p.decision) for p in periods] == [
        (date(2022, 3, 4), date(2023, 3, 4), "celex:32022D0382"),
        (date(2023, 3, 5), date(2024, 3, 4), "celex:32001L0055"),
        (date(2024, 3, 5), date(2025, 3, 4), "celex:32023D2409"),
        (date(2025, 3, 5), date(2026, 3, 4), "celex:32024D1836"),
        (date(2026, 3, 5), date(2027, 3, 4), "celex:32025D1460"),
    ]
    assert periods[-1].document == "7747653"


def test_end_date_statements_and_the_conflict(store: GraphStore) -> None:
    items = protection_timeline(store)
    statements = [p for p in items if p.kind == "statement"]
    assert sorted((p.document, p.end) for p in statements) == sorted(
        [
            ("6511548", date(2026, 3, 4)),
            ("6511548", date(2027, 3, 4)),
            ("7747653", date(2027, 3, 4)),
            ("7747653", date(2027, 3, 5)),
            ("2025-07-beslisnota-verzamelbrief-opvang-oekraine", date(2027, 3, 4)),
            ("7747653", date(2028, 3, 4)),
        ]
    )
    (conflict,) = [p for p in items if p.conflict]
    assert conflict.document == "7747653"
    assert (conflict.end, conflict.period_end) == (date(2027, 3, 5), date(2027, 3, 4))
    assert conflict.quote == (
        "Het einde van de tijdelijke bescherming is op dit moment voorzien voor 5 maart 2027."
    )
    assert conflict.decision == "celex:32025D1460"
    prospective = next(p for p in statements if p.end == date(2028, 3, 4))
    assert prospective.period_end is None and not prospective.conflict


def test_order(store: GraphStore) -> None:
    items = protection_timeline(store)
    keys = [p.period_end or p.end for p in items]
    assert keys == sorted(keys)
    # each period comes before the statements about it
    last = next(i for i, p in enumerate(items) if p.kind == "period" and p.end.year == 2027)
    assert all(p.kind == "statement" for p in items[last + 1 :])
