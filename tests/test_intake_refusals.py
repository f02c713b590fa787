"""What a unit writes where intake does not read it is refused, never dropped: a later round replaces the unit's
earlier one as a whole, so a lost goal or indicator would vanish from the plan."""
from __future__ import annotations

import json
import shutil
import subprocess
import uuid
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from helpers import GOOD_ROW, filled_template
from pipeline.cli import main

OUT = "drafts/submissions/acftu-r2.md"


def intake(ws, source, *extra):
    return main(["--workspace", str(ws.root), "intake", str(source), *extra])


def refused(ws, capsys, source, *needles):
    """The intake of `source` stops with status 2, its message naming the file and holding `needles`."""
    assert intake(ws, source) == 2
    err = capsys.readouterr().err
    assert f"{source.name}: " in err, err
    for needle in needles:
        assert needle in err, err
    assert not (ws.root / OUT).exists()
    return err


def edited(path, change):
    """The filled template at `path` after `change(document)`, saved over it."""
    document = docx.Document(str(path))
    change(document)
    document.save(str(path))
    return path


def heading(document, text):
    return next(p for p in document.paragraphs if p.text == text)


# -- 1. tracked changes are read as accepted ---------------------------------------------------------------
def track(paragraph, kind):
    """Wrap the paragraph's runs in a tracked insertion or deletion, as Word writes them with Track Changes on."""
    mark = parse_xml(f'<w:{kind} {nsdecls("w")} w:id="9{len(kind)}" w:author="clerk" w:date="2026-01-01T00:00:00Z"/>')
    for run in list(paragraph._p.r_lst):
        if kind == "del":
            for text in run.findall(f"{{{run.nsmap['w']}}}t"):
                text.tag = f"{{{run.nsmap['w']}}}delText"
        mark.append(run)
    paragraph._p.append(mark)


def test_text_typed_with_track_changes_on_is_read_and_tracked_deletions_are_left_out(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW],
                             goals=["[g-acftu-01] A goal typed with tracking on.", "[g-acftu-02] A deleted goal."])
    edited(source, lambda d: (track(d.paragraphs[2], "ins"), track(d.paragraphs[3], "del")))
    assert intake(mini_ws, source) == 0, capsys.readouterr().err
    text = (mini_ws.root / OUT).read_text(encoding="utf-8")
    assert "- [g-acftu-01] A goal typed with tracking on." in text
    assert "deleted" not in text


def test_an_indicator_row_typed_with_track_changes_on_is_read(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW])
    edited(source, lambda d: [track(p, "ins") for cell in d.tables[1].rows[1].cells for p in cell.paragraphs])
    assert intake(mini_ws, source, "--json") == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["indicators"] == 1


# -- 2, 4, 5. tables and paragraphs intake would not read ----------------------------------------------------
def drop_header_row(document):
    table = document.tables[1]
    table._tbl.remove(table.rows[0]._tr)


def test_an_indicator_table_without_its_header_row_is_refused(mini_ws, tmp_path, capsys):
    row2 = [*GOOD_ROW[:1], "Second indicator", *GOOD_ROW[2:]]
    row2[0] = "i-acftu-02"
    source = edited(filled_template(tmp_path / "acftu.docx", [GOOD_ROW, row2]), drop_header_row)
    refused(mini_ws, capsys, source, "indicator table 1 ('i-acftu-01 Collective contract coverage",
            "its first row is not the header row (ID, Indicator, Target,")


def test_a_table_under_goals_is_refused(mini_ws, tmp_path, capsys):
    source = edited(filled_template(tmp_path / "acftu.docx", [GOOD_ROW]),
                    lambda d: heading(d, "Indicators")._p.getparent().remove(heading(d, "Indicators")._p))
    refused(mini_ws, capsys, source, "table 2 ('ID Indicator Target", "is under the heading 'Goals', where it would "
            "not be read: the indicator table goes under a Heading 2 'Indicators (指标)'")


@pytest.mark.parametrize("place, text, message", [
    ("Indicators", "Also: platform workers covered, 80% by 2030.",
     "paragraph 'Also: platform workers covered, 80% by…': is under the heading 'Indicators', where it would not "
     "be read: indicators are read from the rows of the table under it"),
    ("Goals", "This section is the work of the legal department.",
     "paragraph 'This section is the work of the legal…': is under the heading 'esc-work', where it would not be "
     "read: put it under a Heading 2"),
])
def test_a_paragraph_where_nothing_reads_it_is_refused(mini_ws, tmp_path, capsys, place, text, message):
    def add(document):
        anchor = heading(document, place)
        if place == "Indicators":
            anchor._p.addnext(anchor.insert_paragraph_before(text)._p)  # after the heading, before the table
        else:
            anchor.insert_paragraph_before(text)  # under the Heading 1, above Goals
    refused(mini_ws, capsys, edited(filled_template(tmp_path / "acftu.docx", [GOOD_ROW]), add), message)


def test_an_extra_row_in_the_header_table_is_refused(mini_ws, tmp_path, capsys):
    def add(document):
        row = document.tables[0].add_row()
        row.cells[0].text, row.cells[1].text = "Contact", "Ms Li, 010-1234"
    refused(mini_ws, capsys, edited(filled_template(tmp_path / "acftu.docx", [GOOD_ROW]), add),
            "header table, row 4: 'Contact' is not a field of the header table (Member unit id, Round, Date, 成员单位")


def rename_column(number, name):
    def change(document):
        document.tables[1].rows[0].cells[number].text = name
    return change


@pytest.mark.parametrize("number, name, message", [
    (9, "Remarks", "unknown column 'Remarks' (columns: ID, Indicator, Target, Unit,"),
    (2, "Target (%)", "unknown column 'Target (%)'; did you mean 'Target'? (columns: ID, Indicator,"),
    (4, "Indicator", "column 'Indicator' appears twice"),
])
def test_an_unknown_or_repeated_column_is_refused_by_name(mini_ws, tmp_path, capsys, number, name, message):
    source = edited(filled_template(tmp_path / "acftu.docx", [[*GOOD_ROW, "g-acftu-01"]]), rename_column(number, name))
    refused(mini_ws, capsys, source, "indicator table 1 (", message)


def test_a_chinese_column_renamed_is_refused_with_the_chinese_names(zh_ws, tmp_path, capsys):
    template = tmp_path / "t.docx"
    assert main(["--workspace", str(zh_ws.root), "intake", "--template", str(template)]) == 0
    document = docx.Document(str(template))
    submissions = zh_ws.root / "drafts" / "submissions"
    before = {path.name: path.read_bytes() for path in submissions.glob("*.md")}
    document.tables[1].rows[0].cells[2].text = "目标值（%）"
    document.save(str(tmp_path / "mohrss.docx"))
    assert main(["--workspace", str(zh_ws.root), "intake", str(tmp_path / "mohrss.docx"), "--member", "mohrss"]) == 2
    assert "unknown column '目标值（%）'; did you mean '目标值'? (columns: 编号, 指标, 目标值, 单位," \
        in capsys.readouterr().err
    assert {path.name: path.read_bytes() for path in submissions.glob("*.md")} == before  # nothing written


# -- 3. ids in full-width brackets -----------------------------------------------------------------------
def test_ids_in_full_width_brackets_are_ids(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW],
                             goals=["【g-acftu-05】 A goal.", "［g-acftu-06］A second goal."])
    assert intake(mini_ws, source) == 0, capsys.readouterr().err
    text = (mini_ws.root / OUT).read_text(encoding="utf-8")
    assert "- [g-acftu-05] A goal.\n- [g-acftu-06] A second goal.\n" in text and "【" not in text


def test_a_bracketed_label_that_is_no_id_stays_text(mini_ws, tmp_path, capsys):
    """【重点任务】 opens many a paragraph of Chinese official writing: a label, not an id."""
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW], goals=["【重点任务】加强集体协商。"])
    assert intake(mini_ws, source) == 0, capsys.readouterr().err
    assert "【重点任务】加强集体协商。" in (mini_ws.root / OUT).read_text(encoding="utf-8")


def test_a_goal_before_any_section_heading_is_refused(mini_ws, tmp_path, capsys):
    def goal_on_top(document):
        document.paragraphs[0].insert_paragraph_before("[g-acftu-09] A goal written above the sections.")
    source = edited(filled_template(tmp_path / "acftu.docx", [GOOD_ROW]), goal_on_top)
    refused(mini_ws, capsys, source, "paragraph '[g-acftu-09] A goal written above the…': comes before any section "
            "heading (Heading 1), where it would not be read")


def test_a_third_column_in_the_header_table_is_refused(mini_ws, tmp_path, capsys):
    def third_column(document):
        document.tables[0].add_column(docx.shared.Cm(3)).cells[1].text = "2"
    source = edited(filled_template(tmp_path / "acftu.docx", [GOOD_ROW]), third_column)
    refused(mini_ws, capsys, source, "header table, row 2: a third column of the header table is not read")


def test_a_goal_inside_a_content_control_is_read(mini_ws, tmp_path, capsys):
    """Templates made in Word hold fill-in fields in content controls (w:sdt); their text was skipped."""
    def in_content_control(document):
        goal = next(p for p in document.paragraphs if p.text.startswith("Trade unions"))
        control = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent/></w:sdt>')
        goal._p.addprevious(control)
        control[1].append(goal._p)
    source = edited(filled_template(tmp_path / "acftu.docx", [GOOD_ROW]), in_content_control)
    assert intake(mini_ws, source) == 0, capsys.readouterr().err
    assert "Trade unions represent platform workers" in (mini_ws.root / OUT).read_text(encoding="utf-8")


def test_a_damaged_package_is_refused_not_a_crash(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW])
    data = bytearray(source.read_bytes())
    start = data.index(b"PK\x01\x02")  # the central directory: zipfile still sees a zip, then cannot open it
    data[start + 3] = 0x09
    source.write_bytes(bytes(data))
    assert intake(mini_ws, source) == 2
    assert "acftu.docx: cannot read this .docx" in capsys.readouterr().err
    assert not (mini_ws.root / OUT).exists()


# -- 6. merged cells, a unit repeated in the target ---------------------------------------------------------
def test_a_cell_merged_across_two_columns_is_refused_by_row(mini_ws, tmp_path, capsys):
    def merge(document):
        cells = document.tables[1].rows[1].cells
        cells[2].merge(cells[3]).text = "90%"
    source = edited(filled_template(tmp_path / "acftu.docx", [GOOD_ROW]), merge)
    refused(mini_ws, capsys, source, "indicator table 1, row 2: one cell is merged across the columns 'Target' and "
            "'Unit': split it")


def test_a_target_repeating_its_unit_is_the_number(mini_ws, tmp_path, capsys):
    row = GOOD_ROW.copy()
    row[2] = "90%"
    assert intake(mini_ws, filled_template(tmp_path / "acftu.docx", [row])) == 0, capsys.readouterr().err
    assert "target: 90, unit: '%'" in (mini_ws.root / OUT).read_text(encoding="utf-8")


# -- 7. an empty form --------------------------------------------------------------------------------------
def test_a_form_with_nothing_filled_in_is_refused(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [], round_no="1", goals=[])
    assert intake(mini_ws, source) == 2
    assert "acftu.docx: no goals, measures or indicators found" in capsys.readouterr().err
    assert not (mini_ws.root / "drafts/submissions/acftu-r1.md").exists()


# -- 8. other file formats ---------------------------------------------------------------------------------
@pytest.mark.parametrize("head, message", [
    (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504), "an old Word 97-2003 .doc file (or an encrypted or other Office "
     "file), not a .docx: open it in Word or LibreOffice and save it as Word (.docx)"),
    (b"{\\rtf1\\ansi hello}", "a Rich Text Format (.rtf) file, not a .docx"),
])
def test_an_old_word_or_rtf_file_is_named_as_such(mini_ws, tmp_path, capsys, head, message):
    source = tmp_path / "acftu.docx"
    source.write_bytes(head)
    refused(mini_ws, capsys, source, message)


def write_odt(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content xmlns:office="
                         "'urn:oasis:names:tc:opendocument:xmlns:office:1.0'/>")
    return path


def test_an_odt_without_libreoffice_says_to_save_it_as_docx(mini_ws, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("pipeline.libreoffice.SOFFICE", "no-such-soffice")
    refused(mini_ws, capsys, write_odt(tmp_path / "acftu.odt"), "reading .odt needs LibreOffice (soffice); "
            "save it as .docx instead")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_an_odt_is_converted_and_read(mini_ws, tmp_path, capsys):
    filled = filled_template(tmp_path / "acftu.docx", [GOOD_ROW])
    subprocess.run(["soffice", f"-env:UserInstallation=file:///tmp/lo-{uuid.uuid4().hex}", "--headless",
                    "--convert-to", "odt", "--outdir", str(tmp_path / "odt"), str(filled)],
                   check=True, capture_output=True, timeout=120)
    assert intake(mini_ws, tmp_path / "odt" / "acftu.odt", "--json") == 0, capsys.readouterr().err
    result = json.loads(capsys.readouterr().out)
    assert (result["goals"], result["indicators"]) == (2, 1)


# -- 9. advice for a table row without an id -----------------------------------------------------------------
def test_a_row_without_an_id_is_told_to_use_the_id_column(mini_ws, tmp_path, capsys):
    first, second = GOOD_ROW.copy(), GOOD_ROW.copy()
    first[0], second[1] = "", "Another indicator"
    source = filled_template(tmp_path / "acftu.docx", [first, second])
    refused(mini_ws, capsys, source, "indicator table 1, row 2: has no id, and the one it would get, 'i-acftu-01', "
            "is already used by indicator table 1, row 3: write the ids in the ID (编号) column")


def test_a_document_with_a_doctype_or_entities_is_refused_as_harvest_refuses_it(mini_ws, tmp_path, capsys):
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW], goals=["[g-acftu-01] Measure XXE plain."])
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"]
    declaration = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
    xml = xml.replace(b"?>", b"?>" + declaration, 1).replace(b"Measure XXE plain.", b"Measure &xxe; plain.")
    parts["word/document.xml"] = xml
    with zipfile.ZipFile(source, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    refused(mini_ws, capsys, source, "word/document.xml contains a DOCTYPE or entity declaration; refusing it")
