"""§§ 791.306–.307: general and specific authorizations, checked at as_of (readings 9 and 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cvcomply.model import Nexus
from cvcomply.model.program import Authorization, Purpose, Role
from cvcomply.rules import Case, Params, Period, Trace, classify, decide, vehicle_scope
from tests.rules.helpers import (
    BOTH,
    CN,
    DECL_CLEAR,
    DECL_COVERED,
    IMP,
    MFR,
    UNRESOLVED,
    judge,
    params,
    program,
    sw,
    vehicle,
)

D = dt.date
STACK = sw("TCU OS", function=frozenset({"vcs"}), software_kind="os")
PURL = STACK.purl or ""


def sa(**kw: object) -> Authorization:
    base: dict[str, object] = {"id": "SA-2027-0042", "kind": "specific", "valid_from": D(2026, 6, 1),
                               "valid_to": D(2028, 5, 31), "components": (PURL,), "model_years": (2027,)}
    return Authorization(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(("auth", "as_of", "verdict"), [
    pytest.param(sa(), D(2026, 11, 24), "authorized", id="in window, component and year listed"),
    pytest.param(sa(), D(2026, 6, 1), "authorized", id="first day"),
    pytest.param(sa(), D(2028, 5, 31), "authorized", id="last day"),
    pytest.param(sa(), D(2026, 5, 31), "prohibited", id="before window"),
    pytest.param(sa(), D(2028, 6, 1), "prohibited", id="after window"),
    pytest.param(sa(components=("pkg:generic/other@1",)), D(2026, 11, 24), "prohibited", id="other component"),
    pytest.param(sa(components=(STACK.bom_ref,)), D(2026, 11, 24), "authorized", id="by bom-ref"),
    pytest.param(sa(components=()), D(2026, 11, 24), "authorized", id="every component"),
    pytest.param(sa(model_years=(2028,)), D(2026, 11, 24), "prohibited", id="other model year"),
])
def test_specific_authorization(auth: Authorization, as_of: D, verdict: str) -> None:
    out = judge(STACK, program(auths=(auth,)), parties=(CN,), my=2027, as_of=as_of)
    assert out.verdict == verdict
    assert (out.authorization == "SA-2027-0042") is (verdict == "authorized")


def _ga_trace(auth: Authorization, purpose: Purpose, roles: tuple[Role, ...], declarant: Nexus,
              as_of: D) -> tuple[str, list[str]]:
    prog = program(auths=(auth,), purpose=purpose, roles=roles, veh=vehicle(imported=True))  # § 791.303(a) applies
    trace = Trace()
    ok, why = vehicle_scope(prog.vehicle, params(), trace)
    out = decide(Case(prog, STACK, classify(STACK, prog.vehicle, params(), trace), Period(2027, None), (CN,),
                      declarant, as_of, ok, why), params(), trace)
    return out.verdict, trace.lines


@pytest.mark.parametrize(("auth", "purpose", "roles", "declarant", "as_of", "verdict"), [
    pytest.param(Authorization("GA-1", "general", purpose="testing"), "testing", MFR, DECL_CLEAR, D(2026, 11, 24),
                 "authorized", id="GA-1 testing"),
    pytest.param(Authorization("GA-1", "general"), "testing", MFR, DECL_CLEAR, D(2026, 11, 24),
                 "authorized", id="GA-1 without a stated purpose: the GA's own purposes"),
    pytest.param(Authorization("GA-1", "general", purpose="display"), "testing", MFR, DECL_CLEAR, D(2026, 11, 24),
                 "prohibited", id="purpose differs from the program's"),
    pytest.param(Authorization("GA-1", "general", purpose="sale"), "sale", MFR, DECL_CLEAR, D(2026, 11, 24),
                 "prohibited", id="GA-1 does not cover sale"),
    pytest.param(Authorization("GA-1", "general", purpose="testing"), "testing", IMP, DECL_CLEAR, D(2026, 11, 24),
                 "prohibited", id="GA-1 is for manufacturers"),
    pytest.param(Authorization("GA-1", "general", purpose="testing"), "testing", MFR, DECL_COVERED, D(2026, 11, 24),
                 "prohibited", id="12.16 covered declarant ineligible"),
    pytest.param(Authorization("GA-1", "general", purpose="testing"), "testing", MFR, DECL_CLEAR, D(2025, 6, 10),
                 "prohibited", id="not yet in force at as_of"),
    pytest.param(Authorization("GA-2", "general", purpose="temporary-import"), "temporary-import", BOTH,
                 DECL_CLEAR, D(2026, 11, 24), "authorized", id="GA-2 temporary import"),
    pytest.param(Authorization("GA-1", "general", purpose="testing", model_years=(2028,)), "testing", MFR,
                 DECL_CLEAR, D(2026, 11, 24), "prohibited", id="model-year filter excludes"),
    pytest.param(Authorization("GA-7", "general", purpose="testing"), "testing", MFR, DECL_CLEAR, D(2026, 11, 24),
                 "prohibited", id="GA unknown to the parameter file"),
])
def test_general_authorization(auth: Authorization, purpose: Purpose, roles: tuple[Role, ...], declarant: Nexus,
                               as_of: D, verdict: str) -> None:
    got, lines = _ga_trace(auth, purpose, roles, declarant, as_of)
    assert got == verdict
    if verdict == "authorized":
        assert any(line.startswith(f"fact attested by the declarant for {auth.id}:") for line in lines)


def test_ga_covers_imported_test_vehicle() -> None:
    prog = program(veh=vehicle(imported=True), purpose="testing",
                   auths=(Authorization("GA-1", "general", purpose="testing"),))
    out = judge(STACK, prog, parties=(CN,), my=2027)
    assert (out.verdict, out.authorization) == ("authorized", "GA-1")
    assert out.rule == "15 CFR 791.306; BIS general authorization 1; DESIGN.md §3 reading 12"
    no_ga = program(veh=vehicle(imported=True), purpose="testing")
    assert judge(STACK, no_ga, parties=(CN,), my=2027).verdict == "prohibited"


def test_authorization_settles_an_unresolved_party() -> None:
    out = judge(STACK, program(auths=(sa(),)), parties=(UNRESOLVED,), my=2027)
    assert out.verdict == "authorized"


def test_counsel_can_narrow_a_ga(tmp_path: Path) -> None:
    f = tmp_path / "narrow.yaml"
    f.write_text("cvcomply_params: 1\nid: narrow\nedition: '1'\nextends: cfr791d\ngeneral_authorizations:\n"
                 "  - {id: GA-1, title: Limited Use Cases (amended), cite: BIS GA 1 amended, tag: S,\n"
                 "     from: 2025-06-11, purposes: [testing], users: [connected-vehicle-manufacturer]}\n")
    p = Params.load(f)
    ga = p.general_authorization("GA-1")
    assert ga is not None and ga.purposes == {"testing"}
    assert p.general_authorization("GA-2") is not None  # the others stay


@pytest.mark.parametrize(("auth", "purpose", "roles", "declarant", "as_of", "why"), [
    pytest.param(Authorization("GA-1", "general", purpose="display"), "testing", MFR, DECL_CLEAR, D(2026, 11, 24),
                 "the manifest lists it for display, and the program's purpose is testing", id="manifest purpose"),
    pytest.param(Authorization("GA-1", "general", purpose="sale"), "sale", MFR, DECL_CLEAR, D(2026, 11, 24),
                 "it covers display, research, temporary-import, testing, not sale", id="GA's purposes"),
    pytest.param(Authorization("GA-1", "general", purpose="testing"), "testing", IMP, DECL_CLEAR, D(2026, 11, 24),
                 "it is for a connected-vehicle-manufacturer, which the declarant does not list", id="users"),
    pytest.param(Authorization("GA-1", "general", purpose="testing"), "testing", MFR, DECL_COVERED, D(2026, 11, 24),
                 "the declarant is PRC- or Russia-owned, controlled or directed, so it is not eligible",
                 id="covered declarant"),
    pytest.param(Authorization("GA-1", "general", purpose="testing"), "testing", MFR, DECL_CLEAR, D(2025, 6, 10),
                 "it is not in force on 2025-06-10", id="not in force"),
    pytest.param(Authorization("GA-1", "general", purpose="testing", valid_to=D(2026, 1, 1)), "testing", MFR,
                 DECL_CLEAR, D(2026, 11, 24), "validity … to 2026-01-01, which excludes 2026-11-24",
                 id="manifest window"),
    pytest.param(Authorization("GA-1", "general", purpose="testing", model_years=(2028,)), "testing", MFR,
                 DECL_CLEAR, D(2026, 11, 24), "its components or model years in the manifest do not include",
                 id="filters"),
    pytest.param(Authorization("GA-7", "general", purpose="testing"), "testing", MFR, DECL_CLEAR, D(2026, 11, 24),
                 "defines no general authorization of that id (it defines GA-1, GA-2, GA-3)", id="unknown id"),
])
def test_a_listed_ga_that_does_not_apply_says_why(auth: Authorization, purpose: Purpose, roles: tuple[Role, ...],
                                                  declarant: Nexus, as_of: D, why: str) -> None:
    """Every general authorization the manifest lists and the finding does not get is explained in its reasons."""
    prog = program(auths=(auth,), purpose=purpose, roles=roles, veh=vehicle(imported=True))
    out = judge(STACK, prog, parties=(CN,), my=2027, as_of=as_of, declarant=declarant)
    assert out.verdict in ("prohibited", "needs_review")
    said = [r.text for r in out.reasons if r.text.startswith(f"general authorization {auth.id} does not apply: ")]
    assert len(said) == 1 and why in said[0], [r.text for r in out.reasons]
