"""Comments carried from one frozen version to the next through the spine's alignment.

A comment points at a paragraph id and a quote in it. Paragraph ids are
stable, and the new version's `changes` say which paragraphs were split,
merged or deleted, so the comment's paragraph is found without searching
the document. Inside that paragraph (or the pieces it was split into) the
quote is followed through a word diff of old and new text: untouched text
keeps the comment (anchored, or moved when the paragraph moved); partly
edited text keeps it with both quotes shown (changed); text that is gone
orphans it, naming the paragraph that replaced it. An amendment whose
proposed text now stands where its quote was has been applied (applied),
whatever became of the quote. A comment is never put on other text without
saying so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import takewhile
from typing import Iterable, Optional

from .model import Anchor, Block, Comment, Version
from .textdiff import DELETE, EQUAL, INSERT, similarity, word_diff

KEEP_SHARE = 0.5  # below this share of the quote's characters surviving, the text is gone
CONTEXT_SHARE = 0.3  # below this share of the 32 characters either side surviving, the sentence was rewritten
CONTEXT = 32
# An edited quote is followed only when its words all survived (words inserted among them), or when its
# paragraph as a whole kept this share of its words: a paragraph changed more than that may be another
# paragraph that inherited the id, and it cannot vouch for a quote whose words changed.
ALL_BUT_INSERTS = 0.9
PARAGRAPH_SHARE = 0.65
CONTEXT_MATCH = 8  # characters of context that must still stand beside a quote found again
MIN_RECOVER = 12  # shorter quotes recur too often to be recognised outside their own place
# Verdicts accumulate: a comment never goes back to a milder one. An applied amendment stays applied
# while its text is there; when that text is gone it is orphaned like any comment.
SEVERITY = {"anchored": 0, "moved": 1, "changed": 2, "orphaned": 3, "applied": 4}
ANCHOR_STATES = tuple(SEVERITY)
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
        self.old, self.new = old, new
        self.segments: list[tuple[int, int, int, int]] = []  # (op, old start, new start, length)
        old_at = new_at = 0
        for op, text in word_diff(old, new, cleanup=False):
            length = len(text)
            self.segments.append((op, old_at, new_at, length))
            if op != INSERT:
                old_at += length
            if op != DELETE:
                new_at += length

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

    def edited_span(self, start: int, end: int, quote: str) -> tuple[int, int]:
        """Where an edited quote [start, end) now stands in the new text: as `position` maps its ends, but
        reaching over the words inserted right at its end when they replace its last words or take up
        words it lost (“human rights action plans” → “action plans on human rights”), so the edited phrase
        is covered, not cut off in the middle (never further than the quote is long); then whole words,
        without the spaces and punctuation that came along."""
        new_start, new_end = self.position(start), self.position(end, at_end=True)
        after = self._inserted_after(end)
        if after is not None:
            at, upto, replaces_end = after
            if replaces_end or _words(self._deleted_within(start, end)) & _words(self.new[at:upto]):
                new_end = max(new_end, min(upto, new_end + len(quote)))
        return _whole_words(self.new, new_start, new_end, quote) if new_start < new_end else (new_start, new_end)

    def _inserted_after(self, end: int) -> Optional[tuple[int, int, bool]]:
        """(new start, new end, whether they replace deleted words) of the words inserted right at old
        position `end`: after the deletion that holds the character before it, or after that character."""
        for index, (op, old_start, _new_start, length) in enumerate(self.segments):
            if op == INSERT or not old_start < end <= old_start + length:
                continue
            if op == EQUAL and end < old_start + length:
                return None  # inside kept text: nothing inserted there
            run = list(takewhile(lambda segment: segment[0] == INSERT, self.segments[index + 1:]))
            return (run[0][2], run[-1][2] + run[-1][3], op == DELETE) if run else None
        return None

    def _deleted_within(self, start: int, end: int) -> str:
        """The old text deleted inside [start, end)."""
        return " ".join(self.old[max(start, old_start):min(end, old_start + length)]
                        for op, old_start, _new_start, length in self.segments if op == DELETE)

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


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _latin(char: str) -> bool:
    """A letter or digit of a language that spaces its words (a Chinese character is a word of its own)."""
    return char.isalnum() and ord(char) < 0x2E80


def _whole_words(text: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """[start, end) in `text` widened to whole words, then trimmed of white space, and of punctuation the
    quote did not have at that end (the comma after a word an edit replaced); as it was if nothing is left."""
    given = (start, end)
    while 0 < start < len(text) and _latin(text[start - 1]) and _latin(text[start]):
        start -= 1
    while 0 < end < len(text) and _latin(text[end - 1]) and _latin(text[end]):
        end += 1
    while start < end and (text[start].isspace() or (quote and quote[0].isalnum() and not text[start].isalnum())):
        start += 1
    while end > start and (text[end - 1].isspace() or (quote and quote[-1].isalnum() and not text[end - 1].isalnum())):
        end -= 1
    return (start, end) if start < end else given


def _plausible_merge(old_blocks: dict[str, Block], new_blocks: dict[str, Block], absorbed: str, into: str) -> bool:
    """A paragraph merged into one that kept its id must have grown by about the absorbed text.

    A lookalike paragraph deleted next to its twin can look like a merge into
    the twin; following it there would put its comments on other text.
    """
    if into not in old_blocks:
        return True
    grown = len(new_blocks[into].text) - len(old_blocks[into].text)
    return grown >= len(old_blocks[absorbed].text) / 2


def _targets(old: Version, new: Version) -> tuple[dict[str, _Target], dict[str, Block]]:
    """For every old paragraph id, the new paragraphs its text went to (empty when deleted)."""
    new_blocks = new.document.by_id()
    old_blocks = old.document.by_id()
    order = {b.id: i for i, b in enumerate(new.document.blocks)}
    pieces: dict[str, list[str]] = {}
    for new_id, old_id in new.changes.split.items():
        pieces.setdefault(old_id, []).append(new_id)
    targets: dict[str, _Target] = {}
    for block in old.document.blocks:
        ids = [block.id] if block.id in new_blocks else []
        ids += pieces.get(block.id, [])
        into = new.changes.merged.get(block.id)
        if into in new_blocks and _plausible_merge(old_blocks, new_blocks, block.id, into):
            ids.append(into)
        ids = sorted({i for i in ids if i in new_blocks}, key=order.__getitem__)
        targets[block.id] = _Target(ids, [new_blocks[i].text for i in ids])
    return targets, new_blocks


def _successor(old_ids: list[str], old_index: dict[str, int], new_index: dict[str, int], new_ids: list[str],
               added: set[str], para: str, targets: dict[str, _Target]) -> str:
    """The paragraph added where a deleted one stood, if any."""
    follower = 0
    for previous in reversed(old_ids[:old_index.get(para, 0)]):
        kept = targets.get(previous)
        if kept and kept.ids:
            follower = new_index[kept.ids[-1]] + 1
            break
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
        self.added = set(new.changes.added)
        self.old_ids = [b.id for b in old.document.blocks]
        self.new_ids = [b.id for b in new.document.blocks]
        self.old_index = {i: n for n, i in enumerate(self.old_ids)}
        self.new_index = {i: n for n, i in enumerate(self.new_ids)}
        self._maps: dict[str, _OffsetMap] = {}

    def offset_map(self, para: str) -> _OffsetMap:
        if para not in self._maps:
            self._maps[para] = _OffsetMap(self.old_blocks[para].text, self.targets[para].joined)
        return self._maps[para]

    def carry(self, comment: Comment) -> Comment:
        anchor = comment.anchor
        if anchor.state == "orphaned" or anchor.para not in self.old_blocks:
            return replace(comment, anchor=replace(anchor, version=self.new.number))
        if anchor.state != "applied":
            applied = self.applied(comment)
            if applied is not None:
                return replace(comment, anchor=applied)
        # an applied amendment's text is followed like any quote: place() keeps the verdict applied,
        # and text that is gone (its paragraph deleted) orphans it, keeping the reviewer's quote
        return replace(comment, anchor=self.anchor(anchor))

    def applied(self, comment: Comment) -> Optional[Anchor]:
        """The anchor on the amendment's proposed text when the new version reads as the amendment
        applied where its quote was (and the old version did not); None otherwise."""
        anchor, proposed = comment.anchor, comment.proposed
        if comment.kind != "amendment" or proposed is None or not anchor.quote or \
                proposed.strip() == anchor.quote.strip():
            return None
        target = self.targets[anchor.para]
        if not target.ids or (_loose(proposed) and not re.search(_loose(proposed), target.joined)):
            return None  # the cheap test first: the proposed words are nowhere in the new text
        old_text = self.old_blocks[anchor.para].text
        start = anchor.located_in(old_text)
        if start < 0:
            return None
        reach = len(anchor.quote) + len(proposed) + CONTEXT
        # what the old text already read as (“within 5.5%” → “5.5%” reads so after the quote): only
        # context that stands beside the proposed words now and did not before shows the change
        already = set().union(*(sides for _s, _e, sides in _applied_at(old_text, proposed, anchor, start, reach)))
        near = self.offset_map(anchor.para).position(start)
        hits = [h for h in _applied_at(target.joined, proposed, anchor, near, reach) if h[2] - already]
        if not hits:
            return None
        found = min(hits, key=lambda h: abs(h[0] - near))
        piece, offset = target.locate(found[0])
        text = target.texts[piece]
        end = min(max(found[1] - target.base(piece), offset), len(text))
        return Anchor(para=target.ids[piece], quote=text[offset:end], prefix=text[max(0, offset - CONTEXT):offset],
                      suffix=text[end:end + CONTEXT], start=offset, end=end, state="applied",
                      version=self.new.number, original_quote=anchor.original_quote or anchor.quote, replaced_by="")

    def anchor(self, anchor: Anchor) -> Anchor:
        old_text = self.old_blocks[anchor.para].text
        start = anchor.located_in(old_text)
        target = self.targets[anchor.para]
        if not target.ids:
            return self.recover(anchor, target) or self.orphan(anchor, self.successor(anchor.para))
        if not anchor.quote:  # a comment on the paragraph as a whole follows the paragraph
            piece = target.ids.index(anchor.para) if anchor.para in target.ids else 0
            return self.place(anchor, target, target.base(piece), target.base(piece), intact=True)
        if start < 0:  # the stored quote is not in the old text either: cannot follow it
            return self.orphan(anchor, target.ids[0])
        end = start + len(anchor.quote)
        if target.ids == [anchor.para] and target.texts[0] == old_text:
            return self.place(anchor, target, start, end, intact=True)
        unique = self.unique_in_context(anchor, old_text, target)
        if unique is not None:  # the usual case: an edit elsewhere in the paragraph; no diff needed
            return self.place(anchor, target, unique, unique + len(anchor.quote), intact=True)
        offsets = self.offset_map(anchor.para)
        kept, touched = offsets.fate(start, end)
        new_start, new_end = offsets.position(start), offsets.position(end, at_end=True)
        context = self.context_share(offsets, start, end, len(old_text))
        if not touched and kept == len(anchor.quote):
            # the words are still there; if everything around them was rewritten, say so
            return self.place(anchor, target, new_start, new_end, intact=context >= CONTEXT_SHARE)
        found = self.find_again(anchor, target, new_start)
        if found is not None:
            return self.place(anchor, target, *found, intact=True)
        share = kept / len(anchor.quote)
        if share >= KEEP_SHARE and context >= CONTEXT_SHARE and \
                (share >= ALL_BUT_INSERTS or similarity(old_text, target.joined) >= PARAGRAPH_SHARE):
            return self.place(anchor, target, *offsets.edited_span(start, end, anchor.quote), intact=False)
        piece, _offset = target.locate(new_start)
        return self.recover(anchor, target) or self.orphan(anchor, target.ids[piece])

    @staticmethod
    def unique_in_context(anchor: Anchor, old_text: str, target: _Target) -> Optional[int]:
        """Where the quote stands once in old and new text, with its context beside it."""
        joined = target.joined
        at = joined.find(anchor.quote)
        if at < 0 or joined.find(anchor.quote, at + 1) >= 0 or old_text.count(anchor.quote) != 1:
            return None
        return at if _context_agrees(joined, at, anchor) else None

    @staticmethod
    def context_share(offsets: _OffsetMap, start: int, end: int, length: int) -> float:
        """Share of the text just around a quote that survived: low when its sentence was rewritten."""
        before, after = max(0, start - CONTEXT), min(length, end + CONTEXT)
        size = (start - before) + (after - end)
        if not size:
            return 1.0
        return (offsets.fate(before, start)[0] + offsets.fate(end, after)[0]) / size

    def recover(self, anchor: Anchor, target: _Target) -> Optional[Anchor]:
        """Text the alignment lost track of (an undetected split): the quote verbatim, with its
        context, in a new paragraph right beside where the old one went. Never a blind search."""
        if len(anchor.quote) < MIN_RECOVER:
            return None
        around = set()
        for ident in target.ids or [self.successor(anchor.para)]:
            if ident:
                at = self.new_index[ident]
                around.update(self.new_ids[max(0, at - 1):at + 2])
        for ident in sorted(around & self.added, key=self.new_index.__getitem__):
            text = self.new_blocks[ident].text
            at = text.find(anchor.quote)
            if at >= 0 and text.find(anchor.quote, at + 1) < 0 and _context_agrees(text, at, anchor):
                piece = _Target([ident], [text])
                return self.place(replace(anchor, state=max(anchor.state, "moved", key=SEVERITY.__getitem__)),
                                  piece, at, at + len(anchor.quote), intact=True)
        return None

    def successor(self, para: str) -> str:
        return _successor(self.old_ids, self.old_index, self.new_index, self.new_ids, self.added, para, self.targets)

    @staticmethod
    def find_again(anchor: Anchor, target: _Target, near: int) -> Optional[tuple[int, int]]:
        """(start, end) of the quote in the mapped text after its words were reordered: verbatim, else in
        another letter case (a sentence now opening with it: “Every winter, …”), nearest to its mapped place."""
        if len(anchor.quote) < MIN_RECOVER:
            return None  # a short quote found elsewhere in the paragraph is a guess, not a match
        hits = [(m.start(), m.end()) for m in re.finditer(re.escape(anchor.quote), target.joined, re.IGNORECASE)]
        if not hits:
            return None
        verbatim = [hit for hit in hits if target.joined[hit[0]:hit[1]] == anchor.quote]
        return min(verbatim or hits, key=lambda hit: abs(hit[0] - near))

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
        return Anchor(para=para, quote=quote, prefix=text[max(0, offset - CONTEXT):offset],
                      suffix=text[end:end + CONTEXT], start=offset, end=end, state=state, version=self.new.number,
                      original_quote=original, replaced_by="")

    def orphan(self, anchor: Anchor, replaced_by: str) -> Anchor:
        return replace(anchor, state="orphaned", version=self.new.number, replaced_by=replaced_by,
                       original_quote=anchor.original_quote or anchor.quote)


def _context_agrees(text: str, at: int, anchor: Anchor) -> bool:
    """The words just before or just after the quote are still beside it (a paragraph edge counts)."""
    before, after = text[:at], text[at + len(anchor.quote):]
    if not anchor.prefix and not before or not anchor.suffix and not after:
        return True
    near_before = min(CONTEXT_MATCH, len(anchor.prefix))
    near_after = min(CONTEXT_MATCH, len(anchor.suffix))
    return bool((near_before and before.endswith(anchor.prefix[-near_before:]))
                or (near_after and after.startswith(anchor.suffix[:near_after])))


def _loose(text: str) -> str:
    """A pattern for `text` that does not mind how much white space stands where."""
    return r"\s*".join(re.escape(part) for part in re.split(r"\s+", text.strip()) if part)


def _applied_at(text: str, proposed: str, anchor: Anchor, near: int, reach: int) -> list[tuple[int, int, frozenset]]:
    """Where `text` reads as the amendment applied, at most `reach` from `near`: (start, end, sides).

    Applied reads as the proposed words with the quote's context beside them, before or after
    (`sides` says which; a paragraph edge counts); for a deletion, as the words either side of the
    quote meeting.
    """
    before, after = anchor.prefix[-CONTEXT_MATCH:], anchor.suffix[:CONTEXT_MATCH]
    loose_before, loose_after = _loose(before), _loose(after)
    hits: list[tuple[int, int, frozenset]] = []
    if _loose(proposed):
        for match in re.finditer(_loose(proposed), text):
            head, tail = text[:match.start()], text[match.end():]
            sides = set()
            if (loose_before and re.search(loose_before + r"\s*$", head)) or \
                    (not anchor.prefix.strip() and not head.strip()):
                sides.add("before")
            if (loose_after and re.match(r"\s*" + loose_after, tail)) or \
                    (not anchor.suffix.strip() and not tail.strip()):
                sides.add("after")
            if sides:
                hits.append((match.start(), match.end(), frozenset(sides)))
    elif loose_before and loose_after:
        pattern = f"({loose_before})" + r"\s*" + loose_after
        hits = [(m.end(1), m.end(1), frozenset({"both"})) for m in re.finditer(pattern, text)]
    elif loose_after:  # the quote opened the paragraph
        found = re.match(r"\s*(" + loose_after + ")", text)
        hits = [(found.start(1), found.start(1), frozenset({"both"}))] if found else []
    elif loose_before:  # the quote closed it
        found = re.search("(" + loose_before + r")\s*$", text)
        hits = [(found.end(1), found.end(1), frozenset({"both"}))] if found else []
    return [h for h in hits if abs(h[0] - near) <= reach]


def reanchor(comments: Iterable[Comment], old_version: Version, new_version: Version) -> list[Comment]:
    """Every comment anchored on `old_version`, re-anchored on `new_version`."""
    mapper = Reanchorer(old_version, new_version)
    return [mapper.carry(c) for c in comments]


COUNTED = ("changed", "orphaned", "applied")


class Versions:
    """The workspace's frozen versions, each read at most once: one of these serves a whole command run."""

    def __init__(self, ws, *loaded: Version):
        self.ws = ws
        self.numbers = ws.version_numbers()
        self.loaded: dict[int, Version] = {v.number: v for v in loaded}

    def __getitem__(self, number: int) -> Version:
        if number not in self.loaded:
            self.loaded[number] = self.ws.load_version(number)
        return self.loaded[number]

    @property
    def latest(self) -> Version:
        """The latest version (refused, saying so, when none is frozen yet)."""
        return self[self.numbers[-1] if self.numbers else self.ws.resolve_version("latest")]


@dataclass
class Carried:
    """Comments carried up to a version, and what became of them (`counts`)."""
    version: int
    comments: list[Comment] = field(default_factory=list)
    before: dict[str, str] = field(default_factory=dict, repr=False)  # comment id → anchor state before

    @property
    def counts(self) -> dict[str, int]:
        """`reanchored`, every comment carried; `changed`, `orphaned`, `applied`, those of them that became so
        on the way (a comment orphaned before is carried along, not counted again)."""
        counts = dict.fromkeys(("reanchored",) + COUNTED, 0)
        counts["reanchored"] = len(self.comments)
        for comment in self.comments:
            state = comment.anchor.state
            if state in COUNTED and self.before.get(comment.id) != state:
                counts[state] += 1
        return counts

    def only(self, idents: Iterable[str]) -> "Carried":
        """The same, for some of the comments."""
        keep = set(idents)
        return Carried(self.version, [c for c in self.comments if c.id in keep], before=self.before)

    def summary(self) -> str:
        return carried_summary(self.counts, self.version)


def carried_summary(counts: dict[str, int], version: int) -> str:
    """'12 comment(s) re-anchored on v8: 1 changed, 2 orphaned, 1 applied' ('' when none)."""
    if not counts.get("reanchored"):
        return ""
    verdicts = ", ".join(f"{counts[k]} {k}" for k in COUNTED if counts.get(k))
    return f"{counts['reanchored']} comment(s) re-anchored on v{version}" + (f": {verdicts}" if verdicts else "")


def carry_to(ws, comments: Iterable[Comment], new_version: Version, versions: Optional[Versions] = None) -> Carried:
    """Carry comments anchored on earlier versions up to `new_version`, one version step at a time,
    without storing them. Comments already on `new_version` (or later) are left out. `versions` reads
    each version once across calls (a new one is made when not given)."""
    versions = versions or Versions(ws)
    versions.loaded.setdefault(new_version.number, new_version)
    pending = [c for c in comments if c.anchor.version < new_version.number]
    result = Carried(version=new_version.number, before={c.id: c.anchor.state for c in pending})
    by_version: dict[int, list[Comment]] = {}
    for comment in pending:
        by_version.setdefault(comment.anchor.version, []).append(comment)
    # new_version among them even when not written yet (a dry run's)
    numbers = sorted({n for n in versions.numbers if n < new_version.number} | {new_version.number})
    for step_from, step_to in zip(numbers, numbers[1:]):
        moving = by_version.pop(step_from, [])
        if not moving:
            continue
        moved = reanchor(moving, versions[step_from], versions[step_to])
        if step_to == new_version.number:
            result.comments.extend(moved)
        else:
            by_version.setdefault(step_to, []).extend(moved)
    return result
