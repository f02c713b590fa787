"""Helpers the test modules share."""
from __future__ import annotations

import copy


def run(ws, capsys, *args):
    """Run `nhrap --workspace WS ARGS…`; returns (exit code, captured stdout/stderr)."""
    from pipeline.cli import main
    code = main(["--workspace", str(ws.root), *args])
    return code, capsys.readouterr()


def snapshot(ws) -> dict:
    """Every file of the workspace but build/ (caches): what a refused command must leave as it was."""
    return {str(path): path.read_bytes() for path in sorted(ws.root.rglob("*"))
            if path.is_file() and "build" not in path.relative_to(ws.root).parts}


def refused(ws, capsys, *args) -> str:
    """Run a command that must stop with status 2 and no traceback, leaving every file as it was; its stderr."""
    before = snapshot(ws)
    try:
        code, out = run(ws, capsys, *args)
    except SystemExit as stop:  # argparse refuses an argument its type check rejects
        code, out = stop.code, capsys.readouterr()
    assert code == 2, (code, out.err)
    assert "Traceback" not in out.err
    assert snapshot(ws) == before
    return out.err


def freeze_text(ws, capsys, tmp_path, text: str, name: str) -> None:
    """Freeze Markdown `text` as the next version (stage consultation, note `name`)."""
    source = tmp_path / f"{name}.md"
    source.write_text(text)
    code, out = run(ws, capsys, "freeze", "--stage", "consultation", "--note", name, "--date", "2026-04-01",
                    "--from", str(source))
    assert code == 0, out.err


# -- editing a Word document as a reviewer does (python-docx) --------------------------------------------
def paragraph_with(document, needle):
    return next(p for p in document.paragraphs if needle in p.text)


def split_run(paragraph, needle):
    """Split the run of a python-docx paragraph holding `needle` so that the needle is a run of its own;
    return that run."""
    from docx.oxml.ns import qn
    for run_ in paragraph.runs:
        text = run_.text
        if needle in text:
            before, after = text.split(needle, 1)
            run_.text = needle
            for piece, place in ((before, run_._r.addprevious), (after, run_._r.addnext)):
                if piece:
                    twin = copy.deepcopy(run_._r)
                    twin.find(qn("w:t")).text = piece
                    twin.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                    place(twin)
            return run_
    raise AssertionError(f"{needle!r} not found in one run")


# -- a member unit's submission in the Word template ---------------------------------------------------
def filled_template(path, rows, member="acftu", heading="esc-work", round_no="2", date="2026-02-01", goals=None):
    """A submission template filled in by a member unit, as python-docx writes it."""
    import docx
    document = docx.Document()
    header = document.add_table(rows=3, cols=2)
    for row, (label, value) in zip(header.rows, (("Member unit id", member), ("Round", round_no), ("Date", date))):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_heading(heading, level=1)
    document.add_heading("Goals", level=2)
    for goal in goals if goals is not None else ["[g-acftu-01] Every enterprise with more than 25 employees signs a collective contract.",
                          "Trade unions represent platform workers in wage consultations."]:
        document.add_paragraph(goal, style="List Bullet")
    document.add_heading("Indicators", level=2)
    columns = ["ID", "Indicator", "Target", "Unit", "Comparison", "Deadline", "Kind", "Lead unit", "Co-operating units",
               "Goal"]
    table = document.add_table(rows=1 + len(rows), cols=len(columns))
    for cell, name in zip(table.rows[0].cells, columns):
        cell.text = name
    for row, values in zip(table.rows[1:], rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.save(path)
    return path


GOOD_ROW = ["i-acftu-01", "Collective contract coverage", "90", "%", "at-least", "2029", "binding", "acftu", "mohrss, scio"]
