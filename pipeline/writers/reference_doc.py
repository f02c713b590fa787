"""Build a profile's reference .docx from its YAML (run once: `nhrap styles --write DIR`).

The result is an ordinary Word file the panel can restyle; rendering reads
styles, page set-up and heading numbering from it, as pandoc's
--reference-doc does. Style ids are the style names without spaces
(`Body Text` → `BodyText`, `toc 1` → `TOC1`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from . import docx_package, ooxml
from .ooxml import el, qn, set_child
from .profiles import Profile, reference_file

TWIPS_PER_MM = 1440 / 25.4


def style_id(name: str) -> str:
    if name.lower().startswith("toc "):
        return "TOC" + name[4:]
    return name.replace(" ", "")


def mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


def build_reference(profile: Profile) -> bytes:
    """The reference document for `profile`, as deterministic .docx bytes."""
    import docx
    document = docx_package.from_document(docx.Document())
    docx_package.replace_body(document, [], _section(profile.data))
    width = docx_package.text_width(docx_package.final_sect_pr(document))
    styles_root = docx_package.styles_root(document)
    _doc_defaults(styles_root, profile)
    for name, spec in profile.data.get("styles", {}).items():
        _apply_style(styles_root, name, dict(spec), width)
    _heading_numbering(document, profile.headings)
    _font_table(docx_package.font_table_root(document), styles_root, profile.data.get("fonts") or {})
    docx_package.set_core_properties(document, title=f"nhrap reference document ({profile.name})", subject="",
                                     date="2025-01-01", author="nhrap", language=profile.language)
    return docx_package.to_bytes(document)


def write_references(folder: Path, profiles: list[Profile]) -> list[Path]:
    from ..fileio import atomic_write
    written = []
    for profile in profiles:
        path = reference_file(folder, profile.name)
        atomic_write(path, build_reference(profile))
        written.append(path)
    return written


def _section(data: dict[str, Any]) -> etree._Element:
    page, grid = data.get("page", {}), data.get("grid")
    sect_pr = el("w:sectPr")
    set_child(sect_pr, el("w:pgSz", {"w": mm(page.get("width", 210)), "h": mm(page.get("height", 297))}))
    set_child(sect_pr, el("w:pgMar", {"top": mm(page.get("top", 25)), "right": mm(page.get("right", 25)),
                                      "bottom": mm(page.get("bottom", 25)), "left": mm(page.get("left", 25)),
                                      "header": mm(page.get("header", 12)), "footer": mm(page.get("footer", 12)),
                                      "gutter": 0}))
    set_child(sect_pr, el("w:cols", {"space": 720}))
    if grid:
        ooxml.doc_grid(sect_pr, grid.get("type", "lines"), grid.get("line_pitch", 360), grid.get("char_space"))
    return sect_pr


def _doc_defaults(styles_root: etree._Element, profile: Profile) -> None:
    """Document defaults from the profile, not python-docx's template (Calibri 11 pt, 1.15 lines, 10 pt
    after, en-US for East Asian text): a style the profile leaves alone still sits on the line grid."""
    normal = dict(profile.data.get("styles", {}).get("Normal", {}))
    languages = profile.data.get("languages", {})
    defaults = styles_root.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = el("w:docDefaults")
        styles_root.insert(0, defaults)
    rpr = el("w:rPr")
    _run_props(rpr, {key: normal[key] for key in ("font", "east_asia", "size") if key in normal})
    set_child(rpr, el("w:lang", {"val": languages.get("latin", "en-US"),
                                 "eastAsia": languages.get("east_asia", "zh-CN"), "bidi": "ar-SA"}))
    ppr = el("w:pPr", None, el("w:spacing", {"after": 0, "line": 240, "lineRule": "auto"}))
    for child in list(defaults):
        defaults.remove(child)
    defaults.append(el("w:rPrDefault", None, rpr))
    defaults.append(el("w:pPrDefault", None, ppr))


def _find_style(styles_root: etree._Element, name: str) -> etree._Element | None:
    wanted = name.lower()
    for style in styles_root.findall(qn("w:style")):
        name_el = style.find(qn("w:name"))
        if name_el is not None and name_el.get(qn("w:val"), "").lower() == wanted:
            return style
    return None


def _style_element(styles_root: etree._Element, name: str, kind: str) -> etree._Element:
    style = _find_style(styles_root, name)
    if style is None:
        style = el("w:style", {"type": kind, "customStyle": 1, "styleId": style_id(name)})
        style.append(el("w:name", {"val": name}))
        styles_root.append(style)
    else:
        style.set(qn("w:styleId"), style_id(name))
    set_child(style, el("w:qFormat"))
    return style


def _props(style: etree._Element, tag: str) -> etree._Element:
    found = style.find(qn(tag))
    return found if found is not None else set_child(style, el(tag))


def _apply_style(styles_root: etree._Element, name: str, spec: dict[str, Any], text_width: int) -> None:
    kind = spec.pop("type", "paragraph")
    style = _style_element(styles_root, name, kind)
    if spec.get("based_on"):
        set_child(style, el("w:basedOn", {"val": style_id(spec["based_on"])}))
    if kind == "paragraph":
        set_child(style, el("w:next", {"val": "BodyText" if name.startswith("Heading") else style_id(name)}))
        _paragraph_props(_props(style, "w:pPr"), spec, text_width)
    _run_props(_props(style, "w:rPr"), spec)
    if kind == "table":
        _table_props(style, spec)


def _paragraph_props(ppr: etree._Element, spec: dict[str, Any], text_width: int) -> None:
    if spec.get("border") == "none":  # e.g. the rule under python-docx's Title
        for old in ppr.findall(qn("w:pBdr")):
            ppr.remove(old)
    if spec.get("keep_next"):
        set_child(ppr, el("w:keepNext"))
    if spec.get("page_break"):
        set_child(ppr, el("w:pageBreakBefore"))
    if spec.get("line_numbers") is False:  # e.g. footnotes: LibreOffice numbers their lines, Word does not
        set_child(ppr, el("w:suppressLineNumbers"))
    if spec.get("shading"):
        set_child(ppr, el("w:shd", {"val": "clear", "color": "auto", "fill": spec["shading"]}))
    if spec.get("tab_right"):
        tabs = el("w:tabs", None, el("w:tab", {"val": "right", "leader": "dot", "pos": text_width}))
        set_child(ppr, tabs)
    if "punctuation_overflow" in spec:  # Word's "allow punctuation to extend past text extents"
        set_child(ppr, el("w:overflowPunct", {"val": 1 if spec["punctuation_overflow"] else 0}))
    if spec.get("line_rule") in ("auto", "exact"):  # its own line height, off the section's line grid
        set_child(ppr, el("w:snapToGrid", {"val": 0}))
    spacing = {}
    if spec.get("line_rule") == "grid":  # single lines, each on the next line of the grid (Word and LibreOffice)
        spacing.update(line=240, lineRule="auto")
    if "before" in spec:
        spacing["before"] = round(spec["before"] * 20)
    if "after" in spec:
        spacing["after"] = round(spec["after"] * 20)
    if "line" in spec:
        spacing.update(line=round(spec["line"] * 240), lineRule="auto")
    if spec.get("line_rule") == "exact":  # one fixed line height: Latin-only text sits on the CJK text's baseline
        spacing.update(line=round(spec["line_pt"] * 20), lineRule="exact")
    if spacing:
        set_child(ppr, el("w:spacing", spacing))
    indent = {}
    if "left" in spec:
        indent["left"] = mm(spec["left"])
    if "right" in spec:
        indent["right"] = mm(spec["right"])
    if "first_line_chars" in spec:
        indent.update(firstLineChars=round(spec["first_line_chars"] * 100), firstLine=round(spec["first_line_chars"] * spec.get("size", 16) * 20))
    elif "first_line" in spec:
        indent["firstLine"] = mm(spec["first_line"])
    if indent:
        set_child(ppr, el("w:ind", indent))
    if "align" in spec:
        set_child(ppr, el("w:jc", {"val": spec["align"]}))
    if "outline" in spec:
        set_child(ppr, el("w:outlineLvl", {"val": spec["outline"]}))


def _run_props(rpr: etree._Element, spec: dict[str, Any]) -> None:
    fonts = {}
    if spec.get("font"):
        fonts.update(ascii=spec["font"], hAnsi=spec["font"], cs=spec["font"])
    if spec.get("east_asia"):
        fonts["eastAsia"] = spec["east_asia"]
    if fonts:
        old = rpr.find(qn("w:rFonts"))
        merged = {etree.QName(k).localname: v for k, v in (old.attrib.items() if old is not None else [])
                  if "theme" not in k.lower()}
        merged.update(fonts)
        set_child(rpr, el("w:rFonts", merged))
    for key, tag in (("bold", "w:b"), ("italic", "w:i")):
        if key in spec:
            set_child(rpr, el(tag, {"val": 1 if spec[key] else 0}))
    if "color" in spec:
        set_child(rpr, el("w:color", {"val": spec["color"]}))
    if "letter_spacing" in spec:
        set_child(rpr, el("w:spacing", {"val": round(spec["letter_spacing"] * 20)}))
    if "size" in spec:
        set_child(rpr, el("w:sz", {"val": round(spec["size"] * 2)}))
        set_child(rpr, el("w:szCs", {"val": round(spec["size"] * 2)}))
    if spec.get("underline"):
        set_child(rpr, el("w:u", {"val": "single"}))
    if spec.get("vert_align"):
        set_child(rpr, el("w:vertAlign", {"val": spec["vert_align"]}))


def _table_props(style: etree._Element, spec: dict[str, Any]) -> None:
    colour = spec.get("border", "000000")
    borders = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(el(f"w:{side}", {"val": "single", "sz": 4, "space": 0, "color": colour}))
    tblpr = _props(style, "w:tblPr")
    set_child(tblpr, borders)
    set_child(tblpr, el("w:tblCellMar", None, el("w:left", {"w": 80, "type": "dxa"}),
                        el("w:right", {"w": 80, "type": "dxa"})))
    header = el("w:tblStylePr", {"type": "firstRow"})
    if spec.get("header_bold"):
        header.append(el("w:rPr", None, el("w:b")))
    header.append(el("w:tcPr", None, el("w:shd", {"val": "clear", "color": "auto",
                                                    "fill": spec.get("header_fill", "D9D9D9")})))
    set_child(style, header)


def _font_table(root: etree._Element, styles_root: etree._Element, hints: dict[str, Any]) -> None:
    """word/fontTable.xml declaring the fonts the styles name, each with the profile's hints (`fonts`:
    altName, panose, charset, family, pitch) by which Word picks a fitting font when it is not installed —
    仿宋 for 仿宋_GB2312, a sans for 黑体 — instead of python-docx's Cambria and ＭＳ 明朝."""
    for child in list(root):
        root.remove(child)
    for name in style_fonts(styles_root):
        root.append(_font(name, dict(hints.get(name) or {})))


def style_fonts(styles_root: etree._Element) -> list[str]:
    """The fonts styles.xml names (rFonts), in the order they first appear."""
    names = [font.get(qn(f"w:{key}")) for font in styles_root.iter(qn("w:rFonts"))
             for key in ("ascii", "hAnsi", "eastAsia", "cs")]
    return list(dict.fromkeys(name for name in names if name))


def _font(name: str, hint: dict[str, Any]) -> etree._Element:
    font = el("w:font", {"name": name})
    if hint.get("alt"):
        font.append(el("w:altName", {"val": hint["alt"]}))
    if hint.get("panose"):
        font.append(el("w:panose1", {"val": hint["panose"]}))
    if hint.get("charset"):
        font.append(el("w:charset", {"val": hint["charset"]}))
    font.append(el("w:family", {"val": hint.get("family", "auto")}))
    font.append(el("w:pitch", {"val": hint.get("pitch", "variable")}))
    return font


def _heading_numbering(document, levels: list[dict[str, Any]]) -> None:
    """Word's own numbering on Heading 1…n: the styles carry numPr, so restyling keeps it."""
    if not levels:
        return
    root = docx_package.numbering_root(document)
    linked = [dict(level, style=f"Heading{index}") for index, level in enumerate(levels, 1)]
    num_id = ooxml.new_list(root, ooxml.abstract_num(0, linked, nsid="4E485250"))
    styles_root = docx_package.styles_root(document)
    for index in range(1, len(levels) + 1):
        style = _find_style(styles_root, f"Heading {index}")
        ppr = _props(style, "w:pPr")
        numpr = ooxml.num_pr(num_id, index - 1) if index > 1 else el("w:numPr", None, el("w:numId", {"val": num_id}))
        set_child(ppr, numpr)
