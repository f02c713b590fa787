"""Comment files as people edit them: every mistake is refused on its line, nothing is skipped or counted twice."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import run

DATA = Path(__file__).parent / "data" / "comments"


@pytest.fixture
def stored(frozen_ws, capsys):
    """The frozen mini workspace with one comment on p0003; (workspace, path of its file)."""
    code, out = run(frozen_ws, capsys, "comments", "add", "--para", "p0003", "--quote", "within 5.5 per cent",
                    "--org", "mohrss", "--body", "Use the 14th Five-Year Plan target.", "--json")
    assert code == 0, out.err
    ident = json.loads(out.out)["id"]
    return frozen_ws, frozen_ws.root / "comments" / "r01" / f"{ident}.yaml"


def _line_of(text: str, key: str) -> int:
    """The line of the first `key:`, at any indent; of `  key:` indented so when `key` starts with spaces."""
    return next(n for n, line in enumerate(text.splitlines(), 1)
                if (line if key.startswith(" ") else line.lstrip()).startswith(key + ":"))


@pytest.mark.parametrize("find, put, key, message", [
    (r"  para: p0003", "  para: 42", "para", "field 'anchor.para' must be text, not 42"),
    (r"  start: \d+", "  start: abc", "start", "field 'anchor.start' must be a whole number ≥ 0, not 'abc'"),
    (r"round: 1", "round: one", "round", "field 'round' must be a whole number"),
    (r"type: substantive", "type: urgent", "type", "unknown type 'urgent' (use one of: general"),
    (r"  state: anchored", "  state: lost", "state", "unknown anchor state 'lost' (use one of: anchored"),
    (r"  status: open", "  status: maybe", "status", "unknown status 'maybe'"),
    (r"source: ''", "source: ''\nseverity: high", "severity", "unexpected field 'severity' (fields here: id,"),
    (r"  replaced_by: ''", "  replaced_by: ''\n  colour: red", "colour", "unexpected field 'anchor.colour'"),
    (r"  para: p0003", "  para: p9999", "para", "paragraph 'p9999' does not exist in v1"),
    # an anchor made on other text under that version number (two clones froze v1 at once), or edited by hand
    (r"  quote: within 5.5 per cent", "  quote: within 6.5 per cent", "quote",
     "the quote “within 6.5 per cent” is not at its place (start, end) in p0003 of v1"),
    (r"  start: \d+", "  start: 3", "quote", "the quote “within 5.5 per cent” is not at its place (start, end) in "
     "p0003 of v1 (it stands at start 57, end 76). Edited by hand? Restore start and end."),
    (r"org: mohrss", "org: nosuch", "org", "unknown organisation 'nosuch'; known ids: acftu"),
    (r"  resolved_in: null", "  resolved_in: 999", "resolved_in", "field 'disposition.resolved_in': v999 does not exist"),
    (r"\ndate: '[0-9-]+'", "\ndate: next week", "date", "field 'date' must be a day written YYYY-MM-DD (or ''), "
     "not 'next week'"),
    (r"\ndate: '[0-9-]+'", "\ndate: '2026-02-30'", "date", "field 'date' must be a day written YYYY-MM-DD"),
    (r"  date: ''", "  date: '2026-13-01'", "  date",
     "field 'disposition.date' must be a day written YYYY-MM-DD (or ''), not '2026-13-01'"),
])
def test_a_bad_field_is_refused_on_its_line(stored, capsys, find, put, key, message):
    ws, path = stored
    text = re.sub(find, put, path.read_text(), count=1)
    path.write_text(text)
    for command in (["list"], ["stats"], ["matrix", "-o", str(ws.root / "m.xlsx")]):
        code, out = run(ws, capsys, "comments", *command)
        assert code == 2, out.out
        assert f"{path.name}:{_line_of(text, key)}: {message}" in out.err, out.err
        assert "Traceback" not in out.err and "__init__" not in out.err
    assert not (ws.root / "m.xlsx").exists()


def test_a_comment_on_a_paragraph_that_does_not_exist_stops_freeze(stored, capsys, tmp_path):
    ws, path = stored
    path.write_text(path.read_text().replace("para: p0003", "para: p9999"))
    draft = tmp_path / "v2.md"
    draft.write_text((DATA / "v1.md").read_text() + "\nA new paragraph.\n")
    code, out = run(ws, capsys, "freeze", "--stage", "consultation", "--note", "v2", "--date", "2026-04-01",
                    "--from", str(draft))
    assert code == 2 and f"{path.name}:" in out.err and "'p9999' does not exist in v1" in out.err
    assert not (ws.root / "drafts" / "versions" / "v002.md").exists()


@pytest.mark.parametrize("arrange, culprit, message", [
    (lambda path: path.rename(path.with_name("zhang-comment.yaml")), "r01/zhang-comment.yaml", "not a comment file"),
    (lambda path: shutil.copytree(path.parent, path.parent.with_name("r1")), "comments/r1",
     "round folders are named r01"),
    (lambda path: shutil.copy(path, path.parent.parent / path.name), "comments/c", "not a round folder"),
    (lambda path: path.with_name("notes.txt").write_text("x"), "r01/notes.txt", "not a comment file"),
])
def test_files_outside_the_naming_are_reported_not_skipped_or_counted_twice(stored, capsys, arrange, culprit,
                                                                            message):
    ws, path = stored
    arrange(path)
    code, out = run(ws, capsys, "comments", "stats", "--json")
    assert code == 2 and culprit in out.err and message in out.err, out.err


@pytest.mark.parametrize("edit, key, message", [
    (lambda text: text.replace("round: 1", "round: 2"), "round",
     "the record says round 2 but it is in r01/; a comment of round 2 belongs in r02/"),
    (lambda text: re.sub(r"^id: c", "id: d", text), "id", "the id in the file is 'd"),
])
def test_a_record_disagreeing_with_its_file_name_is_refused(stored, capsys, edit, key, message):
    ws, path = stored
    text = edit(path.read_text())
    path.write_text(text)
    code, out = run(ws, capsys, "comments", "list")
    assert code == 2 and f"{path.name}:{_line_of(text, key)}: {message}" in out.err, out.err


def test_the_same_comment_in_two_rounds_is_read_once_from_the_later(stored, capsys):
    """The same returned file harvested into two rounds on two clones: one comment, and the copy to remove."""
    ws, path = stored
    copy = ws.root / "comments" / "r02" / path.name
    copy.parent.mkdir()
    copy.write_text(path.read_text().replace("round: 1", "round: 2"))
    code, out = run(ws, capsys, "comments", "stats", "--json")
    assert code == 0 and json.loads(out.out)["by_round"].keys() == {"2"}, out.out
    assert f"comment {path.stem} is stored in 2 rounds, the same record" in out.err
    assert f"git rm comments/r01/{path.name}" in out.err


def test_the_same_comment_in_two_rounds_answered_differently_is_refused(stored, capsys):
    ws, path = stored
    copy = ws.root / "comments" / "r02" / path.name
    copy.parent.mkdir()
    copy.write_text(path.read_text().replace("round: 1", "round: 2").replace("status: open", "status: noted"))
    code, out = run(ws, capsys, "comments", "stats")
    assert code == 2 and f"comment {path.stem} is stored in 2 rounds, and the copies differ in disposition.status " \
        f"(round 1 in comments/r01/{path.name}; round 2 in comments/r02/{path.name})" in out.err, out.err
    assert f"`git rm comments/r02/{path.name}` keeps round 1's" in out.err


def test_hidden_files_are_not_comments(stored, capsys):
    ws, path = stored
    (ws.root / "comments" / ".gitkeep").write_text("")
    (path.parent / f".{path.name}.x1.tmp").write_text("half")  # a writer's temporary file
    code, out = run(ws, capsys, "comments", "stats", "--json")
    assert code == 0, out.err
    assert json.loads(out.out)["total"] == 1


def test_file_managers_clutter_is_not_a_comment(stored, capsys):
    ws, path = stored
    (path.parent / "Thumbs.db").write_bytes(b"\xd0\xcf")
    (path.parent / "desktop.ini").write_text("[.ShellClassInfo]")
    (ws.root / "comments" / "Desktop.ini").write_text("[.ShellClassInfo]")
    code, out = run(ws, capsys, "comments", "stats", "--json")
    assert code == 0 and json.loads(out.out)["total"] == 1, out.err


def _aged(path: Path, seconds_ago: int) -> None:
    import os
    import time
    past = time.time() - seconds_ago
    os.utime(path, (past, past))


def test_a_record_is_parsed_again_when_its_file_changes(stored, capsys, monkeypatch):
    """Records are kept parsed in build/cache between commands, by file size and modification time."""
    ws, path = stored
    _aged(path, 100)
    assert run(ws, capsys, "comments", "list")[0] == 0  # parsed and kept
    import pipeline.comments
    with monkeypatch.context() as patch:
        patch.setattr(pipeline.comments, "read_comment", lambda path: pytest.fail(f"{path} parsed again"))
        assert run(ws, capsys, "comments", "list")[0] == 0
    text = path.read_text()
    path.write_text(text.replace("status: open", "status: oops"))  # the same size, another time
    _aged(path, 50)
    code, out = run(ws, capsys, "comments", "list")
    assert code == 2 and "unknown status 'oops'" in out.err
    path.write_text(text.replace("status: open", "status: noted"))
    _aged(path, 40)
    code, out = run(ws, capsys, "comments", "list", "--json")
    assert code == 0 and json.loads(out.out)[0]["status"] == "noted"


def test_a_file_edited_just_now_is_read_again_even_at_the_same_size_and_time(stored, capsys):
    ws, path = stored
    assert run(ws, capsys, "comments", "list")[0] == 0
    status = path.stat()
    path.write_text(path.read_text().replace("status: open", "status: oops"))
    import os
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # edited within one clock tick
    code, out = run(ws, capsys, "comments", "list")
    assert code == 2 and "unknown status 'oops'" in out.err


def test_a_damaged_record_cache_is_ignored(stored, capsys):
    ws, path = stored
    _aged(path, 100)
    assert run(ws, capsys, "comments", "list")[0] == 0
    (ws.root / "build" / "cache" / "comment-records.pickle").write_bytes(b"not a pickle")
    code, out = run(ws, capsys, "comments", "list", "--json")
    assert code == 0 and len(json.loads(out.out)) == 1
