"""The curated layer: every record's quote is in its document; bad records fail the build
with a message naming the record."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lexgraph.policy import CurationError, policy_graph
from lexgraph.policy.curation import KINDS, load_curation, locate

from .harness import ROOT, SEED_IDS, Doc, seed

BY_ID = {doc_id: stem for stem, doc_id in SEED_IDS.items()}


def test_every_curated_quote_is_found_exactly_once() -> None:
    cur = load_curation(ROOT / "graph_data")
    assert cur.records
    for rec in cur.records:
        if rec.document is None:
            assert rec.kind == "protection-period" and rec.fields.get("source") == "register"
            continue
        text = seed(BY_ID[rec.document]).text
        loc = locate(rec, text)
        assert text[loc.start : loc.end] == rec.quote
        assert text.count(rec.quote) == 1, rec.id


def test_the_issue_s_facts_are_all_curated() -> None:
    cur = load_curation(ROOT / "graph_data")
    kinds = {k: [r for r in cur.records if r.kind == k] for k in KINDS}
    keys = {r.fields["key"] for r in kinds["commitment"]}
    assert keys == {
        "apb-2024-terugkeer-oekraiense-mannen",
        "podt-non-refoulement",
        "michon-derkzen-nederlandse-taal",
        "van-zanten-bevolkingscijfers",
        "bestuurlijke-overleggen",
        "appreciatie-motie-piri",
    }
    motions = {r.fields["motion"] for r in kinds["motion"]}
    assert motions == {"motion:piri", "kst:36600-XX-22", "kst:29689-1283"}
    decisions = [r.fields["decision"] for r in kinds["protection-period"]]
    assert decisions == [
        "celex:32022D0382",
        "celex:32001L0055",
        "celex:32023D2409",
        "celex:32024D1836",
        "celex:32025D1460",
    ]
    answered_in = {r.fields.get("answered_in") for r in kinds["commitment-response"]}
    assert "kst:19637-3338" in answered_in
    assert cur.debates["apb-2024"].reports == ("h:TK:2024-2025:2", "h:TK:2024-2025:3")


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "graph_data"
    shutil.copytree(ROOT / "graph_data" / "curation", data / "curation")
    return data


def _append(data: Path, toml: str) -> None:
    with (data / "curation" / "zz-test.toml").open("w", encoding="utf-8") as f:
        f.write(toml)


RECORD = """
[[record]]
id = "{rid}"
document = "7753121"
quote = "{quote}"
curator = "test"
date = 2026-11-22
note = "test record"
[record.fact]
kind = "{kind}"
{fields}
"""


def test_a_quote_not_in_the_source_fails_naming_the_record(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    # the source has a line break where this quote has a space
    _append(
        data,
        RECORD.format(
            rid="bad-quote",
            quote="Gelet op het voorgaande ontraad ik de motie. De Minister",
            kind="motion-appreciation",
            fields='motion = "motion:piri"\nappreciation = "ontraden"',
        ),
    )
    with pytest.raises(CurationError, match=r"'bad-quote' \(zz-test.toml\).*quote not found"):
        policy_graph(seed("002_50923e3173a0bcfc"), [], [], data)


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("verdict", 'motion = "motion:piri"', "fact kind 'verdict' is not one of"),
        ("motion-appreciation", 'motion = "motion:piri"\nappreciation = "weg"', "unknown motion"),
        ("motion-appreciation", 'appreciation = "ontraden"', r"missing \['motion'\]"),
        ("commitment-response", 'commitment = "nope"\nanswer_kind = "fulfils"', "no commitment"),
    ],
)
def test_malformed_records_fail_with_the_record_id(
    tmp_path: Path, kind: str, fields: str, message: str
) -> None:
    data = _copy_data(tmp_path)
    _append(data, RECORD.format(rid="broken", quote="x", kind=kind, fields=fields))
    with pytest.raises(CurationError, match="'broken'") as err:
        load_curation(data)
    assert err.match(message)


def test_duplicate_record_ids_fail(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _append(
        data,
        RECORD.format(
            rid="appreciation-motion-piri",
            quote="ontraad ik de motie",
            kind="motion-appreciation",
            fields='motion = "motion:piri"\nappreciation = "ontraden"',
        ),
    )
    with pytest.raises(CurationError, match=r"id also used in motions\.toml"):
        load_curation(data)


def test_records_of_other_documents_are_not_applied() -> None:
    doc = Doc(
        "other", "Over de motie Piri het volgende. Gelet op het voorgaande ontraad ik de motie."
    )
    nt = policy_graph(doc, [], [], ROOT / "graph_data").serialize(format="nt")
    assert "/id/curation/" not in nt
    assert "<https://w3id.org/lexgraph/id/doc/other/motion-appreciation/" in nt


def test_the_readme_example_is_a_valid_record() -> None:
    import re
    import tomllib

    from lexgraph.policy.curation import _record

    readme = (ROOT / "graph_data" / "curation" / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", readme, re.S)
    assert block
    [raw] = tomllib.loads(block[1])["record"]
    rec = _record(raw, ROOT / "graph_data" / "curation" / "README.md")
    loc = locate(rec, seed("002_50923e3173a0bcfc").text)
    assert loc.end - loc.start == len(raw["quote"])
