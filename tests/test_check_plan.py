"""`nhrap check plan`: sections with text, measurable indicators, current lead units, deadlines in the period."""
from __future__ import annotations

import json

import pytest

from pipeline.checks import run_all, summary
from pipeline.checks.plan import check_plan
from pipeline.cli import main

SECOND_SUBMISSION = """\
---
member: acftu
round: 1
date: 2025-09-20
---

## esc-health

### Goals

- [g-acftu-01] Jointly with the health authorities, extend occupational health examinations to all miners.
- [g-acftu-02] Publish a report on workers' health.

### Indicators

```yaml
- {id: i-acftu-01, goal: g-acftu-01, text: Miners examined, target: 100, unit: "%", deadline: 2035, kind: expected, lead: mos}
- {id: i-acftu-02, goal: g-acftu-02, text: Report published, target: published, kind: expected, lead: acftu}
```
"""


def rules(findings):
    return sorted((f.rule, f.text) for f in findings)


def test_mini_plan_missing_section_and_indicator(mini_ws):
    findings = check_plan(mini_ws, mini_ws.load_document(None))
    # the mini submission's goal 'Literal {{ 7*7 }} and <b>raw html</b> stay text.' is printed as a leftover
    assert rules(findings) == [("leftover", "{{ 7*7 }}"), ("no-measurable-indicator", ""), ("section-missing", "")]
    assert all("esc-health" in f.message for f in findings if f.rule != "leftover")
    assert all(f.severity == "error" for f in findings)


def test_indicator_lead_deadline_and_cooperating_units(mini_ws):
    (mini_ws.submissions_dir / "acftu-r1.md").write_text(SECOND_SUBMISSION, encoding="utf-8")
    chapter = mini_ws.chapters_dir / "01-esc.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n## Right to health {#esc-health}\n\nHealth for all.\n",
                       encoding="utf-8")
    findings = check_plan(mini_ws, mini_ws.load_document(None))
    assert rules(findings) == [("cooperating-units", "g-acftu-01"), ("deadline-outside-period", "i-acftu-01"),
                               ("lead-unit", "i-acftu-01"), ("leftover", "{{ 7*7 }}")]
    lead = next(f for f in findings if f.rule == "lead-unit")
    assert "not a current member" in lead.message and lead.file.endswith("acftu-r1.md") and lead.line > 0


def test_empty_section_is_reported_at_its_heading(mini_ws, tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("# Economic rights {#esc}\n\n## Right to work {#esc-work}\n\n## Right to health {#esc-health}\n\n"
                     "Text.\n\n# Implementation {#impl}\n\n## Evaluation {#impl-eval}\n\nText.\n", encoding="utf-8")
    findings = check_plan(mini_ws, mini_ws.load_document(str(draft)))
    empty = [f for f in findings if f.rule == "section-empty"]
    assert [(f.line, f.text) for f in empty] == [(3, "Right to work")]


def test_run_all_and_check_all_summary(mini_ws, capsys):
    import shutil

    from pipeline.readers.termbase import DATA_DIR
    shutil.copytree(DATA_DIR, mini_ws.glossary_dir)
    findings = run_all(mini_ws, mini_ws.load_document(None))
    assert {f.check for f in findings} >= {"plan"}
    assert summary(findings)["plan"]["error"] == 3  # section, indicator and the '{{ 7*7 }}' leftover
    status = main(["--workspace", str(mini_ws.root), "check", "all", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1 and report["summary"]["plan"]["error"] == 3
    assert main(["--workspace", str(mini_ws.root), "check", "all"]) == 1
    assert "Summary" in capsys.readouterr().out


WORDED_TARGETS = """\
---
member: acftu
round: 1
date: 2025-09-20
---

## esc-work

### Goals

- [g-acftu-01] Extend collective wage bargaining.

### Indicators

```yaml
- {id: i-acftu-01, goal: g-acftu-01, text: Collective wage bargaining, target: gradually expanded, kind: binding, lead: acftu}
- {id: i-acftu-02, goal: g-acftu-01, text: Trade union legal aid, target: further improved, deadline: 2028, kind: expected, lead: acftu}
- {id: i-acftu-03, goal: g-acftu-01, text: 工会法律援助, target: 逐步扩大, deadline: 2028, kind: expected, lead: acftu}
- {id: i-acftu-04, goal: g-acftu-01, text: Model contracts, target: issued and in use, deadline: 2027, kind: expected, lead: acftu}
```
"""


def test_each_indicator_is_checked_for_deadline_and_wording(mini_ws):
    (mini_ws.submissions_dir / "acftu-r1.md").write_text(WORDED_TARGETS, encoding="utf-8")
    findings = [f for f in check_plan(mini_ws, mini_ws.load_document(None)) if f.text.startswith("i-acftu")]
    assert [(f.rule, f.text, f.severity) for f in findings] == [
        ("no-deadline", "i-acftu-01", "error"), ("vague-target", "i-acftu-01", "warning"),
        ("vague-target", "i-acftu-02", "warning"), ("vague-target", "i-acftu-03", "warning")]
    assert all(f.file.endswith("acftu-r1.md") and f.line == 15 + int(f.text[-1]) for f in findings)
    assert "'gradually expanded' is vague (gradually)" in findings[1].message


def test_a_binding_indicator_printed_without_its_lead_unit_is_reported(mini_ws):
    """`{{ indicator(...) }}` prints the indicator's text and target, not who answers for it."""
    chapter = mini_ws.chapters_dir / "01-esc.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace('{{ indicator_table("esc-work") }}',
                                                                   '{{ indicator("i-mohrss-01") }}'), encoding="utf-8")
    chapter.write_text(chapter.read_text(encoding="utf-8").replace('{{ responsible("esc-work") }}', ""), encoding="utf-8")
    findings = [f for f in check_plan(mini_ws, mini_ws.load_document(None)) if f.rule == "lead-unit-not-printed"]
    assert [(f.text, f.severity) for f in findings] == [("i-mohrss-01", "warning")]
    assert "'Ministry of Human Resources and Social Security' is printed nowhere in section 'esc-work'" in findings[0].message
    assert findings[0].file.endswith("mohrss-r1.md") and findings[0].line > 0
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nLead: Ministry of Human Resources and Social Security.\n")
    assert not [f for f in check_plan(mini_ws, mini_ws.load_document(None)) if f.rule == "lead-unit-not-printed"]


@pytest.mark.parametrize("text, leftovers", [
    ("Expand free admission at public museums {{ 7*7 }} <b>raw html</b> — figure to be confirmed by the finance office.",
     "'{{ 7*7 }}', '<b>', '</b>', 'to be confirmed'"),
    ("Coverage will reach XXX per cent (TBC).", "'XXX', 'TBC'"),
    ("{% if x %}Legal aid{% endif %} for all; deadline TBD.", "'{% if x %}', '{% endif %}', 'TBD'"),
    ("覆盖率达到××%，具体数字待确认。", "'××', '待确认'"),
    ("完成时间待定，指标待补充。", "'待定', '待补充'"),
])
def test_drafting_leftovers_are_errors(mini_ws, tmp_path, text, leftovers):
    draft = tmp_path / "draft.md"
    draft.write_text(f"# Economic rights {{#esc}}\n\n## Right to work {{#esc-work}}\n\nText.\n\n- {text}\n", encoding="utf-8")
    found = [f for f in check_plan(mini_ws, mini_ws.load_document(str(draft))) if f.rule == "leftover"]
    assert [(f.line, f.severity, f.message) for f in found] == [(7, "error", f"drafting leftover printed as text: {leftovers}")]


@pytest.mark.parametrize("text", ["Tax rates of 3 < 5 and 7 > 2 stay.", "The XX Congress and the TBCF network.",
                                  "《宪法》第三十六条规定，不允许歧视。", "Confirmed by the finance office.",
                                  "我们期待定期举行对话。", "妥善对待定居者。"])
def test_ordinary_text_is_no_leftover(mini_ws, tmp_path, text):
    draft = tmp_path / "draft.md"
    draft.write_text(f"# Economic rights {{#esc}}\n\n{text}\n", encoding="utf-8")
    assert not [f for f in check_plan(mini_ws, mini_ws.load_document(str(draft))) if f.rule == "leftover"]
