"""A member unit's Word submission (written in the shipped template) → submission Markdown.

The template: a header table (member unit id, round, date); Heading 1 per
outline section (its id, or `Title {#id}`); under it Heading 2 "Goals" and
"Measures" with one paragraph per item (`[g-unit-01] text`, the id may be
left out and is then numbered), and Heading 2 "Indicators" with a table
whose header row names the columns. Problems are reported by table row.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Iterator, Optional

from ..errors import UserError
from ..fileio import atomic_write
from ..model import Plan
from .markdown import heading_anchor
from .submission import ITEM_ID, parse_submission

HEADER_FIELDS = {"member unit id": "member", "成员单位": "member", "round": "round", "轮次": "round",
                 "date": "date", "日期": "date"}
PARTS = {"goals": "Goals", "目标": "Goals", "measures": "Measures", "措施": "Measures",
         "indicators": "Indicators", "指标": "Indicators"}
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


class _Intake:
    def __init__(self, path: Path, plan: Plan):
        self.path, self.plan = path, plan
        self.header: dict[str, str] = {}
        self.sections: dict[str, dict[str, list]] = {}
        self.section = ""
        self.part = ""
        self.table_no = 0

    def read(self, document) -> None:
        for kind, item in _body(document):
            if kind == "t":
                self.table_no += 1
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
            self.sections.setdefault(section, {"Goals": [], "Measures": [], "Indicators": []})
        elif level == 2 and text:
            self.part = PARTS.get(text.lower(), "")
            if not self.part:
                raise UserError(f"unknown heading '{text}' under '{self.section}': use Goals, Measures or Indicators",
                                self.path)
        elif text and self.part in ("Goals", "Measures") and self.section:
            self.sections[self.section][self.part].append(text)

    def _section_by_title(self, title: str) -> str:
        for section in self.plan.sections.values():
            if section.title.lower() == title.lower():
                return section.id
        raise UserError(f"heading '{title}' is neither an outline section id nor a section title", self.path)

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
        if self.part != "Indicators":
            return
        columns = [COLUMNS.get(c) for c in head]
        for number, row in enumerate(rows[1:], start=2):
            record = {key: value for key, value in zip(columns, _cell_texts(row)) if key and value}
            if record:
                self.sections[self.section]["Indicators"].append((number, record))

    def markdown(self, member: str, round_no: int, date: str) -> str:
        lines = ["---", f"member: {member}", f"round: {round_no}", f"date: {date}", "---", ""]
        counters = {"Goals": 0, "Measures": 0, "Indicators": 0}
        prefix = {"Goals": "g", "Measures": "m", "Indicators": "i"}
        for section, parts in self.sections.items():
            lines += [f"## {section}", ""]
            for part in ("Goals", "Measures"):
                if parts[part]:
                    lines += [f"### {part}", ""]
                    for text in parts[part]:
                        counters[part] += 1
                        if not ITEM_ID.match(text):
                            text = f"[{prefix[part]}-{member}-r{round_no}-{counters[part]:02d}] {text}"
                        lines.append(f"- {text}")
                    lines.append("")
            if parts["Indicators"]:
                lines += ["### Indicators", "", "```yaml"]
                for row_number, record in parts["Indicators"]:
                    counters["Indicators"] += 1
                    record.setdefault("id", f"i-{member}-r{round_no}-{counters['Indicators']:02d}")
                    lines.append("- " + self._indicator_yaml(record, row_number, member))
                lines += ["```", ""]
        return "\n".join(lines)

    def _indicator_yaml(self, record: dict, row_number: int, member: str) -> str:
        import yaml
        where = f"indicator table {self.table_no}, row {row_number}"
        for field, what in (("text", "indicator text"), ("target", "target"), ("kind", "kind (binding or expected)"),
                            ("lead", "lead unit")):
            if not record.get(field):
                raise UserError(f"{where}: no {what}", self.path)
        for unit in [record["lead"], *record.get("cooperating", "").replace("，", ",").replace("、", ",").split(",")]:
            if unit.strip() and unit.strip() not in self.plan.members:
                raise UserError(f"{where}: unknown unit '{unit.strip()}'", self.path)
        data = {key: _scalar(value) for key, value in record.items() if key != "cooperating"}
        data["kind"] = {"约束性": "binding", "预期性": "expected"}.get(str(data["kind"]), str(data["kind"]).lower())
        if record.get("cooperating"):
            data["cooperating"] = [u.strip() for u in re.split(r"[,，、]", record["cooperating"]) if u.strip()]
        return yaml.safe_dump(data, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10000).strip()


def intake_docx(ws, path: Path, member: Optional[str] = None, round_no: Optional[int] = None,
                force: bool = False) -> dict:
    """Convert and store a Word submission; returns what was found and where it went."""
    path = Path(path)
    intake = _Intake(path, ws.plan)
    intake.read(_open(path))
    member = member or intake.header.get("member", "")
    if member not in ws.plan.members:
        raise UserError(f"unknown member unit {member!r}: give --member ID or fill in the header table", path)
    round_no = round_no or int(intake.header.get("round") or 1)
    date = intake.header.get("date") or ""
    if not intake.sections:
        raise UserError("no sections found: each section starts with a Heading 1 holding its outline id", path)
    text = intake.markdown(member, round_no, date)
    target = ws.submissions_dir / f"{member}-r{round_no}.md"
    submission = parse_submission(text, target, ws.plan)
    if target.exists() and not force:
        raise UserError("a submission for this unit and round already exists (use --force to replace it)", target)
    atomic_write(target, text)
    return {"path": str(target), "member": member, "round": round_no, "goals": len(submission.goals),
            "measures": len(submission.measures), "indicators": len(submission.indicators)}
