"""The register file parses, its identifiers are well formed, and lookups resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from lexgraph.register import Register, RegisterError, load_register


@pytest.fixture(scope="module")
def register() -> Register:
    return load_register()


def test_ids_are_unique_and_repeals_point_inside(register: Register) -> None:
    assert len({i.id for i in register.instruments}) == len(register)
    for inst in register.instruments:
        if inst.repealed_by:
            assert register.get(inst.repealed_by) is not None, inst.id


def test_aliases_and_iris(register: Register) -> None:
    assert register.by_alias("RTB").id == "celex:32001L0055"  # type: ignore[union-attr]
    assert register.by_alias("kwalificatierichtlijn").id == "celex:32011L0095"  # type: ignore[union-attr]
    assert register.by_alias("Vw 2000").id == "bwb:BWBR0011823"  # type: ignore[union-attr]
    assert str(register.iri("celex:32022D0382")) == "http://data.europa.eu/eli/dec_impl/2022/382/oj"
    assert str(register.iri("celex:32013R0604")) == "http://data.europa.eu/eli/reg/2013/604/oj"


def test_unknown_identifiers_are_never_filled_in(register: Register) -> None:
    for inst in register.instruments:
        for scheme, status in inst.status.items():
            if status == "unknown":
                assert not getattr(inst, scheme, None), (inst.id, scheme)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('id = "celex:3201L55"\ntype = "eu-act"\nkind = "directive"', "not a lexgraph identifier"),
        ('id = "treaty:echr"\ntype = "treaty"\nkind = "treaty"\ncolour = "red"', "unknown keys"),
        (
            'id = "treaty:echr"\ntype = "treaty"\nkind = "treaty"\nstatus = {bwbv = "sure"}',
            "status",
        ),
    ],
)
def test_malformed_entries_are_refused(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "instruments.toml"
    path.write_text(f"[[instrument]]\n{entry}\n")
    with pytest.raises(RegisterError, match=message):
        load_register(path)
