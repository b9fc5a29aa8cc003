"""§ 791.301 covered software: function, ADS level, and the firmware / open-source / legacy exclusions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cvcomply.model import Vehicle
from cvcomply.rules import Trace, classify
from tests.rules.helpers import (
    CN,
    DECL_CLEAR,
    US,
    judge,
    params,
    party,
    program,
    sw,
    vehicle,
)

D = dt.date
VCS = frozenset({"vcs"})
ADS = frozenset({"ads"})

CASES = [
    # (id, component kwargs, vehicle, covered, unclear, excluded_by, legacy_conditional)
    ("vcs function", {"function": VCS}, vehicle(), True, False, None, False),
    ("function none", {"function": frozenset()}, vehicle(), False, False, "no-function", False),
    ("12.11 L2 ads is not ADS", {"function": ADS}, vehicle(ads_level=2), False, False, "not-ads", False),
    ("12.11 L3 ads is ADS", {"function": ADS}, vehicle(ads_level=3), True, False, None, False),
    ("12.11 L2 vcs+ads still vcs", {"function": VCS | ADS}, vehicle(ads_level=2), True, False, None, False),
    ("12.9 firmware kind", {"function": VCS, "software_kind": "firmware"}, vehicle(), False, False, "firmware", False),
    ("12.9 type firmware", {"function": VCS, "type": "firmware"}, vehicle(), False, False, "firmware", False),
    ("12.9 OS typed firmware is not firmware", {"function": VCS, "type": "firmware", "software_kind": "os"},
     vehicle(), True, False, None, False),
    ("12.9 middleware", {"function": VCS, "software_kind": "middleware"}, vehicle(), True, False, None, False),
    ("12.7 OSS unmodified", {"function": VCS, "open_source": "unmodified"}, vehicle(), False, False,
     "open-source", False),
    ("12.7 OSS modified-redistributed", {"function": VCS, "open_source": "modified-redistributed"}, vehicle(),
     False, False, "open-source", False),
    ("12.7 OSS modified-proprietary", {"function": VCS, "open_source": "modified-proprietary"}, vehicle(),
     True, False, None, False),
    ("12.8 legacy", {"function": VCS, "completed_before": D(2026, 3, 16)}, vehicle(), False, False, "legacy", True),
    ("12.8 cut-off day is not before the cut-off", {"function": VCS, "completed_before": D(2026, 3, 17)},
     vehicle(), True, False, None, False),
    ("no hint, name infers", {"name": "Telematics connectivity service"}, vehicle(), True, True, None, False),
    ("no hint, nothing to infer", {"name": "Seat heater app"}, vehicle(), False, True, None, False),
    ("no hint, ADS name, L2", {"name": "Autonomous driving planner"}, vehicle(ads_level=2), False, True,
     "not-ads", False),
]


@pytest.mark.parametrize(("kw", "veh", "covered", "unclear", "excluded_by", "legacy"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_covered_software_classification(kw: dict[str, Any], veh: Vehicle, covered: bool, unclear: bool,
                                         excluded_by: str | None, legacy: bool) -> None:
    cls = classify(sw(**kw), veh, params(), Trace())
    assert (cls.vcs_hardware, cls.covered_software, cls.unclear, cls.excluded_by, cls.legacy_conditional) == (
        False, covered, unclear, excluded_by, legacy)
    assert all(r.cite for r in cls.reasons)


LEGACY = {"function": VCS, "completed_before": D(2025, 1, 1)}
MAINT_CN = party("Example Update Co.", "covered", "CN", role="maintainer")
MAINT_US = party("Example Update Co.", "clear", "US", role="maintainer")
MAINT_REVIEW = party("Example Update Co.", "needs_review", None, role="maintainer", matched=False)


@pytest.mark.parametrize(("hints", "parties", "verdict"), [
    pytest.param({**LEGACY, "maintained_by": "Example Update Co."}, (CN, MAINT_US), "out_of_scope",
                 id="maintainer known and clear: excluded even with a PRC author"),
    pytest.param({**LEGACY, "maintained_by": "Example Update Co."}, (US, MAINT_CN), "prohibited",
                 id="PRC maintainer removes the exclusion (791.1(a)(1))"),
    pytest.param({**LEGACY, "maintained_by": "Example Update Co."}, (US, MAINT_REVIEW), "needs_review",
                 id="maintainer unresolved"),
    pytest.param({**LEGACY, "maintained_by": "Example Update Co."}, (US,), "needs_review",
                 id="maintainer named but not screened"),
    pytest.param(LEGACY, (CN,), "needs_review", id="reading 7: no maintainer, PRC supplier"),
    pytest.param(LEGACY, (US,), "out_of_scope", id="no maintainer, clear supplier"),
])
def test_legacy_exclusion_depends_on_the_maintainer(hints: dict[str, Any], parties: tuple[Any, ...],
                                                     verdict: str) -> None:
    out = judge(sw(**hints), parties=parties, my=2027, declarant=DECL_CLEAR)
    assert out.verdict == verdict
    assert any("reading 7" in (r.cite or "") for r in out.reasons)


def test_legacy_unknown_maintainer_in_my2026_is_exempt_not_review() -> None:
    out = judge(sw(**LEGACY), parties=(CN,), my=2026)
    assert out.verdict == "exempt" and out.rule == "15 CFR 791.308(b)"


@pytest.mark.parametrize(("kw", "verdict"), [
    ({"function": VCS, "software_kind": "firmware"}, "out_of_scope"),
    ({"function": VCS, "open_source": "unmodified"}, "out_of_scope"),
    ({"function": VCS, "open_source": "modified-proprietary"}, "prohibited"),
    ({"function": ADS}, "out_of_scope"),  # Level-2 vehicle in the default program
    ({"name": "Seat heater app"}, "needs_review"),  # unclear, PRC supplier: could be prohibited
])
def test_exclusions_reach_the_verdict(kw: dict[str, Any], verdict: str) -> None:
    assert judge(sw(**kw), program(veh=vehicle(ads_level=2)), parties=(CN,)).verdict == verdict


def test_unclear_software_with_clear_parties_is_permitted_not_review() -> None:
    out = judge(sw(name="Seat heater app"), parties=(US,))
    assert out.verdict == "permitted"
