"""Conformance on third-party files read in place from ../shared/fixtures (see its SOURCES.md files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cvcomply.formats.bods import read_bods
from cvcomply.formats.cyclonedx import read_cyclonedx, validate_cyclonedx
from cvcomply.formats.detect import detect_format, validate_file

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"


def files(pattern: str) -> list[Path]:
    found = sorted(SHARED.resolve().glob(pattern)) if SHARED.is_dir() else []
    return found or [pytest.param(None, marks=pytest.mark.skip(reason=f"no shared fixtures for {pattern}"))]  # type: ignore[list-item]


def ids(p: Path | None) -> str:
    return p.name if isinstance(p, Path) else "absent"


VALID = files("cyclonedx/spec-tests/1.[456]/valid-*.json")
INVALID = files("cyclonedx/invalid/spec-tests/1.[456]/*.json")
OTHER_CDX = files("cyclonedx/python-lib/**/*.json") + files("cyclonedx/bom-examples/**/*.json")
BODS_04 = files("bods/0.4/examples/*.json") + files("bods/0.4/tests/valid-statements/*.json") + files(
    "bods/0.4/gleif-derived/*.json")
BODS_OLD = files("bods/0.2/**/*.json") + files("bods/0.3/examples/**/*.json") + files("bods/0.3/tests/**/*.json")


@pytest.mark.parametrize("path", VALID, ids=ids)
def test_valid_spec_files_read_and_validate_clean(path: Path) -> None:
    bom = read_cyclonedx(str(path))
    assert bom.spec_version in ("1.4", "1.5", "1.6")
    assert bom.warnings == ()
    assert validate_cyclonedx(str(path)) == []
    assert detect_format(str(path), path.read_bytes()) == "cyclonedx"


# What each invalid spec test breaks, as words our message must contain.
_EXPECT = {
    "bomformat": "bomFormat", "component-ref": "", "component-swid": "tagId", "component-type": "'foo'",
    "dependency": "ref", "empty-component": "required", "hash-alg": "'FOO'", "hash-md5": "'foo'",
    "hash-sha1": "'foo'", "hash-sha256": "'foo'", "hash-sha512": "'foo'", "issue-type": "'foo'",
    "license-choice": "", "license-encoding": "'base85'", "license-id": "'Apache-2'",
    "metadata-license": "'Apache-2'", "metadata-timestamp": "date-time", "missing-component-type": "'type'",
    "patch-type": "'foo'", "scope": "'foo'", "serialnumber": "pattern", "service-data": "'bar'",
    "license-declared-concluded-mix": "", "license-missing-id-and-name": "", "properties": "",
}


@pytest.mark.parametrize("path", INVALID, ids=ids)
def test_invalid_spec_files_give_issues_naming_the_problem(path: Path) -> None:
    issues = validate_cyclonedx(str(path))
    assert issues, f"{path.name} should be invalid"
    key = path.name.removeprefix("invalid-").rsplit("-1.", 1)[0]
    text = " | ".join(f"{i.location} {i.message}" for i in issues)
    assert _EXPECT[key] in text
    assert all(i.file == str(path) for i in issues)
    fmt, via_detect = validate_file(str(path))
    assert fmt == "cyclonedx" and via_detect


@pytest.mark.parametrize("path", OTHER_CDX, ids=ids)
def test_other_cyclonedx_json_loads(path: Path) -> None:
    bom = read_cyclonedx(str(path))
    assert bom.components


def test_python_lib_metadata_parties_with_country(shared: Path) -> None:
    bom = read_cyclonedx(str(shared / "cyclonedx/python-lib/get_bom_just_complete_metadata-1.6.json"))
    subject = next(c for c in bom.components if c.source and c.source.pointer == "/metadata/component")
    roles = {(p.role, p.country) for p in subject.parties}
    assert ("supplier", "GB") in roles and ("manufacturer", "GB") in roles


def test_hbom_device_is_hardware_with_suppliers(shared: Path) -> None:
    bom = read_cyclonedx(str(shared / "cyclonedx/bom-examples/HBOM/PCIe-SATA-adapter-board/bom.json"))
    devices = [c for c in bom.components if c.type == "device"]
    assert devices and all(c.kind == "hardware" for c in devices)
    assert any(p.role == "supplier" for c in devices for p in c.parties)


@pytest.mark.parametrize("path", BODS_04 + BODS_OLD, ids=ids)
def test_bods_files_load(path: Path) -> None:
    facts = read_bods(str(path))
    assert facts.entities or facts.holdings or facts.warnings
    assert detect_format(str(path), path.read_bytes()) == "bods"


def test_gleif_derived_chinese_entity_and_withheld_parent(shared: Path) -> None:
    facts = read_bods(str(shared / "bods/0.4/gleif-derived/Repex_issued.json"))
    (e,) = facts.entities
    assert e.id == "8368002JYF3BWYY2BW50" and e.jurisdiction == "CN" and e.headquarters[0] == "CN"
    assert ("lei", "8368002JYF3BWYY2BW50") in e.identifiers
    assert e.ownership_withheld is not None and "NO_LEI" in e.ownership_withheld


def test_gleif_derived_subdivision_jurisdiction_and_closed_relationship(shared: Path) -> None:
    facts = read_bods(str(shared / "bods/0.4/gleif-derived/Relationship_deleted.json"))
    by_id = {e.id: e for e in facts.entities}
    assert by_id["OFIZ7W1WYFJC3YYSG330"].jurisdiction == "US"  # "US-DE" under incorporatedInJurisdiction
    (h,) = facts.holdings
    assert (h.holder, h.subject) == ("784F5XWPLTWKTBV3E584", "OFIZ7W1WYFJC3YYSG330")
    assert h.interest == "consolidation" and h.start == dt.date(2023, 2, 28) and h.end == dt.date(2024, 7, 7)


def test_share_range_exclusive_bounds(shared: Path) -> None:
    name = "relationship_interests_share_exclusive_minmax.json"
    facts = read_bods(str(shared / "bods/0.4/tests/valid-statements" / name))
    (h,) = facts.holdings
    assert (h.share, h.share_min, h.share_max) == (None, 25.0, 75.0)


def test_indirect_ownership_example(shared: Path) -> None:
    facts = read_bods(str(shared / "bods/0.4/examples/indirect-ownership.json"))
    shares = sorted((h.share, h.direct) for h in facts.holdings if h.share is not None)
    assert shares == [(30.0, False), (60.0, True)]


def test_v02_single_update_replaces_statement(shared: Path) -> None:
    facts = read_bods(str(shared / "bods/0.2/examples/2-single-update.json"))
    sources = {h.source.record_id for h in facts.holdings if h.source}
    assert "fbfd0547-d0c6-4a00-b559-5c5e91c34f5c" not in sources
