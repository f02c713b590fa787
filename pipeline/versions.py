"""Frozen versions: immutable Markdown plus metadata with stable paragraph ids.

Freezing aligns the new draft with the latest version (pipeline.align), so
unchanged, edited and moved paragraphs keep their ids, a split keeps it on
the larger part, a merge keeps the id of the larger source, and new
paragraphs get fresh ids that were never used before.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Optional

from .align import align, content
from .anchoring import Versions
from .clock import DATE_FORMS, calendar_today, day, today
from .errors import UserError, shown
from .fileio import atomic_write, dump_yaml, locked, parse_yaml, read_text
from .model import PARAGRAPH_ID, Block, Changes, Document, Version
from .readers.markdown import read_markdown, refuse_entity_controls
from .writers.markdown import blocks_to_markdown

ID_WIDTH = 4


def paragraph_id(number: int) -> str:
    return f"p{number:0{ID_WIDTH}d}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assign_ids(parent: Optional[Version], blocks: list[Block], source_path: Path = Path("draft")) -> tuple[Changes, int]:
    """Give every block its id; return the changes against the parent and the next free id number."""
    next_id = parent.next_id if parent else 1
    changes = Changes()
    pinned = _pinned(parent, blocks, source_path)
    if parent is None:
        for block in blocks:
            block.id, next_id = paragraph_id(next_id), next_id + 1
            changes.added.append(block.id)
        return changes, next_id
    old = parent.document.blocks
    alignment = align(old, blocks, pinned)
    for j, block in enumerate(blocks):
        i = alignment.old_of[j]
        if i is None:
            block.id, next_id = paragraph_id(next_id), next_id + 1
            if j in alignment.split_from:
                changes.split[block.id] = old[alignment.split_from[j]].id
            else:
                changes.added.append(block.id)
            continue
        block.id = old[i].id
        if j in alignment.edited:
            changes.edited.append(block.id)
        if j in alignment.moved:
            changes.moved.append(block.id)
    changes.merged = {old[i].id: blocks[j].id for i, j in sorted(alignment.merged_into.items())}
    changes.deleted = [old[i].id for i in alignment.deleted]
    changes.close_calls = {blocks[j].id: old[i].id for j, i in alignment.close_calls.items()}
    return changes, next_id


def _pinned(parent: Optional[Version], blocks: list[Block], source_path: Path) -> dict[int, int]:
    """New index -> parent index for paragraphs the drafter marked `{#p0123}`."""
    return pinned_indices(parent, blocks, lambda block: (source_path, block.line))


def pinned_indices(parent: Optional[Version], blocks: list[Block], place) -> dict[int, int]:
    """New index -> parent index for blocks marked `{#p0123}`. The id must be a paragraph of the parent
    version (a deleted id is never given again), be claimed once, and not still stand unchanged on
    another paragraph (then the mark is a slip: that paragraph keeps its id). `place(block)` gives the
    (file, line) an error names."""
    old = parent.document.blocks if parent else []
    where = {b.id: i for i, b in enumerate(old)}
    unchanged_at = {content(b): k for k, b in enumerate(blocks)}
    pinned: dict[int, int] = {}
    claimed: dict[str, Block] = {}  # places are worked out only for an error: finding one may read a file
    for j, block in enumerate(blocks):
        if not block.pin:
            continue
        i = where.get(block.pin)
        if i is None or old[i].kind == "heading":
            latest = parent.name if parent else "any version (none is frozen yet)"
            raise UserError(f"{{#{block.pin}}}: {block.pin} is not a paragraph of {latest}; "
                            "only an id in the latest version can be kept", *place(block))
        if block.pin in claimed:
            raise UserError(f"{{#{block.pin}}} is also written at {_where(place(claimed[block.pin]))}", *place(block))
        other = unchanged_at.get(content(old[i]), j)
        if other != j and blocks[other].pin != block.pin:  # the same mark twice is reported as such
            raise UserError(f"{{#{block.pin}}}: {block.pin} still stands unchanged at {_where(place(blocks[other]))}, "
                            "which keeps it; remove the mark", *place(block))
        claimed[block.pin] = block
        pinned[j] = i
    return pinned


def _where(place: tuple) -> str:
    path, line = place
    return f"line {line} of {Path(path).name}"


def _metadata(version: Version) -> str:
    changes = version.changes
    head = dump_yaml({
        "version": version.number, "name": version.name, "parent": version.parent, "date": version.date,
        "stage": version.stage, "note": version.note, "sha256": version.sha256, "next_id": version.next_id,
    })
    change_map = {"edited": changes.edited, "moved": changes.moved, "added": changes.added,
                  "deleted": changes.deleted, "split": changes.split, "merged": changes.merged}
    lines = [head.rstrip("\n"), "changes:"]
    lines += [f"  {key}: {_flow(value)}" for key, value in change_map.items()]
    lines.append("blocks:")
    lines += [f"- [{b.id}, {b.kind}, {b.section or chr(39) * 2}]" for b in version.document.blocks]
    return "\n".join(lines) + "\n"


def _flow(value: list | dict) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return "[" + ", ".join(value) + "]"


class NothingChanged(UserError):
    """The draft reads as the latest version at the same stage: a freeze refuses, a dry run just says so."""
    def __init__(self, message: str, since: str):
        super().__init__(message)
        self.since = since


def freeze(ws, stage: Optional[str], note: str, date: Optional[str] = None, source: Optional[str] = None,
           source_path: Optional[Path] = None, dry_run: bool = False) -> Version:
    """Write the next version from the working draft (or a Markdown `source` text read from `source_path`).
    With `dry_run`, work it out and write nothing: the drafter sees the ids before they are settled. No
    `stage` keeps the latest version's (the plan's first before any version)."""
    plan = ws.plan
    if stage is not None and stage not in plan.stages:
        raise UserError(f"--stage {stage} is not one of the plan's stages: {', '.join(plan.stages)}", ws.plan_path)
    versions, stored, on_parent = _load_comments_first(ws)
    from .compose import check_headings, compose_draft  # jinja2: `show`, `diff` and `comments` need none of it
    source_path = source_path or ws.draft_path
    if source is None:
        source, _report = compose_draft(ws)
        atomic_write(ws.draft_path, source)  # what errors and reports point into, line by line
    with locked(ws.versions_dir / ".lock"):
        numbers = ws.version_numbers()
        # the versions the comments were read with, unless another freeze has written one since
        parent = (versions if numbers == versions.numbers else Versions(ws))[numbers[-1]] if numbers else None
        stage = stage or (parent.stage if parent else plan.stages[0])
        if plan.approved_at(stage):
            _check_consensus(ws, on_parent, plan, stage)
        date = _version_date(date, parent)
        document = read_markdown(source, plan.outline_ids)
        refuse_entity_controls(document.blocks, source_path)
        if not document.blocks:
            raise UserError("the draft is empty: nothing to freeze", source_path)
        check_headings(document.blocks, plan, source_path, {})
        changes, next_id = assign_ids(parent, document.blocks, source_path)
        text = blocks_to_markdown(document.blocks)
        digest = sha256(text.encode("utf-8"))
        if parent and parent.stage == stage and digest == parent.sha256:
            raise NothingChanged(f"nothing changed since {parent.name} (same text, same stage): no new version written",
                                 since=parent.name)
        number = numbers[-1] + 1 if numbers else 1
        md_path, meta_path = ws.version_paths(number)
        version = Version(number=number, parent=parent.number if parent else None, date=date,
                          stage=stage, note=note, sha256=digest, next_id=next_id,
                          document=document, changes=changes, path=str(md_path),
                          notes=_stage_notes(plan, parent, stage))
        if dry_run:  # what would become of the comments, with nothing kept of a version not written
            version.comments_carried = _carry_comments(ws, version, parent, stored, on_parent, keep=False)
            return version
        atomic_write(md_path, text, exclusive=True)
        try:
            atomic_write(meta_path, _metadata(version), exclusive=True)
        except BaseException:
            md_path.unlink()
            raise
        _cache_blocks(ws, number, version.sha256, document.blocks)
    version.comments_carried = _carry_comments(ws, version, parent, stored, on_parent)
    return version


def _stage_notes(plan, parent: Optional[Version], stage: str) -> list[str]:
    """A stage earlier in the plan than the parent's is allowed (examination back to consultation is
    another round of consultation), but said, so that a mistyped --stage is seen."""
    if parent and plan.stage_before(stage, parent.stage):
        return [f"the stage goes back from {parent.stage} ({parent.name}) to {stage}"]
    return []


def _version_date(date: Optional[str], parent: Optional[Version]) -> str:
    """An ISO date, not before the parent's: version dates are read as the order of events. The default
    is today (or SOURCE_DATE_EPOCH's day, for reproducible builds), and never before the parent's date.
    A date given is not after the calendar's today: every later version would have to be dated after it."""
    if date is None:
        return max(today(), parent.date if parent else "")
    written, date = date, day(date)
    if date is None:
        raise UserError(f"version date '{written}' is not a date ({DATE_FORMS})")
    if date > calendar_today():
        raise UserError(f"version date {date} is after today, {calendar_today()}: a version is dated when it is "
                        "frozen, and no later version could be dated before it")
    if parent and parent.date and date < parent.date:
        raise UserError(f"version date {date} is before {parent.date}, the date of {parent.name}")
    return date


def _load_comments_first(ws) -> tuple[Versions, list, list]:
    """(the versions read, stored comments, the same on the latest version). Freezing carries every comment
    to the new version: a comment file that cannot be read must stop the freeze before the version is
    written."""
    from .comments import load_comments, on_latest
    versions = Versions(ws)
    stored = load_comments(ws, versions=versions, as_stored=True)
    return versions, stored, on_latest(ws, stored, versions)


def _check_consensus(ws, comments: list, plan, stage: str) -> None:
    from .comments import unanswered_substantive
    waiting = unanswered_substantive(ws, comments)
    if waiting:
        listed = "\n".join(f"  {c.id} ({c.org}, {c.anchor.para}): {c.body[:60]}" for c in waiting[:50])
        after = "" if stage == plan.approval_stage else f" ({stage} comes after it)"
        raise UserError(f"{len(waiting)} substantive comment(s) have no response yet; "
                        f"answer them before {plan.approval_stage}{after}:\n{listed}")


def _carry_comments(ws, version: Version, parent: Optional[Version], stored: list, on_parent: list,
                    keep: bool = True) -> dict[str, int]:
    """Counts of comments carried one step to the new version: reanchored, changed, orphaned, applied.
    No comment file is rewritten (each keeps the anchor it was made with); what they read as on the new
    version is cached for the commands that follow."""
    from .anchoring import carry_to
    from .carry_cache import remember
    versions = Versions(ws, version, *([parent] if parent else []))
    carried = carry_to(ws, on_parent, version, versions)
    if stored and keep:
        remember(ws, versions, stored, carried.comments)
    return carried.counts


def _cache_path(ws, number: int, digest: str) -> Path:
    return ws.build_dir / "cache" / "versions" / f"v{number:03d}-{digest[:16]}.json"


def _cache_blocks(ws, number: int, digest: str, blocks: list[Block]) -> None:
    """Frozen versions never change, so their parsed blocks are kept, keyed by content hash."""
    atomic_write(_cache_path(ws, number, digest), json.dumps([vars(b) for b in blocks], ensure_ascii=False))


def _parsed_blocks(ws, number: int, md_path: Path, text: str, digest: str) -> list[Block]:
    cache = _cache_path(ws, number, digest)
    if cache.is_file():
        return [Block(**fields) for fields in json.loads(cache.read_text(encoding="utf-8"))]
    return read_markdown(text, ws.plan.outline_ids, path=str(md_path)).blocks


BLOCK_LINE = re.compile(r"^- \[([^,\]]+), ([^,\]]+), ([^\]]*)\]$")


def _metadata_text(ws, number: int) -> str:
    """The text of version `number`'s metadata. A merge conflict left in it comes from two clones freezing
    that version at once: the error says how that is settled."""
    md_path, meta_path = ws.version_paths(number)
    files = " ".join(str(path.relative_to(ws.root)) for path in (md_path, meta_path))
    return read_text(meta_path, on_conflict=f"two clones froze v{number} at once. Keep the v{number} shared first "
                     f"(while merging: git checkout --theirs -- {files}; once the conflict is committed: "
                     f"git checkout @{{upstream}} -- {files}), "
                     "commit, and freeze again: the other clone's edits are in the chapters")


def _load_metadata(ws, number: int) -> dict:
    """Version metadata: a small YAML head, then one `- [id, kind, section]` line per block.

    The block lines are machine-written in one fixed form, so they are read line by line: with
    1,500 blocks that is ten times faster than a YAML loader, which `diff` and `show` feel.
    """
    meta_path = ws.version_paths(number)[1]
    head, marker, tail = _metadata_text(ws, number).partition("\nblocks:\n")
    top, _, change_lines = head.partition("\nchanges:\n")
    changes = _read_changes(change_lines)
    meta = parse_yaml(top if changes is not None else head, meta_path)  # as every file: no aliases, lines named
    if changes is not None and isinstance(meta, dict):
        meta["changes"] = changes
    if not marker or not isinstance(meta, dict) or not {"version", "sha256", "next_id"} <= set(meta):
        raise UserError("version metadata lacks version, sha256, next_id or blocks", meta_path)
    first_line = head.count("\n") + 3
    meta["blocks"] = [_block_entry(line, meta_path, first_line + k) for k, line in enumerate(tail.splitlines())]
    _check_ids(meta, head, meta_path, first_line)
    if meta["version"] != number:
        raise UserError(f"{meta_path.name} says it is version {shown(meta['version'])}", meta_path, 1)
    _check_parent(meta, head, meta_path)
    return meta


_PARENT = re.compile(r"^parent: (\d+|null)$", re.M)
_RELATION = re.compile(r"^  (split|merged): \{(.*)\}$")
_PAIR = re.compile(r"([^\s,:{}]+): ([^\s,:{}]+)")


_CHANGE_LIST = re.compile(r"^  (edited|moved|added|deleted): \[([^\]\[{}:]*)\]$")
_CHANGE_KEYS = ("edited", "moved", "added", "deleted", "split", "merged")
_PLAIN_ID = re.compile(r"^[\w-]+$")  # as freeze writes ids; anything quoted or odd goes to the YAML loader


def _read_changes(lines: str) -> Optional[dict]:
    """The `changes:` lines of a version's metadata, as `_metadata` writes them (`  added: [p0001, …]`,
    `  split: {p0002: p0003}`): a YAML loader takes ~10 ms over the hundreds of ids of a large revision,
    which every read of a version paid. None when they are not in that form (the YAML loader reads them)."""
    changes: dict = {}
    for line in lines.split("\n"):
        listed, related = _CHANGE_LIST.match(line), _RELATION.match(line)
        if listed:
            changes[listed.group(1)] = [item.strip() for item in listed.group(2).split(",") if item.strip()]
        elif related:
            changes[related.group(1)] = dict(_PAIR.findall(related.group(2)))
        else:
            return None
    written = [ident for value in changes.values()
               for ident in ([*value, *value.values()] if isinstance(value, dict) else value)]
    plain = all(_PLAIN_ID.match(ident) for ident in written)
    return changes if tuple(changes) == _CHANGE_KEYS and plain else None


def recorded_relations(ws, number: int) -> tuple[Optional[int], Changes]:
    """Version `number`'s parent and the splits and merges recorded when it was frozen (`Changes` with
    only `split` and `merged`), from its metadata alone. `_metadata` writes the head in one fixed form,
    so the two lines are read with a pattern (a YAML load of a head listing hundreds of edited ids costs
    ~10 ms a version); anything unexpected goes to the full metadata reader."""
    top, _, change_lines = _metadata_text(ws, number).partition("\nblocks:\n")[0].partition("\nchanges:\n")
    parent, changes = _PARENT.search(top), _read_changes(change_lines)
    if parent and changes is not None:
        return (None if parent.group(1) == "null" else int(parent.group(1))), \
            Changes(split=changes["split"], merged=changes["merged"])
    meta = _load_metadata(ws, number)
    changes = meta.get("changes") or {}
    return meta.get("parent"), Changes(split=dict(changes.get("split") or {}),
                                       merged=dict(changes.get("merged") or {}))


def _check_ids(meta: dict, head: str, meta_path: Path, first_line: int) -> None:
    """Ids are never given twice: each id once per version, and every id below `next_id` (the next
    freeze numbers new paragraphs from there). A hand edit that breaks either would hand out an id again."""
    numbers = {}
    for k, (ident, _kind, _section) in enumerate(meta["blocks"]):
        match = PARAGRAPH_ID.match(ident)
        if not match:
            raise UserError(f"'{ident}' is not a paragraph id (p0001, …)", meta_path, first_line + k)
        if ident in numbers:
            raise UserError(f"paragraph id {ident} is listed twice (also line {numbers[ident]})",
                            meta_path, first_line + k)
        numbers[ident] = first_line + k
    next_id = meta["next_id"]
    highest = max((int(ident[1:]) for ident in numbers), default=0)
    if not isinstance(next_id, int) or isinstance(next_id, bool) or next_id <= highest:
        raise UserError(f"next_id must be a number above every id in use (highest: p{highest:0{ID_WIDTH}d})",
                        meta_path, _head_line(head, "next_id"))


def _check_parent(meta: dict, head: str, meta_path: Path) -> None:
    """Each version is frozen from the one before it. Two clones freezing at once both write the version
    after the latest; one of them renamed to keep both was not made from the other, and would carry
    comments and give out paragraph ids as if the other did not exist."""
    number, parent = meta["version"], meta.get("parent")
    if parent == (number - 1 if number > 1 else None):
        return
    made_from = f"v{parent}" if parent else "no version"
    message = (f"v{number} was frozen from {made_from}, not from v{number - 1}, the version before it" if number > 1
               else f"v1 was frozen from {made_from}, but it is the first version")
    if isinstance(parent, int) and parent < number - 1:
        message += (f": two clones froze the version after v{parent} at once and both were kept. Keep the one "
                    "shared first, remove the other, and freeze again: its edits are in the chapters")
    raise UserError(message, meta_path, _head_line(head, "parent"))


def _head_line(head: str, key: str) -> Optional[int]:
    """The line of `key` in a version's metadata head."""
    return next((n for n, text in enumerate(head.splitlines(), 1) if text.startswith(f"{key}:")), None)


def _block_entry(line: str, path: Path, number: int) -> list[str]:
    match = BLOCK_LINE.match(line)
    if not match:
        raise UserError(f"malformed block line {shown(line)} (expected '- [id, kind, section]')", path, number)
    ident, kind, section = match.groups()
    return [ident, kind, "" if section == "''" else section]


def read_version(ws, number: int) -> Version:
    md_path, meta_path = ws.version_paths(number)
    meta = _load_metadata(ws, number)
    if not md_path.is_file():
        raise UserError(f"the Markdown of v{number} is missing", md_path)
    text = read_text(md_path)  # as every file is read: a CRLF checkout (core.autocrlf) reads as the same text
    digest = sha256(text.encode("utf-8"))
    if digest != meta.get("sha256"):
        raise UserError(f"v{number} was edited after it was frozen (its hash no longer matches {meta_path.name}); "
                        "frozen versions are immutable: restore the file (git checkout) and freeze a new version "
                        "from the working draft instead", md_path)
    blocks = _parsed_blocks(ws, number, md_path, text, digest)
    entries = meta.get("blocks") or []
    if len(entries) != len(blocks):
        raise UserError(f"v{number} has {len(blocks)} blocks but its metadata lists {len(entries)}", meta_path)
    for block, entry in zip(blocks, entries):
        block.id = entry[0]
    document = Document(blocks=blocks, path=str(md_path))
    if not _cache_path(ws, number, digest).is_file():
        _cache_blocks(ws, number, digest, blocks)
    changes = meta.get("changes") or {}
    return Version(
        number=int(meta["version"]), parent=meta.get("parent"), date=str(meta.get("date", "")),
        stage=str(meta.get("stage", "")), note=str(meta.get("note") or ""), sha256=meta["sha256"],
        next_id=int(meta["next_id"]), document=document, path=str(md_path),
        changes=Changes(
            edited=list(changes.get("edited") or []), moved=list(changes.get("moved") or []),
            added=list(changes.get("added") or []), deleted=list(changes.get("deleted") or []),
            split=dict(changes.get("split") or {}), merged=dict(changes.get("merged") or {}),
        ),
    )
