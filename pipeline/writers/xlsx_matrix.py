"""The comment matrix as an Excel workbook, with an ID column so responses can come back in bulk.

`comments respond --from` and `comments import` (readers/matrix.py) find columns by their header, so the
columns added here (date, author, resolved in) are read or ignored by name, and older workbooks without
them still read.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Optional, Sequence

from ..fileio import atomic_write
from ..model import COMMENT_STATUSES, Comment
from .fixed_zip import refixed

WIDTHS = (6, 14, 28, 12, 60, 40, 45, 16)  # the matrix table's columns, No. to Status
EXTRA = {  # column → (header in the plan language, width); the reader knows date and author by these words
    "date": ({"en": "Date", "zh": "日期"}, 12),
    "author": ({"en": "Author", "zh": "提出人"}, 18),
    "resolved_in": ({"en": "Resolved in", "zh": "解决版本"}, 10),
}
ID_WIDTH = 16  # the last column, "ID" in every language: respond --from finds each row's comment by it
SHEET = {"en": "Comments", "zh": "意见汇总"}
DATE_FORMAT = "yyyy-mm-dd"
STATUS_COLUMN = 7  # 0-based: the matrix table's Status column


def write_xlsx_matrix(table, path: Optional[Path], *, title: str, date: str, language: str = "en",
                      comments: Optional[dict[str, Comment]] = None) -> bytes:
    """One sheet: the matrix columns, each comment's date and author, the version it was resolved in (when
    any comment has one), and its ID; header row frozen, filtered and printed atop each page; a drop-down of
    the status words on the Status column; landscape, one page wide."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter
    comments = comments or {}
    found = [comments.get(ident) for ident in table.ids]
    extra = ["date", "author"] + (["resolved_in"] if any(c and c.disposition.resolved_in for c in found) else [])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET.get(language, SHEET["en"])
    sheet.append([*table.headers, *(EXTRA[key][0].get(language, EXTRA[key][0]["en"]) for key in extra), "ID"])
    for row, ident, comment in zip(table.rows, table.ids, found):
        values = [int(row[0]), *row[1:], *(_extra_value(comment, key) for key in extra), ident]
        sheet.append([None if value == "" else value for value in values])  # no empty string cells
    _format(sheet, [*WIDTHS, *(EXTRA[key][1] for key in extra), ID_WIDTH],
            date_column=len(table.headers) + 1)
    _status_choices(sheet, status_words(language))
    _page_setup(sheet)
    stamp = dt.datetime.fromisoformat(date[:10]) if date else dt.datetime(2000, 1, 1)
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.title, workbook.properties.creator = title, "nhrap"
    buffer = io.BytesIO()
    # ExcelWriter directly: Workbook.save() stamps the clock into the "modified" property.
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    data = refixed(buffer.getvalue())
    if path is not None:
        atomic_write(Path(path), data)
    return data


def _extra_value(comment: Optional[Comment], key: str):
    """A comment's date as a real date (Excel sorts and filters it), its author, its resolving version."""
    if comment is None:
        return None
    if key == "date":
        return dt.date.fromisoformat(comment.date) if comment.date else None
    if key == "author":
        return comment.author or None
    return f"v{comment.disposition.resolved_in}" if comment.disposition.resolved_in else None


def status_words(language: str) -> list[str]:
    """The status words the matrix prints in the plan language, which `respond --from` reads back."""
    from ..comments import code_word
    return [code_word(status, language) for status in COMMENT_STATUSES]


def _format(sheet, widths: Sequence[int], date_column: int) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            if cell.data_type == "f":  # a reviewer's text opening with '=' is text, not a live formula
                cell.data_type = "s"
        row[date_column - 1].number_format = DATE_FORMAT
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _status_choices(sheet, words: list[str]) -> None:
    """A drop-down on the Status cells: only words the reader knows."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    choices = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
    column = get_column_letter(STATUS_COLUMN + 1)
    choices.add(f"{column}2:{column}{max(sheet.max_row, 2)}")
    sheet.add_data_validation(choices)


def _page_setup(sheet) -> None:
    """Printed landscape on A4, one page wide (as many pages long as it takes), the header row on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
