"""Harvesting reviewers' returned .docx files (saved by LibreOffice and Word) and refusing bad ones."""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from helpers import run

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
    assert {tuple(sorted(r)) for r in records} == {("author", "body", "id", "kind", "para", "proposed", "quote")}
    by_body = {r["body"]: r for r in records}
    target = by_body["Use the target of the 14th Five-Year Plan."]
    assert (target["para"], target["quote"], target["author"], target["kind"]) == \
        ("p0003", "within 5.5 per cent", "Li Wei", "comment")
    assert by_body["Which services are meant?"]["kind"] == "question"
    amendments = sorted((r["para"], r["quote"], r["proposed"]) for r in records if r["kind"] == "amendment")
    assert amendments == [("p0004", "all workers", "all employees"), ("p0006", "reach", "reach at least")]
    assert len(stored(ws)) == 5


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
    assert stored(ws) == before


def test_folder_of_returned_files_takes_organisation_from_file_name(ws, capsys, tmp_path):
    folder = tmp_path / "round1"
    folder.mkdir()
    shutil.copy(DATA / "mohrss-returned.docx", folder / "mohrss-returned.docx")
    shutil.copy(DATA / "returned-word.docx", folder / "acftu_comments.docx")
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
