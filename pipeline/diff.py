"""Compare two versions paragraph by paragraph, by paragraph id.

Ids are stable across versions, so the comparison needs no guessing:
ids only in B were added, ids only in A were deleted, ids in both with
different text were changed (with word-level changes), and ids whose
order relative to the others changed were moved.

Where a paragraph came from is read from the versions' recorded changes
(`changes.split` / `changes.merged` of every version from A to B): an added
paragraph split off an older one says which, a deleted paragraph merged
into another says which. A moved paragraph says where it stood in A and where it stands in B.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional

from .align import longest_increasing
from .model import Block, Changes, Version
from .textdiff import row_diff, word_diff
from .versions import recorded_relations


@dataclass
class ParagraphChange:
    """A paragraph whose Markdown changed: `old` and `new` are its plain text."""
    id: str
    section: str
    old: str
    new: str
    kind: str = "paragraph"
    level: int = 0
    language: str = "en"

    @cached_property
    def words(self) -> list[tuple[int, str]]:
        """Word-level changes of the plain text, computed when shown (scripts asking for ids don't pay);
        a table's rows are compared as units first, so a new row shows as one row inserted."""
        compare = row_diff if self.kind == "table" else word_diff
        return compare(self.old, self.new, language=self.language)

    @property
    def formatting_only(self) -> bool:
        """Only the Markdown changed (emphasis, a link, a list marker): the plain text reads the same."""
        return self.old == self.new

    def as_json(self) -> dict:
        return {"id": self.id, "section": self.section, "old": self.old, "new": self.new,
                "words": [[op, text] for op, text in self.words], "formatting_only": self.formatting_only}


@dataclass
class Moved:
    """Where a moved paragraph stands in one of the two versions."""
    section: str  # its section there
    after: Optional[str]  # the id of the block before it there; None when it comes first


def _place(blocks: list[Block], k: int) -> Moved:
    return Moved(section=blocks[k].section, after=blocks[k - 1].id if k else None)


@dataclass
class VersionDiff:
    a: int
    b: int
    added: list[Block] = field(default_factory=list)
    deleted: list[Block] = field(default_factory=list)
    moved: list[Block] = field(default_factory=list)
    changed: list[ParagraphChange] = field(default_factory=list)
    split: dict[str, str] = field(default_factory=dict)  # added id -> id in A it was split from
    merged: dict[str, str] = field(default_factory=dict)  # deleted id -> id in B it was merged into
    moved_from: dict[str, Moved] = field(default_factory=dict)  # moved id -> where it stood in A
    moved_to: dict[str, Moved] = field(default_factory=dict)  # moved id -> where it stands in B

    def as_json(self) -> dict:
        # from/to and the four id lists are a documented contract; the rest was added after them
        return {"from": f"v{self.a}", "to": f"v{self.b}",
                "added": [b.id for b in self.added], "deleted": [b.id for b in self.deleted],
                "moved": [b.id for b in self.moved], "changed": [c.id for c in self.changed],
                "split": dict(self.split), "merged": dict(self.merged),
                "moved_from": {k: {"section": m.section, "after": m.after} for k, m in self.moved_from.items()},
                "moved_to": {k: {"section": m.section, "after": m.after} for k, m in self.moved_to.items()},
                "details": [c.as_json() for c in self.changed]}


def diff_versions(a: Version, b: Version, steps: Optional[list[Changes]] = None,
                  language: str = "en") -> VersionDiff:
    """Compare version `a` with version `b`.

    `steps` are the recorded changes of every version after the older of the two up to the newer,
    in order (see `steps_between`); without them only an adjacent pair gets split/merge provenance.
    `language` "zh" makes the word-level changes snap to Chinese word boundaries.
    """
    old, new = a.document.by_id(), b.document.by_id()
    result = VersionDiff(a=a.number, b=b.number)
    result.added = [blk for blk in b.document.blocks if blk.id not in old]
    result.deleted = [blk for blk in a.document.blocks if blk.id not in new]
    old_position = {blk.id: k for k, blk in enumerate(a.document.blocks)}
    common = [blk for blk in b.document.blocks if blk.id in old]
    in_order = longest_increasing([old_position[blk.id] for blk in common])
    result.moved = [blk for k, blk in enumerate(common) if k not in in_order]
    new_position = {blk.id: k for k, blk in enumerate(b.document.blocks)}
    for blk in result.moved:
        result.moved_from[blk.id] = _place(a.document.blocks, old_position[blk.id])
        result.moved_to[blk.id] = _place(b.document.blocks, new_position[blk.id])
    for blk in common:
        before = old[blk.id]
        if before.source != blk.source:
            result.changed.append(ParagraphChange(id=blk.id, section=blk.section, old=before.text, new=blk.text,
                                                  kind=blk.kind, level=blk.level, language=language))
    if steps is None and b.number == a.number + 1 and b.parent == a.number:
        steps = [b.changes]
    elif steps is None and a.number == b.number + 1 and a.parent == b.number:
        steps = [a.changes]
    if steps:
        if a.number <= b.number:
            split, merged = _provenance(steps, set(old), set(new))
        else:  # newer to older: what was split off is merged back, and what was merged is split off again
            merged, split = _provenance(steps, set(new), set(old))
        result.split = {blk.id: split[blk.id] for blk in result.added if blk.id in split}
        result.merged = {blk.id: merged[blk.id] for blk in result.deleted if blk.id in merged}
    return result


def _provenance(steps: list[Changes], start: set[str], end: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Follow splits and merges through `steps` from the ids `start` to the ids `end`.

    Returns ({id in end: id in start it was split from}, {id in start: id in end it was merged into}),
    following chains: a part split off a part of p0007 was split from p0007; p0007 merged into p0008
    which was later merged into p0009 was merged into p0009.
    """
    split_from: dict[str, str] = {}
    merged_into: dict[str, str] = {}
    holders: dict[str, list[str]] = {}  # an id some start ids are merged into (so far) -> those start ids
    for changes in steps:
        for new_id, old_id in changes.split.items():
            root = old_id if old_id in start else split_from.get(old_id)
            if root:
                split_from[new_id] = root
        for old_id, new_id in changes.merged.items():
            sources = holders.pop(old_id, [])
            if old_id in start:
                sources.append(old_id)
            for source in sources:
                merged_into[source] = new_id
            if sources:
                holders.setdefault(new_id, []).extend(sources)
    return ({n: o for n, o in split_from.items() if n in end and n not in start},
            {o: n for o, n in merged_into.items() if n in end and o not in end})


def steps_between(ws, first: int, last: Version) -> Optional[list[Changes]]:
    """The recorded splits and merges of versions first+1 … `last` (loaded, first < last.number): the
    ones between read from their metadata alone; None when the versions do not descend one from the other."""
    steps = []
    for number in range(first + 1, last.number):
        parent, changes = recorded_relations(ws, number)
        if parent != number - 1:
            return None
        steps.append(changes)
    return steps + [last.changes] if last.parent == last.number - 1 else None


def diff_workspace(ws, ref_a, ref_b) -> VersionDiff:
    """`nhrap diff A B`: load both versions, the changes recorded between them, and compare."""
    a, b = ws.load_version(ref_a), ws.load_version(ref_b)
    older, newer = sorted((a, b), key=lambda v: v.number)
    steps = steps_between(ws, older.number, newer) if newer.number - older.number > 1 else None
    return diff_versions(a, b, steps=steps, language=ws.plan.language)
