"""The nexus of every entity, built lazily from the fixed point's record.

Why lazy: a registry of a million entities has a status each in one NumPy array, but a screening run
asks for the explanation of a few hundred. ``NexusTable.get`` turns one node's record (status, cause
bits, rank, sums) into a :class:`~cvcomply.model.Nexus` with reasons, evidence paths and history, and
caches it. Paths follow holders of strictly lower rank (the round in which each joined), so they run
from a seed to the entity without enumerating the graph's paths.

Why those holdings are ranked for the whole table at once (:func:`evidence_links`, built by
:meth:`NexusTable.prepare` at load): a screening run explains a few thousand entities whose chains
climb through many more nodes, and ranking a node's two or three holders with NumPy calls costs far
more in per-call overhead than in work. Ranked once in a few vectorised passes, each chain link is
one record look-up; the steps, chains and heads built from them are memoised per node.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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
    IntArray,
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
CITE_UNKNOWN_HOLDER = "DESIGN.md §2 (a holder whose own nexus is unknown → needs_review)"
_PRC_PARTS = frozenset({"HK", "MO"})
_EQUITY_VOTES = frozenset({K_EQUITY, K_VOTES})
_CONTROL_RIGHTS = frozenset({K_APPOINT, K_SPECIAL, K_CONSOL})
_DIRECTION = frozenset({K_DIRECTION})


_LINK = np.dtype(
    [("holder", np.int64), ("position", np.int64), ("share", np.float64), ("source", np.int64), ("kind", np.int8)]
)
Link = tuple[int, int, float, int, int]
"""One entry of :attr:`EvidenceLinks.links` as ``.item()`` returns it: (holder node, holding position,
share shown in a path step (-1.0 for none), index into ``holdings`` of the holding's only original
(-1 when it was restated: :meth:`OwnershipGraph.source_of` chooses), interest code)."""


@dataclass(frozen=True, slots=True, eq=False)
class EvidenceLinks:
    """The holdings evidence paths follow, grouped by subject and best first (CSR layout).

    The entries of node ``v`` are ``links[ptr[v]:ptr[v+1]]``, each a record (see :data:`Link`) with
    everything a path step reads from the holding. Why records: a chain link costs one ``.item()``
    of one contiguous record instead of a look-up in each of six holding arrays, which on a large
    registry are as many cache misses.
    """

    ptr: IntArray
    links: npt.NDArray[Any]  # records of dtype _LINK (typed Any so that .item() gives a Link)


def evidence_links(g: OwnershipGraph, c: fp.Closure) -> EvidenceLinks:
    """Every holding whose holder joined the closure in an earlier round than its subject, best first.

    Best: the largest stake (upper bound), then the earliest round, then the holder's id, then the
    position — so the choice never depends on input order. Holdings are taken in subject order from
    the graph's CSC index (positions ascending within a subject) and put in order by one stable sort
    (:func:`_best_first`); only entries tied on (subject, stake, round) are then ordered by their
    holders' ids, which needs a Python sort of just those ids.
    """
    rank_of_holder = c.rank[g.holder]
    ok = c.possible[g.holder] & (rank_of_holder >= 0) & (rank_of_holder < c.rank[g.subject])
    pos = g.in_order[ok[g.in_order]]
    ptr = np.zeros(g.n_nodes + 1, dtype=np.int64)
    if pos.size == 0:
        return EvidenceLinks(ptr, np.zeros(0, dtype=_LINK))
    subject, holder, rank = g.subject[pos], g.holder[pos], rank_of_holder[pos]
    order, stake = _best_first(subject, g.hi[pos], rank, g.n_nodes)
    subject, holder, rank, stake, pos = subject[order], holder[order], rank[order], stake[order], pos[order]
    same = (subject[1:] == subject[:-1]) & (stake[1:] == stake[:-1]) & (rank[1:] == rank[:-1])
    if same.any():
        order = _ties_by_id(g.node_ids, holder, same)
        subject, holder, pos = subject[order], holder[order], pos[order]
    np.cumsum(np.bincount(subject, minlength=g.n_nodes), out=ptr[1:])
    links = np.empty(pos.size, dtype=_LINK)
    links["holder"] = holder
    links["position"] = pos
    lo = g.lo[pos]
    links["share"] = np.where((lo == g.hi[pos]) & g.stated[pos], lo, -1.0)
    first = g.group_ptr[pos]
    links["source"] = np.where(g.group_ptr[pos + 1] - first == 1, g.group_src[first], -1)
    links["kind"] = g.kind[pos]
    return EvidenceLinks(ptr, links)


def _best_first(subject: IntArray, hi: FloatArray, rank: IntArray, n_nodes: int) -> tuple[IntArray, IntArray]:
    """The stable order by (subject, ``hi`` descending, ``rank``), and a stake code per entry.

    Two entries of one subject have the same code exactly when they have the same ``hi``. Fast path:
    stakes lie in [0, 100], so ``floor((100 - hi) * scale)`` for a power of two ``scale`` is an
    integer that never increases with ``hi``; with the largest scale for which (subject, code, rank)
    fits one 64-bit key, one stable sort orders everything (the entries arrive grouped by subject, so
    it has little to do). Were two different stakes of one subject to share a code (closer than
    ``1 / scale``), the exact order is taken instead: distinct stakes ranked by ``np.unique``, then
    three stable passes.
    """
    rounds = int(rank.max()) + 1
    room = 2**62 // (n_nodes * rounds * 101)
    if room >= 1 and float(hi.min()) >= 0.0 and float(hi.max()) <= 100.0:
        scale = 1 << (room.bit_length() - 1)
        code = np.floor((100.0 - hi) * float(scale)).astype(np.int64)
        order = np.argsort((subject * (100 * scale + 1) + code) * rounds + rank, kind="stable")
        s, k, h = subject[order], code[order], hi[order]
        if not np.any((s[1:] == s[:-1]) & (k[1:] == k[:-1]) & (h[1:] != h[:-1])):
            return order, code
    stakes, inverse = np.unique(hi, return_inverse=True)
    code = (stakes.size - 1 - inverse.reshape(-1)).astype(np.int64)
    exact: IntArray = np.lexsort((rank, code, subject))
    return exact, code


def _ties_by_id(node_ids: Sequence[str], holder: IntArray, same: BoolArray) -> IntArray:
    """The order that sorts runs of entries tied on (subject, stake, round) by holder id (stably).

    ``same[i]`` says entry ``i + 1`` ties with entry ``i``. Only the holders of tied entries are
    ranked by id, in Python; the reordering itself is one stable sort on (run, id rank).
    """
    tied = np.zeros(holder.size, dtype=np.bool_)
    tied[1:] = same
    tied[:-1] |= same
    names = np.unique(holder[tied])
    ids = [node_ids[i] for i in names.tolist()]
    id_rank = np.empty(names.size, dtype=np.int64)
    id_rank[sorted(range(names.size), key=ids.__getitem__)] = np.arange(names.size, dtype=np.int64)
    code = np.zeros(holder.size, dtype=np.int64)
    code[tied] = id_rank[np.searchsorted(names, holder[tied])]
    run = np.zeros(holder.size, dtype=np.int64)
    np.cumsum(~same, out=run[1:])
    return np.argsort(run * names.size + code, kind="stable")


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
    _own: dict[int, tuple[str, ...]] | None = field(default=None, repr=False)
    _links: EvidenceLinks | None = field(default=None, repr=False)
    _chains: dict[int, tuple[PathStep, ...]] = field(default_factory=dict, repr=False)
    _heads: dict[int, tuple[str, str, str | None]] = field(default_factory=dict, repr=False)
    _bit_countries: dict[int, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _exposure: FloatArray | None = field(default=None, repr=False)
    _cite: str | None = field(default=None, repr=False)

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
        """Compute now the table-wide arrays every explanation reads (adversary countries reached, exposure,
        the ranked holdings evidence paths follow), instead of on the first :meth:`get` — for a registry
        loaded once and screened against many times."""
        self._country_bits()
        self._evidence_links()
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
        bits: int = self._country_bits().item(node)
        found = self._bit_countries.get(bits)
        if found is None:
            found = tuple(c for i, c in enumerate(self._country_order) if bits >> i & 1)
            self._bit_countries[bits] = found
        return found

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
        for node, own in self._seed_countries().items():
            for country in own:
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
        """The adversary countries of a seed's own facts (and of a direction decision); () for any other node."""
        return self._seed_countries().get(node, ())

    def _seed_countries(self) -> dict[int, tuple[str, ...]]:
        """:meth:`_own_countries` of every seed, computed once: the table-wide country bits need them all,
        and every evidence path starts at one."""
        if self._own is None:
            self._own = {node: self._countries_of_seed(node) for node in np.flatnonzero(self.seeds).tolist()}
        return self._own

    def _countries_of_seed(self, node: int) -> tuple[str, ...]:
        entity = self.graph.entity(node)
        own = entity_countries(entity, self.adversaries) if entity is not None else ()
        decision = self.direction_decisions.get(self.graph.node_ids[node])
        if decision is not None and decision.country:
            own = tuple(sorted({*own, decision.country}))
        return own

    def _evidence_links(self) -> EvidenceLinks:
        if self._links is None:
            self._links = evidence_links(self.graph, self.closure)
        return self._links

    def _head(self, node: int) -> tuple[str, str, str | None]:
        """(id, name, country) of ``node`` as every path step shows it; memoised (a holder recurs in many paths)."""
        head = self._heads.get(node)
        if head is None:
            g = self.graph
            entity_id = g.node_ids[node]
            own = self._seed_countries().get(node)
            if node < g.n_entities:
                entity = g.entities[node]
                head = (entity_id, entity.name, own[0] if own else entity.jurisdiction)
            else:
                head = (entity_id, entity_id, own[0] if own else None)
            self._heads[node] = head
        return head

    def _step(self, link: Link) -> PathStep:
        """The path step of a link's holder, holding its interest in the link's subject."""
        holder, position, share, source, kind = link
        head = self._heads.get(holder)
        if head is None:
            head = self._head(holder)
        g = self.graph
        holding = g.holdings[source] if source >= 0 else g.source_of(position)
        return PathStep(
            head[0],
            head[1],
            share if share >= 0.0 else None,
            INTERESTS[kind],
            head[2],
            str(holding.source) if holding.source is not None else None,
        )

    def _upchain(self, node: int) -> tuple[PathStep, ...]:
        """Steps from a seed down to the best parent of ``node`` (each step holds into the next).

        Memoised per node and built iteratively, so explaining many entities of a deep graph reuses
        the chains above them instead of walking to the seed each time.
        """
        chains = self._chains
        evidence = self._evidence_links()
        ptr, links = evidence.ptr, evidence.links
        pending: list[tuple[int, Link]] = []  # (node, link of its best parent)
        cur = node
        while cur not in chains:
            best = ptr.item(cur)
            if best == ptr.item(cur + 1):
                chains[cur] = ()
                break
            link: Link = links.item(best)
            pending.append((cur, link))
            cur = link[0]
        for child, link in reversed(pending):
            chains[child] = (*chains[link[0]], self._step(link))
        return chains[node]

    def _paths(self, node: int) -> tuple[tuple[PathStep, ...], ...]:
        """Up to :data:`MAX_PATHS` paths, one through each of the best parents of ``node``.

        The first is the node's own chain (through its best parent) plus the node itself.
        """
        evidence = self._evidence_links()
        start, stop = evidence.ptr.item(node), evidence.ptr.item(node + 1)
        entity_id, name, country = self._head(node)
        last = PathStep(entity_id, name, country=country)
        if start == stop:
            return ((last,),) if self.closure.possible.item(node) else ()
        paths = [(*self._upchain(node), last)]
        for i in range(start + 1, min(stop, start + MAX_PATHS)):
            link: Link = evidence.links.item(i)
            paths.append((*self._upchain(link[0]), self._step(link), last))
        return tuple(paths)

    def _build(self, node: int) -> Nexus:
        g, c = self.graph, self.closure
        entity = g.entity(node)
        cause: int = c.cause.item(node)
        status: NexusStatus
        if c.covered.item(node):
            status = "covered"
        elif c.possible.item(node) or entity is None:
            status = "needs_review"
        else:
            status = "clear"
        reasons, prongs, caveats = self._explain(node, entity, cause, status)
        share: float = max(c.equity.item(node), c.votes.item(node))
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
            exposure=self.exposures.item(node),
            history=history,
        )

    # --- explanations -------------------------------------------------------------------------
    def _prong4_cite(self) -> str:
        """The citation of every prong-4 reason (the prong and the policy), made once per table."""
        if self._cite is None:
            p = self.policy
            self._cite = f"{CITE_PRONG.format(n=4)}; {p.citation}; policy {p.name} v{p.version}"
        return self._cite

    def _held(self, node: int, kinds: frozenset[int] | None, covered_only: bool) -> str:
        """"A (CN) 30 % shareholding, B …" for the interests in ``node`` held by covered/possible holders."""
        return ", ".join(sorted(text for _, text in self._held_parts(node, kinds, covered_only)))

    def _held_parts(self, node: int, kinds: frozenset[int] | None, covered_only: bool) -> list[tuple[int, str]]:
        """(holder, "A 30 % shareholding") for the interests in ``node`` held by covered holders, or by
        holders under review (in "possible", not covered)."""
        g, c = self.graph, self.closure
        covered, possible, holders, kind_of = c.covered, c.possible, g.holder, g.kind
        parts = []
        for pos in g.in_order[g.in_ptr.item(node) : g.in_ptr.item(node + 1)].tolist():
            holder: int = holders.item(pos)
            member = covered.item(holder) if covered_only else (possible.item(holder) and not covered.item(holder))
            kind: int = kind_of.item(pos)
            if not member or (kinds is not None and kind not in kinds):
                continue
            name = g.entities[holder].name if holder < g.n_entities else g.node_ids[holder]
            parts.append((holder, f"{name} {_share_text(g, pos)}{INTERESTS[kind]}"))
        return parts

    def _under_review(self, node: int) -> str:
        """"B 10 % shareholding (under review: why)" for the interests in ``node`` held by holders under review.

        Why the holder is under review is read from its own cause bits (:meth:`_review_why`), never from its
        explanation, so that a cycle of holders under review cannot recurse; its evidence path goes further.
        """
        parts = self._held_parts(node, None, False)
        return ", ".join(sorted(f"{text} (under review: {self._review_why(holder)})" for holder, text in parts))

    def _review_why(self, node: int) -> str:
        """The local reasons why ``node`` (in "possible", not covered) is under review, in a few words each."""
        g = self.graph
        cause: int = self.closure.cause.item(node)
        entity = g.entity(node)
        whys = []
        if entity is None:
            whys.append("unknown entity, no registry record describes it")
        if cause & fp.REVIEW_LINK:
            whys.append(f"adversary-linked interest that meets no control test, held by {self._held(node, None, True)}")
        if cause & fp.REVIEW_WITHHELD and entity is not None:
            whys.append(f"parent withheld ({entity.ownership_withheld})")
        if cause & fp.REVIEW_NO_DATA:
            whys.append("no ownership data, and the policy requires it")
        if cause & fp.REVIEW_NO_PLACE and entity is not None:
            whys.append(self._no_place(node, entity).text)
        if cause & fp.REVIEW_UPSTREAM:
            whys.append("would be covered were a holder under review covered (or at the high end of a range)")
        if cause & fp.REVIEW_UPSTREAM_LINK:
            whys.append("an interest in it is held by a holder under review")
        return "; ".join(whys)

    def _explain(
        self, node: int, entity: Entity | None, cause: int, status: NexusStatus
    ) -> tuple[list[Reason], list[str], list[str]]:
        g, c, p = self.graph, self.closure, self.policy
        reasons: list[Reason] = []
        prongs: list[str] = []
        caveats: list[str] = []
        name = entity.name if entity is not None else g.node_ids[node]
        prong4_policy = self._prong4_cite()

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
                    f"acts at the direction of a covered holder: {self._held(node, _DIRECTION, True)}",
                    CITE_PRONG.format(n=1),
                )
            )
        eq, vo = round(c.equity.item(node), 6), round(c.votes.item(node), 6)
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
                    f"lowest), held by {self._held(node, _EQUITY_VOTES, True)}",
                    prong4_policy,
                )
            )
        if cause & fp.CONTROL_RIGHT:
            prongs.append("control")
            held = self._held(node, _CONTROL_RIGHTS, True)
            reasons.append(
                Reason(
                    f"a covered holder can appoint a board majority, holds a special share or consolidates it: {held}",
                    prong4_policy,
                )
            )
        if cause & (fp.EQUITY_DOMINANT | fp.VOTES_DOMINANT):
            prongs.append("ownership")
            value = eq if cause & fp.EQUITY_DOMINANT else vo
            reasons.append(
                Reason(
                    f"adversary-held stake {value:g} % is at least {p.dominant_minority_pct:g} % and larger than "
                    "any other holder's: dominant minority (policy)",
                    prong4_policy,
                )
            )
        if cause & fp.SEAT_OR_VETO:
            prongs.append("control")
            reasons.append(
                Reason(
                    "a covered holder has a board seat or a veto: dominant minority (policy): "
                    f"{self._held(node, None, True)}",
                    prong4_policy,
                )
            )
        if status == "needs_review":
            if cause & fp.REVIEW_LINK:
                reasons.append(
                    Reason(
                        f"adversary-linked interest that meets no control test: {self._held(node, None, True)}; "
                        "a control analysis is needed",
                        f"{prong4_policy}; RULE.md §12.1",
                    )
                )
            if cause & fp.REVIEW_UPSTREAM:
                reasons.append(
                    Reason(
                        "would be covered were a holder under review covered (or at the high end of a stated range): "
                        f"{self._under_review(node) or self._held(node, None, True)}",
                        prong4_policy,
                    )
                )
            if cause & fp.REVIEW_UPSTREAM_LINK:
                reasons.append(
                    Reason(
                        "interest held by a holder under review, which would be an adversary-linked interest were "
                        f"that holder covered: {self._under_review(node)}; its own nexus is not known to be clear",
                        f"{prong4_policy}; {CITE_UNKNOWN_HOLDER}; RULE.md §12.1",
                    )
                )
            if cause & fp.REVIEW_WITHHELD and entity is not None:
                reasons.append(Reason(f"parent withheld: {entity.ownership_withheld}", CITE_READING_6))
            if cause & fp.REVIEW_NO_DATA:
                reasons.append(
                    Reason("no ownership data, and the policy requires it (require_ownership_data)", CITE_READING_6)
                )
            if cause & fp.REVIEW_NO_PLACE and entity is not None:
                reasons.append(self._no_place(node, entity))
                missing = "nationality or residence" if entity.kind == "person" else "jurisdiction or headquarters"
                caveats.append(f"unknown nexus: no {missing}")
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
            place = "jurisdiction" if entity is None or entity.jurisdiction else "headquarters"
            reasons.append(Reason(f"non-adversary {place} and no ownership data", CITE_READING_6))
        if status == "clear" and not reasons:
            reasons.append(Reason("no adversary link found by any prong at the as-of date", "RULE.md §2"))
        return reasons, list(dict.fromkeys(prongs)), caveats

    def _no_place(self, node: int, entity: Entity) -> Reason:
        """Why an entity whose own facts name no country is under review (RULE.md §2 prongs 2 and 3)."""
        if entity.kind == "person":
            return Reason(
                "no nationality or residence stated: whether this person is a citizen or resident of a foreign "
                "adversary (and not a US person) is unknown",
                f"{CITE_PRONG.format(n=2)}; {CITE_UNKNOWN_HOLDER}",
            )
        g = self.graph
        if g.in_ptr.item(node) == g.in_ptr.item(node + 1):
            text = "no jurisdiction, headquarters or ownership data: where it is and who holds it are unknown"
        else:
            text = "no jurisdiction or headquarters stated: whether it is organised or based in a foreign adversary " \
                   "is unknown"
        reading_6 = f"{CITE_READING_6} (clear needs a non-adversary jurisdiction)"
        return Reason(text, f"{CITE_PRONG.format(n=3)}; {reading_6}; {CITE_UNKNOWN_HOLDER}")

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
    if not g.stated.item(pos):
        return ""
    lo: float = g.lo.item(pos)
    hi: float = g.hi.item(pos)
    return f"{lo:g} % " if lo == hi else f"{lo:g}–{hi:g} % "
