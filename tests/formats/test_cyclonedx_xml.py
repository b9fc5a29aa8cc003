"""CycloneDX XML reader: the same facts as the JSON reader, located by XML line (documents made by this project)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvcomply.formats.cyclonedx import read_cyclonedx
from cvcomply.formats.cyclonedx_xml import read_cyclonedx_xml, validate_cyclonedx_xml
from cvcomply.formats.detect import detect_format
from cvcomply.formats.errors import InputError

NS = "http://cyclonedx.org/schema/bom/1.6"


def bom(body: str, ns: str = NS, version: str = "3") -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="{ns}" version="{version}">\n{body}\n</bom>\n'.encode()


TCU = """<components>
  <component type="device" bom-ref="tcu">
    <supplier>
      <name>Rheinwerk Telematik GmbH</name>
      <address><country>DE</country></address>
    </supplier>
    <manufacturer><name>Sakura Denki K.K.</name></manufacturer>
    <name>TCU</name>
    <version>4.1</version>
    <properties>
      <property name="cvcomply:vcs-category">telematics-unit</property>
      <property name="cvcomply:rf-max-mhz">2400</property>
    </properties>
    <components>
      <component type="firmware" bom-ref="fw">
        <author>Firmware Team Ltd</author>
        <name>tcu-fw</name>
      </component>
    </components>
  </component>
</components>"""


def test_spec_version_is_the_namespace_and_bom_version_is_the_revision() -> None:
    b = read_cyclonedx_xml("t.xml", bom(TCU, version="7"))
    assert (b.format, b.spec_version) == ("cyclonedx", "1.6")
    assert b.warnings == ()


def test_parties_kinds_hints_and_line_locations() -> None:
    b = read_cyclonedx_xml("t.xml", bom(TCU))
    tcu, fw = b.components
    assert (tcu.kind, tcu.type, tcu.version, tcu.hints.vcs_category, tcu.hints.rf_max_mhz) == (
        "hardware", "device", "4.1", "telematics-unit", 2400.0)
    sup, man = tcu.parties
    assert (sup.role, sup.name, sup.country) == ("supplier", "Rheinwerk Telematik GmbH", "DE")
    assert str(sup.source) == "t.xml#line 5" and sup.source is not None and sup.source.record_id == "tcu"
    assert (man.role, man.name) == ("manufacturer", "Sakura Denki K.K.")
    assert str(tcu.source) == "t.xml#line 4"
    assert (fw.kind, fw.type, fw.parent) == ("software", "firmware", "tcu")
    assert [(p.role, p.name) for p in fw.parties] == [("developer", "Firmware Team Ltd")]


def test_same_facts_as_the_json_reader() -> None:
    json_doc = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "device", "bom-ref": "tcu",
      "name": "TCU", "version": "4.1", "supplier": {"name": "Rheinwerk Telematik GmbH", "address": {"country": "DE"}},
      "manufacturer": {"name": "Sakura Denki K.K."},
      "properties": [{"name": "cvcomply:vcs-category", "value": "telematics-unit"},
                     {"name": "cvcomply:rf-max-mhz", "value": "2400"}],
      "components": [{"type": "firmware", "bom-ref": "fw", "author": "Firmware Team Ltd", "name": "tcu-fw"}]}]}"""
    x = read_cyclonedx_xml("t.xml", bom(TCU))
    j = read_cyclonedx("t.json", json_doc)

    def facts(b: object) -> list[object]:
        return [(c.bom_ref, c.name, c.kind, c.type, c.hints, c.parent, [(p.role, p.name, p.country) for p in c.parties])
                for c in b.components]  # type: ignore[attr-defined]

    assert facts(x) == facts(j)


def test_licensor_ancestors_and_device_properties() -> None:
    body = """<components>
  <component type="library" bom-ref="lib">
    <name>stack</name>
    <licenses><license><name>Commercial</name><licensing>
      <licensor><organization><name>Licensor Corp</name></organization></licensor>
    </licensing></license></licenses>
    <pedigree><ancestors><component type="library"><supplier><name>Upstream Org</name></supplier>
      <name>stack-upstream</name></component></ancestors></pedigree>
  </component>
  <component type="other" bom-ref="board">
    <name>board</name>
    <properties><property name="cdx:device:deviceType">pcb</property></properties>
  </component>
</components>"""
    lib, board = read_cyclonedx_xml("t.xml", bom(body)).components
    assert [(p.role, p.name) for p in lib.parties] == [("supplier", "Licensor Corp"), ("developer", "Upstream Org")]
    assert board.kind == "hardware"


def test_bad_hint_value_is_input_error_at_its_line() -> None:
    body = """<components><component type="application" bom-ref="a"><name>a</name>
<properties><property name="cvcomply:function">sometimes</property></properties></component></components>"""
    with pytest.raises(InputError) as e:
        read_cyclonedx_xml("t.xml", bom(body))
    assert e.value.location == "line 4" and "sometimes" in e.value.message


def test_schema_violations_warn_when_reading_and_are_errors_when_validating() -> None:
    body = '<components><component type="spaceship" bom-ref="a"><name>a</name></component></components>'
    b = read_cyclonedx_xml("t.xml", bom(body))
    assert [w.source for w in b.warnings] == ["t.xml#line 3"] and "spaceship" in b.warnings[0].text
    issues = validate_cyclonedx_xml("t.xml", bom(body))
    assert issues and "spaceship" in issues[0].message and issues[0].location == "line 3"


def test_dtd_and_entities_are_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components/></bom>')
    with pytest.raises(InputError, match="DTD"):
        read_cyclonedx_xml("t.xml", bomb)


def test_not_cyclonedx_and_broken_xml() -> None:
    with pytest.raises(InputError, match="not a CycloneDX XML BOM"):
        read_cyclonedx_xml("t.xml", b'<bom xmlns="http://example.com/other"/>')
    with pytest.raises(InputError) as e:
        read_cyclonedx_xml("t.xml", b"<bom>\n<components>\n</bom>")
    assert e.value.location.startswith("line 3")
    assert validate_cyclonedx_xml("t.xml", b"<bom") and detect_format("t.xml", bom(TCU)) == "cyclonedx-xml"


def test_unknown_namespace_version_reads_with_a_warning() -> None:
    b = read_cyclonedx_xml("t.xml", bom(TCU, ns="http://cyclonedx.org/schema/bom/1.9"))
    assert b.spec_version == "1.9" and "1.9" in b.warnings[0].text and len(b.components) == 2


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    with contextlib.suppress(InputError):
        read_cyclonedx_xml("t.xml", data)
    validate_cyclonedx_xml("t.xml", data)


_tag = st.sampled_from(["component", "components", "supplier", "name", "property", "properties", "licenses",
                        "license", "licensing", "licensor", "pedigree", "ancestors", "dependency", "dependencies"])


@st.composite
def _xml(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(_tag)
    attrs = draw(st.sampled_from(["", ' type="device"', ' bom-ref="x"', ' name="cvcomply:function"', ' ref="y"']))
    kids = draw(st.lists(_xml(depth + 1), max_size=3)) if depth < 4 else []
    txt = draw(st.text(alphabet="ab <>&;", max_size=5)).replace("<", "&lt;").replace("&", "&amp;")
    return f"<{tag}{attrs}>{txt}{''.join(kids)}</{tag}>"


@settings(max_examples=150, deadline=None)
@given(st.lists(_xml(), max_size=4))
def test_arbitrary_cyclonedx_shaped_xml_never_crashes(parts: list[str]) -> None:
    data = bom("".join(parts))
    try:
        read_cyclonedx_xml("t.xml", data)
    except InputError as e:
        assert e.location
    validate_cyclonedx_xml("t.xml", data)


def test_file_path_is_read(tmp_path: Path) -> None:
    p = tmp_path / "b.xml"
    p.write_bytes(bom(TCU))
    assert len(read_cyclonedx_xml(str(p)).components) == 2
