"""Working documents about the plan — the comment matrix, the round report — on the plan's own look.

They open the plan's reference document (the workspace's restyled copy when
there is one, else the packaged profile's), so fonts, title and heading
styles, the Plan Table style and page numbers are those of the consultation
draft; tables get column widths that fit their words (docx_columns).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from lxml import etree

from . import docx_columns, docx_package, ooxml
from .docx_document import page_footers, plan_title, section_template
from .ooxml import el, paragraph, qn, run, set_child
from .profiles import Profile, language_profile, load_profile, reference_path
from .reference_doc import mm

TABLE_POINTS = 10.5  # table text in these documents is no larger than 五号 (10.5 pt)


@dataclass
class PlanStyle:
    """The profile and reference document a plan's Word output uses."""
    profile: Profile
    reference: Path


def plan_style(ws) -> PlanStyle:
    """The plan's profile (`profile:` in plan.yaml) and its reference document."""
    profile = load_profile(ws.plan.profile)
    return PlanStyle(profile, reference_path(profile, ws.styles_dir))


def default_style(language: str) -> PlanStyle:
    """The packaged profile for a language, when no workspace is at hand."""
    profile = language_profile(language)
    return PlanStyle(profile, reference_path(profile, None))


class PlainDocument:
    """A body of paragraphs and tables on the reference document's page set-up."""

    def __init__(self, style: PlanStyle, landscape: bool = False, margins_mm: Optional[float] = None):
        self.style = style
        self.docx = docx_package.open_reference(style.reference)
        self.ids = ooxml.Ids()
        self.children: list[etree._Element] = []
        self.sect_pr = _section(self.docx, landscape, margins_mm)
        self.width = docx_package.text_width(self.sect_pr)
        styles = docx_package.styles_root(self.docx)
        self.table_points = min(docx_columns.style_size(styles, "TableText"), TABLE_POINTS)
        self._bullets: Optional[int] = None

    def add(self, style: str, text: str, jc: str = "") -> etree._Element:
        return self._append(paragraph(style, [run(text)], jc=jc), style)

    def _append(self, p: etree._Element, style: str) -> etree._Element:
        previous = self.children[-1] if self.children else None
        docx_columns.space_after_table(docx_package.styles_root(self.docx), previous, p, style)
        self.children.append(p)
        return p

    def heading(self, text: str) -> None:
        """A section heading in the plan's Heading 1 style (numbered as the plan numbers its chapters)."""
        self.add("Heading1", text)

    def bullet(self, text: str) -> None:
        if self._bullets is None:
            self._bullets = ooxml.bullet_list(docx_package.numbering_root(self.docx))
        p = paragraph("ListParagraph", [run(text)])
        ppr = ooxml.properties(p, "w:pPr")
        set_child(ppr, ooxml.num_pr(self._bullets, 0))
        set_child(ppr, el("w:ind", {"left": 720, "hanging": 360, "firstLineChars": 0}))
        self._append(p, "ListParagraph")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]],
              align: Optional[Sequence[str]] = None, weights: Optional[Sequence[float]] = None) -> None:
        """Header row (repeated on each page) and rows; a cell's lines become paragraphs. `weights`: how
        the room beyond each column's words is shared (docx_columns.column_widths)."""
        texts = [[[h] for h in headers]] + [[(value or "").split("\n") for value in row] for row in rows]
        widths = docx_columns.column_widths(texts, self.width, self.table_points, header_rows=1, weights=weights)
        size = round(self.table_points * 2)
        cells = [[[self._cell_paragraph(line, size) for line in lines] for lines in row] for row in texts]
        if self.children and self.children[-1].tag == qn("w:tbl"):
            self.children.append(paragraph())
        styles = docx_package.styles_root(self.docx)
        docx_columns.space_before_table(styles, self.children[-1] if self.children else None)
        whole = docx_columns.whole_rows(texts, widths, self.table_points, docx_package.text_height(self.sect_pr))
        self.children.append(ooxml.table(cells, widths, header_rows=1, align=align, whole=whole))

    def _cell_paragraph(self, text: str, size: int) -> etree._Element:
        rpr = el("w:rPr", None, el("w:sz", {"val": size}), el("w:szCs", {"val": size}))
        return paragraph("TableText", [run(text, rpr)])

    def picture(self, blob: bytes, width_mm: float, description: str = "") -> None:
        rel_id, width, height = docx_package.add_image_blob(self.docx, blob)
        target = min(round(width_mm * 36000), self.width * 635)  # mm, twips → EMU
        height = int(height * target / width) if width else height
        r = docx_package.inline_picture(self.ids.next(), rel_id, "chart.png", (target, height), description)
        self._append(paragraph("BodyText", [r], jc="center"), "BodyText")

    def save(self, path: Optional[Path], *, title: str, subject: str, date: str) -> bytes:
        profile = self.style.profile
        page_footers(self.docx, self.sect_pr, profile.page_numbers.get("final", "{PAGE}"),
                     bool(profile.page_numbers.get("mirrored")))
        docx_package.replace_body(self.docx, self.children, self.sect_pr)
        docx_package.set_core_properties(self.docx, title=title, subject=subject, date=date, author="nhrap",
                                         language=profile.language)
        return docx_package.save(self.docx, path)


def _section(docx, landscape: bool, margins_mm: Optional[float]) -> etree._Element:
    """The reference page set-up, with even margins when asked; turned to landscape when asked, and then
    without the line grid (a landscape document is a table: no body lines to count)."""
    sect_pr = section_template(docx)
    size = sect_pr.find(qn("w:pgSz"))
    if landscape and size is not None:
        width, height = size.get(qn("w:w")), size.get(qn("w:h"))
        if int(width) < int(height):
            set_child(sect_pr, el("w:pgSz", {"w": height, "h": width, "orient": "landscape"}))
    if margins_mm is not None:
        margin = mm(margins_mm)
        attrs = {"top": margin, "right": margin, "bottom": margin, "left": margin,
                 "header": mm(8), "footer": mm(8), "gutter": 0}
        set_child(sect_pr, el("w:pgMar", attrs))  # replaces the reference's
    if landscape:
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is not None:
            sect_pr.remove(grid)
    return sect_pr


NO_COMMENTS_YET = {"en": "no comments yet", "zh": "尚无意见"}


def round_words(rounds: Sequence[int], versions: Sequence[int], language: str) -> str:
    """"round 3, comments on v3" / "第3轮，针对v3"; "no comments yet" / "尚无意见" when neither is known
    (there are no comments: a round asked for is one that has some)."""
    rounds, versions = sorted(set(rounds)), sorted(set(v for v in versions if v))
    if not rounds and not versions:
        return NO_COMMENTS_YET.get(language, NO_COMMENTS_YET["en"])
    names = ", ".join(f"v{v}" for v in versions)
    if language == "zh":
        parts = []
        if rounds:
            span = f"{rounds[0]}" if len(rounds) == 1 else f"{rounds[0]}—{rounds[-1]}"
            parts.append(f"第{span}轮")
        if versions:
            parts.append(f"针对{names.replace(', ', '、')}")
        return "，".join(parts)
    parts = []
    if rounds:
        parts.append(f"round {rounds[0]}" if len(rounds) == 1 else f"rounds {rounds[0]}–{rounds[-1]}")
    if versions:
        parts.append(f"comments on {names}")
    return ", ".join(parts)


def titles(plan, subject: dict[str, str], rounds: Sequence[int] = (), versions: Sequence[int] = ()) -> tuple[str, str]:
    """(plan title, "<subject> — round 3, comments on v3") in the plan language: the `language` to give
    write_docx_matrix and write_round_report, whatever the plan's Word profile."""
    language = plan.language  # en or zh: the plan reader allows no other
    title = plan_title(plan, language)
    which = round_words(rounds, versions, language)
    if language == "zh":
        return title, subject["zh"] + (f"（{which}）" if which else "")
    return title, subject["en"] + (f" — {which}" if which else "")


def full_title(title: str, subtitle: str, language: str) -> str:
    """The document title property: "Plan — Comment matrix — round 3" / "计划意见汇总表（第3轮）"."""
    if not subtitle:
        return title
    return f"{title}{subtitle}" if language == "zh" else f"{title} — {subtitle}"
