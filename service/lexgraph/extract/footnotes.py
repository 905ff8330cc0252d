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
# digits and superscripts: the engine scans for these characters fast; context is checked in code
_DIGITS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}(?![⁰¹²³⁴⁵⁶⁷⁸⁹])|[0-9]{1,2}(?![0-9])")
_MARK_AFTER = frozenset(" \t\r\n,;:)")


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
    for m in _DIGITS.finditer(text):
        start, end = m.span()
        raw = m.group(0)
        superscript = not raw.isascii()
        number = raw.translate(SUPERSCRIPTS)
        if number not in numbers or end in note_starts or start == 0:
            continue
        before = text[start - 1]
        if superscript:
            if before.isspace():
                continue
        else:
            # a digit glued to a word ("Zanten2") or to its sentence end ("gebaseerd.2")
            if before.isdigit():
                continue
            glued_to_sentence = before in ".?!)»”" and start >= 2 and text[start - 2].isalpha()
            if not before.isalpha() and not glued_to_sentence:
                continue
            if end < len(text) and text[end] not in _MARK_AFTER:
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
