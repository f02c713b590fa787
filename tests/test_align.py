"""Paragraph ids survive edits, moves, splits and merges; deleted ids are never reused."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.align import align
from pipeline.readers.markdown import read_markdown
from pipeline.versions import assign_ids

A = "The state shall expand employment for college graduates through targeted subsidies and training programmes in every province."
B = "Occupational health examinations shall reach ninety per cent of workers exposed to dust, noise and chemical hazards."
C = "Courts at all levels shall publish judgments online within thirty days, except where the law requires confidentiality."
D = "Legal aid centres shall be established in every county so that persons with financial difficulties receive counsel free of charge."
E = "The minimum wage shall be reviewed every two years in consultation with trade unions and employers' organisations."


def blocks(*paragraphs: str):
    return read_markdown("\n\n".join(paragraphs)).blocks


def ids_after(old_texts, new_texts):
    old = blocks(*old_texts)
    assign_ids(None, old)
    from pipeline.model import Version, Document
    parent = Version(number=1, parent=None, date="", stage="", note="", sha256="", next_id=len(old) + 1,
                     document=Document(old))
    new = blocks(*new_texts)
    changes, next_id = assign_ids(parent, new)
    return [b.id for b in new], changes, next_id


def test_unchanged_paragraphs_keep_ids():
    ids, changes, _ = ids_after([A, B, C], [A, B, C])
    assert ids == ["p0001", "p0002", "p0003"]
    assert not (changes.edited or changes.added or changes.deleted or changes.moved)


def test_edited_paragraph_keeps_id():
    edited = B.replace("ninety", "ninety-five").replace("dust, noise", "dust, radiation, noise")
    ids, changes, _ = ids_after([A, B, C], [A, edited, C])
    assert ids == ["p0001", "p0002", "p0003"]
    assert changes.edited == ["p0002"]


def test_moved_paragraph_keeps_id_and_is_reported_moved():
    ids, changes, _ = ids_after([A, B, C, D], [B, C, A, D])
    assert ids == ["p0002", "p0003", "p0001", "p0004"]
    assert changes.moved == ["p0001"]


def test_moved_and_edited_paragraph_keeps_id():
    ids, changes, _ = ids_after([A, B, C, D], [B, C, D, A.replace("every province", "all provinces")])
    assert ids[-1] == "p0001"
    assert "p0001" in changes.moved and "p0001" in changes.edited


def test_new_paragraph_gets_fresh_id_and_deleted_id_is_never_reused():
    ids, changes, next_id = ids_after([A, B, C], [A, C, E])
    assert ids == ["p0001", "p0003", "p0004"]
    assert changes.deleted == ["p0002"] and changes.added == ["p0004"]
    assert next_id == 5


def test_split_keeps_id_on_larger_part():
    long = A + " " + D
    ids, changes, _ = ids_after([long, B], [A, D, B])
    larger = 1 if len(D) > len(A) else 0
    assert ids[larger] == "p0001"
    assert changes.split == {ids[1 - larger]: "p0001"}


def test_merge_keeps_id_of_larger_source():
    ids, changes, _ = ids_after([A, D, B], [A + " " + D, B])
    larger = "p0002" if len(D) > len(A) else "p0001"
    smaller = "p0001" if larger == "p0002" else "p0002"
    assert ids == [larger, "p0003"]
    assert changes.merged == {smaller: larger}


def test_lookalike_insert_does_not_steal_the_id_of_the_original():
    copy = B.replace("ninety", "eighty")
    edited = B.replace("workers", "employees")
    ids, changes, _ = ids_after([A, B, C, D], [A, edited, C, D, copy])
    assert ids[1] == "p0002" and ids[4] == "p0005"


def test_heading_with_same_anchor_keeps_id_when_retitled():
    old = read_markdown("# Right to work {#esc-work}\n\n" + A).blocks
    new = read_markdown("# Right to work and employment {#esc-work}\n\n" + A).blocks
    alignment = align(old, new)
    assert alignment.old_of == [0, 1]


def test_chinese_paragraph_edit_keeps_id():
    old_zh = "推进精准扶贫，确保农村贫困人口全部脱贫，贫困县全部摘帽，解决区域性整体贫困问题。"
    new_zh = "推进精准扶贫，巩固拓展脱贫攻坚成果，确保农村贫困人口全部脱贫，解决区域性整体贫困问题。"
    other = "完善法律援助制度，扩大法律援助覆盖面，使经济困难的公民获得必要的法律服务。"
    ids, changes, _ = ids_after([old_zh, other], [new_zh, other])
    assert ids == ["p0001", "p0002"] and changes.edited == ["p0001"]


PREFIX = "(3) **Protecting religious sites.** "
S1 = "Local governments will maintain registered religious sites and support the lawful activities of religious groups."
S2 = "The coverage of fire-safety inspections at religious sites will reach 90 per cent by 2029."
S3 = "Complaints concerning religious sites will be handled within 25 working days."
S3_NEW = "Provincial authorities shall train site managers in building safety through pilot programmes in selected regions."


def test_renumbered_paragraph_keeps_its_id_against_a_copy_that_took_its_number():
    """A copy of (4) is inserted above it and takes the number 4; the original, renumbered (5), keeps the id."""
    original = f"(4) **Protecting religious sites.** {S1} {S2} {S3}"
    copy = f"(4) **Protecting religious sites.** {S1.replace('maintain', 'inspect')} {S2} {S3}"
    ids, changes, _ = ids_after([A, original, C], [A, copy, original.replace("(4)", "(5)"), C])
    assert ids == ["p0001", "p0004", "p0002", "p0003"]
    assert changes.edited == ["p0002"] and changes.added == ["p0004"]


def test_copy_of_a_neighbour_does_not_take_a_revised_twins_id():
    """Two near-identical paragraphs; the second is revised and a copy of the first is written beside the
    first: the copy is new, the revised second keeps its id."""
    first = f"{S1} {S2} {S3}"
    second = f"{S1.replace('maintain', 'protect')} {S2} {S3}"
    copy_of_first = f"{S1} {S2.replace('reach', 'exceed')} {S3}"
    revised_second = f"{S1.replace('maintain', 'protect')} {S2.replace('2029', '2028')} {S3.replace('25', '20')}"
    ids, _changes, _ = ids_after([A, first, second, C], [A, first, copy_of_first, revised_second, C])
    assert ids == ["p0001", "p0002", "p0005", "p0003", "p0004"]


def test_paragraph_with_one_sentence_rewritten_keeps_its_id():
    """Word overlap falls below the usual bar, but the other sentences are still there word for word."""
    old = f"{PREFIX}{S1} {S3}"
    new = f"{PREFIX}{S1} {S3_NEW}"
    ids, changes, _ = ids_after([A, old, C], [A, new, C])
    assert ids == ["p0001", "p0002", "p0003"] and changes.edited == ["p0002"]


def test_numbered_paragraph_keeps_its_id_when_its_title_stays_and_half_its_text_is_rewritten():
    """Word overlap and whole runs both fall short, but the bold title of the numbered paragraph is the same."""
    old = f"(5) **Protecting religious sites.** {S1} {S3}"
    new = f"(5) **Protecting religious sites.** {S1.replace('maintain', 'restore').replace('support', 'respect')} {S3_NEW}"
    ids, changes, _ = ids_after([A, old, C], [A, new, C])
    assert ids == ["p0001", "p0002", "p0003"] and changes.edited == ["p0002"]


CASES = sorted((Path(__file__).parent / "data" / "align").glob("*.json"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_contest_between_lookalikes_goes_to_the_revised_paragraph(case):
    """Windows of generated revisions (tests/data/align/*.json, each saying what happened) where pairing by
    word overlap alone hands the id to a lookalike: one that reads better as a copy of its neighbour, a
    part split off or a paragraph merged away, one that shares words but not whole sentences, or one that
    would have to have moved as well."""
    data = json.loads(case.read_text(encoding="utf-8"))
    assert align(blocks(*data["old"]), blocks(*data["new"])).old_of == data["keeps"], data["what"]


def test_drafter_pins_the_id_the_text_cannot_tell():
    twin_a = "(3) **Protecting workers.** Labour inspection shall cover every enterprise with more than fifty staff."
    twin_b = "(4) **Protecting workers.** Labour inspection shall cover every enterprise with more than twenty staff."
    revised = "(3) **Protecting workers.** Labour inspection shall cover every enterprise with more than thirty staff."
    ids, changes, _ = ids_after([A, twin_a, twin_b, C], [A, revised, C])
    assert ids[1] == "p0002"  # the text is as close to either: the aligner keeps the first
    ids, changes, _ = ids_after([A, twin_a, twin_b, C], [A, revised + " {#p0003}", C])
    assert ids == ["p0001", "p0003", "p0004"] and changes.deleted == ["p0002"] and changes.edited == ["p0003"]


def test_pin_is_stripped_from_text_and_source():
    [block] = blocks(f"- {A} {{#p0007}}")
    assert block.pin == "p0007" and block.source == f"- {A}" and block.text == A


@pytest.mark.parametrize("pinned, message", [
    ([f"{A} {{#p0009}}", B], "p0009 is not a paragraph of v1"),
    ([f"{A} {{#p0002}}", f"{B} {{#p0002}}"], "{#p0002} is also written at line 1"),
])
def test_pin_must_name_one_paragraph_of_the_latest_version(pinned, message):
    from pipeline.errors import UserError
    with pytest.raises(UserError, match=message.replace("{", r"\{").replace("}", r"\}")):
        ids_after([A, B], pinned)
