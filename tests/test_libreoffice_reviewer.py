"""A reviewer working in LibreOffice itself: LibreOffice makes the comments and the tracked changes.

tests/lo_review.py (run by the system Python, which has the Python–UNO bridge) opens our consultation
drafts, English and Chinese, in one headless LibreOffice for the whole module; comments on them and
edits them with Track Changes on, as a reviewer does (in body text, a list item, a table cell, a whole
paragraph, a footnote); and saves each as .docx and as .odt. `nhrap comments harvest` must bring every note back
on its paragraph id, with its author, quote and proposed text, and nothing else.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple, Optional

import pytest

from helpers import run

SYSTEM_PYTHON = "/usr/bin/python3"  # the Python the Python–UNO bridge (python3-uno) is installed for
SCRIPT = Path(__file__).with_name("lo_review.py")


def _missing() -> str:
    """Why LibreOffice cannot be driven here, or ''."""
    if not shutil.which("soffice"):
        return "LibreOffice (soffice) not installed"
    try:
        uno = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return f"{SYSTEM_PYTHON} not found"
    return "" if uno.returncode == 0 else f"the Python–UNO bridge is not installed ({SYSTEM_PYTHON} -c 'import uno'" \
                                         " fails; Debian: apt-get install python3-uno)"


MISSING = _missing()
if MISSING:
    pytest.skip(MISSING, allow_module_level=True)


class Note(NamedTuple):
    """A note as harvested: what --json prints of it."""
    kind: str
    para: str
    quote: str
    proposed: Optional[str]
    body: str = ""  # comments only: an amendment's body is nhrap's own wording of it


class Case(NamedTuple):
    org: str
    reviewer: str
    actions: list[dict]
    expected: list[Note]


def comment(on: str, text: str, para: str, quote: str = "", date: str = "") -> tuple[dict, Note]:
    return {"do": "comment", "on": on, "text": text, "date": date}, Note("comment", para, quote or on, None, text)


def change(action: dict, para: str, quote: str, proposed: str) -> tuple[dict, Note]:
    return action, Note("amendment", para, quote, proposed)


def case(org: str, reviewer: str, *pairs: tuple[dict, Note]) -> Case:
    return Case(org, reviewer, [action for action, _ in pairs], [note for _, note in pairs])


EN = case(
    "mohrss", "Wang Li",
    comment("expand vocational training for rural migrant workers", "Name the number of trainees per year.", "p0003",
            date="2026-03-10T09:30:00"),
    comment("[p0002] Right to work", "Say which rights at work.", "p0002", quote="Right to work"),  # with its number
    change({"do": "replace", "on": "all workers", "with": "all employees"}, "p0004", "all workers", "all employees"),
    change({"do": "delete", "on": " and basic public health services will be improved"}, "p0006",
           " and basic public health services will be improved", ""),
    change({"do": "insert", "after": "rural migrant workers.", "text": " Training is free of charge."}, "p0003",
           "workers.", "workers. Training is free of charge."),  # the word before, with its full stop
    change({"do": "insert_paragraph", "after": "occupational hazards.", "text": "Employers pay for the examinations."},
           "p0004", "hazards.", "hazards.\nEmployers pay for the examinations."),
)
ZH = case(
    "acwf", "李华",
    comment("健全公共就业服务体系", "请明确服务体系的具体内容。", "p0004"),
    comment("落实带薪年休假制度", "建议写明监督方式。", "p0008"),  # a list item
    comment("不低于92%", "目标偏低。", "p0013"),  # a table cell, not the first
    change({"do": "replace", "on": "控制在5.5%以内", "with": "控制在5%以内"}, "p0005", "控制在5.5%以内", "控制在5%以内"),
    change({"do": "delete", "on": "，政府投资项目率先实现零拖欠"}, "p0007", "，政府投资项目率先实现零拖欠", ""),
    change({"do": "insert", "after": "加强劳动保障监察，", "text": "完善劳动争议调解仲裁，"}, "p0004",
           "保障监察，", "保障监察，完善劳动争议调解仲裁，"),  # four characters before, and the comma
    change({"do": "replace", "on": "2028", "with": "2027"}, "p0013", "2028", "2027"),  # a table cell
    change({"do": "delete_paragraph", "on": "对高校毕业生、农民工"}, "p0010",
           "对高校毕业生、农民工、退役军人、残疾人等重点群体实施分类帮扶。", ""),  # a whole list item
    # a footnote, not the first: LibreOffice renames its bookmark p0058_Copy_1
    change({"do": "delete", "on": "在社会工作者和志愿者协助下"}, "p0058", "在社会工作者和志愿者协助下", ""),
)
CASES = {"en": EN, "zh": ZH}


def _workspaces(root: Path) -> dict[str, Path]:
    """The English mini workspace with tests/data/comments/v1.md frozen as v1, and the Chinese sample (v3)."""
    from conftest import copy_sample, freeze_comments_v1, write_mini_workspace
    from pipeline.workspace import Workspace
    english = freeze_comments_v1(Workspace(write_mini_workspace(root / "en")))
    return {"en": english.root, "zh": copy_sample(root / "zh", "zh")}


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """Each language's pristine workspace and the files its reviewer returned, annotated by one LibreOffice."""
    from pipeline.cli import main
    root = tmp_path_factory.mktemp("lo-reviewer")
    workspaces, jobs, returned = _workspaces(root), [], {}
    for language, (org, reviewer, actions, _) in CASES.items():
        draft = root / f"consultation-{language}.docx"
        assert main(["--workspace", str(workspaces[language]), "render", "latest", "--mode", "consultation",
                     "-o", str(draft)]) == 0
        returned[language] = {suffix: root / "returned" / f"{org}-lo.{suffix}" for suffix in ("docx", "odt")}
        jobs.append({"source": str(draft), "reviewer": reviewer, "actions": actions,
                     **{suffix: str(path) for suffix, path in returned[language].items()}})
    job = root / "job.json"
    job.write_text(json.dumps({"documents": jobs}, ensure_ascii=False), encoding="utf-8")
    # the script kills its soffice after 120 s (its DEADLINE): it is never left running
    done = subprocess.run([SYSTEM_PYTHON, str(SCRIPT), str(job)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return {"workspaces": workspaces, "returned": returned, "soffice": json.loads(done.stdout)}


def _harvest(reviewed, capsys, tmp_path, language: str, suffix: str):
    """Harvest the returned file into a fresh copy of the workspace: (workspace, --json records)."""
    from pipeline.workspace import Workspace
    ws = Workspace(shutil.copytree(reviewed["workspaces"][language], tmp_path / language))
    code, out = run(ws, capsys, "comments", "harvest", str(reviewed["returned"][language][suffix]), "--json")
    assert code == 0, out.err
    assert "warning" not in out.err, out.err
    return ws, json.loads(out.out)


def _notes(records: list[dict]) -> set[Note]:
    return {Note(r["kind"], r["para"], r["quote"], r["proposed"], r["body"] if r["kind"] != "amendment" else "")
            for r in records}


@pytest.mark.parametrize("language", sorted(CASES))
def test_every_comment_and_tracked_change_comes_back_on_its_paragraph(reviewed, capsys, tmp_path, language):
    _, records = _harvest(reviewed, capsys, tmp_path, language, "docx")
    assert _notes(records) == set(CASES[language].expected)
    assert {r["author"] for r in records} == {CASES[language].reviewer}
    assert {r["anchor"] for r in records} == {"anchored"}


@pytest.mark.parametrize("language", sorted(CASES))
def test_the_odt_harvests_to_the_same_comments_as_the_docx(reviewed, capsys, tmp_path, language):
    _, from_docx = _harvest(reviewed, capsys, tmp_path / "docx", language, "docx")
    ws, from_odt = _harvest(reviewed, capsys, tmp_path / "odt", language, "odt")
    assert from_odt == from_docx
    from pipeline.comments import load_comments
    assert {c.source for c in load_comments(ws)} == {reviewed["returned"][language]["odt"].name}


def test_odt_files_of_one_harvest_are_converted_in_one_libreoffice_run(reviewed, capsys, tmp_path, monkeypatch):
    from pipeline import libreoffice
    from pipeline.workspace import Workspace
    runs = []
    monkeypatch.setattr(libreoffice, "_run", lambda command, timeout, run=libreoffice._run: runs.append(command)
                        or run(command, timeout))
    ws = Workspace(shutil.copytree(reviewed["workspaces"]["en"], tmp_path / "en"))
    returned = tmp_path / "returned"
    returned.mkdir()
    for org in ("acftu", "mohrss"):  # two units returning the same annotations
        shutil.copy(reviewed["returned"]["en"]["odt"], returned / f"{org}-comments.odt")
    code, out = run(ws, capsys, "comments", "harvest", str(returned), "--json")
    assert code == 0, out.err
    assert len(runs) == 1 and sum(arg.endswith(".odt") for arg in runs[0]) == 2
    records = json.loads(out.out)
    assert len(records) == 2 * len(EN.expected) and _notes(records) == set(EN.expected)


def test_comment_dates_are_the_reviewers_or_none(reviewed, capsys, tmp_path):
    from pipeline.comments import load_comments
    ws, _ = _harvest(reviewed, capsys, tmp_path, "en", "docx")
    dates = {c.body: c.date for c in load_comments(ws) if c.kind == "comment"}
    # the second has none (made through UNO; LibreOffice writes w:date="0-00-00T00:00:00Z")
    assert dates == {"Name the number of trainees per year.": "2026-03-10", "Say which rights at work.": ""}


def test_libreoffice_is_gone_afterwards(reviewed):
    with pytest.raises(ProcessLookupError):
        os.killpg(reviewed["soffice"]["soffice_process_group"], 0)
    assert not Path(reviewed["soffice"]["profile"]).exists()


def test_an_odt_whose_name_begins_with_a_dash_is_converted(reviewed, capsys, tmp_path, monkeypatch):
    """`harvest .` names the files of the current folder as they are ("-mohrss.odt"): soffice read such a
    name as an option and converted nothing."""
    from pipeline.workspace import Workspace
    ws = Workspace(shutil.copytree(reviewed["workspaces"]["en"], tmp_path / "en"))
    folder = tmp_path / "returned"
    folder.mkdir()
    shutil.copy(reviewed["returned"]["en"]["odt"], folder / "-mohrss.odt")
    monkeypatch.chdir(folder)
    code, out = run(ws, capsys, "comments", "harvest", ".", "--org", "mohrss", "--json")
    assert code == 0, out.err
    assert _notes(json.loads(out.out)) == set(EN.expected)
