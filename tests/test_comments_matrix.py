"""Comment matrices in and out (.xlsx, .csv, .docx), bulk responses, statistics and the round report."""
from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from helpers import run

DATA = Path(__file__).parent / "data" / "comments"




@pytest.fixture
def ws(frozen_ws):
    return frozen_ws


def write_xlsx(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


HEADER = ["No.", "Paragraph number", "Organisation", "Type", "Comment", "Proposed change"]


def test_xlsx_matrix_rows_become_comments(ws, capsys, tmp_path):
    path = write_xlsx(tmp_path / "matrix.xlsx", [
        ["Comment form, round 1"], HEADER,
        [1, "p0003", "acftu", "technical", "Cover platform workers.", ""],
        [2, "4", "cshrs", "ed", "Typo in heading?", "Occupational health checks"],
        [3, "", "exp-li", "general", "The plan should cite the Constitution.", None],
    ])
    code, out = run(ws, capsys, "comments", "import", str(path), "--json")
    assert code == 0, out.err
    records = json.loads(out.out)
    assert [(r["para"], r["kind"]) for r in records] == [("p0003", "comment"), ("p0004", "amendment"), ("", "comment")]
    from pipeline.comments import load_comments
    types = {c.org: (c.type, c.org_category) for c in load_comments(ws)}
    assert types == {"acftu": ("substantive", "people"), "cshrs": ("editorial", "social"), "exp-li": ("general", "expert")}


def test_csv_matrix_row_errors_name_rows_and_store_nothing(ws, capsys, tmp_path):
    path = tmp_path / "matrix.csv"
    path.write_text("No.,Paragraph,Organisation,Type,Comment,Proposed change\n"
                    "1,p0003,acftu,substantive,Fine.,\n"
                    "2,p0999,acftu,substantive,Unknown paragraph.,\n"
                    "3,p0004,nobody,substantive,Unknown unit.,\n"
                    "4,p0004,acftu,urgent,Bad type.,\n", encoding="utf-8")
    code, out = run(ws, capsys, "comments", "import", str(path))
    assert code == 2
    assert "row 3: paragraph 'p0999' does not exist" in out.err
    assert "row 4: unknown organisation 'nobody'" in out.err and "row 5: unknown comment type 'urgent'" in out.err
    assert not list((ws.root / "comments").rglob("*.yaml"))


def _harvested(ws, capsys):
    code, out = run(ws, capsys, "comments", "harvest", str(DATA / "mohrss-returned.docx"), "--json")
    assert code == 0, out.err
    return json.loads(out.out)


def test_xlsx_matrix_round_trip_answers_comments_in_bulk(ws, capsys, tmp_path):
    _harvested(ws, capsys)
    out_path = tmp_path / "matrix.xlsx"
    assert run(ws, capsys, "comments", "matrix", "--round", "1", "-o", str(out_path))[0] == 0
    first = out_path.read_bytes()
    run(ws, capsys, "comments", "matrix", "--round", "1", "-o", str(out_path))
    assert out_path.read_bytes() == first  # deterministic
    from openpyxl import load_workbook
    book = load_workbook(out_path)
    assert book.properties.modified.date().isoformat() == "2026-03-01"  # the version's date, not the clock
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header == ["No.", "Paragraph", "Organisation", "Type", "Comment", "Proposed change", "Response", "Status", "ID"]
    paras = [sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)]
    assert paras == sorted(paras)  # paragraph order
    for r in range(2, sheet.max_row + 1):
        sheet.cell(row=r, column=7, value="Agreed.")
        sheet.cell(row=r, column=8, value="accepted")
    book.save(out_path)
    code, out = run(ws, capsys, "comments", "respond", "--from", str(out_path), "--json")
    assert code == 0, out.err
    assert {r["status"] for r in json.loads(out.out)} == {"accepted"} and len(json.loads(out.out)) == 5


def test_docx_matrix_reads_back_in_libreoffice_and_pandoc(ws, capsys, tmp_path):
    _harvested(ws, capsys)
    path = tmp_path / "matrix.docx"
    assert run(ws, capsys, "comments", "matrix", "-o", str(path))[0] == 0
    first = path.read_bytes()
    run(ws, capsys, "comments", "matrix", "-o", str(path))
    assert path.read_bytes() == first
    import pypandoc
    text = pypandoc.convert_file(str(path), "html")
    for expected in ("Proposed change", "Ministry of Human Resources", "all employees", "within 5.5 per cent"):
        assert expected in text
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=120)
    assert (tmp_path / "matrix.pdf").stat().st_size > 1000


def test_stats_and_round_report(ws, capsys, tmp_path):
    records = _harvested(ws, capsys)
    run(ws, capsys, "comments", "respond", records[0]["id"], "--status", "accepted", "--response", "Done.")
    code, out = run(ws, capsys, "comments", "stats", "--json")
    assert code == 0
    stats = json.loads(out.out)
    assert stats["total"] == 5 and stats["by_status"] == {"accepted": 1, "open": 4}
    assert stats["by_category"]["administrative"]["total"] == 5
    assert stats["by_chapter"]["esc"]["accepted"] == 1 and stats["by_chapter"]["esc"]["accepted_share"] == 1.0
    report = tmp_path / "report.docx"
    assert run(ws, capsys, "comments", "report", "--round", "1", "-o", str(report))[0] == 0
    first = report.read_bytes()
    run(ws, capsys, "comments", "report", "--round", "1", "-o", str(report))
    assert report.read_bytes() == first
    with zipfile.ZipFile(report) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert images and archive.read(images[0])[:8] == b"\x89PNG\r\n\x1a\n"
    import pypandoc
    text = pypandoc.convert_file(str(report), "plain", extra_args=["--wrap=none"])
    assert "Substantive comments awaiting a response" in text and records[1]["id"] in text
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(report)],
                   check=True, capture_output=True, timeout=120)
    assert (tmp_path / "report.pdf").stat().st_size > 1000
