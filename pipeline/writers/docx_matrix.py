"""The comment matrix as a Word table: one row per comment, in paragraph order, landscape."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from . import docx_package

# relative column widths: No., paragraph, organisation, type, comment, proposed change, response, status
WIDTHS = (4, 7, 12, 8, 27, 16, 18, 8)


def _landscape(document) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(15)


def write_docx_matrix(table, path: Optional[Path], *, title: str, date: str, language: str) -> bytes:
    """A .docx holding `title` and the matrix table; same table and date → same bytes."""
    import docx
    from docx.shared import Pt
    document = docx.Document()
    _landscape(document)
    document.add_heading(title, level=1)
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    usable = document.sections[0].page_width - document.sections[0].left_margin - document.sections[0].right_margin
    for index, cell in enumerate(grid.rows[0].cells):
        cell.text = table.headers[index]
        cell.paragraphs[0].runs[0].bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for index, value in enumerate(row):
            lines = value.split("\n")
            cells[index].text = lines[0]
            for line in lines[1:]:
                cells[index].add_paragraph(line)
    docx_package.set_column_widths(grid, [int(usable * w / sum(WIDTHS)) for w in WIDTHS])
    for cell in (c for row in grid.rows for c in row.cells):
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(9)
    _repeat_header(grid)
    return docx_package.save_document(document, path, title=title, subject="Comment matrix", date=date,
                                      author="nhrap", language=language)


def _repeat_header(grid) -> None:
    """The header row repeats on every page of a long matrix."""
    from .ooxml import properties, sub
    sub(properties(grid.rows[0]._tr, "w:trPr"), "w:tblHeader")
