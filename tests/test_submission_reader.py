"""Member submissions: values are checked when read, so no later command trips over them."""
from __future__ import annotations

import pytest

from tests.helpers import run




def edit_submission(ws, old, new):
    path = ws.root / "drafts" / "submissions" / "mohrss-r1.md"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def indicator(ws):
    ws._submissions = None
    return ws.submissions()[0].indicators[0]


@pytest.mark.parametrize("written, stored", [
    ("2030", "2030"), ("2030-06-30", "2030-06-30"), ("'2030'", "2030"), ("2030年", "2030"),
    ("2030年6月30日", "2030-06-30"), ("２０３０", "2030"),
])
def test_deadlines_are_years_or_dates(mini_ws, written, stored):
    edit_submission(mini_ws, "deadline: 2030,", f"deadline: {written},")
    assert indicator(mini_ws).deadline == stored


@pytest.mark.parametrize("written", ["二〇三〇年", "2030年底", "2030-13-01", "2030-6-30", "soon", "203"])
def test_a_deadline_that_is_not_a_year_or_date_stops_every_command(mini_ws, capsys, written):
    edit_submission(mini_ws, "deadline: 2030,", f"deadline: {written},")
    for command in (("draft",), ("status",), ("check", "plan")):
        code, out = run(mini_ws, capsys, *command)
        assert code == 2, (command, out.err)
        assert (f"mohrss-r1.md:17: indicator i-mohrss-01: deadline '{written}' is not a year or a date "
                "(YYYY or YYYY-MM-DD)") in out.err
        assert "Traceback" not in out.err


@pytest.mark.parametrize("old, new, needle", [
    ("date: 2025-09-15", "date: 明天", "mohrss-r1.md:4: date '明天' is not a date (YYYY-MM-DD or 2026年3月5日, a day that exists)"),
    ("date: 2025-09-15", "date: 2025-02-30", "mohrss-r1.md:4: date '2025-02-30' is not a date"),
    ("member: mohrss", "member：mohrss",
     "mohrss-r1.md:2: malformed YAML: mapping values are not allowed in this context (full-width '：' — use ':')"),
    ("round: 1", "round: one", "mohrss-r1.md:3: round must be a number"),
    ("round: 1\n", "round: 1\nauthor: me\n", "mohrss-r1.md:4: unknown key 'author' in the front matter"),
    ("base_year: 2025", "base_year: last year", "indicator i-mohrss-01: base_year 'last year' is not a year"),
    ("text: Surveyed urban unemployment rate", "text: Surveyed urban unemployment rate, by sex",
     "mohrss-r1.md:17: unknown key 'by sex' in indicator i-mohrss-01 (a comma in an unquoted text? quote it)"),
    ("member: mohrss", "member: [mohrss]", "mohrss-r1.md:2: front matter: member must be a member id, not ['mohrss']"),
    ("member: mohrss\n", "", "mohrss-r1.md:2: the front matter needs member: (the unit's id)"),
    ("member: mohrss", "member:", "mohrss-r1.md:2: the front matter needs member: (the unit's id)"),
    ("round: 1", "round: -3", "mohrss-r1.md:3: round must be a number (1, 2, …), not -3"),
    ("round: 1", "round: 第一次", "mohrss-r1.md:3: round must be a number (1, 2, …), not '第一次'"),
    ("round: 1", "round: 1.5", "mohrss-r1.md:3: front matter: round must be a number (1, 2, …), not 1.5"),
    ("lead: mohrss", "lead: [mohrss]", "mohrss-r1.md:17: indicator i-mohrss-01: lead must be a member id, not ['mohrss']"),
    ("target: 5.5", "target: {a: 1}", "mohrss-r1.md:17: indicator i-mohrss-01: target must be a number or text, not {'a': 1}"),
    # YAML reads these as numbers, which the plan would print as "at most nan%"
    ("target: 5.5", "target: .nan", "mohrss-r1.md:17: indicator i-mohrss-01: target must be a finite number (or "
     "words), not .nan"),
    ("target: 5.5", "target: .inf", "mohrss-r1.md:17: indicator i-mohrss-01: target must be a finite number"),
    ("baseline: 5.2", "baseline: -.INF", "mohrss-r1.md:17: indicator i-mohrss-01: baseline must be a finite number "
     "(or words), not -.inf"),
    ("text: Surveyed urban unemployment rate", "text: [a, b]",
     "mohrss-r1.md:17: indicator i-mohrss-01: text must be plain text, not ['a', 'b']"),
    ('unit: "%"', "unit: no", "mohrss-r1.md:17: indicator i-mohrss-01: unit must be plain text, not False"),
    ('unit: "%"', "unit: “%”", "mohrss-r1.md:17: indicator i-mohrss-01: unit “%” keeps its quotes (“ ” are not YAML "
     "quotes): write unit: '%'"),
    ("goal: g-mohrss-01", "goal: g-nosuch", "mohrss-r1.md:17: indicator i-mohrss-01: goal 'g-nosuch' is not a goal of "
     "this or any other current submission (goals here: g-mohrss-01, g-mohrss-02)"),
    ("round: 1", "round: 3", "mohrss-r1.md:3: the file name says mohrss round 1, the front matter mohrss round 3: "
     "correct one of them (the file for this front matter is mohrss-r3.md)"),
    ("member: mohrss", "member: acftu", "mohrss-r1.md:2: the file name says mohrss round 1, the front matter acftu "
     "round 1"),
    ("lead: mohrss", "lead: mohrs", "indicator i-mohrss-01: unknown unit 'mohrs'; did you mean 'mohrss'?"),
    ("lead: mohrss", "lead: 人社部",  # experts and consulted organisations take on no indicators: not offered
     "indicator i-mohrss-01: unknown unit '人社部'; member units: acftu, mohrss, mos, scio"),
    ("lead: mohrss", "lead: exp-li", "indicator i-mohrss-01: 'exp-li' is an expert of the panel, not a member unit "
     "of the joint meeting: only member units take on indicators"),
    ("cooperating: [acftu]", "cooperating: [acftu, cshrs]", "indicator i-mohrss-01: 'cshrs' is a consulted "
     "organisation, not a member unit"),
    ("lead: mohrss", "lead: exp-lii", "indicator i-mohrss-01: unknown unit 'exp-lii'; member units: acftu, mohrss, mos, scio"),
    ("cooperating: [acftu]}", "cooperating: [acftu]",  # both lines are lines of the file, not of the YAML block
     "mohrss-r1.md:18: malformed YAML: did not find expected ',' or '}' (while parsing a flow mapping from line 17)"),
    ("- [g-mohrss-01]", "- [G-MOHRSS-01]", "mohrss-r1.md:11: goal id 'G-MOHRSS-01' must be lowercase letters, "
     "digits and hyphens, e.g. '[g-mohrss-01]'"),
    ("- [g-mohrss-01]", "- g-mohrss-01", "mohrss-r1.md:11: each goal starts with its id in brackets, e.g. "
     "'- [g-unit-01] …'"),
    ("id: i-mohrss-01", "id: I-MOHRSS-01", "mohrss-r1.md:17: indicator needs an id like 'i-mohrss-01' (lowercase "
     "letters, digits and hyphens), not 'I-MOHRSS-01'"),
    ("## esc-work", "## Right to Work", "mohrss-r1.md:7: unknown outline section 'Right to Work'; did you mean "
     "'esc-work' (Right to work)? A heading names its section by id: '## esc-work' or '## Right to work {#esc-work}'"),
    ("lead: mohrss", "lead: ministry of human resources and social security",
     "mohrss-r1.md:17: indicator i-mohrss-01: unknown unit 'ministry of human resources and social security'; did you "
     "mean 'mohrss' (ministry of human resources and social security)? A unit is written by its registry id"),
    ("member: mohrss", "member: 人力资源和社会保障部", "mohrss-r1.md:2: unknown member unit '人力资源和社会保障部' in "
     "front matter; did you mean 'mohrss' (人力资源和社会保障部)? A unit is written by its registry id"),
    ("## esc-work", "## 工作权利 ｛#esc-work｝",
     "unknown outline section '工作权利 ｛#esc-work｝' (full-width signs in '｛#esc-work｝' — write the id as '{#esc-work}')"),
])
def test_front_matter_and_indicator_mistakes(mini_ws, capsys, old, new, needle):
    edit_submission(mini_ws, old, new)
    code, out = run(mini_ws, capsys, "draft")
    assert code == 2 and needle in out.err, out.err


@pytest.mark.parametrize("name", ["acftu.md", "mohrss.md", "mohrss_r1.md", "mohrss-2026.md", "mohrss-r1-final.md"])
def test_a_submission_is_kept_under_its_own_unit_and_round(mini_ws, capsys, name):
    (mini_ws.submissions_dir / "mohrss-r1.md").rename(mini_ws.submissions_dir / name)
    code, out = run(mini_ws, capsys, "draft")
    assert code == 2, out.err
    assert (f"{name}:2: a submission's file is named <member>-r<round>.md: the file for this front matter "
            f"(mohrss round 1) is mohrss-r1.md, not {name}") in out.err
    assert not mini_ws.draft_path.exists()


def test_a_round_may_be_written_with_a_leading_zero_in_the_file_name(mini_ws, capsys):
    (mini_ws.submissions_dir / "mohrss-r1.md").rename(mini_ws.submissions_dir / "mohrss-r01.md")
    assert run(mini_ws, capsys, "draft")[0] == 0


@pytest.mark.parametrize("command", [("draft",), ("check", "plan"), ("status",)])
def test_a_goal_reference_is_checked_by_every_command(mini_ws, capsys, command):
    edit_submission(mini_ws, "goal: g-mohrss-01", "goal: g-nosuch")
    code, out = run(mini_ws, capsys, *command)
    assert code == 2 and "mohrss-r1.md:17: indicator i-mohrss-01: goal 'g-nosuch' is not a goal" in out.err, out.err


def test_an_indicator_may_name_another_units_goal(mini_ws, capsys):
    (mini_ws.submissions_dir / "acftu-r1.md").write_text(
        "---\nmember: acftu\nround: 1\n---\n\n## esc-work\n\n### Indicators\n\n```yaml\n"
        "- {id: i-acftu-01, goal: g-mohrss-02, text: Contracts, target: 90, kind: expected, lead: acftu}\n```\n",
        encoding="utf-8")
    assert run(mini_ws, capsys, "draft")[0] == 0


def test_numbers_in_text_fields_are_read_as_text(mini_ws, capsys):
    edit_submission(mini_ws, "date: 2025-09-15", "date: 2025-09-15\ncontact: 68521234")
    edit_submission(mini_ws, 'unit: "%"', "unit: 10000")
    edit_submission(mini_ws, "text: Surveyed urban unemployment rate", "text: 2030")
    assert run(mini_ws, capsys, "draft")[0] == 0, capsys.readouterr().err
    assert (indicator(mini_ws).text, indicator(mini_ws).unit) == ("2030", "10000")


@pytest.mark.parametrize("written", ["1", "'1'", "第1轮", "第 1 轮", "１", "第一轮", "一"])
def test_a_round_is_a_number_or_its_chinese_form(mini_ws, written):
    edit_submission(mini_ws, "round: 1", f"round: {written}")
    mini_ws._submissions = None
    assert mini_ws.submissions()[0].round == 1


def test_a_cooperating_unit_may_be_written_alone(mini_ws):
    edit_submission(mini_ws, "cooperating: [acftu]", "cooperating: acftu")
    assert indicator(mini_ws).cooperating == ["acftu"]


def test_an_empty_later_round_is_refused_not_taken_as_dropping_everything(mini_ws, capsys):
    later = mini_ws.submissions_dir / "mohrss-r2.md"
    later.write_text("---\nmember: mohrss\nround: 2\ndate: 2025-10-01\n---\n\n## esc-work\n", encoding="utf-8")
    code, out = run(mini_ws, capsys, "draft")
    assert code == 2 and ("mohrss-r2.md:3: round 2 of mohrss has no goals, measures or indicators; a later round "
                          "replaces the earlier one as a whole") in out.err
    later.write_text(later.read_text(encoding="utf-8") + "\n### Goals\n\n- [g-mohrss-05] A new goal.\n",
                     encoding="utf-8")
    assert run(mini_ws, capsys, "status")[0] == 0


def test_chinese_dates_comparisons_and_kinds_are_read(mini_ws):
    edit_submission(mini_ws, "date: 2025-09-15", "date: 2025年9月15号")  # 号 as often as 日
    edit_submission(mini_ws, "comparison: at-most", "comparison: 不高于")
    edit_submission(mini_ws, "kind: binding", "kind: 约束性")
    mini_ws._submissions = None
    submission = mini_ws.submissions()[0]
    assert submission.date == "2025-09-15"
    assert (submission.indicators[0].comparison, submission.indicators[0].kind) == ("at-most", "binding")


def test_an_item_id_in_a_chinese_keyboards_brackets_is_its_id(mini_ws):
    """【g-mohrss-01】, as Word intake reads it; 【重点任务】 would be a label, not an id."""
    edit_submission(mini_ws, "- [g-mohrss-01] Keep", "- 【g-mohrss-01】 Keep")
    mini_ws._submissions = None
    goal = mini_ws.submissions()[0].goals[0]
    assert (goal.id, goal.text) == ("g-mohrss-01", "Keep the surveyed urban unemployment rate within 5.5 per cent.")


def test_a_chapter_heading_id_in_full_width_braces_is_an_error(mini_ws, capsys):
    path = mini_ws.root / "drafts" / "chapters" / "01-esc.md"
    path.write_text(path.read_text(encoding="utf-8").replace("{#esc-work}", "｛#esc-work｝"), encoding="utf-8")
    code, out = run(mini_ws, capsys, "draft")
    assert code == 2
    assert "heading 'Right to work ｛#esc-work｝': full-width signs in '｛#esc-work｝' — write the id as '{#esc-work}'" \
        in out.err


def test_a_chinese_section_title_and_unit_name_are_answered_with_their_ids(zh_ws, capsys):
    path = zh_ws.submissions_dir / "spc-r1.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## cpr-person", "## 人身权利", 1), encoding="utf-8")
    code, out = run(zh_ws, capsys, "draft")
    assert code == 2 and ("spc-r1.md:7: unknown outline section '人身权利'; did you mean 'cpr-person' (人身权利)? "
                          "A heading names its section by id: '## cpr-person' or '## 人身权利 {#cpr-person}'") in out.err
    path.write_text(text.replace("lead: spc, cooperating: [moj]", "lead: 最高人民法院, cooperating: [moj]"),
                    encoding="utf-8")
    code, out = run(zh_ws, capsys, "draft")
    assert code == 2 and ("spc-r1.md:16: indicator i-spc-01: unknown unit '最高人民法院'; did you mean 'spc' (最高人民法院)? "
                          "A unit is written by its registry id") in out.err


@pytest.mark.parametrize("target, unit, read", [
    ("5.5%", "%", 5.5), ("60％", "%", 60), ("1,000 people", "people", 1000), ("1,200.5 km", "km", 1200.5),
    ("12,5%", "%", "12,5%"), ("≥90%", "%", "≥90%"), ("full coverage", "%", "full coverage"), (7, "%", 7),
])
def test_a_target_repeating_its_unit_is_read_as_the_number(target, unit, read):
    """The plan prints the unit after the target: '60％' with unit % would print 60％%. A decimal comma (12,5) is
    no thousands separator, so it stays as written."""
    from pipeline.readers.submission import target_without_unit
    assert target_without_unit(target, unit) == read
