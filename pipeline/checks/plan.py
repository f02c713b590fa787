"""`nhrap check plan`: the examination of the plan's structure and indicators.

- every outline section is in the draft and has text under its heading;
- every goal section (`goals: true`) has at least one measurable indicator
  (a numeric target, a percentage or a deadline);
- every indicator's lead unit is a current member of the joint meeting, and
  its co-operating units are known;
- deadlines (and base years) fall inside the plan period;
- goals that need several departments name the co-operating units;
- each indicator: a binding one has a deadline and its lead unit printed in its
  section (an inline `{{ indicator(...) }}` prints no lead unit); a target in
  words is not vague ("gradually expanded", 逐步扩大);
- no drafting leftover is printed: template syntax, HTML tags or notes such as
  "to be confirmed", TBC, 待定, ××.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

from ..model import Block, Document, Finding, Goal, Indicator, Member, Plan, Submission
from . import line_offset

MEASURABLE_TEXT = re.compile(r"\d|per ?cent|percent|%|％|百分之")
JOINT_WORK = re.compile(
    r"\b(jointly|together with|in conjunction with|in co-?operation with|co-?ordinat\w+ with|"
    r"inter-?departmental|cross-?department\w*|all departments|several departments|relevant departments)\b"
    r"|会同|联合|协同|各部门|多部门|相关部门|有关部门", re.I)
NOT_LEADING_ROLES = ("former", "expert", "consulted")
# What a drafter leaves for later and the approval document would print as it stands.
LEFTOVER = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}"  # template syntax the composer left as text (submissions are text, not templates)
    r"|</?[A-Za-z][A-Za-z0-9]*(?:\s+[\w-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>"  # an HTML tag as text
    r"|(?i:\bto be confirmed\b)|\bTB[CD]\b|\bX{3,}\b|(?<![期等看对])待定(?![期居位型])|待确认|待补充|×{2,}")  # not 期待定期
NOT_TEXT_KINDS = ("code", "rule")


def check_plan(ws: Any, document: Document, submissions: Optional[list[Submission]] = None,
               style: Any = None) -> list[Finding]:
    """`style`: the style check's StyleChecker, when it ran, to read vague targets by the same rules."""
    plan: Plan = ws.plan
    submissions = ws.submissions() if submissions is None else submissions
    indicators = [i for s in submissions for i in s.indicators]
    headings = _section_headings(document)
    findings = _section_findings(plan, document, headings)
    findings += _goal_section_findings(plan, indicators, headings, document.path)
    findings += _leftover_findings(document)
    section_texts = _section_texts(document)
    vague = _vague_words(ws, style)
    for submission in submissions:
        for indicator in submission.indicators:
            findings += _indicator_findings(plan, indicator, submission.path)
            findings += _indicator_wording_findings(plan, indicator, submission.path, section_texts, vague)
        for goal in submission.goals:
            findings += _joint_goal_findings(plan, goal, indicators, submission.path)
    return findings


def _finding(rule: str, message: str, suggestion: str, *, para: str = "", line: int = 0, file: str = "",
             text: str = "", severity: str = "error") -> Finding:
    return Finding(check="plan", rule=rule, message=message, para=para, line=line, text=text,
                   suggestion=suggestion, severity=severity, file=file)


def _section_headings(document: Document) -> dict[str, Block]:
    return {b.anchor: b for b in document.blocks if b.kind == "heading" and b.anchor}


def _section_findings(plan: Plan, document: Document, headings: dict[str, Block]) -> list[Finding]:
    """Each outline section is present and has at least one block of text under its heading."""
    with_text = {b.section for b in document.blocks if b.kind != "heading" and b.text.strip()}
    findings = []
    for chapter in plan.chapters:
        for section in chapter.sections:
            heading = headings.get(section.id)
            if heading is None:
                findings.append(_finding("section-missing", f"outline section '{section.id}' ({section.title}) is not in the draft",
                                         f"add a heading '## {section.title} {{#{section.id}}}' with its text",
                                         file=document.path))
            elif section.id not in with_text:
                findings.append(_finding("section-empty", f"section '{section.id}' ({section.title}) has no text",
                                         "write the section or remove it from the outline",
                                         para=heading.id, line=heading.line, file=document.path, text=heading.text))
    return findings


def _leftover_findings(document: Document) -> list[Finding]:
    """A placeholder, a note or markup left in the text: one finding per block, at the line of the first."""
    findings = []
    for block in document.blocks:
        found = [m.group(0) for m in LEFTOVER.finditer(block.text)] if block.kind not in NOT_TEXT_KINDS else []
        if found:
            findings.append(_finding("leftover", "drafting leftover printed as text: " + ", ".join(f"'{t}'" for t in found),
                                     "write the final text, or delete the note", para=block.id, file=document.path,
                                     line=block.line + line_offset(block.source, found[0]),
                                     text=found[0]))
    return findings


def measurable(indicator: Indicator) -> bool:
    """A number, a percentage or a deadline makes an indicator measurable."""
    return indicator.numeric or bool(indicator.deadline) or indicator.unit in ("%", "％") \
        or bool(MEASURABLE_TEXT.search(str(indicator.target)))


def _goal_section_findings(plan: Plan, indicators: list[Indicator], headings: dict[str, Block], path: str) -> list[Finding]:
    measured = {i.section for i in indicators if measurable(i)}
    findings = []
    for section in plan.sections.values():
        if section.goals and section.id not in measured:
            heading = headings.get(section.id)
            findings.append(_finding(
                "no-measurable-indicator", f"goal section '{section.id}' ({section.title}) has no measurable indicator",
                "add an indicator with a number, a percentage or a deadline",
                para=heading.id if heading else "", line=heading.line if heading else 0, file=path,
                text=heading.text if heading else ""))
    return findings


def _indicator_findings(plan: Plan, indicator: Indicator, path: str) -> list[Finding]:
    findings = []
    where = {"file": path, "line": indicator.line, "text": indicator.id}
    lead = plan.organisation(indicator.lead)
    if lead is None or lead.role in NOT_LEADING_ROLES:
        state = "is not in the member registry" if lead is None else f"is not a current member (role: {lead.role})"
        findings.append(_finding("lead-unit", f"indicator {indicator.id}: lead unit '{indicator.lead}' {state}",
                                 "name a current member unit as lead", **where))
    for unit in indicator.cooperating:
        member = plan.organisation(unit)
        if member is None or member.role == "former":
            findings.append(_finding("cooperating-unit", f"indicator {indicator.id}: co-operating unit '{unit}' is not a current member",
                                     "remove it or name its successor", **where))
    start, end = plan.period_start, plan.period_end
    year = indicator.deadline_year
    if year is not None and not start <= year <= end:
        findings.append(_finding("deadline-outside-period",
                                 f"indicator {indicator.id}: deadline {indicator.deadline} is outside the plan period {start}–{end}",
                                 f"set a deadline between {start} and {end}", **where))
    if indicator.base_year is not None and isinstance(indicator.base_year, int) and indicator.base_year > end:
        findings.append(_finding("base-year", f"indicator {indicator.id}: base year {indicator.base_year} is after the plan period",
                                 f"use a base year before {end}", **where))
    return findings


def _indicator_wording_findings(plan: Plan, indicator: Indicator, path: str, section_texts: dict[str, str],
                                vague: Callable[[str], list[str]]) -> list[Finding]:
    """A binding indicator needs a deadline and its lead unit in print; a target in words must not be vague."""
    findings = []
    where = {"file": path, "line": indicator.line, "text": indicator.id}
    binding = indicator.kind == "binding"
    if binding and not indicator.deadline:
        findings.append(_finding("no-deadline", f"binding indicator {indicator.id} ({indicator.text}) has no deadline",
                                 f"add `deadline:` (a year or a day from {plan.period_start} to {plan.period_end})", **where))
    words = [] if indicator.numeric else vague(str(indicator.target))
    if words:
        findings.append(_finding("vague-target", f"indicator {indicator.id}: target '{indicator.target}' is vague "
                                 f"({', '.join(words)})", "give a number, a percentage or a state that can be checked",
                                 severity="warning", **where))
    section_text = section_texts.get(indicator.section, "")
    lead = plan.organisation(indicator.lead)
    printed = indicator.text.lower() in section_text.lower()  # one left out of the plan is the gaps report's business
    if binding and lead and printed and not _names_unit(lead, section_text):
        findings.append(_finding("lead-unit-not-printed", f"binding indicator {indicator.id} ({indicator.text}): its lead "
                                 f"unit '{lead.name(plan.language)}' is printed nowhere in section '{indicator.section}'",
                                 "print the indicator in the section's table ({{ indicator_table(...) }}) or name "
                                 "the lead unit next to it", severity="warning", **where))
    return findings


def _section_texts(document: Document) -> dict[str, str]:
    """The plain text of each section of the document, headings aside."""
    texts: dict[str, list[str]] = {}
    for block in document.blocks:
        if block.kind != "heading" and block.section:
            texts.setdefault(block.section, []).append(block.text)
    return {section: "\n".join(parts) for section, parts in texts.items()}


def _names_unit(member: Member, text: str) -> bool:
    """Is the unit named in the text: its English or Chinese name, or its id as an abbreviation (NDRC)?"""
    return any(name and name.lower() in text.lower() for name in (member.name_en, member.name_zh)) \
        or bool(re.search(rf"(?<![\w-]){re.escape(member.id.upper())}(?![\w-])", text))


def _vague_words(ws: Any, style: Any = None) -> Callable[[str], list[str]]:
    """The vague words of a target in words, by the workspace's style rules: with the style check's own
    checker when it ran, else one built when a target in words first needs it."""
    checker: list = [style] if style is not None else []

    def find(target: str) -> list[str]:
        if not checker:
            from .style import StyleChecker
            checker.append(StyleChecker(ws))
        return checker[0].vague_words(target)
    return find


def _joint_goal_findings(plan: Plan, goal: Goal, indicators: list[Indicator], path: str) -> list[Finding]:
    """A goal that needs several departments must name its co-operating units in an indicator."""
    own = [i for i in indicators if i.goal == goal.id]
    leads = {i.lead for i in own}
    named = _units_named(plan, goal.text)
    joint = bool(JOINT_WORK.search(goal.text)) or len(leads | named) > 1
    if not joint or any(i.cooperating for i in own):
        return []
    why = "several lead units" if len(leads) > 1 else "it names joint work"
    return [_finding("cooperating-units", f"goal {goal.id} needs several departments ({why}) but names no co-operating units",
                     "list them in `cooperating:` of the goal's indicator", file=path, line=goal.line, text=goal.id,
                     severity="warning")]


def _units_named(plan: Plan, text: str) -> set[str]:
    lowered = text.lower()
    return {m.id for m in plan.members.values()
            if m.role not in NOT_LEADING_ROLES and ((m.name_en and m.name_en.lower() in lowered) or (m.name_zh and m.name_zh in text))}
