"""NexusTable behaviour: paths, countries, exposure, decisions propagating, bulk statuses (project-made graphs)."""

from __future__ import annotations

import numpy as np
import pytest

from cvcomply.model import PathStep
from cvcomply.ownership import STATUS_NAMES, adversary_countries, explain
from tests.ownership.helpers import AS_OF, decision, hold, org, table

CHAIN = [org("cn", "CN"), org("ky", "KY"), org("de", "DE"), org("us", "US")]
CHAIN_H = [hold("cn", "ky", 100), hold("ky", "de", 60), hold("de", "us", 10)]


def test_cayman_chain_path_runs_from_the_seed_with_shares_and_sources() -> None:
    result = explain(table(CHAIN, CHAIN_H), "de")
    assert result.status == "covered"
    assert result.countries == ("CN",)
    (path,) = result.paths
    assert [s.entity for s in path] == ["cn", "ky", "de"]
    assert path[0] == PathStep("cn", path[0].name, share=100.0, interest="shareholding", country="CN",
                               source="project-test.json#/cn-ky")
    assert path[1].share == 60.0 and path[1].country == "KY"
    assert path[-1].interest is None
    assert result.adversary_share == 60.0
    assert result.exposure == pytest.approx(60.0)


def test_small_stake_below_the_chain_is_review_with_exposure_reported_not_tested() -> None:
    result = table(CHAIN, CHAIN_H).get("us")
    assert result.status == "needs_review"
    assert result.exposure == pytest.approx(6.0)
    assert [s.entity for s in result.paths[0]] == ["cn", "ky", "de", "us"]


def test_unknown_id_is_review_and_not_contained() -> None:
    t = table(CHAIN, CHAIN_H)
    assert "nobody" not in t
    assert "de" in t
    result = t.get("nobody")
    assert result.status == "needs_review"
    assert "unknown entity" in result.reasons[0].text


def test_holder_named_only_by_a_holding_is_unknown_but_not_in_ids() -> None:
    t = table([org("t", "DE")], [hold("ghost", "t", 60)])
    assert list(t.ids) == ["t"]
    assert "ghost" not in t
    assert t.get("ghost").status == "needs_review"
    assert t.get("t").status == "needs_review"


def test_statuses_align_with_ids() -> None:
    t = table(CHAIN, CHAIN_H)
    codes = t.statuses
    assert isinstance(codes, np.ndarray)
    assert {i: STATUS_NAMES[c] for i, c in zip(t.ids, codes, strict=True)} == {
        "cn": "covered", "ky": "covered", "de": "covered", "us": "needs_review"}
    assert t.counts() == {"clear": 0, "needs_review": 1, "covered": 3}
    assert t.status("us") == t.get("us").status


def test_clear_decision_stops_propagation_and_is_recorded() -> None:
    t = table(CHAIN, CHAIN_H, decisions=[decision("nexus", "ky", "clear")])
    assert t.get("ky").status == "clear"
    assert any("reviewer decision" in r.text for r in t.get("ky").reasons)
    assert t.get("de").status == "clear"


def test_covered_decision_propagates() -> None:
    ents = [org("a", "US"), org("b", "DE")]
    t = table(ents, [hold("a", "b", 70)], decisions=[decision("nexus", "a", "covered")])
    assert t.get("b").status == "covered"
    assert [s.entity for s in t.get("b").paths[0]] == ["a", "b"]


def test_latest_decision_wins() -> None:
    from datetime import datetime

    from cvcomply.model import Decision
    early = Decision("nexus", "r1", datetime(2026, 1, 1), "first look", entity="a", verdict="covered")
    late = Decision("nexus", "r2", datetime(2026, 6, 1), "analysis", entity="a", verdict="clear")
    t = table([org("a", "CN")], [], decisions=[late, early])
    assert t.get("a").status == "clear"


def test_history_lists_ended_interests() -> None:
    from datetime import date
    t = table([org("cn", "CN"), org("t", "DE")], [hold("cn", "t", 60, end=date(2025, 1, 1))])
    result = t.get("t")
    assert result.status == "clear"
    assert len(result.history) == 1 and "not counted" in result.history[0] and AS_OF.isoformat() in result.history[0]


def test_countries_collects_every_upstream_seed() -> None:
    ents = [org("cn", "CN"), org("ru", "RU"), org("t", "DE")]
    t = table(ents, [hold("cn", "t", 30), hold("ru", "t", 30)])
    assert adversary_countries(t, "t") == ("CN", "RU")
    assert len(t.get("t").paths) == 2


def test_cross_holding_cycle_terminates_and_is_explained() -> None:
    ents = [org("cn", "CN"), org("a", "DE"), org("b", "FR")]
    t = table(ents, [hold("cn", "a", 40), hold("b", "a", 20), hold("a", "b", 60), hold("b", "b", 10)])
    assert t.get("a").status == "covered"  # 40 % and the largest holding
    assert t.get("b").status == "covered"
    assert [s.entity for s in t.get("b").paths[0]] == ["cn", "a", "b"]


def test_duplicate_statements_of_one_fact_are_not_summed() -> None:
    ents = [org("cn", "CN"), org("us", "US"), org("t", "DE")]
    t = table(ents, [hold("cn", "t", 30), hold("cn", "t", 30), hold("us", "t", 70)])
    assert t.get("t").adversary_share == 30.0
    assert t.get("t").status == "needs_review"


def test_duplicate_entity_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate entity id"):
        table([org("a"), org("a")], [])
