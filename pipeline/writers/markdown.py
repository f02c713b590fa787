"""Blocks → Markdown, as a person would write it: blank lines between blocks, tight lists."""
from __future__ import annotations

from typing import Iterable

from ..model import Block


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
