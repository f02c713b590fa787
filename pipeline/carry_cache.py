"""Comments as carried onto the latest version, kept between commands in build/cache/.

A comment file keeps the anchor it was stored with, on the version the reviewer commented on: a freeze
rewrites no comment file, so git history shows only what people did. Every command reads comments
carried onto the latest version (`anchoring.carry_to`), which is work in proportion to comments times
versions. The result depends only on the versions, the carrying code and what of a comment carrying
reads (its anchor, kind and proposed text), so it is kept here, keyed by all three. An entry is used
only when its anchor still stands on the latest version's text; anything else is carried again. The
cache is an optimisation: one that cannot be read or written is ignored.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Iterable, Optional

import diff_match_patch

from .anchoring import Versions, carry_to
from .fileio import atomic_write, code_digest
from .model import Anchor, Comment, Version

CACHE_FORMAT = 1
# a release that reads versions or carries comments differently reads no old entry
CARRYING_CODE = ("anchoring.py", "textdiff.py", "model.py", "readers/markdown.py")
ANCHOR_FIELDS = frozenset(field.name for field in fields(Anchor))


def history_key(ws, numbers: Iterable[int]) -> str:
    """One hash over every version's files as they are now, and over the code that carries comments."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT} {code_digest(*CARRYING_CODE)} "
                            f"diff-match-patch {diff_match_patch.__version__}".encode())
    for number in numbers:
        for path in ws.version_paths(number):
            digest.update(f"\n{path.name} ".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def carried_key(comment: Comment) -> str:
    """What carrying a comment reads, hashed: a response or a reply recorded since changes nothing here."""
    read = [vars(comment.anchor), comment.kind, comment.proposed]  # an anchor holds only text and numbers
    return hashlib.sha256(json.dumps(read, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]


def _cache_path(ws) -> Path:
    return ws.build_dir / "cache" / "carried-comments.json"


def _read(ws, history: str) -> dict[str, dict]:
    """The cached entries of `history` that have the shape this release writes."""
    try:
        data = json.loads(_cache_path(ws).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no cache yet, or one left unreadable: carry again
    entries = data.get("comments") if isinstance(data, dict) and data.get("history") == history else None
    if not isinstance(entries, dict):
        return {}
    return {ident: entry for ident, entry in entries.items()
            if isinstance(entry, dict) and isinstance(entry.get("anchor"), dict)
            and set(entry["anchor"]) == ANCHOR_FIELDS}


def _write(ws, history: str, known: dict[str, dict], stored: list[Comment], carried: list[Comment]) -> None:
    by_id = {c.id: c for c in stored}
    entries = dict(known)
    entries.update({c.id: {"from": carried_key(by_id[c.id]), "anchor": asdict(c.anchor)} for c in carried})
    try:
        atomic_write(_cache_path(ws), json.dumps({"history": history, "comments": entries}, ensure_ascii=False,
                                                 sort_keys=True))
    except OSError:
        pass  # build/ not writable: the next command carries again


def remember(ws, versions: Versions, stored: list[Comment], carried: list[Comment]) -> None:
    """Keep the anchors on the latest version that `carried` gives the comments `stored` holds."""
    history = history_key(ws, versions.numbers)
    _write(ws, history, _read(ws, history), stored, carried)


def _standing(entry: dict, comment: Comment, latest: Version, texts: dict[str, str]) -> Optional[Anchor]:
    """The cached anchor of `comment`, when it was carried from what the comment holds now and stands on
    the latest version's text (a version replaced while the entry was written would leave it elsewhere)."""
    if entry.get("from") != carried_key(comment):
        return None
    try:
        anchor = Anchor(**entry["anchor"])
        placed = anchor.state == "orphaned" or not anchor.para or (
            anchor.para in texts and anchor.stands_on(texts[anchor.para]))
    except TypeError:  # an entry written by hand, or damaged
        return None
    return anchor if anchor.version == latest.number and placed else None


def anchors_on_latest(ws, stored: list[Comment], versions: Versions) -> dict[str, Anchor]:
    """Comment id → its anchor carried onto the latest version, for `stored` comments behind the latest."""
    history = history_key(ws, versions.numbers)
    known = _read(ws, history)
    latest = versions.latest
    texts = {block.id: block.text for block in latest.document.blocks}
    anchors = {c.id: anchor for c in stored if c.id in known
               and (anchor := _standing(known[c.id], c, latest, texts)) is not None}
    missing = [c for c in stored if c.id not in anchors]
    if missing:
        carried = carry_to(ws, missing, latest, versions).comments
        anchors.update({c.id: c.anchor for c in carried})
        _write(ws, history, known, missing, carried)
    return anchors
