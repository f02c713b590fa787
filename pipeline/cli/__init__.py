"""The `nhrap` command: a thin layer that parses arguments, calls library functions, prints.

Each area of the tool registers its subcommands from its own module here.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Optional, Sequence

from ..errors import UserError
from ..gcpause import exit_without_collection

# Modules under pipeline/cli/ that add subcommands, in the order --help lists them.
AREAS = ("spine", "word", "comments", "checks")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nhrap",
        description="Draft, version, consult on and render a National Human Rights Action Plan.",
    )
    parser.add_argument("--workspace", "-w", type=Path, default=None, metavar="DIR",
                        help="plan workspace (default: the current directory)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for area in AREAS:
        importlib.import_module(f"{__name__}.{area}").register(commands)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except UserError as err:
        sys.stderr.write(f"nhrap: {err}\n")
        return 2
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The console script: `main`, then exit without the interpreter's last garbage collection."""
    status = main()
    exit_without_collection()
    sys.exit(status)
