"""The audit log: append-only, every entry hashes its predecessor, so any edit, deletion or reordering shows.

``hash = sha256(canonical JSON of {seq, at, actor, action, subject, payload, prev})`` with ``prev`` the hash of
the entry before (64 zeros for the first). ``verify`` recomputes the chain from the rows alone. Deleting the
newest entries leaves a valid shorter chain; that is caught by comparing the head hash with one recorded
elsewhere (``expect_head``; every bundle carries the head at its making).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cvcomply.store import dialect as q
from cvcomply.store.backends import Row, Store, Tx, utc_now
from cvcomply.store.codec import canonical, loads, sha256

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    subject: str | None
    payload: str  # canonical JSON text
    prev_hash: str
    hash: str

    @classmethod
    def from_row(cls, row: Row) -> AuditEntry:
        return cls(int(row[0]), row[1], row[2], row[3], row[4], row[5], row[6], row[7])

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at, "actor": self.actor, "action": self.action, "subject": self.subject,
                "payload": loads(self.payload), "prev_hash": self.prev_hash, "hash": self.hash}


def entry_hash(seq: int, at: str, actor: str, action: str, subject: str | None, payload: str, prev: str) -> str:
    """The hash an entry must carry: over its own fields (payload parsed, so spacing cannot matter) and ``prev``."""
    body = {"seq": seq, "at": at, "actor": actor, "action": action, "subject": subject, "payload": loads(payload),
            "prev": prev}
    return sha256(canonical(body))


def append(tx: Tx, action: str, payload: Mapping[str, Any], *, actor: str, subject: str | None = None) -> AuditEntry:
    """Append one entry inside ``tx`` (writers are serialised, so two processes never fork the chain)."""
    tx.lock("audit_log")
    head = tx.query(q.AUDIT_HEAD)
    seq, prev = (int(head[0][0]) + 1, head[0][1]) if head else (1, GENESIS)
    at, text = utc_now(), canonical(dict(payload)).decode()
    entry = AuditEntry(seq, at, actor, action, subject, text, prev, entry_hash(seq, at, actor, action, subject,
                                                                                text, prev))
    tx.execute(q.AUDIT_INSERT, (entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.payload,
                                entry.prev_hash, entry.hash))
    return entry


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """What ``verify`` found: ``ok`` only when there is no problem at all."""

    entries: int
    head: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_chain(entries: Sequence[AuditEntry], *, first_prev: str = GENESIS, first_seq: int = 1,
                expect_head: str | None = None) -> ChainCheck:
    """Check a run of consecutive entries (the whole log, or a bundle's segment starting at ``first_seq``)."""
    problems: list[str] = []
    prev, want_seq = first_prev, first_seq
    for e in entries:
        if e.seq != want_seq:
            what = "missing" if e.seq > want_seq else "out of order or duplicated"
            problems.append(f"entry {e.seq}: expected entry {want_seq} here (entries {what})")
        if e.prev_hash != prev:
            problems.append(f"entry {e.seq}: its link to the entry before does not match (an entry before it was "
                            "deleted, inserted, reordered or edited)")
        if entry_hash(e.seq, e.at, e.actor, e.action, e.subject, e.payload, e.prev_hash) != e.hash:
            problems.append(f"entry {e.seq}: its content does not match its hash (the row was edited)")
        prev, want_seq = e.hash, e.seq + 1
    if expect_head is not None and prev != expect_head:
        problems.append(f"the newest entry's hash is {prev}, not the expected {expect_head} (entries were removed "
                        "from the end, or the log is another one)")
    return ChainCheck(len(entries), prev, tuple(problems))


def entries(store: Store, first: int | None = None, last: int | None = None) -> list[AuditEntry]:
    with store.transaction() as tx:
        rows = tx.query(q.AUDIT_ALL) if first is None else tx.query(q.AUDIT_RANGE, (first, last or 2**62))
    return [AuditEntry.from_row(r) for r in rows]


def verify(store: Store, *, expect_head: str | None = None) -> ChainCheck:
    """Recompute the whole chain from the stored rows."""
    return check_chain(entries(store), expect_head=expect_head)
