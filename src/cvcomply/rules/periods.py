"""The periods a component is judged in: model years, or import dates for hardware with none.

Why: § 791.308 dates the prohibitions by model year, not calendar date (RULE.md §12.12), except for
hardware with no model year, which is dated by its import (§ 791.308(a)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cvcomply.model import Component, Program


@dataclass(frozen=True, slots=True)
class Period:
    """One model year (``import_date`` None), or one import of hardware with no model year.

    ``Period(None, None)`` is an importer's hardware whose import date nobody stated: decide() treats
    the § 791.308(a) date exemption as unknown.
    """

    model_year: int | None
    import_date: dt.date | None


def periods(program: Program, component: Component) -> tuple[Period, ...]:
    """Every period ``component`` must be judged in, in date order.

    - A vehicle program: one period per vehicle model year. The vehicle's model year governs every
      component in it — § 791.308(a) exempts hardware "imported in a vehicle" by that vehicle's model year
      and (b)/(c) date software and sales the same way — so ``hardware_imports`` and ``cvcomply:model-year``
      hints do not add periods there (decided here; RULE.md/DESIGN.md leave it open).
    - No vehicle (an importer of loose hardware): a ``cvcomply:model-year`` hint gives that one year
      (DESIGN.md §3 reading 13); otherwise one period per ``hardware_imports`` date; with neither, one
      undated period ``Period(None, None)`` so the component is still judged (and reviewed if it matters).
    """
    if program.vehicle is not None:
        return tuple(Period(my, None) for my in sorted(set(program.vehicle.model_years)))
    if component.hints.model_year is not None:
        return (Period(component.hints.model_year, None),)
    if program.hardware_imports:
        return tuple(Period(None, d) for d in sorted(set(program.hardware_imports)))
    return (Period(None, None),)
