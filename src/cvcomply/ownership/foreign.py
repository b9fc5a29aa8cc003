"""Non-U.S. persons holding an interest in an entity, directly or through other holders: the "foreign interest"
of RULE.md §2 ("any direct or indirect interest of a non-U.S. person") that triggers the Declaration of
Conformity (RULE.md §5, §12.15: only purely U.S. covered software avoids it).

Why apart from the nexus: the nexus (:mod:`cvcomply.ownership.table`) follows adversary links only, so a
Japanese or German parent of a US supplier leaves no trace there; it is still a foreign interest.

Who is a non-U.S. person (:func:`non_us_countries`): an organisation whose jurisdiction (or, when none is
stated, a headquarters) is not domestic; a natural person with a non-domestic nationality who is not a US
citizen or permanent resident (the carve-out of RULE.md §2 prong 2, read as the project reads it:
``Entity.us_person``, set by the readers when a nationality is US). A holder whose country is unknown (no
jurisdiction, headquarters or nationality; an id that only holdings name) is **not** counted: the flag
says what the data shows, and a party's own unknown country is dealt with where the DoC trigger is decided.

What counts (DESIGN.md §3 reading 9): the holdings in force at the graph's ``as_of``, any interest kind and
any size (the definition says "any"), followed upward holder of holder, whatever the control policy says.
An entity that holds an interest in itself through a cycle of cross-holdings is one of its own indirect
holders (only a non-U.S. entity can add its own country that way, and it is a foreign interest in itself).

How: a registry's holders-of-holders can reach much of the graph (in a densely cross-held one, nearly
all of it), so walking up from each party would cost a few hundred nodes per party. Instead the countries
reached are worked out for every node at once, as bit sets pushed down the holdings round by round (each
round touches only the holdings of the nodes whose set grew — the pattern of
:mod:`cvcomply.ownership.fixpoint`), on first use or at load (:meth:`ForeignHolders.prepare`); a party's
countries are then one look-up. The explanation — the nearest holder per country and the path from it —
is a breadth-first walk up from the one entity asked about, which stops as soon as each of its (known)
countries has been found, and is cached per entity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from cvcomply.model import Entity, Nexus, PathStep
from cvcomply.ownership.graph import INTERESTS, IntArray, OwnershipGraph, gather

Bits = npt.NDArray[np.uint64]


def non_us_countries(entity: Entity, domestic: frozenset[str]) -> tuple[str, ...]:
    """The countries that make ``entity`` a non-U.S. person, sorted; () for a U.S. person or an unknown country.

    An organisation or state: its jurisdiction when stated, else its headquarters (a state also its
    nationalities); a domestic one of those makes it a U.S. person (organised, or located, in the US). A
    natural person: the non-domestic nationalities, unless ``us_person`` or a domestic nationality says US
    citizen or permanent resident; residences are not read (a residence abroad says nothing of citizenship,
    one in the US nothing of permanent residence).
    """
    if entity.kind == "person":
        if entity.us_person or any(c in domestic for c in entity.nationalities):
            return ()
        places: Iterable[str] = entity.nationalities
    elif entity.jurisdiction is not None:
        places = (entity.jurisdiction,)
    else:
        places = (*entity.headquarters, *(entity.nationalities if entity.kind == "state" else ()))
        if any(c in domestic for c in places):
            return ()
    return tuple(sorted({c for c in places if c not in domestic}))


@dataclass(frozen=True, slots=True)
class ForeignHolder:
    """The nearest non-U.S. holder of one country: ``path`` runs from it (first step) down to the entity asked
    about (last step, ``interest`` None); each step holds ``interest`` (``share`` %) in the next."""

    country: str
    entity: str
    name: str
    path: tuple[PathStep, ...]


class ForeignHolders:
    """The non-U.S. persons holding a direct or indirect interest in each entity of ``graph``.

    ``graph`` is the ownership graph at the screening date (a :class:`~cvcomply.ownership.NexusTable`'s
    ``graph``); ``domestic`` the countries of U.S. persons (the rule parameter ``domestic_countries``).
    """

    def __init__(self, graph: OwnershipGraph, domestic: Iterable[str]) -> None:
        self.graph = graph
        self.domestic = frozenset(domestic)
        self._order: tuple[str, ...] = ()  # country of bit i (word i // 64, bit i % 64)
        self._reach: Bits | None = None  # (node, word): the countries of the node's direct and indirect holders
        self._decoded: dict[object, tuple[str, ...]] = {}
        self._nearest: dict[int, tuple[ForeignHolder, ...]] = {}
        self._places: dict[int, tuple[str, ...]] = {}

    # --- countries, for every node at once ------------------------------------------------------------
    def prepare(self) -> ForeignHolders:
        """Work out every node's countries now rather than on the first question (for a registry loaded once
        and screened against many times)."""
        self._bits()
        return self

    def countries(self, entity_id: str) -> tuple[str, ...]:
        """ISO countries of the non-U.S. persons holding a direct or indirect interest in ``entity_id``, sorted;
        () for none, or for an id the graph does not hold."""
        node = self.graph.index.get(entity_id)
        return () if node is None else self._node_countries(node)

    def attach(self, nexus: Nexus) -> Nexus:
        """``nexus`` with the countries of its entity's non-U.S. holders, where it has any."""
        held = self.countries(nexus.entity)
        return replace(nexus, foreign_holders=held) if held else nexus

    def _node_countries(self, node: int) -> tuple[str, ...]:
        reach = self._bits()
        if reach.shape[1] == 1:
            key: object = reach.item(node, 0)
            if not key:
                return ()
        else:
            key = reach[node].tobytes()
        found = self._decoded.get(key)
        if found is None:
            found = self._decoded[key] = self._decode(reach[node])
        return found

    def _decode(self, words: Bits) -> tuple[str, ...]:
        out = []
        for w, word in enumerate(words.tolist()):
            while word:
                low = word & -word
                out.append(self._order[w * 64 + low.bit_length() - 1])
                word ^= low
        return tuple(out)  # bits are given in sorted country order

    def _bits(self) -> Bits:
        if self._reach is None:
            self._reach = _push_down(self.graph, self._own_bits())
        return self._reach

    def _own_bits(self) -> Bits:
        """Each node's own non-U.S. countries as bit sets, in sorted country order.

        Organisations and states with a stated jurisdiction — nearly every entity of a large registry — are
        read from the graph's jurisdiction codes at once; the others with country lists (persons, entities
        with headquarters only) one by one; nodes no entity describes have no country.
        """
        g, domestic = self.graph, self.domestic
        cols = g.columns
        n = g.n_entities
        jurisdiction = cols.jurisdiction[:n]
        by_code = ~cols.person[:n] & (jurisdiction >= 0)
        foreign_code = np.fromiter((c not in domestic for c in cols.countries), np.bool_, len(cols.countries))
        if foreign_code.size:
            by_code &= foreign_code[np.maximum(jurisdiction, 0)]
        else:
            by_code[:] = False
        one_by_one: dict[int, tuple[str, ...]] = {}
        for i in cols.listed.tolist():
            entity = cols.entities[i]
            if entity.kind == "person" or entity.jurisdiction is None:
                found = non_us_countries(entity, domestic)
                if found:
                    one_by_one[i] = found
        used = {cols.countries[c] for c in np.unique(jurisdiction[by_code]).tolist()}
        used.update(c for found in one_by_one.values() for c in found)
        self._order = order = tuple(sorted(used))
        own = np.zeros((g.n_nodes, max(1, -(-len(order) // 64))), dtype=np.uint64)
        if not order:
            return own
        bit_of = {c: i for i, c in enumerate(order)}
        code_bit = np.array([bit_of.get(c, 0) for c in cols.countries], dtype=np.int64)
        rows = np.flatnonzero(by_code)
        bits = code_bit[jurisdiction[rows]]
        np.bitwise_or.at(own, (rows, bits // 64), np.left_shift(np.uint64(1), (bits % 64).astype(np.uint64)))
        for i, found in one_by_one.items():
            for c in found:
                b = bit_of[c]
                own[i, b // 64] |= np.uint64(1 << (b % 64))
        return own

    # --- the nearest holder per country, for one entity -------------------------------------------------
    def nearest(self, entity_id: str) -> tuple[ForeignHolder, ...]:
        """For each country of :meth:`countries`, the nearest holder of that country (fewest links; among equals
        the smallest id) and the path from it down to ``entity_id``; in country order."""
        node = self.graph.index.get(entity_id)
        if node is None:
            return ()
        found = self._nearest.get(node)
        if found is None:
            found = self._nearest[node] = self._walk_up(node)
        return found

    def _walk_up(self, node: int) -> tuple[ForeignHolder, ...]:
        """Breadth first up the holdings from ``node``, level by level, until every wanted country has a holder.

        ``via[h]`` is the holding position through which ``h`` was reached (it holds into a node of the level
        before); among several, the one into the smallest subject id, then the smallest interest code, so
        paths do not depend on input order.
        """
        want = set(self.countries(self.graph.node_ids[node]))
        g = self.graph
        ids = g.node_ids
        via: dict[int, int] = {}
        expanded = {node}
        level = [node]
        best: dict[str, int] = {}
        while want and level:
            reached: dict[int, int] = {}
            for v in level:
                for pos in g.in_order[g.in_ptr.item(v) : g.in_ptr.item(v + 1)].tolist():
                    h: int = g.holder.item(pos)
                    if h in via:
                        continue
                    other = reached.get(h)
                    if other is None or self._better(pos, other):
                        reached[h] = pos
            level = []
            for h in sorted(reached, key=ids.__getitem__):
                via[h] = reached[h]
                for c in self._place_countries(h):
                    if c in want and c not in best:
                        best[c] = h
                if h not in expanded:
                    expanded.add(h)
                    level.append(h)
            want -= best.keys()
        return tuple(self._holder(c, best[c], node, via) for c in sorted(best))

    def _better(self, pos: int, other: int) -> bool:
        g = self.graph
        ids = g.node_ids
        a, b = ids[g.subject.item(pos)], ids[g.subject.item(other)]
        return a < b or (a == b and g.kind.item(pos) < g.kind.item(other))

    def _place_countries(self, node: int) -> tuple[str, ...]:
        """The node's own non-U.S. countries (memoised: a holder recurs in many walks)."""
        found = self._places.get(node)
        if found is None:
            entity = self.graph.entity(node)
            found = self._places[node] = non_us_countries(entity, self.domestic) if entity is not None else ()
        return found

    def _holder(self, country: str, holder: int, node: int, via: dict[int, int]) -> ForeignHolder:
        g = self.graph
        steps = []
        cur, first = holder, True
        while True:
            pos = via[cur]
            steps.append(self._step(cur, pos, country if first else None))
            first = False
            cur = g.subject.item(pos)
            if cur == node:
                break
        steps.append(PathStep(g.node_ids[node], g.name(node), country=self._country(node)))
        return ForeignHolder(country, g.node_ids[holder], g.name(holder), tuple(steps))

    def _step(self, node: int, pos: int, country: str | None) -> PathStep:
        g = self.graph
        lo: float = g.lo.item(pos)
        share = lo if g.stated.item(pos) and lo == g.hi.item(pos) else None
        source = g.source_of(pos).source
        return PathStep(g.node_ids[node], g.name(node), share, INTERESTS[g.kind.item(pos)],
                        country or self._country(node), str(source) if source is not None else None)

    def _country(self, node: int) -> str | None:
        """The country a path step shows: the node's non-U.S. country, else where it is organised or based."""
        own = self._place_countries(node)
        if own:
            return own[0]
        entity = self.graph.entity(node)
        if entity is None:
            return None
        places = (entity.jurisdiction, *entity.headquarters, *entity.nationalities)
        return next((c for c in places if c), None)


def _push_down(g: OwnershipGraph, own: Bits) -> Bits:
    """``reach[v]`` = OR over the holders ``h`` of ``v`` of ``own[h] | reach[h]``: the least fixed point.

    A first pass ORs every node's holders' own countries at once (one reduction over the graph's by-subject
    index); then, round by round, the subjects of the nodes whose passed-on set grew recompute their sets
    from all their holders. Sets only grow and are bounded, so it ends, on cycles too; each round touches
    only the holdings of the nodes that changed, and skips subjects that already hold every country there is.
    """
    reach = np.zeros_like(own)
    held = np.flatnonzero(np.diff(g.in_ptr))  # nodes with any holder
    if not held.size:
        return reach
    reach[held] = np.bitwise_or.reduceat(own[g.holder[g.in_order]], g.in_ptr[held], axis=0)
    carry = own | reach  # what each node passes to its subjects
    every = np.bitwise_or.reduce(own, axis=0)
    full = (reach == every).all(axis=1)
    changed: IntArray = held[(carry[held] != own[held]).any(axis=1)]
    mark = np.zeros(g.n_nodes, dtype=np.bool_)
    while changed.size:
        out, _ = gather(g.out_ptr, changed)
        mark[g.subject[out]] = True
        mark &= ~full
        targets = np.flatnonzero(mark)
        if not targets.size:
            break
        mark[targets] = False
        inward, _ = gather(g.in_ptr, targets)
        lens = g.in_ptr[targets + 1] - g.in_ptr[targets]
        sets = np.bitwise_or.reduceat(carry[g.holder[g.in_order[inward]]], np.cumsum(lens) - lens, axis=0)
        grew = (sets != reach[targets]).any(axis=1)
        targets, sets = targets[grew], sets[grew]
        reach[targets] = sets
        full[targets] = (sets == every).all(axis=1)
        passed = own[targets] | sets
        moved = (passed != carry[targets]).any(axis=1)
        changed = targets[moved]
        carry[changed] = passed[moved]
    return reach
