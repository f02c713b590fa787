"""Page numbers for a filled-in table of contents, without Word.

`libreoffice_pages` lays the document out once with LibreOffice (headless,
private profile) and exports a PDF in which every Word bookmark is a named
destination: each heading's bookmark gives the PDF page it lands on
(`pdfinfo -dests`), and the footer line of that page (pdftotext) gives the
number printed there. A heading whose destination is missing is looked up
by its text: a line of the page that is the heading itself, with its
number — never the same words inside a sentence or a footnote.
`estimate_pages` counts characters when LibreOffice is not installed.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Optional
from urllib.parse import quote

from .. import libreoffice
from .docx_body import Heading
from .profiles import Profile

TOOL_TIMEOUT = 180  # pdftotext and pdfinfo on a long document
# LibreOffice's PDF export: Word bookmarks become named destinations
PDF_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {"ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"}}, separators=(",", ":"))
_DEST = re.compile(r'^\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$')


def find_pages(data: bytes, headings: list[Heading], profile: Profile) -> tuple[dict[str, int], str]:
    """Bookmark → page number, and how it was obtained ('libreoffice' or 'estimate')."""
    if libreoffice.available() and shutil.which("pdftotext"):
        pages = libreoffice_pages(data, headings, profile)
        if pages is not None:
            return pages, "libreoffice"
    return estimate_pages(data, headings, profile), "estimate"


class Layout:
    """A document as LibreOffice lays it out: each PDF page's text, and the page each named destination is on."""

    def __init__(self, texts: list[str], destinations: dict[str, int]):
        self.texts = texts
        self.destinations = destinations  # name as the PDF spells it → 1-based PDF page

    def page_of(self, bookmark: str) -> Optional[int]:
        for name in (bookmark, lo_destination_name(bookmark)):
            if name in self.destinations:
                return self.destinations[name]
        return None


def layout(data: bytes, suffix: str = ".docx") -> Optional[Layout]:
    """Convert with LibreOffice; None when it fails."""
    with tempfile.TemporaryDirectory(prefix="nhrap-pages-") as tmp:
        folder = Path(tmp)
        source = folder / f"doc{suffix}"
        source.write_bytes(data)
        # LibreOffice before 7.4 reads no JSON filter options: then plain "pdf", in the time left. A first run
        # that overran would overrun again, and the user would wait out two timeouts for nothing.
        deadline = time.monotonic() + libreoffice.TIMEOUT
        pdf = libreoffice.convert(source, PDF_FILTER, folder)
        if pdf is None and deadline - time.monotonic() > 1:
            pdf = libreoffice.convert(source, "pdf", folder, timeout=deadline - time.monotonic())
        if pdf is None:
            return None
        try:
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                                  capture_output=True, timeout=TOOL_TIMEOUT).stdout.decode("utf-8", "replace")
        except (subprocess.SubprocessError, OSError):
            return None
        return Layout(text.split("\f"), _destinations(pdf))


def _destinations(pdf: Path) -> dict[str, int]:
    """Named destinations of a PDF (poppler's pdfinfo); empty when pdfinfo is missing."""
    if not shutil.which("pdfinfo"):
        return {}
    try:
        out = subprocess.run(["pdfinfo", "-dests", str(pdf)], check=True, capture_output=True,
                             timeout=TOOL_TIMEOUT).stdout.decode("utf-8", "replace")
    except (subprocess.SubprocessError, OSError):
        return {}
    found: dict[str, int] = {}
    for line in out.splitlines():
        match = _DEST.match(line)
        if match:
            found.setdefault(match.group(2), int(match.group(1)))
    return found


def lo_destination_name(name: str) -> str:
    """A bookmark name as LibreOffice writes it into a PDF: percent-encoded as in a URL (space, '%', '#'
    and non-ASCII), then letters, digits and '-' kept and any other character as two hex digits
    (`_esc_work` → `5Fesc5Fwork`, `_ch_1 Copy 1` → `5Fch5F12520Copy25201`)."""
    escaped = quote(name, safe="!$&'()*+,/:;=?@~")
    return "".join(c if c.isalnum() or c == "-" else f"{ord(c):02X}" for c in escaped)


def libreoffice_pages(data: bytes, headings: list[Heading], profile: Profile) -> dict[str, int] | None:
    found = layout(data)
    if found is None or not found.texts:
        return None
    printed = printed_numbers(found.texts, footer_pattern(profile.page_numbers.get("final", "{PAGE}")))
    pages: dict[str, int] = {}
    start = 0  # text lookup goes forward from the last heading found
    shared = _shared_destinations(headings)
    for heading in headings:
        index = None if heading.bookmark in shared else found.page_of(heading.bookmark)
        if index is not None:
            index -= 1
        else:
            index = page_for_heading_line(found.texts, printed, heading, start)
        if index is None or index >= len(printed) or printed[index] is None:
            continue
        pages[heading.bookmark] = printed[index]
        start = index
    return pages


def _shared_destinations(headings: list[Heading]) -> set[str]:
    """Bookmarks whose PDF destination name another heading's bookmark has too: LibreOffice renames the
    second (`… Copy 1`), so the name says nothing about where either heading is."""
    names = Counter(lo_destination_name(h.bookmark) for h in headings)
    return {h.bookmark for h in headings if names[lo_destination_name(h.bookmark)] > 1}


def printed_numbers(texts: list[str], footer: re.Pattern) -> list[Optional[int]]:
    """The page number printed on each PDF page (None before the numbering starts); a page whose footer
    was not read counts on from the page before."""
    numbers: list[Optional[int]] = []
    for text in texts:
        candidates = [int(m.group(1)) for m in map(footer.match, text.splitlines()) if m]
        previous = next((n for n in reversed(numbers) if n is not None), None)
        expected = None if previous is None else previous + 1
        if not candidates:
            numbers.append(expected)
            continue
        # pdftotext may put a table cell after the footer: prefer the number that follows the last page's
        numbers.append(expected if expected in candidates else candidates[-1])
    return numbers


def page_for_heading_line(texts: list[str], printed: list[Optional[int]], heading: Heading,
                          start: int) -> Optional[int]:
    """The first numbered page from `start` with lines that are the heading: a line opening with its
    number, and it and the lines after it reading as the heading, or at least its first half (a heading
    that wraps; an annex's label, "附件1", with its title on the lines below)."""
    whole = _squash(heading.number + heading.text)
    if not whole:
        return None
    for index in range(start, len(texts)):
        if index >= len(printed) or printed[index] is None:
            continue  # the cover and the contents (whose entries open with the same words)
        lines = [line for line in map(_squash, texts[index].splitlines()) if line]
        if any(2 * len(_heading_read(lines[at:], whole)) >= len(whole) for at in range(len(lines))):
            return index
    return None


def _heading_read(lines: list[str], whole: str) -> str:
    """As much of the heading `whole` as the lines read from their first, whole lines only."""
    read = ""
    for line in lines:
        if not whole.startswith(read + line):
            break
        read += line
    return read


def footer_pattern(pattern: str) -> re.Pattern:
    """'— {PAGE} —' → a regex for the printed footer line (PDF text may drop or add spaces)."""
    pieces = [re.escape(word).replace(re.escape("{PAGE}"), r"(\d+)") for word in pattern.split()]
    return re.compile(r"^\s*" + r"\s*".join(pieces) + r"\s*$")


def estimate_pages(data: bytes, headings: list[Heading], profile: Profile) -> dict[str, int]:
    """Characters before each heading ÷ characters a page holds (from the profile)."""
    import io
    import zipfile
    from lxml import etree
    from .ooxml import qn
    per_page = int(profile.data.get("chars_per_page", 3000))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    pages, count, started = {}, 0, False
    wanted = {h.bookmark for h in headings}
    for element in root.iter(qn("w:t"), qn("w:bookmarkStart"), qn("w:sectPr")):
        if element.tag == qn("w:sectPr") and not started:
            started, count = True, 0  # the body section starts counting at page 1
        elif element.tag == qn("w:bookmarkStart"):
            name = element.get(qn("w:name"))
            if name in wanted:
                pages[name] = count // per_page + 1
        elif started:
            count += len(element.text or "")
    return pages


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
