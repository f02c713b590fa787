"""Raw WordprocessingML that python-docx has no API for.

Small builders returning lxml elements: runs and paragraphs, bookmarks,
fields (PAGE, TOC, PAGEREF …), footnotes, comments, numbering definitions,
tracked changes, tables, line numbering and the document grid.

Word refuses files whose property elements are out of schema order, so
every property is placed with `set_child`, which inserts at the position
ECMA-376 prescribes (the orders below) instead of appending.

Every other writer (consultation, final, redline, comment matrix, report)
builds its XML with these helpers rather than writing twins.
"""
from __future__ import annotations

import copy
from typing import Iterable, Optional, Sequence

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NSMAP = {"w": W_NS, "r": R_NS}

_QN: dict[str, str] = {}
BULLETS = ("•", "◦", "▪")


def qn(tag: str) -> str:
    """'w:p' → Clark name '{ns}p' (cached: it is called for every element)."""
    name = _QN.get(tag)
    if name is None:
        prefix, local = tag.split(":")
        name = _QN[tag] = f"{{{NSMAP[prefix]}}}{local}"
    return name


def el(tag: str, attrs: Optional[dict] = None, *children: etree._Element) -> etree._Element:
    """An element with w:-prefixed attributes: el('w:pStyle', {'val': 'Heading1'})."""
    element = etree.Element(qn(tag))
    if attrs:
        for key, value in attrs.items():
            element.set(qn(key) if ":" in key else qn("w:" + key), str(value))
    for child in children:
        element.append(child)
    return element


def part_root(tag: str) -> etree._Element:
    """The root of a part (w:hdr, w:numbering …) declaring the w: and r: prefixes Word writes: the
    elements below take them instead of lxml's ns0:, which other readers trip over."""
    return etree.Element(qn(tag), nsmap=NSMAP)


def sub(parent: etree._Element, tag: str, attrs: Optional[dict] = None) -> etree._Element:
    element = etree.SubElement(parent, qn(tag))
    if attrs:
        for key, value in attrs.items():
            element.set(qn(key) if ":" in key else qn("w:" + key), str(value))
    return element


# -- schema child order -----------------------------------------------------
PPR_ORDER = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
             "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
             "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
             "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
             "rPr sectPr pPrChange").split()
RPR_ORDER = ("ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow "
             "emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
             "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath").split()
SECTPR_ORDER = ("headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
                "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
                "docGrid printerSettings sectPrChange").split()
TBLPR_ORDER = ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
               "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook").split()
SETTINGS_ORDER = ("writeProtection view zoom removePersonalInformation removeDateAndTime "
                  "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
                  "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
                  "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader "
                  "bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors "
                  "activeWritingStyle proofState formsDesign attachedTemplate linkStyles stylePaneFormatFilter "
                  "stylePaneSortMethod documentType mailMerge revisionView trackRevisions doNotTrackMoves "
                  "doNotTrackFormatting documentProtection autoFormatOverride styleLockTheme styleLockQFSet "
                  "defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps "
                  "showEnvelope summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders "
                  "bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
                  "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
                  "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin "
                  "doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne "
                  "strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture "
                  "doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText "
                  "doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
                  "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars "
                  "rsids mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
                  "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType "
                  "schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator").split()
STYLE_ORDER = ("name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
               "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr").split()
_ORDERS = {qn("w:pPr"): PPR_ORDER, qn("w:rPr"): RPR_ORDER, qn("w:sectPr"): SECTPR_ORDER,
           qn("w:tblPr"): TBLPR_ORDER, qn("w:settings"): SETTINGS_ORDER, qn("w:style"): STYLE_ORDER}
_REPEATABLE = {"headerReference", "footerReference"}


def set_child(parent: etree._Element, child: etree._Element) -> etree._Element:
    """Put `child` at its schema position in pPr/rPr/sectPr/tblPr/settings/style, replacing a same-named one."""
    order = _ORDERS[parent.tag]
    local = etree.QName(child).localname
    rank = order.index(local)
    if local not in _REPEATABLE:
        for old in parent.findall(child.tag):
            parent.remove(old)
    for index, existing in enumerate(parent):
        name = etree.QName(existing).localname
        if name in order and order.index(name) > rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def properties(element: etree._Element, tag: str) -> etree._Element:
    """The w:pPr / w:rPr / w:tblPr / w:trPr of an element, created first-child if missing."""
    props = element.find(qn(tag))
    if props is None:
        props = etree.Element(qn(tag))
        element.insert(0, props)
    return props


# -- runs and paragraphs ---------------------------------------------------
_W_T, _W_R, _W_BR, _W_TAB = (f"{{{W_NS}}}{name}" for name in ("t", "r", "br", "tab"))


def text_element(text: str, tag: str = "w:t") -> etree._Element:
    element = etree.Element(_W_T if tag == "w:t" else qn(tag))
    element.text = text
    if text[:1].isspace() or text[-1:].isspace():
        element.set(XML_SPACE, "preserve")
    return element


def run_properties(style: str = "", bold: bool = False, italic: bool = False, strike: bool = False,
                   vert_align: str = "") -> Optional[etree._Element]:
    """A w:rPr in schema order, or None when the run is plain."""
    if not (style or bold or italic or strike or vert_align):
        return None
    rpr = etree.Element(qn("w:rPr"))
    if style:
        sub(rpr, "w:rStyle", {"val": style})
    if bold:
        sub(rpr, "w:b")
    if italic:
        sub(rpr, "w:i")
    if strike:
        sub(rpr, "w:strike")
    if vert_align:
        sub(rpr, "w:vertAlign", {"val": vert_align})
    return rpr


def run(text: str = "", rpr: Optional[etree._Element] = None, style: str = "") -> etree._Element:
    """A w:r with text; tabs and line breaks in `text` become w:tab and w:br."""
    r = etree.Element(_W_R)
    if rpr is None and style:
        rpr = run_properties(style)
    if rpr is not None:
        r.append(rpr)
    if "\n" in text or "\t" in text:
        for index, line in enumerate(text.split("\n")):
            if index:
                etree.SubElement(r, _W_BR)
            for part_index, part in enumerate(line.split("\t")):
                if part_index:
                    etree.SubElement(r, _W_TAB)
                if part:
                    r.append(text_element(part))
    elif text:
        t = etree.SubElement(r, _W_T)
        t.text = text
        if text[0].isspace() or text[-1].isspace():
            t.set(XML_SPACE, "preserve")
    return r


def paragraph(style: str = "", runs: Iterable[etree._Element] = (), jc: str = "") -> etree._Element:
    p = etree.Element(qn("w:p"))
    if style or jc:
        ppr = sub(p, "w:pPr")
        if style:
            sub(ppr, "w:pStyle", {"val": style})
        if jc:
            sub(ppr, "w:jc", {"val": jc})
    for r in runs:
        p.append(r)
    return p


def keep_with_next(p: etree._Element) -> etree._Element:
    """Keep `p` on the same page as the paragraph after it (a label with what it labels)."""
    set_child(properties(p, "w:pPr"), el("w:keepNext"))
    return p


def paragraph_text(p: etree._Element) -> str:
    """Visible text of a paragraph (w:t only; deleted text is not visible text)."""
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


class Ids:
    """Sequential ids for one document: bookmarks, revisions, comments, drawings.

    Word wants each annotation id unique in its part; one counter for all keeps
    that true and makes ids stable for identical input.
    """

    def __init__(self, start: int = 1):
        self.value = start - 1

    def next(self) -> int:
        self.value += 1
        return self.value


# -- bookmarks and hyperlinks -----------------------------------------------
def bookmark_start(bookmark_id: int, name: str) -> etree._Element:
    return el("w:bookmarkStart", {"id": bookmark_id, "name": name})


def bookmark_end(bookmark_id: int) -> etree._Element:
    return el("w:bookmarkEnd", {"id": bookmark_id})


def hyperlink(children: Iterable[etree._Element], *, rel_id: str = "", anchor: str = "") -> etree._Element:
    """An external link (relationship id) or an internal one (bookmark name)."""
    link = etree.Element(qn("w:hyperlink"))
    if rel_id:
        link.set(qn("r:id"), rel_id)
    if anchor:
        link.set(qn("w:anchor"), anchor)
        link.set(qn("w:history"), "1")
    for child in children:
        link.append(child)
    return link


# -- fields ---------------------------------------------------------------
def _fld_char(kind: str, rpr: Optional[etree._Element], dirty: bool = False) -> etree._Element:
    r = etree.Element(qn("w:r"))
    if rpr is not None:
        r.append(_copy(rpr))
    attrs = {"fldCharType": kind}
    if dirty:
        attrs["dirty"] = "true"
    sub(r, "w:fldChar", attrs)
    return r


def field(instruction: str, result: Sequence[etree._Element] | str = "",
          rpr: Optional[etree._Element] = None) -> list[etree._Element]:
    """A complex field: begin, instruction, separate, the shown result, end.

    `result` is what a reader sees before the field is updated (a page
    number, a whole table of contents); a string becomes one run.
    """
    instr = etree.Element(qn("w:r"))
    if rpr is not None:
        instr.append(_copy(rpr))
    instr.append(text_element(f" {instruction} ", "w:instrText"))
    shown = [run(result, _copy(rpr))] if isinstance(result, str) else list(result)
    return [_fld_char("begin", rpr), instr, _fld_char("separate", rpr), *shown, _fld_char("end", rpr)]


def field_begin(rpr: Optional[etree._Element] = None) -> list[etree._Element]:
    """Opening half of a field whose result spans several paragraphs (a TOC)."""
    return [_fld_char("begin", rpr)]


def field_instruction(instruction: str) -> etree._Element:
    r = etree.Element(qn("w:r"))
    r.append(text_element(f" {instruction} ", "w:instrText"))
    return r


def field_separate() -> etree._Element:
    return _fld_char("separate", None)


def field_end() -> etree._Element:
    return _fld_char("end", None)


def _copy(element: Optional[etree._Element]) -> Optional[etree._Element]:
    if element is None:
        return None
    from copy import deepcopy
    return deepcopy(element)


# -- footnotes -----------------------------------------------------------
FOOTNOTE_REF_STYLE = "FootnoteReference"


def footnote_reference(footnote_id: int, style: str = FOOTNOTE_REF_STYLE) -> etree._Element:
    r = run(style=style)
    sub(r, "w:footnoteReference", {"id": footnote_id})
    return r


def footnote_mark(style: str = FOOTNOTE_REF_STYLE) -> etree._Element:
    """The number at the start of a footnote's own text."""
    r = run(style=style)
    sub(r, "w:footnoteRef")
    return r


def footnotes_root(footnotes: Iterable[tuple[int, Sequence[etree._Element]]]) -> etree._Element:
    """The footnotes part: Word's separator notes (-1, 0) then each (id, paragraphs)."""
    root = part_root("w:footnotes")
    for note_id, kind, mark in ((-1, "separator", "w:separator"), (0, "continuationSeparator", "w:continuationSeparator")):
        note = sub(root, "w:footnote", {"type": kind, "id": note_id})
        p = sub(note, "w:p")
        ppr = sub(p, "w:pPr")
        sub(ppr, "w:spacing", {"after": 0, "line": 240, "lineRule": "auto"})
        sub(sub(p, "w:r"), mark)
    for note_id, paragraphs in footnotes:
        note = sub(root, "w:footnote", {"id": note_id})
        for p in paragraphs:
            note.append(p)
    return root


def footnote_settings() -> etree._Element:
    """settings.xml w:footnotePr naming the separator notes."""
    return el("w:footnotePr", None, el("w:footnote", {"id": -1}), el("w:footnote", {"id": 0}))


# -- comments ------------------------------------------------------------
def comment(comment_id: int, author: str, date: str, text: str, initials: str = "",
            style: str = "CommentText") -> etree._Element:
    """One w:comment for the comments part; each line of `text` is a paragraph."""
    node = el("w:comment", {"id": comment_id, "author": author, "date": date,
                            "initials": initials or "".join(w[0] for w in author.split() if w)[:4]})
    for index, line in enumerate(text.split("\n")):
        p = paragraph(style)
        if index == 0:
            r = run(style="CommentReference")
            sub(r, "w:annotationRef")
            p.append(r)
        p.append(run(line))
        node.append(p)
    return node


def comments_root(comments: Iterable[etree._Element]) -> etree._Element:
    root = part_root("w:comments")
    for node in comments:
        root.append(node)
    return root


def anchor_comment(p: etree._Element, comment_id: int, quote: str = "", whole_if_missing: bool = True) -> bool:
    """Span `quote` in a paragraph with a comment range, or (`whole_if_missing`) the whole paragraph when the
    quote is not found in its plain runs, and add the reference mark after it; whether the quote was found
    (nothing is added when it was not and the whole paragraph is not wanted)."""
    span = _quote_runs(p, quote) if quote else None
    if span is None and not whole_if_missing:
        return False
    if span is None:
        ppr = p.find(qn("w:pPr"))
        p.insert(0 if ppr is None else 1, el("w:commentRangeStart", {"id": comment_id}))
        end = el("w:commentRangeEnd", {"id": comment_id})
        p.append(end)
    else:
        first, last = span
        first.addprevious(el("w:commentRangeStart", {"id": comment_id}))
        end = el("w:commentRangeEnd", {"id": comment_id})
        last.addnext(end)
    r = run(style="CommentReference")
    sub(r, "w:commentReference", {"id": comment_id})
    end.addnext(r)
    return span is not None


def _quote_runs(p: etree._Element, quote: str) -> Optional[tuple[etree._Element, etree._Element]]:
    """The first and last run holding exactly `quote` (the runs at its edges split there), or None when the
    quote is not in the paragraph's own plain-text runs. A footnote mark or a bookmark between them is
    inside the span, as the plain text the quote comes from leaves them out."""
    runs = [r for r in p.findall(qn("w:r")) if _plain_text(r) is not None]
    texts = [_plain_text(r) for r in runs]
    joined = "".join(texts)
    start = joined.find(quote)
    if start < 0 or not quote:
        return None
    end, offsets, position = start + len(quote), [], 0
    for text in texts:
        offsets.append(position)
        position += len(text)
    first = max(k for k, offset in enumerate(offsets) if offset <= start)
    last = max(k for k, offset in enumerate(offsets) if offset < end)
    last_run = _split_run(runs[last], end - offsets[last])[0]
    first_run = _split_run(runs[first] if first != last else last_run, start - offsets[first])[1]
    return first_run, last_run if first != last else first_run


def _plain_text(r: etree._Element) -> Optional[str]:
    """A run's text when it holds only properties and one w:t, else None."""
    children = [child for child in r if child.tag != qn("w:rPr")]
    return children[0].text or "" if len(children) == 1 and children[0].tag == _W_T else None


def _split_run(r: etree._Element, at: int) -> tuple[etree._Element, etree._Element]:
    """A plain run split in two at character `at`: (before, after); the run itself when there is nothing to cut."""
    text = _plain_text(r)
    if at <= 0 or at >= len(text):
        return (r, r)
    after = copy.deepcopy(r)
    r.replace(r.find(qn("w:t")), text_element(text[:at]))
    after.replace(after.find(qn("w:t")), text_element(text[at:]))
    r.addnext(after)
    return r, after


# -- tracked changes -----------------------------------------------------
def tracked(kind: str, change_id: int, author: str, date: str, runs: Iterable[etree._Element]) -> etree._Element:
    """Wrap runs in w:ins or w:del (kind 'ins' | 'del'); deleted text becomes w:delText."""
    wrapper = el(f"w:{kind}", {"id": change_id, "author": author, "date": date})
    for r in runs:
        if kind == "del":
            for t in r.iter(qn("w:t")):
                t.tag = qn("w:delText")
            for t in r.iter(qn("w:instrText")):
                t.tag = qn("w:delInstrText")
        wrapper.append(r)
    return wrapper


def track_content(parent: etree._Element, kind: str, ids: Ids, author: str, date: str) -> None:
    """Mark every run under `parent` (a paragraph or hyperlink) inserted or deleted, in place."""
    children = list(parent)
    index = 0
    while index < len(children):
        child = children[index]
        if child.tag == qn("w:r"):
            group = [child]
            while index + 1 < len(children) and children[index + 1].tag == qn("w:r"):
                index += 1
                group.append(children[index])
            position = parent.index(group[0])
            wrapper = tracked(kind, ids.next(), author, date, group)
            parent.insert(position, wrapper)
        elif child.tag == qn("w:hyperlink"):
            track_content(child, kind, ids, author, date)
        index += 1


def track_paragraph_mark(p: etree._Element, kind: str, change_id: int, author: str, date: str) -> None:
    """Mark the paragraph mark itself inserted/deleted, so whole paragraphs come and go on accept/reject."""
    ppr = properties(p, "w:pPr")
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = set_child(ppr, etree.Element(qn("w:rPr")))  # rPr sits late in pPr, after spacing/ind/jc
    set_child(rpr, el(f"w:{kind}", {"id": change_id, "author": author, "date": date}))


def track_table_row(tr: etree._Element, kind: str, change_id: int, author: str, date: str) -> None:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = etree.Element(qn("w:trPr"))
        tr.insert(0, trpr)
    trpr.append(el(f"w:{kind}", {"id": change_id, "author": author, "date": date}))


# -- numbering -----------------------------------------------------------
def abstract_num(abstract_id: int, levels: Sequence[dict], nsid: str = "") -> etree._Element:
    """A multi-level list definition; each level: fmt, text, indent (twips), hanging, start, font, style."""
    node = el("w:abstractNum", {"abstractNumId": abstract_id})
    if nsid:
        sub(node, "w:nsid", {"val": nsid})
    sub(node, "w:multiLevelType", {"val": "multilevel" if len(levels) > 1 else "singleLevel"})
    for ilvl, level in enumerate(levels):
        lvl = sub(node, "w:lvl", {"ilvl": ilvl})
        sub(lvl, "w:start", {"val": level.get("start", 1)})
        sub(lvl, "w:numFmt", {"val": level.get("fmt", "decimal")})
        if level.get("style"):
            sub(lvl, "w:pStyle", {"val": level["style"]})
        sub(lvl, "w:suff", {"val": level.get("suffix", "tab")})
        sub(lvl, "w:lvlText", {"val": level.get("text", f"%{ilvl + 1}.")})
        sub(lvl, "w:lvlJc", {"val": "left"})
        if "indent" in level:
            ppr = sub(lvl, "w:pPr")
            sub(ppr, "w:ind", {"left": level["indent"], "hanging": level.get("hanging", 360)})
        if level.get("font"):
            rpr = sub(lvl, "w:rPr")
            sub(rpr, "w:rFonts", {"ascii": level["font"], "hAnsi": level["font"], "hint": "default"})
    return node


def num(num_id: int, abstract_id: int, restart_level: Optional[int] = None, start: int = 1) -> etree._Element:
    """A list instance; `restart_level` makes it start afresh (each ordered list restarts at `start`)."""
    node = el("w:num", {"numId": num_id})
    sub(node, "w:abstractNumId", {"val": abstract_id})
    if restart_level is not None:
        override = sub(node, "w:lvlOverride", {"ilvl": restart_level})
        sub(override, "w:startOverride", {"val": start})
    return node


def add_numbering(root: etree._Element, node: etree._Element) -> None:
    """Add an abstractNum or num to numbering.xml: every abstractNum precedes every num."""
    if node.tag == qn("w:abstractNum"):
        first_num = root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(node)
            return
    root.append(node)


def free_numbering_ids(root: etree._Element) -> tuple[int, int]:
    """First free abstractNumId and numId in a numbering part."""
    abstract = [int(n.get(qn("w:abstractNumId"))) for n in root.findall(qn("w:abstractNum"))]
    nums = [int(n.get(qn("w:numId"))) for n in root.findall(qn("w:num"))]
    return max(abstract, default=-1) + 1, max(nums, default=0) + 1


def new_list(root: etree._Element, abstract: etree._Element) -> int:
    """Add a list definition (its abstractNumId renumbered to a free one) and an instance of it; its numId."""
    abstract_id, num_id = free_numbering_ids(root)
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    add_numbering(root, abstract)
    add_numbering(root, num(num_id, abstract_id))
    return num_id


def bullet_list(root: etree._Element) -> int:
    """The bulleted list of every document (• ◦ ▪ by level, 0.5 inch a level), added; its numId."""
    levels = [{"fmt": "bullet", "text": BULLETS[i % 3], "indent": 360 * (i + 2), "hanging": 360} for i in range(9)]
    return new_list(root, abstract_num(0, levels, nsid="4E485242"))


def num_pr(num_id: int, ilvl: int) -> etree._Element:
    return el("w:numPr", None, el("w:ilvl", {"val": ilvl}), el("w:numId", {"val": num_id}))


# -- tables --------------------------------------------------------------
# A table of this many rows or fewer moves whole to the next page rather than split (a 4-row table split 2+2
# reads as two tables); a longer one breaks between rows, under its repeated header row.
SHORT_TABLE_ROWS = 10


def table(rows: Sequence[Sequence[Sequence[etree._Element]]], widths: Sequence[int], *,
          header_rows: int = 1, style: str = "PlanTable",
          align: Optional[Sequence[str]] = None, whole: Optional[Sequence[bool]] = None) -> etree._Element:
    """A table: rows of cells of paragraphs; `widths` in twips; header rows repeat on each page. The rows
    `whole` marks (docx_columns.whole_rows) do not break across pages (w:cantSplit); a short table of
    such rows is kept on one page (keep_rows_together)."""
    tbl = etree.Element(qn("w:tbl"))
    tblpr = sub(tbl, "w:tblPr")
    sub(tblpr, "w:tblStyle", {"val": style})
    sub(tblpr, "w:tblW", {"w": sum(widths), "type": "dxa"})
    sub(tblpr, "w:tblLook", {"val": "04A0", "firstRow": 1 if header_rows else 0, "lastRow": 0,
                             "firstColumn": 0, "lastColumn": 0, "noHBand": 0, "noVBand": 1})
    grid = sub(tbl, "w:tblGrid")
    for width in widths:
        sub(grid, "w:gridCol", {"w": width})
    for row_index, cells in enumerate(rows):
        tr = sub(tbl, "w:tr")
        keep = whole is not None and row_index < len(whole) and whole[row_index]
        if keep or row_index < header_rows:
            trpr = sub(tr, "w:trPr")
            if keep:
                sub(trpr, "w:cantSplit")
            if row_index < header_rows:
                sub(trpr, "w:tblHeader")
        for col, paragraphs in enumerate(cells):
            tc = sub(tr, "w:tc")
            sub(sub(tc, "w:tcPr"), "w:tcW", {"w": widths[col] if col < len(widths) else 0, "type": "dxa"})
            for p in paragraphs or [paragraph()]:
                if align and col < len(align) and align[col]:
                    set_child(properties(p, "w:pPr"), el("w:jc", {"val": align[col]}))
                tc.append(p)
    if whole is not None and len(rows) <= SHORT_TABLE_ROWS and all(whole[:len(rows)]):
        keep_rows_together(tbl)
    return tbl


def keep_rows_together(tbl: etree._Element) -> None:
    """Word's way of keeping a table on one page: every row keeps with the next (w:keepNext on each of its
    paragraphs), all but the last."""
    for tr in tbl.findall(qn("w:tr"))[:-1]:
        for p in tr.iter(qn("w:p")):
            keep_with_next(p)


# -- sections -------------------------------------------------------------
def line_numbering(sect_pr: etree._Element, count_by: int = 1, restart: str = "newPage",
                   distance: int = 360) -> None:
    set_child(sect_pr, el("w:lnNumType", {"countBy": count_by, "restart": restart, "distance": distance}))


def doc_grid(sect_pr: etree._Element, kind: str, line_pitch: int, char_space: Optional[int] = None) -> None:
    attrs = {"type": kind, "linePitch": line_pitch}
    if char_space is not None:
        attrs["charSpace"] = char_space
    set_child(sect_pr, el("w:docGrid", attrs))


def page_numbering(sect_pr: etree._Element, start: Optional[int] = 1, fmt: str = "decimal") -> None:
    attrs = {"fmt": fmt}
    if start is not None:
        attrs["start"] = start
    set_child(sect_pr, el("w:pgNumType", attrs))


def header_footer_reference(sect_pr: etree._Element, kind: str, which: str, rel_id: str) -> None:
    """kind 'header' | 'footer'; which 'default' | 'even' | 'first'."""
    ref = el(f"w:{kind}Reference", {"type": which})
    ref.set(qn("r:id"), rel_id)
    set_child(sect_pr, ref)
