"""A version diff as lines of text for the terminal: (role, text) pieces that the CLI colours on a
terminal or marks git word-diff style (`[-deleted-]{+inserted+}`) in a pipe or a file."""
from __future__ import annotations

from ..diff import provenance_note
from ..errors import excerpt


def outline_titles(plan) -> dict[str, str]:
    """Chapter and section id -> title."""
    return {**{c.id: c.title for c in plan.chapters}, **{s.id: s.title for s in plan.sections.values()}}


def diff_lines(diff) -> list[list[tuple[str, str]]]:
    """The diff as lines of (role, text) pieces; roles: head, id, note, same, ins, del, added, deleted, moved."""
    lines = [[("head", f"v{diff.a} → v{diff.b}"),
              ("same", f": {len(diff.added)} added" + (f" ({len(diff.split)} split)" if diff.split else "")
               + f", {len(diff.deleted)} deleted" + (f" ({len(diff.merged)} merged)" if diff.merged else "")
               + f", {len(diff.moved)} moved, {len(diff.changed)} changed")]]
    for change in diff.changed:
        line = [("id", f"~ {change.id} ")]
        if change.formatting_only:
            line.append(("note", "(formatting only) "))
        line += [({1: "ins", -1: "del"}.get(op, "same"), text) for op, text in change.words]
        lines.append(line)
    for label, role, blocks in (("+", "added", diff.added), ("-", "deleted", diff.deleted), (">", "moved", diff.moved)):
        for block in blocks:
            note = provenance_note(diff, block)  # ids are added, deleted or moved: one note applies
            lines.append([(role, f"{label} {block.id} " + (f"({note}) " if note else "") + excerpt(block.text, 120))])
    return lines


PLAIN_MARKS = {"ins": ("{+", "+}"), "del": ("[-", "-]")}
TERMINAL_STYLES = {"head": "bold", "id": "bold yellow", "note": "italic", "ins": "green underline",
                   "del": "red strike", "added": "green", "deleted": "red", "moved": "blue"}


def plain_line(line: list[tuple[str, str]]) -> str:
    return "".join(PLAIN_MARKS[role][0] + text + PLAIN_MARKS[role][1] if role in PLAIN_MARKS else text
                   for role, text in line)
