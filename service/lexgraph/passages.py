"""Passages: the citable pieces of a document, with offsets into its original text.

A text is cut into blocks at blank lines, blocks into segments at lines that start a footnote
("2  Kamerstukken II, …", "⁷ Richtlijn 2013/32/EU."), a list item ("- a.", "•", "1.", "(b)")
or a table row; a one-line block with a section number ("4.1 Voorgesteld landenbeleid",
"Ad a) …") is a heading and opens a section that runs to the next heading of the same or a
higher level. Blocks repeated verbatim (running headers such as the "Onze referentie" box)
and page markers are page furniture. Offsets are trimmed of surrounding whitespace, so
``text[start:end]`` is always the passage's text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rdflib import URIRef

from lexgraph import iris

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# "2  Kamerstukken II, …", "¹ Richtlijn 2011/95/EU", "⁶ Stand van zaken…": 1–2 digits and no
# dot; after plain digits the note starts with a capital or a quote, which keeps "4 maart 2026"
# and "26 van het Internationaal verdrag" (wrapped lines) out.
_FOOTNOTE = re.compile(
    r"^[ \t]*(?:([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})[ \t]*(?=\S)|([0-9]{1,2})[ \t]+(?=[A-Z«\"'(]))"
)
# "- a. Een beleid", "• Terugkeer", "1. Heeft het ministerie", "(a) Heeft", "- 1) Ik verzoek"
_LIST = re.compile(
    r"^[ \t]*(?:[-•*][ \t]+)?(?:\(([a-z0-9]{1,2})\)|([a-z0-9]{1,2})[.)])[ \t]+(?=\S)"
    r"|^[ \t]*([-•*])[ \t]+(?=\S)"
)
# "1. Aanleiding", "4.1 Voorgesteld landenbeleid", "4.2. Politieke context", "A. Vragen …"
_HEADING = re.compile(r"^(?:\*\*)?((?:\d{1,2}\.)*\d{1,2}\.?|[A-Z]\.)[ \t]+\S")
_AD = re.compile(r"^Ad ([a-z])\)")
_TABLE_ROW = re.compile(r"\t.*\t")
_PAGE = re.compile(r"^Pagina \d+ van \d+$")


@dataclass(frozen=True)
class Passage:
    """One passage: its span, kind, label (number or marker), order and parent section."""

    start: int
    end: int
    kind: str
    label: str | None
    order: int
    parent: int | None
    document_id: str

    @property
    def iri(self) -> URIRef:
        return iris.passage_iri(self.document_id, self.start, self.end)


@dataclass
class _Seg:
    start: int
    end: int
    kind: str
    label: str | None = None
    lines: int = 1


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _line_kind(line: str) -> tuple[str | None, str | None]:
    if _TABLE_ROW.search(line):
        return "table", None
    m = _FOOTNOTE.match(line)
    if m:
        return "footnote", (m[1] or m[2]).translate(SUPERSCRIPTS)
    m = _LIST.match(line)
    if m:
        return "list-item", m[1] or m[2] or None
    return None, None


def _segments(text: str) -> list[_Seg]:
    segs: list[_Seg] = []
    current: _Seg | None = None
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            current = None
            continue
        kind, label = _line_kind(line)
        stripped = line.lstrip()
        # A footnote goes on only on an unindented lower-case line (a wrapped URL or title);
        # an indented line after it is body text resuming after a page break.
        continues = current is not None and (
            (
                kind is None
                and (current.kind != "footnote" or (stripped[:1].islower() and line[:1] != " "))
            )
            or (kind == "table" and current.kind == "table")
        )
        if continues and current is not None:
            current.end = end
            current.lines += 1
            continue
        current = _Seg(start, end, kind or "paragraph", label)
        segs.append(current)
    return segs


def _heading_label(line: str) -> tuple[str, int] | None:
    """The section number and its level, for a heading line."""
    m = _AD.match(line)
    if m:
        return f"Ad {m[1]}", 9
    m = _HEADING.match(line)
    if not m:
        return None
    label = m[1].rstrip(".")
    return label, (1 if label[0].isalpha() else label.count(".") + 1)


def segment(text: str, document_id: str) -> list[Passage]:
    """The passages of ``text`` in document order; deterministic for the same text."""
    segs = [s for s in _segments(text) if _trim(text, s.start, s.end)[0] < s.end]
    for s in segs:
        s.start, s.end = _trim(text, s.start, s.end)
    blocks = Counter(" ".join(text[s.start : s.end].split()) for s in segs if s.lines > 1)
    headings: list[tuple[_Seg, str, int]] = []
    for s in segs:
        body = text[s.start : s.end]
        flat = " ".join(body.split())
        repeated = s.lines > 1 and blocks[flat] > 1 and len(flat) < 300
        if _PAGE.match(flat) or (repeated and not flat.endswith((".", "?", ":"))):
            s.kind = "page-furniture"
        elif s.kind in ("paragraph", "list-item") and s.lines == 1 and len(flat) < 140:
            found = _heading_label(flat)
            short = s.kind == "paragraph" or len(flat) < 60
            if found and short and not flat.endswith((",", ";", ":", ".", "?")):
                s.kind, s.label = "heading", found[0]
                headings.append((s, found[0], found[1]))
    sections: list[_Seg] = []
    for i, (head, label, level) in enumerate(headings):
        end = len(text)
        for nxt, _, nlevel in headings[i + 1 :]:
            if nlevel <= level:
                end = nxt.start
                break
        last = max((s.end for s in segs if head.start <= s.start < end), default=head.end)
        if last > head.end:
            sections.append(_Seg(head.start, last, "section", label))
    ordered = sorted([*sections, *segs], key=lambda s: (s.start, -s.end, s.kind != "section"))
    result: list[Passage] = []
    open_sections: list[tuple[int, int]] = []  # (end, index) of enclosing sections
    for s in ordered:
        while open_sections and open_sections[-1][0] < s.end:
            open_sections.pop()
        parent = open_sections[-1][1] if open_sections else None
        result.append(Passage(s.start, s.end, s.kind, s.label, len(result), parent, document_id))
        if s.kind == "section":
            open_sections.append((s.end, len(result) - 1))
    return result


def innermost(passages: list[Passage], start: int, end: int) -> Passage | None:
    """The smallest passage that contains the span, preferring non-section passages."""
    best: Passage | None = None
    for p in passages:
        if (
            p.start <= start
            and end <= p.end
            and (best is None or p.end - p.start < best.end - best.start)
        ):
            best = p
    return best
