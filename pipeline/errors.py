"""The one exception type for mistakes a user can fix.

The CLI prints it as `file:line: message` and exits with status 2.
Anything else that escapes is a bug and may show a traceback. Beside it, the
wording messages share: known ids listed, a near miss named, a text quoted short.
"""
from __future__ import annotations

import difflib
import warnings
from typing import Any, Iterable, Optional


class _Placed:
    """A message about a place in a file, printed `file:line: message`."""

    def __init__(self, message: str, file: Optional[str] = None, line: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file else None
        self.line = line

    def placed(self, message: str) -> str:
        where = self.file or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {message}" if where else message


class UserError(_Placed, Exception):
    def __str__(self) -> str:
        return self.placed(self.message)


# A line given twice in a file git merges line by line: both clones changed it, and the merge kept both.
KEPT_BOTH = ("keep one of the two lines and delete the other: when two clones change the same line of a file git "
             "merges line by line (merge=union in .gitattributes: the member registry, glossary/instruments.yaml, "
             "glossary/sources.yaml, the style rules), the merge keeps both sides' lines")


class Notice(_Placed, UserWarning):
    """Something a user should see and can fix, which stops nothing (the CLI prints it as
    `nhrap: file:line: warning: message` and goes on)."""

    def __str__(self) -> str:
        return self.placed(f"warning: {self.message}")


def notice(message: str, file: Optional[str] = None, line: Optional[int] = None) -> None:
    """Tell the user of `Notice(message, file, line)` through Python's warnings, whoever called."""
    warnings.warn(Notice(message, file, line), stacklevel=2)


def listing(ids: Iterable[str], limit: Optional[int] = None) -> str:
    """Known ids for an error message, sorted; with `limit`, the first few and how many in all."""
    ids = sorted(ids)
    if limit is None or len(ids) <= limit:
        return ", ".join(ids)
    return ", ".join(ids[:limit]) + f" … ({len(ids)} in all)"


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """"; did you mean 'esc-health'?" for a near miss of a known id (a plan has dozens), else ''."""
    by_folded = {ident.casefold(): ident for ident in known}  # 'MOHRSS' is a near miss of 'mohrss'
    close = difflib.get_close_matches(name.casefold(), list(by_folded), n=1)
    return f"; did you mean '{by_folded[close[0]]}'?" if close else ""


def excerpt(text: str, limit: int) -> str:
    """`text` on one line (a table's rows too), cut at a word with '…' when longer than `limit`: a line that just
    stops mid-word reads as the paragraph's end."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit + 1)  # a space just after the limit ends a whole word that fits
    return (text[:space] if space > limit // 2 else text[:limit]) + "…"  # Chinese has no spaces: cut at a character


def shown(value: Any, limit: int = 80) -> str:
    """A value a message quotes, as Python writes it ('cn', ['a', 'b'], True), cut at `limit` characters with
    '…': a wrong value may be a list of thousands of items, which a message should not print whole."""
    text = _repr_start(value, limit + 1)
    return text if len(text) <= limit else text[:limit] + "…"


def _repr_start(value: Any, budget: int) -> str:
    """repr(value), or a start of it at least `budget` characters long, without spelling out the rest."""
    if isinstance(value, str):
        return repr(value[:budget])
    if isinstance(value, dict):
        items, ends = [(key, item) for key, item in zip(value, value.values())], "{}"
    elif isinstance(value, (list, tuple)):
        items, ends = list(value), "[]" if isinstance(value, list) else "()"
    else:
        return repr(value)
    text = ends[0]
    for index, item in enumerate(items):
        if len(text) > budget:
            return text
        if index:
            text += ", "
        if isinstance(value, dict):
            text += _repr_start(item[0], budget) + ": " + _repr_start(item[1], budget - len(text))
        else:
            text += _repr_start(item, budget - len(text))
    return text + ends[1]
