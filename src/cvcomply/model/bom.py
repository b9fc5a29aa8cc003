"""Bills of materials as we compute on them, whatever format they came in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from cvcomply.model.common import SourceRef, Warning, fast_init

PartyRole = Literal["supplier", "manufacturer", "developer", "designer", "maintainer"]
"""The DDMS roles of § 791.1(a)(1): designed (designer), developed (developer), manufactured
(manufacturer), supplied (supplier); operating/maintaining/updating counts as supplying (maintainer)."""

ComponentKind = Literal["hardware", "software"]


@fast_init
@dataclass(frozen=True, slots=True)
class Party:
    """A party named by a BOM for one component, in one role, as the BOM states it."""

    role: PartyRole
    name: str
    country: str | None = None  # ISO 3166-1 alpha-2, upper case, as stated by the BOM
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, id), e.g. ("lei", "5493...")
    source: SourceRef | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class Hints:
    """The ``cvcomply:`` properties of DESIGN.md §4.2, parsed and checked. ``None`` = not given."""

    function: frozenset[str] | None = None  # subset of {"vcs", "ads"}; empty set = "none"
    vcs_category: str | None = None
    rf_max_mhz: float | None = None
    software_kind: str | None = None  # firmware | os | middleware | application
    open_source: str | None = None  # unmodified | modified-proprietary | modified-redistributed
    completed_before: date | None = None
    maintained_by: str | None = None
    designer: str | None = None
    developer: str | None = None
    model_year: int | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class Component:
    """One component of a BOM, flattened (``parent`` keeps the nesting)."""

    bom_ref: str
    name: str
    kind: ComponentKind
    type: str  # the format's own type: CycloneDX ``device``, ``firmware``, ``library`` …
    version: str | None = None
    purl: str | None = None
    parties: tuple[Party, ...] = ()
    hints: Hints = field(default_factory=Hints)
    parent: str | None = None  # bom_ref of the enclosing component
    source: SourceRef | None = None
    subject: bool = False  # the BOM's own subject (CycloneDX metadata.component) with no cvcomply: hints:
    #                        it describes the document and is not screened (its nested components are)


@dataclass(frozen=True, slots=True)
class Bom:
    """A parsed BOM file: its components and what a lenient read had to step over."""

    source: str  # file path as given
    format: str  # "cyclonedx" | "spdx"
    spec_version: str
    components: tuple[Component, ...]
    sha256: str = ""
    warnings: tuple[Warning, ...] = ()
