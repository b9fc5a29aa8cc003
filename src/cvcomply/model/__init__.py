"""Our own types: frozen dataclasses every stage computes on.

Nothing in here reads files, knows SQL or HTTP (DESIGN.md §1). Readers in ``formats/`` build these
from real inputs; ``registry/``, ``resolve/``, ``ownership/`` and ``rules/`` compute on them.
"""

from cvcomply.model.bom import Bom, Component, Hints, Party, PartyRole
from cvcomply.model.common import Reason, SourceRef, Warning
from cvcomply.model.decisions import Decision, DecisionKind
from cvcomply.model.entity import Entity, EntityKind, Holding, Interest, ListEntry, OwnershipFacts
from cvcomply.model.findings import (
    VERDICT_ORDER,
    Classification,
    Finding,
    MatchResult,
    Nexus,
    NexusStatus,
    PartyResult,
    PathStep,
    Verdict,
    worst,
)
from cvcomply.model.policy import ControlPolicy
from cvcomply.model.program import Authorization, Declarant, Program, Vehicle
from cvcomply.model.report import PeriodSummary, Report

__all__ = [
    "VERDICT_ORDER",
    "Authorization",
    "Bom",
    "Classification",
    "Component",
    "ControlPolicy",
    "Decision",
    "DecisionKind",
    "Declarant",
    "Entity",
    "EntityKind",
    "Finding",
    "Hints",
    "Holding",
    "Interest",
    "ListEntry",
    "MatchResult",
    "Nexus",
    "NexusStatus",
    "OwnershipFacts",
    "Party",
    "PartyResult",
    "PartyRole",
    "PathStep",
    "PeriodSummary",
    "Program",
    "Reason",
    "Report",
    "SourceRef",
    "Vehicle",
    "Verdict",
    "Warning",
    "worst",
]
