"""Text that comes in, by any door, is text: control characters are refused where they stand
(file and line, option, spreadsheet row and column), and nothing is written."""
from __future__ import annotations

import json

import pytest

from helpers import refused, run

QUOTE = "surveyed urban unemployment rate"


def edit(ws, name, old, new):
    path = ws.root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("char, code", [("\x1b", "U+001B"), ("\x00", "U+0000"), ("\x7f", "U+007F"),
                                        ("\x85", "U+0085")])
def test_a_control_character_in_a_submission_stops_freeze_at_its_line(mini_ws, capsys, char, code):
    edit(mini_ws, "drafts/submissions/mohrss-r1.md", "Keep the surveyed", f"Keep the{char}surveyed")
    err = refused(mini_ws, capsys, "freeze", "--stage", "consultation", "--note", "x")
    assert f"mohrss-r1.md:11: control character {code} at column 25; delete it" in err


def test_a_control_character_in_a_chapter_is_refused(mini_ws, capsys):
    edit(mini_ws, "drafts/chapters/01-esc.md", "full employment", "full\x01employment")
    assert "01-esc.md:5: control character U+0001 at column 24" in refused(mini_ws, capsys, "draft")


@pytest.mark.parametrize("name, old, new, line", [
    ("drafts/plan.yaml", "title: Test Plan (2026–2030)", 'title: "Plan\\x01 T"', 1),
    ("drafts/members.yaml", "name_en: Ministry of Supervision", 'name_en: "MFA\\x01"', 5),
    ("drafts/members.yaml", "name_zh: 监察部", 'name_zh: "监察\\e部"', 5),
    ("drafts/submissions/mohrss-r1.md", "text: Surveyed urban unemployment rate",
     'text: "Surveyed\\u0007 urban unemployment rate"', 17),
    ("drafts/submissions/mohrss-r1.md", "date: 2025-09-15", 'date: "2025-09-15\\x9b"', 4),
])
def test_a_control_character_written_as_a_yaml_escape_is_refused_at_its_line(mini_ws, capsys, name, old, new, line):
    edit(mini_ws, name, old, new)
    err = refused(mini_ws, capsys, "status")
    assert f"{name.split('/')[-1]}:{line}: control character U+" in err and "written as an escape" in err


@pytest.fixture
def ws(frozen_ws):
    return frozen_ws


def add(ws, capsys, body: str):
    return run(ws, capsys, "comments", "add", "--para", "p0003", "--quote", QUOTE, "--org", "mohrss",
               "--body", body, "--json")


def test_comment_text_on_the_command_line_is_refused_naming_the_option(ws, capsys):
    assert "control character U+0001 in --body; delete it" in refused(
        ws, capsys, "comments", "add", "--para", "p0003", "--quote", QUOTE, "--org", "mohrss", "--body", "a\x01b")
    assert "control character U+001B in --quote" in refused(
        ws, capsys, "comments", "add", "--para", "p0003", "--quote", "surveyed\x1b[31m", "--org", "mohrss",
        "--body", "b")
    code, out = add(ws, capsys, "Fine.")
    assert code == 0, out.err
    ident = json.loads(out.out)["id"]
    assert "U+0001 in --response" in refused(ws, capsys, "comments", "respond", ident, "--status", "accepted",
                                             "--response", "ok\x01")
    assert "U+001B in --note" in refused(ws, capsys, "freeze", "--stage", "consultation", "--note", "x\x1b")
    assert "U+009B in --org" in refused(ws, capsys, "comments", "list", "--org", "moh\x9brss")
    # a byte that is not UTF-8 reaches Python as a surrogate: named, not a UnicodeEncodeError
    assert "surrogate U+DCFF in --body" in refused(
        ws, capsys, "comments", "add", "--para", "p0003", "--quote", QUOTE, "--org", "mohrss", "--body", "a\udcffb")


def test_a_yaml_escape_in_a_comment_file_is_refused_at_its_line(ws, capsys):
    code, out = add(ws, capsys, "Fine.")
    assert code == 0, out.err
    path = next((ws.root / "comments").rglob("*.yaml"))
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, 1) if text.startswith("body:"))
    lines[line - 1] = 'body: "a\\x01b"'
    path.write_text("\n".join(lines), encoding="utf-8")
    for command in (("comments", "list"), ("comments", "matrix", "-o", str(ws.root / "m.xlsx"))):
        err = refused(ws, capsys, *command)
        assert f"{path.name}:{line}: control character U+0001 in a value, written as an escape" in err


HEADER = ["No.", "Paragraph", "Organisation", "Type", "Comment", "Proposed change"]


def test_a_control_character_in_a_spreadsheet_cell_names_its_row_and_column(ws, capsys, tmp_path):
    from openpyxl import Workbook
    book = Workbook()
    for row in (HEADER, [1, "p0003", "acftu", "technical", "Fine.", ""],
                [2, "p0003", "acftu", "technical", "Cover\x7f platform workers.", ""]):
        book.active.append(row)
    book.save(tmp_path / "matrix.xlsx")
    err = refused(ws, capsys, "comments", "import", str(tmp_path / "matrix.xlsx"))
    assert "matrix.xlsx: control character U+007F in row 3, column E; delete it" in err
    (tmp_path / "matrix.csv").write_text(",".join(HEADER) + "\n1,p0003,acftu,technical,\"a\x01b\",\n")
    assert "matrix.csv:2: control character U+0001 at column 27" in refused(
        ws, capsys, "comments", "import", str(tmp_path / "matrix.csv"))


def test_a_control_character_in_a_word_submission_is_refused_before_anything_is_written(mini_ws, capsys, tmp_path):
    from helpers import GOOD_ROW, filled_template
    source = filled_template(tmp_path / "acftu.docx", [GOOD_ROW],
                             goals=["[g-acftu-01] Every enterprise\x7f signs a collective contract."])
    err = refused(mini_ws, capsys, "intake", str(source))
    assert "acftu.docx: control character U+007F" in err and "(in the Markdown it converts to)" in err


def laughs(depth: int) -> str:
    """A "billion laughs": each level a list of nine aliases of the one before (9**depth strings in all)."""
    levels = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"&a{level} [{', '.join([f'*a{level - 1}'] * 9)}]" for level in range(1, depth)]
    return f"[{', '.join(levels)}]"


ALIAS = "'*a0' repeats the value marked '&a0' (a YAML alias): nhrap's files do not use aliases"


@pytest.mark.parametrize("name, old, line", [
    ("drafts/plan.yaml", "title: Test Plan (2026–2030)", 1),
    ("drafts/submissions/mohrss-r1.md", "date: 2025-09-15", 5),  # contact:, after date:
    ("drafts/members.yaml", "name_en: Ministry of Supervision", 5),
])
def test_a_yaml_alias_is_refused_at_its_line(mini_ws, capsys, name, old, line):
    key = old.split(":")[0]
    new = f"{old}\ncontact: {laughs(6)}" if key == "date" else f"{key}: {laughs(6)}"
    edit(mini_ws, name, old, new)
    err = refused(mini_ws, capsys, "status")
    assert f"{name.split('/')[-1]}:{line}: {ALIAS}" in err and len(err) < 300, err[:300]


def test_a_yaml_alias_in_a_comment_or_a_version_is_refused_at_its_line(ws, capsys):
    code, out = add(ws, capsys, "Fine.")
    assert code == 0, out.err
    path = next((ws.root / "comments").rglob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("body: Fine.", f"body: {laughs(6)}"), encoding="utf-8")
    line = text.split("\n").index("body: Fine.") + 1
    assert f"{path.name}:{line}: {ALIAS}" in refused(ws, capsys, "comments", "list")
    path.write_text(text, encoding="utf-8")
    meta = ws.root / "drafts" / "versions" / "v001.yaml"
    lines = meta.read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, 1) if text.startswith("note:"))
    lines[line - 1] = f"note: {laughs(6)}"
    meta.write_text("\n".join(lines), encoding="utf-8")
    assert f"v001.yaml:{line}: {ALIAS}" in refused(ws, capsys, "status")


def test_a_wrong_value_is_quoted_short(mini_ws, capsys):
    edit(mini_ws, "drafts/plan.yaml", "title: Test Plan (2026–2030)", f"title: [{', '.join(['lol'] * 20000)}]")
    err = refused(mini_ws, capsys, "status")
    assert "plan.yaml:1: plan: title must be plain text, not ['lol', 'lol'," in err and len(err) < 300, err[:300]
    assert err.rstrip().endswith("…")


@pytest.mark.parametrize("bom", [b"", b"\xff\xfe"])
def test_a_submission_saved_as_utf16_is_named_as_such(mini_ws, capsys, bom):
    """Windows' "Unicode" text has a NUL in every other byte: 'control character U+0000' would not say why."""
    path = mini_ws.root / "drafts/submissions/mohrss-r1.md"
    path.write_bytes(bom + path.read_text(encoding="utf-8").encode("utf-16-le"))
    assert "mohrss-r1.md:1: UTF-16 text, not UTF-8; save the file as UTF-8" in refused(mini_ws, capsys, "draft")


def test_a_folder_named_as_a_chapter_or_a_link_out_of_the_workspace_is_refused(mini_ws, capsys, tmp_path):
    folder = mini_ws.root / "drafts/chapters/09-box.md"
    folder.mkdir()
    assert "09-box.md: a folder, not a chapter file" in refused(mini_ws, capsys, "draft")
    folder.rmdir()
    outside = tmp_path / "elsewhere.md"
    submission = mini_ws.root / "drafts/submissions/mohrss-r1.md"
    outside.write_text(submission.read_text(encoding="utf-8"), encoding="utf-8")
    submission.unlink()
    submission.symlink_to(outside)
    assert f"mohrss-r1.md: a link to {outside}, outside the workspace" in refused(mini_ws, capsys, "draft")


def test_styles_written_to_a_file_says_it_is_not_a_folder(mini_ws, capsys):
    code, out = run(mini_ws, capsys, "styles", "--write", str(mini_ws.root / "drafts/plan.yaml"))
    assert code == 2 and "plan.yaml: not a folder" in out.err


@pytest.mark.parametrize("name, old, new, line", [
    ("drafts/plan.yaml", "title: Test Plan (2026–2030)", "title: {{ x }}", 1),
    ("drafts/submissions/mohrss-r1.md", "round: 1", "round: {[a]: 1}", 3),
    ("drafts/submissions/mohrss-r1.md", "text: Surveyed urban unemployment rate", "text: {{ x }}", 17),
])
def test_braces_meant_as_text_in_yaml_are_named_at_their_line(mini_ws, capsys, name, old, new, line):
    """Unquoted, `{{ x }}` is YAML's mapping of a mapping: it had stopped every command with a traceback."""
    edit(mini_ws, name, old, new)
    err = refused(mini_ws, capsys, "draft")
    assert f"{name.split('/')[-1]}:{line}: braces or brackets where a value's text was meant" in err


def test_a_control_character_written_as_a_character_reference_is_refused(mini_ws, capsys):
    """`&#x0c;` passes the file's own check and becomes U+000C in the text: frozen, no Word file could hold it."""
    edit(mini_ws, "drafts/chapters/01-esc.md", "full employment", "full&#x0c;employment")
    for command in (("draft",), ("freeze", "--stage", "consultation", "--note", "x")):
        assert "01-esc.md:5: control character U+000C, written as a character reference" in refused(mini_ws, capsys,
                                                                                                    *command)
