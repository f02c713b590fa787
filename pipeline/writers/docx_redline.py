"""Redline of version A → B as Word tracked changes a reviewer can accept or reject.

Blocks are matched by paragraph id (ids are stable across versions):
- same id, same text: plain;
- same id, edited: a word-level diff (pipeline.textdiff.word_diff) inside each
  paragraph when the block kept its kind and shape (same number of
  paragraphs); otherwise, and for code, the old block is deleted and the new
  one inserted whole;
- a table edited, with as many columns as before: its rows compared as units,
  as `nhrap diff` does (pipeline.textdiff.row_pairs): a row inserted or deleted
  is a tracked row insertion or deletion, a row edited gets word-level changes
  in its cells, the header row stays; with another number of columns the table
  is replaced whole;
- id only in B: inserted paragraph (runs and paragraph mark in w:ins);
- id only in A: deleted paragraph, placed after the nearest preceding block
  that survives (runs and paragraph mark in w:del).
Moved paragraphs appear at their new place (edits inside them still tracked).
Accepting all changes gives B's text; rejecting all gives A's.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ..model import Block, Document
from ..textdiff import row_pairs
from . import docx_package, ooxml
from .docx_body import Entry, Tracking, block_inlines
from .docx_document import (RenderInput, RenderResult, build_body, finish, iso_datetime, page_footers,
                            running_header, section_template)



def redline_entries(old: Document, new: Document) -> list[Entry]:
    """B's blocks in order, with A's deleted blocks slotted in after their surviving predecessor."""
    old_by_id = old.by_id()
    new_ids = {b.id for b in new.blocks}
    deleted_after: dict[str, list[Block]] = {}
    anchor = ""
    for block in old.blocks:
        if block.id in new_ids:
            anchor = block.id
        else:
            deleted_after.setdefault(anchor, []).append(block)
    entries = [Entry(b, "deleted") for b in deleted_after.get("", [])]
    for block in new.blocks:
        previous = old_by_id.get(block.id)
        if previous is None:
            entries.append(Entry(block, "inserted"))
        elif previous.source == block.source:
            entries.append(Entry(block))
        elif block.kind == "table" and previous.kind == "table":
            entries.extend(_table_entries(previous, block))
        elif _same_shape(previous, block):
            entries.append(Entry(block, "edited", previous))
        else:
            entries.extend([Entry(previous, "deleted"), Entry(block, "inserted")])
        entries.extend(Entry(b, "deleted") for b in deleted_after.get(block.id, []))
    return entries


def render_redline(inp: RenderInput, old: Document, author: str) -> RenderResult:
    """`inp.document` is version B; `old` is version A; changes dated from B's metadata."""
    docx = docx_package.open_reference(inp.reference)
    ids = ooxml.Ids()
    tracking = Tracking(author=author, date=iso_datetime(inp.version.date))
    body = build_body(docx, inp, ids, redline_entries(old, inp.document), paragraph_ids=False, tracking=tracking)
    sect_pr = section_template(docx)
    label = inp.profile.label("redline")
    running_header(docx, sect_pr, inp, label)
    page_footers(docx, sect_pr, inp.profile.page_numbers.get("consultation", "{PAGE}"), False)
    return finish(docx, inp, body, body.children, sect_pr, ids, subject=f"{label} {inp.version.name}")


def _same_shape(old: Block, new: Block) -> bool:
    """Diffable word by word: same kind, same heading level, same count of paragraphs or cells."""
    if old.kind != new.kind or old.kind in ("code", "rule") or old.level != new.level:
        return False
    return len(block_inlines(old)) == len(block_inlines(new)) > 0


def _table_entries(old: Block, new: Block) -> list[Entry]:
    """An edited table compared row by row, or deleted and inserted whole when its columns changed."""
    rows = _table_rows(old, new)
    if rows is None:
        return [Entry(old, "deleted"), Entry(new, "inserted")]
    shown, before, statuses = rows
    return [Entry(replace(new, source="\n".join(shown)), "edited", replace(old, source="\n".join(before)),
                  rows=statuses)]


def _table_rows(old: Block, new: Block) -> Optional[tuple[list[str], list[str], list[str]]]:
    """The Markdown lines of the table shown (B's rows with A's deleted rows in their place), the same rows
    as they were in A, and each row's status; None when the tables differ in columns. The header row is
    B's, with A's words for a word diff: it is never deleted, so the table keeps its header."""
    old_lines, new_lines = old.source.split("\n"), new.source.split("\n")
    old_rows, new_rows = old.text.split("\n"), new.text.split("\n")
    if (len(old_lines) != len(old_rows) + 1 or len(new_lines) != len(new_rows) + 1
            or _columns(old, len(old_rows)) != _columns(new, len(new_rows))):
        return None
    shown, before, statuses = new_lines[:2], old_lines[:2], [""]
    for o, n in row_pairs(old_rows[1:], new_rows[1:]):
        line = new_lines[n + 2] if n is not None else old_lines[o + 2]
        shown.append(line)
        before.append(old_lines[o + 2] if o is not None else line)
        statuses.append("deleted" if n is None else "inserted" if o is None else "")
    return shown, before, statuses


def _columns(table: Block, rows: int) -> int:
    """Columns of a pipe table: its cells (every row has as many as the header) by its rows."""
    return len(block_inlines(table)) // max(rows, 1)
