"""Final approval document: cover with the approval statement, a filled-in table of contents,
the clean text, and annexes (member units by category; glossary when there is one).

The TOC is a real TOC field (Word can update it) whose result — entries with
page numbers — is already written, so it shows when the file is opened.
Page numbers come from `page_numbers` (LibreOffice layout, or an estimate).
"""
from __future__ import annotations

from typing import Callable, Optional

from lxml import etree

from ..model import CATEGORIES, CATEGORY_NAMES, CATEGORY_NAMES_ZH, Plan
from . import docx_columns, docx_package, glossary_table, ooxml
from .docx_body import Entry, Heading
from .docx_document import (RenderInput, RenderResult, build_body, cover_title, end_section, finish,
                            numbered_blocks, page_footers, section_template)
from .ooxml import paragraph, run
from .profiles import Profile

TOC_FIELD = 'TOC \\o "1-3" \\h \\z \\u'
PageFinder = Callable[[bytes, list[Heading], Profile], tuple[dict[str, int], str]]


def render_final(inp: RenderInput, find_pages: Optional[PageFinder] = None) -> RenderResult:
    """Render twice when `find_pages` is given: once to lay out, once with the TOC page numbers."""
    result, headings = _render(inp, {})
    if find_pages is None:
        return result
    pages, method = find_pages(result.data, headings, inp.profile)
    result, _ = _render(inp, pages)
    result.page_numbers = method
    return result


def _render(inp: RenderInput, pages: dict[str, int]) -> tuple[RenderResult, list[Heading]]:
    docx = docx_package.open_reference(inp.reference)
    ids = ooxml.Ids()
    entries = [Entry(block) for block in numbered_blocks(inp.document)]
    body = build_body(docx, inp, ids, entries, paragraph_ids=False)
    profile = inp.profile
    annexes = _annexes(inp, ids, docx)
    headings = body.headings + [h for h, _ in annexes]
    front = _cover(inp) + _contents(headings, pages, profile)
    end_section(front[-1], section_template(docx))
    sect_pr = section_template(docx)
    page_footers(docx, sect_pr, profile.page_numbers.get("final", "{PAGE}"),
                 bool(profile.page_numbers.get("mirrored")))
    ooxml.page_numbering(sect_pr, 1)
    annex_children = [child for _, children in annexes for child in children]
    result = finish(docx, inp, body, front + body.children + annex_children, sect_pr, ids,
                    subject=profile.label("approved" if inp.plan.approved_at(inp.version.stage) else "for_approval"))
    return result, headings


def _cover(inp: RenderInput) -> list[etree._Element]:
    profile, plan = inp.profile, inp.plan
    lines = [paragraph("CoverTitle", [run(cover_title(plan, profile.language))])]
    if not plan.approved_at(inp.version.stage):  # the document sent for approval must not say it was agreed
        lines.append(paragraph("ApprovalStatement", [run(profile.label("for_approval"))]))
    elif plan.approval_statement:
        lines.append(paragraph("ApprovalStatement", [run(plan.approval_statement)]))
    lines.append(paragraph("CoverLine", [run(profile.date(inp.version.date))]))
    for p in lines:
        ooxml.set_child(ooxml.properties(p, "w:pPr"), ooxml.el("w:suppressLineNumbers"))
    return lines


def _contents(headings: list[Heading], pages: dict[str, int], profile: Profile) -> list[etree._Element]:
    """The TOC field with its result written out: one hyperlinked entry per heading, with page number."""
    title = paragraph("TOCHeading", [run(profile.label("contents"))])
    ooxml.set_child(ooxml.properties(title, "w:pPr"), ooxml.el("w:pageBreakBefore"))
    entries = [h for h in headings if h.level <= 3]
    out = [title]
    for index, heading in enumerate(entries):
        p = paragraph(f"TOC{heading.level}")
        if index == 0:
            p.extend(ooxml.field_begin())
            p.append(ooxml.field_instruction(TOC_FIELD))
            p.append(ooxml.field_separate())
        page = str(pages.get(heading.bookmark, "")) if pages else ""
        link = ooxml.hyperlink([run(f"{heading.number}{heading.text}"), run("\t")], anchor=heading.bookmark)
        link.extend(ooxml.field(f"PAGEREF {heading.bookmark} \\h", page))
        p.append(link)
        out.append(p)
    if not entries:
        p = paragraph("TOC1")
        p.extend(ooxml.field_begin() + [ooxml.field_instruction(TOC_FIELD), ooxml.field_separate()])
        out.append(p)
    out[-1].append(ooxml.field_end())
    return out


def _annexes(inp: RenderInput, ids: ooxml.Ids, docx) -> list[tuple[Heading, list[etree._Element]]]:
    """Each annex on a new page: its label ("Annex 1", "附件1": Annex Heading, where the contents point),
    its title (Annex Title), its content; the contents entry gives label and title on one line."""
    annexes = [_members_annex(inp.plan, inp.profile)]
    if inp.glossary:
        annexes.append(_glossary_annex(inp.glossary, inp.profile, docx))
    out = []
    for number, (title, children) in enumerate(annexes, 1):
        name = f"_Annex{number}"
        label = inp.profile.label("annex").format(n=number)
        mark = ids.next()
        head = paragraph("AnnexHeading", [ooxml.bookmark_start(mark, name), run(label), ooxml.bookmark_end(mark)])
        out.append((Heading(1, title, name, f"{label}  "), [head, paragraph("AnnexTitle", [run(title)]), *children]))
    return out


def _members_annex(plan: Plan, profile: Profile) -> tuple[str, list[etree._Element]]:
    """Member units (lead and current members) grouped by the six categories."""
    names = CATEGORY_NAMES_ZH if profile.language == "zh" else CATEGORY_NAMES
    separator = "、" if profile.language == "zh" else "; "
    children = []
    for category in CATEGORIES:
        members = [m for m in plan.members.values() if m.category == category and m.role in ("lead", "member")]
        if not members:
            continue
        members.sort(key=lambda m: (m.role != "lead", m.id))
        count = profile.labels.get("count", " ({n})").format(n=len(members))
        label = paragraph("BodyText", [run(f"{names[category]}{count}", ooxml.run_properties(bold=True))])
        children.append(ooxml.keep_with_next(label))  # never the last line of a page, its members on the next
        children.append(paragraph("BodyText", [run(separator.join(m.name(profile.language) for m in members))]))
    return profile.label("members_annex"), children


def _glossary_annex(entries: list[dict], profile: Profile, docx) -> tuple[str, list[etree._Element]]:
    """Chinese term, English rendering and international equivalent of each concept, as a table whose
    rows do not break across pages."""
    texts = [[profile.label(key) for key in glossary_table.COLUMNS]]
    texts += [[e["zh"], e["en"], e["intl"]] for e in entries]
    rows = [[[paragraph("TableText", [run(text)])] for text in row] for row in texts]
    sect_pr = docx_package.final_sect_pr(docx)
    width = docx_package.text_width(sect_pr)
    widths = [width * 25 // 100, width * 35 // 100, width - width * 25 // 100 - width * 35 // 100]
    size = docx_columns.style_size(docx_package.styles_root(docx), "TableText")
    whole = docx_columns.whole_rows([[[text] for text in row] for row in texts], widths, size,
                                    docx_package.text_height(sect_pr))
    return profile.label("glossary_annex"), [ooxml.table(rows, widths, header_rows=1, whole=whole)]
