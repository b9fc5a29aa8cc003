"""Format detection, dispatch, and robustness: arbitrary input loads or raises InputError, nothing else.

All documents here are made by this project.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvcomply.formats.bods import read_bods
from cvcomply.formats.cyclonedx import read_cyclonedx, validate_cyclonedx
from cvcomply.formats.detect import detect_format, read_bom, read_ownership, validate_file
from cvcomply.formats.errors import InputError

CDX = orjson.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5",
                    "components": [{"type": "device", "bom-ref": "d", "name": "D"}]})
# A schema-valid BODS 0.4 entity statement (made by this project).
BODS = orjson.dumps([{"statementId": "cvcomply-test-statement-0000000000000001", "declarationSubject": "e",
                      "statementDate": "2024-01-01", "recordId": "e", "recordType": "entity", "recordStatus": "new",
                      "publicationDetails": {"publicationDate": "2024-01-01", "bodsVersion": "0.4",
                                             "publisher": {"name": "cvcomply tests"}},
                      "recordDetails": {"name": "E", "isComponent": False,
                                        "entityType": {"type": "registeredEntity"}}}])


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (CDX, "cyclonedx"),
        (b"\xef\xbb\xbf" + CDX, "cyclonedx"),
        (b"  \n" + BODS, "bods"),
        (b'{"statementID": "x", "statementType": "entityStatement"}\n{"statementID": "y"}', "bods"),
        (b'{"spdxVersion": "SPDX-2.3", "packages": []}', "spdx"),
        (b'<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>', "cyclonedx-xml"),
        # UTF-16 XML with a byte-order mark keeps its bytes (libxml2 decodes it): told apart by its text
        ('<?xml version="1.0" encoding="UTF-16"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>'
         .encode("utf-16"), "cyclonedx-xml"),
        ('<?xml version="1.0" encoding="UTF-16"?>\n<Document><spdxVersion>SPDX-2.3</spdxVersion></Document>'
         .encode("utf-16-be").join([b"\xfe\xff", b""]), "spdx-xml"),
        (b'{"bomFormat": "Nope"}', "cyclonedx"),
        # the tell-tale key only after the sniffed prefix: decided by parsing
        (orjson.dumps({"components": [], "x": "y" * 70000, "bomFormat": "CycloneDX"}), "cyclonedx"),
    ],
)
def test_detect_format(data: bytes, fmt: str) -> None:
    assert detect_format("f", data) == fmt


@pytest.mark.parametrize(("data", "words"), [(b"hello", "not JSON or XML"), (b'{"a": 1}', "not a format"),
                                            (b"{oops", "not valid JSON"), (b"<html/>", "XML"),
                                            (b"", "the file is empty"), (b" \n\t", "only white space")])
def test_detect_unknown(data: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        detect_format("f", data)


def test_dispatchers(tmp_path: Path) -> None:
    cdx, bods = tmp_path / "a.json", tmp_path / "b.json"
    cdx.write_bytes(CDX)
    bods.write_bytes(BODS)
    assert read_bom(str(cdx)).components[0].kind == "hardware"
    assert read_ownership(str(bods)).entities[0].name == "E"
    assert validate_file(str(cdx)) == ("cyclonedx", [])
    assert validate_file(str(bods)) == ("bods", [])
    with pytest.raises(InputError, match="cannot be used as a BOM"):
        read_bom(str(bods))
    with pytest.raises(InputError, match="cannot be used as ownership"):
        read_ownership(str(cdx))
    with pytest.raises(InputError) as e:
        validate_file(str(tmp_path / "missing.json"))
    assert e.value.message == "file not found" and e.value.location == "" and "check the path" in e.value.fix


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["bomFormat", "specVersion", "components", "type", "name", "bom-ref", "properties",
                         "value", "supplier", "dependencies", "ref", "dependsOn", "metadata", "component",
                         "recordType", "recordId", "recordDetails", "interestedParty", "subject", "interests",
                         "share", "statementType", "statementID", "names", "nationalities", "addresses",
                         "identifiers", "alternateNames", "taxResidencies", "replacesStatements", "jurisdiction",
                         "entityType", "country", "authors", "manufacturer", "address", "x"]), inner, max_size=5),
    max_leaves=20,
)


def _shaped(value: Any) -> bytes:
    """Random JSON, sometimes dressed as CycloneDX or BODS so the readers get past the first check."""
    return orjson.dumps(value)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(
    st.binary(max_size=64),
    json_values.map(_shaped),
    json_values.map(lambda v: _shaped({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [v]})),
    json_values.map(lambda v: _shaped([{"recordType": "relationship", "recordId": "r", "recordDetails": v}])),
    json_values.map(lambda v: _shaped([{"statementType": "ownershipOrControlStatement", "statementID": "s",
                                        "interests": v, "subject": v}])),
))
def test_readers_never_crash(data: bytes) -> None:
    for call in (lambda: read_cyclonedx("f", data), lambda: validate_cyclonedx("f", data),
                 lambda: read_bods("f", data), lambda: detect_format("f", data)):
        try:
            call()
        except InputError as e:
            assert e.issues and str(e)
