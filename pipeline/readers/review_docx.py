"""A reviewer's returned consultation .docx → the notes in it: comments, replies, tracked changes.

Works on files saved by Word and by LibreOffice (which rewrites the whole
file): both keep the per-paragraph bookmarks (`p0012`) the consultation
document carries, Word comments (`w:commentRangeStart/End`,
`w:commentReference`, word/comments.xml, reply threads in
word/commentsExtended.xml) and tracked changes (`w:ins`, `w:del`), in the
body and in the footnotes (word/footnotes.xml, each footnote with its own
paragraph bookmark) alike. It also
reads which version the draft was made from, as the consultation writer
records it: the document keywords (`v7`), the page header ("… · v7 · …") or
the cover line ("Version: v7", "版本: v7"), or that it was made from the working
draft ("working draft", "工作稿" in the same places).

A returned file is untrusted input: the zip is checked for oversized parts
and bomb-like compression before anything is inflated, and the XML is parsed
with no DTD, no entities and no network.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Optional

from ..clock import day
from ..errors import UserError
from ..fileio import CONTROL
from ..model import FINDINGS_AUTHOR, PARAGRAPH_ID
from ..textdiff import is_cjk
from ..writers.profiles import HEADER_SEPARATOR, working_draft_labels

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
RENAMED_BOOKMARK = re.compile(r"^(p\d+)(?:[ _]Copy[ _]\d+)+$")  # how LibreOffice renames a bookmark: see _paragraph_ids
NOTE_PARTS = (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote"))
MAX_FILE = 100 * 2**20  # a returned consultation draft is a few MB at most
MAX_PART = 64 * 2**20
MAX_TOTAL = 256 * 2**20
MAX_RATIO = 200  # deflate rarely exceeds 20:1 on WordprocessingML; bombs reach 1000:1
WORD_CHAR = re.compile(r"[A-Za-z0-9_'’\-]")
QUOTE_CJK = 4  # Chinese characters before a pure insertion that its quote takes, at most
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_SEPARATOR = re.escape(HEADER_SEPARATOR.strip())
VERSION_NAME = re.compile(r"^v(\d+)$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class Note:
    """One thing a reviewer left in the file, placed in the original (commented-on) text."""
    kind: str  # comment | amendment
    para: str  # paragraph id from the bookmark, "" when the paragraph has none
    para_text: str  # the paragraph's original text, to place the note when there is no bookmark
    quote: str
    start: int
    author: str = ""
    date: str = ""
    body: str = ""
    proposed: Optional[str] = None
    word_id: str = ""  # w:id of the Word comment
    parent: str = ""  # w:id of the comment this one replies to
    # an amendment as earlier releases stored it: their other wordings of it (in English when `body` is in
    # another language; a full stop after a quote ending in one), hashed into the id too; their (quote, proposed),
    # when they read it otherwise
    earlier_bodies: tuple[str, ...] = ()
    earlier_readings: tuple[tuple[str, str], ...] = ()


@dataclass
class ReviewFile:
    path: Path
    notes: list[Note] = field(default_factory=list)
    has_bookmarks: bool = False
    warnings: list[str] = field(default_factory=list)
    version: Optional[int] = None  # the version the draft says it was made from, if it says
    working_draft: bool = False  # it says it was made from the working draft, not a version
    version_from: str = ""  # where it says so: document properties | page header | cover
    paragraphs: dict[str, str] = field(default_factory=dict)  # bookmark → the paragraph's original text
    skipped_findings: int = 0  # nhrap's own findings, attached as comments by `render --with-findings`


# -- safe reading ---------------------------------------------------------------------
def open_package(path: Path, main_part: str = "word/document.xml",
                 kind: str = "a Word .docx") -> zipfile.ZipFile:
    """A returned file's zip, checked for size and bombs before anything is inflated; without `main_part`
    it is not `kind` file."""
    if not path.is_file():
        raise UserError("no such file", path)
    if path.stat().st_size > MAX_FILE:
        raise UserError(f"file larger than {MAX_FILE // 2**20} MB; not a returned consultation draft", path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise UserError(f"not {kind} file (corrupt or not a zip archive)", path) from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > MAX_PART:
            raise UserError(f"part {info.filename} is {info.file_size // 2**20} MB uncompressed; refusing oversized part", path)
        if info.compress_size and info.file_size > 2**20 and info.file_size / info.compress_size > MAX_RATIO:
            raise UserError(f"part {info.filename} expands {info.file_size // info.compress_size}:1; refusing a zip bomb", path)
    if total > MAX_TOTAL:
        raise UserError(f"archive expands to {total // 2**20} MB; refusing a zip bomb", path)
    if main_part not in archive.namelist():
        hint = _misnamed(archive, path)
        archive.close()
        raise UserError(f"not {kind} file (no {main_part}){hint}", path)
    return archive


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def is_odt(archive: zipfile.ZipFile) -> bool:
    """Is the package an OpenDocument text (its `mimetype` entry says so)? A damaged entry raises BadZipFile."""
    if "mimetype" not in archive.namelist():
        return False
    with archive.open("mimetype") as handle:
        return handle.read(len(ODT_MIMETYPE) + 8).strip() == ODT_MIMETYPE  # capped: sizes in a zip can lie


def _misnamed(archive: zipfile.ZipFile, path: Path) -> str:
    """A hint when the package is the other kind of text document, saved under the wrong extension."""
    names = set(archive.namelist())
    if "word/document.xml" in names:
        suffix, kind = ".docx", "a Word"
    elif is_odt(archive):
        suffix, kind = ".odt", "an OpenDocument text"
    else:
        return ""
    return f"; it is {kind} document: rename it {path.with_suffix(suffix).name}" if path.suffix.lower() != suffix else ""


def _read_part(archive: zipfile.ZipFile, name: str, path: Path) -> Optional[bytes]:
    if name not in archive.namelist():
        return None
    try:
        with archive.open(name) as handle:
            data = handle.read(MAX_PART + 1)  # sizes in the directory can lie: cap the read too
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise UserError(f"corrupt part {name}: {err}", path) from None
    if len(data) > MAX_PART:
        raise UserError(f"part {name} is oversized; refusing it", path)
    return data


def refuse_declarations(data: bytes, name: str, path: Path) -> None:
    """DOCTYPE and entity declarations in a part are refused outright: an entity may name a local file or
    expand without end, and a parser that does not expand it drops the text it stands for unseen."""
    folded = data.lower()
    if b"<!doctype" in folded or b"<!entity" in folded:
        raise UserError(f"{name} contains a DOCTYPE or entity declaration; refusing it", path)


def refuse_declared_parts(archive: zipfile.ZipFile, path: Path) -> None:
    """`refuse_declarations` for every XML part of a package, for a reader (python-docx) that parses them itself."""
    for name in archive.namelist():
        if name.lower().endswith((".xml", ".rels")):
            refuse_declarations(_read_part(archive, name, path), name, path)


def parse_xml(data: bytes, name: str, path: Path):
    """Parse one XML part: DOCTYPE and entity declarations are refused outright."""
    from lxml import etree
    refuse_declarations(data, name, path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise UserError(f"malformed XML in {name}: {err}", path) from None
    if root.getroottree().docinfo.doctype:
        raise UserError(f"{name} contains a DOCTYPE; refusing it", path)
    if MAY_HOLD_CONTROL.search(data):
        _blank_control_characters(root)
    return root


# DEL and C1 characters (raw, or as &#133;) are allowed in a Word file's XML, and a reviewer's paste can bring
# them; stored in a comment, they would stop every command reading it (nhrap refuses them in its own files).
MAY_HOLD_CONTROL = re.compile(rb"\x7f|\xc2[\x80-\x9f]|&#")


def _blank_control_characters(root) -> None:
    """Invisible control characters in a part's text become spaces: nothing a reader sees is lost."""
    for node in root.iter():
        if node.text and CONTROL.search(node.text):
            node.text = CONTROL.sub(" ", node.text)
        if node.tail and CONTROL.search(node.tail):
            node.tail = CONTROL.sub(" ", node.tail)


# -- document walk ----------------------------------------------------------------------
@dataclass
class _Span:
    text: str
    change: str = ""  # "" | ins | del
    author: str = ""
    date: str = ""


@dataclass
class _Paragraph:
    para: str = ""
    spans: list[_Span] = field(default_factory=list)

    @property
    def original(self) -> str:
        return "".join(s.text for s in self.spans if s.change != "ins")

    def offset(self) -> int:
        return len(self.original)


def _change_of(element) -> tuple[str, str, str]:
    for ancestor in element.iterancestors():
        if ancestor.tag == W + "ins":
            return "ins", ancestor.get(W + "author", ""), ancestor.get(W + "date", "")
        if ancestor.tag == W + "del":
            return "del", ancestor.get(W + "author", ""), ancestor.get(W + "date", "")
        if ancestor.tag == W + "p":
            break
    return "", "", ""


class _Walker:
    """Collects paragraph texts, bookmarks and comment ranges in one pass over document.xml.

    A paragraph here is a block of the draft: the w:p elements inside one paragraph bookmark (the cells
    of a table) are one paragraph, and a paragraph the reviewer inserted is part of the one before it."""

    def __init__(self):
        self.paragraphs: list[_Paragraph] = []
        self.ranges: dict[str, list[int]] = {}  # comment w:id -> [paragraph index, start, end]
        self.has_bookmarks = False
        self.ids: dict[str, str] = {}  # bookmark name → the paragraph id it marks
        self.open_mark = ""  # w:id of the paragraph bookmark not yet ended
        self.last_p = None  # the w:p read last
        self.break_inserted: Optional[_Span] = None  # its paragraph mark, when tracked as inserted

    def walk(self, parts: list) -> None:
        """Walk the body, then each footnote: a paragraph never runs on from one of them into the next."""
        self.ids = _paragraph_ids(parts)
        for part in parts:
            self.open_mark, self.last_p, self.break_inserted = "", None, None
            for element in part.iter(W + "p", W + "bookmarkStart", W + "bookmarkEnd", W + "commentRangeStart",
                                     W + "commentRangeEnd", W + "commentReference", W + "t", W + "delText",
                                     W + "tab", W + "br"):
                self.visit(element)

    def current(self) -> _Paragraph:
        if not self.paragraphs:
            self.paragraphs.append(_Paragraph())
        return self.paragraphs[-1]

    def visit(self, element) -> None:
        tag = element.tag
        if tag == W + "p":
            self._start_paragraph(element)
            return
        paragraph = self.current()
        if tag == W + "bookmarkStart":
            para = self.ids.get(element.get(W + "name", ""))
            if para:
                self.has_bookmarks = True
                self.open_mark = element.get(W + "id", "")
                if not paragraph.para:
                    paragraph.para = para
                    self._drop_label(paragraph)
        elif tag == W + "bookmarkEnd":
            if element.get(W + "id", "") == self.open_mark:
                self.open_mark = ""
        elif tag == W + "commentRangeStart":
            self.ranges[element.get(W + "id", "")] = [len(self.paragraphs) - 1, paragraph.offset(), -1]
        elif tag == W + "commentRangeEnd":
            self._close_range(element.get(W + "id", ""), paragraph)
        elif tag == W + "commentReference":
            ident = element.get(W + "id", "")
            if ident not in self.ranges:
                self.ranges[ident] = [len(self.paragraphs) - 1, paragraph.offset(), paragraph.offset()]
        elif tag in (W + "t", W + "delText"):
            change, author, date = _change_of(element)
            paragraph.spans.append(_Span(element.text or "", change, author, date))
        elif tag in (W + "tab", W + "br") and element.getparent() is not None and element.getparent().tag == W + "r":
            change, author, date = _change_of(element)
            paragraph.spans.append(_Span(" ", change, author, date))

    def _start_paragraph(self, p) -> None:
        """A w:p begins a paragraph of its own, or goes on with the one before it: the next cell of a table
        (its bookmark is still open), or a paragraph the reviewer inserted after it (its paragraph mark is
        tracked as inserted) — unless it carries a paragraph id of its own."""
        joined = self.last_p is not None and (self.open_mark or self.break_inserted) and not self._has_paragraph_id(p)
        if joined:
            separator = self.break_inserted or _Span(_separator(self.last_p, p))
            self.paragraphs[-1].spans.append(separator)
        else:
            self.open_mark = ""  # a bookmark never ended gives way to the next paragraph's
            self.paragraphs.append(_Paragraph())
        self.last_p, self.break_inserted = p, _inserted_break(p)

    def _has_paragraph_id(self, p) -> bool:
        return any(b.get(W + "name", "") in self.ids for b in p.iter(W + "bookmarkStart"))

    def _drop_label(self, paragraph: _Paragraph) -> None:
        """The visible paragraph number before the bookmark ("[p0012] ") is not the paragraph's text: a
        comment on the whole paragraph, or its deletion, takes it in too, and would quote it."""
        if paragraph.original.strip() != f"[{paragraph.para}]":
            return
        paragraph.spans = [s for s in paragraph.spans if s.change == "ins"]
        for span in self.ranges.values():
            if span[0] == len(self.paragraphs) - 1:
                span[1] = 0
                span[2] = min(span[2], 0)

    def _close_range(self, ident: str, paragraph: _Paragraph) -> None:
        span = self.ranges.get(ident)
        if span is None:
            return
        same = span[0] == len(self.paragraphs) - 1
        # a range running into later paragraphs keeps the part in its first paragraph
        span[2] = paragraph.offset() if same else len(self.paragraphs[span[0]].original)


def _paragraph_ids(parts: list) -> dict[str, str]:
    """Bookmark name → the paragraph id it marks: `p0012`, and `p0012_Copy_1` when no bookmark is named
    p0012. LibreOffice renames a bookmark whose name it has already met while loading a file: it does so
    to the bookmark in a paragraph deleted with Track Changes on, once the file has been through .odt, and
    to the bookmark of every footnote but the first on each loading (`p0123_Copy_1`, saved again
    `p0123_Copy_1_Copy_1`)."""
    names = {b.get(W + "name", "") for part in parts for b in part.iter(W + "bookmarkStart")}
    ids = {name: name for name in names if PARAGRAPH_ID.match(name)}
    for name in names:
        renamed = RENAMED_BOOKMARK.match(name)
        if renamed and renamed.group(1) not in names:
            ids[name] = renamed.group(1)
    return ids


def _notes_of(archive: zipfile.ZipFile, path: Path) -> list:
    """The footnotes and endnotes of the file, each walked as a part of its own (not the separators)."""
    notes = []
    for name, tag in NOTE_PARTS:
        data = _read_part(archive, name, path)
        if data is not None:
            notes += [note for note in parse_xml(data, name, path).iter(W + tag)
                      if note.get(W + "type", "normal") == "normal"]
    return notes


def _inserted_break(p) -> Optional[_Span]:
    """The paragraph mark of `p` as a tracked insertion of a line break, when the reviewer inserted it."""
    mark = p.find(f"{W}pPr/{W}rPr/{W}ins")
    return None if mark is None else _Span("\n", "ins", mark.get(W + "author", ""), mark.get(W + "date", ""))


def _separator(previous, p) -> str:
    """Between two w:p of one block, what its Markdown text has: ' | ' between the cells of a table row,
    a line break between rows, a space between the paragraphs of a quote or a list item."""
    cell, previous_cell = _ancestor(p, W + "tc"), _ancestor(previous, W + "tc")
    if cell is None or previous_cell is None or cell is previous_cell:
        return " "
    return " | " if cell.getparent() is previous_cell.getparent() else "\n"


def _ancestor(element, tag: str):
    return next(element.iterancestors(tag), None)


def _text_of(element) -> str:
    paragraphs = []
    for p in element.iter(W + "p"):
        paragraphs.append("".join(t.text or "" for t in p.iter(W + "t")))
    return "\n".join(paragraphs).strip()


# -- amendments from tracked changes -----------------------------------------------------------
def _is_word(char: str) -> bool:
    return bool(WORD_CHAR.match(char))


def _is_mark(char: str) -> bool:
    return not (_is_word(char) or is_cjk(char) or char.isspace())


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words; a pure insertion takes what comes before it (`_insertion_start`),
    or at the start of its paragraph the word after it."""
    inside = 0 < start < len(text) and _is_word(text[start - 1]) and _is_word(text[start])
    if start < end or inside:
        while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
            start -= 1
        while end < len(text) and _is_word(text[end]) and _is_word(text[end - 1]):
            end += 1
        return start, end
    left = _insertion_start(text, start)
    if left < start:
        return left, end
    while end < len(text) and _is_word(text[end]):
        end += 1
    return start, max(end, min(1, len(text)))


def _after_spaces(text: str, at: int) -> int:
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at


def _insertion_start(text: str, at: int) -> int:
    """Where the quote of a pure insertion at `at` starts: the word before it, with the punctuation between
    them (a sentence added after “training.” quotes “training.”), or in Chinese the characters before it
    back to the previous punctuation mark, at most QUOTE_CJK of them (“保障监察，”). `at` when only
    spaces come before it."""
    left = _after_spaces(text, at)
    if left == 0:
        return at
    while left > 0 and _is_mark(text[left - 1]):
        left -= 1
    if left > 0 and _is_word(text[left - 1]):
        while left > 0 and _is_word(text[left - 1]):
            left -= 1
        return left
    stop = max(left - QUOTE_CJK, 0)
    while left > stop and is_cjk(text[left - 1]):
        left -= 1
    return left


def _earlier_readings(text: str, start: int, end: int, left: int, inserted: str) -> tuple[tuple[str, str], ...]:
    """(quote, proposed) as earlier releases read a pure insertion after a punctuation mark or a Chinese
    character: that one character (“.”, “度”); none when that is how it is read now."""
    before = _after_spaces(text, start)
    if start != end or before == 0 or _is_word(text[before - 1]) or before - 1 == left:
        return ()
    quote = text[before - 1:start]
    return ((quote, quote + inserted),)


def _amendments(paragraph: _Paragraph, language: str = "en") -> list[Note]:
    """Each run of adjacent insertions and deletions becomes one amendment: quote → proposed."""
    notes: list[Note] = []
    at, index, spans = 0, 0, paragraph.spans
    while index < len(spans):
        span = spans[index]
        if not span.change:
            at += len(span.text)
            index += 1
            continue
        start, inserted = at, ""
        while index < len(spans) and spans[index].change:
            if spans[index].change == "del":
                at += len(spans[index].text)
            else:
                inserted += spans[index].text
            index += 1
        note = _amendment(paragraph, start, at, inserted, language)
        if note.quote != note.proposed:
            note.author, note.date = span.author, span.date
            notes.append(note)
    return notes


def _amendment(paragraph: _Paragraph, start: int, end: int, inserted: str, language: str) -> Note:
    """The amendment replacing [start, end) of the paragraph's text with `inserted`."""
    original = paragraph.original
    left, right = _word_bounds(original, start, end)
    deleted = original[start:end]
    body = describe(deleted, inserted, language)
    worded = {describe(deleted, inserted, "en"), _wording(deleted, inserted, language),
              _wording(deleted, inserted, "en")} - {body}
    return Note(kind="amendment", para=paragraph.para, para_text=original, quote=original[left:right],
                start=left, body=body, proposed=original[left:start] + inserted + original[end:right],
                earlier_bodies=tuple(sorted(worded)),
                earlier_readings=_earlier_readings(original, start, end, left, inserted))


AMENDMENT_WORDING = {
    "en": ("Replace “{deleted}” with “{inserted}”.", "Delete “{deleted}”.", "Insert “{inserted}”."),
    "zh": ("将“{deleted}”改为“{inserted}”。", "删除“{deleted}”。", "增加“{inserted}”。"),
}
SENTENCE_END = (".", "!", "?", "。", "！", "？", "…")


def describe(deleted: str, inserted: str, language: str = "en") -> str:
    """An amendment in words, in the plan language (en or zh): after a quote ending a sentence, no second
    full stop (“Insert “Extend training.””, not “… training.”.”)."""
    wording = _wording(deleted, inserted, language)
    last = inserted.strip() or deleted.strip()
    return wording[:-1] if last.endswith(SENTENCE_END) and wording.endswith(("”.", "”。")) else wording


def _wording(deleted: str, inserted: str, language: str) -> str:
    replace_, delete, insert = AMENDMENT_WORDING.get(language, AMENDMENT_WORDING["en"])
    deleted, inserted = deleted.strip(), inserted.strip()
    if deleted and inserted:
        return replace_.format(deleted=deleted, inserted=inserted)
    if deleted:
        return delete.format(deleted=deleted)
    return insert.format(inserted=inserted)


def _day(stamp: Optional[str]) -> str:
    """The day of a w:date ("2026-03-05T10:00:00Z" → "2026-03-05"); "" for none, for the
    "0-00-00T00:00:00Z" LibreOffice writes for a comment that has no date, and for a day that does not
    exist (2026-02-30: a comment's file refuses it, and the reviewer cannot see or mend it in Word)."""
    match = ISO_DAY.match(stamp or "")
    return (day(match.group(0)) or "") if match else ""


# -- comments and threads ----------------------------------------------------------------------
def _threads(archive: zipfile.ZipFile, comments_root, path: Path) -> dict[str, str]:
    """comment w:id → parent w:id, from commentsExtended.xml (Word 2013+ and LibreOffice)."""
    data = _read_part(archive, "word/commentsExtended.xml", path)
    if data is None or comments_root is None:
        return {}
    para_of: dict[str, str] = {}
    for comment in comments_root.iter(W + "comment"):
        paragraphs = list(comment.iter(W + "p"))
        if paragraphs and paragraphs[-1].get(W14 + "paraId"):
            para_of[paragraphs[-1].get(W14 + "paraId")] = comment.get(W + "id", "")
    parents: dict[str, str] = {}
    for entry in parse_xml(data, "word/commentsExtended.xml", path).iter(W15 + "commentEx"):
        child, parent = para_of.get(entry.get(W15 + "paraId", "")), para_of.get(entry.get(W15 + "paraIdParent", ""))
        if child and parent:
            parents[child] = parent
    return parents


def _comment_notes(archive: zipfile.ZipFile, walker: _Walker, path: Path) -> tuple[list[Note], list[str], int]:
    """The reviewers' comments, warnings, and how many of nhrap's own findings (`render --with-findings`) were
    left out. A reply to a finding is a comment of its own on the finding's paragraph, quoting the finding."""
    data = _read_part(archive, "word/comments.xml", path)
    if data is None:
        return [], [], 0
    root = parse_xml(data, "word/comments.xml", path)
    parents = _threads(archive, root, path)
    findings = {c.get(W + "id", ""): _text_of(c).split("\n")[0] for c in root.iter(W + "comment")
                if c.get(W + "author") == FINDINGS_AUTHOR}
    notes, warnings = [], []
    for comment in root.iter(W + "comment"):
        ident = comment.get(W + "id", "")
        parent = parents.get(ident, "")
        span = walker.ranges.get(ident) or walker.ranges.get(parent)
        if ident in findings:
            continue
        if span is None:
            warnings.append(f"comment {ident} by {comment.get(W + 'author', '?')} is not marked in the text; skipped")
            continue
        note = _comment_note(comment, walker.paragraphs[span[0]], span, parent)
        if parent in findings:
            note.parent, note.body = "", f"{FINDINGS_AUTHOR}: “{findings[parent]}”\n{note.body}"
        notes.append(note)
    return notes, warnings, len(findings)


def _comment_note(comment, paragraph: _Paragraph, span: list[int], parent: str) -> Note:
    """A comment on [start, end) of the paragraph (to its end when the range runs on)."""
    original = paragraph.original
    end = span[2] if span[2] >= 0 else len(original)
    quote = original[span[1]:end]
    stripped = quote.strip()
    start = span[1] + (quote.find(stripped) if stripped else 0)
    return Note(kind="comment", para=paragraph.para, para_text=original, quote=stripped, start=start,
                author=comment.get(W + "author", ""), date=_day(comment.get(W + "date", "")),
                body=_text_of(comment), word_id=comment.get(W + "id", ""), parent=parent)


# -- the version the draft was made from ------------------------------------------------------
@cache
def _name_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Where the consultation writer puts the name of what it rendered (a version, `v7`, or the working
    draft, in any profile's words): document keywords, page header, cover line. Exactly the name: a
    keyword "v3-edited.md" names nothing."""
    names = "|".join([r"v\d+", *map(re.escape, working_draft_labels())])
    return (re.compile(rf"^\s*({names})\s*$"), re.compile(rf"{_SEPARATOR}\s*({names})\s*(?:{_SEPARATOR}|$)"),
            re.compile(rf"^\s*[^:：\d]{{1,24}}[:：]\s*({names})\s*$"))


def _single(names: list[str]) -> Optional[str]:
    found = set(names)
    return found.pop() if len(found) == 1 else None


def _keyword_name(archive: zipfile.ZipFile, path: Path) -> Optional[str]:
    data = _read_part(archive, "docProps/core.xml", path)
    if data is None:
        return None
    node = parse_xml(data, "docProps/core.xml", path).find(CP + "keywords")
    match = _name_patterns()[0].match(node.text or "") if node is not None else None
    return match.group(1) if match else None


def _header_name(archive: zipfile.ZipFile, path: Path) -> Optional[str]:
    names: list[str] = []
    for part in sorted(n for n in archive.namelist() if re.fullmatch(r"word/header\d*\.xml", n)):
        text = " ".join(t.text or "" for t in parse_xml(_read_part(archive, part, path), part, path).iter(W + "t"))
        names += _name_patterns()[1].findall(text)
    return _single(names)


def _cover_name(walker: _Walker) -> Optional[str]:
    names: list[str] = []
    for paragraph in walker.paragraphs:
        if paragraph.para:
            break  # the cover is what comes before the first numbered paragraph
        match = _name_patterns()[2].match(paragraph.original)
        if match:
            names.append(match.group(1))
    return _single(names)


def _stated_name(archive: zipfile.ZipFile, walker: _Walker, path: Path) -> tuple[Optional[str], str]:
    """(what the draft says it was rendered from, `v7` or the working draft's label; where it says so)."""
    for where, name in (("document properties", lambda: _keyword_name(archive, path)),
                        ("page header", lambda: _header_name(archive, path)),
                        ("cover", lambda: _cover_name(walker))):
        found = name()
        if found is not None:
            return found, where
    return None, ""


def read_review_docx(path: Path, language: str = "en") -> ReviewFile:
    """Every comment (with its thread) and every tracked change in a returned .docx.

    `language` (en, zh) words the amendments' descriptions.
    """
    path = Path(path)
    with open_package(path) as archive:
        document = parse_xml(_read_part(archive, "word/document.xml", path), "word/document.xml", path)
        body = document.find(W + "body")
        if body is None:
            raise UserError("not a Word document (no body in word/document.xml)", path)
        walker = _Walker()
        walker.walk([body] + _notes_of(archive, path))
        notes, warnings, findings = _comment_notes(archive, walker, path)
        name, version_from = _stated_name(archive, walker, path)
    for paragraph in walker.paragraphs:
        for note in _amendments(paragraph, language):
            note.date = _day(note.date)
            notes.append(note)
    number = VERSION_NAME.match(name or "")
    return ReviewFile(path=path, notes=notes, has_bookmarks=walker.has_bookmarks, warnings=warnings,
                      version=int(number.group(1)) if number else None, working_draft=bool(name and not number),
                      version_from=version_from, skipped_findings=findings,
                      paragraphs={p.para: p.original for p in walker.paragraphs if p.para})
