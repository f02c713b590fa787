"""The bilingual glossary table (annex of the final plan): Markdown or a Word document.

Rows come from pipeline.readers.termbase.annex_rows: Chinese term, English
rendering (preferred first, deprecated left out), international equivalent
and instrument (in a Chinese table: the instrument and article in Chinese).
Title and column headers are the Word profile's labels, which the final
plan's annex uses too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from .docx_plain import PlainDocument, PlanStyle, default_style
from .profiles import language_profile

COLUMNS = ("glossary_zh", "glossary_term", "glossary_intl")  # profile labels: the final plan's annex says the same


def _words(language: str) -> tuple[str, list[str]]:
    """(title, column headers) as the Word profile of the language words them."""
    profile = language_profile(language)
    return profile.label("glossary_annex"), [profile.label(key) for key in COLUMNS]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def glossary_markdown(rows: list[dict[str, str]], language: str = "en", heading: bool = True) -> str:
    """A pipe table; with `heading`, preceded by '# Glossary of terms {#annex-glossary}'."""
    title, headers = _words(language)
    lines = [f"# {title} {{#annex-glossary}}", ""] if heading else []
    lines += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(r[k]) for k in ("zh", "en", "intl")) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def glossary_docx(rows: list[dict[str, str]], path: Optional[Path], language: str = "en", date: str = "",
                  style: Optional[PlanStyle] = None) -> bytes:
    """The same table as a Word document on the plan's look (docx_plain: its fonts, Plan Table style,
    columns fitted to their words); fixed metadata: same rows → same bytes."""
    style = style or default_style(language)
    title, headers = _words(language)
    document = PlainDocument(style)
    document.add("Title", title)
    document.table(headers, [[row[key] for key in ("zh", "en", "intl")] for row in rows])
    return document.save(path, title=title, subject="NHRAP glossary", date=date)
