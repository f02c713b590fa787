"""drafts/plan.yaml and drafts/members.yaml → Plan with its outline and registry."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..fileio import LineDict, load_yaml
from ..model import CATEGORIES, CATEGORY_NAMES, Chapter, Member, MembershipEvent, Plan, Section

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGES = ("en", "zh")
DEFAULT_STAGES = ["preparation", "drafting", "consultation", "examination", "approval", "assessment"]
HISTORY_EVENTS = ("added", "removed", "merged", "renamed")


def _line(node: Any) -> int:
    return getattr(node, "line", 0)


def _require(record: dict, key: str, path: Path, what: str) -> Any:
    value = record.get(key)
    if value in (None, ""):
        raise UserError(f"{what} is missing '{key}'", path, _line(record))
    return value


def check_id(value: Any, path: Path, line: int, what: str) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise UserError(f"{what} id {value!r} must be lowercase letters, digits and hyphens", path, line)
    return value


def read_plan(path: Path) -> Plan:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise UserError("expected a mapping with title, period, language and outline", path, 1)
    period = _require(data, "period", path, "plan")
    if not isinstance(period, dict) or not {"start", "end"} <= set(period):
        raise UserError("period must be {start: YEAR, end: YEAR}", path, _line(period) or _line(data))
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise UserError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}", path, _line(data))
    stages = list(data.get("stages") or DEFAULT_STAGES)
    plan = Plan(
        title=str(_require(data, "title", path, "plan")),
        title_zh=str(data.get("title_zh", "")),
        period_start=int(period["start"]),
        period_end=int(period["end"]),
        language=language,
        profile=str(data.get("profile", language)),
        lead_units=list(data.get("lead_units") or []),
        stages=stages,
        approval_stage=str(data.get("approval_stage", "approval")),
        approval_statement=str(data.get("approval_statement", "")),
        chapters=_read_outline(data.get("outline"), path),
    )
    if plan.approval_stage not in stages:
        raise UserError(f"approval_stage {plan.approval_stage!r} is not one of the stages", path, _line(data))
    return plan


def _read_outline(outline: Any, path: Path) -> list[Chapter]:
    if not isinstance(outline, list) or not outline:
        raise UserError("outline must be a list of chapters", path, _line(outline))
    seen: dict[str, int] = {}
    chapters = []
    for record in outline:
        if not isinstance(record, dict):
            raise UserError("each chapter must be a mapping with id, title and sections", path, _line(outline))
        chapter = Chapter(id=_outline_id(record, path, seen, "chapter"), title=str(_require(record, "title", path, "chapter")))
        for item in record.get("sections") or []:
            if not isinstance(item, dict):
                raise UserError("each section must be a mapping with id and title", path, _line(record))
            chapter.sections.append(Section(
                id=_outline_id(item, path, seen, "section"),
                title=str(_require(item, "title", path, "section")),
                chapter=chapter.id,
                goals=bool(item.get("goals", True)),
            ))
        chapters.append(chapter)
    return chapters


def _outline_id(record: dict, path: Path, seen: dict[str, int], what: str) -> str:
    value = check_id(_require(record, "id", path, what), path, _line(record), what)
    if value in seen:
        raise UserError(f"duplicate outline id '{value}' (first used on line {seen[value]})", path, _line(record))
    seen[value] = _line(record)
    return value


def read_members(path: Path, lead_units: list[str]) -> dict[str, Member]:
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("members"), list):
        raise UserError("expected 'members:' with a list of member units", path, 1)
    registry: dict[str, Member] = {}
    for group, default_role in (("members", "member"), ("experts", "expert"), ("consulted", "consulted")):
        for record in data.get(group) or []:
            member = _read_member(record, path, default_role, lead_units)
            if member.id in registry:
                raise UserError(f"duplicate member id '{member.id}'", path, _line(record))
            registry[member.id] = member
    for member in registry.values():
        for event in member.history:
            if event.into and event.into not in registry:
                raise UserError(f"'{member.id}' merged into unknown unit '{event.into}'", path)
    for lead in lead_units:
        if lead not in registry:
            raise UserError(f"lead unit '{lead}' is not in the registry", path)
    return registry


def _read_member(record: Any, path: Path, default_role: str, lead_units: list[str]) -> Member:
    if not isinstance(record, LineDict):
        raise UserError("each entry must be a mapping with id and names", path, _line(record))
    member_id = check_id(_require(record, "id", path, "member"), path, record.line, "member")
    category = record.get("category", "expert" if default_role == "expert" else None)
    allowed = CATEGORIES if default_role == "member" else tuple(CATEGORY_NAMES)
    if category not in allowed:
        raise UserError(f"'{member_id}' has category {category!r}; use one of: {', '.join(allowed)}", path, record.line)
    if not (record.get("name_en") or record.get("name_zh")):
        raise UserError(f"'{member_id}' needs name_en or name_zh", path, record.line)
    history = [_read_event(event, member_id, path) for event in record.get("history") or []]
    role = default_role
    if default_role == "member":
        if history and history[-1].event in ("removed", "merged"):
            role = "former"
        elif record.get("lead") or member_id in lead_units:
            role = "lead"
    return Member(id=member_id, name_en=str(record.get("name_en", "")), name_zh=str(record.get("name_zh", "")),
                  category=category, role=role, affiliation=str(record.get("affiliation", "")), history=history)


def _read_event(event: Any, member_id: str, path: Path) -> MembershipEvent:
    if not isinstance(event, dict) or event.get("event") not in HISTORY_EVENTS or not event.get("cycle"):
        raise UserError(f"'{member_id}': history entries need cycle and event ({', '.join(HISTORY_EVENTS)})",
                        path, _line(event))
    return MembershipEvent(cycle=str(event["cycle"]), event=event["event"], into=event.get("into"),
                           previous_name=event.get("from"))
