"""Expert chapters as written: what would otherwise slip into the draft is refused by `nhrap draft` at the
chapter's own line, and freeze, which composes the draft, refuses it too."""
from __future__ import annotations

from tests.helpers import run


def add_to_chapter(ws, text, name="01-esc.md"):
    """Append `text` to a chapter after a blank line; returns the chapter line it starts on."""
    path = ws.chapters_dir / name
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "\n" + text + "\n", encoding="utf-8")
    return before.count("\n") + 2


def refused(ws, capsys, needle):
    code, out = run(ws, capsys, "draft")
    assert code == 2 and needle in out.err, out.err
    assert not ws.draft_path.exists()  # nothing written


def test_including_a_missing_file_says_so(mini_ws, capsys):
    line = add_to_chapter(mini_ws, '{% include "nope.md" %}')
    refused(mini_ws, capsys, f"01-esc.md:{line}: template error: nope.md: no such file in drafts/chapters/")


def test_an_included_file_in_a_subfolder_is_not_a_chapter_of_its_own(mini_ws, capsys):
    (mini_ws.chapters_dir / "partials").mkdir()
    (mini_ws.chapters_dir / "partials" / "box.md").write_text("A shared paragraph.\n", encoding="utf-8")
    add_to_chapter(mini_ws, '{% include "partials/box.md" %}')
    code, out = run(mini_ws, capsys, "draft")
    assert code == 0, out.err
    assert mini_ws.draft_path.read_text(encoding="utf-8").count("A shared paragraph.") == 1
