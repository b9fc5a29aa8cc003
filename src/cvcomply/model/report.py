"""A screening's result, before any output format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cvcomply.model.common import Warning
from cvcomply.model.findings import Finding, Nexus, Verdict
from cvcomply.model.program import Program


@dataclass(frozen=True, slots=True)
class PeriodSummary:
    """One model year (``model_year``) or one no-MY import date (``import_date``)."""

    verdict: Verdict
    counts: dict[str, int]
    model_year: int | None = None
    import_date: date | None = None
    doc_required: bool = False
    doc_reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    program: Program
    declarant_nexus: Nexus
    as_of: date
    rule_version: str
    policy_version: str
    model_years: tuple[PeriodSummary, ...]
    import_dates: tuple[PeriodSummary, ...]
    findings: tuple[Finding, ...]
    verdict: Verdict
    counts: dict[str, int]
    warnings: tuple[Warning, ...] = ()
    inputs: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (path, sha256)
    run_id: str | None = None
