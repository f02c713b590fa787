"""Consultation draft: cover, numbered paragraphs with bookmarks, line numbers, "page X of Y".

Every block carries a visible "[p0012]" label (style `Paragraph Id`) and a
bookmark named `p0012` spanning its text, so a comment made in Word can be
traced back to the paragraph id (the comments engineer's reader relies on
bookmark name == paragraph id).
"""
from __future__ import annotations

from . import docx_package, ooxml
from .docx_body import Entry
from .docx_document import (RenderInput, RenderResult, build_body, end_section, finish, numbered_blocks,
                            cover_title, pattern_runs, period_kept_whole, plan_title, running_header,
                            section_template)
from .ooxml import paragraph, run


def render_consultation(inp: RenderInput) -> RenderResult:
    docx = docx_package.open_reference(inp.reference)
    ids = ooxml.Ids()
    entries = [Entry(block) for block in numbered_blocks(inp.document)]
    body = build_body(docx, inp, ids, entries, paragraph_ids=True)
    cover = _cover(inp)
    end_section(cover[-1], section_template(docx))  # the cover: no line numbers, header or footer
    sect_pr = section_template(docx)
    profile = inp.profile
    running_header(docx, sect_pr, inp, profile.label("draft"))
    docx_package.add_header_footer(docx, sect_pr, "footer", "default",
                                   [paragraph("Footer", pattern_runs(profile.page_numbers.get("consultation", "{PAGE}")),
                                              jc="center")])
    numbers = profile.line_numbers
    ooxml.line_numbering(sect_pr, numbers.get("count_by", 1), numbers.get("restart", "newPage"),
                         round(numbers.get("distance", 6) * 1440 / 25.4))
    return finish(docx, inp, body, cover + body.children, sect_pr, ids, subject=profile.label("draft"))


def _cover(inp: RenderInput) -> list:
    profile, plan, version = inp.profile, inp.plan, inp.version
    title = plan_title(plan, profile.language)
    lines = [paragraph("CoverTitle", [run(cover_title(plan, profile.language))])]
    other = plan.title if profile.language == "zh" else plan.title_zh
    if other and other.strip() != title.strip():
        lines.append(paragraph("CoverLine", [run(period_kept_whole(other))]))  # a long English title breaks too
    lines.append(paragraph("CoverStamp", [run(profile.label("draft"))]))
    lines.append(paragraph("CoverLine", [run(profile.field("version", version.name))]))
    lines.append(paragraph("CoverLine", [run(profile.field("date", profile.date(version.date)))]))
    if version.stage:
        lines.append(paragraph("CoverLine", [run(profile.field("stage", profile.stage(version.stage)))]))
    lines.append(paragraph("CoverLine", [run(profile.label("cite_hint"))]))
    for p in lines:  # LibreOffice numbers lines document-wide: keep the cover clean there too
        ooxml.set_child(ooxml.properties(p, "w:pPr"), ooxml.el("w:suppressLineNumbers"))
    return lines
