"""Markdown blocks → WordprocessingML body (lxml), in one pass over markdown-it tokens.

The blocks' Markdown is parsed once as a whole (footnote references and
definitions resolve across blocks) and each Word paragraph is traced back
to the block it came from by source line. That gives, per block:
- in consultation mode, a visible paragraph number "[p0012]" and a bookmark
  named after the paragraph id spanning the block's text;
- in a redline, tracked insertion/deletion of whole blocks, or a word-level
  diff of an edited block against its previous text.

Styles are referred to by id; they come from the profile's reference document.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from lxml import etree

from ..errors import UserError
from ..fileio import local_image
from ..model import Block
from ..readers.markdown import HEADING_ID, parse, parser
from ..textdiff import DELETE, EQUAL, INSERT, word_diff
from . import docx_columns, docx_package, ooxml
from .ooxml import qn

# One character standing for a footnote mark, image or line break in a diff: an unassigned code point
# in the CJK compatibility block, so word_diff treats it as a word of its own.
OBJECT = "\ufa6e"
ORDERED = (("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3)"), ("decimal", "(%4)"),
           ("lowerLetter", "(%5)"), ("lowerRoman", "(%6)"), ("decimal", "%7."), ("lowerLetter", "%8."),
           ("lowerRoman", "%9."))
ALIGN = {"text-align:right": "right", "text-align:center": "center", "text-align:left": "left"}


@dataclass
class Entry:
    """One block to render; `status` '' | 'inserted' | 'deleted' | 'edited' (then `old` is its previous text).

    A table compared row by row (a redline) has `rows`, each row's status ('' | 'inserted' | 'deleted'):
    its `block` holds every row shown, the deleted ones too, and `old` the same rows as they were, so the
    cells pair up in order."""
    block: Block
    status: str = ""
    old: Optional[Block] = None
    rows: Optional[list[str]] = None


@dataclass
class Tracking:
    author: str
    date: str  # ISO 8601, e.g. 2026-03-02T00:00:00Z


@dataclass
class BodyOptions:
    paragraph_ids: bool = False  # consultation: "[p0012]" label + bookmark per block
    source_file: str = ""  # named in errors
    image_dir: Optional[Path] = None  # images resolve against this folder…
    image_root: Optional[Path] = None  # …and must stay inside this one (the workspace)
    tracking: Optional[Tracking] = None
    heading_label: Any = None  # counters → "II. " (the profile's numbering), for the TOC
    language: str = "en"  # a redline marks whole Chinese words (加强 → 强化), not single characters


@dataclass
class Heading:
    level: int
    text: str
    bookmark: str
    number: str


@dataclass
class Body:
    children: list[etree._Element] = field(default_factory=list)
    footnotes: list[tuple[int, list[etree._Element]]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    first_paragraph: dict[str, etree._Element] = field(default_factory=dict)  # block id → its first w:p


@dataclass
class Segment:
    """A piece of inline content with one formatting; `obj` for non-text (footnote, image, break)."""
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""
    obj: Optional[tuple] = None

    def sliced(self, start: int, end: int) -> "Segment":
        return Segment(self.text[start:end], self.bold, self.italic, self.code, self.href, self.obj)


def bookmark_name(anchor: str) -> str:
    """Word bookmark names: letters, digits, underscore, at most 40 characters."""
    return "_" + re.sub(r"[^A-Za-z0-9_]", "_", anchor)[:38]


class BodyWriter:
    """Renders entries into a Body; `docx` is the docx_package.WordPackage (for relationships, images)."""

    def __init__(self, docx, ids: ooxml.Ids, options: BodyOptions, text_width: int, text_height: int):
        self.docx, self.ids, self.options = docx, ids, options
        self.text_width, self.text_height = text_width, text_height
        self.body = Body()
        self.numbering = docx_package.numbering_root(docx)
        self._bullet_num: Optional[int] = None
        self._ordered_abstract: Optional[int] = None
        self.lists: list[tuple[int, int]] = []  # (numId, level) per open list
        self.item_first = False
        self.quote_depth = 0
        self.footnote: Optional[list[etree._Element]] = None
        self.footnote_ids: dict[str, int] = {}
        self.cell: Optional[list[etree._Element]] = None
        self.table: Optional[dict] = None
        self.p: Optional[etree._Element] = None
        self.line = 0
        self.current = -1
        self.bookmark_open: Optional[int] = None
        self.last_p: Optional[etree._Element] = None
        self.heading_counters: list[int] = []
        self.in_heading = 0
        self._old_for: Optional[Entry] = None
        self._old_inlines: list = []
        self._note_paragraphs: dict[str, etree._Element] = {}  # footnote label → paragraph referencing it
        self._table_size: Optional[float] = None  # points, of the Table Text style
        self._bookmarks: dict[str, str] = {}  # heading anchor → its bookmark, for the heading and links to it
        self._bookmark_names: set[str] = set()

    # -- driver ------------------------------------------------------------
    def render(self, entries: list[Entry], source: Optional[tuple[str, list[int]]] = None) -> Body:
        """Render the entries; `source` is (Markdown, line each entry starts on) when the entries are
        exactly the blocks of that Markdown, which then need not be joined and parsed again."""
        self.entries = entries
        text, self.starts = source or _join(entries)
        tokens = parse(text)
        self.footnote_ids = {t.meta["label"]: t.meta["id"] + 1 for t in tokens if t.type == "footnote_open"}
        handlers = self._handlers()
        for token in tokens:
            if token.map:
                self.line = token.map[0]
            handler = handlers.get(token.type)
            if handler:
                handler(token)
        self._close_block()
        return self.body

    def _handlers(self) -> dict[str, Any]:
        return {
            "heading_open": self._heading_open, "heading_close": self._paragraph_close,
            "paragraph_open": self._paragraph_open, "paragraph_close": self._paragraph_close,
            "inline": self._inline,
            "bullet_list_open": self._list_open, "ordered_list_open": self._list_open,
            "bullet_list_close": self._list_close, "ordered_list_close": self._list_close,
            "list_item_open": self._item_open,
            "blockquote_open": self._quote_open, "blockquote_close": self._quote_close,
            "fence": self._code, "code_block": self._code, "hr": self._rule,
            "table_open": self._table_open, "table_close": self._table_close,
            "thead_open": self._thead_open, "thead_close": self._thead_close,
            "tr_open": self._row_open, "th_open": self._cell_open, "td_open": self._cell_open,
            "th_close": self._cell_close, "td_close": self._cell_close,
            "footnote_open": self._footnote_open, "footnote_close": self._footnote_close,
        }

    # -- block bookkeeping -------------------------------------------------
    def _entry_index(self) -> int:
        return max(bisect.bisect_right(self.starts, self.line) - 1, 0)

    def _new_paragraph(self, style: str) -> etree._Element:
        """A paragraph placed where it belongs (body, table cell, footnote) and tied to its block."""
        p = ooxml.paragraph(style)
        if self.footnote is not None:
            self.footnote.append(p)
            if len(self.footnote) == 1:
                p.append(ooxml.footnote_mark())
                p.append(ooxml.run(" "))
        elif self.cell is not None:
            self.cell.append(p)
        else:
            previous = self.body.children[-1] if self.body.children else None
            docx_columns.space_after_table(self._styles(), previous, p, style)
            self.body.children.append(p)
        self._enter_block(p)
        return p

    def _enter_block(self, p: etree._Element) -> None:
        index = self._entry_index()
        entry = self.entries[index]
        if index != self.current:
            self._close_block()
            self.current = index
            block_id = entry.block.id
            if block_id:
                # Word comments cannot live in footnotes (LibreOffice rejects the file): a footnote's
                # paragraph for comments is the one that references it.
                target = self._note_paragraphs.get(entry.block.anchor) if self.footnote is not None else p
                if target is not None:
                    self.body.first_paragraph.setdefault(block_id, target)
            if self.options.paragraph_ids and block_id:
                p.append(ooxml.run(f"[{block_id}] ", style="ParagraphId"))
                self.bookmark_open = self.ids.next()
                p.append(ooxml.bookmark_start(self.bookmark_open, block_id))
        tracking, status = self.options.tracking, self._tracked_status()
        if tracking and status in ("inserted", "deleted"):
            kind = "ins" if status == "inserted" else "del"
            ooxml.track_paragraph_mark(p, kind, self.ids.next(), tracking.author, tracking.date)
        self.last_p = p

    def _tracked_status(self) -> str:
        """Whether what is being rendered comes or goes whole: its block's status, or in a table compared
        row by row, its row's."""
        if self.current < 0:
            return ""
        entry = self.entries[self.current]
        if entry.rows is not None and self.cell is not None:
            return entry.rows[len(self.table["rows"]) - 1]
        return entry.status

    def _close_block(self) -> None:
        if self.bookmark_open is not None and self.last_p is not None:
            self.last_p.append(ooxml.bookmark_end(self.bookmark_open))
        self.bookmark_open = None

    def _finish_paragraph(self, p: etree._Element) -> None:
        """Tracked whole-block insertions and deletions wrap the paragraph's runs."""
        tracking, status = self.options.tracking, self._tracked_status()
        if tracking and status in ("inserted", "deleted"):
            ooxml.track_content(p, "ins" if status == "inserted" else "del", self.ids, tracking.author, tracking.date)

    # -- paragraphs ---------------------------------------------------------
    def _heading_open(self, token) -> None:
        level = int(token.tag[1])
        self.in_heading = level
        self.p = self._new_paragraph(f"Heading{level}")

    def _paragraph_open(self, token) -> None:
        if self.cell is not None:
            return
        if self.footnote is not None:
            style = "FootnoteText"
        elif self.lists:
            style = "ListParagraph"
        elif self.quote_depth:
            style = "Quote"
        else:
            style = "BodyText"
        p = self._new_paragraph(style)
        if self.lists:
            num_id, level = self.lists[-1]
            ppr = ooxml.properties(p, "w:pPr")
            if self.item_first:
                ooxml.set_child(ppr, ooxml.num_pr(num_id, level))
                self.item_first = False
            else:
                ooxml.set_child(ppr, ooxml.el("w:ind", {"left": 360 * (level + 2), "firstLine": 0}))
        self.p = p

    def _paragraph_close(self, token) -> None:
        if self.p is not None:
            self._finish_paragraph(self.p)
            if self.in_heading:
                self.p.append(ooxml.bookmark_end(self.heading_mark))
        self.p = None
        self.in_heading = 0

    def _inline(self, token) -> None:
        if self.cell is not None and self.p is None:
            self.p = self._new_paragraph("TableText")
            self._fill(self.p, token)
            self._finish_paragraph(self.p)
            self.p = None
            return
        if self.p is None:
            return
        self._fill(self.p, token)

    def _fill(self, p: etree._Element, token) -> None:
        segments = self.segments(token)
        entry = self.entries[self.current]
        if self.in_heading:
            _strip_anchor(segments)
            self._heading(p, segments, entry.block)
        old_inline = self._old_inline() if entry.status == "edited" and entry.old else None
        if old_inline is not None and self.options.tracking:
            old_segments = self.segments(old_inline)
            if self.in_heading:
                _strip_anchor(old_segments)
            self._emit(p, diff_segments(old_segments, segments, self.options.language))
        else:
            self._emit(p, [(EQUAL, s) for s in segments])

    def _old_inline(self):
        """The previous text of the inline content being rendered (cells of a table pair up in order)."""
        entry = self.entries[self.current]
        if self._old_for is not entry:
            self._old_for, self._old_inlines = entry, block_inlines(entry.old, self.footnote_ids)
        return self._old_inlines.pop(0) if self._old_inlines else None

    def _heading(self, p: etree._Element, segments: list[Segment], block: Block) -> None:
        """Record the heading for the TOC and bookmark it for links and page references."""
        level = self.in_heading
        del self.heading_counters[level:]
        self.heading_counters.extend([0] * (level - len(self.heading_counters)))
        self.heading_counters[level - 1] += 1
        label = self.options.heading_label(self.heading_counters) if self.options.heading_label else ""
        if block.anchor:
            name = self._bookmark(block.anchor)
        else:
            name = self._unique(f"_Toc{len(self.body.headings) + 1:06d}")
        text = "".join(s.text for s in segments if not s.obj).strip()
        if self.footnote is None and self.cell is None:
            self.body.headings.append(Heading(level, text, name, label))
        self.heading_mark = self.ids.next()
        p.append(ooxml.bookmark_start(self.heading_mark, name))

    def _bookmark(self, anchor: str) -> str:
        """The bookmark of a heading anchor, the same for the heading and every link to it."""
        if anchor not in self._bookmarks:
            self._bookmarks[anchor] = self._unique(bookmark_name(anchor))
        return self._bookmarks[anchor]

    def _unique(self, name: str) -> str:
        """`name`, or with a suffix when another bookmark has it (`ch-1` and `ch_1` both give `_ch_1`):
        Word keeps only the first of two equal names, LibreOffice renames the second."""
        candidate, number = name, 1
        while candidate in self._bookmark_names:
            number += 1
            candidate = f"{name[:39 - len(str(number))]}_{number}"
        self._bookmark_names.add(candidate)
        return candidate

    # -- inline content ------------------------------------------------------
    def segments(self, token) -> list[Segment]:
        out: list[Segment] = []
        bold = italic = 0
        href = ""
        for child in token.children or []:
            kind = child.type
            if kind == "text":
                out.append(Segment(child.content, bold > 0, italic > 0, False, href))
            elif kind == "softbreak":
                out.append(Segment(" ", bold > 0, italic > 0, False, href))
            elif kind == "hardbreak":
                out.append(Segment(OBJECT, obj=("break",)))
            elif kind == "code_inline":
                out.append(Segment(child.content, bold > 0, italic > 0, True, href))
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                href = child.attrs.get("href", "")
            elif kind == "link_close":
                href = ""
            elif kind == "image":
                out.append(Segment(OBJECT, obj=("image", child.attrs.get("src", ""), child.content)))
            elif kind == "footnote_ref":
                out.append(Segment(OBJECT, obj=("footnote", child.meta["label"])))
            elif child.content:
                out.append(Segment(child.content, bold > 0, italic > 0, False, href))
        return out

    def _emit(self, p: etree._Element, pieces: list[tuple[int, Segment]]) -> None:
        """Runs for (op, segment) pieces: links grouped into w:hyperlink, changes into w:ins/w:del."""
        tracking = self.options.tracking
        index = 0
        while index < len(pieces):
            href = pieces[index][1].href
            group = []
            while index < len(pieces) and pieces[index][1].href == href:
                group.append(pieces[index])
                index += 1
            target = self._link(href) if href else p
            for _, segment in group:
                if segment.obj and segment.obj[0] == "footnote":
                    self._note_paragraphs.setdefault(segment.obj[1], p)
            for op, runs in _by_op(group, self._run):
                if op == EQUAL or tracking is None:
                    target.extend(runs)
                else:
                    kind = "ins" if op == INSERT else "del"
                    target.append(ooxml.tracked(kind, self.ids.next(), tracking.author, tracking.date, runs))
            if href:
                p.append(target)

    def _link(self, href: str) -> etree._Element:
        if href.startswith("#"):
            return ooxml.hyperlink([], anchor=self._bookmark(href[1:]))
        return ooxml.hyperlink([], rel_id=docx_package.add_hyperlink(self.docx, href))

    def _run(self, segment: Segment) -> etree._Element:
        if segment.obj is None:
            style = "Hyperlink" if segment.href else ("VerbatimChar" if segment.code else "")
            return ooxml.run(segment.text, ooxml.run_properties(style, segment.bold, segment.italic))
        kind = segment.obj[0]
        if kind == "footnote":
            return ooxml.footnote_reference(self.footnote_ids.get(segment.obj[1], 0))
        if kind == "image":
            return self._image(segment.obj[1], segment.obj[2])
        r = ooxml.run()
        ooxml.sub(r, "w:br")
        return r

    def _image(self, src: str, alt: str) -> etree._Element:
        path = self._image_path(src)
        from docx.image.exceptions import UnrecognizedImageError
        try:
            rel_id, width, height = docx_package.add_image(self.docx, path)
        except UnrecognizedImageError:
            raise UserError(f"image '{src}' is not a PNG, JPEG, GIF, BMP or TIFF file", *self._where()) from None
        limit = self.text_width * 635  # twips → EMU
        if width > limit:
            width, height = limit, int(height * limit / width)
        return docx_package.inline_picture(self.ids.next(), rel_id, path.name, (width, height), alt)

    def _image_path(self, src: str) -> Path:
        base = self.options.image_dir or Path.cwd()
        try:
            return local_image(src, base, self.options.image_root or base)
        except UserError as err:
            raise UserError(err.message, *self._where()) from None

    def _where(self) -> tuple[str, int]:
        index = self._entry_index()
        line = self.entries[index].block.line
        return self.options.source_file, (line + self.line - self.starts[index]) if line else 0

    # -- containers -----------------------------------------------------------
    def _list_open(self, token) -> None:
        level = len(self.lists)
        previous = self.body.children[-1] if self.body.children else None
        leads_in = previous is not None and previous.tag == qn("w:p") and \
            ooxml.paragraph_text(previous).rstrip().endswith((":", "："))
        if level == 0 and leads_in:
            ooxml.keep_with_next(previous)  # "The measures are:" never ends a page, its list on the next
        if token.type == "bullet_list_open":
            num_id = self._bullets()
        else:
            num_id = self._ordered(level, int(token.attrGet("start") or 1))
        self.lists.append((num_id, level))

    def _list_close(self, token) -> None:
        self.lists.pop()

    def _item_open(self, token) -> None:
        self.item_first = True

    def _bullets(self) -> int:
        if self._bullet_num is None:
            self._bullet_num = ooxml.bullet_list(self.numbering)
        return self._bullet_num

    def _ordered(self, level: int, start: int) -> int:
        """Each ordered list is its own w:num, so its numbering starts afresh."""
        if self._ordered_abstract is None:
            levels = [{"fmt": fmt, "text": text, "indent": 360 * (i + 2), "hanging": 360}
                      for i, (fmt, text) in enumerate(ORDERED)]
            abstract = ooxml.abstract_num(0, levels, nsid="4E48524F")
            ooxml.new_list(self.numbering, abstract)
            self._ordered_abstract = int(abstract.get(qn("w:abstractNumId")))
        _, num_id = ooxml.free_numbering_ids(self.numbering)
        ooxml.add_numbering(self.numbering, ooxml.num(num_id, self._ordered_abstract, level, start))
        return num_id

    def _quote_open(self, token) -> None:
        self.quote_depth += 1

    def _quote_close(self, token) -> None:
        self.quote_depth -= 1

    def _code(self, token) -> None:
        p = self._new_paragraph("SourceCode")
        p.append(ooxml.run(token.content.rstrip("\n")))
        self._finish_paragraph(p)

    def _rule(self, token) -> None:
        p = self._new_paragraph("BodyText")
        border = ooxml.el("w:pBdr", None, ooxml.el("w:bottom", {"val": "single", "sz": 6, "space": 1, "color": "auto"}))
        ooxml.set_child(ooxml.properties(p, "w:pPr"), border)
        self._finish_paragraph(p)

    def _table_open(self, token) -> None:
        self.table = {"rows": [], "header": 0, "align": [], "in_head": False}

    def _thead_open(self, token) -> None:
        self.table["in_head"] = True

    def _thead_close(self, token) -> None:
        self.table["in_head"] = False

    def _row_open(self, token) -> None:
        self.table["rows"].append([])
        if self.table["in_head"]:
            self.table["header"] += 1

    def _cell_open(self, token) -> None:
        self.cell = []
        row = self.table["rows"][-1]
        if len(self.table["rows"]) == 1:
            self.table["align"].append(ALIGN.get(token.attrGet("style") or "", ""))
        row.append(self.cell)

    def _cell_close(self, token) -> None:
        self.cell = None

    def _table_close(self, token) -> None:
        table = self.table
        texts = [[docx_columns.cell_lines(cell) for cell in row] for row in table["rows"]]
        size = self._table_points()
        widths = docx_columns.column_widths(texts, self.text_width, size, header_rows=table["header"])
        tbl = ooxml.table(table["rows"], widths, header_rows=table["header"], align=table["align"],
                          whole=docx_columns.whole_rows(texts, widths, size, self.text_height))
        self._track_rows(tbl)
        if self.body.children and self.body.children[-1].tag == qn("w:tbl"):
            self.body.children.append(ooxml.paragraph())  # adjacent tables would merge into one in Word
        elif self.body.children and self.body.children[-1].tag == qn("w:p"):
            ooxml.keep_with_next(self.body.children[-1])  # "…as follows:" never ends a page, its table on the next
            docx_columns.space_before_table(self._styles(), self.body.children[-1])
        self.body.children.append(tbl)
        self.table = None

    def _track_rows(self, tbl: etree._Element) -> None:
        """Rows inserted or deleted (all of them, for a table inserted or deleted whole) marked so in
        their w:trPr, so that accepting or rejecting the change removes the row, not just its text."""
        tracking, entry = self.options.tracking, self.entries[self.current]
        if tracking is None:
            return
        rows = tbl.findall(qn("w:tr"))
        for tr, status in zip(rows, entry.rows or [entry.status] * len(rows)):
            if status in ("inserted", "deleted"):
                ooxml.track_table_row(tr, "ins" if status == "inserted" else "del", self.ids.next(),
                                      tracking.author, tracking.date)

    def _table_points(self) -> float:
        """The Table Text style's size: column widths hold each column's words at it (docx_columns)."""
        if self._table_size is None:
            self._table_size = docx_columns.style_size(self._styles(), "TableText")
        return self._table_size

    def _styles(self) -> etree._Element:
        return docx_package.styles_root(self.docx)

    def _footnote_open(self, token) -> None:
        self.footnote = []
        self.footnote_id = token.meta["id"] + 1

    def _footnote_close(self, token) -> None:
        self.body.footnotes.append((self.footnote_id, self.footnote))
        self.footnote = None


def _strip_anchor(segments: list[Segment]) -> None:
    """Drop a heading's trailing `{#outline-id}`: it names the section, it is not text."""
    if segments and not segments[-1].obj:
        match = HEADING_ID.search(segments[-1].text)
        if match:
            segments[-1].text = segments[-1].text[: match.start()].rstrip()


def _join(entries: list[Entry]) -> tuple[str, list[int]]:
    """All blocks' Markdown separated by blank lines, with the line each block starts on."""
    parts, starts, line = [], [], 0
    for entry in entries:
        starts.append(line)
        parts.append(entry.block.source)
        line += entry.block.source.count("\n") + 2
    return "\n\n".join(parts) + "\n", starts


def block_inlines(block: Block, footnote_labels=()) -> list:
    """A block's inline tokens in order (a table's cells, a quote's paragraphs, a footnote's text)."""
    source = block.source
    if block.kind == "footnote":
        source += f"\n\n[^{block.anchor}]"  # a definition is only emitted when referenced
    env = {"footnotes": {"refs": {f":{label}": -1 for label in footnote_labels}, "list": {}}}
    tokens = parser().parse(source, env)
    if block.kind == "footnote":
        start = next((i for i, t in enumerate(tokens) if t.type == "footnote_open"), len(tokens))
        tokens = tokens[start:]
    return [t for t in tokens if t.type == "inline"]


def diff_segments(old: list[Segment], new: list[Segment], language: str = "en") -> list[tuple[int, Segment]]:
    """Word-level diff of two paragraphs' inline content; kept and inserted text keeps the new formatting."""
    old_cursor, new_cursor = _Cursor(old), _Cursor(new)
    out: list[tuple[int, Segment]] = []
    for op, text in word_diff(old_cursor.text, new_cursor.text, language=language):
        size = len(text)
        if op == EQUAL:
            out.extend((EQUAL, s) for s in new_cursor.take(size))
            old_cursor.take(size)
        elif op == INSERT:
            out.extend((INSERT, s) for s in new_cursor.take(size))
        else:
            out.extend((DELETE, s) for s in old_cursor.take(size))
    return out


class _Cursor:
    def __init__(self, segments: list[Segment]):
        self.segments = segments
        self.text = "".join(s.text for s in segments)
        self.index = self.offset = 0

    def take(self, size: int) -> list[Segment]:
        out = []
        while size > 0 and self.index < len(self.segments):
            segment = self.segments[self.index]
            chunk = min(size, len(segment.text) - self.offset)
            out.append(segment.sliced(self.offset, self.offset + chunk))
            size -= chunk
            self.offset += chunk
            if self.offset >= len(segment.text):
                self.index, self.offset = self.index + 1, 0
        return out


def _by_op(pieces: list[tuple[int, Segment]], make_run) -> list[tuple[int, list[etree._Element]]]:
    groups: list[tuple[int, list[etree._Element]]] = []
    for op, segment in pieces:
        if not segment.text:
            continue
        if groups and groups[-1][0] == op:
            groups[-1][1].append(make_run(segment))
        else:
            groups.append((op, [make_run(segment)]))
    return groups

