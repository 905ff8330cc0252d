"""Citation extractor: find → resolve → annotate.

>>> found = extract("Zie artikel 15, onder c, van de Kwalificatierichtlijn.")
>>> [(c.text, c.id, c.pinpoint) for c in found]
[('artikel 15, onder c, van de Kwalificatierichtlijn', 'celex:32011L0095', 'art. 15(c)')]
"""

from __future__ import annotations

import bisect
import operator
import re
from pathlib import Path
from typing import Any

from lexgraph.extract import pinpoints
from lexgraph.extract.find import (
    _END,
    SPAN,
    VC_PARAGRAPH_AFTER,
    VC_PARAGRAPH_BEFORE,
    Candidate,
    Occupied,
    art_15c,
    find,
    new_candidate,
    with_definition,
)
from lexgraph.extract.footnotes import footnotes, markers
from lexgraph.extract.model import CITATION_TYPES, Citation, citation

EXTRACTOR_NAME = "lexgraph-extract"
EXTRACTOR_VERSION = "1.0.0"

#: Types whose citations can carry an article pinpoint.
PINPOINTED = frozenset(("eu-act", "nl-act", "nl-regulation", "nl-policy-rule", "treaty"))
VC_ID = "bwb:BWBR0012289"
QUALIFICATION_DIRECTIVE = "celex:32011L0095"
_AND_ARTICLE = re.compile(rf"^\s+en\s+({pinpoints.ONE}),?\s+(?:van\s+(?:de|het)\s+)?$")


def default_register() -> Any | None:
    """The register of the project's data folder, or None when there is none."""
    from lexgraph.register import default_path, load_register

    path: Path = default_path()
    return load_register(path) if path.exists() else None


def _definitions(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Bracketed abbreviations join their citation and resolve later bare occurrences."""
    out: list[Candidate] = []
    swallowed: set[int] = set()  # the abbreviation inside the brackets joins the citation
    last = len(cands) - 1
    for i, c in enumerate(cands):
        if i in swallowed:
            continue
        # with_definition's first test without the call: "(" after white space (\s*\()
        after = text[c.end : c.end + 2]
        if after[:1] == "(" or (after[:1].isspace() and (after[1:] == "(" or after[1:].isspace())):
            ext = with_definition(text, c)
        else:
            ext = c
        if i == last or cands[i + 1].start >= ext.end:
            out.append(ext)  # nothing starts inside: the common case, without the scan below
            continue
        inside = []
        for j in range(i + 1, len(cands)):  # candidates are sorted by start
            if cands[j].start >= ext.end:
                break
            inside.append(j)
        if all(cands[j].end <= ext.end for j in inside):
            swallowed.update(inside)
            out.append(ext)
        else:
            out.append(c)
    taken = Occupied.of_sorted(out)
    extra: list[Candidate] = []
    seen: set[str] = set()
    for c in out:
        if not c.defines or c.defines in seen:
            continue  # an abbreviation defined again means the same: scan for it once
        seen.add(c.defines)
        # literal-led (fast); the word start is checked in code
        pattern = re.compile(rf"{re.escape(c.defines)}(?![A-Za-zÀ-ÿ0-9_]|-[A-Za-z])")
        # the occurrences of one abbreviation do not overlap each other, so each is tested
        # against the spans taken before this abbreviation and all join them at the end
        found = []
        overlaps = taken.overlaps
        for m in pattern.finditer(text, c.end):
            start, end = m.span()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_-"):
                continue
            if not overlaps(start, end):
                found.append((start, end))
        taken.add_sorted(found)
        extra += [new_candidate((start, end, c.type, c.id, None, 1, None)) for start, end in found]
    return sorted(out + extra, key=SPAN) if extra else out


def _pinpoints(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Extend citations backwards over the article phrase that precedes them."""
    out: list[Candidate] = []
    prev_end = 0
    for c in cands:
        if c.type in PINPOINTED:
            window_start = max(prev_end, c.start - 250)
            # both phrases end in white space right before the citation (``\s+$``) and the
            # article phrase always has "artikel(en)" or "art.": skip the costly searches
            # without them
            if window_start < c.start and text[c.start - 1].isspace():
                before = text[window_start : c.start]
                m = pinpoints.leading_phrase(before) if "rt" in before else None
                if m:
                    pin = pinpoints.normalise(m[1], dotted_article=c.type.startswith("nl-"))
                    start = window_start + m.start()
                    c = new_candidate((start, c.end, c.type, c.id, pin, c.priority, c.defines))
                elif out and out[-1].pinpoint:
                    m = _AND_ARTICLE.match(before)
                    if m:
                        start = window_start + m.start(1)
                        c = c._replace(start=start, pinpoint=pinpoints.normalise(m[1]))
            if c.id == VC_ID and not c.pinpoint:
                after = VC_PARAGRAPH_AFTER.match(text, c.end)
                before_vc = VC_PARAGRAPH_BEFORE.search(text[window_start : c.start])
                if after:
                    c = c._replace(end=after.end(), pinpoint=after["p"])
                elif before_vc:
                    c = c._replace(start=window_start + before_vc.start(), pinpoint=before_vc["p"])
        out.append(c)
        prev_end = c.end
    taken = Occupied.of_sorted(out)
    for hit in art_15c(text):
        start = hit.start() - 1
        if start < 0 or text[start] not in "Aa" or (start and text[start - 1].isalnum()):
            continue
        if not taken.overlaps(start, hit.end()):
            out.append(Candidate(start, hit.end(), "eu-act", QUALIFICATION_DIRECTIVE, "art. 15(c)"))
    return sorted(out, key=SPAN)


def _footnote_links(
    text: str, cands: list[Candidate]
) -> tuple[list[Candidate], dict[int, tuple[tuple[int, int], ...]]]:
    """Markers of each footnote citation, and motions identified through their footnote."""
    notes = footnotes(text)
    marks = markers(text, notes)
    bound: dict[int, tuple[tuple[int, int], ...]] = {}
    note_kst: dict[str, str] = {}
    if notes:
        # a citation stands in the note that starts last at or before it, when it ends within
        # the note's line; notes are in text order and do not overlap, and citations are in
        # text order: the citations of a note are the run that starts within its line
        starts = [c.start for c in cands]
        for note in notes:
            i = bisect.bisect_left(starts, note.start)
            while i < len(cands) and starts[i] <= note.end:
                c = cands[i]
                if c.end <= note.end:
                    bound[i] = tuple(marks.get(note.number, ()))
                    if c.type == "kamerstuk":
                        note_kst.setdefault(note.number, c.id)
                i += 1
    motion_ids: dict[str, str] = {}
    if note_kst:
        marker_at = {s: number for number, spans in marks.items() for s, _ in spans}
        for c in cands:
            number = marker_at.get(c.end) if c.type == "motion" else None
            if number is not None and number in note_kst:
                motion_ids[c.id] = note_kst[number]
    if motion_ids:
        cands = [
            c._replace(id=motion_ids[c.id]) if c.type == "motion" and c.id in motion_ids else c
            for c in cands
        ]
    return cands, bound


_IN_ORDER = operator.attrgetter("start", "end", "type")


def extract(text: str, document: str | None = None, register: Any | None = None) -> list[Citation]:
    """The citations in ``text``, in source order; ``text == source[start:end]`` for each."""
    reg = register if register is not None else default_register()
    cands = find(text, reg)
    cands = _definitions(text, cands)
    cands = _pinpoints(text, cands)
    cands, bound = _footnote_links(text, cands)
    result = [
        citation(
            c.start,
            c.end,
            text[c.start : c.end],
            c.type,
            c.id,
            c.pinpoint,
            document,
            bound.get(i, ()),
        )
        for i, c in enumerate(cands)
    ]
    return sorted(result, key=_IN_ORDER)


__all__ = ["CITATION_TYPES", "EXTRACTOR_NAME", "EXTRACTOR_VERSION", "Citation", "extract"]
_ = _END  # re-exported pattern pieces stay importable from one place
