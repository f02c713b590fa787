"""The comment store: one YAML file per comment under comments/rNN/<id>.yaml.

One file per comment means several people adding comments at once never
touch the same file, so git merges their work without conflicts. Ids are a
hash of what the comment says and where, so harvesting the same file twice
adds nothing. New files are created exclusively (a hard link), updates
replace a file atomically under a per-comment lock: concurrent writers lose
nothing.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Iterable, Optional

from .anchoring import ANCHOR_STATES, Carried, carry_to
from .errors import UserError, listing
from .fileio import atomic_write, dump_yaml, load_yaml, locked
from .model import COMMENT_KINDS, COMMENT_STATUSES, COMMENT_TYPES, Anchor, Comment, Disposition, Member, Version
from .textdiff import nearest

CONTEXT = 32  # characters of prefix and suffix kept with a quote, as web annotation does
ROUND_DIR = re.compile(r"^r(\d+)$")
STATUS_ALIASES = {
    "accepted with modification": "accepted-with-modification",
    "accepted-with-modifications": "accepted-with-modification",
    "partially accepted": "accepted-with-modification",
    "not accepted": "not-accepted",
    "rejected": "not-accepted",
    "采纳": "accepted",
    "部分采纳": "accepted-with-modification",
    "修改后采纳": "accepted-with-modification",
    "不采纳": "not-accepted",
    "未采纳": "not-accepted",
    "备注": "noted",
    "已知悉": "noted",
    "撤回": "withdrawn",
    "待处理": "open",
}
TYPE_ALIASES = {"technical": "substantive", "general": "general", "ge": "general", "te": "substantive",
                "ed": "editorial", "一般性": "general", "实质性": "substantive", "文字性": "editorial",
                "编辑性": "editorial", "critical": "substantive", "major": "substantive",
                "administrative": "editorial"}


# -- normalising user words ----------------------------------------------------
def normal_status(value: str, where: Optional[str] = None, line: Optional[int] = None) -> str:
    text = str(value or "").strip().lower()
    status = STATUS_ALIASES.get(text, text.replace(" ", "-"))
    if status not in COMMENT_STATUSES:
        raise UserError(f"unknown status '{value}' (use one of: {', '.join(COMMENT_STATUSES)})", where, line)
    return status


def normal_type(value: str, where: Optional[str] = None, line: Optional[int] = None) -> str:
    text = str(value or "").strip().lower()
    kind = TYPE_ALIASES.get(text, text)
    if kind not in COMMENT_TYPES:
        raise UserError(f"unknown comment type '{value}' (use one of: {', '.join(COMMENT_TYPES)})", where, line)
    return kind


def organisation(plan, org_id: str, where: Optional[str] = None, line: Optional[int] = None) -> Member:
    """The member unit, consulted organisation or expert; the error lists the known ids."""
    member = plan.organisation(str(org_id).strip())
    if member is None:
        raise UserError(f"unknown organisation '{org_id}'; known ids: {listing(plan.members)}", where, line)
    return member


def org_category(member: Member) -> str:
    return "expert" if member.role == "expert" else member.category


# -- building records ----------------------------------------------------------
def comment_id(org: str, para: str, quote: str, body: str, proposed: Optional[str], author: str,
               reply_to: Optional[str], version: int) -> str:
    """Deterministic id: the same comment harvested twice gets the same id."""
    key = "\x1f".join([org, para, quote, body, proposed or "", author, reply_to or "", str(version)])
    return "c" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def make_anchor(text: str, para: str, quote: str, start: int, version: int) -> Anchor:
    """A text-quote anchor with 32 characters of context either side."""
    end = start + len(quote)
    return Anchor(para=para, quote=quote, prefix=text[max(0, start - CONTEXT):start],
                  suffix=text[end:end + CONTEXT], start=start, end=end, version=version)


def anchor_in_version(version: Version, para: str, quote: str, near: int = 0,
                      where: Optional[str] = None, line: Optional[int] = None) -> Anchor:
    """Anchor a quote in a paragraph of a version; errors name the unknown paragraph or missing quote."""
    block = version.document.by_id().get(para)
    if block is None:
        raise UserError(f"paragraph '{para}' does not exist in {version.name}", where, line)
    start = nearest(block.text, quote, near)
    if start < 0:
        raise UserError(f"the quoted text “{quote}” is not in paragraph {para} of {version.name}", where, line)
    return make_anchor(block.text, para, quote, start, version.number)


def new_comment(*, round: int, version: int, anchor: Anchor, member: Member, type: str = "substantive",
                kind: str = "comment", body: str = "", proposed: Optional[str] = None, author: str = "",
                date: str = "", reply_to: Optional[str] = None, source: str = "") -> Comment:
    ident = comment_id(member.id, anchor.para, anchor.quote, body, proposed, author, reply_to, version)
    return Comment(id=ident, round=round, version=version, anchor=anchor, org=member.id,
                   org_category=org_category(member), type=type, kind=kind, body=body, proposed=proposed,
                   author=author, date=date, reply_to=reply_to, source=source)


# -- files -------------------------------------------------------------------------
def round_dir(comments_dir: Path, round_number: int) -> Path:
    return Path(comments_dir) / f"r{round_number:02d}"


def comment_path(comments_dir: Path, comment: Comment) -> Path:
    return round_dir(comments_dir, comment.round) / f"{comment.id}.yaml"


def to_yaml(comment: Comment) -> str:
    return dump_yaml(asdict(comment))


def _require(data: dict, key: str, path: Path, kinds: tuple) -> object:
    if key not in data:
        raise UserError(f"missing field '{key}'", path, getattr(data, "line", None))
    value = data[key]
    if not isinstance(value, kinds):
        raise UserError(f"field '{key}' has the wrong type", path, getattr(data, "line", None))
    return value


def from_yaml_data(data: object, path: Path) -> Comment:
    if not isinstance(data, dict):
        raise UserError("a comment file must hold one mapping", path, 1)
    anchor_data = _require(data, "anchor", path, (dict,))
    disposition_data = data.get("disposition") or {}
    try:
        anchor = Anchor(**dict(anchor_data))
        disposition = Disposition(**dict(disposition_data))
        fields = {k: v for k, v in data.items() if k not in ("anchor", "disposition")}
        comment = Comment(anchor=anchor, disposition=disposition, **fields)
    except TypeError as err:
        raise UserError(f"malformed comment record: {err}", path, getattr(data, "line", 1)) from None
    _check_values(comment, path, getattr(data, "line", 1))
    return comment


def _check_values(comment: Comment, path: Path, line: int) -> None:
    checks = [(comment.type, COMMENT_TYPES, "type"), (comment.kind, COMMENT_KINDS, "kind"),
              (comment.disposition.status, COMMENT_STATUSES, "status"), (comment.anchor.state, ANCHOR_STATES, "anchor state")]
    for value, allowed, name in checks:
        if value not in allowed:
            raise UserError(f"unknown {name} '{value}' (use one of: {', '.join(allowed)})", path, line)


def read_comment(path: Path) -> Comment:
    return from_yaml_data(load_yaml(path), path)


def comment_files(comments_dir: Path, round_number: Optional[int] = None) -> list[Path]:
    root = Path(comments_dir)
    if not root.is_dir():
        return []
    folders = [round_dir(root, round_number)] if round_number else sorted(
        p for p in root.iterdir() if p.is_dir() and ROUND_DIR.match(p.name))
    return sorted(f for folder in folders if folder.is_dir() for f in folder.glob("c*.yaml"))


def load_comments(ws, round_number: Optional[int] = None) -> list[Comment]:
    """Every stored comment (of one round), in a stable order: round, paragraph, offset, id."""
    comments = [read_comment(p) for p in comment_files(ws.comments_dir, round_number)]
    return sorted(comments, key=lambda c: (c.round, c.anchor.para, c.anchor.start, c.id))


def find_comment(ws, ident: str) -> tuple[Comment, Path]:
    hits = sorted(Path(ws.comments_dir).glob(f"r*/{ident}.yaml"))
    if not hits:
        raise UserError(f"no comment with id '{ident}'")
    return read_comment(hits[0]), hits[0]


def exists(comments_dir: Path, ident: str) -> bool:
    return any(Path(comments_dir).glob(f"r*/{ident}.yaml"))


def store(ws, comments: Iterable[Comment]) -> tuple[list[Comment], list[Comment]]:
    """Write new comments; (added, already present). A comment is created once, never replaced here."""
    added, present = [], []
    for comment in comments:
        if exists(ws.comments_dir, comment.id):
            present.append(comment)
            continue
        try:
            atomic_write(comment_path(ws.comments_dir, comment), to_yaml(comment), exclusive=True)
        except UserError:  # another writer created the same comment a moment ago
            present.append(comment)
            continue
        added.append(comment)
    return added, present


def store_on_latest(ws, comments: list[Comment], version: Version) -> tuple[list[Comment], list[Comment],
                                                                          Optional[Carried]]:
    """Store comments made on `version`, re-anchored first on the latest version when `version` is older
    (the re-anchoring freeze does), so no comment is stored on a version that is not current.

    (added, already present, what the re-anchoring did to the added ones or None). Comments already stored but still
    anchored on an older version (harvested before re-anchoring was done here) are brought up to date.
    """
    numbers = ws.version_numbers()
    latest = ws.load_version(numbers[-1]) if numbers and numbers[-1] > version.number else version
    carried = None
    if latest is not version:
        carried = carry_to(ws, comments, latest)
        on_latest = {c.id: c for c in carried.comments}
        comments = [on_latest.get(c.id, c) for c in comments]
    added, present = store(ws, comments)
    if present:
        _bring_up_to_date(ws, [c.id for c in present], latest)
    return added, present, carried.only(c.id for c in added) if carried else None


def _bring_up_to_date(ws, idents: list[str], latest: Version) -> None:
    """Re-anchor on `latest` stored comments still anchored on an older version."""
    with locked(_lock_path(ws)):
        stale = [c for c, _path in (find_comment(ws, i) for i in idents) if c.anchor.version < latest.number]
        for comment in carry_to(ws, stale, latest).comments if stale else []:
            atomic_write(comment_path(ws.comments_dir, comment), to_yaml(comment))


def _lock_path(ws) -> Path:
    # outside comments/ so the lock file never reaches git
    return Path(ws.build_dir) / ".comments.lock"


def update(ws, comment: Comment) -> None:
    """Replace a stored comment (disposition, re-anchoring) atomically."""
    with locked(_lock_path(ws)):
        atomic_write(comment_path(ws.comments_dir, comment), to_yaml(comment))


def update_many(ws, comments: Iterable[Comment]) -> None:
    with locked(_lock_path(ws)):
        for comment in comments:
            atomic_write(comment_path(ws.comments_dir, comment), to_yaml(comment))


def latest_round(ws) -> int:
    rounds = [int(ROUND_DIR.match(p.name).group(1)) for p in Path(ws.comments_dir).glob("r*")
              if p.is_dir() and ROUND_DIR.match(p.name)]
    return max(rounds, default=1)


# -- dispositions ----------------------------------------------------------------------
def respond(ws, ident: str, status: str, response: Optional[str] = None, resolved_in: Optional[int] = None,
            by: str = "", date: str = "") -> Comment:
    """Record the panel's disposition of one comment (read and write under the store's lock)."""
    return respond_if_changed(ws, ident, status, response, resolved_in, by, date)[0]


def respond_if_changed(ws, ident: str, status: Optional[str], response: Optional[str] = None,
                       resolved_in: Optional[int] = None, by: str = "", date: str = "") -> tuple[Comment, bool]:
    """Record a disposition; (the comment, whether anything changed). Nothing is written when the status,
    response and version of resolution are already so. No status keeps the current one; no response
    keeps the current response; without `resolved_in`, a newly decided comment is resolved in the
    latest version and one whose status stays keeps its version."""
    status = normal_status(status) if status else None
    numbers = ws.version_numbers()
    with locked(_lock_path(ws)):
        comment, path = find_comment(ws, ident)
        old = comment.disposition
        new_status = status or old.status
        if new_status == "open":
            resolved = None
        elif resolved_in is not None:
            resolved = resolved_in
        elif new_status == old.status and old.resolved_in is not None:
            resolved = old.resolved_in
        else:
            resolved = numbers[-1] if numbers else None
        disposition = replace(old, status=new_status, resolved_in=resolved,
                              response=old.response if response is None else response)
        if disposition == old:
            return comment, False
        disposition.by = by or old.by
        disposition.date = date or old.date
        comment = replace(comment, disposition=disposition)
        atomic_write(path, to_yaml(comment))
    return comment, True


def unanswered_substantive(ws) -> list[Comment]:
    """Substantive comments with no response yet: freezing the approval stage waits for these."""
    return [c for c in load_comments(ws)
            if c.type == "substantive" and c.disposition.status != "withdrawn"
            and (c.disposition.status == "open" or not c.disposition.response.strip())]


# -- intake: reviewers' Word files ---------------------------------------------------------------
@dataclass
class Intake:
    """What one input file yielded: comments added, already present, and what could not be placed."""
    source: str
    org: str
    added: list[Comment] = field(default_factory=list)
    present: list[Comment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    version: int = 0  # the version the comments were made on
    version_from: str = ""  # how that version was known: --version, document properties, page header, cover, text
    carried: Optional[Carried] = None  # the re-anchoring onto the latest version, when `version` is older

    @property
    def comments(self) -> list[Comment]:
        return self.added + self.present


def org_from_filename(plan, path: Path) -> Member:
    """`<org-id>[-anything].docx`: the longest known id the file name starts with."""
    stem = Path(path).stem.lower()
    matches = [i for i in plan.members if stem == i or stem.startswith(i + "-") or stem.startswith(i + "_")]
    if not matches:
        raise UserError(f"cannot tell the organisation from the file name; name it <org-id>[-anything].docx "
                        f"or pass --org (known ids: {listing(plan.members)})", path)
    return plan.members[max(matches, key=len)]


def _best_block(version: Version, quote: str, context: str):
    """The block holding `quote`; among several, the one most like the reviewer's paragraph."""
    from .textdiff import similarity
    holders = [b for b in version.document.blocks if quote and quote in b.text]
    if len(holders) > 1 and context:
        return max(holders, key=lambda b: similarity(context, b.text))
    return holders[0] if holders else None


def _place_note(note, version: Version, path: Path, stated: Optional[int] = None) -> tuple[Optional[Anchor], str]:
    """Anchor a harvested note on `version`; (None, warning) when it cannot be placed."""
    blocks = version.document.by_id()
    if note.para:
        block = blocks.get(note.para)
        if block is None:
            hint = f"the file says it was made from v{stated}" if stated and stated != version.number else \
                "was the file made from another version?"
            raise UserError(f"paragraph '{note.para}' (a bookmark in the file) does not exist in {version.name}; "
                            f"{hint} (use --version)", path)
        start = nearest(block.text, note.quote, note.start)
        if start >= 0:
            return make_anchor(block.text, block.id, note.quote, start, version.number), ""
    block = _best_block(version, note.quote, note.para_text)
    if block is None:
        where = f" (marked on {note.para})" if note.para else ""
        return None, f"could not place {note.kind} by {note.author or 'unknown'}{where} on “{note.quote[:60]}”: " \
                     f"the text is not in {version.name}; kept as a general comment"
    start = nearest(block.text, note.quote, 0)
    return make_anchor(block.text, block.id, note.quote, start, version.number), ""


def _kind_of(note) -> str:
    if note.kind == "amendment":
        return "amendment"
    return "question" if note.body.rstrip().endswith(("?", "？")) else "comment"


def _version_by_text(ws, review, numbers: list[int]) -> Optional[int]:
    """The version whose paragraphs the file's numbered paragraphs read as (ties: the later); None when
    no version's text is found in the file."""
    best, best_score = None, 0
    for number in numbers:
        blocks = ws.load_version(number).document.by_id()
        score = sum(1 for para, text in review.paragraphs.items()
                    if para in blocks and blocks[para].text and blocks[para].text in text)
        if score and score >= best_score:
            best, best_score = number, score
    return best


def review_version(ws, review, requested: Optional[Version] = None) -> tuple[Version, str, list[str]]:
    """The version a returned draft was made from: `requested` (--version), else what the draft says
    (document properties, page header, cover), else the version its numbered paragraphs read as, else
    the latest. (version, how it was known, warnings)."""
    latest_number = ws.resolve_version("latest")  # no version frozen yet: says so
    numbers = ws.version_numbers()
    stated = review.version if review.has_bookmarks else None
    if requested is not None:
        warnings = []
        if stated is not None and stated != requested.number:
            warnings.append(f"the file says it was made from v{stated} ({review.version_from}); "
                            f"harvested against {requested.name} as --version asks")
        return requested, "--version", warnings
    if stated is not None:
        if stated not in numbers:
            raise UserError(f"the file says it was made from v{stated} ({review.version_from}), which is not a "
                            f"version here (versions: {', '.join(f'v{n}' for n in numbers)}); pass --version",
                            review.path)
        return ws.load_version(stated), review.version_from, []
    latest = ws.load_version(latest_number)
    if len(numbers) < 2:
        return latest, "", []
    by_text = _version_by_text(ws, review, numbers) if review.paragraphs else None
    if by_text is None:
        return latest, "", [f"the file does not say which version it was made from; assumed the latest, "
                            f"{latest.name} (pass --version if it was made from another)"]
    if by_text != latest.number:
        return ws.load_version(by_text), "text", [
            f"the file does not say which version it was made from; its text reads as v{by_text}, not the "
            f"latest ({latest.name}), so it was harvested against v{by_text} (pass --version to choose another)"]
    return latest, "text", []


def plan_language(ws) -> str:
    return "zh" if ws.plan.language == "zh" else "en"


def harvest_file(ws, path: Path, member: Member, round_number: int, version: Optional[Version] = None,
                 comment_type: str = "substantive") -> Intake:
    """Comments, replies and tracked changes of one returned .docx → stored comments (all or none).

    Without `version`, the version the file was made from is read from the file (`review_version`).
    Comments made on an older version than the latest are re-anchored on the latest before they are
    stored (`intake.carried` says how).
    """
    from .readers.review_docx import read_review_docx
    review = read_review_docx(path, language=plan_language(ws))
    version, known_from, notes = review_version(ws, review, version)
    intake = Intake(source=Path(path).name, org=member.id, warnings=list(review.warnings) + notes,
                    version=version.number, version_from=known_from)
    if not review.has_bookmarks and review.notes:
        intake.warnings.append("no paragraph bookmarks: not a consultation draft of ours; placing notes by their quotes")
    by_word_id: dict[str, Comment] = {}
    records: list[Comment] = []
    for note in sorted(review.notes, key=lambda n: bool(n.parent)):
        anchor, warning = _place_note(note, version, path, review.version if review.has_bookmarks else None)
        if anchor is None:
            intake.warnings.append(warning)
            anchor = Anchor(para="", quote=note.quote, state="orphaned", version=version.number,
                            original_quote=note.quote)
        parent = by_word_id.get(note.parent)
        comment = new_comment(round=round_number, version=version.number, anchor=anchor, member=member,
                              type=comment_type, kind=_kind_of(note), body=note.body, proposed=note.proposed,
                              author=note.author, date=note.date, reply_to=parent.id if parent else None,
                              source=Path(path).name)
        if note.english_body:  # harvested before amendments were worded in the plan language: the same one
            english = replace(comment, body=note.english_body, id=comment_id(
                member.id, anchor.para, anchor.quote, note.english_body, note.proposed, note.author, None,
                version.number))
            comment = english if exists(ws.comments_dir, english.id) else comment
        if note.word_id:
            by_word_id[note.word_id] = comment
        records.append(comment)
    intake.added, intake.present, intake.carried = store_on_latest(ws, records, version)
    return intake


def harvest_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders expanded to the .docx files in them (Word lock files skipped)."""
    result: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            result += sorted(p for p in path.glob("*.docx") if not p.name.startswith("~$"))
        else:
            result.append(path)  # a missing file is reported as such when it is harvested
    return result


# -- intake: comment matrices -------------------------------------------------------------------
PARA_REF = re.compile(r"^\s*(?:p|¶|para(?:graph)?\s*)?0*(\d+)\s*$", re.I)


def para_ref(value: str) -> str:
    """'p0012', '12' or '¶12' → 'p0012'; '' when it is no paragraph reference."""
    from .versions import paragraph_id
    match = PARA_REF.match(value or "")
    return paragraph_id(int(match.group(1))) if match else ""


def _raise_row_errors(errors: list[tuple[int, str]], path: Path) -> None:
    if errors:
        listed = "\n".join(f"  row {line}: {message}" for line, message in errors)
        raise UserError(f"{len(errors)} row(s) with errors; nothing imported:\n{listed}", path, errors[0][0])


def _matrix_comment(ws, row, version: Version, round_number: int, default_org: Optional[Member],
                    source: str) -> Comment:
    plan = ws.plan
    member = organisation(plan, row.get("org")) if row.get("org") else default_org
    if member is None:
        raise UserError("no organisation (add an organisation column or pass --org)")
    para = para_ref(row.get("para")) if row.get("para") else ""
    if row.get("para") and not para:
        raise UserError(f"'{row.get('para')}' is not a paragraph number (write p0012 or 12)")
    if para:
        anchor = anchor_in_version(version, para, row.get("quote"))
    else:
        anchor = Anchor(para="", version=version.number)  # a general comment on the whole draft
    body, proposed = row.get("comment"), row.get("proposed") or None
    kind = "amendment" if proposed else ("question" if body.rstrip().endswith(("?", "？")) else "comment")
    type_ = normal_type(row.get("type")) if row.get("type") else ("general" if not para else "substantive")
    comment = new_comment(round=round_number, version=version.number, anchor=anchor, member=member, type=type_,
                          kind=kind, body=body, proposed=proposed, author=row.get("author"),
                          date=row.get("date")[:10], source=source)
    if row.get("status") or row.get("response"):
        comment.disposition = Disposition(status=normal_status(row.get("status") or "open"),
                                          response=row.get("response"))
    return comment


def import_matrix(ws, path: Path, round_number: int, version: Version, default_org: Optional[Member] = None) -> Intake:
    """A comment matrix → stored comments; any bad row refuses the whole file, listing every bad row."""
    from .readers.matrix import read_matrix
    rows = read_matrix(path)
    records, errors = [], []
    for row in rows:
        if not row.get("comment"):
            errors.append((row.line, "the comment cell is empty"))
            continue
        try:
            records.append(_matrix_comment(ws, row, version, round_number, default_org, Path(path).name))
        except UserError as err:
            errors.append((row.line, err.message))
    _raise_row_errors(errors, path)
    intake = Intake(source=Path(path).name, org=default_org.id if default_org else "", version=version.number)
    intake.added, intake.present, intake.carried = store_on_latest(ws, records, version)
    return intake


def respond_from_matrix(ws, path: Path, by: str = "", date: str = "") -> tuple[list[Comment], int]:
    """Bulk dispositions from a returned matrix: rows with an ID and a status or response.

    (the comments that changed, how many rows changed nothing). A row already matching its comment is
    not written; an empty status or response cell keeps what the comment has.
    """
    from .readers.matrix import read_matrix
    rows = [r for r in read_matrix(path, required=("id",)) if r.get("status") or r.get("response")]
    errors, updates = [], []
    for row in rows:
        try:
            if not exists(ws.comments_dir, row.get("id")):
                raise UserError(f"no comment with id '{row.get('id')}'")
            status = normal_status(row.get("status")) if row.get("status") else None
            updates.append((row.get("id"), status, row.get("response") or None))
        except UserError as err:
            errors.append((row.line, err.message))
    _raise_row_errors(errors, path)
    changed, unchanged = [], 0
    for ident, status, response in updates:
        comment, did = respond_if_changed(ws, ident, status, response, by=by, date=date)
        if did:
            changed.append(comment)
        else:
            unchanged += 1
    return changed, unchanged


# -- the comment matrix table ---------------------------------------------------------------------
MATRIX_HEADERS = {
    "en": ["No.", "Paragraph", "Organisation", "Type", "Comment", "Proposed change", "Response", "Status"],
    "zh": ["序号", "段落", "单位", "类型", "意见", "修改建议", "处理意见", "采纳情况"],
}
LABELS_ZH = {"general": "一般性", "substantive": "实质性", "editorial": "文字性", "open": "待处理",
             "accepted": "采纳", "accepted-with-modification": "部分采纳", "not-accepted": "不采纳",
             "noted": "备注", "withdrawn": "撤回"}


@dataclass
class MatrixTable:
    headers: list[str]
    rows: list[list[str]]
    ids: list[str]  # comment id of each row, for responses returned in the spreadsheet


def _proposal(comment: Comment, language: str) -> str:
    """The proposed change as the matrix shows it: an empty proposal deletes the quoted text."""
    if comment.proposed is None:
        return ""
    if comment.proposed == "" and comment.anchor.quote:
        return f"删除“{comment.anchor.quote}”" if language == "zh" else f"Delete “{comment.anchor.quote}”"
    return comment.proposed


def _paragraph_order(ws) -> dict[str, int]:
    numbers = ws.version_numbers()
    if not numbers:
        return {}
    return {b.id: i for i, b in enumerate(ws.load_version(numbers[-1]).document.blocks)}


def matrix_table(ws, comments: list[Comment]) -> MatrixTable:
    """Top-level comments in paragraph order, replies folded into their comment's cell."""
    language = ws.plan.language if ws.plan.language in MATRIX_HEADERS else "en"
    label = (lambda v: LABELS_ZH.get(v, v)) if language == "zh" else (lambda v: v.replace("-", " "))
    order = _paragraph_order(ws)
    replies: dict[str, list[Comment]] = {}
    for comment in comments:
        if comment.reply_to:
            replies.setdefault(comment.reply_to, []).append(comment)
    top = [c for c in comments if not c.reply_to or not any(p.id == c.reply_to for p in comments)]
    top.sort(key=lambda c: (bool(c.anchor.para), order.get(c.anchor.para, len(order)), c.anchor.start, c.org, c.id))
    rows, ids = [], []
    for number, comment in enumerate(top, start=1):
        member = ws.plan.organisation(comment.org)
        body = comment.body
        quote = comment.anchor.quote
        if comment.anchor.state == "applied":  # the reviewer's words, which the proposed text replaced
            quote = comment.anchor.original_quote or quote
        if quote:
            body = f"“{quote}”: {body}" if body else f"“{quote}”"
        for reply in replies.get(comment.id, []):
            body += f"\n— {reply.author or reply.org}: {reply.body}"
        para = comment.anchor.para + (f" ({comment.anchor.state})" if comment.anchor.state != "anchored" else "")
        rows.append([str(number), para, member.name(language) if member else comment.org, label(comment.type),
                     body, _proposal(comment, language), comment.disposition.response,
                     label(comment.disposition.status)])
        ids.append(comment.id)
    return MatrixTable(headers=MATRIX_HEADERS[language], rows=rows, ids=ids)
