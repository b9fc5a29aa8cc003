"""Fixtures of the formats tests.

Strategy: behaviour is pinned by small inline JSON documents written by this project (each test says
so); conformance is checked against third-party files read in place from ``../shared/fixtures``
(never copied here) and skipped with a reason when that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"


@pytest.fixture
def shared() -> Path:
    """The third-party fixture folder, or skip."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"third-party fixtures not found at {SHARED_FIXTURES}")
    return SHARED_FIXTURES.resolve()
