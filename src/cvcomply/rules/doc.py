"""Does a period need a Declaration of Conformity? (§ 791.305 as RULE.md §5 digests it; text not retrieved.)

Manufacturers: a model year ≥ ``doc_manufacturer_start_my`` whose vehicles are imported or sold and carry
covered software with any foreign interest, even a non-adversary one (RULE.md §12.15). Importers: any VCS
hardware import that is not prohibited and not exempt. Neither counts a § 791.308-exempt or a
GA-authorized transaction [V]; whether an SA-covered one needs a DoC is [U] and is the parameter
``doc_required_for_specific_authorization`` (default true: file one, the conservative reading).
Findings whose classification is unclear count too, and say so: "should have known" (RULE.md §12.18).
"""

from __future__ import annotations

from collections.abc import Sequence

from cvcomply.model import Finding, Program
from cvcomply.rules.params import Params, Trace

MANUFACTURER = "connected-vehicle-manufacturer"
IMPORTER = "vcs-hardware-importer"


def _authorization_kind(program: Program, params: Params, auth_id: str) -> str:
    listed = next((a for a in program.authorizations if a.id == auth_id), None)
    if listed is not None:
        return listed.kind
    return "general" if params.general_authorization(auth_id) is not None else "specific"


def doc_required(program: Program, findings: Sequence[Finding], params: Params,
                 trace: Trace | None = None) -> tuple[bool, tuple[str, ...]]:
    """(DoC required?, reasons with cites) for the findings of ONE period (a model year or an import date)."""
    trace = trace if trace is not None else Trace()
    if not findings:
        return False, ()
    sa = params.get("doc_required_for_specific_authorization")
    trace.param(sa)

    def excused(f: Finding) -> bool:
        if f.verdict in ("out_of_scope", "exempt"):
            return True
        if f.verdict == "authorized" and f.authorization:
            return _authorization_kind(program, params, f.authorization) == "general" or not sa.value
        return False

    my, imported_on = findings[0].model_year, findings[0].import_date
    period = f"model year {my}" if my is not None else (f"the import of {imported_on}" if imported_on
                                                        else "hardware with no model year or import date")
    reasons: list[str] = []
    roles = program.declarant.roles
    if MANUFACTURER in roles and program.vehicle is not None:
        start = params.get("doc_manufacturer_start_my")
        trace.param(start)
        transacts = program.purpose == "sale" or program.vehicle.imported
        if my is not None and my >= start.value and transacts:
            for f in findings:
                cls = f.classification
                software = f.component.kind == "software" and (cls.covered_software or cls.unclear
                                                               or cls.legacy_conditional)
                if software and f.foreign_interest and not excused(f):
                    note = " (classification unclear, counted)" if cls.unclear else ""
                    auth = f" under specific authorization {f.authorization}" if f.verdict == "authorized" else ""
                    reasons.append(f"{period}: covered software {f.component.name!r} has a foreign interest"
                                   f"{note}{auth} ({f.verdict}) — {start.cite} [{start.tag}]")
    if IMPORTER in roles:
        hw_start = params.get("hardware_prohibition_start_my")
        no_my = params.get("hardware_no_my_import_start")
        if my is not None:
            trace.param(hw_start)
            dated_exempt = my < hw_start.value
        else:
            trace.param(no_my)
            dated_exempt = imported_on is not None and imported_on < no_my.value
        if not dated_exempt:
            for f in findings:
                cls = f.classification
                hardware = f.component.kind == "hardware" and (cls.vcs_hardware or cls.unclear)
                if hardware and f.verdict != "prohibited" and not excused(f):
                    note = " (classification unclear, counted)" if cls.unclear else ""
                    when = " (import date unknown, counted)" if my is None and imported_on is None else ""
                    reasons.append(f"{period}: VCS hardware {f.component.name!r} is imported and not prohibited"
                                   f"{note}{when} ({f.verdict}) — 15 CFR 791.305 [S]")
    if reasons:
        lead, freq = params.get("doc_lead_time_days"), params.get("doc_frequency")
        trace.param(lead)
        trace.param(freq)
        reasons.append(f"file at least {lead.value} days before the first import or sale, {freq.value} "
                       f"— {lead.cite} [{lead.tag}]")
        trace.clause("15 CFR 791.305", f"{period}: Declaration of Conformity required")
        return True, tuple(reasons)
    trace.clause("15 CFR 791.305", f"{period}: no Declaration of Conformity required")
    return False, (f"{period}: no transaction needs a Declaration of Conformity (none of covered software with a "
                   "foreign interest from the start model year, or of non-prohibited VCS hardware imports, that is "
                   "not § 791.308-exempt or GA-authorized) — 15 CFR 791.305 [S]",)
