"""Scripted revisions of a draft, with the ground truth of what happened to every paragraph.

    from bench.edits import revise, join_blocks
    revision = revise([b.source for b in version.document.blocks], "medium", random.Random(1))
    ws_text = revision.markdown()        # the working draft of the next version
    freeze(ws, "consultation", "round 2", source=ws_text)

`revise(blocks, intensity, rng)` takes the Markdown sources of the blocks of version N (in order,
as `pipeline.readers.markdown` splits them) and returns a `Revision` whose `blocks` are the
sources of version N+1; `revision.markdown()` joins them the way the project's Markdown writer
does (list items tight, a blank line elsewhere), so parsing it gives back exactly those blocks.

Intensities, per 100 editable blocks (paragraphs and top-level list items), from
/work/shared/domain/consultation.md:

    intensity  word edits  sentence rewrites  inserts  deletes  moves  splits+merges  renumbering
    light          15             2              1        1       0         1            no
    medium         30             8              4        4       2         3            yes
    heavy          50            20             10       10       6         6            yes

- Only paragraphs and top-level list items are edited; headings (and their `{#id}`), tables,
  footnote definitions and nested items are kept as they are. Deletes may hit list items;
  moves, splits, merges and lookalike copies are paragraphs only.
- A word edit replaces (synonym or other plan word), deletes (an adverb) or inserts (an adverb)
  one word; a rewrite replaces one whole sentence with a new one. A block never loses more than
  about a third of its text this way, so it stays recognisably the same paragraph.
- Half the inserted paragraphs are lookalikes: a near-copy (a few words changed, maybe one
  sentence; never identical) of an untouched paragraph, placed right next to it. The rest are
  new text.
- No edit, split part or lookalike reads exactly like another block of version N, paragraph and
  list numbers set aside (renumbering comes later): that would make the truth ambiguous, and any
  aligner would, rightly, match the identical text.
- A split cuts a paragraph of two or more sentences at a sentence boundary; a merge joins a
  paragraph with the paragraph after it. Moved paragraphs land at least 6 blocks away.
- Renumbering (medium, heavy): ordered list markers (`1.`, `2.` …) and paragraph numbers
  (`(1) `, `（1）`) are renumbered within each run/section after inserts, deletes and moves.
- Blocks touched by a structural operation (delete, move, split, merge, lookalike source) get
  no word edits in the same revision, so each block's truth has one category.

Ground truth: `revision.origin[j]` for every new block j is an `Origin`:

    kind       kept | edited | moved | split | merged | new
               (kept: same source text; edited: text changed in place, renumbering included)
    source     index of the old block whose paragraph id block j must carry; None for a new block
               and for the smaller part of a split (both get fresh ids)
    split_from for both parts of a split: the old index they came from
    absorbed   for a merge: the other old indices merged in (their ids must disappear; `source`
               is the larger of the merged blocks)
    like       for a lookalike insert: the old block it copies (it must NOT get that block's id)
    spans      for edited blocks: [start, end) character spans of the OLD source that changed
               (an insertion is an empty span); text outside them is still there verbatim
    pieces     (old index, old start, old end, new start): every stretch of old source copied
               verbatim into block j — for kept/edited/moved/split/merged blocks

`revision.deleted` lists old indices deleted outright (merge-absorbed blocks are not in it;
`revision.absorbed()` gives those). `revision.locate(i, start, end)` says where the old text
`blocks[i][start:end]` now stands verbatim — (new index, new start) — or None when an edit,
a delete or a split point touched it: the ground truth for re-anchoring a comment quote.
All offsets are into block *sources* (list markers and `**` included), not plain text.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Optional

from bench.generate import EN, ZH, TextMaker

RATES = {  # per 100 editable blocks: words, rewrites, inserts, deletes, moves, splits+merges, renumber
    "light": (15, 2, 1, 1, 0, 1, False),
    "medium": (30, 8, 4, 4, 2, 3, True),
    "heavy": (50, 20, 10, 10, 6, 6, True),
}
MAX_CHANGED = 0.35  # share of a block's old text that edits may replace
MOVE_DISTANCE = 6

_HEADING = re.compile(r"^#{1,6}\s+.*?(?:\{#([a-z0-9-]+)\})?\s*$")
_ITEM = re.compile(r"^(\s*)(?:[-*+]|(\d+)[.)])\s")
_NUMBERED = re.compile(r"^(?:\((\d+)\) |（(\d+)）)")
_PROTECTED = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+|^\(\d+\) |^（\d+）|\*\*[^*]*\*\*|\[\^[^\]]*\]")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？]")
_EN_WORD = re.compile(r"\b[a-z]{4,}\b")
SYNONYMS = {
    "strengthen": "reinforce", "improve": "enhance", "expand": "broaden", "promote": "encourage",
    "guarantee": "ensure", "support": "assist", "protect": "defend", "develop": "build", "will": "shall",
    "increased": "raised", "launched": "started", "relevant": "competent", "local": "regional",
    "rural": "village", "equal": "fair", "results": "findings", "every": "each", "within": "inside",
    "focus": "priority", "quality": "standard", "national": "nationwide", "system": "framework",
    "services": "facilities", "protection": "safeguarding", "coverage": "reach", "included": "incorporated",
    "extended": "rolled out", "handled": "processed", "ensure": "make sure", "access": "entry",
}
ZH_SWAPS = [ZH["verbs"], ZH["adverbs"], ZH["nouns"]]
# what an English word may become: its synonym, or another word of the same form
_EN_OPTIONS: dict[str, list[str]] = {w: [w, s] for w, s in SYNONYMS.items()}
for _forms in ([v[k] for v in EN["verbs"]] for k in range(3)):
    _EN_OPTIONS.update({w: _forms for w in _forms})
_EN_OPTIONS.update({w: EN["adverbs"] for w in EN["adverbs"]})
_EN_OPTIONS.update({w: EN["nouns"] for w in EN["nouns"]})


def classify(source: str) -> str:
    """Block kind from its Markdown source (the same kinds as pipeline.readers.markdown)."""
    if _HEADING.match(source):
        return "heading"
    match = _ITEM.match(source)
    if match:
        return "list_item" if not match.group(1) else "nested_item"
    if source.startswith("|"):
        return "table"
    if source.startswith("[^"):
        return "footnote"
    if source.startswith(("```", "~~~", ">", "    ")):
        return "other"
    return "paragraph"


@dataclass
class Origin:
    kind: str
    source: Optional[int] = None
    split_from: Optional[int] = None
    absorbed: list[int] = field(default_factory=list)
    like: Optional[int] = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    pieces: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class Revision:
    old: list[str]
    blocks: list[str]
    origin: list[Origin]
    deleted: list[int]

    def markdown(self) -> str:
        return join_blocks(self.blocks)

    def absorbed(self) -> list[int]:
        return sorted(i for o in self.origin for i in o.absorbed)

    def locate(self, old_index: int, start: int, end: int) -> Optional[tuple[int, int]]:
        for j, origin in enumerate(self.origin):
            for i, old_start, old_end, new_start in origin.pieces:
                if i == old_index and old_start <= start and end <= old_end:
                    return j, new_start + start - old_start
        return None


def join_blocks(sources: list[str]) -> str:
    """Markdown of a block list: list items tight, a blank line between all other blocks."""
    parts: list[str] = []
    for k, source in enumerate(sources):
        if k:
            tight = classify(sources[k - 1]) in ("list_item", "nested_item") and \
                classify(source) in ("list_item", "nested_item")
            parts.append("\n" if tight else "\n\n")
        parts.append(source)
    return "".join(parts) + "\n"


# ---------------------------------------------------------------------------
# a block under revision: segments copied from old blocks or newly written

@dataclass
class _Item:
    segments: list[tuple[str, Optional[int], int]]  # (text, old index or None, old start)
    kind: str
    section: str
    origin: str = "kept"
    source: Optional[int] = None
    split_from: Optional[int] = None
    absorbed: list[int] = field(default_factory=list)
    like: Optional[int] = None

    @property
    def text(self) -> str:
        return "".join(t for t, _i, _s in self.segments)

    def replace(self, start: int, end: int, new: str) -> None:
        """Replace text[start:end] (current coordinates) by `new`."""
        out: list[tuple[str, Optional[int], int]] = []
        pos, placed = 0, False
        for text, old, old_start in self.segments:
            seg_end = pos + len(text)
            if seg_end <= start or pos >= end and placed:
                out.append((text, old, old_start))
            else:
                if start > pos:
                    out.append((text[: start - pos], old, old_start))
                if not placed:
                    out.append((new, None, 0))
                    placed = True
                if end < seg_end:
                    cut = max(end - pos, 0)
                    out.append((text[cut:], old, old_start + cut if old is not None else 0))
            pos = seg_end
        if not placed:
            out.append((new, None, 0))
        self.segments = _normalise(out)

    def changed_share(self, old_length: int) -> float:
        kept = sum(len(t) for t, i, _s in self.segments if i is not None)
        return 1 - kept / max(old_length, 1)

    def verbatim_ranges(self) -> list[tuple[int, int]]:
        ranges, pos = [], 0
        for text, old, _s in self.segments:
            if old is not None:
                ranges.append((pos, pos + len(text)))
            pos += len(text)
        return ranges


def _normalise(segments: list[tuple[str, Optional[int], int]]) -> list[tuple[str, Optional[int], int]]:
    out: list[tuple[str, Optional[int], int]] = []
    for text, old, start in segments:
        if not text:
            continue
        if out:
            last_text, last_old, last_start = out[-1]
            if old is None and last_old is None:
                out[-1] = (last_text + text, None, 0)
                continue
            if old is not None and old == last_old and last_start + len(last_text) == start:
                out[-1] = (last_text + text, old, last_start)
                continue
        out.append((text, old, start))
    return out


def _inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in ranges)


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PROTECTED.finditer(text)]


def _free(text: str, ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """Inside verbatim text and clear of markup (list markers, numbers, bold lead-ins, footnote refs)."""
    return _inside(ranges, start, end) and not any(a < end and start < b for a, b in _protected(text))


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            spans.append((start, end))
        start = end
    return spans


# ---------------------------------------------------------------------------

class _Reviser:
    def __init__(self, blocks: list[str], intensity: str, rng: random.Random):
        if intensity not in RATES:
            raise ValueError(f"intensity must be one of {', '.join(RATES)}, not {intensity!r}")
        self.old, self.rng, self.intensity = blocks, rng, intensity
        self.language = "zh" if sum(len(re.findall(r"[\u4e00-\u9fff]", b)) for b in blocks) > \
            sum(len(b) for b in blocks) / 4 else "en"
        self.maker = TextMaker(self.language, rng)
        self.items: list[_Item] = []
        section = ""
        for i, source in enumerate(blocks):
            kind = classify(source)
            anchor = _HEADING.match(source).group(1) if kind == "heading" else None
            section = anchor or section
            self.items.append(_Item([(source, i, 0)], kind, section, source=i))
        self.old_texts = {_unnumbered(b) for b in blocks}
        self.used: set[int] = set()
        self.deleted: set[int] = set()

    def count(self, rate: float) -> int:
        editable = sum(1 for item in self.items if item.kind in ("paragraph", "list_item"))
        whole, part = divmod(rate * editable / 100, 1)
        return int(whole) + (1 if self.rng.random() < part else 0)

    def pick(self, candidates: list[int], n: int) -> list[int]:
        chosen = self.rng.sample(candidates, min(n, len(candidates)))
        self.used.update(chosen)
        return chosen

    def free(self, *kinds: str) -> list[int]:
        return [i for i, item in enumerate(self.items) if item.kind in kinds and i not in self.used]

    # -- text edits ---------------------------------------------------------
    def rewrite_sentence(self, item: _Item) -> bool:
        text, ranges = item.text, item.verbatim_ranges()
        spans = sentences(text)
        candidates = [s for s in spans if _free(text, ranges, *s)]
        if len(spans) < 2 or not candidates:
            return False
        start, end = self.rng.choice(candidates)
        item.replace(start, end, self.maker.sentence(item.section))
        return True

    def edit_word(self, item: _Item) -> bool:
        """Replace a word by one of its kind, delete an adverb, or insert an adverb before a verb."""
        text, ranges = item.text, item.verbatim_ranges()
        words = [w for w in self._words(text) if _free(text, ranges, w[0], w[1])]
        if not words:
            return False
        start, end, options = self.rng.choice(words)
        word, roll = text[start:end], self.rng.random()
        adverbs = ZH["adverbs"] if self.language == "zh" else EN["adverbs"]
        space = "" if self.language == "zh" else " "
        if roll < 0.2 and word in adverbs:
            tail = end + 1 if text[end:end + 1] == " " else end
            item.replace(start, tail, "")
        elif roll < 0.4 and word in self._verbs and not any(text[:start].rstrip().endswith(a) for a in adverbs):
            item.replace(start, start, self.rng.choice([a for a in adverbs if a != word]) + space)
        else:
            item.replace(start, end, self.rng.choice([o for o in options if o != word]))
        return True

    @property
    def _verbs(self) -> set[str]:
        return set(ZH["verbs"]) if self.language == "zh" else {v[0] for v in EN["verbs"]}

    def _words(self, text: str) -> list[tuple[int, int, list[str]]]:
        """Editable words: (start, end, words it may become)."""
        if self.language == "zh":
            return [(m.start(), m.end(), group) for group in ZH_SWAPS for w in group
                    for m in re.finditer(re.escape(w), text)]
        found = []
        for match in _EN_WORD.finditer(text):
            options = _EN_OPTIONS.get(match.group())
            if options:
                found.append((match.start(), match.end(), options))
        return found

    def text_edits(self, n_words: int, n_rewrites: int, pool: list[int]) -> None:
        for n, action in ((n_rewrites, self.rewrite_sentence), (n_words, self.edit_word)):
            done = 0
            for _attempt in range(20 * n + 20):
                if done >= n or not pool:
                    break
                i = self.rng.choice(pool)
                item = self.items[i]
                before = list(item.segments)
                if action(item):
                    # too much changed, or the block now reads exactly like another old block
                    if item.changed_share(len(self.old[i])) > MAX_CHANGED or self.reads_like_old(item, i):
                        item.segments = before
                        continue
                    item.origin = "edited"
                    done += 1

    # -- structure ----------------------------------------------------------
    def split(self, i: int) -> list[_Item]:
        """Two parts cut at a sentence boundary, neither reading exactly like a block of version N (the
        random cut first, then the others in order); a paragraph with no such cut stays whole."""
        item = self.items[i]
        cuts = [end for _start, end in sentences(item.text)[:-1]]
        chosen = self.rng.choice(cuts)
        for cut in [chosen] + [c for c in cuts if c != chosen]:
            first, second = self._cut(item, cut)
            if not (self.reads_like_old(first) or self.reads_like_old(second)):
                break
        else:
            return [item]
        larger = first if len(first.text) >= len(second.text) else second
        for part in (first, second):
            part.origin, part.split_from = "split", i
            part.source = i if part is larger else None
        return [first, second]

    def reads_like_old(self, item: _Item, own: Optional[int] = None) -> bool:
        """Does the block read exactly like a block of version N other than its own source, once
        paragraph and list numbers are set aside (renumbering comes later and may make them equal)?"""
        text = _unnumbered(item.text)
        return text in self.old_texts and (own is None or text != _unnumbered(self.old[own]))

    @staticmethod
    def _cut(item: _Item, cut: int) -> tuple[_Item, _Item]:
        first, second = _Item(list(item.segments), item.kind, item.section), _Item(list(item.segments), item.kind, item.section)
        first.replace(cut, len(item.text), "")
        second.replace(0, cut, "")
        rest = second.text
        second.replace(0, len(rest) - len(rest.lstrip()), "")
        return first, second

    def merge(self, i: int) -> _Item:
        a, b = self.items[i], self.items[i + 1]
        joiner = "" if self.language == "zh" else " "
        merged = _Item(a.segments + [(joiner, None, 0)] + b.segments, a.kind, a.section, origin="merged")
        merged.source, other = (i, i + 1) if len(self.old[i]) >= len(self.old[i + 1]) else (i + 1, i)
        merged.absorbed = [other]
        merged.segments = _normalise(merged.segments)
        return merged

    def lookalike_source(self, i: int) -> bool:
        """A paragraph worth copying: long enough, with words the editor can change."""
        text = self.old[i]
        return len(text) >= 100 and len(self._words(text)) >= 4

    def lookalike(self, i: int) -> Optional[_Item]:
        # marked as copied text (old index -1) so the word editor may touch it, then made all new
        copy = _Item([(self.old[i], -1, 0)], "paragraph", self.items[i].section, origin="new", like=i)
        changes = max(2, len(self.old[i].split()) // 12)
        for _ in range(changes):
            self.edit_word(copy)
        if len(sentences(copy.text)) >= 3 and self.rng.random() < 0.5:
            self.rewrite_sentence(copy)
        copy.segments = [(copy.text, None, 0)]
        return None if self.reads_like_old(copy) else copy

    def fresh(self, section: str) -> _Item:
        words = self.rng.randint(20, 80)
        return _Item([(self.maker.paragraph(section, words), None, 0)], "paragraph", section, origin="new")

    def run(self) -> Revision:
        n_words, n_rewrites, n_inserts, n_deletes, n_moves, n_sm, renumber = RATES[self.intensity]
        n_sm, n_inserts = self.count(n_sm), self.count(n_inserts)
        n_split = (n_sm + 1) // 2
        # a footnote definition whose reference is gone is dropped by the Markdown parser: keep references
        deletable = [i for i in self.free("paragraph", "list_item") if "[^" not in self.old[i]]
        deletes = set(self.pick(deletable, self.count(n_deletes)))
        self.deleted = deletes
        pairs = [i for i in self.free("paragraph") if i + 1 < len(self.items)
                 and self.items[i + 1].kind == "paragraph" and i + 1 not in self.used]
        merges: list[int] = []
        for i in self.rng.sample(pairs, len(pairs)):
            if len(merges) >= n_sm - n_split:
                break
            if i not in self.used and i + 1 not in self.used:
                merges.append(i)
                self.used.update((i, i + 1))
        splittable = [i for i in self.free("paragraph") if len(sentences(self.old[i])) >= 2]
        splits = set(self.pick(splittable, n_split))
        moves = set(self.pick(self.free("paragraph"), self.count(n_moves)))
        likes = self.pick([i for i in self.free("paragraph") if self.lookalike_source(i)], n_inserts // 2)
        self.text_edits(self.count(n_words), self.count(n_rewrites), self.free("paragraph", "list_item"))

        sequence: list[_Item] = []
        moving: list[tuple[_Item, int]] = []
        skip = {i + 1 for i in merges}
        for i, item in enumerate(self.items):
            if i in deletes or i in skip:
                continue
            if i in merges:
                sequence.append(self.merge(i))
            elif i in splits:
                sequence.extend(self.split(i))
            elif i in moves:
                item.origin = "moved"
                moving.append((item, len(sequence)))
            else:
                sequence.append(item)
        for item, was in moving:
            targets = [k for k, other in enumerate(sequence) if other.kind == "paragraph" and abs(k - was) >= MOVE_DISTANCE]
            sequence.insert(self.rng.choice(targets) if targets else len(sequence), item)
        copies = 0
        for i in likes:
            copy = self.lookalike(i)
            if copy:
                k = next(k for k, item in enumerate(sequence) if item.source == i and item.origin == "kept")
                sequence.insert(k + self.rng.choice((0, 1)), copy)
                copies += 1
        for _ in range(n_inserts - copies):
            anchors = [k for k, item in enumerate(sequence) if item.kind == "paragraph"]
            k = self.rng.choice(anchors)
            sequence.insert(k + 1, self.fresh(sequence[k].section))
        if renumber:
            _renumber(sequence)
        return self.result(sequence)

    def result(self, sequence: list[_Item]) -> Revision:
        origins = []
        for item in sequence:
            kind = item.origin
            if kind in ("kept", "edited"):
                kind = "kept" if item.text == self.old[item.source] else "edited"
            origins.append(Origin(
                kind=kind, source=item.source, split_from=item.split_from, absorbed=list(item.absorbed),
                like=item.like, spans=_spans(item, self.old) if kind == "edited" else [],
                pieces=_pieces(item)))
        return Revision(old=list(self.old), blocks=[item.text for item in sequence], origin=origins,
                        deleted=sorted(self.deleted))


def _pieces(item: _Item) -> list[tuple[int, int, int, int]]:
    pieces, pos = [], 0
    for text, old, start in item.segments:
        if old is not None and old >= 0:
            pieces.append((old, start, start + len(text), pos))
        pos += len(text)
    return pieces


def _spans(item: _Item, old: list[str]) -> list[tuple[int, int]]:
    """Old-source spans changed in a block edited in place."""
    spans, last_end, pending = [], 0, False
    for text, source, start in item.segments:
        if source is None:
            pending = True
            continue
        if pending or start != last_end:
            spans.append((last_end, start))
        last_end, pending = start + len(text), False
    if pending or last_end != len(old[item.source]):
        spans.append((last_end, len(old[item.source])))
    return spans


def _unnumbered(text: str) -> str:
    """Block source without its ordered-list number or paragraph number."""
    item = _ITEM.match(text)
    if item and item.group(2):
        return text[:item.start(2)] + text[item.end(2):]
    return _NUMBERED.sub("", text, count=1)


def _renumber(sequence: list[_Item]) -> None:
    """Ordered list markers run 1, 2, 3 … in each list; paragraph numbers (1), (2) … in each section."""
    counter = paragraph_counter = 0
    for item in sequence:
        text = item.text
        if item.kind == "heading" and re.match(r"^#{1,2}\s", text):
            paragraph_counter = 0
        ordered = _ITEM.match(text) if item.kind == "list_item" else None
        if ordered and ordered.group(2):
            counter += 1
            if int(ordered.group(2)) != counter:
                item.replace(ordered.start(2), ordered.end(2), str(counter))
        else:
            counter = 0
        numbered = _NUMBERED.match(text) if item.kind == "paragraph" else None
        if numbered:
            paragraph_counter += 1
            group = 1 if numbered.group(1) else 2
            if int(numbered.group(group)) != paragraph_counter:
                item.replace(numbered.start(group), numbered.end(group), str(paragraph_counter))


def revise(blocks: list[str], intensity: str, rng: random.Random) -> Revision:
    """One scripted revision of a draft given as block sources; see the module docstring."""
    return _Reviser(blocks, intensity, rng).run()
