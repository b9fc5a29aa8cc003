"""Table-driven boundary cases of the nexus (RULE.md §2, DESIGN.md §2 and §3 readings 5, 6, 9).

Every graph is invented by the project for the test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from cvcomply.model import ControlPolicy, Entity, Holding
from tests.ownership.helpers import AS_OF, decision, hold, nexus, org, person


@dataclass
class Case:
    name: str
    entities: list[Entity]
    holdings: list[Holding]
    target: str
    status: str
    prongs: tuple[str, ...] = ()
    text: str = ""  # a fragment one of the reasons must contain
    policy: ControlPolicy = field(default_factory=ControlPolicy)
    kw: dict[str, object] = field(default_factory=dict)


T = "t"  # the entity every case asks about
CN = org("cn", "CN")
CN2 = org("cn2", "CN")
US = org("us")
US2 = org("us2")
TGT = org(T, "DE")

CASES = [
    Case("50.01 % is a majority", [CN, US, TGT], [hold("cn", T, 50.01), hold("us", T, 49.99)], T, "covered",
         ("ownership",), "more than 50 %"),
    Case("exactly 50 % beside another 50 % is not", [CN, US, TGT], [hold("cn", T, 50), hold("us", T, 50)], T,
         "needs_review", (), "meets no control test"),
    Case("50 % votes and 50.01 % votes", [CN, US, TGT], [hold("cn", T, 50.01, "voting-rights"),
                                                        hold("us", T, 49.99, "voting-rights")], T, "covered",
         ("ownership",), "adversary-held votes 50.01 %"),
    Case("25 % and the largest holding", [CN, US, US2, TGT], [hold("cn", T, 25), hold("us", T, 20), hold("us2", T, 20)],
         T, "covered", ("ownership",), "dominant minority (policy)"),
    Case("25 % but not the largest", [CN, US, TGT], [hold("cn", T, 25), hold("us", T, 30)], T, "needs_review"),
    Case("25 % tied with another 25 % is not the largest", [CN, US, TGT], [hold("cn", T, 25), hold("us", T, 25)], T,
         "needs_review"),
    Case("24.99 % alone is below the floor", [CN, TGT], [hold("cn", T, 24.99)], T, "needs_review"),
    Case("range 40–60 beside a fixed 40 % is review", [CN, US, TGT],
         [hold("cn", T, share_min=40, share_max=60), hold("us", T, 40)], T, "needs_review", (), "high end"),
    Case("range 55–70 is covered on its whole range", [CN, US, TGT],
         [hold("cn", T, share_min=55, share_max=70), hold("us", T, 30)], T, "covered", ("ownership",)),
    Case("unknown share of a covered holder is review", [CN, TGT], [hold("cn", T)], T, "needs_review"),
    Case("ended holding is not counted", [CN, TGT], [hold("cn", T, 60, end=AS_OF)], T, "clear", (),
         "no ownership data"),
    Case("future holding is not counted", [CN, TGT], [hold("cn", T, 60, start=AS_OF + timedelta(days=1))], T, "clear"),
    Case("holding that started today counts", [CN, TGT], [hold("cn", T, 60, start=AS_OF)], T, "covered"),
    Case("HK-incorporated supplier", [org(T, "HK")], [], T, "covered", ("jurisdiction",), "part of the PRC"),
    Case("MO-incorporated supplier", [org(T, "MO")], [], T, "covered", ("jurisdiction",), "part of the PRC"),
    Case("RU-incorporated supplier", [org(T, "RU")], [], T, "covered", ("jurisdiction",), "incorporated"),
    Case("KY company headquartered in CN", [org(T, "KY", headquarters=("CN",))], [], T, "covered",
         ("jurisdiction",), "headquarters"),
    Case("Cuba is not a subpart D adversary", [org(T, "CU")], [], T, "clear"),
    Case("state body of Russia", [Entity(T, "Ministry (invented)", kind="state", jurisdiction="RU")], [], T,
         "covered", ("jurisdiction",), "state body"),
    Case("Cayman holdco chain PRC→KY→DE (RULE.md §12.2)", [CN, org("ky", "KY"), TGT],
         [hold("cn", "ky", 100), hold("ky", T, 60)], T, "covered", ("ownership",)),
    Case("Singapore subsidiary of a PRC parent (RULE.md §12.4)", [CN, org(T, "SG")], [hold("cn", T, 100)], T,
         "covered", ("ownership",)),
    Case("two covered minority holders 30 + 30 aggregate", [CN, org("ru", "RU"), US, TGT],
         [hold("cn", T, 30), hold("ru", T, 30), hold("us", T, 40)], T, "covered", ("ownership",), "60 %"),
    Case("US citizen with CN residence is carved out", [person("p", residences=("CN",), us_person=True), TGT],
         [hold("p", T, 100)], T, "clear"),
    Case("the carved-out person is clear with a reason", [person(T, residences=("CN",), us_person=True)], [], T,
         "clear", (), "carved out"),
    Case("CN national (not a US person) is covered", [person(T, nationalities=("CN",))], [], T, "covered",
         ("citizenship",), "not a US citizen"),
    Case("a CN national's majority stake covers the company", [person("p", nationalities=("CN",)), TGT],
         [hold("p", T, 51)], T, "covered", ("ownership",)),
    Case("board seat is a dominant minority (policy)", [CN, TGT], [hold("cn", T, interest="board-member")], T,
         "covered", ("control",), "board seat"),
    Case("board seat is review when the policy says it is not control", [CN, TGT],
         [hold("cn", T, interest="board-chair")], T, "needs_review",
         policy=ControlPolicy(board_seat_is_control=False)),
    Case("veto", [CN, TGT], [hold("cn", T, interest="veto")], T, "covered", ("control",)),
    Case("special share", [CN, TGT], [hold("cn", T, interest="special-share")], T, "covered", ("control",),
         "special share"),
    Case("special share, policy off", [CN, TGT], [hold("cn", T, interest="special-share")], T, "needs_review",
         policy=ControlPolicy(special_share_is_control=False)),
    Case("consolidation", [CN, TGT], [hold("cn", T, interest="consolidation")], T, "covered", ("control",)),
    Case("appointment of a board majority", [CN, TGT], [hold("cn", T, interest="appointment-of-board", majority=True)],
         T, "covered", ("control",), "board majority"),
    Case("control by contract is review", [CN, TGT], [hold("cn", T, interest="control-by-contract")], T,
         "needs_review", (), "meets no control test"),
    Case("direction interest of a covered holder", [CN, TGT], [hold("cn", T, interest="direction")], T, "covered",
         ("direction",), "direction"),
    Case("withheld parent", [org(T, "DE", ownership_withheld="NATURAL_PERSONS")], [], T, "needs_review", (),
         "parent withheld: NATURAL_PERSONS"),
    Case("withheld but covered anyway", [CN, org(T, "DE", ownership_withheld="NON_PUBLIC")], [hold("cn", T, 60)], T,
         "covered"),
    Case("no ownership data is clear with a caveat (reading 6)", [TGT], [], T, "clear", (), "no ownership data"),
    Case("no ownership data, policy requires it", [TGT], [], T, "needs_review", (), "require_ownership_data",
         policy=ControlPolicy(require_ownership_data=True)),
    Case("unknown holder with a majority is review", [TGT], [hold("ghost", T, 60)], T, "needs_review", (),
         "would be covered"),
    # Was "clear". DESIGN.md §2: "any other adversary-linked stake, or a holder whose own nexus is unknown →
    # `needs_review` … Policy never turns an adversary-linked stake silently into `clear`."
    Case("unknown holder with a small stake is review", [TGT], [hold("ghost", T, 10)], T, "needs_review", (),
         "interest held by a holder under review"),
    Case("review propagates through a would-be majority", [CN, org("a", "US"), TGT],
         [hold("cn", "a", 10), hold("a", T, 60)], T, "needs_review", (), "would be covered"),
    # Was "clear". DESIGN.md §2: "any other adversary-linked stake, or a holder whose own nexus is unknown →
    # `needs_review` … Policy never turns an adversary-linked stake silently into `clear`."
    Case("review propagates through a small stake too", [CN, org("a", "US"), TGT],
         [hold("cn", "a", 10), hold("a", T, 10)], T, "needs_review", (), "interest held by a holder under review"),
    Case("reviewer clears a CN-owned entity", [CN, TGT], [hold("cn", T, 60)], T, "clear", (), "reviewer decision",
         kw={"decisions": [decision("nexus", T, "clear")]}),
    Case("reviewer covers a US entity", [TGT], [], T, "covered", ("control",), "reviewer decision",
         kw={"decisions": [decision("nexus", T, "covered")]}),
    Case("direction decision is prong 1", [TGT], [], T, "covered", ("direction",), "acts at the direction of CN",
         kw={"decisions": [decision("direction", T, country="CN")]}),
    Case("direction decision naming a non-subpart-D country makes no seed", [TGT], [], T, "clear",
         kw={"decisions": [decision("direction", T, country="IR")]}),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_boundary(case: Case) -> None:
    result = nexus(case.entities, case.holdings, case.target, policy=case.policy, **case.kw)
    assert result.status == case.status, result.reasons
    for prong in case.prongs:
        assert prong in result.prongs
    if case.text:
        assert any(case.text in r.text for r in result.reasons) or case.text in result.caveats, result.reasons
    assert all(r.cite for r in result.reasons)
    if result.status != "clear":
        assert result.paths, "covered and needs_review results carry evidence paths"
        assert all(path[-1].entity == case.target for path in result.paths)
