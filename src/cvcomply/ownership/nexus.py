"""``compute_nexus``: every entity's link to a foreign adversary at a date (RULE.md §2, DESIGN.md §2).

Pure computation on model types: entities, holdings, the control policy, the adversary countries
(``rules/`` owns the parameter; the default is the subpart's PRC incl. HK and MO, and Russia) and
reviewer decisions come in as arguments; a :class:`NexusTable` comes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from cvcomply.model import ControlPolicy, Decision, Entity, Holding, Nexus
from cvcomply.ownership import fixpoint as fp
from cvcomply.ownership.graph import GraphColumns, OwnershipGraph, build_graph, graph_at
from cvcomply.ownership.seeds import direction_decisions, find_seeds, nexus_decisions
from cvcomply.ownership.table import NexusTable

ADVERSARIES: frozenset[str] = frozenset({"CN", "HK", "MO", "RU"})
"""Subpart D's foreign adversaries (RULE.md §3): the PRC including Hong Kong and Macau, and Russia."""


def compute_nexus(
    entities: Sequence[Entity],
    holdings: Sequence[Holding],
    *,
    as_of: date,
    policy: ControlPolicy,
    adversaries: frozenset[str] = ADVERSARIES,
    decisions: Sequence[Decision] = (),
) -> NexusTable:
    """The nexus of every entity at ``as_of``.

    Seeds are prongs 1–3 (and reviewer ``nexus: covered`` decisions); prong 4 propagates by status
    to a fixed point under ``policy``; ``nexus: clear`` decisions stop an entity from being covered
    or reviewed and so from propagating. A ``direction`` decision whose country is not one of
    ``adversaries`` makes no seed (subpart D reaches only the PRC and Russia). Raises ValueError
    when two entities share an id.
    """
    graph = build_graph(entities, holdings, as_of)
    return nexus_of_graph(graph, as_of=as_of, policy=policy, adversaries=adversaries, decisions=decisions)


def nexus_of_columns(
    columns: GraphColumns,
    *,
    as_of: date,
    policy: ControlPolicy,
    adversaries: frozenset[str] = ADVERSARIES,
    decisions: Sequence[Decision] = (),
) -> NexusTable:
    """:func:`compute_nexus` on a registry already read into columns by :func:`index_columns`.

    Why: reading millions of model objects into arrays is the dominant cost of :func:`compute_nexus`
    on large inputs and does not depend on the date, the policy or the decisions; a caller that keeps
    the columns (a loaded registry) pays it once and each nexus afterwards costs only the cut at
    ``as_of`` and the fixed point.
    """
    graph = graph_at(columns, as_of)
    return nexus_of_graph(graph, as_of=as_of, policy=policy, adversaries=adversaries, decisions=decisions)


def nexus_of_graph(
    graph: OwnershipGraph,
    *,
    as_of: date,
    policy: ControlPolicy,
    adversaries: frozenset[str] = ADVERSARIES,
    decisions: Sequence[Decision] = (),
) -> NexusTable:
    """:func:`compute_nexus` on a graph already cut at the same ``as_of`` (:func:`build_graph`, :func:`graph_at`).

    Lets a caller screen one registry under several policies or decision sets without re-reading
    millions of model objects (the dominant cost of :func:`compute_nexus` on large inputs).
    """
    cols = graph.columns
    n, n_nodes = graph.n_entities, graph.n_nodes
    decided = nexus_decisions(decisions)
    directed = {
        e: d for e, d in direction_decisions(decisions).items() if d.country is None or d.country in adversaries
    }
    direction_nodes = [graph.index[e] for e in directed if graph.index.get(e, n) < n]
    seeds = find_seeds(cols, adversaries, direction_nodes)

    cause = np.zeros(n_nodes, dtype=np.int64)
    cause[:n][seeds.jurisdiction] |= fp.SEED_JURISDICTION
    cause[:n][seeds.citizenship] |= fp.SEED_CITIZENSHIP
    cause[:n][seeds.direction] |= fp.SEED_DIRECTION
    cause[:n][seeds.carve_out] |= fp.CARVE_OUT
    seed_mask = np.zeros(n_nodes, dtype=np.bool_)
    seed_mask[:n] = seeds.any
    adversary_seed = seed_mask.copy()
    blocked = np.zeros(n_nodes, dtype=np.bool_)
    for entity_id, decision in decided.items():
        node = graph.index.get(entity_id)
        if node is None:
            continue
        if decision.verdict == "covered":
            seed_mask[node] = True
            cause[node] |= fp.DECIDED_COVERED
        else:
            blocked[node] = True
            cause[node] |= fp.DECIDED_CLEAR

    withheld = np.zeros(n_nodes, dtype=np.bool_)
    withheld[:n] = cols.withheld
    organisation = np.zeros(n_nodes, dtype=np.bool_)
    organisation[:n] = cols.organisation

    closure = fp.close(graph, policy, seed_mask, cause, blocked, withheld, organisation)
    return NexusTable(
        graph=graph,
        closure=closure,
        seeds=adversary_seed & ~blocked,
        as_of=as_of,
        policy=policy,
        adversaries=adversaries,
        nexus_decisions=decided,
        direction_decisions=directed,
    )


def explain(table: NexusTable, entity_id: str) -> Nexus:
    """The full nexus of one entity: status, prongs, countries, evidence paths, reasons, history."""
    return table.get(entity_id)


def adversary_countries(table: NexusTable, entity_id: str) -> tuple[str, ...]:
    """The adversary countries an entity is linked to: its own, or those of the seeds upstream."""
    return table.countries(entity_id)
