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
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Literal

import orjson

from cvcomply.model import Entity, Holding, ListEntry, OwnershipFacts
from cvcomply.store import audit
from cvcomply.store import dialect as q
from cvcomply.store.backends import Store, Tx, utc_now
from cvcomply.store.codec import entity_from, holding_from, list_entry_from, loads

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
    """An entity's key is its id — except a bare withholding marker (a GLEIF reporting exception: only the LEI
    and the reason, filed apart from the LEI record), which is a fact of its own: it must neither replace the
    LEI record's entity (name, jurisdiction) nor be replaced by it. The registry merges the two by the LEI."""
    if e.ownership_withheld and e.name == e.id and not (e.jurisdiction or e.headquarters or e.aliases):
        return f"{e.id}|withheld"
    return e.id


def holding_key(h: Holding) -> str:
    """A holding is the same fact while holder, subject, kind of interest and start stay the same."""
    return f"{h.holder}|{h.subject}|{h.interest}|{h.start.isoformat() if h.start else ''}"


def list_entry_key(x: ListEntry) -> str:
    return f"{x.list_name}|{x.name}|{x.entity or ''}"


Fact = Entity | Holding | ListEntry
CHUNK = 20_000
"""Facts staged per bulk insert: the staging memory is bounded by this, whatever the size of the source."""


def fact_payload(fact: Fact) -> bytes:
    """A fact's stored JSON, whose SHA-256 is its content hash.

    orjson writes a dataclass in field order, which the model fixes (fields are only ever added, with
    defaults), so this is one byte string per value without the cost of re-sorting keys (half the load time
    at registry scale). Readers go by key, never by position.
    """
    return orjson.dumps(fact)


def _stage_chunk(chunk: list[Fact], seq0: int, closed: frozenset[str]) -> dict[str, list[Any]]:
    """Column-wise staging rows of one chunk; ``seq`` keeps source order (the later statement of a key wins)."""
    payloads = [fact_payload(f) for f in chunk]
    kinds: list[str] = []
    keys: list[str] = []
    entity_ids: list[str | None] = []
    holders: list[str | None] = []
    subjects: list[str | None] = []
    records: list[str | None] = []
    for f in chunk:
        if isinstance(f, Holding):
            kinds.append("holding"); keys.append(holding_key(f))  # noqa: E702
            entity_ids.append(None); holders.append(f.holder); subjects.append(f.subject)  # noqa: E702
            records.append(f.source.record_id if f.source else None)
        elif isinstance(f, Entity):
            kinds.append("entity"); keys.append(entity_key(f))  # noqa: E702
            entity_ids.append(f.id); holders.append(None); subjects.append(None)  # noqa: E702
            records.append(next((s.record_id for s in f.sources if s.record_id), None))
        else:
            kinds.append("list_entry"); keys.append(list_entry_key(f))  # noqa: E702
            entity_ids.append(f.entity); holders.append(None); subjects.append(None)  # noqa: E702
            records.append(f.source.record_id if f.source else None)
    return {"seq": list(range(seq0, seq0 + len(chunk))), "kind": kinds, "fact_key": keys,
            "content_hash": [hashlib.sha256(p).hexdigest() for p in payloads], "entity_id": entity_ids,
            "holder": holders, "subject": subjects, "payload": [p.decode() for p in payloads], "record_id": records,
            "closing": [r is not None and r in closed for r in records]}


def _records(facts: OwnershipFacts) -> Iterator[Fact]:
    yield from facts.entities
    yield from facts.holdings
    yield from facts.list_entries


def _stage(tx: Tx, records: Iterable[Fact], closed: frozenset[str], chunk_size: int) -> dict[str, int]:
    """Stage ``records`` chunk by chunk (never all in memory at once); returns counts per kind."""
    counts = {"entity": 0, "holding": 0, "list_entry": 0}
    it = iter(records)
    seq = 0
    while chunk := list(islice(it, chunk_size)):
        cols = _stage_chunk(chunk, seq, closed)
        for k in cols["kind"]:
            counts[k] += 1
        tx.bulk_insert("stage", cols)
        seq += len(chunk)
        del chunk, cols
    if tx.scalar(q.STAGE_HAS_DUPLICATES):
        tx.execute(q.STAGE_DROP_EARLIER)
    return counts


def _load_one(tx: Tx, header: OwnershipFacts, records: Iterable[Fact], actor: str, step: Step,
              chunk_size: int) -> LoadResult:
    digest = header.sha256
    known = tx.query(q.SOURCE_BY_SHA, (digest,))
    if known:
        return LoadResult(header.source, digest, header.format, "unchanged", known[0][2])
    now = utc_now()
    closed = frozenset(header.closed_records)
    tx.execute(tx.dialect.drop_temp("stage"))
    tx.execute(tx.dialect.create_temp("stage", q.STAGE_DDL))
    tx.execute(tx.dialect.drop_temp("stage_closed"))
    tx.execute(tx.dialect.create_temp("stage_closed", "record_id TEXT"))
    counts = _stage(tx, records, closed, chunk_size)
    tx.bulk_insert("stage_closed", {"record_id": sorted(closed)})
    for stmt in tx.dialect.analyze(("stage", "stage_closed")):
        tx.execute(stmt)
    step("staged")
    unchanged = int(tx.scalar(q.STAGE_COUNT_UNCHANGED))
    updated = int(tx.scalar(q.STAGE_COUNT_UPDATED))
    closed_n = int(tx.scalar(q.FACTS_COUNT_TO_CLOSE))
    tx.execute(q.FACTS_CLOSE_RECORDS, (now, digest))
    tx.execute(q.FACTS_SUPERSEDE, (now, digest))
    step("superseded")
    inserted = int(tx.scalar(q.STAGE_COUNT_NEW))
    tx.execute(q.FACTS_INSERT_NEW, (digest, header.source, header.format, now))
    step("inserted")
    result = LoadResult(header.source, digest, header.format, "loaded", now, counts["entity"], counts["holding"],
                        counts["list_entry"], added=inserted - updated, updated=updated, closed=closed_n,
                        unchanged=unchanged)
    tx.execute(q.SOURCE_INSERT, (digest, header.source, header.format, now, result.entities, result.holdings,
                                 result.list_entries, result.added, result.updated, result.closed, result.unchanged))
    audit.append(tx, "registry.load", {"file": header.source, "sha256": digest, "format": header.format,
                                       "added": result.added, "updated": result.updated, "closed": result.closed,
                                       "unchanged": result.unchanged}, actor=actor, subject=digest)
    tx.execute(tx.dialect.drop_temp("stage"))
    tx.execute(tx.dialect.drop_temp("stage_closed"))
    step("recorded")
    return result


def _check_hash(header: OwnershipFacts) -> None:
    if not header.sha256:
        raise ValueError(f"{header.source}: the source has no content hash; it cannot be loaded idempotently")


Stream = tuple[OwnershipFacts, Iterable[Fact]]
"""A source whose facts come from an iterator (a streaming reader such as ``iter_gleif``): the header names
the source (file, format, sha256, closed_records; its own fact tuples are ignored), the iterator its facts."""


def load_ownership(store: Store, sources: Sequence[OwnershipFacts | Stream], *, actor: str = "cvcomply",
                   step: Step | None = None, chunk_size: int = CHUNK) -> list[LoadResult]:
    """Load sources in ONE transaction: all or nothing.

    A source is parsed facts, or a :data:`Stream` (memory then stays bounded by ``chunk_size`` facts however
    large the file). A source whose sha256 is already in the store is reported ``unchanged`` and touches
    nothing. Sources need ``sha256`` set (the content hash of the file; readers set it); the records a
    source closes (``closed_records``) end the store's current facts from those records.
    """
    pairs = [(s, _records(s)) if isinstance(s, OwnershipFacts) else s for s in sources]
    for header, _ in pairs:
        _check_hash(header)
    results: list[LoadResult] = []
    with store.transaction() as tx:
        tx.lock("registry")
        for header, records in pairs:
            results.append(_load_one(tx, header, records, actor, step or (lambda _: None), chunk_size))
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
        rows = tx.stream(q.FACTS_CURRENT) if known_at is None else tx.stream(q.FACTS_KNOWN_AT, (known_at, known_at))
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
