"""Reviewer decisions in the store: append-only rows (never updated or deleted), each one audited.

A decision is identified by the hash of its content, so recording the same decisions file twice adds
nothing; a later decision on the same party is a new row, and readers apply them in order.
"""

from __future__ import annotations

from collections.abc import Iterable

from cvcomply.model import Decision
from cvcomply.store import audit
from cvcomply.store import dialect as q
from cvcomply.store.backends import Store, Tx, utc_now
from cvcomply.store.codec import canonical, decision_from, loads, sha256


def record_decisions(tx: Tx, decisions: Iterable[Decision], *, actor: str) -> list[int]:
    """Append the decisions not yet recorded (inside ``tx``); returns their sequence numbers."""
    tx.lock("decisions")
    added: list[int] = []
    for d in decisions:
        payload = canonical(d)
        digest = sha256(payload)
        if tx.query(q.DECISION_BY_HASH, (digest,)):
            continue
        seq = int(tx.scalar(q.DECISION_NEXT))
        tx.execute(q.DECISION_INSERT, (seq, digest, d.kind, d.by, d.at.isoformat(), d.why, d.party, d.country,
                                       d.entity, d.verdict, payload.decode(), utc_now()))
        audit.append(tx, "decision.record", {"seq": seq, "sha256": digest, "decision": loads(payload)},
                     actor=actor, subject=d.entity or d.party)
        added.append(seq)
    return added


def add_decisions(store: Store, decisions: Iterable[Decision], *, actor: str = "cvcomply") -> list[int]:
    """Record decisions in their own transaction (safe from several processes at once on PostgreSQL)."""
    with store.transaction() as tx:
        return record_decisions(tx, decisions, actor=actor)


def all_decisions(store: Store) -> list[Decision]:
    """Every recorded decision, oldest first (the order later ones win in)."""
    with store.transaction() as tx:
        rows = tx.query(q.DECISIONS_ALL)
    return [decision_from(loads(r[10])) for r in rows]


def decisions_digest(tx: Tx) -> str:
    """One hash over all recorded decisions (a run records it; ``diff`` sees when decisions changed)."""
    return sha256(canonical([r[1] for r in tx.query(q.DECISIONS_ALL)]))
