"""§ 791.304: a PRC/Russia-linked manufacturer may not sell vehicles with ANY VCS hardware or covered software."""

from __future__ import annotations

import pytest

from cvcomply.model import Nexus, Reason
from cvcomply.model.program import Authorization, Purpose
from tests.rules.helpers import DECL_COVERED, IMP, MFR, US, hw, judge, nexus, params, program, sw, vehicle

TCU = hw("TCU", vcs_category="telematics-unit")
STACK = sw("TCU OS", function=frozenset({"vcs"}), software_kind="os")
DECL_REVIEW = Nexus(entity="d", status="needs_review", reasons=(Reason("parent withheld", "DESIGN.md §3 reading 6"),))


@pytest.mark.parametrize(("component", "my", "verdict", "rule"), [
    pytest.param(STACK, 2027, "prohibited", "15 CFR 791.304", id="12.5 US-sourced software, MY2027"),
    pytest.param(TCU, 2027, "prohibited", "15 CFR 791.304", id="12.5 US-sourced hardware, MY2027 (reading 4)"),
    pytest.param(STACK, 2026, "exempt", "15 CFR 791.308(c)", id="MY2026 exempt"),
    pytest.param(hw("Front radar"), 2027, "out_of_scope", None, id="non-VCS item not reached"),
    pytest.param(sw("Modem firmware", function=frozenset({"vcs"}), software_kind="firmware"), 2027,
                 "out_of_scope", "15 CFR 791.301 'covered software' (firmware exclusion)", id="firmware excluded"),
])
def test_covered_manufacturer(component: object, my: int, verdict: str, rule: str | None) -> None:
    out = judge(component, parties=(US,), my=my, declarant=DECL_COVERED)  # type: ignore[arg-type]
    assert out.verdict == verdict
    if rule is not None:
        assert out.rule is not None and set(out.rule.split("; ")) == set(rule.split("; "))


def test_exempt_rule_lists_each_exemption_once_in_leg_order() -> None:
    out = judge(STACK, parties=(US,), my=2026, declarant=DECL_COVERED)
    assert out.verdict == "exempt"  # (b) is not reached for a clear supplier: permitted; (c) exempts § 791.304
    assert out.rule == "15 CFR 791.308(c)"


def test_manufacturer_nexus_unknown_is_review() -> None:
    out = judge(STACK, parties=(US,), my=2027, declarant=DECL_REVIEW)
    assert out.verdict == "needs_review" and out.rule == "15 CFR 791.304"
    assert any(r.text == "parent withheld" for r in out.reasons)


@pytest.mark.parametrize(("purpose", "roles", "verdict"), [
    ("testing", MFR, "permitted"),  # § 791.304 bars sales
    ("sale", IMP, "permitted"),  # binds connected vehicle manufacturers
])
def test_304_needs_a_manufacturer_selling(purpose: Purpose, roles: tuple[str, ...], verdict: str) -> None:
    out = judge(STACK, program(purpose=purpose, roles=roles), parties=(US,), my=2027,  # type: ignore[arg-type]
                declarant=DECL_COVERED)
    assert out.verdict == verdict


def test_12_5_no_general_authorization_only_a_specific_one() -> None:
    ga = program(auths=(Authorization("GA-3", "general", purpose="sale"),))
    out = judge(STACK, ga, parties=(US,), my=2027, declarant=DECL_COVERED)
    assert out.verdict == "prohibited"
    assert any("GA-3 does not apply" in r.text for r in out.reasons)
    sa = program(auths=(Authorization("SA-2027-0042", "specific", components=(STACK.purl or "",),
                                      model_years=(2027,)),))
    out = judge(STACK, sa, parties=(US,), my=2027, declarant=DECL_COVERED)
    assert (out.verdict, out.authorization, out.rule) == ("authorized", "SA-2027-0042", "15 CFR 791.307")


def test_clear_declarant_is_not_reached_by_304() -> None:
    assert judge(TCU, program(veh=vehicle(model_years=(2030,))), parties=(US,), my=2030,
                 declarant=nexus("clear", "US")).verdict == "permitted"
    assert params().get("manufacturer_prohibition_start_my").value == 2027
