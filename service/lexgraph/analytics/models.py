"""The results of the analytics: frozen dataclasses, turned into JSON by :func:`to_json`."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Literal

NodeKind = Literal[
    "document", "passage", "instrument", "provision", "commitment", "motion", "policy_point"
]


@dataclasses.dataclass(frozen=True)
class Ranked:
    """An instrument or provision and how much the documents (or policy points) rely on it.

    ``in_degree`` counts distinct relying documents (or policy points); ``citations`` counts the
    citing passages (or grounding links) behind them; ``pagerank`` is the node's PageRank in the
    weighted graph of those links (relying node -> relied-on node, provision -> instrument).
    """

    iri: str
    cid: str
    label: str
    in_degree: int
    pagerank: float
    citations: int
    pinpoint: str | None = None


@dataclasses.dataclass(frozen=True)
class PathStep:
    """One step of an evidence path; ``passage`` and ``quote`` are the text that supports it."""

    from_iri: str
    to_iri: str
    relation: str
    passage: str | None
    quote: str | None
    from_label: str = ""
    to_label: str = ""


@dataclasses.dataclass(frozen=True)
class Dependent:
    """Something that rests on an instrument, ``depth`` links away from it.

    ``via_repealed``: an instrument on the way (the instrument itself included) was repealed or
    had expired on the reference date. ``cited_after_end``: the dependent's document is dated on
    or after the day the instrument stopped applying (it relied on it when it no longer applied).
    """

    iri: str
    kind: str
    label: str
    depth: int
    via_repealed: bool
    cited_after_end: bool = False
    document_id: str | None = None


@dataclasses.dataclass(frozen=True)
class Impact:
    iri: str
    cid: str
    label: str
    as_of: date
    repealed: bool
    expired: bool
    repealed_by: str | None
    no_longer_in_force: date | None
    ends: date | None
    dependents: tuple[Dependent, ...]

    @property
    def inactive(self) -> bool:
        return self.repealed or self.expired


@dataclasses.dataclass(frozen=True)
class ClusterMember:
    iri: str
    cid: str
    label: str
    degree: int


@dataclasses.dataclass(frozen=True)
class CoCitation:
    a: str
    b: str
    weight: int


@dataclasses.dataclass(frozen=True)
class Cluster:
    """A community of instruments cited together; ``weight`` sums its internal co-citations."""

    id: int
    members: tuple[ClusterMember, ...]
    weight: int
    pairs: tuple[CoCitation, ...]


@dataclasses.dataclass(frozen=True)
class Period:
    """A period of temporary protection, or what a document states about the end of one.

    ``kind`` is "period" (start, end and the decision that set them) or "statement" (a passage
    giving an end date; ``period_end`` is the end of the period it speaks about, ``conflict`` says
    the two differ).
    """

    kind: Literal["period", "statement"]
    start: date | None
    end: date
    decision: str | None
    decision_iri: str | None
    document: str | None
    quote: str | None
    period_end: date | None = None
    conflict: bool = False
    iri: str = ""


def to_json(value: Any) -> Any:
    """Dataclasses, tuples and dates as plain JSON values (dates as ISO strings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, Impact):
            out["inactive"] = value.inactive
        return out
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value
