"""End-to-end scenarios of RULE.md §12 and DESIGN.md §3, through the whole pipeline on programs made here.

Each case writes a small program (tests/programs.py: manifest + CycloneDX 1.6 BOM + BODS 0.4 file, all invented),
screens it, and checks the verdict, the clause and the period — the stages' own unit tests check the details.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from cvcomply.model import Finding, Report
from cvcomply.screen import screen
from tests.programs import VCS_APP, Org, Part, Stake, write_program

US = Org("us", "Plainfield Software Inc", "US")
JP = Org("jp", "Sakura Denki K.K.", "JP")
CN = Org("cn", "Shenzhen Testing Technology Co., Ltd.", "CN")
KY = Org("ky", "Caymanite Holdings Ltd", "KY")
DE = Org("de", "Rheinwerk Telematik GmbH", "DE")
ORGS = [US, JP, CN, KY, DE]
CHAIN = [Stake("cn", "ky", 100), Stake("ky", "de", 60)]
TCU = {"vcs-category": "telematics-unit", "rf-max-mhz": "2400"}


def run(tmp_path: Path, parts: list[Part], *, orgs: list[Org] = ORGS, stakes: list[Stake] = CHAIN,
        model_years: tuple[int, ...] = (2026, 2027, 2030), **program: Any) -> Report:
    return screen(str(write_program(tmp_path, parts, orgs, stakes, model_years=model_years, **program)))


def one(report: Report, ref: str, year: int | None = None, day: dt.date | None = None) -> Finding:
    hits = [f for f in report.findings if f.component.bom_ref == ref and f.model_year == year
            and f.import_date == day]
    assert len(hits) == 1, [(f.component.bom_ref, f.model_year, f.import_date) for f in report.findings]
    return hits[0]


def test_software_of_a_prc_chain_supplier_by_model_year(tmp_path: Path) -> None:
    r = run(tmp_path, [Part("os", "tcu-os", "Rheinwerk Telematik GmbH", "DE", props=VCS_APP)])
    assert one(r, "os", 2026).verdict == "exempt"  # § 791.308(b)
    f = one(r, "os", 2027)
    assert (f.verdict, f.rule) == ("prohibited", "15 CFR 791.303(b)")
    path = f.parties[0].nexus.paths[0]
    assert [s.entity for s in path] == ["cn", "ky", "de"]
    assert r.verdict == "prohibited"
    assert r.warnings == ()  # the programs tests write are valid CycloneDX 1.6 and BODS 0.4: nothing to warn of


def test_imported_vehicle_cites_both_paragraphs(tmp_path: Path) -> None:
    vehicle = {"make": "T", "model": "One", "model_years": [2027], "gvwr_lbs": 5000, "ads_level": 2, "imported": True}
    r = run(tmp_path, [Part("os", "tcu-os", "Rheinwerk Telematik GmbH", "DE", props=VCS_APP)], vehicle=vehicle)
    assert one(r, "os", 2027).rule == "15 CFR 791.303(a), (b)"


@pytest.mark.parametrize(("country", "verdict_2027", "verdict_2026"), [
    ("HK", "prohibited", "exempt"),   # §12.3: stated HK, not in the registry → jurisdiction prong
    ("MO", "prohibited", "exempt"),
    (None, "needs_review", "exempt"),  # reading 10 + 11: unknown link, exempt whatever it is
    ("FR", "needs_review", "exempt"),
])
def test_party_in_no_registry_is_judged_on_its_stated_country(tmp_path: Path, country: str | None,
                                                              verdict_2027: str, verdict_2026: str) -> None:
    r = run(tmp_path, [Part("app", "remote-app", "Unlisted Vendor Ltd", country, props=VCS_APP)])
    assert one(r, "app", 2027).verdict == verdict_2027
    assert one(r, "app", 2026).verdict == verdict_2026


def test_no_party_at_all_needs_review(tmp_path: Path) -> None:
    r = run(tmp_path, [Part("app", "remote-app", None, props=VCS_APP)])
    assert one(r, "app", 2027).verdict == "needs_review"


def test_doc_trigger_follows_foreign_interest(tmp_path: Path) -> None:
    us_only = run(tmp_path / "us", [Part("a", "nav", "Plainfield Software Inc", "US", props=VCS_APP)])
    jp = run(tmp_path / "jp", [Part("a", "nav", "Sakura Denki K.K.", "JP", props=VCS_APP)])
    [y27] = [y for y in us_only.model_years if y.model_year == 2027]
    assert one(us_only, "a", 2027).verdict == "permitted" and not y27.doc_required
    [y27] = [y for y in jp.model_years if y.model_year == 2027]
    assert one(jp, "a", 2027).verdict == "permitted" and y27.doc_required  # RULE.md §12.15
    [y26] = [y for y in jp.model_years if y.model_year == 2026]
    assert not y26.doc_required


@pytest.mark.parametrize(("gvwr", "verdict"), [(10000.0, "prohibited"), (10001, "out_of_scope")])
def test_gvwr_boundary(tmp_path: Path, gvwr: float, verdict: str) -> None:
    vehicle = {"make": "T", "model": "One", "model_years": [2027], "gvwr_lbs": gvwr, "ads_level": 2}
    r = run(tmp_path, [Part("os", "tcu-os", "Shenzhen Testing Technology Co., Ltd.", "CN", props=VCS_APP)],
            vehicle=vehicle)
    assert one(r, "os", 2027).verdict == verdict


def test_loose_hardware_importer_by_import_date(tmp_path: Path) -> None:
    declarant = {"name": "Test Imports LLC", "role": "vcs-hardware-importer", "country": "US"}
    path = write_program(tmp_path, [Part("tcu", "tcu", "Shenzhen Testing Technology Co., Ltd.", "CN", type="device",
                                         props=TCU),
                                    Part("tcu-my", "tcu-repair", "Shenzhen Testing Technology Co., Ltd.", "CN",
                                         type="device", props={**TCU, "model-year": "2028"})],
                         ORGS, CHAIN, declarant=declarant, hardware_imports=["2028-12-31", "2029-01-01"])
    text = path.read_text().replace("  vehicle:", "  old_vehicle:")
    data = yaml.safe_load(text)
    data["program"].pop("old_vehicle")
    path.write_text(yaml.safe_dump(data))
    r = screen(str(path))
    assert one(r, "tcu", None, dt.date(2028, 12, 31)).verdict == "exempt"
    late = one(r, "tcu", None, dt.date(2029, 1, 1))
    assert (late.verdict, late.rule) == ("prohibited", "15 CFR 791.302(a)")
    assert one(r, "tcu-my", 2028).verdict == "exempt"  # judged by its model year (reading 13)
    assert [s.import_date for s in r.import_dates] == [dt.date(2028, 12, 31), dt.date(2029, 1, 1)]
    assert [s.model_year for s in r.model_years] == [2028]


def test_vehicle_program_with_hardware_imports_judges_hardware_both_ways(tmp_path: Path) -> None:
    # DESIGN.md §4.1's manifest has a vehicle and hardware_imports: the vehicle's hardware by model year, and
    # the same hardware imported on its own by import date (or by its model-year hint); software by model year.
    declarant = {"name": "Test Motors LLC", "role": ["connected-vehicle-manufacturer", "vcs-hardware-importer"],
                 "country": "US"}
    r = run(tmp_path, [Part("tcu", "tcu", "Shenzhen Testing Technology Co., Ltd.", "CN", type="device", props=TCU),
                       Part("tcu-my", "tcu-repair", "Shenzhen Testing Technology Co., Ltd.", "CN", type="device",
                            props={**TCU, "model-year": "2028"}),
                       Part("os", "nav-os", "Shenzhen Testing Technology Co., Ltd.", "CN", props=VCS_APP)],
            model_years=(2027, 2030), declarant=declarant, hardware_imports=["2028-12-31", "2029-01-01"])
    assert one(r, "tcu", 2027).verdict == "exempt" and one(r, "tcu", 2030).verdict == "prohibited"
    assert one(r, "tcu", None, dt.date(2028, 12, 31)).verdict == "exempt"
    assert (one(r, "tcu", None, dt.date(2029, 1, 1)).verdict, one(r, "tcu", None, dt.date(2029, 1, 1)).rule) == (
        "prohibited", "15 CFR 791.302(a)")
    assert one(r, "tcu-my", 2028).verdict == "exempt"  # the unit imported on its own, by its hint (reading 13)
    assert not [f for f in r.findings if f.component.bom_ref == "tcu-my" and f.import_date is not None]
    assert not [f for f in r.findings if f.component.bom_ref == "os" and f.import_date is not None]
    assert [s.import_date for s in r.import_dates] == [dt.date(2028, 12, 31), dt.date(2029, 1, 1)]
    assert [s.model_year for s in r.model_years] == [2027, 2028, 2030]


def test_manufacturer_without_importer_role_reviews_adversary_hardware(tmp_path: Path) -> None:
    r = run(tmp_path, [Part("tcu", "tcu", "Shenzhen Testing Technology Co., Ltd.", "CN", type="device", props=TCU)])
    assert one(r, "tcu", 2030).verdict == "needs_review"  # reading 2: confirm the importer of record
    assert one(r, "tcu", 2027).verdict == "exempt"


def test_adversary_controlled_manufacturer_791_304(tmp_path: Path) -> None:
    orgs = [*ORGS, Org("decl", "Test Motors LLC", "US")]
    stakes = [*CHAIN, Stake("cn", "decl", 51)]
    parts = [Part("os", "nav-os", "Plainfield Software Inc", "US", props=VCS_APP)]
    r = run(tmp_path, parts, orgs=orgs, stakes=stakes)
    assert r.declarant_nexus.status == "covered"
    f = one(r, "os", 2027)
    assert f.verdict == "prohibited" and "791.304" in (f.rule or "")
    assert one(r, "os", 2026).verdict == "exempt"


@pytest.mark.parametrize(("props", "verdict"), [
    ({"vcs-category": "other-wireless", "rf-max-mhz": "433.92"}, "out_of_scope"),  # §12.10 key fob
    ({"vcs-category": "bluetooth-module", "rf-max-mhz": "2480"}, "needs_review"),  # VCS hw, no importer role
    ({"vcs-category": "passive"}, "out_of_scope"),
    ({"function": "none", "vcs-category": "mcu"}, "out_of_scope"),
])
def test_hardware_classification(tmp_path: Path, props: dict[str, str], verdict: str) -> None:
    r = run(tmp_path, [Part("hw", "part", "Shenzhen Testing Technology Co., Ltd.", "CN", type="device",
                            props=props)])
    assert one(r, "hw", 2030).verdict == verdict


@pytest.mark.parametrize(("props", "verdict"), [
    ({"function": "vcs", "software-kind": "firmware"}, "out_of_scope"),  # §12.9
    ({"function": "vcs", "software-kind": "os"}, "prohibited"),
    ({"function": "vcs", "open-source": "unmodified"}, "out_of_scope"),  # §12.7
    ({"function": "vcs", "open-source": "modified-proprietary"}, "prohibited"),
    ({"function": "ads"}, "out_of_scope"),  # Level 2 vehicle: not ADS (§12.11)
    ({"function": "vcs", "completed-before": "2025-06-01", "maintained-by": "Plainfield Software Inc"},
     "out_of_scope"),  # §12.8 legacy, maintained by a clear party
    ({"function": "vcs", "completed-before": "2025-06-01"}, "needs_review"),  # reading 7
    ({"function": "vcs", "completed-before": "2026-06-01"}, "prohibited"),  # after the cut-off: not legacy
])
def test_software_classification(tmp_path: Path, props: dict[str, str], verdict: str) -> None:
    r = run(tmp_path, [Part("sw", "stack", "Shenzhen Testing Technology Co., Ltd.", "CN", props=props)])
    assert one(r, "sw", 2027).verdict == verdict


def test_level_3_ads_stack_is_covered(tmp_path: Path) -> None:
    vehicle = {"make": "T", "model": "One", "model_years": [2027], "gvwr_lbs": 5000, "ads_level": 3}
    r = run(tmp_path, [Part("sw", "pilot", "Shenzhen Testing Technology Co., Ltd.", "CN", props={"function": "ads"})],
            vehicle=vehicle)
    assert one(r, "sw", 2027).verdict == "prohibited"


def test_authorizations(tmp_path: Path) -> None:
    parts = [Part("os", "tcu-os", "Shenzhen Testing Technology Co., Ltd.", "CN", props=VCS_APP)]
    sa = [{"id": "SA-1", "kind": "specific", "valid_from": "2026-06-01", "valid_to": "2027-05-31",
           "components": ["pkg:generic/os@1.0"], "model_years": [2027]}]
    r = screen(str(_with(write_program(tmp_path / "sa", parts, ORGS, CHAIN, model_years=(2027, 2030)),
                         authorizations=sa)))
    assert one(r, "os", 2027).verdict == "authorized" and one(r, "os", 2027).authorization == "SA-1"
    assert one(r, "os", 2030).verdict == "prohibited"
    expired = [{**sa[0], "valid_to": "2026-10-31"}]
    r = screen(str(_with(write_program(tmp_path / "old", parts, ORGS, CHAIN, model_years=(2027,)),
                         authorizations=expired)))
    assert one(r, "os", 2027).verdict == "prohibited"  # reading 9: checked at as_of 2026-11-24
    # Testing a US-built vehicle is no sale and no import: nothing to authorize (§ 791.303 binds sale/import).
    plain = screen(str(write_program(tmp_path / "test", parts, ORGS, CHAIN, model_years=(2027,), purpose="testing")))
    assert one(plain, "os", 2027).verdict == "permitted"
    # Importing it for testing would be prohibited by § 791.303(a); GA-1 (purpose testing) authorizes it.
    vehicle = {"make": "T", "model": "One", "model_years": [2027], "gvwr_lbs": 5000, "imported": True}
    ga = [{"id": "GA-1", "kind": "general", "purpose": "testing"}]
    manifest = write_program(tmp_path / "ga", parts, ORGS, CHAIN, purpose="testing", vehicle=vehicle)
    assert one(screen(str(manifest)), "os", 2027).verdict == "prohibited"
    r = screen(str(_with(manifest, authorizations=ga)))
    assert (one(r, "os", 2027).verdict, one(r, "os", 2027).authorization) == ("authorized", "GA-1")


def _with(manifest: Path, **top: Any) -> Path:
    data = yaml.safe_load(manifest.read_text())
    data.update(top)
    manifest.write_text(yaml.safe_dump(data, sort_keys=False))
    return manifest


def test_minority_passive_stake_needs_review_and_ended_stake_is_history(tmp_path: Path) -> None:
    orgs = [*ORGS, Org("gb", "Minority Chips Ltd", "GB"), Org("gb2", "Thames Owner Ltd", "GB"),
            Org("gb3", "Formerly Owned Ltd", "GB")]
    stakes = [Stake("cn", "gb", 20), Stake("gb2", "gb", 45), Stake("cn", "gb3", 51, end="2025-06-30")]
    parts = [Part("a", "app-a", "Minority Chips Ltd", "GB", props=VCS_APP),
             Part("b", "app-b", "Formerly Owned Ltd", "GB", props=VCS_APP)]
    r = run(tmp_path, parts, orgs=orgs, stakes=stakes)
    assert one(r, "a", 2027).verdict == "needs_review"  # §12.1: never auto-pass on percentage
    b = one(r, "b", 2027)
    assert b.verdict == "permitted" and b.parties[0].nexus.history
