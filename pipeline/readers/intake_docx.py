"""A member unit's Word submission (written in the shipped template) → submission Markdown.

The template: a header table (member unit id, round, date); Heading 1 per
outline section (its id, its title, or `Title {#id}`); under it Heading 2
"Goals" and "Measures" (目标, 措施) with one paragraph per item
(`[g-unit-01] text`; the id may be left out), and Heading 2 "Indicators"
(指标) with a table whose header row names the columns, in English or in
Chinese. Problems are reported by the .docx and its table and row (or
paragraph), never by a line of the Markdown not yet written.

An item written without an id gets one from the unit and its place among
the document's items of that kind: the third goal of `most` is
`g-most-03`, in every round. A later round replaces the unit's earlier
one as a whole, so chapters that cite `g-most-03` keep working as long as
the goal stays third; give ids in brackets to keep them whatever the order.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Iterator, Optional

from ..clock import day
from ..errors import UserError, excerpt
from ..fileio import atomic_write
from ..model import Plan, Submission
from ..writers.submission_template import TEMPLATE_EXAMPLE_IDS
from .config import ID_PATTERN
from .markdown import heading_anchor, heading_id_typo
from .submission import (INDICATOR_KEYS, ITEM_ID, PART_HEADINGS, PART_HINT, PARTS, Invalid, current_submissions,
                         indicator_from_record, parse_submission, round_number, unit_list)

HEADER_FIELDS = {"member unit id": "member", "member unit": "member", "成员单位": "member", "成员单位编号": "member",
                 "round": "round", "轮次": "round", "date": "date", "日期": "date"}
PART_WORDS = {"goals": "goal", "measures": "measure", "indicators": "indicator"}
PREFIX = {"goals": "g", "measures": "m", "indicators": "i"}
COLUMNS = {
    "id": "id", "编号": "id", "indicator": "text", "指标": "text", "target": "target", "目标值": "target",
    "unit": "unit", "单位": "unit", "comparison": "comparison", "比较": "comparison", "baseline": "baseline",
    "基期值": "baseline", "base year": "base_year", "基期年份": "base_year", "deadline": "deadline",
    "完成时限": "deadline", "kind": "kind", "属性": "kind", "lead unit": "lead", "牵头单位": "lead",
    "co-operating units": "cooperating", "参与单位": "cooperating", "goal": "goal", "对应目标": "goal",
}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _open(path: Path):
    import docx
    if not path.exists():
        raise UserError("no such file", path)
    if not path.is_file():
        raise UserError("not a file (give the unit's .docx)", path)
    if not zipfile.is_zipfile(path):
        raise UserError("not a Word .docx file (not a zip package)", path)
    try:
        return docx.Document(str(path))
    except Exception as err:  # python-docx raises several types for broken packages
        raise UserError(f"cannot read this .docx: {err}", path) from None


def _body(document) -> Iterator[tuple[str, Any]]:
    """Paragraphs and tables in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield "p", Paragraph(child, document)
        elif tag == "tbl":
            yield "t", Table(child, document)


def _heading_level(paragraph) -> int:
    name = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    match = re.search(r"(heading|标题)\s*(\d)", name)
    return int(match.group(2)) if match else 0


def _cell_texts(row) -> list[str]:
    return [" ".join(cell.text.split()) for cell in row.cells]


def _scalar(value: str) -> Any:
    if NUMBER.match(value):
        return float(value) if "." in value else int(value)
    return value


class _Item:
    """A goal or measure paragraph, or an indicator row, with where it is in the .docx."""

    def __init__(self, part: str, where: str, text: str = "", record: Optional[dict] = None):
        self.part, self.where, self.text, self.record = part, where, text, record or {}
        self.id = ""


class _Intake:
    def __init__(self, path: Path, plan: Plan):
        self.path, self.plan = path, plan
        self.header: dict[str, str] = {}
        self.sections: dict[str, list[_Item]] = {}
        self.section = ""
        self.part = ""
        self.indicator_tables = 0
        self.paragraphs = {"goals": 0, "measures": 0}

    def error(self, message: str, where: str = "") -> UserError:
        return UserError(f"{where}: {message}" if where else message, self.path)

    def read(self, document) -> None:
        for kind, item in _body(document):
            if kind == "t":
                self.table(item)
            else:
                self.paragraph(item)

    def paragraph(self, paragraph) -> None:
        text = " ".join(paragraph.text.split())
        level = _heading_level(paragraph)
        if level == 1 and text:
            title, anchor = heading_anchor(text)
            section = anchor or title
            if section not in self.plan.sections:
                section = self._section_by_title(title)
            self.section, self.part = section, ""
            self.sections.setdefault(section, [])
        elif level == 2 and text:
            self.part = PARTS.get(text.lower(), "")
            if not self.part:
                raise self.error(f"unknown heading '{text}' under '{self.section}': {PART_HINT}")
        elif text and self.part in ("goals", "measures"):
            if not self.section:
                raise self.error(f"'{excerpt(text, 40)}' comes before any section heading (Heading 1)")
            self.paragraphs[self.part] += 1
            match = ITEM_ID.match(text)
            shown = match.group(2) if match and match.group(2) else text
            where = f"{PART_WORDS[self.part]} {self.paragraphs[self.part]} ('{excerpt(shown, 40)}')"
            self.sections[self.section].append(_Item(self.part, where, text=text))

    def _section_by_title(self, title: str) -> str:
        section = self.plan.section_titled(title)
        if section:
            return section.id
        typo = heading_id_typo(title)
        raise self.error(f"heading '{title}' is neither an outline section id nor a section title"
                         + (f" ({typo})" if typo else ""))

    def table(self, table) -> None:
        rows = list(table.rows)
        if not rows:
            return
        head = [c.lower() for c in _cell_texts(rows[0])]
        if head and head[0] in HEADER_FIELDS:
            for row in rows:
                cells = _cell_texts(row)
                if len(cells) >= 2 and cells[0].lower() in HEADER_FIELDS:
                    self.header[HEADER_FIELDS[cells[0].lower()]] = cells[1]
            return
        if self.part != "indicators":
            return
        self.indicator_tables += 1
        columns = [COLUMNS.get(c) for c in head]
        for number, row in enumerate(rows[1:], start=2):
            record = {key: value for key, value in zip(columns, _cell_texts(row)) if key and value}
            if record:
                where = f"indicator table {self.indicator_tables}, row {number}"
                self.sections[self.section].append(_Item("indicators", where, record=record))

    # -- header ---------------------------------------------------------------
    def member(self, given: Optional[str]) -> str:
        written = given or self.header.get("member", "")
        member = self.unit_id(written)
        if member is None:
            where = "" if given else "header table, member unit"
            raise self.error(f"unknown member unit {written!r}: give --member ID or write the registry id in the "
                             "header table", where)
        return member

    def round(self, given: Optional[int]) -> int:
        if given is not None:
            if given < 1:
                raise self.error(f"--round must be 1 or more, not {given}")
            return given
        written = self.header.get("round") or "1"
        number = round_number(written)
        if number is None:
            raise self.error(f"round {written!r} is not a number (1, 2, …)", "header table, round")
        return number

    def date(self) -> str:
        written = self.header.get("date") or ""
        if not written or written.upper() == "YYYY-MM-DD":
            return ""
        date = day(written)
        if date is None:
            raise self.error(f"date {written!r} is not a date (YYYY-MM-DD or 2025年10月8日)", "header table, date")
        return date

    def unit_id(self, written: str) -> Optional[str]:
        """A registry id from an id or a unit's exact name (English or Chinese)."""
        text = " ".join(str(written).split())
        if not text or text in self.plan.members:
            return text or None
        member = self.plan.member_named(text)
        return member.id if member else None

    # -- Markdown ---------------------------------------------------------------
    def assign_ids(self, member: str) -> dict[str, _Item]:
        """Each item's id: its own, or one from the unit and its place among items of its kind."""
        items = [item for items in self.sections.values() for item in items]
        written: dict[str, _Item] = {}
        for item in items:
            item.id = self._written_id(item)
            if item.id:
                if item.id in written:
                    raise self.error(f"id '{item.id}' is also used by {written[item.id].where}", item.where)
                written[item.id] = item
        ordinal = {part: 0 for part in PREFIX}
        for item in items:
            ordinal[item.part] += 1
            if item.id:
                continue
            item.id = f"{PREFIX[item.part]}-{member}-{ordinal[item.part]:02d}"
            if item.id in written:
                raise self.error(f"has no id, and the one it would get, '{item.id}', is already used by "
                                 f"{written[item.id].where}: write the ids in brackets", item.where)
            written[item.id] = item
        return written

    def _written_id(self, item: _Item) -> str:
        if item.part == "indicators":
            ident = str(item.record.get("id", ""))
        else:
            match = ITEM_ID.match(item.text)
            if not match:
                return ""
            ident = match.group(1).strip()
            item.text = " ".join(match.group(2).split())
        if ident and not ID_PATTERN.match(ident):
            raise self.error(f"id '{ident}' must be lowercase letters, digits and hyphens", item.where)
        if ident in TEMPLATE_EXAMPLE_IDS:  # left in beside the unit's own items, it would enter the plan as written
            raise self.error(f"'{ident}' is the template's example: delete it, or write the unit's own "
                             "text and id over it", item.where)
        return ident

    def markdown(self, member: str, round_no: int, date: str) -> str:
        import yaml
        lines = ["---", f"member: {member}", f"round: {round_no}"] + ([f"date: {date}"] if date else []) + ["---", ""]
        heading = PART_HEADINGS.get(self.plan.language, PART_HEADINGS["en"])
        for section, items in self.sections.items():
            lines += [f"## {section}", ""]
            for part in ("goals", "measures"):
                own = [item for item in items if item.part == part]
                if own:
                    lines += [f"### {heading[part]}", ""] + [f"- [{item.id}] {item.text}" for item in own] + [""]
            indicators = [item for item in items if item.part == "indicators"]
            if indicators:
                lines += [f"### {heading['indicators']}", "", "```yaml"]
                for item in indicators:
                    data = self._indicator(item, section, member)
                    lines.append("- " + yaml.safe_dump(data, default_flow_style=True, allow_unicode=True,
                                                       sort_keys=False, width=10000).strip())
                lines += ["```", ""]
        return "\n".join(lines)

    def _indicator(self, item: _Item, section: str, member: str) -> dict:
        """The row's fields, checked as a submission's are and normalised (ids for unit names, 2030 for 2030年)."""
        record: dict[str, Any] = {key: _scalar(value) for key, value in item.record.items()}
        record["id"] = item.id
        for key in ("text", "unit", "lead", "goal", "comparison", "kind", "deadline", "base_year"):
            if key in record:
                record[key] = str(item.record[key])  # as written: '2030', not 2030.0
        if record.get("lead"):
            record["lead"] = self.unit_id(record["lead"]) or record["lead"]
        try:
            record["cooperating"] = [self.unit_id(unit) or unit for unit in unit_list(record.get("cooperating"))]
            indicator = indicator_from_record(record, section, member, self.plan)
        except Invalid as err:
            raise self.error(str(err), item.where) from None
        data = {"id": indicator.id, "goal": indicator.goal, "text": indicator.text, "target": indicator.target,
                "unit": indicator.unit, "comparison": indicator.comparison, "baseline": indicator.baseline,
                "base_year": indicator.base_year,
                "deadline": int(indicator.deadline) if indicator.deadline and indicator.deadline.isdigit()
                else indicator.deadline,
                "kind": indicator.kind, "lead": indicator.lead, "cooperating": indicator.cooperating}
        return {key: data[key] for key in INDICATOR_KEYS if data[key] not in (None, "", [])}  # the documented order


def intake_docx(ws, path: Path, member: Optional[str] = None, round_no: Optional[int] = None,
                force: bool = False) -> dict:
    """Convert and store a Word submission; returns what was found, where it went, and warnings.

    The result is checked as `nhrap draft` checks submissions (ids unique among the units' current
    rounds, one file per unit and round) before anything is written.
    """
    path = Path(path)
    intake = _Intake(path, ws.plan)
    intake.read(_open(path))
    member = intake.member(member)
    round_no = intake.round(round_no)
    date = intake.date()
    if not intake.sections:
        raise UserError("no sections found: each section starts with a Heading 1 holding its outline id", path)
    items = intake.assign_ids(member)
    text = intake.markdown(member, round_no, date)
    target = ws.submissions_dir / f"{member}-r{round_no}.md"
    try:
        submission = parse_submission(text, target, ws.plan)
    except UserError as err:  # a mistake the checks above missed: still name the Word file
        raise UserError(f"{err.message} (in the Markdown it converts to)", path) from None
    if target.exists() and not force:
        raise UserError("a submission for this unit and round already exists (use --force to replace it)", target)
    warnings = _check_with_others(ws, submission, target, items, path)
    atomic_write(target, text)
    return {"path": str(target), "member": member, "round": round_no, "goals": len(submission.goals),
            "measures": len(submission.measures), "indicators": len(submission.indicators), "warnings": warnings}


def _check_with_others(ws, new: Submission, target: Path, items: dict[str, _Item], source: Path) -> list[str]:
    """What `nhrap draft` would refuse once the file is written (as errors), and what it would ignore (warnings)."""
    warnings = []
    unit = ws.plan.members[new.member]
    if unit.role == "former":
        warnings.append(f"'{new.member}' is a former member unit (see drafts/members.yaml): its indicators will be "
                        "flagged by `nhrap check plan`")
    elif unit.role not in ("lead", "member"):
        warnings.append(f"'{new.member}' is not a member unit (role: {unit.role})")
    others = [s for s in ws.all_submissions() if Path(s.path).resolve() != target.resolve()]
    try:
        current = current_submissions([*others, new])  # last: a round already stored is named in its error
    except UserError as err:
        raise _in_docx(err, new, items, source) from None
    later = next(s for s in current if s.member == new.member)
    if later is not new:
        warnings.append(f"{later.path} is a later round of '{new.member}': `nhrap draft` uses that one, not this one")
    return warnings


def _in_docx(err: UserError, new: Submission, items: dict[str, _Item], source: Path) -> UserError:
    """An error of those checks placed in the .docx: at the item of the Markdown line, or naming the other file."""
    if err.file != new.path:
        return UserError(f"{err.file}:{err.line}: {err.message}", source)
    places = {item.line: items[item.id].where for item in [*new.goals, *new.measures, *new.indicators]}
    where = places.get(err.line)
    return UserError(f"{where}: {err.message}" if where else err.message, source)
