"""§ 791.308 exemptions: each paragraph exempts only its own prohibition, by model year or import date."""

from __future__ import annotations

import datetime as dt

import pytest

from cvcomply.model.program import Purpose
from tests.rules.helpers import BOTH, CN, DECL_COVERED, IMP, US, hw, judge, program, sw, vehicle

D = dt.date
TCU = hw("TCU", vcs_category="telematics-unit")
STACK = sw("TCU OS", function=frozenset({"vcs"}), software_kind="os")


@pytest.mark.parametrize(("my", "verdict"), [(2026, "exempt"), (2027, "prohibited")])
def test_308b_software_boundary(my: int, verdict: str) -> None:
    out = judge(STACK, parties=(CN,), my=my)
    assert out.verdict == verdict
    assert out.rule == ("15 CFR 791.308(b)" if verdict == "exempt" else "15 CFR 791.303(b)")


@pytest.mark.parametrize(("my", "verdict"), [(2029, "exempt"), (2030, "prohibited")])
def test_308a_hardware_model_year_boundary(my: int, verdict: str) -> None:
    assert judge(TCU, program(roles=BOTH, veh=vehicle(model_years=(my,))), parties=(CN,), my=my).verdict == verdict


@pytest.mark.parametrize(("on", "verdict"), [(D(2028, 12, 31), "exempt"), (D(2029, 1, 1), "prohibited")])
def test_308a_no_model_year_import_boundary(on: D, verdict: str) -> None:
    out = judge(TCU, program(no_vehicle=True, roles=IMP), parties=(CN,), my=None, import_date=on)
    assert out.verdict == verdict


@pytest.mark.parametrize(("purpose", "my", "verdict"), [
    pytest.param("warranty", 2028, "exempt", id="12.13 warranty TCU for MY2028 imported 2031"),
    pytest.param("repair", 2029, "exempt", id="repair for MY2029"),
    pytest.param("warranty", 2030, "prohibited", id="12.13 same part for MY2030"),
])
def test_308a2_repair_and_warranty(purpose: Purpose, my: int, verdict: str) -> None:
    out = judge(hw("TCU", vcs_category="telematics-unit", model_year=my),
                program(no_vehicle=True, roles=IMP, purpose=purpose, imports=(D(2031, 5, 1),)),
                parties=(CN,), my=my, as_of=D(2031, 5, 1))
    assert out.verdict == verdict
    if verdict == "exempt":
        assert any(r.cite == "15 CFR 791.308(a)(2)" and purpose in r.text for r in out.reasons)


def test_each_paragraph_exempts_only_its_own_prohibition() -> None:
    # MY2027 hardware of a PRC-controlled manufacturer: § 791.308(a) exempts the import (MY < 2030)
    # but not the § 791.304 sale, which § 791.308(c) stops exempting at MY2027.
    out = judge(TCU, program(roles=BOTH, veh=vehicle(model_years=(2027,))), parties=(CN,), my=2027,
                declarant=DECL_COVERED)
    assert (out.verdict, out.rule) == ("prohibited", "15 CFR 791.304")
    assert any(r.cite == "15 CFR 791.308(a)" for r in out.reasons)


def test_exempt_needs_a_possible_link_otherwise_permitted() -> None:
    assert judge(STACK, parties=(US,), my=2026).verdict == "permitted"
    assert judge(STACK, parties=(), my=2026).verdict == "exempt"
