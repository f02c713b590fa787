"""Consultation and final Word documents, checked with independent readers.

LibreOffice converts each produced document to PDF once per module; pandoc
reads them back; python-docx reopens them.
"""
from __future__ import annotations

import io
import struct
import subprocess
import uuid
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree

from pipeline.cli import main
from pipeline.errors import UserError
from pipeline.model import Finding, Member, Plan
from pipeline.readers.markdown import read_markdown
from pipeline.writers import profiles
from pipeline.writers.docx_consultation import render_consultation
from pipeline.writers.docx_document import RenderInput, VersionInfo
from pipeline.writers.docx_final import render_final
from pipeline.writers.ooxml import qn
from pipeline.writers.page_numbers import find_pages

SOURCE = """\
# Economic rights {#esc}

## Right to work {#esc-work}

The state promotes *decent work* and **full employment**.[^n1] See [the plan](https://example.org/plan).
Raw <b>html</b> and <script>alert(1)</script> stay text.

- Keep unemployment low.
  - Nested measure.
- Second goal.

1. First step.
2. Second step.

> Quoted principle.

```
code <x>
```

| Indicator | Target | Deadline |
|---|--:|---|
| Surveyed urban unemployment rate | 5.5% | 2030 |

## Right to health {#esc-health}

Health services reach everyone.[^n2]

[^n1]: Employment note.
[^n2]: Health note.
"""
ZH_SOURCE = """\
# 经济、社会和文化权利 {#esc}

## 工作权利 {#esc-work}

实施就业优先战略，健全公共就业服务体系。[^n1]

[^n1]: 注释内容。
"""
OUTLINE = {"esc", "esc-work", "esc-health"}


def make_plan(language: str = "en") -> Plan:
    members = {
        "scio": Member("scio", "State Council Information Office", "国务院新闻办公室", "administrative", role="lead"),
        "acftu": Member("acftu", "All-China Federation of Trade Unions", "中华全国总工会", "people"),
        "mos": Member("mos", "Ministry of Supervision", "监察部", "administrative", role="former"),
    }
    return Plan(title="Test Plan (2026–2030)", title_zh="测试计划（2026—2030年）", period_start=2026,
                period_end=2030, language=language, profile=language,
                approval_statement="Agreed by the Joint Meeting.", members=members)


def make_input(source: str = SOURCE, language: str = "en", folder: Path | None = None, **extra) -> RenderInput:
    document = read_markdown(source, OUTLINE, path="plan.md")
    for index, block in enumerate(document.blocks, 1):
        block.id = f"p{index:04d}"
    profile = profiles.load_profile(language)
    return RenderInput(document, make_plan(language), profile, profiles.reference_path(profile, None),
                       VersionInfo("v3", "2026-03-02", "consultation", 3), source_file="plan.md",
                       image_dir=folder, image_root=folder, **extra)


def pandoc_text(path: Path) -> str:
    return subprocess.run(["pandoc", "-t", "plain", "--wrap=none", str(path)], check=True,
                          capture_output=True, text=True).stdout


def document_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Consultation (en), final (en), consultation (zh) → .docx and, via LibreOffice, PDF text."""
    folder = tmp_path_factory.mktemp("render")
    docs = {
        "consult": render_consultation(make_input()).data,
        "final": render_final(make_input(), find_pages).data,
        "zh": render_consultation(make_input(ZH_SOURCE, "zh")).data,
        "findings": render_consultation(make_input(findings=[
            Finding(check="glossary", rule="r", message="On a paragraph.", para="p0003"),
            Finding(check="glossary", rule="r", message="On a footnote.", para="p0014")])).data,
    }
    paths = {}
    for name, data in docs.items():
        paths[name] = folder / f"{name}.docx"
        paths[name].write_bytes(data)
    profile_dir = folder / f"lo-{uuid.uuid4().hex}"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile_dir}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, paths.values())], check=True, capture_output=True, timeout=240)
    pdf = {name: subprocess.run(["pdftotext", str(folder / f"{name}.pdf"), "-"], check=True,
                                capture_output=True, text=True).stdout for name in docs}
    fonts = subprocess.run(["pdffonts", str(folder / "zh.pdf")], capture_output=True, text=True).stdout
    return {"data": docs, "paths": paths, "pdf": pdf, "zh_fonts": fonts}


def test_every_document_opens_in_python_docx_and_libreoffice(rendered):
    import docx
    for name, path in rendered["paths"].items():
        assert docx.Document(str(path)).paragraphs, name
        assert rendered["pdf"][name].strip(), name


def test_consultation_text_round_trips_through_pandoc(rendered):
    text = pandoc_text(rendered["paths"]["consult"])
    assert "Draft for consultation" in text and "v3" in text and "2026-03-02" in text
    assert "[p0003] The state promotes decent work and full employment." in text
    assert "Raw <b>html</b> and <script>alert(1)</script> stay text." in text  # raw HTML is text
    assert "Employment note." in text and "Nested measure." in text
    assert "Surveyed urban unemployment rate" in text


def test_consultation_bookmarks_are_paragraph_ids_spanning_text(rendered):
    root = document_xml(rendered["data"]["consult"])
    starts = {b.get(qn("w:name")): b.get(qn("w:id")) for b in root.iter(qn("w:bookmarkStart"))}
    ends = {b.get(qn("w:id")) for b in root.iter(qn("w:bookmarkEnd"))}
    ids = [name for name in starts if name.startswith("p0")]
    assert ids[:3] == ["p0001", "p0002", "p0003"]
    assert all(starts[name] in ends for name in ids)
    start = next(b for b in root.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == "p0003")
    paragraph = start.getparent()
    label = "".join(t.text for t in paragraph.iter(qn("w:t")))
    assert label.startswith("[p0003] The state promotes")


def test_consultation_has_word_structures(rendered):
    data = rendered["data"]["consult"]
    root = document_xml(data)
    styles = [s.get(qn("w:val")) for s in root.iter(qn("w:pStyle"))]
    assert {"Heading1", "Heading2", "ListParagraph", "Quote", "SourceCode", "CoverTitle"} <= set(styles)
    assert root.find(f".//{qn('w:lnNumType')}") is not None
    assert root.find(f".//{qn('w:numPr')}") is not None
    assert root.find(f".//{qn('w:tblHeader')}") is not None
    assert root.find(f".//{qn('w:footnoteReference')}") is not None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/footnotes.xml" in archive.namelist()
        footers = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer")]
    assert any("NUMPAGES" in f and "PAGE" in f for f in footers)
    assert "Page 2 of 2" in rendered["pdf"]["consult"]


def test_final_is_clean_with_filled_contents_and_annex(rendered):
    text = pandoc_text(rendered["paths"]["final"])
    assert "[p0" not in text
    assert "Agreed by the Joint Meeting." in text
    contents = text[text.index("Contents"):text.index("Economic rights", text.index("Contents") + 40)]
    assert "I. Economic rights 1" in contents and "(1) Right to work 1" in contents
    assert "Annex 1" in contents
    assert "State Council Information Office" in text and "All-China Federation of Trade Unions" in text
    assert "Ministry of Supervision" not in text  # former members are not listed
    root = document_xml(rendered["data"]["final"])
    instructions = "".join(t.text for t in root.iter(qn("w:instrText")))
    assert "TOC \\o" in instructions and "PAGEREF" in instructions


def test_chinese_profile_uses_gbt9704_layout_and_cjk_fonts(rendered):
    data = rendered["data"]["zh"]
    root = document_xml(data)
    margins = root.find(f".//{qn('w:pgMar')}")
    assert round(int(margins.get(qn("w:top"))) / 56.693) == 37
    assert root.find(f".//{qn('w:docGrid')}").get(qn("w:linePitch")) == "579"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        numbering = archive.read("word/numbering.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    assert "chineseCounting" in numbering and "%1、" in numbering and "（%2）" in numbering
    assert "黑体" in styles and "仿宋_GB2312" in styles
    assert "实施就业优先战略" in rendered["pdf"]["zh"]
    assert any(font in rendered["zh_fonts"] for font in ("CJK", "Kai", "Ming", "WenQuanYi", "Fang"))


def test_same_input_gives_identical_bytes():
    assert render_consultation(make_input()).data == render_consultation(make_input()).data
    assert render_final(make_input()).data == render_final(make_input()).data


def test_findings_become_word_comments(tmp_path, rendered):
    assert rendered["pdf"]["findings"].strip()  # LibreOffice opens it (it rejects comments inside footnotes)
    native = subprocess.run(["pandoc", "--track-changes=all", "-t", "native", str(rendered["paths"]["findings"])],
                            capture_output=True, text=True).stdout
    assert native.count('"comment-start"') == 2 and 'Str "footnote."' in native  # footnote finding on its reference
    findings = [Finding(check="glossary", rule="deprecated", message="Use 'decent work'.", para="p0003"),
                Finding(check="style", rule="x", message="nowhere", para="p9999")]
    result = render_consultation(make_input(findings=findings))
    assert result.comments == 1 and [f.para for f in result.unplaced_findings] == ["p9999"]
    path = tmp_path / "c.docx"
    path.write_bytes(result.data)
    placed = subprocess.run(["pandoc", "--track-changes=all", "-t", "native", str(path)],
                            capture_output=True, text=True, check=True).stdout
    assert '( "author" , "nhrap check" )' in placed and 'Str "\'decent"' in placed  # the comment, as pandoc reads it


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_images_render_and_bad_images_are_user_errors(tmp_path):
    (tmp_path / "fig.png").write_bytes(png())
    ok = render_consultation(make_input("Figure: ![chart](fig.png)\n", folder=tmp_path))
    assert document_xml(ok.data).find(f".//{qn('w:drawing')}") is not None
    with pytest.raises(UserError) as missing:
        render_consultation(make_input("Para.\n\nSee ![chart](nothere.png)\n", folder=tmp_path))
    assert "nothere.png" in str(missing.value) and missing.value.line == 3 and missing.value.file == "plan.md"
    with pytest.raises(UserError, match="outside the workspace"):
        render_consultation(make_input("![x](../../etc/passwd.png)\n", folder=tmp_path))


def test_unknown_profile_and_broken_reference_are_clear_errors(tmp_path):
    with pytest.raises(UserError, match="unknown Word profile 'fr'"):
        profiles.load_profile("fr")
    broken = tmp_path / "reference-en.docx"
    broken.write_bytes(b"not a zip")
    inp = make_input()
    inp.reference = broken
    with pytest.raises(UserError, match="not a usable Word reference document"):
        render_consultation(inp)


def test_cli_renders_markdown_file_and_reports_bad_input(tmp_path, capsys):
    source = tmp_path / "note.md"
    source.write_text("# Note\n\nText.\n", encoding="utf-8")
    out = tmp_path / "note.docx"
    assert main(["render", str(source), "-o", str(out)]) == 0
    assert "Text." in pandoc_text(out)
    source.write_text("![x](missing.png)\n", encoding="utf-8")
    bad = tmp_path / "bad.docx"
    assert main(["render", str(source), "-o", str(bad)]) == 2
    assert "missing.png" in capsys.readouterr().err
    assert not bad.exists()  # nothing half-written


def test_styles_command_writes_reference_documents(tmp_path):
    assert main(["styles", "--write", str(tmp_path)]) == 0
    assert (tmp_path / "reference-zh.docx").read_bytes() == (profiles.STYLES_DIR / "reference-zh.docx").read_bytes()


def test_final_carries_the_glossary_annex_from_the_workspace(mini_ws, tmp_path):
    import shutil
    shutil.copytree(Path(__file__).resolve().parent.parent / "glossary", mini_ws.root / "glossary")
    output = tmp_path / "final.docx"
    code = main(["--workspace", str(mini_ws.root), "render", "--mode", "final", "--toc-pages", "estimate",
                 "-o", str(output)])
    assert code == 0
    text = pandoc_text(output)
    annex = text[text.rindex("Glossary"):]
    assert "International human rights law" in annex
    assert "户籍；户口；户籍制度" in annex and "household registration; hukou" in annex
    assert "ICCPR art. 12(1)" in annex
    assert "the disabled" not in annex  # deprecated renderings stay out of the approved text
