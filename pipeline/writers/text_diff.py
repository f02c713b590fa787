"""A version diff as lines of text for the terminal: (role, text) pieces that the CLI colours on a
terminal or marks git word-diff style (`[-deleted-]{+inserted+}`) in a pipe or a file."""
from __future__ import annotations

from typing import Optional

from ..diff import Moved, VersionDiff
from ..errors import excerpt
from ..model import Block
from .profiles import Profile, language_profile


def outline_titles(plan) -> dict[str, str]:
    """Chapter and section id -> title."""
    return {**{c.id: c.title for c in plan.chapters}, **{s.id: s.title for s in plan.sections.values()}}


def diff_profile(profile: Optional[Profile]) -> Profile:
    """The profile whose labels word a diff: the plan language's (`language_profile`); English by default."""
    return profile or language_profile("en")


def summary(diff: VersionDiff, profile: Profile) -> str:
    """'5 added (1 split), 1 deleted (1 merged), 1 moved, 20 changed', in the profile's words."""
    split = profile.phrase("diff_summary_split", n=len(diff.split)) if diff.split else ""
    merged = profile.phrase("diff_summary_merged", n=len(diff.merged)) if diff.merged else ""
    return profile.phrase("diff_summary", added=len(diff.added), split=split, deleted=len(diff.deleted),
                          merged=merged, moved=len(diff.moved), changed=len(diff.changed))


def moved_note(was: Moved, now: Moved, profile: Profile, titles: Optional[dict[str, str]] = None) -> str:
    """Where a moved paragraph stood and where it stands:
    'moved from esc-work, after p0187; now in esc-health, after p0190'."""
    places = {"was": _where(was, profile), "now": _where(now, profile)}
    if was.section == now.section:
        return profile.phrase("diff_moved_within", **places)
    return profile.phrase("diff_moved_from", was_section=_section(was, profile, titles),
                          now_section=_section(now, profile, titles), **places)


def _where(place: Moved, profile: Profile) -> str:
    return profile.phrase("diff_after", id=place.after) if place.after else profile.label("diff_at_start")


def _section(place: Moved, profile: Profile, titles: Optional[dict[str, str]]) -> str:
    if titles and place.section in titles:
        return profile.phrase("diff_titled", id=place.section, title=titles[place.section])
    return place.section or profile.label("diff_no_section")


def provenance_note(diff: VersionDiff, block: Block, profile: Profile, titles: Optional[dict[str, str]] = None) -> str:
    """Where an added, deleted or moved paragraph came from or went, if known: 'split from p0007',
    'merged into p0009', or its `moved_note` ('' otherwise)."""
    if block.id in diff.split:
        return profile.phrase("diff_split_from", id=diff.split[block.id])
    if block.id in diff.merged:
        return profile.phrase("diff_merged_into", id=diff.merged[block.id])
    if block.id in diff.moved_from:
        return moved_note(diff.moved_from[block.id], diff.moved_to[block.id], profile, titles)
    return ""


def diff_lines(diff: VersionDiff, profile: Optional[Profile] = None) -> list[list[tuple[str, str]]]:
    """The diff as lines of (role, text) pieces; roles: head, id, note, same, ins, del, added, deleted, moved.
    Fixed words are the labels of `profile` (the plan language's)."""
    profile = diff_profile(profile)
    lines = [[("head", f"v{diff.a} → v{diff.b}"), ("same", profile.label("colon") + summary(diff, profile))]]
    for change in diff.changed:
        line = [("id", f"~ {change.id} ")]
        if change.formatting_only:
            line.append(("note", profile.phrase("diff_note", note=profile.label("diff_formatting_only"))))
        line += [({1: "ins", -1: "del"}.get(op, "same"), text) for op, text in change.words]
        lines.append(line)
    for label, role, blocks in (("+", "added", diff.added), ("-", "deleted", diff.deleted), (">", "moved", diff.moved)):
        for block in blocks:
            note = provenance_note(diff, block, profile)  # ids are added, deleted or moved: one note applies
            lines.append([(role, f"{label} {block.id} " + (profile.phrase("diff_note", note=note) if note else "")
                           + excerpt(block.text, 120))])
    return lines


PLAIN_MARKS = {"ins": ("{+", "+}"), "del": ("[-", "-]")}
TERMINAL_STYLES = {"head": "bold", "id": "bold yellow", "note": "italic", "ins": "green underline",
                   "del": "red strike", "added": "green", "deleted": "red", "moved": "blue"}


def plain_line(line: list[tuple[str, str]]) -> str:
    return "".join(PLAIN_MARKS[role][0] + text + PLAIN_MARKS[role][1] if role in PLAIN_MARKS else text
                   for role, text in line)
