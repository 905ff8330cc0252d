"""``/documents``: list, read (JSON-LD-ish or HTML with linked citations), ingest, delete."""

from __future__ import annotations

import html
import re
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from lexgraph import iris
from lexgraph.api.deps import IngestAuth, SettingsDep, StoreDep, WriteGateDep
from lexgraph.api.graphdata import Row, as_int, select
from lexgraph.api.models import (
    DOCUMENT_CONTEXT,
    Citation,
    Deleted,
    DocumentDetail,
    DocumentPage,
    DocumentSummary,
    IngestResult,
    Passage,
)
from lexgraph.errors import LexgraphError, NotFound

router = APIRouter(tags=["documents"])

_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,119}$")
LKG = "https://w3id.org/lexgraph/ontology#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

DocumentIdPath = Annotated[
    str, Path(description="documentId: the reference number, official id or slug")
]


def check_document_id(document_id: str) -> str:
    if not _DOC_ID.fullmatch(document_id):
        raise LexgraphError(
            "invalid document id: letters, digits, '.', '_' and '-' only (max 120)",
            code="invalid_id",
        )
    return document_id


def instrument_href(cid: str | None) -> str | None:
    return f"/instruments/{quote(cid, safe=':')}" if cid else None


def page_link(request: Request, offset: int, limit: int, total: int) -> str | None:
    if offset + limit >= total:
        return None
    url = request.url.include_query_params(offset=offset + limit, limit=limit)
    return f"{url.path}?{url.query}"


def set_paging_headers(response: Response, total: int, next_link: str | None) -> None:
    """``X-Total-Count`` and an RFC 8288 ``Link: <…>; rel="next"`` for generic clients."""
    response.headers["X-Total-Count"] = str(total)
    if next_link:
        response.headers["Link"] = f'<{next_link}>; rel="next"'


_LIST = """
SELECT ?doc ?id (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?date) (SAMPLE(?ty) AS ?type)
       (SAMPLE(?r) AS ?ref) (SAMPLE(?o) AS ?oid)
WHERE {
  ?doc a lkg:Document ; lkg:documentId ?id .
  OPTIONAL { ?doc dcterms:title ?t }
  OPTIONAL { ?doc dcterms:date ?d }
  OPTIONAL { ?doc lkg:documentType ?ty }
  OPTIONAL { ?doc lkg:reference ?r }
  OPTIONAL { ?doc lkg:officialIdentifier ?o }
}
GROUP BY ?doc ?id
ORDER BY ?date ?id
"""
_COUNT = "SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc a lkg:Document ; lkg:documentId ?id }"


@router.get("/documents", summary="List documents", response_model=DocumentPage)
async def list_documents(
    request: Request,
    response: Response,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> DocumentPage:
    """Documents by date, paginated with ``limit``/``offset``; ``next`` links the next page."""
    total = as_int((await select(store, _COUNT))[0].get("n")) or 0
    rows = await select(store, _LIST + f"LIMIT {int(limit)} OFFSET {int(offset)}")
    items = [
        DocumentSummary(
            iri=r["doc"],
            documentId=r["id"],
            title=r.get("title"),
            date=r.get("date"),
            documentType=r.get("type"),
            reference=r.get("ref"),
            officialIdentifier=r.get("oid"),
            href=f"/documents/{quote(r['id'], safe=':')}",
        )
        for r in rows
    ]
    page = DocumentPage(
        total=total,
        limit=limit,
        offset=offset,
        next=page_link(request, offset, limit, total),
        items=items,
    )
    set_paging_headers(response, page.total, page.next)
    return page


_PROPS = "SELECT DISTINCT ?doc ?p ?o WHERE { ?doc ?p ?o }"
_PASSAGES = """
SELECT DISTINCT ?doc ?p ?kind ?label ?order ?start ?end ?parent WHERE {
  ?p a lkg:Passage ; oa:hasSource ?doc ; oa:hasSelector ?sel .
  ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  OPTIONAL { ?p lkg:passageKind ?kind }
  OPTIONAL { ?p lkg:label ?label }
  OPTIONAL { ?p lkg:order ?order }
  OPTIONAL { ?p dcterms:isPartOf ?parent }
}
ORDER BY ?start DESC(?end)
"""
_CITATIONS = """
SELECT ?doc ?c ?start ?end ?exact ?type ?cid ?pin ?cited ?citing ?docId
       (GROUP_CONCAT(DISTINCT STR(?prov); separator=" ") AS ?provs)
WHERE {
  ?c a cito:Citation ; oa:hasSource ?doc ; oa:hasSelector ?sel .
  ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  OPTIONAL { ?doc lkg:documentId ?docId }
  OPTIONAL { ?c oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?exact }
  OPTIONAL { ?c lkg:citationType ?type }
  OPTIONAL { ?c lkg:citedId ?cid }
  OPTIONAL { ?c lkg:pinpoint ?pin }
  OPTIONAL { ?c cito:hasCitedEntity ?cited }
  OPTIONAL { ?c cito:hasCitingEntity ?citing }
  OPTIONAL { ?c lkg:citesProvision ?prov }
}
GROUP BY ?doc ?c ?start ?end ?exact ?type ?cid ?pin ?cited ?citing ?docId
ORDER BY ?start ?end ?c
"""


def citation_from_row(r: Row) -> Citation:
    return Citation(
        iri=r["c"],
        start=as_int(r.get("start")) or 0,
        end=as_int(r.get("end")) or 0,
        exact=r.get("exact"),
        citationType=r.get("type"),
        citedId=r.get("cid"),
        pinpoint=r.get("pin"),
        citedEntity=r.get("cited"),
        citingEntity=r.get("citing"),
        provisions=sorted(p for p in r.get("provs", "").split(" ") if p),
        documentId=r.get("docId"),
        instrument=instrument_href(r.get("cid")),
    )


async def load_document(store: StoreDep, document_id: str) -> DocumentDetail:
    from rdflib import URIRef

    doc = iris.document_iri(document_id)
    bindings = {"doc": URIRef(doc)}
    props = await select(store, _PROPS, bindings)
    if not props:
        raise NotFound(f"no document with id {document_id!r}")
    first: dict[str, str] = {}
    types: list[str] = []
    for row in props:
        if row["p"] == RDF_TYPE:
            types.append(row["o"])
        else:
            first.setdefault(row["p"], row["o"])
    passages = [
        Passage(
            iri=r["p"],
            kind=r.get("kind"),
            label=r.get("label"),
            order=as_int(r.get("order")),
            start=as_int(r.get("start")) or 0,
            end=as_int(r.get("end")) or 0,
            partOf=r.get("parent"),
        )
        for r in await select(store, _PASSAGES, bindings)
    ]
    citations = [citation_from_row(r) for r in await select(store, _CITATIONS, bindings)]
    return DocumentDetail(
        context=DOCUMENT_CONTEXT,
        iri=str(doc),
        types=sorted(types),
        documentId=first.get(LKG + "documentId", document_id),
        title=first.get(DCT + "title"),
        date=first.get(DCT + "date"),
        documentType=first.get(LKG + "documentType"),
        reference=first.get(LKG + "reference"),
        officialIdentifier=first.get(LKG + "officialIdentifier"),
        sender=first.get(LKG + "sender"),
        addressee=first.get(LKG + "addressee"),
        graph=str(iris.document_graph(document_id)),
        text=first.get(LKG + "text"),
        passages=passages,
        citations=citations,
    )


@router.get(
    "/documents/{document_id}",
    summary="One document with passages and citations",
    response_model=DocumentDetail,
    responses={
        200: {"content": {"text/html": {}}, "description": "JSON-LD-ish JSON, or HTML"},
        400: {"description": "invalid id"},
        404: {"description": "unknown document"},
    },
)
async def get_document(
    document_id: DocumentIdPath,
    store: StoreDep,
    format: Annotated[
        Literal["json", "html"], Query(description="json (default) or html")
    ] = "json",
) -> Response:
    """Metadata, passages with offsets, citations with spans and resolved identifiers.
    ``?format=html`` shows the text with each citation linked to its instrument."""
    detail = await load_document(store, check_document_id(document_id))
    if format == "html":
        return HTMLResponse(
            render_document_html(detail),
            headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
        )
    return JSONResponse(detail.model_dump(by_alias=True), media_type="application/json")


def render_document_html(doc: DocumentDetail) -> str:
    """The text with citations as links; everything from the graph is escaped.

    Overlapping citations (a motion phrase containing its Kamerstuk reference) keep the one that
    starts first, the longest on ties, so the markup stays well nested.
    """
    text = doc.text or ""
    parts: list[str] = []
    pos = 0
    for c in sorted(doc.citations, key=lambda c: (c.start, -c.end)):
        if c.start < pos or c.end > len(text) or c.start >= c.end:
            continue
        parts.append(html.escape(text[pos : c.start]))
        href = c.instrument or "#"
        title = f"{c.citedId or ''} {c.pinpoint or ''}".strip()
        parts.append(
            f'<a class="citation" href="{html.escape(href)}" title="{html.escape(title)}" '
            f'data-type="{html.escape(c.citationType or "")}">'
            f"{html.escape(text[c.start : c.end])}</a>"
        )
        pos = c.end
    parts.append(html.escape(text[pos:]))
    meta = "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>"
        for k, v in (
            ("document id", doc.documentId),
            ("date", doc.date or ""),
            ("reference", doc.reference or ""),
            ("official identifier", doc.officialIdentifier or ""),
            ("citations", str(len(doc.citations))),
        )
        if v
    )
    return f"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>{html.escape(doc.title or doc.documentId)}</title>
<style>
body{{font-family:sans-serif;margin:1rem;max-width:60rem}}
pre{{white-space:pre-wrap;font-family:serif}} a.citation{{background:#ffd}}
</style></head>
<body>
<h1>{html.escape(doc.title or doc.documentId)}</h1>
<dl>{meta}</dl>
<pre>{"".join(parts)}</pre>
</body>
</html>
"""


@router.post(
    "/documents",
    summary="Ingest a document (bearer token)",
    status_code=201,
    response_model=IngestResult,
    dependencies=[IngestAuth],
    responses={
        400: {"description": "not UTF-8, not JSON, or bad metadata"},
        401: {"description": "no bearer token"},
        403: {"description": "wrong token, or ingest disabled"},
        409: {"description": "a write for the same document is in progress"},
        413: {"description": "body larger than max_body_bytes"},
        422: {"description": "the document's graph violates the SHACL shapes (report)"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["text", "metadata"],
                        "properties": {
                            "text": {"type": "string"},
                            "metadata": {
                                "type": "object",
                                "required": ["title", "date"],
                                "properties": {
                                    "title": {"type": "string"},
                                    "date": {"type": "string", "format": "date"},
                                    "type": {"type": "string"},
                                    "reference": {"type": "string"},
                                    "sender": {"type": "string"},
                                    "addressee": {"type": "string"},
                                    "identifier": {"type": "string"},
                                },
                            },
                        },
                    }
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file", "title", "date"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "title": {"type": "string"},
                            "date": {"type": "string", "format": "date"},
                            "type": {"type": "string"},
                            "reference": {"type": "string"},
                            "sender": {"type": "string"},
                            "addressee": {"type": "string"},
                            "identifier": {"type": "string"},
                        },
                    }
                },
            },
        }
    },
)
async def post_document(
    request: Request, settings: SettingsDep, store: StoreDep, gate: WriteGateDep
) -> JSONResponse:
    """Extract, build RDF, validate with SHACL and commit the document's named graph. The token
    is checked from the headers before the body is read; the body is capped while it streams."""
    from lexgraph.api.ingest_request import read_ingest_request
    from lexgraph.ingest import ingest_document

    text, metadata = await read_ingest_request(request)
    result = await ingest_document(settings, store, text, metadata, gate)
    body = IngestResult(
        documentId=result.document_id,
        iri=result.iri,
        graph=result.graph,
        citations=result.citations,
        triples=result.triples,
        replaced=result.replaced,
        href=f"/documents/{quote(result.document_id, safe=':')}",
    )
    return JSONResponse(body.model_dump(), status_code=201, headers={"Location": body.href})


@router.delete(
    "/documents/{document_id}",
    summary="Delete a document's graph (bearer token)",
    response_model=Deleted,
    dependencies=[IngestAuth],
    responses={404: {"description": "unknown document"}, 409: {"description": "write in progress"}},
)
async def delete_document(
    document_id: DocumentIdPath, store: StoreDep, gate: WriteGateDep
) -> Deleted:
    """Remove the document's named graph (everything extracted from it)."""
    from lexgraph.ingest import delete_document as remove

    check_document_id(document_id)
    if not await remove(store, document_id, gate):
        raise NotFound(f"no document with id {document_id!r}")
    return Deleted(documentId=document_id, deleted=True)
