"""Declarations of Conformity: golden JSON of the Aurora example, the schema, blocking, final, material change.

Hand-made reports come from tests/outputs/test_html.py (all names invented there); the Aurora program is the
project's own invented example. Regenerate the golden files with CVCOMPLY_REGENERATE_GOLDEN=1.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from jsonschema import Draft202012Validator
from tests.outputs.aurora import aurora_report
from tests.outputs.test_html import COVERED, make_report

from cvcomply.model import Authorization, Declarant, PeriodSummary, Report
from cvcomply.outputs.doc import (
    Assessment,
    FinalRefused,
    Signatory,
    build_declaration,
    doc_dict,
    render_doc_json,
)
from cvcomply.outputs.doc_change import basis_from_json, change_dict, material_changes
from cvcomply.rules.params import Params

GOLDEN = Path(__file__).resolve().parent / "golden"
SCHEMA = Path(__file__).resolve().parents[2] / "src" / "cvcomply" / "outputs" / "schemas" / "doc-v1.schema.json"
SIGNED = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def _validate(data: dict[str, Any]) -> None:
    validator = Draft202012Validator(orjson.loads(SCHEMA.read_bytes()))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, errors


def _clean(report: Report) -> Report:
    """The hand-made report with its prohibited finding gone: nothing blocks a final declaration."""
    ok = tuple(f for f in report.findings if f.verdict == "permitted")
    years = (PeriodSummary("permitted", {"permitted": 1}, model_year=2027),)
    return dataclasses.replace(report, findings=ok, model_years=years, verdict="permitted", counts={"permitted": 1})


@pytest.mark.parametrize("year", [2027, 2030])
def test_aurora_draft_matches_golden_and_schema(year: int) -> None:
    decl = build_declaration(aurora_report(), model_year=year)
    out = render_doc_json(decl)
    golden = GOLDEN / f"aurora-doc-MY{year}.json"
    if os.environ.get("CVCOMPLY_REGENERATE_GOLDEN") or not golden.exists():
        if not os.environ.get("CVCOMPLY_REGENERATE_GOLDEN"):
            pytest.fail(f"{golden.name} missing: run with CVCOMPLY_REGENERATE_GOLDEN=1")
        golden.write_bytes(out)
    assert out == golden.read_bytes()
    _validate(orjson.loads(out))


def test_aurora_2027_content() -> None:
    report = aurora_report()
    d = doc_dict(build_declaration(report, model_year=2027))
    assert d["status"] == "draft" and d["signatory"]["signed_at"] is None
    assert d["declarant"]["identifiers"] == [{"scheme": "lei", "id": "98450097B6B246A28249"}]
    assert d["vehicle"]["trims"] == ["Base", "Touring", "Pilot"] and d["vehicle"]["model_year"] == 2027
    assert "model year 2027 Meridian Aurora (Base, Touring, Pilot)" in d["certification"]["text"]
    software = {i["bom_ref"]: i for i in d["covered_software"]["items"]}
    assert {"connectbridge", "bluelink", "ivi-os", "pilot3"} <= software.keys()
    assert software["ivi-os"]["suppliers"][0] | {"country": "JP", "foreign": True} == software["ivi-os"]["suppliers"][0]
    # VCS hardware is declared because the declarant also holds the importer role
    assert "tcu" in {i["bom_ref"] for i in d["hardware_units"]["items"]}
    # the retained BOMs are the four BOM inputs, with their real hashes
    boms = {b["file"]: b["sha256"] for b in d["retention"]["boms"]}
    assert boms == {f: h for f, h in report.inputs if f.startswith("bom/")} and len(boms) == 4
    dd = d["due_diligence"]
    assert dd["resolved_by"]["decision"] >= 2
    assert {x["party"] for x in dd["decisions"]} >= {"Nordlicht Telematik", "Kitsune Software KK"}
    assert "Silverline Data Systems" in dd["unresolved"] and dd["unresolved_count"] == len(dd["unresolved"])
    assert "Rheinfeld Halbleiter AG" in dd["no_ownership_data"]
    assert [a["id"] for a in d["authorizations"]] == ["SA-2026-0117"]
    assert d["authorizations"][0]["basis"]["u_tagged"] is True  # SA-covered transactions: [U]
    # blocking = exactly the year's prohibited and needs_review findings, prohibited first
    expected = {f.id for f in report.findings if f.model_year == 2027 and f.verdict in ("prohibited", "needs_review")}
    assert {b["finding"] for b in d["blocking"]} == expected
    verdicts = [b["verdict"] for b in d["blocking"]]
    assert verdicts == sorted(verdicts, key=("prohibited", "needs_review").index)


def test_u_tagged_sections_are_marked() -> None:
    d = doc_dict(build_declaration(make_report(), model_year=2027))
    for key in ("declarant", "vehicle", "certification", "covered_software", "retention", "due_diligence",
                "signatory"):
        assert d[key]["basis"]["u_tagged"] is True, key
    assert d["filing"]["basis"] == {"cite": "15 CFR 791.305", "tag": "S", "u_tagged": False,
                                    "note": d["filing"]["basis"]["note"]}


def test_final_is_refused_while_anything_blocks() -> None:
    with pytest.raises(FinalRefused) as e:
        build_declaration(make_report(), model_year=2027, final=True, signatory=Signatory("A. Officer", "CEO"))
    assert [(b.component, b.verdict) for b in e.value.blocking] == [("Telematics middleware", "prohibited")]
    with pytest.raises(FinalRefused):
        build_declaration(aurora_report(), model_year=2027, final=True, signatory=Signatory("A. Officer", "CEO"))


def test_final_needs_a_signatory_and_only_the_signing_time_varies() -> None:
    report = _clean(make_report())
    with pytest.raises(ValueError, match="signatory"):
        build_declaration(report, model_year=2027, final=True)
    sig = Signatory("Ada Officer", "Chief Compliance Officer")
    one = render_doc_json(build_declaration(report, model_year=2027, final=True, signatory=sig, signed_at=SIGNED))
    two = render_doc_json(build_declaration(report, model_year=2027, final=True, signatory=sig,
                                            signed_at=SIGNED + dt.timedelta(hours=5)))
    diff = [(a, b) for a, b in zip(one.splitlines(), two.splitlines(), strict=True) if a != b]
    assert len(diff) == 1 and b'"signed_at"' in diff[0][0]
    data = orjson.loads(one)
    assert data["status"] == "final" and data["signatory"]["signed_at"] == "2026-12-01T09:30:00+00:00"
    assert data["blocking"] == []
    _validate(data)


def test_draft_is_deterministic() -> None:
    report = aurora_report()
    assert render_doc_json(build_declaration(report, model_year=2028)) == \
        render_doc_json(build_declaration(report, model_year=2028))


def test_calendar_year_for_an_importer_declares_hardware_units() -> None:
    base = make_report()
    importer = dataclasses.replace(base.program, declarant=Declarant("Importer Inc.", ("vcs-hardware-importer",), "US"))
    hw = dataclasses.replace(base.findings[1], id="f-hw", model_year=None, import_date=dt.date(2029, 1, 1),
                             component=dataclasses.replace(base.findings[1].component, kind="hardware",
                                                           name="Cellular module"),
                             classification=dataclasses.replace(base.findings[1].classification, vcs_hardware=True,
                                                                covered_software=False))
    report = dataclasses.replace(base, program=importer, findings=(*base.findings, hw))
    d = doc_dict(build_declaration(report, calendar_year=2029))
    assert d["period"] == {"model_year": None, "calendar_year": 2029, "label": "calendar year 2029"}
    assert d["vehicle"] is None
    assert [i["name"] for i in d["hardware_units"]["items"]] == ["Cellular module"]
    assert "VCS hardware it imports in calendar year 2029" in d["certification"]["text"]
    assert "HBOM" in d["retention"]["text"]
    _validate(d)
    with pytest.raises(ValueError, match="importer"):
        build_declaration(make_report(), calendar_year=2029)
    with pytest.raises(ValueError, match="no finding for model year 2031"):
        build_declaration(make_report(), model_year=2031)


def test_assessment_of_an_adversary_linked_assessor_is_not_eligible() -> None:
    bad = Assessment("Audit Co.", dt.date(2026, 10, 1), "supply chain", COVERED)
    d = doc_dict(build_declaration(make_report(), model_year=2027, assessment=bad))
    assert d["assessment"]["eligible"] is False and d["assessment"]["nexus"]["status"] == "covered"
    assert Assessment("Audit Co.", None, "x", None).eligible is None


def _previous(report: Report, **edit: Any) -> dict[str, Any]:
    data = doc_dict(build_declaration(report, model_year=2027))
    data["basis"] |= edit
    return orjson.loads(orjson.dumps(data))


def test_material_changes_list_what_changed_with_deadlines() -> None:
    params = Params.load()
    report = make_report()
    current = build_declaration(report, model_year=2027)
    assert material_changes(basis_from_json(_previous(report), "prev.json"), current, params) == ()
    prev = _previous(report, inputs=[{"file": "bom/ivi.cdx.json", "sha256": "cd" * 32}],
                     findings=[{"id": "f-bad", "verdict": "permitted", "component": "Telematics middleware"},
                               {"id": "f-gone", "verdict": "out_of_scope", "component": "Old passive"}])
    changes = {c.kind: c for c in material_changes(basis_from_json(prev, "prev.json"), current, params)}
    assert set(changes) == {"input-changed", "verdict-changed", "finding-added", "finding-removed"}
    v = changes["verdict-changed"]
    assert (v.before, v.after, v.requires_update) == ("permitted", "prohibited", True)
    assert v.deadline == report.as_of + dt.timedelta(days=60) and v.tag == "U"  # material-change deadline [U]
    assert changes["finding-removed"].requires_update is False  # out of scope before and after
    assert change_dict(v)["u_tagged"] is True


def test_a_change_to_a_ga_authorized_finding_opens_the_30_day_reassessment() -> None:
    base = make_report()
    ga = dataclasses.replace(base.findings[1], verdict="authorized", authorization="GA-1")
    program = dataclasses.replace(base.program, authorizations=(Authorization("GA-1", "general", "sale"),))
    report = dataclasses.replace(base, program=program, findings=(base.findings[0], ga))
    prev = _previous(report, findings=[{"id": "f-bad", "verdict": "prohibited", "component": "Telematics middleware"},
                                       {"id": "f-ok", "verdict": "permitted", "component": "Navigation app"}])
    changes = material_changes(basis_from_json(prev, "p.json"), build_declaration(report, model_year=2027),
                               Params.load())
    (c,) = [c for c in changes if c.subject.endswith("(f-bad)")]
    assert (c.kind, c.before, c.after) == ("verdict-changed", "prohibited", "authorized")
    assert (c.days, c.tag, c.cite) == (30, "V", "15 CFR 791.306(e)")


def test_previous_that_is_not_a_doc_is_bad_input() -> None:
    from cvcomply.formats.errors import InputError

    with pytest.raises(InputError, match="cvcomply_doc"):
        basis_from_json({"cvcomply_report": 1}, "report.json")


def test_every_top_level_field_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "doc-schema.md").read_text(encoding="utf-8")
    schema = orjson.loads(SCHEMA.read_bytes())
    for key in schema["properties"]:
        assert f"| `{key}` |" in doc, key
