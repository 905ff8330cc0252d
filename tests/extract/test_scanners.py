"""The fast scanners find exactly what their plain definitions find.

Each scanner in ``find``, ``footnotes`` and ``pinpoints`` that starts from a cheap literal (or a
separator) has a plain definition: one pattern scanned with ``finditer`` and a word-start check.
These tests compare both on text assembled from citation fragments, separators, digits and
superscripts, where the edge cases are (names at the very start, names ending in a bracket,
digits glued to words, runs of superscripts, "ah-" against "h-").
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lexgraph.extract import pinpoints
from lexgraph.register import load_register

# the package re-exports the functions find() and footnotes(), which shadow their modules
find = importlib.import_module("lexgraph.extract.find")
footnotes = importlib.import_module("lexgraph.extract.footnotes")

REGISTER = load_register()
NAMES = sorted({name for name, _, _ in find.register_entries(REGISTER)})

FRAGMENTS = [
    *NAMES,
    "Vreemdelingencirculaire 2000 (B)Vw",
    "(RTB)Awb",
    "richtlijn 2011/95/EU",
    "Richtlijn 2001/55/EG",
    "2013/32/EU",
    "12011/95/EU",
    "1/EU/2/EG",
    "2020/EEC",
    "2019/2011/95/EU",
    "Verordening (EU) nr. 604/2013",
    "Commission Implementing Decision (EU) 2022/382",
    "Gedelegeerde   Verordening (EU) 2024/1",
    "zaak C-662/23",
    "T-12/21",
    "xC-1/22",
    "motie Piri",
    "Motie-Omtzigt/Van Dijk",
    "demotie Piri",
    "ah-tk-20212022-3441",
    "h-tk-20232024-12-5",
    "bah-tk-20212022-1",
    "kst-19637-3338",
    "Wet inburgering 2021",
    "Participatiewet 2015",
    " 1999",
    "artikel 15, onder c, van de ",
    "art. 3 ",
    "Artikel 29, eerste lid, aanhef en onder b, van het ",
    "artikelen 12.2 en 4.1 van de ",
    "Zanten2",
    "gebaseerd.2",
    "leger?1",
    "¹",
    "²³",
    "⁴⁵⁶",
    "12",
    "2024",
    "wet 2000",
    "de Wet  2019",
    "Wet" + " " * 60 + "2020",
    "wet" + "x" * 66 + " 1999",
    "artikel 15c",
    "Artikel\n  15c-beleid",
    "rtikel 15c",
    "artikel15c",
    "CELEX 32001L0055",
    "CELEX-nummer 52025PC0650",
    "COM(2025) 650",
    "COM/2025/650 final",
    "xCOM(2024) 1",
    "Wet verplaatsing bevolking (hierna: Wvb)",
    "Wet op de zorgtoeslag (Wzt)",
    "2022Z04076",
    "2024D51943",
    "x2023Z12345",
]
SEPARATORS = [" ", "  ", "\n", "\n\n", "(", ")", "-", ",", ".", "", "x", "é", "ł", "_", "1"]
TEXT = st.lists(
    st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), max_size=14
).map(lambda parts: "".join(a + b for a, b in parts))


def _spans(matches: Iterator[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def _plain_aliases(text: str) -> list[tuple[int, int, str]]:
    """The register names as one pattern with a leading look-behind, scanned everywhere."""
    _, after_separator, lookup = find.alias_pattern(find.register_entries(REGISTER))
    names = after_separator.pattern.split("(?P<name>", 1)[1]
    plain = re.compile(rf"{find._START}(?P<name>{names}")
    return [
        (m.start(), m.end(), lookup[" ".join(m[0].split()).casefold()][1])
        for m in plain.finditer(text)
    ]


@settings(max_examples=250, deadline=None)
@given(TEXT)
def test_register_names(text: str) -> None:
    fast = [(c.start, c.end, c.id) for c in find._alias_candidates(text, REGISTER)]
    assert fast == _plain_aliases(text)


@settings(max_examples=250, deadline=None)
@given(TEXT)
def test_literal_led_rule_patterns(text: str) -> None:
    assert _spans(find._eu_numbers(text)) == _spans(find._scan(find.EU_NUMBER, text))
    digits, suffixes = find._slashes(text)
    assert _spans(iter(digits)) == _spans(find._SLASH.finditer(text))
    assert _spans(iter(suffixes)) == _spans(find._EU_SUFFIX.finditer(text))
    assert _spans(find._ah_urls(text)) == _spans(find._scan(find.AH_URL, text))
    cjeu = find._led(find.CJEU, text, find._CJEU_TRIGGER, "CTF")
    assert _spans(cjeu) == _spans(find._scan(find.CJEU, text))
    motions = find._led(find.MOTION, text, find._MOTION_TRIGGER, "Mm")
    assert _spans(motions) == _spans(find._scan(find.MOTION, text))
    assert _spans(find.art_15c(text)) == _spans(find.ART_15C.finditer(text))
    c_numbers = [m.span() for m in find._C_NUMBERS.finditer(text)]
    apart_c = [*find.CELEX.finditer(text), *find.COM.finditer(text)]
    assert sorted(_spans(iter(apart_c))) == c_numbers
    defined = [
        m.span()
        for i in find._WET_CAPS.finditer(text)
        if (m := find.NL_ACT_DEFINED.match(text, i.start()))
    ]
    assert defined == _spans(find.NL_ACT_DEFINED.finditer(text))
    apart = [*find._scan(find.TK_ZAAK, text), *find._scan(find.TK_DOC, text)]
    together = list(find._scan(find.TK_NUMBER, text))
    assert sorted(_spans(iter(apart))) == _spans(iter(together))


def _plain_eu_acts(text: str) -> list[tuple[int, int]]:
    """EU acts as found by scanning the whole window before every digit-slash-digit."""
    out: list[tuple[int, int]] = []
    for hit in re.finditer(r"\d/\d", text):
        lo = max(0, hit.start() - 90)
        for m in find.EU_ACT.finditer(text, lo, min(len(text), hit.end() + 12)):
            if m.start() <= hit.start() < m.end() and m.span() not in out:
                out.append(m.span())
    return out


@settings(max_examples=250, deadline=None)
@given(TEXT)
def test_eu_acts(text: str) -> None:
    assert _spans(find._eu_acts(text)) == _plain_eu_acts(text)


def _plain_markers(text: str, notes: list[Any]) -> dict[str, list[tuple[int, int]]]:
    """Markers by one scan of every digit run, with the context checked in code."""
    numbers = {n.number for n in notes}
    starts = {n.start for n in notes}
    found: dict[str, list[tuple[int, int]]] = {}
    for m in re.finditer(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}(?![⁰¹²³⁴⁵⁶⁷⁸⁹])|[0-9]{1,2}(?![0-9])", text):
        start, end = m.span()
        number = m[0].translate(footnotes.SUPERSCRIPTS)
        if number not in numbers or end in starts or start == 0:
            continue
        before = text[start - 1]
        if not m[0].isascii():
            if before.isspace():
                continue
        else:
            glued = before in ".?!)»”" and start >= 2 and text[start - 2].isalpha()
            if before.isdigit() or (not before.isalpha() and not glued):
                continue
            if end < len(text) and text[end] not in " \t\r\n,;:)":
                continue
        if not text[text.rfind("\n", 0, start) + 1 : start].strip():
            continue
        found.setdefault(number, []).append((start, end))
    return found


def _plain_notes(text: str) -> list[tuple[str, int, int]]:
    pattern = re.compile(r"^" + footnotes._NOTE_LINE, re.MULTILINE)
    out = []
    for m in pattern.finditer(text):
        end = text.find("\n", m.end())
        out.append(((m[1] or m[2]).translate(footnotes.SUPERSCRIPTS), m.end(), end))
    return [(n, s, len(text) if e < 0 else e) for n, s, e in out]


NOTE_TEXT = st.lists(
    st.tuples(
        st.sampled_from([*FRAGMENTS, "¹ Richtlijn 2013/32/EU.", "2  Kamerstukken II", "⁷"]),
        st.sampled_from([*SEPARATORS, "\n", "\n3 ", "\n¹"]),
    ),
    max_size=16,
).map(lambda parts: "".join(a + b for a, b in parts))


@settings(max_examples=250, deadline=None)
@given(NOTE_TEXT)
def test_footnotes_and_markers(text: str) -> None:
    notes = footnotes.footnotes(text)
    assert [(n.number, n.start, n.end) for n in notes] == _plain_notes(text)
    assert footnotes.markers(text, notes) == _plain_markers(text, notes)


@settings(max_examples=250, deadline=None)
@given(TEXT)
def test_article_phrase(text: str) -> None:
    fast = pinpoints.leading_phrase(text)
    plain = pinpoints.PHRASE.search(text)
    assert (fast and fast.span()) == (plain and plain.span())


@settings(max_examples=250, deadline=None)
@given(TEXT)
def test_years_of_acts_by_rule(text: str) -> None:
    """Years after white space with "Wet " or "wet" in the 71 characters before them."""
    assert [m.span() for m in find._years_after_wet(text)] == _plain_years_after_wet(text)


def _plain_years_after_wet(text: str) -> list[tuple[int, int]]:
    plain = []
    for m in re.finditer(r"\s(?:19|20)\d{2}(?!\d)", text):
        start, end = m.start() + 1, m.end()
        window = text[max(0, start - 71) : end]
        if "Wet " in window or "wet" in window:
            plain.append((start, end))
    return plain


def test_years_of_acts_by_rule_at_the_window_edges() -> None:
    for word in ("Wet ", "wet", "Wet"):
        for gap in range(60, 76):
            for tail in ("", "1", " ", ".2021"):
                for head in ("", "x", "2019 "):
                    text = f"{head}{word}{' ' * gap}2020{tail}"
                    found = [m.span() for m in find._years_after_wet(text)]
                    assert found == _plain_years_after_wet(text), text


def _plain_select(cands: list[Any]) -> list[Any]:
    """Every candidate in order of length (longest first), then priority, then start, kept when
    it overlaps none kept before: the choice ``find.select`` makes per group of overlapping
    candidates."""
    chosen: list[Any] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
        if any(k.start < c.end and c.start < k.end for k in chosen):
            continue
        if any(k.start <= c.start < k.end for k in chosen if c.start == c.end):
            continue  # an empty span inside a kept one
        chosen.append(c)
    return sorted(chosen, key=lambda c: (c.start, c.end))


SPANS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60),
        st.integers(min_value=0, max_value=12),
        st.integers(min_value=-1, max_value=1),
        st.sampled_from(["eu-act", "nl-act", "treaty"]),
    ),
    max_size=30,
)


@settings(max_examples=400, deadline=None)
@given(SPANS)
def test_select_per_group_is_the_greedy_choice(spans: list[tuple[int, int, int, str]]) -> None:
    cands = [
        find.Candidate(start, start + length, kind, f"x:{i}", priority=priority)
        for i, (start, length, priority, kind) in enumerate(spans)
    ]
    assert find.select(cands) == find._greedy(cands)
    nonempty = [c for c in cands if c.end > c.start]
    assert find.select(nonempty) == _plain_select(nonempty)


def test_candidate_builder_matches_the_named_tuple() -> None:
    fields = (3, 9, "nl-act", "bwb:BWBR0005537", None, 1, None)
    fast = find.new_candidate(fields)
    assert fast == find.Candidate(3, 9, "nl-act", "bwb:BWBR0005537", priority=1)
    assert type(fast) is find.Candidate and fast.priority == 1 and fast.defines is None
    assert len(fields) == len(find.Candidate._fields)


def test_citation_builder_matches_the_dataclass() -> None:
    from dataclasses import fields

    from lexgraph.extract.model import _FIELDS, Citation, citation

    assert tuple(f.name for f in fields(Citation)) == _FIELDS
    args = (3, 9, "Awb 2", "nl-act", "bwb:BWBR0005537", None, "doc", ((1, 2),))
    fast, plain = citation(*args), Citation(*args)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert fast.as_json() == plain.as_json()
    assert fast != Citation(3, 9, "Awb 2", "nl-act", "bwb:BWBR0005537", "art. 1", "doc", ((1, 2),))


def test_register_patterns_follow_the_instruments() -> None:
    patterns = find._register_patterns(REGISTER)
    assert patterns is find._register_patterns(REGISTER)
    assert patterns == find.alias_pattern(find.register_entries(REGISTER))

    class Small:
        instruments = tuple(i for i in REGISTER.instruments if "RTB" in i.aliases)

    small = Small()
    assert [c.id for c in find._alias_candidates("de RTB en de Awb", small)] == ["celex:32001L0055"]
    small.instruments = REGISTER.instruments  # a changed register is read again
    found = [c.id for c in find._alias_candidates("de RTB en de Awb", small)]
    assert found == ["celex:32001L0055", "bwb:BWBR0005537"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 9)), max_size=25), st.data())
def test_spans_added_together_as_one_by_one(spans: list[tuple[int, int]], data: Any) -> None:
    kept = find.Occupied()
    for start, length in spans:  # non-overlapping spans, some kept now and some added later
        if not kept.overlaps(start, start + length):
            kept.add(start, start + length)
    pairs = list(zip(kept.starts, kept.ends, strict=True))
    later = sorted(data.draw(st.sets(st.sampled_from(pairs))) if pairs else set())
    one_by_one = find.Occupied()
    together = find.Occupied()
    for start, end in pairs:
        if (start, end) not in later:
            one_by_one.add(start, end)
            together.add(start, end)
    for start, end in later:
        one_by_one.add(start, end)
    together.add_sorted(later)
    assert (together.starts, together.ends) == (one_by_one.starts, one_by_one.ends)
