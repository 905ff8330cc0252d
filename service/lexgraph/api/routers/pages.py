"""The web pages: server-rendered HTML (Jinja2, autoescaped) over the same library the REST
routers use.

| path | page |
|---|---|
| ``/`` | commitments and motions board |
| ``/pages/documents`` | documents |
| ``/pages/documents/{id}`` | a document's text with citations, policy points and Q&A marked |
| ``/pages/instruments`` | instruments |
| ``/pages/instruments/{id}`` | an instrument: crosswalk, provisions, who cites it, impact set |
| ``/pages/network?iri=`` / ``/pages/network.svg?iri=`` | the citation network around a node |
| ``/pages/timeline`` | periods of temporary protection and the end-date statements |

Every page takes ``?lang=nl|en``. Pages carry no inline script or style: the Content-Security-
Policy allows only the app's own origin. Errors are HTML pages with the status of the
:class:`~lexgraph.errors.LexgraphError` behind them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from lexgraph.analytics.network import pinpoint_of
from lexgraph.api.graphdata import as_int, select
from lexgraph.api.page_support import (
    DEFAULT_LANG,
    LANGS,
    UI,
    Labels,
    Span,
    format_date,
    load_labels,
    mark_up,
)
from lexgraph.api.page_svg import KIND_COLOURS, network_picture, offsets_from_iri, timeline_picture
from lexgraph.api.routers.documents import _LIST as DOCUMENT_LIST
from lexgraph.api.routers.documents import check_document_id, load_document
from lexgraph.api.routers.instruments import check_instrument_id, get_instrument
from lexgraph.errors import LexgraphError, NotFound
from lexgraph.named_queries import load_queries, run_query
from lexgraph.policy.views import commitment_key, motion_key
from lexgraph.settings import Settings
from lexgraph.store.base import GraphStore

router = APIRouter(include_in_schema=False)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

#: Only the app's own origin: no inline script or style, no framing, no plugins.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["squash"] = lambda value: re.sub(r"\s+", " ", str(value or "")).strip()

_HL = re.compile(r"^(\d{1,9})-(\d{1,9})$")
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")

#: Facts anchored in a document that the document view marks, with their kind.
_MARKS = """
SELECT DISTINCT ?doc ?x ?kind ?label ?start ?end WHERE {
  VALUES (?type ?kind) {
    (lkg:PolicyPoint "point") (lkg:Question "question") (lkg:Answer "answer")
    (lkg:Commitment "commitment") (lkg:CommitmentResponse "response")
    (lkg:MotionAppreciation "appreciation") (lkg:EndDateStatement "statement")
  }
  ?x a ?type ; oa:hasSource ?doc ; oa:hasSelector ?pos .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  OPTIONAL { ?x lkg:label ?pointLabel }
  OPTIONAL { ?x lkg:questionNumber ?number }
  OPTIONAL { ?x lkg:answers/lkg:questionNumber ?answered }
  BIND (COALESCE(?pointLabel, ?number, ?answered, "") AS ?label)
}
ORDER BY ?start DESC(?end) ?kind
"""

#: The instruments and provisions each policy point of a document rests on.
_GROUNDS = """
SELECT DISTINCT ?doc ?point ?ground ?cid ?parent ?pin WHERE {
  ?point a lkg:PolicyPoint ; oa:hasSource ?doc ; lkg:groundedBy ?ground .
  OPTIONAL { ?ground dcterms:identifier ?gid }
  OPTIONAL {
    ?ground eli:is_part_of ?parent . ?parent dcterms:identifier ?pid .
    OPTIONAL { ?ground lkg:pinpoint ?pin }
  }
  BIND (COALESCE(?gid, ?pid) AS ?cid)
}
ORDER BY ?point ?cid ?pin
"""

#: Every instrument with its names and how often it is cited.
_INSTRUMENTS = """
SELECT ?i ?cid (SAMPLE(?type) AS ?kind) (COUNT(DISTINCT ?c) AS ?cited) WHERE {
  ?i a lkg:LegalInstrument ; dcterms:identifier ?cid .
  OPTIONAL { ?i a ?type FILTER (?type != lkg:LegalInstrument && STRSTARTS(STR(?type), STR(lkg:))) }
  OPTIONAL { ?c lkg:citedId ?cid }
}
GROUP BY ?i ?cid
ORDER BY DESC(?cited) ?cid
"""

_NAMES = """
SELECT ?i ?name (LANG(?name) AS ?lang) WHERE {
  ?i a lkg:LegalInstrument ; skos:prefLabel|dcterms:title ?name .
}
"""

#: The board's facts, one flat query per kind joined in Python (a single query with nested
#: OPTIONALs over the multi-valued selectors is far slower on the embedded store).
_BOARD_COMMITMENTS = """
SELECT ?c ?text ?madeBy ?madeTo ?madeOn ?deadline ?debate ?status WHERE {
  ?c a lkg:Commitment .
  OPTIONAL { ?c dcterms:description ?text }
  OPTIONAL { ?c lkg:madeBy/foaf:name ?madeBy }
  OPTIONAL { ?c lkg:madeTo/foaf:name ?madeTo }
  OPTIONAL { ?c lkg:madeOn ?madeOn }
  OPTIONAL { ?c lkg:deadline ?deadline }
  OPTIONAL { ?c lkg:madeDuring/dcterms:title ?debate }
  OPTIONAL { ?c lkg:status ?st . BIND (REPLACE(STR(?st), "^.*/", "") AS ?status) }
}
ORDER BY ?c
"""
_BOARD_MOTIONS = """
SELECT ?m ?motionId ?title ?asks WHERE {
  ?m a lkg:Motion ; dcterms:identifier ?motionId .
  OPTIONAL { ?m dcterms:title ?title }
  OPTIONAL { ?m lkg:asks ?asks }
}
ORDER BY ?motionId
"""
_BOARD_SUBMITTERS = """
SELECT ?m ?name ?party WHERE {
  ?m a lkg:Motion ; lkg:submittedBy ?s . ?s foaf:name ?name .
  OPTIONAL { ?s lkg:party/skos:prefLabel ?party }
}
ORDER BY ?m ?name
"""
_BOARD_RESPONSES = """
SELECT ?r ?target ?kind ?appreciation WHERE {
  { ?r lkg:respondsTo ?target .
    OPTIONAL { ?r lkg:answerKind ?k . BIND (REPLACE(STR(?k), "^.*/", "") AS ?kind) } }
  UNION
  { ?r lkg:appreciationOf ?target ; lkg:appreciation ?ap .
    BIND (REPLACE(STR(?ap), "^.*/", "") AS ?appreciation) }
}
ORDER BY ?target ?r
"""
_BOARD_ANCHORS = """
SELECT ?x ?docId ?start ?end ?quote WHERE {
  VALUES ?type { lkg:Commitment lkg:CommitmentResponse lkg:MotionAppreciation }
  ?x a ?type ; oa:hasSource ?doc ; oa:hasSelector ?pos , ?q .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?q a oa:TextQuoteSelector ; oa:exact ?quote .
  ?doc lkg:documentId ?docId .
}
"""

_DOC_CITATION_COUNTS = """
SELECT ?id (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?doc a lkg:Document ; lkg:documentId ?id . ?c a cito:Citation ; oa:hasSource ?doc .
}
GROUP BY ?id
"""


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


class Page:
    """What every template gets: language, labels, words and link helpers."""

    def __init__(self, request: Request, lang: str, labels: Labels) -> None:
        self.request = request
        self.lang = lang
        self.L = labels
        self.t = UI[lang]

    def href(self, path: str, fragment: str = "", **params: Any) -> str:
        """A link within the pages, keeping the language."""
        values = {k: str(v) for k, v in params.items() if v is not None}
        if self.lang != DEFAULT_LANG:
            values["lang"] = self.lang
        url = path + ("?" + urlencode(values) if values else "")
        return url + (f"#{fragment}" if fragment else "")

    def lang_href(self, lang: str) -> str:
        url = self.request.url.include_query_params(lang=lang)
        return f"{url.path}?{url.query}"

    def doc_href(self, document_id: str, start: int | None = None, end: int | None = None) -> str:
        path = "/pages/documents/" + quote(document_id, safe="")
        if start is None or end is None:
            return self.href(path)
        return self.href(path, fragment="hl", hl=f"{start}-{end}")

    def instrument_href(self, cid: str) -> str:
        return self.href("/pages/instruments/" + quote(cid, safe=":"))

    def network_href(self, iri: str, svg: bool = False) -> str:
        return self.href("/pages/network.svg" if svg else "/pages/network", iri=iri)

    def date(self, value: str | None) -> str:
        return format_date(value, self.lang)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = _env.get_template(template).render(page=self, **context)
        return HTMLResponse(body, status_code=status, headers=page_headers())


def page_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }


def check_lang(value: str | None) -> str:
    if value is None or value == "":
        return DEFAULT_LANG
    if value not in LANGS:
        raise LexgraphError(
            f"unknown language {value!r}: use lang=nl or lang=en", code="invalid_parameter"
        )
    return value


LangQuery = Annotated[str | None, Query(description="page language: nl (default) or en")]


async def _page(
    request: Request,
    store_dep: Callable[[], GraphStore],
    lang_value: str | None,
    build: Callable[[Page, GraphStore], Awaitable[Response]],
) -> Response:
    """Run a page builder; a :class:`LexgraphError` becomes an HTML error page."""
    lang = DEFAULT_LANG
    labels = Labels(lang)
    try:
        lang = check_lang(lang_value)
        labels = Labels(lang)
        store = store_dep()
        labels = await load_labels(store, lang)
        return await build(Page(request, lang, labels), store)
    except LexgraphError as exc:
        page = Page(request, lang, labels)
        response = page.render("error.html", status=exc.status, error=exc)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response


def _store(request: Request) -> Callable[[], GraphStore]:
    from lexgraph.api.deps import get_store

    return lambda: get_store(request)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# --------------------------------------------------------------------------------------------
# Data shared by several pages
# --------------------------------------------------------------------------------------------


async def documents_by_id(store: GraphStore) -> dict[str, dict[str, str]]:
    """documentId -> title, date, type, reference (the REST list's query)."""
    rows = await select(store, DOCUMENT_LIST)
    return {r["id"]: r for r in rows}


async def instrument_names(store: GraphStore, lang: str) -> dict[str, str]:
    """Instrument IRI -> its name in ``lang`` (else in the other language, else its title)."""
    ranked: dict[str, tuple[int, str]] = {}
    order = {lang: 0, **{other: 1 for other in LANGS if other != lang}, "": 2}
    for row in await select(store, _NAMES):
        rank = order.get(row.get("lang", ""), 3)
        current = ranked.get(row["i"])
        if current is None or rank < current[0]:
            ranked[row["i"]] = (rank, row["name"])
    return {iri: name for iri, (_, name) in ranked.items()}


def _queries(request: Request) -> Any:
    return load_queries(_settings(request).queries_dir)


async def named(
    request: Request, store: GraphStore, name: str, **params: str
) -> list[dict[str, str]]:
    """Rows of a named query (``queries/*.rq``), values as plain strings."""
    queries = _queries(request)
    result = await run_in_threadpool(run_query, store, queries, name, params)
    return [
        {k: v["value"] for k, v in row.items()}
        for row in result.get("results", {}).get("bindings", [])
    ]


# --------------------------------------------------------------------------------------------
# Board
# --------------------------------------------------------------------------------------------


async def board_items(store: GraphStore) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Commitments and motions in the shape of :mod:`lexgraph.policy.views` (key, who/when,
    status, evidence; answers, appreciations and follow-ups with their passages)."""
    anchors: dict[str, dict[str, Any]] = {}
    for row in await select(store, _BOARD_ANCHORS):
        anchors.setdefault(
            row["x"],
            {
                "documentId": row["docId"],
                "start": as_int(row["start"]),
                "end": as_int(row["end"]),
                "quote": row["quote"],
            },
        )
    responses: dict[str, list[dict[str, str]]] = {}
    for row in await select(store, _BOARD_RESPONSES):
        responses.setdefault(row["target"], []).append(row)
    found_c: list[dict[str, Any]] = []
    for row in await select(store, _BOARD_COMMITMENTS):
        if any(item["iri"] == row["c"] for item in found_c):
            continue
        answers: list[dict[str, Any]] = [
            {"iri": r["r"], "answerKind": r.get("kind"), "passage": anchors.get(r["r"])}
            for r in responses.get(row["c"], [])
            if "appreciation" not in r
        ]
        found_c.append(
            {
                "key": commitment_key(row["c"]),
                "iri": row["c"],
                **{k: row.get(k) for k in ("text", "madeBy", "madeTo", "madeOn", "deadline")},
                "debate": row.get("debate"),
                "status": row.get("status"),
                "evidence": anchors.get(row["c"]),
                "answers": sorted(
                    answers, key=lambda a: (a["passage"] or {}).get("documentId") or ""
                ),
            }
        )
    submitters: dict[str, list[dict[str, str | None]]] = {}
    for row in await select(store, _BOARD_SUBMITTERS):
        entry = {"name": row["name"], "party": row.get("party")}
        if entry not in submitters.setdefault(row["m"], []):
            submitters[row["m"]].append(entry)
    found_m: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in await select(store, _BOARD_MOTIONS):
        if row["m"] in seen:
            continue
        seen.add(row["m"])
        replies = responses.get(row["m"], [])
        found_m.append(
            {
                "key": motion_key(row["motionId"]),
                "iri": row["m"],
                "motionId": row["motionId"],
                "title": row.get("title"),
                "asks": row.get("asks"),
                "submitters": submitters.get(row["m"], []),
                "appreciations": [
                    {
                        "iri": r["r"],
                        "appreciation": r["appreciation"],
                        "passage": anchors.get(r["r"]),
                    }
                    for r in replies
                    if "appreciation" in r
                ],
                "followUps": [
                    {"iri": r["r"], "answerKind": r.get("kind"), "passage": anchors.get(r["r"])}
                    for r in replies
                    if "appreciation" not in r
                ],
            }
        )
    return found_c, found_m


@router.get("/", response_class=HTMLResponse)
async def board_page(request: Request, lang: LangQuery = None) -> Response:
    async def build(page: Page, store: GraphStore) -> Response:
        docs = await documents_by_id(store)
        items_c, items_m = await board_items(store)
        names = await instrument_names(store, page.lang)
        return page.render(
            "board.html",
            commitments=items_c,
            motions=items_m,
            docs=docs,
            names=names,
        )

    return await _page(request, _store(request), lang, build)


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------


@router.get("/pages/documents", response_class=HTMLResponse)
async def documents_page(request: Request, lang: LangQuery = None) -> Response:
    async def build(page: Page, store: GraphStore) -> Response:
        rows = await select(store, DOCUMENT_LIST)
        counted = await select(store, _DOC_CITATION_COUNTS)
        counts = {r["id"]: as_int(r.get("n")) or 0 for r in counted}
        return page.render("documents.html", documents=rows, counts=counts)

    return await _page(request, _store(request), lang, build)


def _check_hl(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    m = _HL.fullmatch(value)
    if not m or int(m[1]) >= int(m[2]):
        raise LexgraphError(
            f"invalid hl {value!r}: expected START-END character offsets, START < END",
            code="invalid_parameter",
        )
    return int(m[1]), int(m[2])


@router.get("/pages/documents/{document_id}", response_class=HTMLResponse)
async def document_page(
    request: Request,
    document_id: str,
    lang: LangQuery = None,
    hl: Annotated[str | None, Query(description="START-END: a passage to highlight")] = None,
) -> Response:
    async def build(page: Page, store: GraphStore) -> Response:
        from rdflib import URIRef

        highlight = _check_hl(hl)
        doc = await load_document(store, check_document_id(document_id))
        bindings = {"doc": URIRef(doc.iri)}
        marks = await select(store, _MARKS, bindings)
        grounds = await select(store, _GROUNDS, bindings)
        names = await instrument_names(store, page.lang)
        docs = await documents_by_id(store)
        text = doc.text or ""
        if highlight and highlight[1] > len(text):
            highlight = None  # a passage of another version of the text: nothing to show
        spans, toc = _document_spans(page, doc.citations, marks, highlight, len(text))
        points: dict[str, list[dict[str, str]]] = {}
        for g in grounds:
            if g.get("parent") and not g.get("pin"):
                g["pin"] = pinpoint_of(g["ground"])
            points.setdefault(g["point"], []).append(g)
        cited: dict[str, dict[str, Any]] = {}
        for c in doc.citations:
            if c.citedId:
                entry = cited.setdefault(
                    c.citedId, {"cid": c.citedId, "iri": c.citedEntity, "count": 0}
                )
                entry["count"] += 1
        return page.render(
            "document.html",
            doc=doc,
            body=mark_up(text, spans),
            toc=toc,
            grounds=points,
            cited=sorted(cited.values(), key=lambda e: (-e["count"], e["cid"])),
            names=names,
            highlight=highlight,
            network=await _network(page, store, doc.iri, NodeNamer(page, docs, names)),
        )

    return await _page(request, _store(request), lang, build)


_MARK_RANK = {
    "point": 0,
    "question": 1,
    "answer": 1,
    "commitment": 2,
    "response": 2,
    "appreciation": 2,
    "statement": 3,
}


def _document_spans(
    page: Page,
    citations: list[Any],
    marks: list[dict[str, str]],
    highlight: tuple[int, int] | None,
    length: int,
) -> tuple[list[Span], list[dict[str, Any]]]:
    """Spans for the text (citations as links, marks as labelled spans) and the table of
    contents (policy points and questions/answers, in text order)."""
    t, L = page.t, page.L
    names = {
        "point": t["point_n"],
        "question": t["question_n"],
        "answer": t["answer_n"],
        "commitment": L.cap("lkg:Commitment"),
        "response": L.cap("lkg:CommitmentResponse"),
        "appreciation": L.cap("lkg:MotionAppreciation"),
        "statement": L.cap("lkg:EndDateStatement"),
    }
    spans: list[Span] = []
    toc: list[dict[str, Any]] = []
    used: set[str] = set()
    for m in marks:
        start, end = as_int(m.get("start")), as_int(m.get("end"))
        if start is None or end is None:
            continue
        kind, label = m["kind"], m.get("label", "")
        slug = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower()
        anchor = f"{kind}-{slug}" if slug else f"{kind}-{start}"
        while anchor in used:
            anchor += "-2"
        used.add(anchor)
        title = f"{names[kind]} {label}".strip()
        spans.append(
            Span(
                start,
                end,
                "span",
                (("class", f"mark mark-{kind}"), ("data-label", title)),
                (("id", anchor),),
                rank=_MARK_RANK[kind],
            )
        )
        if kind in ("point", "question", "answer"):
            toc.append(
                {
                    "kind": kind,
                    "label": label,
                    "title": title,
                    "anchor": anchor,
                    "iri": m["x"],
                    "start": start,
                }
            )
    pos = 0
    for c in sorted(citations, key=lambda c: (c.start, -c.end)):
        if c.start < pos or c.end > length or c.start >= c.end:
            continue  # overlapping citations keep the first, longest: links cannot nest
        pos = c.end
        hint = " ".join(x for x in (c.citedId, c.pinpoint) if x)
        if c.citedId:
            attrs: tuple[tuple[str, str], ...] = (
                ("class", "cite"),
                ("href", page.instrument_href(c.citedId)),
                ("title", hint),
                ("data-cid", c.citedId),
            )
            spans.append(Span(c.start, c.end, "a", attrs, rank=9))
        else:
            spans.append(Span(c.start, c.end, "span", (("class", "cite unresolved"),), rank=9))
    if highlight and highlight[1] <= length:
        spans.append(
            Span(
                highlight[0],
                highlight[1],
                "mark",
                (("class", "target"),),
                (("id", "hl"), ("tabindex", "-1")),
                rank=5,
            )
        )
    return spans, toc


# --------------------------------------------------------------------------------------------
# Instruments
# --------------------------------------------------------------------------------------------


@router.get("/pages/instruments", response_class=HTMLResponse)
async def instruments_page(request: Request, lang: LangQuery = None) -> Response:
    async def build(page: Page, store: GraphStore) -> Response:
        rows = await select(store, _INSTRUMENTS)
        names = await instrument_names(store, page.lang)
        return page.render("instruments.html", instruments=rows, names=names)

    return await _page(request, _store(request), lang, build)


@router.get("/pages/instruments/{cid:path}", response_class=HTMLResponse)
async def instrument_page(request: Request, cid: str, lang: LangQuery = None) -> Response:
    async def build(page: Page, store: GraphStore) -> Response:
        check_instrument_id(cid)
        instrument = await get_instrument(cid, store)
        names = await instrument_names(store, page.lang)
        docs = await documents_by_id(store)
        namer = NodeNamer(page, docs, names)
        citing = await named(request, store, "citations-of", id=cid)
        return page.render(
            "instrument.html",
            inst=instrument,
            name=names.get(instrument.iri) or cid,
            names=names,
            docs=docs,
            citing=citing,
            impact=await _impact(page, store, cid, namer),
            network=await _network(page, store, instrument.iri, namer),
        )

    return await _page(request, _store(request), lang, build)


_KIND_TERMS = {
    "document": "lkg:Document",
    "instrument": "lkg:LegalInstrument",
    "provision": "lkg:Provision",
    "policy_point": "lkg:PolicyPoint",
    "commitment": "lkg:Commitment",
    "motion": "lkg:Motion",
    "passage": "lkg:Passage",
}


class NodeNamer:
    """Link and name of any node of the citation network, in the page's language."""

    def __init__(self, page: Page, docs: dict[str, dict[str, str]], names: dict[str, str]):
        self.page, self.docs, self.names = page, docs, names

    def kind(self, kind: str) -> str:
        return self.page.L.cap(_KIND_TERMS.get(kind), kind)

    def href(self, iri: str, attrs: dict[str, Any]) -> str | None:
        page, kind = self.page, attrs.get("kind")
        doc_id = attrs.get("document_id")
        if kind == "document" and doc_id:
            return page.doc_href(doc_id)
        if kind in ("instrument", "motion", "provision") and attrs.get("cid"):
            return page.instrument_href(attrs["cid"])
        if kind == "policy_point" and doc_id:
            path = "/pages/documents/" + quote(doc_id, safe="")
            return page.href(path, fragment=f"point-{attrs.get('point', '')}".lower())
        if kind == "commitment" and attrs.get("key"):
            return page.href("/", fragment=f"commitment-{attrs['key']}")
        if kind == "passage" and doc_id:
            offsets = offsets_from_iri(iri)
            return page.doc_href(doc_id, *offsets) if offsets else page.doc_href(doc_id)
        return None

    def label(self, iri: str, attrs: dict[str, Any]) -> str:
        kind, doc_id = attrs.get("kind"), attrs.get("document_id")
        if kind == "document" and doc_id:
            return self.docs.get(doc_id, {}).get("title") or str(attrs.get("label") or doc_id)
        if kind in ("instrument", "motion"):
            return self.names.get(iri) or str(attrs.get("label") or attrs.get("cid") or iri)
        if kind == "provision":
            parent = self.names.get(str(attrs.get("instrument")), "") or str(attrs.get("cid"))
            return f"{attrs.get('pinpoint', '')} {parent}".strip()
        if kind == "policy_point":
            return f"{self.page.t['point_n']} {attrs.get('point', '?')} ({doc_id})"
        if kind == "passage" and doc_id:
            where = f"{attrs.get('start')}–{attrs.get('end')}" if attrs.get("start") else doc_id
            kind_name = self.page.L("passage-kind/" + str(attrs.get("passage_kind") or ""), "")
            return f"{self.page.L.cap('lkg:Passage')} {where} {kind_name}".strip()
        return str(attrs.get("label") or iri)


async def _impact(page: Page, store: GraphStore, cid: str, namer: NodeNamer) -> dict[str, Any]:
    """What depends on the instrument (:func:`lexgraph.analytics.impact_set`), as table rows."""
    from lexgraph.analytics import impact_set

    impact = await run_in_threadpool(impact_set, store, cid)
    rows = []
    for d in impact.dependents:
        attrs: dict[str, Any] = {"kind": d.kind, "document_id": d.document_id, "label": d.label}
        if d.kind == "policy_point":
            attrs["point"] = d.iri.rsplit("/", 1)[-1]
        if d.kind == "commitment":
            attrs["key"] = commitment_key(d.iri)
        if d.kind == "passage":
            offsets = offsets_from_iri(d.iri)
            attrs.update(start=offsets[0] if offsets else "", end=offsets[1] if offsets else "")
            attrs["passage_kind"] = d.label.rsplit("(", 1)[-1].rstrip(")") if "(" in d.label else ""
        if d.kind in ("instrument", "motion", "provision"):
            attrs["cid"] = cid_of(d.label)
        if d.kind == "provision":
            attrs["pinpoint"] = pinpoint_of(d.iri)
            attrs["instrument"] = impact.iri if attrs["cid"] == cid else ""
        rows.append(
            {
                "iri": d.iri,
                "kind_key": d.kind,
                "kind_label": namer.kind(d.kind),
                "label": namer.label(d.iri, attrs),
                "href": namer.href(d.iri, attrs),
                "documentId": d.document_id,
                "depth": d.depth,
                "via_repealed": d.via_repealed,
                "cited_after_end": d.cited_after_end,
            }
        )
    return {
        "repealed": impact.repealed,
        "expired": impact.expired,
        "inactive": impact.inactive,
        "repealed_by": impact.repealed_by,
        "no_longer_in_force": impact.no_longer_in_force,
        "dependents": rows,
        "has_depth": True,
    }


def cid_of(label: str) -> str | None:
    """The CITATIONS.md id at the end of an analytics label ("art. 15(c) celex:32011L0095")."""
    last = label.rsplit(" ", 1)[-1]
    return last if ":" in last else None


async def _network(
    page: Page, store: GraphStore, iri: str, namer: NodeNamer, standalone: bool = False
) -> dict[str, Any] | None:
    """The picture of the node's neighbourhood (two links out), or None for a node the
    citation network does not hold."""
    from lexgraph.analytics import neighbourhood

    try:
        graph = await run_in_threadpool(neighbourhood, store, iri, 2)
    except NotFound:
        return None
    pic = network_picture(graph, iri, namer.href, namer.label)
    centre = next((n for n in pic.nodes if n.centre), None)
    title = centre.title if centre else iri
    svg = _env.get_template("network.svg").render(
        page=page, pic=pic, title=f"{page.t['network']}: {title}", standalone=standalone
    )
    return {
        "svg": Markup(svg),
        "pic": pic,
        "title": title,
        "colours": KIND_COLOURS,
        "kind_labels": {k: namer.kind(k) for k in pic.kinds},
        "back": centre.href if centre else None,
    }


def _check_iri(value: str | None) -> str:
    if not value or len(value) > 2000 or not _IRI.fullmatch(value):
        raise LexgraphError(
            "iri must be an absolute http(s) IRI of a document, instrument, provision, "
            "policy point or commitment",
            code="invalid_parameter",
        )
    return value


@router.get("/pages/network", response_class=HTMLResponse)
async def network_page(
    request: Request,
    iri: Annotated[str | None, Query(description="the IRI at the centre")] = None,
    lang: LangQuery = None,
) -> Response:
    async def build(page: Page, store: GraphStore) -> Response:
        centre = _check_iri(iri)
        names = await instrument_names(store, page.lang)
        namer = NodeNamer(page, await documents_by_id(store), names)
        network = await _network(page, store, centre, namer)
        if network is None:
            raise NotFound(f"no node {centre!r} in the citation network", code="unknown_iri")
        return page.render(
            "network.html",
            network=network,
            iri=centre,
            title=network["title"],
            back=network["back"],
        )

    return await _page(request, _store(request), lang, build)


@router.get("/pages/network.svg")
async def network_svg(
    request: Request,
    iri: Annotated[str | None, Query(description="the IRI at the centre")] = None,
    lang: LangQuery = None,
) -> Response:
    async def build(page: Page, store: GraphStore) -> Response:
        centre = _check_iri(iri)
        names = await instrument_names(store, page.lang)
        namer = NodeNamer(page, await documents_by_id(store), names)
        network = await _network(page, store, centre, namer, standalone=True)
        if network is None:
            raise NotFound(f"no node {centre!r} in the citation network", code="unknown_iri")
        return Response(str(network["svg"]), media_type="image/svg+xml", headers=page_headers())

    return await _page(request, _store(request), lang, build)


# --------------------------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------------------------


@router.get("/pages/timeline", response_class=HTMLResponse)
async def timeline_page(request: Request, lang: LangQuery = None) -> Response:
    async def build(page: Page, store: GraphStore) -> Response:
        from lexgraph.analytics import protection_timeline

        periods = await run_in_threadpool(protection_timeline, store)
        names = await instrument_names(store, page.lang)
        docs = await documents_by_id(store)

        def statement_href(p: Any) -> str | None:
            offsets = offsets_from_iri(p.iri)
            if not p.document:
                return None
            return page.doc_href(p.document, *offsets) if offsets else page.doc_href(p.document)

        def doc_label(doc_id: str | None) -> str:
            if not doc_id:
                return ""
            return docs.get(doc_id, {}).get("title") or doc_id

        def decision_href(cid: str | None) -> str | None:
            return page.instrument_href(cid) if cid else None

        picture = timeline_picture(
            periods,
            decision_href,
            statement_href,
            lambda d: page.date(d.isoformat()),
            doc_label,
        )
        svg = _env.get_template("timeline.svg").render(
            page=page, tl=picture, title=page.t["timeline_title"]
        )
        decision_names = {p.decision_iri: names.get(p.decision_iri or "") for p in periods}
        return page.render(
            "timeline.html",
            periods=periods,
            svg=Markup(svg),
            names=decision_names,
            docs=docs,
            statement_href=statement_href,
        )

    return await _page(request, _store(request), lang, build)
