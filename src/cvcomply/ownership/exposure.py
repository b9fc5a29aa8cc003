"""Economic look-through exposure: reported beside the control test, never the test (DESIGN.md §2).

An entity's exposure is the share of it that adversary seeds own economically: products of equity
shares along every path from a seed, summed over paths, capped at 100 %. It is the solution of
``e = min(1, s + Wᵀ e)`` with ``s`` the seed indicator, found by iterating sparse products on the
sub-graph reachable from the seeds until the change is below a tolerance or an iteration limit is hit
(cycles of cross-holdings converge geometrically; the cap keeps the iteration bounded).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from cvcomply.ownership.graph import K_EQUITY, BoolArray, FloatArray, IntArray, OwnershipGraph, gather

TOLERANCE = 1e-8  # of a fraction: exposure is reported in % to 6 decimals
MAX_ROUNDS = 100


def reachable(g: OwnershipGraph, start: BoolArray) -> BoolArray:
    """Nodes reachable from ``start`` along holder→subject edges (breadth-first, vectorised)."""
    seen = start.copy()
    frontier: IntArray = np.flatnonzero(start)
    while frontier.size:
        pos, _ = gather(g.out_ptr, frontier)
        nxt = np.unique(g.subject[pos])
        frontier = nxt[~seen[nxt]]
        seen[frontier] = True
    return seen


def exposure(g: OwnershipGraph, seeds: BoolArray) -> FloatArray:
    """Exposure of every node, in % (0 where no seed reaches it).

    Ranges count at their midpoint; an equity interest without a stated share counts as 0 because its
    size is unknown (the control test, not this figure, handles the uncertainty).
    """
    result = np.zeros(g.n_nodes)
    if not seeds.any():
        return result
    sub = np.flatnonzero(reachable(g, seeds))
    local = np.full(g.n_nodes, -1, dtype=np.int64)
    local[sub] = np.arange(sub.size)
    keep = (g.kind == K_EQUITY) & g.stated & (local[g.holder] >= 0) & (local[g.subject] >= 0)
    weight = (g.lo[keep] + g.hi[keep]) / 200.0
    m = sp.csr_matrix((weight, (local[g.subject[keep]], local[g.holder[keep]])), shape=(sub.size, sub.size))
    s = seeds[sub].astype(np.float64)
    e = s.copy()
    for _ in range(MAX_ROUNDS):
        nxt = np.minimum(1.0, np.maximum(s, m @ e))
        nxt[s > 0] = 1.0
        done = float(np.abs(nxt - e).max()) < TOLERANCE
        e = nxt
        if done:
            break
    result[sub] = np.round(e * 100.0, 6)
    return result
