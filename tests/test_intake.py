"""Word submissions written in the template become submission Markdown the draft can use."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
import zipfile

import docx
import pytest

from docx.enum.section import WD_ORIENT

from helpers import GOOD_ROW, filled_template
from pipeline.cli import main
from pipeline.writers.ooxml import qn


def test_intake_converts_template_to_submission(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW])
    code = main(["--workspace", str(mini_ws.root), "intake", str(source), "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result == {"path": str(mini_ws.root / "drafts/submissions/acftu-r2.md"), "member": "acftu", "round": 2,
                      "goals": 2, "measures": 0, "indicators": 1, "warnings": []}
    goals = {g.id: g.text for s in mini_ws.submissions() for g in s.goals}
    assert goals["g-acftu-01"].startswith("Every enterprise")
    assert goals["g-acftu-02"] == "Trade unions represent platform workers in wage consultations."
    indicator = next(i for s in mini_ws.submissions() for i in s.indicators if i.id == "i-acftu-01")
    assert indicator.target == 90 and indicator.cooperating == ["mohrss", "scio"] and indicator.deadline == "2029"


def test_intake_on_the_terminal_counts_in_the_singular_for_one(mini_ws, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "500")
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW])
    assert main(["--workspace", str(mini_ws.root), "intake", str(source)]) == 0
    assert capsys.readouterr().out.endswith("acftu-r2.md: 2 goals, 0 measures, 1 indicator\n")  # not '1 indicators'


def test_intake_reports_bad_row_and_writes_nothing(mini_ws, tmp_path, capsys):
    bad = GOOD_ROW.copy()
    bad[0], bad[7] = "i-acftu-02", "nobody"
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW, bad])
    code = main(["--workspace", str(mini_ws.root), "intake", str(source)])
    err = capsys.readouterr().err
    assert code == 2 and "acftu.docx: indicator table 1, row 3: indicator i-acftu-02: unknown unit 'nobody'" in err
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


def intake(ws, source, *extra):
    return main(["--workspace", str(ws.root), "intake", str(source), *extra])


@pytest.mark.parametrize("column, value, message", [
    (5, "二〇三〇年", "indicator i-acftu-01: deadline '二〇三〇年' is not a year or a date (YYYY or YYYY-MM-DD)"),
    (5, "2030年底", "indicator i-acftu-01: deadline '2030年底' is not a year or a date"),
    (4, "more or less", "indicator i-acftu-01: comparison must be one of at-least"),
    (6, "mandatory", "indicator i-acftu-01: kind must be binding or expected"),
    (2, "", "indicator i-acftu-01 has no target"),
])
def test_a_bad_value_is_reported_by_docx_table_and_row(mini_ws, tmp_path, capsys, column, value, message):
    bad = GOOD_ROW.copy()
    bad[column] = value
    source = filled_template(tmp_path / "acftu.docx", [bad])
    assert intake(mini_ws, source) == 2
    err = capsys.readouterr().err
    assert f"acftu.docx: indicator table 1, row 2: {message}" in err, err
    assert ".md" not in err
    assert not (mini_ws.root / "drafts/submissions/acftu-r2.md").exists()


def test_chinese_words_dates_and_unit_names_are_normalised(mini_ws, tmp_path, capsys):
    rows = [["i-acftu-01", "集体合同覆盖率", "90", "%", "不低于", "2030年", "约束性", "中华全国总工会", "人力资源和社会保障部、scio"],
            ["i-acftu-02", "欠薪案件", "5", "%", "低于", "2029年6月30日", "预期性", "acftu", ""],
            ["i-acftu-03", "工会组建率", "95", "%", "保持", "2030-06-30", "expected", "acftu", ""],
            ["i-acftu-04", "职工培训", "100", "万人次", "达到", "2028", "Binding", "acftu", ""],
            ["i-acftu-05", "工伤人数", "10", "%", "高于", "2028", "binding", "acftu", ""],
            ["i-acftu-06", "劳动争议", "3", "%", "不高于", "2028", "binding", "acftu", ""]]
    source = filled_template(tmp_path / "acftu.docx", rows, date="2025年10月8日", round_no="第2轮")
    assert intake(mini_ws, source) == 0, capsys.readouterr().err
    submission = next(s for s in mini_ws.submissions() if s.member == "acftu")
    assert submission.date == "2025-10-08"
    found = {i.id: (i.comparison, i.deadline, i.kind, i.lead, i.cooperating) for i in submission.indicators}
    assert found == {
        "i-acftu-01": ("at-least", "2030", "binding", "acftu", ["mohrss", "scio"]),
        "i-acftu-02": ("at-most", "2029-06-30", "expected", "acftu", []),
        "i-acftu-03": ("maintain", "2030-06-30", "expected", "acftu", []),
        "i-acftu-04": ("reach", "2028", "binding", "acftu", []),
        "i-acftu-05": ("at-least", "2028", "binding", "acftu", []),
        "i-acftu-06": ("at-most", "2028", "binding", "acftu", []),
    }
    text = (mini_ws.root / "drafts/submissions/acftu-r2.md").read_text(encoding="utf-8")
    assert "date: 2025-10-08\n" in text and "deadline: 2030," in text and "comparison: at-least" in text


@pytest.mark.parametrize("date, message", [("明天", "date '明天' is not a date"), ("2025-02-30", "is not a date")])
def test_a_bad_header_date_names_the_docx(mini_ws, tmp_path, capsys, date, message):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW], date=date)
    assert intake(mini_ws, source) == 2
    err = capsys.readouterr().err
    assert "acftu.docx: header table, date: " in err and message in err


def test_missing_file_and_missing_argument_are_usage_errors(mini_ws, tmp_path, capsys):
    assert intake(mini_ws, tmp_path / "nonexist.docx") == 2
    assert "nonexist.docx: no such file" in capsys.readouterr().err
    assert main(["--workspace", str(mini_ws.root), "intake"]) == 2
    assert "give FILE.docx" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["intake", "--no-such-option"])
    assert exit_info.value.code == 2


def test_an_id_used_by_another_unit_names_both_files(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW], goals=["[g-mohrss-01] A goal copied from mohrss."])
    assert intake(mini_ws, source) == 2
    err = capsys.readouterr().err
    assert "acftu.docx: goal 1 ('A goal copied from mohrss.'): id 'g-mohrss-01' is also used in" in err
    assert "mohrss-r1.md:" in err
    assert not (mini_ws.root / "drafts/submissions/acftu-r2.md").exists()


def test_an_id_used_twice_in_the_document_names_both_places(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW, GOOD_ROW])
    assert intake(mini_ws, source) == 2
    assert ("acftu.docx: indicator table 1, row 3: id 'i-acftu-01' is also used by indicator table 1, row 2"
            in capsys.readouterr().err)


def test_the_same_round_in_another_file_is_refused(mini_ws, tmp_path, capsys):
    other = mini_ws.root / "drafts/submissions/acftu-r02.md"
    other.write_text("---\nmember: acftu\nround: 2\ndate: 2026-01-01\n---\n\n## esc-work\n\n### Goals\n\n"
                     "- [g-acftu-09] Another goal.\n", encoding="utf-8")
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW])
    assert intake(mini_ws, source) == 2
    err = capsys.readouterr().err
    assert "acftu.docx: round 2 of 'acftu' is already in" in err and "acftu-r02.md" in err


def test_former_member_and_superseded_round_are_warned(mini_ws, tmp_path, capsys):
    row = GOOD_ROW.copy()
    row[0], row[7] = "i-mos-01", "mos"
    source = filled_template(tmp_path / "mos.docx", [row], member="mos", goals=["A goal."])
    assert intake(mini_ws, source) == 0
    assert "mos.docx: warning: 'mos' is a former member unit" in capsys.readouterr().err
    source = filled_template(tmp_path / "mohrss.docx", [], member="mohrss", round_no="1", goals=["A goal."])
    assert intake(mini_ws, source, "--round", "0") == 2
    assert "--round must be 1 or more" in capsys.readouterr().err


def test_an_older_round_than_one_stored_is_taken_in_with_a_warning(mini_ws, tmp_path, capsys):
    assert intake(mini_ws, filled_template(tmp_path / "acftu-2.docx", [GOOD_ROW])) == 0
    capsys.readouterr()
    assert intake(mini_ws, filled_template(tmp_path / "acftu-1.docx", [GOOD_ROW], round_no="1")) == 0
    err = capsys.readouterr().err
    assert "acftu-1.docx: warning: " in err, err
    assert "acftu-r2.md is a later round of 'acftu': `nhrap draft` uses that one, not this one" in err, err
    assert (mini_ws.root / "drafts/submissions/acftu-r1.md").exists()


def test_an_unknown_goal_is_refused_by_its_row(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [[*GOOD_ROW, "g-acftu-09"]])
    assert intake(mini_ws, source) == 2
    assert ("acftu.docx: indicator table 1, row 2: indicator i-acftu-01: goal 'g-acftu-09' is not a goal of this or "
            "any other current submission (goals here: g-acftu-01, g-acftu-02)") in capsys.readouterr().err
    assert not (mini_ws.root / "drafts/submissions/acftu-r2.md").exists()


def test_a_round_dropping_a_goal_another_unit_names_is_refused(mini_ws, tmp_path, capsys):
    row = [*GOOD_ROW, "g-mohrss-02"]
    assert intake(mini_ws, filled_template(tmp_path / "acftu.docx", [row], round_no="1")) == 0
    source = filled_template(tmp_path / "mohrss.docx", [], member="mohrss", goals=["[g-mohrss-01] Jobs."])
    assert intake(mini_ws, source) == 2
    assert "mohrss.docx: " in (err := capsys.readouterr().err) and "acftu-r1.md:" in err
    assert "indicator i-acftu-01: goal 'g-mohrss-02' is not a goal" in err
    assert not (mini_ws.root / "drafts/submissions/mohrss-r2.md").exists()


def test_an_empty_later_round_is_refused(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "mohrss.docx", [], member="mohrss", goals=[])
    assert intake(mini_ws, source) == 2
    assert ("mohrss.docx: round 2 of mohrss has no goals, measures or indicators; a later round replaces the earlier "
            "one as a whole") in capsys.readouterr().err
    assert not (mini_ws.root / "drafts/submissions/mohrss-r2.md").exists()


def test_generated_ids_stay_the_same_in_a_later_round(mini_ws, tmp_path, capsys):
    goals = ["Trade unions represent platform workers.", "[g-acftu-07] A numbered goal.", "Wage arrears are cleared."]
    row = GOOD_ROW.copy()
    row[0] = ""
    ids = []
    for round_no in ("1", "2"):
        source = filled_template(tmp_path / f"acftu-{round_no}.docx", [row], round_no=round_no, goals=goals)
        assert intake(mini_ws, source) == 0, capsys.readouterr().err
        text = (mini_ws.root / f"drafts/submissions/acftu-r{round_no}.md").read_text(encoding="utf-8")
        ids.append(re.findall(r"\[([a-z0-9-]+)\]|id: ([a-z0-9-]+)", text))
    assert ids[0] == ids[1]
    assert [a or b for a, b in ids[0]] == ["g-acftu-01", "g-acftu-07", "g-acftu-03", "i-acftu-01"]
    mini_ws._submissions = None
    assert {g.id for s in mini_ws.submissions() if s.member == "acftu" for g in s.goals} == \
        {"g-acftu-01", "g-acftu-07", "g-acftu-03"}


def test_a_generated_id_that_is_taken_is_refused(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW], goals=["No id here.", "[g-acftu-01] Numbered."])
    assert intake(mini_ws, source) == 2
    assert "goal 1 ('No id here.'): has no id, and the one it would get, 'g-acftu-01', is already used by goal 2" \
        in capsys.readouterr().err


def test_template_is_deterministic(tmp_path, capsys):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    assert main(["intake", "--template", str(first), "--language", "en"]) == 0
    assert main(["intake", "--template", str(second), "--language", "en"]) == 0
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_template_language_without_labels_is_refused(tmp_path):
    from pipeline.errors import UserError
    from pipeline.writers.submission_template import write_template
    with pytest.raises(UserError, match="no submission template in 'fr': use one of en, zh"):
        write_template(tmp_path / "t.docx", "fr")
    assert not (tmp_path / "t.docx").exists()


def test_chinese_template_in_a_zh_workspace_reads_back(zh_ws, tmp_path, capsys):
    template = tmp_path / "模板.docx"
    assert main(["--workspace", str(zh_ws.root), "intake", "--template", str(template)]) == 0
    capsys.readouterr()
    document = docx.Document(str(template))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["工作权利 {#esc-work}", "目标", "措施", "指标"]
    assert [c.text for c in document.tables[1].rows[0].cells][:3] == ["编号", "指标", "目标值"]
    header = document.tables[0]
    assert header.rows[2].cells[1].text == "____年__月__日"  # the form a Chinese clerk fills in
    header.rows[0].cells[1].text = "人力资源和社会保障部"
    example = document.tables[1].rows[1].cells
    example[0].text, example[9].text, example[11].text = "i-mohrss-90", "mohrss", ""
    for paragraph in document.paragraphs:
        paragraph.text = paragraph.text.replace("[g-unit-01]", "[g-mohrss-90]").replace("[m-unit-01]", "[m-mohrss-90]")
    filled = tmp_path / "filled.docx"
    document.save(str(filled))
    assert main(["--workspace", str(zh_ws.root), "intake", str(filled), "--round", "5", "--json"]) == 0, \
        capsys.readouterr().err
    result = json.loads(capsys.readouterr().out)
    assert (result["member"], result["goals"], result["measures"], result["indicators"]) == ("mohrss", 1, 1, 1)
    indicator = next(i for s in zh_ws.submissions() for i in s.indicators if i.id == "i-mohrss-90")
    assert (indicator.comparison, indicator.kind, indicator.deadline) == ("at-most", "binding", "2030")
    assert next(s for s in zh_ws.submissions() if s.member == "mohrss").date == ""  # the blank left: no date
    written = (zh_ws.root / "drafts" / "submissions" / "mohrss-r5.md").read_text(encoding="utf-8")
    assert "### 目标" in written and "### 措施" in written and "### 指标" in written and "Goals" not in written


def test_template_of_a_new_plan_uses_its_years(tmp_path, capsys):
    assert main(["init", str(tmp_path / "ws"), "--period", "2036-2040"]) == 0
    template = tmp_path / "t.docx"
    assert main(["--workspace", str(tmp_path / "ws"), "intake", "--template", str(template)]) == 0
    document = docx.Document(str(template))
    example = [c.text for c in document.tables[1].rows[1].cells]
    assert (example[6], example[7]) == ("2035", "2040")  # base year, deadline: not 2025 and 2030
    assert "a year (2040) or a date (2040-06-30)" in document.paragraphs[1].text


def test_the_templates_example_items_left_in_are_refused(mini_ws, tmp_path, capsys):
    template = tmp_path / "t.docx"
    assert main(["--workspace", str(mini_ws.root), "intake", "--template", str(template)]) == 0
    document = docx.Document(str(template))
    document.tables[0].rows[0].cells[1].text = "acftu"
    document.paragraphs[4].insert_paragraph_before("Cover platform workers by work-injury insurance.", style="List Bullet")
    document.tables[1].rows[1].cells[0].text = "i-acftu-01"  # its own indicator over the example row
    document.tables[1].rows[1].cells[9].text = "acftu"
    document.save(str(tmp_path / "acftu.docx"))
    capsys.readouterr()
    assert intake(mini_ws, tmp_path / "acftu.docx") == 2
    assert "goal 2 ('Goal text.'): 'g-unit-01' is the template's example: delete it" in capsys.readouterr().err
    assert not (mini_ws.root / "drafts" / "submissions" / "acftu-r1.md").exists()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_templates_indicator_table_is_landscape_and_no_value_breaks_mid_word(tmp_path, capsys, language):
    """On a portrait page the twelve columns broke "2030" and "i-unit-01" mid-word."""
    from pipeline.writers.docx_columns import CELL_MARGINS, style_size, text_twips
    template = tmp_path / "t.docx"
    assert main(["intake", "--template", str(template), "--language", language]) == 0
    document = docx.Document(str(template))
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    table = document.tables[1]
    children = list(document.element.body)
    portrait_end = next(k for k, child in enumerate(children) if child.find(f".//{qn('w:sectPr')}") is not None)
    assert children.index(table._tbl) > portrait_end
    size = style_size(document.styles.element, "TableText")
    grid = [int(c.w.twips) for c in table._tbl.tblGrid.gridCol_lst]
    for row in table.rows:
        for cell, width in zip(row.cells, grid):
            assert cell.paragraphs[0].style.name == "Table Text"
            for word in cell.text.split():
                assert width >= text_twips(word, size) + CELL_MARGINS, (word, width)
    assert sum(grid) <= document.sections[1].page_width.twips - document.sections[1].left_margin.twips \
        - document.sections[1].right_margin.twips


def test_a_chinese_template_has_the_plans_fonts_not_a_blue_title(zh_ws, tmp_path, capsys):
    template = tmp_path / "模板.docx"
    assert main(["--workspace", str(zh_ws.root), "intake", "--template", str(template)]) == 0
    document = docx.Document(str(template))
    title = document.styles["Title"]
    assert title.font.color.rgb == docx.shared.RGBColor(0, 0, 0)
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.paragraphs[0].style.name == "Title"
