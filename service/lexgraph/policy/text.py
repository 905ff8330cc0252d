"""Text helpers for the detectors: lines, blocks, sentences, page furniture and Dutch dates.

All spans are code-point offsets into the untouched source text, so a detected fact can always be
anchored with ``text[start:end]``. The seeds are PDF extractions: page headers, footnotes and
running footers interrupt paragraphs, so "junk" recognition lives here, in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
#: "4 maart 2027", "4\nmaart 2026"
DATE_RE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b")

# Abbreviations whose dot does not end a sentence ("13 juni jl. is", "nr. 3338", "d.d. 20").
_ABBREV = re.compile(
    r"(?:\b(?:jl|nr|nrs|art|o\.a|d\.d|c\.s|i\.v\.m|bijv|m\.b\.t|mbt|ihkv|ca|resp)|\s[a-z])\.$"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) for every line, end excluding the newline."""
    pos = 0
    for raw in text.split("\n"):
        yield pos, pos + len(raw), raw
        pos += len(raw) + 1


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def blocks(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Paragraph-like blocks: runs of non-blank lines, trimmed."""
    end = len(text) if end is None else end
    out: list[Span] = []
    cur_s: int | None = None
    cur_e = 0
    for ls, le, _line in lines(text):
        if le < start or ls > end:
            continue
        ls, le = max(ls, start), min(le, end)
        if text[ls:le].strip():
            if cur_s is None:
                cur_s = ls
            cur_e = le
        elif cur_s is not None:
            out.append(Span(*trim(text, cur_s, cur_e)))
            cur_s = None
    if cur_s is not None:
        out.append(Span(*trim(text, cur_s, cur_e)))
    return [b for b in out if b.end > b.start]


_FURNITURE_LINE = re.compile(
    r"^\s*(?:Onze referentie|Uw referentie|Datum(?:\s+\d.*)?|Pagina \d+ van \d+|\d{5,}|"
    r"\d{1,2} \w+ \d{4}|Bijlage\(n\)|Tweede Kamer, vergaderjaar .*)\s*$"
)
_FOOTNOTE_LINE = re.compile(r"^\s*(?:\d{1,2}\s{2,}\S.*|[A-Z]{2,}:\s{2,}.*)$")
_LONE_REFERENCE = re.compile(
    r"^\s*(?:Kamerstukken|Aanhangsel Handelingen|Handelingen)\b.{0,70}\d\.?\s*$"
)
_FOOTNOTE_BLOCK = re.compile(r"^\s*\d{1,2}\s+[A-Z«\"'(]")
_HEADER_BLOCK = re.compile(r"^\s*(?:\*\*)?(?:Directoraat-Generaal|Onze referentie\s*$)")


def junk_line(line: str) -> bool:
    """Page furniture or a footnote line that interrupts running text."""
    return bool(
        _FURNITURE_LINE.match(line) or _FOOTNOTE_LINE.match(line) or _LONE_REFERENCE.match(line)
    )


def clean_block(text: str, block: Span) -> Span | None:
    """The block without leading/trailing furniture lines; None when nothing real is left."""
    first_line = text[block.start : block.end].split("\n", 1)[0]
    if _HEADER_BLOCK.match(first_line) and "Onze referentie" not in first_line:
        return None
    if _FOOTNOTE_BLOCK.match(first_line) and not first_line.rstrip().endswith("?"):
        return None
    spans = [(s, e) for s, e, _ in lines(text) if s < block.end and e > block.start]
    spans = [(max(s, block.start), min(e, block.end)) for s, e in spans]
    while spans and (
        junk_line(text[spans[0][0] : spans[0][1]]) or not text[spans[0][0] : spans[0][1]].strip()
    ):
        spans.pop(0)
    while spans and (
        junk_line(text[spans[-1][0] : spans[-1][1]])
        or not text[spans[-1][0] : spans[-1][1]].strip()
    ):
        spans.pop()
    if not spans:
        return None
    s, e = trim(text, spans[0][0], spans[-1][1])
    return Span(s, e) if e > s else None


_BLANK_BEFORE = re.compile(r"\n[ \t]*\n[ \t]*$")
_BLANK_AHEAD = re.compile(r"[ \t]*\n[ \t]*\n")


def _ends_sentence(text: str, i: int) -> bool:
    """Does the punctuation at ``text[i]`` end a sentence?"""
    if text[i] not in ".?!":
        return False
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isalnum() and not nxt.isdigit():
        return False
    if text[i] == "." and _ABBREV.search(text[max(0, i - 7) : i + 1]):
        return False
    if text[i] == "." and nxt in "0123456789" and i > 0 and text[i - 1].isdigit():
        # "4.1" is a number; "2024.7 De" is a sentence end with a glued footnote marker
        return bool(_GLUED_MARKER.match(text, i + 1))
    return True


_GLUED_MARKER = re.compile(r"\d{1,2}\s+[A-Z]")
_PUNCT_END = re.compile(r"[.?!:;]\S{0,3}\s*$")


@lru_cache(maxsize=32)
def double_spaced(text: str) -> bool:
    """PDF extractions that put a blank line after every line (seed 004): there a single blank
    line is a line break, not a paragraph break."""
    n_lines = text.count("\n") or 1
    return text.count("\n\n") > 0.4 * n_lines


_HEADING_LINE = re.compile(r"\n[ \t]*[^\n.?!:;,]{1,24}[ \t]*\n[ \t]*$")


def _paragraph_break_before(text: str, s: int) -> bool:
    if text[s : s + 1].isupper() and _HEADING_LINE.search(text[max(0, s - 30) : s]):
        return True  # "Antwoord 2" / "Vraag 3" on the line above
    m = _BLANK_BEFORE.search(text[max(0, s - 12) : s])
    if not m:
        return False
    if double_spaced(text) and text[s : s + 1].islower():
        return False  # a wrapped line of a double-spaced extraction
    before = text[max(0, s - 12 - 200) : max(0, s - 12) + m.start()]
    last_line = before.rsplit("\n", 1)[-1]
    if _PUNCT_END.search(before) or len(last_line.strip()) < 60:
        return True
    return not double_spaced(text)


def _paragraph_break_at(text: str, e: int) -> bool:
    ahead = _BLANK_AHEAD.match(text, e)
    if not ahead:
        return False
    nxt = text[ahead.end() : ahead.end() + 1]
    if double_spaced(text) and nxt.islower():
        return False  # a wrapped line of a double-spaced extraction
    line_start = text.rfind("\n", 0, e) + 1
    if _PUNCT_END.search(text[max(0, e - 200) : e]) or len(text[line_start:e].strip()) < 60:
        return True
    return not double_spaced(text)


def sentence_at(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The sentence around ``text[start:end]``: back to the previous sentence end or paragraph
    break, forward to the next sentence-ending mark (or paragraph break). A footnote marker
    glued to the full stop ("2027.³") stays outside."""
    end = start if end is None else end
    s = start
    while s > 0:
        if _ends_sentence(text, s - 1) or _paragraph_break_before(text, s):
            break
        s -= 1
    e = max(end, start)
    while e < len(text):
        if _ends_sentence(text, e):
            e += 1
            break
        if _paragraph_break_at(text, e):
            break
        e += 1
    return trim(text, s, e)


def parse_date(day: str, month: str, year: str) -> dt.date:
    return dt.date(int(year), MONTHS[month.lower()], int(day))


def slug(value: str) -> str:
    """Lower-case ASCII slug for keys: "Van Zanten" -> "van-zanten"."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
