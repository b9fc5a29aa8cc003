"""SPDX reader: supplier strings, purposes, hints, SPDX 3 agents, end-to-end facts (documents made by this project)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.programs import Org, write_program

from cvcomply import report_dict, screen
from cvcomply.formats.detect import detect_format
from cvcomply.formats.errors import InputError
from cvcomply.formats.spdx import party_name, read_spdx, validate_spdx


@pytest.mark.parametrize(("raw", "name"), [
    ("Organization: Example Co., Ltd. (sales@example.com)", "Example Co., Ltd."),
    ("Organization: ACME (Shanghai) Co., Ltd. ()", "ACME (Shanghai) Co., Ltd."),
    ("Organization: ACME (Shanghai) Co., Ltd.", "ACME (Shanghai) Co., Ltd."),
    ("Person: Jane Doe", "Jane Doe"),
    ("NOASSERTION", None), ("NONE", None), ("Organization: ", None), ("", None), (None, None), (3, None),
])
def test_party_name(raw: Any, name: str | None) -> None:
    assert party_name(raw) == name


def spdx2(*packages: dict[str, Any], version: str = "SPDX-2.3") -> bytes:
    return orjson.dumps({
        "spdxVersion": version, "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "t",
        "documentNamespace": "https://cvcomply.example/test", "creationInfo": {"created": "2026-01-01T00:00:00Z",
                                                                               "creators": ["Tool: cvcomply-tests"]},
        "packages": [{"downloadLocation": "NOASSERTION", **p} for p in packages]})


def pkg(ref: str, **kw: Any) -> dict[str, Any]:
    return {"SPDXID": f"SPDXRef-{ref}", "name": ref, **kw}


def hint(text: str) -> dict[str, Any]:
    return {"annotationType": "OTHER", "annotator": "Tool: t", "annotationDate": "2026-01-01T00:00:00Z",
            "comment": text}


def test_spdx2_json_roles_purposes_hints_and_no_country() -> None:
    data = spdx2(
        pkg("fw", supplier="Organization: Shenzhen Modem Co., Ltd. (x@y.cn)", originator="Person: Li Lei",
            primaryPackagePurpose="FIRMWARE", versionInfo="2.0",
            externalRefs=[{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                           "referenceLocator": "pkg:generic/fw@2.0"}]),
        pkg("modem", supplier="NOASSERTION", primaryPackagePurpose="DEVICE",
            annotations=[hint("cvcomply:vcs-category=cellular-module"), hint("just a note")]),
        pkg("os1", primaryPackagePurpose="OPERATING_SYSTEM"), pkg("os2", primaryPackagePurpose="OPERATING-SYSTEM"))
    b = read_spdx("t.spdx.json", data)
    fw, modem, os1, os2 = b.components
    assert (b.format, b.spec_version, b.warnings) == ("spdx", "2.3", ())
    assert (fw.kind, fw.type, fw.version, fw.purl, fw.bom_ref) == ("software", "firmware", "2.0",
                                                                  "pkg:generic/fw@2.0", "SPDXRef-fw")
    assert [(p.role, p.name, p.country) for p in fw.parties] == [
        ("supplier", "Shenzhen Modem Co., Ltd.", None), ("developer", "Li Lei", None)]
    assert [str(p.source) for p in fw.parties] == ["t.spdx.json#/packages/0/supplier",
                                                   "t.spdx.json#/packages/0/originator"]
    assert (modem.kind, modem.parties, modem.hints.vcs_category) == ("hardware", (), "cellular-module")
    assert os1.type == os2.type == "operating-system"
    assert validate_spdx("t.spdx.json", data) == []


def test_bad_hint_is_input_error_and_unknown_purpose_a_warning() -> None:
    with pytest.raises(InputError) as e:
        read_spdx("t.json", spdx2(pkg("a", annotations=[hint("cvcomply:function=sometimes")])))
    assert e.value.location == "/packages/0/annotations/0/comment"
    b = read_spdx("t.json", spdx2(pkg("a", primaryPackagePurpose="GADGET")))
    assert b.components[0].type == "other" and "GADGET" in b.warnings[0].text


def test_validate_names_missing_fields_bad_ids_and_dangling_relationships() -> None:
    doc = orjson.loads(spdx2(pkg("a"), {"SPDXID": "bad id", "name": "b"}))
    doc["relationships"] = [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                             "relatedSpdxElement": "SPDXRef-ghost"}]
    text = " | ".join(f"{i.location} {i.message}" for i in validate_spdx("t.json", orjson.dumps(doc)))
    assert "/packages/1 package has no 'downloadLocation'" not in text  # spdx2() adds it to every package
    assert "/packages/1/SPDXID" in text and "SPDXRef-ghost" in text


TV = """SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: t
DocumentNamespace: https://cvcomply.example/tv
Creator: Tool: cvcomply-tests
Created: 2026-01-01T00:00:00Z

PackageName: tcu-os
SPDXID: SPDXRef-os
PackageSupplier: Organization: Rheinwerk Telematik GmbH (info@example.de)
PackageOriginator: Organization: Sakura Denki K.K.
PackageDownloadLocation: NOASSERTION
PrimaryPackagePurpose: OPERATING-SYSTEM

Annotator: Tool: cvcomply-tests
AnnotationDate: 2026-01-01T00:00:00Z
AnnotationType: OTHER
SPDXREF: SPDXRef-os
AnnotationComment: <text>cvcomply:function=vcs</text>
"""


def test_tag_value_with_lines_and_annotations() -> None:
    b = read_spdx("t.spdx", TV.encode())
    (os_,) = b.components
    assert [(p.role, p.name, str(p.source)) for p in os_.parties] == [
        ("supplier", "Rheinwerk Telematik GmbH", "t.spdx#line 11"),
        ("developer", "Sakura Denki K.K.", "t.spdx#line 12")]
    assert os_.hints.function == frozenset({"vcs"}) and os_.type == "operating-system"
    assert str(os_.source) == "t.spdx#line 9"
    assert validate_spdx("t.spdx", TV.encode()) == []
    utf16 = b"\xff\xfe" + TV.encode("utf-16-le")
    assert detect_format("t.spdx", utf16) == "spdx-tv" and read_spdx("t.spdx", utf16).components[0].name == "tcu-os"


def test_yaml_reads_like_json() -> None:
    doc = orjson.loads(spdx2(pkg("a", supplier="Organization: Y Corp")))
    data = yaml.safe_dump(doc).encode()
    assert detect_format("t.yaml", data) == "spdx-yaml"
    (a,) = read_spdx("t.yaml", data).components
    assert [(p.role, p.name) for p in a.parties] == [("supplier", "Y Corp")]


def spdx3(*elements: dict[str, Any]) -> bytes:
    return orjson.dumps({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": list(elements)})


def test_spdx3_agents_resolved_through_the_graph_and_annotation_hints() -> None:
    data = spdx3(
        {"type": "Organization", "spdxId": "urn:org:1", "name": "Shenzhen Modem Co., Ltd."},
        {"type": "Person", "spdxId": "urn:person:1", "name": "Li Lei"},
        {"type": "software_Package", "spdxId": "urn:pkg:1", "name": "modem-fw", "software_primaryPurpose": "firmware",
         "suppliedBy": "urn:org:1", "originatedBy": ["urn:person:1", "urn:nobody"]},
        {"type": "Annotation", "spdxId": "urn:ann:1", "subject": "urn:pkg:1", "annotationType": "other",
         "statement": "cvcomply:open-source=unmodified"})
    b = read_spdx("t.jsonld", data)
    (fw,) = b.components
    assert (b.spec_version, fw.type, fw.kind, fw.hints.open_source) == ("3.0.1", "firmware", "software", "unmodified")
    assert [(p.role, p.name, str(p.source)) for p in fw.parties] == [
        ("supplier", "Shenzhen Modem Co., Ltd.", "t.jsonld#/@graph/0"), ("developer", "Li Lei", "t.jsonld#/@graph/1")]
    assert [w.source for w in b.warnings] == ["t.jsonld#/@graph/2/originatedBy/1"]
    dev = read_spdx("t.jsonld", spdx3({"type": "software_Package", "spdxId": "u:d", "name": "d",
                                        "software_primaryPurpose": "device"})).components[0]
    assert dev.kind == "hardware"


def test_not_spdx_is_input_error() -> None:
    for data in (b'{"hello": 1}', b"[1, 2]", b"- a\n- b\n", b"key: [unclosed"):
        with pytest.raises(InputError):
            read_spdx("t", data)
        assert validate_spdx("t", data)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda t: ("SPDXVersion: SPDX-2.3\n" + t).encode()),
                 st.recursive(st.none() | st.booleans() | st.integers(-9, 9) | st.text(max_size=8),
                              lambda c: st.lists(c, max_size=3) | st.dictionaries(
                                  st.sampled_from(["packages", "supplier", "@graph", "type", "spdxId", "name",
                                                   "suppliedBy", "annotations", "comment", "spdxVersion"]), c,
                                  max_size=4), max_leaves=15).map(orjson.dumps)))
def test_arbitrary_input_never_crashes(data: bytes) -> None:
    with contextlib.suppress(InputError):
        read_spdx("t", data)
    validate_spdx("t", data)


def test_spdx_party_facts_reach_the_report_with_their_source(tmp_path: Path) -> None:
    manifest = write_program(tmp_path, [], [Org("cn", "Shenzhen Modem Co., Ltd.", "CN")])
    (tmp_path / "bom.spdx").write_text(TV.replace("Rheinwerk Telematik GmbH", "Shenzhen Modem Co., Ltd."))
    doc = yaml.safe_load(manifest.read_text())
    doc["boms"] = ["bom.spdx"]
    manifest.write_text(yaml.safe_dump(doc))
    report = screen(str(manifest))
    (finding,) = [f for f in report.findings if f.component.bom_ref == "SPDXRef-os"]
    supplier = next(p for p in finding.parties if p.party.role == "supplier")
    assert str(supplier.party.source) == "bom.spdx#line 11" and supplier.entity_name == "Shenzhen Modem Co., Ltd."
    assert "bom.spdx#line 11" in orjson.dumps(report_dict(report)).decode()
    assert finding.verdict == "prohibited"


def test_shared_supplier_strings_give_each_package_its_own_party() -> None:
    """Supplier strings repeat across big SBOMs (their parsing is remembered); facts stay per package."""
    sup = "Organization: Repeat Supplier Co., Ltd. (sales@repeat.example)"
    data = spdx2(pkg("a", supplier=sup), pkg("b", supplier=sup), pkg("c", supplier="NOASSERTION"),
                 pkg("d", supplier=sup, originator={"not": "a string"}))
    b = read_spdx("made.spdx.json", data)
    got = [(c.bom_ref, [(p.role, p.name, p.source.pointer if p.source else None) for p in c.parties])
           for c in b.components]
    assert got == [
        ("SPDXRef-a", [("supplier", "Repeat Supplier Co., Ltd.", "/packages/0/supplier")]),
        ("SPDXRef-b", [("supplier", "Repeat Supplier Co., Ltd.", "/packages/1/supplier")]),
        ("SPDXRef-c", []),
        ("SPDXRef-d", [("supplier", "Repeat Supplier Co., Ltd.", "/packages/3/supplier")]),
    ]
    assert party_name(None) is None and party_name(["x"]) is None
