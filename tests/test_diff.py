"""`nhrap diff`: plain-text marks off a terminal, split/merge/move provenance, the JSON details,
the HTML page, and Chinese word changes snapped to whole words."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run
from pipeline import textdiff
from pipeline.textdiff import word_diff
from pipeline.versions import recorded_relations

REPO = Path(__file__).resolve().parent.parent

V1 = """\
# Economic rights {#esc}

## Right to work {#esc-work}

The state promotes full employment and decent work for all workers, with particular attention to college graduates, \
rural migrant workers and persons with disabilities. Public employment services will be free of charge in every \
county, and job fairs will be held each season for graduates and migrant workers.

- Keep the surveyed urban unemployment rate within 5.5 per cent.
- Create more than 12 million new urban jobs each year.

| Indicator | Target |
|---|---|
| Unemployment rate | at most 5.5% |

## Right to health {#esc-health}

Basic medical insurance will cover the whole population, and the out-of-pocket share of total health spending will \
keep falling year by year.

Catastrophic illness insurance will pay a larger share of large bills.

Village clinics will be staffed by qualified doctors.

# Implementation {#impl}

## Evaluation {#impl-eval}

Each unit reports on progress at mid-term and at the end of the plan period.

An independent evaluation will be commissioned at the end of the period.
"""
# v2: the first paragraph split in two; "Village clinics" moved to the evaluation section
V2 = (V1.replace(" Public employment services will be free", "\n\nPublic employment services will be free")
      .replace("Village clinics will be staffed by qualified doctors.\n\n", "")
      .replace("## Evaluation {#impl-eval}\n\n",
               "## Evaluation {#impl-eval}\n\nVillage clinics will be staffed by qualified doctors.\n\n"))
# v3: two health paragraphs merged, words changed (with markup-like member text), a table row added,
# a heading renamed, a list item made bold (formatting only)
V3 = (V2.replace("year by year.\n\nCatastrophic illness insurance will pay",
                 "year by year, and catastrophic illness insurance will pay")
      .replace("decent work", "decent and safe work <script>alert(1)</script>")
      .replace("| Unemployment rate | at most 5.5% |",
               "| Unemployment rate | at most 5.5% |\n| New urban jobs | 12 million |")
      .replace("## Right to health {#esc-health}", "## Right to health care {#esc-health}")
      .replace("- Create more", "- **Create** more"))


@pytest.fixture
def history(mini_ws, capsys, tmp_path):
    """v1 → v2 (a split and a move) → v3 (a merge and edits) of the tiny workspace."""
    for number, text in ((1, V1), (2, V2), (3, V3)):
        source = tmp_path / f"v{number}.md"
        source.write_text(text, encoding="utf-8")
        code, out = run(mini_ws, capsys, "freeze", "--stage", "drafting", "--note", f"v{number}",
                        "--date", f"2026-01-0{number}", "--from", str(source))
        assert code == 0, out.err
    return mini_ws


def diff_json(ws, capsys, *refs):
    code, out = run(ws, capsys, "diff", *refs, "--json")
    assert code == 0, out.err
    return json.loads(out.out)


def ids_of(ws, capsys, ref):
    code, out = run(ws, capsys, "show", ref, "--json")
    return {b["text"]: b["id"] for b in json.loads(out.out)}


# -- terminal output ------------------------------------------------------------------------

def test_piped_output_marks_changes_as_plain_text(history, capsys, monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    code, out = run(history, capsys, "diff", "2", "3")  # capsys: stdout is not a terminal
    assert code == 0
    assert "\x1b[" not in out.out
    assert "decent [-work-]{+and safe work <script>alert(1)</script>+} for all workers" in out.out
    assert "Right to health{+ care+}" in out.out
    assert "(formatting only) Create more than 12 million" in out.out
    assert "will keep falling year by [-year.-]{+year, and catastrophic" in out.out


def test_terminal_keeps_colour_and_no_color_gets_marks(history, capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich writes as to a terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    code, out = run(history, capsys, "diff", "2", "3")
    assert code == 0 and "\x1b[" in out.out and "{+" not in out.out
    monkeypatch.setenv("NO_COLOR", "1")
    code, out = run(history, capsys, "diff", "2", "3")
    assert code == 0 and "\x1b[" not in out.out and "[-work-]{+and safe work" in out.out


def test_an_added_paragraph_or_table_is_one_line_cut_at_a_word(history, capsys, tmp_path):
    long = ("Each assessment will verify the self-assessments of the member units indicator by indicator, and "
            "third-party assessment by research institutions will be encouraged.")
    source = tmp_path / "v4.md"
    source.write_text(V3 + "\n" + long + "\n\n| Indicator | Target |\n|---|---|\n| Legal aid centres | 3,000 |\n",
                      encoding="utf-8")
    run(history, capsys, "freeze", "--stage", "drafting", "--note", "v4", "--date", "2026-01-04", "--from", str(source))
    code, out = run(history, capsys, "diff", "3", "4")
    added = [line for line in out.out.splitlines() if line.startswith("+ ")]
    assert code == 0 and len(added) == 2, out.out
    assert added[0].endswith(" and third-party assessment…")  # not "…by resea", and not as if it ended there
    assert added[1].endswith("Indicator | Target Legal aid centres | 3,000")


def freeze_next(ws, capsys, tmp_path, text, number):
    source = tmp_path / f"v{number}.md"
    source.write_text(text, encoding="utf-8")
    code, out = run(ws, capsys, "freeze", "--stage", "drafting", "--note", f"v{number}",
                    "--date", f"2026-01-0{number}", "--from", str(source))
    assert code == 0, out.err


def test_a_table_row_inserted_or_deleted_shows_as_a_whole_row(history, capsys, tmp_path):
    # a row inserted before a row starting with the same words, a row deleted, a row edited
    freeze_next(history, capsys, tmp_path, V3.replace(
        "| New urban jobs | 12 million |", "| New urban jobs for graduates | 5 million |\n| New urban jobs | 13 million |")
        .replace("| Unemployment rate | at most 5.5% |\n", ""), 4)
    code, out = run(history, capsys, "diff", "3", "4")
    assert code == 0
    table = out.out[out.out.index("~ p"):]
    assert (" Indicator | Target\n[-Unemployment rate | at most 5.5%\n-]"
            "{+New urban jobs for graduates | 5 million\n+}New urban jobs | [-12-]{+13+} million\n") in out.out, table
    page = tmp_path / "diff.html"
    run(history, capsys, "diff", "3", "4", "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert ("<del>Unemployment rate | at most 5.5%\n</del><ins>New urban jobs for graduates | 5 million\n</ins>"
            "New urban jobs | <del>12</del><ins>13</ins> million") in html
    # the details still rebuild both texts
    details = diff_json(history, capsys, "3", "4")["details"]
    for d in details:
        assert "".join(t for op, t in d["words"] if op <= 0) == d["old"]
        assert "".join(t for op, t in d["words"] if op >= 0) == d["new"]


@pytest.mark.parametrize("text, limit, shown", [
    ("Each assessment will verify the self-assessments", 31, "Each assessment will verify the…"),  # 'the' fits
    ("Each assessment will verify the self-assessments", 30, "Each assessment will verify…"),
    ("国家人权行动计划联席会议", 8, "国家人权行动计划…"), ("Short enough", 12, "Short enough"),
])
def test_an_excerpt_keeps_every_whole_word_that_fits(text, limit, shown):
    from pipeline.errors import excerpt
    assert excerpt(text, limit) == shown


def test_recorded_relations_read_any_yaml_form_of_the_head(history):
    """The fixed form `freeze` writes is read by pattern; a hand-reformatted head by the YAML reader."""
    expected = recorded_relations(history, 2)
    assert expected[0] == 1 and expected[1].split
    _, meta = history.version_paths(2)
    text = meta.read_text(encoding="utf-8")
    split = next(line for line in text.splitlines() if line.startswith("  split: {"))
    pairs = split[len("  split: {"):-1].split(", ")
    meta.write_text(text.replace(split, "  split:\n" + "".join(f"    {pair}\n" for pair in pairs).rstrip("\n")),
                    encoding="utf-8")
    assert recorded_relations(history, 2) == expected


def test_split_merge_and_move_say_where_from(history, capsys):
    v1, v3 = ids_of(history, capsys, "1"), ids_of(history, capsys, "3")
    first = v1[next(t for t in v1 if t.startswith("The state promotes"))]
    part = v3["Public employment services will be free of charge in every county, and job fairs will be held "
              "each season for graduates and migrant workers."]
    merged = v1["Catastrophic illness insurance will pay a larger share of large bills."]
    into = v1[next(t for t in v1 if t.startswith("Basic medical insurance"))]
    clinics = v1["Village clinics will be staffed by qualified doctors."]
    code, out = run(history, capsys, "diff", "1", "3")
    assert code == 0
    assert "1 added (1 split), 1 deleted (1 merged), 1 moved" in out.out
    assert f"+ {part} (split from {first}) Public employment services" in out.out
    assert f"- {merged} (merged into {into}) Catastrophic illness" in out.out
    assert f"> {clinics} (moved from esc-health, after {merged}; now in " in out.out
    # over versions 1 to 3 (the split in v2, the merge in v3) and in either direction
    forward = diff_json(history, capsys, "1", "3")
    assert forward["split"] == {part: first} and forward["merged"] == {merged: into}
    assert forward["moved_from"] == {clinics: {"section": "esc-health", "after": merged}}
    backward = diff_json(history, capsys, "3", "1")
    assert backward["split"] == {merged: into} and backward["merged"] == {part: first}
    assert diff_json(history, capsys, "2", "3")["split"] == {}


def test_a_moved_paragraph_says_where_it_now_stands(history, capsys, tmp_path):
    v1, v3 = ids_of(history, capsys, "1"), ids_of(history, capsys, "3")
    clinics, heading = v1["Village clinics will be staffed by qualified doctors."], v3["Evaluation"]
    merged = v1["Catastrophic illness insurance will pay a larger share of large bills."]
    code, out = run(history, capsys, "diff", "1", "3", "--html", str(tmp_path / "diff.html"))
    assert code == 0
    assert (f"> {clinics} (moved from esc-health, after {merged}; now in impl-eval, after {heading}) "
            "Village clinics") in out.out
    html = (tmp_path / "diff.html").read_text(encoding="utf-8")
    assert (f"moved from esc-health (Right to health), after {merged}; "
            f"now in impl-eval (Evaluation), after {heading}") in html
    assert diff_json(history, capsys, "1", "3")["moved_to"] == {clinics: {"section": "impl-eval", "after": heading}}


# -- JSON -----------------------------------------------------------------------------------

def test_json_keeps_the_id_lists_and_adds_word_details(history, capsys):
    diff = diff_json(history, capsys, "2", "3")
    assert list(diff)[:6] == ["from", "to", "added", "deleted", "moved", "changed"]
    assert all(isinstance(diff[key], list) for key in ("added", "deleted", "moved", "changed"))
    assert {"split", "merged", "moved_from", "details"} <= set(diff)
    details = {d["id"]: d for d in diff["details"]}
    assert [d["id"] for d in diff["details"]] == diff["changed"]
    first = next(d for d in diff["details"] if d["new"].startswith("The state promotes"))
    assert first["section"] == "esc-work" and "<script>" in first["new"] and "**" not in first["new"]
    assert [-1, "work"] in first["words"] and [1, "and safe work <script>alert(1)</script>"] in first["words"]
    for d in details.values():  # the words rebuild both texts
        assert "".join(t for op, t in d["words"] if op <= 0) == d["old"]
        assert "".join(t for op, t in d["words"] if op >= 0) == d["new"]
        assert {op for op, _t in d["words"]} <= {-1, 0, 1}
    bold = next(d for d in details.values() if d["new"].startswith("Create more"))
    assert bold["formatting_only"] and bold["words"] == [[0, bold["new"]]]


# -- HTML -----------------------------------------------------------------------------------

def test_html_shows_plain_text_headings_tables_and_provenance(history, capsys, tmp_path):
    page = tmp_path / "diff.html"
    code, _ = run(history, capsys, "diff", "1", "3", "--html", str(page))
    assert code == 0
    html = page.read_text(encoding="utf-8")
    for markdown in ("{#esc", "## ", "- Keep", "**", "|---|"):
        assert markdown not in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "role='heading'" in html and "Right to health<ins> care</ins>" in html
    # a changed table, row by row
    assert "Unemployment rate | at most 5.5%<ins>\nNew urban jobs | 12 million</ins>" in html
    assert "esc-work · Right to work" in html and "impl-eval · Evaluation" in html
    assert "split from p" in html and "merged into p" in html
    assert "moved from esc-health (Right to health), after p" in html
    assert "http" not in html.replace("http-equiv", "")  # nothing fetched from elsewhere
    run(history, capsys, "diff", "1", "3", "--html", str(tmp_path / "again.html"))
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == html


def test_html_renders_a_whole_table_as_a_table(history, capsys, tmp_path):
    from pipeline.diff import diff_workspace
    from pipeline.writers.html_diff import diff_to_html
    diff = diff_workspace(history, "1", "3")
    table = next(b for b in history.load_version(1).document.blocks if b.kind == "table")
    diff.deleted.append(table)
    html = diff_to_html(diff, "T")
    assert ("<del><table class='grid'><tr><th>Indicator</th><th>Target</th></tr>"
            "<tr><td>Unemployment rate</td>") in html


# -- Chinese --------------------------------------------------------------------------------

def test_chinese_changes_take_in_whole_words():
    assert word_diff("加强保护", "强化保护", language="zh") == [(-1, "加强"), (1, "强化"), (0, "保护")]
    # not marked Chinese: character by character, as before
    assert word_diff("加强保护", "强化保护") == [(-1, "加"), (0, "强"), (1, "化"), (0, "保护")]
    assert word_diff("不断健全公共就业服务体系", "不断完善公共就业服务体系", language="zh") == [
        (0, "不断"), (-1, "健全"), (1, "完善"), (0, "公共就业服务体系")]
    assert word_diff("在24小时内", "在二十四小时内", language="zh") == [
        (0, "在"), (-1, "24"), (1, "二十四"), (0, "小时内")]


def test_english_never_loads_jieba(monkeypatch):
    def refuse():
        raise AssertionError("jieba loaded")
    monkeypatch.setattr(textdiff, "_segmenter", refuse)
    assert word_diff("the state promotes work", "the state supports work", language="zh") == [
        (0, "the state "), (-1, "promotes"), (1, "supports"), (0, " work")]
    assert word_diff("加强保护", "强化保护", language="en")[0] == (-1, "加")
    assert word_diff("同一段", "同一段", language="zh") == [(0, "同一段")]


def test_chinese_plan_diff_shows_whole_words(zh_ws, capsys, tmp_path):
    latest = zh_ws.load_version("latest")
    source = tmp_path / "next.md"
    source.write_text(Path(latest.path).read_text(encoding="utf-8").replace(
        "健全公共就业服务体系，加强劳动保障监察", "健全公共就业服务体系，强化劳动保障监察"), encoding="utf-8")
    code, out = run(zh_ws, capsys, "freeze", "--stage", "consultation", "--note", "x", "--from", str(source))
    assert code == 0, out.err
    code, out = run(zh_ws, capsys, "diff", str(latest.number), "latest")
    assert code == 0 and "修改 1 段" in out.out  # the counts in the plan's language
    assert "服务体系，[-加强-]{+强化+}劳动保障监察" in out.out


def test_a_chinese_plan_diff_is_worded_in_chinese(zh_ws, capsys, tmp_path):
    """The fixed words of the terminal lines and the HTML page come from the zh profile's labels."""
    latest = zh_ws.load_version("latest")
    blocks = Path(latest.path).read_text(encoding="utf-8").split("\n\n")
    blocks.insert(1, blocks.pop(next(k for k, b in enumerate(blocks) if b.startswith("巩固拓展脱贫攻坚成果"))))
    source = tmp_path / "next.md"
    source.write_text("\n\n".join(blocks), encoding="utf-8")
    code, out = run(zh_ws, capsys, "freeze", "--stage", "consultation", "--note", "x", "--from", str(source))
    assert code == 0, out.err
    page = tmp_path / "diff.html"
    code, out = run(zh_ws, capsys, "diff", "1", "latest", "--html", str(page))
    assert code == 0
    assert "v1 → v4：新增 6 段，删除 3 段（其中合并 1 段），移动 1 段，修改 7 段" in out.out
    assert "- p0054 （并入 p0055）扩大法律援助范围" in out.out
    assert "> p0016 （移自 esc-living，原在 p0015 之后；现位于 esc，在 p0001 之后）巩固拓展脱贫攻坚成果" in out.out
    html = page.read_text(encoding="utf-8")
    assert "<html lang='zh'>" in html and "（2026—2030年）：v1 → v4</h1>" in html
    assert "<h2>修改（7）</h2>" in html and "<h2>移动（1）</h2>" in html
    assert "<tr><td>其中并入其他段落</td><td>1</td></tr>" in html
    assert "<span class='note'>并入 p0055</span>" in html
    assert ("<span class='note'>移自 esc-living（基本生活水准权利），原在 p0015 之后；"
            "现位于 esc（经济、社会和文化权利），在 p0001 之后</span>") in html
    fixed = re.findall(r"<h[12]>(.*?)</h[12]>|<td>([^<]*)</td>", html)
    assert not [text for pair in fixed for text in pair if re.search("[A-Za-z]{2,}", text)]


def test_importing_the_cli_and_diff_loads_no_jieba():
    code = ("import sys, pipeline.cli, pipeline.diff, pipeline.textdiff, pipeline.writers.html_diff;"
            "print(sorted(m for m in ('jieba', 'rich', 'spacy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    assert result.stdout.strip() == "[]"
