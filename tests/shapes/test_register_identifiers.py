"""The register's identifiers pass the identifier shapes: every instrument of
graph_data/register/instruments.toml has a CITATIONS.md id, an IRI of an official scheme, and
CELEX/ELI/BWB/ECLI/COM/kst values of their official forms (the build would refuse it otherwise)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from lexgraph.iris import instrument_iri
from lexgraph.validate import SHAPES_NS

ROOT = Path(__file__).resolve().parents[2]
REGISTER = tomllib.loads((ROOT / "graph_data" / "register" / "instruments.toml").read_text("utf-8"))
INSTRUMENTS = REGISTER["instrument"]
FIELDS = {
    "celex": "CelexLiteralForm",
    "eli": "EliLiteralForm",
    "bwb": "BwbLiteralForm",
    "bwbv": "BwbLiteralForm",
    "ecli": "EcliLiteralForm",
    "com": "ComNumberLiteralForm",
    "kst": "KstIdLiteralForm",
}


@pytest.fixture(scope="module")
def patterns() -> dict[str, re.Pattern[str]]:
    g = Graph().parse(ROOT / "ontology" / "shapes" / "identifiers.ttl", format="turtle")
    out = {}
    for name in {*FIELDS.values(), "InstrumentHasOneCitationId", "InstrumentIriFollowsScheme"}:
        out[name] = re.compile(str(g.value(SHAPES_NS[name], SH.pattern)))
    return out


def test_register_is_not_empty() -> None:
    assert len(INSTRUMENTS) >= 30


@pytest.mark.parametrize("ins", INSTRUMENTS, ids=lambda i: i["id"])
def test_register_identifiers_have_official_forms(
    patterns: dict[str, re.Pattern[str]], ins: dict[str, object]
) -> None:
    cid = str(ins["id"])
    assert patterns["InstrumentHasOneCitationId"].search(cid), cid
    eli = ins.get("eli")
    iri = str(instrument_iri(cid, str(eli) if eli else None))
    assert patterns["InstrumentIriFollowsScheme"].search(iri), iri
    for field, shape in FIELDS.items():
        value = ins.get(field)
        if value:
            assert patterns[shape].search(str(value)), f"{field} = {value!r}"
