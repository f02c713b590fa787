"""Workspace, submissions, drafts and versions: init, members, intake, draft, freeze, show, diff, status."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Optional

from ..errors import UserError
from ..fileio import atomic_write
from ..workspace import open_workspace
from .common import add_json, console, counted, escape, output_file, print_json


def register(commands) -> None:
    p = commands.add_parser("init", help="create a new plan workspace", description=
                            "Create a new, empty plan workspace in DIR (a git repository), or a copy of the sample plan.")
    p.add_argument("dir", type=folder_name)
    p.add_argument("--sample", nargs="?", const="en", choices=("en", "zh"), help="copy the sample plan (en or zh) as it stands in the nhrap source repository")
    p.add_argument("--language", choices=("en", "zh"), help="plan language of an empty workspace (default: en)")
    p.add_argument("--period", type=plan_period, metavar="START-END",
                   help="years of an empty workspace's plan, e.g. 2031-2035 (default: the five-year period "
                        "drafted now: this year's if it starts one, else the next)")
    p.add_argument("--git-files", action="store_true",
                   help="in the existing workspace DIR, add to .gitignore and .gitattributes the settings this "
                        "release writes that they lack (a workspace made by an older release); nothing else is touched")
    add_json(p)
    p.set_defaults(handler=cmd_init)

    p = commands.add_parser("members", help="list member units, experts and consulted organisations")
    p.add_argument("--role", choices=("lead", "member", "former", "expert", "consulted"), help="only this role")
    add_json(p)
    p.set_defaults(handler=cmd_members)

    p = commands.add_parser("intake", help="convert a member unit's Word submission to Markdown", description=
                            "Convert a .docx written in the submission template to drafts/submissions/<member>-r<round>.md, "
                            "after the checks `nhrap draft` makes. A later round replaces the unit's earlier one as a whole.")
    p.add_argument("file", type=Path, nargs="?", help="the unit's .docx")
    p.add_argument("--member", help="member unit id (default: from the document's header table)")
    p.add_argument("--round", type=int, help="submission round (default: from the document, else 1)")
    p.add_argument("--template", type=output_file(".docx"), metavar="OUT.docx", help="write the blank submission template and exit")
    p.add_argument("--language", choices=("en", "zh"),
                   help="labels of the template (default: the plan language, or en outside a workspace)")
    p.add_argument("--force", action="store_true", help="replace an existing submission of the same round")
    add_json(p)
    p.set_defaults(handler=cmd_intake)

    p = commands.add_parser("draft", help="merge chapters and submissions into the working draft", description=
                            "Render the expert chapters with submission data into build/draft.md and report "
                            "contributions not yet used and outline sections with no text.")
    add_json(p)
    p.set_defaults(handler=cmd_draft)

    p = commands.add_parser("freeze", help="freeze the working draft as the next immutable version")
    p.add_argument("--stage", help="stage of the plan (from plan.yaml stages, or its name in the plan's Word "
                   "profile, e.g. 征求意见); required unless --dry-run, which takes the latest version's stage")
    p.add_argument("--note", help="what this version is; required unless --dry-run")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="version date: not after today, nor before the latest version's date (default: today, "
                        "or SOURCE_DATE_EPOCH's day when set; the latest version's date if that is later)")
    p.add_argument("--from", dest="source", type=Path, metavar="FILE.md", help="freeze this Markdown instead of the working draft")
    p.add_argument("--dry-run", action="store_true",
                   help="work out the version and report it (changes, ids the text could not settle) without writing")
    add_json(p)
    p.set_defaults(handler=cmd_freeze)

    p = commands.add_parser("show", help="list a version's blocks with their paragraph ids")
    p.add_argument("version", nargs="?", default="latest", help="number (3), name (v3) or latest")
    add_json(p)
    p.set_defaults(handler=cmd_show)

    p = commands.add_parser("diff", help="compare two versions paragraph by paragraph")
    p.add_argument("a", help="older version (3, v3, latest)")
    p.add_argument("b", nargs="?", default="latest", help="newer version (default: latest)")
    p.add_argument("--html", type=output_file(".html", ".htm"), metavar="FILE.html", help="also write the diff as an HTML page")
    add_json(p)
    p.set_defaults(handler=cmd_diff)

    p = commands.add_parser("status", help="stage, versions, submissions, goals, indicators and gaps")
    add_json(p)
    p.set_defaults(handler=cmd_status)


def plan_period(value: str) -> tuple[int, int]:
    """`2031-2035` (or with the en dash of an English title, the em dash of a Chinese one) as (2031, 2035).
    Years as plan.yaml takes them: 0999 would be written as 999, which every later command refuses."""
    start, _, end = value.replace("–", "-").replace("—", "-").partition("-")
    years = [int(year) if year.strip().isdecimal() and len(year.strip()) == 4 else 0 for year in (start, end)]
    if not 1000 <= years[0] <= years[1]:
        raise argparse.ArgumentTypeError(f"{value}: give the first and last year, e.g. 2031-2035")
    return years[0], years[1]


def folder_name(text: str) -> Path:
    """A folder to make the workspace in; an empty name (an unset variable in a script) is refused, not
    taken for the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("give the folder to make the workspace in (an empty name was given)")
    return Path(text)


def cmd_init(args: argparse.Namespace) -> int:
    from ..init import init_workspace
    if args.git_files:
        return _update_git_files(args)
    for option, value in (("--period", args.period), ("--language", args.language)):
        if args.sample and value:  # the sample plan has its own: refuse rather than drop what was asked for
            raise UserError(f"{option} is for an empty workspace; the {args.sample} sample plan has its own")
    root = init_workspace(args.dir, sample=args.sample, language=args.language or "en", period=args.period)
    if args.json:
        print_json({"path": str(root)})
        return 0
    console().print(f"Created plan workspace [bold]{escape(str(root))}[/]. Next: edit drafts/plan.yaml, then "
                    "`nhrap draft`.")
    return 0


def _update_git_files(args: argparse.Namespace) -> int:
    from ..init import update_git_files
    given = [option for option, value in (("--sample", args.sample), ("--language", args.language),
                                          ("--period", args.period)) if value]
    if given:
        raise UserError(f"--git-files changes an existing workspace; {', '.join(given)} is for making one")
    added = update_git_files(open_workspace(args.dir).root)
    if args.json:
        print_json({"added": added})
    elif added:
        console().print("Added " + "; ".join(f"to {name}: {', '.join(lines)}" for name, lines in added.items()),
                        markup=False, soft_wrap=True)
    else:
        console().print("The git files already have every setting this release writes.")
    return 0


def cmd_members(args: argparse.Namespace) -> int:
    ws = open_workspace(args.workspace)
    members = [m for m in ws.plan.members.values() if not args.role or m.role == args.role]
    rows = [{"id": m.id, "name_en": m.name_en, "name_zh": m.name_zh, "category": m.category, "role": m.role,
             "affiliation": m.affiliation, "history": [_event_json(e) for e in m.history]} for m in members]
    if args.json:
        print_json(rows)
        return 0
    from rich.table import Table
    table = Table(title=f"{len(rows)} units and people")
    for column in ("id", "name", "名称", "category", "role"):
        table.add_column(column, overflow="fold")  # Chinese has no spaces to wrap at: fold, don't cut
    for row in rows:
        table.add_row(row["id"], escape(row["name_en"]), escape(row["name_zh"]), row["category"], row["role"])
    console().print(table)
    cycle = f"{ws.plan.period_start}-{ws.plan.period_end}"
    changes = [f"{m.id} {_event_words(e)}" for m in members for e in m.history if e.starts_in(ws.plan.period_start)]
    if changes:  # what the panel most needs from the history: who joined and who left for this plan
        console().print(f"Changes in {cycle}: " + "; ".join(changes), markup=False, soft_wrap=True)
    return 0


def _event_json(event) -> dict:
    extra = {"into": event.into} if event.into else {"from": event.previous_name} if event.previous_name else {}
    return {"cycle": event.cycle, "event": event.event, **extra}


def _event_words(event) -> str:
    return {"merged": f"merged into {event.into}", "renamed": f"renamed from “{event.previous_name}”"}.get(
        event.event, event.event)


def cmd_intake(args: argparse.Namespace) -> int:
    import sys

    from ..readers.intake_docx import intake_docx
    from ..writers.submission_template import write_template
    if args.template:
        try:
            ws = open_workspace(args.workspace)
        except UserError:
            if args.workspace:
                raise
            ws = None  # outside a workspace: the generic template
        plan = ws.plan if ws else None
        language = args.language or (plan.language if plan else "en")
        write_template(ws.check_output(args.template) if ws else args.template, language, plan)
        console().print(f"Wrote the submission template to {args.template}", markup=False)
        return 0
    if not args.file:
        raise UserError("intake: give FILE.docx (or --template OUT.docx)")
    if not args.file.exists():
        raise UserError("no such file", args.file)
    ws = open_workspace(args.workspace)
    result = intake_docx(ws, args.file, member=args.member, round_no=args.round, force=args.force)
    for warning in result["warnings"]:
        sys.stderr.write(f"nhrap: {args.file}: warning: {warning}\n")
    if args.json:
        print_json(result)
    else:
        console().print(f"{args.file} → {result['path']}: "
                        + ", ".join(counted(result[kind], kind) for kind in ("goals", "measures", "indicators")),
                        markup=False)
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from ..compose import compose_draft
    ws = open_workspace(args.workspace)
    text, report = compose_draft(ws)
    atomic_write(ws.draft_path, text)
    data = {"path": str(ws.draft_path), **report.as_json()}
    if args.json:
        print_json(data)
        return 0
    out = console()
    out.print(f"Working draft: [bold]{escape(str(ws.draft_path))}[/] ({counted(report.chapters, 'chapters')}, "
              f"{counted(report.blocks, 'blocks')})")
    for kind, items in data["unused"].items():
        if items:
            out.print(f"[yellow]{counted(items, kind)} not yet used in the draft:[/] "
                      + ", ".join(f"{i['id']} ({i['member']}, {i['section']})" for i in items))
    if report.repeated:
        out.print(f"[yellow]{counted(report.repeated, 'contributions')} put into the draft more than once:[/] "
                  + ", ".join(report.repeated))
    if report.omitted_sections:
        out.print(f"[red]Outline sections with no text ({len(report.omitted_sections)}):[/] "
                  + ", ".join(report.omitted_sections))
    else:
        out.print("[green]Every outline section has text: no major aspect omitted.[/]")
    return 0


FREEZE_COUNTS = ("added", "edited", "moved", "split", "merged", "deleted")  # what --json counts of the changes


def cmd_freeze(args: argparse.Namespace) -> int:
    from ..versions import NothingChanged, freeze
    ws = open_workspace(args.workspace)
    if not args.dry_run and not (args.stage and args.note):
        raise UserError("freeze needs --stage and --note (only --dry-run does without them)")
    source = _read_source(args.source) if args.source else None
    try:
        version = freeze(ws, _stage_id(ws, args.stage), args.note or "", date=args.date, source=source,
                         source_path=args.source, dry_run=args.dry_run)
    except NothingChanged as unchanged:
        if not args.dry_run:
            raise
        return _report_nothing_to_freeze(unchanged.since, args.json)
    c = version.changes
    counts = {key: len(getattr(c, key)) for key in FREEZE_COUNTS}
    if args.json:
        print_json({"version": version.name, "path": "" if args.dry_run else version.path, "changes": counts,
                    "comments": version.comments_carried, "close_calls": c.close_calls, "notes": version.notes})
        return 0
    console().print(f"{'Would freeze' if args.dry_run else 'Froze'} [bold]{version.name}[/] "
                    f"({escape(version.stage)}, {version.date}) → {escape(version.path)}: "
                    f"{counted(version.document.blocks, 'blocks')}; {counts['added']} new, {counts['edited']} edited, "
                    f"{counts['moved']} moved, {counts['split']} split off, {counts['merged']} merged, "
                    f"{counts['deleted']} deleted")
    for note in version.notes:
        console().print(f"[yellow]Note:[/] {escape(note)}")
    from ..anchoring import carried_summary
    if version.comments_carried.get("reanchored"):
        console().print(("If frozen, " if args.dry_run else "") + carried_summary(version.comments_carried, version.number))
    _print_close_calls(version, args.dry_run)
    return 0


def _stage_id(ws, stage: Optional[str]) -> Optional[str]:
    """The plan's stage a --stage names: its id, or its name in the plan's Word profile (征求意见 for
    consultation), as documents show it."""
    if not stage or stage in ws.plan.stages:
        return stage
    from ..writers.profiles import load_profile
    profile = load_profile(ws.plan.profile)
    named = profile.stage_named(stage)
    if named is None:
        stages = ", ".join(f"{s} ({profile.stage(s)})" if profile.stage(s) != s else s for s in ws.plan.stages)
        raise UserError(f"--stage {stage} is not one of the plan's stages: {stages}", ws.plan_path)
    return named


def _read_source(path: Path) -> str:
    """The Markdown of --from: a path mistyped or naming a folder is said so, with the option."""
    from ..fileio import read_text
    if path.is_dir():
        raise UserError("a folder, not a Markdown file to freeze (--from)", path)
    if not path.is_file():
        raise UserError("no such file to freeze (--from)", path)
    if path.suffix.lower() in (".docx", ".doc", ".odt"):  # read as text, it would fail as 'not UTF-8'
        raise UserError("a Word file: freeze takes the Markdown of a draft (--from FILE.md); a member unit's Word "
                        "submission is converted with `nhrap intake`", path)
    return read_text(path)


def _report_nothing_to_freeze(since: str, as_json: bool) -> int:
    """A dry run on a draft that reads as the latest version: a finding, not an error."""
    if as_json:
        print_json({"version": None, "path": "", "changes": dict.fromkeys(FREEZE_COUNTS, 0), "comments": {},
                    "close_calls": {}, "notes": [], "unchanged_since": since})
    else:
        console().print(f"Nothing to freeze: the draft reads as {since} (same text, same stage).")
    return 0


def _print_close_calls(version, dry_run: bool) -> None:
    """Ids the text could not settle: the drafter knows which paragraph they revised."""
    from ..errors import excerpt
    texts = {b.id: b.text for b in version.document.blocks}
    for kept, rival in version.changes.close_calls.items():
        settle = (f"If it is the revision of {rival}, end it with {{#{rival}}} in its chapter before freezing."
                  if dry_run else "`nhrap freeze --dry-run` shows such calls before the ids are settled.")
        console().print(f"[yellow]Check {kept}[/] \"{escape(excerpt(texts[kept], 60))}\": it keeps {kept}, but the deleted "
                        f"{rival} reads as close. {settle}", soft_wrap=True)


def cmd_show(args: argparse.Namespace) -> int:
    from ..errors import excerpt
    ws = open_workspace(args.workspace)
    version = ws.load_version(args.version)
    rows = [{"id": b.id, "section": b.section, "kind": b.kind, "text": b.text} for b in version.document.blocks]
    if args.json:
        print_json(rows)
        return 0
    out = console()
    out.print(f"[bold]{version.name}[/] {version.date} {version.stage}: {escape(version.note)}")
    for row in rows:  # plan text, not markup: "[figures to be confirmed]" must show
        out.print(f"[dim]{row['id']}[/] [cyan]{row['section']:<16}[/] {row['kind']:<9} {escape(excerpt(row['text'], 100))}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from ..diff import diff_workspace
    from ..writers.profiles import language_profile
    ws = open_workspace(args.workspace)
    diff = diff_workspace(ws, args.a, args.b)
    profile = language_profile(ws.plan.language)  # the diff's fixed words, in the plan's language
    if args.html:
        from ..writers.html_diff import diff_to_html
        from ..writers.text_diff import outline_titles
        atomic_write(ws.check_output(args.html), diff_to_html(diff, ws.plan.title, outline_titles(ws.plan), profile))
    if args.json:
        print_json(diff.as_json())
        return 0
    _print_diff(diff, profile)
    return 0


def _print_diff(diff, profile) -> None:
    """Colour on a terminal; when stdout is not one (or NO_COLOR is set), git word-diff marks:
    [-deleted-]{+inserted+}, and no wrapping."""
    import sys

    from ..writers.text_diff import TERMINAL_STYLES, diff_lines, plain_line
    out = console()
    lines = diff_lines(diff, profile)
    if out.color_system is None or out.no_color:
        try:
            sys.stdout.writelines(plain_line(line) + "\n" for line in lines)
            sys.stdout.flush()
        except BrokenPipeError:  # `nhrap diff … | head`: the reader has had enough, as rich handles it
            import os
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None
        return
    from rich.text import Text
    for line in lines:
        text = Text()
        for role, piece in line:
            text.append(piece, style=TERMINAL_STYLES.get(role, ""))
        out.print(text)


def cmd_status(args: argparse.Namespace) -> int:
    from ..status import workspace_status
    ws = open_workspace(args.workspace)
    status = workspace_status(ws)
    if args.json:
        print_json(status.as_json())
        return 0
    _print_status(status)
    return 0


def _print_status(status) -> None:
    from rich.table import Table
    out = console()
    out.print(f"[bold]{escape(status.title)}[/] — stage: [bold]{status.stage}[/]")
    versions = Table("version", "date", "stage", "blocks", "note", title="Versions")
    for v in status.versions:
        versions.add_row(v["version"], v["date"], v["stage"], str(v["blocks"]), escape(v["note"]))
    out.print(versions if status.versions else "Versions: none yet (`nhrap freeze` makes v1)")
    out.print(f"Submissions: {counted(status.submitted, 'units')} submitted, {len(status.not_submitted)} not yet: "
              + ", ".join(status.not_submitted))
    out.print(f"Goals: {status.goals}; indicators: {status.indicators['binding']} binding, "
              f"{status.indicators['expected']} expected")
    for title, rows in (("By chapter", status.by_chapter), ("By category of unit", status.by_category)):
        if not rows:  # no submissions yet: an empty table says less than the line above
            continue
        table = Table("", "goals", "binding", "expected", title=title)
        for key, counts in rows.items():
            table.add_row(key, str(counts["goals"]), str(counts["binding"]), str(counts["expected"]))
        out.print(table)
    unused = {kind: ids for kind, ids in status.unused.items() if ids}
    if unused:
        out.print("[yellow]Not yet used in the draft:[/] "
                  + "; ".join(f"{counted(ids, kind)} ({', '.join(ids)})" for kind, ids in unused.items()))
    if status.omitted_sections:
        out.print(f"[red]Omitted aspects (sections with no text):[/] {', '.join(status.omitted_sections)}")
    else:
        out.print("[green]No major aspect omitted.[/]")
    if status.git_settings_missing:
        names = " and ".join(status.git_settings_missing)
        verb = "lack" if len(status.git_settings_missing) > 1 else "lacks"
        out.print(f"[yellow]{escape(names)} {verb} settings this release writes[/] (a workspace made by an older "
                  "release): `nhrap init --git-files .` adds them")
