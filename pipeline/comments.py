"""The comment store: one YAML file per comment under comments/rNN/<id>.yaml.

One file per comment means several people adding comments at once never
touch the same file, so git merges their work without conflicts. Ids are a
hash of what the comment says and where, so harvesting the same file twice
adds nothing. New files are created exclusively (a hard link) and updates
replace a file atomically, both under the store's lock: concurrent writers
lose nothing.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import MISSING, asdict, dataclass, field, fields, is_dataclass, replace
from functools import cache, reduce
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Optional, Union, get_args, get_type_hints

import yaml

from .anchoring import ANCHOR_STATES, Carried, Versions, carry_to
from .carry_cache import anchors_on_latest, remember
from .clock import DATE_FORMS, day as parse_day, today
from .errors import UserError, did_you_mean, listing, notice
from .fileio import KEYBOARD_SIGNS, atomic_write, code_digest, dump_yaml, load_yaml, locked, parsed_each, read_text
from .model import COMMENT_KINDS, COMMENT_STATUSES, COMMENT_TYPES, Anchor, Comment, Disposition, Member, Version
from .textdiff import nearest

CONTEXT = 32  # characters of prefix and suffix kept with a quote, as web annotation does
ROUND_DIR = re.compile(r"^r(\d+)$")
COMMENT_FILE = re.compile(r"^c[0-9a-f]+\.yaml$")
REVIEW_SUFFIXES = (".docx", ".odt")  # returned drafts: Word, or LibreOffice's own format
OS_FILES = {"thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini", "icon\r"}  # file managers' own
STATUS_ALIASES = {
    "accepted with modification": "accepted-with-modification",
    "accepted-with-modifications": "accepted-with-modification",
    "partially accepted": "accepted-with-modification",
    "not accepted": "not-accepted",
    "rejected": "not-accepted",
    "采纳": "accepted",
    "部分采纳": "accepted-with-modification",
    "修改后采纳": "accepted-with-modification",
    "不采纳": "not-accepted",
    "未采纳": "not-accepted",
    "备注": "noted",
    "已知悉": "noted",
    "撤回": "withdrawn",
    "待处理": "open",
}
TYPE_ALIASES = {"technical": "substantive", "general": "general", "ge": "general", "te": "substantive",
                "ed": "editorial", "一般性": "general", "实质性": "substantive", "文字性": "editorial",
                "编辑性": "editorial", "critical": "substantive", "major": "substantive",
                "administrative": "editorial"}
DAY_WITH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\S.*$")  # 2026-03-05 10:00:00, as a spreadsheet writes a date


# -- normalising user words ----------------------------------------------------
def normal_status(value: str, where: Optional[str] = None, line: Optional[int] = None) -> str:
    text = str(value or "").strip().lower()
    status = STATUS_ALIASES.get(text, text.replace(" ", "-"))
    if status not in COMMENT_STATUSES:
        raise UserError(f"unknown status '{value}' (use one of: {', '.join(COMMENT_STATUSES)})", where, line)
    return status


def normal_type(value: str, where: Optional[str] = None, line: Optional[int] = None) -> str:
    text = str(value or "").strip().lower()
    kind = TYPE_ALIASES.get(text, text)
    if kind not in COMMENT_TYPES:
        raise UserError(f"unknown comment type '{value}' (use one of: {', '.join(COMMENT_TYPES)})", where, line)
    return kind


def comment_date(value: str, what: str, where: Optional[str] = None, line: Optional[int] = None) -> str:
    """The day `value` names, as YYYY-MM-DD ('2026-03-05', '2026年3月5日', a time after the day dropped); ''
    for none. 'next week' or 2026-02-30 is refused: stored, it would stop every command reading the store."""
    text = DAY_WITH_TIME.sub(r"\1", str(value or "").strip())
    day = parse_day(text) if text else ""
    if day is None:
        raise UserError(f"{what} '{value}' is not a date ({DATE_FORMS})", where, line)
    return day


def organisation(plan, org_id: str, where: Optional[str] = None, line: Optional[int] = None,
                 by_name: bool = True) -> Member:
    """The member unit, consulted organisation or expert by its id or (`by_name`) its exact registry name,
    English or Chinese, as the matrix nhrap writes names it and `nhrap intake` takes it; the error names a
    near miss of either, else lists the known ids."""
    written = str(org_id).strip()
    member = plan.organisation(written) or (plan.member_named(written) if by_name else None)
    if member is None:
        names = [name for m in plan.members.values() for name in (m.name_en, m.name_zh) if name] if by_name else []
        known = did_you_mean(written, [*plan.members, *names]) or f"; known ids: {listing(plan.members)}" + (
            " (or a registry name, English or Chinese)" if by_name else "")
        raise UserError(f"unknown organisation '{org_id}'{known}", where, line)
    return member


def org_category(member: Member) -> str:
    return "expert" if member.role == "expert" else member.category


# -- building records ----------------------------------------------------------
def comment_id(org: str, para: str, quote: str, body: str, proposed: Optional[str], author: str,
               reply_to: Optional[str], version: int) -> str:
    """Deterministic id: the same comment harvested twice gets the same id."""
    key = "\x1f".join([org, para, quote, body, proposed or "", author, reply_to or "", str(version)])
    return "c" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


# Punctuation a Chinese keyboard types full-width, one character for one: a quote typed with either kind is found.
HALF_WIDTH = str.maketrans(KEYBOARD_SIGNS)


def make_anchor(text: str, para: str, quote: str, start: int, version: int) -> Anchor:
    """A text-quote anchor with 32 characters of context either side."""
    end = start + len(quote)
    return Anchor(para=para, quote=quote, prefix=text[max(0, start - CONTEXT):start],
                  suffix=text[end:end + CONTEXT], start=start, end=end, version=version)


def anchor_in_version(version: Version, para: str, quote: str, near: int = 0,
                      where: Optional[str] = None, line: Optional[int] = None) -> Anchor:
    """Anchor a quote in a paragraph of a version; errors name the unknown paragraph or missing quote. A
    paragraph typed `P0004` or `ｐ０００４`, and a quote typed with the other keyboard's punctuation (`,` for
    `，`), are taken as they stand in the version."""
    para = unicodedata.normalize("NFKC", para).lower()
    block = version.document.by_id().get(para)
    if block is None:
        raise UserError(f"paragraph '{para}' does not exist in {version.name}", where, line)
    start = nearest(block.text, quote, near)
    if start < 0:
        start = nearest(block.text.translate(HALF_WIDTH), quote.translate(HALF_WIDTH), near)
        quote = block.text[start:start + len(quote)] if start >= 0 else quote
    if start < 0:
        raise UserError(f"the quoted text “{quote}” is not in paragraph {para} of {version.name}", where, line)
    return make_anchor(block.text, para, quote, start, version.number)


def new_comment(*, round: int, version: int, anchor: Anchor, member: Member, type: str = "substantive",
                kind: str = "comment", body: str = "", proposed: Optional[str] = None, author: str = "",
                date: str = "", reply_to: Optional[str] = None, source: str = "") -> Comment:
    # an amendment is what it proposes: its body (for a tracked change, nhrap's wording of it in the plan
    # language) is left out, so the wording never changes the id
    said = "" if kind == "amendment" and proposed is not None else body
    ident = comment_id(member.id, anchor.para, anchor.quote, said, proposed, author, reply_to, version)
    return Comment(id=ident, round=round, version=version, anchor=anchor, org=member.id,
                   org_category=org_category(member), type=type, kind=kind, body=body, proposed=proposed,
                   author=author, date=date, reply_to=reply_to, source=source)


# -- files -------------------------------------------------------------------------
def round_dir(comments_dir: Path, round_number: int) -> Path:
    return Path(comments_dir) / f"r{round_number:02d}"


def comment_path(comments_dir: Path, comment: Comment) -> Path:
    return round_dir(comments_dir, comment.round) / f"{comment.id}.yaml"


def to_yaml(comment: Comment) -> str:
    return dump_yaml(asdict(comment))


# -- reading a record: every field known and of its type, errors on the line of the key -----------
ENUMERATED = {("type",): COMMENT_TYPES, ("kind",): COMMENT_KINDS, ("disposition", "status"): COMMENT_STATUSES,
              ("anchor", "state"): ANCHOR_STATES}
DATED = (("date",), ("disposition", "date"))  # '' or a day, YYYY-MM-DD
TYPE_WORDS = {str: "text", int: "a whole number"}


def _key_line(path: Path, keys: tuple) -> int:
    """The line of a (nested) key in a comment file; 1 for the record itself. Errors are rare, so the
    file is parsed again only to find the line of one."""
    node, line = yaml.compose(read_text(path), Loader=yaml.SafeLoader), 1
    for key in keys:
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        hit = next((pair for pair in pairs if pair[0].value == str(key)), None)
        if hit is None:
            break
        line, node = hit[0].start_mark.line + 1, hit[1]
    return line


def _field_error(message: str, path: Path, keys: tuple) -> UserError:
    return UserError(message, path, _key_line(path, keys))


_hints = cache(get_type_hints)  # evaluated once per model class, not once per record


def _from_mapping(cls, data: object, path: Path, keys: tuple = ()):
    """A model dataclass from a YAML mapping; a field it does not have, one missing or one of the wrong
    type is refused on its line."""
    if not isinstance(data, dict):
        raise _field_error(f"field '{'.'.join(keys)}' must be a mapping of fields" if keys else
                           "a comment file must hold one mapping", path, keys)
    hints = _hints(cls)
    for key in data:
        if key not in hints:
            raise _field_error(f"unexpected field '{'.'.join(keys + (str(key),))}' (fields here: "
                               f"{', '.join(hints)})", path, keys + (key,))
    values = {}
    for item in fields(cls):
        if item.name in data:
            values[item.name] = _typed(hints[item.name], data[item.name], path, keys + (item.name,))
        elif item.default is MISSING and item.default_factory is MISSING:
            raise _field_error(f"missing field '{'.'.join(keys + (item.name,))}'", path, keys)
    return cls(**values)


def _typed(hint, value: object, path: Path, keys: tuple) -> object:
    """`value` when it is of the field's type (text, a whole number ≥ 0, a nested record, or null where
    the field allows it)."""
    kinds = [k for k in get_args(hint) or (hint,) if k is not type(None)]
    if value is None and len(kinds) < len(get_args(hint)):
        return None
    kind = kinds[0]
    if is_dataclass(kind):
        return _from_mapping(kind, value, path, keys)
    if isinstance(value, kind) and not isinstance(value, bool) and not (kind is int and value < 0):
        return value
    wanted = TYPE_WORDS[kind] + (" ≥ 0" if kind is int else "")
    raise _field_error(f"field '{'.'.join(keys)}' must be {wanted}, not {'empty' if value is None else repr(value)}"
                       + (" (put text in quotes)" if kind is str and value is not None else ""), path, keys)


def from_yaml_data(data: object, path: Path) -> Comment:
    """A stored comment; wrong fields, types and values are refused on their line."""
    comment = _from_mapping(Comment, data, path)
    for keys, allowed in ENUMERATED.items():
        value = reduce(getattr, keys, comment)
        if value not in allowed:
            raise _field_error(f"unknown {keys[-1].replace('state', 'anchor state')} '{value}' "
                               f"(use one of: {', '.join(allowed)})", path, keys)
    resolved = comment.disposition.resolved_in
    if resolved is not None and resolved < comment.version:
        raise _field_error(f"field 'disposition.resolved_in': v{resolved} is older than v{comment.version}, the "
                           f"version the comment was made on", path, ("disposition", "resolved_in"))
    for keys in DATED:
        value = reduce(getattr, keys, comment)
        if value and parse_day(value) != value:
            raise _field_error(f"field '{'.'.join(keys)}' must be a day written YYYY-MM-DD (or ''), not '{value}'",
                               path, keys)
    return comment


def read_comment(path: Path) -> Comment:
    """One comment file, which must be `rNN/<id>.yaml` holding that id and round."""
    path = Path(path)
    comment = from_yaml_data(load_yaml(path), path)
    if comment.id != path.stem:
        raise _field_error(f"the id in the file is '{comment.id}' but the file is named {path.name}; a comment "
                           f"file is named after its id", path, ("id",))
    if round_dir(path.parent.parent, comment.round).name != path.parent.name:
        raise _field_error(f"the record says round {comment.round} but it is in {path.parent.name}/; a comment "
                           f"of round {comment.round} belongs in {round_dir(path.parent.parent, comment.round).name}/",
                           path, ("round",))
    return comment


# -- the folder: comments/rNN/<id>.yaml, nothing else -------------------------------------------------
def _round_folders(root: Path) -> dict[int, Path]:
    """Round number → its folder, for the folders named as nhrap names them (r01, r02, …, r100)."""
    found = {}
    for path in Path(root).glob("r*"):
        match = ROUND_DIR.match(path.name)
        if match and path.is_dir() and int(match.group(1)) >= 1 and round_dir(root, int(match.group(1))) == path:
            found[int(match.group(1))] = path
    return dict(sorted(found.items()))


def _ignored(path: Path) -> bool:
    """Hidden files (.gitkeep, a writer's temporary file, .DS_Store) and the files Windows and macOS leave
    in folders they show (Thumbs.db, desktop.ini, Icon\r): never comment records."""
    return path.name.startswith(".") or (path.name.lower() in OS_FILES and path.is_file())


def _misplaced(root: Path, folders: dict[int, Path]) -> list[tuple[Path, str]]:
    """Files and folders in comments/ that are not rNN/<id>.yaml (`_ignored` ones aside), each with what
    is wrong."""
    rounds = set(folders.values())
    problems = []
    for path in sorted(p for p in root.iterdir() if not _ignored(p)):
        match = ROUND_DIR.match(path.name)
        if path in rounds:
            problems += [(p, "not a comment file: comment files are named <id>.yaml, like c6d1344968739.yaml")
                         for p in sorted(path.iterdir()) if not _ignored(p) and
                         not (COMMENT_FILE.match(p.name) and p.is_file())]
        elif match and path.is_dir() and int(match.group(1)) >= 1:
            problems.append((path, f"round folders are named {round_dir(root, int(match.group(1))).name}"))
        else:
            problems.append((path, "not a round folder: comments are kept in comments/r01/, r02/, …"))
    return problems


def comment_files(comments_dir: Path, round_number: Optional[int] = None) -> list[Path]:
    """The comment files (of one round); anything else in comments/ is refused, never skipped."""
    root = Path(comments_dir)
    if not root.is_dir():
        return []
    folders = _round_folders(root)
    problems = _misplaced(root, folders)
    if problems:
        listed = "\n".join(f"  {path}: {reason}" for path, reason in problems)
        raise UserError(f"{len(problems)} file(s) or folder(s) in comments/ are not comment records "
                        f"(rNN/<id>.yaml); move or remove them:\n{listed}", problems[0][0])
    chosen = [folders[round_number]] if round_number in folders else [] if round_number else folders.values()
    return sorted(f for folder in chosen for f in folder.glob("c*.yaml"))


def load_comments(ws, round_number: Optional[int] = None, versions: Optional[Versions] = None,
                  as_stored: bool = False) -> list[Comment]:
    """Every stored comment (of one round), in a stable order: round, paragraph, offset, id. A comment
    naming an organisation, version or paragraph that does not exist is refused (`versions`, when given,
    serves the versions read to check that).

    A comment is stored on the version its reviewer read; it is given carried onto the latest version
    (`carry_cache`). `as_stored` gives every record as its file holds it."""
    paths = comment_files(ws.comments_dir, round_number)
    comments, paths = _one_copy_each(ws, _read_records(ws, paths), paths)
    versions = versions or Versions(ws)
    _check_references(ws, comments, paths, versions)
    if not as_stored:
        comments = on_latest(ws, comments, versions)
    return sorted(comments, key=lambda c: (c.round, c.anchor.para, c.anchor.start, c.id))


def _read_records(ws, paths: list[Path]) -> list[Comment]:
    """`read_comment` of each path; a file unchanged since the last command is not parsed again (YAML
    parsing is most of the time a command takes to read a thousand comments)."""
    return parsed_each(paths, read_comment, ws.build_dir / "cache" / "comment-records.pickle",
                       code_digest("model.py", "comments.py"))


# -- one comment stored in two rounds --------------------------------------------------------------
# The same returned file harvested on two clones, one of which had opened a new round and the other not,
# is stored under one id in two round folders; git merges the two files without a word.
def _one_copy_each(ws, comments: list[Comment], paths: list[Path]) -> tuple[list[Comment], list[Path]]:
    """`comments` and their `paths`, a comment stored in several rounds given once (`_one_copy`)."""
    copies: dict[str, list[tuple[Comment, Path]]] = {}
    for comment, path in zip(comments, paths):
        copies.setdefault(comment.id, []).append((comment, path))
    if all(len(held) == 1 for held in copies.values()):
        return comments, paths
    kept = [_one_copy(ws, held) for held in copies.values()]
    return [comment for comment, _path in kept], [path for _comment, path in kept]


def _one_copy(ws, copies: list[tuple[Comment, Path]]) -> tuple[Comment, Path]:
    """The copy read of a comment stored in one or more rounds: the latest round's, when the copies are
    the same record apart from their round (a warning names the others and the `git rm` removing them).
    Copies that differ otherwise (one was answered, say) are refused: which to keep is the panel's call,
    and reading either would hide the other."""
    copies = sorted(copies, key=lambda held: held[0].round)
    kept, kept_path = copies[-1]
    if len(copies) == 1:
        return kept, kept_path
    others = [path for _comment, path in copies[:-1]]
    differing = sorted({key for comment, _path in copies[:-1] for key in _differences(comment, kept)})
    where = "; ".join(f"round {comment.round} in {_shown(ws, path)}" for comment, path in copies)
    if differing:
        choices = "; ".join(f"`git rm {' '.join(_shown(ws, p) for _c, p in copies if p != path)}` keeps round "
                            f"{comment.round}'s" for comment, path in copies)
        raise UserError(f"comment {kept.id} is stored in {len(copies)} rounds, and the copies differ in "
                        f"{', '.join(differing)} ({where}): the same returned file was harvested on two clones "
                        f"into different rounds, and one copy was changed since. Keep the one with the panel's "
                        f"work, copying into it anything wanted from the other: {choices}", kept_path, 1)
    notice(f"comment {kept.id} is stored in {len(copies)} rounds, the same record ({where}): read from round "
           f"{kept.round}. The same returned file was harvested on two clones into different rounds; remove the "
           f"other copy: git rm {' '.join(_shown(ws, path) for path in others)}", kept_path, 1)
    return kept, kept_path


def _differences(one: Comment, other: Comment) -> list[str]:
    """The fields ('disposition.status') in which two records of a comment differ, their round aside."""
    def flat(data: dict, prefix: str = "") -> dict:
        return {key: value for name, item in data.items() for key, value in
                (flat(item, f"{prefix}{name}.") if isinstance(item, dict) else {f"{prefix}{name}": item}).items()}
    mine, theirs = flat(asdict(one)), flat(asdict(other))
    return [key for key in mine if key != "round" and mine[key] != theirs.get(key)]


def _shown(ws, path: Path) -> str:
    """A comment file as a git command run in the workspace names it (comments/r03/c….yaml)."""
    try:
        return Path(path).resolve().relative_to(ws.root).as_posix()
    except ValueError:
        return str(path)


def on_latest(ws, comments: list[Comment], versions: Versions) -> list[Comment]:
    """`comments`, those anchored on an older version than the latest carried onto it (not stored)."""
    behind = [c for c in comments if c.anchor.version < versions.numbers[-1]] if versions.numbers else []
    if not behind:
        return comments
    anchors = anchors_on_latest(ws, behind, versions)
    return [replace(c, anchor=anchors[c.id]) if c.id in anchors else c for c in comments]


def _check_references(ws, comments: list[Comment], paths: list[Path], versions: Versions) -> None:
    numbers = set(versions.numbers)
    texts: dict[int, dict[str, str]] = {}  # version → paragraph id → text
    astray: list[tuple[Path, Comment, tuple, str]] = []
    for comment, path in zip(comments, paths):
        if ws.plan.organisation(comment.org) is None:
            organisation(ws.plan, comment.org, path, _key_line(path, ("org",)), by_name=False)  # a record keeps ids
        for keys, number in ((("version",), comment.version), (("anchor", "version"), comment.anchor.version),
                             (("disposition", "resolved_in"), comment.disposition.resolved_in)):
            if number is not None and number not in numbers:
                raise _field_error(f"field '{'.'.join(keys)}': v{number} does not exist (versions: "
                                   f"{', '.join(f'v{n}' for n in sorted(numbers)) or 'none yet'})", path, keys)
        problem = _off_its_text(comment.anchor, texts, versions)
        if problem:
            astray.append((path, comment, *problem))
    if astray:  # every one at once: after a concurrent freeze there are usually several
        raise _astray_error(ws, astray)


def _off_its_text(anchor: Anchor, texts: dict[int, dict[str, str]], versions: Versions) -> Optional[tuple[tuple, str]]:
    """(the key at fault, what is wrong) when an anchor is not on its version's text; None when it is, or
    when it is orphaned (an orphaned comment keeps the paragraph that went)."""
    if not anchor.para or anchor.state == "orphaned":
        return None
    if anchor.version not in texts:
        texts[anchor.version] = {b.id: b.text for b in versions[anchor.version].document.blocks}
    text = texts[anchor.version].get(anchor.para)
    where = f"{anchor.para} of v{anchor.version}"
    if text is None:
        return ("anchor", "para"), f"paragraph '{anchor.para}' does not exist in v{anchor.version}"
    if not anchor.stands_on(text):
        at = text.find(anchor.quote) if anchor.quote else -1
        if at >= 0:
            return ("anchor", "quote"), (f"the quote “{anchor.quote}” is not at its place (start, end) in {where} (it "
                                         f"stands at start {at}, end {at + len(anchor.quote)}). Edited by hand? "
                                         f"Restore start and end")
        return ("anchor", "quote"), f"the quote “{anchor.quote}” is not at its place (start, end) in {where}"
    if not anchor.read_on(text):  # the quote's words, but not the text around them its reviewer read
        return ("anchor", "prefix"), (f"the quote “{anchor.quote}” is at its place in {where}, but not with the text "
                                      f"the record keeps either side of it (prefix, suffix)")
    return None


def _astray_error(ws, astray: list[tuple[Path, Comment, tuple, str]]) -> UserError:
    """One error for every record anchored on text its version does not have here, each with what to do."""
    lines = "\n".join(f"  {_shown(ws, path)}:{_key_line(path, keys)}: {problem}. {_made_again(comment)}"
                      for path, comment, keys, problem in astray)
    named = ", ".join(sorted({f"v{comment.anchor.version}" for _p, comment, _k, _w in astray}, key=lambda v: int(v[1:])))
    first, _comment, keys, _problem = astray[0]
    return UserError(f"{len(astray)} comment record(s) are anchored on text their version does not have here:\n"
                     f"{lines}\nLikely cause: {named} was frozen on two clones at once, and these records were made "
                     f"on the other clone's copy, which git did not keep (the same version number, other text). A "
                     f"response recorded on a record deleted must be entered again", first, _key_line(first, keys))


def _made_again(comment: Comment) -> str:
    """How a comment made on text its version does not have here is made again, as it was made first."""
    v = comment.anchor.version
    if not comment.source:  # `comments add`: there is no file to read it from again
        return (f"It was added with `comments add`: add it again on the text v{v} has here (nhrap comments add "
                f"--para … --quote … --version {v}; text only the other v{v} had, once a freeze has it), then "
                f"delete this file")
    again = "harvest" if Path(comment.source).suffix.lower() in REVIEW_SUFFIXES else "import"
    return f"Delete this file and {again} {comment.source} again"


def find_comment(ws, ident: str) -> tuple[Comment, Path]:
    """The stored comment with this id (of a comment stored in two rounds, the copy `_one_copy` reads)."""
    hits = _stored_paths(ws.comments_dir).get(ident)
    if not hits:
        raise UserError(f"no comment with id '{ident}'")
    return _read_copies(ws, hits)


def _read_copies(ws, paths: list[Path]) -> tuple[Comment, Path]:
    """One comment from its file, or from its files in several rounds (`_one_copy`)."""
    return _one_copy(ws, [(read_comment(path), path) for path in paths])


def _stored_paths(comments_dir: Path) -> dict[str, list[Path]]:
    """Comment id → its file (its files, round by round, when it is stored in several), in one scan of
    the round folders."""
    stored: dict[str, list[Path]] = {}
    for folder in _round_folders(comments_dir).values():
        for path in folder.glob("c*.yaml"):
            stored.setdefault(path.stem, []).append(path)
    return stored


def _stored_as(comment: Comment, stored: dict[str, list[Path]], earlier: Iterable[str] = ()) -> Optional[Path]:
    """The file already holding `comment`: under its id, or under one of the `earlier` ids an earlier release
    gave it (`earlier_ids`); of a comment in several rounds, the latest round's."""
    return next((stored[ident][-1] for ident in (comment.id, *earlier) if ident in stored), None)


def earlier_ids(comment: Comment, bodies: Iterable[str] = (),
                readings: Iterable[tuple[str, str]] = ()) -> tuple[str, ...]:
    """The ids earlier releases gave a harvested amendment: some hashed its wording (its body, or one of
    `bodies`), and some read its quote and proposed text otherwise (`readings`: a pure insertion after a
    full stop quoted the full stop alone)."""
    if comment.kind != "amendment" or comment.proposed is None:
        return ()
    said = ("", comment.body, *bodies)
    return tuple(ident for quote, proposed in ((comment.anchor.quote, comment.proposed), *readings)
                 for body in said
                 if (ident := comment_id(comment.org, comment.anchor.para, quote, body, proposed, comment.author,
                                         comment.reply_to, comment.version)) != comment.id)


def store_comments(ws, comments: list[Comment], version: Version, versions: Optional[Versions] = None,
                   earlier: Optional[dict[str, tuple[str, ...]]] = None) \
        -> tuple[list[Comment], list[Comment], Optional[Carried]]:
    """Store comments made on `version` as made: a file keeps the anchor on the version the reviewer read,
    and commands read it carried onto the latest.

    (added, already present, each as carried onto the latest; what carrying did to the added ones, or None
    when `version` is the latest). A comment is created once, never replaced here. `earlier`: comment id →
    the ids earlier releases stored it under (`earlier_ids`).
    """
    comments = list({c.id: c for c in comments}.values())  # the same comment twice in one file is one
    versions = versions or Versions(ws, version)
    earlier = earlier or {}
    with locked(_lock_path(ws)):
        stored = _stored_paths(ws.comments_dir)
        paths = {c.id: _stored_as(c, stored, earlier.get(c.id, ())) for c in comments}
        present = [read_comment(paths[c.id]) for c in comments if paths[c.id]]
        fresh = [c for c in comments if not paths[c.id]]
        for comment in fresh:
            atomic_write(comment_path(ws.comments_dir, comment), to_yaml(comment), exclusive=True)
    if versions.numbers[-1] == version.number:
        return fresh, on_latest(ws, present, versions), None
    carried = carry_to(ws, fresh + present, versions.latest, versions)  # each comment carried once
    remember(ws, versions, fresh + present, carried.comments)
    latest = {c.id: c for c in carried.comments}
    return ([latest.get(c.id, c) for c in fresh], [latest.get(c.id, c) for c in present],
            carried.only(c.id for c in fresh))


def _lock_path(ws) -> Path:
    # outside comments/ so the lock file never reaches git
    return Path(ws.build_dir) / ".comments.lock"


def _write(ws, comments: Iterable[Comment]) -> None:
    """Replace stored comments, each in every round holding it (a comment stored in two rounds stays one
    record in both, see `_one_copy`); the caller holds the store's lock."""
    folders = _round_folders(ws.comments_dir)
    for comment in comments:
        rounds = [number for number, folder in folders.items() if (folder / f"{comment.id}.yaml").is_file()]
        for copy in [replace(comment, round=number) for number in rounds] or [comment]:
            atomic_write(comment_path(ws.comments_dir, copy), to_yaml(copy))


def latest_round(ws) -> int:
    return max(_round_folders(ws.comments_dir), default=1)


def rounds_with_comments(ws) -> list[int]:
    root = Path(ws.comments_dir)
    folders = _round_folders(root) if root.is_dir() else {}
    return sorted(number for number, folder in folders.items() if any(folder.glob("c*.yaml")))


# -- dispositions ----------------------------------------------------------------------
def _disposed(comment: Comment, status: Optional[str], response: Optional[str], resolved_in: Optional[int],
              latest: Optional[int], by: str, date: str) -> Optional[Comment]:
    """`comment` with a disposition changed on `date`; None when its status, response and version of
    resolution are already so. No status keeps the current one, no response the current response; without
    `resolved_in`, a newly decided comment is resolved in the `latest` version and one whose status stays
    keeps its version."""
    old = comment.disposition
    new_status = status or old.status
    if new_status == "open":
        resolved = None
    elif resolved_in is not None:
        resolved = resolved_in
    elif new_status == old.status and old.resolved_in is not None:
        resolved = old.resolved_in
    else:
        resolved = latest
    disposition = replace(old, status=new_status, resolved_in=resolved,
                          response=old.response if response is None else response)
    if disposition == old:
        return None
    return replace(comment, disposition=replace(disposition, by=by or old.by, date=date))


def _latest_number(ws) -> Optional[int]:
    numbers = ws.version_numbers()
    return numbers[-1] if numbers else None


def respond(ws, ident: str, status: Optional[str], response: Optional[str] = None,
            resolved_in: Optional[int | str] = None, by: str = "") -> tuple[Comment, bool]:
    """Record the panel's disposition of one comment (read and written under the store's lock), dated
    today; (the comment, whether anything changed). Nothing is written when it is already so (see
    `_disposed`); `resolved_in` must be a version (3, 'v3') no older than the one commented on."""
    status = normal_status(status) if status else None
    resolved_in = ws.resolve_version(resolved_in) if resolved_in is not None else None
    latest, date = _latest_number(ws), today()
    with locked(_lock_path(ws)):
        comment, _path = find_comment(ws, ident)
        if resolved_in is not None and resolved_in < comment.version:
            raise UserError(f"comment {comment.id} was made on v{comment.version}: it cannot be resolved in "
                            f"v{resolved_in}, an older version (--resolved-in v{comment.version} or later)")
        changed = _disposed(comment, status, response, resolved_in, latest, by, date)
        _write(ws, [changed] if changed else [])
    return changed or comment, changed is not None


def unanswered_substantive(ws, comments: Optional[list[Comment]] = None) -> list[Comment]:
    """Substantive comments with no response yet: freezing the approval stage waits for these. Of
    `comments` when the caller has loaded them already (loading carries comments stored on an older
    version onto the latest, which is worth doing once a command)."""
    return [c for c in (load_comments(ws) if comments is None else comments)
            if c.type == "substantive" and c.disposition.status != "withdrawn"
            and (c.disposition.status == "open" or not c.disposition.response.strip())]


# -- intake: reviewers' Word files ---------------------------------------------------------------
@dataclass
class Intake:
    """What one input file yielded: comments added, already present, and what could not be placed."""
    source: str
    org: str
    added: list[Comment] = field(default_factory=list)
    present: list[Comment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    version: int = 0  # the version the comments were made on
    round: int = 0  # the round new comments were stored in
    version_from: str = ""  # how that version was known: --version, document properties, page header, cover, text
    carried: Optional[Carried] = None  # the carrying onto the latest version, when `version` is older
    skipped_findings: int = 0  # comments that were nhrap's own findings (render --with-findings), not stored

    @property
    def comments(self) -> list[Comment]:
        return self.added + self.present


def org_from_filename(plan, path: Path) -> Member:
    """`<org-id>[-anything].docx` (or .odt): the longest known id the file name starts with."""
    stem = Path(path).stem.lower()
    matches = [i for i in plan.members if stem == i or stem.startswith(i + "-") or stem.startswith(i + "_")]
    if not matches:
        raise UserError(f"cannot tell the organisation from the file name; name it <org-id>[-anything].docx "
                        f"(or .odt) or pass --org (known ids: {listing(plan.members)})", path)
    return plan.members[max(matches, key=len)]


def _best_block(version: Version, quote: str, context: str):
    """The block holding `quote`; among several, the one most like the reviewer's paragraph."""
    from .textdiff import similarity
    holders = [b for b in version.document.blocks if quote and quote in b.text]
    if len(holders) > 1 and context:
        return max(holders, key=lambda b: similarity(context, b.text))
    return holders[0] if holders else None


def _place_note(note, version: Version, path: Path, stated: Optional[int] = None) -> tuple[Optional[Anchor], str]:
    """Anchor a harvested note on `version`; (None, warning) when it cannot be placed."""
    blocks = version.document.by_id()
    if note.para:
        block = blocks.get(note.para)
        if block is None:
            hint = f"the file says it was made from v{stated}" if stated and stated != version.number else \
                "was the file made from another version?"
            raise UserError(f"paragraph '{note.para}' (a bookmark in the file) does not exist in {version.name}; "
                            f"{hint} (use --version)", path)
        start = nearest(block.text, note.quote, note.start)
        if start >= 0:
            return make_anchor(block.text, block.id, note.quote, start, version.number), ""
    block = _best_block(version, note.quote, note.para_text)
    if block is None:
        where = f" (marked on {note.para})" if note.para else ""
        return None, f"could not place {note.kind} by {note.author or 'unknown'}{where} on “{note.quote[:60]}”: " \
                     f"the text is not in {version.name}; kept as a general comment"
    start = nearest(block.text, note.quote, 0)
    return make_anchor(block.text, block.id, note.quote, start, version.number), ""


def _kind_of(note) -> str:
    if note.kind == "amendment":
        return "amendment"
    return "question" if note.body.rstrip().endswith(("?", "？")) else "comment"


def _reads_as(block, returned: str) -> bool:
    """Does a returned paragraph (its text as first written, tracked changes aside) read as `block`?"""
    return block is not None and bool(block.text) and block.text in returned


def _best_readings(versions: Versions, review) -> list[int]:
    """The versions whose paragraphs the file's numbered paragraphs read as best (most of them found),
    oldest first; none when no version's text is found in the file."""
    scores = {}
    for number in versions.numbers:
        blocks = versions[number].document.by_id()
        scores[number] = sum(1 for para, text in review.paragraphs.items() if _reads_as(blocks.get(para), text))
    best = max(scores.values(), default=0)
    return [number for number, score in scores.items() if best and score == best]


def _reads_as_part(block, returned: str) -> bool:
    """Does a returned paragraph read as `block`, or as a part of it? LibreOffice moves a table's bookmark
    into its last cell, so a returned table may read as that cell alone."""
    return _reads_as(block, returned) or returned in block.text


def _mismatches(version: Version, review, reads=_reads_as) -> list[tuple[str, bool]]:
    """(paragraph id, missing) of each numbered paragraph of a returned file that is not `version`'s (missing)
    or does not `reads` as in it (tracked changes aside)."""
    blocks = version.document.by_id()
    return [(para, para not in blocks) for para, text in review.paragraphs.items()
            if para not in blocks or not reads(blocks[para], text)]


def _difference(version: Version, review, reads=_reads_as,
                mismatches: Optional[list[tuple[str, bool]]] = None) -> str:
    """The first of the `_mismatches`, in words; '' when there is none."""
    found = _mismatches(version, review, reads) if mismatches is None else mismatches
    if not found:
        return ""
    para, missing = found[0]
    return f"its paragraph {para} " + (f"is not in {version.name}" if missing else f"does not read as in {version.name}")


def _check_reads_as(version: Version, review) -> None:
    """Refuse a file that names `version` but has a paragraph `version` does not, or a comment or change on a
    paragraph reading unlike it (the reviewer's tracked changes aside), or reads unlike it in most of its
    paragraphs: made from another copy of that version number, frozen on another clone at the same time and
    since replaced by the one git kept, its comments would be put on text its reviewer never read. A few
    unannotated paragraphs reading otherwise are more likely a reviewer's edits made without tracking
    changes, common enough not to turn the file away: a warning names them, as such edits are not harvested."""
    mismatches = _mismatches(version, review, _reads_as_part)
    if not mismatches:
        return
    unlike = [para for para, missing in mismatches if not missing]
    annotated = {note.para for note in review.notes}
    if len(unlike) == len(mismatches) and not annotated.intersection(unlike) and \
            len(unlike) * 2 <= len(review.paragraphs):
        notice(f"paragraph(s) {listing(unlike, 5)} of the file do not read as in {version.name}: edited without tracking changes, "
               f"or the file was made from another {version.name} (frozen on another clone and replaced by the one "
               f"kept here); such edits are not harvested: look at them in the file", str(review.path))
        return
    difference = _difference(version, review, mismatches=mismatches)
    older = f"; or harvest it with --version v{version.number - 1}, the version both were made from (comments on " \
            f"text only the other v{version.number} had are refused)" if version.number > 1 else ""
    raise UserError(f"the file says it was made from {version.name} ({review.version_from}), but {difference}: it "
                    f"was made from a different {version.name} — one frozen on another clone and since replaced by "
                    f"the {version.name} kept here — or its text was edited without tracking changes. Its comments "
                    f"would be put on text its reviewer never read. Send the reviewer the {version.name} kept "
                    f"(nhrap render {version.number} --mode consultation) to comment on again{older}. If the "
                    f"reviewer edited the text without tracking changes, --version {version.name} harvests it on "
                    f"{version.name} as it is", review.path)


def _working_draft_version(versions: Versions, review) -> Version:
    """The version a file rendered from the working draft was made from: the oldest whose paragraphs it
    has, reading the same (the draft was rendered before it changed after a freeze). Else it is refused:
    a paragraph new in the draft has a provisional number, and text edited since a version would be
    placed on words its reviewer never read, so no version can take its comments."""
    same = [number for number in versions.numbers if not _difference(versions[number], review)]
    if same:
        return versions[same[0]]
    latest = versions.latest
    raise UserError(f"the file was rendered from the working draft ({review.version_from}), not from a frozen "
                    f"version, so no version has its text ({_difference(latest, review)}; the numbers of "
                    f"paragraphs new in the draft are provisional). Freeze the draft first (nhrap freeze), then "
                    f"harvest this file with --version v{latest.number + 1}, the version frozen", review.path)


def review_version(versions: Versions, review, requested: Optional[Version] = None) -> tuple[Version, str, list[str]]:
    """The version a returned draft was made from: `requested` (--version), else what the draft says
    (document properties, page header, cover; a draft rendered from the working draft, the version it
    read as), else the version its numbered paragraphs read as, else the latest. (version, how it was
    known, warnings)."""
    versions.latest  # refuses at once when no version is frozen yet
    numbers = versions.numbers
    stated = review.version if review.has_bookmarks else None
    from_draft = review.working_draft and review.has_bookmarks
    if stated is not None and stated > numbers[-1]:
        # frozen on another clone and not pulled yet: stored on an older version here, the comments would be
        # stored again, under other ids, when the clone that has it harvests the same file
        raise UserError(f"the file says it was made from v{stated} ({review.version_from}), and this clone lacks "
                        f"v{stated} (its latest is v{numbers[-1]}): git pull first, then harvest it again",
                        review.path)
    if requested is not None:
        said = f"v{stated}" if stated is not None else "the working draft" if from_draft else None
        return requested, "--version", [
            f"the file says it was made from {said} ({review.version_from}); harvested against {requested.name} "
            f"as --version asks"] if said and stated != requested.number else []
    if from_draft:
        return _working_draft_version(versions, review), "working draft, which read the same", []
    if stated is not None:
        if stated not in numbers:
            raise UserError(f"the file says it was made from v{stated} ({review.version_from}), which is not a "
                            f"version here (versions: {', '.join(f'v{n}' for n in numbers)}); pass --version",
                            review.path)
        _check_reads_as(versions[stated], review)
        return versions[stated], review.version_from, []
    return _version_from_text(versions, review)


def _version_from_text(versions: Versions, review) -> tuple[Version, str, list[str]]:
    """The version a file not saying which it was made from reads as, else the latest (`review_version`)."""
    latest = versions.latest
    if len(versions.numbers) < 2:
        return latest, "", []
    readings = _best_readings(versions, review) if review.paragraphs else []
    if not readings:
        return latest, "", [f"the file does not say which version it was made from; assumed the latest, "
                            f"{latest.name} (pass --version if it was made from another)"]
    # Of versions its paragraphs read the same in, the oldest: the file harvested on a clone before a freeze
    # that left them as they were, and on another after it, is then stored on one version, under the same ids.
    by_text = readings[0]
    if latest.number not in readings:
        return versions[by_text], "text", [
            f"the file does not say which version it was made from; its text reads as v{by_text}, not the "
            f"latest ({latest.name}), so it was harvested against v{by_text} (pass --version to choose another)"]
    alike = ", ".join(f"v{n}" for n in readings[1:])
    return versions[by_text], f"text, which reads the same in {alike}" if alike else "text", []


def harvest_files(ws, paths: list[Path], member: Optional[Member], round_number: int,
                  version: Optional[Version] = None, comment_type: str = "substantive"
                  ) -> Iterator[tuple[Path, Union[Intake, UserError]]]:
    """Each returned file harvested (`harvest_file`), or the error that refused it, one by one as they are
    done. Without `member` each file is named for its organisation. The versions are read once for all the
    files, and the .odt files among them converted a dozen to a LibreOffice run."""
    from .readers.review_odt import converted_at_once
    versions = Versions(ws)
    with converted_at_once(paths) as odt_copies:
        for path in paths:
            try:
                if not path.is_file():  # before the name is read for an organisation
                    raise UserError("no such file" if not path.exists() else "not a file", path)
                org = member or org_from_filename(ws.plan, path)
                yield path, harvest_file(ws, path, org, round_number, version, comment_type, versions, odt_copies)
            except UserError as error:
                yield path, error


def harvest_file(ws, path: Path, member: Member, round_number: int, version: Optional[Version] = None,
                 comment_type: str = "substantive", versions: Optional[Versions] = None,
                 odt_copies: Optional[Mapping[Path, Path]] = None) -> Intake:
    """Comments, replies and tracked changes of one returned .docx or .odt → stored comments (all or none).

    Without `version`, the version the file was made from is read from the file (`review_version`).
    Comments are stored on that version; made on an older version than the latest, they are given as
    carried onto the latest (`intake.carried` says how). `versions` reads each version once over a run
    of files, and `odt_copies` are .odt files converted for the run at once
    (readers.review_odt.converted_at_once).
    """
    versions = versions or Versions(ws)
    review = read_review(path, ws.plan.language, odt_copies)
    version, known_from, notes = review_version(versions, review, version)
    intake = Intake(source=Path(path).name, org=member.id, warnings=list(review.warnings) + notes,
                    version=version.number, round=round_number, version_from=known_from,
                    skipped_findings=review.skipped_findings)
    if not review.has_bookmarks and review.notes:
        intake.warnings.append("no paragraph bookmarks: not a consultation draft of ours; placing notes by their quotes")
    by_word_id: dict[str, Comment] = {}
    records: list[Comment] = []
    earlier: dict[str, tuple[str, ...]] = {}  # amendments as earlier releases identified them
    for note in sorted(review.notes, key=lambda n: bool(n.parent)):
        anchor, warning = _place_note(note, version, path, review.version if review.has_bookmarks else None)
        if anchor is None:
            intake.warnings.append(warning)
            anchor = Anchor(para="", quote=note.quote, state="orphaned", version=version.number,
                            original_quote=note.quote)
        parent = by_word_id.get(note.parent)
        comment = new_comment(round=round_number, version=version.number, anchor=anchor, member=member,
                              type=comment_type, kind=_kind_of(note), body=note.body, proposed=note.proposed,
                              author=note.author, date=note.date, reply_to=parent.id if parent else None,
                              source=Path(path).name)
        earlier[comment.id] = earlier_ids(comment, note.earlier_bodies, note.earlier_readings)
        if note.word_id:
            by_word_id[note.word_id] = comment
        records.append(comment)
    intake.added, intake.present, intake.carried = store_comments(ws, records, version, versions, earlier)
    return intake


def read_review(path: Path, language: str, odt_copies: Optional[Mapping[Path, Path]] = None):
    """A returned file's notes: a .odt through LibreOffice, anything else as a .docx."""
    if Path(path).suffix.lower() == ".odt":
        from .readers.review_odt import read_review_odt
        return read_review_odt(path, language, odt_copies)
    from .readers.review_docx import read_review_docx
    return read_review_docx(path, language)


def harvest_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders expanded to the .docx and .odt files in them. Skipped there: Word's lock
    files (`~$NAME.docx`) and hidden files, such as the `._NAME.docx` macOS leaves beside each file it
    copies to a USB stick or a shared folder (LibreOffice's lock files, `.~lock.NAME#`, end in no such suffix)."""
    result: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            result += sorted(p for p in path.iterdir() if p.suffix.lower() in REVIEW_SUFFIXES
                             and not p.name.startswith(("~$", ".")) and p.is_file())
        else:
            result.append(path)  # a missing file is reported as such when it is harvested
    return result


# -- intake: comment matrices -------------------------------------------------------------------
PARA_REF = re.compile(r"^\s*(?:p|¶|para(?:graph)?\s*)?0*(\d+)\s*$", re.I)


def para_ref(value: str) -> str:
    """'p0012', '12' or '¶12' → 'p0012'; '' when it is no paragraph reference."""
    from .versions import paragraph_id
    match = PARA_REF.match(value or "")
    return paragraph_id(int(match.group(1))) if match else ""


def _raise_row_errors(errors: list[tuple[int, str]], path: Path) -> None:
    if errors:
        listed = "\n".join(f"  row {line}: {message}" for line, message in errors)
        raise UserError(f"{len(errors)} row(s) with errors; nothing imported:\n{listed}", path, errors[0][0])


def _matrix_comment(ws, row, version: Version, round_number: int, default_org: Optional[Member],
                    source: str) -> Comment:
    plan = ws.plan
    member = organisation(plan, row.get("org")) if row.get("org") else default_org
    if member is None:
        raise UserError("no organisation (add an organisation column or pass --org)")
    para = para_ref(row.get("para")) if row.get("para") else ""
    if row.get("para") and not para:
        raise UserError(f"'{row.get('para')}' is not a paragraph number (write p0012 or 12)")
    if para:
        anchor = anchor_in_version(version, para, row.get("quote"))
    else:
        anchor = Anchor(para="", version=version.number)  # a general comment on the whole draft
    body, proposed = row.get("comment"), row.get("proposed") or None
    kind = "amendment" if proposed else ("question" if body.rstrip().endswith(("?", "？")) else "comment")
    type_ = normal_type(row.get("type")) if row.get("type") else ("general" if not para else "substantive")
    comment = new_comment(round=round_number, version=version.number, anchor=anchor, member=member, type=type_,
                          kind=kind, body=body, proposed=proposed, author=row.get("author"),
                          date=comment_date(row.get("date"), "date"), source=source)
    if row.get("status") or row.get("response"):
        comment.disposition = Disposition(status=normal_status(row.get("status") or "open"),
                                          response=row.get("response"))
    return comment


def import_matrix(ws, path: Path, round_number: int, version: Version, default_org: Optional[Member] = None) -> Intake:
    """A comment matrix → stored comments; any bad row refuses the whole file, listing every bad row. A row
    whose ID is a stored comment's (the panel's own matrix, sent back with new rows) is that comment: its
    comment cell, which the matrix words with the quote, is not read as a new one."""
    from .readers.matrix import read_matrix
    stored = _stored_paths(ws.comments_dir)
    rows = read_matrix(path)
    known = [row for row in rows if row.get("id") in stored]
    records, errors = [], []
    for row in (row for row in rows if row.get("id") not in stored):
        if not row.get("comment"):
            errors.append((row.line, "the comment cell is empty"))
            continue
        try:
            records.append(_matrix_comment(ws, row, version, round_number, default_org, Path(path).name))
        except UserError as err:
            errors.append((row.line, err.message))
    _raise_row_errors(errors, path)
    intake = Intake(source=Path(path).name, org=default_org.id if default_org else "", version=version.number,
                    round=round_number)
    intake.added, intake.present, intake.carried = store_comments(ws, records, version)
    intake.present += [_read_copies(ws, stored[row.get("id")])[0] for row in known]
    return intake


def respond_from_matrix(ws, path: Path, by: str = "") -> tuple[list[Comment], int]:
    """Bulk dispositions from a returned matrix, dated today: rows with an ID and a status or response.

    (the comments that changed, how many rows changed nothing). The store is read once and only the
    comments that change are written, all under one lock; an empty status or response cell keeps what
    the comment has. Any bad row refuses the whole file.
    """
    from .readers.matrix import read_matrix
    rows = [r for r in read_matrix(path, required=("id",)) if r.get("status") or r.get("response")]
    latest, date = _latest_number(ws), today()
    with locked(_lock_path(ws)):
        stored = _stored_paths(ws.comments_dir)
        updates = _matrix_responses(rows, stored, path)
        current = {ident: _read_copies(ws, stored[ident])[0] for ident, _status, _response in updates}
        changed: dict[str, Comment] = {}
        for ident, status, response in updates:
            comment = _disposed(current[ident], status, response, None, latest, by, date)
            if comment is not None:
                current[ident] = changed[ident] = comment
        _write(ws, changed.values())
    return list(changed.values()), len(updates) - len(changed)


def _matrix_responses(rows, stored: dict[str, Path], path: Path) -> list[tuple[str, Optional[str], Optional[str]]]:
    """(id, status, response) of each row; every bad row is listed in one error."""
    errors, updates = [], []
    for row in rows:
        try:
            if row.get("id") not in stored:
                raise UserError(f"no comment with id '{row.get('id')}'")
            status = normal_status(row.get("status")) if row.get("status") else None
            updates.append((row.get("id"), status, row.get("response") or None))
        except UserError as err:
            errors.append((row.line, err.message))
    _raise_row_errors(errors, path)
    return updates


# -- the comment matrix table ---------------------------------------------------------------------
MATRIX_HEADERS = {
    "en": ["No.", "Paragraph", "Organisation", "Type", "Comment", "Proposed change", "Response", "Status"],
    "zh": ["序号", "段落", "单位", "类型", "意见", "修改建议", "处理意见", "采纳情况"],
}
LABELS_ZH = {"general": "一般性", "substantive": "实质性", "editorial": "文字性", "open": "待处理",
             "accepted": "采纳", "accepted-with-modification": "部分采纳", "not-accepted": "不采纳",
             "noted": "已知悉", "withdrawn": "撤回",
             # anchor verdicts, shown beside the paragraph
             "anchored": "已对应", "moved": "已移动", "changed": "已改动", "orphaned": "已失效", "applied": "已纳入"}


@dataclass
class MatrixTable:
    headers: list[str]
    rows: list[list[str]]
    ids: list[str]  # comment id of each row, for responses returned in the spreadsheet


def _proposal(comment: Comment, language: str) -> str:
    """The proposed change as the matrix shows it: an empty proposal deletes the quoted text."""
    if comment.proposed is None:
        return ""
    if comment.proposed == "" and comment.anchor.quote:
        return f"删除“{comment.anchor.quote}”" if language == "zh" else f"Delete “{comment.anchor.quote}”"
    return comment.proposed


def _paragraph_order(latest: Optional[Version]) -> dict[str, int]:
    return {b.id: i for i, b in enumerate(latest.document.blocks)} if latest else {}


def _verdict(state: str, language: str, label) -> str:
    """What became of the commented text, beside its paragraph: ' (applied)', '（已纳入）'; '' when anchored."""
    if state == "anchored":
        return ""
    return f"（{label(state)}）" if language == "zh" else f" ({label(state)})"


def quoted_body(comment: Comment, colon: str) -> str:
    """The comment after the words it is on, joined by the plan language's colon: '“quote”: body',
    '“引文”：意见'. The words as the reviewer read them, though the text changed under them since (the
    verdict beside the paragraph says so)."""
    quote = comment.anchor.original_quote or comment.anchor.quote
    if not quote:
        return comment.body
    return f"“{quote}”{colon}{comment.body}" if comment.body else f"“{quote}”"


def code_word(code: str, language: str) -> str:
    """A status or type as a matrix prints it, and `respond --from` reads it back: 部分采纳, accepted with
    modification."""
    return LABELS_ZH.get(code, code) if language == "zh" else code.replace("-", " ")


def matrix_table(ws, comments: list[Comment], latest: Optional[Version]) -> MatrixTable:
    """Top-level comments in the latest version's paragraph order, replies folded into their comment's cell."""
    from .writers.profiles import language_profile
    language = ws.plan.language if ws.plan.language in MATRIX_HEADERS else "en"
    colon = language_profile(language).label("colon")
    label = functools.partial(code_word, language=language)
    order = _paragraph_order(latest)
    replies: dict[str, list[Comment]] = {}
    for comment in comments:
        if comment.reply_to:
            replies.setdefault(comment.reply_to, []).append(comment)
    top = [c for c in comments if not c.reply_to or not any(p.id == c.reply_to for p in comments)]
    top.sort(key=lambda c: (bool(c.anchor.para), order.get(c.anchor.para, len(order)), c.anchor.start, c.org, c.id))
    rows, ids = [], []
    for number, comment in enumerate(top, start=1):
        member = ws.plan.organisation(comment.org)
        body = quoted_body(comment, colon)
        for reply in replies.get(comment.id, []):
            body += f"\n— {reply.author or reply.org}{colon}{reply.body}"
        para = comment.anchor.para + _verdict(comment.anchor.state, language, label)
        rows.append([str(number), para, member.name(language) if member else comment.org, label(comment.type),
                     body, _proposal(comment, language), comment.disposition.response,
                     label(comment.disposition.status)])
        ids.append(comment.id)
    return MatrixTable(headers=MATRIX_HEADERS[language], rows=rows, ids=ids)
