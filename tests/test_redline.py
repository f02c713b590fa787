"""Redlines: Word tracked changes that accept to version B and reject to version A (read by pandoc)."""
from __future__ import annotations

import io
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
