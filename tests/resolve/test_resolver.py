"""Resolver outcomes: identifiers, reviewer decisions, exact and fuzzy names, countries, bad input.

The registry here is made up by the project (ids ``t:…``); LEIs are syntactically valid test values.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvcomply.model import Decision, Entity, Party
from cvcomply.resolve import Resolver, Thresholds
from cvcomply.resolve.identifiers import lei_checks

LEI_QUECTEL = "5493001KJTIIGC8Y1R12"  # the example LEI of DESIGN.md §4.1; its check digits verify


def lei(prefix: str) -> str:
    """A 20-character LEI with correct ISO 7064 check digits, made up for tests."""
    base = prefix.ljust(18, "0")
    digits = "".join(str(int(c, 36)) for c in base + "00")
    return base + f"{98 - int(digits) % 97:02d}"


REGISTRY = (
    Entity("t:quectel", "Quectel Wireless Solutions Co., Ltd.", jurisdiction="CN",
           aliases=("上海移远通信技术股份有限公司",), identifiers=(("lei", LEI_QUECTEL),)),
    Entity("t:acme-sz", "Acme (Shenzhen) Co., Ltd.", jurisdiction="CN"),
    Entity("t:acme-su", "Acme (Suzhou) Co., Ltd.", jurisdiction="CN"),
    Entity("t:nova-hk", "Nova Telematics Limited", jurisdiction="HK"),
    Entity("t:nova-cn", "Nova Telematics Limited", jurisdiction="CN"),
    Entity("t:twin-de", "Twin Sensors GmbH", jurisdiction="DE"),
    Entity("t:twin-at", "Twin Sensors Gesellschaft mit beschränkter Haftung", jurisdiction="AT"),
    Entity("t:romashka", "ООО Ромашка", jurisdiction="RU", identifiers=(("ru-ogrn", "1027700132195"),)),
    Entity("t:hengdian", "横店集团控股有限公司", jurisdiction="CN"),
    Entity("t:bolt", "Boltwerk Systems AG", jurisdiction="DE", headquarters=("CH",),
           identifiers=(("lei", lei("BOLT")),)),
    Entity("t:nocountry", "Orbital Radio Works Inc"),
)


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(REGISTRY)


def test_lei_helper_makes_valid_leis() -> None:
    assert lei_checks(LEI_QUECTEL)
    assert lei_checks(lei("BOLT"))
    assert not lei_checks(LEI_QUECTEL[:-1] + "3")


# -- identifiers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "value"),
    [("lei", LEI_QUECTEL), ("LEI", LEI_QUECTEL.lower()), ("XI-LEI", "5493 001K-JTII GC8Y1R12")],
)
def test_identifier_match_any_spelling(resolver: Resolver, scheme: str, value: str) -> None:
    m = resolver.resolve_name("Some Unrelated Trading Name", "CN", [(scheme, value)])
    assert (m.decision, m.method, m.entity, m.score) == ("match", "identifier", "t:quectel", 1.0)
    assert any(f"identifier lei {LEI_QUECTEL} equals" in r for r in m.reasons)
    assert "country CN agrees" in m.reasons


def test_other_schemes_compare_case_insensitively(resolver: Resolver) -> None:
    m = resolver.resolve_name("Romashka", None, [("RU_OGRN", "1027-7001-32195")])
    assert (m.decision, m.entity) == ("match", "t:romashka")


def test_identifier_beats_names(resolver: Resolver) -> None:
    # the name is exactly Acme (Shenzhen)'s, the LEI is Quectel's: the identifier decides
    m = resolver.resolve(Party("supplier", "Acme (Shenzhen) Co Ltd", "CN", (("lei", LEI_QUECTEL),)))
    assert (m.decision, m.method, m.entity) == ("match", "identifier", "t:quectel")


def test_identifier_with_conflicting_country_is_review(resolver: Resolver) -> None:
    m = resolver.resolve_name("Quectel", "US", [("lei", LEI_QUECTEL)])
    assert (m.decision, m.method, m.entity) == ("review", "identifier", None)
    assert m.candidates == (("t:quectel", 1.0),)
    assert any("conflicts" in r for r in m.reasons)


def test_unknown_identifier_falls_back_to_names(resolver: Resolver) -> None:
    m = resolver.resolve_name("Twin Sensors GmbH", "DE", [("duns", "123456789")])
    assert (m.decision, m.method, m.entity) == ("match", "name", "t:twin-de")
    assert "identifier duns 123456789 matches no registry entity" in m.reasons


def test_different_lei_keeps_an_entity_out(resolver: Resolver) -> None:
    other = lei("OTHER")
    m = resolver.resolve_name("Boltwerk Systems AG", "DE", [("lei", other)])
    assert m.decision == "none" and m.entity is None
    assert any("differs from the stated" in r for r in m.reasons)


# -- exact names and countries -------------------------------------------------------------------------


def test_unique_exact_without_country_is_match(resolver: Resolver) -> None:
    m = resolver.resolve_name("Quectel Wireless Solutions Company Limited")
    assert (m.decision, m.method, m.entity, m.score) == ("match", "name", "t:quectel", 1.0)
    assert any("equals the name of" in r for r in m.reasons)
    assert any("no country stated" in r for r in m.reasons)


def test_exact_alias_match_names_the_alias(resolver: Resolver) -> None:
    m = resolver.resolve_name("上海移远通信技术股份有限公司", "CN")
    assert (m.decision, m.entity) == ("match", "t:quectel")
    assert any("equals alias" in r for r in m.reasons)


def test_two_exact_without_country_is_review(resolver: Resolver) -> None:
    m = resolver.resolve_name("Nova Telematics Ltd")
    assert (m.decision, m.entity) == ("review", None)
    assert m.candidates == (("t:nova-cn", 1.0), ("t:nova-hk", 1.0))


def test_stated_country_picks_one_of_two_exact(resolver: Resolver) -> None:
    assert resolver.resolve_name("Nova Telematics Ltd", "HK").entity == "t:nova-hk"
    m = resolver.resolve_name("Nova Telematics Ltd", "CN")
    assert (m.decision, m.entity) == ("match", "t:nova-cn")
    # CN vs HK is a conflict of country (HK/MO compared as their own codes), and it is noted
    assert any("HK and MO are compared as their own codes" in r for r in m.reasons)


def test_legal_form_spellings_are_two_exact_matches(resolver: Resolver) -> None:
    m = resolver.resolve_name("Twin Sensors G.m.b.H.")
    assert m.decision == "review"
    assert {c for c, _ in m.candidates} == {"t:twin-de", "t:twin-at"}
    assert resolver.resolve_name("Twin Sensors GmbH", "AT").entity == "t:twin-at"


@pytest.mark.parametrize(("country", "decision"), [("CN", "match"), (None, "match"), ("DE", "none"), ("HK", "none")])
def test_country_conflict_blocks_exact(resolver: Resolver, country: str | None, decision: str) -> None:
    m = resolver.resolve_name("Acme (Shenzhen) Co., Ltd.", country)
    assert m.decision == decision
    if decision == "none":
        assert m.entity is None
        assert any("not counted" in r and "conflicts" in r for r in m.reasons)


def test_headquarters_counts_as_a_country(resolver: Resolver) -> None:
    assert resolver.resolve_name("Boltwerk Systems AG", "CH").entity == "t:bolt"


def test_entity_without_country_still_matches_exactly(resolver: Resolver) -> None:
    m = resolver.resolve_name("Orbital Radio Works, Incorporated", "US")
    assert (m.decision, m.entity) == ("match", "t:nocountry")
    assert any("records no country" in r for r in m.reasons)


# -- brackets and fuzzy scores ------------------------------------------------------------------------


def test_bracket_words_keep_firms_apart(resolver: Resolver) -> None:
    assert resolver.resolve_name("Acme (Suzhou) Co Ltd", "CN").entity == "t:acme-su"
    # a third place is neither: the differing bracket word costs it the match
    m = resolver.resolve_name("Acme (Shanghai) Co Ltd", "CN")
    assert m.decision == "none"
    assert any("bracket words differ" in r for r in m.reasons)
    # a name without the bracket word is not silently one of them
    assert resolver.resolve_name("Acme Co Ltd", "CN").decision != "match"


def test_fuzzy_match_needs_agreeing_country(resolver: Resolver) -> None:
    typo = "Quectel Wireless Solution Co Ltd"
    m = resolver.resolve_name(typo, "CN")
    assert (m.decision, m.method, m.entity) == ("match", "name", "t:quectel")
    assert 0.92 <= m.score < 1.0
    assert "country CN agrees" in m.reasons
    unstated = resolver.resolve_name(typo)
    assert (unstated.decision, unstated.entity) == ("review", None)
    assert unstated.candidates[0][0] == "t:quectel"
    assert any("never an automatic match" in r for r in unstated.reasons)


def test_fuzzy_review_band_and_none(resolver: Resolver) -> None:
    review = resolver.resolve_name("Quectel Wireless Co Ltd", "CN")
    assert review.decision == "review"
    assert 0.75 <= review.score < 0.92
    assert review.candidates and review.candidates[0][0] == "t:quectel"
    none = resolver.resolve_name("Quectel Holdings", "CN")
    assert none.decision == "none" and none.score < 0.75


def test_thresholds_are_configurable() -> None:
    strict = Resolver(REGISTRY, thresholds=Thresholds(match=0.999, review=0.99))
    assert strict.resolve_name("Quectel Wireless Solution Co Ltd", "CN").decision == "none"
    loose = Resolver(REGISTRY, thresholds=Thresholds(match=0.76, review=0.5))
    assert loose.resolve_name("Quectel Wireless Co Ltd", "CN").decision == "match"
    with pytest.raises(ValueError, match="review <= match"):
        Thresholds(match=0.5, review=0.9)


def test_cjk_name_against_pinyin(resolver: Resolver) -> None:
    m = resolver.resolve_name("Hengdian Jituan Konggu Youxian Gongsi", "CN")
    assert (m.decision, m.entity) == ("match", "t:hengdian")


def test_cyrillic_name_against_latin(resolver: Resolver) -> None:
    m = resolver.resolve_name("Romashka LLC")
    assert (m.decision, m.method, m.entity, m.score) == ("match", "name", "t:romashka", 1.0)
    assert any("'romashka llc'" in r for r in m.reasons)


# -- reviewer decisions --------------------------------------------------------------------------------


def decision(verdict: str, entity: str, party: str, country: str | None = None,
             at: datetime = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)) -> Decision:
    return Decision(kind="match", by="alice", at=at, why="checked the registry extract", party=party,
                    country=country, entity=entity, verdict=verdict)


def test_decision_confirm_wins_over_the_scorer() -> None:
    r = Resolver(REGISTRY, [decision("confirm", "t:acme-su", "ACME SZ Trading")])
    m = r.resolve_name("Acme SZ Trading", "CN")
    assert (m.decision, m.method, m.entity, m.score) == ("match", "decision", "t:acme-su", 1.0)
    assert "reviewer alice confirmed on 2026-05-01T09:30+00:00: checked the registry extract" in m.reasons[0]


def test_decision_confirm_beats_identifier_and_exact_name() -> None:
    r = Resolver(REGISTRY, [decision("confirm", "t:nova-hk", "Nova Telematics Ltd")])
    m = r.resolve_name("Nova Telematics Limited", None, [("lei", LEI_QUECTEL)])
    assert (m.method, m.entity) == ("decision", "t:nova-hk")


def test_decision_reject_removes_the_entity() -> None:
    rejecting = Resolver(REGISTRY, [decision("reject", "t:quectel", "Quectel Wireless Solutions Co Ltd")])
    m = rejecting.resolve_name("Quectel Wireless Solutions Co., Ltd.", "CN")
    assert m.decision == "none" and m.entity is None
    assert any("rejected" in r for r in m.reasons)
    # also against an identifier
    m = rejecting.resolve_name("Quectel Wireless Solutions Co., Ltd.", "CN", [("lei", LEI_QUECTEL)])
    assert m.entity is None and m.decision == "none"
    # another party name is not affected
    assert rejecting.resolve_name("Quectel Wireless Solution Co Ltd", "CN").entity == "t:quectel"


def test_decision_reject_of_one_exact_leaves_the_other() -> None:
    r = Resolver(REGISTRY, [decision("reject", "t:nova-hk", "Nova Telematics Limited")])
    m = r.resolve_name("Nova Telematics Ltd")
    assert (m.decision, m.entity) == ("match", "t:nova-cn")


def test_decision_with_country_applies_only_to_that_country() -> None:
    r = Resolver(REGISTRY, [decision("confirm", "t:acme-sz", "Acme Components", country="CN")])
    assert r.resolve_name("Acme Components", "CN").method == "decision"
    assert r.resolve_name("Acme Components", "DE").method != "decision"
    assert r.resolve_name("Acme Components").method != "decision"


def test_latest_decision_stands() -> None:
    early, late = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1)  # naive time read as UTC
    taken_back = Resolver(REGISTRY, [decision("confirm", "t:acme-su", "Acme Components", at=early),
                                     decision("reject", "t:acme-su", "Acme Components", at=late)])
    assert taken_back.resolve_name("Acme Components", "CN").method != "decision"
    reinstated = Resolver(REGISTRY, [decision("reject", "t:acme-su", "Acme Components", at=early),
                                     decision("confirm", "t:acme-su", "Acme Components", at=late)])
    assert reinstated.resolve_name("Acme Components", "CN").entity == "t:acme-su"


def test_two_confirmed_entities_go_to_review_and_unknown_entity_is_ignored() -> None:
    r = Resolver(REGISTRY, [decision("confirm", "t:acme-su", "Acme Components"),
                            decision("confirm", "t:acme-sz", "Acme Components")])
    m = r.resolve_name("Acme Components")
    assert (m.decision, m.method) == ("review", "decision")
    assert {c for c, _ in m.candidates} == {"t:acme-su", "t:acme-sz"}
    ghost = Resolver(REGISTRY, [decision("confirm", "t:gone", "Twin Sensors GmbH")])
    m = ghost.resolve_name("Twin Sensors GmbH", "DE")
    assert (m.method, m.entity) == ("name", "t:twin-de")
    assert any("not in the registry" in r for r in m.reasons)


def test_non_match_decisions_are_ignored() -> None:
    nexus = Decision(kind="nexus", by="bob", at=datetime(2026, 1, 1, tzinfo=UTC), why="control analysis",
                     party="Twin Sensors GmbH", entity="t:twin-at", verdict="covered")
    assert Resolver(REGISTRY, [nexus]).resolve_name("Twin Sensors GmbH", "DE").entity == "t:twin-de"


# -- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "no letters or digits"),
        ("   ", "no letters or digits"),
        ("?!.,;-()", "no letters or digits"),
        ("x" * 10_240, "not resolved"),
    ],
)
def test_bad_names_are_a_clear_none(resolver: Resolver, name: str, words: str) -> None:
    m = resolver.resolve_name(name, "CN")
    assert (m.decision, m.method, m.entity) == ("none", "name", None)  # DESIGN.md §4.3: method is one of three
    assert words in m.reasons[0]


def test_long_name_can_still_match_by_identifier(resolver: Resolver) -> None:
    m = resolver.resolve_name("x" * 10_240, "CN", [("lei", LEI_QUECTEL)])
    assert (m.decision, m.entity) == ("match", "t:quectel")


@pytest.mark.parametrize("country", ["ZZ", "China", "c", "", "  ", "1N", "🇨🇳"])
def test_unknown_country_codes_read_as_no_country(resolver: Resolver, country: str) -> None:
    m = resolver.resolve_name("Quectel Wireless Solution Co Ltd", country)
    assert m.decision == "review"  # fuzzy without a usable country is never an automatic match
    if country.strip():
        assert any("not an ISO 3166-1 alpha-2 code" in r for r in m.reasons)


def test_lower_case_and_uk_country_codes(resolver: Resolver) -> None:
    assert resolver.resolve_name("Quectel Wireless Solution Co Ltd", "cn").decision == "match"
    r = Resolver([Entity("t:gb", "Albion Radio Ltd", jurisdiction="GB")])
    assert r.resolve_name("Albion Radio Limited", "UK").decision == "match"


def test_empty_identifiers_and_empty_registry() -> None:
    empty = Resolver([])
    m = empty.resolve_name("Acme Ltd", "CN", [("", ""), ("lei", "--")])
    assert m.decision == "none"
    assert any("empty after folding" in r for r in m.reasons)


def test_mixed_scripts_resolve(resolver: Resolver) -> None:
    m = resolver.resolve_name("Ромашка LLC")
    assert (m.decision, m.entity) == ("match", "t:romashka")


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=300), country=st.one_of(st.none(), st.text(max_size=4)),
       ids=st.lists(st.tuples(st.text(max_size=8), st.text(max_size=24)), max_size=3))
def test_resolve_name_never_raises(name: str, country: str | None, ids: list[tuple[str, str]]) -> None:
    m = Resolver(REGISTRY).resolve_name(name, country, ids)
    assert m.decision in ("match", "review", "none")
    assert 0.0 <= m.score <= 1.0
    assert m.reasons
    assert (m.entity is not None) == (m.decision == "match")


def test_differing_numbers_keep_firms_apart() -> None:
    r = Resolver([Entity("t:p18", "Harbor Investment Portfolios 18", jurisdiction="US"),
                  Entity("t:p3", "Pacific-3 Holdings, Inc.", jurisdiction="US")])
    m = r.resolve_name("Harbor Investment Portfolios 19", "US")
    assert m.decision != "match"
    assert any("numbers differ (19 vs 18)" in x for x in m.reasons)
    assert r.resolve_name("Pacific 3 Holdings Inc", "US").entity == "t:p3"
    assert r.resolve_name("Pacific Holdings Inc", "US").decision != "match"
