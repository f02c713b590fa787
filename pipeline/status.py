"""Where the plan stands: stage, versions, who has submitted, goals and indicators, gaps."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .compose import compose_draft
from .init import missing_git_lines
from .model import CATEGORIES


@dataclass
class Status:
    title: str
    stage: str
    versions: list[dict] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    not_submitted: list[str] = field(default_factory=list)
    goals: int = 0
    indicators: dict[str, int] = field(default_factory=dict)  # by kind
    by_chapter: dict[str, dict[str, int]] = field(default_factory=dict)
    by_category: dict[str, dict[str, int]] = field(default_factory=dict)
    omitted_sections: list[str] = field(default_factory=list)
    unused: dict[str, list[str]] = field(default_factory=dict)
    git_settings_missing: dict[str, list[str]] = field(default_factory=dict)  # per git file (init.missing_git_lines)

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _count(counter: dict[str, dict[str, int]], key: str, what: str) -> None:
    counter.setdefault(key, {"goals": 0, "binding": 0, "expected": 0})[what] += 1


def workspace_status(ws) -> Status:
    plan = ws.plan
    numbers = ws.version_numbers()
    versions = [ws.load_version(n) for n in numbers]
    status = Status(title=plan.title, stage=versions[-1].stage if versions else plan.stages[0])
    status.versions = [{"version": v.name, "date": v.date, "stage": v.stage, "note": v.note,
                        "blocks": len(v.document.blocks)} for v in versions]
    submissions = ws.submissions()
    by_member = {s.member for s in submissions}
    units = [m for m in plan.members.values() if m.role in ("lead", "member")]
    status.submitted = sorted(m.id for m in units if m.id in by_member)
    status.not_submitted = sorted(m.id for m in units if m.id not in by_member)
    kinds: Counter = Counter()
    for submission in submissions:
        category = plan.members[submission.member].category
        for goal in submission.goals:
            status.goals += 1
            _count(status.by_chapter, plan.chapter_of(goal.section) or "", "goals")
            _count(status.by_category, category, "goals")
        for indicator in submission.indicators:
            kinds[indicator.kind] += 1
            _count(status.by_chapter, plan.chapter_of(indicator.section) or "", indicator.kind)
            _count(status.by_category, category, indicator.kind)
    status.indicators = {"binding": kinds["binding"], "expected": kinds["expected"]}
    # rows in the plan's own order (outline, the study's list of categories), not the order files were read
    status.by_chapter = {c.id: status.by_chapter[c.id] for c in plan.chapters if c.id in status.by_chapter}
    status.by_category = {c: status.by_category[c] for c in CATEGORIES if c in status.by_category}
    _text, report = compose_draft(ws)
    status.omitted_sections = report.omitted_sections
    unused = report.as_json()["unused"]
    status.unused = {kind: [item["id"] for item in items] for kind, items in unused.items()}
    if (ws.root / ".git").exists():  # a workspace inside another repository (examples/zh) has that one's
        status.git_settings_missing = missing_git_lines(ws.root)
    return status
