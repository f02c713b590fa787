"""Today's date as nhrap stamps it: SOURCE_DATE_EPOCH when set (reproducible builds), else the clock;
and the calendar's date, which a date the user types is checked against."""
from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from typing import Any, Optional

from .errors import UserError

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
CHINESE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]$")
DATE_FORMS = "YYYY-MM-DD or 2026年3月5日, a day that exists"  # what every "is not a date" message asks for


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


def day(value: Any) -> Optional[str]:
    """`2025-10-08` or `2025年10月8日` → '2025-10-08'; None when `value` is not a day that exists (2025-02-30,
    'next week', 20251008: dates are kept and compared as YYYY-MM-DD text)."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = ISO_DATE.match(text) or CHINESE_DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:  # 2025-02-30
        return None

