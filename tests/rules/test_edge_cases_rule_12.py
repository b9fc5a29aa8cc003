"""RULE.md §12, edge cases 1–18, on the rules side (nexus given by hand where another stage computes it).

Several cases are also tested in the per-clause modules (marked there with "12.n"); this table makes sure
every one of them has at least one decisive assertion here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cvcomply.model import Nexus, PathStep
from cvcomply.model.program import Authorization
from cvcomply.rules import Trace, assessor_eligible, classify, doc_required
from tests.rules.helpers import (
    BOTH,
    DECL_COVERED,
    IMP,
    US,
    finding,
    hw,
    judge,
    nexus,
    params,
    party,
    program,
    sw,
    vehicle,
)

D = dt.date
VCS = frozenset({"vcs"})
STACK = sw("TCU OS", function=VCS, software_kind="os")
TCU = hw("TCU", vcs_category="telematics-unit")

# 12.1 stake 20 %: sub-control → the ownership stage says needs_review; 25 % with a board seat → covered (policy)
STAKE_20 = party("Example Zulieferer GmbH", "needs_review", "DE", nexus_countries=("CN",), prongs=("ownership",))
STAKE_25 = party("Example Zulieferer GmbH", "covered", "DE", nexus_countries=("CN",), prongs=("control",))
# 12.2 PRC parent → Cayman holdco → German supplier
CHAIN = party("Example Automotive GmbH", "covered", "DE", nexus_countries=("CN",), prongs=("ownership",))
# 12.4 Singapore / Mexican subsidiary of a PRC parent
SG_SUB = party("Example Connect Pte. Ltd.", "covered", "SG", nexus_countries=("CN",), prongs=("ownership",))
MX_SUB = party("Example Conectividad S.A. de C.V.", "covered", "MX", nexus_countries=("CN",), prongs=("ownership",))
# 12.6 non-PRC supplier with PRC-national engineers: the organisation's nexus is clear (citizenship is a
# prong only of natural persons), so nothing reaches the rules
PRC_STAFF = party("Example Engineering Ltd", "clear", "GB")


@pytest.mark.parametrize(("case", "component", "parties", "my", "verdict"), [
    ("12.1 20% stake: review, never auto-pass", STACK, (STAKE_20,), 2027, "needs_review"),
    ("12.1 25% + board seat (policy covered)", STACK, (STAKE_25,), 2027, "prohibited"),
    ("12.2 indirect chain", STACK, (CHAIN,), 2027, "prohibited"),
    ("12.3 Hong Kong", STACK, (party("Example HK Ltd", "covered", "HK"),), 2027, "prohibited"),
    ("12.3 Macau", STACK, (party("Example Macau Lda", "covered", "MO"),), 2027, "prohibited"),
    ("12.4 Singapore subsidiary", STACK, (SG_SUB,), 2027, "prohibited"),
    ("12.4 Mexican subsidiary", STACK, (MX_SUB,), 2027, "prohibited"),
    ("12.6 PRC-national staff only", STACK, (PRC_STAFF,), 2027, "permitted"),
    ("12.7 OSS unmodified with PRC contributors", sw("Linux", function=VCS, open_source="unmodified"),
     (party("Contributor", "covered", "CN", role="developer"),), 2027, "out_of_scope"),
    ("12.7 OSS modified-proprietary by PRC entity", sw("Stack", function=VCS, open_source="modified-proprietary"),
     (party("Example CN Soft", "covered", "CN", role="developer"),), 2027, "prohibited"),
    ("12.7 PRC maintainer of modified OSS", sw("Stack", function=VCS, open_source="modified-proprietary"),
     (US, party("Example CN OTA", "covered", "CN", role="maintainer")), 2027, "prohibited"),
    ("12.8 legacy untouched", sw("Old", function=VCS, completed_before=D(2025, 6, 1), maintained_by="Example US"),
     (party("Example CN", "covered", "CN", role="developer"), party("Example US", "clear", "US", role="maintainer")),
     2027, "out_of_scope"),
    ("12.8 legacy patched by PRC", sw("Old", function=VCS, completed_before=D(2025, 6, 1), maintained_by="Ex CN"),
     (party("Ex CN", "covered", "CN", role="maintainer"),), 2027, "prohibited"),
    ("12.9 modem firmware", sw("Modem fw", function=VCS, software_kind="firmware"),
     (party("Ex CN", "covered", "CN"),), 2027, "out_of_scope"),
    ("12.9 TCU OS", STACK, (party("Ex CN", "covered", "CN"),), 2027, "prohibited"),
    ("12.10 433 MHz key fob", hw("Key fob", rf_max_mhz=433.92), (party("Ex CN", "covered", "CN"),), 2030,
     "out_of_scope"),
    ("12.10 UWB access only", hw("UWB digital key anchor"), (party("Ex CN", "covered", "CN"),),
     2030, "out_of_scope"),
    ("12.10 radar", hw("Corner radar"), (party("Ex CN", "covered", "CN"),), 2030, "out_of_scope"),
    ("12.10 camera sending data off-vehicle", hw("Dash camera", function=VCS), (party("Ex CN", "covered", "CN"),),
     2030, "prohibited"),
    ("12.10 Wi-Fi module", hw("WLAN", vcs_category="wifi-module"), (party("Ex CN", "covered", "CN"),), 2030,
     "prohibited"),
    ("12.11 L2 ADAS", sw("Lane keep", function=frozenset({"ads"})), (party("Ex CN", "covered", "CN"),), 2027,
     "out_of_scope"),
    ("12.12 MY2026 sold in 2027", STACK, (party("Ex CN", "covered", "CN"),), 2026, "exempt"),
    ("12.12 MY2027 built in 2026", STACK, (party("Ex CN", "covered", "CN"),), 2027, "prohibited"),
    ("12.18 no data is not a pass", STACK, (), 2027, "needs_review"),
    ("12.18 unclear item, PRC supplier", hw("Mystery box"), (party("Ex CN", "covered", "CN"),), 2030,
     "needs_review"),
])
def test_edge_case(case: str, component: Any, parties: Any, my: int, verdict: str) -> None:
    prog = program(roles=BOTH, veh=vehicle(model_years=(my,), ads_level=2))
    out = judge(component, prog, parties=parties, my=my)
    assert out.verdict == verdict, case


def test_12_2_reasons_carry_the_ownership_path() -> None:
    path = (PathStep("cn", "Example Group (PRC)", 100, "shareholding", "CN"),
            PathStep("ky", "Example Holdings (Cayman)", 60, "shareholding", "KY"),
            PathStep("de", "Example Automotive GmbH"))
    nx = Nexus("de", "covered", ("CN",), ("ownership",), (path,))
    p = party("Example Automotive GmbH", "covered", "DE")
    p = type(p)(p.party, p.match, nx, p.entity_name, p.entity_country)
    out = judge(STACK, parties=(p,))
    assert out.verdict == "prohibited" and out.foreign_interest
    assert any("(ownership: CN)" in r.text for r in out.reasons)


def test_12_5_us_plant_of_prc_controlled_oem() -> None:
    out = judge(STACK, program(veh=vehicle(model_years=(2027,))), parties=(US,), declarant=DECL_COVERED)
    assert (out.verdict, out.rule) == ("prohibited", "15 CFR 791.304")


def test_12_13_warranty_tcu() -> None:
    prog = program(no_vehicle=True, roles=IMP, purpose="warranty", imports=(D(2031, 3, 1),))
    assert judge(hw("TCU", vcs_category="telematics-unit", model_year=2028), prog,
                 parties=(party("Ex CN", "covered", "CN"),), my=2028).verdict == "exempt"
    assert judge(hw("TCU", vcs_category="telematics-unit", model_year=2030), prog,
                 parties=(party("Ex CN", "covered", "CN"),), my=2030).verdict == "prohibited"


def test_12_14_gvwr_boundary() -> None:
    cn = (party("Ex CN", "covered", "CN"),)
    assert judge(STACK, program(veh=vehicle(gvwr_lbs=10000.0)), parties=cn).verdict == "prohibited"
    assert judge(STACK, program(veh=vehicle(gvwr_lbs=10001.0)), parties=cn).verdict == "out_of_scope"


def test_12_15_doc_for_german_vendor_not_for_us_only() -> None:
    prog = program()
    assert doc_required(prog, [finding(STACK, prog, parties=(party("Ex GmbH", "clear", "DE"),))], params())[0]
    assert not doc_required(prog, [finding(STACK, prog, parties=(US,))], params())[0]


def test_12_16_covered_importer_cannot_use_any_ga() -> None:
    for ga in ("GA-1", "GA-2", "GA-3"):
        prog = program(roles=BOTH, veh=vehicle(imported=True), purpose="temporary-import",
                       auths=(Authorization(ga, "general"),))
        out = judge(STACK, prog, parties=(party("Ex CN", "covered", "CN"),), declarant=DECL_COVERED)
        assert out.verdict == "prohibited" and out.authorization is None
        assert any(f"{ga} does not apply" in r.text and "not eligible" in r.text for r in out.reasons)


@pytest.mark.parametrize(("status", "eligible"), [("covered", False), ("needs_review", None), ("clear", True)])
def test_12_17_assessor_independence(status: str, eligible: bool | None) -> None:
    ok, reasons = assessor_eligible(nexus(status, "CN" if status == "covered" else "US"), params(), Trace())
    assert ok is eligible
    assert reasons[0].cite == "15 CFR 791.315(b)(1)" and reasons[-1].cite == "15 CFR 791.315(b)(2)"


def test_12_18_missing_data_is_review_and_foreign_interest_unknown_is_said() -> None:
    out = judge(STACK, parties=())
    assert out.verdict == "needs_review" and out.foreign_interest
    assert any("counted as one" in r.text for r in out.reasons)
    cls = classify(hw("Widget"), vehicle(), params(), Trace())
    assert cls.unclear
