"""Prong 4 by status, to a fixed point (DESIGN.md §2), on integer-indexed arrays.

Two monotone closures are computed, each by frontier iteration over the holder→subject CSR layout:

* **covered** (the lower bound): seeds, then every entity whose interests held by covered holders
  meet the control policy with *every* value of their ranges (lower bounds). Once an entity is
  covered everything it holds counts as adversary-held in full, and an entity's adversary-held
  equity is the sum over its covered holders (votes likewise) — the sanctions-regime aggregation.
* **possible** (the upper bound): covered entities plus the local reasons for review (an
  adversary-linked stake below the tests, a withheld parent, an unknown holder, an entity whose own
  facts name no country, missing ownership data when the policy requires it), then every entity
  that *would* be covered or needs_review were all of those covered: one that would meet a control
  test (using upper bounds), and one in which a member holds any interest that would be
  adversary-linked were that member covered (the condition of a review link, :func:`_linked`) —
  DESIGN.md §2: "a holder whose own nexus is unknown → needs_review". ``possible & ~covered`` is
  ``needs_review``: review propagates and never silently clears.

Both operators are monotone (sums and flags only grow, the largest non-adversary holder only shrinks
as holders join the set, and a link from a member stays a link from a member), so iteration reaches
the least fixed point whatever the input order, and terminates on cycles: every round adds at least
one node or stops, and a node joins at most once. Each round touches only the holdings of the nodes
added in the round before, so only the part of the graph reachable from the seeds (and from the
local reasons for review) costs work. Sums are rounded to 1e-9 before comparison so that the
summation order of floating-point shares cannot flip a boundary case.

The record kept is ``rank`` (the round in which a node joined; closure "possible" continues the
rounds of closure "covered") and ``cause`` bits; evidence paths are rebuilt from them on demand by
following holders of strictly lower rank, never by enumerating paths. A node that joins "possible"
through a holder under review joins in the round after that holder, so its path runs through the
holder up to the holder's own reason (an adversary seed, a withheld parent, an unknown id …).
``REVIEW_UPSTREAM_LINK`` is kept only where ``REVIEW_UPSTREAM`` is not: a node that would be covered
is explained as such, one that would merely be under review by the link.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cvcomply.model import ControlPolicy
from cvcomply.ownership.graph import (
    K_APPOINT,
    K_BOARD,
    K_CHAIR,
    K_CONSOL,
    K_DIRECTION,
    K_EQUITY,
    K_SPECIAL,
    K_VETO,
    K_VOTES,
    BoolArray,
    FloatArray,
    IntArray,
    OwnershipGraph,
    gather,
)

# cause bits (why a node holds its status)
SEED_JURISDICTION = 1 << 0
SEED_CITIZENSHIP = 1 << 1
SEED_DIRECTION = 1 << 2  # prong 1 by a reviewer's direction decision
DECIDED_COVERED = 1 << 3
EQUITY_MAJORITY = 1 << 4
VOTES_MAJORITY = 1 << 5
CONTROL_RIGHT = 1 << 6  # board-majority appointment, special share, consolidation
DIRECTED = 1 << 7  # a covered holder holds a "direction" interest (prong 1)
EQUITY_DOMINANT = 1 << 8
VOTES_DOMINANT = 1 << 9
SEAT_OR_VETO = 1 << 10
REVIEW_LINK = 1 << 11  # an adversary-linked interest below the tests
REVIEW_WITHHELD = 1 << 12
REVIEW_UNKNOWN = 1 << 13
REVIEW_NO_DATA = 1 << 14
REVIEW_UPSTREAM = 1 << 15  # would be covered were a holder under review covered
DECIDED_CLEAR = 1 << 16
CARVE_OUT = 1 << 17
NO_DATA = 1 << 18  # clear with the caveat "no ownership data"
REVIEW_UPSTREAM_LINK = 1 << 19  # an interest held by a holder under review: a review link were it covered
REVIEW_NO_PLACE = 1 << 20  # its own facts name no country: whether it is adversary-linked in itself is unknown

_ROUND = 9


@dataclass(frozen=True, slots=True)
class Closure:
    """The record of both closures."""

    covered: BoolArray
    possible: BoolArray
    rank: IntArray  # -1 for nodes in neither closure
    cause: IntArray
    equity: FloatArray  # sum of equity lower bounds held by covered holders
    votes: FloatArray
    max_covered_rank: int


@dataclass(frozen=True, slots=True)
class _Rules:
    """Per-holding effect of one interest, for one bound (lower: certain, upper: possible)."""

    amount: FloatArray  # the bound counted into equity/votes sums
    control: BoolArray  # would give control if the holder is in the set
    seat: BoolArray  # board seat or veto: dominant minority by policy
    directed: BoolArray


def _rules(g: OwnershipGraph, policy: ControlPolicy, upper: bool) -> _Rules:
    bound = g.hi if upper else g.lo
    kind = g.kind
    board_majority = (kind == K_APPOINT) & (g.majority | (bound > policy.majority_pct))
    control = board_majority.copy()
    if policy.special_share_is_control:
        control |= kind == K_SPECIAL
    if policy.consolidation_is_control:
        control |= kind == K_CONSOL
    seat = np.zeros(len(kind), dtype=np.bool_)
    if policy.board_seat_is_control:
        seat |= (kind == K_BOARD) | (kind == K_CHAIR) | ((kind == K_APPOINT) & ~board_majority)
    if policy.veto_is_control:
        seat |= kind == K_VETO
    return _Rules(bound, control, seat, kind == K_DIRECTION)


def _linked(g: OwnershipGraph) -> BoolArray:
    """Per holding: an adversary-linked interest were its holder covered — any stake that may be above
    zero, and every interest that is neither equity nor votes (a seat, a veto, a contract …).

    Held by a covered holder and meeting no control test, it is a review link (``REVIEW_LINK``); held
    by a holder under review, it makes its subject's nexus not known to be clear (``REVIEW_UPSTREAM_LINK``).
    """
    linked: BoolArray = (g.hi > 0) | ((g.kind != K_EQUITY) & (g.kind != K_VOTES))
    return linked


def close(
    g: OwnershipGraph,
    policy: ControlPolicy,
    seeds: BoolArray,
    seed_cause: IntArray,
    blocked: BoolArray,
    withheld: BoolArray,
    organisation: BoolArray,
) -> Closure:
    """Both closures. ``seeds`` are prong 1–3 seeds and reviewer-covered nodes; ``blocked`` nodes
    (reviewer-cleared) never join either set. ``withheld`` and ``organisation`` are node masks; which
    entities' own facts name a country is read from ``g.columns.placed``."""
    n = g.n_nodes
    rank = np.full(n, -1, dtype=np.int64)
    cause = seed_cause.copy()
    covered = seeds & ~blocked
    rank[covered] = 0
    equity, votes = _iterate(g, policy, covered, rank, cause, 0, blocked, _rules(g, policy, upper=False), upper=False)
    max_covered = int(rank.max()) if covered.any() else 0

    # Local reasons for review.
    local = np.zeros(n, dtype=np.int64)
    linked = _linked(g)
    link = ~covered[g.subject] & covered[g.holder] & linked
    local[g.subject[link]] |= REVIEW_LINK  # repeated subjects get the same bit
    local[withheld] |= REVIEW_WITHHELD
    unknown = np.zeros(n, dtype=np.bool_)
    unknown[g.n_entities :] = True
    local[unknown] |= REVIEW_UNKNOWN
    no_holders = np.diff(g.in_ptr) == 0
    # Reading 6 clears "an entity with a non-adversary jurisdiction and no ownership data"; one whose own
    # facts name no country has an unknown nexus (prongs 2 and 3 cannot be ruled out; DESIGN.md §2): review,
    # whoever holds it — a fact of the entity alone, so adding a holding can never clear it.
    no_place = np.zeros(n, dtype=np.bool_)
    no_place[: g.n_entities] = ~g.columns.placed
    local[no_place] |= REVIEW_NO_PLACE
    no_data = organisation & no_holders & ~no_place & ~covered
    if policy.require_ownership_data:
        local[no_data] |= REVIEW_NO_DATA
    local[covered | blocked] = 0
    cause |= local
    if not policy.require_ownership_data:
        cause[no_data & ~blocked] |= NO_DATA

    possible = covered | (local != 0)
    rank[(local != 0)] = max_covered + 1
    rules = _rules(g, policy, upper=True)
    # A link from a holder under review (a covered holder's links are local REVIEW_LINKs already).
    review_link = linked & ~covered[g.holder]
    _iterate(g, policy, possible, rank, cause, max_covered + 1, blocked, rules, upper=True, settled_below=covered,
             review_link=review_link)
    cause[(cause & REVIEW_UPSTREAM) != 0] &= ~REVIEW_UPSTREAM_LINK
    return Closure(covered, possible, rank, cause, equity, votes, max_covered)


def _iterate(
    g: OwnershipGraph,
    policy: ControlPolicy,
    member: BoolArray,
    rank: IntArray,
    cause: IntArray,
    start_rank: int,
    blocked: BoolArray,
    rules: _Rules,
    upper: bool,
    settled_below: BoolArray | None = None,
    review_link: BoolArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Grow ``member`` in place to the least fixed point; return the final equity and vote sums.

    In the upper closure (``upper``), ``settled_below`` are the covered nodes and ``review_link`` marks the
    holdings that bring their subject into the set whatever the tests say (see :func:`_linked`).
    """
    n = g.n_nodes
    equity = np.zeros(n)
    votes = np.zeros(n)
    control = np.zeros(n, dtype=np.bool_)
    seat = np.zeros(n, dtype=np.bool_)
    directed = np.zeros(n, dtype=np.bool_)
    # The largest stake of a holder outside the set is tested at its highest value for "certainly the
    # largest" and at its lowest for "possibly the largest".
    other_bound = g.lo if upper else g.hi
    frontier = np.flatnonzero(member)
    level = start_rank
    mark = np.zeros(n, dtype=np.bool_)
    while frontier.size:
        pos, _ = gather(g.out_ptr, frontier)
        if pos.size == 0:
            break
        subj = g.subject[pos]
        kind = g.kind[pos]
        amount = rules.amount[pos]
        is_eq = kind == K_EQUITY
        is_vo = kind == K_VOTES
        np.add.at(equity, subj[is_eq], amount[is_eq])
        np.add.at(votes, subj[is_vo], amount[is_vo])
        control[subj[rules.control[pos]]] = True
        seat[subj[rules.seat[pos]]] = True
        directed[subj[rules.directed[pos]]] = True

        touched = _distinct(subj, mark)
        # The upper closure also re-tests members that joined for a local reason, so that their record
        # says when the high end of a range (or a holder under review) would make them covered.
        settled = member if settled_below is None else settled_below
        touched = touched[~settled[touched] & ~blocked[touched]]
        if touched.size == 0:
            break
        eq = np.round(equity[touched], _ROUND)
        vo = np.round(votes[touched], _ROUND)
        eq_major = eq > policy.majority_pct
        vo_major = vo > policy.majority_pct
        floor = policy.dominant_minority_pct
        eq_dom = _dominant(g, touched, eq, ~eq_major & (eq >= floor), K_EQUITY, member, other_bound)
        vo_dom = _dominant(g, touched, vo, ~vo_major & (vo >= floor), K_VOTES, member, other_bound)
        bits = (
            np.where(eq_major, EQUITY_MAJORITY, 0)
            | np.where(vo_major, VOTES_MAJORITY, 0)
            | np.where(control[touched], CONTROL_RIGHT, 0)
            | np.where(directed[touched], DIRECTED, 0)
            | np.where(eq_dom, EQUITY_DOMINANT, 0)
            | np.where(vo_dom, VOTES_DOMINANT, 0)
            | np.where(seat[touched], SEAT_OR_VETO, 0)
        )
        joined = bits != 0
        if upper:
            cause[touched[joined]] |= REVIEW_UPSTREAM
            if review_link is not None:
                linked = _among(subj[review_link[pos]], touched, mark)
                cause[touched[linked]] |= REVIEW_UPSTREAM_LINK
                joined |= linked
            joined &= ~member[touched]
        else:
            cause[touched[joined]] |= bits[joined]
        new = touched[joined]
        level += 1
        member[new] = True
        rank[new] = level
        frontier = new
    return equity, votes


def _distinct(values: IntArray, mark: BoolArray) -> IntArray:
    """``np.unique(values)`` for node numbers; ``mark`` is an all-False node mask, left all False.

    Why: the early rounds of a large closure touch hundreds of thousands of nodes, where marking
    and scanning a node mask is several times faster than hashing or sorting; a small frontier is
    still sorted, which costs less than a scan of every node.
    """
    if values.size * 16 < mark.size:
        return np.unique(values)
    mark[values] = True
    out = np.flatnonzero(mark)
    mark[out] = False
    return out


def _among(values: IntArray, nodes: IntArray, mark: BoolArray) -> BoolArray:
    """Per node of ``nodes``: is it one of ``values``? ``mark`` is an all-False node mask, left all False."""
    mark[values] = True
    found = mark[nodes]
    mark[values] = False
    return found


def _dominant(
    g: OwnershipGraph,
    nodes: IntArray,
    bloc: FloatArray,
    candidate: BoolArray,
    kind: int,
    member: BoolArray,
    other_bound: FloatArray,
) -> BoolArray:
    """For candidate nodes: is the adversary bloc strictly larger than every other holder's stake?

    Only candidates (bloc at or above the dominant-minority threshold, below a majority) are looked
    at, so the in-edges of the few nodes near the threshold are all that is gathered.
    """
    result = np.zeros(len(nodes), dtype=np.bool_)
    idx = np.flatnonzero(candidate)
    if idx.size == 0:
        return result
    pos, owner = gather(g.in_ptr, nodes[idx])
    pos = g.in_order[pos]
    outside = (g.kind[pos] == kind) & ~member[g.holder[pos]]
    largest_other = np.zeros(idx.size)
    np.maximum.at(largest_other, owner[outside], other_bound[pos[outside]])
    result[idx] = bloc[idx] > np.round(largest_other, _ROUND)
    return result
