"""The web pages, in process, over the real seed build: what a reader checks on each page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from lexgraph.api.page_support import UI, Span, format_date, mark_up
from lexgraph.api.routers.pages import CSP

from .html_tree import Element, parse

TEMPLATES = Path(__file__).resolve().parents[2] / "service" / "lexgraph" / "api" / "templates"
PAGES = [
    "/",
    "/?lang=en",
    "/pages/documents",
    "/pages/documents/7747653",
    "/pages/documents/7753121",
    "/pages/documents/6511548",
    "/pages/documents/2022-11-07-antwoorden-van-dijk-mobilisatie-rusland",
    "/pages/documents/2025-07-beslisnota-verzamelbrief-opvang-oekraine",
    "/pages/instruments",
    "/pages/instruments/celex:32011L0095",
    "/pages/instruments/motion:piri",
    "/pages/timeline",
    "/pages/network?iri=http://data.europa.eu/eli/dir/2011/95/oj",
]
NAV = ["/", "/pages/documents", "/pages/instruments", "/pages/timeline", "/sparql"]


def page(client: TestClient, path: str, status: int = 200) -> Element:
    response = client.get(path)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CSP
    return parse(response.text)


def nav_paths(tree: Element) -> list[str]:
    nav = tree.find("nav")
    return [urlsplit(h).path for h in nav.links()]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_layout_navigation_and_no_inline_code(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    tree = parse(response.text)  # well nested, or the parser fails the test
    html = tree.find("html")
    assert html.attrs["lang"] == ("en" if "lang=en" in path else "nl")
    assert tree.find("a", class_="skip-link").attrs["href"] == "#main"
    assert tree.by_id("main").tag == "main"
    for target in NAV:
        assert target in nav_paths(tree), f"{path} lacks a link to {target}"
    assert len(tree.find_all("h1")) == 1
    for script in tree.find_all("script"):
        assert script.attrs.get("src", "").startswith("/static/"), "inline script"
    assert not [el for el in tree.iter() if "style" in el.attrs], "inline style attribute"
    assert not tree.find_all("style")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]


def test_static_assets_are_served_locally(client: TestClient) -> None:
    for asset in ("/static/lexgraph.css", "/static/lexgraph-pages.js", "/static/favicon.svg"):
        assert client.get(asset).status_code == 200
    css = client.get("/static/lexgraph.css").text
    assert ":focus-visible" in css and "http" not in css.replace("http://www.w3.org", "")


def test_board_shows_motion_piri_advised_against_with_the_letter_of_2_july_2026(
    client: TestClient,
) -> None:
    tree = page(client, "/")
    row = tree.by_id("motion-piri")
    assert "ontraden" in row.text
    assert "Piri (Pro)" in row.text
    link = next(a for a in row.find_all("a") if "/pages/documents/7753121" in a.attrs["href"])
    assert link.text.startswith("Appreciatie motie Piri")
    assert "2 juli 2026" in row.text
    assert "Gelet op het voorgaande ontraad ik de motie." in row.text
    # the link leads to the passage, highlighted in the document view
    target = page(client, link.attrs["href"].split("#")[0])
    assert target.by_id("hl").text == "Gelet op het voorgaande ontraad ik de motie."


def test_board_lists_every_commitment_with_status_who_when_and_answer(client: TestClient) -> None:
    tree = page(client, "/")
    rows = tree.by_id("commitments").find("tbody").find_all("tr")
    named = client.get("/queries/commitments").json()["results"]["bindings"]
    assert {r.attrs["id"].removeprefix("commitment-") for r in rows} == {
        b["commitment"]["value"].rsplit("/", 1)[-1] for b in named
    }
    piri = tree.by_id("commitment-appreciatie-motie-piri")
    cells = piri.find_all("td")
    assert cells[0].text.strip() == "voldaan"
    assert "Minister van Buitenlandse Zaken" in cells[1].text
    assert "2 juli 2026" in cells[2].text and "Tweeminutendebat Oekraïne" in cells[2].text
    assert "Die toezegging doe ik hierbij gestand." in cells[4].text
    partly = tree.by_id("commitment-bestuurlijke-overleggen")
    assert "deels voldaan" in partly.text and "voldoet deels aan" in partly.text


def test_board_in_english_keeps_the_dutch_appreciation_and_the_language(
    client: TestClient,
) -> None:
    tree = page(client, "/?lang=en")
    assert tree.find("h1").text == "Commitments and motions"
    row = tree.by_id("motion-piri")
    assert "advised against" in row.text and "(ontraden)" in row.text
    assert "2 July 2026" in row.text
    links = [h for h in tree.links() if h.startswith("/pages/")]
    assert links and all("lang=en" in h for h in links)
    assert "fulfilled" in tree.by_id("commitment-appreciatie-motie-piri").text


def test_bad_language_is_a_clear_400_page(client: TestClient) -> None:
    tree = page(client, "/?lang=de", status=400)
    assert "lang=nl or lang=en" in tree.find("p", class_="error-message").text


def test_documents_list_links_every_document(client: TestClient) -> None:
    tree = page(client, "/pages/documents")
    ids = [d["documentId"] for d in client.get("/documents").json()["items"]]
    links = tree.by_id("documents").links()
    assert sorted(links) == sorted(f"/pages/documents/{i}" for i in ids)
    assert "beslisnota" in tree.by_id("documents").text


def _doc_text(tree: Element) -> str:
    return tree.find("div", class_="doc-text").text


@pytest.mark.parametrize(
    "document_id",
    [
        "6511548",
        "7747653",
        "7753121",
        "2022-11-07-antwoorden-van-dijk-mobilisatie-rusland",
        "2025-07-beslisnota-verzamelbrief-opvang-oekraine",
    ],
)
def test_document_view_keeps_the_text_byte_for_byte(client: TestClient, document_id: str) -> None:
    tree = page(client, f"/pages/documents/{document_id}")
    detail = client.get(f"/documents/{document_id}").json()
    assert _doc_text(tree) == detail["text"]
    spans = tree.find("div", class_="doc-text")
    links = spans.find_all("a", class_="cite")
    resolved = [c for c in detail["citations"] if c["citedId"]]
    assert links, "no citation highlighted"
    for a in links:
        cid = a.attrs["data-cid"]
        assert a.attrs["href"] == f"/pages/instruments/{cid}"
        assert any(c["citedId"] == cid and a.text in detail["text"] for c in resolved)


def test_decision_note_links_its_citation_of_directive_2011_95(client: TestClient) -> None:
    tree = page(client, "/pages/documents/7747653")
    cites = tree.find_all("a", class_="cite", **{"data-cid": "celex:32011L0095"})
    texts = {a.text for a in cites}
    assert "Richtlijn 2011/95/EU" in texts
    assert all(a.attrs["href"] == "/pages/instruments/celex:32011L0095" for a in cites)
    # policy points a–e are marked and listed with their grounds
    for letter in "abcde":
        assert tree.by_id(f"point-{letter}").attrs["data-label"] == f"Beslispunt {letter}"
    toc = tree.find("ul", class_="toc-points")
    assert "#point-a" in toc.links()
    assert "/pages/instruments/celex:32011L0095" in toc.links()
    assert "art. 15(c)" in toc.text


def test_answers_document_marks_question_and_answer_pairs(client: TestClient) -> None:
    doc = "2022-11-07-antwoorden-van-dijk-mobilisatie-rusland"
    tree = page(client, f"/pages/documents/{doc}")
    pairs = client.get(f"/queries/questions-answers?document={doc}").json()
    numbers = [b["number"]["value"] for b in pairs["results"]["bindings"]]
    assert numbers
    for n in numbers:
        assert tree.by_id(f"question-{n.lower()}").attrs["data-label"] == f"Vraag {n}"
    answers = [el for el in tree.find_all("span", class_="mark-answer") if "id" in el.attrs]
    assert answers
    toc = tree.find("ul", class_="toc-qa").links()
    assert "#question-1" in toc


def test_highlight_parameter(client: TestClient) -> None:
    text = client.get("/documents/7753121").json()["text"]
    tree = page(client, "/pages/documents/7753121?hl=0-20")
    assert tree.by_id("hl").text == text[0:20]
    assert not page(client, "/pages/documents/7753121?hl=0-99999999").find_all("mark")
    for bad in ("5-3", "x", "1-2-3", "-1-4"):
        tree = page(client, f"/pages/documents/7753121?hl={bad}", status=400)
        assert "START-END" in tree.find("p", class_="error-message").text


def test_unknown_and_malformed_documents(client: TestClient) -> None:
    assert "no document" in page(client, "/pages/documents/nope", 404).text
    page(client, "/pages/documents/a%20b", 400)


def test_json_document_api_is_unchanged(client: TestClient) -> None:
    response = client.get("/documents/7747653")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["documentId"] == "7747653"
    assert client.get("/documents/7747653?format=html").status_code == 200


def test_instrument_page_of_directive_2011_95(client: TestClient) -> None:
    tree = page(client, "/pages/instruments/celex:32011L0095")
    assert "2011/95/EU" in tree.find("h1").text
    crosswalk = tree.by_id("crosswalk")
    assert "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0095" in (
        crosswalk.links()
    )
    assert "http://data.europa.eu/eli/dir/2011/95/oj" in crosswalk.links()
    cited = client.get("/queries/citations-of?id=celex:32011L0095").json()
    rows = tree.by_id("citations").find("tbody").find_all("tr")
    assert len(rows) == len(cited["results"]["bindings"])
    assert all("/pages/documents/7747653?hl=" in r.links()[0] for r in rows)
    impact = tree.by_id("impact-set")
    assert "/pages/documents/7747653#point-a" in impact.links()
    assert "/pages/documents/7747653" in impact.links()
    assert "Beslispunt a (7747653)" in impact.text
    svg = tree.by_id("network-svg")
    assert svg.tag == "svg"
    assert "/pages/documents/7747653" in svg.links()
    centre = svg.find("a", class_="node-centre")
    assert centre.attrs["href"] == "/pages/instruments/celex:32011L0095"


def test_repealed_directive_shows_dependents_cited_after_it_stopped_applying(
    client: TestClient,
) -> None:
    tree = page(client, "/pages/instruments/celex:32013L0032")
    impact = tree.by_id("impact-set")
    assert "aangehaald nadat het niet meer gold" in impact.text
    assert "/pages/instruments/celex:32024R1348" in tree.links()  # repealed by


@pytest.mark.parametrize(
    ("cid", "link"),
    [
        ("bwb:BWBR0011823", "https://wetten.overheid.nl/BWBR0011823"),
        ("kst:19637-3338", "https://zoek.officielebekendmakingen.nl/kst-19637-3338"),
        (
            "celex:32001L0055",
            "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32001L0055",
        ),
    ],
)
def test_crosswalk_links_to_official_sites(client: TestClient, cid: str, link: str) -> None:
    assert link in page(client, f"/pages/instruments/{cid}").by_id("crosswalk").links()


def test_instrument_errors(client: TestClient) -> None:
    assert "invalid instrument id" in page(client, "/pages/instruments/celex:9", 400).text
    page(client, "/pages/instruments/celex:32099L0001", 404)


def test_instruments_list_links_every_instrument_page(client: TestClient) -> None:
    tree = page(client, "/pages/instruments")
    links = tree.by_id("instruments").links()
    assert "/pages/instruments/celex:32011L0095" in links
    assert "/pages/instruments/motion:piri" in links
    for href in links[:5]:
        assert client.get(href).status_code == 200


def test_network_svg_is_valid_deterministic_and_linked(client: TestClient) -> None:
    url = "/pages/network.svg?iri=http://data.europa.eu/eli/dir/2011/95/oj"
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("image/svg+xml")
    assert first.text == second.text
    root = ET.fromstring(first.text.encode())
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == ns + "svg"
    hrefs = [a.get("href") for a in root.iter(ns + "a")]
    assert "/pages/instruments/celex:32011L0095" in hrefs
    assert "/pages/documents/7747653" in hrefs
    assert len(list(root.iter(ns + "line"))) >= len(hrefs) - 1


def test_network_of_a_document_and_errors(client: TestClient) -> None:
    tree = page(client, "/pages/network?iri=https://w3id.org/lexgraph/id/doc/7747653")
    links = tree.by_id("network-svg").links()
    assert "/pages/instruments/celex:32011L0095" in links
    assert "/pages/documents/7747653#point-a" in links
    page(client, "/pages/network?iri=javascript:alert(1)", 400)
    page(client, "/pages/network", 400)
    page(client, "/pages/network?iri=https://example.org/unknown", 404)
    assert client.get("/pages/network.svg?iri=https://example.org/x").status_code == 404


def test_timeline_shows_periods_and_the_conflicting_end_date(client: TestClient) -> None:
    tree = page(client, "/pages/timeline")
    periods = tree.by_id("periods").find("tbody").find_all("tr")
    assert len(periods) == 5
    conflict = tree.by_id("statements").find("tbody").find_all("tr", class_="conflict-row")
    assert len(conflict) == 1
    assert "5 maart 2027" in conflict[0].text and "4 maart 2027" in conflict[0].text
    assert "tegenstrijdig" in conflict[0].text
    assert any(h.startswith("/pages/documents/7747653?hl=") for h in conflict[0].links())
    svg = tree.by_id("timeline-svg")
    assert len(svg.find("g", class_="periods").find_all("rect")) == 5
    assert len(svg.find_all("a", class_="statement-conflict")) == 1
    assert "/pages/instruments/celex:32025D1460" in svg.links()


def test_ui_words_exist_in_both_languages() -> None:
    assert set(UI["nl"]) == set(UI["en"])
    used = set()
    for template in TEMPLATES.glob("*.*"):
        used |= set(re.findall(r"page\.t\.([a-z_]+)", template.read_text()))
        used |= set(re.findall(r"page\.t\[['\"]([a-z_]+)['\"]\]", template.read_text()))
    assert used - set(UI["nl"]) == set()


def test_ontology_terms_in_templates_have_both_labels(client: TestClient) -> None:
    """Every ``lkg:`` term a template names has a Dutch and an English label in the ontology."""
    terms: set[str] = set()
    for template in TEMPLATES.glob("*.*"):
        terms |= set(re.findall(r"page\.L(?:\.cap)?\('lkg:([A-Za-z]+)'", template.read_text()))
    assert "Commitment" in terms
    for term in sorted(terms):
        query = (
            "SELECT (LANG(?l) AS ?lang) WHERE { <https://w3id.org/lexgraph/ontology#"
            + term
            + "> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
        rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
        assert {r["lang"]["value"] for r in rows} >= {"nl", "en"}, term


def test_format_date() -> None:
    assert format_date("2026-07-02", "nl") == "2 juli 2026"
    assert format_date("2026-07-02", "en") == "2 July 2026"
    assert format_date("2026-02-30", "nl") == "2026-02-30"
    assert format_date("soon", "en") == "soon"


spans = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 12), st.sampled_from(["a", "span", "mark"])),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab<&> \n\"'", min_size=0, max_size=30), spans)
def test_mark_up_is_well_nested_and_keeps_the_text(
    text: str, raw: list[tuple[int, int, str]]
) -> None:
    items = [
        Span(s, s + n, tag, (("class", "k"),), (("id", f"s{i}"),))
        for i, (s, n, tag) in enumerate(raw)
    ]
    tree = parse("<div>" + str(mark_up(text, items)) + "</div>")
    assert tree.find("div").text == text
    valid = [s for s in items if s.end <= len(text)]
    for s in valid:  # the id is written once, on the first piece
        assert len(tree.find_all(None, id=s.first_attrs[0][1])) == 1


def test_links_in_markup_are_escaped() -> None:
    out = str(mark_up('<b>"x"</b>', [Span(0, 3, "a", (("href", '/"><script>'),))]))
    assert "<script>" not in out and "&lt;b&gt;" in out


def test_readme_lists_the_pages_and_each_answers(client: TestClient) -> None:
    readme = (TEMPLATES.parents[3] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Web pages", 1)[1].split("\n## ", 1)[0]
    paths = re.findall(r"^\| `(/[^`]*)` \|", section, flags=re.MULTILINE)
    assert len(paths) >= 8
    for path in paths:
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
