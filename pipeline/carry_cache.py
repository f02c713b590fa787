"""Comments as carried onto the latest version, kept between commands in build/cache/.

A comment file keeps the anchor it was stored with, on the version the reviewer commented on: a freeze
rewrites no comment file, so git history shows only what people did. Every command reads comments
carried onto the latest version (`anchoring.carry_to`), which is work in proportion to comments times
versions. The result depends only on the versions and on what of a comment carrying reads (its anchor,
kind and proposed text), so it is kept here, keyed by both, and recomputed for what changed.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Iterable

from .anchoring import Versions, carry_to
from .fileio import atomic_write
from .model import Anchor, Comment

CACHE_FORMAT = 1
CARRYING_CODE = ("anchoring.py", "textdiff.py")  # a release that carries differently reads no old entry


def history_key(ws, numbers: Iterable[int]) -> str:
    """One hash over every version's files, as they are now. Any change to them (a version edited after
    it was frozen, a merge conflict left in one) misses the cache, and carrying reads, and refuses, it."""
    layout = ",".join(field.name for field in fields(Anchor))  # so is one whose anchors have other fields
    digest = hashlib.sha256(f"format {CACHE_FORMAT} {layout}".encode())
    for name in CARRYING_CODE:
        digest.update((Path(__file__).parent / name).read_bytes())
    for number in numbers:
        for path in ws.version_paths(number):
            digest.update(f"\n{path.name} ".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def carried_key(comment: Comment) -> str:
    """What carrying a comment reads, hashed: a response or a reply recorded since changes nothing here."""
    read = {"anchor": asdict(comment.anchor), "kind": comment.kind, "proposed": comment.proposed}
    return hashlib.sha256(json.dumps(read, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]


def _cache_path(ws):
    return ws.build_dir / "cache" / "carried-comments.json"


def _read(ws, history: str) -> dict[str, dict]:
    try:
        data = json.loads(_cache_path(ws).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no cache yet, or one left unreadable: carry again
    return data.get("comments", {}) if isinstance(data, dict) and data.get("history") == history else {}


def remember(ws, versions: Versions, stored: list[Comment], carried: list[Comment]) -> None:
    """Keep the anchors on the latest version that `carried` gives the comments `stored` holds."""
    history = history_key(ws, versions.numbers)
    _write(ws, history, _read(ws, history), stored, carried)


def _write(ws, history: str, known: dict[str, dict], stored: list[Comment], carried: list[Comment]) -> None:
    by_id = {c.id: c for c in stored}
    entries = dict(known)
    entries.update({c.id: {"from": carried_key(by_id[c.id]), "anchor": asdict(c.anchor)} for c in carried})
    atomic_write(_cache_path(ws), json.dumps({"history": history, "comments": entries}, ensure_ascii=False,
                                             sort_keys=True))


def anchors_on_latest(ws, stored: list[Comment], versions: Versions) -> dict[str, Anchor]:
    """Comment id → its anchor carried onto the latest version, for `stored` comments behind the latest."""
    history = history_key(ws, versions.numbers)
    known = _read(ws, history)
    anchors = {c.id: Anchor(**known[c.id]["anchor"]) for c in stored
               if known.get(c.id, {}).get("from") == carried_key(c)}
    missing = [c for c in stored if c.id not in anchors]
    if missing:
        carried = carry_to(ws, missing, versions.latest, versions).comments
        anchors.update({c.id: c.anchor for c in carried})
        _write(ws, history, known, missing, carried)
    return anchors
