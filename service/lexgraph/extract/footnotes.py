"""Footnotes: where each footnote stands, and the body markers that refer to it.

Footnotes in the corpus come as superscripts ("¹ Richtlijn 2011/95/EU") or as plain digits at
the start of a line, sometimes in the middle of the text at a page break
("2  Kamerstukken II, 2024-2025,19 637, nr. 3338."). Markers in the body are superscripts or
digits glued to a word ("gebaseerd.2", "Zanten2", "leger?1").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# a footnote line: "⁷ Richtlijn 2013/32/EU.", "3 Aanhangsel Handelingen …", "2  Kamerstukken II"
_NOTE_LINE = r"[ \t]*(?:([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})[ \t]*(?=\S)|([0-9]{1,2})[ \t]+(?=[A-Z«\"'(]))"
_NOTE_FIRST = re.compile(_NOTE_LINE)  # the first line
_NOTE = re.compile("\n" + _NOTE_LINE)  # led by a literal newline: found by a fast search
# a marker: superscript digits after a non-space, or one or two digits glued to a word end.
# The pattern starts with a class of digits, so the engine skips to digits without entering a
# match; the look-behind after ASCII digits drops numbers that do not follow a letter or a
# sentence end (years, amounts, dossier numbers) inside the engine. The full context is checked
# in code. Superscripts: the last one or two of a run, as ``[⁰-⁹]{1,2}(?![⁰-⁹])`` finds them.
# One scan finds both kinds (a match of one kind never covers a digit of the other).
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_GLUED = r"(?:[^\W\d_]|[.?!)»”])"  # a letter (a superset of str.isalpha) or a sentence end
_ASCII_REST = rf"(?:[0-9](?![0-9])(?<={_GLUED}[0-9]{{2}})|(?![0-9])(?<={_GLUED}[0-9]))"
_SUPERSCRIPT_REST = f"[{_SUPERSCRIPTS}]?(?![{_SUPERSCRIPTS}])"
_MARKER = re.compile(
    f"[0-9{_SUPERSCRIPTS}](?:(?<=[0-9]){_ASCII_REST}|(?<=[{_SUPERSCRIPTS}]){_SUPERSCRIPT_REST})"
)
_MARK_AFTER = frozenset(" \t\r\n,;:)")


@dataclass(frozen=True)
class Footnote:
    number: str
    start: int  # start of the note's text (after the number)
    end: int  # end of the line


def footnotes(text: str) -> list[Footnote]:
    notes = []
    first = _NOTE_FIRST.match(text)
    for m in itertools.chain((first,) if first else (), _NOTE.finditer(text)):
        number = m[1].translate(SUPERSCRIPTS) if m[1] else m[2]
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
    for m in _MARKER.finditer(text):
        start, end = m.span()
        number = m[0]
        superscript = not number.isascii()
        if superscript:
            number = number.translate(SUPERSCRIPTS)
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
    return found  # in text order: one scan


def marker_spans(text: str) -> list[tuple[int, int]]:
    """Spans of all footnote markers and note numbers (never part of a citation's span)."""
    notes = footnotes(text)
    spans = [s for spans in markers(text, notes).values() for s in spans]
    return sorted(spans)
