"""Member submission Markdown (YAML front matter + sections) → Submission.

The body is organised by outline section ids (`## esc-work`); under each,
`### Goals` and `### Measures` hold list items starting with `[id]`, and
`### Indicators` holds a fenced YAML block with one mapping per indicator.
Everything is data: nothing in a submission is ever run as a template.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import UserError, listing
from ..fileio import parse_yaml, read_text
from ..model import COMPARISONS, INDICATOR_KINDS, Goal, Indicator, Measure, Plan, Submission
from .config import ID_PATTERN
from .markdown import heading_anchor, inline_text, parser

PARTS = {"goals": "goals", "目标": "goals", "measures": "measures", "措施": "measures",
         "indicators": "indicators", "指标": "indicators"}
ITEM_ID = re.compile(r"^\[([^\]]+)\]\s*(.*)$", re.S)


def split_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """(front matter, body, number of lines before the body)."""
    if not text.startswith("---\n"):
        raise UserError("missing YAML front matter (a '---' line, member/round/date, then '---')", path, 1)
    end = text.find("\n---\n", 3)
    if end < 0:
        raise UserError("front matter is not closed with a '---' line", path, 1)
    meta = parse_yaml(text[4:end + 1], path, line_offset=1)
    if not isinstance(meta, dict):
        raise UserError("front matter must be a mapping with member, round and date", path, 2)
    body_offset = text[: end + 5].count("\n")
    return meta, text[end + 5:], body_offset


def read_submission(path: Path, plan: Plan) -> Submission:
    return parse_submission(read_text(path), path, plan)


def parse_submission(text: str, path: Path, plan: Plan) -> Submission:
    meta, body, offset = split_front_matter(text, path)
    member = meta.get("member")
    if member not in plan.members:
        raise UserError(f"unknown member unit {member!r} in front matter; known ids: {listing(plan.members, 12)}", path, 2)
    try:
        round_no = int(meta.get("round", 1))
    except (TypeError, ValueError):
        raise UserError(f"round must be a number, not {meta.get('round')!r}", path, 2) from None
    submission = Submission(member=member, round=round_no, date=str(meta.get("date", "")), path=str(path))
    _read_body(submission, body, offset, path, plan)
    return submission


def _read_body(submission: Submission, body: str, offset: int, path: Path, plan: Plan) -> None:
    tokens = parser().parse(body)
    section, part = "", ""
    for index, token in enumerate(tokens):
        line = (token.map[0] + 1 + offset) if token.map else 0
        if token.type == "heading_open":
            title, anchor = heading_anchor(inline_text(tokens[index + 1]))
            if token.tag == "h2":
                section = anchor or title
                if section not in plan.sections:
                    raise UserError(f"unknown outline section '{section}'", path, line)
                submission.sections.append(section)
                part = ""
            elif token.tag == "h3":
                part = PARTS.get(title.strip().lower(), "")
                if not part:
                    raise UserError(f"unknown heading '{title}': use Goals, Measures or Indicators", path, line)
        elif token.type == "list_item_open" and token.level == 1 and part in ("goals", "measures"):
            _read_item(submission, tokens[index + 2], section, part, line, path)
        elif token.type == "fence" and part == "indicators":
            _read_indicators(submission, token.content, section, line + 1, path, plan)


def _read_item(submission: Submission, inline: Any, section: str, part: str, line: int, path: Path) -> None:
    if not section:
        raise UserError(f"{part} listed before any '## section-id' heading", path, line)
    text = inline.content.strip()
    match = ITEM_ID.match(text)
    if not match or not ID_PATTERN.match(match.group(1)):
        raise UserError(f"each {part[:-1]} starts with its id in brackets, e.g. '- [g-unit-01] …'", path, line)
    cls = Goal if part == "goals" else Measure
    getattr(submission, part).append(cls(id=match.group(1), text=" ".join(match.group(2).split()),
                                         section=section, member=submission.member, line=line))


def _read_indicators(submission: Submission, content: str, section: str, line: int, path: Path, plan: Plan) -> None:
    records = parse_yaml(content, path, line_offset=line - 1) or []
    if not isinstance(records, list):
        raise UserError("the indicators block must be a YAML list, one '- {…}' per indicator", path, line)
    for record in records:
        submission.indicators.append(_indicator(record, section, submission.member, path, plan))


def _indicator(record: Any, section: str, member: str, path: Path, plan: Plan) -> Indicator:
    line = getattr(record, "line", 0)
    if not isinstance(record, dict):
        raise UserError("each indicator must be a mapping", path, line)
    ident = record.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        raise UserError(f"indicator needs an id like 'i-{member}-01', not {ident!r}", path, line)
    for field in ("text", "target", "kind", "lead"):
        if record.get(field) in (None, ""):
            what = {"target": "target", "lead": "responsible (lead) unit"}.get(field, f"'{field}'")
            raise UserError(f"indicator {ident} has no {what}", path, line)
    if record["kind"] not in INDICATOR_KINDS:
        raise UserError(f"indicator {ident}: kind must be binding or expected, not {record['kind']!r}", path, line)
    comparison = record.get("comparison", "")
    if comparison and comparison not in COMPARISONS:
        raise UserError(f"indicator {ident}: comparison must be one of {', '.join(COMPARISONS)}", path, line)
    cooperating = list(record.get("cooperating") or [])
    for unit in [record["lead"], *cooperating]:
        if unit not in plan.members:
            raise UserError(f"indicator {ident}: unknown unit '{unit}'; known ids: {listing(plan.members, 12)}", path, line)
    return Indicator(
        id=ident, text=str(record["text"]), target=record["target"], kind=record["kind"], lead=record["lead"],
        section=section, member=member, unit=str(record.get("unit", "")), comparison=comparison,
        baseline=record.get("baseline"), base_year=record.get("base_year"),
        deadline=str(record["deadline"]) if record.get("deadline") is not None else None,
        cooperating=cooperating, goal=record.get("goal"), line=line,
    )


def check_unique_ids(submissions: list[Submission]) -> None:
    """Goal, measure and indicator ids are unique across all submissions."""
    seen: dict[str, tuple[str, int]] = {}
    for submission in submissions:
        for item in [*submission.goals, *submission.measures, *submission.indicators]:
            if item.id in seen:
                first_path, first_line = seen[item.id]
                raise UserError(f"duplicate id '{item.id}' (also at {first_path}:{first_line})", submission.path, item.line)
            seen[item.id] = (submission.path, item.line)
