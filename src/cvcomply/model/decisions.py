"""Reviewer decisions: append-only judgements that win over the engine on every later run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from cvcomply.model.common import SourceRef

DecisionKind = Literal["match", "nexus", "direction"]
"""``match``: confirm/reject that a BOM party is a registry entity. ``nexus``: set an entity's
status (``covered``/``clear``) after a human control analysis. ``direction``: record explicit
evidence that an entity acts at the direction of a foreign adversary (RULE.md §2 prong 1)."""


@dataclass(frozen=True, slots=True)
class Decision:
    kind: DecisionKind
    by: str
    at: datetime
    why: str
    party: str | None = None  # match: the party name as the BOM gives it
    country: str | None = None  # match: the stated country; direction: the adversary country
    entity: str | None = None  # the registry entity id
    verdict: str | None = None  # match: confirm | reject; nexus: covered | clear
    source: SourceRef | None = None
