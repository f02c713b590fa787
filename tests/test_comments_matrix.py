"""Comment matrices in and out (.xlsx, .csv, .docx), bulk responses, statistics and the round report."""
from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from helpers import freeze_text, run

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


def test_import_refuses_a_date_that_is_no_day_and_keeps_the_day_of_a_date_cell(ws, capsys, tmp_path):
    import datetime as dt
    rows = [HEADER + ["Date"], [1, "p0003", "acftu", "substantive", "Fine.", "", dt.datetime(2026, 3, 5, 10, 30)],
            [2, "p0004", "acftu", "substantive", "Soon.", "", "next week"],
            [3, "p0004", "acftu", "substantive", "Leap.", "", "2026-02-30"]]
    code, out = run(ws, capsys, "comments", "import", str(write_xlsx(tmp_path / "matrix.xlsx", rows)))
    assert code == 2
    assert "matrix.xlsx:3: 2 row(s) with errors; nothing imported" in out.err
    assert "row 3: date 'next week' is not a date (YYYY-MM-DD or 2026年3月5日" in out.err
    assert "row 4: date '2026-02-30' is not a date" in out.err
    assert not list((ws.root / "comments").rglob("*.yaml"))
    code, out = run(ws, capsys, "comments", "import", str(write_xlsx(tmp_path / "matrix.xlsx", rows[:2])))
    assert code == 0, out.err
    assert "\ndate: '2026-03-05'\n" in next((ws.root / "comments").rglob("*.yaml")).read_text()


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
    assert header == ["No.", "Paragraph", "Organisation", "Type", "Comment", "Proposed change", "Response", "Status",
                      "Date", "Author", "ID"]
    paras = [sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)]
    assert paras == sorted(paras)  # paragraph order
    for r in range(2, sheet.max_row + 1):
        sheet.cell(row=r, column=7, value="Agreed.")
        sheet.cell(row=r, column=8, value="accepted")
    book.save(out_path)
    code, out = run(ws, capsys, "comments", "respond", "--from", str(out_path), "--json")
    assert code == 0, out.err
    assert {r["status"] for r in json.loads(out.out)} == {"accepted"} and len(json.loads(out.out)) == 5


def test_a_comment_opening_with_an_equals_sign_is_text_in_the_spreadsheet(ws, capsys, tmp_path):
    """Excel would run '=HYPERLINK(…)' written by a reviewer as a live formula."""
    formula = '=HYPERLINK("http://evil.example/","click")'
    assert run(ws, capsys, "comments", "add", "--org", "mohrss", "--body", formula, "--proposed", "=1+2")[0] == 0
    path = tmp_path / "m.xlsx"
    assert run(ws, capsys, "comments", "matrix", "-o", str(path))[0] == 0
    with zipfile.ZipFile(path) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()
    from openpyxl import load_workbook
    values = [cell.value for row in load_workbook(path).active.iter_rows() for cell in row]
    assert formula in values and "=1+2" in values


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


def test_bulk_responses_count_and_write_only_real_changes(ws, capsys, tmp_path):
    _harvested(ws, capsys)
    out_path = tmp_path / "matrix.xlsx"
    assert run(ws, capsys, "comments", "matrix", "-o", str(out_path))[0] == 0
    from openpyxl import load_workbook
    book = load_workbook(out_path)
    sheet = book.active
    assert {sheet.cell(row=r, column=8).value for r in range(2, sheet.max_row + 1)} == {"open"}  # every row has one
    sheet.cell(row=2, column=7, value="Agreed.")
    sheet.cell(row=2, column=8, value="accepted")
    sheet.cell(row=3, column=8, value="not accepted")
    book.save(out_path)
    code, out = run(ws, capsys, "comments", "respond", "--from", str(out_path))
    assert code == 0 and out.out.strip() == "2 comment(s) updated (3 already so)"
    files = sorted((ws.root / "comments").rglob("*.yaml"))
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}
    code, out = run(ws, capsys, "comments", "respond", "--from", str(out_path), "--json")
    assert code == 0 and json.loads(out.out) == []
    code, out = run(ws, capsys, "comments", "respond", "--from", str(out_path))
    assert out.out.strip() == "nothing to update: 5 already so"
    assert {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files} == before  # nothing written


def test_a_response_without_a_status_keeps_the_status(ws, capsys, tmp_path):
    records = _harvested(ws, capsys)
    ident = records[0]["id"]
    run(ws, capsys, "comments", "respond", ident, "--status", "accepted", "--response", "Done.")
    path = tmp_path / "answers.csv"
    path.write_text(f"ID,Response,Status\n{ident},Done in v1.,\n", encoding="utf-8")
    code, out = run(ws, capsys, "comments", "respond", "--from", str(path), "--json")
    assert code == 0
    assert json.loads(out.out) == [{"id": ident, "status": "accepted", "response": "Done in v1.", "resolved_in": 1}]


def test_stats_without_comments_say_so(ws, capsys):
    code, out = run(ws, capsys, "comments", "stats")
    assert code == 0 and out.out.strip() == "No comments yet."
    code, out = run(ws, capsys, "comments", "stats", "--round", "2")
    assert code == 0 and out.out.strip() == "No comments in round 2."


def test_report_json_keys_use_underscores(ws, capsys, tmp_path):
    _harvested(ws, capsys)
    code, out = run(ws, capsys, "comments", "report", "-o", str(tmp_path / "report.docx"), "--json")
    assert code == 0
    assert json.loads(out.out) == {"path": str(tmp_path / "report.docx"), "comments": 5, "unanswered_substantive": 5}
    code, out = run(ws, capsys, "comments", "report", "-o", str(tmp_path / "report.docx"))
    assert "(5 comments, 5 unanswered substantive)" in out.out


def test_chapters_are_listed_in_outline_order(sample_ws, capsys):
    code, out = run(sample_ws, capsys, "comments", "stats", "--json")
    assert code == 0, out.err
    chapters = list(json.loads(out.out)["by_chapter"])
    outline = [c.id for c in sample_ws.plan.chapters]
    named = [c for c in chapters if c != "(general)"]
    assert named == [c for c in outline if c in named] and {"intro", "impl"} <= set(named)
    assert chapters.index("intro") < chapters.index("impl")  # alphabetical order had them the other way round


def test_import_against_an_older_version_reanchors_on_the_latest(ws, capsys, tmp_path):
    v1 = (DATA / "v1.md").read_text()
    source = tmp_path / "v2.md"
    source.write_text(v1.replace("Occupational health examinations will be extended to all workers exposed to "
                                 "occupational hazards.\n\n", ""))
    assert run(ws, capsys, "freeze", "--stage", "consultation", "--note", "v2", "--from", str(source))[0] == 0
    path = write_xlsx(tmp_path / "late.xlsx", [HEADER + ["Quote"],
                                               [1, "p0003", "acftu", "te", "Cover platform workers.", "", "within"],
                                               [2, "p0004", "acftu", "te", "Include gig workers.", "", "all workers"]])
    code, out = run(ws, capsys, "comments", "import", str(path), "--version", "1")
    assert code == 0, out.err
    assert "2 comment(s) re-anchored on v2: 1 orphaned" in out.out
    code, out = run(ws, capsys, "comments", "list", "--json")
    assert sorted((r["para"], r["anchor"], r["version"]) for r in json.loads(out.out)) == \
        [("p0003", "anchored", 2), ("p0004", "orphaned", 2)]


def test_matrix_quotes_what_the_reviewer_commented_on_when_the_text_changed_since(ws, capsys, tmp_path):
    from openpyxl import load_workbook
    quote = "expand vocational training for rural migrant workers"
    assert run(ws, capsys, "comments", "add", "--para", "p0003", "--quote", quote, "--org", "acftu",
               "--body", "Name the number of trainees.")[0] == 0
    freeze_text(ws, capsys, tmp_path, (DATA / "v1.md").read_text().replace("for rural migrant workers", "for workers"),
                "v2")
    assert run(ws, capsys, "comments", "matrix", "-o", str(tmp_path / "m.xlsx"))[0] == 0
    cells = [str(c.value) for row in load_workbook(tmp_path / "m.xlsx").active.iter_rows() for c in row if c.value]
    assert f"“{quote}”: Name the number of trainees." in cells and "p0003 (changed)" in cells
    code, out = run(ws, capsys, "comments", "list")  # the terminal shows both, cut at a word
    assert "text: expand vocational training for rural… → expand vocational training for workers" in \
        " ".join(out.out.replace("│", " ").split())


def test_zh_matrix_names_the_anchor_verdict_in_chinese(zh_ws, capsys, tmp_path):
    from openpyxl import load_workbook
    blocks = json.loads(run(zh_ws, capsys, "show", "latest", "--json")[1].out)
    para = next(b for b in blocks if b["kind"] == "paragraph" and "以人民为中心" in b["text"])
    ident = json.loads(run(zh_ws, capsys, "comments", "add", "--para", para["id"], "--quote", "以人民为中心",
                           "--org", "acwf", "--body", "建议补充妇女发展的内容。", "--json")[1].out)["id"]
    path = next((zh_ws.root / "comments").rglob(f"{ident}.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("state: anchored", "state: orphaned"), encoding="utf-8")
    code, out = run(zh_ws, capsys, "comments", "matrix", "-o", str(tmp_path / "m.xlsx"))
    assert code == 0, out.err
    cells = [str(c.value) for row in load_workbook(tmp_path / "m.xlsx").active.iter_rows() for c in row if c.value]
    assert f"{para['id']}（已失效）" in cells
    assert not any("orphaned" in c for c in cells)
    # the workbook has the .docx matrix's title, in the plan language
    assert run(zh_ws, capsys, "comments", "matrix", "-o", str(tmp_path / "m.docx"))[0] == 0
    import docx
    title = docx.Document(str(tmp_path / "m.docx")).core_properties.title
    assert load_workbook(tmp_path / "m.xlsx").properties.title == title and "意见汇总表" in title
    # the quote and the comment joined by the Chinese colon, in the workbook and the Word matrix alike
    said = "“以人民为中心”：建议补充妇女发展的内容。"
    assert said in cells and said in [cell.text for cell in docx.Document(str(tmp_path / "m.docx")).tables[0]._cells]


@pytest.mark.parametrize("command, name", [("matrix", "comment-matrix.xlsx"), ("report", "round-report.docx")])
def test_matrix_and_report_go_to_build_by_default(ws, capsys, command, name):
    import shutil
    shutil.rmtree(ws.root / "build", ignore_errors=True)  # as in a new workspace: -o build/… was refused
    code, out = run(ws, capsys, "comments", command, "--json")
    assert code == 0, out.err
    assert json.loads(out.out)["path"] == str(ws.root / "build" / name) and (ws.root / "build" / name).is_file()


def test_report_reads_each_comment_once(ws, capsys, tmp_path, monkeypatch):
    """Reading the store checks every record and carries those on an older version onto the latest: the
    report's figures and its list of comments awaiting a response come from one reading."""
    import pipeline.comments as store
    _harvested(ws, capsys)
    reads, read_comment = [], store.read_comment
    monkeypatch.setattr(store, "read_comment", lambda path: reads.append(path) or read_comment(path))
    import pipeline.versions
    versions_read, read_version = [], pipeline.versions.read_version
    monkeypatch.setattr(pipeline.versions, "read_version",
                        lambda ws, number: versions_read.append(number) or read_version(ws, number))
    code, out = run(ws, capsys, "comments", "report", "-o", str(tmp_path / "report.docx"), "--json")
    assert code == 0 and json.loads(out.out)["unanswered_substantive"] == 5
    assert len(reads) == 5
    for command in (["report", "-o", str(tmp_path / "report.docx")], ["stats"], ["matrix", "-o", str(tmp_path / "m.xlsx")]):
        versions_read.clear()
        assert run(ws, capsys, "comments", *command)[0] == 0
        assert versions_read == [1], command  # each version read once a command


@pytest.mark.parametrize("command", ["matrix", "report"])
def test_a_round_without_comments_writes_nothing(ws, capsys, tmp_path, command):
    """`--round 9` for round 1 would have written an empty matrix or report as if all were well."""
    output = tmp_path / ("m.xlsx" if command == "matrix" else "r.docx")
    code, out = run(ws, capsys, "comments", command, "--round", "1", "-o", str(output))
    assert code == 2 and "round 1 has no comments (no comments yet); nothing written" in out.err
    _harvested(ws, capsys)
    code, out = run(ws, capsys, "comments", command, "--round", "9", "-o", str(output))
    assert code == 2 and "round 9 has no comments (rounds with comments: 1); nothing written" in out.err
    assert not output.exists()


def test_zh_noted_reads_already_known_and_both_words_read_back(zh_ws, capsys, tmp_path):
    """备注 means "remarks": a noted comment reads 已知悉; a matrix saying either word records `noted`."""
    from openpyxl import load_workbook
    from pipeline.comments import load_comments
    blocks = json.loads(run(zh_ws, capsys, "show", "latest", "--json")[1].out)
    para = next(b for b in blocks if b["kind"] == "paragraph" and "以人民为中心" in b["text"])
    ids = [json.loads(run(zh_ws, capsys, "comments", "add", "--para", para["id"], "--org", "acwf", "--body", body,
                          "--json")[1].out)["id"] for body in ("意见一。", "意见二。")]
    assert run(zh_ws, capsys, "comments", "respond", ids[0], "--status", "noted", "--response", "已阅。")[0] == 0
    path = tmp_path / "m.xlsx"
    assert run(zh_ws, capsys, "comments", "matrix", "-o", str(path))[0] == 0
    book = load_workbook(path)
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value]
    assert "已知悉" in cells and "备注" not in cells
    assert run(zh_ws, capsys, "comments", "matrix", "-o", str(tmp_path / "m.docx"))[0] == 0
    import docx
    words = [cell.text for cell in docx.Document(str(tmp_path / "m.docx")).tables[0]._cells]
    assert "已知悉" in words and "备注" not in words
    header = [c.value for c in book.active[1]]
    status, ident = header.index("采纳情况") + 1, header.index("ID") + 1
    for row in range(2, book.active.max_row + 1):  # the old word and the new both read as noted
        word = "备注" if book.active.cell(row=row, column=ident).value == ids[0] else "已知悉"
        book.active.cell(row=row, column=status, value=word)
    book.save(path)
    code, out = run(zh_ws, capsys, "comments", "respond", "--from", str(path))
    assert code == 0, out.err
    assert {c.id: c.disposition.status for c in load_comments(zh_ws) if c.id in ids} == dict.fromkeys(ids, "noted")


def test_xlsx_matrix_prints_on_landscape_pages_offers_the_statuses_and_dates_its_comments(ws, capsys, tmp_path):
    """Printed: landscape, one page wide, the header row atop every page. Dates are dates, the Status cells
    offer the status words, empty cells are empty; a matrix answered through that drop-down reads back."""
    import datetime as dt
    from openpyxl import load_workbook
    from pipeline.comments import load_comments
    _harvested(ws, capsys)
    first = load_comments(ws)[0]
    assert run(ws, capsys, "comments", "respond", first.id, "--status", "accepted", "--response", "Done.")[0] == 0
    path = tmp_path / "matrix.xlsx"
    assert run(ws, capsys, "comments", "matrix", "-o", str(path))[0] == 0
    sheet = load_workbook(path).active
    assert sheet.title == "Comments"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    header = [c.value for c in sheet[1]]
    assert header[-4:] == ["Date", "Author", "Resolved in", "ID"]  # resolved in: one comment has been answered
    column = {name: header.index(name) for name in header}
    rows = list(sheet.iter_rows(min_row=2))
    dated = [row[column["Date"]] for row in rows if row[column["Date"]].value is not None]
    assert dated and all(isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd" for c in dated)
    answered = next(row for row in rows if row[column["ID"]].value == first.id)
    assert answered[column["Resolved in"]].value.startswith("v")
    (choices,) = sheet.data_validations.dataValidation
    assert choices.type == "list" and "accepted with modification" in choices.formula1
    assert str(choices.sqref) == f"H2:H{sheet.max_row}" and header[7] == "Status"
    with zipfile.ZipFile(path) as archive:
        assert 't="inlineStr"></c>' not in archive.read("xl/worksheets/sheet1.xml").decode()
    book = load_workbook(path)
    for index, row in enumerate(book.active.iter_rows(min_row=2)):
        row[column["Status"]].value = "not accepted" if index % 2 else "accepted with modification"
    book.save(path)
    code, out = run(ws, capsys, "comments", "respond", "--from", str(path), "--json")
    assert code == 0, out.err
    assert {r["status"] for r in json.loads(out.out)} == {"not-accepted", "accepted-with-modification"}


def test_a_chinese_xlsx_matrix_names_its_sheet_and_offers_chinese_statuses(zh_ws, capsys, tmp_path):
    from openpyxl import load_workbook
    path = tmp_path / "m.xlsx"
    assert run(zh_ws, capsys, "comments", "matrix", "-o", str(path))[0] == 0
    sheet = load_workbook(path).active
    assert sheet.title == "意见汇总"
    assert [c.value for c in sheet[1]][-3:] == ["日期", "提出人", "ID"]
    assert sheet.data_validations.dataValidation[0].formula1 == '"待处理,采纳,部分采纳,不采纳,已知悉,撤回"'


def test_a_chinese_matrix_names_organisations_as_the_matrix_writes_them(zh_ws, capsys, tmp_path):
    """The matrix nhrap writes names each organisation by its registry name (人力资源和社会保障部 in a Chinese
    plan): a matrix filled in that way is imported, and `add --org` takes the name too; a near miss is
    answered with the name meant."""
    blocks = json.loads(run(zh_ws, capsys, "show", "latest", "--json")[1].out)
    para = next(b for b in blocks if b["kind"] == "paragraph" and "以人民为中心" in b["text"])
    matrix = tmp_path / "意见汇总表.csv"
    matrix.write_text("段落,原文,单位,意见\n"
                      f"{para['id']},以人民为中心,人力资源和社会保障部,建议补充。\n"
                      f"{para['id']},以人民为中心,All-China Women's Federation,建议补充妇女发展的内容。\n",
                      encoding="utf-8")
    code, out = run(zh_ws, capsys, "comments", "import", str(matrix), "--json")
    assert code == 0, out.err
    code, out = run(zh_ws, capsys, "comments", "add", "--org", "中华全国妇女联合会", "--body", "总体同意。", "--json")
    assert code == 0, out.err
    stored = json.loads(run(zh_ws, capsys, "comments", "list", "--json")[1].out)
    assert sorted(c["org"] for c in stored) == ["acwf", "acwf", "mohrss"]
    matrix.write_text(f"段落,原文,单位,意见\n{para['id']},以人民为中心,人力资源社会保障部,建议补充。\n", encoding="utf-8")
    code, out = run(zh_ws, capsys, "comments", "import", str(matrix))
    assert code == 2 and "row 2: unknown organisation '人力资源社会保障部'; did you mean '人力资源和社会保障部'?" in out.err


def test_the_panels_own_matrix_imported_back_stores_only_its_new_rows(ws, capsys, tmp_path):
    """The matrix words a comment with its quote ("“quote”: body"), so read as a new row each stored comment was
    stored again; its ID says which comment it is."""
    _harvested(ws, capsys)
    path = tmp_path / "m.xlsx"
    assert run(ws, capsys, "comments", "matrix", "--round", "1", "-o", str(path))[0] == 0
    from openpyxl import load_workbook
    book = load_workbook(path)
    sheet = book.active
    before = len(list(ws.comments_dir.rglob("*.yaml")))
    sheet.append([99, "p0003", "mohrss", "substantive", "A new comment from the meeting.", None, None, None])
    book.save(path)
    code, out = run(ws, capsys, "comments", "import", str(path), "--round", "1")
    assert code == 0, out.err
    assert len(list(ws.comments_dir.rglob("*.yaml"))) == before + 1
    assert "1 new comment" in out.out and f"{before} already stored" in out.out
