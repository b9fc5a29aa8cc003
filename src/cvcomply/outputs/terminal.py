"""A readable terminal summary of a screening (Rich): per model year, then every finding that needs attention."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cvcomply.model import Finding, Nexus, PathStep, Report

STYLE = {
    "prohibited": "bold red",
    "needs_review": "bold yellow",
    "authorized": "cyan",
    "exempt": "blue",
    "permitted": "green",
    "out_of_scope": "dim",
    "covered": "bold red",
    "needs_review_nexus": "yellow",
    "clear": "green",
}
ATTENTION = ("prohibited", "needs_review", "authorized", "exempt")


def path_text(path: tuple[PathStep, ...]) -> str:
    """``Seed (CN) —60% shareholding→ Holdco (KY) → Supplier``: one evidence path in one line."""
    parts = []
    for i, s in enumerate(path):
        label = f"{s.name}" + (f" ({s.country})" if s.country else "")
        if i < len(path) - 1:
            how = " ".join(x for x in (f"{s.share:g}%" if s.share is not None else "", s.interest or "") if x)
            label += f" —{how}→" if how else " →"
        parts.append(label)
    return " ".join(parts)


def nexus_lines(n: Nexus) -> list[str]:
    lines = [f"{n.status}" + (f" — {', '.join(n.prongs)}" if n.prongs else "")
             + (f" ({', '.join(n.countries)})" if n.countries else "")]
    lines += [f"  path: {path_text(p)}" for p in n.paths[:3] if len(p) > 1 or n.status != "clear"]
    lines += [f"  {r.text}" + (f" [{r.cite}]" if r.cite else "") for r in n.reasons[:3]]
    lines += [f"  caveat: {c}" for c in n.caveats]
    if n.foreign_holders:
        lines.append(f"  held directly or indirectly by non-U.S. persons of {', '.join(n.foreign_holders)} "
                     "(a foreign interest, RULE.md §2)")
    return lines


def _finding_detail(f: Finding) -> Text:
    t = Text()
    if f.rule:
        t.append(f"{f.rule} ({_period(f)}: {f.verdict})\n", style="bold")
    for r in f.reasons[:3]:
        t.append(f"• {r.text}", style="")
        if r.cite:
            t.append(f" [{r.cite}]", style="dim")
        t.append("\n")
    shown: set[str] = set()
    for p in f.parties:
        if (p.nexus.status == "clear" and not p.nexus.caveats) or p.nexus.entity in shown:
            continue
        shown.add(p.nexus.entity)
        t.append(f"  {p.party.role}: {p.party.name}", style="bold")
        t.append(f" → {p.entity_name or 'unresolved'} ", style="")
        t.append(p.nexus.status, style=STYLE.get(p.nexus.status if p.nexus.status != "needs_review"
                                                 else "needs_review_nexus", ""))
        t.append("\n")
        for path in p.nexus.paths[:2]:
            if len(path) > 1:
                t.append(f"    {path_text(path)}\n", style="dim")
    return t


SHORT = {"prohibited": "PROHIB", "needs_review": "REVIEW", "authorized": "auth", "exempt": "exempt",
         "permitted": "ok", "out_of_scope": "—"}


def _period(f: Finding) -> str:
    return f"MY{f.model_year}" if f.import_date is None else str(f.import_date)


def _component_matrix(report: Report, console: Console, *, verbose: bool) -> None:
    """One row per component that needs attention, one column per period, then why (rule, party, path)."""
    periods = [f"MY{s.model_year}" if s.import_date is None else str(s.import_date)
               for s in (*report.model_years, *report.import_dates)]
    rows: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        src = f.component.source.file if f.component.source else ""
        rows.setdefault((src, f.component.bom_ref), []).append(f)
    order = {v: i for i, v in enumerate(("prohibited", "needs_review", "authorized", "exempt", "permitted",
                                         "out_of_scope"))}
    chosen = [(k, fs) for k, fs in rows.items() if verbose or any(f.verdict in ATTENTION for f in fs)]
    if not chosen:
        return
    chosen.sort(key=lambda kv: (min(order[f.verdict] for f in kv[1]), kv[1][0].component.name))
    table = Table(title="Components that need attention" if not verbose else "All components", show_lines=True)
    table.add_column("component")
    for p in periods:
        table.add_column(p, justify="center")
    table.add_column("why")
    for _, fs in chosen:
        by_period = {_period(f): f for f in fs}
        worst_f = min(fs, key=lambda f: order[f.verdict])
        c = worst_f.component
        cells = [Text(SHORT[by_period[p].verdict], style=STYLE[by_period[p].verdict]) if p in by_period else Text("")
                 for p in periods]
        table.add_row(Text(f"{c.name} {c.version or ''}\n", style="bold") + Text(f"{c.bom_ref} ({c.kind})",
                                                                                  style="dim"),
                      *cells, _finding_detail(worst_f))
    console.print(table)


def render_terminal(report: Report, console: Console, *, verbose: bool = False) -> None:
    p = report.program
    head = Text()
    head.append(f"{p.name}", style="bold")
    head.append(f"  declarant {p.declarant.name} ({', '.join(p.declarant.roles)})  as of {report.as_of}\n")
    head.append(f"declarant nexus (§ 791.304): {report.declarant_nexus.status}   ")
    head.append(f"rule {report.rule_version}   policy {report.policy_version}", style="dim")
    console.print(Panel(head, title="cvcomply screening", expand=False))

    years = Table(title="Verdict per model year / import date", show_lines=False)
    for col in ("period", "verdict", "DoC", *ATTENTION, "permitted", "out_of_scope"):
        years.add_column(col, justify="right" if col not in ("period", "verdict") else "left")
    for s in (*report.model_years, *report.import_dates):
        period = f"MY{s.model_year}" if s.import_date is None else f"import {s.import_date}"
        years.add_row(period, Text(s.verdict, style=STYLE[s.verdict]), "required" if s.doc_required else "—",
                      *(str(s.counts.get(v, 0)) for v in (*ATTENTION, "permitted", "out_of_scope")))
    console.print(years)

    _component_matrix(report, console, verbose=verbose)
    if report.warnings:
        console.print(Group(*(Text(f"warning: {w.source}: {w.text}", style="yellow") for w in report.warnings[:20])))
        if len(report.warnings) > 20:
            console.print(f"… and {len(report.warnings) - 20} more warnings (see --json)")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items(), key=lambda kv: kv[0]))
    console.print(Text(f"Overall: {report.verdict}", style=STYLE[report.verdict]), f"  ({counts})")
