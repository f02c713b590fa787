"""The comment matrix as a Word table: one row per comment, in paragraph order, landscape.

Built on the plan's reference document (docx_plain): the plan's fonts, title
and table styles; columns wide enough for their headers and short values
(docx_columns); the header row repeats on every page.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional, Sequence

from .docx_plain import PlainDocument, PlanStyle, default_style, full_title, titles

# how the room beyond each column's words is shared: No., paragraph, organisation, type, comment,
# proposed change, response, status
WEIGHTS = (1, 2, 8, 2, 30, 18, 20, 3)
SUBJECT = {"en": "Comment matrix", "zh": "意见汇总表"}
NONE = {"en": "No comments have been received yet.", "zh": "尚未收到意见。"}
VERDICT = re.compile(r"^(\S+?)\s*([（(].*)$")  # "p0007（已改动）", "p0013 (orphaned)": id, then its note


def matrix_title(plan, rounds: Sequence[int] = (), versions: Sequence[int] = ()) -> tuple[str, str]:
    return titles(plan, SUBJECT, rounds, versions)


def write_docx_matrix(table, path: Optional[Path], *, title: str, date: str, language: str,
                      subtitle: str = "", style: Optional[PlanStyle] = None) -> bytes:
    """A .docx holding `title` (and `subtitle`) and the matrix table; same table and date → same bytes.
    `language` is the plan's (that of the titles), whatever profile `style` is."""
    style = style or default_style(language)
    document = PlainDocument(style, landscape=True, margins_mm=15)
    document.add("Title", title)
    if subtitle:
        document.add("Subtitle", subtitle)
    if table.rows:
        rows = [[row[0], _id_above_note(row[1]), *row[2:]] if len(row) > 1 else row for row in table.rows]
        document.table(table.headers, rows, weights=WEIGHTS if len(table.headers) == len(WEIGHTS) else None)
    else:  # a table of headers alone would leave the reader to work out that nothing came in
        document.add("BodyText", NONE.get(language, NONE["en"]))
    return document.save(path, title=full_title(title, subtitle, language),
                         subject=SUBJECT.get(language, SUBJECT["en"]), date=date)


def _id_above_note(paragraph: str) -> str:
    """The paragraph id and the note on what became of its text on lines of their own: the column is then as
    wide as the wider of the two, and neither breaks mid-word ("p0007（已 / 改动）")."""
    match = VERDICT.match(paragraph)
    return f"{match.group(1)}\n{match.group(2)}" if match else paragraph
