"""A reviewer's returned .odt (a consultation draft saved in LibreOffice's own format) → its notes.

LibreOffice converts it to .docx, whose Word export keeps the comments, tracked changes and paragraph
bookmarks, and that .docx is read as any returned Word file, under the .odt's name. The conversion runs
in a temporary folder (its profile in there too) removed afterwards. A harvest of several .odt files
converts them a dozen to a LibreOffice run (`converted_at_once`): its start costs ~2 s a run.
"""
from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping, Optional

from .. import libreoffice
from ..errors import UserError
from .review_docx import ReviewFile, _read_part, open_package, parse_xml, read_review_docx

TO_DOCX = "docx:MS Word 2007 XML"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
BATCH = 12  # files a LibreOffice run converts: a dozen consultation drafts take well under its timeout


def read_review_odt(path: Path, language: str = "en", copies: Optional[Mapping[Path, Path]] = None) -> ReviewFile:
    """Every comment and tracked change in a returned .odt, as `read_review_docx` reads a .docx;
    `copies` holds .docx copies converted beforehand (`converted_at_once`)."""
    path = Path(path)
    if copies and path in copies:
        return _read_copy(copies[path], path, language)
    with tempfile.TemporaryDirectory(prefix="nhrap-odt-") as folder:
        converted = converted_to_docx(path, Path(folder))
        return _read_copy(converted, path, language)


def converted_to_docx(path: Path, folder: Path) -> Path:
    """A .docx copy of the .odt at `path`, made by LibreOffice in `folder`; a corrupt file, the lack of
    LibreOffice or a failed conversion is refused, naming the file."""
    _check_convertible(path)
    converted = libreoffice.convert(path, TO_DOCX, folder)
    if converted is None:
        raise UserError("an OpenDocument .odt file that LibreOffice could not convert to .docx; open it in "
                        "LibreOffice and save it as Word (.docx) instead", path)
    return converted


@contextmanager
def converted_at_once(paths: list[Path]) -> Iterator[dict[Path, Path]]:
    """.docx copies of the .odt files among `paths`, made a dozen to a LibreOffice run, for as long as the block
    runs. A file left out (its name twice, unreadable, not converted) is converted, or refused with its
    reason, on its own when it is read."""
    odts = [path for path in paths if path.suffix.lower() == ".odt"]
    names = [path.name.lower() for path in odts]
    batch = [path for path in odts if names.count(path.name.lower()) == 1] if len(odts) > 1 else []
    batch = [path for path in batch if _convertible(path)]  # a file on its own is checked when it is read
    if len(batch) < 2:
        yield {}
        return
    with tempfile.TemporaryDirectory(prefix="nhrap-odt-") as folder:
        copies: dict[Path, Path] = {}
        for start in range(0, len(batch), BATCH):  # a run that overruns its timeout loses only its own files
            run = Path(folder) / str(start)
            run.mkdir()
            converted = libreoffice.convert_all(batch[start:start + BATCH], TO_DOCX, run)
            copies.update({path: copy for path, copy in converted.items() if copy is not None})
        yield copies


def _check_convertible(path: Path) -> None:
    with open_package(path, "content.xml", "an OpenDocument .odt"):
        pass  # a corrupt file or a zip bomb is refused before LibreOffice opens it (or is looked for)
    if not libreoffice.available():
        raise UserError("reading .odt needs LibreOffice (soffice); save it as .docx instead", path)


def _convertible(path: Path) -> bool:
    try:
        _check_convertible(path)
    except UserError:
        return False
    return True


def _read_copy(converted: Path, path: Path, language: str) -> ReviewFile:
    """The converted copy read, and said of the reviewer's file."""
    try:
        review = read_review_docx(converted, language)
    except UserError as error:
        raise UserError(error.message, path, error.line) from None
    review.path = path
    lost = _footnote_comments(path)
    if lost:
        review.warnings.append(f"{lost} comment(s) in footnotes could not be read: LibreOffice leaves comments in "
                               "footnotes out of Word files; ask the reviewer to put them on the paragraph that "
                               "refers to the footnote, or in the text")
    return review


def _footnote_comments(path: Path) -> int:
    """How many comments the .odt has inside footnotes and endnotes, which its conversion to .docx loses."""
    with open_package(path, "content.xml", "an OpenDocument .odt") as archive:
        content = parse_xml(_read_part(archive, "content.xml", path), "content.xml", path)
    return sum(1 for note in content.iter(TEXT + "note") for _ in note.iter(OFFICE + "annotation"))
