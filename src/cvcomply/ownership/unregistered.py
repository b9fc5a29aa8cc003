"""The nexus of a party that no registry knows: judged on the facts its BOM states (DESIGN.md §3 reading 10)."""

from __future__ import annotations

from cvcomply.model import Nexus, PathStep, Reason

PRONG3 = ("15 CFR 791.301 (owned by, controlled by, or subject to the jurisdiction of a foreign adversary), "
          "RULE.md §2 prong 3")


def stated_nexus(key: str, name: str, country: str | None, adversaries: frozenset[str], *,
                 why_unresolved: str, source: str | None = None) -> Nexus:
    """Covered under the jurisdiction prong when the stated country is an adversary's; else needs_review."""
    if country and country in adversaries:
        return Nexus(
            entity=key, status="covered", countries=(country,), prongs=("jurisdiction",),
            paths=((PathStep(key, name, country=country, source=source),),),
            reasons=(Reason(f"{name!r} is not in the ownership data ({why_unresolved}); the BOM states its "
                            f"country as {country}, a foreign adversary under this subpart", PRONG3),),
            caveats=("judged on the BOM's stated country",),
        )
    stated = f"the BOM states country {country}" if country else "the BOM states no country"
    return Nexus(
        entity=key, status="needs_review",
        paths=((PathStep(key, name, country=country, source=source),),),
        reasons=(Reason(f"{name!r} could not be resolved to a legal entity ({why_unresolved}) and {stated}; "
                        "its ownership and control cannot be traced", "DESIGN.md §3 reading 10"),),
        caveats=("unresolved party",),
    )
