"""Member submission Markdown (YAML front matter + sections) → Submission.

The body is organised by outline section ids (`## esc-work`); under each,
`### Goals` and `### Measures` hold list items starting with `[id]`, and
`### Indicators` holds a fenced YAML block with one mapping per indicator.
Everything is data: nothing in a submission is ever run as a template.
"""
from __future__ import annotations

import math
import re
from collections import Counter
import unicodedata
from pathlib import Path
from typing import Any, Optional

from ..clock import DATE_FORMS, day
from ..errors import UserError, did_you_mean, listing, shown
from ..fileio import full_width_hint, line_of, parse_yaml, read_text
from ..model import COMPARISONS, INDICATOR_KINDS, Goal, Indicator, Measure, Plan, Submission, chinese_counting
from .config import ID_PATTERN, NUMBER_OR_TEXT, TEXT, check_keys, check_types, quoted_value_message, wrong_type
from .markdown import heading_anchor, heading_id_typo, inline_text, parser

# units of the joint meeting take on indicators (a former member's submission is taken in with a warning)
INDICATOR_ROLES = ("lead", "member", "former")
ROLE_NAMES = {"expert": "an expert of the panel", "consulted": "a consulted organisation"}
# the parts' headings as intake and the submission template write them
PART_HEADINGS = {"en": {"goals": "Goals", "measures": "Measures", "indicators": "Indicators"},
                 "zh": {"goals": "目标", "measures": "措施", "indicators": "指标"}}
DATE_BLANK_ZH = "____年__月__日"  # the Chinese template's date to fill in: a blank, not a date
PARTS = {heading.lower(): part for headings in PART_HEADINGS.values() for part, heading in headings.items()}
PART_HINT = "use {0}, {1} or {2} ({3})".format(*PART_HEADINGS["en"].values(), "、".join(PART_HEADINGS["zh"].values()))
ITEM_ID = re.compile(r"^\[([^\]]+)\]\s*(.*)$", re.S)
FULL_WIDTH_ID = re.compile(r"^[【［〔]\s*([^】］〕\]]*?)\s*[】］〕]")
FRONT_MATTER_KEYS = ("member", "round", "date", "contact")
MEMBER_ID = ((str,), "a member id")
FRONT_MATTER_TYPES = {"member": MEMBER_ID, "round": ((int, str), "a number (1, 2, …)"), "contact": TEXT}
INDICATOR_TYPES = {"goal": ((str,), "a goal id"), "text": TEXT, "target": NUMBER_OR_TEXT, "unit": TEXT,
                   "comparison": TEXT, "baseline": NUMBER_OR_TEXT, "kind": TEXT, "lead": MEMBER_ID}
# drafts/submissions/<member>-r<round>.md: what the name says must be what the front matter says.
FILE_NAME = re.compile(r"^(?P<member>.+)-r(?P<round>\d+)\.md$")
INDICATOR_KEYS = ("id", "goal", "text", "target", "unit", "comparison", "baseline", "base_year", "deadline", "kind",
                  "lead", "cooperating")
# Words a unit may write for a comparison or a kind; the model keeps the English codes.
COMPARISON_WORDS = {
    "不低于": "at-least", "不少于": "at-least", "高于": "at-least", "不高于": "at-most", "不超过": "at-most",
    "低于": "at-most", "达到": "reach", "下降": "reduce-by", "增长": "increase-by", "保持": "maintain",
}
KIND_WORDS = {"约束性": "binding", "预期性": "expected"}
YEAR = re.compile(r"^(\d{4})\s*年?$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,000 (not 12,5, a decimal comma)
ROUND = re.compile(r"^(?:第\s*)?(\d+|[一二三四五六七八九十]+)\s*(?:轮)?$")
ROUNDS_IN_CHINESE = {chinese_counting(number): number for number in range(1, 100)}  # 二 → 2, 十二 → 12

class Invalid(ValueError):
    """A value a submission may not hold; the reader says where it is (a line, or a Word table row)."""


def target_without_unit(target: Any, unit: Any) -> Any:
    """`5.5%` with unit `%` (or `60％`, `1,000 people` with unit `people`) is the number: the unit is printed
    after the target, and would be twice."""
    text, unit = (unicodedata.normalize("NFKC", str(value or "")).strip() for value in (target, unit))
    number = text[: -len(unit)].strip() if isinstance(target, str) and unit and text.endswith(unit) else ""
    if THOUSANDS.match(number):
        number = number.replace(",", "")
    if not NUMBER.match(number):
        return target
    return float(number) if "." in number else int(number)


def ascii_brackets(text: str) -> str:
    """`【g-mca-03】 text` → `[g-mca-03] text` (a Chinese keyboard's brackets); other text as it is (`【重点任务】…`
    is a label, not an id)."""
    match = FULL_WIDTH_ID.match(text)
    if not match or not ID_PATTERN.match(match.group(1)):
        return text
    return f"[{match.group(1)}]" + text[match.end():]


def year(value: Any) -> Optional[int]:
    """`2030` or `2030年` → 2030; None otherwise."""
    if isinstance(value, bool):
        return None
    match = YEAR.match(unicodedata.normalize("NFKC", str(value)).strip())
    return int(match.group(1)) if match else None


def round_number(value: Any) -> Optional[int]:
    """`2` or `第2轮` → 2; None when `value` is not a round number (1 or more)."""
    match = None if isinstance(value, bool) else ROUND.match(unicodedata.normalize("NFKC", str(value)).strip())
    number = _round_digits(match.group(1)) if match else 0
    return number if number >= 1 else None


def _round_digits(written: str) -> int:
    """2 from '2' or 二 (第二轮, as a Chinese form writes the round); 0 otherwise."""
    return int(written) if written.isdigit() else ROUNDS_IN_CHINESE.get(written, 0)


def deadline(value: Any) -> Optional[str]:
    """A deadline as written in the model: 'YYYY' or 'YYYY-MM-DD' (Chinese forms normalised)."""
    found = year(value)
    return str(found) if found is not None else day(value)


def comparison(value: Any) -> str:
    text = " ".join(str(value or "").split())
    code = COMPARISON_WORDS.get(text) or text.lower().replace(" ", "-")
    if text and code not in COMPARISONS:
        words = "、".join(COMPARISON_WORDS)
        raise Invalid(f"comparison must be one of {', '.join(COMPARISONS)} (or {words}), not {shown(text)}")
    return code if text else ""


def kind(value: Any) -> str:
    text = str(value).strip()
    code = KIND_WORDS.get(text, text.lower())
    if code not in INDICATOR_KINDS:
        raise Invalid(f"kind must be binding or expected (约束性 or 预期性), not {shown(text)}")
    return code


def unit_list(value: Any) -> list[str]:
    """Co-operating units: a YAML list, or ids separated by commas or 、."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [" ".join(unit.split()) for unit in re.split(r"[,，、;；]", value) if unit.strip()]
    if isinstance(value, list) and all(isinstance(unit, str) for unit in value):
        return list(value)
    raise Invalid(f"cooperating must be a list of member ids, e.g. [mohrss, acftu], not {shown(value)}")


def split_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """(front matter, body, number of lines before the body)."""
    if not text.startswith("---\n"):
        raise UserError("missing YAML front matter (a '---' line, member/round/date, then '---')", path, 1)
    end = text.find("\n---\n", 3)
    if end < 0:
        raise UserError("front matter is not closed with a '---' line", path, 1)
    meta = parse_yaml(text[4:end + 1], path, line_offset=1)
    if not isinstance(meta, dict):
        hint = full_width_hint(str(meta or ""))
        raise UserError("front matter must be a mapping with member, round and date" + (f" ({hint})" if hint else ""),
                        path, 2)
    body_offset = text[: end + 5].count("\n")
    return meta, text[end + 5:], body_offset


def read_submission(path: Path, plan: Plan) -> Submission:
    return parse_submission(read_text(path), path, plan)


def parse_submission(text: str, path: Path, plan: Plan) -> Submission:
    meta, body, offset = split_front_matter(text, path)
    check_keys(meta, FRONT_MATTER_KEYS, path, "the front matter")
    check_types(meta, FRONT_MATTER_TYPES, path, "front matter")
    member = meta.get("member")
    if member in (None, ""):
        raise UserError("the front matter needs member: (the unit's id)", path, line_of(meta, "member") or 1)
    if member not in plan.members:
        hint = _name_hint(member or "", plan.members, plan) or f"; known ids: {listing(plan.members, 12)}"
        raise UserError(f"unknown member unit {shown(member)} in front matter{hint}", path, line_of(meta, "member"))
    round_no = round_number(meta.get("round", 1))
    if round_no is None:
        raise UserError(f"round must be a number (1, 2, …), not {shown(meta.get('round'))}", path, line_of(meta, "round"))
    date = meta.get("date")
    if date not in (None, ""):
        date = day(date)
        if date is None:
            raise UserError(f"date {shown(str(meta['date']))} is not a date ({DATE_FORMS})", path, line_of(meta, "date"))
    _check_file_name(path, member, round_no, meta)
    submission = Submission(member=member, round=round_no, date=date or "", path=str(path),
                            line=line_of(meta, "round"))
    _read_body(submission, body, offset, path, plan)
    return submission


def _check_file_name(path: Path, member: str, round_no: int, meta: dict) -> None:
    """A submission is kept in <member>-r<round>.md: a file named for one unit or round holding another would
    silently replace that one's submission, and one named otherwise (scio.md, mfa_r1.md) would be taken
    for a unit's file, or a round, that it is not."""
    name, expected = Path(path).name, f"{member}-r{round_no}.md"
    match = FILE_NAME.match(name)
    if not match:
        raise UserError(f"a submission's file is named <member>-r<round>.md: the file for this front matter "
                        f"({member} round {round_no}) is {expected}, not {name}", path, line_of(meta, "member"))
    if (match["member"], int(match["round"])) != (member, round_no):
        wrong = "member" if match["member"] != member else "round"
        raise UserError(f"the file name says {match['member']} round {int(match['round'])}, the front matter "
                        f"{member} round {round_no}: correct one of them (the file for this front matter is "
                        f"{expected})", path, line_of(meta, wrong))


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
                    raise UserError(f"unknown outline section '{section}'{_section_hint(title, section, plan)}",
                                    path, line)
                submission.sections.append(section)
                part = ""
            elif token.tag == "h3":
                part = PARTS.get(title.strip().lower(), "")
                if not part:
                    raise UserError(f"unknown heading '{title}': {PART_HINT}", path, line)
        elif token.type == "list_item_open" and token.level == 1 and part in ("goals", "measures"):
            _read_item(submission, tokens[index + 2], section, part, line, path)
        elif token.type == "fence" and part == "indicators":
            _read_indicators(submission, token.content, section, line + 1, path, plan)


def _section_hint(title: str, written: str, plan: Plan) -> str:
    """Why a level-2 heading names no section: an id in full-width braces, a section's title (Word intake
    takes titles; Markdown names a section by its id), or a near miss of an id."""
    typo = heading_id_typo(title)
    if typo:
        return f" ({typo})"
    section = plan.section_titled(title)
    if section:
        return (f"; did you mean '{section.id}' ({section.title})? A heading names its section by id: "
                f"'## {section.id}' or '## {section.title} {{#{section.id}}}'")
    return did_you_mean(written, plan.sections)


def _read_item(submission: Submission, inline: Any, section: str, part: str, line: int, path: Path) -> None:
    if not section:
        raise UserError(f"{part} listed before any '## section-id' heading", path, line)
    text = ascii_brackets(inline.content.strip())
    match = ITEM_ID.match(text)
    if not match:
        raise UserError(f"each {part[:-1]} starts with its id in brackets, e.g. '- [{part[0]}-unit-01] …'", path, line)
    if not ID_PATTERN.match(match.group(1)):
        raise UserError(f"{part[:-1]} id '{match.group(1)}' must be lowercase letters, digits and hyphens, e.g. "
                        f"'[{part[0]}-{submission.member}-01]'", path, line)
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
    line = line_of(record)
    if not isinstance(record, dict):
        raise UserError("each indicator must be a mapping", path, line)
    check_keys(record, INDICATOR_KEYS, path, f"indicator {record.get('id', '')}".strip(), "text")
    try:
        return indicator_from_record(record, section, member, plan, line)
    except Invalid as err:
        raise UserError(str(err), path, line) from None


def indicator_from_record(record: dict, section: str, member: str, plan: Plan, line: int = 0) -> Indicator:
    """An indicator from its fields (a submission's YAML, or a row of a Word table), checked and normalised.

    Raises `Invalid` with a message the caller places (file and line, or table and row).
    """
    ident = record.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        rule = " (lowercase letters, digits and hyphens)" if isinstance(ident, str) and ident else ""
        raise Invalid(f"indicator needs an id like 'i-{member}-01'{rule}, not {shown(ident)}")
    mistyped = wrong_type(record, INDICATOR_TYPES)
    if mistyped:
        raise Invalid(f"indicator {ident}: {mistyped[1]}")
    for field in ("text", "target", "kind", "lead"):
        if record.get(field) in (None, ""):
            what = {"target": "target", "lead": "responsible (lead) unit"}.get(field, f"'{field}'")
            raise Invalid(f"indicator {ident} has no {what}")
    for field in ("target", "baseline"):
        value = record.get(field)
        if isinstance(value, float) and not math.isfinite(value):  # YAML reads .nan, .inf as numbers
            written = ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
            raise Invalid(f"indicator {ident}: {field} must be a finite number (or words), not {written}")
    try:
        kind_code, compared, cooperating = kind(record["kind"]), comparison(record.get("comparison")), \
            unit_list(record.get("cooperating"))
    except Invalid as err:
        raise Invalid(f"indicator {ident}: {err}") from None
    repeated = next((unit for k, unit in enumerate(cooperating) if unit in cooperating[:k] + [record["lead"]]), None)
    if repeated:
        role = "the lead unit" if repeated == record["lead"] else "listed twice"
        raise Invalid(f"indicator {ident}: co-operating unit '{repeated}' is {role}; was another unit meant?")
    units = {key: m for key, m in plan.members.items() if m.role in INDICATOR_ROLES}
    for unit in [record["lead"], *cooperating]:
        if unit in units:
            continue
        if unit in plan.members:  # an expert or a consulted organisation
            raise Invalid(f"indicator {ident}: '{unit}' is {ROLE_NAMES[plan.members[unit].role]}, not a member "
                          "unit of the joint meeting: only member units take on indicators")
        raise Invalid(f"indicator {ident}: unknown unit '{unit}'{_unit_hint(unit, units, plan)}")
    due = None
    if record.get("deadline") not in (None, ""):
        due = deadline(record["deadline"])
        if due is None:
            raise Invalid(f"indicator {ident}: deadline '{record['deadline']}' is not a year or a date "
                          "(YYYY or YYYY-MM-DD)")
    base_year = None
    if record.get("base_year") not in (None, ""):
        base_year = year(record["base_year"])
        if base_year is None:
            raise Invalid(f"indicator {ident}: base_year '{record['base_year']}' is not a year (YYYY)")
    unit = str(record.get("unit") or "")
    if quoted_value_message("unit", unit):
        raise Invalid(f"indicator {ident}: {quoted_value_message('unit', unit)}")
    goal = record.get("goal")
    if goal not in (None, "") and not ID_PATTERN.match(goal):
        raise Invalid(f"indicator {ident}: goal must be a goal id like 'g-{member}-01', not {shown(goal)}")
    return Indicator(
        id=ident, text=str(record["text"]), target=target_without_unit(record["target"], unit), kind=kind_code, lead=str(record["lead"]),
        section=section, member=member, unit=unit, comparison=compared,
        baseline=record.get("baseline"), base_year=base_year, deadline=due,
        cooperating=cooperating, goal=goal or None, line=line,
    )


def _unit_hint(unit: str, units: dict, plan: Plan) -> str:
    """The id of a member unit written by its name, else a near miss of an id, else the member units."""
    return _name_hint(unit, units, plan) or did_you_mean(unit, units) or f"; member units: {listing(list(units), 12)}"


def _name_hint(written: str, units: dict, plan: Plan) -> str:
    """"; did you mean 'spc' (最高人民法院)? …" when `written` is the registry name of one of `units` (Word
    intake takes names; Markdown writes ids), else ''."""
    named = plan.member_named(written)
    if not named or named.id not in units:
        return ""
    return f"; did you mean '{named.id}' ({written})? A unit is written by its registry id"


def current_submissions(submissions: list[Submission]) -> list[Submission]:
    """Each unit's current submission (its latest round), by unit, checked as `nhrap draft` needs them.

    Refused, at the file and line concerned: a unit's round in two files, a later round with nothing in
    it, and what `check_current` refuses; what two files share is reported at the later in `submissions`.
    """
    latest: dict[str, Submission] = {}
    for submission in submissions:
        stored = latest.get(submission.member)
        if stored and stored.round == submission.round:
            raise UserError(f"round {submission.round} of '{submission.member}' is already in {stored.path}",
                            submission.path, submission.line)
        if not stored or submission.round > stored.round:
            latest[submission.member] = submission
    current = [submission for submission in submissions if latest[submission.member] is submission]
    rounds = Counter(submission.member for submission in submissions)
    for submission in current:
        message = empty_round_message(submission) if rounds[submission.member] > 1 else ""
        if message:
            raise UserError(message, submission.path, submission.line)
    check_current(current)
    return sorted(current, key=lambda s: s.member)


def check_current(submissions: list[Submission]) -> None:
    """What the units' current submissions must satisfy together: unique ids, goals that indicators name exist."""
    check_unique_ids(submissions)
    found = unresolved_goal(submissions)
    if found:
        submission, indicator = found
        raise UserError(unresolved_goal_message(indicator, submission), submission.path, indicator.line)


def unresolved_goal(submissions: list[Submission]) -> Optional[tuple[Submission, Indicator]]:
    """The first indicator whose `goal` is not a goal of any of `submissions`."""
    goals = {goal.id for submission in submissions for goal in submission.goals}
    return next(((submission, indicator) for submission in submissions for indicator in submission.indicators
                 if indicator.goal and indicator.goal not in goals), None)


def unresolved_goal_message(indicator: Indicator, submission: Submission) -> str:
    own = listing((goal.id for goal in submission.goals), 12) or "none"
    return (f"indicator {indicator.id}: goal '{indicator.goal}' is not a goal of this or any other current "
            f"submission (goals here: {own})")


def empty_round_message(submission: Submission) -> str:
    """Why a later round with nothing in it is refused ('' when it has something)."""
    if submission.goals or submission.measures or submission.indicators:
        return ""
    return (f"round {submission.round} of {submission.member} has no goals, measures or indicators; a later round "
            "replaces the earlier one as a whole (repeat in it everything that still stands)")


def check_unique_ids(submissions: list[Submission]) -> None:
    """Goal, measure and indicator ids are unique across all submissions."""
    seen: dict[str, tuple[str, int]] = {}
    for submission in submissions:
        for item in [*submission.goals, *submission.measures, *submission.indicators]:
            if item.id in seen:
                first_path, first_line = seen[item.id]
                raise UserError(f"id '{item.id}' is also used in {first_path}:{first_line} (duplicate id '{item.id}'; "
                                "ids are unique across the units' current submissions)", submission.path, item.line)
            seen[item.id] = (submission.path, item.line)
