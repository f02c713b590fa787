"""Examination checks: glossary (terms), style and plan structure.

`run_all(ws, document)` is what `nhrap check all`, `make check` and
`nhrap render --with-findings` call.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from ..model import Document, Finding

CHECKS = ("glossary", "style", "plan")
SEVERITIES = ("error", "warning", "info")


def line_offset(source: str, text: str) -> int:
    """Lines from a block's first to the one where `text` (plain text, as findings quote it) starts in its
    Markdown source: its words, with line breaks and emphasis marks between them, as written, else escaped
    as a unit's text is (`R\\&D` for R&D); 0 if not found."""
    index = source.find(text)  # most quotes stand as written: no pattern to build (thousands of findings)
    if index >= 0:
        return source.count("\n", 0, index)
    from ..writers.markdown import literal
    for words in (text.split(), [literal(word) for word in text.split()]):
        found = re.search(r"\s+(?:[*_`]+)?".join(map(re.escape, words)), source) if words else None
        if found:
            return source.count("\n", 0, found.start())
    return 0


def run(ws: Any, document: Document, names: Iterable[str] = CHECKS) -> list[Finding]:
    """The findings of the named checks on one document, in check order then document order."""
    findings: list[Finding] = []
    style = None  # the style check's rules and matchers, built once for it and the plan check's targets
    for name in names:
        if name == "glossary":
            from .glossary import check_glossary
            findings += check_glossary(ws, document)
        elif name == "style":
            from .style import StyleChecker, check_style
            style = StyleChecker(ws)
            findings += check_style(ws, document, style)
        elif name == "plan":
            from .plan import check_plan
            findings += check_plan(ws, document, style=style)
        else:
            raise ValueError(f"unknown check {name!r}")
    return findings


def run_all(ws: Any, document: Document) -> list[Finding]:
    return run(ws, document, CHECKS)


def summary(findings: list[Finding], names: Iterable[str] = CHECKS) -> dict[str, dict[str, int]]:
    """Counts by check and severity: {check: {error: n, warning: n, info: n}}."""
    table = {name: {severity: 0 for severity in SEVERITIES} for name in names}
    for finding in findings:
        table.setdefault(finding.check, {s: 0 for s in SEVERITIES})[finding.severity] += 1
    return table


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
