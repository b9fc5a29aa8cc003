"""§ 791.305 Declarations of Conformity: who must file for a period, and why (RULE.md §5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cvcomply.model.program import Authorization
from cvcomply.rules import Params, Trace, doc_required
from tests.rules.helpers import (
    BOTH,
    CN,
    IMP,
    JP,
    UNRESOLVED,
    US,
    finding,
    hw,
    params,
    party,
    program,
    sw,
    vehicle,
)

D = dt.date
STACK = sw("TCU OS", function=frozenset({"vcs"}), software_kind="os")
TCU = hw("TCU", vcs_category="telematics-unit")
DE = party("Example GmbH", "clear", "DE")
US_HELD = party("Example US Sub Inc.", "clear", "US", nexus_countries=("SG",))


@pytest.mark.parametrize(("parties", "my", "required"), [
    pytest.param((JP,), 2027, True, id="12.15 Japanese vendor, MY2027"),
    pytest.param((DE,), 2027, True, id="12.15 German vendor"),
    pytest.param((US,), 2027, False, id="12.15 purely U.S. software"),
    pytest.param((JP,), 2026, False, id="MY2026: before the manufacturer trigger"),
    pytest.param((), 2027, True, id="no party: unknown counts as foreign interest"),
    pytest.param((UNRESOLVED,), 2027, True, id="country unknown counts"),
    pytest.param((US_HELD,), 2027, True, id="U.S. company held from abroad: indirect foreign interest"),
    pytest.param((CN,), 2027, True, id="prohibited software still makes the vehicle need a DoC"),
])
def test_manufacturer_trigger(parties: tuple[object, ...], my: int, required: bool) -> None:
    prog = program(veh=vehicle(model_years=(my,)))
    f = finding(STACK, prog, parties=parties, my=my)  # type: ignore[arg-type]
    ok, reasons = doc_required(prog, [f], params())
    assert ok is required
    assert reasons and all("15 CFR 791.305" in r for r in reasons)


def test_reasons_name_the_component_and_the_deadline() -> None:
    prog = program()
    ok, reasons = doc_required(prog, [finding(STACK, prog, parties=(JP,))], params(), Trace())
    assert ok
    assert reasons[0].startswith("model year 2027: covered software 'TCU OS' has a foreign interest (permitted)")
    assert "at least 60 days before the first import or sale, annual" in reasons[-1]


@pytest.mark.parametrize(("component", "required"), [
    (sw("Modem firmware", function=frozenset({"vcs"}), software_kind="firmware"), False),
    (sw("Open stack", function=frozenset({"vcs"}), open_source="unmodified"), False),
    (sw("Seat heater app"), True),  # unclear: counted, and it says so
])
def test_excluded_software_does_not_trigger(component: object, required: bool) -> None:
    prog = program()
    ok, reasons = doc_required(prog, [finding(component, prog, parties=(JP,))], params())  # type: ignore[arg-type]
    assert ok is required
    if required:
        assert "classification unclear, counted" in reasons[0]


def test_ga_authorized_needs_no_doc_but_sa_does_by_default() -> None:
    ga = program(veh=vehicle(imported=True), purpose="testing",
                 auths=(Authorization("GA-1", "general", purpose="testing"),))
    f = finding(STACK, ga, parties=(CN,))
    assert f.verdict == "authorized"
    assert doc_required(ga, [f], params())[0] is False
    sa = program(auths=(Authorization("SA-1", "specific"),))
    f = finding(STACK, sa, parties=(CN,))
    assert f.verdict == "authorized"
    ok, reasons = doc_required(sa, [f], params())
    assert ok and "under specific authorization SA-1" in reasons[0]


def test_sa_parameter_can_switch_the_sa_reading(tmp_path: Path) -> None:
    path = tmp_path / "sa.yaml"
    path.write_text("cvcomply_params: 1\nid: sa\nedition: '1'\nextends: cfr791d\nparameters:\n"
                    "  doc_required_for_specific_authorization:\n    values:\n"
                    "      - {value: false, cite: counsel, tag: U}\n")
    sa = program(auths=(Authorization("SA-1", "specific"),))
    f = finding(STACK, sa, parties=(CN,))
    assert doc_required(sa, [f], Params.load(path))[0] is False


@pytest.mark.parametrize(("my", "on", "parties", "required"), [
    pytest.param(None, D(2029, 1, 1), (JP,), True, id="no-MY import from 2029, clear: DoC"),
    pytest.param(None, D(2028, 12, 31), (JP,), False, id="no-MY import before 2029: exempt, no DoC"),
    pytest.param(2030, None, (US,), True, id="MY2030 hardware, even U.S.-made"),
    pytest.param(2029, None, (JP,), False, id="MY2029 hardware exempt"),
    pytest.param(None, D(2029, 1, 1), (CN,), False, id="prohibited import: no DoC for it"),
    pytest.param(None, None, (JP,), True, id="import date unknown: counted"),
])
def test_importer_trigger(my: int | None, on: D | None, parties: tuple[object, ...], required: bool) -> None:
    prog = program(no_vehicle=True, roles=IMP)
    f = finding(TCU, prog, parties=parties, my=my, import_date=on)  # type: ignore[arg-type]
    assert doc_required(prog, [f], params())[0] is required


def test_manufacturer_that_imports_hardware_is_judged_on_both() -> None:
    prog = program(roles=BOTH, veh=vehicle(model_years=(2030,)))
    ok, reasons = doc_required(prog, [finding(TCU, prog, parties=(US,), my=2030),
                                      finding(STACK, prog, parties=(US,), my=2030)], params())
    assert ok and len(reasons) == 2 and "VCS hardware 'TCU'" in reasons[0]


def test_no_sale_no_import_no_doc() -> None:
    prog = program(purpose="testing")
    assert doc_required(prog, [finding(STACK, prog, parties=(JP,))], params())[0] is False


def test_empty_period() -> None:
    assert doc_required(program(), [], params()) == (False, ())
