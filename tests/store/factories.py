"""Small made-up programs, facts and reports for the store tests (made by the project, not third-party)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from cvcomply.model import (
    Classification,
    Component,
    Declarant,
    Entity,
    Finding,
    Holding,
    ListEntry,
    MatchResult,
    Nexus,
    OwnershipFacts,
    Party,
    PartyResult,
    Program,
    Reason,
    Report,
    SourceRef,
    Vehicle,
    Verdict,
    worst,
)
from cvcomply.outputs.json_report import render_json
from cvcomply.store.codec import canonical, sha256


def facts(source: str, *entities: Entity, holdings: tuple[Holding, ...] = (),
          entries: tuple[ListEntry, ...] = ()) -> OwnershipFacts:
    """A source whose content hash is the hash of its facts (as a file's bytes would be)."""
    body = canonical({"e": list(entities), "h": list(holdings), "l": list(entries)})
    return OwnershipFacts(source=source, format="test", entities=entities, holdings=holdings, list_entries=entries,
                          sha256=sha256(source.encode() + body))


def org(eid: str, name: str, country: str, record: str | None = None) -> Entity:
    return Entity(eid, name, jurisdiction=country, sources=(SourceRef("made.json", f"/{eid}", record or eid),))


def stake(holder: str, subject: str, share: float, record: str | None = None) -> Holding:
    return Holding(holder, subject, "shareholding", share=share,
                   source=SourceRef("made.json", f"/{holder}-{subject}", record or f"{holder}-{subject}"))


def program(base: Path, name: str = "Test EV") -> Program:
    """A program whose manifest and BOM files exist under ``base`` (so their bytes can be kept)."""
    base.mkdir(parents=True, exist_ok=True)
    manifest, bom = base / "program.yaml", base / "bom.cdx.json"
    if not manifest.exists():
        manifest.write_text("cvcomply: 1\n# made by the cvcomply tests\n")
    if not bom.exists():
        bom.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}\n')
    return Program(name=name, declarant=Declarant("Test Motors LLC", ("connected-vehicle-manufacturer",), "US"),
                   vehicle=Vehicle("Test", "EV", (2027,)), purpose="sale", boms=(str(bom),), source=str(manifest))


def finding(ref: str, verdict: Verdict, entity: str | None, *, status: str = "clear", version: str = "1.0",
            flags: tuple[str, ...] = (), model_year: int = 2027) -> Finding:
    comp = Component(bom_ref=ref, name=f"part {ref}", kind="software", type="application", version=version,
                     source=SourceRef("bom.cdx.json", f"/components/{ref}"))
    party = Party("supplier", f"Supplier of {ref}")
    match = MatchResult("match" if entity else "none", "name" if entity else "none", entity, 1.0 if entity else 0)
    nexus = Nexus(entity or f"party:{ref}", status, reasons=(Reason(f"{status} as made for the test"),))  # type: ignore[arg-type]
    return Finding(id=sha256(f"bom.cdx.json|{ref}|{model_year}".encode())[:16], component=comp, model_year=model_year,
                   classification=Classification(False, True), parties=(PartyResult(party, match, nexus,
                                                                                    entity_name=entity),),
                   verdict=verdict, rule="15 CFR 791.303(b)" if verdict == "prohibited" else None,
                   reasons=(Reason("made for the test"),), flags=flags)


def report(prog: Program, findings: list[Finding], *, rule_version: str = "cfr791d-2025-01",
           as_of: dt.date = dt.date(2026, 11, 24), run_id: str | None = None) -> tuple[Report, bytes]:
    r = Report(program=prog, declarant_nexus=Nexus("party:Test Motors LLC", "clear"), as_of=as_of,
               rule_version=rule_version, policy_version="cvcomply-default/1", model_years=(), import_dates=(),
               findings=tuple(findings), verdict=worst(f.verdict for f in findings),
               counts=dict(Counter(f.verdict for f in findings)), inputs=(), run_id=run_id)
    return r, render_json(r)
