"""Markdown → blocks: the unit that carries paragraph ids.

Headings, paragraphs, list items (each at any depth), tables, block quotes,
code blocks, rules and footnote definitions each become one `Block`,
carrying its Markdown source, its plain text and the outline section it
sits in. Raw HTML is not interpreted: it stays text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Optional

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import UserError
from ..fileio import CONTROL
from ..gcpause import gc_paused
from ..model import Block, Document

HEADING_ID = re.compile(r"\s*\{#([A-Za-z0-9_.:-]+)\}\s*$")
# `{#id}` typed with a Chinese keyboard: ｛#id｝, {＃id}, 【#id】 — not an id, so the heading would lose it.
HEADING_ID_TYPO = re.compile(r"\s*[{｛【]\s*[#＃]\s*([A-Za-z0-9_.:-]+)\s*[}｝】]\s*$")
# `… text {#p0123}` at the end of a paragraph or list item: the drafter says which paragraph this is.
PARAGRAPH_PIN = re.compile(r"[ \t]*\{#(p\d+)\}[ \t]*$")
_PINNABLE = ("paragraph", "list_item")
_CONTAINERS = {"bullet_list_open", "ordered_list_open"}


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one Markdown dialect of the project: CommonMark + pipe tables + footnotes, HTML off."""
    return MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin)


@lru_cache(maxsize=2)
def parse(source: str) -> tuple[Token, ...]:
    """Tokens of a Markdown text; the last few are kept, so a reader and a writer of the same
    text parse it once (tokens are shared: treat them as read-only)."""
    return tuple(parser().parse(source))


def heading_anchor(inline: str) -> tuple[str, str]:
    """Split `Title {#id}` into (title, id)."""
    match = HEADING_ID.search(inline)
    if not match:
        return inline.strip(), ""
    return inline[: match.start()].strip(), match.group(1)


def heading_id_typo(inline: str) -> str:
    """A hint when a heading ends in an id written with full-width signs (`｛#esc-health｝`), else ''."""
    match = None if HEADING_ID.search(inline) else HEADING_ID_TYPO.search(inline)
    if not match:
        return ""
    return f"full-width signs in '{match.group(0).strip()}' — write the id as '{{#{match.group(1)}}}'"


def inline_text(token: Optional[Token]) -> str:
    """Plain text of an inline token: markup dropped, footnote references removed."""
    if token is None:
        return ""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content or "")
    return "".join(parts)


def _span_text(tokens: list[Token]) -> str:
    """Plain text of all inline tokens in a token span, paragraph by paragraph."""
    pieces = [inline_text(t) for t in tokens if t.type == "inline"]
    return " ".join(p for p in pieces if p)


def _close_index(tokens: list[Token], start: int) -> int:
    """Index of the token closing the one opened at `start`."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _lines(source_lines: list[str], rows: Iterable[int]) -> str:
    text = "\n".join(source_lines[r] for r in rows if r < len(source_lines))
    return text.rstrip("\n").rstrip()


def _table_text(tokens: list[Token]) -> str:
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(inline_text(token))
    return "\n".join(" | ".join(cells) for cells in rows)


class _BlockCollector:
    def __init__(self, source: str, line_offset: int, path: str = "", strict_headings: bool = False):
        self.lines = source.split("\n")
        self.offset = line_offset
        self.path, self.strict_headings = path, strict_headings
        self.blocks: list[Block] = []

    def add(self, kind: str, rows: list[int], text: str, level: int = 0, anchor: str = "") -> None:
        rows = [r for r in rows if r < len(self.lines)]
        while rows and not self.lines[rows[-1]].strip():
            rows.pop()
        if not rows:
            return
        source, text, pin = _lines(self.lines, rows), text.strip(), ""
        match = PARAGRAPH_PIN.search(source) if kind in _PINNABLE else None
        if match:
            source, text, pin = source[:match.start()], PARAGRAPH_PIN.sub("", text), match.group(1)
        self.blocks.append(Block(kind=kind, source=source, text=text, level=level,
                                 line=rows[0] + 1 + self.offset, anchor=anchor, pin=pin))

    def collect(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            end = _close_index(tokens, index) if token.nesting == 1 else index
            span = tokens[index:end + 1]
            rows = list(range(*token.map)) if token.map else []
            if token.type == "heading_open":
                title, anchor = heading_anchor(inline_text(tokens[index + 1]))
                if self.strict_headings and not anchor and heading_id_typo(title):
                    raise UserError(f"heading '{title}': {heading_id_typo(title)}", self.path or None,
                                    (rows[0] + 1 + self.offset) if rows else None)
                self.add("heading", rows, title, level=int(token.tag[1]), anchor=anchor)
            elif token.type == "paragraph_open":
                self.add("paragraph", rows, _span_text(span))
            elif token.type in _CONTAINERS:
                self.list_items(tokens, index, end, depth=1)
            elif token.type == "table_open":
                self.add("table", rows, _table_text(span))
            elif token.type == "blockquote_open":
                self.add("quote", rows, _span_text(span))
            elif token.type in ("fence", "code_block"):
                self.add("code", rows, token.content)
            elif token.type == "hr":
                self.add("rule", rows, "")
            elif token.type == "footnote_open":
                self.footnote(span)
            elif token.type == "footnote_block_open":
                self.collect(span[1:-1])
            index = end + 1

    def list_items(self, tokens: list[Token], start: int, end: int, depth: int) -> None:
        index = start + 1
        while index < end:
            token = tokens[index]
            close = _close_index(tokens, index)
            if token.type == "list_item_open":
                self.list_item(tokens, index, close, depth)
            index = close + 1

    def list_item(self, tokens: list[Token], start: int, end: int, depth: int) -> None:
        """One item: its own lines and text; nested lists become items of their own."""
        item = tokens[start]
        nested_rows: set[int] = set()
        own_tokens: list[Token] = []
        nested: list[tuple[int, int]] = []
        index = start + 1
        while index < end:
            token = tokens[index]
            close = _close_index(tokens, index) if token.nesting == 1 else index
            if token.type in _CONTAINERS:
                nested.append((index, close))
                if token.map:
                    nested_rows.update(range(*token.map))
            else:
                own_tokens.extend(tokens[index:close + 1])
            index = close + 1
        rows = [r for r in range(*item.map) if r not in nested_rows] if item.map else []
        self.add("list_item", rows, _span_text(own_tokens), level=depth)
        for open_index, close_index in nested:
            self.list_items(tokens, open_index, close_index, depth + 1)

    def footnote(self, span: list[Token]) -> None:
        rows: list[int] = []
        for token in span:
            if token.map:
                rows.extend(range(*token.map))
        label = span[0].meta.get("label", "")
        if rows:
            first = min(rows)
            # the definition's first line holds "[^label]:" — start the block there
            while first > 0 and f"[^{label}]:" not in self.lines[first]:
                first -= 1
            rows = list(range(first, max(rows) + 1))
        self.add("footnote", rows, _span_text(span), anchor=label)


FOOTNOTE_DEFINITION = re.compile(r"^\[\^([^\]]+)\]:")


def _keep_unparsed(collector: _BlockCollector) -> None:
    """Lines no block holds still become blocks, so no text is ever dropped: a footnote whose
    reference was deleted (the parser leaves it out) or a link reference definition."""
    covered = set()
    for block in collector.blocks:
        first = block.line - 1 - collector.offset
        covered.update(range(first, first + block.source.count("\n") + 1))
    run: list[int] = []
    for row, line in enumerate([*collector.lines, ""]):
        if line.strip() and row not in covered:
            run.append(row)
        elif run:
            match = FOOTNOTE_DEFINITION.match(collector.lines[run[0]])
            text = " ".join(collector.lines[r].strip() for r in run)[match.end() if match else 0:].strip()
            collector.add("footnote" if match else "paragraph", run, text, anchor=match.group(1) if match else "")
            run = []


def refuse_entity_controls(blocks: list[Block], path) -> None:
    """A control character written as a character reference (`&#x0c;`), which the file's own check cannot see:
    parsed into the text, it would freeze into a version no Word file can hold."""
    for block in blocks:
        found = CONTROL.search(block.text)
        if found:
            raise UserError(f"control character U+{ord(found.group()):04X}, written as a character reference "
                            "(&#…;); delete it", path, block.line)


def parse_blocks(source: str, *, line_offset: int = 0, path: str = "", strict_headings: bool = True) -> Document:
    """Split Markdown into blocks in document order, without section information.

    With `strict_headings` (chapters being composed), a heading id typed with full-width signs
    (`｛#esc-health｝`) is an error rather than text; frozen versions are read as they stand.
    """
    collector = _BlockCollector(source, line_offset, path, strict_headings)
    with gc_paused():
        collector.collect(list(parse(source)))
    _keep_unparsed(collector)
    collector.blocks.sort(key=lambda b: b.line)
    return Document(blocks=collector.blocks, path=path)


def assign_sections(document: Document, outline_ids: set[str]) -> None:
    """Give every block the outline id of the heading it falls under."""
    current = ""
    for block in document.blocks:
        if block.kind == "heading" and block.anchor in outline_ids:
            current = block.anchor
        block.section = current


def read_markdown(source: str, outline_ids: set[str] = frozenset(), *, path: str = "", line_offset: int = 0) -> Document:
    document = parse_blocks(source, line_offset=line_offset, path=path, strict_headings=False)
    if not line_offset and not any(b.pin for b in document.blocks):  # else the blocks are not the source
        document.source = source
    assign_sections(document, set(outline_ids))
    return document
