"""The register: curated reference data on instruments and their official identifiers.

Read from ``graph_data/register/instruments.toml``; the extractor resolves names and aliases
through it, the builder turns it into the register graph, and :meth:`Register.iri` is the one
place where an identifier becomes an instrument IRI.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from rdflib import URIRef

from lexgraph import iris

ID_RE = re.compile(
    r"^(celex:[0-9][0-9]{4}[A-Z]{1,2}[0-9A-Z()]+|com:[0-9]{4}:[1-9][0-9]*"
    r"|kst:[0-9]+(-([0-9]+|[A-Z]+))?(-[0-9A-Z]+)?|(ah|h):(TK|EK):[0-9]{4}-[0-9]{4}:[0-9]+"
    r"|tk-zaak:[0-9]{4}Z[0-9]{5}|tk-doc:[0-9]{4}D[0-9]{5}|bwb:BWB[RV][0-9]{7}"
    r"|nl-act:[a-z0-9]+(-[a-z0-9]+)*|treaty:[a-z0-9]+(-[a-z0-9]+)*"
    r"|ecli:ECLI:[A-Z]{2}:[A-Z0-9.]{1,7}:[0-9]{4}:[A-Z0-9.]{1,25}|cjeu-case:[CTF]-[0-9]+/[0-9]{2}"
    r"|ljn:[A-Z]{2}[0-9]{4}|motion:[a-z0-9-]+|commitment:[A-Za-z0-9][A-Za-z0-9._-]*)$"
)
STATUSES = frozenset(("confirmed", "pattern", "unknown"))


class RegisterError(ValueError):
    """The register file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Instrument:
    """One instrument: its lexgraph id, names, official identifiers and validity."""

    id: str
    type: str
    kind: str
    title_nl: str = ""
    title_en: str = ""
    aliases: tuple[str, ...] = ()
    celex: str | None = None
    eli: str | None = None
    bwb: str | None = None
    ecli: str | None = None
    com: str | None = None
    kst: str | None = None
    bwbv: str | None = None
    status: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    date: str | None = None
    applies_from: str | None = None
    repealed_from: str | None = None
    repealed_by: str | None = None
    ends: str | None = None
    notes: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.title_nl, self.title_en, *self.aliases) if n)


_KEYS = {f.name for f in fields(Instrument)}


def _instrument(raw: dict[str, Any], index: int) -> Instrument:
    where = f"instrument #{index} ({raw.get('id', '?')})"
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise RegisterError(f"{where}: unknown keys {', '.join(unknown)}")
    for key in ("id", "type", "kind"):
        if not raw.get(key):
            raise RegisterError(f"{where}: missing {key}")
    if not ID_RE.match(raw["id"]):
        raise RegisterError(f"{where}: {raw['id']!r} is not a lexgraph identifier")
    if raw.get("repealed_by") and not ID_RE.match(raw["repealed_by"]):
        raise RegisterError(f"{where}: repealed_by {raw['repealed_by']!r} is not an identifier")
    status = dict(raw.get("status") or {})
    bad = {k: v for k, v in status.items() if v not in STATUSES}
    if bad:
        raise RegisterError(f"{where}: status must be one of {sorted(STATUSES)}, got {bad}")
    values = {k: v for k, v in raw.items() if k not in ("aliases", "status")}
    return Instrument(**values, aliases=tuple(raw.get("aliases") or ()), status=status)


class Register:
    """All instruments, looked up by identifier or by name/alias (case-insensitive)."""

    def __init__(self, instruments: tuple[Instrument, ...]) -> None:
        self.instruments = instruments
        self._by_id: dict[str, Instrument] = {}
        self._by_name: dict[str, Instrument] = {}
        for inst in instruments:
            if inst.id in self._by_id:
                raise RegisterError(f"{inst.id} is listed twice")
            self._by_id[inst.id] = inst
            for name in inst.names:
                self._by_name.setdefault(name.casefold(), inst)

    def get(self, cid: str) -> Instrument | None:
        return self._by_id.get(cid)

    def by_alias(self, name: str) -> Instrument | None:
        return self._by_name.get(" ".join(name.split()).casefold())

    def iri(self, cid: str) -> URIRef:
        """The instrument's IRI: its register ELI where it has one, else the rule of iris.py."""
        inst = self._by_id.get(cid)
        return iris.instrument_iri(cid, eli=inst.eli if inst else None)

    def __len__(self) -> int:
        return len(self.instruments)


def default_path() -> Path:
    """The register of the configured data folder. Building the settings object costs about a
    millisecond, more than extracting a short text, so it is built once per configured value."""
    configured = tuple(sorted((k, v) for k, v in os.environ.items() if k.upper() == _DATA_DIR))
    return _default_path(configured)


_DATA_DIR = "LEXGRAPH_DATA_DIR"


@functools.lru_cache(maxsize=8)
def _default_path(configured: tuple[tuple[str, str], ...]) -> Path:
    from lexgraph.settings import Settings

    return Settings().data_dir / "register" / "instruments.toml"


@functools.lru_cache(maxsize=16)
def _load(path: Path, stamp: tuple[int, int]) -> Register:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise RegisterError(f"{path}: {err}") from None
    entries = data.get("instrument") or []
    return Register(tuple(_instrument(raw, i) for i, raw in enumerate(entries, 1)))


def load_register(path: Path | None = None) -> Register:
    """The register at ``path`` (default: graph_data/register/instruments.toml), parsed once."""
    resolved = Path(path or default_path()).resolve()
    try:
        st = resolved.stat()
    except OSError as err:
        raise RegisterError(f"{resolved}: {err.strerror}") from None
    return _load(resolved, (st.st_mtime_ns, st.st_size))  # a changed file is read again
