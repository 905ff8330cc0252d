"""``/instruments/{id}``: any CITATIONS.md identifier, with names, aliases, the identifier
crosswalk to official sites, provisions, validity, and the citations of it.

Ids may contain ``/`` (``cjeu-case:C-662/23``), so the path parameter takes the rest of the path;
URL-encode it (``/instruments/celex%3A32011L0095`` and ``/instruments/celex:32011L0095`` both
work).
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from rdflib import Literal

from lexgraph import iris
from lexgraph.api.deps import StoreDep
from lexgraph.api.graphdata import as_int, select
from lexgraph.api.models import CitationPage
from lexgraph.api.routers.documents import citation_from_row, page_link, set_paging_headers
from lexgraph.errors import LexgraphError, NotFound
from lexgraph.store.base import GraphStore

router = APIRouter(tags=["instruments"])

LKG = "https://w3id.org/lexgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ELI = "http://data.europa.eu/eli/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EURLEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"
RECHTSPRAAK = "https://uitspraken.rechtspraak.nl/details?id="


class Label(BaseModel):
    value: str
    lang: str | None = None


class Crosswalk(BaseModel):
    """Official identifiers and where to read the instrument."""

    celex: str | None = None
    eli: str | None = None
    eurLex: str | None = None
    bwb: str | None = None
    wettenOverheid: str | None = None
    officieleBekendmakingen: str | None = None
    ecli: str | None = None
    rechtspraak: str | None = None
    com: str | None = None
    kst: str | None = None


class IdentifierStatus(BaseModel):
    scheme: str
    value: str
    status: str | None = None


class Provision(BaseModel):
    iri: str
    pinpoint: str | None = None


class Validity(BaseModel):
    date: str | None = None
    appliesFrom: str | None = None
    noLongerInForce: str | None = None
    repealedBy: str | None = None
    repealedById: str | None = None


class Instrument(BaseModel):
    id: str
    iri: str
    types: list[str]
    names: list[Label]
    aliases: list[Label]
    crosswalk: Crosswalk
    identifiers: list[IdentifierStatus]
    provisions: list[Provision]
    validity: Validity
    citationCount: int
    citations: str


#: The CITATIONS.md identifier forms; the same pattern as the shape
#: ``lkg-shape:InstrumentHasOneCitationId`` (a test keeps the two equal).
CITATION_ID_PATTERN = (
    r"^(celex:[0-9][0-9]{4}[A-Z]{1,2}[0-9A-Z()]+|com:[0-9]{4}:[1-9][0-9]*"
    r"|kst:[0-9]+(-([0-9]+|[A-Z]+))?(-[0-9A-Z]+)?|ah:(TK|EK):[0-9]{4}-[0-9]{4}:[0-9]+"
    r"|h:(TK|EK):[0-9]{4}-[0-9]{4}:[0-9]+|tk-zaak:[0-9]{4}Z[0-9]{5}|tk-doc:[0-9]{4}D[0-9]{5}"
    r"|bwb:BWB[RV][0-9]{7}|nl-act:[a-z0-9]+(-[a-z0-9]+)*|treaty:[a-z0-9]+(-[a-z0-9]+)*"
    r"|ecli:ECLI:[A-Z]{2}:[A-Z0-9.]{1,7}:[0-9]{4}:[A-Z0-9.]{1,25}"
    r"|cjeu-case:[CTF]-[0-9]+/[0-9]{2}( P)?"
    r"|ljn:[A-Z]{2}[0-9]{4}|motion:[a-z0-9à-ÿ]+([ '-][a-z0-9à-ÿ]+)*"
    r"|commitment:[A-Za-z0-9][A-Za-z0-9._-]*)$"
)
_CITATION_ID = re.compile(CITATION_ID_PATTERN)


def check_instrument_id(cid: str) -> str:
    """The id if it has a CITATIONS.md form (400 otherwise)."""
    try:
        if not _CITATION_ID.fullmatch(cid):
            raise ValueError(cid)
        iris.instrument_iri(cid)
    except (ValueError, IndexError):
        raise LexgraphError(
            f"invalid instrument id {cid!r}: expected a CITATIONS.md identifier such as "
            "celex:32011L0095, bwb:BWBR0011823, kst:19637-3338 or ecli:ECLI:NL:RVS:2025:1473",
            code="invalid_id",
        ) from None
    return cid


_FIND = "SELECT DISTINCT ?cid ?i WHERE { ?i dcterms:identifier ?cid } ORDER BY ?i"
_PROPS = "SELECT DISTINCT ?i ?p ?o (LANG(?o) AS ?lang) WHERE { ?i ?p ?o }"
_IDENTIFIERS = """
SELECT DISTINCT ?i ?scheme ?value ?status WHERE {
  ?i lkg:hasIdentifier ?n . ?n lkg:scheme ?scheme ; rdf:value ?value .
  OPTIONAL { ?n lkg:verificationStatus ?status }
}
ORDER BY ?scheme
"""
_PROVISIONS = """
SELECT DISTINCT ?i ?prov ?pin WHERE {
  ?prov eli:is_part_of ?i . OPTIONAL { ?prov lkg:pinpoint ?pin }
}
ORDER BY ?prov
"""
_CITED_COUNT = (
    "SELECT ?cid (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a cito:Citation ; lkg:citedId ?cid } "
    "GROUP BY ?cid"
)
_REPEALER_ID = "SELECT ?r ?rid WHERE { ?r dcterms:identifier ?rid } LIMIT 1"


async def cited_count(store: GraphStore, cid: str) -> int:
    rows = await select(store, _CITED_COUNT, {"cid": Literal(cid)})
    return (as_int(rows[0].get("n")) or 0) if rows else 0


def crosswalk(cid: str, values: dict[str, str]) -> Crosswalk:
    """Links to official sites computed from the identifiers (graph values win over rules)."""
    scheme, _, value = cid.partition(":")
    cw = Crosswalk(
        celex=values.get("celex") or (value if scheme == "celex" else None),
        eli=values.get("eli"),
        bwb=values.get("bwb") or (value if scheme == "bwb" else None),
        ecli=values.get("ecli") or (value if scheme == "ecli" else None),
        com=values.get("com") or (value if scheme == "com" else None),
        kst=values.get("kst") or (value if scheme == "kst" else None),
    )
    if cw.celex:
        cw.eurLex = EURLEX + cw.celex
        if cw.eli is None:
            cw.eli = iris.eli_for_celex(cw.celex)
    if cw.bwb:
        cw.wettenOverheid = iris.WETTEN + cw.bwb
    if cw.ecli:
        cw.rechtspraak = RECHTSPRAAK + cw.ecli
    if scheme in ("kst", "ah", "h"):
        official = str(iris.instrument_iri(cid))
        if official.startswith(iris.OFFICIELE_BEKENDMAKINGEN):
            cw.officieleBekendmakingen = official
    elif cw.kst and "-" in cw.kst:
        cw.officieleBekendmakingen = str(iris.instrument_iri("kst:" + cw.kst))
    return cw


@router.get(
    "/instruments/{cid:path}/citations",
    summary="Citations of an instrument",
    response_model=CitationPage,
    responses={400: {"description": "invalid id"}, 404: {"description": "unknown instrument"}},
)
async def instrument_citations(
    cid: str,
    request: Request,
    response: Response,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CitationPage:
    """Every citation whose normalised id is this instrument's, in document order."""
    from lexgraph.api.routers.documents import _CITATIONS

    check_instrument_id(cid)
    bindings = {"cid": Literal(cid)}
    total = await cited_count(store, cid)
    if total == 0 and not await select(store, _FIND, bindings):
        raise NotFound(f"unknown instrument {cid!r}")
    body = _CITATIONS.replace("?c a cito:Citation ;", "?c a cito:Citation ; lkg:citedId ?cid ;")
    body = body.replace("ORDER BY ?start ?end ?c", "ORDER BY ?docId ?start ?end ?c")
    rows = await select(store, body + f"LIMIT {int(limit)} OFFSET {int(offset)}", bindings)
    page = CitationPage(
        total=total,
        limit=limit,
        offset=offset,
        next=page_link(request, offset, limit, total),
        items=[citation_from_row(r) for r in rows],
    )
    set_paging_headers(response, page.total, page.next)
    return page


@router.get(
    "/instruments/{cid:path}",
    summary="An instrument by its CITATIONS.md id",
    response_model=Instrument,
    responses={400: {"description": "invalid id"}, 404: {"description": "unknown instrument"}},
)
async def get_instrument(cid: str, store: StoreDep) -> Instrument:
    """Names, aliases, identifier crosswalk (CELEX ↔ ELI ↔ EUR-Lex, BWB ↔ wetten.overheid.nl,
    kst/ah/h ↔ officielebekendmakingen, ECLI ↔ rechtspraak), provisions and validity."""
    from rdflib import URIRef

    check_instrument_id(cid)
    found = await select(store, _FIND, {"cid": Literal(cid)})
    cited = await cited_count(store, cid)
    if not found and cited == 0:
        raise NotFound(f"unknown instrument {cid!r}")
    node = found[0]["i"] if found else str(iris.instrument_iri(cid))
    bindings = {"i": URIRef(node)}
    props = await select(store, _PROPS, bindings)
    types: list[str] = []
    names: list[Label] = []
    aliases: list[Label] = []
    values: dict[str, str] = {}
    for row in props:
        p, o, lang = row["p"], row["o"], row.get("lang") or None
        if p == RDF_TYPE:
            types.append(o)
        elif p == SKOS + "prefLabel":
            names.append(Label(value=o, lang=lang))
        elif p == SKOS + "altLabel":
            aliases.append(Label(value=o, lang=lang))
        else:
            values.setdefault(p, o)
    short = {
        "celex": values.get(LKG + "celex"),
        "eli": values.get(LKG + "eli"),
        "bwb": values.get(LKG + "bwb"),
        "ecli": values.get(LKG + "ecli"),
        "com": values.get(LKG + "comNumber"),
        "kst": values.get(LKG + "kstId"),
    }
    repealed_by = values.get(ELI + "repealed_by")
    repealed_id = None
    if repealed_by:
        rid = await select(store, _REPEALER_ID, {"r": URIRef(repealed_by)})
        repealed_id = rid[0]["rid"] if rid else None
    return Instrument(
        id=cid,
        iri=node,
        types=sorted(types),
        names=sorted(names, key=lambda n: (n.lang or "", n.value)),
        aliases=sorted(aliases, key=lambda n: (n.lang or "", n.value)),
        crosswalk=crosswalk(cid, {k: v for k, v in short.items() if v}),
        identifiers=[
            IdentifierStatus(scheme=r["scheme"], value=r["value"], status=r.get("status"))
            for r in await select(store, _IDENTIFIERS, bindings)
        ],
        provisions=[
            Provision(iri=r["prov"], pinpoint=r.get("pin"))
            for r in await select(store, _PROVISIONS, bindings)
        ],
        validity=Validity(
            date=values.get(ELI + "date_document"),
            appliesFrom=values.get(LKG + "startDate")
            or values.get(ELI + "first_date_entry_in_force"),
            noLongerInForce=values.get(ELI + "date_no_longer_in_force"),
            repealedBy=repealed_by,
            repealedById=repealed_id,
        ),
        citationCount=cited,
        citations=f"/instruments/{quote(cid, safe=':')}/citations",
    )
