"""Helpers the test modules share."""
from __future__ import annotations


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
