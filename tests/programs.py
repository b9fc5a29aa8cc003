"""Small vehicle programs written by the tests themselves (made by this project, not third-party data).

``write_program`` lays out a manifest, one CycloneDX 1.6 BOM and one BODS 0.4 ownership file in a folder, so
CLI and end-to-end tests can run the whole pipeline on facts they control.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml


@dataclass
class Org:
    id: str
    name: str
    country: str
    lei: str | None = None


@dataclass
class Stake:
    holder: str
    subject: str
    share: float
    interest: str = "shareholding"
    end: str | None = None


@dataclass
class Part:
    ref: str
    name: str
    supplier: str | None
    supplier_country: str | None = None
    type: str = "application"
    props: dict[str, str] = field(default_factory=dict)


def _statement_id(name: str) -> str:
    """A BODS 0.4 statementId (32–64 characters) that still reads as the test's own name."""
    return f"cvcomply-test-{name}".ljust(32, "0")


def bods(orgs: Sequence[Org], stakes: Sequence[Stake]) -> list[dict[str, Any]]:
    """Schema-valid BODS 0.4 statements for ``orgs`` and ``stakes`` (a report built on them has no warnings)."""
    pub = {"publicationDate": "2026-01-01", "bodsVersion": "0.4", "publisher": {"name": "cvcomply tests"}}
    out: list[dict[str, Any]] = []
    for o in orgs:
        details: dict[str, Any] = {"isComponent": False, "entityType": {"type": "registeredEntity"}, "name": o.name,
                                   "jurisdiction": {"name": o.country, "code": o.country}}
        if o.lei:
            details["identifiers"] = [{"scheme": "XI-LEI", "id": o.lei}]
        out.append({"statementId": _statement_id(f"s-{o.id}"), "declarationSubject": o.id,
                    "statementDate": "2026-01-01", "recordId": o.id,
                    "recordStatus": "new", "recordType": "entity", "publicationDetails": pub,
                    "recordDetails": details})
    for i, s in enumerate(stakes):
        interest: dict[str, Any] = {"type": s.interest, "directOrIndirect": "direct",
                                    "beneficialOwnershipOrControl": False, "share": {"exact": s.share},
                                    "startDate": "2020-01-01"}
        if s.end:
            interest["endDate"] = s.end
        out.append({"statementId": _statement_id(f"s-rel-{i}"), "declarationSubject": s.subject,
                    "statementDate": "2026-01-01", "recordId": f"rel-{i}",
                    "recordStatus": "new", "recordType": "relationship", "publicationDetails": pub,
                    "recordDetails": {"isComponent": False, "subject": s.subject, "interestedParty": s.holder,
                                      "interests": [interest]}})
    return out


def cyclonedx(parts: Sequence[Part]) -> dict[str, Any]:
    comps = []
    for p in parts:
        c: dict[str, Any] = {"type": p.type, "bom-ref": p.ref, "name": p.name, "version": "1.0",
                             "purl": f"pkg:generic/{p.ref}@1.0"}
        if p.supplier:
            c["supplier"] = {"name": p.supplier}
            if p.supplier_country:
                c["supplier"]["address"] = {"country": p.supplier_country}
        if p.props:
            c["properties"] = [{"name": f"cvcomply:{k}", "value": v} for k, v in p.props.items()]
        comps.append(c)
    return {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "components": comps}


def write_program(folder: Path, parts: Sequence[Part], orgs: Sequence[Org] = (), stakes: Sequence[Stake] = (),
                  model_years: Sequence[int] = (2027,), **program: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bom.cdx.json").write_bytes(orjson.dumps(cyclonedx(parts)))
    (folder / "owners.bods.json").write_bytes(orjson.dumps(bods(orgs, stakes)))
    manifest: dict[str, Any] = {
        "cvcomply": 1,
        "program": {
            "name": "Test program",
            "declarant": {"name": "Test Motors LLC", "role": "connected-vehicle-manufacturer", "country": "US"},
            "vehicle": {"make": "Test", "model": "One", "model_years": list(model_years), "gvwr_lbs": 5000,
                        "ads_level": 2},
            "purpose": "sale",
        },
        "boms": ["bom.cdx.json"],
        "ownership": ["owners.bods.json"],
        "as_of": "2026-11-24",
    }
    manifest["program"].update(program)
    (folder / "program.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return folder / "program.yaml"


VCS_APP = {"function": "vcs", "software-kind": "application"}
