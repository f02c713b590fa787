"""The plan workspace: the only module that knows the folder layout.

    drafts/plan.yaml, drafts/members.yaml, drafts/chapters/*.md,
    drafts/submissions/*.md, drafts/versions/vNNN.{md,yaml},
    comments/, glossary/, styles/, build/
"""
from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Optional, Union

from .errors import UserError
from .fileio import atomic_write, read_text
from .model import Document, Plan, Submission, Version
from .readers.config import check_lead_units, read_members, read_plan
from .readers.markdown import read_markdown
from .readers.submission import current_submissions, read_submission

VERSION_FILE = re.compile(r"^v(\d{3,})\.(?:md|yaml)$")
VERSION_REF = re.compile(r"^v?0*(\d+)$", re.I)


class Workspace:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self._submissions: Optional[list[Submission]] = None

    # -- layout -------------------------------------------------------------
    @property
    def drafts_dir(self) -> Path:
        return self.root / "drafts"

    @property
    def plan_path(self) -> Path:
        return self.drafts_dir / "plan.yaml"

    @property
    def members_path(self) -> Path:
        return self.drafts_dir / "members.yaml"

    @property
    def chapters_dir(self) -> Path:
        return self.drafts_dir / "chapters"

    @property
    def submissions_dir(self) -> Path:
        return self.drafts_dir / "submissions"

    @property
    def versions_dir(self) -> Path:
        return self.drafts_dir / "versions"

    def check_output(self, path: Path) -> Path:
        """`path`, a file a command was asked to write (-o), unless it is among the panel's sources: a glossary
        written over v004.md, a chapter or a submission, or a .docx left in comments/r03/, loses their text or
        makes every command refuse the workspace."""
        parents = Path(path).resolve().parents
        if self.versions_dir.resolve() in parents:
            raise UserError(f"{self.versions_dir.relative_to(self.root)}/ holds the frozen versions, which only "
                            "`nhrap freeze` writes: write this file elsewhere (by default it goes in build/)", path)
        for folder in (self.root / "drafts", self.comments_dir):
            if folder.resolve() in parents:
                raise UserError(f"{folder.relative_to(self.root)}/ holds the plan's sources, which commands read: "
                                "write this file elsewhere (by default it goes in build/)", path)
        return path

    @property
    def comments_dir(self) -> Path:
        return self.root / "comments"

    @property
    def glossary_dir(self) -> Path:
        return self.root / "glossary"

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def draft_path(self) -> Path:
        """The consolidated working draft written by `nhrap draft`."""
        return self.build_dir / "draft.md"

    def version_paths(self, number: int) -> tuple[Path, Path]:
        stem = self.versions_dir / f"v{number:03d}"
        return stem.with_suffix(".md"), stem.with_suffix(".yaml")

    # -- configuration --------------------------------------------------------
    @cached_property
    def plan(self) -> Plan:
        plan = read_plan(self.plan_path)
        plan.members = read_members(self.members_path, plan.lead_units)
        check_lead_units(plan, self.plan_path, self.members_path)
        return plan

    def chapter_files(self) -> list[Path]:
        return self._files_in(self.chapters_dir, "chapter")

    def submission_files(self) -> list[Path]:
        return self._files_in(self.submissions_dir, "submission")

    def _files_in(self, folder: Path, what: str) -> list[Path]:
        """The .md files of a folder of the workspace. A folder named like one, or a link to a file outside
        the workspace (whose text a clone of the repository would not have), is refused by name."""
        paths = sorted(folder.glob("*.md"))
        root = self.root.resolve()
        for path in paths:
            if path.is_dir():
                raise UserError(f"a folder, not a {what} file: rename it, or move its files into {folder.name}/", path)
            if root not in path.resolve().parents:
                raise UserError(f"a link to {path.resolve()}, outside the workspace: a {what} is a file of the "
                                "workspace, which every clone has", path)
        return paths

    def all_submissions(self) -> list[Submission]:
        """Every submission file, every round."""
        return [read_submission(path, self.plan) for path in self.submission_files()]

    def submissions(self) -> list[Submission]:
        """The current submission of each member unit: its latest round (read once per workspace)."""
        if self._submissions is None:
            self._submissions = current_submissions(self.all_submissions())
        return self._submissions

    # -- versions -----------------------------------------------------------
    def version_numbers(self) -> list[int]:
        """1, 2, … N: versions are never deleted, so a gap or a half (.md or .yaml alone) is refused."""
        if not self.versions_dir.is_dir():
            return []
        names = {p.name for p in self.versions_dir.iterdir()}
        numbers = sorted({int(m.group(1)) for m in map(VERSION_FILE.match, names) if m})  # the latest's .md alone too
        for number in range(1, numbers[-1] + 1) if numbers else ():
            text, meta = self.version_paths(number)
            if number == numbers[-1] and text.name in names and meta.name not in names:
                raise UserError(f"missing, while {text.name} is here: a freeze interrupted before it wrote the "
                                f"metadata? Delete {text.name} and freeze again (or restore both from git)", meta)
            for path in (text, meta):
                if path.name not in names:
                    raise UserError(_gap_message(number, names), path)
        return numbers

    def resolve_version(self, ref: Union[str, int]) -> int:
        """`3`, `v3`, `v003` or `latest` → version number."""
        numbers = self.version_numbers()
        text = str(ref).strip()
        if text.lower() == "latest":
            if not numbers:
                raise UserError("no version has been frozen yet (run `nhrap freeze`)")
            return numbers[-1]
        match = VERSION_REF.match(text)
        if not match:
            raise UserError(f"'{ref}' is not a version: use a number (3), a name (v3) or 'latest'")
        number = int(match.group(1))
        if number not in numbers:
            known = ", ".join(f"v{n}" for n in numbers) or "none yet"
            raise UserError(f"version v{number} does not exist (versions: {known})")
        return number

    def load_version(self, ref: Union[str, int]) -> Version:
        from .versions import read_version
        return read_version(self, self.resolve_version(ref))

    def load_document(self, ref: Optional[str] = None) -> Document:
        """A version, any Markdown file, or (None) the working draft composed now."""
        if ref is None:
            return self.working_draft()
        if str(ref).endswith(".md") or Path(ref).is_file():
            path = Path(ref)
            if not path.is_file():
                raise UserError("no such Markdown file", path)
            return read_markdown(read_text(path), self.plan.outline_ids, path=str(path))
        return self.load_version(ref).document


    def working_draft(self) -> Document:
        """The draft composed now, its paragraphs carrying the ids the next freeze would give them.

        build/draft.md is brought up to date too, so that lines in findings point at a real file.
        """
        from .compose import compose_draft
        from .versions import assign_ids
        text, _report = compose_draft(self)
        if not self.draft_path.is_file() or self.draft_path.read_text(encoding="utf-8") != text:
            atomic_write(self.draft_path, text)
        document = read_markdown(text, self.plan.outline_ids, path=str(self.draft_path))
        numbers = self.version_numbers()
        assign_ids(self.load_version(numbers[-1]) if numbers else None, document.blocks)
        return document


def _gap_message(number: int, names: set[str]) -> str:
    """Why version `number` cannot be missing, naming the files after the gap (else the other half of that
    version). A lone file after the gap, without its pair, is more likely a stray copy than a version
    whose predecessors were deleted."""
    numbered = [(int(m.group(1)), name) for name in names if (m := VERSION_FILE.match(name))]
    later = sorted(name for n, name in numbered if n > number)
    here = later or sorted(name for n, name in numbered if n == number)
    shown = ", ".join(here[:4]) + (f" … ({len(here)} files)" if len(here) > 4 else "")
    restore = "a frozen version is never deleted: restore it from git (git checkout HEAD -- drafts/versions)"
    if len(here) > 1:
        return f"missing, though {shown} are here; {restore}"
    stray = f", or remove {shown} if it does not belong here" if later else ""
    return f"missing, though {shown} is here; {restore}{stray}"


def find_root(start: Path) -> Optional[Path]:
    for folder in [start, *start.parents]:
        if (folder / "drafts" / "plan.yaml").is_file():
            return folder
    return None


def open_workspace(path: Optional[Path] = None) -> Workspace:
    """The workspace at `path`, or the one containing the current directory."""
    start = Path(path) if path else Path.cwd()
    root = (start if (start / "drafts" / "plan.yaml").is_file() else None) if path else find_root(start.resolve())
    if root is None:
        raise UserError("not a plan workspace (no drafts/plan.yaml); run `nhrap init DIR` to make one", start)
    return Workspace(root)
