"""Content negotiation (RFC 9110 ``Accept`` with q-values) and SPARQL query-form detection.

The endpoint must pick a result media type before the query runs, and that depends on the query
form: SELECT/ASK give a result set, CONSTRUCT/DESCRIBE give a graph. The form is read from the
first keyword after the prologue, so no engine sees the query here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lexgraph.errors import LexgraphError

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
RDF_XML = "application/rdf+xml"
HTML = "text/html"

#: Result-set media types, server preference first (the first is the default).
RESULT_TYPES: tuple[str, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
#: Graph media types, server preference first.
GRAPH_TYPES: tuple[str, ...] = (TURTLE, JSON_LD, N_TRIPLES, N_QUADS, RDF_XML)

#: Media types clients send for the same formats (SPARQLWrapper, browsers, older tools).
ALIASES: dict[str, str] = {
    "application/json": SPARQL_JSON,
    "application/sparql-results+json": SPARQL_JSON,
    "application/xml": SPARQL_XML,
    "text/xml": SPARQL_XML,
    "application/x-turtle": TURTLE,
    "text/plain": N_TRIPLES,
}

#: For a graph query, generic JSON/XML mean JSON-LD/RDF-XML rather than SPARQL results.
GRAPH_ALIASES: dict[str, str] = {
    "application/json": JSON_LD,
    "application/xml": RDF_XML,
    "text/xml": RDF_XML,
    "application/x-turtle": TURTLE,
    "text/plain": N_TRIPLES,
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """Specificity of the match (2 exact, 1 ``type/*``, 0 ``*/*``), or -1 for no match."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an ``Accept`` header; malformed ranges are skipped, as browsers do."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges: list[MediaRange] = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        main, slash, sub = fields[0].lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(main, sub, q))
    return ranges or [MediaRange("*", "*", 1.0)]


def _quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    best_spec, best_q = -1, 0.0
    for r in ranges:
        spec = r.matches(media_type)
        if spec > best_spec:
            best_spec, best_q = spec, r.q
    return best_q if best_spec >= 0 else 0.0


def choose(
    accept: str | None, offered: Sequence[str], aliases: dict[str, str] | None = None
) -> str | None:
    """The offered media type the client prefers most (ties go to server order), or None.

    >>> choose("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
    'application/sparql-results+xml'
    >>> choose("application/json", RESULT_TYPES, ALIASES)
    'application/sparql-results+json'
    >>> choose("text/turtle", RESULT_TYPES) is None
    True
    """
    ranges = parse_accept(accept)
    scores: dict[str, float] = {m: _quality(ranges, m) for m in offered}
    for alias, target in (aliases or {}).items():
        if target in scores:
            exact = [r.q for r in ranges if r.matches(alias) == 2]
            if exact:
                scores[target] = max(scores[target], max(exact))
    best = max(offered, key=lambda m: (scores[m], -offered.index(m)))
    return best if scores[best] > 0 else None


def negotiate(accept: str | None, offered: Sequence[str], aliases: dict[str, str]) -> str:
    """Like :func:`choose`, but 406 when nothing offered is acceptable."""
    chosen = choose(accept, offered, aliases)
    if chosen is None:
        raise LexgraphError(
            f"cannot serve any of the accepted media types; available: {', '.join(offered)}",
            code="not_acceptable",
            status=406,
        )
    return chosen


_PROLOGUE = re.compile(
    r"""\s+                                   # whitespace
      | \#[^\n\r]*                            # comment
      | (?i:PREFIX)\s*[A-Za-z0-9_.\-\u00C0-\uFFFF]*:\s*<[^<>\s]*>   # PREFIX p: <iri>
      | (?i:BASE)\s*<[^<>\s]*>                # BASE <iri>
    """,
    re.VERBOSE,
)
_KEYWORD = re.compile(r"[A-Za-z]+")

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


def query_form(query: str) -> str | None:
    """The first keyword after the prologue, upper-cased (``SELECT``, ``INSERT``…), or None.

    >>> query_form("PREFIX ex: <http://e/#> # a comment\\nconstruct { ?s ?p ?o } WHERE {}")
    'CONSTRUCT'
    >>> query_form("BASE <http://e/> ASK {}")
    'ASK'
    """
    pos = 0
    while True:
        m = _PROLOGUE.match(query, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    kw = _KEYWORD.match(query, pos)
    return kw.group(0).upper() if kw else None


def result_media_type(query: str, accept: str | None) -> str:
    """Media type for the answer to ``query``: result-set types for SELECT/ASK, RDF otherwise.

    Update forms and unparsable text get the result-set default; the query guard refuses them.
    """
    form = query_form(query)
    if form in ("CONSTRUCT", "DESCRIBE"):
        return negotiate(accept, GRAPH_TYPES, GRAPH_ALIASES)
    if form in ("SELECT", "ASK"):
        return negotiate(accept, RESULT_TYPES, ALIASES)
    return choose(accept, RESULT_TYPES, ALIASES) or SPARQL_JSON
