"""Conformance of the SPDX and CycloneDX XML readers on third-party files read in place from ../shared/fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvcomply.formats.cyclonedx_xml import read_cyclonedx_xml, validate_cyclonedx_xml
from cvcomply.formats.detect import read_bom, validate_file

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"


def files(*patterns: str) -> list[Path]:
    found = sorted({p for pat in patterns for p in SHARED.resolve().glob(pat)}) if SHARED.is_dir() else []
    return found or [pytest.param(None, marks=pytest.mark.skip(reason=f"no shared fixtures for {patterns}"))]  # type: ignore[list-item]


def ids(p: Path | None) -> str:
    return "/".join(p.parts[-3:]) if isinstance(p, Path) else "absent"


SPDX_VALID = [p for p in files("spdx/**/*.json", "spdx/**/*.spdx", "spdx/**/*.yaml")
              if not isinstance(p, Path) or "invalid" not in p.parts]
SPDX_INVALID = files("spdx/invalid/*")
CDX_XML_VALID = files("cyclonedx/spec-tests/1.[4567]/*.xml", "cyclonedx/bom-examples/**/*.xml",
                      "cyclonedx/python-lib/**/*.xml")
CDX_XML_INVALID = files("cyclonedx/invalid/**/*.xml")


@pytest.mark.parametrize("path", SPDX_VALID, ids=ids)
def test_every_spdx_file_loads(path: Path) -> None:
    bom = read_bom(str(path))
    assert bom.format == "spdx" and bom.spec_version[:1] in ("2", "3")
    for c in bom.components:
        assert c.source is not None and all(p.source is not None and p.country is None for p in c.parties)


def test_spdx_example_parties() -> None:
    path = SHARED / "spdx" / "spdx-examples" / "software" / "example6" / "spdx2.2" / "example6-lib.spdx"
    if not path.is_file():
        pytest.skip(f"{path} absent")
    parties = {(p.role, p.name) for c in read_bom(str(path)).components for p in c.parties}
    assert {("supplier", "Canonical Ltd."), ("developer", "Google LLC")} <= parties


@pytest.mark.parametrize("path", SPDX_INVALID, ids=ids)
def test_invalid_spdx_is_rejected_naming_the_problem(path: Path) -> None:
    fmt, issues = validate_file(str(path))
    assert fmt == "spdx" and issues
    assert any("downloadLocation" in i.message and i.location.startswith("/packages/") for i in issues)


@pytest.mark.parametrize("path", CDX_XML_VALID, ids=ids)
def test_every_valid_cyclonedx_xml_loads_and_validates_clean(path: Path) -> None:
    bom = read_cyclonedx_xml(str(path))
    assert bom.warnings == ()
    assert validate_cyclonedx_xml(str(path)) == []
    assert validate_file(str(path)) == ("cyclonedx-xml", [])


# What each invalid spec test breaks, as words one of our messages must contain.
_EXPECT = {
    "component-type": "'foo'", "hash-alg": "'FOO'", "hash-md5": "'foo'", "hash-sha1": "'foo'", "hash-sha256": "'foo'",
    "hash-sha512": "'foo'", "license-encoding": "'base85'", "license-id": "'Apache-2'", "metadata-license":
    "'Apache-2'", "metadata-timestamp": "dateTime", "missing-component-type": "'type' is required", "scope": "'foo'",
    "serialnumber": "serialNumber", "namespace": "namespace", "patch-type": "'foo'", "issue-type": "'foo'",
    "service-data": "'foo'", "component-versionRange-non-external": "versionRange",
}


@pytest.mark.parametrize("path", CDX_XML_INVALID, ids=ids)
def test_invalid_cyclonedx_xml_is_rejected_naming_the_problem(path: Path) -> None:
    issues = validate_cyclonedx_xml(str(path))
    assert issues, f"{path.name} should be invalid"
    assert all(i.location.startswith("line ") for i in issues)
    key = path.name.removeprefix("informal-").removeprefix("invalid-").rsplit("-1.", 1)[0].removesuffix(
        "-explicit").removesuffix("-implicit")
    text = " | ".join(i.message for i in issues)
    assert _EXPECT.get(key, "") in text, text
