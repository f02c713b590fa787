"""The benchmark generator and edit simulator: valid workspaces, reproducible, truthful revisions."""
from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ is not an installed package
from bench.edits import revise
from bench.generate import generate_workspace
from pipeline.compose import compose_draft
from pipeline.readers.markdown import parse_blocks
from pipeline.workspace import open_workspace

SMALL = dict(members=20, paragraphs=200, words=6000, goals=40, indicators=40)


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module", params=["en", "zh"])
def small(request, tmp_path_factory):
    root = generate_workspace(tmp_path_factory.mktemp(request.param), seed=3, language=request.param, **SMALL)
    text, report = compose_draft(open_workspace(root))
    return root, text, report


def test_small_workspace_composes_with_everything_used(small):
    root, text, report = small
    ws = open_workspace(root)
    submissions = ws.submissions()
    assert sum(len(s.goals) for s in submissions) == SMALL["goals"]
    assert sum(len(s.indicators) for s in submissions) == SMALL["indicators"]
    assert len(ws.plan.chapters) == 7 and len(ws.plan.sections) == 38
    assert not (report.unused_goals or report.unused_indicators or report.omitted_sections)
    kinds = Counter(b.kind for b in parse_blocks(text).blocks)
    assert kinds["heading"] and kinds["paragraph"] and kinds["list_item"] and kinds["table"]


def test_same_seed_same_bytes_other_seed_other_text(tmp_path):
    first = _files(generate_workspace(tmp_path / "a", seed=1, **SMALL))
    assert first == _files(generate_workspace(tmp_path / "b", seed=1, **SMALL))
    assert first != _files(generate_workspace(tmp_path / "c", seed=2, **SMALL))


@pytest.mark.parametrize("intensity", ["light", "medium", "heavy"])
def test_revision_truth_is_consistent(small, intensity):
    _root, text, _report = small
    old = [b.source for b in parse_blocks(text).blocks]
    revision = revise(old, intensity, random.Random(7))
    # the Markdown parses back into exactly the revised blocks
    assert [b.source for b in parse_blocks(revision.markdown()).blocks] == revision.blocks
    carried = [o.source for o in revision.origin if o.source is not None]
    absorbed = revision.absorbed()
    assert len(carried) == len(set(carried))  # no id carried twice
    # every old block is carried, absorbed or deleted, exactly once
    assert sorted(carried + absorbed + revision.deleted) == list(range(len(old)))
    for j, origin in enumerate(revision.origin):
        for i, start, end, new_start in origin.pieces:
            assert old[i][start:end] == revision.blocks[j][new_start:new_start + end - start]
        if origin.kind == "kept":
            assert revision.blocks[j] == old[origin.source]
        if origin.kind == "edited":
            assert origin.spans and revision.blocks[j] != old[origin.source]
        if origin.kind == "new":
            assert origin.source is None and not origin.pieces
    kinds = Counter(o.kind for o in revision.origin)
    assert kinds["new"] and kinds["edited"] and (kinds["split"] or kinds["merged"])


def test_locate_finds_untouched_quotes_only(small):
    _root, text, _report = small
    old = [b.source for b in parse_blocks(text).blocks]
    revision = revise(old, "heavy", random.Random(11))
    j, origin = next((j, o) for j, o in enumerate(revision.origin) if o.kind == "edited" and o.spans[0][0] > 10)
    start, end = origin.spans[0]
    assert revision.locate(origin.source, 0, 5) == (j, 0)  # before the first edit: same place
    assert revision.locate(origin.source, max(start - 2, 0), end + 1) is None  # across the edit: gone
    gone = revision.deleted[0]
    assert revision.locate(gone, 0, 5) is None
