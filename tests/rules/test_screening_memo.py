"""ScreeningMemo gives exactly what classify() and decide() give, component by component.

The cases are made by the cvcomply project for this test: components and parties with names built to
trip a text-templating memo (quotes, braces, the word "unknown", placeholder look-alikes, a name equal to a
party's, names holding the classifier's keywords, hints naming parties, sources and none), screened in
every period and program shape the rules distinguish.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from dataclasses import replace

import pytest

from cvcomply.model import Classification, Component, Nexus, PartyResult, Program, Reason, SourceRef
from cvcomply.model.common import settled
from cvcomply.model.program import Authorization
from cvcomply.rules import Period, Trace, classify, decide, vehicle_scope
from cvcomply.rules.decide import Case
from cvcomply.rules.memo import Decided, ScreeningMemo

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
         "Gateway", "Unit\x1fwith a separator", "Radar sensor {0}", "Key fob", "Infotainment app", "Autopilot stack",
         "\u27e6source-b\u27e7"]
SOURCES = [None, SourceRef("bom.cdx.json", "/components/7"), SourceRef("it's {here}.json", "/components/0")]
SHARED = Nexus(entity="e-shared", status="covered", countries=("CN",), prongs=("ownership",),
               reasons=(Reason("held 60 % by a PRC state-owned parent (project-made)", "DESIGN.md §2"),))


def held(p: PartyResult, *countries: str, country: str | None = "US") -> PartyResult:
    """``p`` with non-U.S. holders of ``countries`` up its ownership chain (Nexus.foreign_holders)."""
    return replace(p, nexus=replace(p.nexus, foreign_holders=countries), entity_country=country)


HELD_JP = held(party("Held Software Inc", "clear", "US"), "JP")  # a foreign interest through its parent only
# Interests not in force at as_of are traced as history (reading 9): two parties alike but for it.
ENDED = replace(US, nexus=replace(US.nexus, history=("e-cn 60 % shareholding (2020-01-01 to 2025-06-30) ended on "
                                                     "or before 2026-11-24: not counted [owners.json#/3]",)))
LATER = replace(US, nexus=replace(US.nexus, history=("e-ru 30 % votingRights (2027-01-01 to …) starts after "
                                                     "2026-11-24: not counted (project-made)",)))
PARTY_SETS: list[tuple[PartyResult, ...]] = [
    (), (US,), (CN,), (UNRESOLVED,), (JP, CN), (US, UNRESOLVED),
    (party("O'Brien \"Radio\" Ltd", "covered", "HK"),),
    (party("unknown supplier co", "clear", "US"),),
    (party("unknown trading co", "covered", "CN"),),  # the word once made decide() keep its foreign-interest line
    (party("\u27e6party0-a\u27e7", "covered", "CN"),),
    (PartyResult(CN.party, CN.match, SHARED, "x", "CN"),
     PartyResult(party("Other Co", role="manufacturer").party, CN.match, SHARED, "x", "CN")),
    (HELD_JP,), (US, HELD_JP), (HELD_JP, US),  # same class as (US,) but for the holders: must not share it
    (held(party("Territorial Holdings", "clear", "US"), "PR"),),  # a domestic holder's country is no foreign one
    (held(party("Placeless Co", "clear", None), "DE", country=None),),  # unknown own country, known holders
    (held(party("PRC-held Co", "covered", "US", nexus_countries=("CN",), prongs=("ownership",)), "CN", "JP"),),
    (ENDED,), (LATER,), (ENDED, US), (US, LATER),  # same class as (US,) but for the history: must not share it
]


def components(name: str) -> list[Component]:
    made = [
        hw(name, vcs_category="telematics-unit", rf_max_mhz=2400.0),
        hw(name),
        hw(name, function=frozenset({"vcs"}), designer="Example Denki K.K."),
        sw(name, function=frozenset({"vcs"})),
        sw(name),
        sw(name, function=frozenset({"vcs"}), completed_before=dt.date(2025, 1, 1), maintained_by="Unknown Trading"),
        sw(name, function=frozenset({"vcs"}), developer="Someone Else (project-made)"),
        sw(name, type="firmware"),
        hw(name, function=frozenset({"vcs"})),
        hw(name, rf_max_mhz=300.0),
        sw(name, function=frozenset({"vcs", "ads"}), open_source="modified-proprietary"),
        sw(name, open_source="unmodified"),
        sw(name, function=frozenset()),
    ]
    return [dataclasses.replace(c, source=s) for c in made for s in SOURCES]


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


def _direct(comp: Component, prog: Program, declarant: Nexus, parties: tuple[PartyResult, ...],
            spans: list[Period]) -> tuple[object, ...]:
    """What screening did before the memo: classify with a fresh trace, then decide each period afresh."""
    p = params()
    scope_trace = Trace()
    in_scope, why = vehicle_scope(prog.vehicle, p, scope_trace)
    ctrace = Trace()
    cls = classify(comp, prog.vehicle, p, ctrace)
    decided = []
    for period in spans:
        trace = Trace()
        o = decide(Case(prog, comp, cls, period, parties, declarant, AS_OF, in_scope, why), p, trace)
        decided.append((o, o.reasons, (*scope_trace.lines, *ctrace.lines, *trace.lines)))
    return cls, decided


def _settled(got: tuple[Classification, list[Decided]]) -> tuple[Classification, list[Decided]]:
    """The memo's answer with its deferred texts worked out, as a Finding's fields would read them."""
    cls, decided = got
    return cls, [(o, settled(r, "reasons"), settled(t, "trace")) for o, r, t in decided]


def _same(got: tuple[Classification, list[Decided]], want: tuple[object, ...]) -> bool:
    """The memo's answer equals the direct one; a shared outcome carries its reasons apart (not inside)."""
    (got_cls, got_decided), (want_cls, want_decided) = _settled(got), want
    return got_cls == want_cls and [(replace(o, reasons=r), r, t) for o, r, t in got_decided] == want_decided  # type: ignore[attr-defined]


@pytest.mark.parametrize("index", range(len(PROGRAMS)))
def test_memo_equals_classify_and_decide_on_every_case(index: int) -> None:
    prog, declarant = PROGRAMS[index]
    assert isinstance(declarant, Nexus)
    p = params()
    scope_trace = Trace()
    in_scope, why = vehicle_scope(prog.vehicle, p, scope_trace)
    memo = ScreeningMemo(prog, declarant, AS_OF, p, vehicle_in_scope=in_scope, scope_reasons=why,
                         scope_lines=tuple(scope_trace.lines))
    spans = ([Period(my, None) for my in prog.vehicle.model_years] if prog.vehicle
             else [Period(None, d) for d in prog.hardware_imports])
    checked = 0
    for name, parties in itertools.product(NAMES, PARTY_SETS):
        for comp in components(name):
            want = _direct(comp, prog, declarant, parties, spans)
            assert _same(memo.screen(comp, parties, spans), want), (name, comp, parties)
            assert all(trace[:len(scope_trace.lines)] == tuple(scope_trace.lines) for _, _, trace in want[1])
            checked += 1
    assert checked >= len(NAMES) * len(PARTY_SETS) * 13 * len(SOURCES)
    assert len(memo._classes) < checked / 10 and len(memo._decisions) < checked / 10  # it did memoise


def test_memo_renders_each_component_name_into_its_own_texts() -> None:
    prog, p = program(), params()
    in_scope, why = vehicle_scope(prog.vehicle, p, Trace())
    memo = ScreeningMemo(prog, DECL_CLEAR, AS_OF, p, vehicle_in_scope=in_scope, scope_reasons=why)
    outs = []
    for name in ("First unit", "Second unit"):
        comp = dataclasses.replace(hw(name, vcs_category="telematics-unit"), source=SourceRef(f"{name}.json", "/c"))
        outs.append(_settled(memo.screen(comp, (UNRESOLVED,), (Period(2027, None),))))
    (_, [(first, first_reasons, first_trace)]), (second_cls, [(second, second_reasons, second_trace)]) = outs
    assert first.verdict == second.verdict
    assert any("First unit" in r.text for r in first_reasons) and not any("Second" in r.text for r in first_reasons)
    assert any("Second unit" in r.text for r in second_reasons + second_cls.reasons)
    assert any("Second unit.json#/c" in line for line in second_trace)
    assert not any("First" in x for x in second_trace)
    assert any("First unit.json#/c" in line for line in first_trace)


def test_could_repeat_is_a_necessary_condition() -> None:
    from cvcomply.rules.memo import _could_repeat

    patterns = ["clause 15 CFR 791.302(a): {1}: prohibited", "fact {1}: cvcomply:vcs-category=soc [{3}]",
                "fact {1}: highest RF 2400 MHz [{3}]"]
    assert _could_repeat([0, "clause 15 CFR 791.302(a): Modem: prohibited"], patterns)  # "Modem" fills it
    assert not _could_repeat([0, "param gvwr_max_lbs=10000", "clause 15 CFR 791.304: declarant X"], patterns)
    assert _could_repeat([1, 2], patterns)  # both "fact …]": could only be told apart by filling them
    assert not _could_repeat([0, 1], patterns)
    assert not _could_repeat(["param a", "param b"], patterns)  # constants were told apart when recorded


def test_a_name_holding_another_lines_text_renders_as_classify_and_decide_give() -> None:
    # Its two "fact NAME: … [SOURCE]" lines could repeat as far as their patterns tell: the memo checks them.
    prog, p = program(), params()
    scope_trace = Trace()
    in_scope, why = vehicle_scope(prog.vehicle, p, scope_trace)
    memo = ScreeningMemo(prog, DECL_CLEAR, AS_OF, p, vehicle_in_scope=in_scope, scope_reasons=why,
                         scope_lines=tuple(scope_trace.lines))
    spans = [Period(2027, None)]
    for name in ("Plain unit", "X: highest RF 2400 MHz [s.json]: cvcomply:vcs-category=soc"):
        comp = dataclasses.replace(hw(name, vcs_category="soc", rf_max_mhz=2400.0), source=SourceRef("s.json"))
        got = memo.screen(comp, (US,), spans)
        assert _same(got, _direct(comp, prog, DECL_CLEAR, (US,), spans))


def test_a_party_named_unknown_is_memoised_and_its_name_does_not_decide_what_is_said() -> None:
    prog, p = program(), params()
    in_scope, why = vehicle_scope(prog.vehicle, p, Trace())
    memo = ScreeningMemo(prog, DECL_CLEAR, AS_OF, p, vehicle_in_scope=in_scope, scope_reasons=why)
    spans = (Period(2027, None),)
    named = (party("unknown trading co", "covered", "CN"),)
    plain = (party("Other trading co", "covered", "CN"),)
    got = [_settled(memo.screen(sw(name, function=frozenset({"vcs"})), parties, spans))
           for name, parties in (("A", named), ("B", plain))]
    assert len(memo._wholes) == 1  # one class: the names are filled in, not decided on
    texts = [[r.text for r in decided[0][1]] for _, decided in got]
    assert not any("a foreign interest" in t for t in texts[0] + texts[1])  # known foreign parties: not unknowns
    assert [t.replace("unknown trading co", "Other trading co").replace("'A'", "'B'") for t in texts[0]] == texts[1]
