"""SPARQL 1.1 result-set writers (JSON, XML, CSV, TSV) for an explicit list of rows.

Why not pyoxigraph's own serializer: it consumes the whole solution iterator, so a result
cannot be cut at the row cap or the byte cap. The worker takes at most ``cap + 1`` rows and
writes them here; the output follows the W3C formats (and, term for term, pyoxigraph's).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"

Row = Sequence[Any | None]


def _kind(term: Any) -> str:
    name = type(term).__name__
    return {"NamedNode": "uri", "BlankNode": "bnode", "Literal": "literal", "Triple": "triple"}[
        name
    ]


def _direction(term: Any) -> str | None:
    direction = getattr(term, "direction", None)
    if direction is None:
        return None
    text = str(direction).lower()
    return "rtl" if "rtl" in text else "ltr"


def _json_term(term: Any) -> dict[str, Any]:
    kind = _kind(term)
    if kind == "triple":
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    out: dict[str, Any] = {"type": kind, "value": term.value}
    if kind == "literal":
        if term.language:
            out["xml:lang"] = term.language
            direction = _direction(term)
            if direction:
                out["its:dir"] = direction
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
    return out


def write_json(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    bindings = [
        {
            var: _json_term(value)
            for var, value in zip(variables, row, strict=True)
            if value is not None
        }
        for row in rows
    ]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term: Any) -> str:
    kind = _kind(term)
    if kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    if kind == "triple":
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
        direction = _direction(term)
        if direction:
            attrs += f" its:dir={quoteattr(direction)}"
    elif term.datatype.value != XSD_STRING:
        attrs = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attrs}>{escape(term.value, {chr(34): '&quot;'})}</literal>"


def write_xml(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    parts = [
        '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>',
        *(f"<variable name={quoteattr(v)}/>" for v in variables),
        "</head><results>",
    ]
    for row in rows:
        parts.append("<result>")
        for var, value in zip(variables, row, strict=True):
            if value is not None:
                parts.append(f"<binding name={quoteattr(var)}>{_xml_term(value)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>")
    return "".join(parts).encode("utf-8")


def _csv_value(term: Any) -> str:
    kind = _kind(term)
    if kind == "bnode":
        return "_:" + term.value
    if kind == "triple":
        return " ".join(_csv_value(t) for t in (term.subject, term.predicate, term.object))
    return str(term.value)


def _csv_field(text: str) -> str:
    if any(c in text for c in '",\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    lines = [",".join(_csv_field(v) for v in variables)]
    for row in rows:
        lines.append(",".join("" if v is None else _csv_field(_csv_value(v)) for v in row))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _tsv_value(term: Any) -> str:
    # N-Triples syntax (what pyoxigraph's str() gives); tabs and newlines must not survive raw.
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_tsv(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    for row in rows:
        lines.append("\t".join("" if v is None else _tsv_value(v) for v in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {
    "application/sparql-results+json": write_json,
    "application/sparql-results+xml": write_xml,
    "text/csv": write_csv,
    "text/tab-separated-values": write_tsv,
}


def write_results(media_type: str, variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """Serialise a SELECT result; ``media_type`` must be one of :data:`WRITERS`."""
    return WRITERS[media_type](variables, rows)


def json_document(doc: Any) -> bytes:
    """A SPARQL JSON results document (or part of one) as bytes, as pyoxigraph writes it
    (compact, UTF-8, only the characters JSON requires escaped) and as the API's JSON responses
    are written."""
    return json.dumps(
        doc, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def drop_columns(doc: Mapping[str, Any], hidden: Collection[str]) -> dict[str, Any]:
    """A parsed SELECT result without the columns in ``hidden`` (head and every row)."""
    if "boolean" in doc or not hidden:
        return dict(doc)
    variables = [v for v in doc.get("head", {}).get("vars", []) if v not in hidden]
    rows = [
        {var: term for var, term in row.items() if var not in hidden}
        for row in doc.get("results", {}).get("bindings", [])
    ]
    return {"head": {"vars": variables}, "results": {"bindings": rows}}


_BINDINGS = b'},"results":{"bindings":['


def drop_bound_columns(
    body: bytes, variables: Sequence[str], bound: Mapping[str, Any]
) -> bytes | None:
    """SPARQL JSON results ``body`` (as :func:`json_document` writes them) without the columns in
    ``bound``, each of which holds the same term in every row: the parameters a named query was
    run with. None when ``body`` is not in the expected shape (the caller then parses it).

    Why bytes: parsing a result of hundreds of rows into Python objects and writing it again
    costs more than evaluating many queries. A bound column is one member written identically in
    every row, ``"var":{"type":...}``, so it is cut out of the bytes. That is exact: in the
    written JSON every ``"`` inside a string follows a backslash, so ``,"var":{"`` or
    ``{"var":{"`` never starts inside a string; and no ``"var":`` key may be left afterwards
    (a row holding another term there, or none, makes the result None).
    """
    kept = [v for v in variables if v not in bound]
    head = b'{"head":{"vars":' + json_document(list(variables))
    if not body.startswith(head + _BINDINGS) or not set(bound) <= set(variables):
        return None
    out = b'{"head":{"vars":' + json_document(kept) + body[len(head) :]
    for var, term in bound.items():
        key = json_document(var)
        member = key + b":" + json_document(_json_term(term))
        out = out.replace(b"," + member, b"")
        out = out.replace(b"{" + member + b",", b"{").replace(b"{" + member + b"}", b"{}")
        if key + b":" in out:
            return None
    return out


def estimate_size(row: Row) -> int:
    """A cheap upper-ish estimate of one row's serialised size, for the byte cap."""
    size = 16
    for value in row:
        if value is not None:
            size += len(getattr(value, "value", "") or "") + 64
    return size
