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
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

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
