"""Screening lists as evidence, and GLEIF / FtM / CSL facts reaching the report with their source.

Unit tests of ``list_direction_decisions`` (the policy-marked prong-1 seed), then whole programs written by
this project (``tests/programs.py`` plus a GLEIF, FtM or CSL file made here) screened end to end.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import yaml

from cvcomply.model import ControlPolicy, ListEntry, SourceRef
from cvcomply.outputs.json_report import report_dict
from cvcomply.ownership import compute_nexus
from cvcomply.ownership.seeds import list_direction_decisions
from cvcomply.screen import screen
from tests.ownership.helpers import org
from tests.programs import VCS_APP, Org, Part, write_program

ADV = frozenset({"CN", "HK", "MO", "RU"})
DAY = dt.date(2026, 11, 24)
EL = "Entity List (EL) - Bureau of Industry and Security"
MEU = "Military End User (MEU) List - Bureau of Industry and Security"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"


def entry(list_name: str, countries: tuple[str, ...] = ("CN",), entity: str | None = "e1", **kw: Any) -> ListEntry:
    return ListEntry(list_name=list_name, name="Listed Co", countries=countries, entity=entity,
                     source=SourceRef("csl.csv", "row 2"), **kw)


def test_entity_list_and_meu_entries_of_prc_or_russian_parties_are_direction_evidence() -> None:
    (d,) = list_direction_decisions([entry(EL, ("DE", "HK"))], ADV, DAY, ControlPolicy())
    assert (d.kind, d.entity, d.country) == ("direction", "e1", "HK")
    assert "policy" in d.by and "RULE.md §2 prong 1" in d.why and "csl.csv#row 2" in d.why
    assert list_direction_decisions([entry(MEU, ("RU",))], ADV, DAY, ControlPolicy())[0].country == "RU"


def test_no_direction_evidence_from_other_lists_countries_unlinked_or_ended_entries_or_when_switched_off() -> None:
    policy = ControlPolicy()
    for x in (entry(SDN), entry(EL, ("AE",)), entry(EL, entity=None), entry(EL, entity="party:Listed Co"),
              entry(EL, end=dt.date(2025, 1, 1)), entry(EL, start=dt.date(2027, 1, 1))):
        assert list_direction_decisions([x], ADV, DAY, policy) == ()
    off = ControlPolicy(listed_is_direction=False)
    assert list_direction_decisions([entry(EL)], ADV, DAY, off) == ()


def test_listed_german_subsidiary_becomes_covered_by_direction() -> None:
    decisions = list_direction_decisions([entry(EL, ("CN",))], ADV, DAY, ControlPolicy())
    table = compute_nexus([org("e1", "DE")], [], as_of=DAY, policy=ControlPolicy(), adversaries=ADV,
                          decisions=decisions)
    n = table.get("e1")
    assert n.status == "covered" and "direction" in n.prongs and "CN" in n.countries
    # unlisted, the same entity is not covered
    assert compute_nexus([org("e1", "DE")], [], as_of=DAY, policy=ControlPolicy()).get("e1").status != "covered"


# -- whole programs ------------------------------------------------------------------------------------


def _lei(stem: str) -> str:
    body = stem.upper().ljust(18, "0")[:18]
    digits = "".join(str(int(c, 36)) for c in body + "00")
    return body + f"{98 - int(digits) % 97:02d}"


def _add(manifest: Path, key: str, *files: str) -> None:
    """Name ``files`` under ``key`` (``ownership`` or ``lists``); an empty BODS file of write_program is dropped."""
    doc = yaml.safe_load(manifest.read_text())
    keep = [f for f in doc.get(key, []) if (manifest.parent / f).read_bytes().strip() not in (b"[]", b"")]
    doc[key] = [*keep, *files]
    doc["ownership"] = [f for f in doc.get("ownership", [])
                        if (manifest.parent / f).read_bytes().strip() not in (b"[]", b"")]
    manifest.write_text(yaml.safe_dump(doc, sort_keys=False))


def _party(report: dict[str, Any]) -> dict[str, Any]:
    (f,) = [f for f in report["findings"] if f["model_year"] == 2027]
    return dict(f, party=f["parties"][0])


CHILD, PARENT = _lei("TELEMATIKDE"), _lei("DRAGONHOLDCN")
LEI_NS = "http://www.gleif.org/data/schema/leidata/2016"
RR_NS = "http://www.gleif.org/data/schema/rr/2016"


def test_gleif_consolidation_covers_a_german_supplier_with_the_rr_record_as_source(tmp_path: Path) -> None:
    m = write_program(tmp_path, [Part("tcu-os", "tcu-os", "Telematik Werke GmbH", "DE", props=VCS_APP)])
    records = "".join(
        f"<lei:LEIRecord><lei:LEI>{code}</lei:LEI><lei:Entity><lei:LegalName>{name}</lei:LegalName>"
        f"<lei:LegalJurisdiction>{jur}</lei:LegalJurisdiction></lei:Entity></lei:LEIRecord>\n"
        for code, name, jur in ((CHILD, "Telematik Werke GmbH", "DE-BY"), (PARENT, "Dragon Holdings Co., Ltd.", "CN")))
    (tmp_path / "lei.xml").write_text(f'<lei:LEIData xmlns:lei="{LEI_NS}"><lei:LEIRecords>\n{records}'
                                      "</lei:LEIRecords></lei:LEIData>")
    (tmp_path / "rr.xml").write_text(
        f'<rr:RelationshipData xmlns:rr="{RR_NS}"><rr:RelationshipRecords>\n<rr:RelationshipRecord><rr:Relationship>'
        f"<rr:StartNode><rr:NodeID>{CHILD}</rr:NodeID></rr:StartNode><rr:EndNode><rr:NodeID>{PARENT}</rr:NodeID>"
        "</rr:EndNode><rr:RelationshipType>IS_DIRECTLY_CONSOLIDATED_BY</rr:RelationshipType>"
        "<rr:RelationshipPeriods><rr:RelationshipPeriod><rr:StartDate>2020-01-01T00:00:00Z</rr:StartDate>"
        "<rr:PeriodType>RELATIONSHIP_PERIOD</rr:PeriodType></rr:RelationshipPeriod></rr:RelationshipPeriods>"
        "</rr:Relationship></rr:RelationshipRecord>\n</rr:RelationshipRecords></rr:RelationshipData>")
    _add(m, "ownership", "lei.xml", "rr.xml")
    f = _party(report_dict(screen(str(m))))
    assert f["verdict"] == "prohibited"
    nexus = f["party"]["nexus"]
    assert nexus["status"] == "covered" and nexus["countries"] == ["CN"]
    steps = nexus["paths"][0]
    assert steps[0]["entity"] == PARENT and steps[0]["interest"] == "consolidation"
    assert steps[0]["source"] == "rr.xml#line 2"


def test_gleif_withheld_parent_makes_the_supplier_need_review(tmp_path: Path) -> None:
    m = write_program(tmp_path, [Part("tcu-os", "tcu-os", "Telematik Werke GmbH", "DE", props=VCS_APP)])
    (tmp_path / "lei.json").write_bytes(orjson.dumps([
        {"LEI": CHILD, "Entity": {"LegalName": "Telematik Werke GmbH", "LegalJurisdiction": "DE"}},
        {"LEI": CHILD, "ExceptionCategory": "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT",
         "ExceptionReason": "NON_PUBLIC"}]))
    _add(m, "ownership", "lei.json")
    f = _party(report_dict(screen(str(m))))
    assert f["verdict"] == "needs_review" and f["party"]["nexus"]["status"] == "needs_review"
    assert "NON_PUBLIC" in orjson.dumps(f["party"]["nexus"]).decode()


def test_ftm_ownership_covers_the_supplier_with_the_ftm_line_as_source(tmp_path: Path) -> None:
    m = write_program(tmp_path, [Part("v2x", "v2x-stack", "Baltic Radio OU", "EE", props=VCS_APP)])
    lines = [
        {"id": "ru1", "schema": "Company", "properties": {"name": ["Volga Systems JSC"], "jurisdiction": ["ru"]}},
        {"id": "ee1", "schema": "Company", "properties": {"name": ["Baltic Radio OU"], "jurisdiction": ["ee"]}},
        {"id": "own1", "schema": "Ownership",
         "properties": {"owner": ["ru1"], "asset": ["ee1"], "percentage": ["more than 75%"]}},
    ]
    (tmp_path / "owners.ftm.json").write_bytes(b"\n".join(orjson.dumps(x) for x in lines))
    _add(m, "ownership", "owners.ftm.json")
    f = _party(report_dict(screen(str(m))))
    assert f["verdict"] == "prohibited" and f["party"]["nexus"]["countries"] == ["RU"]
    step = f["party"]["nexus"]["paths"][0][0]
    assert (step["entity"], step["source"]) == ("ru1", "owners.ftm.json#line 3")


def test_csl_entity_list_row_flags_and_directs_a_registered_supplier(tmp_path: Path) -> None:
    m = write_program(tmp_path, [Part("modem", "modem-fw-app", "Nordlicht Modems AG", "CH", props=VCS_APP)],
                      [Org("ch1", "Nordlicht Modems AG", "CH")])
    header = ("source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,"
              "standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,"
              "gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,"
              "dates_of_birth,nationalities,places_of_birth,source_information_url,ids")
    row = f'"{EL}",,,,"Nordlicht Modems AG",,"9 Keji Road, Shenzhen, CN",,2024-01-02' + "," * 19
    (tmp_path / "csl.csv").write_text(header + "\n" + row + "\n")
    _add(m, "lists", "csl.csv")
    f = _party(report_dict(screen(str(m))))
    assert f["flags"] == [f"{EL}: Nordlicht Modems AG"]
    nexus = f["party"]["nexus"]
    assert nexus["status"] == "covered" and "direction" in nexus["prongs"] and f["verdict"] == "prohibited"
    assert "csl.csv#row 2" in orjson.dumps(nexus).decode()


def test_csl_sdn_row_flags_an_unregistered_party_of_exactly_that_name_without_seeding(tmp_path: Path) -> None:
    m = write_program(tmp_path, [Part("app", "nav-app", "Sunrise Trading FZE", "AE", props=VCS_APP)])
    (tmp_path / "csl.json").write_bytes(orjson.dumps([
        {"source": SDN, "name": "Sunrise Trading FZE", "alt_names": [], "addresses": [{"country": "AE"}]}]))
    _add(m, "lists", "csl.json")
    f = _party(report_dict(screen(str(m))))
    assert f["flags"] == [f"{SDN}: Sunrise Trading FZE"]
    assert f["party"]["nexus"]["status"] == "needs_review"  # unresolved AE party: reading 10, not the list
