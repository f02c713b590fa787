"""Helpers the test modules share."""
from __future__ import annotations


def run(ws, capsys, *args):
    """Run `nhrap --workspace WS ARGS…`; returns (exit code, captured stdout/stderr)."""
    from pipeline.cli import main
    code = main(["--workspace", str(ws.root), *args])
    return code, capsys.readouterr()
