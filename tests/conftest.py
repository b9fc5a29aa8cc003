"""Test-wide set-up.

Fixture strategy: tests make their own data (tests/programs.py, per-area helpers) and read third-party
conformance files from ../shared/fixtures, skipping with a reason where that folder is absent. The CLI
saves every screening to the store (DESIGN.md §5); here it saves into a throw-away DuckDB file, never the
user's own store, unless a test sets CVCOMPLY_DATABASE_URL itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def _throwaway_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    old = os.environ.get("CVCOMPLY_DATABASE_URL")
    path = Path(tmp_path_factory.mktemp("store")) / "runs.duckdb"
    os.environ["CVCOMPLY_DATABASE_URL"] = f"duckdb:///{path}"
    yield
    if old is None:
        os.environ.pop("CVCOMPLY_DATABASE_URL", None)
    else:
        os.environ["CVCOMPLY_DATABASE_URL"] = old
