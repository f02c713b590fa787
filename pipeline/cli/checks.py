"""Examination checks and the term base: `check glossary|style|plan|all`, `glossary validate|export`."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from typing import Optional

from ..errors import UserError
from ..fileio import atomic_write
from ..workspace import open_workspace
from .common import add_json, console, escape, output_file, print_json

JSON_KEYS = ("para", "line", "rule", "concept", "text", "message", "suggestion", "severity", "check", "file")
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
EXPORT_FORMATS = ("tbx", "md", "docx")
EXPORT_ENDINGS = {".tbx": "tbx", ".xml": "tbx", ".md": "md", ".docx": "docx"}  # TBX is XML: .xml is one too


def register(commands) -> None:
    check = commands.add_parser("check", help="examination checks: glossary, style, plan", description=
                                "Check a version, any Markdown file, or the working draft (default) against the "
                                "term base, the style rules and the plan's structure. Exits 1 when there are errors.")
    kinds = check.add_subparsers(dest="check", metavar="CHECK", required=True)
    helps = {"glossary": "terms: deprecated renderings, unexplained Chinese-characteristic terms, two renderings",
             "style": "wordy and vague phrases, undefined abbreviations, repeated words, long sentences",
             "plan": "sections with text (of the version checked), measurable indicators, lead units, deadlines, "
                     "co-operating units (of the current submissions: versions freeze text, not submissions)",
             "all": "every check, with a summary table"}
    for name, text in helps.items():
        p = kinds.add_parser(name, help=text, description=text)
        p.add_argument("target", nargs="?", metavar="VERSION|FILE.md",
                       help="version (3, v3, latest) or a Markdown file; default: the working draft")
        add_json(p)
        p.set_defaults(handler=cmd_check, checks=("glossary", "style", "plan") if name == "all" else (name,))

    glossary = commands.add_parser("glossary", help="validate or export the term base")
    actions = glossary.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("validate", help="check every entry's format and run its hit/miss self-tests")
    add_json(p)
    p.set_defaults(handler=cmd_validate)
    p = actions.add_parser("export", help="write the term base as TBX, or the bilingual table as Markdown or Word")
    p.add_argument("--format", choices=EXPORT_FORMATS, help="default: the output file's ending, else tbx")
    p.add_argument("-o", "--output", type=output_file(*EXPORT_ENDINGS), metavar="FILE",
                   help="output file, ending in its format's .tbx (or .xml), .md or .docx (default: build/glossary.<format>)")
    p.add_argument("--language", choices=("en", "zh"), help="table headings and order (default: plan language)")
    add_json(p)
    p.set_defaults(handler=cmd_export)


def cmd_check(args: argparse.Namespace) -> int:
    from ..checks import has_errors, run, summary
    ws = open_workspace(args.workspace)
    document = ws.load_document(args.target)
    findings = run(ws, document, args.checks)
    counts = summary(findings, args.checks)
    if args.json:
        rows = [finding_row(f) for f in findings]
        print_json({"summary": counts, "findings": rows} if len(args.checks) > 1 else rows)
    else:
        _print_findings(findings, document.path)
        if len(args.checks) > 1:
            _print_summary(counts)
    return 1 if has_errors(findings) else 0


def finding_row(finding) -> dict:
    """A finding as `--json` gives it, keys in reading order."""
    fields = asdict(finding)
    return {key: fields[key] for key in JSON_KEYS}


def _print_findings(findings, path: str) -> None:
    """One line per finding, compiler style: file:line para severity rule: message → suggestion (the
    severity as a word too, so a log or a pipe shows which finding made the exit status 1)."""
    out = console()
    if not findings:
        out.print(f"{path or 'document'}: no findings", markup=False)
        return
    for f in findings:
        where = escape(_shown_path(f.file)) + (f":{f.line}" if f.line else "")
        suggestion = f" [dim]→ {escape(f.suggestion)}[/]" if f.suggestion else ""
        style = SEVERITY_STYLE[f.severity]
        out.print(f"{where} {f.para or '-'} [{style}]{f.severity} {f.rule}[/]: {escape(f.message)}{suggestion}",
                  soft_wrap=True)


def _shown_path(path: str) -> str:
    """A finding's file relative to the current folder, as compilers print it; whole when it is on another
    drive (Windows has no relative path from C: to D:)."""
    if not path:
        return ""
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def _print_summary(counts: dict[str, dict[str, int]]) -> None:
    from rich.table import Table
    table = Table(title="Summary")
    for column in ("check", "errors", "warnings", "info"):
        table.add_column(column, justify="right" if column != "check" else "left")
    for name, row in counts.items():
        table.add_row(name, str(row["error"]), str(row["warning"]), str(row["info"]))
    total = {s: sum(r[s] for r in counts.values()) for s in ("error", "warning", "info")}
    table.add_row("[bold]total[/]", str(total["error"]), str(total["warning"]), str(total["info"]))
    console().print(table)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..checks.glossary import load_glossary, self_test
    ws = open_workspace(args.workspace)
    glossary = load_glossary(ws)
    problems = self_test(glossary)
    concepts = glossary.termbase.concepts
    examples = sum(len(c.examples.get("hit", [])) + len(c.examples.get("miss", [])) for c in concepts)
    if args.json:
        print_json({"entries": len(concepts), "examples": examples,
                    "problems": [{"file": p.file, "line": p.line, "message": p.message} for p in problems]})
    else:
        for problem in problems:  # plain lines: editors and scripts parse file:line
            sys.stderr.write(f"nhrap: {problem}\n")
        if not problems:
            console().print(f"{len(concepts)} entries valid; {examples} self-test examples pass")
    return 2 if problems else 0


def export_format_of(output, asked: Optional[str] = None) -> str:
    """`-o glossary.md` asks for Markdown: a TBX file named .md would puzzle whoever opens it, so a --format
    the file's ending does not say is refused (it would also let `--format md -o drafts/members.yaml` through)."""
    written = EXPORT_ENDINGS.get(output.suffix.lower()) if output else None
    if asked and written and written != asked:
        ending = next(suffix for suffix, name in EXPORT_ENDINGS.items() if name == asked)
        raise UserError(f"--format {asked} writes a {ending} file, not {output.name}: name the file "
                        f"{output.stem}{ending}, or leave --format out")
    return asked or written or "tbx"


def cmd_export(args: argparse.Namespace) -> int:
    from ..readers.termbase import annex_rows, read_termbase
    ws = open_workspace(args.workspace)
    termbase = read_termbase(ws.glossary_dir)
    language = args.language or ws.plan.language
    export_format = export_format_of(args.output, args.format)
    output = ws.check_output(args.output) if args.output else ws.build_dir / f"glossary.{export_format}"
    if export_format == "tbx":
        from ..writers.tbx import write_tbx
        atomic_write(output, write_tbx(termbase, title=ws.plan.title))
    elif export_format == "md":
        from ..writers.glossary_table import glossary_markdown
        atomic_write(output, glossary_markdown(annex_rows(termbase, language), language))
    else:
        from ..writers.docx_plain import plan_style
        from ..writers.glossary_table import glossary_docx
        glossary_docx(annex_rows(termbase, language), output, language, style=plan_style(ws))
    if args.json:
        print_json({"path": str(output), "concepts": len(termbase.concepts)})
    else:
        console().print(f"wrote {output} ({len(termbase.concepts)} concepts)", markup=False)
    return 0

