"""Open Packaging Conventions: a .docx (or any Office file) as named parts, relationships and content types.

What rendering needs and no more: read a package, parse the XML parts it
changes, add parts and relationships, and write it back as a zip in a
stable order (the bytes depend only on the parts). python-docx does this too,
but loading it costs the render command a tenth of a second before any
work starts, and its relationship ids depend on the order parts are touched.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import Optional, Union

from lxml import etree

from .fixed_zip import fixed_zip

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "/[Content_Types].xml"
PACKAGE = "/"
EXTERNAL = "External"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class PackageError(ValueError):
    """The file is not a usable package (not a zip, or a part missing or malformed)."""


@dataclass
class Relationship:
    id: str
    type: str
    target: str  # as written: relative to the source part's folder, or a URL when external
    external: bool = False


def rels_name(partname: str) -> str:
    """'/word/document.xml' → '/word/_rels/document.xml.rels'; the package's own: '/_rels/.rels'."""
    folder, name = posixpath.split(partname)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve(source: str, target: str) -> str:
    """Absolute part name of a relationship target."""
    if target.startswith("/"):
        return target
    return posixpath.normpath(posixpath.join(posixpath.dirname(source) if source != PACKAGE else "/", target))


def relative(source: str, partname: str) -> str:
    base = posixpath.dirname(source) if source != PACKAGE else "/"
    return posixpath.relpath(partname, base)


class Package:
    """Parts by name in file order; XML parts parsed on first use and serialised on write."""

    def __init__(self, blobs: dict[str, bytes]):
        # every part name in file order; a part held as XML (self._xml) is serialised from there
        self._blobs = blobs
        self._xml: dict[str, etree._Element] = {}
        self._rels: dict[str, list[Relationship]] = {}
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        self._read_content_types()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Package":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                blobs = {"/" + info.filename: archive.read(info) for info in archive.infolist()
                         if not info.is_dir()}
        except (zipfile.BadZipFile, OSError) as err:
            raise PackageError(f"not a zip package ({err})") from None
        if CONTENT_TYPES not in blobs:
            raise PackageError("no [Content_Types].xml: not an Office document")
        return cls(blobs)

    # parts ------------------------------------------------------------------------------------
    def has(self, partname: str) -> bool:
        return partname in self._blobs

    def names(self, prefix: str = "/") -> list[str]:
        """Part names under `prefix`, in file order."""
        return [name for name in self._blobs if name.startswith(prefix)]

    def blob(self, partname: str) -> bytes:
        return self._part_bytes(partname)

    def xml(self, partname: str) -> etree._Element:
        """The parsed root of an XML part; changes to it are written on `to_bytes`."""
        if partname not in self._xml:
            if partname not in self._blobs:
                raise PackageError(f"part {partname} is missing")
            self._xml[partname] = self._parse(partname)
        return self._xml[partname]

    def put(self, partname: str, content: Union[bytes, etree._Element], content_type: str) -> None:
        """Add or replace a part (bytes, or an XML root written on `to_bytes`)."""
        self._blobs.setdefault(partname, b"")  # takes its place in the order
        if isinstance(content, bytes):
            self._blobs[partname] = content
            self._xml.pop(partname, None)
        else:
            self._xml[partname] = content
        extension = partname.rsplit(".", 1)[-1].lower()
        if self.defaults.get(extension) != content_type:
            self.overrides[partname] = content_type

    def drop(self, partname: str) -> None:
        for table in (self._blobs, self._xml, self.overrides):
            table.pop(partname, None)

    def free_name(self, pattern: str) -> str:
        """The first unused name of the form pattern % n, n = 1, 2, …"""
        number = 1
        while self.has(pattern % number):
            number += 1
        return pattern % number

    # relationships ----------------------------------------------------------------------------
    def relationships(self, source: str) -> list[Relationship]:
        if source not in self._rels:
            self._rels[source] = self._read_rels(rels_name(source))
        return self._rels[source]

    def related(self, source: str, reltype: str) -> Optional[str]:
        """Part name of the first internal relationship of `reltype` from `source`."""
        for rel in self.relationships(source):
            if rel.type == reltype and not rel.external:
                return resolve(source, rel.target)
        return None

    def relate(self, source: str, reltype: str, target: str, *, external: bool = False) -> str:
        """Relationship id from `source` to a part (absolute name) or external URL; reused if present."""
        written = target if external else relative(source, target)
        rels = self.relationships(source)
        for rel in rels:
            if rel.type == reltype and rel.target == written and rel.external == external:
                return rel.id
        used = {rel.id for rel in rels}
        number = len(rels) + 1
        while f"rId{number}" in used:
            number += 1
        rels.append(Relationship(f"rId{number}", reltype, written, external))
        return rels[-1].id

    def unrelate(self, source: str, reltype: str) -> None:
        """Remove relationships of `reltype` from `source`, and the parts they pointed at."""
        rels = self.relationships(source)
        for rel in [r for r in rels if r.type == reltype]:
            rels.remove(rel)
            if not rel.external:
                self.drop(resolve(source, rel.target))

    # writing ----------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """Content types, package relationships, then each part followed by its relationships."""
        entries = [(CONTENT_TYPES, self._content_types_xml()), (rels_name(PACKAGE), self._rels_xml(PACKAGE))]
        for partname in self._blobs:
            if partname == CONTENT_TYPES or partname.endswith(".rels"):
                continue
            entries.append((partname, self._part_bytes(partname)))
            if self.relationships(partname):
                entries.append((rels_name(partname), self._rels_xml(partname)))
        return fixed_zip(entries)

    def _part_bytes(self, partname: str) -> bytes:
        if partname in self._xml:
            return XML_DECLARATION + etree.tostring(self._xml[partname], encoding="UTF-8")
        return self._blobs[partname]

    def _read_content_types(self) -> None:
        root = self._parse(CONTENT_TYPES)
        for node in root:
            kind = etree.QName(node).localname
            if kind == "Default":
                self.defaults[node.get("Extension", "").lower()] = node.get("ContentType", "")
            elif kind == "Override":
                self.overrides[node.get("PartName", "")] = node.get("ContentType", "")

    def _content_types_xml(self) -> bytes:
        root = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
        for extension, content_type in sorted(self.defaults.items()):
            etree.SubElement(root, f"{{{CT_NS}}}Default", Extension=extension, ContentType=content_type)
        for partname, content_type in sorted(self.overrides.items()):
            if self.has(partname):
                etree.SubElement(root, f"{{{CT_NS}}}Override", PartName=partname, ContentType=content_type)
        return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")

    def _read_rels(self, name: str) -> list[Relationship]:
        if name not in self._blobs:
            return []
        return [Relationship(node.get("Id", ""), node.get("Type", ""), node.get("Target", ""),
                             node.get("TargetMode") == EXTERNAL) for node in self._parse(name)]

    def _rels_xml(self, source: str) -> bytes:
        root = etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
        for rel in self.relationships(source):
            node = etree.SubElement(root, f"{{{REL_NS}}}Relationship", Id=rel.id, Type=rel.type, Target=rel.target)
            if rel.external:
                node.set("TargetMode", EXTERNAL)
        return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")

    def _parse(self, partname: str) -> etree._Element:
        try:
            return etree.fromstring(self._blobs[partname])
        except etree.XMLSyntaxError as err:
            raise PackageError(f"{partname.lstrip('/')} is not well-formed XML ({err})") from None
