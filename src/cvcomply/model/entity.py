"""Legal entities, natural persons and the interests between them (the registry's graph)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from cvcomply.model.common import SourceRef, Warning

EntityKind = Literal["organization", "person", "state"]
"""``state`` is a government or state body: one of a foreign adversary is a seed in itself."""

Interest = Literal[
    "shareholding",  # equity
    "voting-rights",  # votes
    "appointment-of-board",  # power to appoint board members (a majority where share > 50 or stated)
    "board-member",  # a board seat
    "board-chair",
    "veto",  # veto rights over important matters
    "special-share",  # special or golden share
    "control-by-contract",  # contractual arrangements, acting in concert
    "consolidation",  # accounting consolidation (GLEIF IS_*_CONSOLIDATED_BY): treated as control
    "direction",  # explicit evidence of acting at the direction of the holder (prong 1)
    "other",
]


@dataclass(frozen=True, slots=True)
class Entity:
    """An organisation or person as the registry knows it.

    Countries are ISO 3166-1 alpha-2 upper case. For an organisation ``jurisdiction`` is where it is
    incorporated/organised and ``headquarters`` its principal place of business or head office; for a
    person ``nationalities`` and ``residences``; ``us_person`` is True when the data states US
    citizenship or permanent residence (the carve-out of RULE.md §2 prong 2).
    """

    id: str
    name: str
    kind: EntityKind = "organization"
    jurisdiction: str | None = None
    headquarters: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    residences: tuple[str, ...] = ()
    us_person: bool = False
    aliases: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, id): ("lei", …), ("GB-COH", …)
    ownership_withheld: str | None = None  # a reporting exception's reason (GLEIF NON_PUBLIC …)
    sources: tuple[SourceRef, ...] = ()
    # Source facts kept for the reader of a report, not used by the rule: (name, value), e.g.
    # ("gleif:entity-status", "ACTIVE"), ("ftm:topic", "sanction").
    facts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Holding:
    """An interest ``holder`` has in ``subject`` over [start, end).

    Shares are percentages (0–100). ``share`` is exact; ``share_min``/``share_max`` a range as BODS
    states it (either bound may be missing). ``majority`` is True where the source says the interest
    is a majority without a number (e.g. appointment of a board majority).
    """

    holder: str
    subject: str
    interest: Interest
    share: float | None = None
    share_min: float | None = None
    share_max: float | None = None
    majority: bool = False
    direct: bool = True
    start: date | None = None
    end: date | None = None
    source: SourceRef | None = None

    def active(self, as_of: date) -> bool:
        """In force at ``as_of``: started on or before it and not ended on or before it."""
        return (self.start is None or self.start <= as_of) and (self.end is None or self.end > as_of)

    def bounds(self) -> tuple[float | None, float | None]:
        """(lowest, highest) share this holding may be; (None, None) when no share is stated."""
        if self.share is not None:
            return self.share, self.share
        if self.share_min is None and self.share_max is None:
            return None, None
        return (
            self.share_min if self.share_min is not None else 0.0,
            self.share_max if self.share_max is not None else 100.0,
        )


@dataclass(frozen=True, slots=True)
class ListEntry:
    """An entry on a screening list (Entity List, MEU, SDN …) naming an entity."""

    list_name: str
    name: str
    countries: tuple[str, ...] = ()
    entity: str | None = None  # registry entity id once linked
    start: date | None = None
    end: date | None = None
    source: SourceRef | None = None
    aliases: tuple[str, ...] = ()  # other names the list gives (CSL alt_names)
    linked_to: tuple[str, ...] = ()  # names of parties the entry is linked to (CSL "(Linked To: …)")

    def active(self, as_of: date) -> bool:
        """On the list at ``as_of`` (DESIGN.md §3 reading 9)."""
        return (self.start is None or self.start <= as_of) and (self.end is None or self.end > as_of)


@dataclass(frozen=True, slots=True)
class OwnershipFacts:
    """What one ownership/registry source says: entities, interests, list entries."""

    source: str
    format: str
    entities: tuple[Entity, ...] = ()
    holdings: tuple[Holding, ...] = ()
    list_entries: tuple[ListEntry, ...] = ()
    sha256: str = ""
    warnings: tuple[Warning, ...] = ()
    # Ids of records this source closes or replaces (BODS 0.4 ``recordStatus: closed`` recordIds, BODS 0.2/0.3
    # ``replacesStatements`` statementIDs): a store holding an earlier source's facts ends them.
    closed_records: tuple[str, ...] = ()
