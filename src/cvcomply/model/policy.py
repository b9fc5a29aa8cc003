"""The control policy (DESIGN.md §2): named, versioned, overridable — policy, not law."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ControlPolicy:
    """Where the rule has no bright line, these numbers decide; every use is cited as policy.

    Defaults follow DESIGN.md §2: > 50 % of votes or equity, the power to appoint a board majority
    or a special share → covered ("control"); a stake ≥ 25 % that is the largest holding, or any board
    seat or veto → covered ("dominant minority (policy)"); any other adversary-linked stake, or a
    holder whose own nexus is unknown → needs_review.
    """

    name: str = "cvcomply-default"
    version: str = "1"
    majority_pct: float = 50.0  # strictly more than this is a majority
    dominant_minority_pct: float = 25.0  # at least this, and the largest holding
    board_seat_is_control: bool = True
    veto_is_control: bool = True
    special_share_is_control: bool = True
    consolidation_is_control: bool = True  # GLEIF accounting consolidation
    require_ownership_data: bool = False  # DESIGN.md §3 reading 6
    # An Entity List / MEU List entry of a PRC or Russian party is direction-prong evidence (RULE.md §2 prong 1)
    listed_is_direction: bool = True
    citation: str = "cvcomply control policy (DESIGN.md §2), not law; RULE.md §2 prong 4"
