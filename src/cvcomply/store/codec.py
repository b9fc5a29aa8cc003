"""Model objects to canonical JSON and back: the store keeps facts as our own types, not as rows of a format.

Canonical JSON (sorted keys, no spaces, ISO dates) gives one byte string per value, so its SHA-256 is a
stable content hash: the same fact loaded twice hashes the same, any change to it hashes differently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import orjson

from cvcomply.model import Decision, Entity, Holding, ListEntry, SourceRef


def canonical(value: Any) -> bytes:
    """Canonical JSON bytes: sorted keys at every level, compact; dataclasses, dates and tuples as JSON.

    orjson writes a dataclass in field order whatever the options, so a dataclass is first turned into
    plain JSON values and then written again with sorted keys.
    """
    return orjson.dumps(orjson.loads(orjson.dumps(value)), option=orjson.OPT_SORT_KEYS)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pairs(v: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in v or ())


def _src(v: Any) -> SourceRef | None:
    return SourceRef(v["file"], v.get("pointer", ""), v.get("record_id")) if v else None


def _day(v: Any) -> dt.date | None:
    return dt.date.fromisoformat(v) if v else None


def entity_from(d: dict[str, Any]) -> Entity:
    return Entity(
        id=d["id"], name=d["name"], kind=d.get("kind", "organization"), jurisdiction=d.get("jurisdiction"),
        headquarters=tuple(d.get("headquarters") or ()), nationalities=tuple(d.get("nationalities") or ()),
        residences=tuple(d.get("residences") or ()), us_person=bool(d.get("us_person")),
        aliases=tuple(d.get("aliases") or ()), identifiers=_pairs(d.get("identifiers")),
        ownership_withheld=d.get("ownership_withheld"),
        sources=tuple(s for s in (_src(x) for x in d.get("sources") or ()) if s is not None),
    )


def holding_from(d: dict[str, Any]) -> Holding:
    return Holding(
        holder=d["holder"], subject=d["subject"], interest=d["interest"], share=d.get("share"),
        share_min=d.get("share_min"), share_max=d.get("share_max"), majority=bool(d.get("majority")),
        direct=bool(d.get("direct", True)), start=_day(d.get("start")), end=_day(d.get("end")),
        source=_src(d.get("source")),
    )


def list_entry_from(d: dict[str, Any]) -> ListEntry:
    return ListEntry(
        list_name=d["list_name"], name=d["name"], countries=tuple(d.get("countries") or ()), entity=d.get("entity"),
        start=_day(d.get("start")), end=_day(d.get("end")), source=_src(d.get("source")),
    )


def decision_from(d: dict[str, Any]) -> Decision:
    return Decision(
        kind=d["kind"], by=d["by"], at=dt.datetime.fromisoformat(d["at"]), why=d["why"], party=d.get("party"),
        country=d.get("country"), entity=d.get("entity"), verdict=d.get("verdict"), source=_src(d.get("source")),
    )


def loads(data: str | bytes) -> Any:
    return orjson.loads(data)
