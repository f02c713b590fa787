"""Reading and writing files safely: UTF-8 checks, YAML with line numbers, atomic writes, locks.

Every read of a user file goes through here so that errors name the file
and line; every write is atomic so no reader ever sees half a file.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import pickle
import re
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Optional
from urllib.parse import unquote

import yaml

from .errors import KEPT_BOTH, UserError


CONFLICT_START = re.compile(r"^<{7}(?: |$)", re.M)
CONFLICT_END = re.compile(r"^>{7}(?: |$)", re.M)
# Control characters (C0 but tab, line feed and carriage return; DEL; C1): invisible in an editor, they
# cannot stand in the XML of a Word or Excel file written from the text, and act on a terminal that
# prints them (ESC starts a terminal command). A surrogate (U+D800–DFFF) is no character at all: Python
# makes one of each byte of a command-line argument that is not UTF-8.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def refuse_control(text: str, path: Any = None, line: Optional[int] = None, place: str = "") -> None:
    """Raise a UserError naming the first control character in `text` (as U+001B) and where it is: in a
    file read whole (`line` None) its line and column, otherwise `place` ("in --body", "in row 5, column
    C") at `path` and `line` as given. The one check every input point calls."""
    found = CONTROL.search(text)
    if not found:
        return
    offset = found.start()
    if line is None:
        line = text.count("\n", 0, offset) + 1
        place = f"at column {offset - text.rfind(chr(10), 0, offset)}"
    code = ord(found.group())
    if code < 0xD800:
        what, fix = "control character", "delete it (invisible, and Word and Excel files cannot hold it)"
    else:
        what, fix = "surrogate", "it stands for a byte that is not UTF-8 text, or is no character: write it in UTF-8"
    raise UserError(f"{what} U+{code:04X} {place}".rstrip() + f"; {fix}", path, line)


def read_text(path: Path, on_conflict: str = "") -> str:
    """Read a UTF-8 text file; a bad byte is reported with its line, and so is a git merge conflict left in
    it (`on_conflict` says how to settle one in this file; by default, keep the right lines)."""
    data = Path(path).read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.count(b"\x00") * 4 > len(data) > 0:
        # Windows "Unicode" text: a NUL in every other byte, which UTF-8 would read as control characters
        raise UserError("UTF-16 text, not UTF-8; save the file as UTF-8", path, 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise UserError(f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save the file as UTF-8", path, line) from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    refuse_control(text, path)
    start = CONFLICT_START.search(text)
    if start and CONFLICT_END.search(text, start.end()):
        raise UserError("a git merge conflict is left here, between git's <<<<<<< and >>>>>>> lines: "
                        + (on_conflict or "keep the right lines, delete git's marker lines and commit again"),
                        path, text.count("\n", 0, start.start()) + 1)
    return text


class LineDict(dict):
    """A mapping from YAML that remembers the line it started on, and the line of each key."""
    line = 0
    key_lines: dict = {}


class LineList(list):
    """A list from YAML that remembers the line it started on, and the line of each item."""
    line = 0
    item_lines: list = []


def line_of(node: Any, key: Any = None) -> int:
    """The line of `key` in a mapping from YAML (of item `key` in a list), else of `node` itself; 0 if unknown."""
    if isinstance(node, LineDict) and key in node.key_lines:
        return node.key_lines[key]
    if isinstance(node, LineList) and isinstance(key, int) and 0 <= key < len(node.item_lines):
        return node.item_lines[key]
    return getattr(node, "line", 0)


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loading (with libyaml's fast parser when present) that records line numbers."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A node met a second time is one an alias (*name) repeats. nhrap's files have no use for aliases,
        # and nested ones repeat a value billions of times (a "billion laughs"), which every later walk
        # of it, or message quoting it, would spell out.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _AliasFound()
        return super().construct_object(node, deep)

    def construct_scalar(self, node: yaml.ScalarNode) -> Any:
        value = super().construct_scalar(node)
        # the file's bytes were checked as read; an escape in quotes ("\x1b", "\u0001") makes one here
        refuse_control(value, None, node.start_mark.line + 1, "in a value, written as an escape such as \\x01")
        return value


class _AliasFound(Exception):
    """Raised by the loader, which no longer has the text, to have `parse_yaml` name the alias's line."""


def _alias_refused(text: str) -> UserError:
    """The error for the first alias in `text`, at its line (libyaml's composer keeps no alias's place: the
    pure-Python parser, which does, reads the text again; only on this error path)."""
    alias = next(event for event in yaml.parse(text, Loader=yaml.SafeLoader) if isinstance(event, yaml.AliasEvent))
    return UserError(f"'*{alias.anchor}' repeats the value marked '&{alias.anchor}' (a YAML alias): nhrap's files "
                     "do not use aliases; write the value out", None, alias.start_mark.line + 1)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (dict, list)):
            # `title: {{ x }}` unquoted is a mapping whose key is a mapping: YAML's braces, not text
            raise UserError("braces or brackets where a value's text was meant (`{{ … }}`, `{[…]: …}`): put the "
                            "value in quotes", None, key_node.start_mark.line + 1)
        if key in result:
            raise _DuplicateKey(key, key_node.start_mark.line + 1, result.key_lines[key])
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


class _DuplicateKey(UserError):
    """A key given twice in one mapping, with the line of its first one (shifted with the error's line when
    the YAML is part of a file)."""

    def __init__(self, key: Any, line: int, first: int):
        self.key, self.first = key, first
        super().__init__(self.wording(0), None, line)

    def wording(self, line_offset: int) -> str:
        return f"duplicate key '{self.key}' (first on line {self.first + line_offset}); {KEPT_BOTH}"


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp_as_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # Dates stay strings: they are compared and printed, never computed with.
    return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def parse_yaml(text: str, path: Path | str, line_offset: int = 0) -> Any:
    """Parse YAML text; mappings and lists carry `.line` (1-based, in the file)."""
    try:
        try:
            data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
        except _AliasFound:
            raise _alias_refused(text) from None
    except UserError as err:
        message = err.wording(line_offset) if isinstance(err, _DuplicateKey) else err.message
        raise UserError(message, path, (err.line or 0) + line_offset) from None
    except yaml.MarkedYAMLError as err:
        line, message = _error_line(err, text, line_offset)
        raise UserError(f"malformed YAML: {message}", path, line + line_offset if line else 0) from None
    if line_offset:
        _shift_lines(data, line_offset)
    return data


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {key: line + offset for key, line in data.key_lines.items()}
        for child in data.values():
            _shift_lines(child, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.item_lines = [line + offset for line in data.item_lines]
        for child in data:
            _shift_lines(child, offset)


# Full-width punctuation a Chinese keyboard types where YAML wants the ASCII sign.
FULL_WIDTH = {"：": ":", "，": ",", "【": "[", "】": "]", "｛": "{", "｝": "}", "“": '"', "”": '"'}
# ... and every sign it types for an ASCII one, one character for one: in template expressions, in quotes
KEYBOARD_SIGNS = {**FULL_WIDTH, "（": "(", "）": ")", "‘": "'", "’": "'", "［": "[", "］": "]", "；": ";", "！": "!",
                  "？": "?"}
# What to put in its place to try whether that was the mistake ('key：value' needs a space after the ':').
_AS_ASCII = str.maketrans({**FULL_WIDTH, "：": ": ", "，": ", "})
_KEY = r"[A-Za-z_][\w-]*"
# Places where such a sign does YAML's work: after a key, between flow items, opening or closing a
# collection, opening a quoted value. Chinese text in values may hold the same signs anywhere else.
_MISTYPED = re.compile(
    rf"^\s*(?:-\s+)?{_KEY}\s*(：)"                 # key：value
    rf"|[{{,，｛]\s*{_KEY}\s*(：)"                  # {{key：value, key：value}}
    rf"|(，)\s*{_KEY}\s*[:：]"                      # …， key: value
    rf"|(?:^\s*-\s*|[:：]\s+|^\s*)([｛【])"         # - ｛…  key: 【…
    rf"|([｝】])\s*[,，]?\s*$"                       # …｝ at the end of a line
    rf"|[:：]\s*([“”])"                              # key: “quoted”
)


def _mistyped(text: str) -> Optional[tuple[str, int]]:
    """(sign, offset) of the first full-width sign in `text` standing where YAML needs an ASCII one."""
    match = _MISTYPED.search(text)
    if not match:
        return None
    group = next(number for number, found in enumerate(match.groups(), 1) if found)
    return match.group(group), match.start(group)


def full_width_hint(text: str) -> str:
    """"full-width '：' — use ':'" when `text` uses full-width punctuation where YAML needs ASCII, else ''."""
    found = _mistyped(text)
    return f"full-width '{found[0]}' — use '{FULL_WIDTH[found[0]]}'" if found else ""


def _ascii_mends(lines: list[str], number: int) -> bool:
    """Whether the document parses once line `number`'s mistyped sign (or all its full-width signs) is ASCII.

    Only then is the sign the mistake: Chinese text in a value may hold “quotes” anywhere.
    """
    line = lines[number - 1]
    sign, offset = _mistyped(line)
    for mended in (line[:offset] + sign.translate(_AS_ASCII) + line[offset + 1:], line.translate(_AS_ASCII)):
        try:
            list(yaml.parse("\n".join([*lines[:number - 1], mended, *lines[number:]]), Loader=_LineLoader))
        except yaml.YAMLError:
            continue
        return True
    return False


# libyaml finds these a line late; the construct it was scanning starts on the line of the mistake.
_FOUND_LATE = ("could not find expected ':'", "found unexpected end of stream")


def _error_line(err: yaml.MarkedYAMLError, text: str, line_offset: int = 0) -> tuple[int, str]:
    """(1-based line in `text`, message) for a YAML syntax error, pointing at the line the mistake is on.

    A key without ':' or an unclosed quote is noticed a line or more late; for those the line is where the
    construct began, otherwise where the parser stopped. A full-width sign near there is named when
    writing it in ASCII makes the document parse. A line the message names is a line of the file, `text`
    starting after its first `line_offset` lines (a YAML block in a submission).
    """
    problem, context = err.problem_mark, err.context_mark
    message = err.problem or err.context or "syntax error"
    late = problem is None or context is not None and err.problem in _FOUND_LATE
    mark = context if late else problem
    if mark is None:
        return 0, message
    line = mark.line + 1
    if (err.context or "").startswith("while parsing a flow") and context.line + 1 != line:  # an unclosed [ or {
        message = f"{message} ({err.context} from line {context.line + 1 + line_offset})"
    last = max(line, problem.line + 1 if problem is not None else line)
    lines = text.split("\n")
    for number in range(min(last, len(lines)), max(1, min(line, last - 2)) - 1, -1):  # nearest the stop first
        hint = full_width_hint(lines[number - 1])
        if hint and _ascii_mends(lines, number):
            return number, f"{message} ({hint})"
    return line, message


URL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def local_image(src: str, base: Path, root: Path) -> Path:
    """The file a Markdown image `src` names: relative to `base` and inside `root` (the workspace). `src` is
    as the Markdown parser gives it, percent-encoded (图表.png as %E5%9B%BE%E8%A1%A8.png). A URL, a file
    outside `root` or a missing one raises a UserError without a place: the caller knows where `src` is."""
    written = unquote(src)
    if URL.match(written):
        raise UserError(f"image '{written}' is not a local file: copy it into the workspace")
    path = (Path(base) / written).resolve()
    root = Path(root).resolve()
    if root not in path.parents:
        raise UserError(f"image '{written}' is outside the workspace ({root})")
    if not path.is_file():
        raise UserError(f"image '{written}' not found (looked for {path})")
    return path


def load_yaml(path: Path) -> Any:
    return parse_yaml(read_text(path), path)


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def atomic_write(path: Path, data: bytes | str, *, exclusive: bool = False) -> None:
    """Write a whole file or nothing: temp file in the same folder, fsync, rename.

    With `exclusive`, refuse to replace an existing file (versions are immutable).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes private files; ours are ordinary workspace files
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            try:
                os.link(tmp, path)  # fails if the target exists: no overwrite race
            except FileExistsError:
                raise UserError("already exists; refusing to overwrite", path) from None
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """An exclusive advisory lock held for the duration of the block."""
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@functools.cache
def code_digest(*modules: str) -> str:
    """A hash of the source of some of this package's modules ("model.py", "readers/markdown.py"): the tag
    of a cache whose entries those modules make, so that a release that makes them differently reads none."""
    package = Path(__file__).parent
    return hashlib.sha256(b"".join((package / name).read_bytes() for name in modules)).hexdigest()


RACY_SECONDS = 2  # a file changed this recently may change again within its clock tick, unseen


def parsed_each(paths: list[Path], parse: Callable[[Path], Any], cache: Path, tag: str) -> list[Any]:
    """`parse(path)` for each path, reusing what an earlier call parsed from a file unchanged since (the
    same size and modification time, as git's index tells files apart; like git, a file changed in the
    last moments is parsed again until it is older). `tag` names what `parse` makes: a release that
    makes it differently reads no old entry. The cache is only a shortcut: one that cannot be read or
    written is ignored, and a file `parse` refuses is never kept."""
    try:
        stored = pickle.loads(cache.read_bytes())  # noqa: S301 - build/ is written by nhrap only, never shared
        known = stored["entries"] if stored.get("tag") == tag else {}
    except Exception:  # no cache yet, or one from another release or damaged: parse again
        known = {}
    settled = time.time_ns() - RACY_SECONDS * 10**9
    entries, values = {}, []
    for path in paths:
        status = path.stat()
        stamp = (status.st_mtime_ns, status.st_size)
        hit = known.get(str(path))
        value = hit[1] if hit and hit[0] == stamp else parse(path)
        if status.st_mtime_ns < settled:
            entries[str(path)] = (stamp, value)
        values.append(value)
    if entries.keys() != known.keys() or any(entries[key][0] != known[key][0] for key in entries):
        with contextlib.suppress(OSError):
            atomic_write(cache, pickle.dumps({"tag": tag, "entries": entries}, protocol=pickle.HIGHEST_PROTOCOL))
    return values
