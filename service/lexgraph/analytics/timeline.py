"""The timeline of temporary protection for Ukraine: each period with the decision that set it,
and every statement a document makes about an end date, conflicts included.

A statement conflicts when the end it gives differs from the end of the period it speaks about
(the decision note 7747653 says 5 March 2027 where the extension runs to 4 March 2027). A
statement about no known period (a prospective extension) is kept, without a conflict.
"""

from __future__ import annotations

from datetime import date

from lexgraph.analytics import _sparql as q
from lexgraph.analytics.models import Period
from lexgraph.store.base import GraphStore


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def protection_timeline(store: GraphStore) -> list[Period]:
    """Periods and end-date statements, by end date; a period before the statements on it."""
    periods: dict[str, Period] = {}
    for row in q.rows(store, q.PROTECTION_PERIODS):
        end = _date(row.get("end"))
        if end is None or row["period"] in periods:
            continue
        periods[row["period"]] = Period(
            kind="period",
            start=_date(row.get("start")),
            end=end,
            decision=row.get("decisionId"),
            decision_iri=row.get("decision"),
            document=row.get("docId"),
            quote=row.get("quote"),
            period_end=end,
            iri=row["period"],
        )
    statements: list[tuple[int, Period]] = []
    seen: set[str] = set()
    for row in q.rows(store, q.END_DATE_STATEMENTS):
        stated = _date(row.get("stated"))
        if stated is None or row["statement"] in seen:
            continue
        seen.add(row["statement"])
        period = periods.get(row.get("period", ""))
        statements.append(
            (
                int(row.get("qstart") or 0),
                Period(
                    kind="statement",
                    start=period.start if period else None,
                    end=stated,
                    decision=period.decision if period else None,
                    decision_iri=period.decision_iri if period else None,
                    document=row.get("docId"),
                    quote=row.get("quote"),
                    period_end=period.end if period else None,
                    conflict=period is not None and stated != period.end,
                    iri=row["statement"],
                ),
            )
        )
    ordered = [(p.end, 0, "", 0, p) for p in periods.values()]
    ordered += [(p.period_end or p.end, 1, p.document or "", at, p) for at, p in statements]
    ordered.sort(key=lambda t: (t[0], t[1], t[2], t[3]))
    return [t[4] for t in ordered]
