"""A vehicle program as the manifest (DESIGN.md §4.1) states it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Role = Literal["connected-vehicle-manufacturer", "vcs-hardware-importer"]
Purpose = Literal["sale", "testing", "display", "research", "repair", "warranty", "temporary-import"]


@dataclass(frozen=True, slots=True)
class Declarant:
    name: str
    roles: tuple[Role, ...]
    country: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Vehicle:
    make: str
    model: str
    model_years: tuple[int, ...]
    trims: tuple[str, ...] = ()
    gvwr_lbs: float | None = None
    ads_level: int = 0
    imported: bool = False
    connected: bool = True  # the manifest may say a vehicle has no wireless connectivity at all
    completed: bool = True


@dataclass(frozen=True, slots=True)
class Authorization:
    """A general (GA-1/2/3) or specific authorization the declarant relies on."""

    id: str
    kind: Literal["general", "specific"]
    purpose: Purpose | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    components: tuple[str, ...] = ()  # purls or bom-refs; empty = every component
    model_years: tuple[int, ...] = ()  # empty = every model year


@dataclass(frozen=True, slots=True)
class Program:
    name: str
    declarant: Declarant
    vehicle: Vehicle | None
    purpose: Purpose
    boms: tuple[str, ...]  # resolved paths
    ownership: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    authorizations: tuple[Authorization, ...] = ()
    decisions: str | None = None
    hardware_imports: tuple[date, ...] = ()
    as_of: date | None = None
    source: str = ""  # the manifest's path
    parameters: str | None = None  # a user's parameter file (counsel's reading) replacing the packaged one
