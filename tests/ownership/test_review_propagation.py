"""Review propagates through any interest held by a holder under review; an entity whose own facts name no
country is under review, whoever holds it (DESIGN.md §2, §3 reading 6; RULE.md §2 prongs 2–4).

DESIGN.md §2: "any other adversary-linked stake, or a holder whose own nexus is unknown → `needs_review` …
Policy never turns an adversary-linked stake silently into `clear`." Reading 6 clears only "an entity with a
non-adversary jurisdiction and no ownership data". Every graph is invented by the project for the test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from cvcomply.model import ControlPolicy, Entity, Holding
from cvcomply.ownership import fixpoint as fp
from tests.ownership.helpers import decision, hold, nexus, org, person, table

T = "t"  # the entity every case asks about
CN = org("cn", "CN")
US = org("us")
US2 = org("us2")
TGT = org(T, "DE")
KY = org("ky", "KY")  # under review in REVIEW_KY: 20 % held by CN, 80 % by US2
REVIEW_KY = [hold("cn", "ky", 20), hold("us2", "ky", 80)]
NJ = org("nj", None)  # no jurisdiction, no headquarters, no holders
LINK_TEXT = "interest held by a holder under review"
UPSTREAM_TEXT = "would be covered were a holder under review covered"
NO_PLACE_TEXT = "no jurisdiction, headquarters or ownership data"


@dataclass
class Case:
    name: str
    entities: list[Entity]
    holdings: list[Holding]
    status: str
    text: str | tuple[str, ...] = ()  # fragments each of which one of the reasons must contain
    absent: str = ""  # a fragment no reason may contain
    policy: ControlPolicy = field(default_factory=ControlPolicy)
    kw: dict[str, object] = field(default_factory=dict)
    target: str = T


CASES = [
    # --- bug 1: a sub-control interest of a holder under review (the acceptance cases and more) ----------------
    *(Case(f"KY under review holds {ky} % beside a US {us} %", [CN, US, US2, KY, TGT],
           [*REVIEW_KY, hold("ky", T, ky), hold("us", T, us)], "needs_review", LINK_TEXT)
      for ky, us in ((10, 90), (30, 70), (24, 20), (1, 99))),
    Case("a covered KY's 10 % is a review link (unchanged)", [CN, US, KY, TGT],
         [hold("cn", "ky", 100), hold("ky", T, 10), hold("us", T, 90)], "needs_review", "meets no control test",
         LINK_TEXT),
    Case("KY under review at 100 % would make it covered: the upstream reason alone", [CN, US2, KY, TGT],
         [*REVIEW_KY, hold("ky", T, 100)], "needs_review", UPSTREAM_TEXT, LINK_TEXT),
    Case("a board seat of a holder under review", [CN, US, US2, KY, TGT],
         [*REVIEW_KY, hold("ky", T, interest="board-member"), hold("us", T, 100)], "needs_review", UPSTREAM_TEXT),
    Case("a board seat of a holder under review, seats not control by policy", [CN, US, US2, KY, TGT],
         [*REVIEW_KY, hold("ky", T, interest="board-chair"), hold("us", T, 100)], "needs_review", LINK_TEXT,
         policy=ControlPolicy(board_seat_is_control=False)),
    Case("10 % of the votes of a holder under review", [CN, US, US2, KY, TGT],
         [*REVIEW_KY, hold("ky", T, 10, "voting-rights"), hold("us", T, 100, "voting-rights")], "needs_review",
         LINK_TEXT),
    Case("a 5–15 % range of a holder under review", [CN, US, US2, KY, TGT],
         [*REVIEW_KY, hold("ky", T, share_min=5, share_max=15), hold("us", T, 85)], "needs_review", LINK_TEXT),
    Case("a contract of a holder under review", [CN, US, US2, KY, TGT],
         [*REVIEW_KY, hold("ky", T, interest="control-by-contract"), hold("us", T, 100)], "needs_review",
         LINK_TEXT),
    Case("a stated 0 % stake is no interest (as for a covered holder)", [CN, US, US2, KY, TGT],
         [*REVIEW_KY, hold("ky", T, 0), hold("us", T, 100)], "clear"),
    Case("chain of holders under review: CN 20 % → A 10 % → B 10 % → T", [CN, US, org("a"), org("b"), TGT],
         [hold("cn", "a", 20), hold("us", "a", 80), hold("a", "b", 10), hold("us", "b", 90), hold("b", T, 10),
          hold("us", T, 90)], "needs_review", LINK_TEXT),
    Case("cycle through a holder under review terminates", [CN, US, org("a"), TGT],
         [hold("cn", "a", 20), hold("us", "a", 70), hold("a", T, 10), hold(T, "a", 10), hold("us", T, 90)],
         "needs_review", LINK_TEXT),
    Case("a cycle no reason for review reaches stays clear", [US, org("a"), TGT],
         [hold("us", "a", 90), hold(T, "a", 10), hold("a", T, 10), hold("us", T, 90)], "clear"),
    Case("a withheld parent's 10 %", [US, org("w", "DE", ownership_withheld="NON_PUBLIC"), TGT],
         [hold("w", T, 10), hold("us", T, 90)], "needs_review", "parent withheld (NON_PUBLIC)"),
    Case("an unknown holder's 10 %", [US, TGT], [hold("ghost", T, 10), hold("us", T, 90)], "needs_review",
         "unknown entity, no registry record describes it"),
    Case("a person with no nationality or residence holds 10 %", [US, person("p"), TGT],
         [hold("p", T, 10), hold("us", T, 90)], "needs_review", "no nationality or residence stated"),
    Case("a German national holding 10 % is no reason", [US, person("p", nationalities=("DE",)), TGT],
         [hold("p", T, 10), hold("us", T, 90)], "clear"),
    # --- a reviewer's clear decision stops propagation --------------------------------------------------------
    Case("the holder under review cleared by a reviewer", [CN, US, US2, KY, TGT],
         [*REVIEW_KY, hold("ky", T, 10), hold("us", T, 90)], "clear", kw={"decisions": [decision("nexus", "ky",
                                                                                                 "clear")]}),
    Case("a middle link of the chain cleared by a reviewer", [CN, US, org("a"), org("b"), TGT],
         [hold("cn", "a", 20), hold("us", "a", 80), hold("a", "b", 10), hold("us", "b", 90), hold("b", T, 10),
          hold("us", T, 90)], "clear", kw={"decisions": [decision("nexus", "b", "clear")]}),
    Case("the entity itself cleared by a reviewer", [CN, US, US2, KY, TGT],
         [*REVIEW_KY, hold("ky", T, 10), hold("us", T, 90)], "clear", "reviewer decision",
         kw={"decisions": [decision("nexus", T, "clear")]}),
    # --- bug 2: no jurisdiction and no headquarters (with or without holders) -----------------------------------
    Case("no jurisdiction, headquarters or holders: as supplier", [NJ], [], "needs_review", NO_PLACE_TEXT,
         "non-adversary", target="nj"),
    Case("no jurisdiction …: holding 60 % (would be covered were it covered)", [NJ, TGT], [hold("nj", T, 60)],
         "needs_review", NO_PLACE_TEXT),
    Case("no jurisdiction …: holding 10 %", [NJ, US, TGT], [hold("nj", T, 10), hold("us", T, 90)], "needs_review",
         NO_PLACE_TEXT),
    Case("no jurisdiction, held 100 % by a US company: still under review (prong 3 unknown)", [NJ, US],
         [hold("us", "nj", 100)], "needs_review", "no jurisdiction or headquarters stated", NO_PLACE_TEXT,
         target="nj"),
    Case("… and so is what it holds", [NJ, US, TGT], [hold("us", "nj", 100), hold("nj", T, 10), hold("us", T, 90)],
         "needs_review", (LINK_TEXT, "no jurisdiction or headquarters stated")),
    Case("no jurisdiction, policy requires ownership data: one reason, not two", [NJ], [], "needs_review",
         NO_PLACE_TEXT, "require_ownership_data", policy=ControlPolicy(require_ownership_data=True), target="nj"),
    Case("no jurisdiction and withheld: both reasons", [org("nj", None, ownership_withheld="NON_PUBLIC")], [],
         "needs_review", ("parent withheld: NON_PUBLIC", NO_PLACE_TEXT), target="nj"),
    Case("no jurisdiction, reviewer clears it", [NJ], [], "clear", "reviewer decision", NO_PLACE_TEXT,
         kw={"decisions": [decision("nexus", "nj", "clear")]}, target="nj"),
    Case("no jurisdiction, reviewer covers it", [NJ], [], "covered", "reviewer decision", NO_PLACE_TEXT,
         kw={"decisions": [decision("nexus", "nj", "covered")]}, target="nj"),
    Case("non-adversary headquarters, no jurisdiction: clear with the caveat", [org(T, None, headquarters=("DE",))],
         [], "clear", "non-adversary headquarters and no ownership data"),
    Case("non-adversary jurisdiction: clear with the caveat (reading 6)", [TGT], [], "clear",
         "non-adversary jurisdiction and no ownership data"),
    Case("a state body with no country", [Entity(T, "Ministry (invented)", kind="state")], [], "needs_review",
         NO_PLACE_TEXT),
    Case("a person with no nationality or residence (RULE.md §2 prong 2)", [person(T)], [], "needs_review",
         "no nationality or residence stated"),
    Case("a person resident in Germany", [person(T, residences=("DE",))], [], "clear",
         "no adversary link found by any prong"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_review_propagation(case: Case) -> None:
    result = nexus(case.entities, case.holdings, case.target, policy=case.policy, **case.kw)
    assert result.status == case.status, result.reasons
    texts = [r.text for r in result.reasons]
    for fragment in (case.text,) if isinstance(case.text, str) else case.text:
        assert any(fragment in t for t in texts), texts
    if case.absent:
        assert not any(case.absent in t for t in texts), texts
    assert all(r.cite for r in result.reasons)
    if result.status != "clear":
        assert result.paths and all(path[-1].entity == case.target for path in result.paths)


def test_bug_1_explanation_names_the_holder_under_review_its_reason_and_a_path_to_the_seed() -> None:
    ents = [CN, US, US2, KY, TGT]
    result = nexus(ents, [*REVIEW_KY, hold("ky", T, 10), hold("us", T, 90)], T)
    assert result.status == "needs_review"
    assert result.countries == ("CN",)
    (reason,) = [r for r in result.reasons if LINK_TEXT in r.text]
    assert f"{KY.name} 10 % shareholding (under review: adversary-linked interest that meets no control test, " \
           f"held by {CN.name} 20 % shareholding)" in reason.text
    assert "DESIGN.md §2" in reason.cite
    (path,) = result.paths
    assert [(s.entity, s.share) for s in path] == [("cn", 20.0), ("ky", 10.0), (T, None)]
    assert path[0].country == "CN" and path[1].source == "project-test.json#/ky-t"


def test_chain_explanation_runs_through_every_holder_under_review() -> None:
    ents = [CN, US, org("a"), org("b"), TGT]
    holdings = [hold("cn", "a", 20), hold("us", "a", 80), hold("a", "b", 10), hold("us", "b", 90), hold("b", T, 10),
                hold("us", T, 90)]
    t = table(ents, holdings)
    assert [s.entity for s in t.get(T).paths[0]] == ["cn", "a", "b", T]
    (reason,) = [r.text for r in t.get(T).reasons if LINK_TEXT in r.text]
    assert f"{org('b').name} 10 % shareholding (under review: an interest in it is held by a holder under review)" \
        in reason
    assert org("a").name in " ".join(r.text for r in t.get("b").reasons)
    assert t.get("a").status == "needs_review" and "meets no control test" in t.get("a").reasons[0].text


def test_cycle_through_a_holder_under_review_terminates_with_both_explained() -> None:
    ents = [CN, US, org("a"), org("b")]
    t = table(ents, [hold("cn", "a", 20), hold("us", "a", 70), hold("a", "b", 10), hold("b", "a", 10)])
    assert t.status("a") == t.status("b") == "needs_review"
    assert [s.entity for s in t.get("b").paths[0]] == ["cn", "a", "b"]
    assert any(org("a").name in r.text and "meets no control test" in r.text for r in t.get("b").reasons)


def test_no_jurisdiction_holder_explained_with_its_reason_and_path() -> None:
    result = nexus([NJ, TGT], [hold("nj", T, 60)], T)
    assert result.status == "needs_review"
    assert [s.entity for s in result.paths[0]] == ["nj", T]
    (reason,) = [r.text for r in result.reasons if UPSTREAM_TEXT in r.text]
    assert f"{NJ.name} 60 % shareholding (under review: {NO_PLACE_TEXT}" in reason
    assert nexus([NJ], [], "nj").caveats == ("unknown nexus: no jurisdiction or headquarters",)


def test_cause_bits_name_how_each_node_joined() -> None:
    """REVIEW_UPSTREAM_LINK where the node would be under review, REVIEW_UPSTREAM (only) where covered; a node
    joins in the round after the holder under review that brings it in."""
    ents = [CN, US, US2, KY, org("a"), org("b")]
    t = table(ents, [*REVIEW_KY, hold("ky", "a", 10), hold("us", "a", 90), hold("ky", "b", 100)])
    c, index = t.closure, t.graph.index
    ky, a, b = index["ky"], index["a"], index["b"]
    assert c.cause[a] & fp.REVIEW_UPSTREAM_LINK and not c.cause[a] & fp.REVIEW_UPSTREAM
    assert c.cause[b] & fp.REVIEW_UPSTREAM and not c.cause[b] & fp.REVIEW_UPSTREAM_LINK
    assert c.rank[a] == c.rank[b] == c.rank[ky] + 1
    nj = table([NJ], []).closure
    assert nj.cause[0] & fp.REVIEW_NO_PLACE and not nj.cause[0] & fp.NO_DATA


@pytest.mark.parametrize("as_holder", [False, True])
def test_no_jurisdiction_but_a_non_adversary_headquarters_is_clear(as_holder: bool) -> None:
    """A stated non-adversary headquarters is a place of its own: clear with the caveat (reading 6), and its
    60 % of another entity is no reason for review."""
    placed = org("nj", None, headquarters=("DE",))
    ents = [placed, TGT] if as_holder else [placed]
    target = T if as_holder else "nj"
    holdings = [hold("nj", T, 60)] if as_holder else []
    assert nexus(ents, holdings, target).status == "clear"
