"""The curated layer: ``graph_data/curation/*.toml``, one record per fact that needs judgement.

A record names the document it rests on and quotes it byte-exactly; the build finds the quote and
fails with a message naming the record when it is not there (or is ambiguous), so every curated
fact carries a verified passage. Line breaks are part of the quote: TOML multi-line basic strings
keep the source's "\\n" and trailing spaces (write them as escapes when in doubt).

File layout::

    [[person]]        key, name, party?, role?
    [[office]]        key, name          (an office holder named only by office)
    [[organization]]  key, name
    [[debate]]        key, title, dates = [YYYY-MM-DD, ...], reports = ["h:TK:...", "kst:..."]?,
                      kind?
    [[record]]        id, document?, quote?, curator, date, note, occurrence?
      [record.fact]   kind = commitment | commitment-response | motion | motion-appreciation
                      | policy-point-ground | protection-period | end-date-statement
                      | question-answer-pair, plus the kind's fields (see FIELDS)
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lexgraph.policy import terms

KINDS = (
    "commitment",
    "commitment-response",
    "motion",
    "motion-appreciation",
    "policy-point-ground",
    "protection-period",
    "end-date-statement",
    "question-answer-pair",
)

#: Required and optional fields of each fact kind.
FIELDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "commitment": (
        ("key", "text", "made_by", "status"),
        ("made_to", "debate", "made_on", "deadline"),
    ),
    "commitment-response": (("answer_kind",), ("commitment", "motion", "answered_in")),
    "motion": (("motion", "submitters"), ("asks", "title", "debate")),
    "motion-appreciation": (("motion", "appreciation"), ("given_by",)),
    "policy-point-ground": (("point", "ground"), ("pinpoint",)),
    "protection-period": (("start", "end", "decision"), ("proposal", "source")),
    "end-date-statement": (("date",), ()),
    "question-answer-pair": (("number", "answer_quote"), ("asked_by",)),
}

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class CurationError(ValueError):
    """A curation record that cannot be used; the message names the record and its file."""


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    party: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Organization:
    key: str
    name: str


@dataclass(frozen=True)
class Office:
    key: str
    name: str


@dataclass(frozen=True)
class Debate:
    key: str
    title: str
    dates: tuple[dt.date, ...]
    reports: tuple[str, ...] = ()
    kind: str | None = None


@dataclass(frozen=True)
class Record:
    id: str
    kind: str
    fields: Mapping[str, Any]
    curator: str
    date: dt.date
    note: str
    path: Path
    document: str | None = None
    quote: str | None = None
    occurrence: int = 1

    def where(self) -> str:
        return f"curation record {self.id!r} ({self.path.name})"


@dataclass(frozen=True)
class Curation:
    """Everything in ``graph_data/curation/``."""

    records: tuple[Record, ...] = ()
    persons: Mapping[str, Person] = field(default_factory=dict)
    organizations: Mapping[str, Organization] = field(default_factory=dict)
    debates: Mapping[str, Debate] = field(default_factory=dict)
    offices: Mapping[str, Office] = field(default_factory=dict)

    def for_document(self, document_ids: set[str]) -> list[Record]:
        return [r for r in self.records if r.document in document_ids]

    def commitment_keys(self) -> set[str]:
        return {r.fields["key"] for r in self.records if r.kind == "commitment"}


def _date(value: Any, where: str, name: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CurationError(f"{where}: {name} must be a date (YYYY-MM-DD), got {value!r}")


def _record(raw: Mapping[str, Any], path: Path) -> Record:
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID_RE.match(rid):
        raise CurationError(f"{path.name}: record without a valid id (lower-case, '-'): {rid!r}")
    where = f"curation record {rid!r} ({path.name})"
    fact = raw.get("fact")
    if not isinstance(fact, Mapping):
        raise CurationError(f"{where}: missing [record.fact] table")
    kind = fact.get("kind")
    if kind not in KINDS:
        raise CurationError(f"{where}: fact kind {kind!r} is not one of {KINDS}")
    required, optional = FIELDS[kind]
    fields = {k: v for k, v in fact.items() if k != "kind"}
    missing = [k for k in required if k not in fields]
    unknown = [k for k in fields if k not in required and k not in optional]
    if missing or unknown:
        raise CurationError(
            f"{where}: {kind} fields missing {missing} / not allowed {unknown}; "
            f"required {list(required)}, optional {list(optional)}"
        )
    for key in ("curator", "note"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise CurationError(f"{where}: '{key}' is required")
    document, quote = raw.get("document"), raw.get("quote")
    if (document is None) != (quote is None):
        raise CurationError(f"{where}: give both 'document' and 'quote', or neither")
    if quote is not None and (not isinstance(quote, str) or not quote.strip()):
        raise CurationError(f"{where}: empty quote")
    if document is None and not (kind == "protection-period" and fields.get("source")):
        raise CurationError(
            f'{where}: only a protection-period with source = "register" may go without '
            "document and quote"
        )
    if kind == "commitment-response" and ("commitment" in fields) == ("motion" in fields):
        raise CurationError(f"{where}: a response answers exactly one 'commitment' or 'motion'")
    _check_values(kind, fields, where)
    occurrence = raw.get("occurrence", 1)
    if not isinstance(occurrence, int) or occurrence < 1:
        raise CurationError(f"{where}: occurrence must be a positive integer")
    return Record(
        id=rid,
        kind=kind,
        fields=fields,
        curator=raw["curator"],
        date=_date(raw.get("date"), where, "date"),
        note=raw["note"],
        path=path,
        document=str(document) if document is not None else None,
        quote=quote,
        occurrence=occurrence,
    )


def _check_values(kind: str, fields: Mapping[str, Any], where: str) -> None:
    try:
        if "status" in fields:
            terms.status(fields["status"])
        if "answer_kind" in fields:
            terms.answer_kind(fields["answer_kind"])
        if "appreciation" in fields:
            terms.appreciation(fields["appreciation"])
    except ValueError as exc:
        raise CurationError(f"{where}: {exc}") from None
    for name in ("made_on", "deadline", "start", "end", "date"):
        if name in fields:
            _date(fields[name], where, name)


def _entities(data: Mapping[str, Any], path: Path, cur: dict[str, dict[str, Any]]) -> None:
    for raw in data.get("person", []):
        p = Person(raw["key"], raw["name"], raw.get("party"), raw.get("role"))
        cur["person"][p.key] = p
    for raw in data.get("office", []):
        of = Office(raw["key"], raw["name"])
        cur["office"][of.key] = of
    for raw in data.get("organization", []):
        o = Organization(raw["key"], raw["name"])
        cur["organization"][o.key] = o
    for raw in data.get("debate", []):
        d = Debate(
            raw["key"],
            raw["title"],
            tuple(_date(v, f"debate {raw['key']!r} ({path.name})", "dates") for v in raw["dates"]),
            tuple(raw.get("reports", ())),
            raw.get("kind"),
        )
        cur["debate"][d.key] = d


def load_curation(data_dir: Path) -> Curation:
    """Read and check every ``curation/*.toml`` (ids unique, references resolvable)."""
    folder = data_dir / "curation"
    paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
    return _load(stamp)


@lru_cache(maxsize=4)
def _load(stamp: tuple[tuple[str, int], ...]) -> Curation:
    records: list[Record] = []
    ents: dict[str, dict[str, Any]] = {"person": {}, "organization": {}, "debate": {}, "office": {}}
    for name, _ in stamp:
        path = Path(name)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise CurationError(f"{path.name}: not valid TOML: {exc}") from None
        _entities(data, path, ents)
        records.extend(_record(raw, path) for raw in data.get("record", []))
    seen: dict[str, Record] = {}
    for r in records:
        if r.id in seen:
            raise CurationError(f"{r.where()}: id also used in {seen[r.id].path.name}")
        seen[r.id] = r
    cur = Curation(
        tuple(records),
        dict(ents["person"]),
        dict(ents["organization"]),
        dict(ents["debate"]),
        dict(ents["office"]),
    )
    _check_references(cur)
    return cur


def _check_references(cur: Curation) -> None:
    agents = set(cur.persons) | set(cur.organizations) | set(cur.offices)
    keys = cur.commitment_keys()
    for r in cur.records:
        f = r.fields
        for name in ("made_by", "made_to", "asked_by", "given_by"):
            if name in f and f[name] not in agents:
                raise CurationError(
                    f"{r.where()}: {name} {f[name]!r} is no [[person]], [[office]] or "
                    "[[organization]]"
                )
        for key in f.get("submitters", []):
            if key not in cur.persons:
                raise CurationError(f"{r.where()}: submitter {key!r} is not a [[person]]")
        if "debate" in f and f["debate"] not in cur.debates:
            raise CurationError(f"{r.where()}: debate {f['debate']!r} is not a [[debate]]")
        if r.kind == "commitment-response" and "commitment" in f and f["commitment"] not in keys:
            raise CurationError(f"{r.where()}: no commitment record with key {f['commitment']!r}")


@dataclass(frozen=True)
class Located:
    """A record with the span of its quote (and of its answer quote) in the document text."""

    record: Record
    start: int
    end: int
    answer: tuple[int, int] | None = None


def _find(text: str, quote: str, occurrence: int, where: str, what: str) -> tuple[int, int]:
    hits = [m.start() for m in re.finditer(re.escape(quote), text)]
    if not hits:
        near = _nearest(text, quote)
        raise CurationError(
            f"{where}: {what} not found in the document text{near}. Quotes must be copied "
            "byte-exactly from the source, including line breaks and trailing spaces."
        )
    if occurrence > len(hits):
        raise CurationError(f"{where}: {what} occurs {len(hits)}x, occurrence={occurrence}")
    start = hits[occurrence - 1]
    return start, start + len(quote)


def _nearest(text: str, quote: str) -> str:
    """A hint: where the quote's first words occur, to show how the source differs."""
    head = quote.split()[:4]
    if not head:
        return ""
    pattern = r"\s+".join(re.escape(w) for w in head)
    m = re.search(pattern, text)
    if not m:
        return ""
    return f" (its opening words occur at offset {m.start()}: {text[m.start() : m.start() + 80]!r})"


def locate(record: Record, text: str) -> Located:
    """Find the record's quote (and answer quote) in ``text``; CurationError if absent."""
    assert record.quote is not None
    start, end = _find(text, record.quote, record.occurrence, record.where(), "quote")
    answer = None
    if record.kind == "question-answer-pair":
        answer = _find(text, record.fields["answer_quote"], 1, record.where(), "answer_quote")
    return Located(record, start, end, answer)
