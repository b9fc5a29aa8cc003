"""What the pipeline concludes: matches, nexus results, classifications and findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from cvcomply.model.bom import Component, Party
from cvcomply.model.common import Reason, deferrable, fast_init

Verdict = Literal["prohibited", "needs_review", "authorized", "exempt", "permitted", "out_of_scope"]
VERDICT_ORDER: tuple[Verdict, ...] = (
    "prohibited",
    "needs_review",
    "authorized",
    "exempt",
    "permitted",
    "out_of_scope",
)
"""Worst first (DESIGN.md §3): a model year's verdict is the worst of its findings."""


def worst(verdicts: Iterable[Verdict], default: Verdict = "out_of_scope") -> Verdict:
    """The worst verdict of ``verdicts`` in the order of DESIGN.md §3."""
    present = set(verdicts)
    return next((v for v in VERDICT_ORDER if v in present), default)


NexusStatus = Literal["covered", "clear", "needs_review"]


@fast_init
@dataclass(frozen=True, slots=True)
class PathStep:
    """One link of an evidence path: ``entity`` holds ``interest`` (``share`` %) in the next step.

    The first step of a path is the adversary-linked seed (a CN/HK/MO/RU entity, person or state);
    the last step is the entity the nexus is about (with ``interest`` None).
    """

    entity: str
    name: str
    share: float | None = None
    interest: str | None = None
    country: str | None = None
    source: str | None = None  # "file#pointer" of the fact


@fast_init
@dataclass(frozen=True, slots=True)
class Nexus:
    """An entity's link to a foreign adversary as of a date (RULE.md §2, DESIGN.md §2).

    ``prongs`` name the prongs that apply: ``jurisdiction`` (3), ``citizenship`` (2),
    ``ownership`` / ``control`` (4), ``direction`` (1). ``adversary_share`` is the control test's
    figure (sum of interests held by covered holders, %); ``exposure`` the economic look-through
    share (products along paths summed over paths, %), reported, never the test. ``foreign_holders`` are
    the countries of the non-U.S. persons holding a direct or indirect interest in the entity, adversary or
    not (the "foreign interest" behind the DoC trigger; see :mod:`cvcomply.ownership.foreign`).
    """

    entity: str
    status: NexusStatus
    countries: tuple[str, ...] = ()
    prongs: tuple[str, ...] = ()
    paths: tuple[tuple[PathStep, ...], ...] = ()
    reasons: tuple[Reason, ...] = ()
    caveats: tuple[str, ...] = ()
    adversary_share: float | None = None
    exposure: float | None = None
    history: tuple[str, ...] = ()  # interests that ended before as_of (shown, not counted)
    foreign_holders: tuple[str, ...] = ()  # ISO countries of non-U.S. direct/indirect holders (RULE.md §2, §5)


@fast_init
@dataclass(frozen=True, slots=True)
class MatchResult:
    """How a BOM party was resolved to a registry entity (``entity`` None when it was not)."""

    decision: Literal["match", "review", "none"]
    method: Literal["identifier", "name", "decision"]  # how it was resolved, or (decision "none") last tried
    entity: str | None = None
    score: float = 0.0
    reasons: tuple[str, ...] = ()
    candidates: tuple[tuple[str, float], ...] = ()  # (entity id, score) for review
    features: tuple[tuple[str, str, float], ...] = ()  # (feature, values compared, contribution to score)


@fast_init
@dataclass(frozen=True, slots=True)
class PartyResult:
    """One party of a component, resolved and judged."""

    party: Party
    match: MatchResult
    nexus: Nexus
    entity_name: str | None = None
    entity_country: str | None = None  # the resolved entity's jurisdiction, else the stated country


@deferrable("reasons")  # a screening's memo fills the texts in when they are read (rules/memo.py)
@fast_init
@dataclass(frozen=True, slots=True)
class Classification:
    """What the component is under the rule: VCS hardware, covered software, or neither."""

    vcs_hardware: bool
    covered_software: bool
    reasons: tuple[Reason, ...] = ()
    unclear: bool = False  # the classifier could not decide honestly → needs_review when relevant
    excluded_by: str | None = None  # firmware | open-source | legacy | not-vcs | no-function …
    legacy_conditional: bool = False  # legacy exclusion depends on the maintainer's nexus (§ 791.1)


@deferrable("reasons", "trace")  # a screening's memo fills the texts in when they are read (rules/memo.py)
@fast_init
@dataclass(frozen=True, slots=True)
class Finding:
    """The decision for one component in one model year (or import date)."""

    id: str
    component: Component
    model_year: int | None
    classification: Classification
    parties: tuple[PartyResult, ...]
    verdict: Verdict
    rule: str | None
    reasons: tuple[Reason, ...]
    trace: tuple[str, ...] = ()
    import_date: date | None = None
    foreign_interest: bool = False  # any non-US party (DoC trigger, RULE.md §5)
    authorization: str | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)  # e.g. screening-list hits
