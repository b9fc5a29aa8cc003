"""The CLI's exit codes (DESIGN.md §4.4) on programs made by the tests, and bad input never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from tests.programs import VCS_APP, Org, Part, Stake, write_program


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cvcomply.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


ORGS = [Org("us", "Clear Software Inc", "US"), Org("cn", "Shenzhen Test Tech Co., Ltd.", "CN"),
        Org("de", "Mixed Holding GmbH", "DE"), Org("de2", "Minority Owned GmbH", "DE")]
STAKES = [Stake("cn", "de2", 20), Stake("de", "de2", 80)]


def test_exit_0_when_everything_is_clear(tmp_path: Path) -> None:
    m = write_program(tmp_path, [Part("a", "nav-app", "Clear Software Inc", "US", props=VCS_APP)], ORGS, STAKES)
    r = run("screen", str(m))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "permitted" in r.stdout


def test_exit_1_when_something_is_prohibited(tmp_path: Path) -> None:
    parts = [Part("a", "nav-app", "Clear Software Inc", "US", props=VCS_APP),
             Part("b", "tcu-os", "Shenzhen Test Tech Co., Ltd.", "CN", props=VCS_APP)]
    m = write_program(tmp_path, parts, ORGS, STAKES)
    r = run("screen", str(m), "--json")
    assert r.returncode == 1, r.stderr
    report = orjson.loads(r.stdout)
    assert report["cvcomply_report"] == 1
    assert report["summary"]["verdict"] == "prohibited"
    bad = [f for f in report["findings"] if f["verdict"] == "prohibited"]
    assert [f["component"]["bom_ref"] for f in bad] == ["b"]
    assert bad[0]["rule"] == "15 CFR 791.303(b)"
    assert bad[0]["parties"][0]["nexus"]["prongs"] == ["jurisdiction"]


def test_exit_3_when_something_needs_review_and_nothing_is_prohibited(tmp_path: Path) -> None:
    parts = [Part("a", "nav-app", "Minority Owned GmbH", "DE", props=VCS_APP)]
    m = write_program(tmp_path, parts, ORGS, STAKES)
    r = run("screen", str(m), "--json")
    assert r.returncode == 3, r.stderr
    assert orjson.loads(r.stdout)["summary"]["verdict"] == "needs_review"
    r = run("screen", str(m), "--fail-on", "prohibited")
    assert r.returncode == 0


@pytest.mark.parametrize(
    ("breakage", "says"),
    [
        ("missing-manifest", "file not found"),
        ("bad-yaml", "not valid YAML"),
        ("unknown-key", "unknown key"),
        ("unknown-hint", "cvcomply:function"),
        ("dangling-ref", "names no bom-ref"),
        ("not-json-bom", "JSON"),
        ("bad-as-of", "not a date"),
    ],
)
def test_exit_2_on_bad_input_with_file_place_and_fix(tmp_path: Path, breakage: str, says: str) -> None:
    m = write_program(tmp_path, [Part("a", "nav-app", "Clear Software Inc", "US", props=VCS_APP)], ORGS, STAKES)
    args = ["screen", str(m)]
    bom = tmp_path / "bom.cdx.json"
    if breakage == "missing-manifest":
        args = ["screen", str(tmp_path / "nope.yaml")]
    elif breakage == "bad-yaml":
        m.write_text("cvcomply: 1\nprogram: [\n")
    elif breakage == "unknown-key":
        m.write_text(m.read_text() + "colour: red\n")
    elif breakage == "unknown-hint":
        bom.write_text(bom.read_text().replace('"value":"vcs"', '"value":"telepathy"'))
    elif breakage == "dangling-ref":
        data = orjson.loads(bom.read_bytes())
        data["dependencies"] = [{"ref": "a", "dependsOn": ["ghost"]}]
        bom.write_bytes(orjson.dumps(data))
    elif breakage == "not-json-bom":
        bom.write_text("this is not json {")
    elif breakage == "bad-as-of":
        args += ["--as-of", "yesterday"]
    r = run(*args)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert says.lower() in r.stderr.lower(), r.stderr


def test_usage_error_exits_2() -> None:
    r = run("screen")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_explain_shows_the_path(tmp_path: Path) -> None:
    orgs = [Org("cn", "Parent Group Co., Ltd.", "CN"), Org("ky", "Island Holdings Ltd", "KY"),
            Org("de", "Target GmbH", "DE")]
    stakes = [Stake("cn", "ky", 100), Stake("ky", "de", 60)]
    write_program(tmp_path, [Part("a", "x", "Target GmbH", "DE", props=VCS_APP)], orgs, stakes)
    r = run("explain", "Target GmbH", "--registry", str(tmp_path / "owners.bods.json"), "--as-of", "2026-11-24",
            "--json")
    assert r.returncode == 0, r.stderr
    nexus = orjson.loads(r.stdout)
    assert nexus["status"] == "covered"
    assert [s["entity"] for s in nexus["paths"][0]] == ["cn", "ky", "de"]
    assert nexus["foreign_holders"] == ["CN", "KY"]  # RULE.md §2 "foreign interest": every non-U.S. holder up
    r = run("explain", "Target GmbH", "--registry", str(tmp_path / "owners.bods.json"), "--as-of", "2026-11-24")
    assert r.returncode == 0 and "non-U.S. persons of CN, KY" in r.stdout, r.stdout
    r = run("explain", "Nobody Ltd", "--registry", str(tmp_path / "owners.bods.json"))
    assert r.returncode == 2 and "no entity" in r.stderr


def test_registry_store_supplies_the_ownership_facts(tmp_path: Path) -> None:
    """Facts loaded with `registry load` reach `screen --registry-store`; without the option they don't."""
    m = write_program(tmp_path, [Part("a", "tcu-os", "Mixed Holding GmbH", "DE", props=VCS_APP)], [], [])
    owners = tmp_path / "elsewhere.bods.json"
    write_program(tmp_path / "facts", [], [Org("de", "Mixed Holding GmbH", "DE"),
                                           Org("cn", "Shenzhen Test Tech Co., Ltd.", "CN")], [Stake("cn", "de", 75)])
    owners.write_bytes((tmp_path / "facts" / "owners.bods.json").read_bytes())
    db = f"duckdb:///{tmp_path / 'store.duckdb'}"
    assert run("registry", "load", str(owners), "--database", db).returncode == 0
    plain = run("screen", str(m), "--json", "--database", db)
    assert plain.returncode == 3, plain.stderr  # the supplier is in no registry the program names
    stored = run("screen", str(m), "--json", "--database", db, "--registry-store")
    assert stored.returncode == 1, stored.stderr
    assert orjson.loads(stored.stdout)["summary"]["verdict"] == "prohibited"
