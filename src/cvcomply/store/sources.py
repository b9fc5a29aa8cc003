"""Reading registry files at the edge for ``registry load``: the facts, their content hash, the records they close.

The facts come from ``formats.detect.read_ownership`` (format detected from content). What our model has no
field for is which earlier records a file *closes*: BODS 0.4 ``recordStatus: "closed"`` (by ``recordId``) and
BODS 0.2/0.3 ``replacesStatements`` (by ``statementID``). That small reading lives here until the BODS
reader exposes it.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson

from cvcomply.formats.errors import InputError
from cvcomply.model import OwnershipFacts


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError as e:
        raise InputError(path, "", f"cannot read the file: {e.strerror}", fix="check the path") from None
    return h.hexdigest()


def _statements(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [s for s in data if isinstance(s, dict)]
    return []


def closed_records(raw: bytes) -> set[str]:
    """Record ids a BODS file closes or replaces; empty for anything else (JSON lines accepted too)."""
    try:
        statements = _statements(orjson.loads(raw))
    except orjson.JSONDecodeError:
        statements = []
        for line in raw.splitlines():
            try:
                statements.extend(_statements([orjson.loads(line)]))
            except orjson.JSONDecodeError:
                return set()
    out: set[str] = set()
    for s in statements:
        if s.get("recordStatus") == "closed" and isinstance(s.get("recordId"), str):
            out.add(s["recordId"])
        for old in s.get("replacesStatements") or ():
            if isinstance(old, str):
                out.add(old)
    return out


def read_source(path: str) -> tuple[OwnershipFacts, set[str]]:
    """One registry file: its facts (with the sha256 of its bytes) and the records it closes."""
    from cvcomply.formats.detect import read_ownership

    facts = read_ownership(path)
    raw = Path(path).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if facts.sha256 != digest:
        facts = replace(facts, sha256=digest)
    return facts, closed_records(raw)
