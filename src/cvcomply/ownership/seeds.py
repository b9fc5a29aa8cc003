"""Prongs 1–3 of RULE.md §2: the entities that are adversary-linked in themselves (the seeds).

Why separate: these are facts about one entity (where it is organised, whom a person is a citizen
or resident of, a reviewer's finding of direction), while prong 4 is a property of the graph. The
fixed point starts from the seeds found here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from cvcomply.model import ControlPolicy, Decision, Entity, ListEntry
from cvcomply.ownership.graph import BoolArray, GraphColumns

CITE_PRONG = "15 CFR 791.301 (prong {n}), RULE.md §2"
CITE_PRC = "RULE.md §3 (Hong Kong and Macau are part of the PRC for this subpart)"
CITE_LIST = ("Entity List (15 CFR part 744 supp. no. 4) / Military End-User List (supp. no. 7); "
             "RULE.md §2 prong 1; cvcomply control policy `listed_is_direction`, not law")
DIRECTION_LISTS = re.compile(r"\bEntity List\b|\bMilitary End.?User\b|\((?:EL|MEU)\)", re.IGNORECASE)
"""Screening lists whose entries are read as direction evidence: BIS's Entity List and MEU List."""


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


def find_seeds(cols: GraphColumns, adversaries: frozenset[str], direction_nodes: Iterable[int] = ()) -> Seeds:
    """Masks of prong 1–3 seeds, looking closely only at entities that could be one.

    Most entities of a large registry have a non-adversary jurisdiction and no headquarters,
    nationality or residence list, so one vectorised test on the jurisdiction codes settles them
    and only the entities with such lists are examined one by one.
    """
    n = cols.n_entities
    jurisdiction = np.zeros(n, dtype=np.bool_)
    citizenship = np.zeros(n, dtype=np.bool_)
    carve_out = np.zeros(n, dtype=np.bool_)
    direction = np.zeros(n, dtype=np.bool_)
    if n == 0:
        return Seeds(jurisdiction, citizenship, direction, carve_out)
    codes = [i for i, c in enumerate(cols.countries) if c in adversaries]
    jur = np.isin(cols.jurisdiction, np.array(codes, dtype=np.int32))
    for i in cols.listed.tolist():
        entity = cols.entities[i]
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
    jurisdiction |= jur & ~cols.person
    for i in direction_nodes:
        if i < n:
            direction[i] = True
    return Seeds(jurisdiction, citizenship, direction, carve_out)


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


def list_direction_decisions(entries: Iterable[ListEntry], adversaries: frozenset[str], as_of: dt.date,
                             policy: ControlPolicy) -> tuple[Decision, ...]:
    """Prong-1 seeds from screening lists, as ``direction`` decisions marked as policy (not a reviewer's).

    Why: BIS puts a party on the Entity List or the MEU List for acting contrary to US security
    interests, often for the PRC's or Russia's military; for a party listed there with a PRC (incl. HK,
    MO) or Russian address, cvcomply's control policy (``listed_is_direction``, on by default) takes the
    listing as evidence that it acts at the direction of that state (RULE.md §2 prong 1). The rule itself
    names no list, so this is policy, cited as such, and switchable off. Only entries linked to a
    registry entity, on the list at ``as_of`` (DESIGN.md §3 reading 9), count; other lists (SDN …) flag
    findings but are not read as direction.
    """
    if not policy.listed_is_direction:
        return ()
    out = []
    for x in entries:
        if x.entity is None or x.entity.startswith("party:") or not x.active(as_of):
            continue
        if not DIRECTION_LISTS.search(x.list_name):
            continue
        countries = sorted(set(x.countries) & adversaries)
        if not countries:
            continue
        where = f" ({x.source})" if x.source else ""
        out.append(Decision(
            kind="direction", by=f"list evidence under control policy {policy.name}/{policy.version}",
            at=dt.datetime.combine(x.start or as_of, dt.time()), entity=x.entity, country=countries[0],
            why=f"listed on {x.list_name} as {x.name!r} with an address in {', '.join(countries)}{where}; "
                f"{CITE_LIST}",
            source=x.source,
        ))
    return tuple(out)
