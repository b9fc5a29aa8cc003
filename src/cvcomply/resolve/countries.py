"""Country comparison between what a BOM states and what the registry knows (DESIGN.md §3 reading 8).

HK and MO are compared as their own ISO codes here, so a stated CN against a Hong Kong entity is a
conflict of *country* (the rule still treats both as the PRC, RULE.md §3, but that is ownership/'s
business): it keeps "Acme Ltd" of Hong Kong and "Acme Ltd" of Shenzhen apart.
"""

from __future__ import annotations

import pycountry

from cvcomply.model import Entity

_ALIASES = {"UK": "GB"}  # exceptionally reserved, written in BOMs all the time
_PRC_PARTS = frozenset({"CN", "HK", "MO"})


def stated_country(raw: str | None) -> tuple[str | None, str | None]:
    """(ISO alpha-2 code or None, a note when the stated value was unusable)."""
    if raw is None or not raw.strip():
        return None, None
    code = raw.strip().upper()
    code = _ALIASES.get(code, code)
    if len(code) == 2 and code.isascii() and code.isalpha() and pycountry.countries.get(alpha_2=code) is not None:
        return code, None
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    return None, f"stated country {shown!r} is not an ISO 3166-1 alpha-2 code; resolved as if no country were stated"


def entity_countries(entity: Entity) -> frozenset[str]:
    """Every country the registry ties the entity to: jurisdiction and headquarters (persons: nationality,
    residence)."""
    found = {entity.jurisdiction, *entity.headquarters, *entity.nationalities, *entity.residences}
    return frozenset(c.strip().upper() for c in found if c and c.strip())


def conflict_note(stated: str, countries: frozenset[str]) -> str:
    """Why a candidate's countries conflict with the stated one (HK/MO called out)."""
    where = ", ".join(sorted(countries))
    note = f"stated country {stated} conflicts with the entity's {where}"
    if stated in _PRC_PARTS and countries & _PRC_PARTS:
        note += " (HK and MO are compared as their own codes)"
    return note
