"""The blank Word template member units fill in; `readers.intake_docx` reads it back."""
from __future__ import annotations

import io
from pathlib import Path

from ..fileio import atomic_write

TEMPLATE_COLUMNS = ["ID", "Indicator", "Target", "Unit", "Comparison", "Baseline", "Base year", "Deadline",
                    "Kind", "Lead unit", "Co-operating units", "Goal"]


def write_template(path: Path) -> None:
    import docx
    document = docx.Document()
    document.add_heading("Submission to the National Human Rights Action Plan", level=0)
    document.add_paragraph(
        "Fill in the header table. Start each outline section with a Heading 1 holding its section id (e.g. "
        "esc-work) or its title; under it use Heading 2 'Goals', 'Measures' and 'Indicators'. Write one goal or "
        "measure per paragraph, optionally starting with its id in brackets, e.g. [g-mohrss-01]. Fill one "
        "indicator per table row; kind is binding or expected; units are registry ids (nhrap members).")
    header = document.add_table(rows=3, cols=2)
    header.style = "Table Grid"
    for row, (label, value) in zip(header.rows, (("Member unit id", ""), ("Round", "1"), ("Date", "YYYY-MM-DD"))):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_heading("esc-work", level=1)
    document.add_heading("Goals", level=2)
    document.add_paragraph("[g-unit-01] Goal text.", style="List Bullet")
    document.add_heading("Measures", level=2)
    document.add_paragraph("[m-unit-01] Measure text.", style="List Bullet")
    document.add_heading("Indicators", level=2)
    table = document.add_table(rows=2, cols=len(TEMPLATE_COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, TEMPLATE_COLUMNS):
        cell.text = name
    example = ["i-unit-01", "Indicator text", "5.5", "%", "at-most", "5.2", "2025", "2030", "binding", "unit-id", "",
               "g-unit-01"]
    for cell, value in zip(table.rows[1].cells, example):
        cell.text = value
    document.core_properties.title = "NHRAP submission template"
    buffer = io.BytesIO()
    document.save(buffer)
    atomic_write(Path(path), buffer.getvalue())
