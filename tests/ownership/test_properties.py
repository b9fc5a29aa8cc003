"""Hypothesis properties of the fixed point on random project-made graphs (with cycles).

* adding an adversary-linked holding never turns a covered (or needs_review) entity into clear, nor lowers any
  status unless it closes a cycle through its subject (then covered may become needs_review: a pinned case);
* adding a holding by a needs_review holder (one in the registry, an unknown id, an organisation or person
  whose own facts name no country) never turns needs_review-or-covered into clear, and its subject is not clear;
* no entity that is not clear holds a possibly non-zero interest in a clear one (review propagates, DESIGN.md §2);
* the fixed point terminates on any graph, cycles included, and every covered entity has a path from
  an adversary seed;
* the result does not depend on the order of entities or holdings.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvcomply.model import ControlPolicy, Entity, Holding
from cvcomply.ownership import STATUS_NAMES
from tests.ownership.helpers import hold, org, person, table

COUNTRIES = ["CN", "HK", "RU", "US", "DE", "KY", None]
INTERESTS = ["shareholding", "shareholding", "shareholding", "voting-rights", "board-member", "veto",
             "control-by-contract", "appointment-of-board", "other"]
RANK = {"clear": 0, "needs_review": 1, "covered": 2}


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Entity], list[Holding]]:
    n = draw(st.integers(2, 9))
    ents = [org(f"e{i}", draw(st.sampled_from(COUNTRIES)),
                ownership_withheld=draw(st.sampled_from([None] * 6 + ["NON_PUBLIC"]))) for i in range(n)]
    holdings = []
    for _ in range(draw(st.integers(0, 18))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        interest = draw(st.sampled_from(INTERESTS))
        form = draw(st.sampled_from(["exact", "range", "none"]))
        if form == "exact":
            h = hold(f"e{a}", f"e{b}", draw(st.sampled_from([5.0, 10.0, 25.0, 30.0, 49.99, 50.0, 50.01, 60.0, 100.0])),
                     interest)
        elif form == "range":
            lo = draw(st.sampled_from([0.0, 10.0, 25.0, 40.0, 50.0]))
            h = hold(f"e{a}", f"e{b}", None, interest, share_min=lo, share_max=lo + draw(st.sampled_from([5.0, 20.0])))
        else:
            h = hold(f"e{a}", f"e{b}", None, interest)
        holdings.append(h)
    return ents, holdings


POLICIES = st.sampled_from([ControlPolicy(), ControlPolicy(board_seat_is_control=False, veto_is_control=False),
                            ControlPolicy(require_ownership_data=True)])
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(graphs(), POLICIES, st.data())
def test_adding_an_adversary_linked_holding_never_lowers_a_status(
    graph: tuple[list[Entity], list[Holding]], policy: ControlPolicy, data: st.DataObject
) -> None:
    ents, holdings = graph
    before = table(ents, holdings, policy)
    covered = [i for i, c in zip(before.ids, before.statuses, strict=True) if STATUS_NAMES[c] == "covered"]
    holder = data.draw(st.sampled_from([*covered, "cnx"]))
    subject = data.draw(st.sampled_from([e.id for e in ents]))
    extra = hold(holder, subject, data.draw(st.sampled_from([None, 1.0, 30.0, 60.0])),
                 data.draw(st.sampled_from(INTERESTS)))
    after = table([*ents, org("cnx", "CN")], [*holdings, extra], policy)
    # The property: never covered (nor needs_review) into clear, whatever the graph.
    for eid in before.ids:
        assert before.status(eid) == "clear" or after.status(eid) != "clear", eid
    # Never lowers any status, unless the new holding closes a cycle: a holder downstream of its subject may be
    # covered only through that subject, and then (least fixed point) its stake of unknown size, competing in the
    # subject's "largest holding" test, can take a certain status back to needs_review — never to clear.
    if holder not in _downstream(subject, holdings):
        for eid in before.ids:
            assert RANK[after.status(eid)] >= RANK[before.status(eid)], eid


def test_a_holding_that_closes_a_cycle_can_lower_covered_to_review_only() -> None:
    """The case hypothesis found (e1 CN holds 25 % of e4, e4 25 % of e0; e0 then holds e4 with no share stated):
    e0 is covered only through e4, so the least fixed point cannot count e0's stake as adversary-held, and e1 is no
    longer certainly e4's largest holder — review, never clear."""
    ents = [org("e0", "US"), org("e1", "CN"), org("e4", "US")]
    holdings = [hold("e1", "e4", 25.0, "shareholding"), hold("e4", "e0", 25.0, "shareholding")]
    assert table(ents, holdings).status("e0") == "covered"
    after = table(ents, [*holdings, hold("e0", "e4", None, "shareholding")])
    assert after.status("e0") == "needs_review" and after.status("e4") == "needs_review"


def _downstream(start: str, holdings: list[Holding]) -> set[str]:
    """Every entity ``start`` holds an interest in, directly or indirectly (``start`` itself included)."""
    seen, todo = {start}, [start]
    while todo:
        x = todo.pop()
        for h in holdings:
            if h.holder == x and h.subject not in seen:
                seen.add(h.subject)
                todo.append(h.subject)
    return seen


@SETTINGS
@given(graphs(), st.sampled_from([ControlPolicy(), ControlPolicy(board_seat_is_control=False, veto_is_control=False)]),
       st.data())
def test_adding_a_holding_by_a_needs_review_holder_never_clears(
    graph: tuple[list[Entity], list[Holding]], policy: ControlPolicy, data: st.DataObject
) -> None:
    """DESIGN.md §2: "a holder whose own nexus is unknown → needs_review … Policy never turns an
    adversary-linked stake silently into clear".

    Not under ``require_ownership_data``: there the new holding is ownership data for its subject, which may
    rightly end that subject's "no ownership data" review (reading 6) and so the review it passed on."""
    ents, holdings = graph
    before = table(ents, holdings, policy)
    review = [i for i, c in zip(before.ids, before.statuses, strict=True) if STATUS_NAMES[c] == "needs_review"]
    # "ghost": an id no entity describes; "njx": an organisation with no country and no holders; "pnx": a person
    # with no nationality or residence — each under review in itself.
    holder = data.draw(st.sampled_from([*review, "ghost", "njx", "pnx"]))
    subject = data.draw(st.sampled_from([e.id for e in ents]))
    extra = hold(holder, subject, data.draw(st.sampled_from([None, 1.0, 10.0, 30.0, 60.0])),
                 data.draw(st.sampled_from(INTERESTS)))
    after = table([*ents, org("njx", None), person("pnx")], [*holdings, extra], policy)
    assert after.status(holder) == "needs_review" or holder == subject, holder
    for eid in before.ids:
        if before.status(eid) != "clear":
            assert after.status(eid) != "clear", eid
    assert after.status(subject) != "clear", subject


@SETTINGS
@given(graphs(), POLICIES)
def test_no_interest_of_an_entity_that_is_not_clear_leaves_its_subject_clear(
    graph: tuple[list[Entity], list[Holding]], policy: ControlPolicy
) -> None:
    """Every share these graphs draw may be above zero, so each holding is an adversary-linked interest were
    its holder covered: a holder that is covered or under review leaves no subject clear (no decisions here)."""
    ents, holdings = graph
    t = table(ents, holdings, policy)
    for h in holdings:
        if t.status(h.holder) != "clear":
            assert t.status(h.subject) != "clear", (h.holder, h.subject)


@SETTINGS
@given(graphs(), POLICIES, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(
    graph: tuple[list[Entity], list[Holding]], policy: ControlPolicy, rnd: object
) -> None:
    ents, holdings = graph
    shuffled_e, shuffled_h = list(ents), list(holdings)
    rnd.shuffle(shuffled_e)  # type: ignore[attr-defined]
    rnd.shuffle(shuffled_h)  # type: ignore[attr-defined]
    a = table(ents, holdings, policy)
    b = table(shuffled_e, shuffled_h, policy)
    for e in ents:
        assert a.get(e.id) == b.get(e.id)


@SETTINGS
@given(graphs(), POLICIES)
def test_fixed_point_terminates_and_explains_every_covered_entity(
    graph: tuple[list[Entity], list[Holding]], policy: ControlPolicy
) -> None:
    ents, holdings = graph
    t = table(ents, holdings, policy)
    for e in ents:
        result = t.get(e.id)
        if result.status == "covered":
            assert result.countries, result
            assert result.paths and all(p[-1].entity == e.id for p in result.paths)
            first = result.paths[0][0]
            assert t.get(first.entity).status == "covered"
            assert t.get(first.entity).prongs[:1] in (("jurisdiction",), ("citizenship",), ("direction",))
        if result.status != "clear":
            assert result.paths
