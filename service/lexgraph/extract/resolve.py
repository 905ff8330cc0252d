"""Identifiers by rule: the normalised ``id`` of CITATIONS.md from the parts of a match.

celex_for("Richtlijn", "2011", "95")          -> "celex:32011L0095"
celex_for("Verordening", "604", "2013")       -> "celex:32013R0604"   (old style N/YYYY)
kst_id("19 637", None, "3338")                -> "kst:19637-3338"
kst_id("36 600", "XX", "22")                  -> "kst:36600-XX-22"
years("2024/25")                              -> "2024-2025"
"""

from __future__ import annotations

import functools
import re
import unicodedata

SECTOR_LETTER = {
    "richtlijn": "L",
    "richtlijnen": "L",
    "verordeningen": "R",
    "directive": "L",
    "verordening": "R",
    "regulation": "R",
    "uitvoeringsverordening": "R",
    "gedelegeerde verordening": "R",
    "implementing regulation": "R",
    "delegated regulation": "R",
    "besluit": "D",
    "uitvoeringsbesluit": "D",
    "kaderbesluit": "F",
    "decision": "D",
    "implementing decision": "D",
    "delegated decision": "D",
    "aanbeveling": "H",
    "recommendation": "H",
}
ELI_TYPE_LETTER = {
    "dir": "L",
    "reg": "R",
    "reg_impl": "R",
    "reg_del": "R",
    "dec": "D",
    "dec_impl": "D",
    "dec_del": "D",
    "reco": "H",
}

_YEARS = re.compile(r"(\d{4})\s*[-–/]\s*(\d{2,4})")
_SPACE = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _is_year(value: str) -> bool:
    return len(value) == 4 and 1950 <= int(value) <= 2099


def year_and_number(first: str, second: str) -> tuple[str, str]:
    """EU numbers are YYYY/N since 2015 and N/YYYY for older regulations; tell them apart."""
    if _is_year(first) and not (_is_year(second) and int(first) < 1990):
        return first, second
    if len(second) == 2:  # "2003/9" style is impossible; "343/03" is two-digit year
        second = ("19" if int(second) > 50 else "20") + second
    return second, first


def celex(sector: str, year: str, number: str) -> str:
    return f"celex:3{year}{sector}{int(number):04d}"


def celex_for(head: str, first: str, second: str) -> str | None:
    """CELEX id of an act named by its kind ("Richtlijn", "Verordening", ...) and number."""
    sector = SECTOR_LETTER.get(" ".join(head.lower().split()))
    if sector is None:
        return None
    year, number = year_and_number(first, second)
    return celex(sector, year, number)


def years(text: str) -> str:
    """A vergaderjaar in the form YYYY-YYYY ("2024/25", "2024–2025", "2024-2025")."""
    m = _YEARS.match(text)
    if not m:
        raise ValueError(f"not a vergaderjaar: {text!r}")
    end = m[2] if len(m[2]) == 4 else m[1][:2] + m[2]
    return f"{m[1]}-{end}"


def kst_id(dossier: str, sub: str | None, number: str | None) -> str:
    """``kst:`` + dossier digits + sub-dossier (roman upper case or digits) + number."""
    parts = [_SPACE.sub("", dossier)]
    if sub:
        parts.append(sub.upper() if not sub.isdigit() else sub)
    if number:
        parts.append(number.upper() if not number.isdigit() else number)
    return "kst:" + "-".join(parts)


@functools.lru_cache(maxsize=4096)  # names and titles recur within and across documents
def slug(title: str) -> str:
    """An official title as an ``nl-act:`` slug: lower case, no diacritics, hyphens."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", plain.lower()).strip("-")


def surname_key(names: list[str]) -> str:
    """``motion:`` key from submitter surnames ("Podt", "Boswijk" -> "podt-boswijk")."""
    return "motion:" + "-".join(slug(n) for n in names)
