"""Footnotes: where each footnote stands, and the body markers that refer to it.

Footnotes in the corpus come as superscripts ("¹ Richtlijn 2011/95/EU") or as plain digits at
the start of a line, sometimes in the middle of the text at a page break
("2  Kamerstukken II, 2024-2025,19 637, nr. 3338."). Markers in the body are superscripts or
digits glued to a word ("gebaseerd.2", "Zanten2", "leger?1").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# a footnote line: "⁷ Richtlijn 2013/32/EU.", "3 Aanhangsel Handelingen …", "2  Kamerstukken II"
_NOTE = re.compile(
    r"^[ \t]*(?:([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})[ \t]*(?=\S)|([0-9]{1,2})[ \t]+(?=[A-Z«\"'(]))",
    re.MULTILINE,
)
# a marker: superscript digits after a non-space, or one or two digits glued to a word end
# (the letter before a glued digit is consumed rather than looked behind at: much faster)
_MARK = re.compile(
    r"(?<=\S)([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})|[^\W\d_][.?!)»”]?([0-9]{1,2})(?=[\s,;:)]|$)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Footnote:
    number: str
    start: int  # start of the note's text (after the number)
    end: int  # end of the line


def footnotes(text: str) -> list[Footnote]:
    notes = []
    for m in _NOTE.finditer(text):
        number = (m[1] or m[2]).translate(SUPERSCRIPTS)
        line_end = text.find("\n", m.end())
        notes.append(Footnote(number, m.end(), len(text) if line_end < 0 else line_end))
    return notes


def markers(text: str, notes: list[Footnote]) -> dict[str, list[tuple[int, int]]]:
    """Body markers of each footnote number (only numbers that have a footnote)."""
    numbers = {n.number for n in notes}
    note_starts = {n.start for n in notes}
    found: dict[str, list[tuple[int, int]]] = {}
    if not numbers:
        return found
    for m in _MARK.finditer(text):
        group = 1 if m[1] else 2
        number = m[group].translate(SUPERSCRIPTS)
        start, end = m.start(group), m.end(group)
        if number not in numbers or end in note_starts:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].strip():
            continue  # a digit at the start of a line is a note number, not a marker
        found.setdefault(number, []).append((start, end))
    return found


def marker_spans(text: str) -> list[tuple[int, int]]:
    """Spans of all footnote markers and note numbers (never part of a citation's span)."""
    notes = footnotes(text)
    spans = [s for spans in markers(text, notes).values() for s in spans]
    return sorted(spans)
