"""The nexus of every entity, built lazily from the fixed point's record.

Why lazy: a registry of a million entities has a status each in one NumPy array, but a screening run
asks for the explanation of a few hundred. ``NexusTable.get`` turns one node's record (status, cause
bits, rank, sums) into a :class:`~cvcomply.model.Nexus` with reasons, evidence paths and history, and
caches it. Paths follow holders of strictly lower rank (the round in which each joined), so they run
from a seed to the entity without enumerating the graph's paths.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from cvcomply.model import ControlPolicy, Decision, Entity, Nexus, NexusStatus, PathStep, Reason
from cvcomply.ownership import fixpoint as fp
from cvcomply.ownership.exposure import exposure
from cvcomply.ownership.graph import (
    INTERESTS,
    K_APPOINT,
    K_CONSOL,
    K_DIRECTION,
    K_EQUITY,
    K_SPECIAL,
    K_VOTES,
    BoolArray,
    FloatArray,
    OwnershipGraph,
)
from cvcomply.ownership.seeds import CITE_PRC, CITE_PRONG, entity_countries

STATUS_NAMES: tuple[NexusStatus, ...] = ("clear", "needs_review", "covered")
"""``NexusTable.statuses`` holds codes into this tuple: 0 clear, 1 needs_review, 2 covered."""
CLEAR, REVIEW, COVERED = 0, 1, 2

MAX_PATHS = 3
CITE_READING_6 = "DESIGN.md §3 reading 6"
CITE_DECISION = "reviewer decision (DESIGN.md §2, STYLE.md habit 6)"
CITE_UNKNOWN = "RULE.md §12.18 (unresolved ownership is never a pass)"
_PRC_PARTS = frozenset({"HK", "MO"})


@dataclass(eq=False)
class NexusTable:
    """Status of every entity at ``as_of`` with explanations on demand.

    ``ids`` are the given entities' ids in input order and ``statuses`` their status codes (aligned,
    see :data:`STATUS_NAMES`). ``get`` returns a full :class:`Nexus` for any id — one not in the
    table is ``needs_review`` ("unknown entity").
    """

    graph: OwnershipGraph
    closure: fp.Closure
    seeds: BoolArray
    as_of: date
    policy: ControlPolicy
    adversaries: frozenset[str]
    nexus_decisions: Mapping[str, Decision]
    direction_decisions: Mapping[str, Decision]
    _cache: dict[int, Nexus] = field(default_factory=dict, repr=False)
    _bits: npt.NDArray[np.uint64] | None = field(default=None, repr=False)
    _parent_cache: dict[int, list[tuple[int, int]]] = field(default_factory=dict, repr=False)
    _chains: dict[int, tuple[PathStep, ...]] = field(default_factory=dict, repr=False)
    _exposure: FloatArray | None = field(default=None, repr=False)

    # --- bulk view ---------------------------------------------------------------------------
    @property
    def ids(self) -> Sequence[str]:
        return self.graph.node_ids[: self.graph.n_entities]

    @property
    def statuses(self) -> npt.NDArray[np.int8]:
        """Status codes aligned with ``ids`` (0 clear, 1 needs_review, 2 covered)."""
        n = self.graph.n_entities
        codes = self.closure.possible[:n].astype(np.int8)
        codes[self.closure.covered[:n]] = COVERED
        return codes

    def counts(self) -> dict[NexusStatus, int]:
        codes = np.bincount(self.statuses, minlength=3)
        return {name: int(codes[i]) for i, name in enumerate(STATUS_NAMES)}

    @property
    def exposures(self) -> FloatArray:
        """Look-through exposure of every node in % (computed on first use)."""
        if self._exposure is None:
            self._exposure = exposure(self.graph, self.seeds)
        return self._exposure

    def prepare(self) -> NexusTable:
        """Compute now the table-wide arrays every explanation reads (adversary countries reached, exposure),
        instead of on the first :meth:`get` — for a registry loaded once and screened against many times."""
        self._country_bits()
        _ = self.exposures
        return self

    def __contains__(self, entity_id: object) -> bool:
        node = self.graph.index.get(entity_id) if isinstance(entity_id, str) else None
        return node is not None and node < self.graph.n_entities

    def __len__(self) -> int:
        return self.graph.n_entities

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def status(self, entity_id: str) -> NexusStatus:
        """The status alone, without building reasons or paths."""
        node = self.graph.index.get(entity_id)
        if node is None:
            return "needs_review"
        if self.closure.covered[node]:
            return "covered"
        return "needs_review" if self.closure.possible[node] or node >= self.graph.n_entities else "clear"

    # --- one entity ---------------------------------------------------------------------------
    def get(self, entity_id: str) -> Nexus:
        node = self.graph.index.get(entity_id)
        if node is None:
            return Nexus(
                entity=entity_id,
                status="needs_review",
                reasons=(Reason("unknown entity: no registry record has this id", CITE_UNKNOWN),),
                caveats=("unknown entity",),
            )
        cached = self._cache.get(node)
        if cached is None:
            cached = self._cache[node] = self._build(node)
        return cached

    def countries(self, entity_id: str) -> tuple[str, ...]:
        """Adversary countries reached: the entity's own, or those of the seeds upstream of it."""
        node = self.graph.index.get(entity_id)
        return () if node is None else self._node_countries(node)

    def _node_countries(self, node: int) -> tuple[str, ...]:
        bits = int(self._country_bits()[node])
        return tuple(c for i, c in enumerate(self._country_order) if bits >> i & 1)

    @property
    def _country_order(self) -> tuple[str, ...]:
        return tuple(sorted(self.adversaries))

    def _country_bits(self) -> npt.NDArray[np.uint64]:
        """Adversary countries reached by every node, as bit sets, computed once for the whole table.

        A node's set is its own countries OR the sets of its holders that joined the closure in an
        earlier round (the same relation the evidence paths follow). Nodes are settled round by round,
        so each round is one vectorised OR over the holdings into that round's nodes.
        """
        if self._bits is not None:
            return self._bits
        g, c = self.graph, self.closure
        order = self._country_order
        bit = {country: np.uint64(1) << np.uint64(i) for i, country in enumerate(order)}
        bits = np.zeros(g.n_nodes, dtype=np.uint64)
        for node in np.flatnonzero(self.seeds).tolist():
            for country in self._own_countries(node):
                if country in bit:
                    bits[node] |= bit[country]
        rank_of_subject = c.rank[g.subject]
        rank_of_holder = c.rank[g.holder]
        use = c.possible[g.holder] & (rank_of_holder >= 0) & (rank_of_holder < rank_of_subject)
        pos = np.flatnonzero(use)
        pos = pos[np.argsort(rank_of_subject[pos], kind="stable")]
        levels = rank_of_subject[pos]
        bounds = np.flatnonzero(np.diff(levels)) + 1
        for chunk in np.split(pos, bounds):
            if chunk.size:
                np.bitwise_or.at(bits, g.subject[chunk], bits[g.holder[chunk]])
        self._bits = bits
        return bits

    def _own_countries(self, node: int) -> tuple[str, ...]:
        if not self.seeds[node]:
            return ()
        entity = self.graph.entity(node)
        own = entity_countries(entity, self.adversaries) if entity is not None else ()
        decision = self.direction_decisions.get(self.graph.node_ids[node])
        if decision is not None and decision.country:
            own = tuple(sorted({*own, decision.country}))
        return own

    def _parents(self, node: int) -> list[tuple[int, int]]:
        """(holder node, holding position) of holders that joined before ``node``, best first.

        Best: the largest stake (upper bound), then the earliest round, then the id — so the choice
        never depends on input order.
        """
        cached = self._parent_cache.get(node)
        if cached is not None:
            return cached
        c = self.closure
        if c.rank[node] <= 0:
            return []
        pos = self.graph.in_positions(node)
        holders = self.graph.holder[pos]
        ok = c.possible[holders] & (c.rank[holders] >= 0) & (c.rank[holders] < c.rank[node])
        found = [(int(h), int(p)) for h, p in zip(holders[ok], pos[ok], strict=True)]
        ids = self.graph.node_ids
        found.sort(key=lambda hp: (-float(self.graph.hi[hp[1]]), int(c.rank[hp[0]]), ids[hp[0]], hp[1]))
        self._parent_cache[node] = found
        return found

    def _step(self, node: int, position: int | None) -> PathStep:
        g = self.graph
        entity = g.entity(node)
        own = self._own_countries(node)
        country = own[0] if own else (entity.jurisdiction if entity is not None else None)
        if position is None:
            return PathStep(g.node_ids[node], g.name(node), country=country)
        holding = g.source_of(position)
        lo, hi = float(g.lo[position]), float(g.hi[position])
        share = lo if lo == hi and g.stated[position] else None
        return PathStep(
            g.node_ids[node],
            g.name(node),
            share=share,
            interest=INTERESTS[int(g.kind[position])],
            country=country,
            source=str(holding.source) if holding.source is not None else None,
        )

    def _upchain(self, node: int) -> tuple[PathStep, ...]:
        """Steps from a seed down to the best parent of ``node`` (each step holds into the next).

        Memoised per node and built iteratively, so explaining many entities of a deep graph reuses
        the chains above them instead of walking to the seed each time.
        """
        pending: list[tuple[int, int, int]] = []  # (node, best parent, position of its holding in node)
        cur = node
        while cur not in self._chains:
            above = self._parents(cur)
            if not above:
                self._chains[cur] = ()
                break
            parent, position = above[0]
            pending.append((cur, parent, position))
            cur = parent
        for child, parent, position in reversed(pending):
            self._chains[child] = (*self._chains[parent], self._step(parent, position))
        return self._chains[node]

    def _paths(self, node: int) -> tuple[tuple[PathStep, ...], ...]:
        paths: list[tuple[PathStep, ...]] = []
        last = self._step(node, None)
        for parent, position in self._parents(node)[:MAX_PATHS]:
            paths.append((*self._upchain(parent), self._step(parent, position), last))
        if not paths and self.closure.possible[node]:
            paths.append((last,))
        return tuple(paths)

    def _build(self, node: int) -> Nexus:
        g, c = self.graph, self.closure
        entity = g.entity(node)
        cause = int(c.cause[node])
        status: NexusStatus
        if c.covered[node]:
            status = "covered"
        elif c.possible[node] or entity is None:
            status = "needs_review"
        else:
            status = "clear"
        reasons, prongs, caveats = self._explain(node, entity, cause, status)
        share = max(float(c.equity[node]), float(c.votes[node]))
        history = self._history(node)
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
            history=history,
        )

    # --- explanations -------------------------------------------------------------------------
    def _policy_cite(self) -> str:
        p = self.policy
        return f"{p.citation}; policy {p.name} v{p.version}"

    def _held(self, node: int, kinds: frozenset[int] | None, covered_only: bool) -> str:
        """"A (CN) 30 % shareholding, B …" for the interests in ``node`` held by covered/possible holders."""
        g, c = self.graph, self.closure
        parts = []
        for pos in g.in_positions(node).tolist():
            holder = int(g.holder[pos])
            member = c.covered[holder] if covered_only else (c.possible[holder] and not c.covered[holder])
            if not member or (kinds is not None and int(g.kind[pos]) not in kinds):
                continue
            parts.append(f"{g.name(holder)} {_share_text(g, pos)}{INTERESTS[int(g.kind[pos])]}")
        return ", ".join(sorted(parts))

    def _explain(
        self, node: int, entity: Entity | None, cause: int, status: NexusStatus
    ) -> tuple[list[Reason], list[str], list[str]]:
        g, c, p = self.graph, self.closure, self.policy
        reasons: list[Reason] = []
        prongs: list[str] = []
        caveats: list[str] = []
        name = g.name(node)
        policy_cite = self._policy_cite()
        prong4 = CITE_PRONG.format(n=4)

        decision = self.nexus_decisions.get(g.node_ids[node])
        if decision is not None and cause & (fp.DECIDED_COVERED | fp.DECIDED_CLEAR):
            reasons.append(
                Reason(
                    f"reviewer decision by {decision.by} on {decision.at.date().isoformat()}: "
                    f"{decision.verdict} — {decision.why}",
                    CITE_DECISION,
                )
            )
            if decision.verdict == "covered":
                prongs.append("control")
        if entity is None and status != "covered":
            text = "unknown entity: holdings name this id but no registry record describes it"
            reasons.append(Reason(text, CITE_UNKNOWN))
            caveats.append("unknown entity")
        if cause & fp.SEED_JURISDICTION and entity is not None:
            prongs.append("jurisdiction")
            reasons.extend(self._jurisdiction_reasons(entity))
        if cause & fp.SEED_CITIZENSHIP and entity is not None:
            prongs.append("citizenship")
            found = entity_countries(entity, self.adversaries)
            reasons.append(
                Reason(
                    f"{name} is a natural person, citizen or resident of {', '.join(found)}, "
                    "and not a US citizen or permanent resident",
                    CITE_PRONG.format(n=2),
                )
            )
        if cause & fp.SEED_DIRECTION:
            prongs.append("direction")
            d = self.direction_decisions[g.node_ids[node]]
            where = f" of {d.country}" if d.country else ""
            reasons.append(
                Reason(
                    f"reviewer {d.by} recorded on {d.at.date().isoformat()} that {name} acts at the direction"
                    f"{where}: {d.why}",
                    CITE_PRONG.format(n=1),
                )
            )
        if cause & fp.DIRECTED:
            prongs.append("direction")
            reasons.append(
                Reason(
                    f"acts at the direction of a covered holder: {self._held(node, frozenset({K_DIRECTION}), True)}",
                    CITE_PRONG.format(n=1),
                )
            )
        eq, vo = round(float(c.equity[node]), 6), round(float(c.votes[node]), 6)
        if cause & (fp.EQUITY_MAJORITY | fp.VOTES_MAJORITY):
            prongs.append("ownership")
            what = " and ".join(
                f"{label} {value:g} %"
                for bit, label, value in (
                    (fp.EQUITY_MAJORITY, "adversary-held equity", eq),
                    (fp.VOTES_MAJORITY, "adversary-held votes", vo),
                )
                if cause & bit
            )
            reasons.append(
                Reason(
                    f"{what} more than {p.majority_pct:g} % (majority; every value of any range counted at its "
                    f"lowest), held by {self._held(node, frozenset({K_EQUITY, K_VOTES}), True)}",
                    f"{prong4}; {policy_cite}",
                )
            )
        if cause & fp.CONTROL_RIGHT:
            prongs.append("control")
            held = self._held(node, frozenset({K_APPOINT, K_SPECIAL, K_CONSOL}), True)
            reasons.append(
                Reason(
                    f"a covered holder can appoint a board majority, holds a special share or consolidates it: {held}",
                    f"{prong4}; {policy_cite}",
                )
            )
        if cause & (fp.EQUITY_DOMINANT | fp.VOTES_DOMINANT):
            prongs.append("ownership")
            value = eq if cause & fp.EQUITY_DOMINANT else vo
            reasons.append(
                Reason(
                    f"adversary-held stake {value:g} % is at least {p.dominant_minority_pct:g} % and larger than "
                    "any other holder's: dominant minority (policy)",
                    f"{prong4}; {policy_cite}",
                )
            )
        if cause & fp.SEAT_OR_VETO:
            prongs.append("control")
            reasons.append(
                Reason(
                    "a covered holder has a board seat or a veto: dominant minority (policy): "
                    f"{self._held(node, None, True)}",
                    f"{prong4}; {policy_cite}",
                )
            )
        if status == "needs_review":
            if cause & fp.REVIEW_LINK:
                reasons.append(
                    Reason(
                        f"adversary-linked interest that meets no control test: {self._held(node, None, True)}; "
                        "a control analysis is needed",
                        f"{prong4}; {policy_cite}; RULE.md §12.1",
                    )
                )
            if cause & fp.REVIEW_UPSTREAM:
                reasons.append(
                    Reason(
                        "would be covered were a holder under review covered (or at the high end of a stated range): "
                        f"{self._held(node, None, False) or self._held(node, None, True)}",
                        f"{prong4}; {policy_cite}",
                    )
                )
            if cause & fp.REVIEW_WITHHELD and entity is not None:
                reasons.append(Reason(f"parent withheld: {entity.ownership_withheld}", CITE_READING_6))
            if cause & fp.REVIEW_NO_DATA:
                reasons.append(
                    Reason("no ownership data, and the policy requires it (require_ownership_data)", CITE_READING_6)
                )
        if cause & fp.CARVE_OUT and entity is not None:
            found = entity_countries(entity, self.adversaries)
            reasons.append(
                Reason(
                    f"citizen or resident of {', '.join(found)} but a US citizen or permanent resident: carved out",
                    CITE_PRONG.format(n=2),
                )
            )
        if cause & fp.NO_DATA and status == "clear":
            caveats.append("no ownership data")
            reasons.append(Reason("non-adversary jurisdiction and no ownership data", CITE_READING_6))
        if status == "clear" and not reasons:
            reasons.append(Reason("no adversary link found by any prong at the as-of date", "RULE.md §2"))
        return reasons, list(dict.fromkeys(prongs)), caveats

    def _jurisdiction_reasons(self, entity: Entity) -> list[Reason]:
        cite3 = CITE_PRONG.format(n=3)
        out: list[Reason] = []
        if entity.kind == "state":
            found = entity_countries(entity, self.adversaries)
            out.append(Reason(f"{entity.name} is a government or state body of {', '.join(found)}", cite3))
        else:
            if entity.jurisdiction in self.adversaries:
                out.append(Reason(f"{entity.name} is incorporated or organised in {entity.jurisdiction}", cite3))
            hq = sorted({h for h in entity.headquarters if h in self.adversaries})
            if hq:
                text = f"{entity.name} has its headquarters or principal place of business in {', '.join(hq)}"
                out.append(Reason(text, cite3))
        places = {*entity.headquarters} | ({entity.jurisdiction} if entity.jurisdiction else set())
        prc = sorted(_PRC_PARTS & places & self.adversaries)
        if prc:
            out.append(Reason(f"{', '.join(prc)} is part of the PRC for this subpart", CITE_PRC))
        return out

    def _history(self, node: int) -> tuple[str, ...]:
        g = self.graph
        lines = []
        for i in g.inactive.get(node, []):
            h = g.holdings[i]
            when = "starts after" if h.start is not None and h.start > self.as_of else "ended on or before"
            lo, hi = h.bounds()
            share = "" if lo is None else (f"{lo:g} % " if lo == hi else f"{lo:g}–{hi:g} % ")
            src = f" [{h.source}]" if h.source is not None else ""
            lines.append(
                f"{h.holder} {share}{h.interest} ({h.start or '…'} to {h.end or '…'}) {when} "
                f"{self.as_of.isoformat()}: not counted{src}"
            )
        return tuple(sorted(lines))


def _share_text(g: OwnershipGraph, pos: int) -> str:
    if not g.stated[pos]:
        return ""
    lo, hi = float(g.lo[pos]), float(g.hi[pos])
    return f"{lo:g} % " if lo == hi else f"{lo:g}–{hi:g} % "
