"""The consultation loop a reviewer actually goes through.

Render our consultation .docx → a reviewer comments on it and tracks a
change (in Word's XML), LibreOffice opens and saves it (rewriting the whole
file, as a reviewer's LibreOffice does) → `nhrap comments harvest` brings
each note back onto the right paragraph id. LibreOffice runs once for the
module, with its own profile.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import uuid

import docx
import pytest
from docx.oxml.ns import qn

from helpers import paragraph_with, run, split_run

pytestmark = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")

WORK = "expand vocational training for rural migrant workers"
HAZARDS = "exposed to occupational hazards"


def _track_replacement(run_, new_text):
    """Wrap the run in w:del and put a w:ins with new text after it, as Word's track changes does."""
    deleted = docx.oxml.parse_xml(
        '<w:del xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="901" '
        'w:author="Reviewer" w:date="2026-03-10T09:00:00Z"/>')
    inserted = docx.oxml.parse_xml(
        f'<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="902" '
        f'w:author="Reviewer" w:date="2026-03-10T09:00:00Z"><w:r><w:t>{new_text}</w:t></w:r></w:ins>')
    run_._r.addprevious(deleted)
    deleted.append(run_._r)
    for t in deleted.iter(qn("w:t")):
        t.tag = qn("w:delText")
    deleted.addnext(inserted)


@pytest.fixture(scope="module")
def returned(tmp_path_factory):
    """Our consultation draft, annotated by a reviewer and saved by LibreOffice."""
    from pipeline.versions import freeze
    from pipeline.workspace import Workspace
    from conftest import COMMENTS_DATA, write_mini_workspace
    root = tmp_path_factory.mktemp("roundtrip")
    ws = Workspace(write_mini_workspace(root / "ws"))
    freeze(ws, "consultation", "v1", date="2026-03-01", source=(COMMENTS_DATA / "v1.md").read_text())
    draft = root / "consultation.docx"
    from pipeline.cli import main
    assert main(["--workspace", str(ws.root), "render", "1", "--mode", "consultation", "-o", str(draft)]) == 0
    document = docx.Document(str(draft))
    target = split_run(paragraph_with(document, WORK), WORK)
    document.add_comment([target], text="Name the number of trainees per year.", author="Wang Li", initials="WL")
    _track_replacement(split_run(paragraph_with(document, HAZARDS), HAZARDS), "exposed to dust, noise or chemicals")
    annotated = root / "annotated" / "mohrss-comments.docx"
    annotated.parent.mkdir()
    document.save(str(annotated))
    saved = root / "saved"
    subprocess.run(["soffice", f"-env:UserInstallation=file:///tmp/lo-{uuid.uuid4().hex}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved), str(annotated)],
                   check=True, capture_output=True, timeout=180)
    return ws, saved / "mohrss-comments.docx"


def test_comment_and_tracked_change_come_back_on_their_paragraphs(returned, capsys):
    ws, path = returned
    blocks = {b.text: b.id for b in ws.load_version(1).document.blocks}
    work_id = next(pid for text, pid in blocks.items() if WORK in text)
    hazard_id = next(pid for text, pid in blocks.items() if HAZARDS in text)
    code, out = run(ws, capsys, "comments", "harvest", str(path), "--round", "1", "--json")
    assert code == 0, out.err
    records = json.loads(out.out)
    comment = next(r for r in records if r["kind"] != "amendment")
    assert comment["para"] == work_id and comment["quote"] == WORK
    assert comment["author"] == "Wang Li" and comment["body"] == "Name the number of trainees per year."
    amendment = next(r for r in records if r["kind"] == "amendment")
    assert amendment["para"] == hazard_id
    assert "dust, noise or chemicals" in amendment["proposed"]
    run(ws, capsys, "comments", "harvest", str(path), "--round", "1")  # the same file again adds nothing
    assert len(list((ws.root / "comments").rglob("*.yaml"))) == len(records) == 2
