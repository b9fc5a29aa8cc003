"""The ownership graph as integer-indexed arrays, read once at ``as_of``.

Why arrays: the fixed point of :mod:`cvcomply.ownership.fixpoint` must handle registries of millions
of entities and holdings (DESIGN.md §6); Python objects per edge would not. This module is the only
place that walks the model objects in bulk: it turns ``Entity``/``Holding`` sequences into NumPy
columns, keeps the holdings in force at ``as_of`` (DESIGN.md §3 reading 9) and remembers the others
as history. Nothing here decides a status.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from cvcomply.model import Entity, Holding

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

INTERESTS: tuple[str, ...] = (
    "shareholding",
    "voting-rights",
    "appointment-of-board",
    "board-member",
    "board-chair",
    "veto",
    "special-share",
    "control-by-contract",
    "consolidation",
    "direction",
    "other",
)
"""Interest codes: ``kind[i]`` is an index into this tuple (the order is part of no contract)."""
K_EQUITY, K_VOTES, K_APPOINT, K_BOARD, K_CHAIR, K_VETO, K_SPECIAL, K_CONTRACT, K_CONSOL, K_DIRECTION, K_OTHER = range(
    len(INTERESTS)
)
_KIND_CODE = {name: code for code, name in enumerate(INTERESTS)}



def gather(indptr: IntArray, rows: IntArray) -> tuple[IntArray, IntArray]:
    """Positions of all entries of ``rows`` in a CSR-like layout, and which row each belongs to.

    Returns ``(positions, owner)`` where ``owner[j]`` is the index into ``rows`` of ``positions[j]``.
    Vectorised: no Python loop over rows, so a frontier of 100 000 nodes costs one NumPy pass.
    """
    starts = indptr[rows]
    lens = indptr[rows + 1] - starts
    total = int(lens.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    ends = np.cumsum(lens)
    offsets = np.repeat(starts - (ends - lens), lens)
    positions = offsets + np.arange(total, dtype=np.int64)
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), lens)
    return positions, owner


@dataclass(frozen=True, slots=True, eq=False)
class OwnershipGraph:
    """Entities and the holdings in force at ``as_of``, one integer per node.

    Nodes ``0 .. n_entities-1`` are the given entities in input order; nodes after them are ids that
    holdings name but no entity describes ("unknown entity"). Holdings are de-duplicated per
    (holder, subject, interest): two statements of the same interest are one fact restated, so the
    widest bounds are kept rather than summed (summing would double-count a fact read from two files).
    Arrays ``holder``/``subject``/``kind``/``lo``/``hi``/``majority`` are sorted by holder; ``out_ptr``
    indexes them by holder (CSR) and ``in_ptr``/``in_order`` by subject (CSC).
    """

    node_ids: list[str]
    index: dict[str, int]
    entities: Sequence[Entity]
    n_entities: int
    holdings: Sequence[Holding]
    holder: IntArray
    subject: IntArray
    kind: npt.NDArray[np.int8]
    lo: FloatArray
    hi: FloatArray
    stated: BoolArray  # a share (or range) is stated, not assumed 0–100
    majority: BoolArray
    group_ptr: IntArray  # originals of de-duplicated holding j: group_src[group_ptr[j]:group_ptr[j+1]]
    group_src: IntArray
    out_ptr: IntArray
    in_ptr: IntArray
    in_order: IntArray
    inactive: dict[int, list[int]]  # subject node → indices into ``holdings`` not in force at as_of

    @property
    def n_nodes(self) -> int:
        return len(self.node_ids)

    def entity(self, node: int) -> Entity | None:
        """The entity behind ``node``, or None for an id only holdings name."""
        return self.entities[node] if node < self.n_entities else None

    def name(self, node: int) -> str:
        entity = self.entity(node)
        return entity.name if entity is not None else self.node_ids[node]

    def in_positions(self, node: int) -> IntArray:
        """Positions (into the holding arrays) of the interests held in ``node``."""
        return self.in_order[self.in_ptr[node] : self.in_ptr[node + 1]]

    def source_of(self, position: int) -> Holding:
        """The original holding a de-duplicated position stands for, chosen independently of input order."""
        members = self.group_src[self.group_ptr[position] : self.group_ptr[position + 1]]
        originals = [self.holdings[int(i)] for i in members]
        return min(originals, key=_holding_sort_key)


def _holding_sort_key(h: Holding) -> tuple[float, str]:
    upper = h.bounds()[1]
    return (-(upper if upper is not None else -1.0), str(h.source) if h.source is not None else "")


def build_graph(entities: Sequence[Entity], holdings: Sequence[Holding], as_of: date) -> OwnershipGraph:
    """Index ``entities`` and the holdings active at ``as_of``; raise ValueError on a duplicate entity id.

    Duplicate ids are the registry's job to merge (DESIGN.md §1); silently keeping one of them would
    make the result depend on input order.
    """
    node_ids = [e.id for e in entities]
    index = dict(zip(node_ids, range(len(node_ids)), strict=True))
    if len(index) != len(node_ids):
        seen: set[str] = set()
        dup = next(i for i in node_ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        raise ValueError(f"duplicate entity id {dup!r}: merge entities in the registry before computing the nexus")
    n_entities = len(node_ids)
    n = len(holdings)
    # One attribute per pass: cheaper than building a tuple per holding. Rare fields (ranges,
    # majority flags, dates) are read only for the holdings that have any of them.
    holder = _to_nodes([h.holder for h in holdings], index, node_ids)
    subject = _to_nodes([h.subject for h in holdings], index, node_ids)
    kind = np.fromiter(map(_KIND_CODE.__getitem__, [h.interest for h in holdings]), dtype=np.int8, count=n)
    share = np.array([h.share for h in holdings], dtype=np.float64) if n else np.zeros(0)
    smin = np.full(n, np.nan)
    smax = np.full(n, np.nan)
    majority = np.zeros(n, dtype=np.bool_)
    dated: list[int] = []
    rare = [
        i
        for i, h in enumerate(holdings)
        if h.share_min is not None or h.share_max is not None or h.majority or h.start is not None or h.end is not None
    ]
    for i in rare:
        h = holdings[i]
        smin[i] = np.nan if h.share_min is None else h.share_min
        smax[i] = np.nan if h.share_max is None else h.share_max
        majority[i] = h.majority
        if h.start is not None or h.end is not None:
            dated.append(i)

    has_share = ~np.isnan(share)
    stated = has_share | ~np.isnan(smin) | ~np.isnan(smax)
    lo = np.where(has_share, share, np.where(np.isnan(smin), 0.0, smin))
    hi = np.where(has_share, share, np.where(np.isnan(smax), 100.0, smax))
    lo = np.clip(lo, 0.0, 100.0)
    hi = np.clip(np.maximum(hi, lo), 0.0, 100.0)

    active = holder != subject  # a holding of oneself (treasury shares) confers no outside control
    inactive: dict[int, list[int]] = {}
    for i in dated:
        if not holdings[i].active(as_of):
            active[i] = False
            inactive.setdefault(int(subject[i]), []).append(i)

    keep = np.flatnonzero(active)
    holder, subject, kind = holder[keep], subject[keep], kind[keep]
    lo, hi, stated, majority = lo[keep], hi[keep], stated[keep], majority[keep]

    # Sort by (holder, subject, kind) and merge duplicates of one fact.
    n_nodes = len(node_ids)
    order = np.argsort((holder * n_nodes + subject) * len(INTERESTS) + kind, kind="stable")
    holder, subject, kind = holder[order], subject[order], kind[order]
    lo, hi, stated, majority = lo[order], hi[order], stated[order], majority[order]
    src = keep[order]
    if len(order):
        new_group = np.ones(len(order), dtype=np.bool_)
        new_group[1:] = (holder[1:] != holder[:-1]) | (subject[1:] != subject[:-1]) | (kind[1:] != kind[:-1])
        starts = np.flatnonzero(new_group)
    else:
        starts = np.zeros(0, dtype=np.int64)
    group_ptr = np.append(starts, len(order)).astype(np.int64)
    if len(starts) != len(order):
        lo = np.maximum.reduceat(lo, starts)
        hi = np.maximum.reduceat(hi, starts)
        stated = np.logical_or.reduceat(stated, starts)
        majority = np.logical_or.reduceat(majority, starts)
        holder, subject, kind = holder[starts], subject[starts], kind[starts]

    out_ptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(holder, minlength=n_nodes), out=out_ptr[1:])
    in_order = np.argsort(subject, kind="stable").astype(np.int64)
    in_ptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(subject, minlength=n_nodes), out=in_ptr[1:])

    return OwnershipGraph(
        node_ids=node_ids,
        index=index,
        entities=entities,
        n_entities=n_entities,
        holdings=holdings,
        holder=holder,
        subject=subject,
        kind=kind,
        lo=lo,
        hi=hi,
        stated=stated,
        majority=majority,
        group_ptr=group_ptr,
        group_src=src.astype(np.int64),
        out_ptr=out_ptr,
        in_ptr=in_ptr,
        in_order=in_order,
        inactive=inactive,
    )


def _to_nodes(ids: list[str], index: dict[str, int], node_ids: list[str]) -> IntArray:
    """Map ids to node numbers, appending a node for every id no entity describes.

    ``itemgetter(*ids)`` does all lookups in one C call (several times faster than a mapped
    ``dict.get`` on large inputs); an unknown id raises KeyError and sends us to the slow path.
    """
    if not ids:
        return np.zeros(0, dtype=np.int64)
    try:
        found = operator.itemgetter(*ids)(index)
        return np.array(found if len(ids) > 1 else (found,), dtype=np.int64)
    except KeyError:
        pass
    nodes = np.empty(len(ids), dtype=np.int64)
    for i, key in enumerate(ids):
        node = index.get(key)
        if node is None:
            node = index[key] = len(node_ids)
            node_ids.append(key)
        nodes[i] = node
    return nodes
