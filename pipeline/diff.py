"""Compare two versions paragraph by paragraph, by paragraph id.

Ids are stable across versions, so the comparison needs no guessing:
ids only in B were added, ids only in A were deleted, ids in both with
different text were changed (with word-level changes), and ids whose
order relative to the others changed were moved.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .align import longest_increasing
from .model import Block, Version
from .textdiff import word_diff


@dataclass
class ParagraphChange:
    id: str
    section: str
    old: str
    new: str

    @property
    def words(self) -> list[tuple[int, str]]:
        """Word-level changes, computed when shown (scripts asking for ids don't pay for them)."""
        return word_diff(self.old, self.new)


@dataclass
class VersionDiff:
    a: int
    b: int
    added: list[Block] = field(default_factory=list)
    deleted: list[Block] = field(default_factory=list)
    moved: list[Block] = field(default_factory=list)
    changed: list[ParagraphChange] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"from": f"v{self.a}", "to": f"v{self.b}",
                "added": [b.id for b in self.added], "deleted": [b.id for b in self.deleted],
                "moved": [b.id for b in self.moved], "changed": [c.id for c in self.changed]}


def diff_versions(a: Version, b: Version) -> VersionDiff:
    old, new = a.document.by_id(), b.document.by_id()
    result = VersionDiff(a=a.number, b=b.number)
    result.added = [blk for blk in b.document.blocks if blk.id not in old]
    result.deleted = [blk for blk in a.document.blocks if blk.id not in new]
    old_position = {blk.id: k for k, blk in enumerate(a.document.blocks)}
    common = [blk for blk in b.document.blocks if blk.id in old]
    in_order = longest_increasing([old_position[blk.id] for blk in common])
    result.moved = [blk for k, blk in enumerate(common) if k not in in_order]
    for blk in common:
        before = old[blk.id]
        if before.source != blk.source:
            result.changed.append(ParagraphChange(id=blk.id, section=blk.section, old=before.source, new=blk.source))
    return result
