"""What every command shares: --json output, the rich console, progress bars."""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON for scripts")


def output_file(*suffixes: str):
    """An argparse type for a file the command writes: its folder must exist (a typo in the path should
    not create folders elsewhere) and its name must end in one of `suffixes` (a .docx named .pdf helps
    nobody)."""
    def check(value: str) -> Path:
        path = Path(value)
        if suffixes and path.suffix.lower() not in suffixes:
            raise argparse.ArgumentTypeError(f"{value}: the file name must end in {' or '.join(suffixes)}")
        if not path.parent.is_dir():
            raise argparse.ArgumentTypeError(f"{value}: the folder {path.parent} does not exist")
        return path
    return check


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def escape(text: str) -> str:
    """Plan text for rich, which reads "[to be confirmed]" as a style tag and drops it."""
    from rich.markup import escape as escape_markup
    return escape_markup(text)


def counted(items, plural: str) -> str:
    """'1 goal', '3 goals', '1 reply': `items` is a collection or a number, `plural` the word the data uses as its key.
    A plural without an 's' to drop ('people') stays as it is rather than losing its last letter."""
    count = items if isinstance(items, int) else len(items)
    if count != 1 or not plural.endswith("s"):
        return f"{count} {plural}"
    return f"{count} {plural[:-3] + 'y' if plural.endswith('ies') else plural[:-1]}"


def console():
    from rich.console import Console
    return Console(highlight=False)


def error_console():
    from rich.console import Console
    return Console(stderr=True, highlight=False, soft_wrap=True)  # messages are not re-wrapped at 80 columns


@contextmanager
def progress(description: str, total: int, enabled: bool = True) -> Iterator[Any]:
    """A rich progress bar on stderr; `advance()` on the yielded object moves it.

    Silent when stderr is not a terminal or output is JSON, so scripts and
    tests see clean output.
    """
    if not enabled or not sys.stderr.isatty():
        yield _NoProgress()
        return
    from rich.progress import Progress
    with Progress(transient=True, console=error_console()) as bar:
        task = bar.add_task(description, total=total)
        yield _Advance(bar, task)


class _NoProgress:
    def advance(self, steps: int = 1) -> None:
        pass


class _Advance:
    def __init__(self, bar: Any, task: Any):
        self.bar, self.task = bar, task

    def advance(self, steps: int = 1) -> None:
        self.bar.advance(self.task, steps)
