"""Harvesting reviewers' returned .docx files (saved by LibreOffice and Word) and refusing bad ones."""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from helpers import freeze_text, run

DATA = Path(__file__).parent / "data" / "comments"




@pytest.fixture
def ws(frozen_ws):
    return frozen_ws


def stored(ws) -> list[Path]:
    return sorted((ws.root / "comments").rglob("*.yaml"))


def test_libreoffice_saved_file_yields_comments_and_amendments_on_their_paragraphs(ws, capsys):
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"), "--json")
    assert code == 0, out.err
    records = json.loads(out.out)
    assert {tuple(sorted(r)) for r in records} == {("anchor", "author", "body", "id", "kind", "para", "proposed",
                                                   "quote", "version")}
    by_body = {r["body"]: r for r in records}
    target = by_body["Use the target of the 14th Five-Year Plan."]
    assert (target["para"], target["quote"], target["author"], target["kind"]) == \
        ("p0003", "within 5.5 per cent", "Li Wei", "comment")
    assert by_body["Which services are meant?"]["kind"] == "question"
    amendments = sorted((r["para"], r["quote"], r["proposed"]) for r in records if r["kind"] == "amendment")
    assert amendments == [("p0004", "all workers", "all employees"), ("p0006", "reach", "reach at least")]
    assert len(stored(ws)) == 5


@pytest.mark.parametrize("written", ["&#133;", "\u0085", "&#127;"])
def test_an_invisible_control_character_in_a_reviewers_comment_becomes_a_space(ws, capsys, tmp_path, written):
    """Word files may hold DEL and C1 characters (a paste can bring them); stored, they would stop every
    command reading the comment store."""
    with zipfile.ZipFile(DATA / "mohrss-returned.docx") as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    comments = parts["word/comments.xml"].decode()
    assert "Which services are meant?" in comments
    parts["word/comments.xml"] = comments.replace("Which services", f"Which{written}services").encode()
    path = tmp_path / "mohrss-returned.docx"
    path.write_bytes(_zip(parts))
    assert run(ws, capsys, "comments", "harvest", str(path))[0] == 0
    code, out = run(ws, capsys, "comments", "list", "--json")
    assert code == 0, out.err
    assert "Which services are meant?" in {c["body"] for c in json.loads(out.out)}


def test_word_file_keeps_reply_threads(ws, capsys):
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "returned-word.docx"), "--org", "mohrss", "--json")
    assert code == 0, out.err
    from pipeline.comments import load_comments
    comments = {c.body: c for c in load_comments(ws)}
    reply = comments["Agreed; the expert group supports this."]
    parent = comments["Use the target of the 14th Five-Year Plan."]
    assert reply.reply_to == parent.id and reply.author == "Zhang Wenjie"
    assert parent.date == "2026-03-05" and parent.org_category == "administrative"


def test_harvesting_twice_adds_nothing(ws, capsys):
    run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"))
    before = stored(ws)
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"))
    assert code == 0 and "0 new, 5 already stored" in out.out
    assert "2 comments, 1 question, 2 amendments, 0 replies —" in out.out
    assert stored(ws) == before


def test_folder_of_returned_files_takes_organisation_from_file_name(ws, capsys, tmp_path):
    folder = tmp_path / "round1"
    folder.mkdir()
    shutil.copy(DATA / "mohrss-returned.docx", folder / "mohrss-returned.docx")
    shutil.copy(DATA / "returned-word.docx", folder / "acftu_comments.docx")
    (folder / "~$hrss-returned.docx").write_bytes(b"\x05Li Wei")  # Word's lock file, the draft being open
    (folder / "._mohrss-returned.docx").write_bytes(b"\x00\x05\x16\x07")  # macOS's copy of its attributes
    code, out = run(ws, capsys, "comments", "harvest", str(folder))
    assert code == 0, out.err
    assert "acftu_comments.docx (acftu)" in out.out and "mohrss-returned.docx (mohrss)" in out.out
    from pipeline.comments import load_comments
    assert {c.org for c in load_comments(ws)} == {"acftu", "mohrss"}


def test_foreign_document_is_placed_by_quotes_with_a_warning_for_the_rest(ws, capsys):
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "foreign.docx"), "--org", "cshrs", "--json")
    assert code == 0
    records = {r["body"]: r for r in json.loads(out.out)}
    assert records["Include gig workers."]["para"] == "p0004"
    assert records["This cannot be placed."]["para"] == ""
    assert "could not place comment by Wang Fang" in out.err and "not in the draft" in out.err


def _zip(parts: dict[str, bytes], compress=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with_document(xml: bytes) -> bytes:
    with zipfile.ZipFile(DATA / "mohrss-returned.docx") as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["word/document.xml"] = xml
    return _zip(parts)


BAD_FILES = {
    "corrupt": (b"PK\x03\x04 this is not really a zip", "corrupt or not a zip"),
    "bomb": (_zip({"word/document.xml": b"<a/>", "word/filler.xml": b"\0" * (20 * 2**20)}), "zip bomb"),
    "oversized": (_zip({"word/document.xml": b"<a/>", "word/big.bin": bytes(range(256)) * (70 * 2**12)},
                       zipfile.ZIP_STORED), "oversized"),
    "entities": (_with_document(b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x "boom">]><w:document '
                                b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                                b'<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>'), "DOCTYPE"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_docx_is_refused_and_nothing_is_stored(ws, capsys, tmp_path, kind):
    data, message = BAD_FILES[kind]
    path = tmp_path / "mohrss-bad.docx"
    path.write_bytes(data)
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 2
    assert message in out.err and "mohrss-bad.docx" in out.err
    assert stored(ws) == []


def test_a_note_dated_on_a_day_that_does_not_exist_is_stored_undated(ws, capsys, tmp_path):
    """Word keeps any w:date; stored, 2026-02-30 would stop every command reading the store."""
    with zipfile.ZipFile(DATA / "mohrss-returned.docx") as archive:
        parts = {n: archive.read(n).replace(b"2026-03-05T", b"2026-02-30T") for n in archive.namelist()}
    path = tmp_path / "mohrss-dated.docx"
    path.write_bytes(_zip(parts))
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 0, out.err
    from pipeline.comments import load_comments
    comments = load_comments(ws)
    assert len(comments) == 5 and {c.date for c in comments} == {""}


def test_unknown_organisation_lists_known_ids(ws, capsys):
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"), "--org", "nobody")
    assert code == 2 and "unknown organisation 'nobody'" in out.err and "acftu, cshrs, exp-li" in out.err
    assert stored(ws) == []


def test_bookmark_of_a_paragraph_not_in_the_version_refuses_the_file(ws, capsys, tmp_path):
    with zipfile.ZipFile(DATA / "mohrss-returned.docx") as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b'w:name="p0004"', b'w:name="p0999"')
    path = tmp_path / "mohrss-other.docx"
    path.write_bytes(_zip(parts))
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 2 and "paragraph 'p0999'" in out.err and "does not exist in v1" in out.err
    assert stored(ws) == []


# -- the version a returned draft was made from ------------------------------------------------------
V1 = (DATA / "v1.md").read_text()
P4 = "Occupational health examinations will be extended to all workers exposed to occupational hazards."
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def v2_text() -> str:
    """v1 with p0004 deleted, and the amendment “reach” → “reach at least” of the returned files made."""
    return V1.replace(P4 + "\n\n", "").replace("will reach 79", "will reach at least 79")


def listed(ws, capsys) -> dict[str, dict]:
    code, out = run(ws, capsys, "comments", "list", "--json")
    assert code == 0, out.err
    return {r["id"]: r for r in json.loads(out.out)}


def test_harvest_against_an_older_version_reanchors_on_the_latest(ws, capsys, tmp_path):
    freeze_text(ws, capsys, tmp_path, v2_text(), "v2")
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"), "--version", "1",
                    "--round", "4")
    assert code == 0, out.err
    assert "made from v1" in out.out and "5 comment(s) re-anchored on v2: 1 orphaned, 1 applied" in out.out
    rows = listed(ws, capsys)
    assert {r["version"] for r in rows.values()} == {2}
    verdicts = sorted((r["para"], r["anchor"], r["quote"]) for r in rows.values() if r["kind"] == "amendment")
    assert verdicts == [("p0004", "orphaned", "all workers"), ("p0006", "applied", "reach at least")]
    matrix = tmp_path / "matrix.xlsx"
    assert run(ws, capsys, "comments", "matrix", "-o", str(matrix))[0] == 0
    from openpyxl import load_workbook
    paras = [row[1] for row in load_workbook(matrix).active.iter_rows(min_row=2, values_only=True)]
    assert "p0004 (orphaned)" in paras and "p0004" not in paras  # the deleted paragraph is not shown as current


def test_a_file_harvested_before_and_after_a_freeze_stores_the_same_records(ws, capsys, tmp_path):
    """Comments are stored as made, on the version the reviewer read: two clones harvesting one returned
    file on either side of a freeze write the same files, which git merges as one."""
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"))
    assert code == 0, out.err
    before = {path.name: path.read_bytes() for path in (ws.root / "comments").rglob("*.yaml")}
    freeze_text(ws, capsys, tmp_path, v2_text(), "v2")
    for path in (ws.root / "comments").rglob("*.yaml"):
        path.unlink()  # as on the clone that had not harvested yet
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"), "--version", "1")
    assert code == 0 and "5 new, 0 already stored" in out.out and "re-anchored on v2" in out.out
    assert {path.name: path.read_bytes() for path in (ws.root / "comments").rglob("*.yaml")} == before
    from pipeline.comments import load_comments
    assert {c.anchor.version for c in load_comments(ws, as_stored=True)} == {1}
    assert {r["version"] for r in listed(ws, capsys).values()} == {2}


def test_harvest_without_version_reads_the_text_when_the_file_does_not_say(ws, capsys, tmp_path):
    freeze_text(ws, capsys, tmp_path, v2_text(), "v2")
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"))
    assert code == 0, out.err
    assert "its text reads as v1, not the latest (v2)" in out.err and "made from v1 (text)" in out.out
    assert {r["version"] for r in listed(ws, capsys).values()} == {2}


def test_a_file_not_saying_its_version_is_stored_once_either_side_of_a_freeze_that_left_its_text(
        ws, capsys, tmp_path):
    """Its paragraphs read the same in v1 and v2, so both clones store its comments on v1, under the same
    ids: git merges the two harvests as one."""
    assert run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"))[0] == 0
    before = {path.name: path.read_bytes() for path in (ws.root / "comments").rglob("*.yaml")}
    freeze_text(ws, capsys, tmp_path, V1 + "\nA new closing paragraph.\n", "v2")
    for path in (ws.root / "comments").rglob("*.yaml"):
        path.unlink()  # as on the clone that had not harvested yet
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"))
    assert code == 0, out.err
    assert "5 new, 0 already stored; made from v1 (text, which reads the same in v2)" in out.out
    assert "warning" not in out.err
    assert {path.name: path.read_bytes() for path in (ws.root / "comments").rglob("*.yaml")} == before
    assert {r["version"] for r in listed(ws, capsys).values()} == {2}


def test_harvest_without_version_assumes_the_latest_for_a_foreign_file_and_says_so(ws, capsys, tmp_path):
    freeze_text(ws, capsys, tmp_path, V1 + "\nA new closing paragraph.\n", "v2")
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "foreign.docx"), "--org", "cshrs")
    assert code == 0, out.err
    assert "does not say which version it was made from; assumed the latest, v2" in out.err


def _rendered(ws, capsys, tmp_path, version: str = "1", *options: str) -> dict[str, bytes]:
    """The parts of the consultation draft of `version`."""
    path = tmp_path / f"{version}.docx"
    code, out = run(ws, capsys, "render", version, "--mode", "consultation", "-o", str(path), *options)
    assert code == 0, out.err
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def _track(parts: dict[str, bytes], para: str, words: str, inserted: str = "", part: str = "word/document.xml") -> None:
    """Delete `words` in paragraph `para` (in the body, or in the footnotes `part`) as a tracked change, or
    insert `inserted` after them."""
    from lxml import etree
    root = etree.fromstring(parts[part])
    start = next(b for b in root.iter(W + "bookmarkStart") if b.get(W + "name") == para)
    paragraph = next(a for a in start.iterancestors() if a.tag == W + "p")
    node = next(t for t in paragraph.iter(W + "t") if words in (t.text or ""))
    run_ = node.getparent()
    before, after = node.text.split(words, 1)
    node.text = before + words if inserted else before
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    kind, tag = ("ins", "t") if inserted else ("del", "delText")
    change = etree.Element(W + kind, {W + "id": "900", W + "author": "Li Wei", W + "date": "2026-04-02T00:00:00Z"})
    etree.SubElement(etree.SubElement(change, W + "r"), W + tag).text = inserted or words
    tail = etree.Element(W + "r")
    text = etree.SubElement(tail, W + "t")
    text.text = after
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run_.addnext(change)
    change.addnext(tail)
    parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@pytest.mark.parametrize("strip, said_by", [((), "document properties"), (("keywords",), "page header"),
                                            (("keywords", "header"), "cover")])
def test_harvest_without_version_takes_the_version_the_draft_states(ws, capsys, tmp_path, strip, said_by):
    parts = _rendered(ws, capsys, tmp_path)
    _track(parts, "p0004", "occupational ")
    if "keywords" in strip:
        parts["docProps/core.xml"] = parts["docProps/core.xml"].replace(b"<cp:keywords>v1<", b"<cp:keywords><")
    if "header" in strip:
        for name in [n for n in parts if n.startswith("word/header")]:
            parts[name] = parts[name].replace("· v1 ·".encode(), "·".encode())
    path = tmp_path / "mohrss-returned-v1.docx"
    path.write_bytes(_zip(parts))
    from pipeline.readers.review_docx import read_review_docx
    review = read_review_docx(path)
    assert (review.version, review.version_from) == (1, said_by)
    freeze_text(ws, capsys, tmp_path, V1.replace("occupational hazards", "hazards"), "v2")
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 0, out.err
    assert f"made from v1 ({said_by})" in out.out and "warning" not in out.err
    [row] = listed(ws, capsys).values()
    assert (row["para"], row["anchor"], row["version"]) == ("p0004", "applied", 2)


def test_a_file_made_from_another_version_than_asked_says_so(ws, capsys, tmp_path):
    parts = _rendered(ws, capsys, tmp_path)
    path = tmp_path / "mohrss-v1.docx"
    path.write_bytes(_zip(parts))
    freeze_text(ws, capsys, tmp_path, V1 + "\nA new closing paragraph.\n", "v2")
    code, out = run(ws, capsys, "comments", "harvest", str(path), "--version", "2")
    assert code == 0 and "the file says it was made from v1 (document properties); harvested against v2" in out.err


def _untracked_edit(parts: dict[str, bytes], para: str, words: str, written: str) -> None:
    """Replace `words` in paragraph `para` by `written` as a reviewer typing with Track Changes off does."""
    from lxml import etree
    root = etree.fromstring(parts["word/document.xml"])
    start = next(b for b in root.iter(W + "bookmarkStart") if b.get(W + "name") == para)
    paragraph = next(a for a in start.iterancestors() if a.tag == W + "p")
    node = next(t for t in paragraph.iter(W + "t") if words in (t.text or ""))
    node.text = node.text.replace(words, written)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def test_an_edit_made_without_tracking_changes_is_named_and_the_rest_harvested(ws, capsys, tmp_path):
    """Reviewers often type with Track Changes off: the file is harvested, and a warning names the paragraph,
    whose edit is not harvested. A comment or change on such a paragraph would be placed on text its reviewer
    did not read (the file may come from another copy of the version): then the file is refused."""
    parts = _rendered(ws, capsys, tmp_path)
    _untracked_edit(parts, "p0004", "all workers", "every worker")
    _track(parts, "p0006", "reach ", "at least ")
    path = tmp_path / "mohrss-untracked.docx"
    path.write_bytes(_zip(parts))
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 0, out.err
    assert "paragraph(s) p0004 of the file do not read as in v1: edited without tracking changes" in out.err
    assert "1 amendment" in out.out
    _track(parts, "p0004", "every worker")
    path.write_bytes(_zip(parts))
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 2 and "but its paragraph p0004 does not read as in v1" in out.err


def _rendered_working_draft(ws, capsys, tmp_path, name: str) -> Path:
    """The working draft rendered (no version asked for) and returned with a tracked deletion in p0007, a
    paragraph the draft has and v1 has not: its number is provisional."""
    rendered = tmp_path / "draft.docx"
    code, out = run(ws, capsys, "render", "--mode", "consultation", "-o", str(rendered))
    assert code == 0, out.err
    with zipfile.ZipFile(rendered) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    _track(parts, "p0007", "decent ")
    path = tmp_path / name
    path.write_bytes(_zip(parts))
    return path


def test_a_returned_working_draft_is_refused_until_the_draft_is_frozen(ws, capsys, tmp_path):
    path = _rendered_working_draft(ws, capsys, tmp_path, "mohrss-draft.docx")
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 2
    assert ("mohrss-draft.docx: the file was rendered from the working draft (document properties), not from a "
            "frozen version, so no version has its text (its paragraph p0001 does not read as in v1; the numbers "
            "of paragraphs new in the draft are provisional). Freeze the draft first (nhrap freeze), then harvest "
            "this file with --version v2, the version frozen (nothing stored from this file)") in out.err
    assert stored(ws) == []
    assert run(ws, capsys, "freeze", "--stage", "consultation", "--note", "v2", "--date", "2026-04-01")[0] == 0
    code, out = run(ws, capsys, "comments", "harvest", str(path), "--version", "2")
    assert code == 0, out.err
    assert "the file says it was made from the working draft (document properties); harvested against v2" in out.err
    [row] = listed(ws, capsys).values()
    assert (row["para"], row["quote"], row["version"]) == ("p0007", "decent ", 2)


@pytest.mark.parametrize("strip", [(), ("keywords",), ("keywords", "header")])
def test_a_working_draft_rendered_as_it_read_in_a_version_is_harvested_on_that_version(ws, capsys, tmp_path,
                                                                                        strip):
    assert run(ws, capsys, "freeze", "--stage", "consultation", "--note", "v2", "--date", "2026-04-01")[0] == 0
    path = _rendered_working_draft(ws, capsys, tmp_path, "mohrss-draft.docx")
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    if "keywords" in strip:
        parts["docProps/core.xml"] = parts["docProps/core.xml"].replace(b">working draft<", b"><")
    if "header" in strip:
        for name in [n for n in parts if n.startswith("word/header")]:
            parts[name] = parts[name].replace("· working draft ·".encode(), "·".encode())
    path.write_bytes(_zip(parts))
    from pipeline.readers.review_docx import read_review_docx
    said_by = {(): "document properties", ("keywords",): "page header", ("keywords", "header"): "cover"}[strip]
    review = read_review_docx(path)
    assert (review.version, review.working_draft, review.version_from) == (None, True, said_by)
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 0, out.err
    assert "made from v2 (working draft, which read the same)" in out.out and "warning" not in out.err
    [row] = listed(ws, capsys).values()
    assert (row["para"], row["quote"], row["version"]) == ("p0007", "decent ", 2)


def test_a_chinese_working_draft_says_so_in_its_words(zh_ws, capsys, tmp_path):
    path = tmp_path / "scio-draft.docx"
    assert run(zh_ws, capsys, "render", "--mode", "consultation", "-o", str(path))[0] == 0
    from pipeline.readers.review_docx import read_review_docx
    review = read_review_docx(path, "zh")
    assert (review.version, review.working_draft, review.version_from) == (None, True, "document properties")
    chapter = next((zh_ws.root / "drafts" / "chapters").glob("*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n新增的一段。\n", encoding="utf-8")
    assert run(zh_ws, capsys, "render", "--mode", "consultation", "-o", str(path))[0] == 0
    code, out = run(zh_ws, capsys, "comments", "harvest", str(path))
    assert code == 2 and "scio-draft.docx: the file was rendered from the working draft" in out.err
    assert "is not in v3" in out.err and "--version v4" in out.err


def test_a_tracked_change_in_a_footnote_is_an_amendment_on_the_footnotes_paragraph(sample_ws, capsys, tmp_path):
    """Footnotes carry paragraph ids of their own: a deletion in one was dropped without a word."""
    parts = _rendered(sample_ws, capsys, tmp_path, "latest")
    _track(parts, "p0123", " They are internal migrants;", part="word/footnotes.xml")
    _track(parts, "p0035", "lifelong ")
    path = tmp_path / "mohrss-returned.docx"
    path.write_bytes(_zip(parts))
    code, out = run(sample_ws, capsys, "comments", "harvest", str(path))
    assert code == 0 and "warning" not in out.err, out.err
    assert "0 comments, 0 questions, 2 amendments, 0 replies — 2 new" in out.out
    from pipeline.comments import load_comments
    assert {(c.anchor.para, c.anchor.quote, c.proposed, c.anchor.state) for c in load_comments(sample_ws)
            if c.source == path.name} == {("p0123", " They are internal migrants;", "", "anchored"),
                                          ("p0035", "lifelong ", "", "anchored")}


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _reply_to_first_comment(parts: dict[str, bytes], author: str, text: str) -> tuple[str, str]:
    """Reply to the first comment of the file as Word does (commentsExtended.xml); (its first line, its paragraph)."""
    from lxml import etree
    comments = etree.fromstring(parts["word/comments.xml"])
    first = comments.find(W + "comment")
    first.findall(W + "p")[-1].set(f"{{{W14}}}paraId", "0000AAAA")
    reply = etree.SubElement(comments, W + "comment", {W + "id": "9000", W + "author": author,
                                                        W + "date": "2026-04-02T00:00:00Z"})
    paragraph = etree.SubElement(reply, W + "p", {f"{{{W14}}}paraId": "0000BBBB"})
    etree.SubElement(etree.SubElement(paragraph, W + "r"), W + "t").text = text
    parts["word/comments.xml"] = etree.tostring(comments)
    parts["word/commentsExtended.xml"] = (
        '<w15:commentsEx xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
        '<w15:commentEx w15:paraId="0000AAAA" w15:done="0"/>'
        '<w15:commentEx w15:paraId="0000BBBB" w15:paraIdParent="0000AAAA" w15:done="0"/></w15:commentsEx>').encode()
    document = etree.fromstring(parts["word/document.xml"])
    marked = next(r for r in document.iter(W + "commentRangeStart") if r.get(W + "id") == first.get(W + "id"))
    para = next(b.get(W + "name") for b in marked.getparent().iter(W + "bookmarkStart"))
    return "".join(t.text for t in first.find(W + "p").iter(W + "t")), para


def test_nhraps_own_findings_are_not_harvested_as_comments_but_a_reply_to_one_is(sample_ws, capsys, tmp_path):
    """A draft rendered --with-findings carries each finding as a comment by "nhrap check": returned, they are
    not the reviewer's comments. A reply to one is kept, on its paragraph, quoting the finding it answers."""
    parts = _rendered(sample_ws, capsys, tmp_path, "latest", "--with-findings")
    findings = parts["word/comments.xml"].count(b'w:author="nhrap check"')
    finding, para = _reply_to_first_comment(parts, "Li Wei", "Agreed; we will add it.")
    path = tmp_path / "mohrss-returned.docx"
    path.write_bytes(_zip(parts))
    code, out = run(sample_ws, capsys, "comments", "harvest", str(path))
    assert code == 0 and "warning" not in out.err, out.err
    assert f"1 comment, 0 questions, 0 amendments, 0 replies ({findings} findings of nhrap check skipped) — 1 new" \
        in out.out
    from pipeline.comments import load_comments
    [reply] = [c for c in load_comments(sample_ws) if c.source == path.name]
    assert (reply.anchor.para, reply.author, reply.reply_to) == (para, "Li Wei", None)
    assert reply.body == f"nhrap check: “{finding}”\nAgreed; we will add it."


def test_missing_file_is_reported_as_missing_not_as_an_unknown_organisation(ws, capsys, tmp_path):
    code, out = run(ws, capsys, "comments", "harvest", str(tmp_path / "nope.docx"),
                    str(DATA / "mohrss-returned.docx"))
    assert code == 2
    assert "nope.docx: no such file" in out.err and "organisation" not in out.err
    assert "mohrss-returned.docx (mohrss)" in out.out  # the other files are still harvested


# -- the plan language ----------------------------------------------------------------------------
def _chinese(ws) -> None:
    plan = ws.root / "drafts" / "plan.yaml"
    plan.write_text(plan.read_text().replace("language: en", "language: zh"))


def test_amendments_are_worded_in_the_plan_language(ws, capsys):
    _chinese(ws)
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"), "--json")
    assert code == 0, out.err
    bodies = sorted(r["body"] for r in json.loads(out.out) if r["kind"] == "amendment")
    assert bodies == ["增加“at least”。", "将“all workers”改为“all employees”。"]


def test_chinese_wording_of_deletions_insertions_and_replacements():
    from pipeline.readers.review_docx import _amendments, _Paragraph, _Span
    paragraph = _Paragraph(para="p0001", spans=[
        _Span("各有关部门要"), _Span("进一步加强", "del"), _Span("加强", "ins"), _Span("协调配合，"),
        _Span("立即", "ins"), _Span("开展检查并"), _Span("进行", "del"), _Span("报告。")])
    notes = _amendments(paragraph, "zh")
    assert [(n.quote, n.proposed, n.body) for n in notes] == [
        ("进一步加强", "加强", "将“进一步加强”改为“加强”。"),
        ("协调配合，", "协调配合，立即", "增加“立即”。"),  # back to the previous punctuation mark
        ("进行", "", "删除“进行”。")]
    assert "Replace “进一步加强” with “加强”." in notes[0].earlier_bodies  # the id an earlier release gave it


def test_a_chinese_insertion_quotes_the_characters_before_it():
    """A quote of one character (“度”) could stand in many places: up to four characters are taken, back to the
    previous punctuation mark."""
    from pipeline.readers.review_docx import _amendments, _Paragraph, _Span
    paragraph = _Paragraph(para="p0008", spans=[_Span("落实带薪年休假制度"), _Span("和监督检查", "ins"),
                                                _Span("，帮扶高校毕业生、农民工"), _Span("等", "ins"), _Span("。")])
    assert [(n.quote, n.proposed) for n in _amendments(paragraph, "zh")] == [
        ("休假制度", "休假制度和监督检查"), ("农民工", "农民工等")]


def test_amendments_harvested_in_english_are_not_stored_again_in_chinese(ws, capsys):
    run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"))
    _chinese(ws)
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"))
    assert code == 0 and "0 new, 5 already stored" in out.out
    assert "2 comments, 1 question, 2 amendments, 0 replies —" in out.out
    assert len(stored(ws)) == 5


def _as_stored_by_an_earlier_release(ws, body) -> None:
    """Rename each stored amendment to the id `body(comment)` gave it when ids hashed the wording."""
    from dataclasses import replace
    from pipeline.comments import comment_id, read_comment, to_yaml
    for path in stored(ws):
        c = read_comment(path)
        if c.kind == "amendment":
            old = comment_id(c.org, c.anchor.para, c.anchor.quote, body(c), c.proposed, c.author, c.reply_to, c.version)
            path.unlink()
            (path.parent / f"{old}.yaml").write_text(to_yaml(replace(c, id=old)))


def test_amendment_ids_do_not_depend_on_their_wording_and_earlier_ids_are_recognised(ws, capsys):
    records = json.loads(run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"), "--json")[1].out)
    english = {r["id"] for r in records}
    _chinese(ws)
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"), "--json")
    assert code == 0 and {r["id"] for r in json.loads(out.out)} == english
    wording = {r["quote"]: r["body"] for r in records}
    _as_stored_by_an_earlier_release(ws, lambda c: wording[c.anchor.quote])  # English, before Chinese wording
    before = stored(ws)
    assert {p.stem for p in before} != english
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"))
    assert code == 0 and "0 new, 5 already stored" in out.out
    assert "2 comments, 1 question, 2 amendments, 0 replies —" in out.out, out.out
    assert stored(ws) == before


@pytest.mark.parametrize("worded", [False, True])
def test_an_insertion_an_earlier_release_stored_quoting_the_full_stop_alone_is_not_stored_again(
        ws, capsys, tmp_path, worded):
    """Earlier releases quoted a sentence added after “hazards.” as “.”; the releases before them hashed the
    wording too, with a second full stop. Harvested again, the file adds nothing."""
    parts = _rendered(ws, capsys, tmp_path)
    _track(parts, "p0004", "hazards.", inserted=" Employers pay for them.")
    path = tmp_path / "mohrss-returned.docx"
    path.write_bytes(_zip(parts))
    code, out = run(ws, capsys, "comments", "harvest", str(path), "--json")
    [record] = json.loads(out.out)
    assert (record["para"], record["quote"], record["proposed"], record["body"]) == \
        ("p0004", "hazards.", "hazards. Employers pay for them.", "Insert “Employers pay for them.”")
    from dataclasses import replace
    from pipeline.comments import comment_id, make_anchor, read_comment, to_yaml
    [stored_path] = stored(ws)
    c = read_comment(stored_path)
    body = "Insert “Employers pay for them.”." if worded else ""
    old = comment_id(c.org, "p0004", ".", body, ". Employers pay for them.", c.author, None, c.version)
    stored_path.unlink()
    earlier = replace(c, id=old, proposed=". Employers pay for them.", body=body or c.body,
                      anchor=make_anchor(P4, "p0004", ".", len(P4) - 1, c.version))
    (stored_path.parent / f"{old}.yaml").write_text(to_yaml(earlier))
    before = stored(ws)
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 0 and "0 new, 1 already stored" in out.out, out.out
    assert stored(ws) == before


# -- .odt: LibreOffice's own format, converted by LibreOffice (tests/test_libreoffice_reviewer.py converts real ones)
def _odt(path: Path) -> Path:
    path.write_bytes(_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}))
    return path


def test_odt_without_libreoffice_is_refused_with_a_clear_message_and_the_other_files_are_harvested(
        ws, capsys, tmp_path, monkeypatch):
    folder = tmp_path / "round1"
    folder.mkdir()
    shutil.copy(DATA / "mohrss-returned.docx", folder / "mohrss-returned.docx")
    _odt(folder / "acftu-comments.odt")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    code, out = run(ws, capsys, "comments", "harvest", str(folder))
    assert code == 2
    assert f"{folder / 'acftu-comments.odt'}: reading .odt needs LibreOffice (soffice); save it as .docx instead" \
        in out.err and "nothing stored from this file" in out.err
    assert "mohrss-returned.docx (mohrss)" in out.out
    from pipeline.comments import load_comments
    assert {c.org for c in load_comments(ws)} == {"mohrss"}


ODT_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' \
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'


def test_comments_in_footnotes_of_an_odt_which_libreoffice_cannot_convert_are_warned_of(ws, capsys, tmp_path,
                                                                                         monkeypatch):
    """LibreOffice keeps a comment made in a footnote in its .odt, but leaves it out of the .docx it converts
    the file to: it would be lost without a word."""
    from pipeline import libreoffice
    monkeypatch.setattr(libreoffice, "available", lambda: True)
    monkeypatch.setattr(libreoffice, "convert", lambda source, target, folder, timeout=None:
                        Path(shutil.copy(DATA / "mohrss-returned.docx", folder / "converted.docx")))
    content = f'<office:document-content {ODT_NS}><office:body><office:text><text:p>Migrant workers' \
              '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>' \
              '<text:p>Internal migrants<office:annotation><text:p>Which law?</text:p></office:annotation>' \
              '</text:p></text:note-body></text:note> are protected.<office:annotation><text:p>Good.</text:p>' \
              '</office:annotation></text:p></office:text></office:body></office:document-content>'
    path = tmp_path / "mohrss-returned.odt"
    path.write_bytes(_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": content.encode()}))
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 0 and "mohrss-returned.odt: warning: 1 comment(s) in footnotes could not be read" in out.err
    assert "5 new" in out.out  # the rest of the file is harvested


def test_corrupt_odt_is_refused_before_libreoffice_opens_it(ws, capsys, tmp_path, monkeypatch):
    from pipeline import libreoffice
    monkeypatch.setattr(libreoffice, "available", lambda: True)
    monkeypatch.setattr(libreoffice, "convert", lambda *args, **kwargs: pytest.fail("LibreOffice was run"))
    path = tmp_path / "mohrss-bad.odt"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 2 and "mohrss-bad.odt: not an OpenDocument .odt file (corrupt or not a zip archive)" in out.err
    assert stored(ws) == []


def test_corrupt_odt_without_libreoffice_is_named_corrupt(ws, capsys, tmp_path, monkeypatch):
    """Without soffice a corrupt .odt was refused for want of LibreOffice: 'save it as .docx' cannot be done."""
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    path = tmp_path / "mohrss-bad.odt"
    path.write_bytes(b"")
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 2 and "mohrss-bad.odt: not an OpenDocument .odt file (corrupt or not a zip archive)" in out.err
    assert "needs LibreOffice" not in out.err and stored(ws) == []


@pytest.mark.parametrize("name, parts, hint", [
    ("mohrss-x.odt", {"word/document.xml": b"<a/>"}, "not an OpenDocument .odt file (no content.xml); it is a Word "
                                                     "document: rename it mohrss-x.docx"),
    ("mohrss-x.docx", {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<a/>"},
     "not a Word .docx file (no word/document.xml); it is an OpenDocument text document: rename it mohrss-x.odt"),
    ("mohrss-x.docx", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<a/>"},
     "not a Word .docx file (no word/document.xml) (nothing stored"),
])
def test_a_document_saved_under_the_other_extension_is_named(ws, capsys, tmp_path, name, parts, hint):
    path = tmp_path / name
    path.write_bytes(_zip(parts))
    code, out = run(ws, capsys, "comments", "harvest", str(path))
    assert code == 2 and hint in out.err and stored(ws) == []


def test_odt_files_are_converted_a_dozen_to_a_run_and_a_run_that_overruns_loses_only_its_own(
        tmp_path, monkeypatch):
    """Thirty returned .odt files: three LibreOffice runs. The first overruns its timeout; the files of the
    other runs keep their copies, and those of the first are left to be converted one by one."""
    from pipeline import libreoffice
    from pipeline.readers import review_odt
    monkeypatch.setattr(libreoffice, "available", lambda: True)
    runs = []

    def convert_all(sources, target, folder, timeout=libreoffice.TIMEOUT):
        runs.append([source.name for source in sources])
        copies = {source: folder / f"{source.stem}.docx" for source in sources}
        for copy in copies.values():
            copy.write_bytes(b"converted")
        return {source: None if len(runs) == 1 else copy for source, copy in copies.items()}

    monkeypatch.setattr(libreoffice, "convert_all", convert_all)
    paths = [_odt(tmp_path / f"unit{n:02d}-comments.odt") for n in range(30)]
    with review_odt.converted_at_once(paths) as copies:
        assert [len(run) for run in runs] == [12, 12, 6]
        assert sorted(copies) == paths[12:] and all(copies[p].read_bytes() == b"converted" for p in paths[12:])
