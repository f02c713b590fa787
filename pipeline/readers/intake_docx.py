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

A round replaces the unit's earlier one as a whole, so what intake does not read is refused, not dropped:
text is read as Word shows it with tracked changes accepted (insertions in, deletions out), content
controls included, and refused by its place are a paragraph or table where nothing reads it (an item
above the first section too), an indicator table without its header row, an unknown or repeated column,
a cell merged across columns, an extra row or column in the header table, and a form with nothing in it.
`【id】`, `［id］` and `〔id〕` are ids in brackets when they hold an id; a target repeating its unit (`5.5%`,
unit `%`) is the number. An .odt is converted by LibreOffice; a .doc or .rtf is refused, asking for a
.docx. Text above the first section that is no item (title, help, a cover note) and text in text boxes
are not part of the submission.
"""
from __future__ import annotations

import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, Iterator, Optional

from ..clock import DATE_FORMS, day
from ..errors import UserError, did_you_mean, excerpt, shown
from ..fileio import atomic_write, refuse_control
from ..model import Plan, Submission
from ..writers.submission_template import LABELS, TEMPLATE_EXAMPLE_IDS
from .config import ID_PATTERN
from .markdown import heading_anchor, heading_id_typo
from .review_docx import W, is_odt, open_package, refuse_declared_parts
from .submission import (DATE_BLANK_ZH, INDICATOR_KEYS, ITEM_ID, NUMBER, PART_HEADINGS, PART_HINT, PARTS, Invalid,
                         ascii_brackets, current_submissions, empty_round_message, indicator_from_record,
                         parse_submission, round_number, target_without_unit, unit_list)

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
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # Word 97-2003 .doc (and other old Office files, and encrypted ones)
OTHER_FORMATS = {"doc": "an old Word 97-2003 .doc file (or an encrypted or other Office file)",
                 "rtf": "a Rich Text Format (.rtf) file"}
EMPTY_FORM = ("no goals, measures or indicators found: write the unit's items under the template's Goals, Measures "
              "and Indicators headings (an empty submission would count the unit as having submitted)")
INDICATOR_HEADINGS = "{en} ({zh})".format(en=PART_HEADINGS["en"]["indicators"], zh=PART_HEADINGS["zh"]["indicators"])
# An id in the brackets a Chinese keyboard types (【g-mca-03】, ［m-mca-01］) is an id in brackets.


def _open(path: Path):
    """The .docx as python-docx reads it; an .odt converted by LibreOffice first, as `comments harvest` does."""
    if not path.exists():
        raise UserError("no such file", path)
    if not path.is_file():
        raise UserError("not a file (give the unit's .docx)", path)
    kind = _file_kind(path)
    if kind == "odt":
        return _converted(path)
    if kind in OTHER_FORMATS:
        raise UserError(f"{OTHER_FORMATS[kind]}, not a .docx: open it in Word or LibreOffice and save it as Word "
                        "(.docx)", path)
    if kind == "damaged":
        raise UserError("cannot read this .docx: its zip package is damaged; save it again from Word", path)
    if kind != "zip":
        raise UserError("not a Word .docx file (not a zip package)", path)
    with open_package(path) as archive:  # as `comments harvest` reads a returned file: sizes, then declarations
        refuse_declared_parts(archive, path)
    return _document(path, path)


def _file_kind(path: Path) -> str:
    """'doc', 'rtf', 'odt', 'zip' (a .docx, or another package), or '' by the file's first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head == OLE2:
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if not zipfile.is_zipfile(path):
        return ""
    try:
        with zipfile.ZipFile(path) as archive:
            return "odt" if is_odt(archive) else "zip"
    except (zipfile.BadZipFile, OSError, EOFError):
        return "damaged"


def _converted(path: Path):
    from .review_odt import converted_to_docx
    with tempfile.TemporaryDirectory(prefix="nhrap-intake-") as folder:
        return _document(converted_to_docx(path, Path(folder)), path)


def _document(source: Path, path: Path):
    import docx
    try:
        return docx.Document(str(source))
    except Exception as err:  # python-docx raises several types for broken packages
        raise UserError(f"cannot read this .docx: {err}", path) from None


def _body(document) -> Iterator[tuple[str, Any]]:
    """Paragraphs and tables in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    for child in _blocks(document.element.body):
        if child.tag == W + "p":
            yield "p", Paragraph(child, document)
        else:
            yield "t", Table(child, document)


def _blocks(parent) -> Iterator[Any]:
    """The w:p and w:tbl children of `parent`, those inside content controls (w:sdt, which templates made in
    Word use for fill-in fields) included."""
    for child in parent.iterchildren(W + "p", W + "tbl", W + "sdt"):
        if child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            yield from _blocks(content) if content is not None else ()
        else:
            yield child


# Text as Word shows it with tracked changes accepted: insertions (w:ins, w:moveTo) in, deletions out.
_SHOWN = {W + "t": None, W + "tab": " ", W + "br": " ", W + "cr": " ", W + "noBreakHyphen": "-"}
_REMOVED = {W + "del", W + "moveFrom"}


def _text(paragraph_element) -> str:
    """A paragraph's text as accepted (python-docx's `.text` leaves out text typed with Track Changes on)."""
    parts = []
    for node in paragraph_element.iter(*_SHOWN):
        owner = next((a for a in node.iterancestors() if a.tag in _REMOVED or a.tag == W + "p"), None)
        if owner is paragraph_element:  # not deleted, and not in a text box's own paragraph
            parts.append(node.text or "" if node.tag == W + "t" else _SHOWN[node.tag])
    return " ".join("".join(parts).split())


def _heading_level(paragraph) -> int:
    name = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    match = re.search(r"(heading|标题)\s*(\d)", name)
    return int(match.group(2)) if match else 0


def _cell_text(cell) -> str:
    texts = (_text(paragraph) for paragraph in cell._tc.iter(W + "p"))
    return " ".join(text for text in texts if text)


def _cell_texts(row) -> list[str]:
    return [_cell_text(cell) for cell in row.cells]


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
        self.tables = 0
        self.heading = ""
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
        text = ascii_brackets(_text(paragraph._p))
        level = _heading_level(paragraph)
        if level == 1 and text:
            title, anchor = heading_anchor(text)
            section = anchor or title
            if section not in self.plan.sections:
                section = self._section_by_title(title)
            self.section, self.part, self.heading = section, "", text
            self.sections.setdefault(section, [])
        elif level == 2 and text:
            self.part, self.heading = PARTS.get(text.lower(), ""), text
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
        elif not self.section and ITEM_ID.match(text):  # the title, the help or a cover note is not an item
            raise self.error("comes before any section heading (Heading 1), where it would not be read: put it "
                             f"under its section's Heading 2 ({PART_HINT})", f"paragraph '{excerpt(text, 40)}'")
        elif text and self.section:  # under a section heading or under Indicators: nothing would read it
            advice = ("indicators are read from the rows of the table under it: write it in a row"
                      if self.part == "indicators" else f"put it under a Heading 2 ({PART_HINT})")
            raise self.error(f"is under the heading '{self.heading}', where it would not be read: {advice}",
                             f"paragraph '{excerpt(text, 40)}'")

    def _section_by_title(self, title: str) -> str:
        section = self.plan.section_titled(title)
        if section:
            return section.id
        typo = heading_id_typo(title)
        raise self.error(f"heading '{title}' is neither an outline section id nor a section title"
                         + (f" ({typo})" if typo else ""))

    def table(self, table) -> None:
        self.tables += 1
        rows = list(table.rows)
        texts = [_cell_texts(row) for row in rows]
        if not any(any(cells) for cells in texts):
            return  # an empty table holds nothing to lose
        opening = f"('{excerpt(' '.join(texts[0]), 40)}')"
        if texts[0] and texts[0][0].lower() in HEADER_FIELDS:
            return self._header_table(texts)
        if self.part != "indicators" or not self.section:
            under = f"is under the heading '{self.heading}'" if self.heading else "comes before any section heading"
            raise self.error(f"{under}, where it would not be read: the indicator table goes under a Heading 2 "
                             f"'{INDICATOR_HEADINGS}' of its section", f"table {self.tables} {opening}")
        self.indicator_tables += 1  # numbered as its rows' messages number it
        columns = self._columns(texts, f"indicator table {self.indicator_tables} {opening}")
        for number, (row, cells) in enumerate(zip(rows[1:], texts[1:]), start=2):
            place = f"indicator table {self.indicator_tables}, row {number}"
            self._check_merged(row, texts[0], place)
            record = {key: value for key, value in zip(columns, cells) if key and value}
            if record:
                self.sections[self.section].append(_Item("indicators", place, record=record))

    def _header_table(self, texts: list[list[str]]) -> None:
        for number, cells in enumerate(texts, start=1):
            label = cells[0].lower()
            if any(cells[2:]):
                raise self.error("a third column of the header table is not read: write the value in the second "
                                 "column", f"header table, row {number}")
            if label in HEADER_FIELDS:
                self.header[HEADER_FIELDS[label]] = cells[1] if len(cells) > 1 else ""
            elif any(cells):
                fields = ", ".join(label for label, _ in [*LABELS["en"]["header"], *LABELS["zh"]["header"]])
                raise self.error(f"'{cells[0]}' is not a field of the header table ({fields}), and what the row "
                                 "holds would not be read: delete the row", f"header table, row {number}")

    def _columns(self, texts: list[list[str]], where: str) -> list[Optional[str]]:
        """Each column's field, from the header row; refused: a missing header row, an unknown or repeated name,
        a value in a column without a name."""
        head = texts[0]
        columns = [COLUMNS.get(unicodedata.normalize("NFKC", name).lower()) for name in head]
        language = next((code for code in LABELS if set(head) & set(LABELS[code]["columns"])), self.plan.language)
        known = LABELS.get(language, LABELS["en"])["columns"]
        if not any(columns):
            raise self.error(f"its first row is not the header row ({', '.join(known)}): copy it back from the "
                             "template (without it, no row is read as it was meant)", where)
        for number, (name, key) in enumerate(zip(head, columns), start=1):
            if name and not key:
                raise self.error(f"unknown column '{name}'{did_you_mean(name, known)} (columns: {', '.join(known)}): "
                                 "rename it, or move what it holds into the known columns and delete it", where)
            if key and key in columns[:number - 1]:
                raise self.error(f"column '{name}' appears twice: delete one", where)
            if not name and any(len(cells) >= number and cells[number - 1] for cells in texts[1:]):
                raise self.error(f"column {number} has no name in the header row ({', '.join(known)}) and what it "
                                 "holds would not be read", where)
        return columns

    def _check_merged(self, row, head: list[str], where: str) -> None:
        """A cell merged across columns: python-docx gives its text in each of them, as two fields' values."""
        cells = list(row.cells)
        for number in range(1, min(len(cells), len(head))):
            if cells[number]._tc is cells[number - 1]._tc and _cell_text(cells[number]):
                raise self.error(f"one cell is merged across the columns '{head[number - 1]}' and '{head[number]}': "
                                 "split it and write each value in its own column", where)

    # -- header ---------------------------------------------------------------
    def member(self, given: Optional[str]) -> str:
        written = given or self.header.get("member", "")
        member = self.unit_id(written)
        if member is None:
            where = "" if given else "header table, member unit"
            raise self.error(f"unknown member unit {shown(written)}: give --member ID or write the registry id in the "
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
            raise self.error(f"round {shown(written)} is not a number (1, 2, …)", "header table, round")
        return number

    def date(self) -> str:
        written = self.header.get("date") or ""
        if not written or written.upper() == "YYYY-MM-DD" or written == DATE_BLANK_ZH:  # the template's blanks
            return ""
        date = day(written)
        if date is None:
            raise self.error(f"date {shown(written)} is not a date ({DATE_FORMS})", "header table, date")
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
                advice = ("write the ids in the ID (编号) column" if item.part == "indicators"
                          else "write the ids in brackets")
                raise self.error(f"has no id, and the one it would get, '{item.id}', is already used by "
                                 f"{written[item.id].where}: {advice}", item.where)
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
        record["target"] = target_without_unit(record.get("target", ""), record.get("unit"))
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
        refuse_control(text, target)  # a Word file's XML may hold DEL and C1 controls: read, not written
        submission = parse_submission(text, target, ws.plan)
    except UserError as err:  # a mistake the checks above missed: still name the Word file
        raise UserError(f"{err.message} (in the Markdown it converts to)", path) from None
    empty = empty_round_message(submission)
    if empty:
        raise UserError(empty if round_no > 1 else EMPTY_FORM, path)
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
