"""BODS reader on small statements made by this project (not third-party data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest

from cvcomply.formats.bods import INTEREST_MAP, read_bods
from cvcomply.formats.errors import InputError


def entity(rid: str, name: str, date: str = "2024-01-01", status: str = "new", **details: Any) -> dict[str, Any]:
    return {"statementId": f"s-{rid}-{date}-{status}", "statementDate": date, "recordId": rid,
            "recordStatus": status, "recordType": "entity",
            "recordDetails": {"entityType": {"type": "registeredEntity"}, "name": name, "isComponent": False,
                              **details}}


def rel(rid: str, subject: Any, party: Any, *interests: dict[str, Any], date: str = "2024-01-01",
        status: str = "new") -> dict[str, Any]:
    return {"statementId": f"s-{rid}-{date}-{status}", "statementDate": date, "recordId": rid,
            "recordStatus": status, "recordType": "relationship",
            "recordDetails": {"subject": subject, "interestedParty": party, "interests": list(interests),
                              "isComponent": False}}


def read(*statements: dict[str, Any]) -> Any:
    return read_bods("made.bods.json", orjson.dumps(list(statements)))


def test_entities_jurisdiction_addresses_identifiers() -> None:
    facts = read(
        entity("e1", "Alpha Ltd", jurisdiction={"name": "Delaware", "code": "US-DE"},
               alternateNames=["Alpha", "Alpha Limited"],
               addresses=[{"type": "registered", "country": {"code": "GB"}},
                          {"type": "business", "country": {"name": "China"}},
                          {"type": "service", "country": {"code": "FR"}}],
               identifiers=[{"scheme": "XI-LEI", "id": "LEI00000000000000001"}, {"scheme": "GB-COH", "id": "123"}]),
        entity("e2", "Beta", incorporatedInJurisdiction={"code": "CN"}, entityType={"type": "stateBody"}),
    )
    e1, e2 = facts.entities
    assert (e1.id, e1.jurisdiction, e1.headquarters) == ("e1", "US", ("GB", "CN"))
    assert e1.aliases == ("Alpha", "Alpha Limited")
    assert e1.identifiers == (("lei", "LEI00000000000000001"), ("GB-COH", "123"))
    assert (e2.jurisdiction, e2.kind) == ("CN", "state")
    assert facts.format == "bods" and e1.sources[0].record_id == "s-e1-2024-01-01-new"


def test_person_nationality_residence_us_person() -> None:
    person = {"statementId": "p1s", "statementDate": "2024-01-01", "recordId": "p1", "recordType": "person",
              "recordStatus": "new",
              "recordDetails": {"personType": "knownPerson",
                                "names": [{"fullName": "Jane Roe"}, {"fullName": "J. Roe"}],
                                "nationalities": [{"code": "US"}, {"code": "CN"}],
                                "addresses": [{"type": "residence", "country": {"code": "HK"}}],
                                "taxResidencies": [{"code": "SG"}], "isComponent": False}}
    (p,) = read(person).entities
    assert (p.kind, p.name, p.aliases) == ("person", "Jane Roe", ("J. Roe",))
    assert p.nationalities == ("US", "CN") and p.residences == ("HK", "SG") and p.us_person


@pytest.mark.parametrize(
    ("interest", "expected"),
    [
        ({"type": "shareholding", "share": {"exact": 30}}, ("shareholding", 30.0, None, None, False)),
        ({"type": "votingRights", "share": {"minimum": 25, "maximum": 50}}, ("voting-rights", None, 25.0, 50.0, False)),
        ({"type": "votingRights", "share": {"exclusiveMinimum": 50, "exclusiveMaximum": 75}},
         ("voting-rights", None, 50.0, 75.0, False)),
        ({"type": "appointmentOfBoard", "share": {"minimum": 51}}, ("appointment-of-board", None, 51.0, None, True)),
        ({"type": "appointmentOfBoard", "details": "Majority of directors"},
         ("appointment-of-board", None, None, None, True)),
        ({"type": "voting-rights", "share": {"exact": 10}}, ("voting-rights", 10.0, None, None, False)),
        ({"type": "other-influence-or-control"}, ("other", None, None, None, False)),
        ({"type": "otherInfluenceOrControl", "details": "Relationship Type: IS_DIRECTLY_CONSOLIDATED_BY"},
         ("consolidation", None, None, None, False)),
        ({"type": "nominee"}, ("control-by-contract", None, None, None, False)),
        ({"type": "boardChair"}, ("board-chair", None, None, None, False)),
    ],
)
def test_interest_mapping_and_shares(interest: dict[str, Any], expected: tuple[Any, ...]) -> None:
    facts = read(entity("a", "A"), entity("b", "B"), rel("r", "a", "b", interest))
    (h,) = facts.holdings
    assert (h.interest, h.share, h.share_min, h.share_max, h.majority) == expected
    assert (h.holder, h.subject) == ("b", "a")


def test_every_codelist_interest_is_mapped() -> None:
    assert {"shareholding", "votingRights", "appointmentOfBoard", "boardMember", "boardChair", "settlor",
            "rightToProfitOrIncomeFromAssets", "unknownInterest"} <= INTEREST_MAP.keys()


def test_unknown_interest_type_warns() -> None:
    facts = read(entity("a", "A"), entity("b", "B"), rel("r", "a", "b", {"type": "telepathy"}))
    assert facts.holdings[0].interest == "other"
    # The reader's own warning, and no other: these made statements also break the 0.4 schema (short statementIds,
    # no declarationSubject), which DESIGN.md §4.4 makes warnings too - "a schema violation that does not stop it
    # understanding a file (an unknown enum value, ...) becomes an entry in the report's `"warnings"`" - with the
    # prefix "schema: "; the enum violation is one of them, at the same place.
    own = [w for w in facts.warnings if not w.text.startswith("schema: ")]
    assert [w.source for w in own] == ["made.bods.json#/2/recordDetails/interests/0/type"]
    assert any(w.source == own[0].source and w.text.startswith("schema: enum: 'telepathy'") for w in facts.warnings)


def test_latest_statement_wins_and_closed_relationship_ends() -> None:
    facts = read(
        entity("a", "Old name", date="2020-01-01"), entity("a", "New name", date="2023-05-01", status="updated"),
        entity("b", "B"),
        rel("r", "a", "b", {"type": "shareholding", "share": {"exact": 60}, "startDate": "2019-01-01"},
            date="2020-01-01"),
        rel("r", "a", "b", {"type": "shareholding", "share": {"exact": 60}, "startDate": "2019-01-01"},
            date="2024-07-07", status="closed"),
    )
    assert [e.name for e in facts.entities if e.id == "a"] == ["New name"]
    (h,) = facts.holdings
    assert h.start == dt.date(2019, 1, 1) and h.end == dt.date(2024, 7, 7)
    assert h.active(dt.date(2024, 1, 1)) and not h.active(dt.date(2024, 8, 1))


def test_unspecified_interested_party_withholds_ownership() -> None:
    facts = read(entity("a", "A"), rel("r", "a", {"reason": "interestedPartyExemptFromDisclosure",
                                                   "details": "NON_PUBLIC"}, {"type": "otherInfluenceOrControl"}))
    assert facts.holdings == ()
    assert facts.entities[0].ownership_withheld is not None
    assert "interestedPartyExemptFromDisclosure" in facts.entities[0].ownership_withheld


def test_missing_record_is_a_warning_and_holding_kept() -> None:
    facts = read(entity("a", "A"), rel("r", "a", "ghost", {"type": "shareholding"}))
    assert len(facts.holdings) == 1 and any("'ghost'" in w.text for w in facts.warnings)


def test_v02_statements_replacement_and_unspecified() -> None:
    stmts = [
        {"statementID": "e-old", "statementType": "entityStatement", "statementDate": "2017-01-01",
         "entityType": "registeredEntity", "name": "Old", "incorporatedInJurisdiction": {"code": "GB"}},
        {"statementID": "e-new", "statementType": "entityStatement", "statementDate": "2018-01-01",
         "entityType": "registeredEntity", "name": "New", "replacesStatements": ["e-old"]},
        {"statementID": "p", "statementType": "personStatement", "personType": "knownPerson",
         "names": [{"fullName": "P"}], "nationalities": [{"code": "RU"}]},
        {"statementID": "o", "statementType": "ownershipOrControlStatement",
         "subject": {"describedByEntityStatement": "e-old"}, "interestedParty": {"describedByPersonStatement": "p"},
         "interests": [{"type": "shareholding", "interestLevel": "indirect", "share": {"exact": 100, "minimum": 100}}]},
        {"statementID": "e2", "statementType": "entityStatement", "entityType": "registeredEntity", "name": "E2"},
        {"statementID": "o2", "statementType": "ownershipOrControlStatement",
         "subject": {"describedByEntityStatement": "e2"},
         "interestedParty": {"unspecified": {"reason": "unknown", "description": "not told"}}},
    ]
    facts = read_bods("made.bods.json", orjson.dumps(stmts))
    assert {e.id: e.name for e in facts.entities} == {"e-new": "New", "p": "P", "e2": "E2"}
    (h,) = facts.holdings
    assert (h.subject, h.holder, h.share, h.direct) == ("e-new", "p", 100.0, False)
    assert {e.id: e.ownership_withheld for e in facts.entities}["e2"] == "unknown not told"


def test_json_lines_and_single_object() -> None:
    lines = b"\n".join(orjson.dumps(s) for s in (entity("a", "A"), entity("b", "B"),
                                                  rel("r", "a", "b", {"type": "shareholding"})))
    facts = read_bods("made.jsonl", lines)
    assert len(facts.entities) == 2 and facts.holdings[0].source is not None
    assert facts.holdings[0].source.pointer == "line 3/recordDetails/interests/0"
    assert read_bods("one.json", orjson.dumps(entity("a", "A"))).entities[0].id == "a"


@pytest.mark.parametrize(("data", "words"), [(b"not json", "not valid JSON"), (b'[{"x": 1}]', "not BODS"),
                                            (b"[]", "not BODS")])
def test_not_bods(data: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        read_bods("x.json", data)
