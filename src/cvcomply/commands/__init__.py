"""CLI command groups that other modules mount on the main Typer app (``register(app)``), and the option
parsing they share."""

from __future__ import annotations

import datetime as dt

from cvcomply.formats.errors import InputError


def date_option(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD command-line value as a date (None stays None); anything else is bad input (exit 2)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(option, "", f"{value!r} is not a date", fix="write it as YYYY-MM-DD") from None
