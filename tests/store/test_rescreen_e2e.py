"""``rescreen`` end to end with the real engine: screen → save, a new registry version is loaded, re-screen.

The programs and ownership files are written by the tests (tests/programs.py: made by the project).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
from typer.testing import CliRunner

from cvcomply.cli import app
from tests.programs import VCS_APP, Org, Part, Stake, bods, write_program

SUPPLIER = Org("clearwater", "Clearwater Systems GmbH", "DE")
PARENT = Org("redparent", "Red Parent Holdings Co., Ltd.", "CN")


def _cli(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    return result


def _program(tmp: Path, stakes: list[Stake]) -> Path:
    return write_program(tmp / "prog", [Part("tcu-app", "Telematics app", SUPPLIER.name, "DE", props=VCS_APP)],
                         [SUPPLIER, PARENT], stakes)


def _rescreen(url: str) -> list[dict[str, Any]]:
    result = _cli("rescreen", "--changed-since", dt.date.today().isoformat(), "--database", url, "--json")
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = orjson.loads(result.stdout)
    return data


def _verdicts(manifest: Path, url: str) -> dict[str, Any]:
    result = _cli("screen", str(manifest), "--database", url, "--json")
    report: dict[str, Any] = orjson.loads(result.stdout)
    return report


def test_a_new_registry_version_makes_a_clear_supplier_covered(store_url: str, tmp_path: Path) -> None:
    manifest = _program(tmp_path, [])
    first = _verdicts(manifest, store_url)
    assert first["summary"]["verdict"] == "permitted" and first["run_id"]

    v2 = tmp_path / "registry" / "owners-2026-12.bods.json"
    v2.parent.mkdir()
    v2.write_bytes(orjson.dumps(bods([SUPPLIER, PARENT], [Stake(PARENT.id, SUPPLIER.id, 60)])))
    loaded = _cli("registry", "load", str(v2), "--database", store_url)
    assert loaded.exit_code == 0, loaded.output

    [r] = _rescreen(store_url)
    assert r["previous_run"] == first["run_id"] and r["error"] is None
    [change] = r["diff"]["changes"]
    assert (change["before"], change["after"]) == ("permitted", "prohibited")
    assert change["causes"] == ["ownership change"]
    assert "redparent" in " ".join(change["details"])  # the entity that now makes the supplier covered
    assert _rescreen(store_url)[0]["diff"]["changes"] == []  # re-screening again: nothing new moved


def test_the_stores_newer_version_wins_over_the_programs_older_file(store_url: str, tmp_path: Path) -> None:
    manifest = _program(tmp_path, [Stake(PARENT.id, SUPPLIER.id, 60)])  # the program's file: 60 % (covered)
    assert _verdicts(manifest, store_url)["summary"]["verdict"] == "prohibited"

    v2 = tmp_path / "owners-v2.bods.json"  # the registry's newer word: the stake fell to 10 %
    v2.write_bytes(orjson.dumps(bods([SUPPLIER, PARENT], [Stake(PARENT.id, SUPPLIER.id, 10)])))
    assert _cli("registry", "load", str(v2), "--database", store_url).exit_code == 0

    [r] = _rescreen(store_url)
    [change] = r["diff"]["changes"]
    # the program's own (older) 60 % holding is not used beside the store's 10 %: a sub-control adversary
    # stake is for review (control policy), not prohibited
    assert (change["before"], change["after"]) == ("prohibited", "needs_review")


def test_screen_with_the_store_registry_sees_loaded_facts(store_url: str, tmp_path: Path) -> None:
    from cvcomply.formats.detect import read_ownership
    from cvcomply.store import load_ownership, open_store
    from cvcomply.store.screening import screen_with_registry

    manifest = _program(tmp_path, [])
    v2 = tmp_path / "owners-v2.bods.json"
    v2.write_bytes(orjson.dumps(bods([SUPPLIER, PARENT], [Stake(PARENT.id, SUPPLIER.id, 60)])))
    with open_store(store_url) as store:
        load_ownership(store, [read_ownership(str(v2))])
        report = screen_with_registry(store, str(manifest))
    assert report.verdict == "prohibited"
    assert _verdicts(manifest, store_url)["summary"]["verdict"] == "permitted"  # plain screen: the files only
