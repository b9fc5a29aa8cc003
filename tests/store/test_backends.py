"""The Store interface on both backends: migrations, transactions; URL parsing (pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvcomply.formats.errors import InputError
from cvcomply.store import Store, open_store
from cvcomply.store.migrations import MIGRATIONS
from cvcomply.store.url import parse_url, user_data_dir


def test_migrations_apply_once_and_in_order(store: Store) -> None:
    assert store.schema_version() == MIGRATIONS[-1].version
    assert store.migrate() == []  # idempotent: nothing left to apply
    with store.transaction() as tx:
        rows = tx.query("SELECT version FROM schema_migrations ORDER BY version")
    assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]


def test_reopening_keeps_data_and_applies_nothing(store_url: str) -> None:
    with open_store(store_url) as s, s.transaction() as tx:
        tx.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?)", ("h", 1, b"x"))
    with open_store(store_url) as s:
        assert s.migrate() == []
        with s.transaction() as tx:
            assert tx.query("SELECT size FROM blobs WHERE sha256 = ?", ("h",)) == [(1,)]


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?)", ("h", 1, b"x"))
        raise RuntimeError("fail mid-way")
    with store.transaction() as tx:
        assert tx.scalar("SELECT count(*) FROM blobs") == 0


def test_bulk_insert_takes_nulls_and_many_rows(store: Store) -> None:
    n = 5000
    with store.transaction() as tx:
        tx.bulk_insert("run_inputs", {"run_id": ["r"] * n, "kind": ["bom"] * n, "path": [f"p{i}" for i in range(n)],
                                      "sha256": ["x"] * n})
        tx.execute("CREATE TEMP TABLE t (a TEXT, b BOOLEAN)" if tx.dialect.name == "duckdb"
                   else "CREATE TEMP TABLE t (a TEXT, b BOOLEAN) ON COMMIT DROP")
        tx.bulk_insert("t", {"a": ["x", None, "z"], "b": [True, False, True]})
        assert tx.query("SELECT a, b FROM t ORDER BY a NULLS FIRST") == [(None, False), ("x", True), ("z", True)]
        assert tx.scalar("SELECT count(*) FROM run_inputs") == n


def test_url_forms(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    assert parse_url(None, env).target == str(tmp_path / "data" / "cvcomply" / "cvcomply.duckdb")
    assert parse_url("duckdb:///abs/x.duckdb", env).target == "/abs/x.duckdb"
    assert parse_url("duckdb://rel/x.duckdb", env).target == "rel/x.duckdb"
    assert parse_url("duckdb:///:memory:", env).target == ":memory:"
    assert parse_url(None, {**env, "CVCOMPLY_DATABASE_URL": "postgresql://u@h/db"}).backend == "postgresql"
    assert parse_url("postgres://u:secret@h/db", env).backend == "postgresql"
    assert "secret" not in str(parse_url("postgresql://u:secret@h/db", env))
    with pytest.raises(InputError):
        parse_url("mysql://x", env)
    assert user_data_dir({"HOME": "/h"}, "darwin") == Path("/h/Library/Application Support/cvcomply")
    assert user_data_dir({"HOME": "/h", "LOCALAPPDATA": "/l"}, "win32") == Path("/l/cvcomply")
