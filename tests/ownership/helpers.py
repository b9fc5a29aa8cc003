"""Builders for small project-made ownership graphs (invented names; not third-party data)."""

from __future__ import annotations

from datetime import date, datetime

from cvcomply.model import ControlPolicy, Decision, Entity, Holding, Nexus, SourceRef
from cvcomply.ownership import NexusTable, compute_nexus

AS_OF = date(2026, 11, 24)
POLICY = ControlPolicy()


def org(eid: str, country: str | None = "US", **kw: object) -> Entity:
    return Entity(eid, f"{eid.upper()} Test Co (made by the project)", jurisdiction=country, **kw)  # type: ignore[arg-type]


def person(eid: str, **kw: object) -> Entity:
    return Entity(eid, f"Person {eid}", kind="person", **kw)  # type: ignore[arg-type]


def hold(
    holder: str, subject: str, share: float | None = None, interest: str = "shareholding", **kw: object
) -> Holding:
    source = SourceRef("project-test.json", f"/{holder}-{subject}")
    return Holding(holder, subject, interest, share=share, source=source, **kw)  # type: ignore[arg-type]


def table(entities: list[Entity], holdings: list[Holding], policy: ControlPolicy = POLICY, **kw: object) -> NexusTable:
    return compute_nexus(entities, holdings, as_of=AS_OF, policy=policy, **kw)  # type: ignore[arg-type]


def nexus(entities: list[Entity], holdings: list[Holding], target: str, **kw: object) -> Nexus:
    return table(entities, holdings, **kw).get(target)


def decision(kind: str, entity: str, verdict: str | None = None, country: str | None = None) -> Decision:
    return Decision(kind, "reviewer@example.test", datetime(2026, 10, 1, 12, 0), "control analysis on file",  # type: ignore[arg-type]
                    entity=entity, verdict=verdict, country=country)
