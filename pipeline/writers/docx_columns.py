"""Table column widths that fit their content, computed without a layout engine.

Word and LibreOffice lay a fixed-width table out by its grid, so the widths
must be right before either opens the file. Each cell's text is measured
with approximate Times New Roman advance widths (Chinese characters one em
wide); a column gets at least the room of its widest unbreakable piece — a
word, or a whole short cell such as "Deadline", "expected", "2030" or
"完成时限" — and the space left is shared by how much more each column
would need to hold its longest text on one line. Same text, same widths.
"""
from __future__ import annotations

import unicodedata
from functools import cache
from typing import Optional, Sequence

from lxml import etree

from .ooxml import el, properties, qn, set_child

# advance widths in ems (Times New Roman; Liberation Serif has the same metrics)
_WIDTHS = {**dict.fromkeys("abcdeghknopquvxyz", 0.5), **dict.fromkeys("cez", 0.45), **dict.fromkeys("fr", 0.34),
           **dict.fromkeys("ijlt", 0.28), "s": 0.39, "m": 0.78, "w": 0.72,
           **dict.fromkeys("ABCDEFGHKNOPQRSTUVXYZ", 0.72), **dict.fromkeys("IJ", 0.39), "L": 0.61, "M": 0.89,
           "W": 0.95, **dict.fromkeys("0123456789", 0.5), " ": 0.25, **dict.fromkeys(".,:;'!|", 0.28),
           **dict.fromkeys("()[]-/", 0.34), "%": 0.83, "&": 0.78, "—": 1.0, "–": 0.5, "‰": 1.0}
_OTHER = 0.6          # any other Latin, Greek, Cyrillic character
_BOLD = 1.08          # bold Times is a little wider
CELL_MARGINS = 160 + 60  # Plan Table cell margins (80 twips each side) and a little air
NARROWEST = 400       # twips: an empty column still shows
SHORT_EMS = 6         # a cell no wider than 6 ems (and 1/6 of the table) stays on one line
NAME_EMS = 12         # a Chinese column no wider than 12 ems (and 1/3 of the table) too, when the table has room
ROW_LINE = 1.35       # height of a table line in ems: single spacing, or the Chinese Table Text's 16 pt at 12 pt


@cache  # a plan has a few hundred distinct characters, measured hundreds of thousands of times
def char_ems(char: str) -> float:
    if char in _WIDTHS:
        return _WIDTHS[char]
    if _is_wide(char):
        return 1.0
    return _OTHER


def text_twips(text: str, size: float, bold: bool = False) -> int:
    """Width of `text` on one line at `size` points, in twips (rounded up)."""
    ems = sum(char_ems(c) for c in text) * (_BOLD if bold else 1.0)
    return int(ems * size * 20) + 1


def _pieces(text: str) -> list[str]:
    """Where a line may break: at spaces, and between any two Chinese characters."""
    out: list[str] = []
    for word in text.split():
        current = ""
        for char in word:
            if _is_wide(char):
                if current:
                    out.append(current)
                out.append(char)
                current = ""
            else:
                current += char
        if current:
            out.append(current)
    return out


def column_widths(rows: Sequence[Sequence[Sequence[str]]], total: int, size: float, *, header_rows: int = 1,
                  weights: Optional[Sequence[float]] = None) -> list[int]:
    """Widths in twips summing to `total` for rows of cells, each cell a list of lines (paragraphs).

    Header cells are measured bold. A column never gets less than its widest unbreakable piece while the
    table can give it (a whole short cell counts as one piece, unless it is a header of several words). The room left goes to the columns whose
    longest line does not fit yet, in proportion to `weights` (default: how much more each would need),
    none beyond what its longest line takes; room still left is shared by those line widths. A column of
    short Chinese cells (unit names) is first given its longest line (`_names_kept_whole`), unless that
    makes the table taller."""
    columns = max((len(r) for r in rows), default=1)
    least = [NARROWEST] * columns
    natural = [NARROWEST] * columns
    short = min(total // 6, int(SHORT_EMS * size * 20) + CELL_MARGINS)
    for index, row in enumerate(rows):
        bold = index < header_rows
        for col, lines in enumerate(row):
            for line in lines:
                line = " ".join(line.split())
                whole = text_twips(line, size, bold) + CELL_MARGINS
                natural[col] = max(natural[col], min(whole, total))
                if whole <= short and not (bold and " " in line):  # a header may wrap at its spaces
                    least[col] = max(least[col], whole)
                else:
                    widest = max((text_twips(p, size, bold) for p in _pieces(line)), default=0) + CELL_MARGINS
                    least[col] = max(least[col], min(widest, total))
    natural = [max(n, m) for n, m in zip(natural, least)]
    if sum(least) >= total:
        widths = _share([0] * columns, total, least)
    else:
        widths = _spread(least, natural, total, weights)
        names = _names_kept_whole(least, natural, _chinese_columns(rows, columns), total, size)
        if names != least:
            with_names = _spread(names, natural, total, weights)
            if _table_lines(rows, with_names, size) <= _table_lines(rows, widths, size):
                widths = with_names
    widths[-1] += total - sum(widths)
    return widths


def _spread(least: list[int], natural: list[int], total: int, weights: Optional[Sequence[float]]) -> list[int]:
    """`least` and the room beyond it: first to the columns whose longest line does not fit, by `weights`
    (default: how much more each needs), none beyond its longest line; then to all, by those lines."""
    wanted = list(weights) if weights else [n - m for n, m in zip(natural, least)]
    widths = _fill(least, natural, total - sum(least), wanted)
    spare = total - sum(widths)
    return _share(widths, spare, natural) if spare > 0 else widths


def _table_lines(rows: Sequence[Sequence[Sequence[str]]], widths: Sequence[int], size: float) -> int:
    return sum(row_lines(row, widths, size) for row in rows)


def _chinese_columns(rows: Sequence[Sequence[Sequence[str]]], columns: int) -> list[bool]:
    """Which columns hold Chinese text, their header included: a figures column headed 采纳（含部分采纳）
    breaks as a name would."""
    chinese = [False] * columns
    for row in rows:
        for col, lines in enumerate(row):
            chinese[col] = chinese[col] or any(_is_wide(c) for line in lines for c in line)
    return chinese


def _names_kept_whole(least: list[int], natural: list[int], chinese: list[bool], total: int,
                      size: float) -> list[int]:
    """`least` with each Chinese column whose longest line is short raised to that line. Chinese breaks
    between any two characters, so shared out by need such a column (the unit names of an indicator table
    or a comment matrix) broke 人力资源和社会保障 / 部 while a long column beside it had room to give; English
    breaks only at spaces and is left as it is. `least` itself when the table has no room for them."""
    cap = min(total // 3, int(NAME_EMS * size * 20) + CELL_MARGINS)
    raised = [n if is_chinese and n <= cap else m for is_chinese, n, m in zip(chinese, natural, least)]
    return raised if sum(raised) <= total else least


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def row_lines(row: Sequence[Sequence[str]], widths: Sequence[int], size: float) -> int:
    """Lines the tallest cell of a row takes at `size` points in columns `widths` twips wide (an estimate:
    a tenth more than the text's length, for the room lost at line ends)."""
    most = 1
    for lines, width in zip(row, widths):
        room = max(width - CELL_MARGINS, NARROWEST)
        most = max(most, sum(max(1, -(-text_twips(" ".join(line.split()), size) * 11 // (10 * room)))
                             for line in lines or [""]))
    return most


def whole_rows(rows: Sequence[Sequence[Sequence[str]]], widths: Sequence[int], size: float,
               text_height: int) -> list[bool]:
    """The rows to keep on one page (w:cantSplit): every row no taller than half the page's text block.
    A taller row (a long comment in a matrix) may break: moved whole to the next page it would leave
    more than half a page empty, and Word cuts off a row taller than the page."""
    line = size * 20 * ROW_LINE
    return [row_lines(row, widths, size) * line <= text_height / 2 for row in rows]


def _fill(start: list[int], cap: list[int], amount: int, weights: list[float]) -> list[int]:
    """Share `amount` out by `weights`, no column beyond its cap; what a capped column cannot take goes to
    the others (water-filling; integers, deterministic)."""
    widths = list(start)
    open_ = [i for i in range(len(widths)) if widths[i] < cap[i] and weights[i] > 0]
    while amount > 0 and open_:
        weight = sum(weights[i] for i in open_)
        shares = {i: int(amount * weights[i] / weight) for i in open_}
        capped = [i for i in open_ if widths[i] + shares[i] >= cap[i]]
        if not capped:
            for i in open_:
                widths[i] += shares[i]
            break
        for i in capped:
            amount -= cap[i] - widths[i]
            widths[i] = cap[i]
        open_ = [i for i in open_ if i not in capped]
    return widths


def _share(base: list[int], amount: int, weights: list[int]) -> list[int]:
    """`base` plus `amount` shared in proportion to `weights` (integers, deterministic)."""
    weight = sum(weights)
    if weight <= 0:
        return [b + amount // len(base) for b in base]
    return [b + amount * w // weight for b, w in zip(base, weights)]


# -- reading a Word document ---------------------------------------------------
def cell_lines(paragraphs: Sequence[etree._Element]) -> list[str]:
    """The text of each paragraph of a cell, deleted text included (a redline shows both)."""
    return ["".join(t.text or "" for t in p.iter(qn("w:t"), qn("w:delText"))) for p in paragraphs]


def style_size(styles_root: etree._Element, style_id: str, default: float = 11.0) -> float:
    """Font size in points a paragraph style gives (following basedOn, then the document defaults)."""
    size = style_value(styles_root, style_id, "w:rPr", "w:sz", "w:val")
    return int(size) / 2 if size is not None else default


# Space between a table's borders and the text around it (6 pt): the styles give none (table text and body
# text have no space after in zh), so a list item or paragraph would sit against the border.
TABLE_GAP = 120  # twips


def space_after_table(styles_root: etree._Element, previous: Optional[etree._Element], p: etree._Element,
                      style: str) -> None:
    """Give `p` room above it when it follows a table, unless its style already gives as much (a heading)."""
    if previous is not None and previous.tag == qn("w:tbl"):
        _at_least(styles_root, p, style, "before")


def space_before_table(styles_root: etree._Element, previous: Optional[etree._Element]) -> None:
    """Give the paragraph a table follows room below it, unless its style already gives as much. A table has
    no space before of its own; the paragraph keeps its keep-with-next (a lead-in stays with its table)."""
    if previous is not None and previous.tag == qn("w:p"):
        style = previous.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        _at_least(styles_root, previous, style.get(qn("w:val")) if style is not None else "Normal", "after")


def _at_least(styles_root: etree._Element, p: etree._Element, style: str, side: str) -> None:
    """`p`'s space `side` ('before' | 'after') made TABLE_GAP, when its style gives less."""
    if style_spacing(styles_root, style, side) < TABLE_GAP:
        ppr = properties(p, "w:pPr")
        spacing = ppr.find(qn("w:spacing"))
        if spacing is None:
            spacing = set_child(ppr, el("w:spacing"))
        spacing.set(qn(f"w:{side}"), str(TABLE_GAP))


def style_spacing(styles_root: etree._Element, style_id: str, side: str = "before") -> int:
    """The space before (or after) a paragraph of a style, in twips (following basedOn, then the document
    defaults)."""
    value = style_value(styles_root, style_id, "w:pPr", "w:spacing", f"w:{side}")
    return int(value) if value is not None else 0


def style_value(styles_root: etree._Element, style_id: str, props: str, tag: str, attr: str) -> Optional[str]:
    """An attribute of a style's w:pPr or w:rPr child, from the style, the styles it is based on, or the
    document defaults; None when none of them sets it."""
    styles = {s.get(qn("w:styleId")): s for s in styles_root.findall(qn("w:style"))}
    seen = set()
    current: Optional[str] = style_id
    while current and current not in seen:
        seen.add(current)
        style = styles.get(current)
        if style is None:
            break
        element = style.find(f"{qn(props)}/{qn(tag)}")
        if element is not None and element.get(qn(attr)) is not None:
            return element.get(qn(attr))
        based = style.find(qn("w:basedOn"))
        current = based.get(qn("w:val")) if based is not None else None
    default = "w:pPrDefault" if props == "w:pPr" else "w:rPrDefault"
    element = styles_root.find(f"{qn('w:docDefaults')}/{qn(default)}/{qn(props)}/{qn(tag)}")
    return element.get(qn(attr)) if element is not None else None
