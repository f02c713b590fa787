"""`nhrap init`: a new plan workspace, empty or a copy of the sample plan."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Optional

from .clock import today
from .errors import UserError
from .fileio import atomic_write
from .workspace import find_root

PACKAGE_DATA = Path(__file__).parent / "data"
# The repository is itself the English sample workspace; the Chinese one sits in examples/zh.
REPOSITORY = Path(__file__).resolve().parent.parent
SAMPLES = {"en": REPOSITORY, "zh": REPOSITORY / "examples" / "zh"}
SAMPLE_PARTS = ("drafts", "comments", "glossary", "styles")
IGNORED = shutil.ignore_patterns("build", ".lock", "*.tmp", "__pycache__")
GITATTRIBUTES = """\
# nhrap reads and writes UTF-8 text with LF line ends. Frozen versions are checked byte for byte
# against their hash, so git must not give them CRLF line ends (core.autocrlf, as on Windows).
* text=auto eol=lf
# Word, Excel and OpenDocument files (a reviewer's .odt) are zip archives: never converted, diffed or merged
# as text
*.docx binary
*.xlsx binary
*.odt binary
# The registry is one member a line, and people add to it at once (each organisation new to a round):
# a merge keeps both sides' lines. One line changed on both sides is then listed twice, which nhrap refuses.
drafts/members.yaml merge=union
# So are the instruments and sources term entries refer to (one per line; an id or key twice is refused).
glossary/instruments.yaml merge=union
glossary/sources.yaml merge=union
# And the style rules (one per line; a phrase in two rules, or a setting given twice, is refused).
glossary/style-*.yaml merge=union
"""
GIT_FILES = {".gitignore": "build/\n*.tmp\n.lock\n", ".gitattributes": GITATTRIBUTES}


def coming_plan_period(year: int) -> tuple[int, int]:
    """The period a panel starting work in `year` drafts for. Plans follow the Five-Year Plans (2026–2030,
    2031–2035) and come out in their first year (2016, 2021), so in 2026 it is 2026–2030, in 2027 the next."""
    start = year + (1 - year) % 5
    return start, start + 4


def init_workspace(target: Path, sample: Optional[str] = None, language: str = "en",
                   period: Optional[tuple[int, int]] = None) -> Path:
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise UserError("exists and is not a folder", target)
    if (target / "drafts" / "plan.yaml").exists():
        raise UserError("already a plan workspace; refusing to overwrite it", target)
    outer = find_root(target.resolve().parent)
    if outer is not None:  # its files would be taken for the outer workspace's, and git would nest a repository
        raise UserError(f"inside the plan workspace {outer}; make the new one outside it", target)
    taken = [part for part in ("drafts", "comments") if (target / part).exists()]
    if taken:  # a half-made or hand-made workspace: its files are someone's work
        raise UserError(f"already holds {' and '.join(p + '/' for p in taken)}; refusing to overwrite them", target)
    if sample:
        _copy_sample(sample, target)
    else:
        _copy_skeleton(language, period or coming_plan_period(int(today()[:4])), target)
    _copy_shared_data(target)
    _git_init(target)
    return target.resolve()


def _copy_sample(name: str, target: Path) -> None:
    source = SAMPLES[name]
    if not (source / "drafts" / "plan.yaml").is_file():
        raise UserError(f"the {name} sample plan is not installed here (it ships with the source repository)", source)
    for part in SAMPLE_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, ignore=IGNORED, dirs_exist_ok=True)


def _copy_skeleton(language: str, period: tuple[int, int], target: Path) -> None:
    shutil.copytree(PACKAGE_DATA / "workspace", target, dirs_exist_ok=True)
    translated = PACKAGE_DATA / f"workspace-{language}"  # the plan, registry and first chapter in the plan language
    if translated.is_dir():
        shutil.copytree(translated, target, dirs_exist_ok=True)
    _fill_plan(target / "drafts" / "plan.yaml", language, period)
    for folder in ("drafts/submissions", "drafts/versions", "comments"):
        (target / folder).mkdir(parents=True, exist_ok=True)
        (target / folder / ".gitkeep").touch()


def _fill_plan(plan: Path, language: str, period: tuple[int, int]) -> None:
    """The skeleton's language and period: its title and period hold START_YEAR and END_YEAR."""
    text = plan.read_text(encoding="utf-8").replace("language: en\nprofile: en", f"language: {language}\nprofile: {language}")
    text = text.replace("START_YEAR", str(period[0])).replace("END_YEAR", str(period[1]))
    plan.write_text(text, encoding="utf-8")


def _copy_shared_data(target: Path) -> None:
    """Starter glossary and reference Word styles, unless the workspace brought its own; git's ignore
    and attributes files."""
    for part in ("glossary", "styles"):
        source = PACKAGE_DATA / part
        if source.is_dir() and not (target / part).exists():
            shutil.copytree(source, target / part, ignore=IGNORED)
    for name, text in GIT_FILES.items():
        if not (target / name).exists():
            (target / name).write_text(text, encoding="utf-8")


def _git_init(target: Path) -> None:
    if shutil.which("git") and not (target / ".git").exists():
        # by absolute path: a relative name beginning with '-' (init -- -plan) was read by git as an option
        subprocess.run(["git", "init", "-q", str(target.resolve())], check=False)


def missing_git_lines(root: Path) -> dict[str, list[str]]:
    """Per git file (.gitignore, .gitattributes), the settings this release writes that the workspace's copy
    lacks: a workspace made by an older release does not merge the files added to union merging since."""
    missing = {}
    for name, text in GIT_FILES.items():
        path = Path(root) / name
        # as git reads them: a trailing space or CRLF line end changes no setting
        have = {line.strip() for line in path.read_text(encoding="utf-8").splitlines()} if path.is_file() else set()
        lines = [line for line in text.splitlines() if line and not line.startswith("#") and line not in have]
        if lines:
            missing[name] = lines
    return missing


def update_git_files(root: Path) -> dict[str, list[str]]:
    """Add to the workspace's git files the settings `missing_git_lines` finds, each with the comment this
    release writes above it; the lines already there stay as they are. What was added, per file."""
    missing = missing_git_lines(root)
    for name, lines in missing.items():
        path = Path(root) / name
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        atomic_write(path, text + ("\n" if text and not text.endswith("\n") else "")
                     + "".join(_commented(GIT_FILES[name])[line] for line in lines))
    return missing


def _commented(template: str) -> dict[str, str]:
    """Each setting line of `template` with the comment lines right above it."""
    settings, above = {}, []
    for line in template.splitlines():
        if line.startswith("#"):
            above.append(line)
        elif line:
            settings[line] = "".join(f"{text}\n" for text in (*above, line))
            above = []
    return settings
