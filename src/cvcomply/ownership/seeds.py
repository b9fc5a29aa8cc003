"""Prongs 1–3 of RULE.md §2: the entities that are adversary-linked in themselves (the seeds).

Why separate: these are facts about one entity (where it is organised, whom a person is a citizen
or resident of, a reviewer's finding of direction), while prong 4 is a property of the graph. The
fixed point starts from the seeds found here.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from cvcomply.model import Decision, Entity
from cvcomply.ownership.graph import BoolArray

CITE_PRONG = "15 CFR 791.301 (prong {n}), RULE.md §2"
CITE_PRC = "RULE.md §3 (Hong Kong and Macau are part of the PRC for this subpart)"


@dataclass(frozen=True, slots=True)
class Seeds:
    """Boolean masks over the entities: which are seeds and by which prong."""

    jurisdiction: BoolArray  # prong 3 (organisations) and adversary states
    citizenship: BoolArray  # prong 2 (natural persons, not US persons)
    direction: BoolArray  # prong 1 by a reviewer's direction decision
    carve_out: BoolArray  # a person with adversary citizenship/residence who is a US person

    @property
    def any(self) -> BoolArray:
        return self.jurisdiction | self.citizenship | self.direction


def entity_countries(entity: Entity, adversaries: frozenset[str]) -> tuple[str, ...]:
    """The adversary countries an entity is linked to by its own facts (prongs 2 and 3), sorted.

    For a person these are nationalities and residences; for an organisation or a state its
    jurisdiction and headquarters. The US-person carve-out is not applied here (see :func:`find_seeds`).
    """
    if entity.kind == "person":
        found = {c for c in (*entity.nationalities, *entity.residences) if c in adversaries}
    else:
        found = {c for c in (entity.jurisdiction, *entity.headquarters) if c is not None and c in adversaries}
        if entity.kind == "state":
            found |= {c for c in entity.nationalities if c in adversaries}
    return tuple(sorted(found))


def find_seeds(
    entities: Sequence[Entity], adversaries: frozenset[str], direction_nodes: Iterable[int] = ()
) -> Seeds:
    """Masks of prong 1–3 seeds, looking closely only at entities that could be one.

    Most entities of a large registry have a non-adversary jurisdiction and no headquarters list, so
    one vectorised membership test settles them and only the rest are examined one by one.
    """
    n = len(entities)
    jurisdiction = np.zeros(n, dtype=np.bool_)
    citizenship = np.zeros(n, dtype=np.bool_)
    carve_out = np.zeros(n, dtype=np.bool_)
    direction = np.zeros(n, dtype=np.bool_)
    if n == 0:
        return Seeds(jurisdiction, citizenship, direction, carve_out)
    jur = np.fromiter(map(adversaries.__contains__, map(operator.attrgetter("jurisdiction"), entities)), np.bool_, n)
    org_like = np.fromiter(map("person".__ne__, map(operator.attrgetter("kind"), entities)), np.bool_, n)
    extra = np.fromiter(map(_has_lists, entities), np.bool_, n)
    for i in np.flatnonzero(extra | ~org_like).tolist():
        entity = entities[i]
        countries = entity_countries(entity, adversaries)
        if not countries:
            continue
        if entity.kind == "person":
            if entity.us_person:
                carve_out[i] = True
            else:
                citizenship[i] = True
        else:
            jurisdiction[i] = True
    jurisdiction |= jur & org_like
    for i in direction_nodes:
        if i < n:
            direction[i] = True
    return Seeds(jurisdiction, citizenship, direction, carve_out)


def _has_lists(entity: Entity) -> bool:
    return bool(entity.headquarters or entity.nationalities or entity.residences)


def direction_decisions(decisions: Sequence[Decision]) -> dict[str, Decision]:
    """The latest ``direction`` decision per entity (decisions are append-only; the newest wins)."""
    latest: dict[str, Decision] = {}
    for d in sorted(decisions, key=lambda d: (d.at, d.by, d.why)):
        if d.kind == "direction" and d.entity is not None:
            latest[d.entity] = d
    return latest


def nexus_decisions(decisions: Sequence[Decision]) -> dict[str, Decision]:
    """The latest ``nexus`` decision (verdict covered|clear) per entity; other verdicts are ignored."""
    latest: dict[str, Decision] = {}
    for d in sorted(decisions, key=lambda d: (d.at, d.by, d.why)):
        if d.kind == "nexus" and d.entity is not None and d.verdict in ("covered", "clear"):
            latest[d.entity] = d
    return latest
