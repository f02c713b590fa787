"""Align the blocks of one version with the next: the heart of paragraph ids.

`align(old, new)` says, for every new block, which old block's id it keeps
(unchanged, edited or moved), which new blocks are split off an old one,
which old blocks were merged into a new one, and which were deleted.
Paragraph ids, `diff`, the redline and comment re-anchoring all use it.

Steps:
1. headings with the same `{#id}` anchor are the same heading;
2. diff-match-patch diffs the two block sequences (one symbol per block
   source): equal runs are unchanged blocks in place;
3. a block source that occurs once among the leftovers on both sides is
   the same block, moved;
4. the remaining blocks are paired by word overlap (Dice), best pairs
   first, candidates found through rare word pairs; a pair in the same
   region between unchanged blocks wins a tie (lookalike paragraphs
   inserted elsewhere do not steal an id);
5. a leftover new block whose words lie inside an old block that was
   paired with its neighbour was split off it; a leftover old block whose
   words lie inside the new neighbour of its own neighbour was merged;
6. paired blocks off the longest increasing run of old positions moved.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Optional, Sequence

from .model import Block
from .textdiff import encode_sequences, engine

MIN_SIMILARITY = 0.5  # Dice over words: below this two paragraphs are different paragraphs
MIN_SIMILARITY_IN_PLACE = 0.4  # ... unless both sit in the same region between unchanged blocks (a rewrite)
MIN_CONTAINMENT = 0.75  # share of a part's words found in the whole, for splits and merges
SAME_REGION_BONUS = 0.15
RARE_PAIR_LIMIT = 12  # word pairs shared by more leftover blocks than this find no candidates
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", re.U)


@dataclass
class Alignment:
    old_of: list[Optional[int]]  # per new block: index of the old block whose id it keeps
    edited: set[int] = field(default_factory=set)  # new indices whose text changed
    moved: set[int] = field(default_factory=set)  # new indices out of their old order
    split_from: dict[int, int] = field(default_factory=dict)  # new index -> old index it was split off
    merged_into: dict[int, int] = field(default_factory=dict)  # old index -> new index absorbing it
    deleted: list[int] = field(default_factory=list)  # old indices gone (not merged)

    def status(self, new_index: int) -> str:
        if self.old_of[new_index] is None:
            return "split" if new_index in self.split_from else "new"
        if new_index in self.moved:
            return "moved"
        return "edited" if new_index in self.edited else "kept"


def words(block: Block) -> list[str]:
    return _WORD.findall((block.text or block.source).lower())


def _pairs(tokens: list[str]) -> set[tuple[str, str]]:
    if len(tokens) < 2:
        return {(t, "") for t in tokens}
    return set(zip(tokens, tokens[1:]))


def dice(a: Counter, b: Counter, size_a: int, size_b: int) -> float:
    if not size_a or not size_b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    shared = sum(min(count, b[word]) for word, count in a.items() if word in b)
    return 2 * shared / (size_a + size_b)


def containment(part: Counter, whole: Counter, size_part: int) -> float:
    if not size_part:
        return 0.0
    return sum(min(count, whole[word]) for word, count in part.items() if word in whole) / size_part


class _Aligner:
    def __init__(self, old: Sequence[Block], new: Sequence[Block]):
        self.old, self.new = old, new
        self.result = Alignment(old_of=[None] * len(new))
        self.new_of: dict[int, int] = {}  # old index -> new index
        self.region_old: list[int] = [0] * len(old)
        self.region_new: list[int] = [0] * len(new)
        self._words_old: dict[int, list[str]] = {}
        self._words_new: dict[int, list[str]] = {}

    def pair(self, old_index: int, new_index: int) -> None:
        self.result.old_of[new_index] = old_index
        self.new_of[old_index] = new_index
        if self.old[old_index].source != self.new[new_index].source:
            self.result.edited.add(new_index)

    def old_words(self, i: int) -> list[str]:
        if i not in self._words_old:
            self._words_old[i] = words(self.old[i])
        return self._words_old[i]

    def new_words(self, j: int) -> list[str]:
        if j not in self._words_new:
            self._words_new[j] = words(self.new[j])
        return self._words_new[j]

    # 1. headings with the same outline anchor
    def match_anchors(self) -> None:
        by_anchor = {b.anchor: i for i, b in enumerate(self.old) if b.kind == "heading" and b.anchor}
        for j, block in enumerate(self.new):
            i = by_anchor.pop(block.anchor, None) if block.kind == "heading" and block.anchor else None
            if i is not None:
                self.pair(i, j)

    # 2. unchanged runs, in order
    def match_sequence(self) -> None:
        old_code, new_code = encode_sequences([b.source for b in self.old], [b.source for b in self.new])
        i = j = region = 0
        for op, run in engine().diff_main(old_code, new_code, False):
            if op == 0:
                region += 1
                for k in range(len(run)):
                    if i + k not in self.new_of and self.result.old_of[j + k] is None:
                        self.pair(i + k, j + k)
                i += len(run)
                j += len(run)
            elif op < 0:
                self.region_old[i:i + len(run)] = [region] * len(run)
                i += len(run)
            else:
                self.region_new[j:j + len(run)] = [region] * len(run)
                j += len(run)

    def leftovers(self) -> tuple[list[int], list[int]]:
        return ([i for i in range(len(self.old)) if i not in self.new_of],
                [j for j in range(len(self.new)) if self.result.old_of[j] is None])

    # 3. identical text that moved
    def match_moved_copies(self) -> None:
        old_left, new_left = self.leftovers()
        old_by_source = defaultdict(list)
        for i in old_left:
            old_by_source[self.old[i].source].append(i)
        new_by_source = defaultdict(list)
        for j in new_left:
            new_by_source[self.new[j].source].append(j)
        for source, js in new_by_source.items():
            i_list = old_by_source.get(source, [])
            if len(i_list) == 1 and len(js) == 1:
                self.pair(i_list[0], js[0])

    # 4. similar paragraphs
    def match_similar(self) -> None:
        old_left, new_left = self.leftovers()
        if not old_left or not new_left:
            return
        old_bags = {i: Counter(self.old_words(i)) for i in old_left}
        postings: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in old_left:
            for key in _pairs(self.old_words(i)):
                postings[key].append(i)
        scored: list[tuple[float, int, int]] = []
        for j in new_left:
            tokens = self.new_words(j)
            bag, size = Counter(tokens), len(tokens)
            hits: Counter = Counter()
            for key in _pairs(tokens):
                posting = postings.get(key)
                if posting and len(posting) <= RARE_PAIR_LIMIT:
                    hits.update(posting)
            for i, _count in hits.most_common(8):
                if (self.old[i].kind == "heading") != (self.new[j].kind == "heading"):
                    continue
                score = dice(old_bags[i], bag, len(self.old_words(i)), size)
                in_place = self.region_old[i] == self.region_new[j]
                if score >= (MIN_SIMILARITY_IN_PLACE if in_place else MIN_SIMILARITY):
                    scored.append((score + (SAME_REGION_BONUS if in_place else 0.0), i, j))
        scored.sort(key=lambda s: (-s[0], s[2], s[1]))
        for _score, i, j in scored:
            if i not in self.new_of and self.result.old_of[j] is None:
                self.pair(i, j)

    # 5. splits and merges
    def match_splits_and_merges(self) -> None:
        old_left, new_left = self.leftovers()
        for j in new_left:
            for neighbour in (j - 1, j + 1):
                i = self.result.old_of[neighbour] if 0 <= neighbour < len(self.new) else None
                if i is not None and self._inside(self.new_words(j), self.old_words(i)):
                    self.result.split_from[j] = i
                    break
        for i in old_left:
            for neighbour in (i - 1, i + 1):
                j = self.new_of.get(neighbour) if 0 <= neighbour < len(self.old) else None
                if j is not None and self._inside(self.old_words(i), self.new_words(j)):
                    self.result.merged_into[i] = j
                    break
            else:
                self.result.deleted.append(i)

    @staticmethod
    def _inside(part: list[str], whole: list[str]) -> bool:
        return bool(part) and containment(Counter(part), Counter(whole), len(part)) >= MIN_CONTAINMENT

    # 6. moves
    def mark_moves(self) -> None:
        paired = [(j, i) for j, i in enumerate(self.result.old_of) if i is not None]
        keep = longest_increasing([i for _j, i in paired])
        self.result.moved = {j for k, (j, _i) in enumerate(paired) if k not in keep}

    def run(self) -> Alignment:
        self.match_anchors()
        self.match_sequence()
        self.match_moved_copies()
        self.match_similar()
        self.match_splits_and_merges()
        self.mark_moves()
        return self.result


def longest_increasing(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    tail_pos: list[int] = []
    previous = [-1] * len(values)
    for pos, value in enumerate(values):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k] = value
            tail_pos[k] = pos
        previous[pos] = tail_pos[k - 1] if k else -1
    keep: set[int] = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        keep.add(pos)
        pos = previous[pos]
    return keep


def align(old: Sequence[Block], new: Sequence[Block]) -> Alignment:
    return _Aligner(old, new).run()
