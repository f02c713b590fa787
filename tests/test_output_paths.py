"""Where a command is told to write (-o): the ending of its format, and never over a frozen version."""
from __future__ import annotations

import pytest

from helpers import refused, run


@pytest.mark.parametrize("args, needle", [
    (("-o", "drafts/versions/v004.md"), "drafts/versions/ holds the frozen versions"),
    (("-o", "drafts/versions/v005.md"), "drafts/versions/ holds the frozen versions"),  # a half version
    (("-o", "drafts/plan.yaml"), "the file name must end in .tbx or .xml or .md or .docx"),
    (("-o", "glossary/instruments.yaml"), "the file name must end in .tbx or .xml or .md or .docx"),
    (("--format", "md", "-o", "drafts/members.yaml"), "the file name must end in .tbx or .xml or .md or .docx"),
    (("--format", "md", "-o", "glossary.tbx"), "--format md writes a .md file, not glossary.tbx"),
])
def test_glossary_export_writes_only_a_file_of_its_format_and_never_a_version(sample_ws, capsys, monkeypatch,
                                                                               args, needle):
    monkeypatch.chdir(sample_ws.root)
    assert needle in refused(sample_ws, capsys, "glossary", "export", *args)
    code, out = run(sample_ws, capsys, "status")
    assert code == 0, out.err


def test_no_document_is_written_into_the_versions_folder(sample_ws, capsys, monkeypatch):
    monkeypatch.chdir(sample_ws.root)
    for command in (("render", "latest"), ("redline", "1", "2"), ("comments", "matrix")):
        err = refused(sample_ws, capsys, *command, "-o", "drafts/versions/out.docx")
        assert "drafts/versions/out.docx: drafts/versions/ holds the frozen versions" in err


def test_glossary_export_by_the_file_ending(sample_ws, capsys, monkeypatch):
    monkeypatch.chdir(sample_ws.root)
    code, out = run(sample_ws, capsys, "glossary", "export", "-o", "annex.md")
    assert code == 0, out.err
    assert "|" in (sample_ws.root / "annex.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("target", ["drafts/submissions/mohrss-r2.md", "drafts/chapters/01-intro.md",
                                    "comments/r03/annex.md", "drafts/submissions/annex.md"])
def test_no_output_is_written_among_the_plans_sources(sample_ws, capsys, monkeypatch, target):
    """A glossary written over a submission or a chapter lost its text; a file left in comments/r03/ stopped
    every comment command."""
    monkeypatch.chdir(sample_ws.root)
    assert f"{target.split('/')[0]}/ holds the plan's sources" in refused(sample_ws, capsys, "glossary", "export",
                                                                          "-o", target)


def test_the_template_and_the_html_diff_are_not_written_among_the_sources(sample_ws, capsys, monkeypatch):
    monkeypatch.chdir(sample_ws.root)
    for command in (("intake", "--template", "comments/r03/template.docx"),
                    ("diff", "1", "2", "--html", "drafts/chapters/diff.html")):
        assert "holds the plan's sources" in refused(sample_ws, capsys, *command)
