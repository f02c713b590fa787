"""Word submissions written in the template become submission Markdown the draft can use."""
from __future__ import annotations

import json
import shutil
import subprocess
import uuid

import docx
import pytest

from pipeline.cli import main


def filled_template(path, rows, member="acftu", heading="esc-work"):
    document = docx.Document()
    header = document.add_table(rows=3, cols=2)
    for row, (label, value) in zip(header.rows, (("Member unit id", member), ("Round", "2"), ("Date", "2026-02-01"))):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_heading(heading, level=1)
    document.add_heading("Goals", level=2)
    document.add_paragraph("[g-acftu-01] Every enterprise with more than 25 employees signs a collective contract.", style="List Bullet")
    document.add_paragraph("Trade unions represent platform workers in wage consultations.", style="List Bullet")
    document.add_heading("Indicators", level=2)
    columns = ["ID", "Indicator", "Target", "Unit", "Comparison", "Deadline", "Kind", "Lead unit", "Co-operating units"]
    table = document.add_table(rows=1 + len(rows), cols=len(columns))
    for cell, name in zip(table.rows[0].cells, columns):
        cell.text = name
    for row, values in zip(table.rows[1:], rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.save(path)
    return path


GOOD_ROW = ["i-acftu-01", "Collective contract coverage", "90", "%", "at-least", "2029", "binding", "acftu", "mohrss, scio"]


def test_intake_converts_template_to_submission(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW])
    code = main(["--workspace", str(mini_ws.root), "intake", str(source), "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result == {"path": str(mini_ws.root / "drafts/submissions/acftu-r2.md"), "member": "acftu", "round": 2,
                      "goals": 2, "measures": 0, "indicators": 1}
    goals = {g.id: g.text for s in mini_ws.submissions() for g in s.goals}
    assert goals["g-acftu-01"].startswith("Every enterprise")
    assert goals["g-acftu-r2-02"] == "Trade unions represent platform workers in wage consultations."
    indicator = next(i for s in mini_ws.submissions() for i in s.indicators if i.id == "i-acftu-01")
    assert indicator.target == 90 and indicator.cooperating == ["mohrss", "scio"] and indicator.deadline == "2029"


def test_intake_reports_bad_row_and_writes_nothing(mini_ws, tmp_path, capsys):
    bad = GOOD_ROW.copy()
    bad[7] = "nobody"
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW, bad])
    code = main(["--workspace", str(mini_ws.root), "intake", str(source)])
    err = capsys.readouterr().err
    assert code == 2 and "acftu.docx" in err and "row 3" in err and "unknown unit 'nobody'" in err
    assert not (mini_ws.root / "drafts/submissions/acftu-r2.md").exists()


def test_intake_refuses_a_file_that_is_not_docx(mini_ws, tmp_path, capsys):
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    assert main(["--workspace", str(mini_ws.root), "intake", str(fake), "--member", "acftu"]) == 2
    assert "not a Word .docx" in capsys.readouterr().err


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_template_saved_by_libreoffice_is_read(mini_ws, tmp_path, capsys):
    template = tmp_path / "template.docx"
    assert main(["intake", "--template", str(template)]) == 0
    capsys.readouterr()
    filled = filled_template(tmp_path / "in.docx", [GOOD_ROW])
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file:///tmp/lo-{uuid.uuid4().hex}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(filled), str(template)],
                   check=True, capture_output=True, timeout=120)
    assert (out / "template.docx").stat().st_size > 0
    code = main(["--workspace", str(mini_ws.root), "intake", str(out / "in.docx"), "--json"])
    assert code == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["indicators"] == 1
