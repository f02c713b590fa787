"""Consultation comments: harvest, import, add, list, respond, matrix, stats, report."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from ..anchoring import ANCHOR_STATES, Versions
from ..errors import UserError
from ..model import FINDINGS_AUTHOR, Version
from ..workspace import open_workspace
from .common import add_json, console, counted, escape, output_file, print_json, progress


def register(commands) -> None:
    p = commands.add_parser("comments", help="consultation comments: harvest, respond, matrix, statistics",
                            description="Comments and amendments from consultation rounds, anchored on paragraphs.")
    sub = p.add_subparsers(dest="comments_command", metavar="ACTION", required=True)  # as `check`, `glossary`

    h = sub.add_parser("harvest", help="read reviewers' returned .docx (or .odt) files", description=
                       "Harvest comments, replies and tracked changes from returned consultation drafts. "
                       "FILES may be .docx or .odt files or folders (every .docx and .odt in them); a .odt is "
                       "converted with LibreOffice (soffice) first. Without --org each file is named "
                       "<org-id>[-anything].docx (or .odt).")
    h.add_argument("files", nargs="+", type=Path, metavar="FILE")
    h.add_argument("--org", help="organisation id for every file (default: from each file name)")
    _round_version(h, version_help="version the reviewers commented on (default: the one each file says it was "
                                   "made from, else the one its text reads as, else the latest)")
    h.add_argument("--type", default="substantive", help="comment type given to harvested notes (default: substantive)")
    add_json(h)
    h.set_defaults(handler=cmd_harvest)

    i = sub.add_parser("import", help="import a comment matrix spreadsheet (.xlsx or .csv)", description=
                       "Columns are found by header: No., paragraph, organisation, type, comment, proposed change "
                       "(optionally quote, author, date, response, status).")
    i.add_argument("file", type=Path)
    i.add_argument("--org", help="organisation id for rows without an organisation column")
    _round_version(i)
    add_json(i)
    i.set_defaults(handler=cmd_import)

    a = sub.add_parser("add", help="add one comment from the command line")
    a.add_argument("--para", help="paragraph id (p0012); omit for a comment on the whole draft")
    a.add_argument("--quote", default="", help="the exact text commented on, inside the paragraph")
    a.add_argument("--org", required=True, help="organisation id")
    a.add_argument("--body", required=True, help="the comment")
    a.add_argument("--proposed", help="proposed new text for the quote (makes it an amendment)")
    a.add_argument("--type", default="substantive", help="general | substantive | editorial")
    a.add_argument("--kind", choices=("comment", "amendment", "question"), help="default: from --proposed / a '?'")
    a.add_argument("--author", default="")
    a.add_argument("--date", default="", help="YYYY-MM-DD (default: the commented version's date)")
    _round_version(a)
    add_json(a)
    a.set_defaults(handler=cmd_add)

    lst = sub.add_parser("list", help="list comments with where they stand")
    lst.add_argument("--round", type=round_number, help="one round (default: all)")
    lst.add_argument("--status", help="only this status")
    lst.add_argument("--org", help="only this organisation")
    lst.add_argument("--anchor", choices=ANCHOR_STATES, help="only this anchor state")
    add_json(lst)
    lst.set_defaults(handler=cmd_list)

    r = sub.add_parser("respond", help="record the panel's disposition of a comment", description=
                       "Give a status and response to one comment, or (--from) to every row of a returned matrix.")
    r.add_argument("id", nargs="?", help="comment id")
    r.add_argument("--status", help="open | accepted | accepted-with-modification | not-accepted | noted | withdrawn")
    r.add_argument("--response", help="the panel's response")
    r.add_argument("--resolved-in", metavar="VERSION", help="version where it was resolved (3 or v3; default: latest)")
    r.add_argument("--from", dest="source", type=Path, metavar="MATRIX.xlsx", help="bulk responses from a matrix")
    r.add_argument("--by", default="", help="who answered")
    add_json(r)
    r.set_defaults(handler=cmd_respond)

    _document(sub.add_parser("matrix", help="write the comment matrix (.docx or .xlsx)"), "FILE.docx|FILE.xlsx",
              cmd_matrix, "comment-matrix.xlsx")

    s = sub.add_parser("stats", help="comments by round, category, chapter, type and status")
    s.add_argument("--round", type=round_number, help="one round (default: all)")
    add_json(s)
    s.set_defaults(handler=cmd_stats)

    _document(sub.add_parser("report", help="write a round report (.docx with a chart)"), "FILE.docx", cmd_report,
              "round-report.docx")


def round_number(value: str) -> int:
    """An argparse type: rounds are numbered 1, 2, 3, … (a comment stored under round 0 or -1 is in a folder
    nothing reads)."""
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a round: rounds are numbered 1, 2, 3, …")
    return int(value)


def _document(parser: argparse.ArgumentParser, metavar: str, handler, default: str) -> None:
    """A command writing one document about one round or all of them, by default into build/ as the
    other commands' documents are."""
    parser.add_argument("--round", type=round_number, help="one round (default: all)")
    suffixes = [name[name.rindex("."):] for name in metavar.split("|")]
    parser.add_argument("-o", "--output", type=output_file(*suffixes), metavar=metavar, help=f"default: build/{default}")
    add_json(parser)
    parser.set_defaults(handler=handler, default_output=default)


def _output(ws, args: argparse.Namespace) -> Path:
    return ws.check_output(args.output) if args.output else ws.build_dir / args.default_output


def _round_version(parser: argparse.ArgumentParser, version_help: str = "") -> None:
    parser.add_argument("--round", type=round_number, help="consultation round (default: the latest round, else 1)")
    parser.add_argument("--version", default=None if version_help else "latest",
                        help=version_help or "version the reviewers commented on (default: latest)")


def _context(args):
    from ..comments import latest_round
    ws = open_workspace(args.workspace)
    version = ws.load_version(args.version) if args.version is not None else None
    return ws, version, args.round or latest_round(ws)


def _record(comment) -> dict:
    """A stored comment as the intake commands print it: para and quote on the latest version."""
    return {"id": comment.id, "para": comment.anchor.para, "quote": comment.anchor.quote, "author": comment.author,
            "kind": comment.kind, "body": comment.body, "proposed": comment.proposed,
            "anchor": comment.anchor.state, "version": comment.anchor.version}


def cmd_harvest(args: argparse.Namespace) -> int:
    from .. import comments as store
    ws, version, round_number = _context(args)
    ws.resolve_version("latest")  # refuses at once when no version is frozen yet
    comment_type = store.normal_type(args.type)
    member = store.organisation(ws.plan, args.org) if args.org else None
    paths = store.harvest_paths(args.files)
    if not paths:
        raise UserError("no .docx or .odt files found", args.files[0])
    records, failed = [], 0
    out = console()
    with progress("Harvesting", total=len(paths), enabled=not args.json) as bar:
        for path, intake in store.harvest_files(ws, paths, member, round_number, version, comment_type):
            bar.advance()
            if isinstance(intake, UserError):
                failed += 1
                sys.stderr.write(f"nhrap: {intake} (nothing stored from this file)\n")
                continue
            records += [_record(c) for c in intake.comments]
            for warning in intake.warnings:
                sys.stderr.write(f"{path.name}: warning: {warning}\n")
            if not args.json:
                _report_file(out, path, intake, args.round is None)
    if args.json:
        print_json(records)
    return 2 if failed else 0


def _report_file(out, path, intake, latest_round: bool) -> None:
    kinds = {k: sum(c.kind == k for c in intake.comments) for k in ("comment", "question", "amendment")}
    replies = sum(bool(c.reply_to) for c in intake.comments)
    known_from = intake.version_from if intake.version_from not in ("", "--version") else ""
    made_from = f"v{intake.version}" + (f" ({known_from})" if known_from else "")
    counts = ", ".join(counted(n, f"{kind}s") for kind, n in kinds.items()) + ", " + counted(replies, "replies")
    if intake.skipped_findings:
        counts += f" ({counted(intake.skipped_findings, 'findings')} of {FINDINGS_AUTHOR} skipped)"
    out.print(f"{path.name} ({intake.org}): {counts} — {len(intake.added)} new, {len(intake.present)} already "
              f"stored; made from {made_from}; {_stored_in(intake.round, latest_round, intake.present)}",
              markup=False, soft_wrap=True)
    _report_carried(out, intake)


def _stored_in(round_number: int, latest_round: bool, present: list) -> str:
    """'stored in round 4', the round comments went to, saying when it was not asked for (clones that have not pulled
    each other's new round store the same file in different rounds) and where comments already stored are
    when that is another round."""
    said = f"stored in round {round_number}" + (" (the latest round here; --round to choose)" if latest_round else "")
    elsewhere = sorted({c.round for c in present if c.round != round_number})
    if elsewhere:
        said += f"; those already stored are in round {', '.join(map(str, elsewhere))}"
    return said


def _report_carried(out, intake) -> None:
    if intake.carried is not None and intake.carried.summary():
        out.print(f"  {intake.carried.summary()}", markup=False, soft_wrap=True)


def cmd_import(args: argparse.Namespace) -> int:
    from .. import comments as store
    ws, version, round_number = _context(args)
    member = store.organisation(ws.plan, args.org) if args.org else None
    intake = store.import_matrix(ws, args.file, round_number, version, member)
    if args.json:
        print_json([_record(c) for c in intake.comments])
    else:
        out = console()
        out.print(f"{args.file.name}: {len(intake.added)} new comments, {len(intake.present)} already stored "
                  f"({version.name}); {_stored_in(round_number, args.round is None, intake.present)}",
                  markup=False, soft_wrap=True)
        _report_carried(out, intake)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from .. import comments as store
    from ..model import Anchor
    ws, version, round_number = _context(args)
    member = store.organisation(ws.plan, args.org)
    date = store.comment_date(args.date, "--date") or version.date
    if not args.body.strip():
        raise UserError("the comment is empty: say what it is in --body")
    if args.para:
        anchor = store.anchor_in_version(version, args.para, args.quote)
    elif args.quote:
        raise UserError("--quote needs --para (the paragraph it is in)")
    else:
        anchor = Anchor(para="", version=version.number)
    kind = args.kind or ("amendment" if args.proposed is not None else "question" if args.body.rstrip().endswith(("?", "？")) else "comment")
    comment = store.new_comment(round=round_number, version=version.number, anchor=anchor, member=member,
                                type=store.normal_type(args.type), kind=kind, body=args.body, proposed=args.proposed,
                                author=args.author, date=date)
    added, present, carried = store.store_comments(ws, [comment], version)
    if args.json:
        print_json(_record((added or present)[0]))
    else:
        where = ""
        if carried is not None and carried.comments:
            anchor = carried.comments[0].anchor
            where = f" (re-anchored on v{anchor.version}: {anchor.para or 'whole draft'}, {anchor.state})"
        said = f"added, {_stored_in(round_number, args.round is None, [])}" if added else \
            f"already stored, in round {present[0].round}"
        console().print(f"{comment.id}: {said}{where}", markup=False, soft_wrap=True)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from ..comments import load_comments, normal_status, organisation
    ws = open_workspace(args.workspace)
    status = normal_status(args.status) if args.status else None
    org = organisation(ws.plan, args.org).id if args.org else None
    comments = [c for c in load_comments(ws, args.round)
                if (not status or c.disposition.status == status) and (not org or c.org == org)
                and (not args.anchor or c.anchor.state == args.anchor)]
    rows = [{"id": c.id, "para": c.anchor.para, "status": c.disposition.status, "anchor": c.anchor.state,
             "quote": c.anchor.quote, "version": c.anchor.version, "round": c.round, "org": c.org, "type": c.type,
             "kind": c.kind, "original_quote": c.anchor.original_quote, "replaced_by": c.anchor.replaced_by,
             "author": c.author, "body": c.body}
            for c in comments]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        console().print("No comments" + (" match." if status or org or args.anchor or args.round else " yet."))
        return 0
    from rich.table import Column, Table

    from ..errors import excerpt
    table = Table(Column("id", no_wrap=True), "para", "anchor", "org", "status", Column("comment", overflow="fold"))
    for row in rows:  # the id in full (`comments respond` needs it) and what the reviewer said
        said = escape(row["body"])
        if row["anchor"] in ("changed", "applied"):
            was, now = (escape(excerpt(row[key], 40)) for key in ("original_quote", "quote"))
            said += f"\n[dim]text: {was} → {now}[/]"
        table.add_row(row["id"], row["para"] or "—", row["anchor"], row["org"], row["status"], said)
    console().print(table)
    return 0


def cmd_respond(args: argparse.Namespace) -> int:
    from .. import comments as store
    ws = open_workspace(args.workspace)
    if args.source:
        _alone_with_from(args)
        updated, unchanged = store.respond_from_matrix(ws, args.source, by=args.by)
    elif args.id and args.status:
        comment, changed = store.respond(ws, args.id, args.status, args.response, args.resolved_in, by=args.by)
        updated, unchanged = ([comment], 0) if changed else ([], 1)
    else:
        raise UserError("give a comment ID with --status (and --response), or --from MATRIX.xlsx")
    if args.json:
        print_json([{"id": c.id, "status": c.disposition.status, "response": c.disposition.response,
                     "resolved_in": c.disposition.resolved_in} for c in updated])
    else:
        message = f"{len(updated)} comment(s) updated" if updated else "nothing to update"
        if unchanged:
            message += f" ({unchanged} already so)" if updated else f": {unchanged} already so"
        console().print(message, markup=False, soft_wrap=True)
    return 0


def _alone_with_from(args: argparse.Namespace) -> None:
    """`respond --from` takes every status and response from the matrix: an ID, --status, --response or
    --resolved-in given with it would be ignored, and the panel's decision lost without a word."""
    options = ("status", "response", "resolved_in")
    given = ([f"comment ID {args.id}"] if args.id else []) + [
        f"--{name.replace('_', '-')}" for name in options if getattr(args, name) is not None]
    if given:
        raise UserError(f"--from takes each comment's status and response from the matrix's rows; give "
                        f"{', '.join(given)} without --from (one comment), or --from alone")


def _round_comments(ws, round_number) -> tuple[list, Versions]:
    """The comments a document is written about, and the versions read for them (to be read once for the
    document). A round asked for that has no comments is refused before anything is written (a mistyped
    round would give an empty matrix or report)."""
    from ..comments import load_comments, rounds_with_comments
    versions = Versions(ws)
    comments = load_comments(ws, round_number, versions)
    if round_number and not comments:
        having = rounds_with_comments(ws)
        known = f"rounds with comments: {', '.join(map(str, having))}" if having else "no comments yet"
        raise UserError(f"round {round_number} has no comments ({known}); nothing written", ws.comments_dir)
    return comments, versions


def _latest(versions: Versions) -> Optional[Version]:
    """The latest version (None before the first freeze): its paragraph order and date head a document."""
    return versions.latest if versions.numbers else None


def cmd_matrix(args: argparse.Namespace) -> int:
    from ..comments import matrix_table
    ws = open_workspace(args.workspace)
    comments, versions = _round_comments(ws, args.round)
    latest = _latest(versions)
    table = matrix_table(ws, comments, latest)
    date = latest.date if latest else ""
    output = _output(ws, args)
    suffix = output.suffix.lower()
    from ..writers.docx_matrix import matrix_title
    rounds = [args.round] if args.round else [c.round for c in comments]
    heading, subtitle = matrix_title(ws.plan, rounds, [c.version for c in comments])
    if suffix == ".docx":
        from ..writers.docx_matrix import write_docx_matrix
        from ..writers.docx_plain import plan_style
        write_docx_matrix(table, output, title=heading, subtitle=subtitle, date=date,
                          language=ws.plan.language, style=plan_style(ws))
    else:  # .xlsx: -o takes no other ending
        from ..writers.docx_plain import full_title
        from ..writers.xlsx_matrix import write_xlsx_matrix
        write_xlsx_matrix(table, output, title=full_title(heading, subtitle, ws.plan.language), date=date,
                          language=ws.plan.language, comments={c.id: c for c in comments})
    _wrote(args, {"path": str(output), "comments": len(table.rows)})
    return 0


def _wrote(args: argparse.Namespace, result: dict) -> None:
    if args.json:
        print_json(result)
    else:
        extra = "".join(f", {v} {k.replace('_', ' ')}" for k, v in result.items() if k != "path")
        console().print(f"wrote {result['path']}" + (f" ({extra[2:]})" if extra else ""), markup=False, soft_wrap=True)


def _stats(ws, comments: list, versions: Versions) -> dict:
    from ..stats import chapter_lookup, comment_stats
    return comment_stats(comments, chapter_lookup(ws.plan, versions), [chapter.id for chapter in ws.plan.chapters])


def cmd_stats(args: argparse.Namespace) -> int:
    from ..comments import load_comments
    ws = open_workspace(args.workspace)
    versions = Versions(ws)
    stats = _stats(ws, load_comments(ws, args.round, versions), versions)
    if args.json:
        print_json(stats)
        return 0
    out = console()
    if not stats["total"]:
        out.print("No comments" + (f" in round {args.round}." if args.round else " yet."))
        return 0
    from rich.table import Table
    out.print(f"{counted(stats['total'], 'comments')}; " + ", ".join(f"{k}: {v}" for k, v in stats["by_status"].items()))
    for key in ("by_round", "by_category", "by_chapter", "by_type"):
        table = Table(key.replace("by_", ""), "total", "accepted", "modified", "not accepted", "noted", "open", "share",
                      title=key.replace("_", " "))
        for name, f in stats[key].items():
            share = "—" if f["accepted_share"] is None else f"{f['accepted_share']:.0%}"
            table.add_row(name, str(f["total"]), str(f["accepted"]), str(f["accepted-with-modification"]),
                          str(f["not-accepted"]), str(f["noted"]), str(f["open"]), share)
        out.print(table)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..comments import unanswered_substantive
    from ..writers.docx_plain import plan_style
    from ..writers.docx_report import labels_for, organisation_names, report_title, write_round_report
    ws = open_workspace(args.workspace)
    comments, versions = _round_comments(ws, args.round)
    stats, latest = _stats(ws, comments, versions), _latest(versions)
    waiting = unanswered_substantive(ws, comments)
    rounds = [args.round] if args.round else [c.round for c in comments]
    title, subtitle = report_title(ws.plan, rounds, [c.version for c in comments])
    output = _output(ws, args)
    write_round_report(stats, waiting, output, title=title, subtitle=subtitle, date=latest.date if latest else "",
                       language=ws.plan.language, labels=labels_for(ws.plan), style=plan_style(ws),
                       organisations=organisation_names(ws.plan))
    _wrote(args, {"path": str(output), "comments": len(comments), "unanswered_substantive": len(waiting)})
    return 0
