"""A version diff as one self-contained HTML page (for e-mail or a browser)."""
from __future__ import annotations

from html import escape

from ..diff import VersionDiff

STYLE = """body{font-family:Georgia,'Noto Serif CJK SC',serif;max-width:60em;margin:2em auto;line-height:1.5}
h1{font-size:1.4em}h2{font-size:1.1em;border-bottom:1px solid #ccc}
.pid{font-family:monospace;color:#666;margin-right:.5em}ins{background:#d4f7d4;text-decoration:none}
del{background:#f9d6d6}.block{margin:.6em 0}.summary td{padding:0 1em 0 0}"""


def _words(ops: list[tuple[int, str]]) -> str:
    tags = {1: "ins", -1: "del"}
    return "".join(f"<{tags[op]}>{escape(text)}</{tags[op]}>" if op else escape(text) for op, text in ops)


def _list(title: str, blocks, tag: str = "") -> list[str]:
    if not blocks:
        return []
    rows = [f"<h2>{escape(title)} ({len(blocks)})</h2>"]
    for block in blocks:
        body = f"<{tag}>{escape(block.source)}</{tag}>" if tag else escape(block.source)
        rows.append(f'<div class="block"><span class="pid">{block.id}</span>{body}</div>')
    return rows


def diff_to_html(diff: VersionDiff, title: str) -> str:
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}</title>",
             f"<style>{STYLE}</style></head><body>",
             f"<h1>{escape(title)}: v{diff.a} → v{diff.b}</h1><table class='summary'>"]
    for name, items in (("added", diff.added), ("deleted", diff.deleted), ("moved", diff.moved), ("changed", diff.changed)):
        parts.append(f"<tr><td>{name}</td><td>{len(items)}</td></tr>")
    parts.append("</table>")
    if diff.changed:
        parts.append(f"<h2>Changed ({len(diff.changed)})</h2>")
        for change in diff.changed:
            parts.append(f'<div class="block"><span class="pid">{change.id}</span>{_words(change.words)}</div>')
    parts += _list("Added", diff.added, "ins") + _list("Deleted", diff.deleted, "del") + _list("Moved", diff.moved)
    parts.append("</body></html>\n")
    return "\n".join(parts)
