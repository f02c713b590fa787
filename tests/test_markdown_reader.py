"""Markdown → blocks: every block a reviewer can cite, and no text ever dropped."""
from __future__ import annotations

from pipeline.readers.markdown import read_markdown
from pipeline.writers.markdown import blocks_to_markdown

SOURCE = """\
# Economic rights {#esc}

Employment comes first[^1] and <b>raw html</b> stays text.

- Training for rural migrant workers
  - at least 10 million a year
- Wage arrears cleared

| Indicator | Target |
|---|---|
| Unemployment | at most 5.5% |

> A quoted principle.

[^1]: The employment-first strategy.

[^2]: A note whose reference was deleted.

[report]: https://example.org/report
"""


def test_each_citable_unit_is_one_block_with_plain_text_and_section():
    blocks = read_markdown(SOURCE, {"esc"}).blocks
    assert [b.kind for b in blocks] == ["heading", "paragraph", "list_item", "list_item", "list_item", "table",
                                        "quote", "footnote", "footnote", "paragraph"]
    heading, paragraph, item, nested = blocks[:4]
    assert (heading.text, heading.anchor, heading.level) == ("Economic rights", "esc", 1)
    assert paragraph.text == "Employment comes first and <b>raw html</b> stays text."
    assert (item.level, nested.level, nested.text) == (1, 2, "at least 10 million a year")
    assert blocks[5].text == "Indicator | Target\nUnemployment | at most 5.5%"
    assert all(b.section == "esc" for b in blocks)


def test_unreferenced_footnote_and_link_definition_are_kept():
    blocks = read_markdown(SOURCE).blocks
    assert blocks[8].source == "[^2]: A note whose reference was deleted." and blocks[8].text.startswith("A note")
    assert blocks[9].source == "[report]: https://example.org/report"


def test_blocks_written_back_read_the_same():
    blocks = read_markdown(SOURCE, {"esc"}).blocks
    again = read_markdown(blocks_to_markdown(blocks), {"esc"}).blocks
    assert [(b.kind, b.source) for b in again] == [(b.kind, b.source) for b in blocks]


def test_a_heading_id_typed_with_full_width_braces_is_named():
    import pytest

    from pipeline.errors import UserError
    from pipeline.readers.markdown import parse_blocks
    source = "# 权利 {#esc}\n\n## 健康权利 ｛#esc-health｝\n\ntext\n"
    with pytest.raises(UserError) as info:
        parse_blocks(source, path="01-esc.md")
    assert info.value.line == 3 and info.value.file == "01-esc.md"
    assert "full-width signs in '｛#esc-health｝' — write the id as '{#esc-health}'" in info.value.message
    # a frozen version is read as it stands: the heading keeps its text
    blocks = read_markdown(source, {"esc", "esc-health"}).blocks
    assert (blocks[1].text, blocks[1].anchor) == ("健康权利 ｛#esc-health｝", "")
