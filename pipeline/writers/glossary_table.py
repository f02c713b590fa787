"""The bilingual glossary table (annex of the final plan): Markdown or a Word document.

Rows come from pipeline.readers.termbase.annex_rows: Chinese term, English
rendering (preferred first, deprecated left out), international equivalent
and instrument.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from .docx_plain import PlainDocument, PlanStyle, default_style

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


def glossary_docx(rows: list[dict[str, str]], path: Optional[Path], language: str = "en", date: str = "",
                  style: Optional[PlanStyle] = None) -> bytes:
    """The same table as a Word document on the plan's look (docx_plain: its fonts, Plan Table style,
    columns fitted to their words); fixed metadata: same rows → same bytes."""
    style = style or default_style(language)
    document = PlainDocument(style)
    document.add("Title", TITLES[language])
    document.table(HEADERS[language], [[row[key] for key in ("zh", "en", "intl")] for row in rows])
    return document.save(path, title=TITLES[language], subject="NHRAP glossary", date=date)
