"""The shipped sample plans are realistic and valid, and every spine command runs on them."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from pipeline.cli import main
from pipeline.model import CATEGORIES


def run_json(ws, *args, capsys):
    code = main(["--workspace", str(ws.root), *args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_sample_plan_has_realistic_scale(sample_ws):
    plan = sample_ws.plan
    assert len(plan.chapters) >= 6 and len(plan.sections) >= 35
    submissions = sample_ws.submissions()
    categories = {plan.members[s.member].category for s in submissions}
    assert len(submissions) >= 15 and categories == set(CATEGORIES)
    goals = [g for s in submissions for g in s.goals]
    indicators = [i for s in submissions for i in s.indicators]
    numeric = [i for i in indicators if i.numeric and i.deadline]
    assert len(goals) >= 80 and len(indicators) >= 60 and len(numeric) >= 25
    assert Counter(i.kind for i in numeric).keys() == {"binding", "expected"}
    assert all(plan.period_start <= i.deadline_year <= plan.period_end for i in numeric)
    members = [m for m in plan.members.values() if m.role in ("lead", "member")]
    assert 51 <= len(members) <= 56
    assert any(m.role == "former" for m in plan.members.values())


def test_sample_revision_history_is_intact(sample_ws, capsys):
    numbers = sample_ws.version_numbers()
    assert len(numbers) >= 4
    versions = [sample_ws.load_version(n) for n in numbers]
    assert [v.parent for v in versions[1:]] == numbers[:-1]
    later = versions[2].changes
    assert later.moved and later.split and later.merged and later.edited
    diff = run_json(sample_ws, "diff", "1", "latest", capsys=capsys)
    assert diff["added"] and diff["changed"]


@pytest.mark.parametrize("fixture", ["sample_ws", "zh_ws"])
def test_spine_commands_run_on_both_samples(fixture, request, capsys):
    ws = request.getfixturevalue(fixture)
    draft = run_json(ws, "draft", capsys=capsys)
    assert draft["blocks"] > 50
    assert run_json(ws, "status", capsys=capsys)["versions"]
    blocks = run_json(ws, "show", "latest", capsys=capsys)
    assert {"heading", "paragraph", "list_item"} <= {b["kind"] for b in blocks}
    assert run_json(ws, "members", capsys=capsys)
    assert set(run_json(ws, "diff", "1", "2", capsys=capsys)) >= {"added", "deleted", "moved", "changed"}
    last_chapter = ws.chapter_files()[-1]
    last_chapter.write_text(last_chapter.read_text(encoding="utf-8") + "\nA paragraph added for this test.\n",
                            encoding="utf-8")
    frozen = run_json(ws, "freeze", "--stage", "examination", "--note", "test", capsys=capsys)
    assert frozen["version"] == f"v{ws.version_numbers()[-1]}"


def test_chinese_sample_keeps_chinese_text(zh_ws, capsys):
    assert zh_ws.plan.language == "zh"
    blocks = run_json(zh_ws, "show", "latest", capsys=capsys)
    assert any("以人民为中心" in b["text"] for b in blocks)


def test_chinese_sample_runs_through_every_command(zh_ws, tmp_path, capsys):
    """Every command of every area on the Chinese workspace (the English one is exercised area by area)."""
    from helpers import run
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    blocks = run_json(zh_ws, "show", "latest", capsys=capsys)
    para = next(b for b in blocks if b["kind"] == "paragraph" and "以人民为中心" in b["text"])
    steps = [
        ("render", "latest", "--mode", "consultation", "-o", str(out_dir / "c.docx")),
        ("render", "latest", "--mode", "final", "--toc-pages", "estimate", "-o", str(out_dir / "f.docx")),
        ("redline", "1", "latest", "-o", str(out_dir / "r.docx")),
        ("comments", "add", "--para", para["id"], "--quote", "以人民为中心", "--org", "acwf", "--body", "建议补充妇女发展的内容。"),
        ("comments", "list", "--json"),
        ("comments", "stats", "--json"),
        ("comments", "matrix", "-o", str(out_dir / "m.xlsx")),
        ("comments", "matrix", "-o", str(out_dir / "m.docx")),
        ("comments", "report", "-o", str(out_dir / "report.docx")),
        ("glossary", "validate"),
        ("glossary", "export", "--format", "tbx", "-o", str(out_dir / "terms.tbx")),
        ("check", "glossary", "latest", "--json"),
        ("check", "style", "latest", "--json"),
        ("check", "plan", "--json"),
    ]
    for step in steps:
        code, out = run(zh_ws, capsys, *step)
        assert code == 0, f"{step}: {out.err}"
    matrix = zh_ws.root / "comments"
    assert any("妇女" in p.read_text(encoding="utf-8") for p in matrix.rglob("*.yaml"))
    assert {p.name for p in out_dir.iterdir()} >= {"c.docx", "f.docx", "r.docx", "m.xlsx", "m.docx", "report.docx", "terms.tbx"}


def test_sample_indicators_printed_without_their_lead_unit_are_found(sample_ws):
    """Forest coverage and nursing-type beds are written inline with `{{ indicator(...) }}` and no table."""
    from pipeline.checks.plan import check_plan
    findings = check_plan(sample_ws, sample_ws.load_document("latest"))
    assert sorted(f.text for f in findings if f.rule == "lead-unit-not-printed") == ["i-mca-05", "i-mee-08"]


def test_sample_drafting_leftover_is_an_error(sample_ws):
    """p0117 still carries '{{ 7*7 }} <b>raw html</b> — figure to be confirmed': the approval document would print it."""
    from pipeline.checks.plan import check_plan
    leftovers = [f for f in check_plan(sample_ws, sample_ws.load_document("latest")) if f.rule == "leftover"]
    assert [(f.para, f.severity, f.text) for f in leftovers] == [("p0117", "error", "{{ 7*7 }}")]
