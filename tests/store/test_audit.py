"""The audit chain finds an edited, a deleted and a reordered row; PostgreSQL refuses edits outright."""

from __future__ import annotations

import datetime as dt

import pytest

from cvcomply.model import Decision
from cvcomply.store import Store, add_decisions, all_decisions, verify_audit
from cvcomply.store import audit as audit_mod


def _decision(i: int) -> Decision:
    return Decision("match", "reviewer", dt.datetime(2026, 5, 1, 9, i, tzinfo=dt.UTC), f"checked #{i}",
                    party=f"Party {i}", entity=f"e{i}", verdict="confirm")


def _filled(store: Store, n: int = 5) -> None:
    add_decisions(store, [_decision(i) for i in range(n)], actor="tester")


def _tamper(store: Store, sql: str, params: tuple[object, ...] = ()) -> None:
    """Change rows behind the store's back (on PostgreSQL the append-only trigger must be disabled first)."""
    with store.transaction() as tx:
        if tx.dialect.name == "postgresql":
            tx.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_append_only")
        tx.execute(sql, params)


def test_an_intact_chain_verifies_and_decisions_are_append_only(store: Store) -> None:
    _filled(store)
    check = verify_audit(store)
    assert check.ok and check.entries == 5
    assert verify_audit(store, expect_head=check.head).ok
    assert add_decisions(store, [_decision(0)]) == []  # the same decision again adds nothing
    assert [d.why for d in all_decisions(store)] == [f"checked #{i}" for i in range(5)]


def test_an_edited_row_is_found(store: Store) -> None:
    _filled(store)
    _tamper(store, "UPDATE audit_log SET actor = ? WHERE seq = ?", ("mallory", 3))
    check = verify_audit(store)
    assert not check.ok and any("entry 3" in p and "edited" in p for p in check.problems)


def test_an_edited_payload_is_found_even_with_the_same_json_meaning_elsewhere(store: Store) -> None:
    _filled(store)
    with store.transaction() as tx:
        payload = tx.scalar("SELECT payload FROM audit_log WHERE seq = ?", (2,))
    _tamper(store, "UPDATE audit_log SET payload = ? WHERE seq = ?", (payload.replace("confirm", "reject"), 2))
    assert not verify_audit(store).ok


def test_a_deleted_row_is_found(store: Store) -> None:
    _filled(store)
    _tamper(store, "DELETE FROM audit_log WHERE seq = ?", (2,))
    check = verify_audit(store)
    assert not check.ok and any("entry 3" in p for p in check.problems)


def test_a_reordering_is_found(store: Store) -> None:
    _filled(store)
    _tamper(store, "UPDATE audit_log SET seq = ? WHERE seq = ?", (100, 2))
    _tamper(store, "UPDATE audit_log SET seq = ? WHERE seq = ?", (2, 4))
    _tamper(store, "UPDATE audit_log SET seq = ? WHERE seq = ?", (4, 100))
    assert not verify_audit(store).ok


def test_cutting_the_newest_entry_is_found_against_a_recorded_head(store: Store) -> None:
    _filled(store)
    head = verify_audit(store).head
    _tamper(store, "DELETE FROM audit_log WHERE seq = ?", (5,))
    assert verify_audit(store).ok  # a shorter chain is still a chain …
    assert not verify_audit(store, expect_head=head).ok  # … but not the one recorded


def test_postgres_refuses_updates_and_deletes(store: Store) -> None:
    if store.dialect.name != "postgresql":
        pytest.skip("DuckDB has no triggers; tampering there is found by the chain (tests above)")
    import psycopg

    _filled(store, 1)
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM decisions"):
        with pytest.raises(psycopg.errors.RaiseException), store.transaction() as tx:
            tx.execute(sql)
    assert audit_mod.verify(store).ok
