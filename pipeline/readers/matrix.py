"""A comment matrix spreadsheet (.xlsx or .csv) → rows keyed by column meaning.

Consultations exchange comments in a table: No., paragraph, organisation,
type, comment, proposed change (ISO and government comment forms), and the
secretariat returns it with a response and a status. Columns are found by
their header text, in English or Chinese, in any order; the header is the
first row that names a comment column. Row numbers are the spreadsheet's own,
so errors point at the row a person sees.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import UserError
from ..fileio import read_text, refuse_control

# column key -> header words that name it (lower case, compared without punctuation)
HEADERS = {
    "no": ("no", "number", "#", "序号", "编号"),
    "id": ("id", "comment id", "意见编号"),
    "para": ("paragraph", "paragraph number", "para", "paragraph no", "clause", "段落", "段落编号", "条款"),
    "org": ("organisation", "organization", "org", "member body", "source organisation", "source organization",
            "unit", "单位", "提出单位", "意见单位"),
    "type": ("type", "type of comment", "comment type", "类型", "意见类型"),
    "quote": ("quote", "quoted text", "original text", "text", "原文"),
    "comment": ("comment", "comments", "observation", "意见", "修改意见", "具体意见"),
    "proposed": ("proposed change", "proposed changes", "proposed wording", "proposal", "修改建议", "建议修改为"),
    "author": ("author", "reviewer", "contact", "联系人", "提出人"),
    "date": ("date", "日期"),
    "response": ("response", "secretariat observations", "observations of the secretariat", "disposition response",
                 "处理意见", "答复", "回应"),
    "status": ("status", "disposition", "采纳情况", "处理结果", "状态"),
}
SPREADSHEET_SUFFIXES = (".xlsx", ".csv")
MAX_ROWS = 20000


@dataclass
class MatrixRow:
    line: int  # the row number in the spreadsheet (1-based, header included)
    values: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def _key(text: str) -> str:
    return re.sub(r"[\s.:：/()（）_-]+", " ", str(text or "")).strip().lower()


_LOOKUP = {_key(word): key for key, words in HEADERS.items() for word in words}


def _columns(row: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, cell in enumerate(row):
        key = _LOOKUP.get(_key(cell))
        if key and key not in found.values():
            found[index] = key
    return found


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(path: Path) -> list[list[str]]:
    import zipfile
    from openpyxl import load_workbook
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise UserError(f"not a readable .xlsx workbook: {err}", path) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in row])
            _refuse_control_cells(rows[-1], len(rows), path)
            if len(rows) > MAX_ROWS:
                raise UserError(f"more than {MAX_ROWS} rows; split the matrix", path)
        return rows
    finally:
        workbook.close()


def _refuse_control_cells(cells: list[str], row: int, path: Path) -> None:
    """A workbook's cells are read cell by cell, not as a file's text: each is checked as every input is."""
    from openpyxl.utils import get_column_letter
    for index, text in enumerate(cells):
        refuse_control(text, path, 0, f"in row {row}, column {get_column_letter(index + 1)}")


def _csv_rows(path: Path) -> list[list[str]]:
    text = read_text(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def read_matrix(path: Path, required: tuple[str, ...] = ("comment",)) -> list[MatrixRow]:
    """Rows with a value in any column, keyed by column meaning; header found by its words."""
    path = Path(path)
    if not path.is_file():
        raise UserError("no such file", path)
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise UserError(f"a comment matrix must be .xlsx or .csv, not {suffix or 'a file without suffix'}", path)
    rows = _xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path)
    header_at: Optional[int] = None
    for index, row in enumerate(rows[:20]):
        columns = _columns(row)
        if set(required) <= set(columns.values()):
            header_at = index
            break
    if header_at is None:
        names = ", ".join(HEADERS[k][0] for k in required)
        raise UserError(f"no header row naming the column(s) {names} in the first 20 rows", path, 1)
    columns = _columns(rows[header_at])
    result = []
    for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {key: row[i] for i, key in columns.items() if i < len(row) and row[i]}
        if values and set(values) != {"no"}:
            result.append(MatrixRow(line=offset, values=values))
    return result
