"""Blocks → Markdown, as a person would write it: blank lines between blocks, tight lists."""
from __future__ import annotations

import re
from typing import Iterable

from ..model import Block

# ASCII signs that make Markdown of plain text: emphasis, code, links and images, footnotes, `{#p0123}` marks,
# entities (&amp;), autolinks, table cells.
_INLINE_SIGNS = re.compile(r"([\\`*_\[\]{}<>&|~])")
# ... and at the start of a line: a heading, a list item (`1.` is escaped at its full stop; `>` is escaped above)
_LINE_START_SIGN = re.compile(r"^(\s*)(?=#{1,6}(?:\s|$)|[+-](?:\s|$))", re.M)
_LINE_START_NUMBER = re.compile(r"^(\s*\d{1,9})(?=[.)](?:\s|$))", re.M)


def literal(text: str) -> str:
    """Markdown that reads as exactly `text`: what a member unit wrote (`# x`, `*a*`, `![i](/etc/passwd)`,
    `{#p0030}`) is printed as written, never made a heading, emphasis, an image or an id mark."""
    escaped = _INLINE_SIGNS.sub(r"\\\1", text)
    escaped = _LINE_START_SIGN.sub(r"\1\\", escaped)
    return _LINE_START_NUMBER.sub(r"\1\\", escaped)


def blocks_to_markdown(blocks: Iterable[Block]) -> str:
    parts: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if previous is not None:
            tight = previous.kind == block.kind == "list_item" and block.level > 0
            parts.append("\n" if tight else "\n\n")
        parts.append(block.source)
        previous = block
    return "".join(parts) + "\n" if parts else ""
