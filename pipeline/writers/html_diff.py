"""A version diff as one self-contained HTML page (for e-mail or a browser).

Paragraphs are shown as plain text (no Markdown marks), headings as headings, tables as tables
(a changed table as its rows, one a line, with the changes marked), each with its paragraph id,
its section and, for split, merged and moved paragraphs, where it came from or went. Every piece
of plan text is escaped: member text is data, never markup. The page has no scripts, no external
resources and nothing that varies between runs.
"""
from __future__ import annotations

from html import escape
from typing import Optional

from ..diff import VersionDiff, provenance_note
from ..model import Block

STYLE = """body{font-family:Georgia,'Noto Serif CJK SC',serif;max-width:60em;margin:2em auto;line-height:1.5}
h1{font-size:1.4em}h2{font-size:1.1em;border-bottom:1px solid #ccc}
.block{margin:.8em 0}.meta{font-size:.85em;color:#666}.pid{font-family:monospace;margin-right:.6em}
.sec{margin-right:.6em}.note{font-style:italic;color:#245}
ins{background:#d4f7d4;text-decoration:none}del{background:#f9d6d6}
.heading{font-weight:bold}.h1{font-size:1.3em}.h2{font-size:1.15em}.h3{font-size:1.05em}
.list_item{padding-left:1.2em;text-indent:-1em}.list_item::before{content:"\\2022\\00a0\\00a0"}
.quote{border-left:3px solid #ccc;padding-left:.8em}.footnote{font-size:.9em}
.rows,.code{white-space:pre-wrap}.code{font-family:monospace}
table.grid{border-collapse:collapse}table.grid td,table.grid th{border:1px solid #bbb;padding:.1em .4em}
.summary td{padding:0 1em 0 0}"""


def _words(ops: list[tuple[int, str]]) -> str:
    tags = {1: "ins", -1: "del"}
    return "".join(f"<{tags[op]}>{escape(text)}</{tags[op]}>" if op else escape(text) for op, text in ops)


def _table(text: str) -> Optional[str]:
    """A table block's plain text (one row a line, cells joined by ' | ') as an HTML table;
    None when the rows disagree on the number of cells (a cell holding ' | ' itself)."""
    rows = [line.split(" | ") for line in text.split("\n")]
    if len({len(row) for row in rows}) != 1:
        return None
    head = "".join(f"<th>{escape(cell)}</th>" for cell in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows[1:])
    return f"<table class='grid'><tr>{head}</tr>{body}</table>"


def _body(kind: str, level: int, inner: str, wrap: str = "") -> str:
    """The block's text (already escaped and marked) in the look of its kind."""
    classes = {"heading": f"heading h{min(max(level, 1), 3)}", "table": "rows", "code": "code"}.get(kind, kind)
    if wrap:
        inner = f"<{wrap}>{inner}</{wrap}>"
    role = f" role='heading' aria-level='{min(level + 2, 6)}'" if kind == "heading" else ""
    indent = f" style='margin-left:{(level - 1) * 1.5}em'" if kind == "list_item" and level > 1 else ""
    return f"<div class='{classes}'{role}{indent}>{inner}</div>"


def _block_body(block: Block, wrap: str = "") -> str:
    if block.kind == "table":
        table = _table(block.text)
        if table:
            return f"<{wrap}>{table}</{wrap}>" if wrap else table
    return _body(block.kind, block.level, escape(block.text), wrap)


def _entry(pid: str, section: str, titles: dict[str, str], note: str, body: str) -> str:
    meta = [f"<span class='pid'>{escape(pid)}</span>"]
    if section:
        title = titles.get(section)
        meta.append(f"<span class='sec'>{escape(section)}" + (f" · {escape(title)}" if title else "") + "</span>")
    if note:
        meta.append(f"<span class='note'>{escape(note)}</span>")
    return f"<div class='block'><div class='meta'>{''.join(meta)}</div>{body}</div>"


def diff_to_html(diff: VersionDiff, title: str, titles: Optional[dict[str, str]] = None) -> str:
    """The page; `titles` maps chapter and section ids to their titles (shown next to each change)."""
    titles = titles or {}
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}</title>",
             f"<style>{STYLE}</style></head><body>",
             f"<h1>{escape(title)}: v{diff.a} → v{diff.b}</h1><table class='summary'>"]
    counts = (("changed", len(diff.changed)),
              ("added", len(diff.added)), ("of which split from a paragraph", len(diff.split)),
              ("deleted", len(diff.deleted)), ("of which merged into a paragraph", len(diff.merged)),
              ("moved", len(diff.moved)))
    for name, count in counts:
        if count or not name.startswith("of which"):
            parts.append(f"<tr><td>{name}</td><td>{count}</td></tr>")
    parts.append("</table>")
    if diff.changed:
        parts.append(f"<h2>Changed ({len(diff.changed)})</h2>")
        for change in diff.changed:
            note = "formatting only" if change.formatting_only else ""
            parts.append(_entry(change.id, change.section, titles, note,
                                _body(change.kind, change.level, _words(change.words))))
    for heading, blocks, wrap in (("Added", diff.added, "ins"), ("Deleted", diff.deleted, "del"),
                                  ("Moved", diff.moved, "")):
        if blocks:
            parts.append(f"<h2>{heading} ({len(blocks)})</h2>")
            parts += [_entry(b.id, b.section, titles, provenance_note(diff, b, titles), _block_body(b, wrap))
                      for b in blocks]
    parts.append("</body></html>\n")
    return "\n".join(parts)
