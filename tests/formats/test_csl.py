"""Consolidated Screening List reader: conformance over ../shared/fixtures/csl (incl. invalid/), behaviour on
small files made by this project, fuzzing."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvcomply.formats.csl import COLUMNS, list_code, read_csl, validate_csl
from cvcomply.formats.detect import detect_format, read_ownership, validate_file
from cvcomply.formats.errors import InputError

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"
HEADER = "_id," + ",".join(COLUMNS)


def files(pattern: str) -> list[Path]:
    found = sorted(SHARED.resolve().glob(pattern)) if SHARED.is_dir() else []
    return found or [pytest.param(None, marks=pytest.mark.skip(reason=f"no shared fixtures for {pattern}"))]  # type: ignore[list-item]


def row(**cells: str) -> str:
    values = [cells.get(c, "") for c in ("_id", *COLUMNS)]
    return ",".join('"' + v.replace('"', '""') + '"' for v in values)


def csv(*rows: str) -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode()


VALID = files("csl/csv/*.csv") + files("csl/api-v2-json/*.json")


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name if isinstance(p, Path) else "absent")
def test_every_valid_csl_fixture_loads_validates_and_is_detected(path: Path) -> None:
    facts = read_ownership(str(path))
    assert facts.format in ("csl-csv", "csl-json") and facts.list_entries and not facts.warnings
    assert detect_format(str(path), path.read_bytes()) == facts.format
    assert validate_file(str(path)) == (facts.format, [])
    for x in facts.list_entries:
        assert x.list_name and x.name and x.source is not None
        assert x.source.pointer.startswith("row " if facts.format == "csl-csv" else "/")


@pytest.mark.parametrize("path", files("csl/invalid/*.csv"), ids=lambda p: p.name if isinstance(p, Path) else "absent")
def test_invalid_csl_fixture_is_rejected_row_by_row(path: Path) -> None:
    fmt, issues = validate_file(str(path))
    assert fmt == "csl-csv"
    # rows "/,1", the cut SSI row, the 6-cell EL row and the stray "." line: each named with its row
    assert [i.location for i in issues] == ["row 2", "row 4", "row 5", "row 9"]
    assert all("columns where the header has 28" in i.message for i in issues)
    lenient = read_csl(str(path))  # screen reads what it can and reports the rest
    assert [w.source.rsplit("#", 1)[1] for w in lenient.warnings] == ["row 2", "row 4", "row 5", "row 9"]
    assert {x.name for x in lenient.list_entries} >= {"GAZPROMBANK UPRAVLENIE AKTIVAMI"}


def test_current_export_facts(shared: Path) -> None:
    facts = read_csl(str(shared / "csl" / "csv" / "consolidated-sample-current.csv"))
    meu = next(x for x in facts.list_entries if list_code(x.list_name) == "MEU")
    assert meu.name.startswith("Academy of Aerospace Solid Propulsion") and meu.countries == ("CN",)
    assert meu.start == dt.date(2020, 12, 23) and meu.source is not None and meu.source.pointer == "row 4"
    el = next(x for x in facts.list_entries if list_code(x.list_name) == "EL")
    assert "HSRI" in el.aliases and el.countries == ("CN",)


def test_legacy_export_linked_to_and_control_characters(shared: Path) -> None:
    facts = read_csl(str(shared / "csl" / "csv" / "csl-legacy-no-id-column.csv"))
    assert len(facts.list_entries) == 115
    rostec = next(x for x in facts.list_entries if x.name == "90 EKSPERIMENTALNY ZAVOD OAO")
    assert rostec.linked_to == ("ROSTEC",)
    assert all("\x92" not in x.name for x in facts.list_entries)


def test_small_csv_names_aliases_countries_links_dates() -> None:
    el = "Entity List (EL) - Bureau of Industry and Security"
    data = csv(row(_id="1", source=el, name="Huaxia Telematics\x92 Co.",
                   alt_names="HXT; Huaxia Tele", addresses="1 Road, Shenzhen, CN; 2 Street, Kowloon, HK",
                   start_date="2024-05-01", remarks="(Linked To: HUAXIA GROUP) (Linked To: HX HOLDINGS)"))
    (x,) = read_csl("list.csv", data).list_entries
    assert (x.name, x.aliases, x.countries) == ("Huaxia Telematics Co.", ("HXT", "Huaxia Tele"), ("CN", "HK"))
    assert x.linked_to == ("HUAXIA GROUP", "HX HOLDINGS") and x.start == dt.date(2024, 5, 1)
    assert x.source is not None and (x.source.file, x.source.pointer, x.source.record_id) == ("list.csv", "row 2", "1")
    assert list_code(x.list_name) == "EL"


def test_json_form_and_api_answer() -> None:
    rec = {"source": "Military End User (MEU) List - Bureau of Industry and Security", "name": "Aero Parts",
           "alt_names": ["AP"], "addresses": [{"country": "RU"}], "start_date": "2021-01-01", "id": "z"}
    for doc, where in (([rec], "/0"), ({"total": 1, "results": [rec]}, "/results/0")):
        (x,) = read_csl("csl.json", orjson.dumps(doc)).list_entries
        assert (x.countries, x.aliases, x.source and x.source.pointer) == (("RU",), ("AP",), where)


def test_validation_collects_all_row_problems() -> None:
    data = csv(row(source="Entity List (EL) - Bureau of Industry and Security", name="A", start_date="yesterday"),
               row(source="", name="B"),
               row(source="Entity List (EL) - Bureau of Industry and Security", name=""),
               "x,y")
    issues = validate_csl("l.csv", data)
    assert [(i.location, i.message.split()[0]) for i in issues] == [
        ("row 2", "start_date"), ("row 3", "no"), ("row 4", "no"), ("row 5", "2")]


def test_utf16_and_cp1252_text() -> None:
    data = csv(row(source="Entity List (EL) - Bureau of Industry and Security", name="Müller AG"))
    utf16 = codecs.BOM_UTF16_LE + data.decode().encode("utf-16-le")
    assert read_csl("a.csv", utf16).list_entries[0].name == "Müller AG"
    facts = read_csl("b.csv", data.decode().encode("cp1252"))
    assert facts.list_entries[0].name == "Müller AG" and "Windows-1252" in facts.warnings[0].text


def test_not_a_list_and_limits_are_clean_errors() -> None:
    with pytest.raises(InputError, match="not a CSL header"):
        read_csl("x.csv", b"a,b,c\n1,2,3\n")
    with pytest.raises(InputError, match="above the limit"):
        read_csl("x.csv", csv(row(source="S", name="N")), max_bytes=10)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.binary(max_size=200),
                 st.binary(max_size=200).map(lambda b: HEADER.encode() + b"\n" + b),
                 st.text(max_size=120).map(lambda t: (HEADER + "\n" + t).encode()),
                 st.lists(st.dictionaries(st.sampled_from(["source", "name", "alt_names", "addresses", "start_date"]),
                                          st.none() | st.text(max_size=6) | st.lists(st.text(max_size=3)), max_size=4),
                          max_size=3).map(orjson.dumps)))
def test_arbitrary_input_never_crashes(data: bytes) -> None:
    for call in (lambda: read_csl("f", data), lambda: validate_csl("f", data)):
        try:
            call()
        except InputError as e:
            assert e.issues and str(e)
