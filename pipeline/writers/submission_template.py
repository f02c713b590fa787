"""The blank Word template member units fill in; `readers.intake_docx` reads it back.

English or Chinese labels (the reader takes either); the same template gives the same bytes. It is
written on the language's packaged reference document, so it has the plan's fonts and page (仿宋_GB2312
body, 方正小标宋简体 title in Chinese; not python-docx's blue Calibri), and its twelve-column indicator
table stands in a landscape section, its columns as wide as their words (docx_columns).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..errors import UserError
from ..model import Plan
from ..readers.submission import DATE_BLANK_ZH, PART_HEADINGS
from . import docx_columns, docx_package
from .docx_plain import default_style
from .ooxml import qn

GOAL, MEASURE, INDICATOR = "g-unit-01", "m-unit-01", "i-unit-01"  # the ids of the template's example items
TEMPLATE_EXAMPLE_IDS = {GOAL, MEASURE, INDICATOR}  # which intake refuses, left in beside a unit's own items
LABELS = {
    "en": {
        "title": "Submission to the National Human Rights Action Plan",
        "help": "Fill in the header table. Start each outline section with a Heading 1 holding its section id (e.g. "
                "esc-work) or its title; under it use Heading 2 'Goals', 'Measures' and 'Indicators'. Write one goal "
                "or measure per paragraph, optionally starting with its id in brackets, e.g. [g-mohrss-01]; an item "
                "without one is numbered by its place (the third goal of mohrss is g-mohrss-03). Fill one indicator "
                "per table row; kind is binding or expected; comparison is at-least, at-most, reach, reduce-by, "
                "increase-by or maintain; deadline is a year ({end}) or a date ({end}-06-30); units are registry ids "
                "(nhrap members). A later round replaces the unit's earlier one as a whole.",
        "header": (("Member unit id", ""), ("Round", "1"), ("Date", "YYYY-MM-DD")),
        "columns": ["ID", "Indicator", "Target", "Unit", "Comparison", "Baseline", "Base year", "Deadline", "Kind",
                    "Lead unit", "Co-operating units", "Goal"],
        "goal": f"[{GOAL}] Goal text.",
        "measure": f"[{MEASURE}] Measure text.",
        "example": [INDICATOR, "Indicator text", "5.5", "%", "at-most", "5.2", "{base}", "{end}", "binding", "unit-id",
                    "", GOAL],
        "document": "NHRAP submission template",
    },
    "zh": {
        "title": "国家人权行动计划成员单位报送材料",
        "help": "请填写表头：成员单位编号（如 mohrss，见 nhrap members）、轮次和日期。每个章节以“标题 1”开头，写章节编号"
                "（如 esc-work）或章节标题；其下用“标题 2”写“目标”“措施”“指标”。每段写一项目标或措施，可在开头用方括号"
                "写编号，如 [g-mohrss-01]；未写编号的按顺序编号（mohrss 的第三项目标为 g-mohrss-03）。指标表每行一项；"
                "属性填约束性或预期性；比较填不低于、不高于、达到、下降、增长或保持；完成时限填年份（{end}）或日期"
                "（{end}-06-30）；牵头单位和参与单位填成员单位编号。后一轮报送材料整体取代前一轮。",
        "header": (("成员单位", ""), ("轮次", "1"), ("日期", DATE_BLANK_ZH)),
        "columns": ["编号", "指标", "目标值", "单位", "比较", "基期值", "基期年份", "完成时限", "属性", "牵头单位",
                    "参与单位", "对应目标"],
        "goal": f"[{GOAL}] 目标内容。",
        "measure": f"[{MEASURE}] 措施内容。",
        "example": [INDICATOR, "指标名称", "5.5", "%", "不高于", "5.2", "{base}", "{end}", "约束性", "unit-id", "",
                    GOAL],
        "document": "国家人权行动计划报送材料模板",
    },
}


def write_template(path: Path, language: str = "en", plan: Optional[Plan] = None) -> None:
    """The template in `language`; with the workspace's `plan`, its first section with goals and its years as the
    example."""
    import docx
    if language not in LABELS:
        raise UserError(f"no submission template in {language!r}: use one of {', '.join(LABELS)}")
    labels = LABELS[language]
    years = {"base": plan.period_start - 1, "end": plan.period_end} if plan else {"base": 2025, "end": 2030}
    section = next((s for s in (plan.sections.values() if plan else []) if s.goals), None)
    document = docx.Document(str(default_style(language).reference))
    document.add_heading(labels["title"], level=0)
    document.add_paragraph(labels["help"].format(**years))  # the plan's own years, not another plan's
    header = document.add_table(rows=3, cols=2)
    header.style = "Table Grid"
    for row, (label, value) in zip(header.rows, labels["header"]):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_heading(f"{section.title} {{#{section.id}}}" if section else "esc-work", level=1)
    goals, measures, indicators = (PART_HEADINGS[language][part] for part in ("goals", "measures", "indicators"))
    document.add_heading(goals, level=2)
    document.add_paragraph(labels["goal"], style="List Bullet")
    document.add_heading(measures, level=2)
    document.add_paragraph(labels["measure"], style="List Bullet")
    _landscape_section(document)
    document.add_heading(indicators, level=2)
    _indicator_table(document, [labels["columns"], [value.format(**years) for value in labels["example"]]])
    docx_package.save_document(document, Path(path), title=labels["document"], subject="", date="2025-01-01",
                               author="nhrap", language=language)


def _landscape_section(document) -> None:
    """A new page turned landscape, for the indicator table: twelve columns on a portrait page broke "2030"
    and "i-unit-01" mid-word."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    section = document.add_section(WD_SECTION.NEW_PAGE)
    if section.page_width < section.page_height:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width


def _indicator_table(document, rows: list[list[str]]) -> None:
    """The header row and the example row in Table Text, each column as wide as its words need."""
    from docx.shared import Twips
    section = document.sections[-1]
    width = int(section.page_width.twips - section.left_margin.twips - section.right_margin.twips)
    size = docx_columns.style_size(document.styles.element, "TableText")
    widths = docx_columns.column_widths([[[cell] for cell in row] for row in rows], width, size)
    table = document.add_table(rows=len(rows), cols=len(widths))
    table.style = "Table Grid"
    table.autofit = False
    for index, row in enumerate(rows):
        for cell, value, twips in zip(table.rows[index].cells, row, widths):
            cell.text = value
            cell.paragraphs[0].style = "Table Text"
            cell.width = Twips(twips)
    for grid_col, twips in zip(table._tbl.tblGrid.iter(qn("w:gridCol")), widths):
        grid_col.set(qn("w:w"), str(twips))
