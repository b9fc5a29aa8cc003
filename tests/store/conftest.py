"""Fixture strategy: every store test takes ``store`` and runs once per backend (duckdb, postgres).

DuckDB: a fresh file under pytest's tmp_path. PostgreSQL: a fresh schema per test on the server named by
``CVCOMPLY_TEST_PG_URL`` (under CI=true, default ``postgresql://postgres@127.0.0.1:5432/test``, and an
unreachable server FAILS the run); without either the postgres cases are skipped with how to enable them.
All data here is made by the project for these tests.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

from cvcomply.store import Store, open_store

CI_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
HOW = "start PostgreSQL and set CVCOMPLY_TEST_PG_URL=postgresql://user@127.0.0.1:5432/test to run the postgres cases"


def pg_base_url() -> str | None:
    url = os.environ.get("CVCOMPLY_TEST_PG_URL")
    if url:
        return url
    return CI_DEFAULT if os.environ.get("CI") == "true" else None


def with_search_path(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose search_path is a brand-new schema (dropped afterwards)."""
    base = pg_base_url()
    if base is None:
        pytest.skip(HOW)
    import psycopg

    try:
        admin = psycopg.connect(base, autocommit=True)
    except psycopg.OperationalError as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL at {base} is unreachable: {e}")
        pytest.skip(f"PostgreSQL at {base} is unreachable ({e}); {HOW}")
    schema = f"cvt_{secrets.token_hex(6)}"
    admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(base, schema)
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


@pytest.fixture(params=["duckdb", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "duckdb":
        return f"duckdb://{tmp_path_factory.mktemp('store') / 'test.duckdb'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    try:
        yield s
    finally:
        s.close()
