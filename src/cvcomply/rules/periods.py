"""The periods a component is judged in: model years, or import dates for hardware with none.

Why: § 791.308 dates the prohibitions by model year, not calendar date (RULE.md §12.12), except for
hardware with no model year, which is dated by its import (§ 791.308(a)).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from cvcomply.model import Component, Program


class Period(NamedTuple):
    """One model year (``import_date`` None), or one import of hardware with no model year.

    ``Period(None, None)`` is an importer's hardware whose import date nobody stated: decide() treats
    the § 791.308(a) date exemption as unknown. A named tuple (not a dataclass): periods are keys of the
    screening's memo, hashed once per component, and a tuple hashes in C.
    """

    model_year: int | None
    import_date: dt.date | None


def periods(program: Program, component: Component) -> tuple[Period, ...]:
    """Every period ``component`` must be judged in, in date order.

    - A vehicle program: one period per vehicle model year — the vehicle's model year governs every
      component in it (§ 791.308(a) exempts hardware "imported in a vehicle" by that vehicle's model year,
      and (b)/(c) date software and sales the same way). Where the manifest also lists
      ``hardware_imports``, the declarant imports hardware units on their own too (DESIGN.md §4.1 shows
      both together), so each hardware component is also judged as such a unit: by its
      ``cvcomply:model-year`` hint if it has one (DESIGN.md §3 reading 13), else once per import date
      (decided here; RULE.md/DESIGN.md do not say how the two combine).
    - No vehicle (an importer of loose hardware): a ``cvcomply:model-year`` hint gives that one year;
      otherwise one period per ``hardware_imports`` date; with neither, one undated period
      ``Period(None, None)`` so the component is still judged (and reviewed if it matters).
    """
    loose = _loose(program, component)
    if program.vehicle is None:
        return loose
    years = tuple(Period(my, None) for my in sorted(set(program.vehicle.model_years)))
    if component.kind != "hardware" or not program.hardware_imports:
        return years
    return tuple(sorted(set(years) | set(loose), key=_order))


def _loose(program: Program, component: Component) -> tuple[Period, ...]:
    """The periods of a unit imported on its own: its model-year hint, else each import date, else undated."""
    if component.hints.model_year is not None:
        return (Period(component.hints.model_year, None),)
    if program.hardware_imports:
        return tuple(Period(None, d) for d in sorted(set(program.hardware_imports)))
    return (Period(None, None),)


def _order(p: Period) -> tuple[int, int, dt.date]:
    """Model years first (in order), then import dates (in order)."""
    return (0, p.model_year, dt.date.min) if p.model_year is not None else (1, 0, p.import_date or dt.date.min)
