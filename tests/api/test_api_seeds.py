"""The real build of graph_data/ served by ``lexgraph serve``: the "Done when" checks of the
endpoint issue, and every document, instrument and anchored fact reachable through the API."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from conftest import TOKEN, Server, load_store, start_server, stop_server
from rdflib import URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, SPARQLWrapper

from lexgraph.settings import Settings

pytestmark = pytest.mark.integration

SEED_IDS = {
    "6511548",
    "7747653",
    "7753121",
    "2022-11-07-antwoorden-van-dijk-mobilisatie-rusland",
    "2025-07-beslisnota-verzamelbrief-opvang-oekraine",
}
DOCS_QUERY = (
    "SELECT ?d ?id WHERE { ?d <https://w3id.org/lexgraph/ontology#documentId> ?id } ORDER BY ?id"
)
ANCHORED = """
SELECT ?fact ?start ?end ?exact ?text WHERE {
  ?fact <http://www.w3.org/ns/oa#hasSource> ?doc ;
        <http://www.w3.org/ns/oa#hasSelector> ?p , ?q .
  ?p <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end .
  ?q <http://www.w3.org/ns/oa#exact> ?exact .
  ?doc <https://w3id.org/lexgraph/ontology#text> ?text .
}
"""


@pytest.fixture(scope="module")
def seed_graphs() -> dict[str, bytes]:
    """The real build of the five seeds (in memory; the repository's build folder is untouched)."""
    from lexgraph.build import build_dataset

    ds = build_dataset(Settings())
    return {
        str(g.identifier): g.serialize(format="nt", encoding="utf-8")
        for g in ds.graphs()
        if isinstance(g.identifier, URIRef) and len(g)
    }


@pytest.fixture(scope="module")
def seed_server(
    tmp_path_factory: pytest.TempPathFactory, seed_graphs: dict[str, bytes]
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("seeds")
    load_store(root / "store", seed_graphs)
    srv = start_server(root / "store", root / "server.log")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def direct(seed_graphs: dict[str, bytes]) -> ox.Store:
    store = ox.Store()
    for iri, nt in seed_graphs.items():
        store.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    return store


def direct_rows(store: ox.Store, query: str, names: tuple[str, ...]) -> list[tuple[str, ...]]:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return [tuple(s[n].value for n in names) for s in solutions]


def test_done_when_curl_csv(seed_server: Server) -> None:
    done = subprocess.run(
        [
            "curl",
            "-s",
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            "query=SELECT ?d WHERE {?d a ?t} LIMIT 3",
            seed_server.url("/sparql"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["d"] and len(rows) == 4


def test_clients_get_the_rows_of_a_direct_query(seed_server: Server, direct: ox.Store) -> None:
    expected = direct_rows(direct, DOCS_QUERY, ("d", "id"))
    assert {row[1] for row in expected} == SEED_IDS
    sw = SPARQLWrapper(seed_server.url("/sparql"))
    sw.setQuery(DOCS_QUERY)
    sw.setReturnFormat(JSON)
    result = sw.query().convert()
    assert isinstance(result, dict)
    got = [(b["d"]["value"], b["id"]["value"]) for b in result["results"]["bindings"]]
    assert got == expected
    sw.setReturnFormat(CSV)
    data = sw.query().convert()
    assert isinstance(data, bytes)
    assert [tuple(r) for r in csv.reader(io.StringIO(data.decode()))][1:] == expected
    graph = SPARQLStore(query_endpoint=seed_server.url("/sparql"))
    assert [tuple(str(v) for v in r) for r in graph.query(DOCS_QUERY)] == expected  # type: ignore[union-attr]


def test_every_document_reads_back(seed_server: Server) -> None:
    with httpx.Client(base_url=seed_server.base, timeout=30) as c:
        listed = c.get("/documents").json()
        assert listed["total"] == 5
        assert {d["documentId"] for d in listed["items"]} == SEED_IDS
        for doc_id in SEED_IDS:
            doc = c.get(f"/documents/{doc_id}").json()
            text = doc["text"]
            assert doc["passages"]
            for p in doc["passages"]:
                assert 0 <= p["start"] < p["end"] <= len(text)
            for cit in doc["citations"]:
                assert cit["exact"] == text[cit["start"] : cit["end"]]
            page = c.get(f"/documents/{doc_id}", params={"format": "html"})
            assert page.status_code == 200
            assert page.text.count('class="citation"') <= len(doc["citations"])


def test_provenance_of_every_anchored_fact(seed_server: Server, direct: ox.Store) -> None:
    facts = direct_rows(direct, ANCHORED, ("fact", "start", "end", "exact", "text"))
    assert len(facts) > 100
    with httpx.Client(base_url=seed_server.base, timeout=30) as c:
        for fact, start, end, exact, text in facts[:: max(1, len(facts) // 60)]:
            assert text[int(start) : int(end)] == exact
            body = c.get("/provenance", params={"iri": fact}).json()
            selectors = {s["@type"]: s for s in body["hasSelector"]}
            pos = selectors["TextPositionSelector"]
            assert (pos["start"], pos["end"]) == (int(start), int(end))
            assert selectors["TextQuoteSelector"]["exact"] == exact
            made = body["wasGeneratedBy"]
            activities = made if isinstance(made, list) else [made]
            ids = [a["@id"] for a in activities]
            assert len(ids) == len(set(ids)), ids  # each activity listed once
            assert all(a["wasAssociatedWith"]["label"] for a in activities)


def test_provenance_of_a_curated_fact(seed_server: Server, direct: ox.Store) -> None:
    curated = direct_rows(
        direct,
        "SELECT ?f ?r WHERE { ?f <http://www.w3.org/ns/prov#wasGeneratedBy> ?a ; "
        "<http://www.w3.org/ns/oa#hasSource> ?d . ?a <http://www.w3.org/ns/prov#used> ?r . "
        "?r a <https://w3id.org/lexgraph/ontology#CurationRecord> } ORDER BY ?f LIMIT 1",
        ("f", "r"),
    )
    assert curated
    ((fact, record),) = curated
    body = httpx.get(seed_server.url("/provenance"), params={"iri": fact}, timeout=30).json()
    used = {u["@id"]: u for u in body["wasGeneratedBy"]["used"]}
    assert used[record]["@type"] == "lkg:CurationRecord"
    assert used[record]["recordId"]


def test_every_registered_instrument_resolves(seed_server: Server, direct: ox.Store) -> None:
    ids = direct_rows(
        direct,
        "SELECT DISTINCT ?id WHERE { GRAPH <https://w3id.org/lexgraph/graph/register> "
        "{ ?i a <https://w3id.org/lexgraph/ontology#LegalInstrument> ; "
        "<http://purl.org/dc/terms/identifier> ?id } }",
        ("id",),
    )
    assert ids
    with httpx.Client(base_url=seed_server.base, timeout=30) as c:
        for (cid,) in ids:
            r = c.get(f"/instruments/{quote(cid, safe=':')}")
            assert r.status_code == 200, (cid, r.text)
            assert r.json()["names"], cid
            cited = c.get(f"/instruments/{quote(cid, safe=':')}/citations")
            assert cited.status_code == 200
            assert cited.json()["total"] == r.json()["citationCount"]
        rtb = c.get("/instruments/celex:32001L0055").json()
        assert rtb["crosswalk"]["eli"] == "http://data.europa.eu/eli/dir/2001/55/oj"
        assert rtb["crosswalk"]["eurLex"].endswith("CELEX:32001L0055")


def test_done_when_ingest(seed_server: Server) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = "Geachte voorzitter,\n\nDe Richtlijn 2001/55/EG blijft van toepassing.\n"
    with httpx.Client(base_url=seed_server.base, timeout=60) as c:
        before = c.get("/health").json()["store"]["triples"]
        bad = {"title": "Brief", "date": "2026-07-10", "identifier": "geen-officieel-id"}
        refused = c.post("/documents", json={"text": text, "metadata": bad}, headers=auth)
        assert refused.status_code == 422
        assert c.get("/health").json()["store"]["triples"] == before
        meta = {
            "title": "Brief",
            "date": "2026-07-10",
            "type": "Kamerbrief",
            "reference": "9990002",
        }
        r = c.post("/documents", json={"text": text, "metadata": meta}, headers=auth)
        assert r.status_code == 201, r.text
        assert "9990002" in {d["documentId"] for d in c.get("/documents").json()["items"]}
        ask = c.get("/sparql", params={"query": f"ASK {{ <{r.json()['iri']}> ?p ?o }}"})
        assert ask.json()["boolean"] is True
        assert c.delete("/documents/9990002", headers=auth).status_code == 200
        assert c.get("/health").json()["store"]["triples"] == before


def test_pagination_links(seed_server: Server) -> None:
    with httpx.Client(base_url=seed_server.base, timeout=30) as c:
        seen: list[str] = []
        url: str | None = "/documents?limit=2"
        while url:
            r = c.get(url)
            body = r.json()
            assert r.headers["x-total-count"] == "5"
            seen += [d["documentId"] for d in body["items"]]
            url = body["next"]
            assert (r.headers.get("link") is None) == (url is None)
        assert len(seen) == 5 and set(seen) == SEED_IDS
