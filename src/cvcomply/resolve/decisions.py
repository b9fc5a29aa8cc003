"""Reviewer decisions on matches: looked up by normalised party name and stated country.

Decisions are append-only (STYLE.md habit 6): for one party key and one entity the latest decision
stands, so a reviewer can take back a confirmation by recording a rejection later. A decision made
without a country applies whatever country the BOM states; one made with a country applies only
when the BOM states that country.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from cvcomply.model import Decision
from cvcomply.resolve.countries import stated_country
from cvcomply.resolve.names import normalise_name

Key = tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class Ruling:
    """What the decisions say about one party: entities confirmed and rejected, with the decisions."""

    confirmed: tuple[Decision, ...] = ()
    rejected: tuple[Decision, ...] = ()

    def rejected_ids(self) -> frozenset[str]:
        return frozenset(d.entity for d in self.rejected if d.entity)


NO_RULING = Ruling()
"""The ruling when no decision concerns a party (shared: a ruling is immutable)."""


def _when(d: Decision) -> datetime:
    """Decision time, comparable whether or not the file gave a zone (naive times read as UTC)."""
    return d.at if d.at.tzinfo is not None else d.at.replace(tzinfo=UTC)


def describe(d: Decision) -> str:
    """Who decided what, when and why: quoted in the match reasons."""
    return f"reviewer {d.by} {d.verdict}ed on {d.at.isoformat(timespec='minutes')}: {d.why}"


class DecisionBook:
    """The latest match decision per (party key, entity)."""

    def __init__(self, decisions: Iterable[Decision]) -> None:
        latest: dict[tuple[Key, str], Decision] = {}
        for d in decisions:
            if d.kind != "match" or not d.party or not d.entity or d.verdict not in ("confirm", "reject"):
                continue
            name = normalise_name(d.party)
            if not name:
                continue
            country, _ = stated_country(d.country)
            slot = ((name, country), d.entity)
            if slot not in latest or _when(latest[slot]) <= _when(d):
                latest[slot] = d
        self._by_key: dict[Key, list[Decision]] = {}
        for (key, _), d in latest.items():
            self._by_key.setdefault(key, []).append(d)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def ruling(self, name: str, country: str | None) -> Ruling:
        """Decisions for a normalised party name and a (checked) stated country."""
        if not self._by_key:  # no decisions at all (most screenings): nothing to look up
            return NO_RULING
        per_entity: dict[str, Decision] = {}
        keys: list[Key] = [(name, None)] + ([(name, country)] if country else [])
        for key in keys:
            for d in self._by_key.get(key, ()):
                assert d.entity is not None
                if d.entity not in per_entity or _when(per_entity[d.entity]) <= _when(d):
                    per_entity[d.entity] = d
        chosen = sorted(per_entity.values(), key=lambda d: (_when(d), d.entity or ""), reverse=True)
        return Ruling(
            confirmed=tuple(d for d in chosen if d.verdict == "confirm"),
            rejected=tuple(d for d in chosen if d.verdict == "reject"),
        )
