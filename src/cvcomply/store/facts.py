"""The registry in the store: atomic, idempotent loads with provenance per fact, and history kept.

Every fact (entity, holding, list entry) has a stable key and a content hash. Loading a source stages
its facts, then, in one transaction: versions the source changes are closed (``valid_to``), new versions
are inserted (``valid_from``), records the source closes (BODS ``recordStatus: closed``, statements
replaced by ``replacesStatements``) are closed. Nothing is deleted, so the registry can be read back as it
stood at any earlier moment (``load_facts(known_at=…)``). A source whose content hash is already loaded
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from cvcomply.model import Entity, Holding, ListEntry, OwnershipFacts
from cvcomply.store import audit
from cvcomply.store import dialect as q
from cvcomply.store.backends import Store, Tx, utc_now
from cvcomply.store.codec import canonical, entity_from, holding_from, list_entry_from, loads, sha256

Step = Callable[[str], None]
"""Called with the name of each step of a load inside its transaction (progress; tests kill a load here)."""


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one ``registry load`` of one source did."""

    file: str
    sha256: str
    format: str
    status: Literal["loaded", "unchanged"]
    loaded_at: str
    entities: int = 0
    holdings: int = 0
    list_entries: int = 0
    added: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0


def entity_key(e: Entity) -> str:
    return e.id


def holding_key(h: Holding) -> str:
    """A holding is the same fact while holder, subject, kind of interest and start stay the same."""
    return f"{h.holder}|{h.subject}|{h.interest}|{h.start.isoformat() if h.start else ''}"


def list_entry_key(x: ListEntry) -> str:
    return f"{x.list_name}|{x.name}|{x.entity or ''}"


def _stage_columns(facts: OwnershipFacts, closed: Collection[str]) -> dict[str, list[Any]]:
    """Column-wise staging rows; within one source a later statement of the same key wins (BODS updates)."""
    rows: dict[tuple[str, str], tuple[Any, ...]] = {}

    def add(kind: str, key: str, obj: object, entity_id: str | None, holder: str | None, subject: str | None,
            record_id: str | None) -> None:
        payload = canonical(obj).decode()
        rows.pop((kind, key), None)
        rows[(kind, key)] = (kind, key, sha256(payload.encode()), entity_id, holder, subject, payload, record_id,
                             record_id is not None and record_id in closed)

    for e in facts.entities:
        rid = next((s.record_id for s in e.sources if s.record_id), None)
        add("entity", entity_key(e), e, e.id, None, None, rid)
    for h in facts.holdings:
        add("holding", holding_key(h), h, None, h.holder, h.subject, h.source.record_id if h.source else None)
    for x in facts.list_entries:
        add("list_entry", list_entry_key(x), x, x.entity, None, None, x.source.record_id if x.source else None)
    cols: dict[str, list[Any]] = {c: [] for c in q.STAGE_COLUMNS}
    for row in rows.values():
        for c, v in zip(q.STAGE_COLUMNS, row, strict=True):
            cols[c].append(v)
    return cols


def _load_one(tx: Tx, facts: OwnershipFacts, closed: Collection[str], actor: str, step: Step) -> LoadResult:
    digest = facts.sha256
    known = tx.query(q.SOURCE_BY_SHA, (digest,))
    if known:
        return LoadResult(facts.source, digest, facts.format, "unchanged", known[0][2])
    now = utc_now()
    tx.execute(tx.dialect.drop_temp("stage"))
    tx.execute(tx.dialect.create_temp("stage", q.STAGE_DDL))
    tx.execute(tx.dialect.drop_temp("stage_closed"))
    tx.execute(tx.dialect.create_temp("stage_closed", "record_id TEXT"))
    tx.bulk_insert("stage", _stage_columns(facts, closed))
    tx.bulk_insert("stage_closed", {"record_id": sorted(closed)})
    step("staged")
    unchanged = int(tx.scalar(q.STAGE_COUNT_UNCHANGED))
    updated = int(tx.scalar(q.STAGE_COUNT_UPDATED))
    closed_n = int(tx.scalar(q.FACTS_COUNT_TO_CLOSE))
    tx.execute(q.FACTS_CLOSE_RECORDS, (now, digest))
    tx.execute(q.FACTS_SUPERSEDE, (now, digest))
    step("superseded")
    before = int(tx.scalar("SELECT count(*) FROM facts"))
    tx.execute(q.FACTS_INSERT_NEW, (digest, facts.source, facts.format, now))
    inserted = int(tx.scalar("SELECT count(*) FROM facts")) - before
    step("inserted")
    result = LoadResult(facts.source, digest, facts.format, "loaded", now, len(facts.entities), len(facts.holdings),
                        len(facts.list_entries), added=inserted - updated, updated=updated, closed=closed_n,
                        unchanged=unchanged)
    tx.execute(q.SOURCE_INSERT, (digest, facts.source, facts.format, now, result.entities, result.holdings,
                                 result.list_entries, result.added, result.updated, result.closed, result.unchanged))
    audit.append(tx, "registry.load", {"file": facts.source, "sha256": digest, "format": facts.format,
                                       "added": result.added, "updated": result.updated, "closed": result.closed,
                                       "unchanged": result.unchanged}, actor=actor, subject=digest)
    tx.execute(tx.dialect.drop_temp("stage"))
    tx.execute(tx.dialect.drop_temp("stage_closed"))
    step("recorded")
    return result


def load_ownership(store: Store, sources: Sequence[tuple[OwnershipFacts, Collection[str]]], *,
                   actor: str = "cvcomply", step: Step | None = None) -> list[LoadResult]:
    """Load parsed sources (each with the record ids it closes) in ONE transaction: all or nothing.

    A source whose sha256 is already in the store is reported ``unchanged`` and touches nothing. Sources
    need ``sha256`` set (the content hash of the file; readers set it).
    """
    for facts, _ in sources:
        if not facts.sha256:
            raise ValueError(f"{facts.source}: the source has no content hash; it cannot be loaded idempotently")
    results: list[LoadResult] = []
    with store.transaction() as tx:
        tx.lock("registry")
        for facts, closed in sources:
            results.append(_load_one(tx, facts, closed, actor, step or (lambda _: None)))
    return results


# ---- reading back --------------------------------------------------------------------------------------------

def load_facts(store: Store, as_of: dt.date | None = None, *, known_at: str | None = None) -> list[OwnershipFacts]:
    """The registry as the store knows it, one OwnershipFacts per source, for ``Registry.build``.

    ``known_at`` (a store timestamp) gives the registry as it stood then (a past run's knowledge); ``as_of``
    (a date) the registry as known at the end of that day. Both None: the current versions. Which interests
    are in force at a screening date is for the engine to decide (DESIGN.md §3 reading 9), not this read.
    """
    if known_at is None and as_of is not None:
        known_at = f"{as_of.isoformat()}T23:59:59.999999Z"
    with store.transaction() as tx:
        rows = tx.query(q.FACTS_CURRENT) if known_at is None else tx.query(q.FACTS_KNOWN_AT, (known_at, known_at))
    return facts_from_rows(rows)


def facts_from_rows(rows: Iterable[tuple[Any, ...]]) -> list[OwnershipFacts]:
    """Group (kind, payload, source_sha256, source_file, format) rows into one OwnershipFacts per source."""
    by_source: dict[tuple[str, str, str], tuple[list[Entity], list[Holding], list[ListEntry]]] = {}
    for kind, payload, sha, file, fmt in rows:
        group = by_source.setdefault((file, sha, fmt), ([], [], []))
        data = loads(payload)
        if kind == "entity":
            group[0].append(entity_from(data))
        elif kind == "holding":
            group[1].append(holding_from(data))
        else:
            group[2].append(list_entry_from(data))
    return [OwnershipFacts(source=file, format=fmt, entities=tuple(es), holdings=tuple(hs), list_entries=tuple(ls),
                           sha256=sha)
            for (file, sha, fmt), (es, hs, ls) in sorted(by_source.items())]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    sha256: str
    file: str
    format: str
    loaded_at: str
    entities: int
    holdings: int
    list_entries: int
    added: int
    updated: int
    closed: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class RegistryStatus:
    sources: tuple[SourceInfo, ...]
    current: dict[str, int]  # kind → facts in force now
    historic: int  # versions kept as history (superseded or closed)
    last_loaded_at: str | None


def registry_status(store: Store) -> RegistryStatus:
    with store.transaction() as tx:
        sources = tuple(SourceInfo(*r) for r in tx.query(q.SOURCES_ALL))
        counts = {str(k): int(n) for k, n in tx.query(q.FACTS_COUNTS)}
        historic = int(tx.scalar(q.FACTS_HISTORIC))
    return RegistryStatus(sources, counts, historic, max((s.loaded_at for s in sources), default=None))


def changed_entities(store: Store, since: str) -> set[str]:
    """Entity ids whose facts (the entity, a holding it is in, a list entry on it) changed at or after ``since``."""
    with store.transaction() as tx:
        rows = tx.query(q.FACTS_CHANGED_SINCE, (since, since))
    return {v for r in rows for v in r[1:] if v}
