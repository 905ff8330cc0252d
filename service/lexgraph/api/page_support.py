"""Support for the server-rendered web pages: languages, labels, dates and marked-up text.

Domain words (commitment, motion, status, the concepts of the SKOS vocabularies) come from the
ontology graph in the store, in Dutch or English (``rdfs:label`` / ``skos:prefLabel`` with
``@nl`` / ``@en``); only the words of the page furniture (navigation, headings that name no
ontology term) are kept here in :data:`UI`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

from lexgraph import iris
from lexgraph.api.graphdata import select
from lexgraph.policy.text import MONTHS as DUTCH_MONTHS
from lexgraph.store.base import GraphStore

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"
LKG = "https://w3id.org/lexgraph/ontology#"
VOCAB = "https://w3id.org/lexgraph/vocab/"

#: Words of the page furniture; every key exists in both languages (a test checks this).
UI: dict[str, dict[str, str]] = {
    "nl": {
        "skip": "Naar de inhoud",
        "nav": "Hoofdnavigatie",
        "board": "Overzicht",
        "documents": "Documenten",
        "instruments": "Instrumenten",
        "timeline": "Tijdlijn",
        "sparql": "SPARQL",
        "language": "Taal",
        "board_title": "Toezeggingen en moties",
        "board_intro": (
            "Elke toezegging en motie met status, wie, wanneer en waar, en de passage die "
            "haar beantwoordt, met een link naar die passage in het document."
        ),
        "answers": "Beantwoord in",
        "answer": "Antwoord",
        "evidence": "Vindplaats",
        "not_answered": "Nog niet beantwoord",
        "no_appreciation": "Geen appreciatie bekend",
        "follow_up": "Opvolging",
        "where": "Waar",
        "date": "Datum",
        "title": "Titel",
        "id": "Kenmerk",
        "citations": "Verwijzingen",
        "cited_by": "Wie verwijst ernaar",
        "what_depends": "Wat ervan afhangt",
        "crosswalk": "Identificaties en vindplaatsen",
        "names": "Namen",
        "provisions": "Bepalingen",
        "validity": "Geldigheid",
        "network": "Verwijzingsnetwerk",
        "network_intro": (
            "De omgeving in het verwijzingsnetwerk, twee stappen ver; elk knooppunt is een link."
        ),
        "contents": "Inhoud",
        "text": "Tekst",
        "view_json": "Als JSON",
        "none": "Geen",
        "legend": "Legenda",
        "citation": "verwijzing",
        "count": "Aantal",
        "timeline_title": "Perioden van tijdelijke bescherming",
        "timeline_intro": (
            "De perioden waarin de Richtlijn tijdelijke bescherming voor Oekraïne gold, met het "
            "besluit erachter, en wat elk document over de einddatum zegt. Uitspraken die "
            "afwijken van de einddatum van hun periode staan gemarkeerd als tegenstrijdig."
        ),
        "conflict": "tegenstrijdig",
        "decision": "Besluit",
        "statements": "Uitspraken over de einddatum",
        "period": "periode",
        "repealed": "ingetrokken",
        "depth": "diepte",
        "via_repealed": "via een ingetrokken instrument",
        "applies_from": "van toepassing vanaf",
        "no_longer_in_force": "niet meer van kracht sinds",
        "repealed_by": "ingetrokken bij",
        "error": "Fout",
        "back_to_board": "Terug naar het overzicht",
        "open_network": "Netwerk als SVG",
        "filter": "Filter",
        "questions": "Vragen en antwoorden",
        "question_n": "Vraag",
        "answer_n": "Antwoord",
        "point_n": "Beslispunt",
        "grounded_by": "gebaseerd op",
        "highlighted": "gemarkeerde passage",
        "other_pages": "Zie ook",
        "api": "REST API",
        "kind": "Soort",
        "expired": "verlopen",
        "all_via_repealed": "Alles hieronder steunt op een instrument dat niet meer geldt.",
        "cited_after_end": "aangehaald nadat het niet meer gold",
        "commitments": "Toezeggingen",
        "motions": "Moties",
    },
    "en": {
        "skip": "Skip to content",
        "nav": "Main navigation",
        "board": "Board",
        "documents": "Documents",
        "instruments": "Instruments",
        "timeline": "Timeline",
        "sparql": "SPARQL",
        "language": "Language",
        "board_title": "Commitments and motions",
        "board_intro": (
            "Every commitment and motion with its status, who, when and where, and the passage "
            "that answers it, linked to that passage in the document."
        ),
        "answers": "Answered in",
        "answer": "Answer",
        "evidence": "Where made",
        "not_answered": "Not answered yet",
        "no_appreciation": "No appreciation known",
        "follow_up": "Follow-up",
        "where": "Where",
        "date": "Date",
        "title": "Title",
        "id": "Id",
        "citations": "Citations",
        "cited_by": "Who cites it",
        "what_depends": "What depends on it",
        "crosswalk": "Identifiers and where to read it",
        "names": "Names",
        "provisions": "Provisions",
        "validity": "Validity",
        "network": "Citation network",
        "network_intro": (
            "The neighbourhood in the citation network, two links out; every node is a link."
        ),
        "contents": "Contents",
        "text": "Text",
        "view_json": "As JSON",
        "none": "None",
        "legend": "Legend",
        "citation": "citation",
        "count": "Count",
        "timeline_title": "Periods of temporary protection",
        "timeline_intro": (
            "The periods in which the Temporary Protection Directive applied to Ukraine, with the "
            "decision behind each, and what every document says about the end date. Statements "
            "that differ from the end of their period are marked as conflicting."
        ),
        "conflict": "conflicting",
        "decision": "Decision",
        "statements": "Statements about the end date",
        "period": "period",
        "repealed": "repealed",
        "depth": "depth",
        "via_repealed": "through a repealed instrument",
        "applies_from": "applies from",
        "no_longer_in_force": "no longer in force since",
        "repealed_by": "repealed by",
        "error": "Error",
        "back_to_board": "Back to the board",
        "open_network": "Network as SVG",
        "filter": "Filter",
        "questions": "Questions and answers",
        "question_n": "Question",
        "answer_n": "Answer",
        "point_n": "Policy point",
        "grounded_by": "grounded by",
        "highlighted": "highlighted passage",
        "other_pages": "See also",
        "api": "REST API",
        "kind": "Kind",
        "expired": "expired",
        "all_via_repealed": "Everything below rests on an instrument that no longer applies.",
        "cited_after_end": "cited after it stopped applying",
        "commitments": "Commitments",
        "motions": "Motions",
    },
}

_MONTHS = {
    "nl": list(DUTCH_MONTHS),  # the names the policy layer reads dates by, in month order
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")

_LABELS = f"""
SELECT ?s ?label (LANG(?label) AS ?lang) WHERE {{
  GRAPH <{iris.ONTOLOGY_GRAPH}> {{ ?s rdfs:label|skos:prefLabel ?label }}
}}
"""


def pick_lang(value: str | None) -> str:
    """The page language: ``nl`` or ``en`` (anything else falls back to Dutch)."""
    return value if value in LANGS else DEFAULT_LANG


def format_date(value: str | None, lang: str) -> str:
    """``2026-07-02`` as "2 juli 2026" / "2 July 2026"; other strings unchanged."""
    if not value:
        return ""
    m = _DATE.match(value)
    if not m:
        return value
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return value
    return f"{d.day} {_MONTHS[lang][d.month - 1]} {d.year}"


@dataclass
class Labels:
    """Ontology labels in one language (falling back to the other), looked up by IRI or by a
    short form: ``lkg:Commitment`` or a vocabulary path such as ``commitment-status/fulfilled``."""

    lang: str
    by_iri: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def iri(self, key: str) -> str:
        if key.startswith("lkg:"):
            return LKG + key[4:]
        if "://" in key:
            return key
        return VOCAB + key

    def __call__(self, key: str | None, default: str | None = None) -> str:
        if not key:
            return default or ""
        found = self.by_iri.get(self.iri(key), {})
        for lang in (self.lang, *LANGS, ""):
            if lang in found:
                return found[lang]
        return default if default is not None else key.rsplit("/", 1)[-1].rsplit(":", 1)[-1]

    def has(self, key: str) -> bool:
        return self.iri(key) in self.by_iri

    def cap(self, key: str | None, default: str | None = None) -> str:
        """The label with its first letter capitalised (for headings and table heads)."""
        text = self(key, default)
        return text[:1].upper() + text[1:]


async def load_labels(store: GraphStore, lang: str) -> Labels:
    """Every ``rdfs:label``/``skos:prefLabel`` of the ontology graph, by IRI and language."""
    by_iri: dict[str, dict[str, str]] = {}
    for row in await select(store, _LABELS):
        by_iri.setdefault(row["s"], {}).setdefault(row.get("lang", ""), row["label"])
    return Labels(lang, by_iri)


# --------------------------------------------------------------------------------------------
# Marked-up document text
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of the text to wrap in an element: ``tag`` with ``attrs`` (escaped on output).

    ``first_attrs`` are written only on the first piece when a span has to be split to keep the
    markup well nested (an ``id`` must occur once).
    """

    start: int
    end: int
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    first_attrs: tuple[tuple[str, str], ...] = ()
    rank: int = 0  # among spans with the same extent, the lower rank is the outer element


def _open(span: Span, first: bool) -> str:
    attrs = span.attrs + (span.first_attrs if first else ())
    return f"<{span.tag}" + "".join(f' {k}="{escape(v)}"' for k, v in attrs) + ">"


def mark_up(text: str, spans: Iterable[Span]) -> Markup:
    """The text, escaped, with every span wrapped in its element.

    Spans may overlap in any way (a commitment passage that starts inside a citation, a policy
    point that contains several): an element that must close while others opened after it are
    still open closes those, and they are reopened after it, so the markup is always well nested.
    Spans outside the text or empty are left out.
    """
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    opens: dict[int, list[Span]] = {}
    closes: dict[int, list[Span]] = {}
    for s in valid:
        opens.setdefault(s.start, []).append(s)
        closes.setdefault(s.end, []).append(s)
    points = sorted(set(opens) | set(closes) | {0, len(text)})
    out: list[str] = []
    stack: list[Span] = []
    seen: set[int] = set()
    prev = 0
    for pos in points:
        out.append(str(escape(text[prev:pos])))
        prev = pos
        for span in closes.get(pos, ()):
            if not any(open_span is span for open_span in stack):
                continue
            reopen: list[Span] = []
            while stack:
                top = stack.pop()
                out.append(f"</{top.tag}>")
                if top is span:
                    break
                reopen.append(top)
            for again in reversed(reopen):
                out.append(_open(again, first=False))
                stack.append(again)
        for span in sorted(opens.get(pos, ()), key=lambda s: (-s.end, s.rank)):
            first = id(span) not in seen
            seen.add(id(span))
            out.append(_open(span, first=first))
            stack.append(span)
    out.append(str(escape(text[prev:])))
    while stack:
        out.append(f"</{stack.pop().tag}>")
    return Markup("".join(out))
