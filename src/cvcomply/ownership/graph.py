"""The ownership graph as integer-indexed arrays: columns read once, a graph per ``as_of``.

Why arrays: the fixed point of :mod:`cvcomply.ownership.fixpoint` must handle registries of millions
of entities and holdings (DESIGN.md §6); Python objects per edge would not. Work is split in two:

* :func:`index_columns` is the only place that walks the model objects in bulk. It turns
  ``Entity``/``Holding`` sequences into NumPy columns that do not depend on a date, and sorts the
  holdings once. It is the cost of *loading* a registry; do it once and keep the result.
* :func:`graph_at` cuts the columns at ``as_of`` (DESIGN.md §3 reading 9: holdings not in force are
  remembered as history), merges restatements of one fact and indexes the rest both ways — with
  masks and cumulative sums only, no sorting and no Python loop over holdings.

Nothing here decides a status.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import repeat

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
_NO_RARE_FIELDS = (None, None, False, None, None)  # share_min, share_max, majority, start, end
_RARE_FIELDS = operator.attrgetter("share_min", "share_max", "majority", "start", "end")
_DAY_MIN, _DAY_MAX = np.iinfo(np.int32).min, np.iinfo(np.int32).max


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
class GraphColumns:
    """Entities and all their holdings as columns, whatever the date: a registry's array form.

    Nodes ``0 .. n_entities-1`` are the given entities in input order; nodes after them are ids that
    holdings name but no entity describes ("unknown entity"). Holding rows are sorted by (holder,
    subject, interest) once, here; ``src[r]`` is the index into ``holdings`` of row ``r`` and
    ``by_subject`` orders the rows by subject (stable), so a graph at any date is cut from them
    without sorting again. Entity columns carry what the seeds and the fixed point read.
    """

    node_ids: list[str]
    index: dict[str, int]
    entities: Sequence[Entity]
    n_entities: int
    holdings: Sequence[Holding]
    holder: IntArray  # holding rows, sorted by (holder, subject, kind)
    subject: IntArray
    kind: npt.NDArray[np.int8]
    lo: FloatArray
    hi: FloatArray
    stated: BoolArray  # a share (or range) is stated, not assumed 0–100
    majority: BoolArray
    start: npt.NDArray[np.int32]  # proleptic ordinal of the start date; int32 min when open
    end: npt.NDArray[np.int32]  # ordinal of the end date; int32 max when open
    dated: bool  # any row has a start or end date
    src: IntArray
    by_subject: IntArray
    person: BoolArray  # entity columns (length n_entities)
    organisation: BoolArray
    withheld: BoolArray
    jurisdiction: npt.NDArray[np.int32]  # index into ``countries``; -1 when none is stated
    countries: tuple[str, ...]
    listed: IntArray  # entities with headquarters, nationalities or residences: examined one by one
    placed: BoolArray  # the entity's own facts name a country its prong reads (see :func:`_has_place`)

    @property
    def n_nodes(self) -> int:
        return len(self.node_ids)


class _Nodes(dict[str, int]):
    """Id → node. While ``growing``, an id no entity describes gets the next node number when first
    looked up (so the lookups stay one C-level ``map``); afterwards a missing id is a KeyError."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(zip(ids, range(len(ids)), strict=True))
        self.ids = ids
        self.growing = True

    def __missing__(self, key: str) -> int:
        if not self.growing:
            raise KeyError(key)
        node = self[key] = len(self.ids)
        self.ids.append(key)
        return node


def index_columns(entities: Sequence[Entity], holdings: Sequence[Holding]) -> GraphColumns:
    """Read ``entities`` and ``holdings`` into columns once; raise ValueError on a duplicate entity id.

    Duplicate ids are the registry's job to merge (DESIGN.md §1); silently keeping one of them would
    make the result depend on input order. Every column is filled by one C-level pass over the
    objects (``map``/``attrgetter`` into ``np.fromiter``); fields most holdings leave empty (ranges,
    majority flags, dates) are read only for the holdings that have any of them.
    """
    node_ids = [e.id for e in entities]
    index = _Nodes(node_ids)
    if len(index) != len(node_ids):
        seen: set[str] = set()
        dup = next(i for i in node_ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        raise ValueError(f"duplicate entity id {dup!r}: merge entities in the registry before computing the nexus")
    n_entities = len(node_ids)
    m = len(holdings)
    lookup = index.__getitem__
    holder = np.fromiter(map(lookup, map(operator.attrgetter("holder"), holdings)), np.int64, m)
    subject = np.fromiter(map(lookup, map(operator.attrgetter("subject"), holdings)), np.int64, m)
    index.growing = False
    kind = np.fromiter(map(_KIND_CODE.__getitem__, map(operator.attrgetter("interest"), holdings)), np.int8, m)
    share = np.fromiter(
        map(_nan_if_none, map(operator.attrgetter("share"), holdings)), np.float64, m
    )
    smin = np.full(m, np.nan)
    smax = np.full(m, np.nan)
    majority = np.zeros(m, dtype=np.bool_)
    start = np.full(m, _DAY_MIN, dtype=np.int32)
    end = np.full(m, _DAY_MAX, dtype=np.int32)
    rare = np.flatnonzero(np.fromiter(map(_NO_RARE_FIELDS.__ne__, map(_RARE_FIELDS, holdings)), np.bool_, m))
    dated = False
    for i in rare.tolist():
        h = holdings[i]
        smin[i] = np.nan if h.share_min is None else h.share_min
        smax[i] = np.nan if h.share_max is None else h.share_max
        majority[i] = h.majority
        if h.start is not None:
            start[i] = h.start.toordinal()
            dated = True
        if h.end is not None:
            end[i] = h.end.toordinal()
            dated = True

    has_share = ~np.isnan(share)
    stated = has_share | ~np.isnan(smin) | ~np.isnan(smax)
    lo = np.where(has_share, share, np.where(np.isnan(smin), 0.0, smin))
    hi = np.where(has_share, share, np.where(np.isnan(smax), 100.0, smax))
    lo = np.clip(lo, 0.0, 100.0)
    hi = np.clip(np.maximum(hi, lo), 0.0, 100.0)

    n_nodes = len(node_ids)
    order = np.argsort((holder * n_nodes + subject) * len(INTERESTS) + kind, kind="stable")
    subject = subject[order]
    by_subject = np.argsort(subject, kind="stable").astype(np.int64)

    kinds = list(map(operator.attrgetter("kind"), entities))
    person = np.fromiter(map("person".__eq__, kinds), np.bool_, n_entities)
    organisation = np.fromiter(map("organization".__eq__, kinds), np.bool_, n_entities)
    withheld = np.fromiter(
        map(operator.is_not, map(operator.attrgetter("ownership_withheld"), entities), repeat(None)), np.bool_,
        n_entities,
    )
    places = list(map(operator.attrgetter("jurisdiction"), entities))
    countries = tuple(sorted({c for c in set(places) if c is not None}))
    code = {c: i for i, c in enumerate(countries)}
    jurisdiction = np.fromiter(map(code.get, places, repeat(-1)), np.int32, n_entities)
    listed = np.flatnonzero(np.fromiter(map(_has_lists, entities), np.bool_, n_entities)).astype(np.int64)
    placed = (jurisdiction >= 0) & ~person
    for i in listed.tolist():
        placed[i] = _has_place(entities[i])

    return GraphColumns(
        node_ids=node_ids,
        index=index,
        entities=entities,
        n_entities=n_entities,
        holdings=holdings,
        holder=holder[order],
        subject=subject,
        kind=kind[order],
        lo=lo[order],
        hi=hi[order],
        stated=stated[order],
        majority=majority[order],
        start=start[order],
        end=end[order],
        dated=dated,
        src=order.astype(np.int64),
        by_subject=by_subject,
        person=person,
        organisation=organisation,
        withheld=withheld,
        jurisdiction=jurisdiction,
        countries=countries,
        listed=listed,
        placed=placed,
    )


def _nan_if_none(value: float | None) -> float:
    return np.nan if value is None else value


def _has_lists(entity: Entity) -> bool:
    return bool(entity.headquarters or entity.nationalities or entity.residences)


def _has_place(entity: Entity) -> bool:
    """Whether the entity's own facts name a country for the prong that reads them (RULE.md §2): a person's
    nationalities or residences (prong 2); an organisation's jurisdiction or headquarters (prong 3); a state
    body's jurisdiction, headquarters or nationalities (the facts :func:`~cvcomply.ownership.seeds.entity_countries`
    reads). Without one, whether the entity is adversary-linked in itself is unknown."""
    if entity.kind == "person":
        return bool(entity.nationalities or entity.residences)
    if entity.kind == "state" and entity.nationalities:
        return True
    return bool(entity.jurisdiction or entity.headquarters)


@dataclass(frozen=True, slots=True, eq=False)
class OwnershipGraph:
    """Entities and the holdings in force at ``as_of``, one integer per node.

    Holdings are de-duplicated per (holder, subject, interest): two statements of the same interest
    are one fact restated, so the widest bounds are kept rather than summed (summing would
    double-count a fact read from two files). Arrays ``holder``/``subject``/``kind``/``lo``/``hi``/
    ``majority`` are sorted by holder; ``out_ptr`` indexes them by holder (CSR) and
    ``in_ptr``/``in_order`` by subject (CSC). ``columns`` are what the graph was cut from.
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
    columns: GraphColumns

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
    """Index ``entities`` and the holdings active at ``as_of``; raise ValueError on a duplicate entity id."""
    return graph_at(index_columns(entities, holdings), as_of)


def graph_at(cols: GraphColumns, as_of: date) -> OwnershipGraph:
    """The graph of the holdings of ``cols`` in force at ``as_of`` (vectorised; no sort, no object read).

    A holding of oneself (treasury shares) confers no outside control and is dropped; one not in
    force at ``as_of`` is dropped and remembered per subject as history.
    """
    n_nodes = cols.n_nodes
    holder, subject = cols.holder, cols.subject
    active = holder != subject
    inactive: dict[int, list[int]] = {}
    if cols.dated:
        day = as_of.toordinal()
        in_force = (cols.start <= day) & (cols.end > day)
        active &= in_force
        off = np.flatnonzero(~in_force)
        if off.size:
            originals = cols.src[off]
            by_original = np.argsort(originals, kind="stable")
            for subj, i in zip(subject[off][by_original].tolist(), originals[by_original].tolist(), strict=True):
                inactive.setdefault(subj, []).append(i)

    rows = np.flatnonzero(active)
    h, s, k = holder[rows], subject[rows], cols.kind[rows]
    # Restatements of one fact are adjacent (rows are sorted by holder, subject, kind): merge them.
    new_group = np.ones(rows.size, dtype=np.bool_)
    if rows.size:
        new_group[1:] = (h[1:] != h[:-1]) | (s[1:] != s[:-1]) | (k[1:] != k[:-1])
    starts = np.flatnonzero(new_group)
    group_ptr = np.append(starts, rows.size).astype(np.int64)
    lo, hi = cols.lo[rows], cols.hi[rows]
    stated, majority = cols.stated[rows], cols.majority[rows]
    if starts.size != rows.size:
        lo = np.maximum.reduceat(lo, starts)
        hi = np.maximum.reduceat(hi, starts)
        stated = np.logical_or.reduceat(stated, starts)
        majority = np.logical_or.reduceat(majority, starts)
        h, s, k = h[starts], s[starts], k[starts]

    # Subject order of the merged holdings, from the columns' subject order: stable argsort of ``s``.
    group_of_row = np.full(holder.size, -1, dtype=np.int64)
    group_of_row[rows[starts]] = np.arange(starts.size, dtype=np.int64)
    in_order = group_of_row[cols.by_subject]
    in_order = in_order[in_order >= 0]

    out_ptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(h, minlength=n_nodes), out=out_ptr[1:])
    in_ptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(s, minlength=n_nodes), out=in_ptr[1:])

    return OwnershipGraph(
        node_ids=cols.node_ids,
        index=cols.index,
        entities=cols.entities,
        n_entities=cols.n_entities,
        holdings=cols.holdings,
        holder=h,
        subject=s,
        kind=k,
        lo=lo,
        hi=hi,
        stated=stated,
        majority=majority,
        group_ptr=group_ptr,
        group_src=cols.src[rows],
        out_ptr=out_ptr,
        in_ptr=in_ptr,
        in_order=in_order,
        inactive=inactive,
        columns=cols,
    )
