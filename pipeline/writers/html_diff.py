"""A version diff as one self-contained HTML page (for e-mail or a browser).

Paragraphs are shown as plain text (no Markdown marks), headings as headings, tables as tables
(a changed table as its rows, one a line, with the changes marked), each with its paragraph id,
its section and, for split, merged and moved paragraphs, where it came from or went. Every piece
of plan text is escaped: member text is data, never markup. The page has no scripts, no external
resources and nothing that varies between runs. Its fixed words are the labels of the plan language's
profile, as in the Word outputs.
"""
from __future__ import annotations

from html import escape
from typing import Optional

from ..diff import VersionDiff
from ..model import Block
from .profiles import Profile
from .text_diff import diff_profile, provenance_note

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


def _summary(diff: VersionDiff, profile: Profile) -> list[str]:
    """The table of counts; the 'of which' rows only when there are any."""
    counts = (("diff_changed", len(diff.changed), True),
              ("diff_added", len(diff.added), True), ("diff_split_share", len(diff.split), False),
              ("diff_deleted", len(diff.deleted), True), ("diff_merged_share", len(diff.merged), False),
              ("diff_moved", len(diff.moved), True))
    rows = [f"<tr><td>{escape(profile.label(key))}</td><td>{count}</td></tr>"
            for key, count, always in counts if count or always]
    return ["<table class='summary'>", *rows, "</table>"]


def _heading(key: str, count: int, profile: Profile) -> str:
    return f"<h2>{escape(profile.label(key) + profile.phrase('count', n=count))}</h2>"


def diff_to_html(diff: VersionDiff, title: str, titles: Optional[dict[str, str]] = None,
                 profile: Optional[Profile] = None) -> str:
    """The page; `titles` maps chapter and section ids to their titles (shown next to each change);
    `profile` (the plan language's) gives the fixed words."""
    titles, profile = titles or {}, diff_profile(profile)
    parts = [f"<!DOCTYPE html><html lang='{escape(profile.language)}'><head><meta charset='utf-8'>"
             f"<title>{escape(title)}</title>",
             f"<style>{STYLE}</style></head><body>",
             f"<h1>{escape(title + profile.label('colon'))}v{diff.a} → v{diff.b}</h1>", *_summary(diff, profile)]
    if diff.changed:
        parts.append(_heading("diff_changed_title", len(diff.changed), profile))
        for change in diff.changed:
            note = profile.label("diff_formatting_only") if change.formatting_only else ""
            parts.append(_entry(change.id, change.section, titles, note,
                                _body(change.kind, change.level, _words(change.words))))
    for heading, blocks, wrap in (("diff_added_title", diff.added, "ins"), ("diff_deleted_title", diff.deleted, "del"),
                                  ("diff_moved_title", diff.moved, "")):
        if blocks:
            parts.append(_heading(heading, len(blocks), profile))
            parts += [_entry(b.id, b.section, titles, provenance_note(diff, b, profile, titles), _block_body(b, wrap))
                      for b in blocks]
    parts.append("</body></html>\n")
    return "\n".join(parts)
