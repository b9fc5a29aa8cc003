"""Registry merge: one entity per identifier across sources, nothing lost. Test data made here."""

from __future__ import annotations

from cvcomply.model import Entity, Holding, ListEntry, OwnershipFacts, SourceRef
from cvcomply.registry import Registry


def facts(source: str, *entities: Entity, holdings: tuple[Holding, ...] = (),
          entries: tuple[ListEntry, ...] = ()) -> OwnershipFacts:
    return OwnershipFacts(source=source, format="test", entities=entities, holdings=holdings, list_entries=entries,
                          sha256="0" * 64)


def test_entities_sharing_an_lei_merge_and_holdings_follow() -> None:
    a = Entity("a1", "Acme GmbH", jurisdiction="DE", identifiers=(("lei", "5493001kjtiigc8y1r12"),),
               sources=(SourceRef("one.json", "/0"),))
    b = Entity("b7", "ACME Gesellschaft mbH", jurisdiction="DE", identifiers=(("XI-LEI", "5493001KJTIIGC8Y1R12"),),
               aliases=("Acme",), sources=(SourceRef("two.json", "/3"),))
    parent = Entity("p", "Parent Ltd", jurisdiction="KY")
    reg = Registry.build([
        facts("one.json", a),
        facts("two.json", b, parent, holdings=(Holding("p", "b7", "shareholding", share=60),),
              entries=(ListEntry("Entity List", "ACME", entity="b7"),)),
    ])
    assert set(reg.entities) == {"a1", "p"}
    merged = reg.entities["a1"]
    assert merged.aliases == ("ACME Gesellschaft mbH", "Acme")
    assert len(merged.sources) == 2
    assert reg.holdings[0].subject == "a1"
    assert reg.list_entries[0].entity == "a1"
    assert reg.get("b7") is merged
    assert reg.by_identifier("lei", "5493 001KJ TIIGC8Y1R12") is merged
    assert [e.id for e in reg.find("5493001KJTIIGC8Y1R12")] == ["a1"]
    assert [e.id for e in reg.find("parent ltd")] == ["p"]
    assert reg.find("nobody") == []


def test_conflicting_jurisdiction_is_kept_first_and_reported() -> None:
    a = Entity("a", "X", jurisdiction="DE", identifiers=(("lei", "L1"),))
    b = Entity("b", "X", jurisdiction="CN", identifiers=(("lei", "L1"),), headquarters=("CN",))
    reg = Registry.build([facts("1", a), facts("2", b)])
    e = reg.entities["a"]
    assert e.jurisdiction == "DE" and e.headquarters == ("CN",)  # the other source's facts are not lost
    assert any("CN" in w.text and "DE" in w.text for w in reg.warnings)


def test_same_id_in_two_files_is_one_entity() -> None:
    reg = Registry.build([facts("1", Entity("x", "X Ltd", jurisdiction="GB")),
                          facts("2", Entity("x", "X Limited", nationalities=()))])
    assert list(reg.entities) == ["x"] and reg.entities["x"].aliases == ("X Limited",)
