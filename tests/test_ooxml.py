"""The raw WordprocessingML helpers: schema order, fields, tracked changes, footnotes, numbering."""
import pytest
from lxml import etree

from pipeline.writers import ooxml
from pipeline.writers.ooxml import el, qn


def names(element):
    return [etree.QName(child).localname for child in element]


def test_set_child_keeps_schema_order_and_replaces_duplicates():
    ppr = el("w:pPr")
    for tag in ("w:jc", "w:pStyle", "w:spacing", "w:numPr", "w:rPr", "w:keepNext"):
        ooxml.set_child(ppr, el(tag))
    ooxml.set_child(ppr, el("w:jc", {"val": "center"}))
    assert names(ppr) == ["pStyle", "keepNext", "numPr", "spacing", "jc", "rPr"]
    assert ppr.find(qn("w:jc")).get(qn("w:val")) == "center"


def test_sect_pr_order_for_line_numbers_grid_and_footers():
    sect = el("w:sectPr", None, el("w:pgSz"), el("w:pgMar"), el("w:cols"))
    ooxml.doc_grid(sect, "lines", 579)
    ooxml.line_numbering(sect)
    ooxml.page_numbering(sect, 1)
    ooxml.header_footer_reference(sect, "footer", "even", "rId9")
    ooxml.header_footer_reference(sect, "footer", "default", "rId8")
    assert names(sect) == ["footerReference", "footerReference", "pgSz", "pgMar", "lnNumType", "pgNumType",
                           "cols", "docGrid"]


def test_field_has_begin_instruction_separate_result_end():
    runs = ooxml.field("PAGE", "7")
    kinds = [r.find(qn("w:fldChar")).get(qn("w:fldCharType")) if r.find(qn("w:fldChar")) is not None else
             ("instr" if r.find(qn("w:instrText")) is not None else "text") for r in runs]
    assert kinds == ["begin", "instr", "separate", "text", "end"]
    assert runs[1].find(qn("w:instrText")).text.strip() == "PAGE"
    assert ooxml.paragraph_text(ooxml.paragraph(runs=runs)) == "7"


def test_tracked_deletion_turns_text_into_deltext():
    wrapper = ooxml.tracked("del", 5, "Reviewer", "2026-03-02T00:00:00Z", [ooxml.run("gone ")])
    assert wrapper.tag == qn("w:del") and wrapper.get(qn("w:author")) == "Reviewer"
    assert wrapper.find(f".//{qn('w:delText')}").text == "gone "
    assert wrapper.find(f".//{qn('w:t')}") is None


def test_track_content_wraps_runs_and_paragraph_mark():
    p = ooxml.paragraph("BodyText", [ooxml.run("a"), ooxml.run("b")])
    ids = ooxml.Ids()
    ooxml.track_paragraph_mark(p, "ins", ids.next(), "x", "2026-01-01T00:00:00Z")
    ooxml.track_content(p, "ins", ids, "x", "2026-01-01T00:00:00Z")
    assert names(p) == ["pPr", "ins"]
    assert names(p.find(qn("w:pPr"))) == ["pStyle", "rPr"]
    assert p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:ins')}") is not None


def test_footnotes_part_has_separators_first():
    root = ooxml.footnotes_root([(1, [ooxml.paragraph("FootnoteText", [ooxml.run("note")])])])
    ids = [n.get(qn("w:id")) for n in root]
    assert ids == ["-1", "0", "1"]


def test_numbering_keeps_abstract_definitions_before_instances():
    root = el("w:numbering")
    ooxml.add_numbering(root, ooxml.abstract_num(0, [{"fmt": "decimal"}]))
    ooxml.add_numbering(root, ooxml.num(1, 0))
    ooxml.add_numbering(root, ooxml.abstract_num(1, [{"fmt": "chineseCounting", "text": "%1、"}]))
    ooxml.add_numbering(root, ooxml.num(2, 1, restart_level=0, start=3))
    assert names(root) == ["abstractNum", "abstractNum", "num", "num"]
    assert root[3].find(f".//{qn('w:startOverride')}").get(qn("w:val")) == "3"


def _commented(p) -> str:
    """The text between a paragraph's comment range marks."""
    inside, text = False, ""
    for node in p:
        inside = inside or node.tag == qn("w:commentRangeStart")
        if node.tag == qn("w:commentRangeEnd"):
            return text
        text += "".join(t.text or "" for t in node.iter(qn("w:t"))) if inside else ""
    return text


@pytest.mark.parametrize("runs, quote", [
    (["Services will be improved gradually, as resources allow."], "gradually"),
    (["Services will be ", "improved gradually", ", as resources allow."], "be improved gradually,"),
    (["逐步", "提高服务水平。"], "逐步提高"),
    (["text"], "text"),
])
def test_a_comment_spans_the_words_it_is_about(runs, quote):
    p = ooxml.paragraph("BodyText", [ooxml.run(text, ooxml.run_properties(bold=k == 1)) for k, text in enumerate(runs)])
    ooxml.anchor_comment(p, 4, quote)
    assert _commented(p) == quote
    assert "".join(t.text for t in p.iter(qn("w:t"))) == "".join(runs)  # nothing lost or doubled by the cuts
    reference = p.find(qn("w:commentRangeEnd")).getnext()
    assert reference.find(qn("w:commentReference")) is not None


def test_a_comment_on_words_not_found_spans_the_paragraph():
    p = ooxml.paragraph("BodyText", [ooxml.run("text")])
    ooxml.anchor_comment(p, 4, "elsewhere")
    assert names(p) == ["pPr", "commentRangeStart", "r", "commentRangeEnd", "r"]


def test_comment_spans_the_paragraph():
    p = ooxml.paragraph("BodyText", [ooxml.run("text")])
    ooxml.anchor_comment(p, 4)
    assert names(p) == ["pPr", "commentRangeStart", "r", "commentRangeEnd", "r"]
    node = ooxml.comment(4, "nhrap check", "2026-01-01T00:00:00Z", "first\nsecond")
    assert node.get(qn("w:initials")) == "nc" or node.get(qn("w:initials"))
    assert len(node.findall(qn("w:p"))) == 2
