"""Page numbers for a filled-in table of contents, without Word.

`libreoffice_pages` lays the document out once with LibreOffice (headless,
private profile), reads each PDF page's text with pdftotext, takes the
printed page number from the footer line and finds each heading in order.
`estimate_pages` counts characters when LibreOffice is not installed.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .docx_body import Heading
from .profiles import Profile

SOFFICE_TIMEOUT = 180


def find_pages(data: bytes, headings: list[Heading], profile: Profile) -> tuple[dict[str, int], str]:
    """Bookmark → page number, and how it was obtained ('libreoffice' or 'estimate')."""
    if shutil.which("soffice") and shutil.which("pdftotext"):
        pages = libreoffice_pages(data, headings, profile)
        if pages is not None:
            return pages, "libreoffice"
    return estimate_pages(data, headings, profile), "estimate"


def pdf_page_texts(data: bytes, suffix: str = ".docx") -> list[str] | None:
    with tempfile.TemporaryDirectory(prefix="nhrap-pages-") as tmp:
        folder = Path(tmp)
        source = folder / f"doc{suffix}"
        source.write_bytes(data)
        command = ["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=SOFFICE_TIMEOUT)
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(folder / "doc.pdf"), "-"], check=True,
                                  capture_output=True, timeout=SOFFICE_TIMEOUT).stdout.decode("utf-8", "replace")
        except (subprocess.SubprocessError, OSError):
            return None
    return text.split("\f")


def libreoffice_pages(data: bytes, headings: list[Heading], profile: Profile) -> dict[str, int] | None:
    texts = pdf_page_texts(data)
    if not texts:
        return None
    footer = footer_pattern(profile.page_numbers.get("final", "{PAGE}"))
    numbered = []
    for text in texts:
        candidates = [int(m.group(1)) for m in map(footer.match, text.splitlines()) if m]
        if not candidates:
            continue
        # pdftotext may put a table cell after the footer: prefer the number that follows the last page's
        expected = numbered[-1][0] + 1 if numbered else None
        number = expected if expected in candidates else candidates[-1]
        numbered.append((number, _squash(text)))
    pages: dict[str, int] = {}
    start = 0
    for heading in headings:
        needle = _squash(heading.text)[:40]
        for index in range(start, len(numbered)):
            if needle and needle in numbered[index][1]:
                pages[heading.bookmark] = numbered[index][0]
                start = index
                break
    return pages


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
