"""Manifest v1 (DESIGN.md §4.1): what it accepts, and how every bad input is named. Test data made here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cvcomply.formats.errors import InputError
from cvcomply.formats.manifest import read_manifest

GOOD = """\
cvcomply: 1
program:
  name: Test EV
  declarant: {name: Test Motors LLC, role: [connected-vehicle-manufacturer, vcs-hardware-importer],
              country: us, ids: {lei: 5493001KJTIIGC8Y1R12}}
  vehicle:
    make: Test
    model: One
    trims: [Base]
    model_years: [2030, 2026, 2027]
    gvwr_lbs: 5500
    ads_level: 2
  hardware_imports: [2028-12-31]
  purpose: sale
boms: [bom.json]
ownership: [owners.json]
authorizations:
  - {id: SA-1, kind: specific, valid_from: 2026-06-01, valid_to: 2028-05-31, components: ["pkg:generic/x@1"],
     model_years: [2027]}
  - {id: GA-1, kind: general, purpose: testing}
decisions: decisions.yaml
as_of: 2026-11-24
"""


def write(tmp_path: Path, text: str, files: tuple[str, ...] = ("bom.json", "owners.json", "decisions.yaml")) -> str:
    for f in files:
        (tmp_path / f).write_text("{}")
    p = tmp_path / "program.yaml"
    p.write_text(text)
    return str(p)


def test_good_manifest_reads_into_program(tmp_path: Path) -> None:
    prog = read_manifest(write(tmp_path, GOOD))
    assert prog.name == "Test EV"
    assert prog.declarant.roles == ("connected-vehicle-manufacturer", "vcs-hardware-importer")
    assert prog.declarant.country == "US"
    assert prog.declarant.identifiers == (("lei", "5493001KJTIIGC8Y1R12"),)
    assert prog.vehicle is not None and prog.vehicle.model_years == (2026, 2027, 2030)
    assert prog.vehicle.imported is False and prog.vehicle.ads_level == 2
    assert prog.hardware_imports == (dt.date(2028, 12, 31),)
    assert prog.as_of == dt.date(2026, 11, 24)
    assert prog.boms == (str(tmp_path / "bom.json"),)
    sa, ga = prog.authorizations
    assert (sa.kind, sa.valid_to, sa.components, sa.model_years) == ("specific", dt.date(2028, 5, 31),
                                                                      ("pkg:generic/x@1",), (2027,))
    assert (ga.kind, ga.purpose) == ("general", "testing")
    assert prog.decisions == str(tmp_path / "decisions.yaml")


@pytest.mark.parametrize(
    ("change", "where", "says"),
    [
        (("  purpose: sale", "  purpose: sale\n  colour: red"), "/program/colour (line 15)", "unknown key(s) 'colour'"),
        (("purpose: sale", "purpose: selling"), "/program/purpose (line 14)", "'selling' is not one of"),
        (("as_of: 2026-11-24", "as_of: 24/11/2026"), "/as_of (line 22)", "not a date"),
        (("as_of: 2026-11-24", "as_of: 2026-02-30"), "/as_of (line 22)", "not a valid date"),
        (("role: [connected-vehicle-manufacturer, vcs-hardware-importer]", "role: oem"), "/program/declarant/role",
         "not an allowed value"),
        (("boms: [bom.json]", "boms: [missing.json]"), "/boms/0 (line 15)", "not found"),
        (("model_years: [2030, 2026, 2027]", "model_years: []"), "/program/vehicle/model_years", "non-empty"),
        (("gvwr_lbs: 5500", "gvwr_lbs: heavy"), "/program/vehicle/gvwr_lbs", "not of type 'number'"),
    ],
)
def test_bad_manifest_names_place_and_fix(tmp_path: Path, change: tuple[str, str], where: str, says: str) -> None:
    with pytest.raises(InputError) as e:
        read_manifest(write(tmp_path, GOOD.replace(*change)))
    assert any(i.location.startswith(where) and says in i.message for i in e.value.issues), e.value.issues
    assert all(i.fix for i in e.value.issues)
    assert str(tmp_path / "program.yaml") in str(e.value)


def test_every_problem_is_collected(tmp_path: Path) -> None:
    text = GOOD.replace("purpose: sale", "purpose: nope").replace("as_of: 2026-11-24", "as_of: x\nextra: 1")
    with pytest.raises(InputError) as e:
        read_manifest(write(tmp_path, text))
    assert len(e.value.issues) >= 3


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        read_manifest(write(tmp_path, "cvcomply: 1\nprogram: [unclosed\n"))
    assert "line" in e.value.location and "not valid YAML" in e.value.message


@pytest.mark.parametrize("text", ["", "- a list\n", "cvcomply: 2\nprogram: {}\n", "just text"])
def test_not_a_manifest(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError, match="manifest"):
        read_manifest(write(tmp_path, text))


def test_missing_manifest_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_manifest(str(tmp_path / "nope.yaml"))


def test_vehicle_or_imports_required(tmp_path: Path) -> None:
    text = "cvcomply: 1\nprogram: {name: X, declarant: {name: Y, role: vcs-hardware-importer}}\nboms: [bom.json]\n"
    with pytest.raises(InputError, match="neither a vehicle nor hardware_imports"):
        read_manifest(write(tmp_path, text))


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "program.yaml"
    p.write_bytes(b"cvcomply: 1\nprogram: \xff\xfe\n")
    with pytest.raises(InputError, match="UTF-8"):
        read_manifest(str(p))
