"""The HTML report: one self-contained page a reviewer can read on screen, archive, or print.

Why a single file: the report is a compliance record (RULE.md §8, records kept ten years), so it must
open the same way years later without fetching anything. All CSS is inline, there is no script and no
external reference; the trace of each finding sits in a ``<details>`` element on screen and is printed
in full (a print-only copy), because a printed record with its reasoning folded away is no record.

This module only arranges what the pipeline decided (DESIGN.md §1: outputs compute no verdicts). The
template is autoescaped: every name in a BOM or registry is untrusted text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

import cvcomply
from cvcomply.model import VERDICT_ORDER, Finding, PathStep, Report, Verdict
from cvcomply.model.report import PeriodSummary
from cvcomply.outputs.charts import report_charts
from cvcomply.outputs.diagram import covered_parties, ownership_svg
from cvcomply.outputs.doc import Declaration, doc_dict
from cvcomply.rules.params import Params

__all__ = ["format_path", "format_share", "render_doc_html", "render_html"]

VERDICT_LABELS: Mapping[str, str] = {
    "prohibited": "Prohibited",
    "needs_review": "Needs review",
    "authorized": "Authorized",
    "exempt": "Exempt",
    "permitted": "Permitted",
    "out_of_scope": "Out of scope",
}


def format_share(share: float | None) -> str:
    """``60.0`` → ``60%``, ``99.9`` → ``99.9%``; no share → empty."""
    if share is None:
        return ""
    return f"{share:.4f}".rstrip("0").rstrip(".") + "%"


def _step_label(step: PathStep) -> str:
    return f"{step.name} ({step.country})" if step.country else step.name


def format_path(path: Iterable[PathStep]) -> str:
    """An evidence path as one line, seed first: ``Seed (CN) —60% shareholding→ Holdco (KY) → Supplier``.

    Each link is labelled with the interest the step before it holds (share and kind); a link the data
    gives no share or kind for is a bare arrow.
    """
    steps = list(path)
    if not steps:
        return ""
    out = [_step_label(steps[0])]
    for prev, step in pairwise(steps):
        label = " ".join(x for x in (format_share(prev.share), prev.interest or "") if x)
        out.append(f" —{label}→ " if label else " → ")
        out.append(_step_label(step))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class _Group:
    verdict: Verdict
    label: str
    findings: tuple[Finding, ...]


def _ordered_counts(counts: Mapping[str, int]) -> list[tuple[str, str, int]]:
    """(verdict, label, count) worst first, then any key the order does not know, by name."""
    known = [(v, VERDICT_LABELS[v], counts[v]) for v in VERDICT_ORDER if counts.get(v)]
    other = [(k, k, n) for k, n in sorted(counts.items()) if k not in VERDICT_LABELS and n]
    return known + other


def _period_label(p: PeriodSummary) -> str:
    if p.model_year is not None:
        return f"MY {p.model_year}"
    if p.import_date is not None:
        return f"imported {p.import_date.isoformat()}"
    return "—"


def _finding_key(f: Finding) -> tuple[str, str, int, str]:
    return (
        f.component.name.casefold(),
        f.component.bom_ref,
        f.model_year if f.model_year is not None else 0,
        f.import_date.isoformat() if f.import_date else "",
    )


def _groups(findings: Iterable[Finding]) -> list[_Group]:
    by_verdict: dict[str, list[Finding]] = {}
    for f in findings:
        by_verdict.setdefault(f.verdict, []).append(f)
    return [
        _Group(v, VERDICT_LABELS[v], tuple(sorted(by_verdict[v], key=_finding_key)))
        for v in VERDICT_ORDER
        if v in by_verdict
    ]


def _when(f: Finding) -> str:
    if f.model_year is not None:
        return f"MY {f.model_year}"
    if f.import_date is not None:
        return f"imported {f.import_date.isoformat()}"
    return "no model year"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """Built on first use, not at import (STYLE.md: no work at import time)."""
    env = Environment(
        loader=PackageLoader("cvcomply.outputs", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["path"] = format_path
    env.filters["share"] = format_share
    env.filters["counts"] = _ordered_counts
    env.filters["period"] = _period_label
    env.filters["when"] = _when
    env.globals["verdict_labels"] = VERDICT_LABELS
    return env


def render_html(report: Report, params: Params | None = None, *, charts: bool = True) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script, no external reference).

    ``charts``: the verdict, country and remediation charts and an ownership diagram for every covered party
    (inline SVG made by matplotlib, whose text is escaped by matplotlib itself). ``params`` gives the
    deadlines the timeline marks (default: the packaged parameter file).
    """
    template = _environment().get_template("report.html.j2")
    figures = [(c.title, Markup(c.data)) for c in report_charts(report, params)] if charts else []
    diagrams = [(p, Markup(ownership_svg(p))) for p in covered_parties(report.findings)] if charts else []
    return template.render(
        charts=figures,
        diagrams=diagrams,
        report=report,
        program=report.program,
        declarant=report.program.declarant,
        vehicle=report.program.vehicle,
        nexus=report.declarant_nexus,
        groups=_groups(report.findings),
        summary_counts=_ordered_counts(report.counts),
        version=cvcomply.__version__,
    )


def render_doc_html(decl: Declaration, changes: Sequence[Mapping[str, Any]] | None = None) -> str:
    """A Declaration of Conformity as one self-contained page, from the same dict as its JSON (``doc_dict``)."""
    template = _environment().get_template("doc.html.j2")
    return template.render(d=doc_dict(decl, changes), version=cvcomply.__version__)
