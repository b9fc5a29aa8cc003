"""Acceptance tests of the rule: RULE.md (above all the §12 edge cases) and DESIGN.md §3 readings 1–7 and 11.

Written from /work/shared/RULE.md and /work/shared/DESIGN.md alone, as an outside reviewer would: each case builds a
small program through the public surface only (a manifest per DESIGN.md §4.1, a CycloneDX 1.6 BOM with `cvcomply:`
properties per §4.2, a BODS 0.4 ownership file) and checks the JSON report (§4.3) and the exit code (§4.4). Most
cases call `cvcomply.screen` + `render_json` in-process (the subprocess costs about a second); the exit-code cases run
`cvcomply screen MANIFEST --json` as a subprocess.

All data here is invented for these tests: every company, person, product name and identifier is fictional.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from cvcomply import screen
from cvcomply.outputs.json_report import render_json

CLI = str(Path(sys.executable).with_name("cvcomply"))
AS_OF = "2026-11-24"


# ---------------------------------------------------------------- invented data

@dataclass(frozen=True)
class Ent:
    id: str
    name: str
    country: str | None
    kind: str = "registeredEntity"
    lei: str | None = None


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    nationalities: tuple[str, ...]
    residence: str | None = None


@dataclass(frozen=True)
class Hold:
    holder: str
    subject: str
    share: float | tuple[float, float] | None = None
    interest: str = "shareholding"
    end: str | None = None
    start: str = "2019-04-01"


@dataclass
class Comp:
    ref: str
    type: str = "application"
    supplier: str | None = None
    country: str | None = None
    manufacturer: str | None = None
    props: dict[str, str] = field(default_factory=dict)


def lei(stem: str) -> str:
    """An invented 18-character stem with ISO 17442 (ISO 7064 mod 97-10) check digits."""
    digits = "".join(str(int(c, 36)) for c in stem + "00")
    return f"{stem}{98 - int(digits) % 97:02d}"


DECLARANT = Ent("decl", "Bluewater Motor Company LLC", "US", lei=lei("5493007QZTESTBW001"))
CN = Ent("cn", "Shenzhen Brightwave Telecom Technology Co., Ltd.", "CN")
HK = Ent("hk", "Victoria Harbour Signal Systems Limited", "HK")
MO = Ent("mo", "Taipa Relay Networks Limitada", "MO")
RU = Ent("ru", "Volzhsky Telematika OOO", "RU")
JP = Ent("jp", "Kitahama Denshi Kabushiki Kaisha", "JP")
DE = Ent("de", "Moselbrueck Funktechnik GmbH", "DE")
US = Ent("us", "Prairie Lantern Software Inc", "US")
US2 = Ent("us2", "Granite Ridge Capital Partners LLC", "US")
KY = Ent("ky", "Tidewater Crest Holdings Ltd", "KY")
SG = Ent("sg", "Merlion Wavecom Pte. Ltd.", "SG")
MX = Ent("mx", "Telemetria del Bajio S.A. de C.V.", "MX")
CU = Ent("cu", "Enlace Malecon S.A.", "CU")
IR = Ent("ir", "Zagros Radio Pardaz Co.", "IR")
KP = Ent("kp", "Taedong Signal Trading Corporation", "KP")
VE = Ent("ve", "Orinoco Senal Digital C.A.", "VE")
ALL = (DECLARANT, CN, HK, MO, RU, JP, DE, US, US2, KY, SG, MX, CU, IR, KP, VE)

APP = {"function": "vcs", "software-kind": "application"}
TCU = {"function": "vcs", "vcs-category": "telematics-unit", "rf-max-mhz": "1900"}


def bods(ents: Sequence[Ent | Person], holds: Sequence[Hold]) -> list[dict[str, Any]]:
    pub = {"publicationDate": "2026-01-05", "bodsVersion": "0.4", "publisher": {"name": "cvcomply acceptance tests"}}
    out: list[dict[str, Any]] = []
    for e in ents:
        details: dict[str, Any]
        if isinstance(e, Person):
            details = {"isComponent": False, "personType": "knownPerson",
                       "names": [{"type": "legal", "fullName": e.name}],
                       "nationalities": [{"code": c, "name": c} for c in e.nationalities]}
            if e.residence:
                details["addresses"] = [{"type": "residence", "address": "invented street 1",
                                         "country": {"code": e.residence, "name": e.residence}}]
            rtype = "person"
        elif e.kind == "anonymousEntity":
            details = {"isComponent": False, "entityType": {"type": "anonymousEntity"},
                       "unspecifiedEntityDetails": {"reason": "interestedPartyExemptFromDisclosure",
                                                    "description": "parent withheld"}}
            rtype = "entity"
        else:
            details = {"isComponent": False, "entityType": {"type": e.kind}, "name": e.name}
            if e.country:
                details["jurisdiction"] = {"code": e.country, "name": e.country}
            if e.lei:
                details["identifiers"] = [{"scheme": "XI-LEI", "id": e.lei}]
            rtype = "entity"
        out.append({"statementId": f"st-{e.id}", "statementDate": "2026-01-05", "recordId": e.id,
                    "recordStatus": "new", "recordType": rtype, "publicationDetails": pub, "recordDetails": details})
    for i, h in enumerate(holds):
        interest: dict[str, Any] = {"type": h.interest, "directOrIndirect": "direct",
                                    "beneficialOwnershipOrControl": False, "startDate": h.start}
        if isinstance(h.share, tuple):
            interest["share"] = {"minimum": h.share[0], "maximum": h.share[1]}
        elif h.share is not None:
            interest["share"] = {"exact": h.share}
        if h.end:
            interest["endDate"] = h.end
        out.append({"statementId": f"st-rel-{i}", "statementDate": "2026-01-05", "recordId": f"rel-{i}",
                    "recordStatus": "new", "recordType": "relationship", "publicationDetails": pub,
                    "recordDetails": {"isComponent": False, "subject": h.subject, "interestedParty": h.holder,
                                      "interests": [interest]}})
    return out


def cyclonedx(comps: Sequence[Comp]) -> dict[str, Any]:
    out = []
    for c in comps:
        d: dict[str, Any] = {"type": c.type, "bom-ref": c.ref, "name": f"{c.ref} item", "version": "1.0",
                             "purl": f"pkg:generic/acceptance/{c.ref}@1.0"}
        if c.supplier:
            d["supplier"] = {"name": c.supplier}
            if c.country:
                d["supplier"]["address"] = {"country": c.country}
        if c.manufacturer:
            d["manufacturer"] = {"name": c.manufacturer}
        if c.props:
            d["properties"] = [{"name": f"cvcomply:{k}", "value": v} for k, v in c.props.items()]
        out.append(d)
    return {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "serialNumber": "urn:uuid:0a5e1b2c-7d3f-4e61-9a0b-acce97a7e501", "components": out}


def vehicle(*years: int, gvwr: float = 5200, ads: int = 2, imported: bool = False) -> dict[str, Any]:
    return {"make": "Bluewater", "model": "Heron", "trims": ["Base"], "model_years": list(years or (2026, 2027)),
            "gvwr_lbs": gvwr, "ads_level": ads, "imported": imported}


def write(tmp: Path, comps: Sequence[Comp], ents: Sequence[Ent | Person] = ALL, holds: Sequence[Hold] = (), *,
          veh: dict[str, Any] | None = None, no_vehicle: bool = False,
          roles: str | list[str] = "connected-vehicle-manufacturer", purpose: str = "sale",
          hardware_imports: Sequence[str] = (), authorizations: Sequence[dict[str, Any]] = (),
          as_of: str | None = AS_OF) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "bom.cdx.json").write_bytes(orjson.dumps(cyclonedx(comps)))
    (tmp / "owners.bods.json").write_bytes(orjson.dumps(bods(ents, holds)))
    program: dict[str, Any] = {
        "name": "Acceptance program",
        "declarant": {"name": DECLARANT.name, "role": roles, "country": "US", "ids": {"lei": DECLARANT.lei}},
    }
    if not no_vehicle:
        program["vehicle"] = veh or vehicle()
    if hardware_imports:
        program["hardware_imports"] = list(hardware_imports)
    program["purpose"] = purpose
    manifest: dict[str, Any] = {"cvcomply": 1, "program": program, "boms": ["bom.cdx.json"],
                                "ownership": ["owners.bods.json"]}
    if authorizations:
        manifest["authorizations"] = list(authorizations)
    if as_of:
        manifest["as_of"] = as_of
    path = tmp / "program.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


def run(tmp: Path, comps: Sequence[Comp], ents: Sequence[Ent | Person] = ALL, holds: Sequence[Hold] = (),
        **kw: Any) -> dict[str, Any]:
    report = screen(str(write(tmp, comps, ents, holds, **kw)))
    return orjson.loads(render_json(report))


def cli(manifest: Path, *args: str) -> tuple[int, dict[str, Any] | None, str]:
    p = subprocess.run([CLI, "screen", str(manifest), "--json", *args], capture_output=True, timeout=120)
    try:
        body = orjson.loads(p.stdout) if p.stdout.strip() else None
    except orjson.JSONDecodeError:
        body = None
    return p.returncode, body, p.stderr.decode(errors="replace")


def fnd(rep: dict[str, Any], ref: str, my: int | None, imp: str | None = None) -> dict[str, Any]:
    hits = [f for f in rep["findings"] if f["component"]["bom_ref"] == ref and f["model_year"] == my
            and (imp is None or f.get("import_date") == imp)]
    assert len(hits) == 1, [(f["component"]["bom_ref"], f["model_year"], f.get("import_date"), f["verdict"])
                            for f in rep["findings"]]
    return hits[0]


def verdict(rep: dict[str, Any], ref: str, my: int | None, imp: str | None = None) -> str:
    return str(fnd(rep, ref, my, imp)["verdict"])


def year(rep: dict[str, Any], my: int) -> dict[str, Any]:
    [y] = [y for y in rep["model_years"] if y["model_year"] == my]
    return y


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


def supplier_app(supplier: Ent, **props: str) -> Comp:
    return Comp("app", supplier=supplier.name, country=supplier.country, props={**APP, **props})


# ---------------------------------------------------------------- scope (RULE §2, §9, §12.14)

@pytest.mark.parametrize(("gvwr", "expected"), [
    (10000, "prohibited"), (10000.0, "prohibited"), (9999, "prohibited"),
    (10000.5, "out_of_scope"), (10001, "out_of_scope"), (26000, "out_of_scope"),
])
def test_rule_12_14_gvwr_boundary(tmp_path: Path, gvwr: float, expected: str) -> None:
    """RULE §2/§12.14: GVWR ≤ 10,000 lb in scope; "more than 10,000 pounds" excluded (DESIGN §3 verdict table)."""
    rep = run(tmp_path, [supplier_app(CN)], veh=vehicle(2027, gvwr=gvwr))
    assert verdict(rep, "app", 2027) == expected


def test_rule_12_14_heavy_vehicle_everything_out_of_scope_exit_0(tmp_path: Path) -> None:
    """RULE §12.14 + DESIGN §4.4: a 10,001 lb vehicle is out of the rule — nothing prohibited, exit 0."""
    m = write(tmp_path, [supplier_app(CN), Comp("tcu", "device", CN.name, "CN", props=TCU)],
              veh=vehicle(2027, 2030, gvwr=10001), roles=["connected-vehicle-manufacturer", "vcs-hardware-importer"])
    rc, rep, err = cli(m)
    assert rc == 0, err
    assert rep is not None
    assert {f["verdict"] for f in rep["findings"]} == {"out_of_scope"}
    assert rep["summary"]["verdict"] == "out_of_scope"


def test_reading_11_scope_before_exemption(tmp_path: Path) -> None:
    """DESIGN §3 reading 11: scope first — a heavy MY2026 vehicle is out_of_scope, not exempt."""
    rep = run(tmp_path, [supplier_app(CN)], veh=vehicle(2026, gvwr=12000))
    assert verdict(rep, "app", 2026) == "out_of_scope"


# ---------------------------------------------------------------- VCS hardware (RULE §2, §12.10)

HW_ROLES = ["connected-vehicle-manufacturer", "vcs-hardware-importer"]


@pytest.mark.parametrize("category", ["cellular-module", "telematics-unit", "wifi-module", "bluetooth-module",
                                      "satcom-module", "v2x-module", "soc", "mcu", "other-wireless"])
def test_rule_2_vcs_hardware_categories_prohibited_from_my2030(tmp_path: Path, category: str) -> None:
    """RULE §2 enumerated VCS hardware (> 450 MHz), PRC-made, imported by the declarant: § 791.302 from MY2030."""
    props = {"function": "vcs", "vcs-category": category, "rf-max-mhz": "2400"}
    rep = run(tmp_path, [Comp("hw", "device", CN.name, "CN", props=props)], veh=vehicle(2029, 2030), roles=HW_ROLES)
    f = fnd(rep, "hw", 2030)
    assert f["classification"]["vcs_hardware"] is True
    assert f["verdict"] == "prohibited"
    assert f["rule"].startswith("15 CFR 791.302")
    assert verdict(rep, "hw", 2029) == "exempt"  # § 791.308(a): MY < 2030


def test_rule_11_gnss_receiver_is_not_silently_out_of_scope(tmp_path: Path) -> None:
    """RULE §2 lists satellite navigation as VCS hardware; §11 leaves GNSS-only open → prohibited or needs_review."""
    props = {"function": "vcs", "vcs-category": "gnss-receiver", "rf-max-mhz": "1575.42"}
    rep = run(tmp_path, [Comp("gnss", "device", CN.name, "CN", props=props)], veh=vehicle(2030), roles=HW_ROLES)
    assert verdict(rep, "gnss", 2030) in {"prohibited", "needs_review"}


@pytest.mark.parametrize(("rf", "expected"), [("450", "out_of_scope"), ("450.0", "out_of_scope"),
                                              ("449.9", "out_of_scope"), ("433.92", "out_of_scope"),
                                              ("315", "out_of_scope"), ("450.1", "prohibited"),
                                              ("451", "prohibited")])
def test_reading_14_rf_threshold_450_mhz(tmp_path: Path, rf: str, expected: str) -> None:
    """RULE §2/§9 "above 450 MHz"; DESIGN §3 reading 14: rf-max-mhz ≤ 450 is not VCS hardware whatever the category."""
    props = {"function": "vcs", "vcs-category": "other-wireless", "rf-max-mhz": rf}
    rep = run(tmp_path, [Comp("rf", "device", CN.name, "CN", props=props)], veh=vehicle(2030), roles=HW_ROLES)
    assert verdict(rep, "rf", 2030) == expected


def test_rule_12_10_key_fob_433_mhz_cellular_category_still_out(tmp_path: Path) -> None:
    """RULE §12.10 / reading 14: a 433 MHz item is out even if labelled with an enumerated category."""
    props = {"function": "vcs", "vcs-category": "cellular-module", "rf-max-mhz": "433"}
    rep = run(tmp_path, [Comp("fob", "device", CN.name, "CN", props=props)], veh=vehicle(2030), roles=HW_ROLES)
    f = fnd(rep, "fob", 2030)
    assert f["verdict"] == "out_of_scope"
    assert f["classification"]["vcs_hardware"] is False


def test_rule_2_passive_components_excluded(tmp_path: Path) -> None:
    """RULE §2: passive electronic components are not VCS hardware."""
    props = {"vcs-category": "passive", "rf-max-mhz": "2400"}
    rep = run(tmp_path, [Comp("cap", "device", CN.name, "CN", props=props)], veh=vehicle(2030), roles=HW_ROLES)
    assert verdict(rep, "cap", 2030) == "out_of_scope"


@pytest.mark.parametrize("kind", ["device", "application"])
def test_rule_12_10_access_or_sensing_only_function_none_is_out(tmp_path: Path, kind: str) -> None:
    """RULE §2/§12.10: items exclusively for sensing or vehicle access (UWB/BLE key) are not VCS; reading 14."""
    props = {"function": "none", "vcs-category": "bluetooth-module", "rf-max-mhz": "6500"}
    rep = run(tmp_path, [Comp("uwb", kind, CN.name, "CN", props=props)], veh=vehicle(2027, 2030), roles=HW_ROLES)
    assert verdict(rep, "uwb", 2027) == "out_of_scope"
    assert verdict(rep, "uwb", 2030) == "out_of_scope"


def test_rule_12_10_sensor_module_sending_data_off_vehicle_is_vcs(tmp_path: Path) -> None:
    """RULE §2/§12.10: hardware that transmits sensor data off the vehicle can still be VCS."""
    props = {"function": "vcs", "vcs-category": "other-wireless", "rf-max-mhz": "5900"}
    rep = run(tmp_path, [Comp("radar-link", "device", CN.name, "CN", props=props)], veh=vehicle(2030),
              roles=HW_ROLES)
    assert verdict(rep, "radar-link", 2030) == "prohibited"


def test_rule_4_hardware_party_from_cyclonedx_manufacturer(tmp_path: Path) -> None:
    """DESIGN §4.2: CycloneDX `manufacturer` is a party (manufactured); PRC manufacturer taints the hardware."""
    rep = run(tmp_path, [Comp("tcu", "device", supplier=JP.name, country="JP", manufacturer=CN.name, props=TCU)],
              veh=vehicle(2030), roles=HW_ROLES)
    assert verdict(rep, "tcu", 2030) == "prohibited"


# ---------------------------------------------------------------- § 791.302 roles (reading 2)

def test_reading_2_manufacturer_without_importer_role_needs_review(tmp_path: Path) -> None:
    """DESIGN §3 reading 2: without the vcs-hardware-importer role, would-be-prohibited hardware is needs_review."""
    rep = run(tmp_path, [Comp("tcu", "device", CN.name, "CN", props=TCU)], veh=vehicle(2029, 2030))
    assert verdict(rep, "tcu", 2030) == "needs_review"
    assert verdict(rep, "tcu", 2029) == "exempt"  # reading 11: exempt whatever the importer is


def test_reading_2_importer_role_as_a_plain_string(tmp_path: Path) -> None:
    """DESIGN §3 reading 2 / §4.1: `role` may be a single value; an importer is bound by § 791.302."""
    rep = run(tmp_path, [Comp("tcu", "device", CN.name, "CN", props=TCU)], veh=vehicle(2030),
              roles="vcs-hardware-importer")
    assert verdict(rep, "tcu", 2030) == "prohibited"


def test_reading_2_clear_hardware_of_manufacturer_only_is_permitted(tmp_path: Path) -> None:
    """Reading 2 applies only to adversary-linked hardware; a resolved Japanese TCU is permitted."""
    rep = run(tmp_path, [Comp("tcu", "device", JP.name, "JP", props=TCU)], veh=vehicle(2030))
    assert verdict(rep, "tcu", 2030) == "permitted"


# ---------------------------------------------------------------- hardware dates (§ 791.308(a))

def test_rule_12_12_no_my_hardware_import_date_boundary(tmp_path: Path) -> None:
    """RULE §12.12 / § 791.308(a): no-MY hardware — Dec 31 2028 allowed, Jan 1 2029 prohibited (§4.3 import_dates)."""
    rep = run(tmp_path, [Comp("tcu", "device", CN.name, "CN", props=TCU)], no_vehicle=True,
              roles="vcs-hardware-importer", hardware_imports=["2028-12-31", "2029-01-01"])
    before = fnd(rep, "tcu", None, "2028-12-31")
    after = fnd(rep, "tcu", None, "2029-01-01")
    assert before["verdict"] == "exempt"
    assert after["verdict"] == "prohibited"
    assert after["rule"].startswith("15 CFR 791.302")
    dates = {d["import_date"]: d["verdict"] for d in rep["import_dates"]}
    assert dates == {"2028-12-31": "exempt", "2029-01-01": "prohibited"}
    assert rep["summary"]["verdict"] == "prohibited"
    assert rep["model_years"] == []  # reading 13: no model year appears in any finding


def test_rule_12_12_no_my_unresolved_and_clear_hardware(tmp_path: Path) -> None:
    """Readings 10/11 on no-MY imports: unresolved supplier exempt before 2029, needs_review after; a resolved
    Japanese TCU is permitted on both dates."""
    comps = [Comp("unk", "device", "Quillfeather Systems Ltd", "FR", props=TCU),
             Comp("jp", "device", JP.name, "JP", props=TCU)]
    rep = run(tmp_path, comps, no_vehicle=True, roles="vcs-hardware-importer",
              hardware_imports=["2028-12-31", "2029-01-01"])
    assert verdict(rep, "unk", None, "2028-12-31") == "exempt"
    assert verdict(rep, "unk", None, "2029-01-01") == "needs_review"
    assert verdict(rep, "jp", None, "2028-12-31") == "permitted"
    assert verdict(rep, "jp", None, "2029-01-01") == "permitted"


def test_design_4_1_model_year_hint_decides_even_for_an_early_import(tmp_path: Path) -> None:
    """DESIGN §4.1: a unit with a `cvcomply:model-year` hint is judged by that year — MY2030 imported in 2028 is
    within § 791.302 (the Jan 1 2029 date is only for units with no model year)."""
    rep = run(tmp_path, [Comp("tcu", "device", CN.name, "CN", props={**TCU, "model-year": "2030"})], no_vehicle=True,
              roles="vcs-hardware-importer", hardware_imports=["2028-06-01"])
    assert verdict(rep, "tcu", 2030) == "prohibited"


@pytest.mark.parametrize(("hint", "expected"), [("2028", "exempt"), ("2029", "exempt"), ("2030", "prohibited")])
def test_rule_12_13_warranty_part_judged_by_model_year_hint(tmp_path: Path, hint: str, expected: str) -> None:
    """RULE §12.13 / § 791.308(a): a PRC TCU imported in 2031 for a MY < 2030 vehicle is exempt; MY2030 prohibited.

    DESIGN §4.1: a unit with a `cvcomply:model-year` hint is judged by that year; reading 13 lists the year.
    """
    rep = run(tmp_path, [Comp("tcu", "device", CN.name, "CN", props={**TCU, "model-year": hint})], no_vehicle=True,
              roles="vcs-hardware-importer", purpose="warranty", hardware_imports=["2031-03-02"])
    assert verdict(rep, "tcu", int(hint)) == expected
    assert int(hint) in [y["model_year"] for y in rep["model_years"]]


def test_rule_12_12_hardware_in_vehicle_by_model_year(tmp_path: Path) -> None:
    """§ 791.308(a): hardware in a MY2029 vehicle exempt, MY2030 prohibited (model year, not calendar date)."""
    rep = run(tmp_path, [Comp("tcu", "device", HK.name, "HK", props=TCU)], veh=vehicle(2029, 2030), roles=HW_ROLES,
              as_of="2031-06-01")
    assert verdict(rep, "tcu", 2029) == "exempt"
    assert verdict(rep, "tcu", 2030) == "prohibited"


# ---------------------------------------------------------------- software (RULE §2, §12.7–12.9)

@pytest.mark.parametrize("kind", ["os", "middleware", "application"])
def test_rule_12_9_os_middleware_application_are_covered(tmp_path: Path, kind: str) -> None:
    """RULE §12.9: TCU/infotainment OS or middleware is not firmware → covered software if it enables VCS."""
    rep = run(tmp_path, [Comp("sw", "operating-system" if kind == "os" else "application", CN.name, "CN",
                              props={"function": "vcs", "software-kind": kind})])
    f = fnd(rep, "sw", 2027)
    assert f["classification"]["covered_software"] is True
    assert (f["verdict"], f["rule"]) == ("prohibited", "15 CFR 791.303(b)")
    assert verdict(rep, "sw", 2026) == "exempt"


def test_rule_12_9_firmware_excluded_even_from_prc(tmp_path: Path) -> None:
    """RULE §2/§12.9 + reading 1: device-control firmware (modem) is excluded → out_of_scope."""
    rep = run(tmp_path, [Comp("fw", "firmware", CN.name, "CN", props={"function": "vcs", "software-kind": "firmware"})])
    f = fnd(rep, "fw", 2027)
    assert f["verdict"] == "out_of_scope"
    assert f["classification"]["covered_software"] is False


def test_reading_1_function_none_software_out_of_scope(tmp_path: Path) -> None:
    """DESIGN §3 readings 1, 14: software that enables neither VCS nor ADS is out_of_scope."""
    rep = run(tmp_path, [Comp("seat", props={"function": "none", "software-kind": "application"}, supplier=CN.name,
                              country="CN")])
    assert verdict(rep, "seat", 2027) == "out_of_scope"


def test_reading_1_vcs_software_without_foreign_interest_is_permitted(tmp_path: Path) -> None:
    """DESIGN §3 reading 1: VCS software with no foreign interest is permitted (no DoC), not out_of_scope."""
    rep = run(tmp_path, [supplier_app(US)])
    assert verdict(rep, "app", 2027) == "permitted"
    assert year(rep, 2027)["doc_required"] is False


@pytest.mark.parametrize(("oss", "supplier", "v2026", "v2027"), [
    ("unmodified", CN, "out_of_scope", "out_of_scope"),
    ("modified-redistributed", CN, "out_of_scope", "out_of_scope"),
    ("modified-proprietary", CN, "exempt", "prohibited"),
    ("modified-proprietary", HK, "exempt", "prohibited"),
    ("modified-proprietary", US, "permitted", "permitted"),
    ("unmodified", JP, "out_of_scope", "out_of_scope"),
])
def test_rule_12_7_open_source(tmp_path: Path, oss: str, supplier: Ent, v2026: str, v2027: str) -> None:
    """RULE §12.7 + reading 1: unmodified OSS, or modified and redistributed, excluded whoever modified it;
    modified for proprietary purposes by a PRC-linked entity → prohibited from MY2027."""
    rep = run(tmp_path, [supplier_app(supplier, **{"open-source": oss})])
    assert verdict(rep, "app", 2026) == v2026
    assert verdict(rep, "app", 2027) == v2027


# ---------------------------------------------------------------- legacy (reading 7, §12.8)

@pytest.mark.parametrize(("done", "maintainer", "expected"), [
    ("2026-03-16", US, "out_of_scope"),     # before the cut-off, maintained by a clear party → excluded
    ("2024-08-01", JP, "out_of_scope"),
    ("2026-03-17", US, "prohibited"),       # not *before* Mar 17 2026 → not legacy
    ("2026-09-30", US, "prohibited"),
    ("2025-12-01", CN, "prohibited"),       # PRC maintainer after the cut-off removes the exclusion
    ("2025-12-01", MO, "prohibited"),
    ("2025-12-01", RU, "prohibited"),
])
def test_reading_7_legacy_software_with_maintainer(tmp_path: Path, done: str, maintainer: Ent, expected: str) -> None:
    """RULE §2 / §12.8, DESIGN §3 reading 7: legacy exclusion needs completed-before < 2026-03-17 and a known,
    non-adversary maintainer; the PRC supplier alone does not defeat it."""
    rep = run(tmp_path, [supplier_app(CN, **{"completed-before": done, "maintained-by": maintainer.name})])
    assert verdict(rep, "app", 2027) == expected


def test_reading_7_legacy_maintainer_unknown_adversary_supplier_needs_review(tmp_path: Path) -> None:
    """DESIGN §3 reading 7: no maintained-by + adversary-linked supplier → needs_review; MY2026 exempt (reading 11)."""
    rep = run(tmp_path, [supplier_app(CN, **{"completed-before": "2025-06-30"})])
    assert verdict(rep, "app", 2027) == "needs_review"
    assert verdict(rep, "app", 2026) == "exempt"


def test_reading_7_legacy_maintainer_unknown_adversary_developer_needs_review(tmp_path: Path) -> None:
    """DESIGN §3 reading 7 names the developer too: US supplier, PRC developer, no maintainer → needs_review."""
    rep = run(tmp_path, [supplier_app(US, **{"completed-before": "2025-06-30", "developer": CN.name})])
    assert verdict(rep, "app", 2027) == "needs_review"


def test_rule_12_8_legacy_excluded_needs_no_doc(tmp_path: Path) -> None:
    """RULE §2/§5: excluded legacy software is not covered software, so a Japanese one triggers no DoC."""
    rep = run(tmp_path, [supplier_app(JP, **{"completed-before": "2025-01-15", "maintained-by": JP.name})])
    assert verdict(rep, "app", 2027) == "out_of_scope"
    assert year(rep, 2027)["doc_required"] is False


# ---------------------------------------------------------------- DDMS roles (§ 791.1(a)(1))

@pytest.mark.parametrize("hint", ["maintained-by", "developer", "designer"])
def test_rule_2_ddms_maintainer_developer_designer_taint(tmp_path: Path, hint: str) -> None:
    """RULE §2 DDMS (§ 791.1(a)(1): "maintains ... updates"), DESIGN §4.2: a PRC maintainer/developer/designer
    behind a US supplier makes covered software prohibited from MY2027."""
    rep = run(tmp_path, [supplier_app(US, **{hint: CN.name})])
    assert verdict(rep, "app", 2027) == "prohibited"
    assert verdict(rep, "app", 2026) == "exempt"


# ---------------------------------------------------------------- ADS (RULE §2, §12.11)

def test_rule_12_11_level3_ads_stack_is_covered(tmp_path: Path) -> None:
    """RULE §2/§12.11: Level 3+ driving stacks are ADS; ADS software from a PRC developer → prohibited MY2027."""
    rep = run(tmp_path, [Comp("ads", supplier=CN.name, country="CN",
                              props={"function": "ads", "software-kind": "application"})], veh=vehicle(2027, ads=3))
    assert (verdict(rep, "ads", 2027), fnd(rep, "ads", 2027)["rule"]) == ("prohibited", "15 CFR 791.303(b)")


def test_rule_12_11_level2_adas_that_also_enables_vcs_is_covered(tmp_path: Path) -> None:
    """RULE §12.11: Level 2 ADAS is not ADS, but is covered when it also enables VCS functions."""
    rep = run(tmp_path, [Comp("adas", supplier=CN.name, country="CN",
                              props={"function": "vcs,ads", "software-kind": "application"})], veh=vehicle(2027))
    assert verdict(rep, "adas", 2027) == "prohibited"


def test_rule_12_11_level2_adas_alone_is_not_prohibited(tmp_path: Path) -> None:
    """RULE §12.11: PRC Level 2 ADAS (lane-keep, AEB, parking) is not ADS → never prohibited on that basis."""
    rep = run(tmp_path, [Comp("lka", supplier=CN.name, country="CN",
                              props={"function": "ads", "software-kind": "application"})], veh=vehicle(2027, ads=2))
    assert verdict(rep, "lka", 2027) in {"out_of_scope", "needs_review"}


# ---------------------------------------------------------------- § 791.303 (reading 3)

@pytest.mark.parametrize(("imported", "purpose", "rule"), [
    (False, "sale", "15 CFR 791.303(b)"),
    (True, "sale", "15 CFR 791.303(a), (b)"),
    (True, "testing", "15 CFR 791.303(a)"),
])
def test_reading_3_rule_strings(tmp_path: Path, imported: bool, purpose: str, rule: str) -> None:
    """DESIGN §3 reading 3: (a) when imported, (b) whenever the purpose is sale; both cited in ascending order."""
    rep = run(tmp_path, [supplier_app(CN)], veh=vehicle(2027, imported=imported), purpose=purpose)
    f = fnd(rep, "app", 2027)
    assert (f["verdict"], f["rule"]) == ("prohibited", rule)


def test_reading_3_us_built_not_for_sale_is_not_prohibited(tmp_path: Path) -> None:
    """Reading 3: neither (a) (not imported) nor (b) (purpose is not sale) applies → not prohibited."""
    rep = run(tmp_path, [supplier_app(CN)], veh=vehicle(2027, imported=False), purpose="testing")
    assert verdict(rep, "app", 2027) != "prohibited"


def test_rule_12_12_my2027_built_in_2026_and_my2026_sold_in_2027(tmp_path: Path) -> None:
    """RULE §12.12: the model year decides — MY2027 screened in 2026 covered; MY2026 sold in 2027 exempt."""
    rep = run(tmp_path, [supplier_app(CN)], veh=vehicle(2026, 2027), as_of="2027-05-03")
    assert verdict(rep, "app", 2026) == "exempt"
    assert verdict(rep, "app", 2027) == "prohibited"
    early = run(tmp_path / "early", [supplier_app(CN)], veh=vehicle(2027), as_of="2026-02-01")
    assert verdict(early, "app", 2027) == "prohibited"


# ---------------------------------------------------------------- § 791.304 (reading 4, §12.5)

PRC_OWNED_DECLARANT = (Hold("cn", "decl", 60),)


def test_rule_12_5_prc_controlled_manufacturer_every_component_prohibited(tmp_path: Path) -> None:
    """RULE §12.5, DESIGN §3 reading 4: a US OEM 60 % owned by a PRC group — every VCS hardware and covered
    software component gets its own § 791.304 finding, even US-built with non-Chinese parts; MY2026 exempt."""
    comps = [supplier_app(US), Comp("tcu", "device", JP.name, "JP", props=TCU),
             Comp("fw", "firmware", JP.name, "JP", props={"function": "vcs", "software-kind": "firmware"}),
             Comp("seat", supplier=US.name, country="US", props={"function": "none"})]
    rep = run(tmp_path, comps, holds=PRC_OWNED_DECLARANT, veh=vehicle(2026, 2027))
    assert rep["program"]["declarant"]["nexus"]["status"] == "covered"
    for ref in ("app", "tcu"):
        f = fnd(rep, ref, 2027)
        assert f["verdict"] == "prohibited", ref
        assert f["rule"].startswith("15 CFR 791.304"), (ref, f["rule"])
        assert verdict(rep, ref, 2026) == "exempt", ref  # § 791.308(c)
    assert verdict(rep, "fw", 2027) == "out_of_scope"
    assert verdict(rep, "seat", 2027) == "out_of_scope"


def test_rule_12_5_prc_controlled_manufacturer_exit_code_1(tmp_path: Path) -> None:
    """§4.4: something prohibited → exit 1, even though every part is US-made."""
    m = write(tmp_path, [supplier_app(US)], holds=PRC_OWNED_DECLARANT, veh=vehicle(2027))
    rc, rep, err = cli(m)
    assert rc == 1, err
    assert rep is not None and rep["summary"]["verdict"] == "prohibited"


def test_rule_12_5_declarant_in_hong_kong_group(tmp_path: Path) -> None:
    """RULE §3/§12.3/§12.5: a declarant majority-owned by an HK group is PRC-controlled → § 791.304."""
    rep = run(tmp_path, [supplier_app(US)], holds=(Hold("hk", "decl", 75),), veh=vehicle(2027))
    assert fnd(rep, "app", 2027)["rule"].startswith("15 CFR 791.304")


def test_reading_4_prc_controlled_manufacturer_hardware_needs_no_importer_role(tmp_path: Path) -> None:
    """Reading 4 / RULE §4: § 791.304 reaches VCS hardware of the manufacturer's vehicle from MY2027 — no importer
    role is needed (reading 2 is about § 791.302 only)."""
    rep = run(tmp_path, [Comp("tcu", "device", CN.name, "CN", props=TCU)], holds=PRC_OWNED_DECLARANT,
              veh=vehicle(2027, 2030))
    for my in (2027, 2030):
        f = fnd(rep, "tcu", my)
        assert f["verdict"] == "prohibited"
        assert f["rule"].startswith("15 CFR 791.304")


@pytest.mark.parametrize("props", [{"open-source": "unmodified"},
                                   {"completed-before": "2025-01-01", "maintained-by": US.name}])
def test_reading_4_excluded_software_stays_out_under_304(tmp_path: Path, props: dict[str, str]) -> None:
    """Reading 1 + 4: § 791.304 reaches covered software only; excluded OSS/legacy stays out_of_scope."""
    rep = run(tmp_path, [supplier_app(JP, **props)], holds=PRC_OWNED_DECLARANT, veh=vehicle(2027))
    assert verdict(rep, "app", 2027) == "out_of_scope"


def test_rule_12_5_declarant_matched_by_lei(tmp_path: Path) -> None:
    """DESIGN §4.1 ids + reading 8: the declarant is found by its LEI even under another registry name."""
    renamed = Ent("decl", "Bluewater Holdings of America Corporation", "US", lei=DECLARANT.lei)
    rep = run(tmp_path, [supplier_app(US)], ents=(renamed, *ALL[1:]), holds=PRC_OWNED_DECLARANT, veh=vehicle(2027))
    assert rep["program"]["declarant"]["nexus"]["status"] == "covered"
    assert fnd(rep, "app", 2027)["rule"].startswith("15 CFR 791.304")


SA = {"id": "SA-2027-0001", "kind": "specific", "valid_from": "2026-06-01", "valid_to": "2028-05-31",
      "components": ["pkg:generic/acceptance/app@1.0"], "model_years": [2027]}


@pytest.mark.parametrize(("sa", "years", "expected"), [
    (SA, (2027,), {2027: "authorized"}),
    ({**SA, "valid_to": "2026-10-01"}, (2027,), {2027: "prohibited"}),       # reading 9: not in force at as_of
    (SA, (2027, 2028), {2027: "authorized", 2028: "prohibited"}),            # model_years filter
])
def test_rule_12_5_only_a_specific_authorization_clears_304(tmp_path: Path, sa: dict[str, Any],
                                                              years: tuple[int, ...],
                                                              expected: dict[int, str]) -> None:
    """RULE §12.5: for a PRC-controlled manufacturer only a specific authorization clears it (§4.1 filters)."""
    rep = run(tmp_path, [supplier_app(US)], holds=PRC_OWNED_DECLARANT, veh=vehicle(*years), authorizations=[sa])
    assert {my: verdict(rep, "app", my) for my in years} == expected


def test_reading_11_declarant_under_review_my2026_is_exempt(tmp_path: Path) -> None:
    """Reading 11: § 791.308(c) exempts MY2026 whatever the declarant's ownership turns out to be."""
    rep = run(tmp_path, [supplier_app(US)], holds=(Hold("cn", "decl", 20), Hold("us2", "decl", 80)),
              veh=vehicle(2026))
    assert verdict(rep, "app", 2026) == "exempt"


@pytest.mark.parametrize("share", [5.0, 20.0])
def test_rule_12_1_declarant_minority_prc_stake_needs_review(tmp_path: Path, share: float) -> None:
    """RULE §12.1 + DESIGN §2: a small PRC stake in the declarant is needs_review, never auto-PASS."""
    rep = run(tmp_path, [supplier_app(US)], holds=(Hold("cn", "decl", share), Hold("us2", "decl", 100 - share)),
              veh=vehicle(2027))
    assert rep["program"]["declarant"]["nexus"]["status"] == "needs_review"
    assert verdict(rep, "app", 2027) in {"needs_review"}


# ---------------------------------------------------------------- GA (RULE §6, §12.16)

GA1 = {"id": "GA-1", "kind": "general", "purpose": "testing"}


def test_rule_12_16_ga_authorizes_clear_declarant(tmp_path: Path) -> None:
    """DESIGN §3 reading 12: a GA with the program's purpose covers a would-be-prohibited import → authorized;
    RULE §5: no DoC for GA-authorized transactions; §3: authorized ranks above exempt; §4.4: exit 0."""
    m = write(tmp_path, [supplier_app(CN)], veh=vehicle(2026, 2027, imported=True), purpose="testing",
              authorizations=[GA1])
    rc, rep, err = cli(m)
    assert rep is not None, err
    assert verdict(rep, "app", 2027) == "authorized"
    assert year(rep, 2027)["doc_required"] is False
    assert rep["summary"]["verdict"] == "authorized"
    assert rc == 0


def test_rule_12_16_ga_of_another_purpose_does_not_cover(tmp_path: Path) -> None:
    """Reading 12: a GA for testing does not cover a program whose purpose is sale."""
    rep = run(tmp_path, [supplier_app(CN)], veh=vehicle(2027, imported=True), purpose="sale", authorizations=[GA1])
    assert verdict(rep, "app", 2027) == "prohibited"


def test_rule_12_16_ga_not_available_to_prc_controlled_declarant(tmp_path: Path) -> None:
    """RULE §6/§12.16: a PRC-controlled manufacturer cannot use GA 1 → stays prohibited."""
    rep = run(tmp_path, [supplier_app(CN)], holds=PRC_OWNED_DECLARANT, veh=vehicle(2027, imported=True),
              purpose="testing", authorizations=[GA1])
    assert verdict(rep, "app", 2027) == "prohibited"


# ---------------------------------------------------------------- DoC trigger (RULE §5, §12.15)

def test_rule_12_15_doc_for_foreign_non_adversary_software(tmp_path: Path) -> None:
    """RULE §12.15: MY2027 covered software from a Japanese vendor is permitted but triggers the DoC."""
    rep = run(tmp_path, [supplier_app(JP)], veh=vehicle(2026, 2027))
    assert verdict(rep, "app", 2027) == "permitted"
    assert year(rep, 2027)["doc_required"] is True
    assert verdict(rep, "app", 2026) == "permitted"  # reading 11: resolved and clear
    assert year(rep, 2026)["doc_required"] is False  # § 791.308 transactions need no DoC


@pytest.mark.parametrize("hint", ["developer", "maintained-by"])
def test_rule_12_15_doc_for_foreign_developer_or_maintainer(tmp_path: Path, hint: str) -> None:
    """RULE §2 "foreign interest" / §12.15: a Japanese developer or maintainer behind a US supplier → DoC."""
    rep = run(tmp_path, [supplier_app(US, **{hint: JP.name})])
    assert verdict(rep, "app", 2027) == "permitted"
    assert year(rep, 2027)["doc_required"] is True


@pytest.mark.parametrize("parent", [JP, CU])
def test_rule_12_15_doc_for_us_supplier_with_foreign_parent(tmp_path: Path, parent: Ent) -> None:
    """RULE §2: foreign interest is "any direct or indirect interest of a non-U.S. person"; §12.15: only purely
    U.S. covered software avoids the DoC. A US developer 60 % owned by a Japanese (or Cuban) parent is not that."""
    rep = run(tmp_path, [supplier_app(US)], holds=(Hold(parent.id, "us", 60),))
    assert verdict(rep, "app", 2027) == "permitted"
    assert year(rep, 2027)["doc_required"] is True


def test_rule_5_no_doc_for_exempt_model_year(tmp_path: Path) -> None:
    """RULE §4 (§ 791.308): exempt transactions need no DoC — MY2026 PRC software."""
    rep = run(tmp_path, [supplier_app(CN)], veh=vehicle(2026))
    assert year(rep, 2026)["verdict"] == "exempt"
    assert year(rep, 2026)["doc_required"] is False


@pytest.mark.parametrize(("my", "doc"), [(2029, False), (2030, True)])
def test_rule_5_importer_doc_for_non_prohibited_hardware(tmp_path: Path, my: int, doc: bool) -> None:
    """RULE §5: importers file a DoC for any non-prohibited VCS hardware import, but not for § 791.308-exempt ones."""
    rep = run(tmp_path, [Comp("tcu", "device", JP.name, "JP", props=TCU)], veh=vehicle(my), roles=HW_ROLES)
    assert verdict(rep, "tcu", my) == "permitted"
    assert year(rep, my)["doc_required"] is doc


# ---------------------------------------------------------------- parties (readings 10, 11)

@pytest.mark.parametrize(("country", "v2027"), [("CN", "prohibited"), ("HK", "prohibited"), ("MO", "prohibited"),
                                                ("RU", "prohibited"), ("FR", "needs_review"), (None, "needs_review")])
def test_reading_10_unlisted_party_by_stated_country(tmp_path: Path, country: str | None, v2027: str) -> None:
    """DESIGN §3 reading 10: CN/HK/MO/RU stated → covered; other or none → needs_review; reading 11: MY2026 exempt."""
    rep = run(tmp_path, [Comp("app", supplier="Quillfeather Systems Ltd", country=country, props=APP)])
    assert verdict(rep, "app", 2027) == v2027
    assert verdict(rep, "app", 2026) == "exempt"


def test_reading_10_component_with_no_party_needs_review(tmp_path: Path) -> None:
    """RULE §12.18 + reading 10: an in-scope component with no party at all is needs_review, not PASS."""
    rep = run(tmp_path, [Comp("app", props=APP)])
    assert verdict(rep, "app", 2027) == "needs_review"
    assert verdict(rep, "app", 2026) == "exempt"


def test_reading_11_unknown_fact_on_out_of_scope_item_stays_out(tmp_path: Path) -> None:
    """Reading 11: scope first — firmware with no party is out_of_scope, not needs_review."""
    rep = run(tmp_path, [Comp("fw", "firmware", props={"function": "vcs", "software-kind": "firmware"})])
    assert verdict(rep, "fw", 2027) == "out_of_scope"


# ---------------------------------------------------------------- ownership prongs

@pytest.mark.parametrize(("supplier", "expected"), [
    (CN, "prohibited"), (HK, "prohibited"), (MO, "prohibited"), (RU, "prohibited"),
    (CU, "permitted"), (IR, "permitted"), (KP, "permitted"), (VE, "permitted"),
])
def test_rule_3_jurisdiction_prong_prc_incl_hk_mo_and_russia_only(tmp_path: Path, supplier: Ent,
                                                                  expected: str) -> None:
    """RULE §3/§12.3: subpart D covers the PRC (incl. HK and Macau) and Russia only — not Cuba, Iran, North Korea,
    the Maduro regime. Registry entities, no BOM country given (reading 8: unique exact name is a match)."""
    rep = run(tmp_path, [Comp("app", supplier=supplier.name, props=APP)])
    f = fnd(rep, "app", 2027)
    assert f["verdict"] == expected
    if expected == "prohibited":
        assert f["parties"][0]["nexus"]["status"] == "covered"
        assert "jurisdiction" in f["parties"][0]["nexus"]["prongs"]
    else:
        assert year(rep, 2027)["doc_required"] is True  # still a foreign interest


def test_rule_12_2_indirect_chain_prc_cayman_german(tmp_path: Path) -> None:
    """RULE §12.2: PRC parent → Cayman holdco → German supplier: covered; the path traces the UBO."""
    rep = run(tmp_path, [supplier_app(DE)], holds=(Hold("cn", "ky", 100), Hold("ky", "de", 60)))
    f = fnd(rep, "app", 2027)
    assert f["verdict"] == "prohibited"
    nexus = f["parties"][0]["nexus"]
    assert nexus["status"] == "covered"
    assert any(any(step["entity"] == "cn" for step in path) for path in nexus["paths"])


@pytest.mark.parametrize("sub", [SG, MX])
def test_rule_12_4_non_prc_subsidiary_of_prc_parent(tmp_path: Path, sub: Ent) -> None:
    """RULE §12.4: a Singapore or Mexican subsidiary of a PRC parent is covered under prong 4."""
    rep = run(tmp_path, [supplier_app(sub)], holds=(Hold("cn", sub.id, 100),))
    assert verdict(rep, "app", 2027) == "prohibited"


@pytest.mark.parametrize(("holds", "expected"), [
    ((Hold("cn", "de", 51),), "prohibited"),                                   # majority
    ((Hold("cn", "de", 50.01), Hold("us2", "de", 49.99)), "prohibited"),
    ((Hold("cn", "de", 25), Hold("us2", "de", 20)), "prohibited"),             # ≥ 25 % and largest: dominant minority
    ((Hold("cn", "de", 30),), "prohibited"),
    ((Hold("cn", "de", 24.9), Hold("us2", "de", 10)), "needs_review"),         # largest but < 25 %
    ((Hold("cn", "de", 20), Hold("us2", "de", 80)), "needs_review"),           # §12.1: 20 % → review
    ((Hold("cn", "de", 25), Hold("us2", "de", 40)), "needs_review"),           # 25 % but not largest
    ((Hold("cn", "de", 5), Hold("us2", "de", 95)), "needs_review"),            # passive: still never clear
    ((Hold("cn", "de", 10), Hold("cn", "de", 51, "votingRights")), "prohibited"),  # majority of votes
    ((Hold("cn", "de", None, "boardMember"),), "prohibited"),                  # any board seat
    ((Hold("cn", "de", None, "boardChair"),), "prohibited"),
    ((Hold("cn", "de", 60, "appointmentOfBoard"),), "prohibited"),             # appoints the board majority
    ((Hold("cn", "de", (55, 70)),), "prohibited"),                             # range: every value meets the test
    ((Hold("cn", "de", (20, 30)), Hold("us2", "de", 15)), "needs_review"),     # range: only some values do
])
def test_reading_5_control_policy_defaults(tmp_path: Path, holds: tuple[Hold, ...], expected: str) -> None:
    """DESIGN §2 control policy + reading 5 (policy wins over RULE §12.1's review where it says covered);
    RULE §12.1: no stake is ever auto-cleared on its percentage."""
    rep = run(tmp_path, [supplier_app(DE)], holds=holds)
    assert verdict(rep, "app", 2027) == expected


def test_design_2_aggregated_indirect_control(tmp_path: Path) -> None:
    """DESIGN §2: an entity's adversary-held interest is the sum over all its covered holders (26 + 26 > 50)."""
    holds = (Hold("cn", "ky", 100), Hold("cn", "sg", 100), Hold("ky", "de", 26), Hold("sg", "de", 26),
             Hold("us2", "de", 48))
    rep = run(tmp_path, [supplier_app(DE)], holds=holds)
    assert verdict(rep, "app", 2027) == "prohibited"


def test_design_2_control_propagates_by_status_not_product(tmp_path: Path) -> None:
    """DESIGN §2: once KY is covered (51 % PRC), its 51 % of DE counts in full — not 26 % look-through."""
    holds = (Hold("cn", "ky", 51), Hold("us2", "ky", 49), Hold("ky", "de", 51), Hold("us", "de", 40))
    rep = run(tmp_path, [supplier_app(DE)], holds=holds)
    assert verdict(rep, "app", 2027) == "prohibited"


def test_design_2_review_propagates_through_a_holder_under_review(tmp_path: Path) -> None:
    """DESIGN §2: KY (20 % PRC) is under review; DE, 100 % held by KY, is needs_review too — never clear."""
    holds = (Hold("cn", "ky", 20), Hold("us2", "ky", 80), Hold("ky", "de", 100))
    rep = run(tmp_path, [supplier_app(DE)], holds=holds)
    assert verdict(rep, "app", 2027) == "needs_review"


@pytest.mark.parametrize(("ky_share", "us_share"), [(10, 90), (30, 70), (24, 20)])
def test_design_2_holder_whose_nexus_is_unknown_sub_control_stake(tmp_path: Path, ky_share: float,
                                                                  us_share: float) -> None:
    """DESIGN §2: "any other adversary-linked stake, or a holder whose own nexus is unknown → needs_review";
    "Policy never turns an adversary-linked stake silently into clear". KY is under review (20 % PRC)."""
    holds = (Hold("cn", "ky", 20), Hold("us2", "ky", 80), Hold("ky", "de", ky_share), Hold("us", "de", us_share))
    rep = run(tmp_path, [supplier_app(DE)], holds=holds)
    assert verdict(rep, "app", 2027) == "needs_review"


def test_design_2_sub_control_stake_of_a_covered_holder_needs_review(tmp_path: Path) -> None:
    """DESIGN §2: KY is covered (100 % PRC); its 10 % of DE is an adversary-linked stake → needs_review."""
    holds = (Hold("cn", "ky", 100), Hold("ky", "de", 10), Hold("us", "de", 90))
    rep = run(tmp_path, [supplier_app(DE)], holds=holds)
    assert verdict(rep, "app", 2027) == "needs_review"


NO_JURISDICTION = Ent("nj", "Nowhere Particular Holdings", None)


@pytest.mark.parametrize("as_holder", [False, True])
def test_reading_6_needs_a_known_non_adversary_jurisdiction(tmp_path: Path, as_holder: bool) -> None:
    """Reading 6 clears only "an entity with a non-adversary jurisdiction and no ownership data"; one with neither
    jurisdiction nor owners has an unknown nexus (§2: → needs_review; cf. reading 10 for a party with no country)."""
    if as_holder:
        rep = run(tmp_path, [supplier_app(DE)], ents=(*ALL, NO_JURISDICTION), holds=(Hold("nj", "de", 60),))
    else:
        rep = run(tmp_path, [Comp("app", supplier=NO_JURISDICTION.name, props=APP)], ents=(*ALL, NO_JURISDICTION))
    assert verdict(rep, "app", 2027) == "needs_review"


def test_rule_2_state_body_owner_is_covered(tmp_path: Path) -> None:
    """RULE §2 prongs 1/4: an entity 60 % held by a PRC state body is owned by the foreign adversary."""
    state = Ent("st", "Invented Provincial Assets Office", "CN", kind="stateBody")
    rep = run(tmp_path, [supplier_app(DE)], ents=(*ALL, state), holds=(Hold("st", "de", 60),))
    assert verdict(rep, "app", 2027) == "prohibited"


def test_reading_9_interest_starting_after_as_of_not_counted(tmp_path: Path) -> None:
    """Reading 9: ownership is read at as_of — a PRC stake starting after it does not count yet."""
    rep = run(tmp_path, [supplier_app(DE)], holds=(Hold("cn", "de", 60, start="2027-01-15"),))
    assert verdict(rep, "app", 2027) == "permitted"


@pytest.mark.parametrize(("end", "expected"), [("2025-06-30", "permitted"), ("2026-11-23", "permitted"),
                                               ("2027-06-30", "prohibited")])
def test_reading_9_ended_interests_not_counted(tmp_path: Path, end: str, expected: str) -> None:
    """DESIGN §3 reading 9: interests that ended before as_of are history, not counted."""
    rep = run(tmp_path, [supplier_app(DE)], holds=(Hold("cn", "de", 60, end=end),))
    assert verdict(rep, "app", 2027) == expected


@pytest.mark.parametrize(("person", "expected"), [
    (Person("p-cn", "Invented Person Alpha", ("CN",)), "prohibited"),
    (Person("p-ru", "Invented Person Beta", ("RU",)), "prohibited"),
    (Person("p-cnus", "Invented Person Gamma", ("CN", "US")), "permitted"),   # US citizen: not prong 2
    (Person("p-jp", "Invented Person Delta", ("JP",)), "permitted"),
    (Person("p-hk", "Invented Person Zeta", ("HK",)), "prohibited"),           # HK is part of the PRC (RULE §3)
    (Person("p-usr", "Invented Person Eta", ("US",), residence="CN"), "permitted"),  # US citizen living in PRC
])
def test_rule_2_prong_2_natural_person_and_us_citizen_carve_out(tmp_path: Path, person: Person,
                                                                expected: str) -> None:
    """RULE §2 prong 2: a PRC/Russian citizen who is not a U.S. citizen is covered; owning 60 % → prong 4."""
    rep = run(tmp_path, [supplier_app(DE)], ents=(*ALL, person), holds=(Hold(person.id, "de", 60),))
    assert verdict(rep, "app", 2027) == expected


def test_rule_2_prong_2_resident_of_prc(tmp_path: Path) -> None:
    """RULE §2 prong 2: "citizen or resident" — a German citizen living in the PRC holding 60 % → covered."""
    person = Person("p-res", "Invented Person Epsilon", ("DE",), residence="CN")
    rep = run(tmp_path, [supplier_app(DE)], ents=(*ALL, person), holds=(Hold(person.id, "de", 60),))
    assert verdict(rep, "app", 2027) == "prohibited"


def test_reading_6_no_ownership_data_is_clear_with_caveat(tmp_path: Path) -> None:
    """DESIGN §3 reading 6: non-adversary jurisdiction, no ownership data → clear, caveat "no ownership data"."""
    rep = run(tmp_path, [supplier_app(DE)])
    f = fnd(rep, "app", 2027)
    assert f["verdict"] == "permitted"
    nexus = f["parties"][0]["nexus"]
    assert nexus["status"] == "clear"
    assert any("no ownership data" in str(c) for c in nexus.get("caveats", []))


def test_design_2_holder_of_unknown_nexus_needs_review(tmp_path: Path) -> None:
    """DESIGN §2/reading 6: a withheld (anonymous) 60 % parent → needs_review, never clear."""
    anon = Ent("anon", "", None, kind="anonymousEntity")
    rep = run(tmp_path, [supplier_app(DE)], ents=(*ALL, anon), holds=(Hold("anon", "de", 60),))
    assert verdict(rep, "app", 2027) == "needs_review"


# ---------------------------------------------------------------- report & exit codes

def test_design_3_model_year_verdict_is_worst_and_counts(tmp_path: Path) -> None:
    """DESIGN §3: a model year's verdict is the worst of its findings; counts per verdict (§4.3)."""
    comps = [Comp("prc", supplier=CN.name, country="CN", props=APP),
             Comp("unk", supplier="Quillfeather Systems Ltd", country="FR", props=APP),
             Comp("us", supplier=US.name, country="US", props=APP),
             Comp("fw", "firmware", CN.name, "CN", props={"function": "vcs", "software-kind": "firmware"})]
    rep = run(tmp_path, comps, veh=vehicle(2026, 2027))
    y27, y26 = year(rep, 2027), year(rep, 2026)
    assert y27["verdict"] == "prohibited"
    assert nonzero(y27["counts"]) == {"prohibited": 1, "needs_review": 1, "permitted": 1, "out_of_scope": 1}
    assert y26["verdict"] == "exempt"
    assert nonzero(y26["counts"]) == {"exempt": 2, "permitted": 1, "out_of_scope": 1}
    assert rep["summary"]["verdict"] == "prohibited"
    assert rep["cvcomply_report"] == 1


@pytest.mark.parametrize(("comps", "rc"), [
    ([Comp("app", supplier=US.name, country="US", props=APP)], 0),
    ([Comp("app", supplier="Quillfeather Systems Ltd", country="FR", props=APP)], 3),
    ([Comp("app", supplier=CN.name, country="CN", props=APP)], 1),
])
def test_design_4_4_exit_codes(tmp_path: Path, comps: list[Comp], rc: int) -> None:
    """DESIGN §4.4: 0 nothing prohibited/to review; 1 prohibited; 3 review only."""
    code, rep, err = cli(write(tmp_path, comps, veh=vehicle(2027)))
    assert code == rc, err
    assert rep is not None and rep["cvcomply_report"] == 1


def test_design_4_4_missing_bom_is_bad_input_exit_2(tmp_path: Path) -> None:
    """DESIGN §4.4: bad input → exit 2 with a message naming the file."""
    m = write(tmp_path, [supplier_app(US)])
    (tmp_path / "bom.cdx.json").unlink()
    code, _, err = cli(m)
    assert code == 2
    assert "bom.cdx.json" in err


def test_reading_9_cli_as_of_decides_ended_interest(tmp_path: Path) -> None:
    """DESIGN §3 reading 9 + §4.4 `--as-of`: a PRC stake ending 2026-06-30 counts at 2026-05-01, not at 2026-08-01."""
    m = write(tmp_path, [supplier_app(DE)], holds=(Hold("cn", "de", 60, end="2026-06-30"),), veh=vehicle(2027),
              as_of=None)
    before, rep_b, err_b = cli(m, "--as-of", "2026-05-01")
    after, rep_a, err_a = cli(m, "--as-of", "2026-08-01")
    assert (before, after) == (1, 0), (err_b, err_a)
    assert rep_b is not None and rep_b["as_of"] == "2026-05-01"
    assert rep_a is not None and rep_a["as_of"] == "2026-08-01"
