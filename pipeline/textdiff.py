"""Word-level differences between two texts (diff-match-patch with semantic cleanup).

Words, not characters, are the units a reviewer reads: each word (or CJK
character) becomes one symbol, diff-match-patch diffs the symbol strings,
and the result is mapped back to text.
"""
from __future__ import annotations

import re
from functools import lru_cache

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


def word_diff(old: str, new: str, cleanup: bool = True) -> list[tuple[int, str]]:
    """[(op, text)] with op -1 deleted, 0 equal, 1 inserted; joined texts rebuild old and new.

    Semantic cleanup makes a diff readable by folding short unchanged stretches into larger
    replacements; code that carries positions across the diff wants those stretches kept.
    """
    if old == new:
        return [(EQUAL, old)] if old else []
    old_code, new_code, decode = _encode(tokens(old), tokens(new))
    dmp = engine()
    diffs = dmp.diff_main(old_code, new_code, False)
    if cleanup:
        dmp.diff_cleanupSemantic(diffs)
    merged: list[tuple[int, str]] = []
    for op, code in diffs:
        text = "".join(decode[c] for c in code)
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        elif text:
            merged.append((op, text))
    return merged


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
