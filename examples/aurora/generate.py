#!/usr/bin/env python3
"""Regenerate the invented "Aurora EV" example program (examples/aurora/).

Every company, person, product and identifier below is INVENTED by the cvcomply project for this
example; any resemblance to a real firm is accidental. The script uses only the standard library and
is deterministic (fixed timestamps, UUIDs derived with uuid5), so running it twice gives the same bytes:

    python examples/aurora/generate.py          # writes next to this file

The data is written to exercise the edge cases of RULE.md §12 and DESIGN.md §3; README.md beside this
file tables the verdict each interesting component is *meant* to get, so a reader can check a report.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NS = uuid.UUID("6f1c7a52-3d0e-4b8e-9a55-0c0ffee2a0a0")  # fixed namespace: reproducible ids
AS_OF = "2026-11-24"
BOM_TIME = "2026-11-02T08:00:00Z"
PUBLISHED = "2026-10-15"


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NS, "/".join(parts)))


def lei(seed: str) -> str:
    """A made-up 20-character LEI with valid ISO 17442 check digits (prefix 9845 is not a real LOU here)."""
    base = "984500" + uuid.uuid5(NS, seed).hex.upper()[:12]
    numeric = "".join(str(int(c, 36)) for c in base + "00")
    return base + f"{98 - int(numeric) % 97:02d}"


# ----------------------------------------------------------------------------------------------------
# Registry: who the suppliers are and who owns them (BODS 0.4)
# ----------------------------------------------------------------------------------------------------

COUNTRY_NAMES = {
    "CN": "China", "DE": "Germany", "GB": "United Kingdom", "HK": "Hong Kong", "JP": "Japan",
    "KY": "Cayman Islands", "MX": "Mexico", "RU": "Russian Federation", "US": "United States of America",
}


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    country: str
    aliases: tuple[str, ...] = ()
    with_lei: bool = True


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    nationalities: tuple[str, ...]


@dataclass(frozen=True)
class Rel:
    subject: str
    holder: str
    interests: tuple[dict[str, Any], ...]
    note: str = ""


@dataclass
class Registry:
    orgs: list[Org] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    rels: list[Rel] = field(default_factory=list)


def share(kind: str, exact: float | None = None, *, lo: float | None = None, hi: float | None = None,
          start: str = "2018-01-01", end: str | None = None, direct: bool = True, bo: bool = True) -> dict[str, Any]:
    interest: dict[str, Any] = {
        "type": kind,
        "directOrIndirect": "direct" if direct else "indirect",
        "beneficialOwnershipOrControl": bo,
    }
    if exact is not None:
        interest["share"] = {"exact": exact}
    elif lo is not None or hi is not None:
        interest["share"] = {k: v for k, v in (("minimum", lo), ("maximum", hi)) if v is not None}
    interest["startDate"] = start
    if end:
        interest["endDate"] = end
    return interest


REGISTRY = Registry(
    orgs=[
        # the declarant and its US parent (screened for § 791.304: clear)
        Org("meridian", "Meridian Motor Works LLC", "US"),
        Org("meridian-holdings", "Meridian Mobility Holdings Inc.", "US"),
        # RULE.md §12.2: German supplier 60 % held by a Cayman holdco wholly owned by a PRC company
        Org("nordlicht", "Nordlicht Telematik GmbH", "DE"),
        Org("nordlicht-stiftung", "Nordlicht Familienstiftung", "DE", with_lei=False),
        Org("harbor-crest", "Harbor Crest Holdings Ltd.", "KY"),
        Org("tianlan", "Shenzhen Tianlan Electronics Co., Ltd.", "CN", aliases=("深圳天蓝电子有限公司",)),
        # RULE.md §12.3: Hong Kong-incorporated supplier
        Org("pearl-river", "Pearl River Wireless Limited", "HK", aliases=("珠江無線有限公司",)),
        # RULE.md §12.4: Mexican subsidiary of a PRC parent
        Org("tib", "Tecnologías Inalámbricas del Bajío, S.A. de C.V.", "MX"),
        Org("lingyun", "Hangzhou Lingyun Microsystems Co., Ltd.", "CN", aliases=("杭州凌云微系统有限公司",)),
        # a Russian supplier (jurisdiction prong)
        Org("severny", "Severny Telecom JSC", "RU", aliases=("АО «Северный Телеком»",)),
        # other PRC companies
        Org("qinghe", "Qinghe Cloud Technologies Co., Ltd.", "CN"),
        Org("xinhe", "Dongguan Xinhe Components Co., Ltd.", "CN"),
        Org("jiangnan-vc", "Jiangnan Venture Capital Co., Ltd.", "CN", with_lei=False),
        # RULE.md §12.15: clear foreign suppliers (foreign interest → DoC)
        Org("hoshizora", "Hoshizora Devices K.K.", "JP"),
        Org("kitsune", "Kitsune Software K.K.", "JP"),
        Org("rheinfeld", "Rheinfeld Halbleiter AG", "DE"),
        Org("brandt-kessler", "Brandt & Kessler Software GmbH", "DE"),
        # a US supplier with no foreign interest
        Org("lakeshore", "Lakeshore Antenna Corp.", "US"),
        # US supplier majority-held by a CN national who is also a US citizen (carve-out)
        Org("cobalt-ridge", "Cobalt Ridge Software Inc.", "US"),
        # RULE.md §12.1: 20 % passive PRC stake that is not the largest holding
        Org("brightwater", "Brightwater Semiconductor Ltd", "GB"),
        Org("thamesgate", "Thamesgate Pension Trust Ltd", "GB", with_lei=False),
        # a PRC shareholding that ended before as_of (history, not counted)
        Org("westmark", "Westmark Digital Ltd", "GB"),
        Org("harrow-lane", "Harrow Lane Capital LLP", "GB", with_lei=False),
    ],
    persons=[
        Person("chen-mingyu", "Chen Mingyu", ("CN", "US")),
        Person("dana-whitfield", "Dana Whitfield", ("US",)),
        Person("priya-raman", "Priya Raman", ("US",)),
    ],
    rels=[
        Rel("meridian", "meridian-holdings", (share("shareholding", 100, start="2019-02-01"),
                                              share("votingRights", 100, start="2019-02-01"))),
        Rel("nordlicht", "harbor-crest", (share("shareholding", 60, start="2021-07-01", bo=False),
                                          share("votingRights", 60, start="2021-07-01", bo=False))),
        Rel("nordlicht", "nordlicht-stiftung", (share("shareholding", 40, start="2004-03-15", bo=False),)),
        Rel("harbor-crest", "tianlan", (share("shareholding", 100, start="2021-06-01", bo=False),
                                        share("appointmentOfBoard", start="2021-06-01", bo=False))),
        Rel("tib", "lingyun", (share("shareholding", 99.9, start="2020-09-01", bo=False),
                               share("boardMember", start="2020-09-01", bo=False))),
        Rel("brightwater", "thamesgate", (share("shareholding", 45, start="2016-05-01", bo=False),)),
        Rel("brightwater", "jiangnan-vc", (share("shareholding", 20, start="2023-02-01", bo=False),),
            note="passive financial stake, no board seat"),
        Rel("westmark", "qinghe", (share("shareholding", 51, start="2019-04-01", end="2025-06-30", bo=False),)),
        Rel("westmark", "harrow-lane", (share("shareholding", 51, start="2025-06-30", bo=False),)),
        Rel("cobalt-ridge", "chen-mingyu", (share("shareholding", 70, start="2017-08-01"),
                                            share("boardMember", start="2017-08-01"))),
        Rel("cobalt-ridge", "priya-raman", (share("shareholding", 30, start="2017-08-01"),)),
        Rel("lakeshore", "dana-whitfield", (share("shareholding", lo=75, hi=100, start="2012-01-01"),)),
    ],
)

ORG_IDS = {o.key: f"aurora-ent-{o.key}" for o in REGISTRY.orgs}
PERSON_IDS = {p.key: f"aurora-per-{p.key}" for p in REGISTRY.persons}
ALL_IDS = {**ORG_IDS, **PERSON_IDS}
LEIS = {o.key: lei(o.key) for o in REGISTRY.orgs if o.with_lei}


def _publication() -> dict[str, Any]:
    return {
        "publicationDate": PUBLISHED,
        "bodsVersion": "0.4",
        "publisher": {"name": "cvcomply example data (invented)"},
    }


def bods_records() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for o in REGISTRY.orgs:
        details: dict[str, Any] = {
            "isComponent": False,
            "entityType": {"type": "registeredEntity"},
            "name": o.name,
            "jurisdiction": {"name": COUNTRY_NAMES[o.country], "code": o.country},
            "addresses": [{"type": "registered", "address": f"Registered office, {COUNTRY_NAMES[o.country]}",
                           "country": {"name": COUNTRY_NAMES[o.country], "code": o.country}}],
        }
        if o.aliases:
            details["alternateNames"] = list(o.aliases)
        if o.key in LEIS:
            details["identifiers"] = [{"scheme": "XI-LEI", "schemeName": "Global Legal Entity Identifier Index",
                                       "id": LEIS[o.key]}]
        out.append({
            "statementId": uid("statement", o.key),
            "declarationSubject": ORG_IDS[o.key],
            "statementDate": PUBLISHED,
            "publicationDetails": _publication(),
            "recordId": ORG_IDS[o.key],
            "recordStatus": "new",
            "recordType": "entity",
            "recordDetails": details,
        })
    for p in REGISTRY.persons:
        out.append({
            "statementId": uid("statement", p.key),
            "declarationSubject": PERSON_IDS[p.key],
            "statementDate": PUBLISHED,
            "publicationDetails": _publication(),
            "recordId": PERSON_IDS[p.key],
            "recordStatus": "new",
            "recordType": "person",
            "recordDetails": {
                "isComponent": False,
                "personType": "knownPerson",
                "names": [{"type": "legal", "fullName": p.name}],
                "nationalities": [{"name": COUNTRY_NAMES[c], "code": c} for c in p.nationalities],
            },
        })
    for r in REGISTRY.rels:
        rec: dict[str, Any] = {
            "statementId": uid("statement", "rel", r.subject, r.holder),
            "declarationSubject": ALL_IDS[r.subject],
            "statementDate": PUBLISHED,
            "publicationDetails": _publication(),
            "recordId": f"aurora-rel-{r.holder}-in-{r.subject}",
            "recordStatus": "new",
            "recordType": "relationship",
            "recordDetails": {
                "isComponent": False,
                "subject": ALL_IDS[r.subject],
                "interestedParty": ALL_IDS[r.holder],
                "interests": list(r.interests),
            },
        }
        if r.note:
            rec["annotations"] = [{"motivation": "commenting", "description": r.note,
                                   "statementPointerTarget": "/recordDetails/interests/0",
                                   "createdBy": {"name": "cvcomply example data (invented)"}}]
        out.append(rec)
    return out


# ----------------------------------------------------------------------------------------------------
# BOMs (CycloneDX JSON)
# ----------------------------------------------------------------------------------------------------


@dataclass
class C:
    ref: str
    type: str
    name: str
    version: str
    purl: str
    supplier: tuple[str, str | None] | None = None  # (name, country) — country None: not stated
    manufacturer: tuple[str, str | None] | None = None
    authors: tuple[str, ...] = ()
    props: dict[str, str] = field(default_factory=dict)
    children: list[C] = field(default_factory=list)
    description: str = ""


def _org(name: str, country: str | None, with_address: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"name": name}
    if country and with_address:
        d["address"] = {"country": country}
    return d


def cdx_component(c: C, spec: str) -> dict[str, Any]:
    v16 = spec >= "1.6"
    d: dict[str, Any] = {"type": c.type, "bom-ref": c.ref}
    if c.supplier:
        d["supplier"] = _org(*c.supplier, with_address=v16)
    if c.manufacturer and v16:
        d["manufacturer"] = _org(*c.manufacturer, with_address=True)
    if c.authors and v16:
        d["authors"] = [{"name": a} for a in c.authors]
    d["name"] = c.name
    d["version"] = c.version
    if c.description:
        d["description"] = c.description
    d["purl"] = c.purl
    if c.props:
        d["properties"] = [{"name": f"cvcomply:{k}", "value": v} for k, v in c.props.items()]
    if c.children:
        d["components"] = [cdx_component(k, spec) for k in c.children]
    return d


def cdx_bom(key: str, spec: str, root: dict[str, Any], comps: list[C]) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "timestamp": BOM_TIME,
        "component": root,
        "supplier": {"name": "Meridian Motor Works LLC"},
    }
    if spec >= "1.6":
        meta["supplier"]["address"] = {"country": "US"}
        meta["manufacturer"] = {"name": "Meridian Motor Works LLC", "address": {"country": "US"}}
        meta["authors"] = [{"name": "Meridian Motor Works LLC supply-chain compliance team"}]
    return {
        "$schema": f"http://cyclonedx.org/schema/bom-{spec}.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": spec,
        "serialNumber": f"urn:uuid:{uid('bom', key)}",
        "version": 1,
        "metadata": meta,
        "components": [cdx_component(c, spec) for c in comps],
    }


def P(**kw: str) -> dict[str, str]:
    """cvcomply hint properties; keyword underscores become hyphens (rf_max_mhz → rf-max-mhz)."""
    return {k.replace("_", "-"): v for k, v in kw.items()}


NORDLICHT = ("Nordlicht Telematik GmbH", "DE")
PEARL = ("Pearl River Wireless Limited", "HK")
TIB = ("Tecnologías Inalámbricas del Bajío, S.A. de C.V.", "MX")
SEVERNY = ("Severny Telecom JSC", "RU")
HOSHIZORA = ("Hoshizora Devices K.K.", "JP")
KITSUNE = ("Kitsune Software K.K.", "JP")
RHEINFELD = ("Rheinfeld Halbleiter AG", "DE")
BRANDT = ("Brandt & Kessler Software GmbH", "DE")
LAKESHORE = ("Lakeshore Antenna Corp.", "US")
COBALT = ("Cobalt Ridge Software Inc.", "US")
BRIGHTWATER = ("Brightwater Semiconductor Ltd", "GB")
WESTMARK = ("Westmark Digital Ltd", "GB")
QINGHE = ("Qinghe Cloud Technologies Co., Ltd.", "CN")
XINHE = ("Dongguan Xinhe Components Co., Ltd.", "CN")
TIANLAN = ("Shenzhen Tianlan Electronics Co., Ltd.", "CN")
LINGYUN = ("Hangzhou Lingyun Microsystems Co., Ltd.", "CN")
MERIDIAN = ("Meridian Motor Works LLC", "US")

REMOTE_SERVICES_PURL = "pkg:generic/qinghe/remote-services@2.4.0"

TELEMATICS = [
    C("tcu", "device", "NT-TCU5 telematics control unit", "3.2", "pkg:generic/nordlicht/nt-tcu5@3.2",
      supplier=NORDLICHT, manufacturer=NORDLICHT,
      props=P(function="vcs", vcs_category="telematics-unit", rf_max_mhz="5925"),
      children=[
          C("tcu-cellular", "device", "PRW-M520 5G/LTE cellular module", "B2", "pkg:generic/pearl-river/prw-m520@B2",
            supplier=PEARL, manufacturer=PEARL,
            props=P(function="vcs", vcs_category="cellular-module", rf_max_mhz="4200"),
            children=[
                C("tcu-cellular-fw", "firmware", "PRW-M520 modem firmware", "R07.12",
                  "pkg:generic/pearl-river/prw-m520-firmware@R07.12", supplier=PEARL, authors=(PEARL[0],),
                  props=P(function="vcs", software_kind="firmware")),
            ]),
          C("tcu-gnss", "device", "HZ-GN8 multi-band GNSS receiver", "1.1", "pkg:generic/hoshizora/hz-gn8@1.1",
            supplier=HOSHIZORA, manufacturer=HOSHIZORA,
            props=P(function="vcs", vcs_category="gnss-receiver", rf_max_mhz="1610")),
          C("tcu-wifi-bt", "device", "TIB-WB2 Wi-Fi 6 / Bluetooth 5.3 combo module", "2.0",
            "pkg:generic/tib/tib-wb2@2.0", supplier=TIB, manufacturer=TIB,
            props=P(function="vcs", vcs_category="wifi-module", rf_max_mhz="5895")),
          C("tcu-soc", "device", "BW-A78 automotive application processor", "A1", "pkg:generic/brightwater/bw-a78@A1",
            supplier=BRIGHTWATER, manufacturer=BRIGHTWATER, props=P(function="vcs", vcs_category="soc")),
          C("tcu-mcu", "device", "RH-S32 safety microcontroller", "C0", "pkg:generic/rheinfeld/rh-s32@C0",
            supplier=RHEINFELD, manufacturer=RHEINFELD, props=P(function="vcs", vcs_category="mcu")),
          C("tcu-res-array", "device", "Thick-film resistor array 4x10k 0606", "1",
            "pkg:generic/xinhe/rarray-4x10k@1", supplier=XINHE, manufacturer=XINHE, props=P(vcs_category="passive")),
          C("tcu-cap-array", "device", "MLCC capacitor array 4x100nF 0612", "1",
            "pkg:generic/xinhe/carray-4x100n@1", supplier=XINHE, manufacturer=XINHE, props=P(vcs_category="passive")),
      ]),
    C("v2x", "device", "SV-C2X PC5 V2X module", "1.4", "pkg:generic/severny/sv-c2x@1.4",
      supplier=SEVERNY, manufacturer=SEVERNY, props=P(function="vcs", vcs_category="v2x-module", rf_max_mhz="5925")),
    C("roof-antenna", "device", "LA-7 seven-band shark-fin roof antenna", "7.0", "pkg:generic/lakeshore/la-7@7.0",
      supplier=LAKESHORE, manufacturer=LAKESHORE,
      props=P(function="vcs", vcs_category="antenna", rf_max_mhz="5925")),
]

INFOTAINMENT = [
    C("ivi-os", "operating-system", "Aurora IVI OS", "12.4", "pkg:generic/kitsune/aurora-ivi-os@12.4",
      supplier=KITSUNE, authors=(KITSUNE[0],), props=P(function="vcs", software_kind="os"),
      children=[
          C("ivi-display-fw", "firmware", "IVI display controller firmware", "0.9.7",
            "pkg:generic/kitsune/ivi-display-fw@0.9.7", supplier=KITSUNE,
            props=P(function="vcs", software_kind="firmware")),
      ]),
    C("connectbridge", "framework", "ConnectBridge telematics middleware", "5.1.0",
      "pkg:generic/nordlicht/connectbridge@5.1.0", supplier=("Nordlicht Telematik", "DE"),
      props=P(function="vcs", software_kind="middleware")),
    C("bluelink", "library", "BlueLink Bluetooth host stack", "3.0.2", "pkg:generic/tib/bluelink@3.0.2",
      supplier=("Tecnologias Inalambricas del Bajio SA de CV", "MX"),
      props=P(function="vcs", software_kind="middleware")),
    C("ota-client", "application", "Meridian OTA update client", "6.0.3", "pkg:generic/meridian/ota-client@6.0.3",
      supplier=MERIDIAN, authors=(MERIDIAN[0],), props=P(function="vcs", software_kind="application")),
    C("nav-app", "application", "Wegweiser navigation", "8.3.0", "pkg:generic/brandt-kessler/wegweiser@8.3.0",
      supplier=BRANDT, authors=(BRANDT[0],), props=P(function="vcs", software_kind="application")),
    C("media-app", "application", "Cobalt media player", "4.0.1", "pkg:generic/cobalt-ridge/media-player@4.0.1",
      supplier=COBALT, props=P(function="vcs", software_kind="application")),
    C("remote-services", "application", "Qinghe remote services app", "2.4.0", REMOTE_SERVICES_PURL,
      supplier=QINGHE, authors=(QINGHE[0],), props=P(function="vcs", software_kind="application")),
    C("fleet-agent", "application", "FleetPulse diagnostics agent", "1.9.2", "pkg:generic/fleetpulse/agent@1.9.2",
      supplier=("Silverline Data Systems", None), props=P(function="vcs", software_kind="application")),
    C("parking-app", "application", "ParkSmart parking finder", "3.1.0", "pkg:generic/westmark/parksmart@3.1.0",
      supplier=WESTMARK, props=P(function="vcs", software_kind="application")),
    C("zlib", "library", "zlib", "1.3.1", "pkg:generic/zlib@1.3.1",
      props=P(function="vcs", open_source="unmodified")),
    C("sqlite", "library", "sqlite", "3.46.1", "pkg:generic/sqlite@3.46.1",
      props=P(function="vcs", open_source="unmodified")),
    C("curl", "library", "libcurl", "8.9.1", "pkg:generic/curl@8.9.1",
      props=P(function="vcs", open_source="unmodified")),
    C("lingyun-json", "library", "lingyun-json", "2.2.0", "pkg:generic/lingyun/lingyun-json@2.2.0",
      supplier=LINGYUN, authors=(LINGYUN[0],), props=P(function="vcs", open_source="unmodified")),
    C("mqtt-lite", "library", "mqtt-lite (Meridian fork)", "1.8.0-mmw3", "pkg:generic/pearl-river/mqtt-lite@1.8.0-mmw3",
      supplier=PEARL,
      description="Open-source MQTT client modified by the supplier for this program and not redistributed",
      props=P(function="vcs", software_kind="middleware", open_source="modified-proprietary", developer=PEARL[0])),
    C("can-gateway", "application", "CAN gateway service", "2.7.5", "pkg:generic/tianlan/can-gateway@2.7.5",
      supplier=TIANLAN,
      props=P(function="vcs", software_kind="middleware", developer=TIANLAN[0], completed_before="2025-09-30",
              maintained_by=RHEINFELD[0])),
    C("sevtel-stack", "library", "SevTel telematics protocol stack", "2.0.4", "pkg:generic/severny/sevtel-stack@2.0.4",
      supplier=SEVERNY, props=P(function="vcs", software_kind="middleware", completed_before="2025-11-30")),
]

ADS = [
    C("pilot3", "application", "Pilot3 automated driving stack (SAE Level 3)", "4.2.0",
      "pkg:generic/kitsune/pilot3@4.2.0", supplier=("Kitsune Software KK", "JP"),
      props=P(function="ads", software_kind="application"),
      children=[
          C("pilot3-perception", "library", "Pilot3 perception fusion module", "4.2.0",
            "pkg:generic/lingyun/pilot3-perception@4.2.0", supplier=LINGYUN, authors=(LINGYUN[0],),
            props=P(function="ads", software_kind="application")),
          C("pilot3-planning", "library", "Pilot3 motion planning module", "4.2.0",
            "pkg:generic/cobalt-ridge/pilot3-planning@4.2.0", supplier=COBALT,
            props=P(function="ads", software_kind="application")),
      ]),
    C("hd-map-client", "application", "HD map client", "3.3.0", "pkg:generic/brandt-kessler/hd-map-client@3.3.0",
      supplier=BRANDT, props=P(function="vcs,ads", software_kind="application")),
    C("laneguard", "application", "LaneGuard L2 lane-keeping assist", "1.6.0", "pkg:generic/qinghe/laneguard@1.6.0",
      supplier=QINGHE, description="SAE Level 2 driver assistance; no wireless function",
      props=P(function="none", software_kind="application")),
]

# CycloneDX 1.5: no supplier address and no component manufacturer — those facts come from the registry.
BODY = [
    C("key-fob", "device", "433 MHz remote key fob", "2.1", "pkg:generic/xinhe/keyfob-433@2.1", supplier=XINHE,
      props=P(vcs_category="other-wireless", rf_max_mhz="433.92")),
    C("tpms-rx", "device", "315 MHz tire-pressure receiver", "1.0", "pkg:generic/xinhe/tpms-rx-315@1.0",
      supplier=XINHE, props=P(vcs_category="other-wireless", rf_max_mhz="315")),
    C("uwb-anchor", "device", "UWB digital-key anchor (vehicle access only)", "1.3",
      "pkg:generic/tianlan/uwb-anchor@1.3", supplier=TIANLAN,
      props=P(function="none", vcs_category="other-wireless", rf_max_mhz="7987")),
    C("front-radar", "device", "77 GHz front corner radar", "5.0", "pkg:generic/tianlan/radar-77@5.0",
      supplier=TIANLAN, props=P(function="none")),
    C("bcm-mcu", "device", "Body control module microcontroller (no radio)", "B3", "pkg:generic/rheinfeld/rh-b16@B3",
      supplier=RHEINFELD, props=P(function="none", vcs_category="mcu")),
    C("ambient-light", "device", "Ambient lighting controller", "1.2", "pkg:generic/xinhe/ambient-ctl@1.2",
      supplier=XINHE, props=P(function="none")),
]


def subject_props(**kw: str) -> list[dict[str, str]]:
    """Hints for a BOM's subject (``metadata.component``): the assembly Meridian itself integrates.

    cvcomply screens the subject like any component, so it says what it is: the telematics domain and
    the two software images are Meridian's own VCS/ADS items; the body domain has no VCS function.
    """
    return [{"name": f"cvcomply:{k}", "value": v} for k, v in P(**kw).items()]


def count(cs: list[C]) -> int:
    return sum(1 + count(c.children) for c in cs)


# ----------------------------------------------------------------------------------------------------
# Manifest and reviewer decisions (YAML written by hand: stdlib only)
# ----------------------------------------------------------------------------------------------------

PROGRAM_YAML = f"""\
# Invented example program for cvcomply — every company, person and identifier is fictional.
# Regenerate with: python examples/aurora/generate.py
cvcomply: 1
program:
  name: Aurora EV
  declarant:
    name: Meridian Motor Works LLC
    role: [connected-vehicle-manufacturer, vcs-hardware-importer]
    country: US
    ids: {{lei: {LEIS["meridian"]}}}
  vehicle:
    make: Meridian
    model: Aurora
    trims: [Base, Touring, Pilot]
    model_years: [2026, 2027, 2028, 2029, 2030]
    gvwr_lbs: 5800
    ads_level: 3
    imported: false
  purpose: sale
boms:
  - bom/telematics.hbom.cdx.json
  - bom/infotainment.sbom.cdx.json
  - bom/ads.sbom.cdx.json
  - bom/body.hbom.cdx.json
ownership:
  - owners/suppliers.bods.json
authorizations:
  - id: SA-2026-0117
    kind: specific
    valid_from: 2026-06-01
    valid_to: 2027-12-31
    components: ["{REMOTE_SERVICES_PURL}"]
    model_years: [2027]
decisions: decisions.yaml
as_of: {AS_OF}
"""

DECISIONS_YAML = f"""\
# Reviewer decisions for the invented Aurora EV example (append-only; newest last).
cvcomply_decisions: 1
decisions:
  - kind: match
    party: "Nordlicht Telematik"
    country: DE
    entity: "{ORG_IDS["nordlicht"]}"
    verdict: confirm
    by: j.doe@example.com
    at: 2026-10-01T09:30:00Z
    why: "ConnectBridge licence agreement is signed by Nordlicht Telematik GmbH (LEI {LEIS["nordlicht"]})"
  - kind: match
    party: "Kitsune Software KK"
    country: JP
    entity: "{ORG_IDS["kitsune"]}"
    verdict: confirm
    by: a.roe@example.com
    at: 2026-10-03T14:05:00Z
    why: "Same registered office and LEI as Kitsune Software K.K. on the Pilot3 supply contract"
"""


def write(rel: str, text: str) -> None:
    path = HERE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def dump(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


SUBJECTS = {
    "telematics": ("1.6", {"type": "device", "bom-ref": "aurora-telematics", "name": "Aurora telematics domain",
                           "version": "MY2027",
                           "properties": subject_props(function="vcs", vcs_category="telematics-unit")}),
    "infotainment": ("1.6", {"type": "application", "bom-ref": "aurora-ivi-image",
                             "name": "Aurora infotainment software image", "version": "2027.1",
                             "properties": subject_props(function="vcs", software_kind="application")}),
    "ads": ("1.6", {"type": "application", "bom-ref": "aurora-pilot", "name": "Aurora Pilot ADS software",
                    "version": "2027.1", "properties": subject_props(function="ads", software_kind="application")}),
    "body": ("1.5", {"type": "device", "bom-ref": "aurora-body", "name": "Aurora body domain", "version": "MY2027",
                     "properties": subject_props(function="none")}),
}


def main() -> None:
    for key, file, comps in (("telematics", "bom/telematics.hbom.cdx.json", TELEMATICS),
                             ("infotainment", "bom/infotainment.sbom.cdx.json", INFOTAINMENT),
                             ("ads", "bom/ads.sbom.cdx.json", ADS),
                             ("body", "bom/body.hbom.cdx.json", BODY)):
        spec, subject = SUBJECTS[key]
        write(file, dump(cdx_bom(key, spec, subject, comps)))
    write("owners/suppliers.bods.json", dump(bods_records()))
    write("program.yaml", PROGRAM_YAML)
    write("decisions.yaml", DECISIONS_YAML)
    n = count(TELEMATICS) + count(INFOTAINMENT) + count(ADS) + count(BODY)
    print(f"wrote examples/aurora: {n} components + 4 BOM subjects, {len(bods_records())} BODS records")


if __name__ == "__main__":
    main()
