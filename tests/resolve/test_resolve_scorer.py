"""The scorer's features: each reports what it compared and what it added, and they sum to the score.

Names here are made up by the project.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvcomply.model import Entity
from cvcomply.resolve import Resolver, similarity
from cvcomply.resolve.names import NormalName
from cvcomply.resolve.scorer import LEGAL_FORM_CONFLICT, LEGAL_FORM_MISSING, base_similarity, pre_scores

WORDS = st.sampled_from(["acme", "nova", "radio", "systems", "co", "ltd", "inc", "gmbh", "(shenzhen)", "18", "19",
                         "telematik", "wireless", "limited", "company", "ag", "holding"])
NAMES = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)


def test_features_name_what_they_compared() -> None:
    score, features = similarity(NormalName.of("Acme (Shenzhen) Radio Inc 18"), NormalName.of("Acme Radio GmbH 19"))
    by = {f.name: f for f in features}
    assert set(by) == {"name", "legal_form", "words", "brackets", "numbers"}
    assert "(shenzhen)" in by["words"].compared
    assert "'inc' vs 'gmbh'" in by["legal_form"].compared and by["legal_form"].contribution == -LEGAL_FORM_CONFLICT
    assert "shenzhen" in by["brackets"].compared and by["brackets"].contribution < 0
    assert "18 vs 19" in by["numbers"].compared
    assert score == max(0.0, round(sum(f.contribution for f in features), 4))
    assert all(f.text().startswith(f.name + ": ") for f in features)


@settings(max_examples=300, deadline=None)
@given(NAMES, NAMES)
def test_score_is_the_clipped_sum_and_bounded_by_the_pre_score(one: str, other: str) -> None:
    a, b = NormalName.of(one), NormalName.of(other)
    score, features = similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert score == max(0.0, min(1.0, round(sum(f.contribution for f in features), 4)))
    assert all(f.contribution <= 0 for f in features if f.name != "name")
    name = next(f for f in features if f.name == "name")
    assert score <= name.contribution + 1e-4  # (rounded to 4 places) what makes the resolver's branch-and-bound exact


def test_pre_scores_equal_the_name_feature() -> None:
    others = ["acme radio", "radio acme", "acmeradio", "nova"]
    assert pre_scores("acme radio", others) == [pytest.approx(base_similarity("acme radio", o)) for o in others]
    assert pre_scores("acme", []) == []


@pytest.mark.parametrize(("query", "decision", "cut"), [
    ("Boltwerk Systems", "match", LEGAL_FORM_MISSING),   # the BOM omits the legal form
    ("Boltwerk Systems Inc", "review", LEGAL_FORM_CONFLICT),  # another legal form: perhaps another firm
])
def test_legal_forms_as_evidence(query: str, decision: str, cut: float) -> None:
    resolver = Resolver([Entity("t:bolt", "Boltwerk Systems AG", jurisdiction="DE")])
    m = resolver.resolve_name(query, "DE")
    assert m.decision == decision
    assert ("legal_form", pytest.approx(-cut)) in [(f, c) for f, _, c in m.features]
    assert any(r.startswith("legal_form: ") for r in m.reasons)


def test_every_outcome_carries_features() -> None:
    resolver = Resolver([Entity("t:a", "Acme Radio Co., Ltd.", jurisdiction="CN", identifiers=(("lei", "X1"),)),
                         Entity("t:b", "Acme Radio Co., Ltd.", jurisdiction="HK")])
    by_id = resolver.resolve_name("whatever", None, [("lei", "x1")])
    assert by_id.features[0][0] == "identifier" and by_id.features[0][2] == 1.0
    exact = resolver.resolve_name("ACME RADIO COMPANY LIMITED")
    assert exact.decision == "review" and [f for f, _, _ in exact.features] == ["exact_name", "exact_name"]
    fuzzy = resolver.resolve_name("Acme Radios Co Ltd", "CN")
    assert fuzzy.decision == "match" and [f for f, _, _ in fuzzy.features] == ["name", "country"]
    assert "stated CN vs CN: agrees" in fuzzy.features[1][1]


def test_mistyped_lei_is_noted_and_does_not_hide_the_right_entity() -> None:
    resolver = Resolver([Entity("t:bolt", "Boltwerk Systems AG", jurisdiction="DE",
                                identifiers=(("lei", "5493001KJTIIGC8Y1R12"),))])
    m = resolver.resolve_name("Boltwerk Systems AG", "DE", [("lei", "5493001KJTIIGC8Y1R13")])
    assert (m.decision, m.entity) == ("match", "t:bolt")
    assert any("fails the ISO 17442 check" in r for r in m.reasons)


@pytest.mark.parametrize(("scheme", "value"), [("DUNS", "15-048-3782"), ("D-U-N-S", "150483782"),
                                                ("duns number", "150 483 782")])
def test_duns_spellings_match(scheme: str, value: str) -> None:
    resolver = Resolver([Entity("t:d", "Dunmore Radio Ltd", jurisdiction="GB", identifiers=(("duns", "150483782"),))])
    m = resolver.resolve_name("anything", "GB", [(scheme, value)])
    assert (m.decision, m.method, m.entity) == ("match", "identifier", "t:d")


def test_a_word_the_candidate_lacks_costs_the_match() -> None:
    resolver = Resolver([Entity("t:a", "Academy of Aerospace Solid Propulsion Technology", jurisdiction="CN")])
    m = resolver.resolve_name("Academy Pacific of Aerospace Solid Propulsion Technology", "CN")
    assert m.decision == "review"
    assert any(f == "words" and "pacific" in c for f, c, _ in m.features)
    typo = resolver.resolve_name("Academy of Aerospace Solid Propulsoin Technology", "CN")
    assert (typo.decision, typo.entity) == ("match", "t:a")
    assert not any(f == "words" for f, _, _ in typo.features)


def test_glued_pinyin_sheds_its_legal_form() -> None:
    resolver = Resolver([Entity("t:h", "横店集团控股有限公司", jurisdiction="CN")])
    m = resolver.resolve_name("HengDianJiTuanKongGuYouXianGongSi", "CN")
    assert (m.decision, m.entity) == ("match", "t:h")
