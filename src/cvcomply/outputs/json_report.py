"""The JSON report, ``cvcomply_report: 1``, exactly as DESIGN.md §4.3 fixes it (fields are only ever added)."""

from __future__ import annotations

from typing import Any

import orjson

from cvcomply.formats.jsonutil import paused_gc
from cvcomply.model import Finding, Nexus, PartyResult, PathStep, Reason, Report
from cvcomply.model.report import PeriodSummary


def _reasons(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    return [{"text": r.text, "cite": r.cite} for r in reasons]


def _step(s: PathStep) -> dict[str, Any]:
    return {"entity": s.entity, "name": s.name, "share": s.share, "interest": s.interest, "country": s.country,
            "source": s.source}


def nexus_dict(n: Nexus) -> dict[str, Any]:
    """An entity's nexus as the report, ``explain --json`` and the API show it."""
    return {
        "entity": n.entity,
        "status": n.status,
        "countries": list(n.countries),
        "prongs": list(n.prongs),
        "paths": [[_step(s) for s in path] for path in n.paths],
        "reasons": _reasons(n.reasons),
        "caveats": list(n.caveats),
        "adversary_share": n.adversary_share,
        "exposure": n.exposure,
        "history": list(n.history),
        "foreign_holders": list(n.foreign_holders),
    }


class _Shared:
    """The parts of findings that many findings share, made into JSON data once per report.

    A supplier recurs across thousands of components: its match and nexus are one object each in the
    report, so their data is built once and referenced (the serialiser writes each reference in full)."""

    def __init__(self) -> None:
        self._nexus: dict[int, tuple[Nexus, dict[str, Any]]] = {}
        self._match: dict[int, tuple[object, dict[str, Any]]] = {}

    def nexus(self, n: Nexus) -> dict[str, Any]:
        hit = self._nexus.get(id(n))
        if hit is None:  # the object is kept beside its data, so its id is not reused while this lives
            hit = self._nexus[id(n)] = (n, nexus_dict(n))
        return hit[1]

    def match(self, p: PartyResult) -> dict[str, Any]:
        m = p.match
        hit = self._match.get(id(m))
        if hit is None:
            hit = self._match[id(m)] = (m, {
                "decision": m.decision, "method": m.method, "score": round(m.score, 4), "reasons": list(m.reasons),
                "features": [{"feature": f, "compared": c, "contribution": round(v, 4)} for f, c, v in m.features],
                "candidates": [{"entity": c, "score": round(s, 4)} for c, s in m.candidates]})
        return hit[1]


def _party(p: PartyResult, shared: _Shared) -> dict[str, Any]:
    m = p.match
    return {
        "role": p.party.role,
        "name": p.party.name,
        "country": p.party.country,
        "source": str(p.party.source) if p.party.source else None,
        "entity": {"id": m.entity, "name": p.entity_name, "country": p.entity_country} if p.entity_name else None,
        "match": shared.match(p),
        "nexus": shared.nexus(p.nexus),
    }


def finding_dict(f: Finding, shared: _Shared | None = None) -> dict[str, Any]:
    shared = shared or _Shared()
    c = f.component
    src = c.source
    out: dict[str, Any] = {
        "id": f.id,
        "model_year": f.model_year,
    }
    if f.import_date is not None:
        out["import_date"] = f.import_date.isoformat()
    out |= {
        "component": {
            "bom_ref": c.bom_ref, "name": c.name, "version": c.version, "purl": c.purl, "kind": c.kind,
            "type": c.type, "parent": c.parent,
            "source": str(src) if src else None,
        },
        "classification": {
            "vcs_hardware": f.classification.vcs_hardware,
            "covered_software": f.classification.covered_software,
            "excluded_by": f.classification.excluded_by,
            "unclear": f.classification.unclear,
            "reasons": _reasons(f.classification.reasons),
        },
        "parties": [_party(p, shared) for p in f.parties],
        "verdict": f.verdict,
        "rule": f.rule,
        "reasons": _reasons(f.reasons),
        "authorization": f.authorization,
        "foreign_interest": f.foreign_interest,
        "flags": list(f.flags),
        "trace": list(f.trace),
    }
    return out


def _period(s: PeriodSummary) -> dict[str, Any]:
    head: dict[str, Any] = (
        {"import_date": s.import_date.isoformat()} if s.import_date is not None else {"model_year": s.model_year}
    )
    return head | {"verdict": s.verdict, "doc_required": s.doc_required, "doc_reasons": list(s.doc_reasons),
                   "counts": dict(sorted(s.counts.items()))}


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    p = report.program
    d = p.declarant
    shared = _Shared()
    return {
        "cvcomply_report": 1,
        "rule_version": report.rule_version,
        "policy_version": report.policy_version,
        "as_of": report.as_of.isoformat(),
        "run_id": report.run_id,
        "program": {
            "name": p.name,
            "purpose": p.purpose,
            "declarant": {"name": d.name, "roles": list(d.roles), "country": d.country,
                          "nexus": nexus_dict(report.declarant_nexus)},
            "vehicle": None if p.vehicle is None else {
                "make": p.vehicle.make, "model": p.vehicle.model, "trims": list(p.vehicle.trims),
                "model_years": list(p.vehicle.model_years), "gvwr_lbs": p.vehicle.gvwr_lbs,
                "ads_level": p.vehicle.ads_level, "imported": p.vehicle.imported},
            "hardware_imports": [x.isoformat() for x in p.hardware_imports],
        },
        "model_years": [_period(s) for s in report.model_years],
        "import_dates": [_period(s) for s in report.import_dates],
        "findings": [finding_dict(f, shared) for f in report.findings],
        "summary": {"verdict": report.verdict, "counts": dict(sorted(report.counts.items())),
                    "findings": len(report.findings)},
        "inputs": [{"file": f, "sha256": h} for f, h in report.inputs],
        "warnings": [{"source": w.source, "text": w.text} for w in report.warnings],
    }


def render_json(report: Report) -> bytes:
    with paused_gc():  # ~40 small dicts and lists per finding, none in a cycle: the collector would walk them all
        data = report_dict(report)
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
