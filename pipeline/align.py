"""Align the blocks of one version with the next: the heart of paragraph ids.

`align(old, new)` says, for every new block, which old block's id it keeps
(unchanged, edited or moved), which new blocks are split off an old one,
which old blocks were merged into a new one, and which were deleted.
Paragraph ids, `diff`, the redline and comment re-anchoring all use it.

Steps:
0. a paragraph the drafter marked `{#p0123}` keeps that id;
1. headings with the same `{#id}` anchor are the same heading;
2. blocks whose Markdown occurs once in each version are the same block
   (patience diff); the longest run of them in old order are unchanged
   anchors, and between two anchors diff-match-patch diffs the short
   stretch of blocks (one symbol per block) for repeated blocks;
3. the remaining blocks are paired by word overlap (Dice), best pairs
   first. Candidates are the leftovers in the same region between anchors
   and those sharing word pairs; a pair in the same region needs less
   overlap (a rewrite in place) and wins a tie, so lookalike paragraphs
   inserted elsewhere do not steal an id. Paragraph and list numbers are
   ignored throughout (renumbering is not an edit); at its own place a
   paragraph that kept half its words in whole runs, or its bold title,
   pairs with less overlap (a sentence rewritten); near ties go to the
   candidate whose words stand in the same order; a pair of numbered
   paragraphs gains a little when both keep the same bold title and loses
   as much when their titles differ; and a new paragraph
   about as close to an unchanged neighbour as to the old paragraph is
   taken for a copy of that neighbour (unless their bold titles differ), so the revised original
   keeps it; runs of three neighbouring pairs take the arrangement that scores best in total.
   Last, where best-first pairing left a paragraph stranded next to one
   that also reads as a copy of a neighbour or a part split off it (or an
   old paragraph next to one that reads as merged into a neighbour), the
   reading that leaves less text unexplained wins; and a pair that would
   count as moved gives way to one nearly as good that stands in order
   (a revised paragraph seldom moved as well);
4. a leftover new block whose words lie inside an old block that was
   paired with its neighbour was split off it; a leftover old block whose
   words lie inside the new neighbour of its own neighbour was merged.
   The larger part of a split, and the larger source of a merge, keeps
   the id;
5. paired blocks off the longest increasing run of old positions moved.
"""
from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations, permutations
from operator import itemgetter
from typing import Optional, Sequence

from .model import Block
from .textdiff import encode_sequences, engine, kept_in_order

MIN_SIMILARITY_IN_PLACE = 0.6  # Dice over words for a pair in the same region (a rewrite in place)
MIN_SIMILARITY_ELSEWHERE = 0.65  # ... and for a pair far apart: plan prose shares much vocabulary
# At its own place (within REWRITE_REACH blocks) less overlap will do when half the old words are still
# there in runs of VERBATIM_RUN or more, or the bold title is the same: a sentence rewritten, the rest kept.
MIN_SIMILARITY_REWRITE, MIN_VERBATIM, VERBATIM_RUN, REWRITE_REACH = 0.4, 0.5, 6, 3
MIN_CONTAINMENT = 0.75  # share of a part's words found in the whole, for splits and merges
SAME_REGION_BONUS = 0.15
NEAR_TIE = 0.05  # candidates this close are ranked by words kept in order
# A new paragraph (nearly) as close to an unchanged neighbour as to an old paragraph is taken for a copy of the
# neighbour: its claim on that paragraph counts less.
TWIN_REACH, COPY_PENALTY, COPY_MARGIN = 2, 0.2, 0.05
NEARNESS_BONUS, NEARNESS_RANGE = 0.06, 12  # credit for standing at the expected place, fading over 12 blocks
TITLE_WEIGHT = 0.1  # similarity a pair gains when both keep the same bold title, and loses when the titles differ
EXCHANGE_REACH = 3  # paired paragraphs this close may exchange partners
EXCHANGE_WINDOW = 3  # runs of this many neighbouring pairs are rearranged as one
ORDER_BONUS = 0.1  # ... and keeping two in their old order is worth this much similarity
ORDER_MARGIN = 0.1  # a pairing in order wins over one out of order scoring up to this much more
CLOSE_CALL = 0.05  # a deleted paragraph this close to a new one as the paragraph whose id it kept
GROWTH = 1.2  # a split part or merged paragraph changes the length by at least this factor
COMMON_PAIR_LIMIT = 60  # word pairs shared by more leftover blocks than this suggest no candidates
CANDIDATES_BY_PAIRS = 12
_LEAD_IN = re.compile(r"\s*\*\*[^*]+\*\*")  # the bold title a numbered plan paragraph opens with
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", re.U)
# Renumbering after an insert or a delete turns "(5)" into "(6)" and "3." into "4." in whole runs of
# paragraphs; the number says where a paragraph stands, not what it says, so matching ignores it.
_NUMBER = re.compile(r"^(\s*)(?:\d+[.)]|\(\d+\)|（\d+）|（[一二三四五六七八九十百]+）|[一二三四五六七八九十百]+、)\s*")


@dataclass
class Alignment:
    old_of: list[Optional[int]]  # per new block: index of the old block whose id it keeps
    edited: set[int] = field(default_factory=set)  # new indices whose text changed
    moved: set[int] = field(default_factory=set)  # new indices out of their old order
    split_from: dict[int, int] = field(default_factory=dict)  # new index -> old index it was split off
    merged_into: dict[int, int] = field(default_factory=dict)  # old index -> new index absorbing it
    deleted: list[int] = field(default_factory=list)  # old indices gone (not merged)
    # new index -> a deleted old index its text is as close to as to the one whose id it kept: a call the
    # text could not settle, for the drafter to confirm (or settle with `{#p0123}`)
    close_calls: dict[int, int] = field(default_factory=dict)

    def status(self, new_index: int) -> str:
        if self.old_of[new_index] is None:
            return "split" if new_index in self.split_from else "new"
        if new_index in self.moved:
            return "moved"
        return "edited" if new_index in self.edited else "kept"


def words(block: Block) -> list[str]:
    return _WORD.findall(_NUMBER.sub("", block.text or block.source, count=1).lower())


def content(block: Block) -> str:
    """The Markdown of a block without its paragraph or list number."""
    return _NUMBER.sub(r"\1", block.source, count=1)


def _pairs(tokens: list[str]) -> list[tuple[str, str]]:
    """Adjacent word pairs, each once, in text order (so what is built from them is the same in every run)."""
    if len(tokens) < 2:
        return [(t, "") for t in tokens]
    return list(dict.fromkeys(zip(tokens, tokens[1:])))


def dice(a: frozenset, b: frozenset) -> float:
    """Overlap of two vocabularies: 1 for the same words, 0 for none in common."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def containment(part: frozenset, whole: frozenset) -> float:
    return len(part & whole) / len(part) if part else 0.0


class _Aligner:
    def __init__(self, old: Sequence[Block], new: Sequence[Block]):
        self.old, self.new = old, new
        self.result = Alignment(old_of=[None] * len(new))
        self.new_of: dict[int, int] = {}  # old index -> new index
        self.region_old: list[int] = [0] * len(old)
        self.region_new: list[int] = [0] * len(new)
        self.region_start: dict[int, tuple[int, int]] = {0: (-1, -1)}  # region -> the anchor before it
        self._words_old: dict[int, list[str]] = {}
        self._words_new: dict[int, list[str]] = {}
        self._bags_old: dict[int, frozenset] = {}
        self._bags_new: dict[int, frozenset] = {}
        self._twin: dict[int, float] = {}  # new index -> its overlap with a neighbour's old paragraph
        self._claims: dict[int, list[int]] = {}  # new index -> old indices it could pair with (step 3)
        self.pinned: set[int] = set()  # new indices the drafter paired by hand: no later step moves them
        self.content = ([content(b) for b in old], [content(b) for b in new])  # sources without numbers

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

    def old_bag(self, i: int) -> frozenset:
        if i not in self._bags_old:
            self._bags_old[i] = frozenset(self.old_words(i))
        return self._bags_old[i]

    def new_bag(self, j: int) -> frozenset:
        if j not in self._bags_new:
            self._bags_new[j] = frozenset(self.new_words(j))
        return self._bags_new[j]

    # 1. headings with the same outline anchor
    def match_anchors(self) -> None:
        by_anchor = {b.anchor: i for i, b in enumerate(self.old) if b.kind == "heading" and b.anchor}
        for j, block in enumerate(self.new):
            i = by_anchor.pop(block.anchor, None) if block.kind == "heading" and block.anchor else None
            if i is not None:
                self.pair(i, j)

    # 2. unchanged blocks: unique sources first, then repeated ones between them
    def match_unchanged(self) -> None:
        old_content, new_content = self.content
        old_count, new_count = Counter(old_content), Counter(new_content)
        old_at = {text: i for i, text in enumerate(old_content) if old_count[text] == 1}
        unique = [(j, old_at[text]) for j, text in enumerate(new_content)
                  if new_count[text] == 1 and text in old_at
                  and self.result.old_of[j] is None and old_at[text] not in self.new_of]
        in_order = longest_increasing([i for _j, i in unique])
        anchors = [(-1, -1)]
        for k, (j, i) in enumerate(unique):
            self.pair(i, j)  # a unique block out of order is the same block, moved
            if k in in_order:
                anchors.append((i, j))
        anchors.append((len(self.old), len(self.new)))
        for region, ((i0, j0), (i1, j1)) in enumerate(zip(anchors, anchors[1:])):
            self.region_start[region] = (i0, j0)
            self.match_stretch(range(i0 + 1, i1), range(j0 + 1, j1), region)

    def match_stretch(self, olds: range, news: range, region: int) -> None:
        """Between two anchors: pair equal blocks in order (diff-match-patch), mark the region."""
        olds = [i for i in olds if i not in self.new_of]
        news = [j for j in news if self.result.old_of[j] is None]
        for i in olds:
            self.region_old[i] = region
        for j in news:
            self.region_new[j] = region
        if not olds or not news:
            return
        old_content, new_content = self.content
        old_code, new_code = encode_sequences([old_content[i] for i in olds], [new_content[j] for j in news])
        a = b = 0
        for op, run in engine().diff_main(old_code, new_code, False):
            if op == 0:
                for k in range(len(run)):
                    self.pair(olds[a + k], news[b + k])
            a += len(run) if op <= 0 else 0
            b += len(run) if op >= 0 else 0

    def leftovers(self) -> tuple[list[int], list[int]]:
        return ([i for i in range(len(self.old)) if i not in self.new_of],
                [j for j in range(len(self.new)) if self.result.old_of[j] is None])

    # 3. similar paragraphs
    def match_similar(self) -> None:
        old_left, new_left = self.leftovers()
        if not old_left or not new_left:
            return
        postings: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_region: dict[int, list[int]] = defaultdict(list)
        for i in old_left:
            by_region[self.region_old[i]].append(i)
            for key in _pairs(self.old_words(i)):
                postings[key].append(i)
        scored: list[tuple[float, int, int]] = []
        for j in new_left:
            self._twin[j] = self._neighbour_likeness(j)
            hits: Counter = Counter()
            for key in _pairs(self.new_words(j)):
                posting = postings.get(key)
                if posting and len(posting) <= COMMON_PAIR_LIMIT:
                    hits.update(posting)
            in_place = by_region.get(self.region_new[j], [])
            # most shared pairs first; equal counts keep the order of first sharing (text order)
            best = heapq.nlargest(CANDIDATES_BY_PAIRS, hits.items(), key=itemgetter(1))
            candidates = {i for i, _n in best} | set(in_place)
            mine = [entry for i in candidates for entry in self._score(i, j)]
            scored.extend(self._settle_near_ties(mine))
        scored.sort(key=lambda s: (-s[0], s[2], s[1]))
        for _score, i, j in scored:
            if i not in self.new_of and self.result.old_of[j] is None:
                self.pair(i, j)
        score = {(i, j): value for value, i, j in scored}
        claims: dict[int, list[int]] = defaultdict(list)  # new index -> old indices it may pair with
        for i, j in sorted(score):
            claims[j].append(i)
        here = set(new_left)
        self._claims = claims
        self.exchange_neighbours(score, here)
        self.rescue_stranded(score, claims, here)
        self.reclaim_from_copies(claims, here)
        self.reclaim_from_merged(claims, here)
        self.prefer_in_order(score, claims, here)

    def exchange_neighbours(self, score: dict[tuple[int, int], float], paired_here: set[int]) -> None:
        """Best-first pairing can hand neighbouring lookalike paragraphs each other's ids. For every run of
        EXCHANGE_WINDOW nearby pairs made here, give the run the arrangement of its old paragraphs that
        scores highest in total, counting a small bonus for every two kept in their old order. (Pairwise
        exchanges are not enough: three lookalikes can need a rotation, and a chain of swaps, each
        better than the last, can end worse than the rotation.)"""
        placed = sorted(j for j in paired_here if self.result.old_of[j] is not None)
        for a in range(len(placed) - 1):
            run = placed[a:a + EXCHANGE_WINDOW]
            now = tuple(self.result.old_of[j] for j in run)
            best = max(permutations(now), key=lambda olds: (_arrangement_score(score, olds, run), olds == now))
            if best != now:
                for j in run:
                    self.unpair(j)
                for i, j in zip(best, run):
                    self.pair(i, j)

    def rescue_stranded(self, score: dict[tuple[int, int], float], claims: dict[int, list[int]],
                        paired_here: set[int]) -> None:
        """A near tie settled one way can leave a neighbour without the only old paragraph it matches:
        when the winner has an unclaimed alternative about as good, it takes that one and the stranded
        neighbour gets its match."""
        for j2 in sorted(j for j in paired_here if self.result.old_of[j] is None):
            for j1 in range(j2 - EXCHANGE_REACH, j2 + EXCHANGE_REACH + 1):
                i1 = self.result.old_of[j1] if j1 in paired_here else None
                if i1 is None or (i1, j2) not in score:
                    continue
                spare = [(score[(i, j1)], i) for i in claims[j1]
                         if i not in self.new_of and score[(i, j1)] >= score[(i1, j1)] - NEAR_TIE]
                if spare:
                    self.unpair(j1)
                    self.pair(max(spare)[1], j1)
                    self.pair(i1, j2)
                    break

    def reclaim_from_copies(self, claims: dict[int, list[int]], paired_here: set[int]) -> None:
        """A new paragraph left without an id may have lost its old paragraph to a nearby one that reads
        as well another way: as a near-copy of an unchanged neighbour, or as a part split off a
        neighbour's paragraph. Of the two readings the one leaving less text unexplained wins: the
        holder's overlap with the old paragraph plus the other reading of the stranded one, against the
        stranded one's overlap plus the other reading of the holder. The stranded paragraph must be
        whole (not a part) and stand in order at its place."""
        for j2 in sorted(j for j in paired_here if self.result.old_of[j] is None):
            for i in claims[j2]:
                j1 = self.new_of.get(i)
                if j1 is None or j1 not in paired_here or abs(j1 - j2) > EXCHANGE_REACH or \
                        self._shrunk(i, j2) or not self._fits_order(i, j2, ignoring=j1):
                    continue
                held = dice(self.old_bag(i), self.new_bag(j1))
                otherwise = max(self._split_share(j1, i), self._twin.get(j1, 0.0))
                if otherwise < held - COPY_MARGIN:
                    continue
                stranded_otherwise = max(self._split_share(j2, i), self._twin.get(j2, 0.0))
                if dice(self.old_bag(i), self.new_bag(j2)) + otherwise > held + stranded_otherwise:
                    self.unpair(j1)
                    self.pair(i, j2)
                    break

    def reclaim_from_merged(self, claims: dict[int, list[int]], paired_here: set[int]) -> None:
        """The mirror case on the old side: a new paragraph may have been given an old paragraph that
        reads as merged into its neighbour's (grown) new paragraph, while a nearby lookalike old paragraph
        is left as if deleted. The reading leaving less text unexplained wins, as above."""
        for j in sorted(paired_here):
            i1 = self.result.old_of[j]
            if i1 is None:
                continue
            held, merged = dice(self.old_bag(i1), self.new_bag(j)), self._merge_share(i1, j)
            if merged < held - COPY_MARGIN:
                continue
            stranded = [(dice(self.old_bag(i2), self.new_bag(j)) - self._merge_share(i2, j), i2)
                        for i2 in claims[j] if i2 not in self.new_of and abs(i1 - i2) <= EXCHANGE_REACH]
            if stranded and max(stranded)[0] + merged > held:
                self.unpair(j)
                self.pair(max(stranded)[1], j)

    def prefer_in_order(self, score: dict[tuple[int, int], float], claims: dict[int, list[int]],
                        paired_here: set[int]) -> None:
        """A paragraph that was revised seldom moved as well. A pair made here that stands off the
        longest run of pairs in old order gives way to a pairing about as good (within ORDER_MARGIN)
        that stands in that run: the new paragraph takes a leftover old one lying between its in-order
        neighbours' old paragraphs, or else its old paragraph goes to a whole leftover new one standing
        at the old paragraph's place."""
        in_order = self.in_order()
        stranded = [j for j in sorted(paired_here) if self.result.old_of[j] is None]
        for j in sorted(paired_here - in_order):
            i = self.result.old_of[j]
            if i is None:
                continue
            floor = score[(i, j)] - ORDER_MARGIN
            olds = [(score[(i2, j)], i2) for i2 in claims[j]
                    if i2 not in self.new_of and score[(i2, j)] >= floor and self._between(i2, j, in_order)]
            news = [(score[(i, j2)], j2) for j2 in stranded if self.result.old_of[j2] is None and
                    score.get((i, j2), 0.0) >= floor and not self._shrunk(i, j2) and self._between(i, j2, in_order)]
            if olds:
                self.unpair(j)
                self.pair(max(olds)[1], j)
            elif news:
                self.unpair(j)
                self.pair(i, max(news)[1])

    def _between(self, i: int, j: int, in_order: set[int]) -> bool:
        """Would old block i at new place j stand between the old blocks of the nearest in-order pairs on
        either side of j? (Stricter than `_fits_order`: it asks for evidence of order.)"""
        before = next((self.result.old_of[k] for k in range(j - 1, -1, -1) if k in in_order), -1)
        after = next((self.result.old_of[k] for k in range(j + 1, len(self.new)) if k in in_order), len(self.old))
        return before < i < after

    def _fits_order(self, i: int, j: int, ignoring: int) -> bool:
        """Would old block i at new place j stand in order with the paired blocks next to j? (A block
        paired with a paragraph far from i has moved and says nothing.)"""
        for step in (-1, 1):
            for k in range(j + step, j + step * (EXCHANGE_REACH + 1), step):
                other = self.result.old_of[k] if k != ignoring and 0 <= k < len(self.new) else None
                if other is not None:
                    if 0 < (other - i) * -step <= EXCHANGE_REACH:
                        return False
                    break
        return True

    def _split_share(self, j: int, i: int) -> float:
        """How well new block j reads as a part split off the old paragraph of a neighbour that shrank,
        rather than as old block i."""
        wholes = [self.old_bag(self.result.old_of[k]) for k in (j - 1, j + 1)
                  if 0 <= k < len(self.new) and self.result.old_of[k] is not None
                  and self._shrunk(self.result.old_of[k], k)]
        return _part_share(self.new_bag(j), wholes, self.old_bag(i))

    def _merge_share(self, i: int, j: int) -> float:
        """How well old block i reads as merged into the new paragraph of a neighbour that grew, rather
        than as new block j."""
        wholes = [self.new_bag(self.new_of[k]) for k in (i - 1, i + 1)
                  if self.new_of.get(k, j) != j and self._shrunk(k, self.new_of[k], grown=True)]
        return _part_share(self.old_bag(i), wholes, self.new_bag(j))

    def _score(self, i: int, j: int) -> list[tuple[float, int, int]]:
        if (self.old[i].kind == "heading") != (self.new[j].kind == "heading"):
            return []
        score = dice(self.old_bag(i), self.new_bag(j))
        in_place = self.region_old[i] == self.region_new[j]
        if score < (MIN_SIMILARITY_IN_PLACE if in_place else MIN_SIMILARITY_ELSEWHERE) and \
                not (in_place and self._rewritten_here(i, j, score)):
            return []
        bonus = (SAME_REGION_BONUS if in_place else 0.0) + self._nearness(i, j) + TITLE_WEIGHT * self._titles_agree(i, j)
        closer = score - self._twin.get(j, 0.0)  # how much closer to this paragraph than to the neighbour
        bonus -= COPY_PENALTY * min(1.0, max(0.0, 1 - closer / COPY_MARGIN))
        return [(score + bonus, i, j)]

    def _settle_near_ties(self, mine: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
        """Old paragraphs that one new paragraph resembles almost equally (lookalikes) are told apart
        by how many words it keeps in their order, which word overlap does not see."""
        top = max((score for score, _i, _j in mine), default=0.0)
        tied = [(i, j) for score, i, j in mine if top - score < NEAR_TIE]
        if len(tied) < 2:
            return mine
        kept = {i: self._kept_share(i, j) for i, j in tied}
        # the one keeping most words in order takes the top score; the others fall back by how many fewer
        best = max(kept.values())
        return [(top - NEAR_TIE * (best - kept[i]) if i in kept else score, i, j) for score, i, j in mine]

    def _kept_share(self, i: int, j: int) -> float:
        return kept_in_order(self.old_words(i), self.new_words(j))

    def _rewritten_here(self, i: int, j: int, overlap: float) -> bool:
        """Old block i revised in place into new block j, with too little word overlap for the usual bar?"""
        return overlap >= MIN_SIMILARITY_REWRITE and self._offset(i, j) <= REWRITE_REACH and \
            (self._verbatim_share(i, j) >= MIN_VERBATIM or self._same_lead_in(i, j))

    def _verbatim_share(self, i: int, j: int) -> float:
        """Share of the old paragraph's words still there in runs of VERBATIM_RUN words or more: a
        paragraph with a sentence rewritten keeps its other sentences whole; a paragraph that merely
        shares the plan's vocabulary does not."""
        old_words, new_words = self.old_words(i), self.new_words(j)
        n = VERBATIM_RUN
        runs = {tuple(new_words[k:k + n]) for k in range(len(new_words) - n + 1)}
        covered = [False] * len(old_words)
        for k in range(len(old_words) - n + 1):
            if tuple(old_words[k:k + n]) in runs:
                covered[k:k + n] = [True] * n
        return sum(covered) / max(len(old_words), 1)

    def _neighbour_likeness(self, j: int) -> float:
        """How close new block j is to the old text of a neighbour that kept its words. A new paragraph
        at least as close to its neighbour's text as to an old paragraph it could take the id of is
        more likely a copy of the neighbour, written next to it, than that paragraph revised. A copy keeps
        its model's bold title, so a neighbour with another title does not count."""
        best = 0.0
        for k in range(j - TWIN_REACH, j + TWIN_REACH + 1):
            i = self.result.old_of[k] if k != j and 0 <= k < len(self.new) else None
            if i is not None and self.content[0][i] == self.content[1][k] and self._titles_agree(i, j) != -1:
                best = max(best, dice(self.old_bag(i), self.new_bag(j)))
        return best

    def _nearness(self, i: int, j: int) -> float:
        """A little credit for an old paragraph standing where the new one would be if nothing moved:
        it tells a paragraph from its lookalike a few places away."""
        return NEARNESS_BONUS * max(0.0, 1 - self._offset(i, j) / NEARNESS_RANGE)

    def _same_lead_in(self, i: int, j: int) -> bool:
        """Do both open with the same bold title (`(5) **Protecting religious sites.** …`)? A numbered
        paragraph that keeps its title at its place is the same paragraph, however rewritten."""
        return self._titles_agree(i, j) == 1

    def _titles_agree(self, i: int, j: int) -> int:
        """1 when both open with the same bold title, -1 when both open with a bold title and the titles
        differ, else 0. The title names what a numbered paragraph is about: a paragraph written after a
        neighbour shares the neighbour's words but seldom its title, and is not that neighbour revised."""
        lead_old, lead_new = _LEAD_IN.match(self.content[0][i]), _LEAD_IN.match(self.content[1][j])
        if not (lead_old and lead_new):
            return 0
        return 1 if lead_old.group(0) == lead_new.group(0) else -1

    def _offset(self, i: int, j: int) -> int:
        """How far old block i stands from where new block j would be if nothing had moved."""
        i0, j0 = self.region_start[self.region_new[j]]
        return abs(i - (i0 + j - j0))

    # 4. splits and merges
    def match_splits_and_merges(self) -> None:
        old_left, new_left = self.leftovers()
        for j in new_left:
            for neighbour in (j - 1, j + 1):
                i = self.result.old_of[neighbour] if 0 <= neighbour < len(self.new) else None
                if i is not None and self._shrunk(i, neighbour) and \
                        containment(self.new_bag(j), self.old_bag(i)) >= MIN_CONTAINMENT:
                    self.result.split_from[j] = i
                    break
        for i in old_left:
            for neighbour in (i - 1, i + 1):
                j = self.new_of.get(neighbour) if 0 <= neighbour < len(self.old) else None
                if j is not None and self._shrunk(neighbour, j, grown=True) and \
                        containment(self.old_bag(i), self.new_bag(j)) >= MIN_CONTAINMENT:
                    self.result.merged_into[i] = j
                    break
            else:
                self.result.deleted.append(i)
        self.larger_part_keeps_id()

    def _shrunk(self, i: int, j: int, grown: bool = False) -> bool:
        """Did old block i lose text in new block j (or gain it, with `grown`)? An intact block was not split."""
        before, after = len(self.old[i].source), len(self.new[j].source)
        return after > before * GROWTH if grown else after * GROWTH < before

    def larger_part_keeps_id(self) -> None:
        """Word overlap picks a part; the rule is that the larger part (in characters) keeps the id."""
        for j, i in list(self.result.split_from.items()):
            holder = self.new_of[i]
            if holder not in self.pinned and len(self.new[j].source) > len(self.new[holder].source):
                self.unpair(holder)
                self.pair(i, j)
                del self.result.split_from[j]
                self.result.split_from[holder] = i
        for i, j in list(self.result.merged_into.items()):
            holder = self.result.old_of[j]
            if j not in self.pinned and len(self.old[i].source) > len(self.old[holder].source):
                self.unpair(j)
                self.pair(i, j)
                del self.result.merged_into[i]
                self.result.merged_into[holder] = j

    def unpair(self, new_index: int) -> None:
        old_index = self.result.old_of[new_index]
        self.result.old_of[new_index] = None
        self.new_of.pop(old_index, None)
        self.result.edited.discard(new_index)

    # 5. moves
    def in_order(self) -> set[int]:
        """New indices of the pairs on one longest run in old order; the other pairs moved."""
        paired = [(j, i) for j, i in enumerate(self.result.old_of) if i is not None]
        keep = longest_increasing([i for _j, i in paired])
        return {j for k, (j, _i) in enumerate(paired) if k in keep}

    def mark_moves(self) -> None:
        in_order = self.in_order()
        self.result.moved = {j for j, i in enumerate(self.result.old_of) if i is not None and j not in in_order}

    # 6. what the text could not settle
    def note_close_calls(self) -> None:
        deleted = set(self.result.deleted)
        for j, candidates in sorted(self._claims.items()):
            i = self.result.old_of[j]
            if i is None:
                continue
            kept = dice(self.old_bag(i), self.new_bag(j))
            rivals = [(dice(self.old_bag(k), self.new_bag(j)), -k) for k in candidates if k in deleted]
            if rivals and max(rivals)[0] >= kept - CLOSE_CALL:
                self.result.close_calls[j] = -max(rivals)[1]

    def run(self, pinned: dict[int, int]) -> Alignment:
        self.pinned = set(pinned)
        for j, i in pinned.items():
            self.pair(i, j)
        self.match_anchors()
        self.match_unchanged()
        self.match_similar()
        self.match_splits_and_merges()
        self.mark_moves()
        self.note_close_calls()
        return self.result


def _part_share(part: frozenset, wholes: list[frozenset], own: frozenset) -> float:
    """The largest share of a part's words inside one of the wholes, when at least MIN_CONTAINMENT and
    more than inside `own` (else 0)."""
    best = max((containment(part, whole) for whole in wholes), default=0.0)
    return best if best >= MIN_CONTAINMENT and best > containment(part, own) else 0.0


def _arrangement_score(score: dict[tuple[int, int], float], olds: Sequence[int], news: Sequence[int]) -> float:
    """Total score of pairing olds with news one to one, plus ORDER_BONUS for every two pairs in their old
    order; minus infinity when a pair has no score (too unlike to pair)."""
    total = sum(score.get(pair, float("-inf")) for pair in zip(olds, news))
    return total + ORDER_BONUS * sum(1 for x, y in combinations(olds, 2) if x < y)


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


def align(old: Sequence[Block], new: Sequence[Block], pinned: Optional[dict[int, int]] = None) -> Alignment:
    """`pinned` maps new indices to the old ones a drafter said they are; the rest is aligned around them."""
    return _Aligner(old, new).run(pinned or {})
