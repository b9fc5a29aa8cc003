"""Charts of a screening (matplotlib): verdicts per period, parties per country, the remediation timeline.

Why matplotlib's object API (``Figure``) and not pyplot: no global figure state, no backend switch at
import, so rendering is safe in a server and in tests. Why fixed salts and no date: a report is a record,
and two renderings of the same screening must be byte-identical (``svg.hashsalt`` fixes the ids matplotlib
generates, ``metadata={"Date": None}`` drops the timestamp; PNG drops its ``Software`` tag). Each chart has
its own salt, so the ids of several SVGs inlined in one HTML page never collide.

The charts only count what the report holds (DESIGN.md §1: outputs compute no verdicts); the deadlines of
the timeline are the parameter file's dated values (§ 791.308), passed in by the caller.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from matplotlib import rc_context
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from cvcomply.model import VERDICT_ORDER, Finding, PartyResult, Report
from cvcomply.model.report import PeriodSummary
from cvcomply.rules.params import Params

__all__ = ["Chart", "Deadlines", "deadlines_from_params", "figure_png", "figure_svg", "report_charts"]

VERDICT_COLORS = {
    "prohibited": "#cf222e",
    "needs_review": "#bf8700",
    "authorized": "#0969da",
    "exempt": "#8250df",
    "permitted": "#2da44e",
    "out_of_scope": "#8c959f",
}
STATUS_COLORS = {"covered": "#cf222e", "needs_review": "#bf8700", "clear": "#2da44e"}
VERDICT_LABELS = {"prohibited": "Prohibited", "needs_review": "Needs review", "authorized": "Authorized",
                  "exempt": "Exempt", "permitted": "Permitted", "out_of_scope": "Out of scope"}
ATTENTION = ("prohibited", "needs_review", "authorized", "exempt")
MAX_TIMELINE_ROWS = 40
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)

RC_PARAMS: dict[str, object] = {"font.family": "DejaVu Sans", "font.size": 8.5, "axes.spines.top": False,
                                "axes.spines.right": False, "svg.fonttype": "none", "figure.dpi": 100}


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates the remediation timeline marks (§ 791.308): software and hardware prohibition starts."""

    software_my: int
    hardware_my: int
    hardware_no_my: str  # ISO date: imports of no-MY hardware on or after it are not exempt
    software_cite: str
    hardware_cite: str


def deadlines_from_params(params: Params) -> Deadlines:
    sw, hw = params.get("software_prohibition_start_my"), params.get("hardware_prohibition_start_my")
    no_my = params.get("hardware_no_my_import_start")
    return Deadlines(int(sw.value), int(hw.value), str(no_my.value), sw.cite, hw.cite)


@dataclass(frozen=True, slots=True)
class Chart:
    name: str
    title: str
    data: str | bytes  # SVG text or PNG bytes


@contextmanager
def _style(name: str) -> Iterator[None]:
    with rc_context({**RC_PARAMS, "svg.hashsalt": f"cvcomply-{name}"}):
        yield


def figure_svg(fig: Figure, name: str) -> str:
    """The figure as an SVG element (no XML prologue, so it can be inlined), byte-stable."""
    buf = io.StringIO()
    with _style(name):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    return _METADATA.sub("", text, count=1)  # RDF metadata names external vocabularies; the picture needs none


def figure_png(fig: Figure, dpi: int = 200) -> bytes:
    buf = io.BytesIO()
    with _style("png"):
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def _period_label(p: PeriodSummary) -> str:
    if p.model_year is not None:
        return f"MY{p.model_year}"
    return f"import {p.import_date.isoformat()}" if p.import_date else "no date"


def _verdicts_figure(report: Report) -> Figure:
    periods = [*report.model_years, *report.import_dates]
    labels = [_period_label(p) for p in periods]
    fig = Figure(figsize=(7.5, 2.9))
    ax = fig.add_subplot()
    bottoms = [0] * len(periods)
    for v in reversed(VERDICT_ORDER):  # worst on top
        heights = [p.counts.get(v, 0) for p in periods]
        if any(heights):
            ax.bar(labels, heights, bottom=bottoms, color=VERDICT_COLORS[v], label=VERDICT_LABELS[v], width=0.6)
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    for x, total in enumerate(bottoms):
        ax.annotate(str(total), (x, total), ha="center", va="bottom", xytext=(0, 2), textcoords="offset points")
    ax.set_ylabel("findings")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max([*bottoms, 1]) * 1.12)
    ax.set_title("Verdicts by model year / import date", loc="left", fontweight="bold")
    if not periods:
        ax.text(0.5, 0.5, "no period screened", ha="center", va="center", transform=ax.transAxes)
    handles, names = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def _party_key(p: PartyResult) -> str:
    return p.match.entity if p.match.decision == "match" and p.match.entity else f"party:{p.party.name}"


def _parties(findings: Sequence[Finding]) -> dict[str, PartyResult]:
    out: dict[str, PartyResult] = {}
    for f in findings:
        for p in f.parties:
            out.setdefault(_party_key(p), p)
    return out


def _countries_figure(report: Report) -> Figure:
    parties = _parties(report.findings)
    by: Counter[tuple[str, str]] = Counter()
    for p in parties.values():
        by[(p.entity_country or p.party.country or "unknown", p.nexus.status)] += 1
    countries = sorted({c for c, _ in by}, key=lambda c: (-sum(n for (k, _), n in by.items() if k == c), c))
    fig = Figure(figsize=(7.5, max(1.6, 0.32 * len(countries) + 0.9)))
    ax = fig.add_subplot()
    left = [0] * len(countries)
    for status in ("covered", "needs_review", "clear"):
        widths = [by.get((c, status), 0) for c in countries]
        if any(widths):
            ax.barh(countries, widths, left=left, color=STATUS_COLORS[status], label=status.replace("_", " "),
                    height=0.6)
            left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("distinct parties (by resolved entity, else by name)")
    ax.set_title("Parties by country and nexus", loc="left", fontweight="bold")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if countries:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    else:
        ax.text(0.5, 0.5, "no party named", ha="center", va="center", transform=ax.transAxes)
    fig.tight_layout()
    return fig


def _timeline_figure(report: Report, deadlines: Deadlines) -> Figure:
    """Components with an adversary-linked finding (any attention verdict) × periods, coloured by verdict."""
    periods = [*report.model_years, *report.import_dates]
    labels = [_period_label(p) for p in periods]
    index = {lab: i for i, lab in enumerate(labels)}
    rows: dict[str, dict[int, str]] = {}
    names: dict[str, str] = {}
    for f in report.findings:
        rows.setdefault(f.component.bom_ref, {})
        names[f.component.bom_ref] = f.component.name
        lab = f"MY{f.model_year}" if f.import_date is None else f"import {f.import_date.isoformat()}"
        if lab in index:
            rows[f.component.bom_ref][index[lab]] = f.verdict
    concerned = [r for r, cells in rows.items() if any(v in ATTENTION for v in cells.values())]
    concerned.sort(key=lambda r: (min(VERDICT_ORDER.index(v) for v in rows[r].values()
                                      ), names[r].casefold(), r))
    hidden = max(0, len(concerned) - MAX_TIMELINE_ROWS)
    concerned = concerned[:MAX_TIMELINE_ROWS]
    fig = Figure(figsize=(7.5, max(1.8, 0.26 * len(concerned) + 1.3)))
    ax = fig.add_subplot()
    cmap = ListedColormap([VERDICT_COLORS[v] for v in VERDICT_ORDER] + ["#ffffff"])
    grid = [[VERDICT_ORDER.index(rows[r][i]) if i in rows[r] else len(VERDICT_ORDER)
             for i in range(len(periods))] for r in concerned]
    if concerned and periods:
        ax.imshow(grid, cmap=cmap, vmin=-0.5, vmax=len(VERDICT_ORDER) + 0.5, aspect="auto", interpolation="nearest")
        ax.set_yticks(range(len(concerned)), [names[r][:38] for r in concerned])
        ax.set_xticks(range(len(periods)), labels)
        ax.set_xticks([x - 0.5 for x in range(1, len(periods))], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, len(concerned))], minor=True)
        ax.grid(which="minor", color="white", linewidth=1.2)
        ax.tick_params(which="minor", length=0)
        for boundary, text in _deadline_positions(periods, deadlines):
            ax.axvline(boundary, color="#1b1f24", linestyle="--", linewidth=1.2)
            ax.annotate(text, (boundary, 0), xycoords=("data", "axes fraction"), xytext=(3, -28),
                        textcoords="offset points", fontsize=7, annotation_clip=False)
        used = sorted({v for cells in (rows[r] for r in concerned) for v in cells.values()},
                      key=VERDICT_ORDER.index)
        ax.legend(handles=[Patch(color=VERDICT_COLORS[v], label=VERDICT_LABELS[v]) for v in used],
                  loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    else:
        ax.text(0.5, 0.5, "no component with an adversary link to remediate", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
    title = "Remediation timeline: components with an adversary link, by period"
    # A figure title, not an axes title: the long label sits over the whole figure, not the narrow grid.
    fig.suptitle(title + (f" (first {MAX_TIMELINE_ROWS}; {hidden} more)" if hidden else ""), x=0.01, ha="left",
                 fontweight="bold")
    fig.tight_layout()
    return fig


def _deadline_positions(periods: Sequence[PeriodSummary], d: Deadlines) -> list[tuple[float, str]]:
    """Where each deadline falls between period columns: before the first period on or after it."""
    marks: list[tuple[Callable[[PeriodSummary], bool], str]] = [
        (lambda p: p.model_year is not None and p.model_year >= d.software_my,
         f"software MY{d.software_my} ({d.software_cite})"),
        (lambda p: p.model_year is not None and p.model_year >= d.hardware_my,
         f"hardware MY{d.hardware_my} ({d.hardware_cite})"),
        (lambda p: p.import_date is not None and p.import_date.isoformat() >= d.hardware_no_my,
         f"no-MY imports {d.hardware_no_my}"),
    ]
    out = []
    for test, text in marks:
        first = next((i for i, p in enumerate(periods) if test(p)), None)
        if first is not None:
            out.append((first - 0.5, text))
    return out


def report_charts(report: Report, params: Params | None = None,
                  fmt: Literal["svg", "png"] = "svg") -> tuple[Chart, ...]:
    """The report's three charts, as inline SVG (HTML) or PNG (PDF)."""
    deadlines = deadlines_from_params(params or Params.load())
    with rc_context(RC_PARAMS):  # fonts are fixed when the texts are made, not only when saved
        figures = (
            ("verdicts", "Verdicts by model year / import date", _verdicts_figure(report)),
            ("countries", "Parties by country", _countries_figure(report)),
            ("timeline", "Remediation timeline", _timeline_figure(report, deadlines)),
        )
        return tuple(Chart(name, title, figure_svg(fig, name) if fmt == "svg" else figure_png(fig))
                     for name, title, fig in figures)
