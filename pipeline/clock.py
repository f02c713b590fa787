"""Today's date as nhrap stamps it: SOURCE_DATE_EPOCH when set (reproducible builds), else the clock;
and the calendar's date, which a date the user types is checked against."""
from __future__ import annotations

import datetime as dt
import os

from .errors import UserError


def today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.datetime.now(dt.timezone.utc).date().isoformat()
    try:
        seconds = int(epoch)
        if seconds < 0:  # a date before 1970 (versions of 1967, a plan for 1971–1975): not what the variable means
            raise ValueError(epoch)
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()
    except (ValueError, OverflowError, OSError):
        raise UserError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not {epoch!r}") from None


def calendar_today() -> str:
    """The date where nhrap runs, whatever SOURCE_DATE_EPOCH says (a build fixes it to a day long past, which
    says nothing of which dates are yet to come)."""
    return dt.date.today().isoformat()
