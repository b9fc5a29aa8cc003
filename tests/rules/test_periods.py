"""Periods: model years for a vehicle program, model-year hints or import dates for an importer."""

from __future__ import annotations

import datetime as dt

import pytest

from cvcomply.model import Component
from cvcomply.rules import Period, periods
from tests.rules.helpers import IMP, hw, program, sw, vehicle

D = dt.date


@pytest.mark.parametrize(("prog_kw", "component", "expected"), [
    pytest.param({"veh": vehicle(model_years=(2030, 2026, 2027, 2027))}, hw(),
                 (Period(2026, None), Period(2027, None), Period(2030, None)), id="vehicle: sorted unique years"),
    pytest.param({"veh": vehicle(model_years=(2026,))}, hw(model_year=2031),
                 (Period(2026, None),), id="vehicle: its model year governs a hint when nothing is imported"),
    pytest.param({"veh": vehicle(model_years=(2030, 2027)), "imports": (D(2029, 1, 1), D(2028, 12, 31))}, hw(),
                 (Period(2027, None), Period(2030, None), Period(None, D(2028, 12, 31)), Period(None, D(2029, 1, 1))),
                 id="vehicle with hardware imports: hardware also judged per import date"),
    pytest.param({"veh": vehicle(model_years=(2026,)), "imports": (D(2029, 1, 1),)}, hw(model_year=2031),
                 (Period(2026, None), Period(2031, None)), id="vehicle with imports: a hinted unit by its year"),
    pytest.param({"veh": vehicle(model_years=(2027,)), "imports": (D(2029, 1, 1),)}, hw(model_year=2027),
                 (Period(2027, None),), id="vehicle with hardware imports: a hint equal to a vehicle year once"),
    pytest.param({"veh": vehicle(model_years=(2027,)), "imports": (D(2029, 1, 1),)}, sw(),
                 (Period(2027, None),), id="vehicle with hardware imports: software by the vehicle only"),
    pytest.param({"no_vehicle": True, "roles": IMP, "imports": (D(2029, 1, 1), D(2028, 12, 31))}, hw(),
                 (Period(None, D(2028, 12, 31)), Period(None, D(2029, 1, 1))), id="importer: one per import date"),
    pytest.param({"no_vehicle": True, "roles": IMP, "imports": (D(2031, 5, 1),)}, hw(model_year=2028),
                 (Period(2028, None),), id="importer: model-year hint wins (reading 13)"),
    pytest.param({"no_vehicle": True, "roles": IMP}, hw(), (Period(None, None),),
                 id="importer: nothing stated gives one undated period"),
    pytest.param({"no_vehicle": True, "roles": IMP, "imports": (D(2029, 1, 1),)}, sw(),
                 (Period(None, D(2029, 1, 1)),), id="importer: software follows the same dates"),
])
def test_periods(prog_kw: dict[str, object], component: Component, expected: tuple[Period, ...]) -> None:
    assert periods(program(**prog_kw), component) == expected  # type: ignore[arg-type]
