"""DESIGN.md §4.4: "`validate` is strict; `screen` reads leniently: a schema violation that does not stop it
understanding a file (an unknown enum value, a missing optional-but-expected field, an extra key) becomes an entry in
the report's `"warnings"`".

For each format, a file made by this project (invented names, ids and LEIs, not third-party data) with each kind of
violation the reader reads past: the read gives the same places and messages as ``validate``, as warnings
(``schema: `` before an official-schema violation, ``BODS rule: ``/``SPDX rule: `` before a format's structural
rule); a valid file gives none; a broken big file gives a capped list; and ``cvcomply.screen`` carries them into
the report. The shared third-party fixtures are read in place from ../shared/fixtures (skipped when absent).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from tests.programs import VCS_APP, Org, Part, write_program

from cvcomply import report_dict, screen
from cvcomply.formats import bods as bods_module
from cvcomply.formats.bods import read_bods, validate_bods
from cvcomply.formats.csl import COLUMNS, read_csl, validate_csl
from cvcomply.formats.detect import read_bom, read_ownership, validate_file
from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.ftm import read_ftm, validate_ftm
from cvcomply.formats.gleif import read_gleif, validate_gleif
from cvcomply.formats.jsonutil import MAX_WARNINGS
from cvcomply.formats.spdx import read_spdx, validate_spdx
from cvcomply.model import Warning

from .conftest import SHARED_FIXTURES

PREFIXES = ("schema: ", "BODS rule: ", "SPDX rule: ")


READERS_OWN = ("bom-ref ", "component has no name")
"""Messages of the BOM reader itself (validate reports them too, a read says them without a checker's prefix)."""


def spdx_expected(name: str, issues: list[Issue]) -> list[tuple[str, str]]:
    """What read_spdx must warn of, given validate_spdx's issues: the rules prefixed, the reader's own not."""
    return [(s, m if m.startswith(READERS_OWN) else f"SPDX rule: {m}") for s, m in as_warnings(name, issues)]


def as_warnings(name: str, issues: list[Issue]) -> list[tuple[str, str]]:
    """``validate``'s issues as the read must report them: ``name#location`` and the message."""
    return [(f"{name}#{i.location}" if i.location else name, i.message) for i in issues]


def unprefixed(warnings: tuple[Warning, ...]) -> list[tuple[str, str]]:
    """(source, text) of each warning, the checker's prefix taken off."""
    out = []
    for w in warnings:
        text = next((w.text.removeprefix(p) for p in PREFIXES if w.text.startswith(p)), w.text)
        out.append((w.source, text))
    return out


def capped(expected: list[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    """What a read keeps of ``expected`` warnings: the first MAX_WARNINGS, then one counting the rest."""
    if len(expected) <= MAX_WARNINGS:
        return expected
    more = len(expected) - MAX_WARNINGS
    return [*expected[:MAX_WARNINGS], (name, f"… and {more:,} more problems; run cvcomply validate to list them all")]


def checked(warnings: tuple[Warning, ...]) -> list[Warning]:
    """The warnings a checker found (schema or a format rule), not the reader's own."""
    return [w for w in warnings if w.text.startswith(PREFIXES)]


# -- BODS ------------------------------------------------------------------------------------------------------

PUB = {"publicationDate": "2026-01-01", "bodsVersion": "0.4", "publisher": {"name": "cvcomply tests"}}


def sid(key: str) -> str:
    """A statementId of the 32-64 characters BODS 0.4 asks for (invented)."""
    return f"cvcomply-test-statement-{key}".ljust(40, "0")


def entity04(rid: str, name: str, country: str = "JP") -> dict[str, Any]:
    return {"statementId": sid(rid), "declarationSubject": rid, "statementDate": "2026-01-01", "recordId": rid,
            "recordStatus": "new", "recordType": "entity", "publicationDetails": copy.deepcopy(PUB),
            "recordDetails": {"isComponent": False, "entityType": {"type": "registeredEntity"}, "name": name,
                              "jurisdiction": {"name": country, "code": country}}}


def rel04(rid: str, subject: str, holder: str, share: float = 60) -> dict[str, Any]:
    return {"statementId": sid(rid), "declarationSubject": subject, "statementDate": "2026-01-01", "recordId": rid,
            "recordStatus": "new", "recordType": "relationship", "publicationDetails": copy.deepcopy(PUB),
            "recordDetails": {"isComponent": False, "subject": subject, "interestedParty": holder,
                              "interests": [{"type": "shareholding", "directOrIndirect": "direct",
                                             "beneficialOwnershipOrControl": False, "share": {"exact": share},
                                             "startDate": "2020-01-01"}]}}


def valid_bods() -> list[dict[str, Any]]:
    return [entity04("sub", "Invented Subsidiary KK"), entity04("par", "Invented Parent Ltd", "GB"),
            rel04("own", "sub", "par")]


def break_entity_type(s: list[dict[str, Any]]) -> None:
    s[0]["recordDetails"]["entityType"]["type"] = "alienEntity"  # an unknown enum value


def break_bods_version(s: list[dict[str, Any]]) -> None:
    del s[1]["publicationDetails"]["bodsVersion"]  # a missing required field


def break_declaration_subject(s: list[dict[str, Any]]) -> None:
    del s[2]["declarationSubject"]


def break_share_type(s: list[dict[str, Any]]) -> None:
    s[2]["recordDetails"]["interests"][0]["share"]["exact"] = "sixty"  # a wrong type the reader reads past


def break_statement_id(s: list[dict[str, Any]]) -> None:
    s[0]["statementId"] = "too-short"


BODS_BREAKS: dict[str, Callable[[list[dict[str, Any]]], None]] = {
    "unknown entityType": break_entity_type, "missing bodsVersion": break_bods_version,
    "missing declarationSubject": break_declaration_subject, "share of the wrong type": break_share_type,
    "statementId too short": break_statement_id,
}


def test_a_valid_bods_file_reads_without_warnings() -> None:
    data = orjson.dumps(valid_bods())
    assert validate_bods("made.bods.json", data) == []
    facts = read_bods("made.bods.json", data)
    assert facts.warnings == () and len(facts.holdings) == 1


@pytest.mark.parametrize("kind", BODS_BREAKS)
def test_bods_schema_violation_is_a_warning_with_validates_place_and_message(kind: str) -> None:
    statements = valid_bods()
    BODS_BREAKS[kind](statements)
    data = orjson.dumps(statements)
    issues = validate_bods("made.bods.json", data)
    assert issues, kind
    facts = read_bods("made.bods.json", data)
    assert [(w.source, w.text) for w in facts.warnings] == [
        (s, f"schema: {m}") for s, m in as_warnings("made.bods.json", issues)]
    assert len(facts.entities) == 2  # read past: nothing lost


def test_bods_all_violations_at_once_in_file_order() -> None:
    statements = valid_bods()
    for brk in BODS_BREAKS.values():
        brk(statements)
    data = orjson.dumps(statements)
    issues = validate_bods("made.bods.json", data)
    assert {i.location.split("/")[1] for i in issues} == {"0", "1", "2"}
    assert unprefixed(read_bods("made.bods.json", data).warnings) == as_warnings("made.bods.json", issues)


def test_bods_json_lines_violation_is_located_by_line() -> None:
    statements = valid_bods()
    break_entity_type(statements)
    data = b"\n".join(orjson.dumps(s) for s in statements) + b"\n"
    issues = validate_bods("made.jsonl", data)
    assert [i.location for i in issues] == ["line 1 /recordDetails/entityType/type"]
    assert [(w.source, w.text) for w in read_bods("made.jsonl", data).warnings] == [
        (s, f"schema: {m}") for s, m in as_warnings("made.jsonl", issues)]


def test_bods_single_object_is_a_schema_warning_too() -> None:
    data = orjson.dumps(valid_bods()[0])
    issues = validate_bods("one.bods.json", data)
    assert [i.message for i in issues] == ["type: BODS 0.4 data is an array of statements, not one object"]
    assert [(w.source, w.text) for w in read_bods("one.bods.json", data).warnings] == [
        ("one.bods.json", "schema: type: BODS 0.4 data is an array of statements, not one object")]


def entity02(sid02: str, name: str) -> dict[str, Any]:
    return {"statementID": sid02, "statementType": "entityStatement", "statementDate": "2020-01-01",
            "entityType": "registeredEntity", "name": name, "incorporatedInJurisdiction": {"name": "Japan",
                                                                                          "code": "JP"},
            "publicationDetails": {"publicationDate": "2020-01-01", "bodsVersion": "0.2",
                                   "publisher": {"name": "cvcomply tests"}}}


def ooc02(sid02: str, subject: str, holder: str) -> dict[str, Any]:
    return {"statementID": sid02, "statementType": "ownershipOrControlStatement", "statementDate": "2020-01-01",
            "subject": {"describedByEntityStatement": subject},
            "interestedParty": {"describedByEntityStatement": holder},
            "interests": [{"type": "shareholding", "share": {"exact": 60}, "startDate": "2020-01-01"}],
            "publicationDetails": {"publicationDate": "2020-01-01", "bodsVersion": "0.2",
                                   "publisher": {"name": "cvcomply tests"}}}


def test_bods_02_reference_rule_and_schema_violation_are_warnings() -> None:
    ids = [f"cvcomply-test-{k}-0000000000000000000000" for k in ("sub", "par", "own")]
    statements = [ooc02(ids[2], ids[0], ids[1]), entity02(ids[0], "Invented Sub KK"),
                  entity02(ids[1], "Invented Parent Ltd")]  # the relationship comes before what it refers to
    statements[1]["entityType"] = "alienEntity"
    data = orjson.dumps(statements)
    issues = validate_bods("old.bods.json", data)
    kinds = {i.message.split(":")[0] for i in issues}
    assert "ordering" in kinds and len(kinds) > 1, issues
    facts = read_bods("old.bods.json", data)
    expect = [(s, ("BODS rule: " if m.startswith("ordering:") else "schema: ") + m)
              for s, m in as_warnings("old.bods.json", issues)]
    assert [(w.source, w.text) for w in checked(facts.warnings)] == expect
    assert len(facts.holdings) == 1


# -- SPDX ------------------------------------------------------------------------------------------------------


def spdx_doc() -> dict[str, Any]:
    return {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "made",
            "documentNamespace": "https://cvcomply.example/lenient",
            "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: cvcomply-tests"]},
            "packages": [{"SPDXID": "SPDXRef-app", "name": "app", "downloadLocation": "NOASSERTION",
                          "supplier": "Organization: Invented Software KK"},
                         {"SPDXID": "SPDXRef-lib", "name": "lib", "downloadLocation": "NOASSERTION"}],
            "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                               "relatedSpdxElement": "SPDXRef-app"}]}


SPDX_BREAKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "package without downloadLocation": lambda d: d["packages"][0].pop("downloadLocation"),
    "SPDXID syntax": lambda d: d["packages"][1].update(SPDXID="SPDXRef-lib@1"),
    "SPDXID used twice": lambda d: d["packages"][1].update(SPDXID="SPDXRef-app"),
    "dangling relationship": lambda d: d["relationships"][0].update(relatedSpdxElement="SPDXRef-ghost"),
    "document without name": lambda d: d.pop("name"),
    "dataLicense": lambda d: d.update(dataLicense="MIT"),
    "created not UTC": lambda d: d["creationInfo"].update(created="2026-01-01 12:00"),
}


def test_a_valid_spdx_file_reads_without_warnings() -> None:
    data = orjson.dumps(spdx_doc())
    assert validate_spdx("made.spdx.json", data) == []
    assert read_spdx("made.spdx.json", data).warnings == ()


@pytest.mark.parametrize("kind", SPDX_BREAKS)
def test_spdx_rule_violation_is_a_warning_with_validates_place_and_message(kind: str) -> None:
    doc = spdx_doc()
    SPDX_BREAKS[kind](doc)
    data = orjson.dumps(doc)
    issues = validate_spdx("made.spdx.json", data)
    assert issues, kind
    bom = read_spdx("made.spdx.json", data)
    # a bom-ref used twice is also the reader's own word (it reads the second under another ref): no prefix
    assert [(w.source, w.text) for w in bom.warnings] == spdx_expected("made.spdx.json", issues)
    assert [c.name for c in bom.components] == ["app", "lib"]


def test_spdx_rules_and_the_readers_own_warnings_keep_validates_order() -> None:
    doc = spdx_doc()
    for brk in SPDX_BREAKS.values():
        brk(doc)
    doc["packages"][1]["primaryPackagePurpose"] = "GADGET"  # read as 'other': the reader's own warning, no prefix
    data = orjson.dumps(doc)
    issues = validate_spdx("made.spdx.json", data)
    warnings = read_spdx("made.spdx.json", data).warnings
    assert unprefixed(warnings) == as_warnings("made.spdx.json", issues)
    assert [w.text for w in warnings if not w.text.startswith("SPDX rule: ")] == [
        "unknown primaryPackagePurpose 'GADGET'; read as 'other'",
        "bom-ref 'SPDXRef-app' is used by an earlier component; this one is read as '#/components/1'"]


def tag_value(download: bool) -> bytes:
    lines = ["SPDXVersion: SPDX-2.3", "DataLicense: CC0-1.0", "SPDXID: SPDXRef-DOCUMENT", "DocumentName: made",
             "DocumentNamespace: https://cvcomply.example/tv", "Creator: Tool: cvcomply-tests",
             "Created: 2026-01-01T00:00:00Z", "", "PackageName: app", "SPDXID: SPDXRef-app",
             "PackageSupplier: Organization: Invented Software KK"]
    if download:
        lines.append("PackageDownloadLocation: NOASSERTION")
    return ("\n".join(lines) + "\n").encode()


def spdx_xml(download: bool) -> bytes:
    dl = "    <downloadLocation>NOASSERTION</downloadLocation>\n" if download else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Document>\n  <SPDXID>SPDXRef-DOCUMENT</SPDXID>\n'
            "  <spdxVersion>SPDX-2.3</spdxVersion>\n  <creationInfo>\n    <created>2026-01-01T00:00:00Z</created>\n"
            "    <creators>Tool: cvcomply-tests</creators>\n  </creationInfo>\n  <name>made</name>\n"
            "  <dataLicense>CC0-1.0</dataLicense>\n  <documentNamespace>https://cvcomply.example/xml"
            f"</documentNamespace>\n  <packages>\n    <SPDXID>SPDXRef-app</SPDXID>\n    <name>app</name>\n{dl}"
            "  </packages>\n</Document>\n").encode()


def spdx_yaml(download: bool) -> bytes:
    doc = spdx_doc()
    if not download:
        doc["packages"][0].pop("downloadLocation")
    return yaml.safe_dump(doc, sort_keys=False).encode()


def spdx3(valid: bool) -> bytes:
    graph: list[dict[str, Any]] = [
        {"type": "Organization", "spdxId": "urn:made:org", "name": "Invented Software KK"},
        {"type": "software_Package", "spdxId": "urn:made:app", "name": "app", "suppliedBy": "urn:made:org"},
        {"type": "software_Package", "spdxId": "urn:made:lib", "name": "lib"}]
    if not valid:
        graph[2]["spdxId"] = "urn:made:app"  # used twice
        del graph[1]["name"]
        graph.append({"spdxId": "urn:made:untyped"})
    return orjson.dumps({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph})


SERIALISATIONS: dict[str, Callable[[bool], bytes]] = {
    "made.spdx": tag_value, "made.spdx.xml": spdx_xml, "made.spdx.yaml": spdx_yaml, "made.spdx3.json": spdx3}


@pytest.mark.parametrize("name", SERIALISATIONS)
def test_every_spdx_serialisation_warns_as_validate_reports(name: str) -> None:
    good, bad = SERIALISATIONS[name](True), SERIALISATIONS[name](False)
    assert validate_spdx(name, good) == [] and read_spdx(name, good).warnings == ()
    issues = validate_spdx(name, bad)
    assert issues
    bom = read_spdx(name, bad)
    assert [(w.source, w.text) for w in bom.warnings] == spdx_expected(name, issues)
    assert any(w.text.startswith("SPDX rule: ") for w in bom.warnings)
    if name in ("made.spdx", "made.spdx.xml"):
        assert all(w.source.startswith(f"{name}#line ") for w in bom.warnings)


def test_spdx_xml_field_given_twice_is_a_warning() -> None:
    data = spdx_xml(True).replace(b"<name>app</name>", b"<name>app</name>\n    <name>again</name>")
    issues = validate_spdx("made.spdx.xml", data)
    assert [i.message for i in issues] == ["<name> is given twice in <packages>; the first is read"]
    bom = read_spdx("made.spdx.xml", data)
    line = data[: data.index(b"<name>again")].count(b"\n") + 1
    assert [(w.source, w.text) for w in bom.warnings] == [(f"made.spdx.xml#line {line}",
                                                           "SPDX rule: <name> is given twice in <packages>; "
                                                           "the first is read")]
    assert bom.components[0].name == "app"


# -- GLEIF, FtM, CSL: the validator is the reader's own checks, so the messages are validate's verbatim --------


def lei(stem: str) -> str:
    """An invented LEI with valid ISO 17442 check digits."""
    body = stem.upper().ljust(18, "0")[:18]
    return body + f"{98 - int(''.join(str(int(c, 36)) for c in body + '00')) % 97:02d}"


def gleif_lei_xml(code: str, name: str | None, status: str, registration: str) -> bytes:
    legal = f"<lei:LegalName>{name}</lei:LegalName>" if name else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<lei:LEIData xmlns:lei="http://www.gleif.org/data/schema/'
            'leidata/2016"><lei:LEIRecords>\n'
            f"<lei:LEIRecord><lei:LEI>{code}</lei:LEI><lei:Entity>{legal}<lei:LegalJurisdiction>JP"
            f"</lei:LegalJurisdiction><lei:EntityStatus>{status}</lei:EntityStatus></lei:Entity><lei:Registration>"
            f"<lei:RegistrationStatus>{registration}</lei:RegistrationStatus></lei:Registration></lei:LEIRecord>\n"
            "</lei:LEIRecords></lei:LEIData>\n").encode()


def gleif_rr_json(node_type: str, status: str) -> bytes:
    return orjson.dumps([{"Relationship": {
        "StartNode": {"NodeID": lei("MADECHILD"), "NodeIDType": node_type},
        "EndNode": {"NodeID": lei("MADEPARENT"), "NodeIDType": "LEI"},
        "RelationshipType": "IS_DIRECTLY_CONSOLIDATED_BY", "RelationshipStatus": status},
        "Registration": {"RegistrationStatus": "PUBLISHED"}}])


GLEIF_CASES: dict[str, tuple[str, bytes]] = {
    "valid": ("lei.xml", gleif_lei_xml(lei("MADEENTITY"), "Invented KK", "ACTIVE", "ISSUED")),
    "check digits": ("lei.xml", gleif_lei_xml("MADEENTITY0000000000", "Invented KK", "ACTIVE", "ISSUED")),
    "no LegalName": ("lei.xml", gleif_lei_xml(lei("MADEENTITY"), None, "ACTIVE", "ISSUED")),
    "unknown statuses": ("lei.xml", gleif_lei_xml(lei("MADEENTITY"), "Invented KK", "DORMANT", "FILED")),
    "valid relationship": ("rr.json", gleif_rr_json("LEI", "ACTIVE")),
    "node type and status": ("rr.json", gleif_rr_json("BIC", "PAUSED")),
    "no record": ("lei.xml", b'<?xml version="1.0"?><lei:LEIData xmlns:lei="http://www.gleif.org/data/schema/'
                             b'leidata/2016"><lei:LEIRecords/></lei:LEIData>'),
}


@pytest.mark.parametrize("case", GLEIF_CASES)
def test_gleif_read_warns_of_exactly_what_validate_reports(case: str) -> None:
    name, data = GLEIF_CASES[case]
    issues = validate_gleif(name, data)
    assert bool(issues) == (not case.startswith("valid")), issues
    facts = read_gleif(name, data)
    assert [(w.source, w.text) for w in facts.warnings] == as_warnings(name, issues)
    if case not in ("no record",):
        assert facts.entities or facts.holdings  # read past


def ftm(eid: str, schema: str, **props: Any) -> dict[str, Any]:
    return {"id": eid, "schema": schema, "properties": props}


FTM_CASES: dict[str, list[dict[str, Any]]] = {
    "valid": [ftm("made-co", "Company", name=["Invented Trading GmbH"], jurisdiction=["de"])],
    "a country that names no state": [ftm("made-co", "Company", name=["Invented Trading GmbH"],
                                          jurisdiction=["zz"], country=["atlantis"])],
    "values not a list of strings": [ftm("made-co", "Company", name=["Invented Trading GmbH", 7],
                                         jurisdiction="de")],
}


@pytest.mark.parametrize("case", FTM_CASES)
def test_ftm_read_warns_of_exactly_what_validate_reports(case: str) -> None:
    data = b"\n".join(orjson.dumps(e) for e in FTM_CASES[case] * 2) + b"\n"
    issues = validate_ftm("made.ftm.json", data)
    assert bool(issues) == (case != "valid"), issues
    facts = read_ftm("made.ftm.json", data)
    assert [(w.source, w.text) for w in facts.warnings] == as_warnings("made.ftm.json", issues)
    assert facts.entities[0].name == "Invented Trading GmbH"


def csl(header: list[str], *rows: dict[str, str]) -> bytes:
    lines = [",".join(header)] + [",".join('"' + r.get(c, "") + '"' for c in header) for r in rows]
    return ("\n".join(lines) + "\n").encode()


ROW = {"_id": "1", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "Invented Radio Co",
       "addresses": "1 Made Road, Shenzhen, CN"}
CSL_CASES: dict[str, bytes] = {
    "valid": csl(["_id", *COLUMNS], ROW),
    "unknown and missing columns": csl(["_id", "source", "name", "addresses", "colour"], ROW),
    "country not recognised": csl(["_id", *COLUMNS], {**ROW, "citizenships": "Atlantis"}),
}


@pytest.mark.parametrize("case", CSL_CASES)
def test_csl_read_warns_of_exactly_what_validate_reports(case: str) -> None:
    issues = validate_csl("made.csv", CSL_CASES[case])
    assert bool(issues) == (case != "valid"), issues
    facts = read_csl("made.csv", CSL_CASES[case])
    assert [(w.source, w.text) for w in facts.warnings] == as_warnings("made.csv", issues)
    assert [x.name for x in facts.list_entries] == ["Invented Radio Co"]


def test_csl_header_only_with_an_odd_column_is_an_empty_list_with_a_warning() -> None:
    data = csl(["_id", *COLUMNS, "colour"])
    facts = read_csl("made.csv", data)  # readable, holds no entry: not bad input
    assert facts.list_entries == () and [w.text for w in facts.warnings] == ["unknown column(s) colour"]
    with pytest.raises(InputError) as e:
        read_csl("made.csv", csl(["_id", *COLUMNS], {**ROW, "name": ""}))  # every row unreadable: bad input
    assert (e.value.location, e.value.message) == ("row 2", "no readable screening-list entry: no name; row skipped")


# -- the cap ---------------------------------------------------------------------------------------------------


def test_spdx_warnings_are_capped_with_one_counting_the_rest() -> None:
    doc = spdx_doc()
    doc["packages"] = [{"SPDXID": f"SPDXRef-p{i}", "name": f"p{i}"} for i in range(MAX_WARNINGS + 50)]
    data = orjson.dumps(doc)
    issues = validate_spdx("big.spdx.json", data)
    assert len(issues) == MAX_WARNINGS + 51  # every package, and the dangling DESCRIBES
    warnings = read_spdx("big.spdx.json", data).warnings
    assert len(warnings) == MAX_WARNINGS + 1
    assert unprefixed(warnings[:-1]) == as_warnings("big.spdx.json", issues)[:MAX_WARNINGS]
    assert warnings[-1] == Warning("big.spdx.json", "… and 51 more problems; run cvcomply validate to list them all")


def test_bods_warnings_are_capped_and_jsonschema_spells_out_only_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    statements = [entity04(f"e{i}", f"Invented Entity {i}") for i in range(MAX_WARNINGS * 5)]
    for s in statements:
        s["recordDetails"]["entityType"]["type"] = "alienEntity"
    data = orjson.dumps(statements)
    spelt: list[int] = []
    real = bods_module._validator

    class Counting:
        def __init__(self, version: str) -> None:
            self.inner = real(version)

        def iter_errors(self, instance: Any) -> Any:
            spelt.append(1)
            return self.inner.iter_errors(instance)

    monkeypatch.setattr(bods_module, "_validator", Counting)
    warnings = read_bods("big.bods.json", data).warnings
    assert len(spelt) == MAX_WARNINGS  # one issue per statement: jsonschema stops at the cap, the rest are counted
    assert len(warnings) == MAX_WARNINGS + 1
    assert all(w.text.startswith("schema: enum: 'alienEntity'") for w in warnings[:-1])
    assert warnings[-1] == Warning("big.bods.json", f"… and at least {MAX_WARNINGS * 4:,} more problems; run "
                                                    "cvcomply validate to list them all")
    monkeypatch.undo()
    assert len(validate_bods("big.bods.json", data)) == MAX_WARNINGS * 5  # validate lists every one


def test_gleif_warnings_are_capped() -> None:
    def wrong(stem: str) -> str:  # check digits one off the right ones: never valid
        good = lei(stem)
        return good[:18] + f"{int(good[18:]) + 1:02d}"

    records = "".join(f"<lei:LEIRecord><lei:LEI>{wrong(f'MADE{i:05d}')}</lei:LEI><lei:Entity><lei:LegalName>"
                      f"Invented {i}</lei:LegalName></lei:Entity></lei:LEIRecord>" for i in range(MAX_WARNINGS + 7))
    data = ('<lei:LEIData xmlns:lei="http://www.gleif.org/data/schema/leidata/2016"><lei:LEIRecords>'
            f"{records}</lei:LEIRecords></lei:LEIData>").encode()
    assert len(validate_gleif("lei.xml", data)) == MAX_WARNINGS + 7
    facts = read_gleif("lei.xml", data)
    assert len(facts.entities) == MAX_WARNINGS + 7 and len(facts.warnings) == MAX_WARNINGS + 1
    assert facts.warnings[-1].text.startswith("… and 7 more problems")


# -- the shared third-party fixtures ---------------------------------------------------------------------------


def shared(*patterns: str) -> list[Any]:
    found = sorted({p for pat in patterns for p in SHARED_FIXTURES.resolve().glob(pat)}) \
        if SHARED_FIXTURES.is_dir() else []
    return found or [pytest.param(None, marks=pytest.mark.skip(reason=f"no shared fixtures for {patterns}"))]


def fixture_id(p: Path | None) -> str:
    return "/".join(p.parts[-3:]) if isinstance(p, Path) else "absent"


@pytest.mark.parametrize("path", shared("bods/**/*.json"), ids=fixture_id)
def test_every_bods_fixture_reads_with_the_warnings_validate_implies(path: Path) -> None:
    """The valid fixtures read with no schema warning; every readable one warns of exactly what validate says."""
    _, issues = validate_file(str(path)) if "invalid" not in path.parts else ("bods", validate_bods(str(path)))
    try:
        facts = read_ownership(str(path))
    except InputError:
        assert issues  # unreadable: bad input, and validate rejects it too
        return
    assert len(facts.warnings) <= MAX_WARNINGS  # these fixtures are small: nothing capped, so all are compared
    assert unprefixed(tuple(checked(facts.warnings))) == as_warnings(str(path), issues)
    if not issues:
        assert checked(facts.warnings) == []


@pytest.mark.parametrize("path", shared("spdx/**/*.json", "spdx/**/*.spdx", "spdx/**/*.yaml", "spdx/**/*.xml",
                                        "spdx/invalid/*"), ids=fixture_id)
def test_every_spdx_fixture_reads_with_the_warnings_validate_implies(path: Path) -> None:
    try:
        fmt, issues = validate_file(str(path))
    except InputError:
        pytest.skip("not a format cvcomply reads")
    if not fmt.startswith("spdx"):
        pytest.skip(f"{fmt}, not SPDX")
    try:
        bom = read_bom(str(path))
    except InputError:
        assert issues
        return
    assert unprefixed(bom.warnings) == capped(as_warnings(str(path), issues), str(path))


# -- end to end: the report's warnings ----------------------------------------------------------------------------

JP = Org("jp", "Invented Software KK", "JP")


def valid_program(tmp_path: Path) -> Path:
    """A program (tests/programs.py) whose BODS file is made schema-valid (long statementIds, declarationSubject)."""
    path = write_program(tmp_path, [Part("app", "infotainment app", JP.name, "JP", props=VCS_APP)], [JP])
    owners = tmp_path / "owners.bods.json"
    statements = orjson.loads(owners.read_bytes())
    for s in statements:
        s["statementId"] = sid(s["recordId"])
        s["declarationSubject"] = s["recordId"]
    owners.write_bytes(orjson.dumps(statements))
    assert validate_file(str(owners)) == ("bods", [])
    return path


def test_screen_reports_a_bods_violation_as_a_warning_with_file_and_pointer(tmp_path: Path) -> None:
    path = valid_program(tmp_path)
    assert report_dict(screen(str(path)))["warnings"] == []
    owners = tmp_path / "owners.bods.json"
    statements = orjson.loads(owners.read_bytes())
    statements[0]["recordDetails"]["entityType"]["type"] = "alienEntity"
    owners.write_bytes(orjson.dumps(statements))
    report = report_dict(screen(str(path)))
    assert report["findings"][0]["verdict"] == "permitted"  # still read: the JP supplier is resolved and clear
    hits = [w for w in report["warnings"] if w["source"].startswith("owners.bods.json#")]
    assert [w["source"] for w in hits] == ["owners.bods.json#/0/recordDetails/entityType/type"]
    assert hits[0]["text"].startswith("schema: enum: 'alienEntity'")


def test_screen_reports_an_spdx_rule_as_a_warning_with_file_and_pointer(tmp_path: Path) -> None:
    path = valid_program(tmp_path)
    doc = spdx_doc()
    doc["packages"][0]["annotations"] = [{"annotationType": "OTHER", "annotator": "Tool: t",
                                          "annotationDate": "2026-01-01T00:00:00Z",
                                          "comment": f"cvcomply:{k}={v}"} for k, v in VCS_APP.items()]
    del doc["packages"][0]["downloadLocation"]
    (tmp_path / "ivi.spdx.json").write_bytes(orjson.dumps(doc))
    manifest = yaml.safe_load(path.read_text())
    manifest["boms"] = ["ivi.spdx.json"]
    path.write_text(yaml.safe_dump(manifest))
    report = report_dict(screen(str(path)))
    assert report["warnings"] == [{"source": "ivi.spdx.json#/packages/0",
                                   "text": "SPDX rule: package has no 'downloadLocation'"}]
    assert {f["component"]["name"] for f in report["findings"]} >= {"app"}


def test_cyclonedx_warnings_are_capped_like_the_others() -> None:
    """A made CycloneDX 1.6 BOM whose every component has a type the schema does not know: the read warns of the
    first MAX_WARNINGS problems and counts the rest in one last warning."""
    from cvcomply.formats.cyclonedx import read_cyclonedx

    n = MAX_WARNINGS + 40
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
           "components": [{"type": "gizmo", "bom-ref": f"c{i}", "name": f"made part {i}"} for i in range(n)]}
    bom = read_cyclonedx("made.cdx.json", orjson.dumps(doc))
    assert len(bom.components) == n
    assert len(bom.warnings) == MAX_WARNINGS + 1
    assert bom.warnings[-1].text.startswith("… and ") and "more problems" in bom.warnings[-1].text
