"""A reviewer's returned .odt (a consultation draft saved in LibreOffice's own format) → its notes.

LibreOffice converts it to .docx, whose Word export keeps the comments, tracked changes and paragraph
bookmarks, and that .docx is read as any returned Word file, under the .odt's name. The conversion runs
in a temporary folder (its profile in there too) removed afterwards.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from .. import libreoffice
from ..errors import UserError
from .review_docx import ReviewFile, open_package, read_review_docx

TO_DOCX = "docx:MS Word 2007 XML"


def read_review_odt(path: Path, language: str = "en") -> ReviewFile:
    """Every comment and tracked change in a returned .odt, as `read_review_docx` reads a .docx."""
    path = Path(path)
    if not path.is_file():
        raise UserError("no such file", path)
    if not libreoffice.available():
        raise UserError("reading .odt needs LibreOffice (soffice); save it as .docx instead", path)
    with open_package(path, "content.xml", "an OpenDocument .odt"):
        pass  # a corrupt file or a zip bomb is refused before LibreOffice opens it
    with tempfile.TemporaryDirectory(prefix="nhrap-odt-") as folder:
        converted = libreoffice.convert(path, TO_DOCX, Path(folder))
        if converted is None:
            raise UserError("LibreOffice could not convert it to .docx; open it in LibreOffice and save it as "
                            ".docx instead", path)
        try:
            review = read_review_docx(converted, language)
        except UserError as error:  # about the converted copy: say it of the reviewer's file
            raise UserError(error.message, path, error.line) from None
    review.path = path
    return review
