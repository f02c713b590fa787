"""The `nhrap` command: a thin layer that parses arguments, calls library functions, prints.

Each area of the tool registers its subcommands from its own module here.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import Iterator, Optional, Sequence

from ..errors import Notice, UserError
from ..fileio import refuse_control
from ..gcpause import exit_without_collection

# Modules under pipeline/cli/ that add subcommands, in the order --help lists them.
AREAS = ("spine", "word", "comments", "checks")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nhrap",
        description="Draft, version, consult on and render a National Human Rights Action Plan.",
    )
    _add_workspace_option(parser, default=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for area in AREAS:
        importlib.import_module(f"{__name__}.{area}").register(commands)
    for command in _subcommands(parser):
        # `nhrap status -w DIR` as well as `nhrap -w DIR status`; absent there, the top-level value stands
        _add_workspace_option(command, default=argparse.SUPPRESS)
    return parser


def _add_workspace_option(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--workspace", "-w", type=Path, default=default, metavar="DIR",
                        help="plan workspace (default: the current directory)")


def _subcommands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every parser below `parser`, at any depth (`comments harvest` is two levels down)."""
    found = []
    for action in parser._actions:  # argparse offers no public way to walk its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases map to the same parser
                found += [sub, *_subcommands(sub)]
    return found


def _check_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse a control character in any argument (a --body, a --note, a file name), naming the option:
    text given on the command line reaches comments, versions and the terminal as typed."""
    names = {}
    for command in [parser, *_subcommands(parser)]:
        for action in command._actions:
            names.setdefault(action.dest, max(action.option_strings, key=len, default=action.metavar or action.dest.upper()))
    for dest, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, (str, Path)):
                refuse_control(str(item), line=0, place=f"in {names.get(dest, dest)}")


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, as Ctrl-C raises KeyboardInterrupt: every cleanup on
    the way out runs (LibreOffice killed, temporary folders removed), where the default would end nhrap
    on the spot and leave them behind."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _stop(signum: int, frame) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def _stopped_like_ctrl_c() -> Iterator[None]:
    """SIGTERM and SIGHUP handled as Stopped while a command runs; the handlers before are put back after."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    before = {number: signal.signal(number, _stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        _check_arguments(parser, args)
        with warnings.catch_warnings(), _stopped_like_ctrl_c():  # catch_warnings restores showwarning afterwards
            warnings.simplefilter("always", Notice)
            warnings.showwarning = _show_notice(warnings.showwarning)
            return int(args.handler(args) or 0)
    except UserError as err:
        sys.stderr.write(f"nhrap: {err}\n")
        return 2
    except OSError as err:  # a file missing, unreadable or unwritable: the user can fix that too
        where = f"{err.filename}: " if err.filename else ""
        sys.stderr.write(f"nhrap: {where}{err.strerror or err}\n")
        return 2
    except KeyboardInterrupt as err:
        return 128 + getattr(err, "signum", signal.SIGINT)  # the status a shell gives a command ended by the signal


def _show_notice(show_other):
    """warnings.showwarning printing a `Notice` as nhrap prints its errors, any other warning as Python does."""
    def show(message, category, filename, lineno, file=None, line=None):
        if isinstance(message, Notice):
            sys.stderr.write(f"nhrap: {message}\n")
        else:
            show_other(message, category, filename, lineno, file, line)
    return show


def run() -> None:
    """The console script: `main`, then exit without the interpreter's last garbage collection."""
    status = main()
    exit_without_collection()
    sys.exit(status)
