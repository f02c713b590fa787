"""What every rendered Word document shares: inputs, cover lines, headers/footers, comments, saving.

The mode modules (docx_consultation, docx_final, docx_redline) decide the
layout; this module turns blocks into a body through docx_body and packs
the result with docx_package.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from lxml import etree

from ..gcpause import gc_paused
from ..model import FINDINGS_AUTHOR, Block, Document, Finding, Plan
from . import docx_package, ooxml
from .docx_body import Body, BodyOptions, BodyWriter, Entry
from .ooxml import qn
from .profiles import HEADER_SEPARATOR, Profile

FIELD = re.compile(r"\{([A-Z]+)\}")
_PERIOD_DASH = re.compile(r"(?<=\d)([–—-])(?=\d)")  # 2031–2035, 2036—2040


@dataclass
class VersionInfo:
    """What the cover and properties say about the text rendered."""
    name: str  # "v3", or the profile's "working draft" label
    date: str  # ISO date: from version metadata, never the clock
    stage: str = ""
    number: Optional[int] = None


@dataclass
class RenderInput:
    document: Document
    plan: Plan
    profile: Profile
    reference: Path
    version: VersionInfo
    source_file: str = ""
    image_dir: Optional[Path] = None
    image_root: Optional[Path] = None
    findings: Optional[list[Finding]] = None
    glossary: list = field(default_factory=list)  # rows of readers.termbase.annex_rows, for the final annex


@dataclass
class RenderResult:
    data: bytes
    paragraphs: int = 0
    footnotes: int = 0
    comments: int = 0
    unplaced_findings: list[Finding] = field(default_factory=list)
    page_numbers: str = ""  # how TOC page numbers were obtained (final mode)


def plan_title(plan: Plan, language: str) -> str:
    return plan.title_zh if language == "zh" and plan.title_zh else plan.title


def cover_title(plan: Plan, language: str) -> str:
    """The title as a cover sets it large, its period kept whole."""
    return period_kept_whole(plan_title(plan, language))


def period_kept_whole(title: str) -> str:
    """A word joiner after the dash of a period keeps "(2031–2035)" on one line, where Word and LibreOffice
    would otherwise break after the dash. For covers only: document properties and headers are searched
    and compared as typed."""
    return _PERIOD_DASH.sub("\\1\u2060", title)


def numbered_blocks(document: Document) -> list[Block]:
    """Blocks with ids; a working draft or plain Markdown file is numbered in document order."""
    if all(b.id for b in document.blocks):
        return document.blocks
    return [b if b.id else replace(b, id=f"p{index:04d}") for index, b in enumerate(document.blocks, 1)]


def build_body(docx, inp: RenderInput, ids: ooxml.Ids, entries: list[Entry], *, paragraph_ids: bool,
               tracking=None) -> Body:
    options = BodyOptions(paragraph_ids=paragraph_ids, source_file=inp.source_file, image_dir=inp.image_dir,
                          image_root=inp.image_root, tracking=tracking, heading_label=inp.profile.heading_label,
                          language=inp.profile.language)
    sect_pr = docx_package.final_sect_pr(docx)
    width, height = docx_package.text_width(sect_pr), docx_package.text_height(sect_pr)
    with gc_paused():
        return BodyWriter(docx, ids, options, width, height).render(entries, _original(inp.document, entries))


def _original(document: Document, entries: list[Entry]) -> Optional[tuple[str, list[int]]]:
    """The Markdown the document was read from, with each entry's first line, when the entries are its
    blocks unchanged: rendering then reuses the reader's parse."""
    if not document.source or len(entries) != len(document.blocks) or any(e.status for e in entries):
        return None
    return document.source, [e.block.line - 1 for e in entries]


def section_template(docx) -> etree._Element:
    """A copy of the reference document's page set-up, without header/footer references."""
    sect_pr = copy.deepcopy(docx_package.final_sect_pr(docx))
    for ref in sect_pr.findall(qn("w:headerReference")) + sect_pr.findall(qn("w:footerReference")):
        sect_pr.remove(ref)
    return sect_pr


def end_section(paragraph: etree._Element, sect_pr: etree._Element) -> None:
    """Close a section at `paragraph` (the next one starts on a new page)."""
    ooxml.set_child(sect_pr, ooxml.el("w:type", {"val": "nextPage"}))
    ooxml.set_child(ooxml.properties(paragraph, "w:pPr"), sect_pr)


def pattern_runs(pattern: str, rpr: Optional[etree._Element] = None) -> list[etree._Element]:
    """'Page {PAGE} of {SECTIONPAGES}' → text runs and fields (shown as 1 until the reader updates them)."""
    runs: list[etree._Element] = []
    position = 0
    for match in FIELD.finditer(pattern):
        if match.start() > position:
            runs.append(ooxml.run(pattern[position:match.start()], copy.deepcopy(rpr)))
        runs.extend(ooxml.field(match.group(1), "1", rpr))
        position = match.end()
    if position < len(pattern):
        runs.append(ooxml.run(pattern[position:], copy.deepcopy(rpr)))
    return runs


def running_header(docx, sect_pr: etree._Element, inp: RenderInput, label: str) -> None:
    """The header of a draft's pages, "title · version · what it is" ("… · v5 · Draft for consultation",
    "… · v5 → v6 · 修改对照稿"): a page printed alone still says which document it is from."""
    text = HEADER_SEPARATOR.join((plan_title(inp.plan, inp.profile.language), inp.version.name, label))
    docx_package.add_header_footer(docx, sect_pr, "header", "default",
                                   [ooxml.paragraph("Header", [ooxml.run(text)], jc="right")])


def page_footers(docx, sect_pr: etree._Element, pattern: str, mirrored: bool, align: str = "center") -> None:
    """Page-number footers; `mirrored` puts odd pages' numbers right and even pages' left (GB/T 9704)."""
    if mirrored:
        docx_package.enable_even_odd_headers(docx)
        docx_package.add_header_footer(docx, sect_pr, "footer", "default",
                                       [ooxml.paragraph("Footer", pattern_runs(pattern), jc="right")])
        docx_package.add_header_footer(docx, sect_pr, "footer", "even",
                                       [ooxml.paragraph("Footer", pattern_runs(pattern), jc="left")])
    else:
        docx_package.add_header_footer(docx, sect_pr, "footer", "default",
                                       [ooxml.paragraph("Footer", pattern_runs(pattern), jc=align)])


def add_findings(docx, body: Body, findings: Optional[list[Finding]], ids: ooxml.Ids, date: str) -> tuple[int, list[Finding]]:
    """Each finding becomes a Word comment on the words it is about (its paragraph, when they are not found as
    plain text there); returns (placed, unplaced)."""
    comments, unplaced = [], []
    for finding in findings or []:
        p = body.first_paragraph.get(finding.para)
        if p is None:
            unplaced.append(finding)
            continue
        comment_id = ids.next()
        text = f"[{finding.check}/{finding.rule}] {finding.message}"
        if finding.suggestion:
            text += f"\n→ {finding.suggestion}"
        comments.append(ooxml.comment(comment_id, FINDINGS_AUTHOR, iso_datetime(date), text, initials="NC"))
        on_words = finding.text and any(ooxml.anchor_comment(q, comment_id, finding.text, whole_if_missing=False)
                                        for q in _paragraphs_of_block(p))
        if not on_words:
            ooxml.anchor_comment(p, comment_id)
    docx_package.add_comments(docx, comments)
    return len(comments), unplaced


def _paragraphs_of_block(p: etree._Element) -> list[etree._Element]:
    """The Word paragraphs of the block whose first paragraph is `p`: a table's cells, else `p` alone."""
    table = next((a for a in p.iterancestors() if a.tag == ooxml.qn("w:tbl")), None)
    return list(table.iter(ooxml.qn("w:p"))) if table is not None else [p]


def iso_datetime(date: str) -> str:
    return f"{date[:10]}T00:00:00Z" if date else "2000-01-01T00:00:00Z"


def finish(docx, inp: RenderInput, body: Body, children: list[etree._Element], sect_pr: etree._Element,
           ids: ooxml.Ids, subject: str) -> RenderResult:
    """Attach body, footnotes, findings and properties; serialise deterministically."""
    docx_package.replace_body(docx, children, sect_pr)
    docx_package.add_footnotes(docx, body.footnotes)
    placed, unplaced = add_findings(docx, body, inp.findings, ids, inp.version.date)
    title = plan_title(inp.plan, inp.profile.language)
    docx_package.set_core_properties(docx, title=title, subject=subject, date=inp.version.date,
                                     author="nhrap", language=inp.profile.language, keywords=inp.version.name)
    return RenderResult(docx_package.to_bytes(docx), paragraphs=len(body.first_paragraph),
                        footnotes=len(body.footnotes), comments=placed, unplaced_findings=unplaced)
