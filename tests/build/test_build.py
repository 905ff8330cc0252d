"""`lexgraph build` over the seeds: deterministic, anchored, reloadable, and gated by SHACL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from lexgraph import build as build_module
from lexgraph.extract.model import Citation
from lexgraph.settings import Settings, get_settings
from lexgraph.store.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]


def _settings(tmp: Path, name: str = "store") -> Settings:
    data = tmp / "graph_data"
    if not data.exists():
        shutil.copytree(ROOT / "graph_data", data, ignore=shutil.ignore_patterns("build"))
    return get_settings(store=tmp / name, data_dir=data)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = _settings(tmp_path_factory.mktemp("build"))
    assert build_module.run_build(settings) == 0
    return settings


def test_build_is_deterministic(built: Settings, tmp_path: Path) -> None:
    first = (built.build_dir / "lexgraph.nq").read_bytes()
    again = get_settings(store=tmp_path / "again", data_dir=built.data_dir)
    assert build_module.run_build(again) == 0
    assert (built.build_dir / "lexgraph.nq").read_bytes() == first


def test_dump_reloads_to_the_store_contents(built: Settings) -> None:
    dump = (built.build_dir / "lexgraph.nq").read_bytes()
    store = OxigraphStore(built.store, read_only=True)
    assert store.count() == dump.count(b"\n")
    ds = Dataset()
    ds.parse(data=dump, format="nquads")
    assert sum(len(g) for g in ds.graphs()) == dump.count(b"\n")
    names = set(store.graph_names())
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == names


def test_every_anchored_quote_is_the_source_slice(built: Settings) -> None:
    store = OxigraphStore(built.store, read_only=True)
    rows = store.select(
        """
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX lkg: <https://w3id.org/lexgraph/ontology#>
        SELECT ?fact ?text ?start ?end ?exact WHERE {
          ?fact oa:hasSource ?doc ; oa:hasSelector ?p, ?q .
          ?doc lkg:text ?text .
          ?p oa:start ?start ; oa:end ?end .
          ?q oa:exact ?exact .
        }"""
    )["results"]["bindings"]
    assert len(rows) > 300
    for row in rows:
        start, end = int(row["start"]["value"]), int(row["end"]["value"])
        assert row["text"]["value"][start:end] == row["exact"]["value"], row["fact"]["value"]


def test_five_documents_with_their_ids(built: Settings) -> None:
    store = OxigraphStore(built.store, read_only=True)
    rows = store.select(
        "PREFIX lkg: <https://w3id.org/lexgraph/ontology#> "
        "SELECT ?id WHERE { ?d a lkg:Document ; lkg:documentId ?id }"
    )["results"]["bindings"]
    assert sorted(r["id"]["value"] for r in rows) == [
        "2022-11-07-antwoorden-van-dijk-mobilisatie-rusland",
        "2025-07-beslisnota-verzamelbrief-opvang-oekraine",
        "6511548",
        "7747653",
        "7753121",
    ]


def test_footnote_is_its_own_passage(built: Settings) -> None:
    store = OxigraphStore(built.store, read_only=True)
    rows = store.select(
        """
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX lkg: <https://w3id.org/lexgraph/ontology#>
        SELECT ?label WHERE {
          ?p a lkg:Passage ; lkg:passageKind "footnote" ; lkg:label ?label ;
             oa:hasSelector/oa:exact "⁷ Richtlijn 2013/32/EU." .
        }"""
    )["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ["7"]


def test_if_needed_skips_an_up_to_date_store(
    built: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build_module.run_build(built, if_needed=True) == 0
    assert "up to date" in capsys.readouterr().err


def _count(path: Path) -> int:
    store = ox.Store.read_only(str(path))
    return len(list(store.quads_for_pattern(None, None, None, None)))


def test_corrupt_citation_is_refused_and_store_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path)
    assert build_module.run_build(settings) == 0
    before = _count(settings.store)
    real = build_module.extract

    def corrupt(text: str, document: str | None = None) -> list[Citation]:
        # a citation whose span runs backwards, as a broken extractor could produce
        return [*real(text, document), Citation(40, 20, "", "eu-act", "celex:32011L0095")]

    monkeypatch.setattr(build_module, "extract", corrupt)
    assert build_module.run_build(settings) == 1
    err = capsys.readouterr().err
    assert "SHACL violations" in err and "refused" in err
    assert _count(settings.store) == before


def test_bad_metadata_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = _settings(tmp_path)
    meta = next((settings.data_dir / "sources").glob("001_*.meta.toml"))
    meta.write_text(meta.read_text().replace('date = "2026-06-30"', 'date = "30 juni 2026"'))
    assert build_module.run_build(settings) == 2
    assert "date must be YYYY-MM-DD" in capsys.readouterr().err
    assert not Path(settings.store).exists()


def test_malformed_celex_in_register_is_refused_by_the_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path)
    assert build_module.run_build(settings) == 0
    before = _count(settings.store)
    register = settings.data_dir / "register" / "instruments.toml"
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace('celex = "32011L0095"', 'celex = "3201L95"'), encoding="utf-8")
    assert build_module.run_build(settings) == 1
    err = capsys.readouterr().err
    assert "the register" in err and "3201L95" in err
    assert _count(settings.store) == before


def test_malformed_register_entry_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path)
    register = settings.data_dir / "register" / "instruments.toml"
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace('id = "celex:32011L0095"', 'id = "celex:2011/95"'))
    assert build_module.run_build(settings) == 2
    assert "is not a lexgraph identifier" in capsys.readouterr().err
