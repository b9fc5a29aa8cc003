"""``NexusTable.get`` equals a straightforward reference on random project-made graphs (hypothesis).

The table explains an entity from a table-wide index of ranked holdings (``evidence_links``), memoised
chains, heads and seed countries. The reference below is the explanation as first written: each
node's holders ranked on demand, chains walked recursively, countries collected by walking every
qualifying holder, every figure read straight from the graph's arrays. Ids are chosen so that their
string order differs from the input order (``e10`` < ``e2``) and shares repeat, so the id tie-break
is exercised; restated holdings (several sources for one fact), ranges, dated holdings, unknown
holders, persons and reviewer decisions are all drawn.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvcomply.model import ControlPolicy, Decision, Entity, Holding, Interest, Nexus, NexusStatus, PathStep, SourceRef
from cvcomply.ownership import NexusTable
from cvcomply.ownership.graph import INTERESTS
from cvcomply.ownership.seeds import entity_countries
from cvcomply.ownership.table import MAX_PATHS, _best_first
from tests.ownership.helpers import decision, org, person, table

COUNTRIES = ["CN", "HK", "RU", "US", "DE", "KY", None]
KINDS: list[Interest] = ["shareholding", "shareholding", "shareholding", "voting-rights", "board-member", "veto",
                        "appointment-of-board", "direction", "other"]
SHARES = [10.0, 30.0, 50.0, 60.0, 100.0]
OLD, EARLIER, LATER = date(2020, 1, 1), date(2019, 5, 1), date(2030, 1, 1)  # AS_OF is 2026-11-24
POLICIES = st.sampled_from([ControlPolicy(), ControlPolicy(board_seat_is_control=False, veto_is_control=False),
                            ControlPolicy(require_ownership_data=True)])


class Reference(NexusTable):
    """The explanation as first written, with no memo and no table-wide index (see the module docstring)."""

    def _ref_parents(self, node: int) -> list[tuple[int, int]]:
        g, c = self.graph, self.closure
        if c.rank[node] <= 0:
            return []
        found = [
            (int(g.holder[p]), p)
            for p in g.in_positions(node).tolist()
            if c.possible[g.holder[p]] and 0 <= c.rank[g.holder[p]] < c.rank[node]
        ]
        found.sort(key=lambda hp: (-float(g.hi[hp[1]]), int(c.rank[hp[0]]), g.node_ids[hp[0]], hp[1]))
        return found

    def _own_countries(self, node: int) -> tuple[str, ...]:
        if not self.seeds[node]:
            return ()
        entity = self.graph.entity(node)
        own = entity_countries(entity, self.adversaries) if entity is not None else ()
        d = self.direction_decisions.get(self.graph.node_ids[node])
        if d is not None and d.country:
            own = tuple(sorted({*own, d.country}))
        return own

    def _node_countries(self, node: int) -> tuple[str, ...]:
        found = set(self._own_countries(node))
        for holder, _ in self._ref_parents(node):
            found.update(self._node_countries(holder))
        return tuple(c for c in sorted(self.adversaries) if c in found)

    def _ref_step(self, node: int, position: int | None) -> PathStep:
        g = self.graph
        entity = g.entity(node)
        own = self._own_countries(node)
        country = own[0] if own else (entity.jurisdiction if entity is not None else None)
        if position is None:
            return PathStep(g.node_ids[node], g.name(node), country=country)
        holding = g.source_of(position)
        lo, hi = float(g.lo[position]), float(g.hi[position])
        return PathStep(
            g.node_ids[node],
            g.name(node),
            share=lo if lo == hi and g.stated[position] else None,
            interest=INTERESTS[int(g.kind[position])],
            country=country,
            source=str(holding.source) if holding.source is not None else None,
        )

    def _ref_chain(self, node: int) -> tuple[PathStep, ...]:
        above = self._ref_parents(node)
        if not above:
            return ()
        parent, position = above[0]
        return (*self._ref_chain(parent), self._ref_step(parent, position))

    def _paths(self, node: int) -> tuple[tuple[PathStep, ...], ...]:
        last = self._ref_step(node, None)
        paths = [(*self._ref_chain(p), self._ref_step(p, pos), last) for p, pos in self._ref_parents(node)[:MAX_PATHS]]
        if not paths and self.closure.possible[node]:
            paths.append((last,))
        return tuple(paths)

    def _held(self, node: int, kinds: frozenset[int] | None, covered_only: bool) -> str:
        g, c = self.graph, self.closure
        parts = []
        for pos in g.in_positions(node).tolist():
            holder = int(g.holder[pos])
            member = c.covered[holder] if covered_only else (c.possible[holder] and not c.covered[holder])
            if not member or (kinds is not None and int(g.kind[pos]) not in kinds):
                continue
            lo, hi = float(g.lo[pos]), float(g.hi[pos])
            share = "" if not g.stated[pos] else (f"{lo:g} % " if lo == hi else f"{lo:g}–{hi:g} % ")
            parts.append(f"{g.name(holder)} {share}{INTERESTS[int(g.kind[pos])]}")
        return ", ".join(sorted(parts))

    def _build(self, node: int) -> Nexus:
        g, c = self.graph, self.closure
        entity = g.entity(node)
        status: NexusStatus = (
            "covered" if c.covered[node] else "needs_review" if c.possible[node] or entity is None else "clear"
        )
        reasons, prongs, caveats = self._explain(node, entity, int(c.cause[node]), status)
        share = max(float(c.equity[node]), float(c.votes[node]))
        return Nexus(
            entity=g.node_ids[node],
            status=status,
            countries=self._node_countries(node) if status != "clear" else self._own_countries(node),
            prongs=tuple(prongs),
            paths=self._paths(node) if status != "clear" else (),
            reasons=tuple(reasons),
            caveats=tuple(caveats),
            adversary_share=round(min(share, 100.0), 6) if share > 0 else None,
            exposure=float(self.exposures[node]),
            history=self._history(node),
        )


def reference(t: NexusTable) -> Reference:
    return Reference(**{f.name: getattr(t, f.name) for f in dataclasses.fields(NexusTable) if f.name[0] != "_"})


@st.composite
def registries(draw: st.DrawFn) -> tuple[list[Entity], list[Holding], list[Decision]]:
    n = draw(st.integers(2, 12))
    ents: list[Entity] = []
    for i in draw(st.permutations(range(n))):
        if draw(st.integers(0, 5)) == 0:
            ents.append(person(f"e{i}", nationalities=(draw(st.sampled_from(["CN", "RU", "DE"])),),
                               us_person=draw(st.booleans())))
        else:
            ents.append(org(f"e{i}", draw(st.sampled_from(COUNTRIES)),
                            headquarters=draw(st.sampled_from([(), (), ("HK",), ("US",)])),
                            ownership_withheld=draw(st.sampled_from([None] * 8 + ["NON_PUBLIC"]))))
    ids = [f"e{i}" for i in range(n)] + ["ghost"]
    holdings = []
    for _ in range(draw(st.integers(0, 24))):
        holder, subject = draw(st.sampled_from(ids)), draw(st.sampled_from(ids[:n]))
        source = SourceRef("project-test.json", f"/{draw(st.integers(0, 3))}") if draw(st.booleans()) else None
        form = draw(st.sampled_from(["exact", "exact", "range", "none"]))
        share = draw(st.sampled_from(SHARES)) if form == "exact" else None
        lo = draw(st.sampled_from([0.0, 10.0, 40.0, 50.0])) if form == "range" else None
        hi = lo + draw(st.sampled_from([5.0, 20.0])) if lo is not None else None
        start, end = draw(st.sampled_from([(None, None)] * 3 + [(None, OLD), (LATER, None), (EARLIER, None)]))
        fact = Holding(holder, subject, draw(st.sampled_from(KINDS)), share=share, share_min=lo, share_max=hi,
                       start=start, end=end, source=source)
        holdings.append(fact)
        if draw(st.integers(0, 3)) == 0:  # the same fact restated, from another source, perhaps with another share
            restated = SourceRef("restated.json", f"/{len(holdings)}")
            holdings.append(dataclasses.replace(fact, source=restated, share=draw(st.sampled_from([share, 70.0]))))
        if draw(st.integers(0, 2)) == 0:  # another holder with the same stake: ties broken by id
            holdings.append(dataclasses.replace(fact, holder=draw(st.sampled_from(ids))))
    decisions = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["nexus", "direction"]))
        target = draw(st.sampled_from(ids[:n]))
        if kind == "nexus":
            decisions.append(decision("nexus", target, draw(st.sampled_from(["covered", "clear"]))))
        else:
            decisions.append(decision("direction", target, country=draw(st.sampled_from([None, "CN", "RU"]))))
    return ents, holdings, decisions


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(registries(), POLICIES, st.randoms(use_true_random=False), st.booleans())
def test_get_equals_the_reference(
    registry: tuple[list[Entity], list[Holding], list[Decision]], policy: ControlPolicy, rnd: object, prepared: bool
) -> None:
    ents, holdings, decisions = registry
    t = table(ents, holdings, policy, decisions=decisions)
    if prepared:
        t.prepare()
    ref = reference(t)
    ids = [*(e.id for e in ents), "ghost", "nobody"]
    rnd.shuffle(ids)  # type: ignore[attr-defined]
    for eid in ids:  # in a random order: the memoised chains must not depend on which entity came first
        assert t.get(eid) == ref.get(eid), eid
        assert t.countries(eid) == (ref._node_countries(t.graph.index[eid]) if eid in t.graph.index else ())


def test_reference_sees_the_id_tie_break() -> None:
    """Two holders with equal stakes joining in the same round: the smaller id ("e10" < "e9") comes first."""
    ents = [org("e9", "CN"), org("e10", "CN"), org("t", "DE")]
    holdings = [Holding("e9", "t", "shareholding", share=60.0), Holding("e10", "t", "shareholding", share=60.0)]
    t = table(ents, holdings)
    result = t.get("t")
    assert result == reference(t).get("t")
    assert [path[0].entity for path in result.paths] == ["e10", "e9"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.sampled_from([0.0, 10.0, 50.3, 50.3 + 1e-9, 60.0, 100.0]),
                       st.integers(0, 4)), min_size=1, max_size=40),
    st.sampled_from([7, 2**40, 2**62]),
)
def test_best_first_is_the_exact_order_by_stake_then_round(rows: list[tuple[int, float, int]], n_nodes: int) -> None:
    """Fast key, or the exact fallback (key too wide; two stakes closer than the key's resolution): same order."""
    subject = np.array([r[0] for r in rows], dtype=np.int64)
    hi = np.array([r[1] for r in rows])
    rank = np.array([r[2] for r in rows], dtype=np.int64)
    order, code = _best_first(subject, hi, rank, n_nodes)
    assert order.tolist() == np.lexsort((rank, -hi, subject)).tolist()
    for i in range(len(rows)):
        for j in range(len(rows)):
            if subject[i] == subject[j]:
                assert (code[i] == code[j]) == (hi[i] == hi[j])
                assert (code[i] < code[j]) == (hi[i] > hi[j])
