"""Comment statistics: counts and acceptance by round, organisation category, chapter, type and status."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from .model import COMMENT_STATUSES, Comment

ACCEPTED = ("accepted", "accepted-with-modification")
DECIDED = ACCEPTED + ("not-accepted", "noted")
GENERAL = "(general)"  # comments on the whole draft, with no paragraph


def chapter_lookup(plan, versions) -> dict[tuple[int, str], str]:
    """(version, paragraph id) → chapter id, over every frozen version (`anchoring.Versions`, which serves
    the versions reading the comments loaded already)."""
    lookup: dict[tuple[int, str], str] = {}
    for number in versions.numbers:
        for block in versions[number].document.blocks:
            lookup[(number, block.id)] = plan.chapter_of(block.section) or ""
    return lookup


def chapter_of(comment: Comment, lookup: dict[tuple[int, str], str]) -> str:
    anchor = comment.anchor
    if not anchor.para:
        return GENERAL
    return lookup.get((anchor.version, anchor.para)) or lookup.get((comment.version, anchor.para)) or GENERAL


def _group(comments: Iterable[Comment], key, order: Sequence[str] = ()) -> dict[str, dict]:
    """Counts per group: groups named in `order` first, in that order, then the others by name; GENERAL last."""
    groups: dict[str, Counter] = {}
    for comment in comments:
        groups.setdefault(str(key(comment)), Counter())[comment.disposition.status] += 1
    rank = {name: index for index, name in enumerate(order)}
    result = {}
    for name in sorted(groups, key=lambda g: (g == GENERAL, rank.get(g, len(rank)), g)):
        counts = groups[name]
        decided = sum(counts[s] for s in DECIDED)
        accepted = sum(counts[s] for s in ACCEPTED)
        result[name] = {"total": sum(counts.values()), **{s: counts[s] for s in COMMENT_STATUSES},
                        "accepted_share": round(accepted / decided, 3) if decided else None}
    return result


def comment_stats(comments: list[Comment], lookup: dict[tuple[int, str], str], outline: Sequence[str]) -> dict:
    """Every grouping a round report shows; shares are accepted / (accepted + not accepted + noted).
    Chapters are in `outline` order (the plan's chapter ids), as the plan reads, comments on the whole draft last."""
    return {
        "total": len(comments),
        "by_round": _group(comments, lambda c: c.round),
        "by_category": _group(comments, lambda c: c.org_category),
        "by_chapter": _group(comments, lambda c: chapter_of(c, lookup), outline),
        "by_type": _group(comments, lambda c: c.type),
        "by_kind": _group(comments, lambda c: c.kind),
        "by_status": dict(sorted(Counter(c.disposition.status for c in comments).items())),
        "by_anchor": dict(sorted(Counter(c.anchor.state for c in comments).items())),
    }
