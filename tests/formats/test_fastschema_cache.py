"""A compiled-validator cache file that is stale or damaged is rebuilt, never fatal (test data made here)."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from cvcomply.formats import fastschema

SCHEMA = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
          "properties": {"n": {"type": "integer"}}, "required": ["n"]}


@pytest.mark.parametrize("garbage", [marshal.dumps((1, 2)), b"not marshal at all", marshal.dumps(("x", [], []))])
def test_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, garbage: bytes) -> None:
    monkeypatch.setenv("CVCOMPLY_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(fastschema, "_compiled", {})
    check = fastschema.compiled_validator("t", SCHEMA, {})
    assert check({"n": 1}) and not check({"n": "x"})
    files = list(tmp_path.rglob("*.marshal"))
    assert files, "the compiled validator is cached on disk"
    for f in files:
        f.write_bytes(garbage)
    monkeypatch.setattr(fastschema, "_compiled", {})
    check = fastschema.compiled_validator("t", SCHEMA, {})
    assert check({"n": 1}) and not check({"n": "x"})
