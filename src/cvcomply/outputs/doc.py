"""Declarations of Conformity (§ 791.305, RULE.md §5): the document a declarant files, built from a Report.

Why a model of its own (and not a template over the Report): a DoC is a *statement* a named officer signs,
per model year (connected vehicle manufacturer) or per calendar year (VCS hardware importer of hardware with
no model year). Each section carries the clause it rests on and RULE.md's verification tag, because most of
§ 791.305's detail was not retrieved ([U]): counsel must be able to see at a glance which wording is ours.

This module only arranges what the pipeline decided (DESIGN.md §1: outputs compute no verdicts): blocking
findings are the period's ``prohibited`` and ``needs_review`` ones, the due-diligence counts are counts of
the match results and nexus caveats the report already holds. No I/O here; the command reads and writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import orjson

from cvcomply.model import Finding, Nexus, PartyResult, Report
from cvcomply.model.program import Role
from cvcomply.rules.params import Param, Params

__all__ = [
    "Assessment",
    "AuthorizationRelied",
    "Basis",
    "BlockingFinding",
    "Declaration",
    "DocBasis",
    "DueDiligence",
    "FinalRefused",
    "Item",
    "Signatory",
    "SourceFile",
    "Supplier",
    "blocking_findings",
    "build_declaration",
    "doc_dict",
    "render_doc_json",
]

MANUFACTURER: Role = "connected-vehicle-manufacturer"
IMPORTER: Role = "vcs-hardware-importer"
BLOCKING = ("prohibited", "needs_review")
DOC_FORMAT = 1
NO_OWNERSHIP_DATA = "no ownership data"


@dataclass(frozen=True, slots=True)
class Basis:
    """The clause a section rests on and how sure RULE.md is of it ([V]/[S]/[U]); [U] = counsel must check."""

    cite: str
    tag: Literal["V", "S", "U"]
    note: str = ""

    @property
    def u_tagged(self) -> bool:
        return self.tag == "U"


# The bases of the sections (RULE.md §5 unless noted). Only the section *text* of § 791.305 is [U]: the
# trigger and the timing are [S]; § 791.312 and § 791.315 were retrieved ([V]).
B_DECLARANT = Basis("15 CFR 791.305", "U", "filer identification, ownership and contact: § 791.305 text not retrieved")
B_VEHICLE = Basis("15 CFR 791.305", "U", "make, model and trim per model year: § 791.305 text not retrieved")
B_HARDWARE = Basis("15 CFR 791.305", "U", "the hardware units declared: § 791.305 text not retrieved")
B_CERTIFICATION = Basis("15 CFR 791.305", "U", "cvcomply's wording of the attestation; the rule's text was not "
                        "retrieved")
B_SOFTWARE = Basis("15 CFR 791.305; 15 CFR 791.301 'foreign interest'", "U",
                   "the trigger is [S] (any foreign interest, Honigman); the definition of foreign interest is [U]")
B_RETENTION = Basis("15 CFR 791.305; 15 CFR 791.312", "U",
                    "HBOM/SBOM retained and produced on request ([U]); records kept 10 years ([V] § 791.312)")
B_DILIGENCE = Basis("15 CFR 791.305", "U", "what a due-diligence description must hold was not retrieved")
B_GA = Basis("15 CFR 791.306", "V", "GA-authorized transactions need no DoC")
B_SA = Basis("15 CFR 791.307", "U", "whether an SA-covered transaction needs a DoC was not retrieved")
B_ASSESSMENT = Basis("15 CFR 791.315", "V", "voluntary for DoC filers (c); an assessment may satisfy due diligence "
                     "(d, truncated)")
B_SIGNATORY = Basis("15 CFR 791.305", "U", "who must sign was not retrieved; cvcomply asks for a named officer")
B_FILING = Basis("15 CFR 791.305", "S", "at least 60 days before the first import or sale; annually")
B_MATERIAL_CHANGE = Basis("15 CFR 791.305", "U", "material-change update deadline unconfirmed (one low-reliability "
                          "source: 60 days)")


class FinalRefused(Exception):
    """A final declaration was asked for while findings of the period are prohibited or need review."""

    def __init__(self, blocking: Sequence[BlockingFinding], unresolved: int) -> None:
        self.blocking = tuple(blocking)
        self.unresolved = unresolved
        what = [f"{len(self.blocking)} blocking finding(s)"] if self.blocking else []
        what += [f"{unresolved} unresolved part(y/ies)"] if unresolved else []
        super().__init__("a final Declaration of Conformity is refused: " + " and ".join(what))


@dataclass(frozen=True, slots=True)
class Supplier:
    """A party of a declared item, as resolved: the country is the entity's, else the one the BOM states."""

    role: str
    name: str
    country: str | None
    entity: str | None
    nexus: str
    foreign: bool


@dataclass(frozen=True, slots=True)
class Item:
    """A declared component: covered software with a foreign interest, or a VCS hardware unit."""

    finding: str
    bom_ref: str
    name: str
    version: str | None
    purl: str | None
    verdict: str
    authorization: str | None
    suppliers: tuple[Supplier, ...]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """An input the screening read: kind ``bom`` (retained as HBOM/SBOM), ``ownership``, ``list`` or ``other``."""

    file: str
    sha256: str
    kind: str


@dataclass(frozen=True, slots=True)
class DueDiligence:
    """What was checked and how: every number is a count over the report's own match and nexus results."""

    as_of: dt.date
    rule_version: str
    policy_version: str
    sources: tuple[SourceFile, ...]
    parties: int
    resolved_by: Mapping[str, int]  # identifier | name | decision → distinct parties
    decisions: tuple[tuple[str, str], ...]  # (party as the BOM states it, entity) settled by a reviewer
    unresolved: tuple[str, ...]  # parties of in-DoC findings with no registry match (must be empty)
    no_ownership_data: tuple[str, ...]  # entities cleared with the "no ownership data" caveat
    declarant_nexus: str


@dataclass(frozen=True, slots=True)
class AuthorizationRelied:
    id: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    findings: tuple[str, ...]
    basis: Basis


@dataclass(frozen=True, slots=True)
class Assessment:
    """An optional third-party assessment (§ 791.315): the assessor must not be PRC/Russia-linked."""

    assessor: str
    date: dt.date | None
    scope: str
    nexus: Nexus | None = None  # the assessor's nexus, when the registry knows it

    @property
    def eligible(self) -> bool | None:
        """False when the assessor is adversary-linked (§ 791.315(b)(1)), None when that is unknown."""
        if self.nexus is None or self.nexus.status == "needs_review":
            return None
        return self.nexus.status != "covered"


@dataclass(frozen=True, slots=True)
class Signatory:
    """The officer who signs; ``signed_at`` only on a final declaration (the one field allowed to vary)."""

    name: str | None
    title: str | None
    signed_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class BlockingFinding:
    finding: str
    component: str
    bom_ref: str
    verdict: str
    rule: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class DocBasis:
    """What this declaration rests on, kept in its JSON so the next screening can be compared to it."""

    findings: tuple[tuple[str, str, str], ...]  # (finding id, verdict, component name)
    inputs: tuple[tuple[str, str], ...]  # (file, sha256)
    declarant_nexus: str
    authorizations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Declaration:
    """One Declaration of Conformity: a model year's (manufacturer) or a calendar year's (importer)."""

    status: Literal["draft", "final"]
    program: str
    model_year: int | None
    calendar_year: int | None
    declarant: str
    roles: tuple[str, ...]
    country: str | None
    identifiers: tuple[tuple[str, str], ...]
    vehicle: tuple[str, str, tuple[str, ...]] | None  # (make, model, trims)
    doc_required: bool
    doc_reasons: tuple[str, ...]
    lead_time_days: int
    frequency: str
    retention_years: int
    covered_software: tuple[Item, ...]
    hardware_units: tuple[Item, ...]
    due_diligence: DueDiligence
    authorizations: tuple[AuthorizationRelied, ...]
    assessment: Assessment | None
    signatory: Signatory
    blocking: tuple[BlockingFinding, ...]
    basis: DocBasis
    as_of: dt.date

    @property
    def period(self) -> str:
        return f"model year {self.model_year}" if self.model_year is not None else f"calendar year {self.calendar_year}"

    @property
    def certification(self) -> str:
        """The attestation, in cvcomply's wording ([U]: the rule's text was not retrieved)."""
        if self.vehicle is not None and self.model_year is not None:
            make, model, trims = self.vehicle
            what = f"model year {self.model_year} {make} {model}" + (f" ({', '.join(trims)})" if trims else "")
            subject = f"the completed connected vehicles {what}"
        else:
            subject = f"the VCS hardware it imports in {self.period}"
        auth = ", except as authorized under the authorizations listed in this declaration" if self.authorizations \
            else ""
        return (f"{self.declarant} certifies that, for {subject}, it has not engaged and will not engage in any "
                f"transaction prohibited by 15 CFR 791.302, 791.303 or 791.304{auth}; that it has exercised due "
                "diligence as described in this declaration; and that the information given is true, accurate and "
                "complete to the best of its knowledge.")

    @property
    def retention(self) -> str:
        kinds = [k for k, role in (("HBOM", IMPORTER), ("SBOM", MANUFACTURER)) if role in self.roles]
        boms = " and ".join(kinds) or "bill of materials"
        return (f"{self.declarant} retains the {boms} listed below (identified by SHA-256) and will produce them to "
                f"BIS on request; records of each transaction are kept for at least {self.retention_years} years "
                "(15 CFR 791.312).")


def _country(p: PartyResult) -> str | None:
    return p.entity_country or p.party.country


def _supplier(p: PartyResult, domestic: frozenset[str]) -> Supplier:
    country = _country(p)
    return Supplier(role=p.party.role, name=p.party.name, country=country,
                    entity=p.entity_name if p.match.decision == "match" else None, nexus=p.nexus.status,
                    foreign=country not in domestic)


def _item(f: Finding, domestic: frozenset[str]) -> Item:
    c = f.component
    return Item(finding=f.id, bom_ref=c.bom_ref, name=c.name, version=c.version, purl=c.purl, verdict=f.verdict,
                authorization=f.authorization, suppliers=tuple(_supplier(p, domestic) for p in f.parties))


def _period_findings(report: Report, model_year: int | None, calendar_year: int | None) -> list[Finding]:
    if model_year is not None:
        return [f for f in report.findings if f.model_year == model_year]
    return [f for f in report.findings
            if f.model_year is None and f.import_date is not None and f.import_date.year == calendar_year]


def blocking_findings(findings: Iterable[Finding]) -> tuple[BlockingFinding, ...]:
    """The findings that stop a final declaration: prohibited first, then those that need review."""
    rows = [BlockingFinding(f.id, f.component.name, f.component.bom_ref, f.verdict, f.rule,
                            f.reasons[0].text if f.reasons else "")
            for f in findings if f.verdict in BLOCKING]
    return tuple(sorted(rows, key=lambda b: (BLOCKING.index(b.verdict), b.component.casefold(), b.bom_ref, b.finding)))


def _kind(file: str, report: Report) -> str:
    base = Path(report.program.source).resolve().parent if report.program.source else Path.cwd()
    target = (base / file).resolve()
    program = report.program
    for kind, paths in (("bom", program.boms), ("ownership", program.ownership), ("list", program.lists)):
        if any((base / p).resolve() == target for p in paths):
            return kind
    return "other"


def _in_doc(f: Finding) -> bool:
    """A transaction the declaration speaks for: § 791.308-exempt and out-of-scope items need no DoC."""
    return f.verdict not in ("out_of_scope", "exempt")


def _diligence(report: Report, findings: Sequence[Finding]) -> DueDiligence:
    parties: dict[tuple[str, str | None], PartyResult] = {}
    for f in findings:
        if f.verdict == "out_of_scope":
            continue
        for p in f.parties:
            parties.setdefault((p.party.name, p.party.country), p)
    resolved: dict[str, int] = {"identifier": 0, "name": 0, "decision": 0}
    for p in parties.values():
        if p.match.decision == "match" and p.match.method in resolved:
            resolved[p.match.method] += 1
    decisions = sorted({(p.party.name, p.entity_name or p.match.entity or "") for p in parties.values()
                        if p.match.decision == "match" and p.match.method == "decision"})
    unresolved = sorted({p.party.name for f in findings if _in_doc(f) for p in f.parties
                         if p.match.decision != "match"}, key=str.casefold)
    caveated = sorted({p.entity_name or p.party.name for p in parties.values()
                       if any(NO_OWNERSHIP_DATA in c for c in p.nexus.caveats)}, key=str.casefold)
    return DueDiligence(
        as_of=report.as_of, rule_version=report.rule_version, policy_version=report.policy_version,
        sources=tuple(SourceFile(file, sha, _kind(file, report)) for file, sha in report.inputs),
        parties=len(parties), resolved_by=resolved, decisions=tuple(decisions), unresolved=tuple(unresolved),
        no_ownership_data=tuple(caveated), declarant_nexus=report.declarant_nexus.status,
    )


def _authorizations(report: Report, findings: Sequence[Finding], params: Params) -> tuple[AuthorizationRelied, ...]:
    used: dict[str, list[str]] = {}
    for f in findings:
        if f.authorization:
            used.setdefault(f.authorization, []).append(f.id)
    out = []
    for auth_id in sorted(used):
        listed = next((a for a in report.program.authorizations if a.id == auth_id), None)
        kind = listed.kind if listed else ("general" if params.general_authorization(auth_id) else "specific")
        out.append(AuthorizationRelied(auth_id, kind, listed.valid_from if listed else None,
                                       listed.valid_to if listed else None, tuple(sorted(used[auth_id])),
                                       B_GA if kind == "general" else B_SA))
    return tuple(out)


def build_declaration(report: Report, *, model_year: int | None = None, calendar_year: int | None = None,
                      signatory: Signatory | None = None, assessment: Assessment | None = None,
                      final: bool = False, signed_at: dt.datetime | None = None,
                      params: Params | None = None) -> Declaration:
    """The DoC of one period of ``report``: a draft, or (``final``) a signed one.

    Exactly one of ``model_year`` / ``calendar_year`` (an importer's hardware with no model year, grouped by
    import date). ``final`` raises :class:`FinalRefused` while the period has prohibited or needs-review
    findings, or a party of a declared transaction is unresolved; it needs a signatory with name and title
    and stamps ``signed_at`` (default: now, UTC). ``ValueError`` for a period the report does not hold.
    """
    if (model_year is None) == (calendar_year is None):
        raise ValueError("give exactly one of model_year and calendar_year")
    params = params or Params.load()
    program = report.program
    roles = program.declarant.roles
    if calendar_year is not None and IMPORTER not in roles:
        raise ValueError(f"a calendar-year declaration is for a VCS hardware importer; the declarant's roles are "
                         f"{', '.join(roles)}")
    findings = _period_findings(report, model_year, calendar_year)
    if not findings:
        held = [f"model year {p.model_year}" for p in report.model_years] + sorted(
            {f"calendar year {p.import_date.year}" for p in report.import_dates if p.import_date})
        period = f"model year {model_year}" if model_year is not None else f"calendar year {calendar_year}"
        raise ValueError(f"the screening has no finding for {period}; it holds: {', '.join(held) or 'nothing'}")
    if model_year is not None:
        summaries = [p for p in report.model_years if p.model_year == model_year]
    else:
        summaries = [p for p in report.import_dates if p.import_date and p.import_date.year == calendar_year]
    domestic = frozenset(params.get("domestic_countries", report.as_of).value)
    blocking = blocking_findings(findings)
    diligence = _diligence(report, findings)
    if final:
        if blocking or diligence.unresolved:
            raise FinalRefused(blocking, len(diligence.unresolved))
        if signatory is None or not signatory.name or not signatory.title:
            raise ValueError("a final declaration needs the signatory's name and title")
        signatory = replace(signatory, signed_at=signed_at or dt.datetime.now(dt.UTC).replace(microsecond=0))
    else:
        signatory = replace(signatory, signed_at=None) if signatory else Signatory(None, None)
    vehicle = program.vehicle
    software = tuple(_item(f, domestic) for f in findings
                     if MANUFACTURER in roles and f.component.kind == "software"
                     and f.classification.covered_software and f.foreign_interest and f.verdict != "out_of_scope")
    hardware = tuple(_item(f, domestic) for f in findings
                     if IMPORTER in roles and f.component.kind == "hardware"
                     and f.classification.vcs_hardware and f.verdict != "out_of_scope")
    authorizations = _authorizations(report, findings, params)
    basis = DocBasis(findings=tuple(sorted((f.id, f.verdict, f.component.name) for f in findings)),
                     inputs=tuple(sorted(report.inputs)), declarant_nexus=report.declarant_nexus.status,
                     authorizations=tuple(a.id for a in authorizations))
    lead, freq = params.get("doc_lead_time_days", report.as_of), params.get("doc_frequency", report.as_of)
    keep = params.get("record_retention_years", report.as_of)
    return Declaration(
        status="final" if final else "draft", program=program.name, model_year=model_year,
        calendar_year=calendar_year, declarant=program.declarant.name, roles=tuple(roles),
        country=program.declarant.country, identifiers=tuple(program.declarant.identifiers),
        vehicle=(vehicle.make, vehicle.model, tuple(vehicle.trims)) if vehicle and model_year is not None else None,
        doc_required=any(s.doc_required for s in summaries),
        doc_reasons=tuple(r for s in summaries for r in s.doc_reasons),
        lead_time_days=int(lead.value), frequency=str(freq.value), retention_years=int(keep.value),
        covered_software=software, hardware_units=hardware, due_diligence=diligence,
        authorizations=authorizations, assessment=assessment, signatory=signatory, blocking=blocking,
        basis=basis, as_of=report.as_of,
    )


# ---- JSON ------------------------------------------------------------------------------------------------


def _basis(b: Basis) -> dict[str, Any]:
    return {"cite": b.cite, "tag": b.tag, "u_tagged": b.u_tagged, "note": b.note}


def _supplier_dict(s: Supplier) -> dict[str, Any]:
    return {"role": s.role, "name": s.name, "country": s.country, "entity": s.entity, "nexus": s.nexus,
            "foreign": s.foreign}


def _item_dict(i: Item) -> dict[str, Any]:
    return {"finding": i.finding, "bom_ref": i.bom_ref, "name": i.name, "version": i.version, "purl": i.purl,
            "verdict": i.verdict, "authorization": i.authorization,
            "suppliers": [_supplier_dict(s) for s in i.suppliers]}


def _nexus_brief(n: Nexus | None) -> dict[str, Any] | None:
    if n is None:
        return None
    return {"status": n.status, "countries": list(n.countries), "prongs": list(n.prongs),
            "reasons": [{"text": r.text, "cite": r.cite} for r in n.reasons]}


def _body(d: Declaration) -> dict[str, Any]:
    dd = d.due_diligence
    a = d.assessment
    return {
        "cvcomply_doc": DOC_FORMAT,
        "status": d.status,
        "program": d.program,
        "period": {"model_year": d.model_year, "calendar_year": d.calendar_year, "label": d.period},
        "as_of": d.as_of.isoformat(),
        "filing": {"doc_required": d.doc_required, "reasons": list(d.doc_reasons),
                   "lead_time_days": d.lead_time_days, "frequency": d.frequency, "basis": _basis(B_FILING)},
        "declarant": {"name": d.declarant, "roles": list(d.roles), "country": d.country,
                      "identifiers": [{"scheme": s, "id": i} for s, i in d.identifiers],
                      "nexus": dd.declarant_nexus, "basis": _basis(B_DECLARANT)},
        "vehicle": None if d.vehicle is None else {
            "make": d.vehicle[0], "model": d.vehicle[1], "trims": list(d.vehicle[2]), "model_year": d.model_year,
            "basis": _basis(B_VEHICLE)},
        "certification": {"text": d.certification, "basis": _basis(B_CERTIFICATION)},
        "covered_software": {"items": [_item_dict(i) for i in d.covered_software], "basis": _basis(B_SOFTWARE)},
        "hardware_units": {"items": [_item_dict(i) for i in d.hardware_units], "basis": _basis(B_HARDWARE)},
        "retention": {"text": d.retention, "retention_years": d.retention_years,
                      "boms": [{"file": s.file, "sha256": s.sha256} for s in dd.sources if s.kind == "bom"],
                      "basis": _basis(B_RETENTION)},
        "due_diligence": {
            "as_of": dd.as_of.isoformat(), "rule_version": dd.rule_version, "policy_version": dd.policy_version,
            "sources": [{"file": s.file, "sha256": s.sha256, "kind": s.kind, "read_as_of": dd.as_of.isoformat()}
                        for s in dd.sources],
            "parties": dd.parties,
            "resolved_by": dict(dd.resolved_by),
            "decisions": [{"party": p, "entity": e} for p, e in dd.decisions],
            "unresolved_count": len(dd.unresolved), "unresolved": list(dd.unresolved),
            "no_ownership_data_count": len(dd.no_ownership_data), "no_ownership_data": list(dd.no_ownership_data),
            "basis": _basis(B_DILIGENCE)},
        "authorizations": [{"id": x.id, "kind": x.kind,
                            "valid_from": x.valid_from.isoformat() if x.valid_from else None,
                            "valid_to": x.valid_to.isoformat() if x.valid_to else None,
                            "findings": list(x.findings), "basis": _basis(x.basis)} for x in d.authorizations],
        "assessment": None if a is None else {
            "assessor": a.assessor, "date": a.date.isoformat() if a.date else None, "scope": a.scope,
            "eligible": a.eligible, "nexus": _nexus_brief(a.nexus), "basis": _basis(B_ASSESSMENT)},
        "signatory": {"name": d.signatory.name, "title": d.signatory.title, "basis": _basis(B_SIGNATORY)},
        "blocking": [{"finding": b.finding, "component": b.component, "bom_ref": b.bom_ref, "verdict": b.verdict,
                      "rule": b.rule, "reason": b.reason} for b in d.blocking],
        "basis": {"findings": [{"id": i, "verdict": v, "component": c} for i, v, c in d.basis.findings],
                  "inputs": [{"file": f, "sha256": h} for f, h in d.basis.inputs],
                  "declarant_nexus": d.basis.declarant_nexus, "authorizations": list(d.basis.authorizations)},
    }


def doc_id(d: Declaration) -> str:
    """A content hash of the declaration without its signing time: the same screening gives the same id."""
    return hashlib.sha256(orjson.dumps(_body(d), option=orjson.OPT_SORT_KEYS)).hexdigest()[:20]


def doc_dict(d: Declaration, changes: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The declaration as JSON-ready data (``cvcomply_doc: 1``, docs/doc-schema.md)."""
    body = _body(d)
    body["signatory"]["signed_at"] = d.signatory.signed_at.isoformat() if d.signatory.signed_at else None
    return {"doc_id": doc_id(d), **body, "material_changes": None if changes is None else list(changes)}


def render_doc_json(d: Declaration, changes: Sequence[Mapping[str, Any]] | None = None) -> bytes:
    return orjson.dumps(doc_dict(d, changes), option=orjson.OPT_INDENT_2) + b"\n"


def material_change_param(params: Params, at: dt.date) -> Param:
    """The material-change deadline: a parameter when the file has one, else cvcomply's [U] default of 60 days."""
    try:
        return params.get("doc_material_change_days", at)
    except KeyError:
        return Param("doc_material_change_days", 60, B_MATERIAL_CHANGE.cite, "U", None, None, B_MATERIAL_CHANGE.note)
