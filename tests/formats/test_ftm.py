"""FollowTheMoney reader: conformance over ../shared/fixtures/ftm, behaviour on small entities made by this
project, free-text percentages, FtM country codes, fuzzing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvcomply.formats.detect import detect_format, read_ownership, validate_file
from cvcomply.formats.errors import InputError
from cvcomply.formats.ftm import ftm_country, parse_percentage, read_ftm, validate_ftm

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"


def files(pattern: str) -> list[Path]:
    found = sorted(SHARED.resolve().glob(pattern)) if SHARED.is_dir() else []
    return found or [pytest.param(None, marks=pytest.mark.skip(reason=f"no shared fixtures for {pattern}"))]  # type: ignore[list-item]


def ent(eid: str, schema: str, **props: Any) -> dict[str, Any]:
    return {"id": eid, "schema": schema,
            "properties": {k: v if isinstance(v, list) else [v] for k, v in props.items()}}


def lines(*entities: dict[str, Any]) -> bytes:
    return b"\n".join(orjson.dumps(e) for e in entities) + b"\n"


@pytest.mark.parametrize("path", files("ftm/*.json"), ids=lambda p: p.name if isinstance(p, Path) else "absent")
def test_every_ftm_fixture_loads_validates_and_is_detected(path: Path) -> None:
    facts = read_ownership(str(path))
    assert facts.format == "ftm" and facts.entities and not facts.warnings
    assert detect_format(str(path), path.read_bytes()) == "ftm"
    assert validate_file(str(path)) == ("ftm", [])
    assert all(e.sources[0].pointer.startswith("line ") for e in facts.entities)


def test_zala_cluster_ownership_directorship_and_sanctions(shared: Path) -> None:
    facts = read_ftm(str(shared / "ftm" / "zala-entities.ftm.json"))
    names = {e.id: e.name for e in facts.entities}
    stakes = [(names.get(h.holder), h.share, h.start) for h in facts.holdings if h.interest == "shareholding"]
    assert ("JSC NPO IZHMASH", 49.0, dt.date(2016, 3, 29)) in stakes
    assert any(h.interest == "board-member" for h in facts.holdings)
    zala = next(e for e in facts.entities if e.name == "ZALA AERO JSC")
    assert zala.jurisdiction == "RU" and ("RU-INN", "9715478507") in zala.identifiers
    assert ("ftm:topic", "sanction") in zala.facts or any(x.entity == zala.id for x in facts.list_entries)
    assert all(x.entity in names for x in facts.list_entries)  # sanctions arrive linked to their target
    assert all(x.source is not None and x.source.pointer.startswith("line ") for x in facts.list_entries)


def test_delta_file_applies_deletions(shared: Path) -> None:
    facts = read_ftm(str(shared / "ftm" / "t2-entities.delta.json"))
    raw = [orjson.loads(ln) for ln in (shared / "ftm" / "t2-entities.delta.json").read_bytes().splitlines() if ln]
    deleted = {r["entity"]["id"] for r in raw if r["op"] == "DEL"}
    assert not deleted & {e.id for e in facts.entities}


@pytest.mark.parametrize(("text", "expected"), [
    ("51%", (51.0, None, None)), ("51.0", (51.0, None, None)), ("51,5 %", (51.5, None, None)),
    ("more than 50%", (None, 50.0, None)), ("> 25", (None, 25.0, None)), ("25%+", (None, 25.0, None)),
    ("less than 10%", (None, None, 10.0)), ("25-50%", (None, 25.0, 50.0)), ("50 to 25", (None, 25.0, 50.0)),
    ("majority", None), ("150%", None), ("", None)])
def test_free_text_percentages(text: str, expected: tuple[float | None, ...] | None) -> None:
    assert parse_percentage(text) == expected


@pytest.mark.parametrize(("code", "iso", "warned"), [
    ("hk", "HK", False), ("mo", "MO", False), ("ru", "RU", False), ("suhh", "RU", True), ("ddde", "DE", False),
    ("xk", "XK", False), ("ua-cri", "UA", False), ("zz", None, True), ("csxx", None, True), ("nowhere", None, True)])
def test_ftm_country_codes(code: str, iso: str | None, warned: bool) -> None:
    got, note = ftm_country(code)
    assert got == iso and (note is not None) is warned


def test_entities_links_and_countries_from_small_file() -> None:
    data = lines(
        ent("a1", "Address", country="hk"),
        ent("c1", "Company", name=["Shenzhen Parent Co., Ltd.", "SZ Parent"], jurisdiction="cn", topics="sanction"),
        ent("c2", "Company", name="Supplier GmbH", jurisdiction="de", addressEntity="a1",
            leiCode="5299001ABCDEF0000000"),
        ent("p1", "Person", name="Ivan Petrov", nationality="suhh", country="ru"),
        ent("o1", "Ownership", owner="c1", asset="c2", percentage="more than 50%", startDate="2019"),
        ent("d1", "Directorship", director="p1", organization="c2", role="Chairman of the Board"),
        ent("s1", "Sanction", entity="c1", authority="Office of Foreign Assets Control", program="SDN",
            startDate="2022-03-01"),
        ent("f1", "Family", person="p1", relative="p1"),
    )
    facts = read_ftm("t.ftm.json", data)
    by = {e.id: e for e in facts.entities}
    assert set(by) == {"c1", "c2", "p1"}
    assert by["c1"].aliases == ("SZ Parent",) and ("ftm:topic", "sanction") in by["c1"].facts
    assert by["c2"].jurisdiction == "DE" and by["c2"].headquarters == ("HK",)
    assert by["c2"].identifiers == (("lei", "5299001ABCDEF0000000"),)
    assert by["p1"].kind == "person" and by["p1"].nationalities == ("RU",) and by["p1"].residences == ("RU",)
    own = next(h for h in facts.holdings if h.interest == "shareholding")
    assert (own.holder, own.subject, own.share_min, own.start) == ("c1", "c2", 50.0, dt.date(2019, 1, 1))
    assert own.source is not None and own.source.pointer == "line 5" and own.source.record_id == "o1"
    chair = next(h for h in facts.holdings if h.holder == "p1")
    assert chair.interest == "board-chair"
    (entry,) = facts.list_entries
    assert entry.entity == "c1" and entry.start == dt.date(2022, 3, 1) and "SDN" in entry.list_name
    assert any("suhh" in w.text for w in facts.warnings)  # the Soviet mapping is always reported


def test_validation_locates_every_problem() -> None:
    data = lines(ent("c2", "Company", name="X"), {"schema": "Company", "properties": {}},
                 ent("o1", "Ownership", owner="ghost", asset="c2", percentage="lots", startDate="someday"),
                 ent("p1", "Person", name="Y", nationality="zz"))
    issues = validate_ftm("t.json", data)
    text = " | ".join(f"{i.location} {i.message}" for i in issues)
    assert "line 2" in text and "no id" in text
    assert "line 3 /properties/owner" in text and "'ghost'" in text
    assert "'lots'" in text and "'someday'" in text and "line 4 /properties/nationality" in text


def test_not_ftm_and_bad_lines_are_clean_errors() -> None:
    with pytest.raises(InputError, match="not FollowTheMoney"):
        read_ftm("x.json", b'[{"a": 1}]')
    with pytest.raises(InputError) as e:
        read_ftm("x.json", lines(ent("c", "Company", name="A")) + b"{broken\n")
    assert e.value.location.startswith("line 2")


def test_size_limit() -> None:
    with pytest.raises(InputError, match="above the limit"):
        read_ftm("x.json", lines(ent("c", "Company", name="A")), max_bytes=5)


_json = st.recursive(st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8),
                     lambda c: st.lists(c, max_size=3) | st.dictionaries(
                         st.sampled_from(["id", "schema", "properties", "owner", "asset", "percentage", "op",
                                          "entity", "name", "country"]), c, max_size=4), max_leaves=12)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.binary(max_size=200), _json.map(orjson.dumps),
                 st.lists(_json.map(lambda v: {"id": "x", "schema": "Ownership", "properties": v}), max_size=3)
                 .map(lambda xs: b"\n".join(orjson.dumps(x) for x in xs))))
def test_arbitrary_input_never_crashes(data: bytes) -> None:
    for call in (lambda: read_ftm("f", data), lambda: validate_ftm("f", data)):
        try:
            call()
        except InputError as e:
            assert e.issues and str(e)
