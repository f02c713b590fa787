"""The bilingual glossary table (annex of the final plan): Markdown or a Word document.

Rows come from pipeline.readers.termbase.annex_rows: Chinese term, English
rendering (preferred first, deprecated left out), international equivalent
and instrument.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

HEADERS = {
    "en": ("Chinese term", "English rendering", "International equivalent / instrument"),
    "zh": ("中文术语", "英文译法", "国际人权用语及文书"),
}
TITLES = {"en": "Glossary of terms", "zh": "术语对照表"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def glossary_markdown(rows: list[dict[str, str]], language: str = "en", heading: bool = True) -> str:
    """A pipe table; with `heading`, preceded by '# Glossary of terms {#annex-glossary}'."""
    headers = HEADERS[language]
    lines = [f"# {TITLES[language]} {{#annex-glossary}}", ""] if heading else []
    lines += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(r[k]) for k in ("zh", "en", "intl")) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def glossary_docx(rows: list[dict[str, str]], path: Optional[Path], language: str = "en", date: str = "") -> bytes:
    """The same table as a Word document (fixed metadata: same rows → same bytes)."""
    from docx import Document

    from . import docx_package
    document = Document()
    document.add_heading(TITLES[language], level=1)
    grid = document.add_table(rows=1, cols=3)
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, HEADERS[language]):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, key in zip(grid.add_row().cells, ("zh", "en", "intl")):
            cell.text = row[key]
    return docx_package.save_document(document, path, title=TITLES[language], subject="NHRAP glossary", date=date,
                                      author="nhrap", language=language)
