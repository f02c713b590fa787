"""Word output: render (consultation draft, final document), redline, styles."""
from __future__ import annotations

import argparse
import contextlib
from pathlib import Path
from typing import Optional

from ..errors import UserError
from ..readers.config import LANGUAGES
from .common import add_json, counted, error_console, escape, output_file, print_json

MODES = ("consultation", "final")


def register(commands) -> None:
    p = commands.add_parser("render", help="render a version, the working draft or a Markdown file to Word",
                            description="Render VERSION (3, v3, latest), FILE.md, or (no argument) the working "
                                        "draft to .docx: a consultation draft with numbered, bookmarked paragraphs "
                                        "and line numbers, or the clean final document with contents and annexes.")
    p.add_argument("source", nargs="?", metavar="VERSION|FILE.md", help="default: the working draft")
    p.add_argument("--mode", choices=MODES, default="consultation", help="document kind (default: consultation)")
    p.add_argument("-o", "--output", type=output_file(".docx"), metavar="FILE.docx", help="default: build/<name>-<mode>.docx")
    p.add_argument("--profile", choices=LANGUAGES, help="Word profile (default: `profile` in plan.yaml)")
    p.add_argument("--with-findings", action="store_true",
                   help="run the examination checks and attach each finding as a Word comment on its paragraph")
    p.add_argument("--toc-pages", choices=("libreoffice", "estimate", "none"),
                   help="final mode: how TOC page numbers are found (LibreOffice layout, the default; character-count "
                        "estimate; or left out)")
    add_json(p)
    p.set_defaults(handler=cmd_render)

    p = commands.add_parser("redline", help="version A → B as Word tracked changes",
                            description="Write a .docx of version B in which every difference from version A is a "
                                        "tracked change (insertions and deletions, word by word) with author and date.")
    p.add_argument("a", help="older version (1, v1)")
    p.add_argument("b", nargs="?", default="latest", help="newer version (default: latest)")
    p.add_argument("-o", "--output", type=output_file(".docx"), metavar="FILE.docx", help="default: build/redline-vA-vB.docx")
    p.add_argument("--author", default="nhrap", help="author of the tracked changes (default: nhrap)")
    p.add_argument("--profile", choices=LANGUAGES, help="Word profile (default: `profile` in plan.yaml)")
    add_json(p)
    p.set_defaults(handler=cmd_redline)

    p = commands.add_parser("styles", help="write the reference .docx files that define the look of Word output",
                            description="Write reference-<profile>.docx for each profile into DIR (usually styles/). "
                                        "Restyle them in Word; render uses the workspace's copy when present.")
    p.add_argument("--write", type=Path, metavar="DIR", required=True, help="folder to write into")
    p.add_argument("--profile", action="append", choices=LANGUAGES, help="only this profile (repeatable)")
    p.add_argument("--force", action="store_true", help="replace reference files already there (a restyled one is lost)")
    add_json(p)
    p.set_defaults(handler=cmd_styles)


def cmd_render(args: argparse.Namespace) -> int:
    from ..writers import docx_consultation, docx_final, page_numbers
    _refuse_options_of_the_other_mode(args)
    ws, inp = _render_input(args)
    if ws is not None and args.output:  # before the work, which may take LibreOffice a while
        ws.check_output(args.output)
    if args.with_findings:
        inp.findings = _findings(ws, inp.document)
    if args.mode == "final":
        inp.glossary = _glossary(ws, inp.document)
        toc_pages = args.toc_pages or "libreoffice"
        finder = {"libreoffice": page_numbers.find_pages, "estimate": _estimate_only, "none": None}[toc_pages]
        waiting = (error_console().status("Laying out pages for the table of contents (LibreOffice)…")
                   if toc_pages == "libreoffice" else contextlib.nullcontext())
        with waiting:
            result = docx_final.render_final(inp, finder)
    else:
        result = docx_consultation.render_consultation(inp)
    output = args.output or _build_dir(ws, inp) / f"{_stem(inp)}-{args.mode}.docx"
    return _write(args, output, result, mode=args.mode)


def _refuse_options_of_the_other_mode(args: argparse.Namespace) -> None:
    """An option the chosen mode does not use would be dropped unseen: the reader of a final document
    asked for with findings would get a clean one, or the other way round."""
    if args.mode == "final" and args.with_findings:
        raise UserError("--with-findings is for a consultation draft (each finding a Word comment); the final "
                        "document is clean: leave it out, or render --mode consultation")
    if args.mode != "final" and args.toc_pages:
        raise UserError("--toc-pages is for --mode final (a consultation draft has no table of contents)")


def cmd_redline(args: argparse.Namespace) -> int:
    from ..workspace import open_workspace
    from ..writers import docx_redline
    ws = open_workspace(args.workspace)
    old, new = ws.load_version(args.a), ws.load_version(args.b)
    inp = _input_for(ws, new.document, _info(new.name, new.date, new.stage, new.number), args.profile, new.path)
    inp.version.name = f"{old.name} → {new.name}"
    result = docx_redline.render_redline(inp, old.document, args.author)
    output = ws.check_output(args.output or ws.build_dir / f"redline-{old.name}-{new.name}.docx")
    return _write(args, output, result, mode="redline")


def cmd_styles(args: argparse.Namespace) -> int:
    from ..writers import profiles, reference_doc
    names = args.profile or profiles.available()
    if not args.write.is_dir():  # as every -o: a mistyped folder is not made
        raise UserError("not a folder" if args.write.exists() else "no such folder", args.write)
    there = [name for name in names if profiles.reference_file(args.write, name).exists()]
    if there and not args.force:
        raise UserError(f"{', '.join(profiles.reference_file(args.write, n).name for n in there)} already "
                        "there, perhaps restyled by the panel; --force replaces them", args.write)
    written = reference_doc.write_references(args.write, [profiles.load_profile(n) for n in names])
    if args.json:
        print_json({"written": [str(p) for p in written]})
    else:
        for path in written:
            print(f"wrote {path}")
    return 0


# -- helpers -----------------------------------------------------------------
def _render_input(args):
    """The workspace (or None for a Markdown file outside any workspace) and the RenderInput."""
    from ..workspace import open_workspace
    source = args.source
    is_file = bool(source) and (source.endswith(".md") or Path(source).is_file())
    try:
        ws = open_workspace(args.workspace)
    except UserError:
        if not is_file:
            raise
        return None, _standalone_input(Path(source), args.profile)
    if is_file:
        path = Path(source)
        if path.resolve().is_relative_to(ws.chapters_dir.resolve()):
            raise UserError("an expert chapter is a template that `nhrap draft` fills with the submissions "
                            "(rendered alone, its {{ … }} would print as written): render the working draft "
                            "(no argument) or a version", path)
        document = ws.load_document(str(path))
        info = _info(path.stem, _default_date(ws))
        return ws, _input_for(ws, document, info, args.profile, str(path), image_dir=path.resolve().parent)
    if source:
        version = ws.load_version(source)
        info = _info(version.name, version.date, version.stage, version.number)
        return ws, _input_for(ws, version.document, info, args.profile, version.path)
    document = ws.load_document(None)
    inp = _input_for(ws, document, _info("", _default_date(ws), "drafting"), args.profile, document.path)
    inp.version.name = inp.profile.label("working_draft")  # where a version's name stands
    return ws, inp


def _input_for(ws, document, info, profile_name: Optional[str], source_file: str, image_dir: Optional[Path] = None):
    from ..writers.docx_document import RenderInput
    from ..writers.profiles import load_profile, reference_path
    profile = load_profile(profile_name or ws.plan.profile)
    return RenderInput(document=document, plan=ws.plan, profile=profile,
                       reference=reference_path(profile, ws.styles_dir), version=info, source_file=str(source_file),
                       image_dir=image_dir or ws.root, image_root=ws.root)


def _standalone_input(path: Path, profile_name: Optional[str]):
    """A Markdown file outside any workspace renders as with pandoc: title from its first heading."""
    from ..fileio import read_text
    from ..model import Plan
    from ..readers.markdown import read_markdown
    from ..writers.docx_document import RenderInput
    from ..writers.profiles import load_profile, reference_path
    if not path.is_file():
        raise UserError("no such Markdown file", path)
    document = read_markdown(read_text(path), path=str(path))
    profile = load_profile(profile_name or "en")
    title = next((b.text for b in document.blocks if b.kind == "heading"), path.stem)
    plan = Plan(title=title, title_zh=title, period_start=0, period_end=0, language=profile.language, profile=profile.name)
    return RenderInput(document=document, plan=plan, profile=profile, reference=reference_path(profile, None),
                       version=_info(path.stem, _default_date(None)), source_file=str(path),
                       image_dir=path.resolve().parent, image_root=path.resolve().parent)


def _info(name: str, date: str, stage: str = "", number: Optional[int] = None):
    from ..writers.docx_document import VersionInfo
    return VersionInfo(name=name, date=str(date)[:10], stage=stage, number=number)


def _default_date(ws) -> str:
    """A draft's date: the latest version's, else SOURCE_DATE_EPOCH, else today."""
    if ws is not None and ws.version_numbers():
        return str(ws.load_version("latest").date)[:10]
    from ..clock import today
    return today()


def _findings(ws, document):
    try:
        from ..checks import run_all
    except ImportError:
        raise UserError("--with-findings needs the examination checks (pipeline.checks), not installed") from None
    if ws is None:
        raise UserError("--with-findings needs a workspace (glossary and plan)")
    return run_all(ws, document)


def _glossary(ws, document) -> list[dict]:
    """Rows of the glossary annex: the term base's concepts the text uses (a reader of the plan looks up
    its terms, not the whole term base); none when the workspace has no term entries."""
    if ws is None or not any((ws.glossary_dir / "terms").glob("*.yaml")):
        return []
    from ..checks.glossary import load_glossary
    from ..readers.termbase import annex_rows
    return annex_rows(load_glossary(ws).used_in(document), ws.plan.language)


def _estimate_only(data, headings, profile):
    from ..writers.page_numbers import estimate_pages
    return estimate_pages(data, headings, profile), "estimate"


def _build_dir(ws, inp) -> Path:
    return ws.build_dir if ws is not None else Path(inp.source_file).resolve().parent


def _stem(inp) -> str:
    return inp.version.name.replace(" ", "-") if inp.version.number is not None else Path(inp.source_file).stem or "draft"


def _write(args, output: Path, result, mode: str) -> int:
    from ..fileio import atomic_write
    from .checks import finding_row
    atomic_write(output, result.data)
    report = {"output": str(output), "mode": mode, "paragraphs": result.paragraphs, "footnotes": result.footnotes,
              "comments": result.comments, "unplaced_findings": [finding_row(f) for f in result.unplaced_findings],
              "toc_page_numbers": result.page_numbers or None}
    if args.json:
        print_json(report)
        return 0
    counts = [counted(result.paragraphs, "paragraphs"), counted(result.footnotes, "footnotes")]
    counts += [counted(result.comments, "comments")] if result.comments else []
    print(f"wrote {output} ({mode}, {', '.join(counts)})")
    if result.page_numbers == "estimate" and args.toc_pages != "estimate":  # a fallback, not what was asked for
        error_console().print("[yellow]contents page numbers are estimates (LibreOffice not available); "
                              "update the field in Word[/]")
    if result.unplaced_findings:
        # which ones: a count alone leaves the reader to run every check again to find them
        named = "".join(f"\n  {f.severity} {f.check}/{f.rule}: {f.message}" for f in result.unplaced_findings)
        error_console().print(f"[yellow]{counted(result.unplaced_findings, 'findings')} not attached "
                              f"(naming no paragraph of this text):{escape(named)}[/]")
    return 0
