"""The parameter file: packaged values, dated reads, the tracer, counsel's own file, bad files → InputError."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cvcomply.formats.errors import InputError
from cvcomply.model import ControlPolicy
from cvcomply.rules import Params, Trace
from cvcomply.rules.params import PACKAGED
from tests.rules.helpers import params

D = dt.date


@pytest.mark.parametrize(("name", "value", "cite", "tag"), [
    ("gvwr_max_lbs", 10000, "15 CFR 791.301 'connected vehicle'", "S"),
    ("heavy_vehicles_in_scope", False, "RULE.md §10 (commercial-vehicle rule promised, none published)", "S"),
    ("rf_threshold_mhz", 450, "15 CFR 791.301 'vehicle connectivity system'", "S"),
    ("ads_min_sae_level", 3, "15 CFR 791.301 'automated driving system'", "S"),
    ("software_prohibition_start_my", 2027, "15 CFR 791.308(b)", "V"),
    ("manufacturer_prohibition_start_my", 2027, "15 CFR 791.308(c)", "S"),
    ("hardware_prohibition_start_my", 2030, "15 CFR 791.308(a)", "V"),
    ("hardware_no_my_import_start", D(2029, 1, 1), "15 CFR 791.308(a)", "V"),
    ("repair_warranty_exempt_before_my", 2030, "15 CFR 791.308(a)(2)", "V"),
    ("legacy_software_cutoff", D(2026, 3, 17), "15 CFR 791.301 'covered software' (legacy exclusion)", "S"),
    ("rule_effective_date", D(2025, 3, 17), "90 FR 5360 (DATES)", "V"),
    ("doc_lead_time_days", 60, "15 CFR 791.305", "S"),
    ("doc_frequency", "annual", "15 CFR 791.305", "S"),
    ("doc_material_change_days", 60, "15 CFR 791.305", "U"),
    ("ga_reassessment_days", 30, "15 CFR 791.306(e)", "V"),
    ("record_retention_years", 10, "15 CFR 791.312", "V"),
    ("model_year_max_span_months", 24, "15 CFR 791.301 'model year'", "U"),
    ("civil_penalty_min_usd", 368136, "50 U.S.C. 1705(b) (IEEPA), 2024 inflation adjustment", "V"),
    ("criminal_penalty_max_usd", 1_000_000, "50 U.S.C. 1705(c) (IEEPA)", "V"),
    ("criminal_penalty_max_years", 20, "50 U.S.C. 1705(c) (IEEPA)", "V"),
    ("doc_required_for_specific_authorization", True, "15 CFR 791.305; 15 CFR 791.307", "U"),
])
def test_packaged_values_cites_and_tags(name: str, value: object, cite: str, tag: str) -> None:
    p = params().get(name, D(2026, 11, 24))
    assert (p.value, p.cite, p.tag) == (value, cite, tag)


def test_adversaries_are_prc_with_hk_and_macau_and_russia_only() -> None:
    assert params().adversaries() == frozenset({"CN", "HK", "MO", "RU"})
    assert params().get("adversary_countries").cite == "15 CFR 791.300(a); 15 CFR 791.4"


def test_vcs_categories_enumerated_and_passive_excluded() -> None:
    cats = params().get("vcs_hardware_categories").value
    assert {"cellular-module", "telematics-unit", "gnss-receiver", "antenna", "v2x-module"} <= set(cats)
    assert "passive" not in cats
    assert params().get("vcs_excluded_categories").value == ("passive",)


def test_versions_are_derived_from_the_file() -> None:
    assert params().version == "cfr791d-2025-01-16+cvcomply.1"
    assert params().policy_version == "cvcomply-default/1"


def test_policy_section_builds_the_control_policy_of_design_2() -> None:
    assert params().policy() == ControlPolicy()


def test_general_authorizations_as_data() -> None:
    ga1, ga2, ga3 = (params().general_authorization(x) for x in ("GA-1", "GA 2", "ga3"))
    assert ga1 is not None and ga2 is not None and ga3 is not None
    assert ga1.users == {"connected-vehicle-manufacturer"} and "testing" in ga1.purposes and "sale" not in ga1.purposes
    assert ga2.purposes == {"temporary-import"}
    assert all(g.ineligible_if_declarant_covered for g in (ga1, ga2, ga3))
    assert ga1.in_force(D(2025, 6, 11)) and not ga1.in_force(D(2025, 6, 10))
    assert params().general_authorization("GA-9") is None


def test_unknown_name_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        params().get("no_such_parameter")


def test_trace_records_param_with_cite_tag_and_date_once() -> None:
    t = Trace()
    p = params().get("gvwr_max_lbs")
    t.param(p)
    t.param(p)
    t.fact("GVWR 5,500 lb", "manifest.yaml#/program/vehicle/gvwr_lbs")
    t.clause("15 CFR 791.302(a)", "prohibited")
    assert t.lines == [
        "param gvwr_max_lbs=10000 (15 CFR 791.301 'connected vehicle') [S] as published",
        "fact GVWR 5,500 lb [manifest.yaml#/program/vehicle/gvwr_lbs]",
        "clause 15 CFR 791.302(a): prohibited",
    ]


def _write(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "counsel.yaml"
    f.write_text(text, encoding="utf-8")
    return f


DATED = """\
cvcomply_params: 1
id: counsel-acme
edition: "2"
extends: cfr791d
parameters:
  hardware_prohibition_start_my:
    values:
      - {value: 2030, to: 2027-07-01, cite: "15 CFR 791.308(a)", tag: V}
      - {value: 2029, from: 2027-07-01, cite: "15 CFR 791.308(a) as amended (hypothetical)", tag: U}
policy:
  version: "counsel-1"
  dominant_minority_pct: 20
"""


def test_user_file_extending_the_packaged_one_overrides_values_by_date(tmp_path: Path) -> None:
    p = Params.load(_write(tmp_path, DATED))
    assert p.get("hardware_prohibition_start_my", D(2027, 6, 30)).value == 2030
    amended = p.get("hardware_prohibition_start_my", D(2027, 7, 1))
    assert (amended.value, amended.tag, amended.effective_from) == (2029, "U", D(2027, 7, 1))
    assert p.get("hardware_prohibition_start_my").value == 2029  # no date: the latest value
    assert p.get("gvwr_max_lbs").value == 10000  # untouched parameters come from the packaged file
    assert p.version == "cfr791d-2025-01-16+cvcomply.1+counsel-acme.2"
    assert p.policy().dominant_minority_pct == 20.0 and p.policy().majority_pct == 50.0
    assert p.policy_version == "cvcomply-default/counsel-1"
    t = Trace()
    t.param(amended)
    assert t.lines == ["param hardware_prohibition_start_my=2029 (15 CFR 791.308(a) as amended (hypothetical)) "
                       "[U] from 2027-07-01"]


def test_a_gap_in_dated_values_is_a_lookup_error_not_no_rule(tmp_path: Path) -> None:
    p = Params.load(_write(tmp_path, DATED.replace("to: 2027-07-01", "to: 2027-01-01")))
    with pytest.raises(LookupError, match="no value in force on 2027-03-01"):
        p.get("hardware_prohibition_start_my", D(2027, 3, 1))


def test_full_replacement_file_is_accepted_when_complete(tmp_path: Path) -> None:
    text = PACKAGED.read_text(encoding="utf-8").replace("id: cfr791d", "id: counsel-full").replace(
        "{value: 10000, cite", "{value: 14000, cite")
    p = Params.load(_write(tmp_path, text))
    assert p.get("gvwr_max_lbs").value == 14000
    assert p.version == "counsel-full-2025-01-16+cvcomply.1"


@pytest.mark.parametrize(("text", "message"), [
    ("cvcomply_params: 1\nid: x\nedition: '1'\nparameters: [\n", "not valid YAML"),
    ("- just a list\n", "must be a YAML mapping"),
    ("cvcomply_params: 1\nid: x\nedition: '1'\nextends: cfr791d\nparameters:\n  gvwr_max_lbs:\n    values:\n"
     "      - {value: heavy, cite: x, tag: S}\n", "'heavy' is not a number"),
    ("cvcomply_params: 1\nid: x\nedition: '1'\nextends: cfr791d\nparameters:\n  gvwr_max_lbs:\n    values:\n"
     "      - {value: 1, cite: x, tag: Q}\n", "'Q' is not one of"),
    ("cvcomply_params: 1\nid: x\nedition: '1'\nextends: cfr791d\nparameters:\n  gvwr_max_lbz:\n    type: int\n"
     "    values:\n      - {value: 1, cite: x, tag: S}\n", "unknown parameter 'gvwr_max_lbz'"),
    ("cvcomply_params: 1\nid: x\nedition: '1'\nextends: cfr791d\nparameters:\n  legacy_software_cutoff:\n"
     "    values:\n      - {value: 2026-02-30, cite: x, tag: S}\n", "'2026-02-30' is not a date"),
    ("cvcomply_params: 1\nid: x\nedition: '1'\nextends: cfr791d\nparameters:\n  gvwr_max_lbs:\n    values:\n"
     "      - {value: 1, cite: x, tag: S}\n      - {value: 2, from: 2027-01-01, cite: x, tag: S}\n", "overlap"),
    ("cvcomply_params: 1\nid: x\nedition: '1'\nextends: cfr791d\npolicy:\n  majority_pct: 150\n",
     "150.0 is not a percentage"),
    ("cvcomply_params: 1\nid: x\nedition: '1'\nextends: cfr791d\npolicy:\n  law: true\n", "False was expected"),
    ("cvcomply_params: 1\nid: x\nedition: '1'\nextends: cfr791d\nsurprise: 1\n", "unknown key(s) 'surprise'"),
    ("cvcomply_params: 1\nid: x\npublished: '2025-01-16'\nedition: '1'\nparameters:\n  gvwr_max_lbs:\n"
     "    type: number\n    values:\n      - {value: 1, cite: x, tag: S}\n",
     "parameter 'adversary_countries' is missing"),
])
def test_malformed_files_raise_input_error_naming_the_place(tmp_path: Path, text: str, message: str) -> None:
    f = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        Params.load(f)
    assert message in str(err.value)
    assert err.value.file == str(f)


def test_every_problem_is_collected_with_its_line(tmp_path: Path) -> None:
    f = _write(tmp_path, "cvcomply_params: 1\nid: x\nedition: '1'\nextends: cfr791d\nparameters:\n"
                         "  gvwr_max_lbs:\n    values:\n      - {value: heavy, cite: x, tag: S}\n"
                         "  ads_min_sae_level:\n    values:\n      - {value: 2.5, cite: x, tag: S}\n")
    with pytest.raises(InputError) as err:
        Params.load(f)
    assert len(err.value.issues) == 2
    assert {i.location for i in err.value.issues} == {"/parameters/gvwr_max_lbs/values/0/value (line 8)",
                                                      "/parameters/ads_min_sae_level/values/0/value (line 11)"}


def test_missing_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        Params.load(tmp_path / "absent.yaml")
