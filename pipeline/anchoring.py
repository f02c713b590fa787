"""Comments carried from one frozen version to the next through the spine's alignment.

A comment points at a paragraph id and a quote in it. Paragraph ids are
stable, and the new version's `changes` say which paragraphs were split,
merged or deleted, so the comment's paragraph is found without searching
the document. Inside that paragraph (or the pieces it was split into) the
quote is followed through a word diff of old and new text: untouched text
keeps the comment (anchored, or moved when the paragraph moved); partly
edited text keeps it with both quotes shown (changed); text that is gone
orphans it, naming the paragraph that replaced it. A comment is never put
on other text without saying so.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Optional

from .model import Anchor, Block, Comment, Version
from .textdiff import DELETE, EQUAL, INSERT, word_diff

KEEP_SHARE = 0.5  # below this share of the quote's characters surviving, the text is gone
SEVERITY = {"anchored": 0, "moved": 1, "changed": 2, "orphaned": 3}
SEPARATOR = "\n"


@dataclass
class _Target:
    """The new text an old paragraph maps to: one paragraph, or the pieces of a split, in order."""
    ids: list[str]
    texts: list[str]

    @property
    def joined(self) -> str:
        return SEPARATOR.join(self.texts)

    def locate(self, start: int) -> tuple[int, int]:
        """(piece index, offset in that piece) of a position in the joined text."""
        base = 0
        for index, text in enumerate(self.texts):
            if start <= base + len(text) or index == len(self.texts) - 1:
                return index, max(0, start - base)
            base += len(text) + len(SEPARATOR)
        return 0, 0

    def base(self, index: int) -> int:
        return sum(len(t) + len(SEPARATOR) for t in self.texts[:index])


class _OffsetMap:
    """Old → new character positions through a word diff, with what happened to each old span."""

    def __init__(self, old: str, new: str):
        self.segments: list[tuple[int, int, int, int]] = []  # (op, old start, new start, length)
        old_at = new_at = 0
        for op, text in word_diff(old, new):
            self.segments.append((op, old_at, new_at, len(text)))
            if op != INSERT:
                old_at += len(text)
            if op != DELETE:
                new_at += len(text)

    def position(self, old_pos: int, at_end: bool = False) -> int:
        """Where an old position lands; a deleted position lands where the deletion was."""
        for op, old_start, new_start, length in self.segments:
            if op == INSERT:
                continue
            inside = old_start <= old_pos < old_start + length or (at_end and old_pos == old_start + length)
            if inside:
                return new_start + (old_pos - old_start) if op == EQUAL else new_start
        last = self.segments[-1] if self.segments else (EQUAL, 0, 0, 0)
        return last[2] + (last[3] if last[0] != DELETE else 0)

    def fate(self, start: int, end: int) -> tuple[int, bool]:
        """(characters of [start, end) kept, whether anything inside was deleted or inserted)."""
        kept, touched = 0, False
        for op, old_start, _new_start, length in self.segments:
            if op == INSERT:
                touched |= start < old_start < end
                continue
            overlap = min(end, old_start + length) - max(start, old_start)
            if overlap <= 0:
                continue
            if op == EQUAL:
                kept += overlap
            else:
                touched = True
        return kept, touched


def _targets(old: Version, new: Version) -> tuple[dict[str, _Target], dict[str, Block]]:
    """For every old paragraph id, the new paragraphs its text went to (empty when deleted)."""
    new_blocks = new.document.by_id()
    order = {b.id: i for i, b in enumerate(new.document.blocks)}
    pieces: dict[str, list[str]] = {}
    for new_id, old_id in new.changes.split.items():
        pieces.setdefault(old_id, []).append(new_id)
    targets: dict[str, _Target] = {}
    for block in old.document.blocks:
        ids = [block.id] if block.id in new_blocks else []
        ids += pieces.get(block.id, [])
        if block.id in new.changes.merged:
            ids.append(new.changes.merged[block.id])
        ids = sorted({i for i in ids if i in new_blocks}, key=order.__getitem__)
        targets[block.id] = _Target(ids, [new_blocks[i].text for i in ids])
    return targets, new_blocks


def _successor(old: Version, new: Version, para: str, targets: dict[str, _Target]) -> str:
    """The paragraph added where a deleted one stood, if any."""
    added = set(new.changes.added)
    ids = [b.id for b in old.document.blocks]
    new_ids = [b.id for b in new.document.blocks]
    index = ids.index(para) if para in ids else -1
    for previous in reversed(ids[:max(index, 0)]):
        kept = targets.get(previous)
        if kept and kept.ids:
            follower = new_ids.index(kept.ids[-1]) + 1
            break
    else:
        follower = 0
    if follower < len(new_ids) and new_ids[follower] in added:
        return new_ids[follower]
    return ""


class Reanchorer:
    """Maps comments of one version onto the next; diffs are computed once per paragraph."""

    def __init__(self, old: Version, new: Version):
        self.old, self.new = old, new
        self.old_blocks = old.document.by_id()
        self.targets, self.new_blocks = _targets(old, new)
        self.moved = set(new.changes.moved)
        self._maps: dict[str, _OffsetMap] = {}

    def offset_map(self, para: str) -> _OffsetMap:
        if para not in self._maps:
            self._maps[para] = _OffsetMap(self.old_blocks[para].text, self.targets[para].joined)
        return self._maps[para]

    def carry(self, comment: Comment) -> Comment:
        anchor = comment.anchor
        if anchor.state == "orphaned" or anchor.para not in self.old_blocks:
            return replace(comment, anchor=replace(anchor, version=self.new.number))
        return replace(comment, anchor=self.anchor(anchor))

    def anchor(self, anchor: Anchor) -> Anchor:
        old_text = self.old_blocks[anchor.para].text
        start = anchor.start if old_text[anchor.start:anchor.end] == anchor.quote else old_text.find(anchor.quote)
        target = self.targets[anchor.para]
        if not target.ids:
            return self.orphan(anchor, _successor(self.old, self.new, anchor.para, self.targets))
        if not anchor.quote:  # a comment on the paragraph as a whole follows the paragraph
            piece = target.ids.index(anchor.para) if anchor.para in target.ids else 0
            return self.place(anchor, target, target.base(piece), target.base(piece), intact=True)
        if start < 0:  # the stored quote is not in the old text either: cannot follow it
            return self.orphan(anchor, target.ids[0])
        end = start + len(anchor.quote)
        if target.ids == [anchor.para] and target.texts[0] == old_text:
            return self.place(anchor, target, start, end, intact=True)
        offsets = self.offset_map(anchor.para)
        kept, touched = offsets.fate(start, end)
        new_start, new_end = offsets.position(start), offsets.position(end, at_end=True)
        if not touched and kept == len(anchor.quote):
            return self.place(anchor, target, new_start, new_end, intact=True)
        exact = self.find_exact(anchor, target, new_start)
        if exact is not None:
            return self.place(anchor, target, exact, exact + len(anchor.quote), intact=True)
        if anchor.quote and kept / len(anchor.quote) >= KEEP_SHARE:
            return self.place(anchor, target, new_start, new_end, intact=False)
        piece, _offset = target.locate(new_start)
        return self.orphan(anchor, target.ids[piece])

    def find_exact(self, anchor: Anchor, target: _Target, near: int) -> Optional[int]:
        """The quote verbatim in the mapped text (reordered words), nearest to its mapped place."""
        if len(anchor.quote) < 8:
            return None  # a short quote found elsewhere in the paragraph is a guess, not a match
        joined = target.joined
        hits, at = [], joined.find(anchor.quote)
        while at >= 0:
            hits.append(at)
            at = joined.find(anchor.quote, at + 1)
        return min(hits, key=lambda h: abs(h - near)) if hits else None

    def place(self, anchor: Anchor, target: _Target, start: int, end: int, intact: bool) -> Anchor:
        piece, offset = target.locate(start)
        base = target.base(piece)
        text = target.texts[piece]
        end = min(max(end - base, offset), len(text))
        quote = text[offset:end]
        para = target.ids[piece]
        intact = intact and quote == anchor.quote
        state = "changed" if not intact else (
            "moved" if para != anchor.para or para in self.moved else "anchored")
        state = max(state, anchor.state, key=SEVERITY.__getitem__)
        original = anchor.original_quote or (anchor.quote if quote != anchor.quote else "")
        return Anchor(para=para, quote=quote, prefix=text[max(0, offset - 32):offset], suffix=text[end:end + 32],
                      start=offset, end=end, state=state, version=self.new.number,
                      original_quote=original, replaced_by="")

    def orphan(self, anchor: Anchor, replaced_by: str) -> Anchor:
        return replace(anchor, state="orphaned", version=self.new.number, replaced_by=replaced_by,
                       original_quote=anchor.original_quote or anchor.quote)


def reanchor(comments: Iterable[Comment], old_version: Version, new_version: Version) -> list[Comment]:
    """Every comment anchored on `old_version`, re-anchored on `new_version`."""
    mapper = Reanchorer(old_version, new_version)
    return [mapper.carry(c) for c in comments]


def reanchor_workspace(ws, new_version: Version) -> list[Comment]:
    """Carry every stored comment up to a just-frozen version, one version step at a time.

    The lead's versions.freeze calls this after writing the version; comments
    already on `new_version` are left alone.
    """
    from .comments import load_comments, update_many
    pending = [c for c in load_comments(ws) if c.anchor.version < new_version.number]
    carried: list[Comment] = []
    by_version: dict[int, list[Comment]] = {}
    for comment in pending:
        by_version.setdefault(comment.anchor.version, []).append(comment)
    numbers = [n for n in ws.version_numbers() if n <= new_version.number]
    versions: dict[int, Version] = {new_version.number: new_version}
    for step_from, step_to in zip(numbers, numbers[1:]):
        moving = by_version.pop(step_from, [])
        if not moving:
            continue
        old = versions.get(step_from) or ws.load_version(step_from)
        new = versions.get(step_to) or versions.setdefault(step_to, ws.load_version(step_to))
        moved = reanchor(moving, old, new)
        if step_to == new_version.number:
            carried.extend(moved)
        else:
            by_version.setdefault(step_to, []).extend(moved)
    update_many(ws, carried)
    return carried
