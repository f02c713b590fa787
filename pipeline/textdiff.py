"""Word-level differences between two texts (diff-match-patch with semantic cleanup).

Words, not characters, are the units a reviewer reads: each word (or CJK
character) becomes one symbol, diff-match-patch diffs the symbol strings,
and the result is mapped back to text.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Optional

from diff_match_patch import diff_match_patch

EQUAL, INSERT, DELETE = 0, 1, -1
# A word with its trailing spaces, a CJK character, or any other single character.
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3400-\u9fff\uf900-\ufaff]+\s*|\s+")


@lru_cache(maxsize=1)
def engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # deterministic: never cut a diff short on a slow machine
    return dmp


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _symbol(n: int) -> str:
    # private-use code points: they never occur in the texts being compared
    return chr(0xE000 + n) if n < 6400 else chr(0xF0000 + n - 6400)


def _encode(old: list[str], new: list[str]) -> tuple[str, str, dict[str, str]]:
    table: dict[str, str] = {}
    def encode(items: list[str]) -> str:
        return "".join(table.get(item) or table.setdefault(item, _symbol(len(table))) for item in items)
    old_code, new_code = encode(old), encode(new)
    return old_code, new_code, {code: item for item, code in table.items()}


def encode_sequences(old: list[str], new: list[str]) -> tuple[str, str]:
    """One symbol per distinct item, so diff-match-patch can diff sequences of words or blocks."""
    old_code, new_code, _decode = _encode(old, new)
    return old_code, new_code


def word_diff(old: str, new: str, cleanup: bool = True, language: str = "en") -> list[tuple[int, str]]:
    """[(op, text)] with op -1 deleted, 0 equal, 1 inserted; joined texts rebuild old and new.

    Semantic cleanup makes a diff readable by folding short unchanged stretches into larger
    replacements, and keeps the words both sides of a replacement share outside it (`_tidy`), so
    the redline, `nhrap diff` and the HTML diff mark a change alike; code that carries positions
    across the diff wants the diff-match-patch stretches as they are (`cleanup=False`).
    With `language` "zh" (and cleanup) a change inside a Chinese word takes in the whole word:
    加强 → 强化 reads [-加强-]{+强化+}, not [-加-]强{+化+}.
    """
    if old == new:
        return [(EQUAL, old)] if old else []
    old_code, new_code, decode = _encode(tokens(old), tokens(new))
    dmp = engine()
    diffs = dmp.diff_main(old_code, new_code, False)
    if cleanup:
        dmp.diff_cleanupSemantic(diffs)
    merged = _joined([(op, "".join(decode[c] for c in code)) for op, code in diffs])
    if cleanup and language == "zh" and len(merged) > 1:
        merged = snap_to_words(merged, old, new)
    return _tidy(merged) if cleanup else merged


def row_diff(old: str, new: str, language: str = "en") -> list[tuple[int, str]]:
    """`word_diff` of a table's plain text (one row a line): the rows are diffed as units first, so a
    row inserted or deleted is marked whole, and only a row edited (half its words or more kept) gets
    word-level changes. The joined texts rebuild old and new, as with `word_diff`."""
    if old == new:
        return [(EQUAL, old)] if old else []
    old_rows, new_rows = old.split("\n"), new.split("\n")
    ops: list[tuple[int, str]] = []
    for o, n in row_pairs(old_rows, new_rows):
        if n is None:
            ops.append((DELETE, old_rows[o] + "\n"))
        elif o is None:
            ops.append((INSERT, new_rows[n] + "\n"))
        elif old_rows[o] == new_rows[n]:
            ops.append((EQUAL, new_rows[n] + "\n"))
        else:
            ops += word_diff(old_rows[o], new_rows[n], language=language) + [(EQUAL, "\n")]
    return _joined(_last_newline_off(ops))


def row_pairs(old_rows: list[str], new_rows: list[str]) -> list[tuple[Optional[int], Optional[int]]]:
    """Table rows diffed as units, in order: (old index, new index) for a row kept or edited (half its
    words or more kept), (old index, None) for a row deleted, (None, new index) for a row inserted.
    `row_diff` words these pairs; the redline tracks them as row insertions and deletions."""
    pairs: list[tuple[Optional[int], Optional[int]]] = []
    for kept, gone, came in _row_runs(old_rows, new_rows):
        pairs += kept
        pairs += _replaced_rows(gone, came, old_rows, new_rows)
    return pairs


def _row_runs(old_rows: list[str], new_rows: list[str]) -> list[tuple[list, list[int], list[int]]]:
    """The rows diffed as units: stretches of (pairs kept, old rows deleted, new rows inserted), in order."""
    old_code, new_code = encode_sequences(old_rows, new_rows)
    runs: list[tuple[list, list[int], list[int]]] = [([], [], [])]
    o = n = 0
    for op, code in engine().diff_main(old_code, new_code, False):
        if op == EQUAL and (runs[-1][1] or runs[-1][2]):
            runs.append(([], [], []))
        if op == EQUAL:
            runs[-1][0].extend(zip(range(o, o + len(code)), range(n, n + len(code))))
        elif op == DELETE:
            runs[-1][1].extend(range(o, o + len(code)))
        else:
            runs[-1][2].extend(range(n, n + len(code)))
        o, n = o + len(code) * (op <= 0), n + len(code) * (op >= 0)
    return runs


def _replaced_rows(gone: list[int], came: list[int], old_rows: list[str],
                   new_rows: list[str]) -> list[tuple[Optional[int], Optional[int]]]:
    """Rows deleted and inserted at one place: a deleted row with half its words or more kept in an
    inserted one (the likest, in order) was edited; the others are deleted or inserted whole."""
    pairs: list[tuple[Optional[int], Optional[int]]] = []
    k = 0
    for o in gone:
        likeness = {j: similarity(old_rows[o], new_rows[came[j]]) for j in range(k, len(came))}
        match = max(likeness, key=lambda j: (likeness[j], -j), default=None)
        if match is None or likeness[match] < 0.5:
            pairs.append((o, None))
            continue
        pairs += [(None, n) for n in came[k:match]]
        pairs.append((o, came[match]))
        k = match + 1
    return pairs + [(None, n) for n in came[k:]]


def _last_newline_off(ops: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Ops that rebuild old + '\\n' and new + '\\n' made to rebuild old and new: the shared last newline
    comes off, and rows deleted or inserted after the last shared text take their newline before them
    ('… 5.5%' then '{+\\nNew urban jobs | 12 million+}')."""
    pieces = [[op, text] for op, text in ops]
    last_equal = max((k for k, (op, _text) in enumerate(pieces) if op == EQUAL), default=-1)
    if last_equal >= 0:
        pieces[last_equal][1] = pieces[last_equal][1][:-1]
    for side in (DELETE, INSERT):
        tail = [piece for piece in pieces[last_equal + 1:] if piece[0] == side]
        if tail:
            tail[0][1] = ("\n" if last_equal >= 0 else "") + tail[0][1]
            tail[-1][1] = tail[-1][1][:-1]
    return [(op, text) for op, text in pieces]


def _joined(ops: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Neighbouring pieces of the same kind joined, empty ones dropped."""
    result: list[tuple[int, str]] = []
    for op, text in ops:
        if result and result[-1][0] == op:
            result[-1] = (op, result[-1][1] + text)
        elif text:
            result.append((op, text))
    return result


def _common_words(old: str, new: str, from_end: bool = False) -> int:
    """Length of the longest common start (or end) of two texts that stops at a word boundary
    in both: where a space begins or ends, or where a text ends."""
    if from_end:
        old, new = old[::-1], new[::-1]
    n = 0
    limit = min(len(old), len(new))
    while n < limit and old[n] == new[n]:
        n += 1
    def at_break(text: str) -> bool:
        return n == len(text) or text[n].isspace()
    while n and not (old[n - 1].isspace() or (at_break(old) and at_break(new))):
        n -= 1
    return n


def _tidy(ops: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A replacement keeps whole words the two sides share at its ends outside the change:
    [-full-]{+decent+} work rather than [-full -]{+decent +}work, and 5.5%{+ a year+} rather
    than [-5.5%-]{+5.5% a year+} (a text's last word has no space after it)."""
    pieces: list[tuple[int, str]] = []
    k = 0
    while k < len(ops):
        op, text = ops[k]
        if op == DELETE and k + 1 < len(ops) and ops[k + 1][0] == INSERT:
            old, new = text, ops[k + 1][1]
            head = _common_words(old, new)
            old, new, head_text = old[head:], new[head:], old[:head]
            tail = _common_words(old, new, from_end=True)
            tail_text = old[len(old) - tail:] if tail else ""
            if tail:
                old, new = old[:-tail], new[:-tail]
            pieces += [(EQUAL, head_text), (DELETE, old), (INSERT, new), (EQUAL, tail_text)]
            k += 2
        else:
            pieces.append((op, text))
            k += 1
    return _joined(pieces)


def is_cjk(char: str) -> bool:
    """A Chinese character: Chinese is written without spaces between words."""
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@lru_cache(maxsize=1)
def _segmenter():
    """A jieba tokenizer of the diff's own, so words added for glossary checks never change a diff.

    Imported on first use: loading jieba's dictionary takes about a second."""
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


class _WordBoundaries:
    """`pos in bounds`: does a jieba word (search mode, dictionary only) start or end at `pos`?

    jieba cuts a text into runs of Chinese letters and digits and segments each run on its own
    (every other character is a word by itself), so only the run around a position asked about
    is segmented: the same boundaries as segmenting the whole text, at a fraction of the cost."""

    def __init__(self, text: str):
        self.text = text
        self.runs: Optional[list[tuple[int, int]]] = None

    def __contains__(self, pos: int) -> bool:
        if pos <= 0 or pos >= len(self.text):
            return True
        if self.runs is None:
            import jieba
            self.runs = [m.span() for m in jieba.re_han_default.finditer(self.text)]
        k = bisect.bisect_right(self.runs, (pos, len(self.text) + 1)) - 1
        if k < 0 or not self.runs[k][0] < pos < self.runs[k][1]:
            return True
        start, end = self.runs[k]
        return pos - start in _run_boundaries(self.text[start:end])


@lru_cache(maxsize=4096)
def _run_boundaries(run: str) -> frozenset[int]:
    return frozenset(offset for _word, start, end in _segmenter().tokenize(run, mode="search", HMM=False)
                     for offset in (start, end))


def snap_to_words(ops: list[tuple[int, str]], old: str, new: str) -> list[tuple[int, str]]:
    """Widen each change whose end falls inside a Chinese word to the whole word, in both texts;
    changes that come to touch are joined. Words are jieba's dictionary words at their finest
    (search mode: 不断完善 also ends at 不断). Only Chinese characters are taken in, so English and
    numbers stay as the word diff made them."""
    regions: list[list[int]] = []  # [old start, old end, new start, new end] of each run of changes
    o = n = 0
    for op, text in ops:
        if op == EQUAL:
            o, n = o + len(text), n + len(text)
            continue
        if not regions or regions[-1][1] != o or regions[-1][3] != n:
            regions.append([o, o, n, n])
        if op == DELETE:
            o += len(text)
        else:
            n += len(text)
        regions[-1][1], regions[-1][3] = o, n
    # jieba only when some change has a Chinese character just outside it
    if not any((r[0] and is_cjk(old[r[0] - 1])) or (r[1] < len(old) and is_cjk(old[r[1]])) for r in regions):
        return ops
    old_bounds, new_bounds = _WordBoundaries(old), _WordBoundaries(new)
    snapped: list[list[int]] = []
    k = 0
    while k < len(regions):
        r = list(regions[k])
        k += 1
        floor = snapped[-1][1] if snapped else 0
        while r[0] > floor and not (r[0] in old_bounds and r[2] in new_bounds) and is_cjk(old[r[0] - 1]):
            r[0], r[2] = r[0] - 1, r[2] - 1
        if snapped and r[0] == snapped[-1][1]:
            previous = snapped.pop()
            r[0], r[2] = previous[0], previous[2]
        while True:
            ceiling = regions[k][0] if k < len(regions) else len(old)
            while r[1] < ceiling and not (r[1] in old_bounds and r[3] in new_bounds) and is_cjk(old[r[1]]):
                r[1], r[3] = r[1] + 1, r[3] + 1
            if k < len(regions) and r[1] == regions[k][0]:
                r[1], r[3] = regions[k][1], regions[k][3]
                k += 1
                continue
            break
        snapped.append(r)
    result: list[tuple[int, str]] = []
    at = 0
    for o_start, o_end, n_start, n_end in snapped:
        pieces = ((EQUAL, old[at:o_start]), (DELETE, old[o_start:o_end]), (INSERT, new[n_start:n_end]))
        result += [(op, text) for op, text in pieces if text]
        at = o_end
    if at < len(old):
        result.append((EQUAL, old[at:]))
    return result


def similarity(old: str, new: str) -> float:
    """Share of words kept, from 0 (nothing in common) to 1 (identical)."""
    if old == new:
        return 1.0
    return kept_in_order(tokens(old), tokens(new))


def kept_in_order(old: list[str], new: list[str]) -> float:
    """Share of items kept in the same order (longest common stretches found by diff-match-patch),
    out of the longer sequence."""
    old_code, new_code = encode_sequences(old, new)
    kept = sum(len(run) for op, run in engine().diff_main(old_code, new_code, False) if op == EQUAL)
    return kept / max(len(old), len(new), 1)


def nearest(text: str, needle: str, near: int = 0) -> int:
    """Offset of the occurrence of `needle` in `text` closest to `near`; -1 when absent, 0 for ''."""
    if not needle:
        return 0
    hits, at = [], text.find(needle)
    while at >= 0:
        hits.append(at)
        at = text.find(needle, at + 1)
    return min(hits, key=lambda h: abs(h - near)) if hits else -1
