"""The .docx package around a body: reference document in, deterministic bytes out.

The reference document is read as an OPC package (opc.Package): its styles,
page set-up and numbering stay as the panel left them; this module swaps in
the body, adds the parts a rendered plan needs (footnotes, comments, headers
and footers, images, hyperlinks), dates the core properties from version
metadata and writes the zip with fixed entry dates, so the same input gives
the same bytes. Documents that python-docx builds (reports, matrices) are
saved through the same path (`save_document`).
"""
from __future__ import annotations

import copy
import hashlib
import io
from pathlib import Path
from typing import Iterable, Optional

from lxml import etree

from ..errors import UserError
from . import ooxml
from .opc import PACKAGE, Package, PackageError
from .profiles import STYLES_DIR
from .ooxml import qn

_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
RT_DOCUMENT = _OFFICE + "officeDocument"
RT_STYLES = _OFFICE + "styles"
RT_SETTINGS = _OFFICE + "settings"
RT_NUMBERING = _OFFICE + "numbering"
RT_FONT_TABLE = _OFFICE + "fontTable"
RT_FOOTNOTES = _OFFICE + "footnotes"
RT_COMMENTS = _OFFICE + "comments"
RT_HEADER = _OFFICE + "header"
RT_FOOTER = _OFFICE + "footer"
RT_HYPERLINK = _OFFICE + "hyperlink"
RT_IMAGE = _OFFICE + "image"
RT_CORE = _PACKAGE_RELS + "core-properties"
RT_THUMBNAIL = _PACKAGE_RELS + "thumbnail"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CT_FOOTNOTES = _WML + "footnotes+xml"
CT_COMMENTS = _WML + "comments+xml"
CT_HEADER = _WML + "header+xml"
CT_FOOTER = _WML + "footer+xml"
CT_NUMBERING = _WML + "numbering+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CORE_NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
           "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
           "xsi": "http://www.w3.org/2001/XMLSchema-instance"}


class WordPackage:
    """A .docx: the OPC package plus where its main parts are."""

    def __init__(self, package: Package):
        self.package = package
        main = package.related(PACKAGE, RT_DOCUMENT)
        if main is None:
            raise PackageError("no main document part")
        self.main = main
        self.document = package.xml(main)
        if self.document.find(qn("w:body")) is None:
            raise PackageError(f"{main.lstrip('/')} has no w:body")

    def part(self, reltype: str) -> etree._Element:
        """Root of the part the main document relates to by `reltype` (styles, settings, numbering)."""
        partname = self.package.related(self.main, reltype)
        if partname is None:
            raise PackageError(f"no {reltype.rsplit('/', 1)[-1]} part")
        return self.package.xml(partname)

    def relate(self, reltype: str, target: str, *, external: bool = False) -> str:
        return self.package.relate(self.main, reltype, target, external=external)

    def add_part(self, pattern: str, content_type: str, reltype: str, root: etree._Element) -> str:
        """A new XML part named after `pattern` (e.g. '/word/header%d.xml'); returns its relationship id."""
        partname = self.package.free_name(pattern) if "%d" in pattern else pattern
        self.package.put(partname, root, content_type)
        return self.relate(reltype, partname)


def open_reference(path: Path) -> WordPackage:
    """The reference .docx, with any style it lacks taken from the one nhrap ships (`_add_missing_styles`); a
    missing or broken file is a UserError naming it."""
    path = Path(path)
    if not path.is_file():
        raise UserError("reference document not found (run `nhrap styles --write styles/` to create it)", path)
    try:
        docx = WordPackage(Package.from_bytes(path.read_bytes()))
        _add_missing_styles(docx, path)
        _ensure_numbering(docx)
    except PackageError as err:
        raise UserError(f"not a usable Word reference document ({err}); "
                        "restore it, or replace it with `nhrap styles --write styles/ --force`", path) from None
    return docx


def _add_missing_styles(docx: WordPackage, path: Path) -> None:
    """A workspace's reference document made by an older release (or restyled from one) lacks the styles
    added since (Annex Title): text in them would fall back to Normal. They are taken from the reference
    nhrap ships under the same name; the styles the workspace has keep its look."""
    styles = docx.part(RT_STYLES)
    shipped = STYLES_DIR / path.name
    if not shipped.is_file() or shipped.resolve() == path.resolve():
        return
    have = {style.get(qn("w:styleId")) for style in styles.iter(qn("w:style"))}
    for style in WordPackage(Package.from_bytes(shipped.read_bytes())).part(RT_STYLES).iter(qn("w:style")):
        if style.get(qn("w:styleId")) not in have:
            styles.append(copy.deepcopy(style))


def from_document(document) -> WordPackage:
    """A document python-docx built, as a package this module can finish and save."""
    buffer = io.BytesIO()
    document.save(buffer)
    docx = WordPackage(Package.from_bytes(buffer.getvalue()))
    _ensure_numbering(docx)
    return docx


def _ensure_numbering(docx: WordPackage) -> None:
    """A numbering part to add list definitions to (a reference doc saved without lists has none)."""
    if docx.package.related(docx.main, RT_NUMBERING) is None:
        docx.add_part("/word/numbering.xml", CT_NUMBERING, RT_NUMBERING, ooxml.part_root("w:numbering"))


def body_of(docx: WordPackage) -> etree._Element:
    return docx.document.find(qn("w:body"))


def final_sect_pr(docx: WordPackage) -> etree._Element:
    """The body's last w:sectPr (page set-up of the reference document), created if absent."""
    body = body_of(docx)
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


def text_height(sect_pr: etree._Element) -> int:
    """Height of the text block in twips (page height minus top and bottom margins)."""
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    height = int(size.get(qn("w:h"), 16838)) if size is not None else 16838
    if margins is None:
        return height - 2880
    return height - abs(int(margins.get(qn("w:top"), 1440))) - abs(int(margins.get(qn("w:bottom"), 1440)))


def replace_body(docx: WordPackage, children: Iterable[etree._Element], sect_pr: etree._Element) -> None:
    body = body_of(docx)
    for child in list(body):
        body.remove(child)
    body.extend(children)
    body.append(sect_pr)


def add_footnotes(docx: WordPackage, footnotes: list[tuple[int, list[etree._Element]]]) -> None:
    if not footnotes:
        return
    docx.add_part("/word/footnotes.xml", CT_FOOTNOTES, RT_FOOTNOTES, ooxml.footnotes_root(footnotes))
    ooxml.set_child(docx.part(RT_SETTINGS), ooxml.footnote_settings())


def add_comments(docx: WordPackage, comments: list[etree._Element]) -> None:
    if comments:
        docx.add_part("/word/comments.xml", CT_COMMENTS, RT_COMMENTS, ooxml.comments_root(comments))


def numbering_root(docx: WordPackage) -> etree._Element:
    return docx.part(RT_NUMBERING)


def styles_root(docx: WordPackage) -> etree._Element:
    return docx.part(RT_STYLES)


def font_table_root(docx: WordPackage) -> etree._Element:
    return docx.part(RT_FONT_TABLE)


def add_header_footer(docx: WordPackage, sect_pr: etree._Element, kind: str, which: str,
                      paragraphs: list[etree._Element]) -> None:
    """A new header or footer part holding `paragraphs`, referenced from `sect_pr`."""
    root = ooxml.part_root("w:hdr" if kind == "header" else "w:ftr")
    root.extend(paragraphs)
    if kind == "header":
        rel_id = docx.add_part("/word/header%d.xml", CT_HEADER, RT_HEADER, root)
    else:
        rel_id = docx.add_part("/word/footer%d.xml", CT_FOOTER, RT_FOOTER, root)
    ooxml.header_footer_reference(sect_pr, kind, which, rel_id)


def enable_even_odd_headers(docx: WordPackage) -> None:
    ooxml.set_child(docx.part(RT_SETTINGS), ooxml.el("w:evenAndOddHeaders"))


def add_hyperlink(docx: WordPackage, url: str) -> str:
    return docx.relate(RT_HYPERLINK, url, external=True)


def add_image(docx: WordPackage, path: Path) -> tuple[str, int, int]:
    """Embed an image file once (same bytes, same part); (relationship id, width, height in EMU).

    python-docx reads the image header (PNG, JPEG, GIF, BMP, TIFF) for pixel size and resolution;
    it raises docx.image.exceptions.UnrecognizedImageError for anything else."""
    from docx.image.image import Image
    return _add_image(docx, Image.from_file(str(path)))


def add_image_blob(docx: WordPackage, blob: bytes) -> tuple[str, int, int]:
    """As add_image, for image bytes made in memory (a chart)."""
    from docx.image.image import Image
    return _add_image(docx, Image.from_blob(blob))


def _add_image(docx: WordPackage, image) -> tuple[str, int, int]:
    digest = hashlib.sha1(image.blob).hexdigest()
    package = docx.package
    partname = next((name for name in package.names("/word/media/")
                     if hashlib.sha1(package.blob(name)).hexdigest() == digest), None)
    if partname is None:
        partname = package.free_name(f"/word/media/image%d.{image.ext}")
        package.put(partname, image.blob, image.content_type)
    return docx.relate(RT_IMAGE, partname), int(image.width), int(image.height)


def inline_picture(shape_id: int, rel_id: str, name: str, size: tuple[int, int], description: str) -> etree._Element:
    """A run holding an image added with add_image(_blob), inline, `size` (width, height) in EMU."""
    from docx.oxml.shape import CT_Inline
    inline = CT_Inline.new_pic_inline(shape_id, rel_id, name, *size)
    inline.docPr.set("descr", description)
    r = ooxml.run()
    ooxml.sub(r, "w:drawing").append(inline)
    return r


def set_core_properties(docx: WordPackage, *, title: str, subject: str, date: str, author: str,
                        language: str, keywords: str = "") -> None:
    """Core properties from metadata: same version, same dates (never the clock)."""
    stamp = f"{date[:10]}T00:00:00Z" if date else "2000-01-01T00:00:00Z"
    root = etree.Element(f"{{{CORE_NS['cp']}}}coreProperties", nsmap=CORE_NS)

    def add(tag: str, text: str, dated: bool = False) -> None:
        prefix, name = tag.split(":")
        node = etree.SubElement(root, f"{{{CORE_NS[prefix]}}}{name}")
        node.text = text
        if dated:
            node.set(f"{{{CORE_NS['xsi']}}}type", "dcterms:W3CDTF")

    add("dc:title", title)
    add("dc:subject", subject)
    add("dc:creator", author)
    add("cp:keywords", keywords)
    add("dc:language", language)
    add("cp:lastModifiedBy", author)
    add("cp:revision", "1")
    add("cp:lastPrinted", stamp)
    add("dcterms:created", stamp, dated=True)
    add("dcterms:modified", stamp, dated=True)
    partname = docx.package.related(PACKAGE, RT_CORE) or "/docProps/core.xml"
    docx.package.put(partname, root, CT_CORE)
    docx.package.relate(PACKAGE, RT_CORE, partname)


def to_bytes(docx: WordPackage) -> bytes:
    """The package as a zip with fixed entry dates and a stable part order."""
    # python-docx's template carries a thumbnail of an empty page: a stale preview is worse than none
    docx.package.unrelate(PACKAGE, RT_THUMBNAIL)
    return docx.package.to_bytes()


def save(docx: WordPackage, path: Optional[Path]) -> bytes:
    """Serialise and, when `path` is given, write atomically."""
    from ..fileio import atomic_write
    data = to_bytes(docx)
    if path is not None:
        atomic_write(Path(path), data)
    return data


def save_document(document, path: Optional[Path], **properties: str) -> bytes:
    """Save a python-docx document with core properties from `properties` (title, subject, date, author,
    language): same content, same bytes."""
    docx = from_document(document)
    set_core_properties(docx, **properties)
    return save(docx, path)
