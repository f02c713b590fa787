"""Drafting spine through the CLI: draft, freeze, show, diff, status, and the bad inputs it refuses."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.readers.markdown import parse_blocks


def run(ws, *args, capsys=None):
    code = main(["--workspace", str(ws.root), *args])
    out = capsys.readouterr() if capsys else None
    return code, out


def freeze(ws, capsys, stage="drafting", note="draft"):
    code, out = run(ws, "freeze", "--stage", stage, "--note", note, "--date", "2026-01-05", "--json", capsys=capsys)
    assert code == 0, out.err
    return json.loads(out.out)


def chapter(ws, name="01-esc.md") -> Path:
    return ws.root / "drafts" / "chapters" / name


def test_draft_reports_unused_contributions_and_omitted_sections(mini_ws, capsys):
    code, out = run(mini_ws, "draft", "--json", capsys=capsys)
    assert code == 0
    report = json.loads(out.out)
    assert report["omitted_sections"] == ["esc-health"]
    assert report["unused"]["goals"] == []
    draft = (mini_ws.root / "build" / "draft.md").read_text()
    assert "| Surveyed urban unemployment rate | at most 5.5% | 2030 | binding |" in draft
    assert "Lead: Ministry of Human Resources and Social Security; co-operating: All-China Federation" in draft


@pytest.mark.parametrize("unit, language, shown", [
    ("%", "en", "at most 12%"), ("per 100,000 live births", "en", "at most 12 per 100,000 live births"),
    ("岁", "zh", "不高于12岁"), ("1/10万", "zh", "不高于12 1/10万"),  # not 121/10万
])
def test_a_target_is_written_with_its_unit_so_that_the_number_reads_right(unit, language, shown):
    from pipeline.compose import format_target
    from pipeline.model import Indicator
    target = Indicator(id="i-1", text="Rate", target=12, kind="binding", lead="nhc", section="s", member="nhc",
                       unit=unit, comparison="at-most")
    assert format_target(target, language) == shown


@pytest.mark.parametrize("target, comparison, language, shown", [
    ("maintained", "maintain", "en", "maintained"), ("full coverage maintained", "maintain", "en", "full coverage maintained"),
    ("full coverage", "maintain", "en", "kept at full coverage"), ("全覆盖", "maintain", "zh", "保持全覆盖"),
    ("保持全覆盖", "maintain", "zh", "保持全覆盖"), ("at least 90 per cent", "at-least", "en", "at least 90 per cent"),
])
def test_a_target_that_says_its_comparison_in_words_is_printed_as_written(target, comparison, language, shown):
    from pipeline.compose import format_target
    from pipeline.model import Indicator
    indicator = Indicator(id="i-1", text="Rate", target=target, kind="expected", lead="nhc", section="s",
                          member="nhc", comparison=comparison)
    assert format_target(indicator, language) == shown  # not "kept at maintained"


def test_a_target_repeating_its_unit_and_a_dated_deadline_read_right_in_the_plan(mini_ws, capsys):
    path = mini_ws.root / "drafts" / "submissions" / "mohrss-r1.md"
    text = path.read_text()
    line = next(line for line in text.splitlines() if "i-mohrss-01" in line)
    written = line.replace("target: 5.5", "target: 5.5%").replace("deadline: 2030", "deadline: 2028-06-30")
    assert written != line and "5.5%" in written and "2028-06-30" in written
    path.write_text(text.replace(line, written))
    assert run(mini_ws, "draft", capsys=capsys)[0] == 0
    draft = (mini_ws.root / "build" / "draft.md").read_text()
    # one %, and the day the unit promised rather than the end of its year
    assert "| Surveyed urban unemployment rate | at most 5.5% | 30 June 2028 | binding |" in draft


def test_an_indicator_written_inline_is_a_whole_sentence(mini_ws, capsys):
    chapter = sorted(mini_ws.chapters_dir.glob("*.md"))[0]
    chapter.write_text(chapter.read_text() + '\nUnemployment will be kept low. {{ indicator("i-mohrss-01") }}\n')
    assert run(mini_ws, "draft", capsys=capsys)[0] == 0
    draft = (mini_ws.root / "build" / "draft.md").read_text()
    assert "kept low. Surveyed urban unemployment rate: at most 5.5% by 2030.\n" in draft  # its paragraph ends with a stop


def test_submission_text_is_data_not_template(mini_ws, capsys):
    run(mini_ws, "draft", capsys=capsys)
    draft = (mini_ws.root / "build" / "draft.md").read_text()
    assert "Literal {{ 7*7 }} and <b>raw html</b> stay text." in [b.text for b in parse_blocks(draft).blocks]
    assert "49" not in draft


@pytest.mark.parametrize("written, shown", [
    ("# A heading", "# A heading"), ("*stressed* and __bold__ &amp;", "*stressed* and __bold__ &amp;"),
    ("![x](/etc/passwd) and [a link](http://x.example)", "![x](/etc/passwd) and [a link](http://x.example)"),
    ("Raise the rate. {#p0001}", "Raise the rate. {#p0001}"), ("1. not a list", "1. not a list"),
    ("<https://example.org>", "<https://example.org>"),
])
def test_markdown_in_a_submission_is_printed_as_written(mini_ws, capsys, written, shown):
    """A unit's text makes no heading, emphasis, image, link or paragraph id mark of the plan: it is data."""
    path = mini_ws.root / "drafts" / "submissions" / "mohrss-r1.md"
    path.write_text(path.read_text().replace("- [g-mohrss-01] Keep the surveyed urban unemployment rate within "
                                             "5.5 per cent.", f"- [g-mohrss-01] {written}"))
    assert run(mini_ws, "draft", capsys=capsys)[0] == 0, capsys.readouterr().err
    blocks = parse_blocks((mini_ws.root / "build" / "draft.md").read_text()).blocks
    item = next(b for b in blocks if b.text == shown)
    assert (item.kind, item.pin) == ("list_item", "")


def test_freeze_writes_version_and_show_lists_blocks(mini_ws, capsys):
    result = freeze(mini_ws, capsys)
    assert result["version"] == "v1" and Path(result["path"]).is_file()
    code, out = run(mini_ws, "show", "v1", "--json", capsys=capsys)
    blocks = json.loads(out.out)
    assert blocks[0] == {"id": "p0001", "section": "esc", "kind": "heading", "text": "Economic rights"}
    assert {"paragraph", "list_item", "table"} <= {b["kind"] for b in blocks}
    assert all("**" not in b["text"] and "{#" not in b["text"] for b in blocks)


def test_ids_stable_across_versions_and_diff(mini_ws, capsys):
    freeze(mini_ws, capsys)
    first = {b["text"]: b["id"] for b in json.loads(run(mini_ws, "show", "1", "--json", capsys=capsys)[1].out)}
    path = chapter(mini_ws)
    text = path.read_text()
    text = text.replace("promotes full employment and decent work", "promotes full, high-quality employment and decent work")
    text = text.replace("## Right to work {#esc-work}\n", "## Right to work {#esc-work}\n\nA new paragraph on platform workers and their social insurance.\n")
    path.write_text(text)
    freeze(mini_ws, capsys, stage="consultation", note="after round 1")
    second = json.loads(run(mini_ws, "show", "latest", "--json", capsys=capsys)[1].out)
    by_text = {b["text"]: b["id"] for b in second}
    edited = "The state promotes full, high-quality employment and decent work for all workers."
    assert by_text[edited] == first["The state promotes full employment and decent work for all workers."]
    new_id = by_text["A new paragraph on platform workers and their social insurance."]
    assert new_id not in first.values()
    code, out = run(mini_ws, "diff", "v1", "v2", "--json", capsys=capsys)
    diff = json.loads(out.out)
    assert diff["added"] == [new_id]
    assert diff["changed"] == [by_text[edited]]
    assert diff["deleted"] == [] and diff["moved"] == []


def test_diff_terminal_and_html_show_word_changes(mini_ws, capsys, tmp_path):
    freeze(mini_ws, capsys)
    path = chapter(mini_ws)
    path.write_text(path.read_text().replace("decent work", "decent and safe work"))
    freeze(mini_ws, capsys, stage="consultation")
    html = tmp_path / "diff.html"
    code, out = run(mini_ws, "diff", "1", "2", "--html", str(html), capsys=capsys)
    assert code == 0 and "1 changed" in out.out and "safe" in out.out
    assert "decent <ins>and safe </ins>work" in html.read_text()


def test_version_refs_accept_number_name_and_latest(mini_ws, capsys):
    freeze(mini_ws, capsys)
    for ref in ("1", "v1", "v001", "latest"):
        assert run(mini_ws, "show", ref, "--json", capsys=capsys)[0] == 0
    code, out = run(mini_ws, "show", "v7", capsys=capsys)
    assert code == 2 and "v7 does not exist" in out.err


def test_edited_frozen_version_is_refused(mini_ws, capsys):
    path = Path(freeze(mini_ws, capsys)["path"])
    path.write_text(path.read_text().replace("decent work", "decent labour"))
    code, out = run(mini_ws, "show", "1", capsys=capsys)
    assert code == 2 and "edited after it was frozen" in out.err and "v001.md" in out.err
    code, out = run(mini_ws, "freeze", "--stage", "drafting", "--note", "x", capsys=capsys)
    assert code == 2 and not (path.parent / "v002.md").exists()


def test_frozen_version_with_crlf_line_ends_is_the_same_version(mini_ws, capsys):
    """A clone on Windows without the workspace's .gitattributes (git's core.autocrlf) gives text files
    CRLF line ends: a change of line ends only, not an edit."""
    path = Path(freeze(mini_ws, capsys)["path"])
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    code, out = run(mini_ws, "show", "1", "--json", capsys=capsys)
    assert code == 0 and "decent work" in out.out, out.err


def test_status_reports_submissions_goals_and_gaps(mini_ws, capsys):
    freeze(mini_ws, capsys)
    code, out = run(mini_ws, "status", "--json", capsys=capsys)
    status = json.loads(out.out)
    assert status["stage"] == "drafting"
    assert status["submitted"] == ["mohrss"] and "scio" in status["not_submitted"]
    assert "mos" not in status["not_submitted"]  # removed from the joint meeting
    assert status["goals"] == 2 and status["indicators"] == {"binding": 1, "expected": 0}
    assert status["by_category"]["administrative"]["goals"] == 2
    assert status["omitted_sections"] == ["esc-health"]


def test_members_json_lists_roles(mini_ws, capsys):
    code, out = run(mini_ws, "members", "--json", capsys=capsys)
    rows = {r["id"]: r for r in json.loads(out.out)}
    assert rows["scio"]["role"] == "lead" and rows["mos"]["role"] == "former"
    assert rows["exp-li"]["role"] == "expert" and rows["cshrs"]["role"] == "consulted"
    assert set(rows["mohrss"]) == {"id", "name_en", "name_zh", "category", "role", "affiliation", "history"}
    assert rows["mos"]["history"] == [{"cycle": "2009-2010", "event": "added"}, {"cycle": "2016-2020", "event": "removed"}]
    assert rows["exp-li"]["affiliation"] == "Renmin University of China"


def test_members_names_the_units_that_join_and_leave_in_the_plans_cycle(mini_ws, capsys):
    registry = mini_ws.root / "drafts" / "members.yaml"
    registry.write_text(registry.read_text(encoding="utf-8")
                        .replace("{cycle: 2016-2020, event: removed}", "{cycle: 2026-2030, event: merged, into: mohrss}")
                        .replace("category: people, history: [{cycle: 2009-2010", "category: people, history: [{cycle: 2026–2030"),
                        encoding="utf-8")
    code, out = run(mini_ws, "members", capsys=capsys)
    assert code == 0 and "Changes in 2026-2030: acftu added; mos merged into mohrss" in out.out  # 2026–2030 too


@pytest.mark.parametrize("cycle", ["二〇二六—二〇三〇", "二〇二六年"])
def test_members_names_a_change_whose_cycle_is_written_in_chinese_numerals(mini_ws, capsys, cycle):
    """A Chinese registry writes years 二〇二六: the change was left out of the plan cycle's list, silently."""
    registry = mini_ws.root / "drafts" / "members.yaml"
    registry.write_text(registry.read_text(encoding="utf-8")
                        .replace("{cycle: 2016-2020, event: removed}", f"{{cycle: {cycle}, event: merged, into: mohrss}}"),
                        encoding="utf-8")
    code, out = run(mini_ws, "members", capsys=capsys)
    assert code == 0 and "Changes in 2026-2030: mos merged into mohrss" in out.out


def test_init_creates_empty_workspace_that_runs(tmp_path, capsys):
    assert main(["init", str(tmp_path / "new")]) == 0
    assert (tmp_path / "new" / ".git").exists()
    assert main(["--workspace", str(tmp_path / "new"), "draft"]) == 0
    assert main(["init", str(tmp_path / "new")]) == 2


def test_init_of_a_folder_whose_name_begins_with_a_dash_makes_its_git_repository(tmp_path, capsys, monkeypatch):
    """git was given the relative name and read '-plan' as an option: it printed its usage, made no repository."""
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--", "-plan"]) == 0
    assert (tmp_path / "-plan" / ".git").is_dir()
    assert "usage: git" not in capsys.readouterr().err


def test_init_writes_the_samples_gitattributes_which_keep_returned_files_binary(tmp_path):
    import subprocess
    from pipeline.init import REPOSITORY
    assert main(["init", str(tmp_path / "new")]) == 0
    written = (tmp_path / "new" / ".gitattributes").read_text(encoding="utf-8")
    assert written == (REPOSITORY / ".gitattributes").read_text(encoding="utf-8")  # the sample workspace's own
    for name in ("mail/mohrss-returned.docx", "mail/acftu-returned.odt", "build/comment-matrix.xlsx"):
        attributes = subprocess.run(["git", "-C", str(tmp_path / "new"), "check-attr", "text", "diff", "merge", "--",
                                     name], capture_output=True, text=True, check=True).stdout
        assert attributes.count(": unset") == 3, attributes


def test_init_inside_another_workspace_is_refused_and_makes_nothing(tmp_path, capsys):
    assert main(["init", str(tmp_path / "plan")]) == 0
    capsys.readouterr()
    inner = tmp_path / "plan" / "drafts" / "next"
    assert main(["init", str(inner)]) == 2
    assert f"inside the plan workspace {(tmp_path / 'plan').resolve()}; make the new one outside it" in \
        capsys.readouterr().err
    assert not inner.exists()


def test_a_workspace_made_by_an_older_release_is_told_of_and_given_the_git_settings_it_lacks(tmp_path, capsys):
    """Its .gitattributes predates union merging of the style rules: `status` says so, and `init --git-files`
    adds the setting (with its comment), keeping the panel's own lines, which git then applies."""
    import subprocess
    root = tmp_path / "old"
    assert main(["init", str(root)]) == 0
    attributes = root / ".gitattributes"
    older = "".join(line for line in attributes.read_text(encoding="utf-8").splitlines(keepends=True)
                    if "style" not in line) + "*.pdf binary\n"
    attributes.write_text(older, encoding="utf-8")
    capsys.readouterr()
    assert main(["status", "--workspace", str(root)]) == 0
    assert ".gitattributes lacks settings this release writes" in capsys.readouterr().out
    assert main(["init", "--git-files", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"added": {".gitattributes": ["glossary/style-*.yaml merge=union"]}}
    assert attributes.read_text(encoding="utf-8") == older + (
        "# And the style rules (one per line; a phrase in two rules, or a setting given twice, is refused).\n"
        "glossary/style-*.yaml merge=union\n")
    merge = subprocess.run(["git", "-C", str(root), "check-attr", "merge", "--", "glossary/style-en.yaml"],
                           capture_output=True, text=True, check=True).stdout
    assert merge.strip().endswith("merge: union")
    assert main(["status", "--workspace", str(root)]) == 0
    assert "lacks settings" not in capsys.readouterr().out
    assert main(["init", "--git-files", str(root)]) == 0
    assert "already have every setting" in capsys.readouterr().out
    assert attributes.read_text(encoding="utf-8").count("style-*.yaml") == 1


@pytest.mark.parametrize("args, message", [
    (["--git-files", "{root}"], "not a plan workspace"),
    (["--git-files", "{ws}", "--sample"], "--sample is for making one"),
])
def test_git_files_needs_an_existing_workspace_and_nothing_else(tmp_path, capsys, args, message):
    assert main(["init", str(tmp_path / "ws")]) == 0
    capsys.readouterr()
    assert main(["init", *(a.format(root=tmp_path, ws=tmp_path / "ws") for a in args)]) == 2
    assert message in capsys.readouterr().err


# -- bad input: file:line, exit 2, nothing written --------------------------------------------

def _expect_error(ws, capsys, needle, location):
    versions = sorted((ws.root / "drafts" / "versions").glob("*")) if (ws.root / "drafts" / "versions").exists() else []
    code, out = run(ws, "freeze", "--stage", "drafting", "--note", "x", capsys=capsys)
    assert code == 2, out.err
    assert needle in out.err and location in out.err, out.err
    after = sorted((ws.root / "drafts" / "versions").glob("*")) if (ws.root / "drafts" / "versions").exists() else []
    assert after == versions


def test_malformed_yaml_names_file_and_line(mini_ws, capsys):
    plan = mini_ws.root / "drafts" / "plan.yaml"
    plan.write_text(plan.read_text().replace("language: en", "language: [en"))
    _expect_error(mini_ws, capsys, "malformed YAML", "plan.yaml:")


@pytest.mark.parametrize("old, new, message, where", [
    ("round: 1\n", "round: [1\n", "malformed YAML", "mohrss-r1.md:"),  # bad front matter
    ("member: mohrss", "member: nobody", "unknown member unit 'nobody'", "mohrss-r1.md:2"),
    ("## esc-work", "## esc-wrok", "unknown outline section 'esc-wrok'; did you mean 'esc-work'?", "mohrss-r1.md:7"),
])
def test_bad_submission_names_file_and_line(mini_ws, capsys, old, new, message, where):
    sub = mini_ws.root / "drafts" / "submissions" / "mohrss-r1.md"
    sub.write_text(sub.read_text().replace(old, new))
    _expect_error(mini_ws, capsys, message, where)


def test_unknown_section_in_chapter_heading(mini_ws, capsys):
    path = chapter(mini_ws)
    path.write_text(path.read_text().replace("{#esc-work}", "{#esc-wrok}"))
    _expect_error(mini_ws, capsys, "'esc-wrok' is not in the outline", "01-esc.md:3")


def test_duplicate_ids_across_submissions(mini_ws, capsys):
    sub = mini_ws.root / "drafts" / "submissions" / "mohrss-r1.md"
    other = sub.read_text().replace("member: mohrss", "member: acftu").replace("i-mohrss-01", "i-acftu-01")
    (sub.parent / "acftu-r1.md").write_text(other)
    _expect_error(mini_ws, capsys, "duplicate id 'g-mohrss-01'", "-r1.md:")


def test_indicator_without_target_or_lead(mini_ws, capsys):
    sub = mini_ws.root / "drafts" / "submissions" / "mohrss-r1.md"
    original = sub.read_text()
    sub.write_text(original.replace("target: 5.5, ", ""))
    _expect_error(mini_ws, capsys, "indicator i-mohrss-01 has no target", "mohrss-r1.md:17")
    sub.write_text(original.replace("lead: mohrss, ", ""))
    _expect_error(mini_ws, capsys, "indicator i-mohrss-01 has no responsible (lead) unit", "mohrss-r1.md:17")


@pytest.mark.parametrize("cooperating, message", [
    ("[acftu, acftu]", "co-operating unit 'acftu' is listed twice; was another unit meant?"),
    ("[acftu, mohrss]", "co-operating unit 'mohrss' is the lead unit; was another unit meant?"),
])
def test_indicator_unit_named_twice(mini_ws, capsys, cooperating, message):
    sub = mini_ws.root / "drafts" / "submissions" / "mohrss-r1.md"
    sub.write_text(sub.read_text().replace("cooperating: [acftu]", f"cooperating: {cooperating}"))
    _expect_error(mini_ws, capsys, f"indicator i-mohrss-01: {message}", "mohrss-r1.md:17")


def test_non_utf8_file(mini_ws, capsys):
    path = chapter(mini_ws)
    path.write_bytes(path.read_bytes().replace(b"decent work", b"d\xe9cent work"))
    _expect_error(mini_ws, capsys, "not valid UTF-8", "01-esc.md:5")


def test_template_error_in_expert_draft(mini_ws, capsys):
    path = chapter(mini_ws)
    path.write_text(path.read_text().replace('{{ goals("esc-work") }}', '{{ goals("esc-work" }}'))
    _expect_error(mini_ws, capsys, "template error", "01-esc.md:7")
    path.write_text(path.read_text().replace('{{ goals("esc-work" }}', '{{ goal("g-none") }}'))
    _expect_error(mini_ws, capsys, "unknown goal id 'g-none'", "01-esc.md:7")
    path.write_text(path.read_text().replace('{{ goal("g-none") }}', '{{ goals("esc-wrok") }}'))
    _expect_error(mini_ws, capsys, "unknown outline section 'esc-wrok'; did you mean 'esc-work'?", "01-esc.md:7")


def test_sandbox_blocks_code_in_expert_draft(mini_ws, capsys):
    path = chapter(mini_ws)
    path.write_text(path.read_text() + "\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    _expect_error(mini_ws, capsys, "template error", "01-esc.md:")


def test_damaged_version_metadata_names_file_and_line(mini_ws, capsys):
    path = Path(freeze(mini_ws, capsys)["path"]).with_suffix(".yaml")
    lines = path.read_text().splitlines()
    number = next(k for k, line in enumerate(lines, 1) if line.startswith("- [p0002"))
    lines[number - 1] = "- p0002 heading"
    path.write_text("\n".join(lines) + "\n")
    code, out = run(mini_ws, "show", "1", capsys=capsys)
    assert code == 2 and f"v001.yaml:{number}: malformed block line" in out.err


@pytest.mark.parametrize("line, message", [
    ("{% include '/etc/passwd' %}", "may include only other files of drafts/chapters/"),
    ("{% include '../submissions/mohrss-r1.md' %}", "may include only other files of drafts/chapters/"),
    ("{{ ('a' * 10**8)|length }}", "a value of more than 10,000,000 items"),
    ("{{ 2 ** 100000000 }}", "a number of more than 10,000,000 bits"),
    ("{{ range(10**9)|list }}", "Range too big"),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "a chapter includes itself, or a macro calls itself"),
    ("{% include '01-esc.md' %}", "a chapter includes itself, or a macro calls itself, without end"),
    ("{{ goals() }}", "goals() missing 1 required positional argument"),
    ("{{ (10**100000)|string|length }}", "a number too long to print"),
    # Jinja's lipsum is random text (lorem ipsum each run); a helper printed uncalled prints a memory address
    ("{{ lipsum(1) }}", "'lipsum' is undefined"), ("{{ ['a', 'b']|random }}", "No filter named 'random'"),
    ("{{ goals }}", "goals is a helper to call, e.g. goals(\"…\"), not a value to print"),
    ("{{ [goals] }}", "this would print a Python object, not text"), ("{{ cycler(1, 2) }}", "a Python object"),
    ("{{ joiner() }}", "this would print a Python object, not text"),
])
def test_chapter_cannot_read_files_or_exhaust_the_machine(mini_ws, capsys, line, message):
    path = chapter(mini_ws)
    path.write_text(path.read_text() + f"\n{line}\n")
    _expect_error(mini_ws, capsys, message, "01-esc.md:")


def test_chapter_too_slow_is_stopped(mini_ws, capsys, monkeypatch):
    import pipeline.compose
    monkeypatch.setattr(pipeline.compose, "CHAPTER_TIME_LIMIT", 0.5)
    path = chapter(mini_ws)
    path.write_text(path.read_text() + "\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n")
    _expect_error(mini_ws, capsys, "took more than 0.5 s to render", "01-esc.md:")


def test_section_written_in_two_chapters_is_refused(mini_ws, capsys):
    copy = chapter(mini_ws, "09-copy.md")
    copy.write_text(chapter(mini_ws).read_text())
    _expect_error(mini_ws, capsys, "heading id 'esc' is already used in 01-esc.md", "09-copy.md:1")


def test_draft_reports_contributions_listed_twice(mini_ws, capsys):
    path = chapter(mini_ws)
    path.write_text(path.read_text() + '\n{{ goals("esc-work") }}\n')
    code, out = run(mini_ws, "draft", "--json", capsys=capsys)
    assert code == 0 and json.loads(out.out)["repeated"]


def test_freeze_refuses_unchanged_draft_and_bad_dates(mini_ws, capsys):
    freeze(mini_ws, capsys)
    for args, message in ((["--date", "2026-02-01"], "nothing changed since v1"),
                          (["--date", "next tuesday"], "is not a date (YYYY-MM-DD or 2026年3月5日"),
                          (["--date", "2026-13-45"], "is not a date (YYYY-MM-DD or 2026年3月5日"),
                          (["--date", "2025-12-31", "--stage", "consultation"], "is before 2026-01-05, the date of v1")):
        stage = [] if "--stage" in args else ["--stage", "drafting"]
        code, out = run(mini_ws, "freeze", *stage, "--note", "again", *args, capsys=capsys)
        assert code == 2 and message in out.err, out.err
    assert sorted(p.name for p in (mini_ws.root / "drafts" / "versions").glob("v*")) == ["v001.md", "v001.yaml"]
    code, out = run(mini_ws, "freeze", "--stage", "consultation", "--note", "same text, next stage",
                    "--date", "2026-02-01", capsys=capsys)
    assert code == 0, out.err


def test_freeze_from_file_checks_outline_and_existence(mini_ws, capsys, tmp_path):
    run(mini_ws, "draft", capsys=capsys)
    source = tmp_path / "edited.md"
    text = (mini_ws.root / "build" / "draft.md").read_text()
    source.write_text(text.replace("{#esc-work}", "{#nosuch}"))
    line = text[:text.index("{#esc-work}")].count("\n") + 1
    for path, message in ((source, f"edited.md:{line}: heading id 'nosuch' is not in the outline"),
                          (tmp_path / "missing.md", "missing.md: no such file to freeze (--from)"),
                          (tmp_path, f"{tmp_path}: a folder, not a Markdown file to freeze (--from)"),
                          (tmp_path / "draft.docx", "draft.docx: a Word file: freeze takes the Markdown of a draft")):
        if path.suffix == ".docx":
            path.write_bytes(b"PK\x03\x04")
        code, out = run(mini_ws, "freeze", "--stage", "drafting", "--note", "x", "--from", str(path), capsys=capsys)
        assert code == 2 and message in out.err, out.err
    assert not (mini_ws.root / "drafts" / "versions" / "v001.md").exists()


@pytest.mark.parametrize("edit, message", [
    (lambda text: text.replace("next_id: ", "next_id: 2 #"), "next_id must be a number above every id in use"),
    (lambda text: text.replace("- [p0002,", "- [p0001,"), "paragraph id p0001 is listed twice"),
    (lambda text: text.replace("version: 1", "version: 7"), "v001.yaml says it is version 7"),
])
def test_hand_edited_metadata_cannot_give_an_id_twice(mini_ws, capsys, edit, message):
    path = Path(freeze(mini_ws, capsys)["path"]).with_suffix(".yaml")
    path.write_text(edit(path.read_text()))
    code, out = run(mini_ws, "show", "1", capsys=capsys)
    assert code == 2 and "v001.yaml:" in out.err and message in out.err, out.err


def test_a_version_not_frozen_from_the_one_before_it_is_refused(mini_ws, capsys):
    """Two clones froze the version after v1 at once and one was renamed v3 to keep both: it would carry
    comments and give out paragraph ids as if v2 did not exist."""
    freeze(mini_ws, capsys)
    chapter(mini_ws).write_text(chapter(mini_ws).read_text().replace("decent work", "decent and safe work"))
    second = Path(freeze(mini_ws, capsys, note="v2")["path"])
    for suffix in (".md", ".yaml"):
        text = second.with_suffix(suffix).read_text().replace("version: 2\nname: v2\n", "version: 3\nname: v3\n")
        second.with_name("v003" + suffix).write_text(text)
    code, out = run(mini_ws, "status", capsys=capsys)
    assert code == 2 and "v003.yaml:3: v3 was frozen from v1, not from v2, the version before it" in out.err


def test_a_merge_conflict_left_in_a_file_is_named_with_its_line(mini_ws, capsys):
    path = chapter(mini_ws)
    path.write_text(path.read_text().replace("The state promotes full employment and decent work for all workers.",
                                             "<<<<<<< HEAD\nThe state promotes full employment.\n=======\n"
                                             "The state promotes decent work.\n>>>>>>> 1a2b3c4"))
    _expect_error(mini_ws, capsys, "a git merge conflict is left here, between git's <<<<<<< and >>>>>>> lines: "
                  "keep the right lines", "01-esc.md:5")


def test_broken_comment_file_stops_freeze_before_the_version_is_written(mini_ws, capsys):
    freeze(mini_ws, capsys)
    bad = mini_ws.root / "comments" / "r01" / "c0000000000bad.yaml"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text("id: c0000000000bad\n")
    path = chapter(mini_ws)
    path.write_text(path.read_text() + "\nA new paragraph.\n")
    code, out = run(mini_ws, "freeze", "--stage", "drafting", "--note", "x", "--date", "2026-02-01", capsys=capsys)
    assert code == 2 and "c0000000000bad.yaml" in out.err, out.err
    assert not (mini_ws.root / "drafts" / "versions" / "v002.md").exists()


def test_a_line_like_one_of_gits_markers_alone_is_plan_text(mini_ws, capsys):
    """Only git's <<<<<<< … >>>>>>> pair is a conflict: a line of seven '=' (a heading's underline) or of
    seven '>' (a quote within quotes) is the chapter's own."""
    path = chapter(mini_ws)
    path.write_text(path.read_text().replace("The state promotes full employment and decent work for all workers.",
                                             "The state promotes full employment and decent work for all workers.\n"
                                             "=======\n\n>>>>>>> As the Constitution says."))
    code, out = run(mini_ws, "draft", "--json", capsys=capsys)
    assert code == 0, out.err
    draft = Path(json.loads(out.out)["path"]).read_text()
    assert "=======" in draft and ">>>>>>> As the Constitution says." in draft


def test_workspace_option_after_the_command(mini_ws, capsys):
    assert main(["members", "--json", "--workspace", str(mini_ws.root)]) == 0
    assert json.loads(capsys.readouterr().out)


def test_init_refuses_an_empty_folder_name(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an unset variable in a script: not taken for the current folder
    with pytest.raises(SystemExit) as stop:
        main(["init", ""])
    assert stop.value.code == 2 and "give the folder to make the workspace in" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_to_overwrite_files(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    (tmp_path / "half" / "drafts").mkdir(parents=True)
    (tmp_path / "half" / "drafts" / "members.yaml").write_text("mine\n")
    for target, message in (("file", "exists and is not a folder"), ("half", "already holds drafts/")):
        assert main(["init", str(tmp_path / target)]) == 2
        assert message in capsys.readouterr().err
    assert (tmp_path / "half" / "drafts" / "members.yaml").read_text() == "mine\n"


@pytest.mark.parametrize("args, message", [
    (["diff", "1", "1", "--html", "/nonexistent-folder/x.html"], "the folder /nonexistent-folder does not exist"),
    (["diff", "1", "1", "--html", "diff.pdf"], "the file name must end in .html or .htm"),
])
def test_output_paths_are_checked_before_anything_is_written(mini_ws, capsys, args, message):
    freeze(mini_ws, capsys)
    with pytest.raises(SystemExit) as stop:
        main(["--workspace", str(mini_ws.root), *args])
    assert stop.value.code == 2 and message in capsys.readouterr().err
    assert not Path("/nonexistent-folder").exists()


def test_dry_run_shows_a_close_call_and_a_pin_settles_it(mini_ws, capsys):
    path = chapter(mini_ws)
    original = path.read_text()
    twin = "(7) **Protecting workers.** Labour inspection shall cover every enterprise with more than {} staff by {}."
    path.write_text(original + "\n" + twin.format("fifty", 2027) + "\n\n" + twin.format("twenty", 2029) + "\n")
    first, second = (b["id"] for b in freeze_and_show(mini_ws, capsys) if "Protecting workers" in b["text"])
    revised = twin.format("thirty", 2028)
    path.write_text(original + "\n" + revised + "\n")
    code, out = run(mini_ws, "freeze", "--date", "2026-02-01", "--dry-run", "--json", capsys=capsys)  # stage as v1
    assert code == 0 and json.loads(out.out)["close_calls"] == {first: second}
    assert not (mini_ws.root / "drafts" / "versions" / "v002.md").exists()
    path.write_text(original + "\n" + revised + f" {{#{second}}}\n")
    code, out = run(mini_ws, "freeze", "--stage", "drafting", "--note", "x", "--date", "2026-02-01", capsys=capsys)
    assert code == 0, out.err
    blocks = json.loads(run(mini_ws, "show", "2", "--json", capsys=capsys)[1].out)
    [kept] = [b for b in blocks if "Protecting workers" in b["text"]]
    assert kept["id"] == second and kept["text"].endswith("by 2028.")
    assert f"{{#{second}}}" not in (mini_ws.root / "drafts" / "versions" / "v002.md").read_text()


def test_a_dry_run_on_an_unchanged_draft_says_so_and_succeeds(mini_ws, capsys):
    assert run(mini_ws, "freeze", "--stage", "drafting", "--note", "v1", capsys=capsys)[0] == 0
    code, out = run(mini_ws, "freeze", "--dry-run", capsys=capsys)
    assert code == 0 and "Nothing to freeze: the draft reads as v1 (same text, same stage)." in out.out
    code, out = run(mini_ws, "freeze", "--dry-run", "--json", capsys=capsys)
    assert code == 0 and json.loads(out.out)["unchanged_since"] == "v1"
    code, out = run(mini_ws, "freeze", "--stage", "drafting", "--note", "again", capsys=capsys)
    assert code == 2 and "nothing changed since v1" in out.err  # a real freeze still refuses


@pytest.mark.parametrize("gone, message", [
    ("v001.md v001.yaml", "missing, though v002.md, v002.yaml, v003.md, v003.yaml are here; a frozen version is "
                          "never deleted: restore it from git (git checkout HEAD -- drafts/versions)"),
    ("v001.md", "missing, though v002.md, v002.yaml, v003.md, v003.yaml are here"),
    ("v002.yaml", "missing, though v003.md, v003.yaml are here"),
    ("v003.md", "missing, though v003.yaml is here; a frozen version is never deleted: restore it from git "
                "(git checkout HEAD -- drafts/versions)"),
    ("v003.yaml", "missing, while v003.md is here: a freeze interrupted before it wrote the metadata? Delete "
                  "v003.md and freeze again"),
])
def test_a_version_deleted_from_the_history_is_refused_by_name(mini_ws, capsys, gone, message):
    for note in ("v1", "v2", "v3"):
        path = chapter(mini_ws)
        path.write_text(path.read_text() + f"\nA paragraph for {note}.\n")
        assert run(mini_ws, "freeze", "--stage", "drafting", "--note", note, capsys=capsys)[0] == 0
    for name in gone.split():
        (mini_ws.root / "drafts" / "versions" / name).unlink()
    for command in (["status"], ["show", "latest"], ["diff", "1", "3"], ["freeze", "--dry-run"]):
        code, out = run(mini_ws, *command, capsys=capsys)
        assert code == 2 and f"{gone.split()[0]}: {message}" in out.err, out.err


def test_a_stray_version_file_after_a_gap_is_named_as_perhaps_not_belonging(mini_ws, capsys):
    assert run(mini_ws, "freeze", "--stage", "drafting", "--note", "v1", capsys=capsys)[0] == 0
    versions = mini_ws.root / "drafts" / "versions"
    (versions / "v009.yaml").write_bytes((versions / "v001.yaml").read_bytes())
    code, out = run(mini_ws, "status", capsys=capsys)
    assert code == 2 and "v002.md: missing, though v009.yaml is here; a frozen version is never deleted: restore " \
        "it from git (git checkout HEAD -- drafts/versions), or remove v009.yaml if it does not belong here" in out.err


@pytest.mark.parametrize("epoch", ["2026-01-01", "-86400000"])
def test_a_malformed_source_date_epoch_is_named_not_a_traceback(mini_ws, capsys, monkeypatch, tmp_path, epoch):
    """A negative one was taken: v1 dated 1967-04-07, a new plan for 1971–1975."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    for args in (["--workspace", str(mini_ws.root), "freeze", "--stage", "drafting", "--note", "v1"],
                 ["init", str(tmp_path / "new")]):
        assert main(args) == 2
        assert f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not '{epoch}'" in capsys.readouterr().err
    assert not (mini_ws.root / "drafts" / "versions" / "v001.md").exists() and not (tmp_path / "new").exists()


def test_only_a_dry_run_does_without_stage_and_note(mini_ws, capsys):
    code, out = run(mini_ws, "freeze", "--stage", "drafting", capsys=capsys)
    assert code == 2 and "freeze needs --stage and --note (only --dry-run does without them)" in out.err
    assert not (mini_ws.root / "drafts" / "versions" / "v001.md").exists()
    code, out = run(mini_ws, "freeze", "--dry-run", capsys=capsys)  # no version yet: the plan's first stage
    assert code == 0 and "Would freeze v1 (preparation," in out.out


def test_freeze_counts_one_block_in_the_singular(mini_ws, capsys, tmp_path):
    """A draft of one paragraph was reported as '1 blocks'."""
    source = tmp_path / "one.md"
    source.write_text("A single paragraph.\n", encoding="utf-8")
    code, out = run(mini_ws, "freeze", "--dry-run", "--from", str(source), capsys=capsys)
    assert code == 0 and ": 1 block; 1 new," in out.out.replace("\n", " "), out.out


def freeze_and_show(ws, capsys):
    freeze(ws, capsys)
    return json.loads(run(ws, "show", "1", "--json", capsys=capsys)[1].out)


def test_init_in_chinese_writes_the_plan_and_first_chapter_in_chinese(tmp_path, capsys):
    assert main(["init", str(tmp_path / "ws"), "--language", "zh"]) == 0
    plan = (tmp_path / "ws" / "drafts" / "plan.yaml").read_text(encoding="utf-8")
    assert "language: zh" in plan and "title: 导言" in plan and "Introduction" not in plan
    capsys.readouterr()
    assert main(["--workspace", str(tmp_path / "ws"), "draft", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["omitted_sections"] == []
    assert "专家组在此撰写导言。" in (tmp_path / "ws" / "build" / "draft.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("year, period", [(2026, (2026, 2030)), (2027, (2031, 2035)), (2030, (2031, 2035)),
                                          (2031, (2031, 2035))])
def test_a_new_plan_is_for_the_period_being_drafted(year, period):
    from pipeline.init import coming_plan_period
    assert coming_plan_period(year) == period


@pytest.mark.parametrize("args, title", [
    ([], "National Human Rights Action Plan (2026–2030)"),  # SOURCE_DATE_EPOCH is in 2026: its period's plan
    (["--period", "2036-2040"], "National Human Rights Action Plan (2036–2040)"),
    (["--language", "zh", "--period", "2036–2040"], "国家人权行动计划（2036—2040年）"),
])
def test_init_gives_the_plan_its_period_in_title_and_years(tmp_path, capsys, args, title):
    assert main(["init", str(tmp_path / "ws"), *args]) == 0
    capsys.readouterr()
    assert main(["--workspace", str(tmp_path / "ws"), "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == title
    text = (tmp_path / "ws" / "drafts" / "plan.yaml").read_text(encoding="utf-8")
    assert "YEAR" not in text and "YYYY" not in text


def test_status_of_a_new_workspace_says_what_is_missing_without_empty_tables(tmp_path, capsys):
    assert main(["init", str(tmp_path / "ws")]) == 0
    assert main(["--workspace", str(tmp_path / "ws"), "status"]) == 0
    out = capsys.readouterr().out
    assert "Versions: none yet" in out and "By chapter" not in out and "┏" not in out


@pytest.mark.parametrize("period", ["2035-2031", "2031", "2031-", "0999-1003", "2031-2035-2040", "31-35"])
def test_init_refuses_a_period_that_is_not_two_years_in_order(tmp_path, capsys, period):
    with pytest.raises(SystemExit) as stop:
        main(["init", str(tmp_path / "ws"), f"--period={period}"])
    assert stop.value.code == 2 and "give the first and last year, e.g. 2031-2035" in capsys.readouterr().err
    assert not (tmp_path / "ws").exists()


def test_init_takes_a_period_with_the_dash_of_a_chinese_title(tmp_path, capsys):
    assert main(["init", str(tmp_path / "ws"), "--language", "zh", "--period", "2036—2040"]) == 0
    capsys.readouterr()
    assert main(["--workspace", str(tmp_path / "ws"), "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "国家人权行动计划（2036—2040年）"


@pytest.mark.parametrize("option", [["--period", "2036-2040"], ["--language", "zh"]])
def test_init_of_a_sample_refuses_what_only_an_empty_workspace_takes(tmp_path, capsys, option):
    """The sample has its own period and language: dropping the option silently gave another plan than asked."""
    assert main(["init", str(tmp_path / "ws"), "--sample", *option]) == 2
    assert f"{option[0]} is for an empty workspace; the en sample plan has its own" in capsys.readouterr().err
    assert not (tmp_path / "ws").exists()


def test_init_in_chinese_explains_the_registry_in_chinese(tmp_path, capsys):
    assert main(["init", str(tmp_path / "ws"), "--language", "zh"]) == 0
    registry = (tmp_path / "ws" / "drafts" / "members.yaml").read_text(encoding="utf-8")
    assert "成员单位" in registry and "Member units" not in registry


def test_id_mark_slips_are_caught_by_draft_at_their_chapter_line(mini_ws, capsys):
    blocks = freeze_and_show(mini_ws, capsys)
    path = chapter(mini_ws)
    original = path.read_text()
    kept = next(b for b in blocks if b["kind"] == "paragraph")
    line = next(n for n, text in enumerate(original.splitlines(), 1) if text.startswith("- ") or text == "")
    for mark, message in (("{#p9999}", "p9999 is not a paragraph of v1"),
                          (f"{{#{kept['id']}}}", f"{kept['id']} still stands unchanged at")):
        lines = original.splitlines()
        lines.insert(line, f"\nA paragraph written afresh for this test. {mark}\n")
        path.write_text("\n".join(lines) + "\n")
        code, out = run(mini_ws, "draft", capsys=capsys)
        assert code == 2 and message in out.err and "01-esc.md:" in out.err, out.err


def test_status_and_draft_on_the_terminal_list_contributions_not_yet_used(mini_ws, capsys):
    path = chapter(mini_ws)
    path.write_text(path.read_text().replace('{{ goals("esc-work") }}', "").replace(
        '{{ indicator_table("esc-work") }}', ""))
    code, out = run(mini_ws, "status", capsys=capsys)
    assert code == 0 and "Not yet used in the draft:" in out.out
    words = " ".join(out.out.split())
    assert "1 unit submitted" in words and "2 goals (g-mohrss-01, g-mohrss-02); 1 indicator (i-mohrss-01)" in words
    code, out = run(mini_ws, "draft", capsys=capsys)
    assert code == 0 and "1 indicator not yet used in the draft: i-mohrss-01" in " ".join(out.out.split())


def test_counts_of_one_are_in_the_singular(tmp_path, capsys):
    from pipeline.cli.common import counted
    assert [counted([1], "goals"), counted(3, "blocks"), counted([], "units")] == ["1 goal", "3 blocks", "0 units"]
    assert counted(["exp-li"], "people") == "1 people"  # no 's' to drop: not '1 peopl'
    assert [counted(1, "replies"), counted(2, "replies")] == ["1 reply", "2 replies"]
    assert main(["init", str(tmp_path / "ws")]) == 0
    capsys.readouterr()
    assert main(["--workspace", str(tmp_path / "ws"), "draft"]) == 0
    assert "(1 chapter, 3 blocks)" in " ".join(capsys.readouterr().out.split())  # not '1 chapters'


def test_square_brackets_in_plan_text_and_notes_are_shown_not_read_as_markup(mini_ws, capsys):
    path = chapter(mini_ws)
    path.write_text(path.read_text().replace("\n\n", "\n\nTargets [tbc]; see [/law].\n\n", 1))
    run(mini_ws, "draft", capsys=capsys)
    code, out = run(mini_ws, "freeze", "--stage", "drafting", "--note", "v1 [for the joint meeting]", capsys=capsys)
    assert code == 0, out.err
    for command in ("show", "status"):
        code, out = run(mini_ws, command, capsys=capsys)
        assert code == 0 and "[for the joint meeting]" in out.out, out.err
    assert "Targets [tbc]; see [/law]." in run(mini_ws, "show", capsys=capsys)[1].out


def test_paths_with_square_brackets_are_printed_whole(tmp_path, capsys, monkeypatch):
    """A folder named 'NHRAP [draft]': rich read '[draft]' as a style and printed '/…/NHRAP /ws'."""
    monkeypatch.setenv("COLUMNS", "500")  # one line each, however long the temporary path
    ws = tmp_path / "NHRAP [draft]" / "ws"
    assert main(["init", str(ws)]) == 0
    for command in (["draft"], ["freeze", "--dry-run"], ["check", "style"], ["glossary", "export"]):
        assert main(["--workspace", str(ws), *command]) == 0
        assert "NHRAP [draft]" in capsys.readouterr().out, command


def test_findings_in_a_workspace_on_another_drive_name_their_file_whole(mini_ws, capsys, monkeypatch):
    """On Windows os.path.relpath raises ValueError from C: to D:; `nhrap -w D:\\plan check` ended in a traceback."""
    import os.path

    def other_drive(path, start=os.curdir):
        raise ValueError("path is on mount 'D:', start on mount 'C:'")
    monkeypatch.setattr(os.path, "relpath", other_drive)
    chapter(mini_ws).write_text(chapter(mini_ws).read_text() + "\nIn order to improve the work, we will make efforts.\n")
    code, out = run(mini_ws, "check", "style", capsys=capsys)
    assert code == 0 and f"{mini_ws.root / 'build' / 'draft.md'}:" in out.out and "wordy" in out.out, out.err


def test_a_close_call_quotes_its_paragraph_cut_at_a_word(capsys):
    from pipeline.cli.spine import _print_close_calls
    from pipeline.model import Block, Changes, Document, Version
    text = "Protecting workers [in new forms of employment] through occupational injury insurance for all platforms"
    version = Version(number=2, parent=1, date="", stage="", note="", sha256="", next_id=3,
                      document=Document(blocks=[Block(id="p0001", kind="paragraph", source=text, text=text)]),
                      changes=Changes(close_calls={"p0001": "p0002"}))
    _print_close_calls(version, dry_run=True)
    assert '"Protecting workers [in new forms of employment] through…"' in capsys.readouterr().out


def test_a_stage_not_in_the_plan_is_named_as_the_option_given(mini_ws, capsys):
    code, out = run(mini_ws, "freeze", "--stage", "consultaton", "--note", "x", capsys=capsys)
    assert code == 2 and "plan.yaml: --stage consultaton is not one of the plan's stages: " in out.err, out.err


def test_a_stage_named_as_the_plans_documents_name_it_is_that_stage(zh_ws, capsys):
    """A Chinese panel reads 审查 on its drafts' covers; as --stage it is the stage examination."""
    code, out = run(zh_ws, "freeze", "--stage", "审查", "--note", "x", "--dry-run", capsys=capsys)
    assert code == 0 and "(examination, " in out.out, out.err
    code, out = run(zh_ws, "freeze", "--stage", "征求", "--note", "x", "--dry-run", capsys=capsys)
    assert code == 2 and "--stage 征求 is not one of the plan's stages" in out.err
    assert "consultation (征求意见)" in out.err  # the names the panel reads, with the ids


def test_version_metadata_rewritten_in_another_yaml_form_reads_the_same(mini_ws, capsys):
    """The `changes:` lines are read by pattern, as freeze writes them; YAML of another form still reads."""
    from pipeline.versions import _load_metadata
    from pipeline.workspace import open_workspace
    path = Path(freeze(mini_ws, capsys)["path"]).with_suffix(".yaml")
    code, out = run(mini_ws, "show", "1", "--json", capsys=capsys)
    before = out.out
    changes = _load_metadata(open_workspace(mini_ws.root), 1)["changes"]
    assert changes["added"]  # read by pattern
    text = path.read_text()
    added = re.search(r"^  added: \[(.*)\]$", text, re.M)
    block = "".join(f"\n  - {ident}" for ident in added.group(1).split(", "))
    path.write_text(text.replace(added.group(0), f"  added:{block}"))
    from pipeline.versions import recorded_relations
    assert recorded_relations(open_workspace(mini_ws.root), 1)[1].split == {}
    assert _load_metadata(open_workspace(mini_ws.root), 1)["changes"] == changes  # read by the YAML loader
    code, out = run(mini_ws, "show", "1", "--json", capsys=capsys)
    assert code == 0 and out.out == before
    quoted = "".join(f"'{ident}', " for ident in added.group(1).split(", ")).rstrip(", ")
    path.write_text(text.replace(added.group(0), f"  added: [{quoted}]"))  # quoted, as YAML allows
    code, out = run(mini_ws, "show", "1", "--json", capsys=capsys)
    assert code == 0 and out.out == before
    assert _load_metadata(open_workspace(mini_ws.root), 1)["changes"]["added"][0] == "p0001"
    assert _load_metadata(open_workspace(mini_ws.root), 1)["changes"] == changes


def _versions_written(ws) -> list[str]:
    return sorted(p.name for p in (ws.root / "drafts" / "versions").glob("v*"))


def test_no_stage_at_or_after_approval_is_frozen_while_a_substantive_comment_waits(frozen_ws, capsys):
    """Freezing at assessment, after approval, went round the consensus gate; a dry run too."""
    source = str(Path(__file__).parent / "data" / "comments" / "v1.md")
    code, out = run(frozen_ws, "comments", "add", "--para", "p0003", "--org", "mohrss", "--body", "Substantive point.",
                    "--json", capsys=capsys)
    ident = json.loads(out.out)["id"]
    waiting = "1 substantive comment(s) have no response yet; answer them before approval"
    for stage, dry_run, after in (("assessment", [], " (assessment comes after it):"),
                                  ("assessment", ["--dry-run"], " (assessment comes after it):"),
                                  ("approval", ["--dry-run"], ":")):
        code, out = run(frozen_ws, "freeze", "--stage", stage, "--note", "x", "--from", source, *dry_run, capsys=capsys)
        assert code == 2 and waiting + after in out.err and ident in out.err, out.err
    assert run(frozen_ws, "freeze", "--stage", "examination", "--note", "x", "--from", source, capsys=capsys)[0] == 0
    assert _versions_written(frozen_ws) == ["v001.md", "v001.yaml", "v002.md", "v002.yaml"]


def test_a_dry_run_at_the_latest_versions_stage_after_approval_waits_for_responses(frozen_ws, capsys):
    """Without --stage a dry run takes the latest version's stage, and is held to that stage's gate."""
    source = str(Path(__file__).parent / "data" / "comments" / "v1.md")
    assert run(frozen_ws, "freeze", "--stage", "assessment", "--note", "x", "--from", source, capsys=capsys)[0] == 0
    run(frozen_ws, "comments", "add", "--para", "p0003", "--org", "mohrss", "--body", "Substantive point.",
        capsys=capsys)
    code, out = run(frozen_ws, "freeze", "--dry-run", capsys=capsys)
    assert code == 2 and "answer them before approval (assessment comes after it):" in out.err, out.err


def test_a_stage_going_back_is_frozen_and_said(mini_ws, capsys):
    """Examination back to consultation is another round, not refused; but a slip of --stage must show."""
    freeze(mini_ws, capsys, stage="examination")
    chapter(mini_ws).write_text(chapter(mini_ws).read_text().replace("decent work", "decent and safe work"))
    code, out = run(mini_ws, "freeze", "--stage", "consultation", "--note", "round 2", "--dry-run", capsys=capsys)
    assert code == 0 and "Note: the stage goes back from examination (v1) to consultation" in out.out, out.out
    version = freeze(mini_ws, capsys, stage="consultation", note="round 2")
    assert version["notes"] == ["the stage goes back from examination (v1) to consultation"]
    assert version["version"] == "v2" and {"path", "changes", "comments", "close_calls"} <= set(version)
    chapter(mini_ws).write_text(chapter(mini_ws).read_text().replace("decent and safe", "decent, safe"))
    assert freeze(mini_ws, capsys, stage="examination", note="forward")["notes"] == []


def test_a_version_date_after_today_is_refused(mini_ws, capsys, monkeypatch):
    """A mistyped year (2062) was accepted, and then every later version had to be dated 2062 or after. Today
    is the calendar's, not SOURCE_DATE_EPOCH's (a build sets a day long past)."""
    import datetime as dt
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    for date in ("2062-01-01", tomorrow):
        code, out = run(mini_ws, "freeze", "--stage", "drafting", "--note", "a", "--date", date, capsys=capsys)
        assert code == 2 and f"version date {date} is after today, {dt.date.today().isoformat()}: a version is " \
            "dated when it is frozen" in out.err, out.err
    assert _versions_written(mini_ws) == []
    code, out = run(mini_ws, "freeze", "--stage", "drafting", "--note", "a", "--date", dt.date.today().isoformat(),
                    capsys=capsys)
    assert code == 0, out.err


@pytest.mark.parametrize("date", ["20260105", "2026-W02-1"])
def test_a_version_date_in_another_iso_form_is_refused(mini_ws, capsys, date):
    """Python reads 20260105 as a date too, but dates are kept and compared as YYYY-MM-DD text."""
    code, out = run(mini_ws, "freeze", "--stage", "drafting", "--note", "a", "--date", date, capsys=capsys)
    assert code == 2 and f"version date '{date}' is not a date (YYYY-MM-DD or 2026年3月5日, a day that exists)" in out.err, out.err
    assert _versions_written(mini_ws) == []


def test_a_version_date_written_in_chinese_is_that_day(mini_ws, capsys):
    """As a comment's or a submission's date may be: one reading of dates everywhere."""
    code, out = run(mini_ws, "freeze", "--stage", "drafting", "--note", "a", "--date", "2026年3月5日", "--json",
                    capsys=capsys)
    assert code == 0, out.err
    assert "date: '2026-03-05'\n" in (mini_ws.root / "drafts" / "versions" / "v001.yaml").read_text(encoding="utf-8")


def test_freeze_help_says_how_the_date_is_chosen(capsys):
    with pytest.raises(SystemExit):
        main(["freeze", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "not after today, nor before the latest version's date (default: today, or SOURCE_DATE_EPOCH's day " \
        "when set; the latest version's date if that is later)" in text, text
