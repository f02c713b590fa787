"""The .docx package around a body: reference document in, deterministic bytes out.

python-docx opens the reference document (styles, page set-up, numbering
of headings), and this module adds the parts python-docx has no API for
(footnotes, comments), header/footer parts filled with our XML, core
properties dated from version metadata, and writes the zip with fixed
entry dates so the same input gives the same bytes.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterable, Optional

from lxml import etree

from ..errors import UserError
from . import ooxml
from .fixed_zip import fixed_zip
from .ooxml import qn

RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CT_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def open_reference(path: Path):
    """python-docx Document from a reference .docx; a broken file is a UserError naming it."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    path = Path(path)
    if not path.is_file():
        raise UserError("reference document not found (run `nhrap styles --write styles/` to create it)", path)
    try:
        document = docx.Document(str(path))
        document.styles  # noqa: B018 - touch the styles part: a reference doc without one is broken
        document.part.numbering_part  # noqa: B018
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as err:
        raise UserError(f"not a usable Word reference document ({err.__class__.__name__}: {err}); "
                        "restore it or run `nhrap styles --write styles/`", path) from None
    return document


def body_of(document) -> etree._Element:
    return document.element.body


def final_sect_pr(document) -> etree._Element:
    """The body's last w:sectPr (page set-up of the reference document), created if absent."""
    body = body_of(document)
    sect_pr = body.find(qn("w:sectPr"))
    if sect_pr is None:
        sect_pr = ooxml.sub(body, "w:sectPr")
    return sect_pr


def text_width(sect_pr: etree._Element) -> int:
    """Width of the text block in twips (page width minus left and right margins)."""
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    width = int(size.get(qn("w:w"), 11906)) if size is not None else 11906
    if margins is None:
        return width - 2880
    return width - int(margins.get(qn("w:left"), 1440)) - int(margins.get(qn("w:right"), 1440))


def replace_body(document, children: Iterable[etree._Element], sect_pr: etree._Element) -> None:
    body = body_of(document)
    for child in list(body):
        body.remove(child)
    body.extend(children)
    body.append(sect_pr)


def add_xml_part(document, partname: str, content_type: str, reltype: str, root: etree._Element) -> str:
    """Add an XML part related from the main document part; returns the relationship id."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    part = XmlPart(PackURI(partname), content_type, root, document.part.package)
    return document.part.relate_to(part, reltype)


def add_footnotes(document, footnotes: list[tuple[int, list[etree._Element]]]) -> None:
    if not footnotes:
        return
    add_xml_part(document, "/word/footnotes.xml", CT_FOOTNOTES, RT_FOOTNOTES, ooxml.footnotes_root(footnotes))
    ooxml.set_child(document.settings.element, ooxml.footnote_settings())


def add_comments(document, comments: list[etree._Element]) -> None:
    if comments:
        add_xml_part(document, "/word/comments.xml", CT_COMMENTS, RT_COMMENTS, ooxml.comments_root(comments))


def numbering_root(document) -> etree._Element:
    return document.part.numbering_part.element


def next_numbering_ids(root: etree._Element) -> tuple[int, int]:
    """First free abstractNumId and numId in a numbering part."""
    abstract = [int(n.get(qn("w:abstractNumId"))) for n in root.findall(qn("w:abstractNum"))]
    nums = [int(n.get(qn("w:numId"))) for n in root.findall(qn("w:num"))]
    return max(abstract, default=-1) + 1, max(nums, default=0) + 1


def add_header_footer(document, sect_pr: etree._Element, kind: str, which: str,
                      paragraphs: list[etree._Element]) -> None:
    """A new header or footer part holding `paragraphs`, referenced from `sect_pr`."""
    part, rel_id = document.part.add_header_part() if kind == "header" else document.part.add_footer_part()
    root = part.element
    for child in list(root):
        root.remove(child)
    root.extend(paragraphs)
    ooxml.header_footer_reference(sect_pr, kind, which, rel_id)


def enable_even_odd_headers(document) -> None:
    ooxml.set_child(document.settings.element, ooxml.el("w:evenAndOddHeaders"))


def set_core_properties(document, *, title: str, subject: str, date: str, author: str,
                        language: str, keywords: str = "") -> None:
    """Core properties from metadata: same version, same dates (never the clock)."""
    import datetime as dt
    props = document.core_properties
    stamp = dt.datetime.fromisoformat(date[:10]) if date else dt.datetime(2000, 1, 1)
    props.title, props.subject, props.author = title, subject, author
    props.last_modified_by, props.keywords, props.language = author, keywords, language
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.comments = props.category = props.content_status = ""


def to_bytes(document) -> bytes:
    """The package as a zip with fixed entry dates and a stable part order."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem
    package = document.part.package
    _drop_thumbnail(package, RT.THUMBNAIL)
    parts = list(package.iter_parts())
    entries = [(CONTENT_TYPES_URI, _ContentTypesItem.from_parts(parts).blob), (PACKAGE_URI.rels_uri, package.rels.xml)]
    for part in parts:
        entries.append((part.partname, part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri, part.rels.xml))
    return fixed_zip(entries)


def _drop_thumbnail(package, reltype: str) -> None:
    """python-docx's template carries a thumbnail of an empty page: a stale preview is worse than none."""
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == reltype:
            del package.rels[rel_id]


def save(document, path: Optional[Path]) -> bytes:
    """Serialise and, when `path` is given, write atomically."""
    from ..fileio import atomic_write
    data = to_bytes(document)
    if path is not None:
        atomic_write(Path(path), data)
    return data


def set_column_widths(table, widths: list[int]) -> None:
    """Fixed column widths (EMU) for a python-docx table, honoured by Word and by LibreOffice."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width  # the table grid, which LibreOffice lays out by
        for cell in column.cells:
            cell.width = width  # the cell widths, which Word lays out by
