"""The returned-draft reader on WordprocessingML as LibreOffice writes it (no LibreOffice needed).

Each case is the XML LibreOffice 7.4 wrote for what a reviewer did in it (see
tests/test_libreoffice_reviewer.py, which has LibreOffice do it), cut down to the paragraphs concerned.
"""
from __future__ import annotations

import io
import zipfile

from pipeline.readers.review_docx import read_review_docx

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
LABEL = '<w:r><w:rPr><w:rStyle w:val="ParagraphId"/></w:rPr><w:t xml:space="preserve">[{}] </w:t></w:r>'
STAMP = 'w:author="Li Hua" w:date="2026-03-10T09:00:00Z"'


def paragraph(para: str, inner: str, ppr: str = "") -> str:
    """A numbered paragraph as the consultation draft has it: label, then a bookmark around the text."""
    return f'<w:p><w:pPr>{ppr}</w:pPr>{LABEL.format(para)}<w:bookmarkStart w:id="{para[1:]}" w:name="{para}"/>' \
           f'{inner}<w:bookmarkEnd w:id="{para[1:]}"/></w:p>'


def text(words: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{words}</w:t></w:r>'


def comment_on(ident: str, inner: str) -> str:
    return f'<w:commentRangeStart w:id="{ident}"/>{inner}<w:commentRangeEnd w:id="{ident}"/>' \
           f'<w:r><w:commentReference w:id="{ident}"/></w:r>'


def docx(tmp_path, body: str, comments: dict[str, tuple[str, str]] = None, footnotes: str = "", language: str = "zh"):
    """A returned file holding `body` (and `footnotes`, the w:footnote elements); comments: w:id → (w:date, text)."""
    parts = {"word/document.xml": f'<w:document {NS}><w:body>{body}</w:body></w:document>'}
    if footnotes:
        parts["word/footnotes.xml"] = f'<w:footnotes {NS}>{footnotes}</w:footnotes>'
    if comments:
        parts["word/comments.xml"] = f'<w:comments {NS}>' + "".join(
            f'<w:comment w:id="{i}" w:author="Li Hua" w:date="{date}"><w:p>{text(words)}</w:p></w:comment>'
            for i, (date, words) in comments.items()) + "</w:comments>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path = tmp_path / "mohrss-returned.docx"
    path.write_bytes(buffer.getvalue())
    return read_review_docx(path, language)


def cell(inner: str) -> str:
    return f'<w:tc><w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>{inner}</w:p></w:tc>'


def table(rows: list[list[str]], para: str) -> str:
    """A table as the consultation draft has it: one bookmark from the first cell to the last."""
    xml = []
    for r, row in enumerate(rows):
        cells = []
        for c, inner in enumerate(row):
            if (r, c) == (0, 0):
                inner = LABEL.format(para) + f'<w:bookmarkStart w:id="9" w:name="{para}"/>' + inner
            if (r, c) == (len(rows) - 1, len(row) - 1):
                inner += '<w:bookmarkEnd w:id="9"/>'
            cells.append(cell(inner))
        xml.append("<w:tr>" + "".join(cells) + "</w:tr>")
    return "<w:tbl>" + "".join(xml) + "</w:tbl>"


def test_a_comment_or_change_in_any_table_cell_is_on_the_table_paragraph(tmp_path):
    rows = [[text("指标"), text("完成时限")],
            [text("城镇调查失业率"), text("2030")],
            [comment_on("0", text("企业劳动合同签订率")),
             f'<w:del w:id="1" {STAMP}><w:r><w:delText>2028</w:delText></w:r></w:del>'
             f'<w:ins w:id="2" {STAMP}><w:r><w:t>2027</w:t></w:r></w:ins>']]
    body = paragraph("p0012", text("主要目标：")) + table(rows, "p0013") + paragraph("p0014", text("牵头单位：民政部"))
    review = docx(tmp_path, body, {"0": ("2026-03-10T09:00:00Z", "目标偏低。")})
    # the table's text as the Markdown reader has it: cells " | ", rows on lines of their own
    words = "指标 | 完成时限\n城镇调查失业率 | 2030\n企业劳动合同签订率 | 2028"
    assert review.paragraphs["p0013"] == words
    [comment] = [n for n in review.notes if n.kind == "comment"]
    assert (comment.para, comment.quote, comment.start) == ("p0013", "企业劳动合同签订率", words.index("企业劳动"))
    [amendment] = [n for n in review.notes if n.kind == "amendment"]
    assert (amendment.para, amendment.quote, amendment.proposed) == ("p0013", "2028", "2027")
    assert amendment.start == words.index("2028")


def test_a_comment_on_the_whole_paragraph_does_not_quote_its_number(tmp_path):
    # LibreOffice starts the range before the "[p0002] " label when the whole paragraph is selected
    heading = LABEL.format("p0002") + '<w:bookmarkStart w:id="2" w:name="p0002"/>' + text("Right to work") + \
        '<w:bookmarkEnd w:id="2"/>'
    body = f"<w:p>{comment_on('0', heading)}</w:p>"
    review = docx(tmp_path, body, {"0": ("2026-03-10T09:00:00Z", "Whole heading.")})
    [note] = review.notes
    assert (note.para, note.quote, note.start, note.para_text) == ("p0002", "Right to work", 0, "Right to work")


def test_deleting_a_whole_paragraph_deletes_its_text_not_its_number(tmp_path):
    # LibreOffice deletes the "[p0010] " label with the paragraph, and the bookmark inside the deletion
    deleted = f'<w:del w:id="8" {STAMP}><w:r><w:rPr><w:rStyle w:val="ParagraphId"/></w:rPr>' \
              f'<w:delText xml:space="preserve">[p0010] </w:delText></w:r></w:del>' \
              f'<w:del w:id="9" {STAMP}><w:bookmarkStart w:id="10" w:name="p0010"/><w:r>' \
              f'<w:delText>对重点群体实施分类帮扶。</w:delText></w:r><w:bookmarkEnd w:id="10"/></w:del>'
    body = f'<w:p><w:pPr><w:rPr><w:del w:id="7" {STAMP}/></w:rPr></w:pPr>{deleted}</w:p>' + \
        paragraph("p0011", text("每年开展专项行动。"))
    [note] = docx(tmp_path, body).notes
    assert (note.para, note.quote, note.proposed, note.body) == ("p0010", "对重点群体实施分类帮扶。", "",
                                                                 "删除“对重点群体实施分类帮扶。”")  # no second 。


def test_a_bookmark_libreoffice_renamed_still_names_its_paragraph_unless_the_paragraph_is_there(tmp_path):
    # a paragraph deleted in a file that went through .odt: its bookmark comes back as "p0010_Copy_1"
    deleted = f'<w:p><w:del w:id="9" {STAMP}><w:bookmarkStart w:id="10" w:name="p0010_Copy_1"/><w:r>' \
              f'<w:delText>对重点群体实施分类帮扶。</w:delText></w:r><w:bookmarkEnd w:id="10"/></w:del></w:p>'
    [note] = docx(tmp_path, deleted).notes
    assert (note.para, note.quote) == ("p0010", "对重点群体实施分类帮扶。")
    # a copy of p0010 pasted elsewhere: LibreOffice renames the copy's bookmark; the copy is no p0010
    pasted = paragraph("p0010", text("对重点群体实施分类帮扶。")) + \
        f'<w:p><w:ins w:id="11" {STAMP}><w:bookmarkStart w:id="12" w:name="p0010_Copy_1"/><w:r>' \
        f'<w:t>对重点群体实施分类帮扶。</w:t></w:r><w:bookmarkEnd w:id="12"/></w:ins></w:p>'
    assert [note.para for note in docx(tmp_path, pasted).notes] == [""]


def test_a_paragraph_the_reviewer_inserted_amends_the_paragraph_before_it(tmp_path):
    # Enter at the end of p0004 marks its paragraph mark inserted; the new paragraph has no bookmark
    body = paragraph("p0004", text("Examinations cover all workers."), f'<w:rPr><w:ins w:id="4" {STAMP}/></w:rPr>') + \
        f'<w:p><w:ins w:id="5" {STAMP}><w:r><w:t>Employers report the results.</w:t></w:r></w:ins></w:p>' + \
        paragraph("p0005", text("Right to health"))
    review = docx(tmp_path, body, language="en")
    [note] = review.notes
    # the quote is the last word with its full stop, not the full stop alone
    assert (note.para, note.quote, note.proposed) == ("p0004", "workers.", "workers.\nEmployers report the results.")
    assert note.body == "Insert “Employers report the results.”"  # no second full stop after the quote
    assert note.author == "Li Hua" and review.paragraphs["p0005"] == "Right to health"


def test_a_bookmark_ending_in_the_next_paragraph_does_not_join_a_numbered_one(tmp_path):
    # Word ends a bookmark that includes the paragraph mark at the start of the next paragraph
    body = f'<w:p>{LABEL.format("p0003")}<w:bookmarkStart w:id="3" w:name="p0003"/>{text("First.")}</w:p>' \
           f'<w:p><w:bookmarkEnd w:id="3"/>{LABEL.format("p0004")}<w:bookmarkStart w:id="4" w:name="p0004"/>' \
           f'{text("Second.")}<w:bookmarkEnd w:id="4"/></w:p>'
    assert docx(tmp_path, body).paragraphs == {"p0003": "First.", "p0004": "Second."}


def test_a_comment_libreoffice_saved_without_a_date_has_no_date(tmp_path):
    body = paragraph("p0001", comment_on("0", text("decent work")) + comment_on("1", text(" for all")))
    review = docx(tmp_path, body, {"0": ("0-00-00T00:00:00Z", "No date."), "1": ("2026-03-10T09:00:00Z", "Dated.")})
    assert {n.body: n.date for n in review.notes} == {"No date.": "", "Dated.": "2026-03-10"}


def footnote(number: int, para: str, inner: str, name: str = "") -> str:
    """A footnote as the consultation draft has it: its number, then its own label and paragraph bookmark."""
    return f'<w:footnote w:id="{number}"><w:p><w:r><w:footnoteRef/></w:r>{text(" ")}{LABEL.format(para)}' \
           f'<w:bookmarkStart w:id="5{number}" w:name="{name or para}"/>{inner}<w:bookmarkEnd w:id="5{number}"/>' \
           '</w:p></w:footnote>'


def test_tracked_changes_and_comments_in_footnotes_are_on_the_footnotes_paragraph(tmp_path):
    # as Word writes them in word/footnotes.xml; LibreOffice renames the bookmark of every footnote but the
    # first each time it loads the file (p0024_Copy_1, then p0024_Copy_1_Copy_1)
    separator = '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    notes = separator + footnote(1, "p0023", text("Xiaokang refers to a ") + comment_on("3", text("goal met in 2020")) +
                                 f'<w:del w:id="7" {STAMP}><w:r><w:delText> long ago</w:delText></w:r></w:del>'
                                 + text(".")) + \
        footnote(2, "p0024", text("Common prosperity") + f'<w:ins w:id="8" {STAMP}><w:r><w:t> for all</w:t></w:r></w:ins>'
                 + text(" means shared benefits."), name="p0024_Copy_1_Copy_1")
    body = paragraph("p0022", text("A moderately prosperous society") +
                     '<w:r><w:footnoteReference w:id="1"/></w:r>' + text(" is built."))
    review = docx(tmp_path, body, {"3": ("2026-03-10T09:00:00Z", "Say which goal.")}, footnotes=notes)
    assert review.warnings == []
    assert review.paragraphs == {"p0022": "A moderately prosperous society is built.",
                                 "p0023": "Xiaokang refers to a goal met in 2020 long ago.",
                                 "p0024": "Common prosperity means shared benefits."}
    found = {(n.kind, n.para, n.quote, n.proposed) for n in review.notes}
    assert found == {("comment", "p0023", "goal met in 2020", None),
                     ("amendment", "p0023", " long ago", ""),
                     ("amendment", "p0024", "prosperity", "prosperity for all")}
