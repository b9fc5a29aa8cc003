"""Registry loads: atomic, idempotent by content hash, provenance per fact, updates and closures keep history."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cvcomply.registry import Registry
from cvcomply.store import Store, load_facts, load_ownership, registry_status
from cvcomply.store import audit as audit_mod
from cvcomply.store.backends import utc_now
from tests.store.factories import facts, org, stake

V1 = facts("owners-v1.json", org("p", "Parent Co", "CN"), org("s", "Supplier GmbH", "DE"),
           holdings=(stake("p", "s", 60),))


def test_load_then_read_back_as_a_registry(store: Store) -> None:
    [r] = load_ownership(store, [V1])
    assert (r.status, r.added, r.entities, r.holdings) == ("loaded", 3, 2, 1)
    [back] = load_facts(store)
    assert back.sha256 == V1.sha256 and back.source == "owners-v1.json"
    assert set(back.entities) == set(V1.entities) and back.holdings == V1.holdings  # nothing lost on the way
    reg = Registry.build(load_facts(store))
    assert reg.get("s") is not None and reg.holdings[0].share == 60


def test_same_content_twice_changes_nothing_and_says_so(store: Store) -> None:
    load_ownership(store, [V1])
    before = registry_status(store)
    [again] = load_ownership(store, [V1])
    assert again.status == "unchanged"
    assert registry_status(store) == before
    assert len(audit_mod.entries(store)) == 1  # only the first load was an event


def test_provenance_per_fact(store: Store) -> None:
    load_ownership(store, [V1])
    with store.transaction() as tx:
        rows = tx.query("SELECT kind, fact_key, source_file, source_sha256, format, record_id, valid_from FROM facts "
                        "ORDER BY kind, fact_key")
    assert [(r[0], r[1]) for r in rows] == [("entity", "p"), ("entity", "s"), ("holding", "p|s|shareholding|")]
    assert all(r[2] == "owners-v1.json" and r[3] == V1.sha256 and r[4] == "test" and r[6] for r in rows)
    assert rows[2][5] == "p-s"


def test_an_update_supersedes_and_keeps_the_old_version(store: Store) -> None:
    load_ownership(store, [V1])
    between = utc_now()
    v2 = facts("owners-v2.json", holdings=(stake("p", "s", 20, record="p-s-2"),))
    [r] = load_ownership(store, [v2])
    assert (r.updated, r.added, r.closed) == (1, 0, 0)
    now = Registry.build(load_facts(store))
    assert [h.share for h in now.holdings] == [20]
    then = Registry.build(load_facts(store, known_at=between))
    assert [h.share for h in then.holdings] == [60]  # the registry as it stood before the update
    assert registry_status(store).historic == 1


def test_a_closed_record_ends_the_fact(store: Store) -> None:
    load_ownership(store, [V1])
    closing = facts("owners-close.json")
    [r] = load_ownership(store, [replace(closing, closed_records=("p-s",))])  # BODS recordStatus: closed for record p-s
    assert r.closed == 1
    assert Registry.build(load_facts(store)).holdings == ()
    assert registry_status(store).current == {"entity": 2}


def test_a_failure_mid_load_leaves_the_previous_state(store: Store) -> None:
    load_ownership(store, [V1])
    before = registry_status(store)
    v2 = facts("owners-v2.json", org("n", "New Ltd", "GB"), holdings=(stake("p", "s", 10),))

    def fail(step: str) -> None:
        if step == "inserted":
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        load_ownership(store, [v2], step=fail)
    assert registry_status(store) == before
    assert [h.share for h in Registry.build(load_facts(store)).holdings] == [60]
    [r] = load_ownership(store, [v2])  # and a rerun completes
    assert r.status == "loaded"


def test_several_files_load_all_or_nothing(store: Store) -> None:
    a = facts("a.json", org("a", "A", "US"))
    bad = facts("b.json", org("b", "B", "US"))
    object.__setattr__(bad, "sha256", "")
    with pytest.raises(ValueError):
        load_ownership(store, [a, bad])
    assert registry_status(store).sources == ()


def test_within_one_file_the_later_statement_wins(store: Store) -> None:
    f = facts("dup.json", org("x", "Old Name", "US"), org("x", "New Name", "US"))
    load_ownership(store, [f])
    [back] = load_facts(store)
    assert [e.name for e in back.entities] == ["New Name"]
