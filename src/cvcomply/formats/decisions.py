"""The reviewer decisions file (``cvcomply_decisions: 1``): append-only judgements, checked on read.

Shape (one entry per judgement; later entries never edit earlier ones)::

    cvcomply_decisions: 1
    decisions:
      - kind: match            # match | nexus | direction
        party: "Nordlicht Telematik"   # match: the party name as the BOM gives it
        country: DE            # match: optional stated country; direction: the adversary country
        entity: "<registry entity id>"
        verdict: confirm       # match: confirm | reject; nexus: covered | clear
        by: j.doe@example.com
        at: 2026-10-01T09:30:00Z
        why: "Confirmed against the registration certificate"

:func:`append_decisions` adds entries at the end and never rewrites an earlier byte: the new file is the
old file's bytes followed by the new entries, written to a temporary file beside it and renamed over it
(atomic on POSIX), so a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import yaml

from cvcomply.formats.errors import InputError
from cvcomply.formats.yamlutil import load_yaml, schema_issues
from cvcomply.model import Decision, DecisionKind, SourceRef


def _at(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def read_decisions(path: str) -> tuple[Decision, ...]:
    """Read a decisions file; raise :class:`InputError` listing every problem found."""
    doc = load_yaml(path)
    if not isinstance(doc.data, dict) or doc.data.get("cvcomply_decisions") != 1:
        raise InputError(path, "/", "not a cvcomply decisions file ('cvcomply_decisions: 1' missing)",
                         fix="start the file with 'cvcomply_decisions: 1' and a 'decisions:' list")
    issues = schema_issues(doc, "decisions-v1.schema.json",
                           lambda p, m: "each decision needs kind, by, at, why; see formats/decisions.py")
    if issues:
        raise InputError(path, issues[0].location, issues[0].message, issues[0].fix, issues=tuple(issues))
    out = []
    for i, d in enumerate(doc.data["decisions"]):
        try:
            at = _at(d["at"])
        except ValueError as e:
            raise InputError(path, doc.where(f"/decisions/{i}/at"), f"{d['at']!r} is not a date-time",
                             fix="write it as 2026-10-01T09:30:00Z") from e
        out.append(Decision(
            kind=cast(DecisionKind, d["kind"]), by=d["by"], at=at, why=d["why"], party=d.get("party"),
            country=(d.get("country") or "").upper() or None, entity=d.get("entity"), verdict=d.get("verdict"),
            source=SourceRef(path, f"/decisions/{i}"),
        ))
    return tuple(out)


HEADER = "cvcomply_decisions: 1\ndecisions:\n"
_ITEM_INDENT = re.compile(r"^decisions:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*([ \t]*)- ", re.MULTILINE)


def _entry(d: Decision) -> dict[str, Any]:
    at = d.at if d.at.tzinfo else d.at.replace(tzinfo=dt.UTC)
    out: dict[str, Any] = {"kind": d.kind}
    for key, value in (("party", d.party), ("country", d.country), ("entity", d.entity), ("verdict", d.verdict)):
        if value is not None:
            out[key] = value
    out.update(by=d.by, at=at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"), why=d.why)
    return out


def append_decisions(path: str, decisions: Sequence[Decision]) -> None:
    """Append decisions to a decisions file (created if absent), atomically and without touching old entries.

    Raises :class:`InputError` when the existing file is not a valid decisions file, or when its layout
    (e.g. a flow-style ``decisions: [...]`` list) cannot take an appended block entry — then it says how
    to fix it; nothing is written in either case.
    """
    if not decisions:
        return
    target = Path(path)
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    header_only = yaml.safe_load(old) == {"cvcomply_decisions": 1, "decisions": None} if old else False
    before = len(read_decisions(path)) if old and not header_only else 0
    if not old:
        base, indent = HEADER, ""
    else:
        found = _ITEM_INDENT.search(old)
        if found is None and before:
            raise InputError(path, "/decisions", "the decisions list is not written as a YAML block list",
                             fix="write each decision as a '- kind: …' entry under 'decisions:'")
        indent = found.group(1) if found else ""
        base = old if old.endswith("\n") else old + "\n"
        if not before and not re.search(r"^decisions:[ \t]*(#.*)?$", base, re.MULTILINE):
            raise InputError(path, "/decisions", "an empty decisions list that is not 'decisions:' on its own line",
                             fix="write the line 'decisions:' (no '[]') and record again")
    block = yaml.safe_dump([_entry(d) for d in decisions], allow_unicode=True, sort_keys=False, width=1_000)
    text = base + "".join(indent + line + "\n" for line in block.splitlines())
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent.resolve()))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if len(read_decisions(tmp)) != before + len(decisions):
            raise InputError(path, "/decisions", "appending would not add the decisions as separate entries",
                             fix="check the file's layout: 'decisions:' followed by '- kind: …' entries")
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
