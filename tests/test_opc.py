"""The package layer under every rendered .docx: parts, relationships, content types, stable bytes."""
import io
import zipfile

import pytest
from lxml import etree

from pipeline.errors import UserError
from pipeline.writers import docx_package, ooxml, profiles
from pipeline.writers.opc import Package, PackageError, rels_name, relative, resolve

REFERENCE = profiles.STYLES_DIR / "reference-en.docx"


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rewritten(data: bytes, drop: tuple[str, ...] = (), replace: dict[str, bytes] = {}) -> bytes:
    """The zip `data` without the entries in `drop` and with those in `replace` swapped in."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, blob in entries(data).items():
            if name not in drop:
                archive.writestr(name, replace.get(name, blob))
    return buffer.getvalue()


def test_part_names_and_relationship_targets():
    assert rels_name("/word/document.xml") == "/word/_rels/document.xml.rels"
    assert rels_name("/") == "/_rels/.rels"
    assert resolve("/word/document.xml", "../customXml/item1.xml") == "/customXml/item1.xml"
    assert resolve("/", "word/document.xml") == "/word/document.xml"
    assert relative("/word/document.xml", "/word/media/image1.png") == "media/image1.png"


def test_unchanged_package_keeps_every_part_and_writes_the_same_bytes_twice():
    original = entries(REFERENCE.read_bytes())
    first = docx_package.to_bytes(docx_package.open_reference(REFERENCE))
    second = docx_package.to_bytes(docx_package.open_reference(REFERENCE))
    assert first == second
    assert set(entries(first)) == set(original)
    assert entries(first)["word/styles.xml"] == original["word/styles.xml"]  # parts never touched stay as they were


def test_new_parts_get_free_names_relationships_and_content_types():
    docx = docx_package.open_reference(REFERENCE)
    sect_pr = docx_package.final_sect_pr(docx)
    docx_package.add_header_footer(docx, sect_pr, "footer", "default", [ooxml.paragraph("Footer")])
    docx_package.add_header_footer(docx, sect_pr, "footer", "even", [ooxml.paragraph("Footer")])
    link = docx_package.add_hyperlink(docx, "https://www.ohchr.org/")
    assert docx_package.add_hyperlink(docx, "https://www.ohchr.org/") == link  # one relationship per target
    written = entries(docx_package.to_bytes(docx))
    assert {"word/footer1.xml", "word/footer2.xml"} <= set(written)
    rels = etree.fromstring(written["word/_rels/document.xml.rels"])
    ids = [rel.get("Id") for rel in rels]
    assert len(ids) == len(set(ids))
    targets = {rel.get("Target"): rel.get("TargetMode") for rel in rels}
    assert targets["footer2.xml"] is None and targets["https://www.ohchr.org/"] == "External"
    types = written["[Content_Types].xml"].decode()
    assert 'PartName="/word/footer2.xml"' in types and "footer+xml" in types


def test_core_properties_come_from_metadata_not_the_clock():
    docx = docx_package.open_reference(REFERENCE)
    docx_package.set_core_properties(docx, title="Plan", subject="Draft", date="2026-03-01", author="nhrap",
                                      language="en", keywords="v3")
    core = entries(docx_package.to_bytes(docx))["docProps/core.xml"].decode()
    assert "<dc:title>Plan</dc:title>" in core and "2026-03-01T00:00:00Z" in core and "<cp:keywords>v3" in core


def test_reference_without_numbering_part_gets_one(tmp_path):
    """A reference document saved by an editor that had no lists to number still renders numbered lists."""
    from test_render import make_input, pandoc_text

    from pipeline.writers.docx_consultation import render_consultation
    data = REFERENCE.read_bytes()
    tree = etree.fromstring(entries(data)["word/_rels/document.xml.rels"])
    for rel in [r for r in tree if r.get("Type").endswith("/numbering")]:
        tree.remove(rel)
    reduced = rewritten(data, drop=("word/numbering.xml",), replace={"word/_rels/document.xml.rels": etree.tostring(tree)})
    package = Package.from_bytes(reduced)
    assert package.related(docx_package.WordPackage(package).main, docx_package.RT_NUMBERING) is None
    reference = tmp_path / "reference-en.docx"
    reference.write_bytes(reduced)
    assert etree.QName(docx_package.numbering_root(docx_package.open_reference(reference))).localname == "numbering"
    inp = make_input("# Plan\n\n1. First measure.\n2. Second measure.\n")
    inp.reference = reference
    out = tmp_path / "lists.docx"
    out.write_bytes(render_consultation(inp).data)
    text = pandoc_text(out)  # pandoc sees Word's own list numbering
    assert "1.  " in text and "First measure." in text and "2.  " in text and "Second measure." in text


def test_broken_packages_are_clear_errors(tmp_path):
    with pytest.raises(PackageError, match="not a zip"):
        Package.from_bytes(b"plain text")
    data = REFERENCE.read_bytes()
    bad = tmp_path / "reference-en.docx"
    bad.write_bytes(rewritten(data, replace={"word/styles.xml": b"<w:styles"}))
    with pytest.raises(UserError, match="styles.xml is not well-formed XML") as err:
        docx_package.open_reference(bad)
    assert err.value.file == str(bad)
    bad.write_bytes(rewritten(data, drop=("word/document.xml",)))
    with pytest.raises(UserError, match="document.xml is missing"):
        docx_package.open_reference(bad)


def test_an_image_used_twice_is_stored_once_with_its_size(tmp_path):
    from test_render import png
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    first.write_bytes(png(96, 48))
    second.write_bytes(png(96, 48))
    docx = docx_package.open_reference(REFERENCE)
    rel_a, width, height = docx_package.add_image(docx, first)
    rel_b, _, _ = docx_package.add_image(docx, second)
    # a PNG that states no resolution is taken as 72 dpi (python-docx's reading): 96 × 48 px = 1⅓ × ⅔ inch
    assert rel_a == rel_b and (width, height) == (1219200, 609600)
    written = entries(docx_package.to_bytes(docx))
    assert [name for name in written if name.startswith("word/media/")] == ["word/media/image1.png"]
    assert '<Override PartName="/word/media/image1.png" ContentType="image/png"/>' in written["[Content_Types].xml"].decode()


def test_every_written_part_uses_the_w_prefix():
    """Parts built here (headers, footers, footnotes, numbering) declare w: as Word does, not lxml's ns0:."""
    from test_render import make_input

    from pipeline.writers.docx_consultation import render_consultation
    written = entries(render_consultation(make_input("# Plan\n\nText.[^1]\n\n1. One.\n\n[^1]: A note.\n")).data)
    assert {"word/header1.xml", "word/footer1.xml", "word/footnotes.xml"} <= set(written)
    assert [name for name, data in written.items() if name.endswith(".xml") and b"ns0:" in data] == []
