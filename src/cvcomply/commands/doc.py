"""``cvcomply doc``: a Declaration of Conformity as JSON, PDF and HTML (DESIGN.md §4.4, RULE.md §5).

A thin adapter: it screens the manifest (or rebuilds a saved run's Report: ``doc RUN``, DESIGN.md §5), hands the
Report to ``outputs.doc`` and writes three files. ``--final`` records the signing in the store first: the DoC's
JSON, PDF and HTML with the run (a manifest's screening is saved as a run), and the hashes in the audit log. Exit
codes follow ``screen``: 0 written; 1 ``--final`` refused (the blocking findings are listed on stderr and
nothing is written); 2 bad input or usage (:class:`InputError`, printed by the CLI's ``main``).

The signatory is not in the manifest (DESIGN.md §4.1 has no field for it): ``--signatory-name`` and
``--signatory-title`` give it, and a final declaration requires both.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console

from cvcomply.commands import date_option
from cvcomply.formats.errors import InputError
from cvcomply.model import Nexus, Report
from cvcomply.rules.params import Params

if TYPE_CHECKING:
    from cvcomply.outputs.doc import Declaration

__all__ = ["register"]

EXIT_REFUSED = 1
_err = Console(stderr=True, highlight=False)


def doc(
    target: Annotated[str, typer.Argument(metavar="MANIFEST|RUN", help="the program manifest (YAML, DESIGN.md "
                                          "§4.1), or a saved run (id, unique prefix, latest, latest~N)")],
    out_dir: Annotated[Path, typer.Option("--out", help="folder to write doc-<period>.json/.pdf/.html into")],
    model_year: Annotated[int | None, typer.Option("--model-year", help="the model year declared (manufacturer)")
                          ] = None,
    calendar_year: Annotated[int | None, typer.Option("--calendar-year", help="the calendar year declared (VCS "
                                                      "hardware importer, hardware with no model year)")] = None,
    final: Annotated[bool, typer.Option("--final", help="sign: refused while anything is prohibited or needs "
                                        "review")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="date of the transactions assessed (YYYY-MM-DD)")
                     ] = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="the previous DoC JSON: list the material "
                                                  "changes since it")] = None,
    signatory_name: Annotated[str | None, typer.Option("--signatory-name", help="the officer who signs")] = None,
    signatory_title: Annotated[str | None, typer.Option("--signatory-title", help="the signatory's title")] = None,
    assessor: Annotated[str | None, typer.Option("--assessor", help="a third-party assessor (§ 791.315)")] = None,
    assessor_country: Annotated[str | None, typer.Option("--assessor-country", help="the assessor's country, "
                                                         "when the ownership data does not hold it")] = None,
    assessment_date: Annotated[str | None, typer.Option("--assessment-date", help="date of the assessment")] = None,
    assessment_scope: Annotated[str, typer.Option("--assessment-scope", help="what the assessment covered")
                                ] = "VCS hardware and covered software supply chains",
    parameters: Annotated[Path | None, typer.Option("--parameters", help="your own parameter file")] = None,
    database: Annotated[str | None, typer.Option("--database", help="the store (runs, signed DoCs): duckdb:///… or "
                                                 "postgresql://… (default: $CVCOMPLY_DATABASE_URL, else the "
                                                 "DuckDB file in your data directory)")] = None,
) -> None:
    """Write a Declaration of Conformity (JSON + PDF + HTML): a draft, or with --final a signed one."""
    from cvcomply.outputs.doc import Assessment, FinalRefused, Signatory, build_declaration, render_doc_json
    from cvcomply.outputs.doc_change import basis_from_json, change_dict, material_changes
    from cvcomply.outputs.html import render_doc_html
    from cvcomply.outputs.pdf import render_doc_pdf
    from cvcomply.screen import screen

    if (model_year is None) == (calendar_year is None):
        raise InputError("--model-year", "", "give exactly one of --model-year and --calendar-year",
                         fix="--model-year for a manufacturer's vehicles, --calendar-year for imported hardware "
                         "with no model year")
    if final and not (signatory_name and signatory_title):
        raise InputError("--signatory-name", "", "a final declaration needs the signatory's name and title",
                         fix="pass --signatory-name and --signatory-title")
    prior = None
    if previous is not None:
        try:
            prior = basis_from_json(orjson.loads(previous.read_bytes()), str(previous))
        except OSError as e:
            raise InputError(str(previous), "", f"cannot read: {e.strerror}", fix="check the path") from None
        except orjson.JSONDecodeError as e:
            raise InputError(str(previous), "", f"not JSON: {e}", fix="pass a DoC JSON file") from None
    params = Params.load(str(parameters) if parameters else None)
    if Path(target).is_file():
        report = screen(target, as_of=date_option(as_of, "--as-of"), parameters=str(parameters) if parameters else None)
    else:
        if as_of is not None or parameters is not None:
            raise InputError("--as-of", "", "a saved run already has its as-of date and parameters",
                             fix="drop --as-of/--parameters, or pass the manifest instead of the run")
        report = _run_report(target, database)
        params = Params.load(report.program.parameters)
    manifest = report.program.source or target
    assessment = None
    if assessor:
        assessment = Assessment(assessor, date_option(assessment_date, "--assessment-date"), assessment_scope,
                                _assessor_nexus(manifest, assessor, assessor_country, params, report.as_of))
    try:
        decl = build_declaration(report, model_year=model_year, calendar_year=calendar_year, final=final,
                                 signatory=Signatory(signatory_name, signatory_title), assessment=assessment,
                                 params=params)
    except FinalRefused as refused:
        _err.print(f"refused: {refused}", markup=False)
        for b in refused.blocking:
            _err.print(f"  {b.verdict:<12} {b.component} ({b.bom_ref}) {b.rule or ''} — {b.reason}", markup=False)
        if refused.unresolved:
            _err.print("  resolve every party of a declared transaction (decisions.yaml) before signing", markup=False)
        raise typer.Exit(EXIT_REFUSED) from None
    except ValueError as e:
        flag = "--model-year" if model_year is not None else "--calendar-year"
        raise InputError(flag, "", str(e), fix="pick a period the screening holds") from None
    changes = [change_dict(c) for c in material_changes(prior, decl, params)] if prior else None
    stem = f"doc-MY{model_year}" if model_year is not None else f"doc-CY{calendar_year}"
    doc_json, doc_pdf = render_doc_json(decl, changes), render_doc_pdf(decl, changes)
    doc_html = render_doc_html(decl, changes).encode("utf-8")
    if final:  # signing is recorded before any file is written: no signed DoC exists that the store lacks
        _sign(report, decl, doc_json, doc_pdf, doc_html, database)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.json").write_bytes(doc_json)
    (out_dir / f"{stem}.pdf").write_bytes(doc_pdf)
    (out_dir / f"{stem}.html").write_bytes(doc_html)
    kind = "final" if final else f"draft ({len(decl.blocking)} blocking finding(s))"
    _err.print(f"{kind} Declaration of Conformity for {decl.period} written to {out_dir / stem}.json/.pdf/.html",
               markup=False)
    if changes:
        due = sum(1 for c in changes if c["requires_update"])
        _err.print(f"{len(changes)} change(s) since the previous declaration; {due} require an update", markup=False)


def _run_report(ref: str, database: str | None) -> Report:
    """The Report of a saved run (``store.screening.report_of_run``); a name that is neither is bad input."""
    from cvcomply.commands.store import _opened
    from cvcomply.store import StoreError
    from cvcomply.store.runs import resolve_run_id
    from cvcomply.store.screening import report_of_run

    with _opened(database) as store:
        try:
            run_id = resolve_run_id(store, ref)
        except StoreError as e:
            raise InputError(ref, "", f"no such manifest file, and {e}",
                             fix="pass the path of a manifest, or a run id from `cvcomply history`") from None
        return report_of_run(store, run_id)


def _sign(report: Report, decl: Declaration, doc_json: bytes, doc_pdf: bytes, doc_html: bytes,
          database: str | None) -> None:
    """Record the signed DoC with its run (saving the screening as a run first when it came from a manifest)."""
    from dataclasses import replace

    from cvcomply.commands.store import _actor, _opened
    from cvcomply.outputs.json_report import render_json
    from cvcomply.store.docs import record_doc
    from cvcomply.store.runs import new_run_id, save_run

    with _opened(database) as store:
        run_id = report.run_id
        if run_id is None:
            saved = replace(report, run_id=new_run_id())
            run_id = save_run(store, saved, render_json(saved), actor=_actor(None))
        signed_at = decl.signatory.signed_at.isoformat() if decl.signatory.signed_at else None
        rec = record_doc(store, run_id, period=decl.period, doc_json=doc_json, doc_pdf=doc_pdf, doc_html=doc_html,
                         signatory=decl.signatory.name, title=decl.signatory.title, signed_at=signed_at,
                         actor=decl.signatory.name or _actor(None))
    _err.print(f"signed: DoC {rec.doc_sha256[:12]} recorded with run {run_id} (audit entry {rec.audit_seq})",
               markup=False)


def _assessor_nexus(manifest: str, name: str, country: str | None, params: Params, as_of: dt.date) -> Nexus:
    """The assessor's nexus: from the program's ownership data when it holds the assessor, else stated facts."""
    from cvcomply.formats.decisions import read_decisions
    from cvcomply.formats.detect import read_ownership
    from cvcomply.formats.manifest import read_manifest
    from cvcomply.model import Party
    from cvcomply.ownership.unregistered import stated_nexus
    from cvcomply.screen import load_knowledge

    program = read_manifest(manifest)
    facts = [read_ownership(p) for p in (*program.ownership, *program.lists)]
    decisions = read_decisions(program.decisions) if program.decisions else ()
    knowledge = load_knowledge(facts, decisions, params, as_of)
    match = knowledge.resolver.resolve(Party("supplier", name, country.upper() if country else None))
    if match.decision == "match" and match.entity:
        return knowledge.table.get(match.entity)
    return stated_nexus(f"assessor:{name}", name, country.upper() if country else None, knowledge.adversaries,
                        why_unresolved="the assessor is not in the ownership data")


def register(app: typer.Typer) -> None:
    """Mount ``cvcomply doc`` on the CLI's Typer app."""
    app.command("doc")(doc)
