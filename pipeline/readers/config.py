"""drafts/plan.yaml and drafts/members.yaml → Plan with its outline and registry."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

from ..errors import KEPT_BOTH, UserError, did_you_mean, shown
from ..fileio import FULL_WIDTH, LineDict, LineList, full_width_hint, line_of, load_yaml
from ..model import (CATEGORIES, CATEGORY_NAMES, CHINESE_DIGITS, FIVE_YEAR_PLAN, Chapter, Member,
                     MembershipEvent, Plan, Section)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGES = ("en", "zh")
DEFAULT_STAGES = ["preparation", "drafting", "consultation", "examination", "approval", "assessment"]
HISTORY_EVENTS = ("added", "removed", "merged", "renamed")
PLAN_KEYS = ("title", "title_zh", "period", "language", "profile", "lead_units", "stages", "approval_stage",
             "approval_statement", "outline")
PERIOD_KEYS = ("start", "end")
CHAPTER_KEYS = ("id", "title", "sections")
SECTION_KEYS = ("id", "title", "goals")
MEMBER_KEYS = ("id", "name_en", "name_zh", "category", "lead", "history", "affiliation")
EVENT_KEYS = ("cycle", "event", "into", "from")
# Value types, checked before values are used: (accepted Python types, how the error names them).
# Free text: a number written bare (a phone number, a unit such as 10000) is text too, read with str().
TEXT = ((str, int, float), "plain text")
NUMBER_OR_TEXT = ((int, float, str), "a number or text")
PLAN_TYPES = {key: TEXT for key in ("title", "title_zh", "language", "profile", "approval_stage", "approval_statement")}
MEMBER_TYPES = {"name_en": TEXT, "name_zh": TEXT, "affiliation": TEXT, "lead": ((bool,), "true or false")}
EVENT_TYPES = {"cycle": NUMBER_OR_TEXT, "event": TEXT, "into": TEXT, "from": TEXT}
OUTLINE_TYPES = {"title": TEXT}
# A plan period as `cycle` writes it: 2016-2020, 2016–2020, 2016, 二〇一六—二〇二〇 (Chinese digits read as
# digits), 2016年; or a Five-Year Plan, 十三五. Not a day (2026-02-30) nor a year cut short (2026-2).
PERIOD_YEARS = re.compile(r"^\d{4}年?(?:\s*[-–—－~～至到]\s*\d{4}年?)?$")
# The key each history event needs; no other event may have it.
EVENT_DETAIL = {"merged": "into", "renamed": "from"}


def _require(record: dict, key: str, path: Path, what: str) -> Any:
    value = record.get(key)
    if value in (None, ""):
        raise UserError(f"{what} is missing '{key}'", path, line_of(record))
    return value


def check_keys(record: dict, allowed: tuple[str, ...], path: Path, what: str, value_word: str = "value") -> None:
    """Refuse a key the format does not have, with a hint for the usual cause.

    In a flow mapping (`{id: x, name_en: A, B}`) an unquoted comma ends the value: the rest becomes a
    key of its own with no value (unless it looks like a misspelt key, `{id: x, titel}`). A full-width
    '：' or '，' makes one key out of key and value.
    """
    for key in record:
        if key in allowed:
            continue
        text = str(key)
        hint = full_width_hint(text) or full_width_hint(f"{text}:")
        close = did_you_mean(text, allowed)
        if hint:
            why = f" ({hint})"
        elif record[key] is None and not (close and ID_PATTERN.match(text.replace("_", "-"))):
            why = f" (a comma in an unquoted {value_word}? quote it)"  # a key without a value: the rest of one
        else:
            why = close or f"; known keys: {', '.join(allowed)}"
        raise UserError(f"unknown key '{text}' in {what}{why}", path, line_of(record, key))


def wrong_type(record: dict, types: dict[str, tuple[tuple[type, ...], str]]) -> Optional[tuple[str, str]]:
    """(key, "KEY must be …, not VALUE") for the first value in `record` not of its type in `types`; else None."""
    for key, (accepted, described) in types.items():
        value = record.get(key)
        if value is not None and (not isinstance(value, accepted) or isinstance(value, bool) and bool not in accepted):
            return key, f"{key} must be {described}, not {shown(value)}"
    return None


def check_types(record: dict, types: dict, path: Path, what: str) -> None:
    """Refuse a value of the wrong type (a list where text belongs, …) at its line."""
    found = wrong_type(record, types)
    if found:
        key, message = found
        raise UserError(f"{what}: {message}", path, line_of(record, key))


# A value in curly or full-width quotes (“民政部”, 「%」) keeps them: YAML quotes only with ' and "
FULL_WIDTH_QUOTED = re.compile(r"^([“‘「『＂＇]).*[”’」』＂＇]$", re.S)


def keyboard_hint(text: str) -> str:
    """"; full-width '，' — use ','" when `text` holds a sign a Chinese keyboard types for YAML's own."""
    sign = next((char for char in text if char in FULL_WIDTH), None)
    return f"; full-width '{sign}' — use '{FULL_WIDTH[sign]}'" if sign else ""


def quoted_value_message(key: str, value: str) -> str:
    """"", or why a value wrapped whole in a Chinese keyboard's quotes is refused: they would be printed."""
    if not FULL_WIDTH_QUOTED.match(value):
        return ""
    return f"{key} {value} keeps its quotes ({value[0]} {value[-1]} are not YAML quotes): write {key}: '{value[1:-1]}'"


def check_id(value: Any, path: Path, line: int, what: str) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise UserError(f"{what} id {shown(value)} must be lowercase letters, digits and hyphens", path, line)
    return value


def read_plan(path: Path) -> Plan:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise UserError("expected a mapping with title, period, language and outline", path, 1)
    check_keys(data, PLAN_KEYS, path, "the plan", "title")
    check_types(data, PLAN_TYPES, path, "plan")
    period = _require(data, "period", path, "plan")
    if not isinstance(period, dict) or not {"start", "end"} <= set(period):
        raise UserError("period must be {start: YEAR, end: YEAR}", path, line_of(data, "period"))
    check_keys(period, PERIOD_KEYS, path, "period")
    start, end = (_year(period[key], path, line_of(period, key), f"period {key}") for key in PERIOD_KEYS)
    if start > end:
        raise UserError(f"period starts ({start}) after it ends ({end})", path, line_of(data, "period"))
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise UserError(f"language must be one of {', '.join(LANGUAGES)}, not {shown(language)}", path,
                        line_of(data, "language"))
    profile = data.get("profile", language)
    if profile not in LANGUAGES:  # a Word profile per plan language (writers/profiles.py)
        raise UserError(f"profile (of Word output) must be one of {', '.join(LANGUAGES)}, not {shown(profile)}", path,
                        line_of(data, "profile"))
    if "stages" in data and not data["stages"]:  # not the default stages: whoever wrote the key meant some
        raise UserError("stages is empty: list the plan's stages, or leave the key out for the usual ones "
                        f"({', '.join(DEFAULT_STAGES)})", path, line_of(data, "stages"))
    stages = _string_list(data.get("stages") or DEFAULT_STAGES, path, line_of(data, "stages"), "stages")
    plan = Plan(
        title=str(_require(data, "title", path, "plan")),
        title_zh=str(data.get("title_zh") or ""),
        period_start=start,
        period_end=end,
        language=language,
        profile=profile,
        lead_units=_string_list(data.get("lead_units") or [], path, line_of(data, "lead_units"), "lead_units"),
        stages=stages,
        approval_stage=str(data.get("approval_stage", "approval")),
        approval_statement=str(data.get("approval_statement") or ""),
        chapters=_read_outline(data.get("outline"), path, line_of(data, "outline")),
    )
    if plan.approval_stage not in stages:
        raise UserError(f"approval_stage {shown(plan.approval_stage)} is not one of the stages", path,
                        line_of(data, "approval_stage"))
    return plan


def _year(value: Any, path: Path, line: int, what: str) -> int:
    if isinstance(value, bool) or not re.fullmatch(r"\d{4}", str(value).strip()):
        raise UserError(f"{what} must be a year (YYYY), not {shown(value)}", path, line)
    return int(value)


def _string_list(value: Any, path: Path, line: int, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise UserError(f"{what} must be a list of names, e.g. [a, b], not {shown(value)}{keyboard_hint(str(value))}",
                        path, line)
    for index, item in enumerate(value):
        if keyboard_hint(item):  # [scio，mfa] is one name to YAML
            raise UserError(f"{what}: '{item}'{keyboard_hint(item)}", path, line_of(value, index))
        if item in value[:index]:
            raise UserError(f"{what} lists '{item}' twice", path, line_of(value, index))
    return value if isinstance(value, LineList) else list(value)  # a list from YAML keeps its items' lines


def _read_outline(outline: Any, path: Path, line: int) -> list[Chapter]:
    if not isinstance(outline, list) or not outline:
        raise UserError("outline must be a list of chapters, each with id, title and sections", path, line)
    seen: dict[str, int] = {}
    chapters = []
    for number, record in enumerate(outline):
        if not isinstance(record, dict):
            raise UserError("each chapter must be a mapping with id, title and sections", path, line_of(outline, number))
        title = _title(record, CHAPTER_KEYS, path, "chapter")  # keys first: a mistyped 'id：' is named as such
        chapter = Chapter(id=_outline_id(record, path, seen, "chapter"), title=title)
        sections = record.get("sections") or []
        if not isinstance(sections, list):
            raise UserError(f"sections of chapter {chapter.id} must be a list", path, line_of(record, "sections"))
        for index, item in enumerate(sections):
            if not isinstance(item, dict):
                raise UserError("each section must be a mapping with id and title", path, line_of(sections, index))
            chapter.sections.append(_read_section(item, path, seen, chapter.id))
        chapters.append(chapter)
    return chapters


def _read_section(record: dict, path: Path, seen: dict[str, int], chapter: str) -> Section:
    title = _title(record, SECTION_KEYS, path, "section")
    goals = record.get("goals", True)
    if not isinstance(goals, bool):
        raise UserError(f"section {record.get('id')}: goals must be true or false, not {shown(goals)}", path,
                        line_of(record, "goals"))
    return Section(id=_outline_id(record, path, seen, "section"), title=title, chapter=chapter, goals=goals)


def _title(record: dict, allowed: tuple[str, ...], path: Path, kind: str) -> str:
    """A chapter's or section's title, once its keys and the title's type are checked."""
    what = f"{kind} {record.get('id', '')}".strip()
    check_keys(record, allowed, path, what, "title")
    check_types(record, OUTLINE_TYPES, path, what)
    return str(_require(record, "title", path, kind))


def _outline_id(record: dict, path: Path, seen: dict[str, int], what: str) -> str:
    value = check_id(_require(record, "id", path, what), path, line_of(record), what)
    if value in seen:
        raise UserError(f"duplicate outline id '{value}' (first used on line {seen[value]})", path, line_of(record))
    seen[value] = line_of(record)
    return value


GROUPS = (("members", "member"), ("experts", "expert"), ("consulted", "consulted"))


def read_members(path: Path, lead_units: list[str]) -> dict[str, Member]:
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("members"), list):
        raise UserError("expected 'members:' with a list of member units", path, 1)
    check_keys(data, tuple(group for group, _role in GROUPS), path, "the registry")
    registry: dict[str, Member] = {}
    lines: dict[str, int] = {}
    mergers: list[tuple[str, dict]] = []  # checked once every unit is read: a unit may merge into a later one
    for group, default_role in GROUPS:
        records = data.get(group) or []
        if not isinstance(records, list):
            raise UserError(f"'{group}:' must be a list, one '- {{id: …}}' per line", path, line_of(data, group))
        for index, record in enumerate(records):
            member = _read_member(record, path, default_role, lead_units, line_of(records, index))
            if member.id in registry:
                raise UserError(f"duplicate member id '{member.id}' (first on line {lines[member.id]}); {KEPT_BOTH}",
                                path, line_of(record))
            registry[member.id] = member
            lines[member.id] = line_of(record)
            mergers += [(member.id, event) for event in record.get("history") or [] if event.get("into")]
    for member_id, event in mergers:
        if event["into"] not in registry:
            raise UserError(f"'{member_id}' merged into unknown unit '{event['into']}'", path, line_of(event, "into"))
    return registry


def check_lead_units(plan: Plan, plan_path: Path, members_path: Path) -> None:
    """Each of plan.yaml's lead units is in the registry (`plan.members`); a missing one is named at its line."""
    for index, lead in enumerate(plan.lead_units):
        if lead not in plan.members:
            raise UserError(f"lead unit {shown(lead)} is not in the registry ({members_path.name})"
                            f"{did_you_mean(lead, plan.members)}", plan_path,
                            line_of(plan.lead_units, index))


def _read_member(record: Any, path: Path, default_role: str, lead_units: list[str], line: int) -> Member:
    if not isinstance(record, LineDict):
        raise UserError(f"each entry must be a mapping with id and names, not {shown(record)}", path, line)
    member_id = record.get("id")
    check_keys(record, MEMBER_KEYS, path, f"member {member_id}" if isinstance(member_id, str) else "a member entry",
               "name")
    member_id = check_id(_require(record, "id", path, "member"), path, record.line, "member")
    category = record.get("category", "expert" if default_role == "expert" else None)
    allowed = CATEGORIES if default_role == "member" else tuple(CATEGORY_NAMES)
    if category not in allowed:
        raise UserError(f"'{member_id}' has category {shown(category)}; use one of: {', '.join(allowed)}", path,
                        line_of(record, "category"))
    check_types(record, MEMBER_TYPES, path, f"'{member_id}'")
    for key in ("name_en", "name_zh", "affiliation"):
        if key in record and str(record[key] if record[key] is not None else "").strip() == "":
            raise UserError(f"'{member_id}': {key} is empty; write it, or leave the key out", path,
                            line_of(record, key))
        quoted = quoted_value_message(key, str(record.get(key, "")))
        if quoted:
            raise UserError(f"'{member_id}': {quoted}", path, line_of(record, key))
    if not (record.get("name_en") or record.get("name_zh")):
        raise UserError(f"'{member_id}' needs name_en or name_zh", path, record.line)
    history = record.get("history") or []
    if not isinstance(history, list):
        raise UserError(f"'{member_id}': history must be a list of events", path, line_of(record, "history"))
    lines = [line_of(history, index) for index in range(len(history))]
    history = [_read_event(event, member_id, path, line) for event, line in zip(history, lines)]
    _check_history_order(history, member_id, path, lines)
    role = default_role
    if default_role == "member":
        if history and history[-1].event in ("removed", "merged"):
            role = "former"
        elif record.get("lead") or member_id in lead_units:
            role = "lead"
    return Member(id=member_id, name_en=str(record.get("name_en", "")), name_zh=str(record.get("name_zh", "")),
                  category=category, role=role, affiliation=str(record.get("affiliation", "")), history=history)


def _read_event(event: Any, member_id: str, path: Path, line: int) -> MembershipEvent:
    events = ", ".join(HISTORY_EVENTS)
    if not isinstance(event, dict):
        raise UserError(f"'{member_id}': history entries need cycle and event ({events}), not {shown(event)}", path, line)
    check_keys(event, EVENT_KEYS, path, f"a history entry of {member_id}", "name")
    check_types(event, EVENT_TYPES, path, f"'{member_id}': history")
    if event.get("event") not in HISTORY_EVENTS:
        written = event.get("event")
        what = f"event '{written}' is not one of" if written not in (None, "") else "entry needs an event, one of"
        raise UserError(f"'{member_id}': history {what} {events}", path, line_of(event, "event") or line)
    if not event.get("cycle"):
        raise UserError(f"'{member_id}': the {event['event']} event needs a cycle (a plan period such as 2031–2035)",
                        path, line)
    for kind, detail in EVENT_DETAIL.items():
        if (event["event"] == kind) != bool(event.get(detail)):
            need = f"needs '{detail}'" if event["event"] == kind else f"has '{detail}', which only a {kind} event has"
            raise UserError(f"'{member_id}': the {event['event']} event of {event['cycle']} {need}", path, line)
    read = MembershipEvent(cycle=str(event["cycle"]), event=event["event"], into=event.get("into"),
                           previous_name=str(event["from"]) if event.get("from") else None)
    years = read.years
    if not _is_period(read.cycle) or years != sorted(years):
        raise UserError(f"'{member_id}': cycle '{read.cycle}' is not a plan period such as 2031–2035 or 2031", path,
                        line_of(event, "cycle"))
    return read


def _is_period(cycle: str) -> bool:
    return bool(FIVE_YEAR_PLAN.match(cycle.strip()) or PERIOD_YEARS.match(cycle.translate(CHINESE_DIGITS).strip()))


def _check_history_order(history: list[MembershipEvent], member_id: str, path: Path, lines: list[int]) -> None:
    """Events are listed oldest first: the last one says whether the unit is still a member."""
    for event, earlier, line in zip(history[1:], history, lines[1:]):
        if event.years[0] < earlier.years[0]:
            raise UserError(f"'{member_id}': the {event.event} event of {event.cycle} is listed after the "
                            f"{earlier.event} event of {earlier.cycle}; list history oldest first", path, line)
