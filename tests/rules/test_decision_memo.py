"""DecisionMemo gives exactly what decide() gives, case by case (outcome and trace lines).

The cases are made by the cvcomply project for this test: components and parties with names built to
trip a text-templating memo (quotes, the word "unknown", placeholder look-alikes, a name equal to a
party's, hints naming parties), screened in every period and program shape the rules distinguish.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from cvcomply.model import Component, Nexus, PartyResult, Program, Reason
from cvcomply.model.program import Authorization
from cvcomply.rules import Case, Outcome, Period, Trace, classify, decide, vehicle_scope
from cvcomply.rules.decide import DecisionMemo

from .helpers import (
    AS_OF,
    BOTH,
    CN,
    DECL_CLEAR,
    DECL_COVERED,
    IMP,
    JP,
    MFR,
    UNRESOLVED,
    US,
    hw,
    params,
    party,
    program,
    sw,
    vehicle,
)

NAMES = ["Telematics unit", "it's a \"modem\"", "unknown widget", "\u27e6component-a\u27e7", "Example Denki K.K.",
         "Gateway"]
SHARED = Nexus(entity="e-shared", status="covered", countries=("CN",), prongs=("ownership",),
               reasons=(Reason("held 60 % by a PRC state-owned parent (project-made)", "DESIGN.md §2"),))
PARTY_SETS: list[tuple[PartyResult, ...]] = [
    (), (US,), (CN,), (UNRESOLVED,), (JP, CN), (US, UNRESOLVED),
    (party("O'Brien \"Radio\" Ltd", "covered", "HK"),),
    (party("unknown supplier co", "clear", "US"),),
    (party("\u27e6party0-a\u27e7", "covered", "CN"),),
    (PartyResult(CN.party, CN.match, SHARED, "x", "CN"),
     PartyResult(party("Other Co", role="manufacturer").party, CN.match, SHARED, "x", "CN")),
]


def components(name: str) -> list[Component]:
    return [
        hw(name, vcs_category="telematics-unit", rf_max_mhz=2400.0),
        hw(name),
        hw(name, function=frozenset({"vcs"}), designer="Example Denki K.K."),
        sw(name, function=frozenset({"vcs"})),
        sw(name),
        sw(name, function=frozenset({"vcs"}), completed_before=dt.date(2025, 1, 1), maintained_by="Unknown Trading"),
        sw(name, function=frozenset({"vcs"}), developer="Someone Else (project-made)"),
        sw(name, type="firmware"),
    ]


AUTHS = (Authorization(id="SA-9", kind="specific", valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2028, 1, 1),
                       components=("hw-Gateway",), model_years=(2027,)),
         Authorization(id="GA-1", kind="general", purpose="testing"))
PROGRAMS: list[tuple[Program, object]] = [
    (program(veh=vehicle(model_years=(2026, 2027, 2030))), DECL_CLEAR),
    (program(roles=BOTH, veh=vehicle(model_years=(2027,), imported=True), auths=AUTHS), DECL_CLEAR),
    (program(roles=MFR, auths=AUTHS), DECL_COVERED),
    (program(roles=IMP, no_vehicle=True, imports=(dt.date(2028, 12, 31), dt.date(2029, 1, 1))), DECL_CLEAR),
    (program(purpose="testing", auths=AUTHS), DECL_CLEAR),
    (program(veh=vehicle(gvwr_lbs=20000.0)), DECL_CLEAR),
]


@pytest.mark.parametrize("index", range(len(PROGRAMS)))
def test_memo_equals_decide_on_every_case(index: int) -> None:
    prog, declarant = PROGRAMS[index]
    assert isinstance(declarant, Nexus)
    p = params()
    scope_trace = Trace()
    in_scope, why = vehicle_scope(prog.vehicle, p, scope_trace)
    memo = DecisionMemo()
    spans = ([Period(my, None) for my in prog.vehicle.model_years] if prog.vehicle
             else [Period(None, d) for d in prog.hardware_imports])
    checked = 0
    for name, parties, period in itertools.product(NAMES, PARTY_SETS, spans):
        for comp in components(name):
            cls = classify(comp, prog.vehicle, p, Trace())
            case = Case(prog, comp, cls, period, parties, declarant, AS_OF, in_scope, why)
            want_trace, got_trace = Trace(), Trace()
            got_trace.add("line already recorded (project-made)")
            want_trace.add("line already recorded (project-made)")
            assert memo.decide(case, p, got_trace) == decide(case, p, want_trace), (name, comp, parties, period)
            assert got_trace.lines == want_trace.lines
            checked += 1
    assert checked >= len(NAMES) * len(PARTY_SETS) * 8


def test_memo_renders_each_component_name_into_its_own_texts() -> None:
    prog, p = program(), params()
    in_scope, why = vehicle_scope(prog.vehicle, p, Trace())
    memo = DecisionMemo()
    outs: list[tuple[Outcome, list[str]]] = []
    for name in ("First unit", "Second unit"):
        comp = hw(name, vcs_category="telematics-unit")
        case = Case(prog, comp, classify(comp, prog.vehicle, p, Trace()), Period(2027, None), (UNRESOLVED,),
                    DECL_CLEAR, AS_OF, in_scope, why)
        trace = Trace()
        outs.append((memo.decide(case, p, trace), trace.lines))
    (first, _), (second, second_lines) = outs
    assert first.verdict == second.verdict
    assert any("First unit" in r.text for r in first.reasons) and not any("Second" in r.text for r in first.reasons)
    assert any("Second unit" in r.text for r in second.reasons)
    assert any("Second unit" in line for line in second_lines) and not any("First" in x for x in second_lines)
