"""Detectors on the seeds and on documents written for the tests (no curation involved)."""

from __future__ import annotations

import datetime as dt

import pytest

from lexgraph.policy import detect

from .harness import sample, seed

WOO = "000_3e05258bd5a6b280"
NOTE = "001_5eaab51baa93c604"
PIRI = "002_50923e3173a0bcfc"
VAN_DIJK = "003_6571167254aee64b"
VERZAMEL = "004_7ab7b858e0b64f93"


def _slice(text: str, span: detect.Span | None) -> str:
    assert span is not None
    return text[span.start : span.end]


def test_numbered_annex_questions_with_sub_questions_and_sections() -> None:
    text = seed(WOO).text
    hits = detect.detect_questions(text)
    labels = [h.label for h in hits]
    assert labels == [
        "1", "2", "3", "4", "5", "6", "6a", "6b", "6c", "6d", "6e", "6f",
        "A.1", "A.2", "A.3", "A.4", "A.4 (vervolg)", "B.1", "B.2",
    ]  # fmt: skip
    by = {h.label: h for h in hits}
    # a question that goes on after its first question mark stays one question
    assert _slice(text, by["5"].q).endswith("wat is de uitkomst van die juridische \nbeoordeling?")
    assert _slice(text, by["5"].a).startswith("Zie de reacties op vragen 3 en 4.")
    # question 6 is answered through its sub-questions only
    assert by["6"].a is None and by["6a"].parent == "6"
    # page furniture and a footnote between question 6b and its answer are skipped
    assert _slice(text, by["6b"].a).startswith("Dit vraagstuk is geen onderdeel")
    # B.1 is split over a blank line inside the question
    assert "verdragsverplichtingen van Nederland" in _slice(text, by["B.1"].q)
    assert _slice(text, by["B.1"].a).startswith("Terugkeergesprekken met ontheemden")
    # a stray footnote line between A.4 and its answer is not part of the answer
    assert _slice(text, by["A.4"].a).startswith("De vrijwillige terugkeer van Oekraïners")
    assert _slice(text, by["A.4 (vervolg)"].a).startswith("Er zijn geen gesprekken gevoerd")
    assert _slice(text, by["A.1"].a).endswith("d.d. 20 \ndecember 2024.7")


def test_vraag_antwoord_pairs_stop_before_footnotes() -> None:
    text = seed(VAN_DIJK).text
    hits = detect.detect_questions(text)
    assert [h.label for h in hits] == ["1", "2", "3", "4", "5", "6"]
    assert all(h.a is not None for h in hits)
    assert _slice(text, hits[0].a) == "Ja."
    assert _slice(text, hits[1].a).endswith("onder leiding \nvan de Europese Commissie.")
    assert _slice(text, hits[5].a).endswith("Dublinzaken.")


def test_decision_points_and_their_ad_sections() -> None:
    text = seed(NOTE).text
    points = detect.detect_points(text)
    assert [p.label for p in points] == ["a", "b", "c", "d", "e"]
    a = points[0]
    assert _slice(text, a.span).startswith("a. Een beleid op grond van artikel 15, onder c,")
    assert _slice(text, a.explanation).startswith("Ad a) 15c-beleid (gradatie i:")
    assert "Ad b)" not in _slice(text, a.explanation)
    e = points[4]
    assert _slice(text, e.explanation).endswith(
        "geen aanleiding voor het voeren van bijzonder beleid."
    )


def test_no_points_or_questions_where_there_are_none() -> None:
    text = seed(VERZAMEL).text
    assert detect.detect_points(text) == []
    assert detect.detect_questions(text) == []  # "1. Een wijziging ..." is a list, not questions
    assert detect.detect_questions(seed(PIRI).text) == []


def test_reported_commitment_kept_in_the_same_letter() -> None:
    text = seed(PIRI).text
    [hit] = detect.detect_commitments(text)
    assert hit.kind == "fulfilled"
    assert hit.maker == "De Minister van Buitenlandse Zaken"
    assert _slice(text, hit.span).endswith("aan uw Kamer zou sturen.")
    assert _slice(text, hit.response) == "Die toezegging doe ik hierbij gestand."


def test_commitments_to_members_and_as_promised_across_double_spaced_lines() -> None:
    text = seed(VERZAMEL).text
    to_members = [h for h in detect.detect_commitments(text) if h.kind == "reported"]
    assert [h.made_to for h in to_members] == [("Podt", "D66"), ("Michon Derkzen", "VVD")]
    assert _slice(text, to_members[0].span) == (
        "het lid Podt (D66) over het non-\n\nrefoulementsbeginsel in relatie tot terugkeer naar "
        "Oekraïne"
    )
    hits = [h for h in detect.detect_commitments(text) if h.kind != "reported"]
    assert [h.kind for h in hits] == ["fulfilled", "fulfilled"]
    assert _slice(text, hits[0].span).startswith("Ook bespreek ik enkele")
    assert (
        _slice(text, hits[1].span)
        == "Zoals toegezegd kom ik in \n deze brief terug op die cijfers."
    )


def test_new_commitment_with_deadline_is_detected() -> None:
    text = sample("brief-toezegging").text
    first, second = detect.detect_commitments(text)
    assert first.kind == "new" and first.deadline == dt.date(2026, 10, 1)
    assert _slice(text, first.span).startswith("Ik zeg toe dat ik uw Kamer vóór 1 oktober 2026")
    assert second.kind == "new" and second.deadline is None
    assert "zeg ik u toe" in _slice(text, second.span)


def test_members_with_party_across_line_breaks() -> None:
    members = {(m.name, m.party) for m in detect.detect_members(seed(VERZAMEL).text)}
    assert members == {("Podt", "D66"), ("Michon Derkzen", "VVD"), ("Van Zanten", "BBB")}


@pytest.mark.parametrize(
    ("stem", "keys"),
    [
        (PIRI, ["motion:piri", "motion:piri"]),
        (
            VERZAMEL,
            [
                "motion:boomsma-van-zanten",
                "motion:claassen-vondeling",
                "motion:boomsma-van-zanten",
                "motion:claassen-vondeling",
            ],
        ),
    ],
)
def test_motion_phrases_and_submitters(stem: str, keys: list[str]) -> None:
    assert [m.key for m in detect.detect_motions(seed(stem).text)] == keys


def test_motion_phrases_in_a_new_letter() -> None:
    hits = detect.detect_motions(sample("brief-motie-oordeel").text)
    assert [(m.key, m.submitters) for m in hits] == [
        ("motion:jansen", ("Jansen",)),
        ("motion:van-der-berg-de-groot", ("Van der Berg", "De Groot")),
    ]


def test_appreciations() -> None:
    text = sample("brief-motie-oordeel").text
    hits = detect.detect_appreciations(text)
    assert [h.value for h in hits] == ["oordeel-kamer", "ontraden"]
    assert _slice(text, hits[0].span).endswith(
        "laat ik \nhet oordeel over deze motie aan de Kamer."
    )
    [piri] = detect.detect_appreciations(seed(PIRI).text)
    assert piri.value == "ontraden"
    assert _slice(seed(PIRI).text, piri.span) == "Gelet op het voorgaande ontraad ik de motie."


@pytest.mark.parametrize(
    "sentence",
    [
        "Deze motie laat ik aan het oordeel van de Kamer.",
        "De motie laat ik graag aan het oordeel van uw Kamer.",
        "Appreciatie: oordeel Kamer.",
    ],
)
def test_oordeel_kamer_variants(sentence: str) -> None:
    assert [h.value for h in detect.detect_appreciations(sentence)] == ["oordeel-kamer"]


def test_end_date_statements_in_the_seeds() -> None:
    found = {
        stem: [h.date.isoformat() for h in detect.detect_end_dates(seed(stem).text)]
        for stem in (WOO, NOTE, PIRI, VAN_DIJK, VERZAMEL)
    }
    assert found == {
        WOO: ["2026-03-04", "2027-03-04"],
        NOTE: ["2027-03-05", "2028-03-04", "2027-03-04"],
        PIRI: [],
        VAN_DIJK: [],
        VERZAMEL: ["2027-03-04"],
    }
    note = seed(NOTE).text
    five = detect.detect_end_dates(note)[0]
    assert _slice(note, five.span) == (
        "Het einde van de tijdelijke bescherming is op dit moment voorzien voor 5 maart 2027."
    )


def test_new_documents_get_question_answer_pairs() -> None:
    text = sample("antwoorden-kamervragen").text
    hits = detect.detect_questions(text)
    assert [h.label for h in hits] == ["1", "2", "3"]
    assert _slice(text, hits[1].a).endswith("voor de zomer geïnformeerd.")
    assert _slice(text, hits[2].a) == "Ja. Het overleg met de VNG vindt plaats in april."
    annex = sample("bijlage-vragenlijst").text
    labels = [(h.label, h.a is not None) for h in detect.detect_questions(annex)]
    assert labels == [("1", True), ("2", False), ("2a", True), ("2b", True), ("A.1", True)]
    [end] = detect.detect_end_dates(text)
    assert _slice(text, end.span).startswith("De tijdelijke bescherming onder de Richtlijn")
