"""Helpers the test modules share."""
from __future__ import annotations

import copy


def run(ws, capsys, *args):
    """Run `nhrap --workspace WS ARGS…`; returns (exit code, captured stdout/stderr)."""
    from pipeline.cli import main
    code = main(["--workspace", str(ws.root), *args])
    return code, capsys.readouterr()


def freeze_text(ws, capsys, tmp_path, text: str, name: str) -> None:
    """Freeze Markdown `text` as the next version (stage consultation, note `name`)."""
    source = tmp_path / f"{name}.md"
    source.write_text(text)
    code, out = run(ws, capsys, "freeze", "--stage", "consultation", "--note", name, "--date", "2026-04-01",
                    "--from", str(source))
    assert code == 0, out.err


# -- editing a Word document as a reviewer does (python-docx) --------------------------------------------
def paragraph_with(document, needle):
    return next(p for p in document.paragraphs if needle in p.text)


def split_run(paragraph, needle):
    """Split the run of a python-docx paragraph holding `needle` so that the needle is a run of its own;
    return that run."""
    from docx.oxml.ns import qn
    for run_ in paragraph.runs:
        text = run_.text
        if needle in text:
            before, after = text.split(needle, 1)
            run_.text = needle
            for piece, place in ((before, run_._r.addprevious), (after, run_._r.addnext)):
                if piece:
                    twin = copy.deepcopy(run_._r)
                    twin.find(qn("w:t")).text = piece
                    twin.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                    place(twin)
            return run_
    raise AssertionError(f"{needle!r} not found in one run")
