"""SPDX 2.3 XML: read like SPDX JSON, validated with every problem at its line.

Conformance runs on the spec's own XML example read in place from ../shared/fixtures (skipped when absent); every
other document here is made by this project (``made_xml``), labelled as such.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.programs import Org, write_program

from cvcomply.formats.detect import detect_format, read_bom, validate_file
from cvcomply.formats.errors import InputError
from cvcomply.formats.spdx import read_spdx, validate_spdx
from cvcomply.formats.spdx_xml import ARRAY_FIELDS, spdx2_from_xml
from cvcomply.model import Bom

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"
SPEC = SHARED / "spdx" / "spdx-spec-2.3.1"
XML_FIXTURES = sorted(SHARED.resolve().glob("spdx/**/*.xml")) if SHARED.is_dir() else []


def spec_file(name: str) -> Path:
    path = SPEC / name
    if not path.is_file():
        pytest.skip(f"third-party fixture {path} absent")
    return path


def line_of(text: str, needle: str, nth: int = 0) -> str:
    """``line N`` of the ``nth`` occurrence of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return f"line {text[:at].count(chr(10)) + 1}"


def facts(bom: Bom) -> list[tuple[Any, ...]]:
    """What screening reads of a BOM: everything but where in the file each fact stands."""
    return [(c.bom_ref, c.name, c.version, c.purl, c.kind, c.type, c.hints, c.parent, c.subject,
             [(p.role, p.name, p.country, p.identifiers) for p in c.parties]) for c in bom.components]


# -- conformance: the spec's example -----------------------------------------------------------------


@pytest.mark.parametrize("path", XML_FIXTURES or [pytest.param(None, marks=pytest.mark.skip(
    reason="no SPDX XML in the shared fixtures"))], ids=lambda p: "/".join(p.parts[-2:]) if p else "absent")
def test_every_spdx_xml_fixture_loads_and_validates_clean(path: Path) -> None:
    assert detect_format(str(path), path.read_bytes()) == "spdx-xml"
    assert validate_file(str(path)) == ("spdx-xml", [])
    bom = read_bom(str(path))
    assert (bom.format, bom.spec_version, bom.warnings) == ("spdx", "2.3", ())
    assert bom.components
    for c in bom.components:
        assert c.source is not None and c.source.pointer.startswith("line ")
        assert all(p.source is not None and p.source.pointer.startswith("line ") for p in c.parties)


def test_spec_xml_converts_to_exactly_the_spec_json() -> None:
    """The spec ships one document in both serialisations: converted, the XML is the JSON, key for key, type for
    type (one-element arrays as lists: creators, licenseInfoFromFiles …; filesAnalyzed a boolean; offsets ints)."""
    xml = spdx2_from_xml("x.xml", spec_file("SPDXXMLExample-v2.3.spdx.xml").read_bytes())
    json_doc = orjson.loads(spec_file("SPDXJSONExample-v2.3.spdx.json").read_bytes())
    assert xml.doc == json_doc and xml.issues == []
    assert xml.doc["packages"][0]["filesAnalyzed"] is True
    assert xml.doc["snippets"][0]["ranges"][0]["endPointer"]["offset"] == 420
    assert xml.doc["files"][0]["fileTypes"] == ["SOURCE"]  # written once, an array all the same


def test_every_value_has_the_line_of_its_element() -> None:
    text = spec_file("SPDXXMLExample-v2.3.spdx.xml").read_text()
    where = spdx2_from_xml("x.xml", text.encode()).where
    assert where[""] == line_of(text, "<Document>")
    assert where["/creationInfo/creators/2"] == line_of(text, "<creators>Person: Jane Doe")
    assert where["/packages/0/checksums"] == where["/packages/0/checksums/0"] == line_of(text, "<checksums>")
    assert where["/packages/0/checksums/3/algorithm"] == line_of(text, "<algorithm>BLAKE2b-384")
    assert where["/packages/0/hasFiles/13"] == line_of(text, "<hasFiles>", 13)
    assert where["/snippets/0/ranges/1/startPointer/lineNumber"] == line_of(text, "<lineNumber>5<")
    assert where["/relationships/6/relatedSpdxElement"] == line_of(text, "<relatedSpdxElement>", 6)
    for missing in ("/packages/4", "/packages/0/nothing", "/packages/x", "packages", "/creationInfo/created/0"):
        assert missing not in where and where.get(missing, "-") == "-"
        with pytest.raises(KeyError):
            where[missing]
    assert "/files/4/fileContributors/2" in set(where) and len(where) == len(set(where)) > 300


def test_spec_xml_and_json_give_the_same_bom() -> None:
    xml_path, json_path = spec_file("SPDXXMLExample-v2.3.spdx.xml"), spec_file("SPDXJSONExample-v2.3.spdx.json")
    x, j = read_bom(str(xml_path)), read_bom(str(json_path))
    assert facts(x) == facts(j)
    assert [c.name for c in x.components] == ["glibc", "Apache Commons Lang", "Jena", "Saxon"]
    glibc, _, jena, _ = x.components
    assert [(p.role, p.name, p.country) for p in glibc.parties] == [("supplier", "Jane Doe", None),
                                                                    ("developer", "ExampleCodeInspect", None)]
    assert jena.purl == "pkg:maven/org.apache.jena/apache-jena@3.12.0"
    assert (x.format, x.spec_version, x.warnings) == (j.format, j.spec_version, j.warnings)
    # only the places differ: lines of the XML where the JSON has pointers
    text = xml_path.read_text()
    supplier = glibc.parties[0].source
    assert supplier is not None and supplier.pointer == line_of(text, "<supplier>")
    assert glibc.source is not None and glibc.source.pointer == line_of(text, "<packages>")
    assert j.components[0].parties[0].source is not None
    assert j.components[0].parties[0].source.pointer == "/packages/0/supplier"


def test_array_fields_agree_with_the_spec_json() -> None:
    """Every key the spec's JSON example writes as an array is in ARRAY_FIELDS, and no key it writes otherwise."""
    doc = orjson.loads(spec_file("SPDXJSONExample-v2.3.spdx.json").read_bytes())
    arrays: set[str] = set()
    others: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                (arrays if isinstance(v, list) else others).add(k)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    assert arrays <= ARRAY_FIELDS and not (others & ARRAY_FIELDS)
    assert {"creators", "packages", "checksums", "externalRefs", "ranges", "seeAlsos", "hasFiles"} <= arrays


# -- documents made by this project ------------------------------------------------------------------


def ann(comment: str) -> str:
    return (f"<annotations><annotationDate>2026-01-01T00:00:00Z</annotationDate><annotationType>OTHER"
            f"</annotationType><annotator>Tool: cvcomply-tests</annotator><comment>{comment}</comment></annotations>")


def made_xml(*packages: str, extra: str = "") -> str:
    """An SPDX 2.3 XML document made by this project (not third-party data), one ``<packages>`` per argument."""
    body = "".join(f"  <packages>\n    <downloadLocation>NOASSERTION</downloadLocation>\n{p}\n  </packages>\n"
                   for p in packages)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Document>\n'
            "  <SPDXID>SPDXRef-DOCUMENT</SPDXID>\n  <spdxVersion>SPDX-2.3</spdxVersion>\n"
            "  <creationInfo>\n    <created>2026-01-01T00:00:00Z</created>\n"
            "    <creators>Tool: cvcomply-tests</creators>\n  </creationInfo>\n"
            "  <name>made by cvcomply tests</name>\n  <dataLicense>CC0-1.0</dataLicense>\n"
            "  <documentNamespace>https://cvcomply.example/spdx-xml-test</documentNamespace>\n"
            f"{body}{extra}</Document>\n")


MODEM_FW = """    <SPDXID>SPDXRef-modem-fw</SPDXID>
    <name>modem-fw</name>
    <versionInfo>2.0</versionInfo>
    <supplier>Organization: Shenzhen Modem Co., Ltd. (sales@modem.example)</supplier>
    <originator>Person: Li Lei</originator>
    <primaryPackagePurpose>FIRMWARE</primaryPackagePurpose>
    <externalRefs>
      <referenceCategory>PACKAGE-MANAGER</referenceCategory>
      <referenceLocator>pkg:generic/modem-fw@2.0</referenceLocator>
      <referenceType>purl</referenceType>
    </externalRefs>"""
TCU_APP = f"""    <SPDXID>SPDXRef-tcu-app</SPDXID>
    <name>tcu-app</name>
    <supplier>Organization: Rheinwerk Telematik GmbH</supplier>
    {ann("cvcomply:function=vcs")}
    {ann("just a note")}
    {ann("cvcomply:software-kind=application")}"""
MODEM = f"""    <SPDXID>SPDXRef-modem</SPDXID>
    <name>modem</name>
    <primaryPackagePurpose>DEVICE</primaryPackagePurpose>
    <filesAnalyzed>false</filesAnalyzed>
    {ann("cvcomply:vcs-category=cellular-module")}"""


def test_hints_parties_kinds_and_lines_of_a_made_document() -> None:
    text = made_xml(MODEM_FW, TCU_APP, MODEM)
    data = text.encode()
    assert detect_format("made.spdx.xml", data) == "spdx-xml"
    b = read_spdx("made.spdx.xml", data)
    fw, app, modem = b.components
    assert (b.format, b.spec_version, b.warnings) == ("spdx", "2.3", ())
    assert (fw.bom_ref, fw.kind, fw.type, fw.version, fw.purl) == (
        "SPDXRef-modem-fw", "software", "firmware", "2.0", "pkg:generic/modem-fw@2.0")
    assert [(p.role, p.name, p.country, str(p.source)) for p in fw.parties] == [
        ("supplier", "Shenzhen Modem Co., Ltd.", None, f"made.spdx.xml#{line_of(text, '<supplier>')}"),
        ("developer", "Li Lei", None, f"made.spdx.xml#{line_of(text, '<originator>')}")]
    assert app.hints.function == frozenset({"vcs"}) and app.hints.software_kind == "application"
    assert [(p.role, p.name) for p in app.parties] == [("supplier", "Rheinwerk Telematik GmbH")]
    assert (modem.kind, modem.parties, modem.hints.vcs_category) == ("hardware", (), "cellular-module")
    assert str(app.source) == f"made.spdx.xml#{line_of(text, '<packages>', 1)}"
    assert validate_spdx("made.spdx.xml", data) == []


def test_made_xml_reads_like_the_same_document_in_json() -> None:
    data = made_xml(MODEM_FW, TCU_APP, MODEM).encode()
    shaped = spdx2_from_xml("made.xml", data).doc
    assert shaped["creationInfo"]["creators"] == ["Tool: cvcomply-tests"]  # one element, still a list
    assert shaped["packages"][2]["filesAnalyzed"] is False
    assert facts(read_spdx("made.xml", data)) == facts(read_spdx("made.json", orjson.dumps(shaped)))


def test_a_hint_annotation_alone_is_a_list_and_a_bad_hint_is_refused_at_its_line() -> None:
    one = "    <SPDXID>SPDXRef-a</SPDXID>\n    <name>a</name>\n    " + ann("cvcomply:function=sometimes")
    text = made_xml(one)
    with pytest.raises(InputError) as e:
        read_spdx("t.xml", text.encode())
    assert e.value.location == line_of(text, "<comment>cvcomply:function") and "sometimes" in e.value.message


def test_namespaced_root_comments_and_utf16_are_read() -> None:
    text = made_xml(MODEM).replace("<Document>", '<Document xmlns="urn:x-made-by-cvcomply-tests">')
    text = text.replace("<name>modem</name>", "<name>mo<!-- note -->dem</name><!-- a comment -->")
    (modem,) = read_spdx("t.xml", text.encode()).components
    assert (modem.name, modem.kind) == ("modem", "hardware")
    utf16 = made_xml(MODEM).replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    # (detect_format does not sniff UTF-16 XML of any format yet; the SPDX reader itself reads it)
    assert read_spdx("t.xml", utf16).components[0].name == "modem" and validate_spdx("t.xml", utf16) == []


def test_e2e_screen_of_an_spdx_xml_bom_gives_findings_for_its_packages(tmp_path: Path) -> None:
    manifest = write_program(tmp_path, [], [Org("cn", "Shenzhen Modem Co., Ltd.", "CN"),
                                            Org("de", "Rheinwerk Telematik GmbH", "DE")])
    cn_app = TCU_APP.replace("tcu-app", "cn-app").replace("Rheinwerk Telematik GmbH", "Shenzhen Modem Co., Ltd.")
    text = made_xml(TCU_APP, cn_app)
    (tmp_path / "bom.spdx.xml").write_text(text)
    doc = yaml.safe_load(manifest.read_text())
    doc["boms"] = ["bom.spdx.xml"]
    manifest.write_text(yaml.safe_dump(doc))
    r = subprocess.run([sys.executable, "-m", "cvcomply.cli", "screen", str(manifest), "--json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stderr  # something prohibited
    report = orjson.loads(r.stdout)
    verdicts = {(f["component"]["bom_ref"], f["model_year"]): f["verdict"] for f in report["findings"]}
    assert verdicts == {("SPDXRef-tcu-app", 2027): "permitted", ("SPDXRef-cn-app", 2027): "prohibited"}
    cn = next(f for f in report["findings"] if f["component"]["bom_ref"] == "SPDXRef-cn-app")
    assert cn["component"]["source"] == f"bom.spdx.xml#{line_of(text, '<packages>', 1)}"
    assert cn["parties"][0]["name"] == "Shenzhen Modem Co., Ltd." and cn["rule"] == "15 CFR 791.303(b)"
    assert f"bom.spdx.xml#{line_of(text, '<supplier>', 1)}" in r.stdout


# -- bad input ---------------------------------------------------------------------------------------


def cli_validate(path: Path) -> tuple[int, list[dict[str, Any]]]:
    r = subprocess.run([sys.executable, "-m", "cvcomply.cli", "validate", "--json", str(path)],
                       capture_output=True, text=True, timeout=120)
    assert "Traceback" not in r.stderr
    return r.returncode, orjson.loads(r.stdout)


def test_cli_validate_exits_0_on_the_fixture_and_2_with_the_line_on_a_bad_file(tmp_path: Path) -> None:
    rc, (result,) = cli_validate(spec_file("SPDXXMLExample-v2.3.spdx.xml"))
    assert (rc, result["format"], result["valid"], result["errors"]) == (0, "spdx-xml", True, [])
    bad = tmp_path / "bad.spdx.xml"
    bad.write_text(made_xml(MODEM).replace("</name>", "</nam>", 2))
    rc, (result,) = cli_validate(bad)
    assert (rc, result["format"], result["valid"]) == (2, "spdx-xml", False)
    (err,) = result["errors"]
    assert err["location"].startswith(line_of(bad.read_text(), "</nam>") + ",") and "tag mismatch" in err["message"]


def test_malformed_xml_names_line_and_fix() -> None:
    text = made_xml(MODEM).replace("<name>modem</name>", "<name>modem</nam>")
    with pytest.raises(InputError) as e:
        read_spdx("t.xml", text.encode())
    assert e.value.file == "t.xml" and e.value.location.startswith(line_of(text, "</nam>") + ", column")
    assert "well-formed" in e.value.message and e.value.fix
    (issue,) = validate_spdx("t.xml", text.encode())
    assert issue.location == e.value.location


def test_dtd_with_an_entity_is_refused() -> None:
    text = made_xml(MODEM).replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                                   '<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa">'
                                   '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>\n').replace("<name>modem", "<name>&b;")
    with pytest.raises(InputError) as e:
        read_spdx("t.xml", text.encode())
    assert "DTD" in e.value.message and e.value.location == "line 1" and "DOCTYPE" in e.value.fix
    assert [i.location for i in validate_spdx("t.xml", text.encode())] == ["line 1"]


@pytest.mark.parametrize(("root", "says", "line"), [
    ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><spdxVersion>SPDX-2.3</spdxVersion></rdf:RDF>',
     "<RDF>", 2),
    ("<SpdxDocument>\n<spdxVersion>SPDX-2.3</spdxVersion></SpdxDocument>", "<SpdxDocument>", 2),
    ("<!-- made by cvcomply tests -->\n<Document/>", "holds no fields", 3),
])
def test_wrong_root_is_refused_at_its_line(root: str, says: str, line: int) -> None:
    data = f'<?xml version="1.0"?>\n{root}\n'.encode()
    with pytest.raises(InputError) as e:
        read_spdx("t.xml", data)
    assert says in e.value.message and e.value.location == f"line {line}"
    assert "<Document>" in e.value.fix
    assert [i.message for i in validate_spdx("t.xml", data)] == [e.value.message]


def test_document_without_spdx_version_is_refused_at_the_root_line() -> None:
    text = made_xml(MODEM).replace("  <spdxVersion>SPDX-2.3</spdxVersion>\n", "")
    with pytest.raises(InputError) as e:
        read_spdx("t.xml", text.encode())
    assert "no spdxVersion" in e.value.message and e.value.location == line_of(text, "<Document>")


def test_non_utf8_bytes_name_their_line_and_how_to_save_the_file() -> None:
    text = made_xml(MODEM)
    data = text.encode().replace(b"<name>modem", b"<name>mod\xe9m")
    with pytest.raises(InputError) as e:
        read_spdx("t.xml", data)
    assert e.value.location.startswith(line_of(text, "<name>modem") + ",") and "UTF-8" in e.value.fix
    latin1 = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("<name>modem", "<name>mod\u00e9m")
    assert read_spdx("t.xml", latin1.encode("latin-1")).components[0].name == "mod\u00e9m"  # declared: fine


def test_package_without_spdxid_validate_lists_it_and_read_is_lenient() -> None:
    nameless = "    <name>orphan</name>"
    text = made_xml(MODEM, nameless)
    issues = validate_spdx("t.xml", text.encode())
    assert [(i.location, i.message) for i in issues] == [(line_of(text, "<packages>", 1), "package has no 'SPDXID'")]
    _, orphan = read_spdx("t.xml", text.encode()).components  # as the JSON reader: read, with a made-up ref
    assert orphan.name == "orphan" and not orphan.bom_ref.startswith("SPDXRef-")


def test_xml_only_problems_are_validate_errors_and_read_steps_over_them() -> None:
    bad = (MODEM.replace("<filesAnalyzed>false", "<filesAnalyzed>perhaps")
           .replace("<name>modem</name>", "<name>modem</name>\n    <name>second</name>"))
    snippet = ("  <snippets><SPDXID>SPDXRef-s</SPDXID><snippetFromFile>SPDXRef-modem</snippetFromFile>\n"
               "    <ranges><startPointer><offset>1_0</offset><reference>SPDXRef-modem</reference></startPointer>"
               "<endPointer><offset>20</offset><reference>SPDXRef-modem</reference></endPointer></ranges>"
               "</snippets>\n")
    text = made_xml(bad, extra=snippet)
    got = [(i.location, i.message) for i in validate_spdx("t.xml", text.encode())]
    assert got == [(line_of(text, "<name>second"), "<name> is given twice in <packages>; the first is read"),
                   (line_of(text, "<filesAnalyzed>"), "filesAnalyzed is 'perhaps', not a boolean"),
                   (line_of(text, "<offset>1_0"), "offset is '1_0', not an integer")]
    b = read_spdx("t.xml", text.encode())
    # DESIGN.md §4.4: "`validate` is strict; `screen` reads leniently: a schema violation that does not stop it
    # understanding a file ... becomes an entry in the report's `"warnings"`" - read steps over them, and says so.
    assert [c.name for c in b.components] == ["modem"]
    assert [(w.source, w.text) for w in b.warnings] == [(f"t.xml#{loc}", f"SPDX rule: {msg}") for loc, msg in got]


def test_dangling_relationship_is_located_at_its_line() -> None:
    rel = ("  <relationships>\n    <spdxElementId>SPDXRef-DOCUMENT</spdxElementId>\n"
           "    <relationshipType>DESCRIBES</relationshipType>\n"
           "    <relatedSpdxElement>SPDXRef-ghost</relatedSpdxElement>\n  </relationships>\n")
    text = made_xml(MODEM, extra=rel)
    (issue,) = validate_spdx("t.xml", text.encode())
    assert issue.location == line_of(text, "<relatedSpdxElement>") and "SPDXRef-ghost" in issue.message


# -- robustness --------------------------------------------------------------------------------------

VALID = made_xml(MODEM_FW, TCU_APP, MODEM).encode()
_tags = st.sampled_from(["Document", "spdxVersion", "SPDXID", "packages", "name", "versionInfo", "supplier",
                         "originator", "annotations", "comment", "externalRefs", "referenceType", "referenceLocator",
                         "primaryPackagePurpose", "filesAnalyzed", "creationInfo", "creators", "relationships",
                         "spdxElementId", "relatedSpdxElement", "files", "snippets", "ranges", "offset", "x"])
_texts = st.sampled_from(["", "SPDX-2.3", "SPDXRef-a", "purl", "pkg:generic/a@1", "true", "nope", "12", "DEVICE",
                          "Organization: A Co. (a@b.c)", "NOASSERTION", "cvcomply:function=vcs",
                          "cvcomply:function=maybe", "cvcomply:rf-max-mhz=fast", "&amp;", "<!-- c -->"])


@st.composite
def _element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(_tags)
    kids = draw(st.lists(_element(depth + 1), max_size=3)) if depth < 4 else []
    return f"<{tag}>{draw(_texts)}{''.join(kids)}</{tag}>"


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    """The valid made document with a few bytes deleted, replaced or inserted."""
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 12))
        data[at:at + cut] = draw(st.binary(max_size=6) | st.sampled_from([b"<", b">", b"</", b"&", b"\xff", b""]))
    return bytes(data)


def _call_all(data: bytes) -> None:
    for call in (lambda: read_spdx("t.xml", data), lambda: detect_format("t.xml", data)):
        try:
            call()
        except InputError as e:
            assert e.issues and str(e).startswith("t.xml")
    issues = validate_spdx("t.xml", data)
    assert all(i.file == "t.xml" for i in issues)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=200),
    st.binary(max_size=200).map(lambda b: b"<?xml version='1.0'?>\n<Document>" + b),
    _mutated(),
    st.lists(_element(), max_size=4).map(
        lambda parts: f"<Document><spdxVersion>SPDX-2.3</spdxVersion>{''.join(parts)}</Document>".encode()),
    _element().map(str.encode),
))
def test_arbitrary_and_mutated_xml_never_raise_anything_but_input_error(data: bytes) -> None:
    _call_all(data)

