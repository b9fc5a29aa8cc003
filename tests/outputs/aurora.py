"""The invented Aurora example program (examples/aurora, made by this project), screened once per test session."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from cvcomply.model import Report

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "examples" / "aurora" / "program.yaml"


@lru_cache(maxsize=1)
def _screen() -> Report:
    from cvcomply.screen import screen

    return screen(str(MANIFEST))


def aurora_report() -> Report:
    if not MANIFEST.exists():
        pytest.skip("examples/aurora is absent")
    return _screen()
