"""Find: candidate citations by pattern, each with its span, type and identifier.

Every pattern carries real example strings. Candidates may overlap; :func:`select` keeps the
longest. Spans never include a leading article, enclosing brackets or a footnote marker.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import operator
import re
import weakref
from collections.abc import Iterator
from typing import Any, NamedTuple

from lexgraph.extract import resolve

# Characters that continue a word (Python's \w also matches superscript digits: "richtlijn¹").
_WORD = "A-Za-zÀ-ÖØ-öø-ÿ0-9_"
_END = rf"(?![{_WORD}])"
_START = rf"(?<![{_WORD}])"
YEARS = r"\d{4}\s*[-–/]\s*\d{2,4}"


class Candidate(NamedTuple):
    """A citation found by one pattern. A named tuple: tens of thousands are made per megabyte,
    and a tuple is several times cheaper to build and to copy with changes than a dataclass."""

    start: int
    end: int
    type: str
    id: str
    pinpoint: str | None = None
    priority: int = 0  # higher wins between spans of equal length
    defines: str | None = None  # an abbreviation defined in brackets after the name


#: ``new_candidate((start, end, type, id, pinpoint, priority, defines))`` is
#: ``Candidate(start, end, type, id, pinpoint, priority, defines)`` without the generated
#: ``__new__`` (a Python function with defaults, which costs more than the tuple): for the
#: thousands of candidates a megabyte. All seven fields, in order.
new_candidate = functools.partial(tuple.__new__, Candidate)


# Kamerstukken II, 2024-2025,19 637, nr. 3338 · Kamerstukken II, 36 600 XX, nr. 22
# Kamerstukken II 2023/24, 21 501-20, nr. 1829 · Kamerstukken I 2019/20, 30 573, nr. J
# Kamerstukken II, 19 637 en 36 045, nr. 2834 · Kamerstukken II 2023/24, 36 394
KAMERSTUK = re.compile(
    r"Kamerstukken(?:\s+(?P<ch>I{1,2}))?\s*,?\s*"
    rf"(?:(?:vergaderjaar\s+)?(?P<years>{YEARS})\s*,?\s*)?"
    r"(?P<dossier>\d{2}\s?\d{3})(?![\d/])"
    r"(?:\s*-\s*(?P<subnum>\d{1,3})(?!\d)|\s+(?P<subrom>[IVXLC]+|[A-Z]{1,2})(?![\w]))?"
    r"(?:\s+en\s+\d{2}\s?\d{3}(?:\s*-\s*\d{1,3}|\s+[IVXLC]+(?![\w]))?)*"
    r"(?:\s*,?\s*(?:nr\.|nummer|no\.)\s*(?P<nr>\d{1,5}|[A-Z]{1,2})(?![\w]))?"
)
# kst-19637-3338 · kst-36600-XX-22 · kst-21501-20-1829
KST_URL = re.compile(
    rf"kst-(\d{{4,6}})(?:-([IVXLC]+|[A-Z]{{1,2}}|\d{{1,3}}))?-(\d+|[A-Z]{{1,2}}){_END}"
)
# ah-tk-20212022-3441 · h-tk-20232024-12-5
AH_URL = re.compile(rf"(ah|h)-(tk|ek)-(\d{{4}})(\d{{4}})-(\d+)(?:-(\d+))?{_END}")
# Aanhangsel Handelingen vergaderjaar 2021–2022, nr. 3441
# Aanhangsel Handelingen II 2023/24, nr. 123
AANHANGSEL = re.compile(
    r"Aanhangsel\s+(?:bij\s+de\s+)?Handelingen(?:\s+(?P<ch>I{1,2}))?\s*,?\s*"
    rf"(?:vergaderjaar\s+)?(?P<years>{YEARS})\s*,?\s*(?:nr\.|nummer)\s*(?P<nr>\d+)"
)
# Handelingen II 2023/24, nr. 12, item 5 · Handelingen I 2022/23, nr. 30
HANDELINGEN = re.compile(
    r"Handelingen(?:\s+(?P<ch>I{1,2}))?\s*,?\s*"
    rf"(?:vergaderjaar\s+)?(?P<years>{YEARS})\s*,?\s*(?:nr\.|nummer)\s*(?P<nr>\d+)"
    r"(?:\s*,\s*item\s+(?P<item>\d+))?"
)
TK_ZAAK = re.compile(rf"(20\d{{2}}Z\d{{5}}){_END}")  # 2022Z04076
TK_DOC = re.compile(rf"(20\d{{2}}D\d{{5}}){_END}")  # 2024D51943
# both in one scan: a match of one cannot overlap a match of the other (all ten characters are
# word characters and a word character may not follow), so the scan finds what both find apart
TK_NUMBER = re.compile(rf"(20\d{{2}}([ZD])\d{{5}}){_END}")
# Richtlijn 2011/95/EU · Verordening (EU) nr. 604/2013 · Uitvoeringsbesluit (EU) 2022/382
# Council Directive 2001/55/EC · Verordening (EG) nr. 343/2003 · Aanbeveling (EU) 2025/1234
EU_ACT = re.compile(
    r"(?P<head>[Gg]edelegeerde\s+[Vv]erordening|[Uu]itvoeringsverordening|[Uu]itvoeringsbesluit"
    r"|[Kk]aderbesluit|[Rr]ichtlijnen|[Rr]ichtlijn|[Vv]erordeningen|[Vv]erordening|[Bb]esluit"
    r"|[Aa]anbeveling"
    r"|(?:Council\s+|Commission\s+)?(?:(?:Implementing|Delegated)\s+)?"
    r"(?:Directive|Regulation|Decision|Recommendation))"
    r"\s*(?:\(\s*(?:EU|EG|EEG|EC|EEC|Euratom)\s*\)\s*)?(?:(?:nr\.|No\.?|nummer)\s*)?"
    r"(?P<a>\d{1,4})/(?P<b>\d{1,4})(?:/(?:EU|EG|EEG|EC|EEC|JBZ|GBVB))?(?![\w/])"
)
# the second of "de richtlijnen 2011/95/EU en 2013/32/EU": a bare number with its suffix
EU_NUMBER = re.compile(rf"(?P<a>(?:19|20)\d{{2}})/(?P<b>\d{{1,4}})/(?:EU|EG|EEG|EC|EEC){_END}")
_PLURAL_HEAD = re.compile(r"(richtlijnen|verordeningen|besluiten|directives|regulations)\b", re.I)
# CELEX 32001L0055 · CELEX-nummer 52025PC0650
CELEX = re.compile(rf"CELEX(?:-nummer)?\s*:?\s*(?P<c>[1-9C]\d{{4}}[A-Z]{{1,2}}\d{{4}}){_END}")
# http://data.europa.eu/eli/dir/2001/55/oj
ELI_URL = re.compile(
    r"https?://data\.europa\.eu/eli/(?P<t>dir|reg|reg_impl|reg_del|dec|dec_impl|dec_del|reco)"
    r"/(?P<y>\d{4})/(?P<n>\d+)(?:/oj)?"
)
# https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:32013R0604
EURLEX_URL = re.compile(
    r"https?://eur-lex\.europa\.eu/\S*?CELEX(?::|%3A)(?P<c>[0-9][0-9A-Z]{8,12})"
)
# COM(2025) 650 · COM/2025/650 final · COM(2025) 651 definitief
COM = re.compile(
    r"COM\s*(?:\(\s*(?P<y1>\d{4})\s*\)\s*(?P<n1>\d{1,4})|/(?P<y2>\d{4})/(?P<n2>\d{1,4}))"
    r"(?:\s+(?:final|definitief))?(?![\w])"
)
# CELEX and COM in one scan, led by their common "C" (the engine searches a literal fast): a
# match of one never holds a "C" that starts the other, so it finds what the two find apart
assert CELEX.pattern.startswith("C") and COM.pattern.startswith("C")
_C_NUMBERS = re.compile(f"C(?:{CELEX.pattern[1:]}|{COM.pattern[1:]})")
# ECLI:NL:RVS:2025:1473
ECLI = re.compile(r"ECLI:[A-Z]{2}:[A-Z0-9.]{1,7}:\d{4}:[A-Z0-9.]*[A-Z0-9]")
# zaak C-662/23 · Case T-12/21 · C-662/23
CJEU = re.compile(rf"(?P<c>[CTF]-\d{{1,4}}/\d{{2}}){_END}")
LJN = re.compile(r"LJN:?\s*(?P<c>[A-Z]{2}\d{4})(?![\w])")  # LJN BP7855
COMMITMENT = re.compile(rf"(TZ\d{{6}}-\d{{1,4}}|T0\d{{4}}){_END}")  # TZ202409-123
_SURNAME = (
    r"(?:(?:[Vv]an\s+(?:der\s+|den\s+|de\s+)?|[Dd]e\s+|[Tt]er\s+|[Tt]en\s+|[Ii]n\s+'t\s+)?"
    r"[A-Z][a-zà-öø-ÿ]+(?:-[A-Z][a-zà-öø-ÿ]+)*)"
)
# motie Piri · motie van het lid Van Dijk c.s. · motie-Omtzigt/Van Dijk · de motie van de leden
# Podt en Boswijk · motie van Claassen en Vondeling
MOTION = re.compile(
    r"[Mm]otie(?:-|\s+(?:van\s+(?:het\s+lid|de\s+leden)\s+|van\s+)?)"
    rf"(?P<names>{_SURNAME}(?:(?:\s+en\s+|\s*/\s*|,\s+){_SURNAME})*)(?P<cs>\s+c\.s\.)?"
)
_NAME_SPLIT = re.compile(r"\s+en\s+|\s*/\s*|,\s+")
# an act by a general rule: "Wet inburgering 2021", "Participatiewet 2015"
NL_ACT_RULE = re.compile(
    rf"(?P<t>[A-Z][a-zë]+wet|Wet(?:\s+[a-zë]+){{1,5}})\s+(?P<y>(?:19|20)\d{{2}}){_END}"
)
# an act not in the register, named by title and followed by its defined abbreviation:
# "Wet verplaatsing bevolking (hierna: Wvb)"
NL_ACT_DEFINED = re.compile(
    r"Wet(?:\s+(?:op\s+de|op\s+het|[a-zë]+)){1,5}(?=\s*\((?:hierna\s*:?\s*)?[\"“]?[A-Z])"
)
# "artikel 15c" on its own names article 15(c) of the Qualification Directive (not "15c-beleid")
ART_15C = re.compile(r"rtikel\s+15c(?![\w-])")  # "[Aa]" and the word start are checked in code
_15C = re.compile("15c")


def art_15c(text: str) -> Iterator[re.Match[str]]:
    r"""What ``ART_15C.finditer(text)`` yields, found from "15c" (rarer than "rtikel"): white
    space (``\s``, i.e. str.isspace) back to "rtikel" before it. Matches cannot overlap."""
    for hit in _15C.finditer(text):
        j = hit.start()
        while j and text[j - 1].isspace():
            j -= 1
        if j < hit.start() and j >= 6 and text.startswith("rtikel", j - 6):
            m = ART_15C.match(text, j - 6)
            if m is not None:
                yield m


# an abbreviation defined in brackets: "(RTB)", "(hierna: Wvb)", '(hierna "ICCPR ")'
DEFINED = re.compile(
    r"\s*\(\s*(?:(?P<h>hierna)\s*:?\s*)?[\"“'‘]?\s*"
    rf"(?P<abbr>[A-Za-zÀ-ÿ][{_WORD}.\-]{{0,15}})\s*[\"”'’]?\s*\)"
)
# "B8/6 Vc 2000" and "Vc 2000, paragraaf C2/3.1": a Vc paragraph
VC_PARAGRAPH_AFTER = re.compile(
    r"\s*,?\s*(?:paragraaf\s+)?(?P<p>[A-C]\d{1,2}/\d{1,2}(?:\.\d{1,2})*)(?![\w/])"
)
VC_PARAGRAPH_BEFORE = re.compile(
    r"(?:paragraaf\s+)?(?P<p>[A-C]\d{1,2}/\d{1,2}(?:\.\d{1,2})*)\s+(?:van\s+de\s+)?$"
)


_CASE_WORD = re.compile(r"(?:[Zz]aak|[Cc]ase|[Aa]rrest)\s+$")
#: every EU act number has a digit, a slash and a digit: the cheap test before the costly pattern
_SLASH = re.compile(r"/(?<=\d/)\d")  # led by the literal "/": found by a fast search
#: EU_ACT's head words without their first letter ("[Rr]ichtlijn" -> "ichtlijn")
_EU_HEAD_TAIL = re.compile(
    "edelegeerde|itvoerings|aderbesluit|ichtlijn|erordening|esluit|anbeveling|ouncil|ommission"
    "|mplementing|elegated|irective|egulation|ecision|ecommendation"
)
# literal-led triggers for patterns whose first character is common or a class: the engine
# finds the literal fast and the full pattern is matched where it can start
_AH_TRIGGER = re.compile(r"h-(?:tk|ek)-\d")
_EU_SUFFIX = re.compile(rf"/(?:EU|EG|EEG|EC|EEC){_END}")
# _SLASH and _EU_SUFFIX in one scan of the slashes (a match of one never covers a slash of the
# other, so the scan finds what the two find apart); "digit" tells which matched
_SLASHES = re.compile(rf"/(?:(?<=\d/)(?P<digit>\d)|(?:EU|EG|EEG|EC|EEC){_END})")
_EU_NUMBER_BEFORE = re.compile(r"(?:19|20)\d{2}/\d{1,4}\Z")
_CJEU_TRIGGER = re.compile(r"-(?=\d{1,4}/\d{2})")
_MOTION_TRIGGER = re.compile(r"otie[-\s]")


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")


def _led(
    pattern: re.Pattern[str], text: str, trigger: re.Pattern[str], lead: str, back: int = 1
) -> Iterator[re.Match[str]]:
    """What ``_scan(pattern, text)`` yields, where every match has ``trigger`` ``back``
    characters after its start, preceded by a character in ``lead``."""
    last_end = 0
    for hit in trigger.finditer(text):
        start = hit.start() - back
        if start < last_end or text[start] not in lead:
            continue
        m = pattern.match(text, start)
        if m is not None:
            last_end = m.end()
            if _word_start(text, start):
                yield m


def _slashes(text: str) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    """What ``_SLASH`` and what ``_EU_SUFFIX`` find in ``text``, from one scan."""
    digits: list[re.Match[str]] = []
    suffixes: list[re.Match[str]] = []
    for hit in _SLASHES.finditer(text):
        (suffixes if hit.lastgroup is None else digits).append(hit)
    return digits, suffixes


def _eu_numbers(text: str, suffixes: list[re.Match[str]] | None = None) -> Iterator[re.Match[str]]:
    """What ``_scan(EU_NUMBER, text)`` yields, found from the "/EU" suffix backwards
    (``suffixes``: what ``_EU_SUFFIX`` finds in ``text``, when known)."""
    for hit in _slashes(text)[1] if suffixes is None else suffixes:
        before = _EU_NUMBER_BEFORE.search(text, max(0, hit.start() - 9), hit.start())
        if before is not None and _word_start(text, before.start()):
            m = EU_NUMBER.match(text, before.start())
            if m is not None:
                yield m


def _ah_urls(text: str) -> Iterator[re.Match[str]]:
    """What ``_scan(AH_URL, text)`` yields: "ah-tk-…" or "h-tk-…"."""
    for hit in _AH_TRIGGER.finditer(text):
        start = hit.start() - 1 if hit.start() and text[hit.start() - 1] == "a" else hit.start()
        m = AH_URL.match(text, start)
        if m is not None and _word_start(text, start):
            yield m


def _scan(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches that do not start inside a word (the check a leading lookbehind would make,
    at a fraction of its cost on long texts)."""
    for m in pattern.finditer(text):
        i = m.start()
        if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"):
            yield m


#: every act named by the general rule ends in a year after white space ("Wet inburgering 2021")
#: (the two literal branches give the engine the class of first characters to skip to)
_YEAR = re.compile(r"(?:19|20)\d{2}(?!\d)(?<=\s\d{4})")
_WET_CAPS, _WET = re.compile("Wet"), re.compile("wet")  # literal: the engine's search is fast


def _years_after_wet(text: str, caps: list[int] | None = None) -> list[re.Match[str]]:
    """The matches of ``_YEAR`` in text order whose 71 characters before them (as the window of
    ``_nl_acts_by_rule`` takes them) hold "Wet " or "wet". Found from those words, which are
    rarer than years (a scan for years enters at every "19" and "20" and leaves a thousand
    windows a megabyte to test): a year at ``start`` has such a word at ``i`` (``n`` long) when
    ``start - 71 <= i`` and ``i + n <= start + 4``. Years do not overlap, so a search in a
    stretch finds the years of the whole text that lie in it. ``caps``: where "Wet" starts in
    ``text``, when known."""
    if caps is None:
        caps = [hit.start() for hit in _WET_CAPS.finditer(text)]
    words = [(i, 4) for i in caps if text.startswith(" ", i + 3)]  # "Wet "
    words += [(hit.start(), 3) for hit in _WET.finditer(text)]  # "wet"
    years: dict[int, re.Match[str]] = {}
    for i, n in words:
        # one character past the last possible end, so (?!\d) sees the text after a year
        for m in _YEAR.finditer(text, max(0, i + n - 4), i + 76):
            if m.start() <= i + 71:
                years[m.start()] = m
    return [years[start] for start in sorted(years)]


def _nl_acts_by_rule(text: str, caps: list[int] | None = None) -> Iterator[Candidate]:
    seen: set[tuple[int, int]] = set()
    for hit in _years_after_wet(text, caps):
        lo = max(0, hit.start() - 71)
        window = text[lo : hit.end()]
        if "Wet " not in window and "wet" not in window:
            continue
        for m in _scan(NL_ACT_RULE, window):
            start, end = lo + m.start(), lo + m.end()
            left_ok = lo == 0 or m.start() > 0 or not text[lo - 1].isalnum()
            if end == hit.end() and (start, end) not in seen and left_ok:
                seen.add((start, end))
                title = " ".join(f"{m['t']} {m['y']}".split())
                cid = "nl-act:" + resolve.slug(title)
                yield Candidate(start, end, "nl-act", cid, priority=-1)


def _eu_acts(text: str, digits: list[re.Match[str]] | None = None) -> Iterator[re.Match[str]]:
    """EU acts around every digit-slash-digit (``digits``: what ``_SLASH`` finds, when known)."""
    seen: set[tuple[int, int]] = set()
    for hit in _slashes(text)[0] if digits is None else digits:
        digit = hit.start() - 1  # the digit before the slash
        lo = max(0, digit - 90)
        # every head word's second letter starts one of these: no act can start before the first
        head = _EU_HEAD_TAIL.search(text, lo, digit)
        if head is None:
            continue
        lo = max(lo, head.start() - 1)
        for m in EU_ACT.finditer(text, lo, min(len(text), hit.end() + 12)):
            if m.start() <= digit < m.end() and m.span() not in seen:
                seen.add(m.span())
                yield m


_AANHANGSEL_BEFORE = re.compile(r"Aanhangsel\s+(?:bij\s+de\s+)?$")
_EU_HEAD_OF = re.compile(r"^(?:council|commission)\s+")
_COM_CELEX = re.compile(r"5(\d{4})(?:PC|DC)(\d{4})")


def _chamber(ch: str | None) -> str:
    return "EK" if ch == "I" else "TK"


def _rule_candidates(text: str) -> Iterator[Candidate]:
    for m in KAMERSTUK.finditer(text):
        if not m["nr"] and not m["years"]:
            continue  # "Kamerstukken 36 394" without a year is too weak to call a citation
        sub = m["subnum"] or m["subrom"]
        cid = resolve.kst_id(m["dossier"], sub, m["nr"])
        yield new_candidate((m.start(), m.end(), "kamerstuk", cid, None, 0, None))
    for m in _scan(KST_URL, text):
        yield Candidate(m.start(), m.end(), "kamerstuk", resolve.kst_id(m[1], m[2], m[3]))
    for m in _ah_urls(text):
        kind = "aanhangsel-handelingen" if m[1] == "ah" else "handelingen"
        cid = f"{m[1]}:{m[2].upper()}:{m[3]}-{m[4]}:{m[5]}"
        pin = f"item {m[6]}" if m[6] and m[1] == "h" else None
        yield Candidate(m.start(), m.end(), kind, cid, pin)
    for m in AANHANGSEL.finditer(text):
        cid = f"ah:{_chamber(m['ch'])}:{resolve.years(m['years'])}:{m['nr']}"
        yield Candidate(m.start(), m.end(), "aanhangsel-handelingen", cid)
    for m in HANDELINGEN.finditer(text):
        if _AANHANGSEL_BEFORE.search(text, max(0, m.start() - 24), m.start()):
            continue  # "Aanhangsel Handelingen" is matched as such
        cid = f"h:{_chamber(m['ch'])}:{resolve.years(m['years'])}:{m['nr']}"
        pin = f"item {m['item']}" if m["item"] else None
        yield Candidate(m.start(), m.end(), "handelingen", cid, pin)
    for m in _scan(TK_NUMBER, text):
        if m[2] == "Z":
            yield Candidate(m.start(), m.end(), "kamervraag", f"tk-zaak:{m[1]}")
        else:
            yield Candidate(m.start(), m.end(), "other", f"tk-doc:{m[1]}")
    digits, suffixes = _slashes(text)
    for m in _eu_acts(text, digits):
        kind = _EU_HEAD_OF.sub("", " ".join(m["head"].lower().split()))
        celex_id = resolve.celex_for(kind, m["a"], m["b"])
        if celex_id:
            yield new_candidate((m.start(), m.end(), "eu-act", celex_id, None, 0, None))
    for m in _eu_numbers(text, suffixes):
        plural = _PLURAL_HEAD.search(text, max(0, m.start() - 80), m.start())
        sector = "L"
        if plural and plural[1].lower() in ("verordeningen", "regulations"):
            sector = "R"
        elif plural and plural[1].lower() == "besluiten":
            sector = "D"
        cid = resolve.celex(sector, m["a"], m["b"])
        yield new_candidate((m.start(), m.end(), "eu-act", cid, None, -1, None))
    for m in _C_NUMBERS.finditer(text):
        if m["c"] is not None:  # CELEX, scanned as _scan(CELEX, text) would
            if _word_start(text, m.start()):
                yield _celex_candidate(m.start(), m.end(), m["c"])
        else:
            year, number = m["y1"] or m["y2"], m["n1"] or m["n2"]
            yield Candidate(m.start(), m.end(), "eu-proposal", f"com:{year}:{int(number)}")
    for m in ELI_URL.finditer(text):
        cid = resolve.celex(resolve.ELI_TYPE_LETTER[m["t"]], m["y"], m["n"])
        yield Candidate(m.start(), m.end(), "eu-act", cid)
    for m in EURLEX_URL.finditer(text):
        yield _celex_candidate(m.start(), m.end(), m["c"])
    for m in ECLI.finditer(text):
        yield Candidate(m.start(), m.end(), "case-law", f"ecli:{m.group(0)}")
    for m in _led(CJEU, text, _CJEU_TRIGGER, "CTF"):
        word = _CASE_WORD.search(text, max(0, m.start() - 12), m.start())
        start = word.start() if word else m.start()
        yield Candidate(start, m.end(), "case-law", f"cjeu-case:{m['c']}")
    for m in _scan(LJN, text):
        yield Candidate(m.start(), m.end(), "case-law", f"ljn:{m['c']}")
    for m in _scan(COMMITMENT, text):
        yield Candidate(m.start(), m.end(), "commitment", f"commitment:{m[1]}")
    for m in _led(MOTION, text, _MOTION_TRIGGER, "Mm"):
        names = [n for n in _NAME_SPLIT.split(m["names"]) if n]
        cid = resolve.surname_key(names)
        yield new_candidate((m.start(), m.end(), "motion", cid, None, 0, None))
    # every match of NL_ACT_DEFINED starts with "Wet" and holds no other (its words are in lower
    # case): one scan for "Wet" serves it and the acts by the general rule
    caps = [hit.start() for hit in _WET_CAPS.finditer(text)]
    for i in caps:
        act = NL_ACT_DEFINED.match(text, i)
        if act is not None and _word_start(text, i):  # what _scan(NL_ACT_DEFINED, text) yields
            title = " ".join(act.group(0).split())
            cid = "nl-act:" + resolve.slug(title)
            yield Candidate(act.start(), act.end(), "nl-act", cid, priority=-1)
    yield from _nl_acts_by_rule(text, caps)


def _celex_candidate(start: int, end: int, celex: str) -> Candidate:
    m = _COM_CELEX.fullmatch(celex)
    if m:
        return Candidate(start, end, "eu-proposal", f"com:{m[1]}:{int(m[2])}")
    return Candidate(start, end, "eu-act", f"celex:{celex}")


def _trie_regex(node: dict[Any, Any], top: bool = False) -> str:
    """A regex for the words stored in a trie: shared prefixes are tested once per position,
    which is several times faster than a flat alternation of a hundred names. At the ``top``
    the two capitals of a letter are separate literal branches, which the engine rejects by
    one comparison each (a class costs more)."""
    alts = []
    for unit in sorted(k for k in node if k):
        kind, ch = unit
        rest = _trie_regex(node[unit])
        if kind == "ws":
            alts.append(r"\s+" + rest)
        elif kind == "ci" and ch.upper() != ch:
            if top:
                alts += [re.escape(ch) + rest, re.escape(ch.upper()) + rest]
            else:
                alts.append(f"[{re.escape(ch)}{re.escape(ch.upper())}]" + rest)
        else:
            alts.append(re.escape(ch) + rest)
    if "" in node:
        alts.append("")  # a shorter name ends here: tried after every longer continuation
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


@functools.lru_cache(maxsize=8)
def alias_pattern(
    entries: tuple[tuple[str, str, str], ...],
) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[str, str]]]:
    """One pattern for every register name and alias, longest match first.

    ``entries`` are (name, type, id). Abbreviations match case-sensitively; longer names whatever
    their capitals; any whitespace (line breaks too) may separate words.
    """
    lookup: dict[str, tuple[str, str]] = {}
    trie: dict[Any, Any] = {}
    for name, ctype, cid in entries:
        key = " ".join(name.split())
        if key.casefold() in lookup:
            continue
        lookup[key.casefold()] = (ctype, cid)
        mode = "ci" if len(key) > 6 else "cs"  # "WEB", "Vw" only as written
        node = trie
        for i, word in enumerate(key.split()):
            units = [("ws", " ")] if i else []
            units += [(mode, ch.lower() if mode == "ci" else ch) for ch in word]
            for unit in units:
                node = node.setdefault(unit, {})
        node[""] = {}
    names = rf"(?P<name>{_trie_regex(trie, top=True)})(?![{_WORD}]|-[A-Za-z])"
    # Led by the character before the name (not a word character): the engine skips through
    # words to the next separator without entering a match, several times faster than a
    # leading look-behind tried at every position; then one test of the first letter skips
    # the words no name starts with. A name at the very start is matched apart.
    firsts = {ch for kind, ch in trie} | {ch.upper() for kind, ch in trie if kind == "ci"}
    first = "[" + "".join(re.escape(ch) for ch in sorted(firsts)) + "]"
    after_separator = re.compile(rf"[^{_WORD}](?={first}){names}")
    return re.compile(names), after_separator, lookup


def register_entries(register: Any) -> tuple[tuple[str, str, str], ...]:
    out = []
    for inst in register.instruments:
        if inst.kind == "motion":
            continue  # motions are found by the motion pattern, with their submitters
        for name in inst.aliases:
            out.append((name, inst.type, inst.id))
        if inst.title_nl and len(inst.title_nl) < 60:
            out.append((inst.title_nl, inst.type, inst.id))
    return tuple(out)


_Patterns = tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[str, str]]]
#: each register's name patterns, with the instruments they were made from
_PATTERNS: weakref.WeakKeyDictionary[Any, tuple[object, _Patterns]] = weakref.WeakKeyDictionary()


def _register_patterns(register: Any) -> _Patterns:
    """``alias_pattern(register_entries(register))``, remembered per register object while its
    instruments stay the same object (making the entries and looking them up in the cache of
    ``alias_pattern`` costs about 0.1 ms, more than a short text takes)."""
    try:
        instruments, patterns = _PATTERNS[register]
        if instruments is register.instruments:
            return patterns
    except (KeyError, TypeError):  # TypeError: an object without weak references
        pass
    patterns = alias_pattern(register_entries(register))
    with contextlib.suppress(TypeError):
        _PATTERNS[register] = (register.instruments, patterns)
    return patterns


@functools.lru_cache(maxsize=4096)  # the same names recur, in the same spelling
def _name_key(name: str) -> str:
    """A name as ``alias_pattern``'s lookup has it: single spaces, case folded."""
    return " ".join(name.split()).casefold()


def _alias_candidates(text: str, register: Any) -> Iterator[Candidate]:
    at_start, after_separator, lookup = _register_patterns(register)
    first = at_start.match(text)
    if first is not None:  # a name at the very start has no separator before it
        ctype, cid = lookup[_name_key(first[0])]
        yield new_candidate((0, first.end(), ctype, cid, None, 1, None))
    # a name is never followed by a word character, so the next one needs a separator too:
    # each search goes on from the end of the name before
    for m in after_separator.finditer(text, 0 if first is None else first.end()):
        start, end = m.span("name")
        ctype, cid = lookup[_name_key(m["name"])]
        yield new_candidate((start, end, ctype, cid, None, 1, None))


class Occupied:
    """Non-overlapping spans kept sorted, so an overlap test costs a binary search."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:
            return True
        return i < len(self.starts) and self.starts[i] < end

    @classmethod
    def of_sorted(cls, spans: list[Candidate]) -> Occupied:
        """The spans of ``spans``, whose starts never decrease: what :meth:`add` would make of
        them one by one (each lands at the end), without a binary search per span."""
        taken = cls()
        taken.starts = [c.start for c in spans]
        taken.ends = [c.end for c in spans]
        return taken

    def add_sorted(self, spans: list[tuple[int, int]]) -> None:
        """Spans in text order that overlap none here nor each other: what :meth:`add` makes
        of them one by one (no two spans here start at the same place, as none overlap)."""
        if spans:
            merged = sorted([*zip(self.starts, self.ends, strict=True), *spans])
            self.starts = [start for start, _ in merged]
            self.ends = [end for _, end in merged]

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _longest_first(c: Candidate) -> tuple[int, int, int]:
    return (c.start - c.end, -c.priority, c.start)


#: sort key of candidates in text order
SPAN = operator.itemgetter(0, 1)


def _greedy(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, longest first, then by priority, then by start; equal keys
    keep their order in ``cands``."""
    chosen: list[Candidate] = []
    taken = Occupied()
    for c in sorted(cands, key=_longest_first):
        if taken.overlaps(c.start, c.end):
            continue
        chosen.append(c)
        taken.add(c.start, c.end)
    return sorted(chosen, key=SPAN)


def select(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, longest first, then by priority: what ``_greedy(cands)``
    returns, in text order.

    Most candidates overlap no other. In text order, candidates form groups in which each one
    starts at or before the furthest end so far; a candidate can only be kept or dropped for a
    candidate of its own group, so a group of one is kept and the greedy choice runs per group.
    (A group holds every candidate that ``Occupied.overlaps`` could test against another one,
    empty spans and spans that only touch included, so the choice is the same.)
    """
    ordered = sorted(cands, key=SPAN)  # stable: equal spans keep their order in ``cands``
    chosen: list[Candidate] = []
    i, n = 0, len(ordered)
    while i < n:
        end = ordered[i].end
        j = i + 1
        while j < n and ordered[j].start <= end:
            end = max(end, ordered[j].end)
            j += 1
        if j == i + 1:
            chosen.append(ordered[i])
        else:
            chosen += _greedy(ordered[i:j])
        i = j
    return chosen


def find(text: str, register: Any) -> list[Candidate]:
    """All candidates of ``text``, overlaps resolved."""
    cands = list(_rule_candidates(text))
    if register is not None:
        cands += list(_alias_candidates(text, register))
    return select(cands)


def with_definition(text: str, c: Candidate) -> Candidate:
    """Extend a citation over an abbreviation defined in brackets right after it."""
    after = text[c.end : c.end + 1]
    if after != "(" and not after.isspace():
        return c  # DEFINED starts with optional white space (\s, i.e. str.isspace) and "("
    m = DEFINED.match(text, c.end)
    if not m or m["abbr"][0].isdigit():
        return c
    abbr = m["abbr"].strip()
    if not m["h"] and not (abbr[:1].isupper() and len(abbr) <= 10):
        return c
    return c._replace(end=m.end(), defines=abbr)
