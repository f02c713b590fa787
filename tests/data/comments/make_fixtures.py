"""Build the reviewer .docx fixtures for tests/test_comments_harvest.py (run once; outputs are committed).

    .venv/bin/python tests/data/comments/make_fixtures.py

1. `returned-word.docx`: the consultation draft v1.md as the pipeline writes it (one bookmark
   p0001… spanning each paragraph), with what a reviewer adds in Word: two comments, a reply
   (word/commentsExtended.xml), a tracked replacement and a tracked insertion. Built with
   python-docx plus raw WordprocessingML.
2. `mohrss-returned.docx`: the same file opened and saved again by LibreOffice headless
   (`soffice --convert-to docx:"MS Word 2007 XML"`), which rewrites the whole package.
3. `foreign.docx`: a reviewer's own document (no bookmarks) quoting the draft, with two comments,
   one of which quotes text that is not in the draft; also saved by LibreOffice.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
from lxml import etree

HERE = Path(__file__).parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
DATE = "2026-03-05T10:00:00Z"


def q(tag: str, ns: str = W) -> str:
    return f"{{{ns}}}{tag}"


def blocks() -> list[tuple[str, str]]:
    """(style, text) of v1.md's blocks, in order: their ids are p0001, p0002, …"""
    result = []
    for chunk in (HERE / "v1.md").read_text().split("\n\n"):
        chunk = chunk.strip()
        if chunk.startswith("#"):
            level = len(chunk) - len(chunk.lstrip("#"))
            result.append((f"Heading {level}", chunk.lstrip("# ").split(" {#")[0]))
        elif chunk:
            result.append(("Normal", chunk))
    return result


def bookmark(paragraph, index: int) -> None:
    start = etree.Element(q("bookmarkStart"))
    start.set(q("id"), str(index))
    start.set(q("name"), f"p{index:04d}")
    end = etree.Element(q("bookmarkEnd"))
    end.set(q("id"), str(index))
    element = paragraph._p
    ppr = element.find(q("pPr"))
    element.insert(0 if ppr is None else 1, start)
    element.append(end)


def split_runs(paragraph, text: str, quote: str):
    at = text.index(quote)
    paragraph.add_run(text[:at])
    middle = paragraph.add_run(quote)
    paragraph.add_run(text[at + len(quote):])
    return middle


def tracked(kind: str, ident: int, text: str):
    wrapper = etree.Element(q(kind))
    for key, value in (("id", str(ident)), ("author", "Li Wei"), ("date", DATE)):
        wrapper.set(q(key), value)
    run = etree.SubElement(wrapper, q("r"))
    node = etree.SubElement(run, q("delText" if kind == "del" else "t"))
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    node.text = text
    return wrapper


def amend(paragraph, text: str, old: str, new: str, ident: int) -> None:
    """Replace `old` by `new` as a tracked deletion + insertion (new alone: insertion after `old`)."""
    at = text.index(old)
    paragraph.add_run(text[:at])
    p = paragraph._p
    if new.startswith(old):  # pure insertion after `old`
        paragraph.add_run(old)
        p.append(tracked("ins", ident, new[len(old):]))
    else:
        p.append(tracked("del", ident, old))
        p.append(tracked("ins", ident + 1, new))
    tail = paragraph.add_run(text[at + len(old):])
    p.append(tail._r)


def fix_dates(document) -> None:
    for comment in document.comments:
        comment._comment_elm.set(q("date"), DATE)


def add_reply(path: Path, parent_id: int, reply_id: int, text: str) -> None:
    """Add a reply thread entry: a comment sharing the parent's range + commentsExtended.xml."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    comments = etree.fromstring(parts["word/comments.xml"])
    nodes = {c.get(q("id")): c for c in comments.iter(q("comment"))}
    for index, node in enumerate(nodes.values()):
        node.find(q("p")).set(q("paraId", W14), f"0000{index + 1:04X}")
    reply = etree.SubElement(comments, q("comment"))
    for key, value in (("id", str(reply_id)), ("author", "Zhang Wenjie"), ("date", DATE), ("initials", "ZW")):
        reply.set(q(key), value)
    p = etree.SubElement(reply, q("p"))
    p.set(q("paraId", W14), "0000FFFF")
    etree.SubElement(etree.SubElement(p, q("r")), q("t")).text = text
    parts["word/comments.xml"] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8", standalone=True)
    parent_para = nodes[str(parent_id)].find(q("p")).get(q("paraId", W14))
    parts["word/commentsExtended.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w15:commentsEx xmlns:w15="{W15}">'
        f'<w15:commentEx w15:paraId="{parent_para}" w15:done="0"/>'
        f'<w15:commentEx w15:paraId="0000FFFF" w15:paraIdParent="{parent_para}" w15:done="0"/></w15:commentsEx>').encode()
    document = etree.fromstring(parts["word/document.xml"])
    for tag in ("commentRangeStart", "commentRangeEnd"):
        for node in list(document.iter(q(tag))):
            if node.get(q("id")) == str(parent_id):
                twin = etree.Element(q(tag))
                twin.set(q("id"), str(reply_id))
                node.addnext(twin)
    for node in list(document.iter(q("commentReference"))):
        if node.get(q("id")) == str(parent_id):
            run = etree.Element(q("r"))
            etree.SubElement(run, q("commentReference")).set(q("id"), str(reply_id))
            node.getparent().addnext(run)
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", '<Override PartName="/word/commentsExtended.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"/></Types>').encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", '<Relationship Id="rIdX1" '
        'Type="http://schemas.microsoft.com/office/2011/relationships/commentsExtended" '
        'Target="commentsExtended.xml"/></Relationships>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 3, 5, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def returned_word(path: Path) -> None:
    document = docx.Document()
    document.core_properties.author = "Li Wei"
    for index, (style, text) in enumerate(blocks(), start=1):
        paragraph = document.add_paragraph(style=style)
        if index == 3:
            runs = split_runs(paragraph, text, "within 5.5 per cent")
            document.add_comment(runs, text="Use the target of the 14th Five-Year Plan.", author="Li Wei", initials="LW")
        elif index == 4:
            amend(paragraph, text, "all workers", "all employees", 100)
        elif index == 6:
            amend(paragraph, text, "will reach", "will reach at least", 110)
            # a second comment on the same paragraph, as a question
            tail = paragraph.add_run("")
            runs = [r for r in paragraph.runs if "basic public health services" in r.text]
            if not runs:
                runs = [tail]
            document.add_comment(runs, text="Which services are meant?", author="Li Wei", initials="LW")
        else:
            paragraph.add_run(text)
        bookmark(paragraph, index)
    fix_dates(document)
    document.save(path)
    add_reply(path, parent_id=0, reply_id=5, text="Agreed; the expert group supports this.")


def foreign(path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    text = "Our unit notes: Occupational health examinations will be extended to all workers exposed to occupational hazards."
    runs = split_runs(paragraph, text, "extended to all workers")
    document.add_comment(runs, text="Include gig workers.", author="Wang Fang", initials="WF")
    paragraph = document.add_paragraph()
    runs = split_runs(paragraph, "A paragraph that is not in the draft at all.", "not in the draft")
    document.add_comment(runs, text="This cannot be placed.", author="Wang Fang", initials="WF")
    fix_dates(document)
    document.save(path)


def libreoffice_save(source: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                        'docx:MS Word 2007 XML', "--outdir", f"{tmp}/out", str(source)],
                       check=True, capture_output=True, timeout=120)
        shutil.copy(Path(tmp) / "out" / source.name, target)


if __name__ == "__main__":
    returned_word(HERE / "returned-word.docx")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "returned.docx"
        shutil.copy(HERE / "returned-word.docx", copy)
        libreoffice_save(copy, HERE / "mohrss-returned.docx")
        foreign(Path(tmp) / "foreign.docx")
        libreoffice_save(Path(tmp) / "foreign.docx", HERE / "foreign.docx")
