"""`nhrap check plan`: sections with text, measurable indicators, current lead units, deadlines in the period."""
from __future__ import annotations

import json

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
    assert rules(findings) == [("no-measurable-indicator", ""), ("section-missing", "")]
    assert all("esc-health" in f.message for f in findings)
    assert all(f.severity == "error" for f in findings)


def test_indicator_lead_deadline_and_cooperating_units(mini_ws):
    (mini_ws.submissions_dir / "acftu-r1.md").write_text(SECOND_SUBMISSION, encoding="utf-8")
    chapter = mini_ws.chapters_dir / "01-esc.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n## Right to health {#esc-health}\n\nHealth for all.\n",
                       encoding="utf-8")
    findings = check_plan(mini_ws, mini_ws.load_document(None))
    assert rules(findings) == [("cooperating-units", "g-acftu-01"), ("deadline-outside-period", "i-acftu-01"),
                               ("lead-unit", "i-acftu-01")]
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
    assert summary(findings)["plan"]["error"] == 2
    status = main(["--workspace", str(mini_ws.root), "check", "all", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1 and report["summary"]["plan"]["error"] == 2
    assert main(["--workspace", str(mini_ws.root), "check", "all"]) == 1
    assert "Summary" in capsys.readouterr().out
