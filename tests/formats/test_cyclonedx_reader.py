"""CycloneDX reader and validator on small BOMs made by this project (not third-party data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest

from cvcomply.formats.cyclonedx import read_cyclonedx, validate_cyclonedx
from cvcomply.formats.errors import InputError
from cvcomply.model import Bom


def bom(*components: dict[str, Any], version: str = "1.6", **extra: Any) -> bytes:
    """A CycloneDX JSON BOM written by the cvcomply project for these tests."""
    return orjson.dumps({"bomFormat": "CycloneDX", "specVersion": version, "version": 1,
                         "components": list(components), **extra})


def lib(ref: str, **fields: Any) -> dict[str, Any]:
    return {"type": "library", "bom-ref": ref, "name": ref, **fields}


def props(**hints: str) -> list[dict[str, str]]:
    return [{"name": f"cvcomply:{k.replace('_', '-')}", "value": v} for k, v in hints.items()]


def read(data: bytes, **kw: Any) -> Bom:
    return read_cyclonedx("made.cdx.json", data, **kw)


def test_nested_components_are_flattened_with_parent_and_synthetic_refs() -> None:
    data = bom(
        {"type": "device", "bom-ref": "tcu", "name": "TCU", "components": [
            {"type": "firmware", "name": "modem-fw"},
            {"type": "device", "bom-ref": "modem", "name": "Modem",
             "components": [lib("stack")]},
        ]},
        metadata={"component": {"type": "application", "bom-ref": "vehicle-sw", "name": "Vehicle SW",
                                "components": [lib("sub")]}},
    )
    b = read(data)
    by_ref = {c.bom_ref: c for c in b.components}
    assert set(by_ref) == {"tcu", "#/components/0/components/0", "modem", "stack", "vehicle-sw", "sub"}
    assert by_ref["#/components/0/components/0"].parent == "tcu"
    assert by_ref["stack"].parent == "modem"
    assert by_ref["sub"].parent == "vehicle-sw"
    assert by_ref["stack"].source is not None
    assert by_ref["stack"].source.pointer == "/components/0/components/1/components/0"
    assert by_ref["#/components/0/components/0"].source.record_id is None  # type: ignore[union-attr]
    assert b.spec_version == "1.6" and b.format == "cyclonedx" and len(b.sha256) == 64


@pytest.mark.parametrize(
    ("ctype", "hints", "kind"),
    [
        ("device", {}, "hardware"),
        ("platform", {}, "hardware"),
        ("firmware", {}, "software"),
        ("operating-system", {}, "software"),
        ("library", {"vcs_category": "cellular-module"}, "hardware"),
        ("device", {"software_kind": "firmware"}, "software"),
        ("library", {"vcs_category": "soc", "software_kind": "os"}, "software"),
    ],
)
def test_kind_from_type_and_hints(ctype: str, hints: dict[str, str], kind: str) -> None:
    b = read(bom({"type": ctype, "bom-ref": "x", "name": "x", "properties": props(**hints)}))
    assert b.components[0].kind == kind
    assert b.components[0].type == ctype


def test_parties_with_roles_countries_and_sources() -> None:
    comp = lib(
        "m",
        supplier={"name": "Shenzhen Example Co., Ltd.", "address": {"country": "China"}},
        manufacturer={"name": "Example HK", "address": {"country": "HKG"}},
        authors=[{"name": "Dev One"}, {"name": "  "}],
        author="Legacy Author",
        publisher="Pub Co",
        properties=props(designer="Design Org", maintained_by="Maint Org", developer="Hint Dev"),
    )
    b = read(bom(comp))
    parties = [(p.role, p.name, p.country) for p in b.components[0].parties]
    assert parties == [
        ("supplier", "Shenzhen Example Co., Ltd.", "CN"),
        ("manufacturer", "Example HK", "HK"),
        ("developer", "Dev One", None),
        ("developer", "Legacy Author", None),
        ("developer", "Pub Co", None),
        ("designer", "Design Org", None),
        ("maintainer", "Maint Org", None),
        ("developer", "Hint Dev", None),
    ]
    src = b.components[0].parties[0].source
    assert src is not None and src.pointer == "/components/0/supplier" and src.record_id == "m"
    assert b.components[0].hints.maintained_by == "Maint Org"
    assert any("empty name" in w.text and w.source.endswith("/components/0/authors/1") for w in b.warnings)


@pytest.mark.parametrize(("stated", "code"), [("cn", "CN"), ("RUS", "RU"), ("Russian Federation", "RU"),
                                              ("Russia", "RU"), ("Hong Kong", "HK"), ("Macau", "MO"),
                                              ("Germany", "DE")])
def test_country_normalised(stated: str, code: str) -> None:
    b = read(bom(lib("a", supplier={"name": "S", "address": {"country": stated}})))
    assert b.components[0].parties[0].country == code


def test_unknown_country_is_kept_unknown_with_a_warning() -> None:
    b = read(bom(lib("a", supplier={"name": "S", "address": {"country": "Atlantis"}})), schema_warnings=False)
    assert b.components[0].parties[0].country is None
    assert [w.source for w in b.warnings] == ["made.cdx.json#/components/0/supplier/address/country"]


def test_metadata_supplier_and_manufacturer_belong_to_the_subject() -> None:
    data = bom(metadata={"component": {"type": "device", "bom-ref": "ecu", "name": "ECU"},
                         "supplier": {"name": "Tier1"}, "manufacture": {"name": "OldFab"}})
    b = read(data)
    assert [(p.role, p.name) for p in b.components[0].parties] == [("supplier", "Tier1"), ("manufacturer", "OldFab")]


def test_hints_parsed() -> None:
    hints = props(function="ads,vcs", vcs_category="telematics-unit", rf_max_mhz="5905.5",
                  software_kind="middleware", open_source="modified-redistributed",
                  completed_before="2026-03-01", model_year="2027")
    b = read(bom(lib("a", properties=[*hints, {"name": "vendor:other", "value": "ignored"}])))
    h = b.components[0].hints
    assert h.function == frozenset({"vcs", "ads"})
    assert h.vcs_category == "telematics-unit" and h.rf_max_mhz == 5905.5
    assert h.software_kind == "middleware" and h.open_source == "modified-redistributed"
    assert h.completed_before == dt.date(2026, 3, 1) and h.model_year == 2027
    none = read(bom(lib("b", properties=props(function="none")))).components[0].hints
    assert none.function == frozenset()


@pytest.mark.parametrize(
    ("name", "value", "fix_word"),
    [
        ("function", "x", "vcs, ads, vcs,ads, none"),
        ("vcs-category", "radio", "cellular-module"),
        ("rf-max-mhz", "fast", "number"),
        ("rf-max-mhz", "-5", "number"),
        ("completed-before", "March 2026", "YYYY-MM-DD"),
        ("model-year", "27", "model year"),
        ("software-kind", "driver", "firmware"),
        ("open-source", "yes", "unmodified"),
    ],
)
def test_bad_hint_value_is_input_error_with_pointer(name: str, value: str, fix_word: str) -> None:
    data = bom(lib("a", properties=[{"name": "x", "value": "1"}, {"name": f"cvcomply:{name}", "value": value}]))
    with pytest.raises(InputError) as e:
        read(data)
    assert e.value.location == "/components/0/properties/1/value"
    assert f"unknown value {value!r} for cvcomply:{name}" in e.value.message
    assert fix_word in e.value.fix
    issues = validate_cyclonedx("made.cdx.json", data)
    assert any(i.location == "/components/0/properties/1/value" for i in issues)


def test_unknown_hint_name_warns_with_closest_name() -> None:
    b = read(bom(lib("a", properties=[{"name": "cvcomply:maintaned-by", "value": "X"}])))
    assert any("'cvcomply:maintained-by'" in w.text for w in b.warnings)
    assert b.components[0].hints.maintained_by is None


def test_dangling_dependency_is_input_error() -> None:
    data = bom(lib("a"), lib("b"), dependencies=[{"ref": "a", "dependsOn": ["b", "ghost"]}])
    with pytest.raises(InputError) as e:
        read(data)
    assert e.value.location == "/dependencies/0/dependsOn/1"
    assert "'ghost'" in e.value.message and "bom-ref" in e.value.fix
    ok = bom(lib("a"), lib("b"), dependencies=[{"ref": "a", "dependsOn": ["b"]}, {"ref": "b"}])
    assert len(read(ok).components) == 2


def test_duplicate_bom_ref_is_renamed_with_warning() -> None:
    b = read(bom(lib("a"), lib("a")), schema_warnings=False)
    assert [c.bom_ref for c in b.components] == ["a", "#/components/1"]
    assert len(b.warnings) == 1


def test_schema_violations_are_warnings_when_reading_and_skippable() -> None:
    data = bom({"type": "gizmo", "bom-ref": "a", "name": "a"})
    lenient = read(data)
    assert any(w.source.endswith("/components/0/type") and w.text.startswith("schema:") for w in lenient.warnings)
    assert read(data, schema_warnings=False).warnings == ()
    issues = validate_cyclonedx("made.cdx.json", data)
    assert [i.location for i in issues] == ["/components/0/type"]
    assert "'gizmo'" in issues[0].message


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        (b"{\n  \"bomFormat\": \"CycloneDX\",\n  oops\n}", "line 3, column 3", "not valid JSON"),
        (b"[1, 2]", "", "not an object"),
        (b'{"specVersion": "1.6"}', "/bomFormat", "no 'bomFormat'"),
        (b'{"spdxVersion": "SPDX-2.3"}', "/bomFormat", "SPDX"),
        (b'{"bomFormat": "Other"}', "/bomFormat", "'Other'"),
    ],
)
def test_unreadable_input(data: bytes, where: str, words: str) -> None:
    with pytest.raises(InputError) as e:
        read(data)
    assert e.value.location == where and words in e.value.message and e.value.fix


def test_utf8_bom_and_missing_file() -> None:
    b = read(b"\xef\xbb\xbf" + bom(lib("a")))
    assert b.components[0].name == "a"
    with pytest.raises(InputError, match="file not found"):
        read_cyclonedx("/nonexistent/x.json")


def test_unsupported_spec_version_is_one_issue() -> None:
    issues = validate_cyclonedx("made.cdx.json", bom(lib("a"), version="9.9"))
    assert [i.location for i in issues] == ["/specVersion"]


def test_repeated_property_lists_are_read_for_each_component() -> None:
    """The reader reuses the result of a property list it has seen; what is per component must stay so."""
    hw = [{"name": "cdx:device:bus", "value": "usb"}, *props(function="vcs")]
    shared = [*props(function="vcs", vcs_category="soc", maintained_by="Upkeep Ltd")]
    unknown = [{"name": "cvcomply:maintaned-by", "value": "X"}]
    b = read(bom(lib("a", properties=hw), lib("b", properties=hw), lib("c", properties=shared),
                 lib("d", properties=shared), lib("e", properties=unknown), lib("f", properties=unknown)))
    a, b2, c, d, _, _ = b.components
    assert a.kind == b2.kind == "hardware" and a.hints == b2.hints and a.hints.function == frozenset({"vcs"})
    # a party hint is a fact about its own component: its own source, every time
    assert [(p.role, p.name, p.source.record_id if p.source else None) for p in (*c.parties, *d.parties)] == [
        ("maintainer", "Upkeep Ltd", "c"), ("maintainer", "Upkeep Ltd", "d")]
    assert c.parties[0].source and c.parties[0].source.pointer == "/components/2/properties/2"
    # a list that warns warns for every component that carries it
    assert [w.source.split("#")[1] for w in b.warnings if "maintaned" in w.text] == [
        "/components/4/properties/0/name", "/components/5/properties/0/name"]
    # a value that is not a string is judged afresh, not taken from a cached string twin
    with pytest.raises(InputError) as e:
        read(bom(lib("a", properties=props(model_year="2027")),
                 lib("b", properties=[{"name": "cvcomply:model-year", "value": True}])))
    assert e.value.location == "/components/1/properties/0/value"


def test_schema_check_never_writes_defaults_into_the_document() -> None:
    """CycloneDX 1.2 gives ``author`` a default; a check that filled it in made validate warn about names
    nobody wrote ("developer has an empty name")."""
    data = bom(lib("a", publisher="Pub GmbH", version="1.0"), version="1.2")
    assert validate_cyclonedx("made.cdx.json", data) == []
    assert read(data).warnings == ()


def test_fallback_schema_check_agrees(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """Without jsonschema-rs the compiled pure-Python check answers the same (and writes nothing in)."""
    from cvcomply.formats import cyclonedx, fastschema

    monkeypatch.setenv("CVCOMPLY_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(fastschema, "_rust_check", lambda schema, store: None)
    monkeypatch.setattr(fastschema, "_checks", {})
    check = cyclonedx._fast_check("1.2")
    good = orjson.loads(bom(lib("a", publisher="Pub GmbH", version="1.0"), version="1.2"))
    before = orjson.dumps(good)
    assert check(good) and orjson.dumps(good) == before
    assert not check(orjson.loads(bom({"type": "gizmo", "bom-ref": "a", "name": "a"}, version="1.2")))
