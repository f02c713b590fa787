"""Redlines: Word tracked changes that accept to version B and reject to version A (read by pandoc)."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from pipeline.diff import ParagraphChange
from pipeline.model import Plan
from pipeline.readers.markdown import read_markdown
from pipeline.writers import profiles
from pipeline.writers.docx_document import RenderInput, VersionInfo
from pipeline.writers.docx_redline import redline_entries, render_redline
from pipeline.writers.ooxml import qn

OLD = """\
# Introduction {#intro}

The first paragraph stays the same.

This sentence will be **edited** by the drafters today.[^a]

This paragraph will be deleted entirely.

- item one
- item two

| Indicator | Target |
|---|---|
| Unemployment | 5.5% |

```
old code
```

[^a]: Old note.
"""
NEW = """\
# Introduction and aims {#intro}

The first paragraph stays the same.

This sentence was **revised** by the drafters yesterday.[^a]

A brand new paragraph is inserted.

- item one
- item two changed

| Indicator | Target |
|---|---|
| Unemployment | 5.0% |

```
new code
```

[^a]: New note text.
"""
OLD_IDS = ["p0001", "p0002", "p0003", "p0004", "p0005", "p0006", "p0007", "p0008", "p0009"]
NEW_IDS = ["p0001", "p0002", "p0003", "p0010", "p0005", "p0006", "p0007", "p0008", "p0009"]


def document(source, ids):
    doc = read_markdown(source, {"intro"})
    for block, block_id in zip(doc.blocks, ids):
        block.id = block_id
    return doc


def render(old: str, new: str, old_ids: list[str], new_ids: list[str]) -> bytes:
    profile = profiles.load_profile("en")
    inp = RenderInput(document(new, new_ids), Plan(title="Plan", period_start=2026, period_end=2030), profile,
                      profiles.reference_path(profile, None), VersionInfo("v1 → v2", "2026-03-02", "drafting", 2))
    return render_redline(inp, document(old, old_ids), "Drafting group").data


@pytest.fixture(scope="module")
def redline(tmp_path_factory):
    data = render(OLD, NEW, OLD_IDS, NEW_IDS)
    path = tmp_path_factory.mktemp("redline") / "redline.docx"
    path.write_bytes(data)
    return path


def pandoc(path, mode):
    return subprocess.run(["pandoc", f"--track-changes={mode}", "-t", "plain", "--wrap=none", str(path)],
                          check=True, capture_output=True, text=True).stdout


def squash(text):
    return " ".join(text.replace("-", " ").split())


def test_accepting_all_changes_gives_version_b(redline):
    text = squash(pandoc(redline, "accept"))
    for expected in ("Introduction and aims", "This sentence was revised by the drafters yesterday.",
                     "A brand new paragraph is inserted.", "item two changed", "5.0%", "New note text."):
        assert expected in text
    for gone in ("deleted entirely", "today", "5.5%", "Old note"):
        assert gone not in text


def test_rejecting_all_changes_gives_version_a(redline):
    text = squash(pandoc(redline, "reject"))
    for expected in ("Introduction", "This sentence will be edited by the drafters today.",
                     "This paragraph will be deleted entirely.", "item two", "5.5%", "Old note."):
        assert expected in text
    for gone in ("and aims", "revised", "brand new", "changed", "5.0%", "New note text"):
        assert gone not in text


def test_changes_carry_author_and_date_and_are_word_level(redline):
    with zipfile.ZipFile(redline) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    insertions = list(root.iter(qn("w:ins")))
    assert insertions and all(i.get(qn("w:author")) == "Drafting group" for i in insertions)
    assert {i.get(qn("w:date")) for i in insertions} == {"2026-03-02T00:00:00Z"}
    deleted = ["".join(t.text for t in d.iter(qn("w:delText"))) for d in root.iter(qn("w:del"))]
    assert "will be edited" in " ".join(deleted)  # only the changed words, not the whole sentence
    assert not any("The first paragraph" in d for d in deleted)
    # pandoc drops tracked runs inside code blocks, so check the XML: old code deleted, new code inserted
    assert "old code" in deleted and "new code" in ["".join(t.text for t in i.iter(qn("w:t"))) for i in insertions]
    ids = [e.get(qn("w:id")) for e in root.iter(qn("w:ins"), qn("w:del"))]
    assert len(ids) == len(set(ids))


def test_redline_marks_a_change_as_nhrap_diff_does():
    """Both keep the shared space outside the change: [-full-]{+decent+} work, not [-full -]{+decent +}work."""
    old, new = "The state promotes full work for all.", "The state promotes decent work for all."
    with zipfile.ZipFile(io.BytesIO(render(old + "\n", new + "\n", ["p0001"], ["p0001"]))) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    deleted = ["".join(t.text for t in d.iter(qn("w:delText"))) for d in root.iter(qn("w:del"))]
    inserted = ["".join(t.text for t in i.iter(qn("w:t"))) for i in root.iter(qn("w:ins"))]
    words = ParagraphChange("p0001", "", old, new).words
    assert deleted == [text for op, text in words if op == -1] == ["full"]
    assert inserted == [text for op, text in words if op == 1] == ["decent"]


def test_deleted_blocks_follow_their_surviving_predecessor():
    entries = redline_entries(document(OLD, OLD_IDS), document(NEW, NEW_IDS))
    order = [(e.block.id, e.status) for e in entries]
    assert order[:5] == [("p0001", "edited"), ("p0002", ""), ("p0003", "edited"), ("p0004", "deleted"),
                         ("p0010", "inserted")]
    assert ("p0008", "deleted") in order and ("p0008", "inserted") in order  # code is replaced whole


def test_table_columns_fit_deleted_and_inserted_words():
    """A redlined indicator table shows old and new values: columns fit both, and their headers."""
    from pipeline.writers.docx_columns import CELL_MARGINS, text_twips
    old = "| Indicator | Deadline | Kind |\n|---|---|---|\n| Surveyed urban unemployment rate | 2030 | expected |\n"
    new = "| Indicator | Deadline | Kind |\n|---|---|---|\n| Surveyed urban unemployment rate | 2028 | binding |\n"
    profile = profiles.load_profile("en")
    inp = RenderInput(document(new, ["p0001"]), Plan(title="Plan", period_start=2026, period_end=2030), profile,
                      profiles.reference_path(profile, None), VersionInfo("v1 → v2", "2026-03-02", "drafting", 2))
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(render_redline(inp, document(old, ["p0001"]), "nhrap").data))
                         .read("word/document.xml"))
    grid = [int(c.get(qn("w:w"))) for c in root.find(f".//{qn('w:tblGrid')}")]
    deleted = "".join(t.text for t in root.iter(qn("w:delText")))
    assert "expected" in deleted  # the old value is in the table, as a deletion
    assert grid[1] >= text_twips("Deadline", 10.5, bold=True) + CELL_MARGINS
    assert grid[2] >= text_twips("expected", 10.5) + CELL_MARGINS


TABLE_OLD = """\
| Indicator | Target | Lead unit |
|---|---|---|
| Surveyed urban unemployment rate | at most 5.5% | Ministry of Human Resources and Social Security |
| Labour-contract signing rate | at least 92% | Ministry of Human Resources and Social Security |
| Wage arrears mechanism | in all provinces | Ministry of Human Resources and Social Security |
| Share of skilled workers | at least 30% | Ministry of Human Resources and Social Security |
"""
TABLE_NEW = """\
| Indicator | Target | Lead unit |
|---|---|---|
| Surveyed urban unemployment rate | at most 5.5% | Ministry of Human Resources and Social Security |
| Labour-contract signing rate | at least 93% | Ministry of Human Resources and Social Security |
| Share of employees taking paid annual leave | at least 85% | All-China Federation of Trade Unions |
| Share of skilled workers | at least 30% | Ministry of Human Resources and Social Security |
"""
TABLE_ZH_OLD = "| 指标 | 目标值 | 牵头单位 |\n|---|---|---|\n| 城镇调查失业率 | 5.5%以内 | 人力资源和社会保障部 |\n| 企业职工劳动合同签订率 | 92%以上 | 人力资源和社会保障部 |\n"
TABLE_ZH_NEW = ("| 指标 | 目标值 | 牵头单位 |\n|---|---|---|\n| 城镇调查失业率 | 5.5%以内 | 人力资源和社会保障部 |\n"
                "| 企业职工劳动合同签订率 | 93%以上 | 人力资源和社会保障部 |\n| 职工带薪年休假落实率 | 85%以上 | 中华全国总工会 |\n")


def table_redline(old: str, new: str, language: str = "en") -> bytes:
    profile = profiles.load_profile(language)
    inp = RenderInput(document(new, ["p0001"]), Plan(title="Plan", period_start=2026, period_end=2030), profile,
                      profiles.reference_path(profile, None), VersionInfo("v5", "2026-03-02", "drafting", 5))
    return render_redline(inp, document(old, ["p0001"]), "Drafting group").data


def document_root(data: bytes):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def settled_rows(root, accept: bool) -> list[list[str]]:
    """The table's rows as Word shows them once every change is accepted (or rejected): a row tracked as
    deleted (inserted) goes, and so does deleted (inserted) text."""
    gone = qn("w:del") if accept else qn("w:ins")
    rows = []
    for tr in root.iter(qn("w:tr")):
        if tr.find(f"{qn('w:trPr')}/{gone}") is not None:
            continue
        rows.append(["".join(t.text for t in tc.iter(qn("w:t"), qn("w:delText"))
                             if not any(a.tag == gone for a in t.iterancestors(gone))) for tc in tr.iter(qn("w:tc"))])
    return rows


def markdown_rows(table: str) -> list[list[str]]:
    lines = [line for line in table.strip().split("\n") if not line.startswith("|---")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def pandoc_rows(path, mode) -> list[list[str]]:
    """The table's non-empty rows as pandoc reads them (pandoc 2.17 keeps a row tracked as inserted or
    deleted, emptied of its text)."""
    html = subprocess.run(["pandoc", f"--track-changes={mode}", "-t", "html", str(path)],
                          check=True, capture_output=True, text=True).stdout
    table = etree.fromstring(html[html.index("<table"):html.index("</table>") + 8], etree.HTMLParser())
    rows = [[" ".join("".join(cell.itertext()).split()) for cell in tr.iter("th", "td")] for tr in table.iter("tr")]
    return [row for row in rows if any(row)]


@pytest.mark.parametrize("old, new, language", [(TABLE_OLD, TABLE_NEW, "en"), (TABLE_ZH_OLD, TABLE_ZH_NEW, "zh")])
def test_a_table_redline_shows_rows_inserted_deleted_and_edited(old, new, language):
    """One row added, one deleted, one cell changed: the table is shown once, not struck out and copied."""
    root = document_root(table_redline(old, new, language))
    tables = root.findall(f".//{qn('w:tbl')}")
    assert len(tables) == 1
    rows = tables[0].findall(qn("w:tr"))
    old_rows, new_rows = markdown_rows(old), markdown_rows(new)
    assert len(rows) == {"en": 6, "zh": 4}[language]  # header, kept, edited, (deleted,) inserted (, kept)
    marks = {kind: [tr for tr in rows if tr.find(f"{qn('w:trPr')}/{qn(kind)}") is not None] for kind in ("w:ins", "w:del")}
    assert len(marks["w:ins"]) == 1 and len(marks["w:del"]) == (language == "en")
    for tr in marks["w:ins"] + marks["w:del"]:
        mark = tr.find(qn("w:trPr"))[-1]
        assert mark.get(qn("w:id")) and mark.get(qn("w:author")) == "Drafting group"
        assert mark.get(qn("w:date")) == "2026-03-02T00:00:00Z"
    inserted = [("".join(t.text for t in tc.iter(qn("w:t"))), tc.find(f".//{qn('w:ins')}") is not None)
                for tc in marks["w:ins"][0].iter(qn("w:tc"))]
    assert inserted == [(cell, True) for cell in new_rows[3]]
    if language == "en":
        deleted = ["".join(t.text for t in tc.iter(qn("w:delText"))) for tc in marks["w:del"][0].iter(qn("w:tc"))]
        assert deleted == old_rows[3] and not list(marks["w:del"][0].iter(qn("w:t")))
    header = rows[0]
    assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert not list(header.iter(qn("w:ins"), qn("w:del")))
    unchanged = rows[1]
    assert not list(unchanged.iter(qn("w:ins"), qn("w:del")))
    edited = rows[2]
    assert ["".join(t.text for t in d.iter(qn("w:delText"))) for d in edited.iter(qn("w:del"))] == ["92%"]
    assert ["".join(t.text for t in i.iter(qn("w:t"))) for i in edited.iter(qn("w:ins"))] == ["93%"]
    assert settled_rows(root, accept=True) == new_rows
    assert settled_rows(root, accept=False) == old_rows


def test_a_table_redline_accepts_to_the_new_table_and_rejects_to_the_old(tmp_path):
    path = tmp_path / "table.docx"
    path.write_bytes(table_redline(TABLE_OLD, TABLE_NEW))
    assert pandoc_rows(path, "accept") == markdown_rows(TABLE_NEW)
    assert pandoc_rows(path, "reject") == markdown_rows(TABLE_OLD)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_lays_out_a_table_with_tracked_rows(tmp_path):
    from pipeline import libreoffice
    path = tmp_path / "table.docx"
    path.write_bytes(table_redline(TABLE_OLD, TABLE_NEW))
    pdf = libreoffice.convert(path, "pdf", tmp_path)
    assert pdf is not None
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())
    assert "Share of employees taking paid annual leave" in text and "Wage arrears mechanism" in text
    assert text.count("Share of skilled workers") == 1  # the table once, not a deleted copy and a new one


def test_a_table_whose_columns_changed_is_replaced_whole():
    old = "| Indicator | Target |\n|---|---|\n| Unemployment | 5.5% |\n"
    new = "| Indicator | Target | Deadline |\n|---|---|---|\n| Unemployment | 5.5% | 2030 |\n"
    entries = redline_entries(document(old, ["p0001"]), document(new, ["p0001"]))
    assert [(e.block.id, e.status) for e in entries] == [("p0001", "deleted"), ("p0001", "inserted")]
    root = document_root(table_redline(old, new))
    assert settled_rows(root, accept=True) == markdown_rows(new)
    assert settled_rows(root, accept=False) == markdown_rows(old)


@pytest.mark.parametrize("language, label", [("en", "Redline"), ("zh", "修改对照稿")])
def test_the_redline_header_says_what_the_document_is(language, label):
    """As the consultation draft's header ends with "Draft for consultation" (征求意见稿)."""
    archive = zipfile.ZipFile(io.BytesIO(table_redline(TABLE_ZH_OLD, TABLE_ZH_NEW, language)))
    headers = ["".join(t.text for t in etree.fromstring(archive.read(name)).iter(qn("w:t")))
               for name in archive.namelist() if name.startswith("word/header")]
    assert headers == [f"Plan · v5 · {label}"]
