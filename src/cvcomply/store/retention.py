"""Retention: records are kept at least ten years after the transaction (RULE.md §8, 15 CFR 791.312).

The transaction date of a run is the later of its as-of date (the date of the transactions assessed) and
the day it was saved; nothing younger than ten years from it may be deleted.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

RETENTION_YEARS = 10
CITATION = "15 CFR 791.312 (RULE.md §8): records kept at least 10 years"


class RetentionError(Exception):
    """Deleting this record now would break the ten-year retention duty."""


def keep_until(created_at: str, as_of: str) -> dt.date:
    """The first day the record may be deleted."""
    saved = dt.date.fromisoformat(created_at[:10])
    assessed = dt.date.fromisoformat(as_of[:10])
    return max(saved, assessed) + relativedelta(years=RETENTION_YEARS)


def check_deletable(created_at: str, as_of: str, *, now: dt.datetime | None = None) -> None:
    today = (now or dt.datetime.now(dt.UTC)).date()
    until = keep_until(created_at, as_of)
    if today < until:
        raise RetentionError(f"refused: the record must be kept until {until.isoformat()} ({CITATION})")
