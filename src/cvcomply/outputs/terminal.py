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
    return lines


def _finding_detail(f: Finding) -> Text:
    t = Text()
    for r in f.reasons[:3]:
        t.append(f"• {r.text}", style="")
        if r.cite:
            t.append(f" [{r.cite}]", style="dim")
        t.append("\n")
    for p in f.parties:
        if p.nexus.status == "clear" and not p.nexus.caveats:
            continue
        t.append(f"  {p.party.role}: {p.party.name}", style="bold")
        t.append(f" → {p.entity_name or 'unresolved'} ", style="")
        t.append(p.nexus.status, style=STYLE.get(p.nexus.status if p.nexus.status != "needs_review"
                                                 else "needs_review_nexus", ""))
        t.append("\n")
        for path in p.nexus.paths[:2]:
            if len(path) > 1:
                t.append(f"    {path_text(path)}\n", style="dim")
    return t


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

    shown = [f for f in report.findings if verbose or f.verdict in ATTENTION]
    if shown:
        table = Table(title="Findings that need attention" if not verbose else "All findings", show_lines=True)
        table.add_column("component")
        table.add_column("period")
        table.add_column("verdict")
        table.add_column("rule")
        table.add_column("why")
        order = {v: i for i, v in enumerate(("prohibited", "needs_review", "authorized", "exempt", "permitted",
                                              "out_of_scope"))}
        for f in sorted(shown, key=lambda f: (order[f.verdict], f.component.name, f.model_year or 0)):
            period = f"MY{f.model_year}" if f.import_date is None else str(f.import_date)
            table.add_row(f"{f.component.name} {f.component.version or ''}\n[dim]{f.component.bom_ref}[/dim]",
                          period, Text(f.verdict, style=STYLE[f.verdict]), f.rule or "", _finding_detail(f))
        console.print(table)
    if report.warnings:
        console.print(Group(*(Text(f"warning: {w.source}: {w.text}", style="yellow") for w in report.warnings[:20])))
        if len(report.warnings) > 20:
            console.print(f"… and {len(report.warnings) - 20} more warnings (see --json)")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items(), key=lambda kv: kv[0]))
    console.print(Text(f"Overall: {report.verdict}", style=STYLE[report.verdict]), f"  ({counts})")
