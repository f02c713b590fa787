"""The comment matrix as an Excel workbook, with an ID column so responses can come back in bulk."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Optional

from ..fileio import atomic_write
from .fixed_zip import refixed

WIDTHS = (6, 14, 28, 12, 60, 40, 45, 16, 16)


def write_xlsx_matrix(table, path: Optional[Path], *, title: str, date: str) -> bytes:
    """One sheet: the matrix columns plus ID; the header row frozen and filtered."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Comments"
    sheet.append([*table.headers, "ID"])
    for row, ident in zip(table.rows, table.ids):
        sheet.append([int(row[0]), *row[1:], ident])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
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
