"""Shared fixtures: a tiny workspace built from strings, and a copy of the sample plan."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

MINI_PLAN = """\
title: Test Plan (2026–2030)
period: {start: 2026, end: 2030}
language: en
lead_units: [scio]
outline:
- id: esc
  title: Economic rights
  sections:
  - {id: esc-work, title: Right to work}
  - {id: esc-health, title: Right to health}
- id: impl
  title: Implementation
  sections:
  - {id: impl-eval, title: Evaluation, goals: false}
"""
MINI_MEMBERS = """\
members:
- {id: scio, name_en: State Council Information Office, name_zh: 国务院新闻办公室, category: administrative, lead: true, history: [{cycle: 2009-2010, event: added}]}
- {id: mohrss, name_en: Ministry of Human Resources and Social Security, name_zh: 人力资源和社会保障部, category: administrative, history: [{cycle: 2009-2010, event: added}]}
- {id: acftu, name_en: All-China Federation of Trade Unions, name_zh: 中华全国总工会, category: people, history: [{cycle: 2009-2010, event: added}]}
- {id: mos, name_en: Ministry of Supervision, name_zh: 监察部, category: administrative, history: [{cycle: 2009-2010, event: added}, {cycle: 2016-2020, event: removed}]}
experts:
- {id: exp-li, name_en: Li Ming, name_zh: 李明, affiliation: Renmin University of China}
consulted:
- {id: cshrs, name_en: China Society for Human Rights Studies, name_zh: 中国人权研究会, category: social}
"""
MINI_SUBMISSION = """\
---
member: mohrss
round: 1
date: 2025-09-15
---

## esc-work

### Goals

- [g-mohrss-01] Keep the surveyed urban unemployment rate within 5.5 per cent.
- [g-mohrss-02] Literal {{ 7*7 }} and <b>raw html</b> stay text.

### Indicators

```yaml
- {id: i-mohrss-01, goal: g-mohrss-01, text: Surveyed urban unemployment rate, target: 5.5, unit: "%", comparison: at-most, baseline: 5.2, base_year: 2025, deadline: 2030, kind: binding, lead: mohrss, cooperating: [acftu]}
```
"""
MINI_CHAPTERS = {
    "01-esc.md": """\
# Economic rights {#esc}

## Right to work {#esc-work}

The state promotes full employment and decent work for all workers.

{{ goals("esc-work") }}

{{ indicator_table("esc-work") }}

{{ responsible("esc-work") }}
""",
    "02-impl.md": """\
# Implementation {#impl}

## Evaluation {#impl-eval}

Each unit reports on progress at mid-term and at the end of the plan period.
""",
}


def write_mini_workspace(root: Path) -> Path:
    files = {"drafts/plan.yaml": MINI_PLAN, "drafts/members.yaml": MINI_MEMBERS,
             "drafts/submissions/mohrss-r1.md": MINI_SUBMISSION,
             **{f"drafts/chapters/{name}": text for name, text in MINI_CHAPTERS.items()}}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def mini_ws(tmp_path):
    from pipeline.workspace import Workspace
    return Workspace(write_mini_workspace(tmp_path / "ws"))


def copy_sample(target: Path, which: str = "en") -> Path:
    source = REPO if which == "en" else REPO / "examples" / which
    for part in ("drafts", "comments", "glossary", "styles"):
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, ignore=shutil.ignore_patterns("build", ".lock"))
    return target


@pytest.fixture
def sample_ws(tmp_path):
    from pipeline.workspace import Workspace
    return Workspace(copy_sample(tmp_path / "sample"))


@pytest.fixture
def zh_ws(tmp_path):
    from pipeline.workspace import Workspace
    return Workspace(copy_sample(tmp_path / "zh", "zh"))


COMMENTS_DATA = REPO / "tests" / "data" / "comments"



@pytest.fixture
def frozen_ws(mini_ws):
    """The tiny workspace with tests/data/comments/v1.md frozen as v1 (a consultation draft)."""
    return freeze_comments_v1(mini_ws)


def freeze_comments_v1(ws):
    """Freeze tests/data/comments/v1.md as v1 of the tiny workspace `ws` (for module-scoped fixtures too)."""
    from pipeline.versions import freeze
    freeze(ws, "consultation", "v1", date="2026-03-01", source=(COMMENTS_DATA / "v1.md").read_text(encoding="utf-8"))
    return ws
