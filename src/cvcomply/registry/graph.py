"""Merge what the ownership sources say into one graph.

Two records are the same entity when they share an identifier (an LEI, a company number under the
same scheme). Merging keeps every name (the others become aliases), every identifier and every
source; where two sources disagree on a jurisdiction the first one read is kept and the
disagreement is reported as a warning, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from cvcomply.model import Entity, Holding, ListEntry, OwnershipFacts, Warning


def _key(scheme: str, value: str) -> tuple[str, str]:
    scheme = scheme.strip().lower()
    if scheme in {"xi-lei", "lei"}:
        scheme = "lei"
    return scheme, "".join(value.split()).upper()


def _merge(a: Entity, b: Entity, warnings: list[Warning]) -> Entity:
    if a.jurisdiction and b.jurisdiction and a.jurisdiction != b.jurisdiction:
        warnings.append(Warning(
            str(b.sources[0]) if b.sources else b.id,
            f"{b.name!r} ({b.id}) is merged into {a.id} by a shared identifier but states jurisdiction "
            f"{b.jurisdiction}, not {a.jurisdiction}; {a.jurisdiction} is kept",
        ))
    names = [n for n in (b.name, *b.aliases) if n != a.name and n not in a.aliases]
    return replace(
        a,
        kind=a.kind if a.kind != "organization" else b.kind,
        jurisdiction=a.jurisdiction or b.jurisdiction,
        headquarters=tuple(dict.fromkeys(a.headquarters + b.headquarters)),
        nationalities=tuple(dict.fromkeys(a.nationalities + b.nationalities)),
        residences=tuple(dict.fromkeys(a.residences + b.residences)),
        us_person=a.us_person or b.us_person,
        aliases=a.aliases + tuple(names),
        identifiers=tuple(dict.fromkeys(a.identifiers + b.identifiers)),
        ownership_withheld=a.ownership_withheld or b.ownership_withheld,
        sources=a.sources + b.sources,
    )


@dataclass(frozen=True, slots=True)
class Registry:
    """Entities by id, holdings between them, list entries, and what merging had to report."""

    entities: dict[str, Entity]
    holdings: tuple[Holding, ...]
    list_entries: tuple[ListEntry, ...]
    identifiers: dict[tuple[str, str], str]
    aliases: dict[str, str]  # a merged-away id → the id it lives under now
    warnings: tuple[Warning, ...] = ()
    sources: tuple[tuple[str, str, str], ...] = ()  # (file, format, sha256)

    @classmethod
    def build(cls, facts: Iterable[OwnershipFacts]) -> Registry:
        entities: dict[str, Entity] = {}
        by_ident: dict[tuple[str, str], str] = {}
        moved: dict[str, str] = {}
        holdings: list[Holding] = []
        entries: list[ListEntry] = []
        warnings: list[Warning] = []
        sources = []
        for f in facts:
            sources.append((f.source, f.format, f.sha256))
            warnings.extend(f.warnings)
            for e in f.entities:
                keys = [_key(s, v) for s, v in e.identifiers if v]
                target = next((by_ident[k] for k in keys if k in by_ident), None)
                if target is None and e.id in entities:
                    target = e.id
                if target is None:
                    entities[e.id] = e
                    target = e.id
                else:
                    entities[target] = _merge(entities[target], e, warnings)
                    if e.id != target:
                        moved[e.id] = target
                for k in keys:
                    by_ident.setdefault(k, target)
            holdings.extend(f.holdings)
            entries.extend(f.list_entries)

        def canon(i: str) -> str:
            seen = set()
            while i in moved and i not in seen:
                seen.add(i)
                i = moved[i]
            return i

        if moved:
            holdings = [replace(h, holder=canon(h.holder), subject=canon(h.subject)) for h in holdings]
            entries = [replace(x, entity=canon(x.entity)) if x.entity else x for x in entries]
        return cls(entities, tuple(holdings), tuple(entries), by_ident, moved, tuple(warnings), tuple(sources))

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(self.aliases.get(entity_id, entity_id))

    def by_identifier(self, scheme: str, value: str) -> Entity | None:
        eid = self.identifiers.get(_key(scheme, value))
        return self.entities.get(eid) if eid else None

    def find(self, key: str) -> list[Entity]:
        """Entities a user means by ``key``: an id, an identifier value (any scheme) or an exact name."""
        if e := self.get(key):
            return [e]
        norm = "".join(key.split()).upper()
        hits = {eid for (_, v), eid in self.identifiers.items() if v == norm}
        if not hits:
            folded = key.casefold().strip()
            hits = {e.id for e in self.entities.values()
                    if e.name.casefold() == folded or any(a.casefold() == folded for a in e.aliases)}
        return [self.entities[i] for i in sorted(hits)]
