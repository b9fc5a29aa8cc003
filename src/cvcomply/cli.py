"""The command line (Typer + Rich): a thin adapter over the pipeline; no domain logic here.

Exit codes (DESIGN.md §4.4): 0 nothing prohibited and nothing to review; 1 something prohibited;
3 something needs review and nothing is prohibited; 2 bad input or usage (the message names the
file, the place in it and the fix — never a traceback).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from cvcomply.commands import date_option
from cvcomply.formats.errors import InputError, Issue
from cvcomply.model import Report

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Screen vehicle programs against the US Connected Vehicles rule (15 CFR 791 subpart D).")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_PROHIBITED, EXIT_BAD_INPUT, EXIT_REVIEW = 0, 1, 2, 3


class FailOn(str, Enum):
    prohibited = "prohibited"
    review = "review"


def exit_code(report: Report, fail_on: FailOn = FailOn.review) -> int:
    """The exit code of ``screen`` for a report (DESIGN.md §4.4)."""
    if report.counts.get("prohibited"):
        return EXIT_PROHIBITED
    if report.counts.get("needs_review") and fail_on is FailOn.review:
        return EXIT_REVIEW
    return EXIT_OK


class _Bars:
    """Progress bars on stderr, only when stderr is a terminal (never mixed into --json output)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 TextColumn("{task.completed}/{task.total}"),
                                 TimeElapsedColumn(), console=err, transient=True, disable=not enabled)
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done)


@app.command()
def screen(
    manifest: Annotated[Path, typer.Argument(help="the program manifest (YAML, DESIGN.md §4.1)")],
    json: Annotated[bool, typer.Option("--json", help="print the JSON report (cvcomply_report: 1) to stdout")] = False,
    html: Annotated[Path | None, typer.Option("--html", help="also write a self-contained HTML report here")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="also write the compliance report as PDF here")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="date of the transactions assessed (YYYY-MM-DD)")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="'review' (default): exit 3 when something needs "
                                            "review; 'prohibited': exit non-zero only when something is prohibited")
                       ] = FailOn.review,
    parameters: Annotated[Path | None, typer.Option("--parameters", help="your own parameter file (counsel's "
                                                    "reading) instead of the packaged one")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="list every finding, not only those that need "
                                          "attention")] = False,
    no_save: Annotated[bool, typer.Option("--no-save", help="do not record this run in the store")] = False,
    registry_store: Annotated[bool, typer.Option("--registry-store", help="also use the registry facts and reviewer "
                                                 "decisions loaded into the store (cvcomply registry load)")
                              ] = False,
    database: Annotated[str | None, typer.Option("--database", help="store URL: duckdb:///file.duckdb or "
                                                 "postgresql://… (default: $CVCOMPLY_DATABASE_URL, else a DuckDB "
                                                 "file in your data directory)")] = None,
) -> None:
    """Screen a vehicle program: a verdict per component and model year, with its reasons and clause."""
    from cvcomply.outputs.json_report import render_json
    from cvcomply.outputs.terminal import render_terminal
    from cvcomply.rules.params import Params
    from cvcomply.screen import screen as run

    day = date_option(as_of, "--as-of")
    params_file = str(parameters) if parameters else None
    bars = _Bars(enabled=err.is_terminal and not json)
    with bars.progress if bars.enabled else nullcontext():
        if registry_store:
            from cvcomply.store import open_store
            from cvcomply.store.screening import screen_with_registry

            with open_store(database) as store:
                report = screen_with_registry(store, str(manifest), as_of=day, parameters=params_file,
                                              progress=bars if bars.enabled else None)
        else:
            report = run(str(manifest), as_of=day, parameters=params_file, progress=bars if bars.enabled else None)
    params = Params.load(str(parameters) if parameters else report.program.parameters)
    if not no_save:
        report = _save(report, database)
    if json:
        sys.stdout.buffer.write(render_json(report))
        sys.stdout.flush()
    else:
        render_terminal(report, out, verbose=verbose)
    if html:
        from cvcomply.outputs.html import render_html

        html.write_text(render_html(report, params), encoding="utf-8")
        if not json:
            out.print(f"HTML report written to {html}")
    if pdf:
        from cvcomply.outputs.pdf import render_report_pdf

        pdf.write_bytes(render_report_pdf(report, params))
        if not json:
            out.print(f"PDF report written to {pdf}")
    raise typer.Exit(exit_code(report, fail_on))


def _save(report: Report, database: str | None) -> Report:
    """Record the run (DESIGN.md §5); a store that cannot be written is a warning, never a lost report."""
    from dataclasses import replace

    from cvcomply.outputs.json_report import render_json
    from cvcomply.store import new_run_id, open_store, save_run

    saved = replace(report, run_id=new_run_id())
    try:
        with open_store(database) as store:
            save_run(store, saved, render_json(saved))
    except Exception as e:  # any store failure (locked file, server down …): warn, never lose the report
        err.print(f"warning: the run was not saved to the store ({e}); use --no-save to skip saving", markup=False)
        return report
    return saved


@app.command()
def explain(
    entity: Annotated[str, typer.Argument(help="an entity id, identifier (e.g. an LEI) or exact name")],
    registry: Annotated[list[Path], typer.Option("--registry", help="ownership data file(s): BODS …")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="read ownership as of this date (YYYY-MM-DD)")] = None,
    json: Annotated[bool, typer.Option("--json", help="print the nexus as JSON")] = False,
    parameters: Annotated[Path | None, typer.Option("--parameters", help="your own parameter file")] = None,
) -> None:
    """Explain an entity's nexus to a foreign adversary, with its evidence paths."""
    from cvcomply.formats.detect import read_ownership
    from cvcomply.outputs.json_report import nexus_dict
    from cvcomply.outputs.terminal import nexus_lines
    from cvcomply.ownership import compute_nexus
    from cvcomply.ownership.foreign import ForeignHolders
    from cvcomply.registry import Registry
    from cvcomply.rules.params import Params

    params = Params.load(str(parameters) if parameters else None)
    day = date_option(as_of, "--as-of") or dt.date.today()
    reg = Registry.build(read_ownership(str(p)) for p in registry)
    hits = reg.find(entity)
    if not hits:
        raise InputError(entity, "", "no entity with this id, identifier or name in the registry files",
                         fix="check the spelling, or pass the file that holds it with --registry")
    if len(hits) > 1:
        names = "; ".join(f"{e.id} ({e.name})" for e in hits[:10])
        raise InputError(entity, "", f"{len(hits)} entities fit: {names}", fix="pass one of these ids instead")
    table = compute_nexus(list(reg.entities.values()), reg.holdings, as_of=day, policy=params.policy(),
                          adversaries=params.adversaries(day))
    nexus = ForeignHolders(table.graph, params.get("domestic_countries", day).value).attach(table.get(hits[0].id))
    if json:
        sys.stdout.buffer.write(orjson.dumps({"as_of": day.isoformat(), "policy_version": params.policy_version,
                                              "name": hits[0].name, **nexus_dict(nexus)},
                                             option=orjson.OPT_INDENT_2) + b"\n")
    else:
        out.print(f"[bold]{hits[0].name}[/bold] ({hits[0].id}) as of {day}")
        for line in nexus_lines(nexus):
            out.print(line, markup=False)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="BOM, ownership or manifest files")],
    json: Annotated[bool, typer.Option("--json", help="print the results as JSON")] = False,
) -> None:
    """Validate files strictly against their formats' schemas; exit 0 when all are valid, 2 otherwise."""
    from cvcomply.formats.detect import validate_file

    checked: list[tuple[str, str, list[Issue]]] = []
    for f in files:
        try:
            fmt, issues = validate_file(str(f))
        except InputError as e:
            fmt, issues = "unknown", list(e.issues)
        checked.append((str(f), fmt, issues))
    if json:
        results = [{"file": name, "format": fmt, "valid": not issues,
                    "errors": [{"location": i.location, "message": i.message, "fix": i.fix} for i in issues]}
                   for name, fmt, issues in checked]
        sys.stdout.buffer.write(orjson.dumps(results, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        for name, fmt, issues in checked:
            mark = "[green]valid[/green]" if not issues else f"[red]{len(issues)} error(s)[/red]"
            out.print(f"{name}: {fmt} {mark}")
            for i in issues:
                out.print(f"  {i.location or '/'}: {i.message}" + (f" — {i.fix}" if i.fix else ""), markup=False)
    raise typer.Exit(EXIT_OK if not any(issues for _, _, issues in checked) else EXIT_BAD_INPUT)


@app.command()
def resolve(
    names: Annotated[list[str], typer.Argument(help="party names as a BOM gives them")],
    registry: Annotated[list[Path], typer.Option("--registry", help="ownership data file(s)")],
    country: Annotated[str | None, typer.Option("--country", help="the country the BOM states (ISO alpha-2)")] = None,
    json: Annotated[bool, typer.Option("--json", help="print the results as JSON")] = False,
    match_threshold: Annotated[float, typer.Option("--match-threshold", help="score for an automatic match")] = 0.92,
    review_threshold: Annotated[float, typer.Option("--review-threshold", help="score for a review candidate")
                                ] = 0.75,
) -> None:
    """Resolve party names to registry entities: match, review (with candidates) or none, with reasons."""
    from cvcomply.formats.detect import read_ownership
    from cvcomply.registry import Registry
    from cvcomply.resolve import Resolver, Thresholds

    try:
        thresholds = Thresholds(match=match_threshold, review=review_threshold)
    except ValueError as bad:
        raise InputError("--match-threshold/--review-threshold", "", str(bad),
                         fix="use 0 <= review <= match <= 1") from None
    reg = Registry.build(read_ownership(str(p)) for p in registry)
    resolver = Resolver(reg.entities.values(), thresholds=thresholds)

    def entity(eid: str | None) -> dict[str, str | None] | None:
        e = reg.get(eid) if eid else None
        return {"id": e.id, "name": e.name, "country": e.jurisdiction} if e else None

    matches = [(name, resolver.resolve_name(name, country.upper() if country else None)) for name in names]
    if json:
        results = [{"query": name, "decision": m.decision, "entity": entity(m.entity), "score": round(m.score, 4),
                    "reasons": list(m.reasons),
                    "features": [{"feature": f, "compared": c, "contribution": round(v, 4)} for f, c, v in m.features],
                    "candidates": [{**(entity(c) or {"id": c}), "score": round(sc, 4)} for c, sc in m.candidates]}
                   for name, m in matches]
        sys.stdout.buffer.write(orjson.dumps(results, option=orjson.OPT_INDENT_2) + b"\n")
        return
    for name, m in matches:
        hit = entity(m.entity)
        target = f" → {hit['name']} ({hit['id']}, {hit['country']})" if hit else ""
        out.print(f"{name}: {m.decision}{target} score {m.score:.2f}", markup=False)
        for reason in m.reasons:
            out.print(f"  {reason}", markup=False)
        for c, sc in m.candidates:
            ce = entity(c)
            out.print(f"  candidate {ce['name'] if ce else c} ({c}) {sc:.2f}", markup=False)


def _mount() -> None:
    """Commands that live beside their stage (DoC in outputs/, store commands in store/)."""
    from cvcomply.commands.doc import register as register_doc
    from cvcomply.commands.review import register as register_review
    from cvcomply.commands.store import register as register_store

    register_doc(app)
    register_review(app)
    register_store(app)


_mount()


def main() -> None:
    """Entry point: bad input and usage errors exit 2 with a message, never a traceback."""
    try:
        rc = app(standalone_mode=False)
        sys.exit(rc if isinstance(rc, int) else EXIT_OK)
    except InputError as e:
        err.print(f"error: {e}", markup=False)
        sys.exit(EXIT_BAD_INPUT)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    except Exception as e:  # the click usage errors and anything unforeseen
        import click

        if isinstance(e, click.ClickException):
            e.show(file=sys.stderr)
            sys.exit(EXIT_BAD_INPUT)
        if os.environ.get("CVCOMPLY_DEBUG"):
            raise
        err.print(f"error: {type(e).__name__}: {e} (set CVCOMPLY_DEBUG=1 for the traceback)", markup=False)
        sys.exit(EXIT_BAD_INPUT)


if __name__ == "__main__":
    main()
