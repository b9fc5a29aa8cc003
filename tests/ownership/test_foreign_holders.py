"""Non-U.S. holders of an entity (RULE.md §2 "foreign interest"), on small project-made graphs.

Every entity, person and holding here is invented by the project for these tests. The reference the
property test compares with is a plain breadth-first walk up the holdings in force, written here.
"""

from __future__ import annotations

from collections import deque
from datetime import date
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvcomply.model import Entity, Holding
from cvcomply.ownership import ForeignHolders, build_graph, non_us_countries
from tests.ownership.helpers import AS_OF, hold, org, person

DOMESTIC = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})  # the rule parameter domestic_countries


def holders(entities: list[Entity], holdings: list[Holding]) -> ForeignHolders:
    return ForeignHolders(build_graph(entities, holdings, AS_OF), DOMESTIC)


def test_a_direct_non_us_holder_is_found_with_its_path() -> None:
    f = holders([org("us"), org("jp", "JP")], [hold("jp", "us", 60)])
    assert f.countries("us") == ("JP",)
    assert f.countries("jp") == ()
    (near,) = f.nearest("us")
    assert (near.country, near.entity) == ("JP", "jp")
    assert [(s.entity, s.share, s.interest, s.country) for s in near.path] == [
        ("jp", 60.0, "shareholding", "JP"), ("us", None, None, "US")]
    assert near.path[0].source == "project-test.json#/jp-us"


def test_an_indirect_holder_three_levels_up_is_found_whatever_the_size_and_kind_of_interest() -> None:
    ents = [org("jp", "JP"), org("a"), org("b"), org("c")]
    hs = [hold("jp", "a", 100), hold("a", "b", None, "board-member"), hold("b", "c", 1)]
    f = holders(ents, hs)
    assert [f.countries(x) for x in ("a", "b", "c")] == [("JP",)] * 3
    (near,) = f.nearest("c")
    assert [s.entity for s in near.path] == ["jp", "a", "b", "c"]
    assert [s.interest for s in near.path] == ["shareholding", "board-member", "shareholding", None]
    assert near.path[1].share is None  # a board seat states no share


def test_adversary_and_other_foreign_holders_are_all_listed_in_country_order() -> None:
    ents = [org("us"), org("jp", "JP"), org("cn", "CN"), org("de", "DE"), org("mid")]
    hs = [hold("jp", "us", 10), hold("mid", "us", 50), hold("de", "mid", 60), hold("cn", "de", 30)]
    f = holders(ents, hs)
    assert f.countries("us") == ("CN", "DE", "JP")
    assert [(n.country, n.entity, len(n.path)) for n in f.nearest("us")] == [
        ("CN", "cn", 4), ("DE", "de", 3), ("JP", "jp", 2)]


def test_the_nearest_holder_of_a_country_wins_and_ties_go_to_the_smallest_id() -> None:
    ents = [org("us"), org("mid"), org("jp-far", "JP"), org("jp-z", "JP"), org("jp-a", "JP")]
    hs = [hold("jp-far", "mid", 100), hold("mid", "us", 100), hold("jp-z", "us", 5), hold("jp-a", "us", 5)]
    (near,) = holders(ents, hs).nearest("us")
    assert near.entity == "jp-a"
    (near,) = holders(ents, list(reversed(hs))).nearest("us")  # input order does not matter
    assert near.entity == "jp-a"


def test_cycles_terminate_and_pass_the_countries_around() -> None:
    ents = [org("a"), org("b"), org("c"), org("jp", "JP")]
    hs = [hold("a", "b", 50), hold("b", "c", 50), hold("c", "a", 50), hold("jp", "a", 10)]
    f = holders(ents, hs)
    assert [f.countries(x) for x in ("a", "b", "c")] == [("JP",)] * 3
    assert [s.entity for s in f.nearest("c")[0].path] == ["jp", "a", "b", "c"]
    assert holders(ents[:3], hs[:3]).countries("a") == ()  # a US-only cycle: none


def test_an_entity_is_its_own_indirect_holder_through_a_cross_holding() -> None:
    # Documented reading: a non-U.S. entity that holds itself through a cycle lists its own country; a
    # direct holding of oneself (treasury shares) is no interest at all.
    f = holders([org("de", "DE"), org("us")], [hold("de", "us", 40), hold("us", "de", 40), hold("de", "de", 5)])
    assert f.countries("us") == ("DE",)
    assert f.countries("de") == ("DE",)
    (near,) = f.nearest("de")
    assert [s.entity for s in near.path] == ["de", "us", "de"]
    assert holders([org("de", "DE")], [hold("de", "de", 5)]).countries("de") == ()


def test_interests_not_in_force_at_the_date_are_history_not_counted() -> None:
    ents = [org("us"), org("jp", "JP"), org("de", "DE"), org("fr", "FR")]
    hs = [hold("jp", "us", 60, end=date(2025, 6, 30)), hold("de", "us", 60, start=date(2027, 1, 1)),
          hold("fr", "us", 60, start=date(2020, 1, 1), end=date(2030, 1, 1))]
    assert holders(ents, hs).countries("us") == ("FR",)
    assert holders(ents, hs[:2]).countries("us") == ()


def test_persons_by_nationality_with_the_us_citizen_and_permanent_resident_carve_out() -> None:
    people = {
        "foreign": person("foreign", nationalities=("JP",)),
        "dual": person("dual", nationalities=("JP", "US")),  # a US citizen
        "green-card": person("green-card", nationalities=("DE",), us_person=True),  # a permanent resident
        "resident-abroad": person("resident-abroad", residences=("JP",)),  # nationality unknown
        "living-in-us": person("living-in-us", nationalities=("FR",), residences=("US",)),
        "puerto-rico": person("puerto-rico", nationalities=("PR",)),
    }
    expected = {"foreign": ("JP",), "dual": (), "green-card": (), "resident-abroad": (), "living-in-us": ("FR",),
                "puerto-rico": ()}
    for pid, entity in people.items():
        f = holders([org("us"), entity], [hold(pid, "us", 25)])
        assert f.countries("us") == expected[pid], pid
        assert non_us_countries(entity, DOMESTIC) == expected[pid], pid


def test_an_unknown_country_is_not_counted_as_foreign() -> None:
    ents = [org("us"), org("nowhere", None), org("hq-only", None, headquarters=("JP",))]
    hs = [hold("nowhere", "us", 50), hold("ghost", "us", 50)]  # "ghost": an id no entity describes
    f = holders(ents, hs)
    assert f.countries("us") == ()
    assert f.nearest("us") == ()
    # headquarters count when no jurisdiction is stated
    assert holders(ents, [*hs, hold("hq-only", "us", 1)]).countries("us") == ("JP",)


def test_a_us_only_chain_has_no_foreign_holders() -> None:
    ents = [org("top"), org("mid", "PR"), org("us"), person("citizen", nationalities=("US",))]
    hs = [hold("citizen", "top", 100), hold("top", "mid", 100), hold("mid", "us", 100)]
    f = holders(ents, hs)
    assert [f.countries(x) for x in ("top", "mid", "us")] == [(), (), ()]
    assert f.nearest("us") == ()
    assert f.countries("not-in-the-graph") == () and f.nearest("not-in-the-graph") == ()


def test_organisations_and_states_by_jurisdiction_then_headquarters() -> None:
    def org_(country: str | None, **kw: object) -> Entity:
        return org("x", country, **kw)

    assert non_us_countries(org_("US", headquarters=("JP",)), DOMESTIC) == ()  # organised under US law
    assert non_us_countries(org_("JP", headquarters=("US",)), DOMESTIC) == ("JP",)
    assert non_us_countries(org_(None, headquarters=("US", "JP")), DOMESTIC) == ()  # based in the US
    assert non_us_countries(org_(None, headquarters=("JP", "DE")), DOMESTIC) == ("DE", "JP")
    state = Entity("s", "State body (project-made)", kind="state", nationalities=("CN",))
    assert non_us_countries(state, DOMESTIC) == ("CN",)


def test_more_than_sixty_four_countries() -> None:
    codes = [c for c in ("".join(p) for p in product("ABC", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) if c not in DOMESTIC][:70]
    ents = [org("us"), org("mid"), *(org(f"h{c}", c) for c in codes)]
    hs = [hold("mid", "us", 100), *(hold(f"h{c}", "mid", 1) for c in codes)]
    f = holders(ents, hs)
    assert f.countries("us") == tuple(sorted(codes))
    assert [n.entity for n in f.nearest("us")] == [f"h{c}" for c in sorted(codes)]


# ---- property: the same countries as a plain walk up the holdings, on random graphs with cycles ------------

COUNTRIES = ["US", "US", "PR", "JP", "DE", "CN", None]


def _reference(entities: list[Entity], holdings: list[Holding], target: str) -> tuple[tuple[str, ...], dict[str, int]]:
    """Countries of every holder reached walking up from ``target`` (itself included only through a cycle),
    and the fewest links to a holder of each country."""
    by_id = {e.id: e for e in entities}
    up: dict[str, list[str]] = {}
    for h in holdings:
        if h.active(AS_OF) and h.holder != h.subject:
            up.setdefault(h.subject, []).append(h.holder)
    dist: dict[str, int] = {}
    queue = deque([(target, 0)])
    seen = {target}
    while queue:
        node, d = queue.popleft()
        for holder in up.get(node, []):
            if holder not in dist:
                dist[holder] = d + 1
            if holder not in seen:
                seen.add(holder)
                queue.append((holder, d + 1))
    nearest: dict[str, int] = {}
    for holder, d in dist.items():
        entity = by_id.get(holder)
        for c in non_us_countries(entity, DOMESTIC) if entity else ():
            nearest[c] = min(d, nearest.get(c, d))
    return tuple(sorted(nearest)), nearest


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Entity], list[Holding]]:
    n = draw(st.integers(1, 9))
    ents = []
    for i in range(n):
        if draw(st.booleans()):
            ents.append(org(f"e{i}", draw(st.sampled_from(COUNTRIES))))
        else:
            ents.append(person(f"e{i}", nationalities=tuple(draw(st.lists(st.sampled_from(["US", "JP", "FR"]),
                                                                          max_size=2))),
                               us_person=draw(st.booleans())))
    ids = [e.id for e in ents] + ["ghost"]
    holdings = []
    for _ in range(draw(st.integers(0, 18))):
        end = draw(st.sampled_from([None, None, None, date(2025, 1, 1)]))
        holdings.append(hold(draw(st.sampled_from(ids)), draw(st.sampled_from(ids[:-1])), 10.0, end=end))
    return ents, holdings


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_countries_and_nearest_distances_equal_a_plain_walk_up(graph: tuple[list[Entity], list[Holding]]) -> None:
    ents, holdings = graph
    f = holders(ents, holdings)
    in_force = {(h.holder, h.subject) for h in holdings if h.active(AS_OF) and h.holder != h.subject}
    for e in ents:
        countries, distance = _reference(ents, holdings, e.id)
        assert f.countries(e.id) == countries, e.id
        near = f.nearest(e.id)
        assert [n.country for n in near] == list(countries)
        for n in near:
            assert len(n.path) - 1 == distance[n.country]
            assert n.path[0].entity == n.entity and n.path[-1].entity == e.id
            assert all((a.entity, b.entity) in in_force for a, b in zip(n.path, n.path[1:], strict=False))
