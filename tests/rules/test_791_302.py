"""§ 791.302: importing VCS hardware designed, developed, manufactured or supplied by PRC/Russia-linked persons."""

from __future__ import annotations

import datetime as dt

import pytest

from cvcomply.model import PartyResult
from cvcomply.model.program import Role
from cvcomply.rules import Outcome
from tests.rules.helpers import BOTH, CN, IMP, JP, MFR, UNRESOLVED, US, hw, judge, party, program, vehicle

D = dt.date
TCU = hw("TCU", vcs_category="telematics-unit")
RU = party("Example Radio OOO", "covered", "RU")
HK = party("Example HK Ltd", "covered", "HK")


def loose(parties: tuple[PartyResult, ...], *, my: int | None = None, on: D | None = None,
          roles: tuple[Role, ...] = IMP, purpose: str = "sale") -> Outcome:
    return judge(TCU, program(no_vehicle=True, roles=roles, purpose=purpose), parties=parties,  # type: ignore[arg-type]
                 my=my, import_date=on)


@pytest.mark.parametrize(("parties", "my", "on", "verdict", "rule"), [
    pytest.param((CN,), None, D(2029, 1, 1), "prohibited", "15 CFR 791.302(a)", id="12.12 no-MY on 2029-01-01"),
    pytest.param((CN,), None, D(2028, 12, 31), "exempt", "15 CFR 791.308(a)", id="12.12 no-MY on 2028-12-31"),
    pytest.param((RU,), 2030, None, "prohibited", "15 CFR 791.302(a)", id="Russia MY2030"),
    pytest.param((HK,), 2030, None, "prohibited", "15 CFR 791.302(a)", id="12.3 Hong Kong"),
    pytest.param((CN,), 2029, None, "exempt", "15 CFR 791.308(a)", id="MY2029 exempt"),
    pytest.param((US, JP), 2030, None, "permitted", None, id="all clear"),
    pytest.param((UNRESOLVED,), 2030, None, "needs_review", "15 CFR 791.302(a)", id="unresolved party"),
    pytest.param((), 2030, None, "needs_review", "15 CFR 791.302(a)", id="no party (reading 10)"),
    pytest.param((UNRESOLVED,), 2029, None, "exempt", "15 CFR 791.308(a)", id="unresolved but exempt anyway"),
    pytest.param((CN,), None, None, "needs_review", "15 CFR 791.302(a)", id="import date unknown"),
    pytest.param((US,), None, None, "permitted", None, id="import date unknown, clear"),
])
def test_importer_of_loose_hardware(parties: tuple[PartyResult, ...], my: int | None, on: D | None, verdict: str,
                                    rule: str | None) -> None:
    out = loose(parties, my=my, on=on)
    assert (out.verdict, out.rule) == (verdict, rule)
    assert all(r.cite for r in out.reasons)


def test_import_date_unknown_says_so() -> None:
    out = loose((CN,))
    assert any("no stated import date" in r.text for r in out.reasons)


@pytest.mark.parametrize(("roles", "verdict"), [
    (IMP, "prohibited"),
    (BOTH, "prohibited"),
    (MFR, "needs_review"),  # reading 2: confirm the importer of record
])
def test_302_binds_the_importer_role_only(roles: tuple[Role, ...], verdict: str) -> None:
    out = judge(TCU, program(roles=roles, veh=vehicle(model_years=(2030,))), parties=(CN,), my=2030)
    assert out.verdict == verdict
    if verdict == "needs_review":
        assert any("confirm the importer of record" in r.text and r.cite == "DESIGN.md §3 reading 2"
                   for r in out.reasons)


def test_manufacturer_without_importer_role_and_clear_tcu_is_permitted() -> None:
    out = judge(TCU, program(roles=MFR, veh=vehicle(model_years=(2030,))), parties=(US,), my=2030)
    assert out.verdict == "permitted"


def test_hardware_in_a_vehicle_dated_by_the_vehicle_model_year() -> None:
    prog = program(roles=BOTH, veh=vehicle(model_years=(2029, 2030)))
    assert judge(TCU, prog, parties=(CN,), my=2029).verdict == "exempt"
    assert judge(TCU, prog, parties=(CN,), my=2030).verdict == "prohibited"


def test_non_vcs_hardware_from_prc_is_out_of_scope() -> None:
    out = judge(hw("Front radar"), program(no_vehicle=True, roles=IMP), parties=(CN,), my=None,
                import_date=D(2030, 1, 1))
    assert out.verdict == "out_of_scope" and out.rule == (
        "15 CFR 791.301 'vehicle connectivity system' (excludes items exclusively for LiDAR or sensing)")


def test_prohibited_reasons_name_the_party_and_prong() -> None:
    out = loose((HK,), my=2030)
    assert any("'Example HK Ltd' is PRC- or Russia-linked (jurisdiction: HK)" in r.text for r in out.reasons)
