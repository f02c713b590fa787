"""plan.yaml and members.yaml: mistakes are named by file and line, with a hint for the usual cause."""
from __future__ import annotations

import pytest
import yaml

from pipeline.errors import UserError
from pipeline.fileio import parse_yaml
from pipeline.readers.config import read_members, read_plan
from tests.conftest import REPO
from tests.helpers import run


def edit(ws, name, old, new):
    path = ws.root / "drafts" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(ws, name, needle):
    lines = (ws.root / "drafts" / name).read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def expect_error(ws, capsys, needle):
    for command in (("status",), ("draft",), ("check", "plan")):
        code, out = run(ws, capsys, *command)
        assert code == 2 and needle in out.err, (command, out.err)
        assert "Traceback" not in out.err


def test_comma_in_an_unquoted_name_is_refused_with_a_hint(mini_ws, capsys):
    edit(mini_ws, "members.yaml", "name_en: Ministry of Supervision,",
         "name_en: State Administration of Radio, Film and Television,")
    line = line_of(mini_ws, "members.yaml", "Film and Television")
    expect_error(mini_ws, capsys, f"members.yaml:{line}: unknown key 'Film and Television' in member mos "
                                  "(a comma in an unquoted name? quote it)")


def test_comma_in_an_affiliation_and_a_misspelt_key(mini_ws, capsys):
    edit(mini_ws, "members.yaml", "affiliation: Renmin University of China",
         "affiliation: Institute of Law, Chinese Academy of Social Sciences")
    expect_error(mini_ws, capsys, "unknown key 'Chinese Academy of Social Sciences' in member exp-li (a comma")
    edit(mini_ws, "members.yaml", "affiliation: Institute of Law, Chinese Academy of Social Sciences",
         "afiliation: Renmin University of China")
    expect_error(mini_ws, capsys, "unknown key 'afiliation' in member exp-li; did you mean 'affiliation'?")


def test_full_width_colon_in_a_key_is_named(mini_ws, capsys):
    edit(mini_ws, "members.yaml", "{id: acftu,", "{id：acftu,")
    line = line_of(mini_ws, "members.yaml", "id：acftu")
    expect_error(mini_ws, capsys, f"members.yaml:{line}: unknown key 'id：acftu' in a member entry "
                                  "(full-width '：' — use ':')")


def test_comma_in_a_section_title(mini_ws, capsys):
    edit(mini_ws, "plan.yaml", "{id: esc-work, title: Right to work}", "{id: esc-work, title: Right to work, decent work}")
    line = line_of(mini_ws, "plan.yaml", "decent work")
    expect_error(mini_ws, capsys, f"plan.yaml:{line}: unknown key 'decent work' in section esc-work "
                                  "(a comma in an unquoted title? quote it)")


def test_a_one_word_remainder_of_a_title_is_taken_for_a_comma(mini_ws, capsys):
    edit(mini_ws, "plan.yaml", "{id: esc-work, title: Right to work}", "{id: esc-work, title: Right to work, rest}")
    expect_error(mini_ws, capsys, "plan.yaml:9: unknown key 'rest' in section esc-work (a comma in an unquoted title? "
                                  "quote it)")
    edit(mini_ws, "plan.yaml", "Right to work, rest}", "Right to work, titel}")
    expect_error(mini_ws, capsys, "plan.yaml:9: unknown key 'titel' in section esc-work; did you mean 'title'?")


def test_numbers_in_text_fields_are_text(mini_ws):
    edit(mini_ws, "plan.yaml", "{id: esc-work, title: Right to work}", "{id: esc-work, title: 2030}")
    edit(mini_ws, "members.yaml", "name_zh: 李明", "name_zh: 12345")
    plan = read_plan(mini_ws.plan_path)
    assert plan.sections["esc-work"].title == "2030"
    assert read_members(mini_ws.members_path, plan.lead_units)["exp-li"].name_zh == "12345"


def test_unknown_lead_unit_is_reported_in_plan_yaml(mini_ws, capsys):
    edit(mini_ws, "plan.yaml", "lead_units: [scio]", "lead_units: [scio, mfx]")
    expect_error(mini_ws, capsys, "plan.yaml:4: lead unit 'mfx' is not in the registry (members.yaml)")
    edit(mini_ws, "plan.yaml", "lead_units: [scio, mfx]", "lead_units:\n- scio\n- mfx")
    expect_error(mini_ws, capsys, "plan.yaml:6: lead unit 'mfx' is not in the registry")


def test_a_cycle_written_as_a_five_year_plan_is_read_as_its_years(mini_ws, capsys):
    edit(mini_ws, "members.yaml", "{cycle: 2016-2020, event: removed}", "{cycle: 十三五, event: removed}")
    plan = read_plan(mini_ws.plan_path)
    [event] = [e for e in read_members(mini_ws.members_path, plan.lead_units)["mos"].history if e.event == "removed"]
    assert event.years == [2016, 2020] and event.starts_in(2016)


def test_lead_unit_in_capitals_is_named_with_the_registry_id(mini_ws, capsys):
    edit(mini_ws, "plan.yaml", "lead_units: [scio]", "lead_units: [SCIO]")
    expect_error(mini_ws, capsys, "lead unit 'SCIO' is not in the registry (members.yaml); did you mean 'scio'?")


@pytest.mark.parametrize("old, new, needle", [
    ("language: en", "language: cn", "plan.yaml:3: language must be one of en, zh, not 'cn'"),
    ("language: en", "language: en\nprofile: eng", "plan.yaml:4: profile (of Word output) must be one of en, zh, not 'eng'"),
    ("language: en", "language：zh", "plan.yaml:3: malformed YAML: could not find expected ':' (full-width '：' — use ':')"),
    ("period: {start: 2026, end: 2030}", "period: {start: 2026, end: 二〇三〇}", "plan.yaml:2: period end must be a year"),
    ("  - {id: esc-work, title: Right to work}", "  - {id: esc-work, title: Right to work, goals: yes please}",
     "plan.yaml:9: section esc-work: goals must be true or false"),
    ("period: {start: 2026, end: 2030}", "period: {start: soon, end: 2030}",
     "plan.yaml:2: period start must be a year (YYYY), not 'soon'"),
    ("period: {start: 2026, end: 2030}", "period: {start: 2030, end: 2026}",
     "plan.yaml:2: period starts (2030) after it ends (2026)"),
    ("title: Test Plan (2026–2030)", "title: [a, b]", "plan.yaml:1: plan: title must be plain text, not ['a', 'b']"),
    ("title: Test Plan (2026–2030)", "title: yes", "plan.yaml:1: plan: title must be plain text, not True"),
    ("  - {id: esc-work, title: Right to work}", "  - {id: esc-work, title: [Right, work]}",
     "plan.yaml:9: section esc-work: title must be plain text, not ['Right', 'work']"),
    ("  title: Economic rights", "  title: {a: b}", "plan.yaml:7: chapter esc: title must be plain text, not {'a': 'b'}"),
    ("language: en", "language: en\nstages: drafting",
     "plan.yaml:4: stages must be a list of names, e.g. [a, b], not 'drafting'"),
    ("language: en", "language: en\nstages: [drafting, approval, drafting]", "plan.yaml:4: stages lists 'drafting' twice"),
    ("language: en", "language: en\nstages: []", "plan.yaml:4: stages is empty: list the plan's stages, or leave "
     "the key out"),
    ("lead_units: [scio]", "lead_units: scio", "plan.yaml:4: lead_units must be a list of names, e.g. [a, b], not 'scio'"),
    # a Chinese keyboard's comma makes one name of two; its brackets no list at all
    ("lead_units: [scio]", "lead_units: [scio，mohrss]", "plan.yaml:4: lead_units: 'scio，mohrss'; full-width '，' — use ','"),
    ("lead_units: [scio]", "lead_units: 【scio, mohrss】",
     "not '【scio, mohrss】'; full-width '【' — use '['"),
    ("language: en", "langauge: zh", "plan.yaml:3: unknown key 'langauge' in the plan; did you mean 'language'?"),
    ("language: en", "colour: zh", "plan.yaml:3: unknown key 'colour' in the plan; known keys: title, title_zh"),
])
def test_plan_mistakes_point_at_their_line(mini_ws, capsys, old, new, needle):
    edit(mini_ws, "plan.yaml", old, new)
    expect_error(mini_ws, capsys, needle)


# a member written in block style, from line 6, its history open for one more event on line 11
BLOCK_MEMBER = "- id: moc\n  name_en: Ministry of Culture\n  category: administrative\n  history:\n  - {cycle: 2009-2010, event: added}\n"


@pytest.mark.parametrize("old, new, needle", [
    ("event: removed}", "event: merged, into: nosuch}", "members.yaml:5: 'mos' merged into unknown unit 'nosuch'"),
    ("experts:", BLOCK_MEMBER + "  - {cycle: 2016-2020, event: merged,\n     into: nosuch}\nexperts:",
     "members.yaml:12: 'moc' merged into unknown unit 'nosuch'"),
    ("experts:", BLOCK_MEMBER + "  - removed\nexperts:",
     "members.yaml:11: 'moc': history entries need cycle and event (added, removed, merged, renamed), not 'removed'"),
    ("event: removed}", "event: joined}",  # what was written, not a Python dict of it
     "members.yaml:5: 'mos': history event 'joined' is not one of added, removed, merged, renamed"),
    ("{cycle: 2016-2020, event: removed}", "{cycle: 2016-2020}",
     "members.yaml:5: 'mos': history entry needs an event, one of added, removed, merged, renamed"),
    ("{cycle: 2016-2020, event: removed}", "{event: removed}",
     "members.yaml:5: 'mos': the removed event needs a cycle (a plan period such as 2031–2035)"),
    ("event: removed}", "event: merged}", "members.yaml:5: 'mos': the merged event of 2016-2020 needs 'into'"),
    ("name_zh: 人力资源和社会保障部", "name_zh: “人力资源和社会保障部”",  # printed with its quotes in every table
     "members.yaml:3: 'mohrss': name_zh “人力资源和社会保障部” keeps its quotes (“ ” are not YAML quotes): "
     "write name_zh: '人力资源和社会保障部'"),
    ("event: removed}", "event: renamed}", "members.yaml:5: 'mos': the renamed event of 2016-2020 needs 'from'"),
    ("event: removed}", "event: removed, into: scio}",
     "members.yaml:5: 'mos': the removed event of 2016-2020 has 'into', which only a merged event has"),
    ("category: administrative, history: [{cycle: 2009-2010, event: added}, {cycle: 2016",
     "category: administrative, lead: maybe, history: [{cycle: 2009-2010, event: added}, {cycle: 2016",
     "members.yaml:5: 'mos': lead must be true or false, not 'maybe'"),
    ("experts:\n- {id: exp-li, name_en: Li Ming, name_zh: 李明, affiliation: Renmin University of China}",
     "experts: exp-wang", "members.yaml:6: 'experts:' must be a list"),
    ("experts:\n- {id: exp-li, name_en: Li Ming, name_zh: 李明, affiliation: Renmin University of China}",
     "experts:\n- exp-wang", "members.yaml:7: each entry must be a mapping with id and names, not 'exp-wang'"),
    ("{cycle: 2016-2020, event: removed}", "{cycle: 2020-2016, event: removed}",
     "members.yaml:5: 'mos': cycle '2020-2016' is not a plan period such as 2031–2035 or 2031"),
    ("{cycle: 2016-2020, event: removed}", "{cycle: next, event: removed}",
     "members.yaml:5: 'mos': cycle 'next' is not a plan period"),
    # a day or a year cut short is no plan period, though it holds a year
    ("{cycle: 2016-2020, event: removed}", "{cycle: 2026-02-30, event: removed}",
     "members.yaml:5: 'mos': cycle '2026-02-30' is not a plan period such as 2031–2035 or 2031"),
    ("{cycle: 2016-2020, event: removed}", "{cycle: 2026-2, event: removed}",
     "members.yaml:5: 'mos': cycle '2026-2' is not a plan period"),
    ("name_en: Ministry of Supervision", 'name_en: ""', "members.yaml:5: 'mos': name_en is empty; write it, or "
     "leave the key out"),
    ("name_zh: 监察部", "name_zh: ~", "members.yaml:5: 'mos': name_zh is empty"),
    ("{cycle: 2009-2010, event: added}, {cycle: 2016-2020, event: removed}",
     "{cycle: 2016-2020, event: removed}, {cycle: 2009-2010, event: added}",
     "members.yaml:5: 'mos': the added event of 2009-2010 is listed after the removed event of 2016-2020; "
     "list history oldest first"),
])
def test_registry_mistakes_point_at_their_line(mini_ws, capsys, old, new, needle):
    edit(mini_ws, "members.yaml", old, new)
    expect_error(mini_ws, capsys, needle)


@pytest.mark.parametrize("text, line, hint", [
    ("title: x\nperiod: 1\nlanguage：zh\nprofile: en\n", 3, "full-width '：' — use ':'"),
    ("member：nhc\nround: 1\n", 1, "full-width '：' — use ':'"),
    ("- {id: a， name: b}\n", 1, "full-width '，' — use ','"),
    ("- ｛id: a, name: b｝\n", 1, "full-width '｛' — use '{'"),
    ("a: “x: y”\n", 1, "full-width '“' — use '\"'"),
    ("a: [1, 2\nb: 3\n", 2, ""),
    ("a: 1\nb: 2\n\tc: 3\n", 3, ""),  # a tab indents line 3, though libyaml was scanning line 2's value
])
def test_yaml_errors_name_the_line_of_the_mistake(text, line, hint):
    with pytest.raises(UserError) as info:
        parse_yaml(text, "f.yaml")
    assert info.value.line == line
    assert (hint in info.value.message) if hint else "full-width" not in info.value.message


def test_chinese_quotes_in_a_value_are_not_blamed_for_an_error_elsewhere():
    with pytest.raises(UserError) as info:
        parse_yaml("title: “以人民为中心”的发展\nb: [1, 2\nc: 3\n", "f.yaml")
    assert info.value.line == 3 and "full-width" not in info.value.message
    assert "did not find expected ',' or ']' (while parsing a flow sequence from line 2)" in info.value.message


@pytest.mark.parametrize("sample", ["drafts", "examples/zh/drafts"])
def test_sample_registries_quote_every_name_and_lose_none(sample):
    path = REPO / sample / "members.yaml"
    plan = read_plan(REPO / sample / "plan.yaml")
    registry = read_members(path, plan.lead_units)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for group in ("members", "experts", "consulted"):
        for record in raw.get(group) or []:
            member = registry[record["id"]]
            assert (member.name_en, member.name_zh) == (record["name_en"], record["name_zh"])
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("- {"):
            assert 'name_en: "' in line and 'name_zh: "' in line, line
    if sample == "drafts":
        assert registry["sarft"].name_en == "State Administration of Radio, Film and Television"
        assert registry["exp-chen"].affiliation == "Institute of Law, Chinese Academy of Social Sciences"


def test_a_long_unknown_lead_unit_is_quoted_short(mini_ws, capsys):
    edit(mini_ws, "plan.yaml", "lead_units: [scio]", f"lead_units: [scio, {'x' * 20000}]")
    code, out = run(mini_ws, capsys, "status")
    assert code == 2 and "is not in the registry" in out.err and len(out.err) < 600
