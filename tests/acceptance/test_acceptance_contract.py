"""Acceptance tests of the public contracts, written from the documents alone, as an outside reviewer would.

Sources: DESIGN.md §4 (manifest §4.1, `cvcomply:` properties §4.2, JSON report §4.3, CLI and exit codes §4.4),
DESIGN.md §3 readings 8–10 and 12–14, RULE.md §5 (DoC trigger) and §6 (authorizations). Each case names the
section it comes from. Every case builds a small program through the public surface only: a `cvcomply: 1`
manifest, CycloneDX 1.6 JSON BOMs (one SPDX 2.3 JSON BOM) with `cvcomply:` properties and a BODS 0.4 ownership
file; it screens it with `cvcomply screen MANIFEST --json` (subprocess, where the exit code or the stdout matters)
or with `cvcomply.screen` + `render_json` (the same report, in-process, for speed) and reads the JSON report.

All data here is invented for these tests: every company, name, identifier, date and file is fictional and made
by this project.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

import cvcomply
from cvcomply.outputs.json_report import render_json

# ---------------------------------------------------------------------------------------------------------------
# Invented data builders (CycloneDX 1.6, SPDX 2.3, BODS 0.4, manifest)
# ---------------------------------------------------------------------------------------------------------------


def lei(prefix: str) -> str:
    """An invented LEI with valid ISO 17442 check digits (prefix: 18 upper-case letters/digits)."""
    assert len(prefix) == 18
    digits = "".join(str(int(c, 36)) for c in prefix + "00")
    return f"{prefix}{98 - int(digits) % 97:02d}"


@dataclass
class Co:
    """An entity of the invented ownership registry (BODS 0.4 entity statement)."""

    id: str
    name: str
    country: str
    lei: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class Own:
    """A BODS 0.4 relationship: ``holder`` has ``share`` % of ``subject``."""

    holder: str
    subject: str
    share: float
    interest: str = "shareholding"
    start: str = "2020-01-01"
    end: str | None = None


@dataclass
class Comp:
    """A CycloneDX component; supplier/manufacturer/authors given by name (and optional country)."""

    ref: str
    name: str
    supplier: str | None = None
    country: str | None = None
    type: str = "application"
    props: dict[str, str] = field(default_factory=dict)
    manufacturer: str | None = None
    authors: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def purl(self) -> str:
        return f"pkg:generic/{self.ref}@1.0"


SW_PROPS = {"function": "vcs", "software-kind": "application"}
HW_PROPS = {"function": "vcs", "vcs-category": "telematics-unit", "rf-max-mhz": "1900"}


def sw(ref: str, supplier: str | None, country: str | None = None, **props: str) -> Comp:
    """Covered-software candidate: VCS application software."""
    return Comp(ref, f"{ref} app", supplier, country, "application", {**SW_PROPS, **props})


def hw(ref: str, supplier: str | None, country: str | None = None, **props: str) -> Comp:
    """VCS hardware candidate: a telematics unit at 1,900 MHz."""
    return Comp(ref, f"{ref} unit", supplier, country, "device", {**HW_PROPS, **props})


DECL_LEI = lei("5493TESTMOTORS0001")
DECL = Co("decl", "Test Motors LLC", "US", DECL_LEI)
CN_CO = Co("cn-jade", "Jade River Software Co., Ltd.", "CN")
JP_CO = Co("jp-sakura", "Sakura Soft K.K.", "JP")
US_CO = Co("us-liberty", "Liberty Code Inc.", "US")
DE_SUB = Co("de-nordwind", "Nordwind Funk GmbH", "DE")
CN_PARENT = Co("cn-lantern", "Red Lantern Holdings Ltd.", "CN")
REGISTRY = [DECL, CN_CO, JP_CO, US_CO, DE_SUB, CN_PARENT]
CHAIN = [Own("cn-lantern", "de-nordwind", 60)]
AS_OF = "2026-11-24"


def _sid(record_id: str) -> str:
    """A BODS 0.4 statementId (32–64 characters), derived from the record id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:cvcomply-acceptance:{record_id}"))


def bods(cos: Sequence[Co], owns: Sequence[Own]) -> list[dict[str, Any]]:
    pub = {"publicationDate": "2026-01-01", "bodsVersion": "0.4", "publisher": {"name": "cvcomply acceptance tests"}}
    out: list[dict[str, Any]] = []
    for c in cos:
        details: dict[str, Any] = {"isComponent": False, "entityType": {"type": "registeredEntity"}, "name": c.name,
                                   "jurisdiction": {"name": c.country, "code": c.country}}
        if c.lei:
            details["identifiers"] = [{"scheme": "XI-LEI", "id": c.lei}]
        if c.aliases:
            details["alternateNames"] = list(c.aliases)
        out.append({"statementId": _sid(c.id), "declarationSubject": c.id, "statementDate": "2026-01-01",
                    "recordId": c.id, "recordStatus": "new", "recordType": "entity", "publicationDetails": pub,
                    "recordDetails": details})
    for i, o in enumerate(owns):
        interest: dict[str, Any] = {"type": o.interest, "directOrIndirect": "direct",
                                    "beneficialOwnershipOrControl": False, "share": {"exact": o.share},
                                    "startDate": o.start}
        if o.end:
            interest["endDate"] = o.end
        out.append({"statementId": _sid(f"rel-{i}"), "declarationSubject": o.subject,
                    "statementDate": "2026-01-01", "recordId": f"rel-{i}", "recordStatus": "new",
                    "recordType": "relationship", "publicationDetails": pub,
                    "recordDetails": {"isComponent": False, "subject": o.subject, "interestedParty": o.holder,
                                      "interests": [interest]}})
    return out


def cyclonedx(comps: Sequence[Comp]) -> dict[str, Any]:
    out = []
    for p in comps:
        c: dict[str, Any] = {"type": p.type, "bom-ref": p.ref, "name": p.name, "version": "1.0", "purl": p.purl}
        if p.supplier:
            c["supplier"] = {"name": p.supplier}
            if p.country:
                c["supplier"]["address"] = {"country": p.country}
        if p.manufacturer:
            c["manufacturer"] = {"name": p.manufacturer}
        if p.authors:
            c["authors"] = [{"name": a} for a in p.authors]
        if p.props:
            c["properties"] = [{"name": f"cvcomply:{k}", "value": v} for k, v in p.props.items()]
        c.update(p.extra)
        out.append(c)
    return {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "serialNumber": "urn:uuid:0b7d6c1e-1f8a-4c55-9d51-acce97a0c0de", "components": out}


def write(folder: Path, comps: Sequence[Comp], cos: Sequence[Co] = REGISTRY, owns: Sequence[Own] = CHAIN, *,
          model_years: Sequence[int] | None = (2027,), role: str | list[str] = "connected-vehicle-manufacturer",
          purpose: str = "sale", imported: bool = False, as_of: str | None = AS_OF,
          declarant: dict[str, Any] | None = None, **top: Any) -> Path:
    """Write manifest + bom.cdx.json + owners.bods.json; ``model_years=None`` leaves the vehicle out.

    Keyword ``top`` adds top-level manifest keys (authorizations, decisions, ...); ``program_extra`` adds keys
    under ``program`` (hardware_imports, ...); ``vehicle_extra`` adds keys under ``vehicle``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bom.cdx.json").write_text(json.dumps(cyclonedx(comps)))
    (folder / "owners.bods.json").write_text(json.dumps(bods(cos, owns)))
    program: dict[str, Any] = {
        "name": "Acceptance program",
        "declarant": declarant or {"name": DECL.name, "role": role, "country": "US", "ids": {"lei": DECL_LEI}},
        "purpose": purpose,
    }
    if model_years is not None:
        program["vehicle"] = {"make": "Testa", "model": "Uno", "trims": ["Base"], "model_years": list(model_years),
                              "gvwr_lbs": 5000, "ads_level": 2, "imported": imported,
                              **top.pop("vehicle_extra", {})}
    program.update(top.pop("program_extra", {}))
    manifest: dict[str, Any] = {"cvcomply": 1, "program": program, "boms": ["bom.cdx.json"],
                                "ownership": ["owners.bods.json"]}
    if as_of is not None:
        manifest["as_of"] = as_of
    manifest.update(top)
    (folder / "program.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True))
    return folder / "program.yaml"


def report(manifest: Path, as_of: str | None = None) -> dict[str, Any]:
    """The JSON report, in-process (the same renderer as `cvcomply screen --json`)."""
    day = dt.date.fromisoformat(as_of) if as_of else None
    return json.loads(render_json(cvcomply.screen(str(manifest), as_of=day)))


CLI = Path(sys.executable).with_name("cvcomply")


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = str(CLI) if CLI.exists() else (shutil.which("cvcomply") or "cvcomply")
    return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=60, check=False)


def screen_cli(manifest: Path, *args: str) -> tuple[int, dict[str, Any]]:
    p = cli("screen", manifest, "--json", *args)
    assert p.returncode != 2, p.stderr
    return p.returncode, json.loads(p.stdout)


def found(rep: dict[str, Any], ref: str, year: int | None = None, *, any_year: bool = False) -> list[dict[str, Any]]:
    return [f for f in rep["findings"] if f["component"]["bom_ref"] == ref and (any_year or f["model_year"] == year)]


def one(rep: dict[str, Any], ref: str, year: int | None = None, import_date: str | None = None) -> dict[str, Any]:
    hits = [f for f in found(rep, ref, year) if import_date is None or f.get("import_date") == import_date]
    assert len(hits) == 1, [(f["component"]["bom_ref"], f["model_year"], f.get("import_date"))
                            for f in rep["findings"]]
    return hits[0]


def verdict(rep: dict[str, Any], ref: str, year: int | None = 2027) -> str:
    return str(one(rep, ref, year)["verdict"])


def year_row(rep: dict[str, Any], year: int) -> dict[str, Any]:
    rows = [r for r in rep["model_years"] if r["model_year"] == year]
    assert len(rows) == 1, rep["model_years"]
    return rows[0]


ORDER = ["prohibited", "needs_review", "authorized", "exempt", "permitted", "out_of_scope"]

# ---------------------------------------------------------------------------------------------------------------
# §4.3 JSON report, field by field
# ---------------------------------------------------------------------------------------------------------------

MIXED = [
    sw("cn-app", CN_CO.name, "CN"),                 # prohibited MY2027, exempt MY2026
    sw("nw-app", "Nordwind Funk GmbH", "DE"),       # covered through a 60 % CN parent
    sw("jp-app", JP_CO.name, "JP"),                 # permitted (foreign interest)
    sw("orphan-app", None),                         # no party: needs_review (reading 10)
    Comp("fw", "modem firmware", JP_CO.name, "JP", "firmware", {"function": "vcs", "software-kind": "firmware"}),
]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = write(tmp_path_factory.mktemp("mixed"), MIXED, model_years=[2026, 2027])
    return path, report(path)


def test_4_3_report_top_level_fields(mixed: tuple[Path, dict[str, Any]]) -> None:
    """§4.3: cvcomply_report 1, rule/policy versions, as_of, program name and declarant nexus, summary."""
    _, rep = mixed
    assert rep["cvcomply_report"] == 1
    assert isinstance(rep["rule_version"], str) and rep["rule_version"]
    assert isinstance(rep["policy_version"], str) and rep["policy_version"]
    assert rep["as_of"] == AS_OF
    assert rep["program"]["name"] == "Acceptance program"
    assert rep["program"]["declarant"]["name"] == DECL.name
    assert rep["program"]["declarant"]["nexus"]["status"] == "clear"
    assert isinstance(rep["findings"], list) and rep["findings"]


def test_4_3_every_finding_has_the_contract_fields(mixed: tuple[Path, dict[str, Any]]) -> None:
    """§4.3 + DESIGN §2: id, model_year, component, classification, parties, verdict, rule, reasons, trace."""
    _, rep = mixed
    for f in rep["findings"]:
        assert isinstance(f["id"], str) and f["id"]
        assert f["model_year"] in (2026, 2027)
        c = f["component"]
        for key in ("bom_ref", "name", "version", "purl", "kind", "source"):
            assert key in c, key
        assert c["kind"] in ("hardware", "software")
        cl = f["classification"]
        assert isinstance(cl["vcs_hardware"], bool) and isinstance(cl["covered_software"], bool)
        assert cl["reasons"] and all({"text", "cite"} <= set(r) for r in cl["reasons"])
        assert isinstance(f["parties"], list)
        assert f["verdict"] in ORDER
        assert "rule" in f
        if f["verdict"] != "permitted":  # a permitted finding's rule may be null: see the report's gap list
            assert isinstance(f["rule"], str) and f["rule"], f
        assert f["reasons"] and all({"text", "cite"} <= set(r) and r["text"] for r in f["reasons"])
        assert isinstance(f["trace"], list) and f["trace"] and all(isinstance(t, str) for t in f["trace"])


def test_4_3_one_finding_per_component_and_model_year(mixed: tuple[Path, dict[str, Any]]) -> None:
    """§3 'per component, per model year': each component of a 2026+2027 vehicle has exactly one finding a year."""
    _, rep = mixed
    keys = Counter((f["component"]["bom_ref"], f["model_year"]) for f in rep["findings"])
    assert set(keys.values()) == {1}
    assert set(keys) == {(c.ref, y) for c in MIXED for y in (2026, 2027)}


def test_4_3_component_block(mixed: tuple[Path, dict[str, Any]]) -> None:
    """§4.3 component: bom_ref, name, version, purl from the BOM; kind; source as file#pointer."""
    _, rep = mixed
    f = one(rep, "cn-app", 2027)
    c = f["component"]
    assert (c["bom_ref"], c["name"], c["version"]) == ("cn-app", "cn-app app", "1.0")
    assert c["purl"] == "pkg:generic/cn-app@1.0"
    assert c["kind"] == "software"
    file, _, pointer = c["source"].partition("#")
    assert file.endswith("bom.cdx.json")
    assert pointer == "/components/0"
    assert one(rep, "fw", 2027)["component"]["source"].endswith("#/components/4")


def test_4_3_ids_unique_and_stable_across_runs(mixed: tuple[Path, dict[str, Any]]) -> None:
    """§4.3: finding id is a stable hash — unique within a report and the same on a second run (CLI vs API)."""
    path, rep = mixed
    ids = [f["id"] for f in rep["findings"]]
    assert len(set(ids)) == len(ids)
    rc, again = screen_cli(path)
    key = {(f["component"]["bom_ref"], f["model_year"]): f["id"] for f in rep["findings"]}
    assert key == {(f["component"]["bom_ref"], f["model_year"]): f["id"] for f in again["findings"]}
    assert rc == 1


def test_4_3_parties_match_and_nexus_shapes(mixed: tuple[Path, dict[str, Any]]) -> None:
    """§4.3 parties: role, name, entity {id, name}, match {method, score, reasons}, nexus {status, countries, ...}."""
    _, rep = mixed
    (p,) = one(rep, "cn-app", 2027)["parties"]
    assert p["role"] == "supplier"
    assert p["name"] == CN_CO.name
    assert p["entity"]["name"] == CN_CO.name and p["entity"]["id"]
    assert p["match"]["method"] in ("identifier", "name", "decision")
    assert isinstance(p["match"]["score"], int | float)
    assert isinstance(p["match"]["reasons"], list) and p["match"]["reasons"]
    nx = p["nexus"]
    assert nx["status"] == "covered"
    assert nx["countries"] == ["CN"]
    assert "jurisdiction" in nx["prongs"]
    assert isinstance(nx["paths"], list)


def test_4_3_ownership_paths_shape(mixed: tuple[Path, dict[str, Any]]) -> None:
    """§4.3 paths: a list of paths, each a list of {entity, share, interest}; a 60 % CN shareholding shows up."""
    _, rep = mixed
    (p,) = one(rep, "nw-app", 2027)["parties"]
    nx = p["nexus"]
    assert nx["status"] == "covered"
    assert "CN" in nx["countries"]
    assert nx["prongs"] and "jurisdiction" not in nx["prongs"]
    assert nx["paths"] and all(isinstance(path, list) and path for path in nx["paths"])
    steps = [s for path in nx["paths"] for s in path]
    assert all({"entity", "share", "interest"} <= set(s) for s in steps)
    assert any(s["share"] == 60 and s["interest"] == "shareholding" for s in steps)
    assert one(rep, "nw-app", 2027)["verdict"] == "prohibited"


def test_4_3_model_years_rows_and_summary(mixed: tuple[Path, dict[str, Any]]) -> None:
    """§4.3 + §3: a row per model year with verdict (worst of its findings), doc_required, counts; summary."""
    _, rep = mixed
    assert sorted(r["model_year"] for r in rep["model_years"]) == [2026, 2027]
    for row in rep["model_years"]:
        mine = [f["verdict"] for f in rep["findings"] if f["model_year"] == row["model_year"]]
        assert row["counts"] == dict(Counter(mine))
        assert row["verdict"] == min(mine, key=ORDER.index)
        assert isinstance(row["doc_required"], bool)
    assert year_row(rep, 2027)["verdict"] == "prohibited"
    assert year_row(rep, 2026)["verdict"] == "exempt"
    all_v = [f["verdict"] for f in rep["findings"]]
    assert rep["summary"]["verdict"] == "prohibited"
    assert rep["summary"]["counts"] == dict(Counter(all_v))


def test_4_3_verdicts_of_the_mixed_program(mixed: tuple[Path, dict[str, Any]]) -> None:
    """§3 verdicts: CN software MY2027 prohibited (791.303(b)), MY2026 exempt; JP permitted; firmware out of scope."""
    _, rep = mixed
    f = one(rep, "cn-app", 2027)
    assert (f["verdict"], f["rule"]) == ("prohibited", "15 CFR 791.303(b)")
    assert verdict(rep, "cn-app", 2026) == "exempt"
    assert verdict(rep, "jp-app") == "permitted"
    assert verdict(rep, "orphan-app") == "needs_review"   # reading 10: in scope, no party at all
    assert verdict(rep, "fw") == "out_of_scope"


# ---------------------------------------------------------------------------------------------------------------
# §4.1 manifest; reading 13 (model_years list); §4.3 import_dates
# ---------------------------------------------------------------------------------------------------------------


def test_4_1_importer_without_vehicle_judges_loose_hardware_by_import_date(tmp_path: Path) -> None:
    """§4.1 hardware_imports + §4.3 import_dates + RULE §12.12: no-MY unit 2028-12-31 exempt, 2029-01-01 prohibited."""
    path = write(tmp_path, [hw("tcu", CN_CO.name, "CN")], model_years=None, role="vcs-hardware-importer",
                 program_extra={"hardware_imports": ["2028-12-31", "2029-01-01"]})
    rep = report(path)
    early = one(rep, "tcu", None, "2028-12-31")
    late = one(rep, "tcu", None, "2029-01-01")
    assert early["model_year"] is None and late["model_year"] is None
    assert early["verdict"] == "exempt"
    assert early["id"] != late["id"]
    assert late["verdict"] == "prohibited" and "791.302" in late["rule"]
    rows = sorted(rep["import_dates"], key=lambda r: r["import_date"])
    assert [(r["import_date"], r["verdict"]) for r in rows] == [("2028-12-31", "exempt"), ("2029-01-01", "prohibited")]
    assert rep["summary"]["verdict"] == "prohibited"


def test_reading_13_model_years_lists_hint_years_of_an_importer(tmp_path: Path) -> None:
    """Reading 13 + §4.1: a `cvcomply:model-year` unit is judged by that year; model_years lists 2029 and 2030."""
    parts = [hw("tcu29", CN_CO.name, "CN", **{"model-year": "2029"}),
             hw("tcu30", CN_CO.name, "CN", **{"model-year": "2030"}),
             hw("loose", CN_CO.name, "CN")]
    path = write(tmp_path, parts, model_years=None, role="vcs-hardware-importer",
                 program_extra={"hardware_imports": ["2029-06-01"]})
    rep = report(path)
    assert sorted(r["model_year"] for r in rep["model_years"]) == [2029, 2030]
    assert all(f["model_year"] == 2029 for f in found(rep, "tcu29", any_year=True))
    assert {f["verdict"] for f in found(rep, "tcu29", any_year=True)} == {"exempt"}
    assert {f["verdict"] for f in found(rep, "tcu30", any_year=True)} == {"prohibited"}
    assert year_row(rep, 2030)["verdict"] == "prohibited"
    assert one(rep, "loose", None, "2029-06-01")["verdict"] == "prohibited"
    assert [r["import_date"] for r in rep["import_dates"]] == ["2029-06-01"]


def test_4_1_role_as_string_manufacturer_only_hardware_needs_review(tmp_path: Path) -> None:
    """§4.1 role string + reading 2: a manufacturer without the importer role gets needs_review for CN VCS hardware."""
    rep = report(write(tmp_path, [hw("tcu", CN_CO.name, "CN")], model_years=[2030]))
    assert verdict(rep, "tcu", 2030) == "needs_review"


def test_4_1_role_as_list_binds_791_302(tmp_path: Path) -> None:
    """§4.1 role list + reading 2: manufacturer + importer → CN VCS hardware MY2030 prohibited, MY2029 exempt."""
    rep = report(write(tmp_path, [hw("tcu", CN_CO.name, "CN")], model_years=[2029, 2030],
                       role=["connected-vehicle-manufacturer", "vcs-hardware-importer"]))
    f = one(rep, "tcu", 2030)
    assert f["verdict"] == "prohibited" and "791.302" in f["rule"]
    assert verdict(rep, "tcu", 2029) == "exempt"


@pytest.mark.parametrize(("imported", "rule"), [(False, "15 CFR 791.303(b)"), (True, "15 CFR 791.303(a), (b)")])
def test_4_1_vehicle_imported_flag_and_reading_3(tmp_path: Path, imported: bool, rule: str) -> None:
    """§4.1 vehicle.imported + reading 3: sale cites (b); an imported vehicle cites (a), (b) in that order."""
    rep = report(write(tmp_path, [sw("cn-app", CN_CO.name, "CN")], imported=imported))
    f = one(rep, "cn-app", 2027)
    assert (f["verdict"], f["rule"]) == ("prohibited", rule)


@pytest.mark.parametrize("purpose", ["sale", "testing", "display", "research", "repair", "warranty",
                                     "temporary-import"])
def test_4_1_every_purpose_value_is_accepted(tmp_path: Path, purpose: str) -> None:
    """§4.1 purpose: each listed value is a valid manifest (screen runs, no bad input, no warning on purpose)."""
    path = write(tmp_path, [sw("jp-app", JP_CO.name, "JP")], imported=True, purpose=purpose)
    rep = report(path)
    assert rep["findings"]
    assert not [w for w in rep.get("warnings", []) if "purpose" in json.dumps(w)]


@pytest.mark.parametrize(("hint_year", "expected"), [("2028", "exempt"), ("2030", "prohibited")])
def test_4_1_warranty_import_by_model_year(tmp_path: Path, hint_year: str, expected: str) -> None:
    """§4.1 purpose warranty + RULE §12.13: a CN TCU imported in 2031 for a MY2028 vehicle is exempt, MY2030 not."""
    path = write(tmp_path, [hw("tcu", CN_CO.name, "CN", **{"model-year": hint_year})], model_years=None,
                 role="vcs-hardware-importer", purpose="warranty", as_of="2031-03-01",
                 program_extra={"hardware_imports": ["2031-03-01"]})
    rep = report(path)
    assert {f["verdict"] for f in found(rep, "tcu", int(hint_year))} == {expected}


@pytest.mark.parametrize(("gvwr", "expected"), [(10000, "prohibited"), (10001, "out_of_scope")])
def test_4_1_gvwr_boundary(tmp_path: Path, gvwr: int, expected: str) -> None:
    """§4.1 vehicle.gvwr_lbs + RULE §12.14: 10,000 lb is in scope, 10,001 lb is not."""
    rep = report(write(tmp_path, [sw("cn-app", CN_CO.name, "CN")], vehicle_extra={"gvwr_lbs": gvwr}))
    assert verdict(rep, "cn-app") == expected


def test_4_1_as_of_from_manifest_and_default_today(tmp_path: Path) -> None:
    """§4.1 as_of (optional) + reading 9: echoed in the report; absent → today."""
    rep = report(write(tmp_path / "a", [sw("jp-app", JP_CO.name, "JP")], as_of="2026-07-04"))
    assert rep["as_of"] == "2026-07-04"
    rep = report(write(tmp_path / "b", [sw("jp-app", JP_CO.name, "JP")], as_of=None))
    assert rep["as_of"] == dt.date.today().isoformat()


def test_4_4_as_of_option_sets_the_date(tmp_path: Path) -> None:
    """§4.4 --as-of + reading 9: with no as_of in the manifest, the option's date is the report's as_of."""
    path = write(tmp_path, [sw("jp-app", JP_CO.name, "JP")], as_of=None)
    rc, rep = screen_cli(path, "--as-of", "2026-02-03")
    assert rep["as_of"] == "2026-02-03"
    assert rc == 0


def test_4_1_declarant_identified_by_lei_is_screened_for_791_304(tmp_path: Path) -> None:
    """§4.1 declarant ids.lei + §3 (declarant screened for § 791.304) + reading 4: a 60 % CN-owned declarant."""
    owns = [*CHAIN, Own("cn-lantern", "decl", 60)]
    decl = {"name": "Test Motors North America", "role": "connected-vehicle-manufacturer", "country": "US",
            "ids": {"lei": DECL_LEI}}
    rep = report(write(tmp_path, [sw("jp-app", JP_CO.name, "JP"), hw("jp-tcu", JP_CO.name, "JP")],
                       owns=owns, model_years=[2026, 2027], declarant=decl))
    assert rep["program"]["declarant"]["nexus"]["status"] == "covered"
    for ref in ("jp-app", "jp-tcu"):
        f = one(rep, ref, 2027)
        assert f["verdict"] == "prohibited" and "791.304" in f["rule"]
        assert verdict(rep, ref, 2026) == "exempt"


def test_4_1_decisions_file_missing_is_bad_input(tmp_path: Path) -> None:
    """§4.1 decisions + §4.4: a manifest naming a decisions file that is not there → exit 2 naming the file."""
    path = write(tmp_path, [sw("jp-app", JP_CO.name, "JP")], decisions="no-such-decisions.yaml")
    p = cli("screen", path, "--json")
    assert p.returncode == 2
    assert "no-such-decisions.yaml" in p.stderr + p.stdout


# ---------------------------------------------------------------------------------------------------------------
# §4.1 authorizations; reading 12; RULE.md §6
# ---------------------------------------------------------------------------------------------------------------

CN_PURL = "pkg:generic/cn-app@1.0"


def sa(**kw: Any) -> dict[str, Any]:
    return {"id": "SA-2026-0001", "kind": "specific", "valid_from": "2026-06-01", "valid_to": "2028-05-31",
            "components": [CN_PURL], "model_years": [2027], **kw}


def sa_program(folder: Path, auth: dict[str, Any], as_of: str = AS_OF, owns: Sequence[Own] = CHAIN) -> dict[str, Any]:
    return report(write(folder, [sw("cn-app", CN_CO.name, "CN")], owns=owns, model_years=[2027, 2028], as_of=as_of,
                        authorizations=[auth]))


def test_rule_6_specific_authorization_covers_its_component_and_year(tmp_path: Path) -> None:
    """RULE §6/§7 + §4.1 + §3 'authorized': in force at as_of, component and MY2027 listed → authorized (cited)."""
    rep = sa_program(tmp_path, sa())
    f = one(rep, "cn-app", 2027)
    assert f["verdict"] == "authorized"
    assert "SA-2026-0001" in json.dumps(f)
    assert "791.307" in f["rule"] + json.dumps(f["reasons"])
    assert verdict(rep, "cn-app", 2028) == "prohibited"  # model_years filter excludes 2028


@pytest.mark.parametrize(("as_of", "why"), [("2026-05-31", "before valid_from"), ("2028-06-01", "after valid_to")])
def test_reading_9_specific_authorization_outside_its_dates(tmp_path: Path, as_of: str, why: str) -> None:
    """Reading 9 + RULE §6: an authorization is checked at as_of; outside valid_from..valid_to it covers nothing."""
    rep = sa_program(tmp_path, sa(), as_of=as_of)
    assert verdict(rep, "cn-app", 2027) == "prohibited", why


@pytest.mark.parametrize("as_of", ["2026-06-01", "2028-05-31"])
def test_reading_9_specific_authorization_on_its_first_and_last_day(tmp_path: Path, as_of: str) -> None:
    """Reading 9 + §4.1: valid_from and valid_to are days the authorization is in force."""
    assert verdict(sa_program(tmp_path, sa(), as_of=as_of), "cn-app", 2027) == "authorized"


def test_rule_6_specific_authorization_for_another_component(tmp_path: Path) -> None:
    """§4.1 components filter: an SA listing another purl does not cover this component."""
    rep = sa_program(tmp_path, sa(components=["pkg:generic/other@1.0"]))
    assert verdict(rep, "cn-app", 2027) == "prohibited"


def test_rule_6_specific_authorization_clears_an_adversary_linked_manufacturer(tmp_path: Path) -> None:
    """RULE §12.5: a PRC-controlled manufacturer gets no GA, 'only a specific authorization clears it' (§ 791.304)."""
    owns = [*CHAIN, Own("cn-lantern", "decl", 60)]
    rep = report(write(tmp_path, [sw("jp-app", JP_CO.name, "JP")], owns=owns,
                       authorizations=[sa(components=["pkg:generic/jp-app@1.0"])]))
    assert rep["program"]["declarant"]["nexus"]["status"] == "covered"
    assert verdict(rep, "jp-app") == "authorized"


GA_PARTS = [sw("cn-app", CN_CO.name, "CN")]


def ga_program(folder: Path, ga: dict[str, Any] | None, purpose: str = "testing", owns: Sequence[Own] = CHAIN,
               model_years: Sequence[int] = (2027,)) -> dict[str, Any]:
    extra = {"authorizations": [ga]} if ga else {}
    return report(write(folder, GA_PARTS, owns=owns, purpose=purpose, imported=True, model_years=model_years,
                        **extra))


def test_reading_12_baseline_without_authorization(tmp_path: Path) -> None:
    """Reading 3: an imported MY2027 test vehicle with CN covered software is prohibited under § 791.303(a)."""
    f = one(ga_program(tmp_path, None), "cn-app", 2027)
    assert f["verdict"] == "prohibited" and "791.303(a)" in f["rule"]


def test_reading_12_general_authorization_with_matching_purpose(tmp_path: Path) -> None:
    """Reading 12: GA purpose == program purpose, in force, declarant clear → authorized; attestation in trace."""
    rep = ga_program(tmp_path, {"id": "GA-1", "kind": "general", "purpose": "testing"})
    f = one(rep, "cn-app", 2027)
    assert f["verdict"] == "authorized"
    assert "GA-1" in json.dumps(f)
    assert "791.306" in f["rule"] + json.dumps(f["reasons"])
    assert any("attest" in t.lower() for t in f["trace"])


def test_reading_12_general_authorization_other_purpose(tmp_path: Path) -> None:
    """Reading 12: a GA whose purpose differs from the program's covers nothing."""
    rep = ga_program(tmp_path, {"id": "GA-1", "kind": "general", "purpose": "display"})
    assert verdict(rep, "cn-app") == "prohibited"


@pytest.mark.parametrize(("filters", "expected"), [
    ({"model_years": [2027]}, "authorized"),
    ({"model_years": [2028]}, "prohibited"),
    ({"components": [CN_PURL]}, "authorized"),
    ({"components": ["pkg:generic/other@1.0"]}, "prohibited"),
])
def test_reading_12_general_authorization_filters(tmp_path: Path, filters: dict[str, Any], expected: str) -> None:
    """Reading 12: the optional components/model_years filters must include the finding."""
    rep = ga_program(tmp_path, {"id": "GA-1", "kind": "general", "purpose": "testing", **filters})
    assert verdict(rep, "cn-app") == expected


@pytest.mark.parametrize("dates", [{"valid_to": "2026-01-31"}, {"valid_from": "2027-01-01"}])
def test_reading_12_general_authorization_not_in_force(tmp_path: Path, dates: dict[str, str]) -> None:
    """Reading 12 + reading 9: a GA not in force at as_of (2026-11-24) covers nothing."""
    rep = ga_program(tmp_path, {"id": "GA-1", "kind": "general", "purpose": "testing", **dates})
    assert verdict(rep, "cn-app") == "prohibited"


def test_reading_12_general_authorization_only_covers_would_be_prohibited_findings(tmp_path: Path) -> None:
    """Reading 12: a GA covers a would-be-prohibited finding; a permitted JP item stays permitted."""
    path = write(tmp_path, [sw("jp-app", JP_CO.name, "JP"), sw("cn-app", CN_CO.name, "CN")], purpose="testing",
                 imported=True, authorizations=[{"id": "GA-1", "kind": "general", "purpose": "testing"}])
    rep = report(path)
    assert verdict(rep, "jp-app") == "permitted"
    assert verdict(rep, "cn-app") == "authorized"


def test_rule_6_no_general_authorization_for_an_adversary_linked_declarant(tmp_path: Path) -> None:
    """RULE §6 + §12.16 + reading 12: a PRC-controlled declarant cannot use a GA; findings stay prohibited."""
    owns = [*CHAIN, Own("cn-lantern", "decl", 60)]
    rep = ga_program(tmp_path, {"id": "GA-1", "kind": "general", "purpose": "testing"}, owns=owns)
    assert rep["program"]["declarant"]["nexus"]["status"] == "covered"
    assert verdict(rep, "cn-app") == "prohibited"


def test_rule_5_no_doc_for_a_ga_authorized_model_year(tmp_path: Path) -> None:
    """RULE §5: 'No DoC for … GA-covered [V] transactions' — the only covered software is GA-authorized."""
    rep = ga_program(tmp_path, {"id": "GA-1", "kind": "general", "purpose": "testing"})
    assert verdict(rep, "cn-app") == "authorized"
    assert year_row(rep, 2027)["doc_required"] is False


# ---------------------------------------------------------------------------------------------------------------
# RULE.md §5: DoC trigger per model year (doc_required in model_years)
# ---------------------------------------------------------------------------------------------------------------


def test_rule_5_doc_for_foreign_interest_software_from_my2027_only(tmp_path: Path) -> None:
    """RULE §5 + §12.15: JP covered software → DoC for MY2027, not for MY2026 (before the software rule)."""
    rep = report(write(tmp_path, [sw("jp-app", JP_CO.name, "JP")], model_years=[2026, 2027]))
    assert verdict(rep, "jp-app") == "permitted"
    assert year_row(rep, 2027)["doc_required"] is True
    assert year_row(rep, 2026)["doc_required"] is False


def test_rule_5_no_doc_for_purely_us_software(tmp_path: Path) -> None:
    """RULE §12.15 + reading 1: covered software of a US company with no foreign interest → no DoC."""
    rep = report(write(tmp_path, [sw("us-app", US_CO.name, "US")], model_years=[2027]))
    assert verdict(rep, "us-app") == "permitted"
    assert year_row(rep, 2027)["doc_required"] is False


def test_rule_5_no_doc_when_the_only_software_is_excluded_firmware(tmp_path: Path) -> None:
    """RULE §5 + §2: firmware is not covered software, so a MY2027 program with only JP firmware needs no DoC."""
    fw = Comp("fw", "modem firmware", JP_CO.name, "JP", "firmware", {"function": "vcs", "software-kind": "firmware"})
    rep = report(write(tmp_path, [fw]))
    assert verdict(rep, "fw") == "out_of_scope"
    assert year_row(rep, 2027)["doc_required"] is False


def test_rule_5_importer_doc_for_non_prohibited_hardware_from_my2030(tmp_path: Path) -> None:
    """RULE §5 (importers: any non-prohibited VCS hardware import; none when § 791.308-exempt)."""
    parts = [hw("tcu29", JP_CO.name, "JP", **{"model-year": "2029"}),
             hw("tcu30", JP_CO.name, "JP", **{"model-year": "2030"})]
    rep = report(write(tmp_path, parts, model_years=None, role="vcs-hardware-importer",
                       program_extra={"hardware_imports": ["2029-06-01"]}))
    assert year_row(rep, 2030)["doc_required"] is True
    assert year_row(rep, 2029)["doc_required"] is False


# ---------------------------------------------------------------------------------------------------------------
# §4.2 cvcomply: properties; reading 14
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("props", "expected"), [
    ({"rf-max-mhz": "450"}, "out_of_scope"),          # reading 14: ≤ 450 MHz is not VCS hardware
    ({"rf-max-mhz": "433.92"}, "out_of_scope"),
    ({"rf-max-mhz": "450.0"}, "out_of_scope"),
    ({"rf-max-mhz": "450.5"}, "prohibited"),
    ({"rf-max-mhz": "451"}, "prohibited"),
    ({"function": "none"}, "out_of_scope"),           # reading 14: enables neither VCS nor ADS
    ({"vcs-category": "passive", "rf-max-mhz": "2400"}, "out_of_scope"),  # RULE §2: passive parts excluded
])
def test_reading_14_hardware_hints(tmp_path: Path, props: dict[str, str], expected: str) -> None:
    """Reading 14 + §4.2: rf-max-mhz ≤ 450 and function none beat a cellular-module category."""
    parts = [hw("mod", CN_CO.name, "CN", **{"vcs-category": "cellular-module", **props})]
    rep = report(write(tmp_path, parts, model_years=[2030],
                       role=["connected-vehicle-manufacturer", "vcs-hardware-importer"]))
    f = one(rep, "mod", 2030)
    assert f["verdict"] == expected
    assert f["classification"]["vcs_hardware"] is (expected == "prohibited")


def test_reading_14_function_none_on_software(tmp_path: Path) -> None:
    """Reading 14: `cvcomply:function: none` on an OS from a CN supplier → out_of_scope, not covered software."""
    rep = report(write(tmp_path, [sw("os", CN_CO.name, "CN", function="none", **{"software-kind": "os"})]))
    f = one(rep, "os", 2027)
    assert f["verdict"] == "out_of_scope" and f["classification"]["covered_software"] is False


@pytest.mark.parametrize(("props", "expected"), [
    ({"software-kind": "firmware"}, "out_of_scope"),                  # RULE §2 firmware exclusion
    ({"software-kind": "os"}, "prohibited"),                          # RULE §12.9: an OS is not firmware
    ({"software-kind": "middleware"}, "prohibited"),
    ({"open-source": "unmodified"}, "out_of_scope"),                  # reading 1
    ({"open-source": "modified-redistributed"}, "out_of_scope"),      # reading 1
    ({"open-source": "modified-proprietary"}, "prohibited"),          # RULE §12.7
    ({"completed-before": "2025-12-01", "maintained-by": JP_CO.name}, "out_of_scope"),   # reading 7 legacy
    ({"completed-before": "2025-12-01", "maintained-by": CN_PARENT.name}, "prohibited"),  # RULE §12.8
    ({"completed-before": "2025-12-01"}, "needs_review"),             # reading 7: maintenance unknown
    ({"completed-before": "2026-05-01", "maintained-by": JP_CO.name}, "prohibited"),     # after the cut-off
])
def test_4_2_software_hints(tmp_path: Path, props: dict[str, str], expected: str) -> None:
    """§4.2 software-kind / open-source / completed-before / maintained-by on CN-supplied VCS software, MY2027."""
    rep = report(write(tmp_path, [sw("app", CN_CO.name, "CN", **props)]))
    assert verdict(rep, "app") == expected


@pytest.mark.parametrize("function", ["ads", "vcs,ads"])
def test_4_2_function_ads_is_covered_software(tmp_path: Path, function: str) -> None:
    """§4.2 function ads / vcs,ads + RULE §2: software enabling ADS (Level 3 vehicle) is covered software."""
    rep = report(write(tmp_path, [sw("ads", CN_CO.name, "CN", function=function)], vehicle_extra={"ads_level": 3}))
    f = one(rep, "ads", 2027)
    assert f["classification"]["covered_software"] is True
    assert f["verdict"] == "prohibited"


def test_4_2_maintained_by_counts_as_supplying(tmp_path: Path) -> None:
    """§4.2 maintained-by (§ 791.1 'services'): JP-supplied software serviced by a CN party → prohibited."""
    rep = report(write(tmp_path, [sw("app", JP_CO.name, "JP", **{"maintained-by": CN_CO.name})]))
    f = one(rep, "app", 2027)
    assert f["verdict"] == "prohibited"
    assert CN_CO.name in [p["name"] for p in f["parties"]]


@pytest.mark.parametrize("hint", ["designer", "developer"])
def test_4_2_designer_developer_hints_name_parties(tmp_path: Path, hint: str) -> None:
    """§4.2 designer/developer: party names where supplier doesn't say; a CN designer/developer taints the item."""
    rep = report(write(tmp_path, [sw("app", None, **{hint: CN_CO.name})]))
    f = one(rep, "app", 2027)
    assert f["verdict"] == "prohibited"
    assert CN_CO.name in [p["name"] for p in f["parties"]]


def test_4_2_manufacturer_and_authors_are_parties(tmp_path: Path) -> None:
    """§4.2 party roles: CycloneDX `manufacturer` (hardware) and `authors` (software) are parties with roles."""
    parts = [Comp("tcu", "tcu unit", None, None, "device", dict(HW_PROPS), manufacturer=CN_CO.name),
             Comp("app", "app", None, None, "application", dict(SW_PROPS), authors=(CN_CO.name,))]
    rep = report(write(tmp_path, parts, model_years=[2030],
                       role=["connected-vehicle-manufacturer", "vcs-hardware-importer"]))
    for ref in ("tcu", "app"):
        f = one(rep, ref, 2030)
        assert f["verdict"] == "prohibited", ref
        assert [p["name"] for p in f["parties"]] == [CN_CO.name]


BAD_HINTS = [("function", "radio"), ("vcs-category", "toaster"), ("software-kind", "kernel"),
             ("open-source", "maybe"), ("rf-max-mhz", "lots"), ("completed-before", "last spring"),
             ("model-year", "MY-two")]


@pytest.mark.parametrize(("prop", "value"), BAD_HINTS)
def test_4_2_bad_hint_value_in_screen_is_bad_input_naming_file_and_place(tmp_path: Path, prop: str,
                                                                         value: str) -> None:
    """§4.2 + §4.4: a `cvcomply:` value outside §4.2's table → screen exits 2; the message names the file, the
    place in it (file#pointer of the component) and the value. (§4.4's lenient-read list also names 'an unknown
    enum value' — see the report's gap list; this case follows the assignment's reading.)"""
    path = write(tmp_path, [sw("jp-app", JP_CO.name, "JP"), sw("odd", JP_CO.name, "JP", **{prop: value})])
    p = cli("screen", path, "--json")
    assert p.returncode == 2, p.stdout[:300]
    assert "bom.cdx.json#/components/1" in p.stderr
    assert value in p.stderr and f"cvcomply:{prop}" in p.stderr
    assert "Traceback" not in p.stderr


@pytest.mark.parametrize(("prop", "value"), BAD_HINTS)
def test_4_2_bad_hint_value_fails_validate_naming_file_and_place(tmp_path: Path, prop: str, value: str) -> None:
    """§4.4 validate is strict: a bad `cvcomply:` value → exit 2, the error names the file and its place."""
    path = write(tmp_path, [sw("jp-app", JP_CO.name, "JP"), sw("odd", JP_CO.name, "JP", **{prop: value})])
    p = cli("validate", path.parent / "bom.cdx.json")
    out = p.stdout + p.stderr
    assert p.returncode == 2, out
    assert "bom.cdx.json" in out
    assert "/components/1" in out


SPDX_PURPOSES = ["OPERATING-SYSTEM", "OPERATING_SYSTEM"]


def spdx23(purpose: str, hints: Sequence[str]) -> dict[str, Any]:
    return {
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "acceptance-ivi",
        "documentNamespace": "https://example.invalid/spdxdocs/acceptance-ivi-1",
        "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: cvcomply-acceptance-tests"]},
        "packages": [{
            "SPDXID": "SPDXRef-Package-ivi-os", "name": "ivi-os", "versionInfo": "3.0",
            "downloadLocation": "NOASSERTION", "supplier": f"Organization: {CN_CO.name}",
            "primaryPackagePurpose": purpose,
            "annotations": [{"annotationDate": "2026-01-01T00:00:00Z", "annotationType": "OTHER",
                             "annotator": "Tool: cvcomply-acceptance-tests", "comment": h} for h in hints],
        }],
    }


@pytest.mark.parametrize("purpose", SPDX_PURPOSES)
def test_4_2_spdx23_annotations_carry_hints(tmp_path: Path, purpose: str) -> None:
    """§4.2 SPDX 2.3: `cvcomply:<name>=<value>` annotations; both OS purpose spellings are read."""
    path = write(tmp_path, [])
    (tmp_path / "ivi.spdx.json").write_text(json.dumps(spdx23(purpose, ["cvcomply:function=vcs"])))
    manifest = yaml.safe_load(path.read_text())
    manifest["boms"] = ["ivi.spdx.json"]
    path.write_text(yaml.safe_dump(manifest))
    rep = report(path)
    (f,) = rep["findings"]
    assert f["component"]["kind"] == "software"
    assert f["verdict"] == "prohibited"
    assert not [w for w in rep.get("warnings", []) if "purpose" in w["text"].lower()]
    (tmp_path / "ivi.spdx.json").write_text(
        json.dumps(spdx23(purpose, ["cvcomply:function=vcs", "cvcomply:software-kind=firmware"])))
    assert report(path)["findings"][0]["verdict"] == "out_of_scope"


# ---------------------------------------------------------------------------------------------------------------
# §4.4 warnings for lenient reads
# ---------------------------------------------------------------------------------------------------------------


def test_4_4_extra_key_in_bom_is_a_warning(tmp_path: Path) -> None:
    """§4.4: an extra key in a CycloneDX component is a warning with file#pointer; the screen goes on."""
    odd = Comp("jp-app", "jp-app app", JP_CO.name, "JP", "application", dict(SW_PROPS), extra={"colour": "teal"})
    path = write(tmp_path, [odd])
    rc, rep = screen_cli(path)
    assert rc == 0
    assert verdict(rep, "jp-app") == "permitted"
    assert any(w["source"].startswith("bom.cdx.json#") and "/components/0" in w["source"] for w in rep["warnings"])


@pytest.mark.parametrize("breakage", ["unknown entityType", "missing bodsVersion"])
def test_4_4_bods_schema_violation_is_a_warning(tmp_path: Path, breakage: str) -> None:
    """§4.4: a BODS schema violation that does not stop the read (an unknown enum value, a missing field) is an
    entry in the report's warnings, with the ownership file and the place (validate rejects the same file)."""
    path = write(tmp_path, [sw("jp-app", JP_CO.name, "JP")])
    statements = json.loads((tmp_path / "owners.bods.json").read_text())
    if breakage == "unknown entityType":
        statements[2]["recordDetails"]["entityType"]["type"] = "alienEntity"
    else:
        del statements[2]["publicationDetails"]["bodsVersion"]
    (tmp_path / "owners.bods.json").write_text(json.dumps(statements))
    assert cli("validate", tmp_path / "owners.bods.json").returncode == 2
    rc, rep = screen_cli(path)
    assert rc == 0
    assert verdict(rep, "jp-app") == "permitted"
    assert any(w["source"].startswith("owners.bods.json#/2") for w in rep["warnings"]), rep["warnings"]


def test_4_4_spdx_violation_is_a_warning(tmp_path: Path) -> None:
    """§4.4: an SPDX 2.3 package missing a required field (downloadLocation) is read, with a warning."""
    path = write(tmp_path, [])
    doc = spdx23("OPERATING-SYSTEM", ["cvcomply:function=vcs"])
    del doc["packages"][0]["downloadLocation"]
    (tmp_path / "ivi.spdx.json").write_text(json.dumps(doc))
    manifest = yaml.safe_load(path.read_text())
    manifest["boms"] = ["ivi.spdx.json"]
    path.write_text(yaml.safe_dump(manifest))
    assert cli("validate", tmp_path / "ivi.spdx.json").returncode == 2
    rc, rep = screen_cli(path)
    assert rc == 1
    assert any(w["source"].startswith("ivi.spdx.json#/packages/0") for w in rep["warnings"]), rep["warnings"]


def test_4_4_unknown_component_type_is_a_warning(tmp_path: Path) -> None:
    """§4.4: an unknown enum value in the BOM (component type) is a warning, not bad input."""
    odd = Comp("jp-app", "jp-app app", JP_CO.name, "JP", "gizmo", dict(SW_PROPS))
    p = cli("screen", write(tmp_path, [odd]), "--json")
    assert p.returncode != 2, p.stderr
    rep = json.loads(p.stdout)
    assert any("/components/0" in w["source"] for w in rep["warnings"]), rep["warnings"]


# ---------------------------------------------------------------------------------------------------------------
# §4.4 exit codes and --fail-on
# ---------------------------------------------------------------------------------------------------------------

EXIT_CASES = {
    "clean": [sw("jp-app", JP_CO.name, "JP")],
    "review": [sw("jp-app", JP_CO.name, "JP"), sw("orphan", None)],
    "prohibited": [sw("cn-app", CN_CO.name, "CN"), sw("orphan", None)],
}


@pytest.mark.parametrize(("case", "fail_on", "code"), [
    ("clean", None, 0), ("review", None, 3), ("prohibited", None, 1),
    ("review", "review", 3), ("review", "prohibited", 0), ("prohibited", "prohibited", 1),
    ("clean", "prohibited", 0),
])
def test_4_4_exit_codes(tmp_path: Path, case: str, fail_on: str | None, code: int) -> None:
    """§4.4: 0 nothing prohibited or to review; 1 prohibited; 3 review only; --fail-on prohibited ignores review."""
    path = write(tmp_path, EXIT_CASES[case])
    args = ["--fail-on", fail_on] if fail_on else []
    p = cli("screen", path, "--json", *args)
    assert p.returncode == code, p.stderr
    rep = json.loads(p.stdout)  # --json stdout is the report only (no progress output)
    assert rep["cvcomply_report"] == 1


def test_4_4_exit_1_for_a_prohibited_import_date(tmp_path: Path) -> None:
    """§4.4: a prohibited finding with no model year (import date) is 'something prohibited' → exit 1."""
    path = write(tmp_path, [hw("tcu", CN_CO.name, "CN")], model_years=None, role="vcs-hardware-importer",
                 program_extra={"hardware_imports": ["2029-01-01"]})
    rc, rep = screen_cli(path)
    assert rep["model_years"] == []
    assert rc == 1


def test_4_4_exit_0_for_authorized_and_exempt_only(tmp_path: Path) -> None:
    """§4.4 + §3: authorized and exempt findings are neither prohibited nor to review → exit 0."""
    path = write(tmp_path, GA_PARTS, purpose="testing", imported=True, model_years=[2026, 2027],
                 authorizations=[{"id": "GA-1", "kind": "general", "purpose": "testing"}])
    rc, rep = screen_cli(path)
    assert {f["verdict"] for f in rep["findings"]} == {"authorized", "exempt"}
    assert rc == 0


def test_4_4_missing_bom_is_bad_input(tmp_path: Path) -> None:
    """§4.4: a BOM the manifest names but that is missing → exit 2, message names the file."""
    path = write(tmp_path, [sw("jp-app", JP_CO.name, "JP")])
    manifest = yaml.safe_load(path.read_text())
    manifest["boms"].append("bom/missing.cdx.json")
    path.write_text(yaml.safe_dump(manifest))
    p = cli("screen", path, "--json")
    assert p.returncode == 2
    assert "missing.cdx.json" in p.stderr + p.stdout
    assert "Traceback" not in p.stderr


def test_4_4_unreadable_bom_is_bad_input(tmp_path: Path) -> None:
    """§4.4: a BOM that is not JSON/XML/tag-value → exit 2 naming the file."""
    path = write(tmp_path, [sw("jp-app", JP_CO.name, "JP")])
    (tmp_path / "bom.cdx.json").write_text("{ this is not json")
    p = cli("screen", path, "--json")
    assert p.returncode == 2
    assert "bom.cdx.json" in p.stderr + p.stdout
    assert "Traceback" not in p.stderr


def test_4_4_manifest_that_is_not_a_manifest(tmp_path: Path) -> None:
    """§4.4: a manifest that is not a `cvcomply: 1` mapping → exit 2 naming the manifest."""
    path = tmp_path / "program.yaml"
    path.write_text("- just\n- a list\n")
    p = cli("screen", path, "--json")
    assert p.returncode == 2
    assert "program.yaml" in p.stderr + p.stdout


@pytest.mark.parametrize("args", [["--fail-on", "sometimes"], ["--as-of", "next tuesday"]])
def test_4_4_bad_usage_exits_2(tmp_path: Path, args: list[str]) -> None:
    """§4.4: bad usage (unknown --fail-on value, a non-date --as-of) → exit 2."""
    path = write(tmp_path, [sw("jp-app", JP_CO.name, "JP")])
    assert cli("screen", path, "--json", *args).returncode == 2


def test_4_4_missing_manifest_exits_2(tmp_path: Path) -> None:
    """§4.4: a manifest path that does not exist → exit 2 naming it."""
    p = cli("screen", tmp_path / "nowhere.yaml", "--json")
    assert p.returncode == 2
    assert "nowhere.yaml" in p.stderr + p.stdout


# ---------------------------------------------------------------------------------------------------------------
# Reading 8: name resolution
# ---------------------------------------------------------------------------------------------------------------


def resolved(tmp_path: Path, bom_name: str, country: str | None, cos: Sequence[Co],
             owns: Sequence[Own] = ()) -> dict[str, Any]:
    rep = report(write(tmp_path, [sw("app", bom_name, country)], cos=[DECL, *cos], owns=owns))
    return one(rep, "app", 2027)


@pytest.mark.parametrize("bom_name", [
    "NORDWIND FUNK Gesellschaft mit beschränkter Haftung",   # long legal form + case
    "nordwind   funk gmbh",                                  # case + whitespace
])
def test_reading_8_german_legal_forms(tmp_path: Path, bom_name: str) -> None:
    """Reading 8: `Gesellschaft mit beschränkter Haftung` = `GmbH`; case/whitespace folded → match (no country)."""
    f = resolved(tmp_path, bom_name, None, [DE_SUB, CN_PARENT], CHAIN)
    (p,) = f["parties"]
    assert p["entity"]["name"] == DE_SUB.name
    assert p["match"]["method"] == "name"
    assert f["verdict"] == "prohibited"


@pytest.mark.parametrize("bom_name", ["Jade River Software Company Limited", "JADE RIVER SOFTWARE CO LTD",
                                      "Jade River Software 有限公司"])
def test_reading_8_company_limited_forms(tmp_path: Path, bom_name: str) -> None:
    """Reading 8: `Company Limited` = `Co., Ltd.` = `有限公司`; punctuation folded; unique exact match, no country."""
    f = resolved(tmp_path, bom_name, None, [CN_CO])
    (p,) = f["parties"]
    assert p["entity"]["name"] == CN_CO.name
    assert f["verdict"] == "prohibited"


@pytest.mark.parametrize(("bom_name", "registry_name"), [
    ("Harbor Signal Limited", "Harbor Signal Ltd."),
    ("Harbor Signal Incorporated", "Harbor Signal Inc."),
    ("Harbor Signal Corporation", "Harbor Signal Corp."),
    ("Harbor Signal Aktiengesellschaft", "Harbor Signal AG"),
    ("Harbor Signal Kabushiki Kaisha", "Harbor Signal K.K."),
    ("Harbor Signal Limited Liability Company", "Harbor Signal LLC"),
    ("ＨＡＲＢＯＲ ＳＩＧＮＡＬ ＬＴＤ．", "Harbor Signal Ltd."),      # full-width forms fold too
])
def test_reading_8_other_long_and_short_legal_forms(tmp_path: Path, bom_name: str, registry_name: str) -> None:
    """Reading 8: 'maps long and short legal forms to one form' (common pairs beyond the three examples)."""
    f = resolved(tmp_path, bom_name, None, [Co("cn-harbor", registry_name, "CN")])
    assert f["parties"][0]["entity"]["name"] == registry_name
    assert f["verdict"] == "prohibited"


LOTUS_SZ = Co("lotus-sz", "Lotus Components (Shenzhen) Ltd.", "CN")
LOTUS_PN = Co("lotus-pn", "Lotus Components (Penang) Ltd.", "MY")


@pytest.mark.parametrize(("bom_name", "entity", "expected"), [
    ("Lotus Components (Penang) Ltd.", LOTUS_PN, "permitted"),
    ("Lotus Components (Shenzhen) Ltd.", LOTUS_SZ, "prohibited"),
])
def test_reading_8_brackets_tell_entities_apart(tmp_path: Path, bom_name: str, entity: Co, expected: str) -> None:
    """Reading 8: words in brackets are kept, so the Penang and Shenzhen entities are distinct exact matches."""
    f = resolved(tmp_path, bom_name, None, [LOTUS_SZ, LOTUS_PN])
    (p,) = f["parties"]
    assert p["entity"]["name"] == entity.name
    assert f["verdict"] == expected


def test_reading_8_alias_is_an_exact_match(tmp_path: Path) -> None:
    """Reading 8: a unique exact match of an alias (BODS alternateNames) is a match."""
    qilin = Co("cn-qilin", "Qilin Wireless Technology Co., Ltd.", "CN", aliases=("Qilin Wireless",))
    f = resolved(tmp_path, "Qilin Wireless", None, [qilin])
    assert f["parties"][0]["entity"]["name"] == qilin.name
    assert f["verdict"] == "prohibited"


HARBOR = "Harbor Signal Ltd."


def test_reading_8_conflicting_country_never_counts_a_cn_entity(tmp_path: Path) -> None:
    """Reading 8 + 10: BOM says SG; the CN entity of that name is never counted → no-registry party, SG → review."""
    f = resolved(tmp_path, HARBOR, "SG", [Co("cn-harbor", HARBOR, "CN")])
    (p,) = f["parties"]
    assert p["entity"] is None
    assert p["nexus"]["status"] != "covered"
    assert f["verdict"] == "needs_review"


def test_reading_8_conflicting_country_never_counts_a_clear_entity(tmp_path: Path) -> None:
    """Reading 8 + 10: BOM says CN; the SG entity of that name is never counted → covered by the stated country."""
    f = resolved(tmp_path, HARBOR, "CN", [Co("sg-harbor", HARBOR, "SG")])
    (p,) = f["parties"]
    assert p["nexus"]["status"] == "covered"
    assert "jurisdiction" in p["nexus"]["prongs"]
    assert f["verdict"] == "prohibited"


GOLDEN = "Golden Bridge Electronics Ltd."
GOLDENS = [Co("cn-golden", GOLDEN, "CN"), Co("gb-golden", GOLDEN, "GB")]


@pytest.mark.parametrize(("country", "expected"), [(None, "needs_review"), ("GB", "permitted"),
                                                    ("CN", "prohibited")])
def test_reading_8_several_exact_matches(tmp_path: Path, country: str | None, expected: str) -> None:
    """Reading 8: two entities with the same name and no BOM country → review; a stated country picks one."""
    f = resolved(tmp_path, GOLDEN, country, GOLDENS)
    assert f["verdict"] == expected


# ---------------------------------------------------------------------------------------------------------------
# Reading 9: as_of for ownership; reading 10: party in no registry
# ---------------------------------------------------------------------------------------------------------------

ENDED = [Own("cn-lantern", "de-nordwind", 60, end="2025-06-30")]


def test_reading_9_interest_ended_before_as_of_is_not_counted(tmp_path: Path) -> None:
    """Reading 9: a CN stake that ended before as_of is not counted."""
    rep = report(write(tmp_path, [sw("nw-app", DE_SUB.name, "DE")], owns=ENDED))
    f = one(rep, "nw-app", 2027)
    assert f["parties"][0]["nexus"]["status"] == "clear"
    assert f["verdict"] == "permitted"


def test_reading_9_ended_interest_is_shown_in_the_trace(tmp_path: Path) -> None:
    """Reading 9: 'interests that ended before it are shown in the trace as history, not counted'."""
    rep = report(write(tmp_path, [sw("nw-app", DE_SUB.name, "DE")], owns=ENDED))
    f = one(rep, "nw-app", 2027)
    assert any(CN_PARENT.id in t or CN_PARENT.name in t for t in f["trace"]), f["trace"]


def test_reading_9_interest_in_force_at_an_earlier_as_of(tmp_path: Path) -> None:
    """Reading 9: the same stake read at an as_of before it ended → covered."""
    rep = report(write(tmp_path, [sw("nw-app", DE_SUB.name, "DE")], owns=ENDED, as_of="2025-03-01"))
    assert verdict(rep, "nw-app") == "prohibited"


def test_reading_9_as_of_option_reads_ownership_at_that_date(tmp_path: Path) -> None:
    """Reading 9 + §4.4 --as-of: the option's date decides which interests count."""
    path = write(tmp_path, [sw("nw-app", DE_SUB.name, "DE")], owns=ENDED, as_of=None)
    rc, rep = screen_cli(path, "--as-of", "2025-03-01")
    assert rep["as_of"] == "2025-03-01"
    assert verdict(rep, "nw-app") == "prohibited"
    assert rc == 1


def test_reading_9_interest_starting_after_as_of_is_not_counted(tmp_path: Path) -> None:
    """Reading 9: ownership is read at as_of; a stake that starts after it does not count yet."""
    owns = [Own("cn-lantern", "de-nordwind", 60, start="2027-01-01")]
    rep = report(write(tmp_path, [sw("nw-app", DE_SUB.name, "DE")], owns=owns))
    assert verdict(rep, "nw-app") == "permitted"


@pytest.mark.parametrize("country", ["CN", "HK", "MO", "RU"])
def test_reading_10_unregistered_party_with_adversary_country(tmp_path: Path, country: str) -> None:
    """Reading 10: a party in no registry with a stated CN/HK/MO/RU country is covered (jurisdiction prong)."""
    f = resolved(tmp_path, "Unlisted Wireless Works", country, [])
    nx = f["parties"][0]["nexus"]
    assert nx["status"] == "covered" and "jurisdiction" in nx["prongs"]
    assert f["verdict"] == "prohibited"


@pytest.mark.parametrize("country", ["China", "Hong Kong", "Russian Federation"])
def test_reading_10_country_given_by_name(tmp_path: Path, country: str) -> None:
    """Reading 10 + §4.2: CycloneDX address.country may be a country name; a stated PRC/Russia name counts."""
    f = resolved(tmp_path, "Unlisted Wireless Works", country, [])
    assert f["parties"][0]["nexus"]["status"] == "covered"
    assert f["verdict"] == "prohibited"


@pytest.mark.parametrize("country", ["DE", None])
def test_reading_10_unregistered_party_other_or_no_country(tmp_path: Path, country: str | None) -> None:
    """Reading 10: a party in no registry with any other country, or none, → needs_review."""
    f = resolved(tmp_path, "Unlisted Wireless Works", country, [])
    assert f["verdict"] == "needs_review"


def test_reading_10_unregistered_maintainer_needs_review(tmp_path: Path) -> None:
    """Reading 10 + §4.2: a maintainer found in no registry, no country → the JP-supplied item needs review."""
    rep = report(write(tmp_path, [sw("app", JP_CO.name, "JP", **{"maintained-by": "Unlisted Patch Services"})]))
    assert verdict(rep, "app") == "needs_review"


def test_reading_10_in_scope_component_without_any_party(tmp_path: Path) -> None:
    """Reading 10: an in-scope component with no party at all → needs_review; MY2030 hardware too."""
    rep = report(write(tmp_path, [sw("app", None), hw("tcu", None)], model_years=[2030],
                       role=["connected-vehicle-manufacturer", "vcs-hardware-importer"]))
    assert verdict(rep, "app", 2030) == "needs_review"
    assert verdict(rep, "tcu", 2030) == "needs_review"

