"""The bundled example program end to end: the JSON report is compared with a golden file.

The example (examples/aurora) is invented by this project. Regenerate the golden file after an intended
change with ``CVCOMPLY_REGENERATE_GOLDEN=1``; the diff then shows exactly which verdicts moved.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from cvcomply.outputs.json_report import render_json
from cvcomply.screen import screen

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "aurora.report.json"


@pytest.fixture(scope="module")
def report_json(monkeypatch_module: pytest.MonkeyPatch) -> bytes:
    monkeypatch_module.chdir(ROOT)  # paths in the report are as the manifest writes them
    report = screen("examples/aurora/program.yaml")
    return render_json(dataclasses.replace(report, run_id=None))


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_example_report_matches_golden(report_json: bytes) -> None:
    if os.environ.get("CVCOMPLY_REGENERATE_GOLDEN"):
        GOLDEN.write_bytes(report_json)
    assert GOLDEN.exists(), "run with CVCOMPLY_REGENERATE_GOLDEN=1 to create the golden report"
    assert orjson.loads(report_json) == orjson.loads(GOLDEN.read_bytes())


def test_example_report_contract_fields(report_json: bytes) -> None:
    r = orjson.loads(report_json)
    assert r["cvcomply_report"] == 1
    assert {"rule_version", "policy_version", "as_of", "program", "model_years", "findings", "summary"} <= r.keys()
    assert r["program"]["declarant"]["nexus"]["status"] == "clear"
    assert [y["model_year"] for y in r["model_years"]] == [2026, 2027, 2028, 2029, 2030]
    for f in r["findings"]:
        assert f["verdict"] in {"prohibited", "needs_review", "authorized", "exempt", "permitted", "out_of_scope"}
        assert f["component"]["source"].startswith("bom/")
        assert set(f["classification"]) >= {"vcs_hardware", "covered_software", "reasons"}
        for p in f["parties"]:
            assert p["nexus"]["status"] in {"covered", "clear", "needs_review"}
            if p["nexus"]["status"] != "clear":
                assert p["nexus"]["paths"], f"{p['name']}: a covered or needs_review party carries a path"
        if f["verdict"] in {"prohibited", "exempt", "authorized"}:
            assert f["rule"] and f["rule"].startswith("15 CFR 791.")
        assert all(r_["cite"] for r_ in f["reasons"]), f["component"]["bom_ref"]


def test_example_is_deterministic(report_json: bytes) -> None:
    again = render_json(dataclasses.replace(screen(str(ROOT / "examples/aurora/program.yaml")), run_id=None))
    a, b = orjson.loads(report_json), orjson.loads(again)
    assert [(f["id"], f["verdict"]) for f in a["findings"]] == [(f["id"], f["verdict"]) for f in b["findings"]]


def test_chain_ownership_path_is_explained(report_json: bytes) -> None:
    """RULE.md §12.2: PRC parent → Cayman holdco → German supplier, the path down to the clause."""
    r = orjson.loads(report_json)
    tcu = next(f for f in r["findings"] if f["component"]["bom_ref"] == "tcu" and f["model_year"] == 2030)
    assert tcu["verdict"] == "prohibited" and tcu["rule"] == "15 CFR 791.302(a)"
    supplier = next(p for p in tcu["parties"] if p["role"] == "supplier")
    path = supplier["nexus"]["paths"][0]
    assert [s["country"] for s in path] == ["CN", "KY", "DE"]
    assert path[0]["interest"] == "shareholding" and path[1]["share"] == 60


