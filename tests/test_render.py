"""Consultation and final Word documents, checked with independent readers.

LibreOffice converts each produced document to PDF once per module; pandoc
reads them back; python-docx reopens them.
"""
from __future__ import annotations

import io
import re
import struct
import subprocess
import uuid
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

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
from pipeline.writers.docx_columns import CELL_MARGINS, column_widths, text_twips
from pipeline.writers.docx_matrix import write_docx_matrix
from pipeline.writers import page_numbers
from pipeline.writers.page_numbers import (PDF_FILTER, find_pages, lo_destination_name, page_for_heading_line,
                                           printed_numbers, footer_pattern)
from pipeline.writers.docx_body import Heading

from conftest import REPO, copy_sample

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

| Indicator | Target | Deadline | Kind | Lead unit |
|---|--:|---|---|---|
| Surveyed urban unemployment rate | 5.5% | 2030 | binding | Ministry of Human Resources and Social Security |
| New urban jobs created each year | at least 12 million | 2030 | expected | Ministry of Human Resources and Social Security |

## Right to health {#esc-health}

Health services reach everyone.[^n2]

[^n1]: Employment note.
[^n2]: Health note.
"""
ZH_SOURCE = """\
# 经济、社会和文化权利 {#esc}

## 工作权利 {#esc-work}

实施就业优先战略，健全公共就业服务体系。[^n1]

| 指标 | 目标值 | 完成时限 | 属性 | 牵头单位 |
|---|---|---|---|---|
| 城镇调查失业率 | 不高于5.5% | 2030 | 约束性 | 人力资源和社会保障部 |
| 企业劳动合同签订率 | 不低于92% | 2028 | 预期性 | 人力资源和社会保障部 |

[^n1]: 注释内容。
"""
# A Chinese text long enough to fill pages: GB/T 9704 promises 22 lines of 28 characters a page.
ZH_LONG = "# 经济、社会和文化权利 {#esc}\n\n" + "\n\n".join(
    "实施就业优先战略，健全公共就业服务体系，加强劳动保障监察，保障劳动者平等就业、取得报酬、"
    "休息休假和获得劳动安全卫生保护的权利。" * 2 for _ in range(40)) + "\n"
OUTLINE = {"esc", "esc-work", "esc-health"}
# `ch-1` and `ch_1` both make the bookmark name `_ch_1`; each heading on a page of its own
CLASH = "# Plan {#plan}\n\n" + "".join(
    f"## {title} {{#{anchor}}}\n\n" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 60 + "\n\n"
    for anchor, title in (("intro", "Introduction"), ("ch-1", "Chapter dash"), ("ch_1", "Chapter underscore"),
                          ("end", "Closing")))
MATRIX = SimpleNamespace(
    headers=["No.", "Paragraph", "Organisation", "Type", "Comment", "Proposed change", "Response", "Status"],
    rows=[["1", "p0013 (orphaned)", "Ministry of Human Resources and Social Security", "substantive",
           "“within 5.5 per cent”: The 5.5 per cent ceiling is the figure in the 15th Five-Year Plan outline "
           "and should stay, but the youth target needs a number of its own.", "Add a youth target.",
           "Accepted in substance. The goal will read as proposed.", "accepted with modification"]] * 3)
MATRIX_ZH = SimpleNamespace(
    headers=["序号", "段落", "单位", "类型", "意见", "修改建议", "处理意见", "采纳情况"],
    rows=[[str(n), para, "人力资源和社会保障部", "实质性", "“控制在5.5%以内”：建议保留5.5%的上限，另设青年失业率目标。",
           "增加青年就业目标。", "部分采纳。", "部分采纳"] for n, para in ((1, "p0007（已改动）"), (2, "p0013"), (3, "p0013"))])

# rows of two and three lines: without w:cantSplit one of them breaks at the foot of a page
LONG_TABLE = "# Tables {#esc}\n\nOpening paragraph.\n\n| Indicator | Target | Note |\n|---|---|---|\n" + "".join(
    f"| Row {i} starts the indicator on the share of households whose income and living conditions improved over "
    f"the period, measured each year by the statistics bureau, row {i} ends | at least {i} per cent | Note {i} |\n"
    for i in range(1, 41))
# 4-row tables after filler of varied length: without keeping short tables together some split across a
# page, and some lead-in paragraph ("…as follows:") ends a page with its table on the next
SHORT_TABLES = "# Tables {#esc}\n\n" + "".join(
    "Filler sentence on the right to work and the measures taken. " * (i + 4 if i < 25 else i % 7 + 2)
    + f"\n\nTable {i} as follows:\n\n| Indicator | Target |\n|---|---|\n"
    + "".join(f"| T{i} row {r} | {r} per cent |\n" for r in range(1, 5)) + "\n" for i in range(1, 49))
# ... and lists led in by a paragraph ending with a colon
LEAD_IN_LISTS = "# Lists {#esc}\n\n" + "".join(
    "Filler sentence on the right to work and the measures taken. " * (i + 4 if i < 25 else i % 7 + 2)
    + f"\n\nList {i} measures are:\n\n" + "".join(f"- L{i} item {r}.\n" for r in range(1, 4)) + "\n"
    for i in range(1, 49))
# a comment longer than a page: its row may break (kept whole, Word would cut it off at the foot of the page)
MATRIX_LONG = SimpleNamespace(headers=MATRIX.headers, rows=MATRIX.rows[:2] + [
    ["3", "p0020", "Ministry of Justice", "substantive",
     "Long comment starts. " + "The paragraph should say more about legal aid in rural areas. " * 120
     + "Long comment ends.", "", "", "open"]] + MATRIX.rows[:1])


def make_plan(language: str = "en") -> Plan:
    members = {
        "scio": Member("scio", "State Council Information Office", "国务院新闻办公室", "administrative", role="lead"),
        "acftu": Member("acftu", "All-China Federation of Trade Unions", "中华全国总工会", "people"),
        "mos": Member("mos", "Ministry of Supervision", "监察部", "administrative", role="former"),
    }
    return Plan(title="Test Plan (2026–2030)", title_zh="测试计划（2026—2030年）", period_start=2026,
                period_end=2030, language=language, profile=language,
                approval_statement="Agreed by the Joint Meeting.", members=members,
                stages=["drafting", "consultation", "examination", "approval", "assessment"])


def make_input(source: str = SOURCE, language: str = "en", folder: Path | None = None, stage: str = "consultation",
               **extra) -> RenderInput:
    document = read_markdown(source, OUTLINE, path="plan.md")
    for index, block in enumerate(document.blocks, 1):
        block.id = f"p{index:04d}"
    profile = profiles.load_profile(language)
    return RenderInput(document, make_plan(language), profile, profiles.reference_path(profile, None),
                       VersionInfo("v3", "2026-03-02", stage, 3), source_file="plan.md",
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
        "final": render_final(make_input(stage="approval"), find_pages).data,
        "zh": render_consultation(make_input(ZH_SOURCE, "zh")).data,
        "findings": render_consultation(make_input(findings=[
            Finding(check="glossary", rule="r", message="On a paragraph.", para="p0003"),
            Finding(check="glossary", rule="r", message="On a footnote.", para="p0014")])).data,
    }
    docs["zh_long"] = render_consultation(make_input(ZH_LONG, "zh")).data
    docs["matrix_en"] = write_docx_matrix(MATRIX, None, title="Test Plan (2026–2030)",
                                          subtitle="Comment matrix — round 2, comments on v3", date="2026-03-02",
                                          language="en")
    docs["matrix_zh"] = write_docx_matrix(MATRIX_ZH, None, title="测试计划（2026—2030年）",
                                          subtitle="意见汇总表（第2轮，针对v3）", date="2026-03-02", language="zh")
    docs["matrix_long"] = write_docx_matrix(MATRIX_LONG, None, title="Test Plan (2026–2030)", date="2026-03-02",
                                            language="en")
    docs["long_table"] = render_consultation(make_input(LONG_TABLE)).data
    docs["short_tables"] = render_final(make_input(SHORT_TABLES)).data
    docs["lead_in_lists"] = render_final(make_input(LEAD_IN_LISTS)).data
    docs["clash_final"] = render_final(make_input(CLASH), find_pages).data
    long_title = replace(make_plan(), title="National Human Rights Action Plan (2031–2035)")
    docs["long_title"] = render_final(replace(make_input(), plan=long_title), find_pages).data
    docs["zh_english_title"] = render_consultation(_english_title_on_a_chinese_cover()).data
    sample = copy_sample(folder / "zh-sample", "zh")  # title == title_zh; a footnote quotes a heading's words
    for mode in ("consultation", "final"):
        docs[f"zh_sample_{mode}"] = _render_sample(sample, folder, mode)
    with pytest.MonkeyPatch.context() as patch:  # no PDF destinations: every heading is looked up by its text
        patch.setattr(page_numbers, "_destinations", lambda pdf: {})
        docs["zh_sample_final_text"] = _render_sample(sample, folder, "final")
    paths = {}
    for name, data in docs.items():
        paths[name] = folder / f"{name}.docx"
        paths[name].write_bytes(data)
    profile_dir = folder / f"lo-{uuid.uuid4().hex}"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile_dir}", "--headless", "--convert-to",
                    PDF_FILTER, "--outdir", str(folder), *map(str, paths.values())],
                   check=True, capture_output=True, timeout=240)
    pdf = {name: subprocess.run(["pdftotext", str(folder / f"{name}.pdf"), "-"], check=True,
                                capture_output=True, text=True).stdout for name in docs}
    layout = {name: subprocess.run(["pdftotext", "-layout", str(folder / f"{name}.pdf"), "-"], check=True,
                                   capture_output=True, text=True).stdout for name in ("zh_long",)}
    fonts = subprocess.run(["pdffonts", str(folder / "zh.pdf")], capture_output=True, text=True).stdout
    return {"data": docs, "paths": paths, "pdf": pdf, "layout": layout, "zh_fonts": fonts, "folder": folder}


def _render_sample(sample: Path, folder: Path, mode: str) -> bytes:
    out = folder / f"zh_sample_{mode}.docx"
    assert main(["--workspace", str(sample), "render", "latest", "--mode", mode, "-o", str(out)]) == 0
    return out.read_bytes()


def test_every_document_opens_in_python_docx_and_libreoffice(rendered):
    import docx
    for name, path in rendered["paths"].items():
        assert docx.Document(str(path)).paragraphs, name
        assert rendered["pdf"][name].strip(), name


def test_consultation_text_round_trips_through_pandoc(rendered):
    text = pandoc_text(rendered["paths"]["consult"])
    assert "Draft for consultation" in text and "v3" in text and "Date: 2 March 2026" in text
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


def test_a_single_finding_left_unattached_is_counted_in_the_singular(mini_ws, tmp_path, capsys, monkeypatch):
    import pipeline.checks
    monkeypatch.setattr(pipeline.checks, "run_all", lambda ws, document: [
        Finding(check="style", rule="x", message="nowhere", para="p9999")])
    assert main(["--workspace", str(mini_ws.root), "render", "--with-findings", "-o", str(tmp_path / "c.docx")]) == 0
    out = capsys.readouterr()
    assert "1 finding not attached (naming no paragraph of this text): warning style/x: nowhere" in " ".join(out.err.split())
    assert "1 findings" not in out.err and "1 footnotes" not in out.out


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


def test_an_image_named_in_chinese_or_with_spaces_renders(tmp_path):
    (tmp_path / "就业 图表.png").write_bytes(png())  # the Markdown parser gives its name percent-encoded
    ok = render_consultation(make_input("![就业](<就业 图表.png>)\n", folder=tmp_path))
    assert document_xml(ok.data).find(f".//{qn('w:drawing')}") is not None


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


def test_a_workspace_reference_made_before_a_style_existed_gets_it_and_keeps_its_own_look(mini_ws, tmp_path):
    """styles/reference-en.docx restyled by the panel before Annex Title existed: the annex title takes the
    shipped style, not Normal, and the panel's Normal stays as the panel made it."""
    shipped = profiles.reference_file(profiles.STYLES_DIR, "en")
    with zipfile.ZipFile(shipped) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    styles = etree.fromstring(parts["word/styles.xml"])
    styles.remove(styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='AnnexTitle']"))
    normal = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Normal']")
    normal.find(f".//{qn('w:sz')}").set(qn("w:val"), "30")  # the panel's larger body text
    parts["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
    (mini_ws.root / "styles").mkdir(exist_ok=True)
    with zipfile.ZipFile(mini_ws.root / "styles" / "reference-en.docx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    output = tmp_path / "final.docx"
    assert main(["--workspace", str(mini_ws.root), "render", "--mode", "final", "--toc-pages", "none",
                 "-o", str(output)]) == 0
    with zipfile.ZipFile(output) as archive:
        rendered = etree.fromstring(archive.read("word/styles.xml"))
    with zipfile.ZipFile(shipped) as archive:
        original = etree.fromstring(archive.read("word/styles.xml"))

    def style(root, ident):
        return etree.tostring(root.find(f"{qn('w:style')}[@{qn('w:styleId')}='{ident}']"))
    assert style(rendered, "AnnexTitle") == style(original, "AnnexTitle")
    assert rendered.find(f"{qn('w:style')}[@{qn('w:styleId')}='Normal']//{qn('w:sz')}").get(qn("w:val")) == "30"


def test_an_expert_chapter_is_not_rendered_as_if_it_were_plan_text(mini_ws, tmp_path, capsys):
    chapter = next((mini_ws.root / "drafts" / "chapters").glob("*.md"))
    output = tmp_path / "chapter.docx"
    assert main(["--workspace", str(mini_ws.root), "render", str(chapter), "-o", str(output)]) == 2
    assert f"{chapter}: an expert chapter is a template that `nhrap draft` fills" in capsys.readouterr().err
    assert not output.exists()


def test_styles_command_writes_reference_documents(tmp_path):
    assert main(["styles", "--write", str(tmp_path)]) == 0
    assert (tmp_path / "reference-zh.docx").read_bytes() == (profiles.STYLES_DIR / "reference-zh.docx").read_bytes()


def test_styles_command_keeps_a_restyled_reference_unless_forced_and_makes_no_folder(tmp_path, capsys):
    restyled = tmp_path / "reference-en.docx"
    restyled.write_bytes(b"the panel's restyled reference")
    assert main(["styles", "--write", str(tmp_path)]) == 2
    assert "reference-en.docx already there, perhaps restyled by the panel; --force replaces them" in \
        capsys.readouterr().err
    assert restyled.read_bytes() == b"the panel's restyled reference" and not (tmp_path / "reference-zh.docx").exists()
    assert main(["styles", "--write", str(tmp_path), "--force"]) == 0
    assert restyled.read_bytes() == (profiles.STYLES_DIR / "reference-en.docx").read_bytes()
    assert main(["styles", "--write", str(tmp_path / "stlyes")]) == 2
    assert "stlyes: no such folder" in capsys.readouterr().err and not (tmp_path / "stlyes").exists()


@pytest.mark.parametrize("language, label", [("en", "Draft for approval"), ("zh", "送审稿")])
def test_a_final_document_of_a_version_not_yet_approved_does_not_say_it_was_agreed(language, label):
    """The document the approving body receives for its decision is laid out as the final one; its cover
    says it is the draft for approval until a version is frozen at the approval stage."""
    source = SOURCE if language == "en" else ZH_SOURCE
    for stage, says in (("examination", label), ("drafting", label), ("approval", "Agreed by the Joint Meeting."),
                        ("assessment", "Agreed by the Joint Meeting.")):
        result = render_final(make_input(source, language, stage=stage), None)
        cover = [p for p in document_xml(result.data).iter(qn("w:p"))
                 if p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}[@{qn('w:val')}='ApprovalStatement']") is not None]
        assert ["".join(t.text for t in p.iter(qn("w:t"))) for p in cover] == [says], stage
        with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8")
        assert ("Approved" in core or "审定" in core) == (says != label), stage


def test_the_word_profiles_are_the_plan_languages():
    """plan.yaml's `profile` and `--profile` are checked against the plan languages, one profile each."""
    from pipeline.readers.config import LANGUAGES
    assert profiles.available() == sorted(LANGUAGES)


@pytest.mark.parametrize("args, message", [
    (["--mode", "final", "--with-findings"], "--with-findings is for a consultation draft"),
    (["--toc-pages", "estimate"], "--toc-pages is for --mode final"),
])
def test_an_option_of_the_other_mode_is_refused_not_dropped(mini_ws, tmp_path, capsys, args, message):
    output = tmp_path / "out.docx"
    assert main(["--workspace", str(mini_ws.root), "render", *args, "-o", str(output)]) == 2
    assert message in capsys.readouterr().err and not output.exists()


def test_final_carries_the_glossary_annex_from_the_workspace(mini_ws, tmp_path):
    import shutil
    shutil.copytree(Path(__file__).resolve().parent.parent / "glossary", mini_ws.root / "glossary")
    chapter = mini_ws.root / "drafts" / "chapters" / "01-esc.md"
    chapter.write_text(chapter.read_text() + "\nReform of household registration will let migrant workers settle; "
                       "the disabled will find work.\n")
    output = tmp_path / "final.docx"
    code = main(["--workspace", str(mini_ws.root), "render", "--mode", "final", "--toc-pages", "estimate",
                 "-o", str(output)])
    assert code == 0
    text = pandoc_text(output)
    annex = text[text.rindex("Glossary"):]
    assert "International equivalent / instrument" in annex  # the words `glossary export` uses
    assert "户籍；户口；户籍制度" in annex and "household registration; hukou" in annex
    assert "ICCPR art. 12(1)" in annex
    assert "persons with disabilities" in annex  # used, though in a deprecated form the annex leaves out:
    assert "the disabled" not in annex
    assert "sense of gain" not in annex  # a term of the term base the plan does not use


def test_a_libreoffice_that_overruns_is_not_run_again_for_the_plain_pdf_filter(monkeypatch):
    """The retry without filter options is for a LibreOffice that refuses them, not one that overran:
    waiting out a second timeout doubled the time before the contents fell back to estimates."""
    from pipeline import libreoffice
    from pipeline.writers import page_numbers
    clock, runs = [0.0], []

    def overrun(source, target, folder, timeout=libreoffice.TIMEOUT):
        runs.append((target, timeout))
        clock[0] += timeout
        return None
    monkeypatch.setattr(libreoffice, "convert", overrun)
    monkeypatch.setattr(page_numbers.time, "monotonic", lambda: clock[0])
    assert page_numbers.layout(b"not a document") is None and len(runs) == 1

    def refuse(source, target, folder, timeout=libreoffice.TIMEOUT):
        runs.append((target, timeout))
        clock[0] += 2
        return None
    runs.clear()
    monkeypatch.setattr(libreoffice, "convert", refuse)
    assert page_numbers.layout(b"not a document") is None
    assert [target for target, _ in runs] == [page_numbers.PDF_FILTER, "pdf"] and runs[1][1] == libreoffice.TIMEOUT - 2


def test_estimated_contents_pages_asked_for_are_not_blamed_on_libreoffice(mini_ws, tmp_path, capsys):
    assert main(["--workspace", str(mini_ws.root), "render", "--mode", "final", "--toc-pages", "estimate",
                 "-o", str(tmp_path / "final.docx")]) == 0
    assert "LibreOffice not available" not in capsys.readouterr().err


def test_contents_pages_estimated_for_want_of_libreoffice_say_so(mini_ws, tmp_path, capsys, monkeypatch):
    from pipeline import libreoffice
    monkeypatch.setattr(libreoffice, "available", lambda: False)
    assert main(["--workspace", str(mini_ws.root), "render", "--mode", "final", "-o", str(tmp_path / "final.docx")]) == 0
    assert "contents page numbers are estimates (LibreOffice not available)" in capsys.readouterr().err


# -- contents page numbers ------------------------------------------------------
def _pages(text: str) -> list[list[str]]:
    return [[" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in text.split("\f")]


def _printed(pages: list[list[str]], footer: str) -> list[int | None]:
    footer_line = re.compile(footer)
    return [next((int(m.group(1)) for m in map(footer_line.match, page) if m), None) for page in pages]


def _contents_and_pages(pages: list[list[str]], printed: list[int | None]) -> list[tuple[str, int, list[int]]]:
    """Each contents entry: (heading, the page number it gives, the printed pages with the heading as a line)."""
    toc = next(page for page in pages if page and page[0].replace(" ", "") in ("目录", "Contents"))
    out = []
    for match in filter(None, (re.match(r"^(.*?)\.{3,}\s*(\d+)$", line) for line in toc)):
        text = match.group(1).replace(" ", "")
        where = [printed[i] for i, page in enumerate(pages)  # a line, or an annex's label and title lines
                 if printed[i] is not None and any("".join(page[k:k + 2]).replace(" ", "") == text
                                                   or line.replace(" ", "") == text for k, line in enumerate(page))]
        out.append((text, int(match.group(2)), where))
    return out


@pytest.mark.parametrize("name", ["zh_sample_final", "zh_sample_final_text"])
def test_final_contents_name_the_pages_the_headings_are_on(rendered, name):
    """Every contents entry of the zh sample names the printed page its heading starts on — also
    二、公民权利和政治权利, whose words open a footnote (《公民权利和政治权利国际公约》) a page earlier —
    found by PDF destinations, and again with none (`_text`: each heading looked up by its line)."""
    pages = _pages(rendered["pdf"][name])
    printed = _printed(pages, r"^—\s*(\d+)\s*—$")
    entries = _contents_and_pages(pages, printed)
    assert len(entries) >= 15
    for text, number, where in entries:
        assert where and where[0] == number, (text, number, where)
    heading = next(number for text, number, _ in entries if text == "二、公民权利和政治权利")
    quoted = [printed[i] for i, page in enumerate(pages) if printed[i] and "公民权利和政治权利国际公约" in "".join(page)]
    assert quoted and quoted[0] < heading  # the trap the text lookup used to fall into


def test_headings_whose_anchors_make_one_bookmark_name_get_their_own_pages(rendered):
    """`{#ch-1}` and `{#ch_1}` would both be bookmark `_ch_1`: the second gets `_ch_1_2`, and the
    contents give each heading its own page."""
    names = [b.get(qn("w:name")) for b in document_xml(rendered["data"]["clash_final"]).iter(qn("w:bookmarkStart"))]
    assert "_ch_1" in names and "_ch_1_2" in names and len(names) == len(set(names))
    pages = _pages(rendered["pdf"]["clash_final"])
    entries = _contents_and_pages(pages, _printed(pages, r"^(\d+)$"))
    assert [text for text, _, _ in entries][1:5] == ["(1)Introduction", "(2)Chapterdash", "(3)Chapterunderscore",
                                                     "(4)Closing"]
    for text, number, where in entries:
        assert where and where[0] == number, (text, number, where)
    assert entries[2][1] < entries[3][1]


def test_heading_lookup_by_text_needs_the_whole_heading_line():
    """Without PDF destinations a heading is found as a line of its own (number and text), not as words
    inside a footnote, and never on the unnumbered contents pages."""
    texts = ["国家人权行动计划", "目 录\n二、公民权利和政治权利.......3",
             "正文\n1 《公民权利和政治权利国际公约》第十二条\n— 1 —",
             "坚持全面依法治国。\n\n— 2 —",
             "二、公民权利和政治权利\n坚持全面依法治国，发展全过程人民民主，完善公民权利和\n— 3 —"]
    printed = printed_numbers(texts, footer_pattern("— {PAGE} —"))
    assert printed == [None, None, 1, 2, 3]
    heading = Heading(1, "公民权利和政治权利", "_cpr", "二、")
    assert page_for_heading_line(texts, printed, heading, 0) == 4
    wrapped = Heading(1, "Economic, social and cultural rights of all persons living in the country", "_esc", "I. ")
    texts = ["Contents\nI. Economic, social and cultural rights of all ....... 1", "Text\n1",
             "I. Economic, social and cultural rights of all persons\nliving in the country\n2"]
    printed = printed_numbers(texts, footer_pattern("{PAGE}"))
    assert page_for_heading_line(texts, printed, wrapped, 0) == 2
    assert printed_numbers(["a\n1", "no footer read", "c\n3"], footer_pattern("{PAGE}")) == [1, 2, 3]
    # an annex: its label on a line of its own, the title below it; not the label alone, nor the title
    annex = Heading(1, "国家人权行动计划联席会议成员单位", "_Annex1", "附件1  ")
    texts = ["目 录\n附件1 国家人权行动计划联席会议成员单位......12", "见附件1\n— 11 —",
             "附件1\n\n国家人权行动计划联席会议成员单位\n党的机关（1）\n— 12 —"]
    printed = printed_numbers(texts, footer_pattern("— {PAGE} —"))
    assert page_for_heading_line(texts, printed, annex, 0) == 2
    assert page_for_heading_line(["x", "附件1\n见正文\n— 1 —"], [None, 1], annex, 0) is None


@pytest.mark.parametrize("name", ["zh_sample_final", "clash_final", "final"])
def test_bookmarks_are_named_as_libreoffice_writes_pdf_destinations(rendered, name):
    """Every heading bookmark of a final document is found among its PDF's named destinations."""
    pdf = rendered["folder"] / f"{name}.pdf"
    destinations = subprocess.run(["pdfinfo", "-dests", str(pdf)], check=True, capture_output=True,
                                  text=True).stdout
    written = set(re.findall(r'"(.*)"\s*$', destinations, re.M))
    bookmarks = {b.get(qn("w:name")) for b in document_xml(rendered["data"][name]).iter(qn("w:bookmarkStart"))}
    assert bookmarks and {lo_destination_name(b) for b in bookmarks} == written
    # LibreOffice percent-encodes before its hex step: the name it gives a second `_ch_1`
    assert lo_destination_name("_ch_1 Copy 1") == "5Fch5F12520Copy25201"


# -- page layout ------------------------------------------------------------------
def test_chinese_consultation_pages_hold_22_lines_of_28_characters(rendered):
    """GB/T 9704: a full page has 22 numbered lines, a full line 28 characters (LibreOffice layout)."""
    counts, widths = [], []
    for page in rendered["layout"]["zh_long"].split("\f")[1:]:
        numbers = [int(m.group(1)) for m in (re.match(r"^\s{0,3}(\d{1,2})\s", line) for line in page.splitlines()) if m]
        counts.append(max(numbers, default=0))
        widths += [len(re.sub(r"\s|\[p\d+\]", "", line)) - len(str(n))
                   for line in page.splitlines() for n in [re.match(r"^\s{0,3}(\d{1,2})\s", line)] if n
                   for n in [n.group(1)]]
    assert max(counts) == 22 and sorted(counts)[len(counts) // 2] >= 21
    assert max(widths) == 28


def test_reference_documents_default_to_single_lines_on_the_grid_and_chinese_for_east_asian_text():
    for name in ("en", "zh"):
        with zipfile.ZipFile(profiles.STYLES_DIR / f"reference-{name}.docx") as archive:
            styles = etree.fromstring(archive.read("word/styles.xml"))
        defaults = styles.find(qn("w:docDefaults"))
        spacing = defaults.find(f".//{qn('w:pPrDefault')}//{qn('w:spacing')}")
        assert spacing.get(qn("w:line")) == "240" and spacing.get(qn("w:after")) == "0"
        assert defaults.find(f".//{qn('w:lang')}").get(qn("w:eastAsia")) == "zh-CN"
        assert "Theme" not in etree.tostring(defaults).decode()  # no Calibri/Cambria theme fonts
        normal = next(s for s in styles.iter(qn("w:style")) if s.get(qn("w:styleId")) == "Normal")
        assert normal.find(f".//{qn('w:spacing')}[@{qn('w:line')}]").get(qn("w:line")) == "240"
    # the samples carry the same reference documents
    packaged = profiles.STYLES_DIR
    assert (REPO / "styles" / "reference-en.docx").read_bytes() == (packaged / "reference-en.docx").read_bytes()
    assert ((REPO / "examples" / "zh" / "styles" / "reference-zh.docx").read_bytes()
            == (packaged / "reference-zh.docx").read_bytes())


def _words_on_pages(pdf: Path) -> list[list[tuple[float, float, float, str]]]:
    """Each page's words as (xMin, xMax, vertical centre, text), from pdftotext -bbox."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    word = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</word>')
    return [[(float(x0), float(x1), (float(y0) + float(y1)) / 2, text) for x0, y0, x1, y1, text in word.findall(page)]
            for page in boxes.split("<page ")[1:]]


@pytest.mark.parametrize("name, note", [("consult", "Employment"), ("zh", "注释内容。")])
def test_footnote_lines_are_not_line_numbered(rendered, name, note):
    """Word never numbers footnote lines; LibreOffice did (1, 2 … again below the body's numbers), so a
    cited "line 1" named two lines of the page."""
    margin = int(document_xml(rendered["data"][name]).find(f".//{qn('w:pgMar')}").get(qn("w:left"))) / 20
    page = next(words for words in _words_on_pages(rendered["folder"] / f"{name}.pdf")
                if any(text == note for *_, text in words))
    numbers = [centre for _, x_max, centre, text in page if text.isdigit() and x_max < margin - 4]
    assert numbers  # the body's lines are numbered
    footnote = next(centre for *_, centre, text in page if text == note)
    assert all(abs(centre - footnote) > 4 for centre in numbers)


def test_a_chinese_annex_has_its_label_top_left_and_its_title_centred_in_the_title_size(rendered):
    """GB/T 9704: "附件1" at the top left of the text block, the annex title centred below it in the
    title's size (22 pt), more prominent than the bold category lines under it (16 pt)."""
    title = "国家人权行动计划联席会议成员单位"
    page = next(words for words in _words_on_pages(rendered["folder"] / "zh_sample_final.pdf")
                if any(text == title for *_, text in words))
    label = next(word for word in page if word[3] == "附件")
    heading = next(word for word in page if word[3] == title)
    below = next(word for word in page if word[3].startswith("党的机关"))
    root = document_xml(rendered["data"]["zh_sample_final"])
    size, margins = root.find(f".//{qn('w:pgSz')}"), root.find(f".//{qn('w:pgMar')}")
    left = int(margins.get(qn("w:left"))) / 20
    right = (int(size.get(qn("w:w"))) - int(margins.get(qn("w:right")))) / 20
    assert abs(label[0] - left) < 1 and label[2] < heading[2] < below[2]
    assert abs((heading[0] + heading[1]) / 2 - (left + right) / 2) < 2
    assert abs((heading[1] - heading[0]) / len(title) - 22) < 0.5
    assert (heading[1] - heading[0]) / len(title) > 1.3 * (below[1] - below[0]) / len(below[3])


def test_documents_declare_their_fonts_with_hints_for_a_substitute(rendered):
    """python-docx's template declared Cambria and ＭＳ 明朝 and none of the Chinese fonts: on a machine
    without the GB fonts Word had no hint what to put in their place."""
    from pipeline.writers.reference_doc import style_fonts

    def parts(data: bytes) -> tuple[etree._Element, dict[str, etree._Element]]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            fonts = etree.fromstring(archive.read("word/fontTable.xml"))
            return etree.fromstring(archive.read("word/styles.xml")), {
                f.get(qn("w:name")): f for f in fonts.iter(qn("w:font"))}

    def hint(font: etree._Element, tag: str) -> str:
        return font.find(qn(f"w:{tag}")).get(qn("w:val"))
    for name in ("consult", "zh", "matrix_zh"):
        styles, declared = parts(rendered["data"][name])
        assert list(declared) == style_fonts(styles) and "Cambria" not in declared, name
    _, declared = parts(rendered["data"]["zh"])
    for font, alt, family in (("仿宋_GB2312", "仿宋", "roman"), ("楷体_GB2312", "楷体", "roman"),
                              ("黑体", "SimHei", "swiss"), ("方正小标宋简体", "宋体", "roman")):
        assert (hint(declared[font], "altName"), hint(declared[font], "family")) == (alt, family), font
        assert hint(declared[font], "charset") == "86" and hint(declared[font], "panose1").startswith("0201")


def test_chinese_table_cells_share_one_baseline(rendered):
    """A cell holding only digits is set in the Latin font; with line heights from the fonts it sat
    higher than the Chinese cells beside it."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(rendered["folder"] / "zh.pdf"), "-"], check=True,
                           capture_output=True, text=True).stdout
    top = {word: float(y) for y, word in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]+)</word>', boxes)}
    assert abs(top["2030"] - top["城镇调查失业率"]) < 0.5 and abs(top["2028"] - top["企业劳动合同签订率"]) < 0.5


def test_no_character_is_lost_in_the_chinese_pdf(rendered):
    """LibreOffice drops a full stop that would hang past a full 28-character justified line unless
    punctuation overflow is set explicitly: every 。 of the text reaches the PDF."""
    for name in ("zh_sample_consultation", "zh_sample_final", "zh_long"):
        text = pandoc_text(rendered["paths"][name])
        assert rendered["pdf"][name].count("。") == text.count("。"), name


# -- tables -----------------------------------------------------------------------
def test_indicator_table_columns_hold_their_words(rendered):
    """Deadline and Kind columns are wide enough for their header and values (no "Dea/dlin/e")."""
    for name in ("consult", "final"):
        assert {"Deadline", "Kind", "binding", "expected"} <= set(rendered["pdf"][name].split()), name
    assert {"完成时限", "属性", "约束性", "预期性"} <= set(rendered["pdf"]["zh"].split())
    root = document_xml(rendered["data"]["consult"])
    grid = [int(c.get(qn("w:w"))) for c in root.find(f".//{qn('w:tblGrid')}")]
    assert grid[2] >= text_twips("Deadline", 10.5, bold=True) + CELL_MARGINS
    assert grid[3] >= text_twips("expected", 10.5) + CELL_MARGINS


def test_column_widths_are_deterministic_and_fill_the_table():
    rows = [[["Indicator"], ["Target"], ["Deadline"], ["Kind"]],
            [["Surveyed urban unemployment rate within the period of the plan"], ["at most 5.5%"], ["2030"],
             ["binding"]]]
    widths = column_widths(rows, 9000, 10.5)
    assert widths == column_widths(rows, 9000, 10.5) and sum(widths) == 9000
    assert widths[0] == max(widths)
    assert min(column_widths(rows, 1000, 10.5)) >= 0  # too narrow a table still adds up
    assert sum(column_widths(rows, 1000, 10.5)) == 1000


def test_chinese_unit_names_are_not_broken_in_tables(rendered):
    """人力资源和社会保障部 wrapped with 部 alone on a second line while the 指标 column beside it had room, in
    the plan's indicator tables and the comment matrix's 单位 column."""
    for name in ("zh_sample_consultation", "zh_sample_final", "matrix_zh"):
        lines = [line.strip() for line in rendered["pdf"][name].splitlines()]
        assert "人力资源和社会保障部" in lines, name
        assert "部" not in lines and "人力资源和社会保障" not in lines, name


def test_a_chinese_name_column_gets_its_longest_name_and_an_english_one_wraps_at_spaces():
    name = "人力资源和社会保障部"
    rows = [[["指标"], ["目标值"], ["完成时限"], ["属性"], ["牵头单位"]],
            [["城镇调查失业率"], ["不高于5.5%"], ["2030"], ["约束性"], [name]],
            [["政府投资项目拖欠农民工工资"], ["全面消除"], ["2027"], ["约束性"], [name]]]
    widths = column_widths(rows, 8844, 12)
    assert widths[4] >= text_twips(name, 12) + CELL_MARGINS and sum(widths) == 8844
    english = "Ministry of Human Resources and Social Security"
    rows = [[["Indicator"], ["Target"], ["Deadline"], ["Kind"], ["Lead unit"]],
            [["Mechanism guaranteeing no wage arrears on government-funded projects"], ["in place"], ["2027"],
             ["binding"], [english]]]
    assert column_widths(rows, 8900, 10.5)[4] < text_twips(english, 10.5) + CELL_MARGINS


def test_a_table_has_room_above_it_and_stays_with_its_lead_in(rendered):
    """In the Chinese final a table sat right under the list item before it (tables had 6 pt after only)."""
    from pipeline.writers.docx_columns import TABLE_GAP, style_spacing
    for name in ("zh_sample_final", "zh_sample_consultation"):
        with zipfile.ZipFile(io.BytesIO(rendered["data"][name])) as archive:
            styles = etree.fromstring(archive.read("word/styles.xml"))
        body = document_xml(rendered["data"][name]).find(qn("w:body"))
        tables = [child for child in body if child.tag == qn("w:tbl")]
        assert tables, name
        text_before = [tbl.getprevious().find(qn("w:pPr")) for tbl in tables]  # a paragraph or list item
        text_before = [ppr for ppr in text_before if ppr is not None and ppr.find(qn("w:pStyle")) is not None
                       and ppr.find(qn("w:pStyle")).get(qn("w:val")) in ("BodyText", "ListParagraph")]
        assert text_before, name
        for ppr in text_before:
            assert ppr.find(qn("w:keepNext")) is not None, name
            spacing = ppr.find(qn("w:spacing"))
            after = spacing.get(qn("w:after")) if spacing is not None else None
            style = ppr.find(qn("w:pStyle")).get(qn("w:val"))
            assert (int(after) if after else style_spacing(styles, style, "after")) >= TABLE_GAP, (name, style)


def _kept_whole(data: bytes) -> list[list[bool]]:
    """For each table, whether each row carries w:cantSplit (is not broken across pages)."""
    return [[tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in tbl.iter(qn("w:tr"))]
            for tbl in document_xml(data).iter(qn("w:tbl"))]


def test_table_rows_are_not_broken_across_pages(rendered):
    """A row breaking at the foot of a page left its last line alone under the repeated header row."""
    pages = [" ".join(page.split()) for page in rendered["pdf"]["long_table"].split("\f")]
    assert len(pages) > 3
    for i in range(1, 41):
        assert any(f"Row {i} starts" in page and f"row {i} ends" in page for page in pages), i
    for name in ("long_table", "consult", "zh", "zh_sample_final", "matrix_en", "matrix_zh"):
        assert all(all(rows) for rows in _kept_whole(rendered["data"][name])), name
    glossary = _kept_whole(rendered["data"]["zh_sample_final"])[-1]  # the annex: a row per term
    assert len(glossary) > 20


def test_a_matrix_row_taller_than_half_a_page_may_break(rendered):
    """Kept whole it would leave most of a page empty, and Word cuts off a row taller than the page."""
    assert _kept_whole(rendered["data"]["matrix_long"]) == [[True, True, True, False, True]]
    text = rendered["pdf"]["matrix_long"]
    assert len(text.split("\f")) > 2 and text.count("rural") == 120  # on several pages, none of it cut off


# -- comment matrix ---------------------------------------------------------------
def test_comment_matrix_uses_the_plan_look_and_unbroken_headers(rendered):
    for name, headers in (("matrix_en", MATRIX.headers), ("matrix_zh", MATRIX_ZH.headers)):
        data = rendered["data"][name]
        root = document_xml(data)
        styles = [s.get(qn("w:val")) for s in root.iter(qn("w:pStyle"))]
        assert styles[:2] == ["Title", "Subtitle"] and "TableText" in styles
        assert root.find(f".//{qn('w:pgSz')}").get(qn("w:orient")) == "landscape"
        assert root.find(f".//{qn('w:tblStyle')}").get(qn("w:val")) == "PlanTable"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            styles_xml = archive.read("word/styles.xml").decode()
        assert ("仿宋_GB2312" if name == "matrix_zh" else "Times New Roman") in styles_xml
        assert {h for h in headers if " " not in h} <= set(rendered["pdf"][name].split()), name
    assert "round 2, comments on v3" in rendered["pdf"]["matrix_en"]


# -- Chinese covers ---------------------------------------------------------------
def test_a_cover_title_is_not_broken_inside_its_period(rendered):
    # at this size the line is full after the dash; the period must go to the next line whole
    assert rendered["pdf"]["long_title"].split("\f")[0].splitlines()[:2] == [
        "National Human Rights Action Plan", "(2031–2035)"]


def _english_title_on_a_chinese_cover():
    inp = make_input(language="zh")
    inp.plan = replace(inp.plan, title="The National Human Rights Action Plan of the P.R. of China (2026–2030)")
    return inp


def test_the_other_languages_title_on_a_consultation_cover_keeps_its_period_whole(rendered):
    """On a Chinese cover LibreOffice broke 'The National Human Rights Action Plan of the P.R. of China (2026–'
    and put '2030)' alone on the next line."""
    body = document_xml(rendered["data"]["zh_english_title"])
    texts = ["".join(p.itertext()) for p in body.iter(qn("w:p"))]
    assert "The National Human Rights Action Plan of the P.R. of China (2026–\u20602030)" in texts
    assert "测试计划（2026—\u20602030年）" in texts
    cover = [" ".join(line.split()) for line in rendered["pdf"]["zh_english_title"].split("\f")[0].splitlines()]
    assert any(line.endswith("(2026–2030)") for line in cover) and not any(line.endswith("(2026–") for line in cover)


def test_chinese_covers_are_chinese(rendered):
    consult = rendered["pdf"]["zh_sample_consultation"].split("\f")[0].replace(" ", "")
    assert "版本：v3" in consult and "日期：2026年3月26日" in consult and "阶段：征求意见" in consult
    assert ": " not in consult and "consultation" not in consult
    assert consult.count("国家人权行动计划（2026—2030年）") == 1  # title == title_zh: printed once
    final = rendered["pdf"]["zh_sample_final"].split("\f")[0].replace(" ", "")
    assert "2026年3月26日" in final and "2026-03-26" not in final


def test_a_member_group_label_stays_on_the_page_of_its_members():
    """A bold label ("People's groups (1)") at the foot of a page with its members on the next reads as an
    empty group: the label keeps with the paragraph after it."""
    body = document_xml(render_final(make_input(stage="approval")).data).find(qn("w:body"))
    paragraphs = list(body.iter(qn("w:p")))
    texts = ["".join(t.text for t in p.iter(qn("w:t"))) for p in paragraphs]
    label = texts.index("People's groups (1)")
    assert paragraphs[label].find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    assert texts[label + 1] == "All-China Federation of Trade Unions"


def _pages_of_each(pages: list[list[str]], belongs) -> list[set[int]]:
    """For each of the 48 numbered items of a layout test, the pages its lines (`belongs(i, line)`) stand on."""
    return [{n for n, page in enumerate(pages) for line in page if belongs(i, line)} for i in range(1, 49)]


def test_a_short_table_stays_on_one_page_with_the_paragraph_leading_into_it(rendered):
    """Four dozen 4-row tables at varied places on the page: each lands on one page, its lead-in with it."""
    pages = _pages(rendered["pdf"]["short_tables"])
    where = _pages_of_each(pages, lambda i, line: line == f"Table {i} as follows:" or line.startswith(f"T{i} row "))
    assert all(len(found) == 1 for found in where), where
    assert len(pages) > 12  # the tables do fall at the foot of pages


def test_a_paragraph_leading_into_a_list_is_on_the_page_of_its_first_item(rendered):
    """As LibreOffice lays them out: "… measures are:" never ends a page with its list on the next."""
    pages = _pages(rendered["pdf"]["lead_in_lists"])
    where = _pages_of_each(pages, lambda i, line: line == f"List {i} measures are:" or line.endswith(f"L{i} item 1."))
    assert all(len(found) == 1 for found in where), where
    assert len(pages) > 10


def test_only_short_tables_are_kept_together_and_long_ones_still_break(rendered):
    def kept_rows(name):
        table = document_xml(rendered["data"][name]).find(f"{qn('w:body')}/{qn('w:tbl')}")
        rows = table.findall(qn("w:tr"))
        return [all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in tr.iter(qn("w:p")))
                for tr in rows]
    assert kept_rows("short_tables") == [True] * 4 + [False]  # the last row need not keep with what follows
    assert not any(kept_rows("long_table"))


AFTER_TABLES = """\
# Tables {#esc}

The goals:

| Indicator | Target |
|---|---|
| Rate | 5.5% |

- A list item right below the table.

| Indicator | Target |
|---|---|
| Rate | 5.5% |

A paragraph right below the table.

| Indicator | Target |
|---|---|
| Rate | 5.5% |

## Right to health {#esc-health}
"""


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("render", [render_consultation, render_final])
def test_text_after_a_table_does_not_touch_its_bottom_border(language, render):
    """The list item or paragraph below a table gets 6 pt above it; a heading keeps its own larger space."""
    body = document_xml(render(make_input(AFTER_TABLES, language, stage="approval")).data).find(qn("w:body"))
    children = list(body)
    after = [children[i + 1] for i, child in enumerate(children[:-1]) if child.tag == qn("w:tbl")]
    assert len(after) == 3
    for p in after[:2]:
        assert int(p.find(f"{qn('w:pPr')}/{qn('w:spacing')}").get(qn("w:before"))) >= 120
    heading = after[2]
    assert heading.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "Heading2"
    spacing = heading.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert (spacing is None) == (language == "en")  # en: Heading 2 has 12 pt before; zh headings have none


@pytest.mark.parametrize("language, shown", [("en", "12 May 2026"), ("zh", "2026年5月12日")])
def test_cover_dates_are_written_as_the_plan_language_writes_them(language, shown):
    """An English cover read "2026-05-12": a date is written out as English and Chinese readers write it."""
    inp = make_input(language=language, stage="approval")
    inp.version.date = "2026-05-12"
    for render in (render_final, render_consultation):
        texts = ["".join(t.text for t in p.iter(qn("w:t"))) for p in document_xml(render(inp).data).iter(qn("w:p"))]
        assert any(text.endswith(shown) for text in texts), render
        assert not any("2026-05-12" in text for text in texts)


def test_a_matrix_paragraph_id_and_its_note_do_not_break_mid_word(rendered):
    """The 段落 column broke "p0007（已改动）" as "p0007（已 / 改动）": the id and the note now stand on lines
    of their own, each whole."""
    lines = [line.strip() for line in rendered["pdf"]["matrix_zh"].splitlines()]
    assert "p0007" in lines and "（已改动）" in lines
    assert not any(line.endswith(("（已", "（已改")) for line in lines)


@pytest.mark.parametrize("lead_in, keeps", [("The measures in this area are:", True), ("具体措施如下：", True),
                                            ("Wages will be paid on time.", False)])
def test_a_lead_in_ending_with_a_colon_keeps_with_its_list(lead_in, keeps):
    """"The measures in this area are:" alone at the foot of a page, its bullets on the next, reads wrong."""
    for render in (render_consultation, render_final):
        root = document_xml(render(make_input(f"Para.\n\n{lead_in}\n\n- One.\n- Two.\n")).data)
        paragraph = next(p for p in root.iter(qn("w:p")) if "".join(t.text or "" for t in p.iter(qn("w:t")))
                         .endswith(lead_in))
        assert (paragraph.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None) == keeps
