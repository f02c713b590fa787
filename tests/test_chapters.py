"""Expert chapters as written: what would otherwise slip into the draft is refused by `nhrap draft` at the
chapter's own line, and freeze, which composes the draft, refuses it too."""
from __future__ import annotations

import pytest

from tests.helpers import run
from tests.test_render import png


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


@pytest.mark.parametrize("text, message", [
    ("A note {# check with MOHRSS #} in the text.",
     "'{# check with MOHRSS #}' would be printed in the plan as text: a comment is written '{%# … #%}'"),
    ("A revised paragraph. {#P0031}",
     "'{#P0031}' would be printed in the plan as text: a paragraph's mark is written '{#p0031}'"),
    ("A paragraph {#p0031} with its mark inside.",
     "'{#p0031}' would be printed in the plan as text: a paragraph's mark stands at the end of its paragraph"),
    ("- A list item. {#esc-health}", "'{#esc-health}' would be printed in the plan as text: an id '{#…}' stands "
     "at the end of a heading"),
    ("### A deeper heading {# to do #}", "'{# to do #}' would be printed in the plan as text"),
    ("> A quote {#p0002}", "'{#p0002}' would be printed in the plan as text"),
])
def test_text_of_the_form_of_a_mark_that_is_none_is_refused_at_its_line(mini_ws, capsys, text, message):
    line = add_to_chapter(mini_ws, text)
    refused(mini_ws, capsys, f"01-esc.md:{line}: {message}")


@pytest.mark.parametrize("text, message", [
    ('｛｛ goals("esc-work") ｝｝', "full-width '｛｛' — write '{{': as typed, the template expression would be printed"),
    ('{{ goals("esc-work") ｝｝', "full-width '｝｝' — write '}}'"),
    ("｛% if true %｝x｛% endif %｝", "full-width '｛%' — write '{%'"),
])
def test_a_template_expression_in_full_width_braces_is_refused_at_its_line(mini_ws, capsys, text, message):
    line = add_to_chapter(mini_ws, text)
    refused(mini_ws, capsys, f"01-esc.md:{line}: {message}")


@pytest.mark.parametrize("text, sign, fix", [('{{ goals（"esc-work"） }}', "（", "("),
                                             ('{{ goals(“esc-work”) }}', "“", '"')])
def test_a_chinese_keyboards_sign_inside_an_expression_is_named(mini_ws, capsys, text, sign, fix):
    line = add_to_chapter(mini_ws, text)
    refused(mini_ws, capsys, f"01-esc.md:{line}: template error: full-width '{sign}' in a template expression — "
                             f"use '{fix}'")


def test_a_footnote_defined_twice_or_not_at_all_is_refused_at_its_line(mini_ws, capsys):
    """Word would keep only the first of two definitions (the other footnote's text lost) and print an
    undefined reference as [^zz]."""
    line = add_to_chapter(mini_ws, "Wages are paid on time.[^a] And in full.[^b]\n\n[^a]: First note.\n\n[^a]: Second note.")
    refused(mini_ws, capsys, f"01-esc.md:{line + 4}: footnote [^a] is defined twice (also at line {line + 2} of "
                             "01-esc.md): give one of them another label")
    path = mini_ws.chapters_dir / "01-esc.md"
    path.write_text(path.read_text().replace("[^a]: Second note.", "[^c]: Second note."))
    refused(mini_ws, capsys, f"01-esc.md:{line}: footnote [^b] has no definition: add a line '[^b]: …'")


def test_a_footnote_sign_in_code_or_a_units_text_is_no_reference(mini_ws, capsys):
    add_to_chapter(mini_ws, "The syntax `[^1]` makes a footnote.")
    path = mini_ws.root / "drafts" / "submissions" / "mohrss-r1.md"
    path.write_text(path.read_text().replace("within 5.5 per cent.", "within 5.5 per cent.[^zz]"))
    assert run(mini_ws, capsys, "draft")[0] == 0


def test_full_width_braces_in_prose_beside_a_real_expression_are_prose(zh_ws, capsys):
    chapter = sorted(zh_ws.chapters_dir.glob("*.md"))[0]
    add_to_chapter(zh_ws, '牵头单位见｛{{ unit("mca") }}｝，比例｛达到90%｝，包括｛｛普通括号｝｝。', chapter.name)
    assert run(zh_ws, capsys, "draft")[0] == 0


def test_freeze_refuses_it_too_and_writes_no_version(mini_ws, capsys):
    line = add_to_chapter(mini_ws, "First line of a paragraph\nand its second {# note #}.")
    code, out = run(mini_ws, capsys, "freeze", "--stage", "drafting", "--note", "x", "--date", "2026-01-05")
    assert code == 2 and f"01-esc.md:{line + 1}: '{{# note #}}' would be printed" in out.err, out.err
    assert not list(mini_ws.versions_dir.glob("v*"))


def test_a_chinese_chapter_is_refused_alike(zh_ws, capsys):
    chapter = sorted(zh_ws.chapters_dir.glob("*.md"))[0]
    line = add_to_chapter(zh_ws, "本段待核实。{# 请人社部确认 #}", chapter.name)
    refused(zh_ws, capsys, f"{chapter.name}:{line}: '{{# 请人社部确认 #}}' would be printed in the plan as text: "
                           "a comment is written '{%# … #%}'")


def test_comments_code_and_heading_ids_are_not_refused(mini_ws, capsys):
    add_to_chapter(mini_ws, "{%# {# an old note #} and {#P0031} are comment here #%}\n\n"
                            "### Subsection {#esc-work-sub}\n\n```\n{# code is literal #}\n```")
    code, out = run(mini_ws, capsys, "draft")
    assert code == 0, out.err
    draft = mini_ws.draft_path.read_text(encoding="utf-8")
    assert "an old note" not in draft and "{# code is literal #}" in draft


@pytest.mark.parametrize("src, message", [
    ("images/chart.png", "image 'images/chart.png' not found (looked for {root}/images/chart.png)"),
    ("../outside.png", "image '../outside.png' is outside the workspace ({root})"),
    ("https://example.org/chart.png", "image 'https://example.org/chart.png' is not a local file"),
])
def test_an_image_render_would_not_find_is_refused_at_its_chapter_line(mini_ws, capsys, src, message):
    line = add_to_chapter(mini_ws, f"Figure 1 shows the trend.\nSee ![Employment]({src}) for the figures.")
    refused(mini_ws, capsys, f"01-esc.md:{line + 1}: " + message.format(root=mini_ws.root))
    code, out = run(mini_ws, capsys, "freeze", "--stage", "drafting", "--note", "x", "--date", "2026-01-05")
    assert code == 2 and f"01-esc.md:{line + 1}: image '{src}'" in out.err and not list(mini_ws.versions_dir.glob("v*"))


def test_an_image_is_found_where_render_finds_it(mini_ws, capsys):
    (mini_ws.root / "images").mkdir()
    (mini_ws.root / "images" / "就业图表.png").write_bytes(png())
    (mini_ws.root / "images" / "chart 2.png").write_bytes(png())
    add_to_chapter(mini_ws, "![就业](images/就业图表.png) and ![Jobs](<images/chart 2.png>)")
    assert run(mini_ws, capsys, "draft")[0] == 0
    code, out = run(mini_ws, capsys, "render", "-o", str(mini_ws.root / "build" / "draft.docx"))
    assert code == 0, out.err


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


def test_an_included_file_is_checked_at_its_own_lines(mini_ws, capsys):
    (mini_ws.chapters_dir / "partials").mkdir()
    (mini_ws.chapters_dir / "partials" / "box.md").write_text("A shared paragraph.\n\nA note {# draft #}.\n",
                                                             encoding="utf-8")
    add_to_chapter(mini_ws, '{% include "partials/box.md" %}')
    refused(mini_ws, capsys, "partials/box.md:3: '{# draft #}' would be printed in the plan as text")
