"""IRIs minted from official identifiers.

Every IRI in the graph comes from here, so that the builder, the API and the named queries agree.
Instruments get an official IRI where one exists (ELI for EU acts, wetten.overheid.nl for BWB,
officielebekendmakingen for parliamentary papers); otherwise one under ``ID``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import URIRef

from lexgraph.namespaces import GRAPH, ID

OFFICIELE_BEKENDMAKINGEN = "https://zoek.officielebekendmakingen.nl/"
WETTEN = "https://wetten.overheid.nl/"
CELLAR_CELEX = "http://publications.europa.eu/resource/celex/"
ELI_EU = "http://data.europa.eu/eli/"

_CELEX_RE = re.compile(r"^3(\d{4})([LR])(\d{4})$")
_KST_RE = re.compile(r"^(\d+)(?:-([A-Z]+|\d+))?(?:-([0-9A-Z]+))?$")
_YEARS_RE = re.compile(r"^(\d{4})-(\d{4})$")


def _safe(segment: str) -> str:
    return quote(segment, safe="-._~:")


def document_iri(document_id: str) -> URIRef:
    return ID[f"doc/{_safe(document_id)}"]


def document_graph(document_id: str) -> URIRef:
    """Named graph holding everything extracted from or curated about one document."""
    return GRAPH[f"doc/{_safe(document_id)}"]


REGISTER_GRAPH = GRAPH["register"]
ONTOLOGY_GRAPH = GRAPH["ontology"]
CURATION_GRAPH = GRAPH["curation"]


def passage_iri(document_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{document_iri(document_id)}/passage/{start}-{end}")


def citation_iri(document_id: str, start: int, end: int, ctype: str) -> URIRef:
    return URIRef(f"{document_iri(document_id)}/citation/{start}-{end}-{ctype}")


def position_selector(fact: URIRef) -> URIRef:
    return URIRef(f"{fact}#position")


def quote_selector(fact: URIRef) -> URIRef:
    return URIRef(f"{fact}#quote")


def eli_for_celex(celex: str) -> str | None:
    """ELI of a directive or regulation by rule; other act types need the register."""
    m = _CELEX_RE.match(celex)
    if not m:
        return None
    year, kind, number = m.groups()
    return f"{ELI_EU}{'dir' if kind == 'L' else 'reg'}/{year}/{int(number)}/oj"


def instrument_iri(cid: str, eli: str | None = None) -> URIRef:
    """IRI of the instrument named by a CITATIONS.md identifier.

    ``eli`` is the register's ELI for an EU act, when it has one.

    >>> str(instrument_iri("celex:32001L0055"))
    'http://data.europa.eu/eli/dir/2001/55/oj'
    >>> str(instrument_iri("kst:36600-XX-22"))
    'https://zoek.officielebekendmakingen.nl/kst-36600-XX-22'
    >>> str(instrument_iri("bwb:BWBR0011823"))
    'https://wetten.overheid.nl/BWBR0011823'
    """
    scheme, _, value = cid.partition(":")
    if not value:
        raise ValueError(f"not a lexgraph identifier: {cid!r}")
    if scheme == "celex":
        if eli:
            return URIRef(eli)
        by_rule = eli_for_celex(value)
        return URIRef(by_rule or CELLAR_CELEX + _safe(value))
    if scheme == "kst":
        if "-" not in value:  # a dossier cited without a document number
            return ID[f"dossier/{_safe(value)}"]
        return URIRef(OFFICIELE_BEKENDMAKINGEN + "kst-" + _safe(value))
    if scheme in ("ah", "h"):
        chamber, years, number = value.split(":", 2)
        ym = _YEARS_RE.match(years)
        if not ym:
            raise ValueError(f"bad vergaderjaar in {cid!r}")
        return URIRef(
            f"{OFFICIELE_BEKENDMAKINGEN}{scheme}-{chamber.lower()}-{ym[1]}{ym[2]}-{_safe(number)}"
        )
    if scheme == "bwb":
        return URIRef(WETTEN + _safe(value))
    if scheme == "com":
        year, number = value.split(":", 1)
        return ID[f"com/{_safe(year)}/{_safe(number)}"]
    if scheme == "cjeu-case":
        return ID[f"cjeu-case/{_safe(value.replace('/', '-'))}"]
    if scheme in (
        "nl-act",
        "treaty",
        "ecli",
        "ljn",
        "motion",
        "commitment",
        "tk-zaak",
        "tk-doc",
    ):
        return ID[f"{scheme}/{_safe(value)}"]
    raise ValueError(f"unknown identifier scheme in {cid!r}")


_PIN_RE = re.compile(r"art\.\s*([0-9]+[a-z]?(?:[.:][0-9a-z]+)*)((?:\([0-9a-zA-Z]+\))*)")


def provision_path(pinpoint: str) -> list[str]:
    """ELI-style subdivision paths for a pinpoint ("art. 7(1)(h)" -> ["art_7/par_1/pnt_h"]).

    >>> provision_path("art. 15(c)")
    ['art_15/pnt_c']
    >>> provision_path("art. 12(2); art. 4(1)")
    ['art_12/par_2', 'art_4/par_1']
    """
    paths = []
    for part in pinpoint.split(";"):
        part = part.strip()
        m = _PIN_RE.fullmatch(part)
        if not m:
            slug = re.sub(r"[^0-9A-Za-z]+", "-", part).strip("-")
            if slug:
                paths.append(f"sub_{slug}")
            continue
        segs = [f"art_{m[1].replace(':', '-')}"]
        for item in re.findall(r"\(([0-9a-zA-Z]+)\)", m[2]):
            segs.append(f"par_{item}" if item.isdigit() else f"pnt_{item}")
        paths.append("/".join(segs))
    return paths


def provision_iris(cid: str, pinpoint: str) -> list[URIRef]:
    """IRIs of the provisions a pinpoint designates, under ``ID`` and keyed by the instrument id."""
    key = _safe(cid.replace(":", "-").replace("/", "-"))
    return [ID[f"provision/{key}/{p}"] for p in provision_path(pinpoint)]


def quote_segment(value: str) -> str:
    """A value made safe as one IRI path segment (identifiers keep their colons)."""
    return _safe(value).replace("/", "%2F")
