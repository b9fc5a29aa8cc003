"""Builders for the rules tests: programs, components, parties and nexus results made by hand.

All data here is made by the cvcomply project for these tests; no party or product is real.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from cvcomply.model import (
    Classification,
    Component,
    Finding,
    Hints,
    MatchResult,
    Nexus,
    Party,
    PartyResult,
    Program,
    Vehicle,
)
from cvcomply.model.bom import PartyRole
from cvcomply.model.program import Authorization, Declarant, Purpose, Role
from cvcomply.rules import Case, Outcome, Params, Period, Trace, classify, decide, vehicle_scope

AS_OF = dt.date(2026, 11, 24)
MFR: tuple[Role, ...] = ("connected-vehicle-manufacturer",)
IMP: tuple[Role, ...] = ("vcs-hardware-importer",)
BOTH: tuple[Role, ...] = ("connected-vehicle-manufacturer", "vcs-hardware-importer")


@cache
def params() -> Params:
    return Params.load()


def vehicle(**kw: Any) -> Vehicle:
    base: dict[str, Any] = {"make": "Example", "model": "Aurora", "model_years": (2027,), "gvwr_lbs": 5500.0}
    return Vehicle(**{**base, **kw})


def program(*, roles: tuple[Role, ...] = MFR, veh: Vehicle | None = None, no_vehicle: bool = False,
            purpose: Purpose = "sale", auths: tuple[Authorization, ...] = (),
            imports: tuple[dt.date, ...] = ()) -> Program:
    return Program(name="Test program (project-made)", declarant=Declarant("Example Motors LLC", roles, "US"),
                   vehicle=None if no_vehicle else (veh or vehicle()), purpose=purpose, boms=(),
                   authorizations=auths, hardware_imports=imports)


def hw(name: str = "Telematics unit", **hints: Any) -> Component:
    return Component(bom_ref=f"hw-{name}", name=name, kind="hardware", type="device",
                     purl=f"pkg:generic/{name.lower().replace(' ', '-')}@1", hints=Hints(**hints))


def sw(name: str = "Connectivity stack", type: str = "application", **hints: Any) -> Component:
    return Component(bom_ref=f"sw-{name}", name=name, kind="software", type=type,
                     purl=f"pkg:generic/{name.lower().replace(' ', '-')}@1", hints=Hints(**hints))


def nexus(status: str, *countries: str, prongs: tuple[str, ...] = ()) -> Nexus:
    if status == "covered" and not prongs:
        prongs = ("jurisdiction",)
    return Nexus(entity="e", status=status, countries=countries, prongs=prongs)  # type: ignore[arg-type]


def party(name: str, status: str = "clear", country: str | None = "US", *, role: PartyRole = "supplier",
          nexus_countries: tuple[str, ...] = (), prongs: tuple[str, ...] = (),
          matched: bool = True) -> PartyResult:
    countries = nexus_countries or ((country,) if status == "covered" and country else ())
    return PartyResult(
        party=Party(role=role, name=name, country=country),
        match=MatchResult("match" if matched else "none", "name" if matched else "none",
                          entity=name if matched else None, score=1.0 if matched else 0.0),
        nexus=nexus(status, *countries, prongs=prongs), entity_name=name if matched else None,
        entity_country=country)


CN = party("Shenzhen Example Tech Co., Ltd.", "covered", "CN")
US = party("Example Components Inc.", "clear", "US")
JP = party("Example Denki K.K.", "clear", "JP")
UNRESOLVED = party("Unknown Trading", "needs_review", None, matched=False)
DECL_CLEAR = nexus("clear", "US")
DECL_COVERED = nexus("covered", "CN", prongs=("ownership",))


def judge(component: Component, prog: Program | None = None, *, parties: tuple[PartyResult, ...] = (US,),
          my: int | None = 2027, import_date: dt.date | None = None, declarant: Nexus = DECL_CLEAR,
          as_of: dt.date = AS_OF, classification: Classification | None = None) -> Outcome:
    """Scope, classify and decide one component the way screen.py would."""
    prog = prog or program()
    trace = Trace()
    in_scope, why = vehicle_scope(prog.vehicle, params(), trace)
    cls = classification or classify(component, prog.vehicle, params(), trace)
    return decide(Case(prog, component, cls, Period(my, import_date), parties, declarant, as_of, in_scope, why),
                  params(), trace)


def finding(component: Component, prog: Program, *, parties: tuple[PartyResult, ...] = (US,),
            my: int | None = 2027, import_date: dt.date | None = None, declarant: Nexus = DECL_CLEAR) -> Finding:
    """A Finding as screen.py would build it from decide()'s Outcome."""
    trace = Trace()
    cls = classify(component, prog.vehicle, params(), trace)
    out = judge(component, prog, parties=parties, my=my, import_date=import_date, declarant=declarant)
    return Finding(id=f"{component.bom_ref}-{my}", component=component, model_year=my, classification=cls,
                   parties=parties, verdict=out.verdict, rule=out.rule, reasons=out.reasons,
                   import_date=import_date, foreign_interest=out.foreign_interest, authorization=out.authorization)
