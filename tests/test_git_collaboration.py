"""The workspace under real git: a panel and a secretariat on clones of one shared remote.

Each test starts from the sample plan as `nhrap init --sample` makes it, committed and pushed to a
bare "shared" remote, and gives two or three people a clone of it. They work at once, commit, and
exchange through the remote with `git pull` (a merge): the pulls must merge without conflicts, and the
merged workspace must read as everyone's work together.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from helpers import GOOD_ROW, filled_template, paragraph_with, run, split_run
from pipeline.workspace import Workspace

# Quotes in paragraphs of v4, the sample's latest version, that reviewers comment on.
TRAINING = ("p0038", "75 million person-times")
STRATEGY = ("p0028", "employment-first strategy")
DISCRIMINATION = ("p0455", "carrier status for hepatitis B or HIV")
BARGAINING = ("p0456", "collective consultation on wages")
LEAVE = ("p0042", "paid annual leave")
CHAPTER = Path("drafts/chapters/02-esc.md")
CACHE = Path("build/cache")


@pytest.fixture(scope="module")
def git_home(tmp_path_factory):
    """git with no system or user configuration of the machine: a HOME of its own."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL"):
            patch.delenv(name, raising=False)
        for key, value in (("init.defaultBranch", "main"), ("pull.rebase", "false"), ("user.name", "Test"),
                           ("user.email", "test@example.org")):
            git(home, "config", "--global", key, value)
        yield home


def git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)
    if check:
        assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


@pytest.fixture(scope="module")
def seed(git_home, tmp_path_factory):
    """A bare repository holding the sample workspace as `nhrap init --sample` makes it, committed."""
    from pipeline.cli import main
    root = tmp_path_factory.mktemp("seed")
    assert main(["init", str(root / "plan"), "--sample"]) == 0
    git(root / "plan", "add", "-A")
    git(root / "plan", "commit", "-q", "-m", "The sample plan")
    git(root, "clone", "-q", "--bare", str(root / "plan"), str(root / "seed.git"))
    assert main(["--workspace", str(root / "plan"), "status", "--json"]) == 0  # fills build/cache, see `team`
    return root / "seed.git"


@pytest.fixture(scope="module")
def consultation_draft(seed, tmp_path_factory):
    """The consultation .docx of the latest version, as the secretariat sends it out."""
    from pipeline.cli import main
    root = tmp_path_factory.mktemp("draft")
    git(root, "clone", "-q", str(seed), str(root / "plan"))
    path = root / "consultation.docx"
    assert main(["--workspace", str(root / "plan"), "render", "latest", "--mode", "consultation",
                 "-o", str(path)]) == 0
    return path


@dataclass
class Clone:
    """One person's clone of the shared workspace."""
    path: Path
    capsys: pytest.CaptureFixture

    def nhrap(self, *args: str) -> str:
        """Run an nhrap command here that must succeed; its standard output."""
        code, out = run(Workspace(self.path), self.capsys, *args)
        assert code == 0, f"nhrap {' '.join(args)}:\n{out.err}"
        return out.out

    def json(self, *args: str):
        return json.loads(self.nhrap(*args, "--json"))

    def fails(self, *args: str) -> tuple[int, str]:
        """Run an nhrap command here that must not succeed; (exit status, standard error)."""
        code, out = run(Workspace(self.path), self.capsys, *args)
        assert code != 0, f"nhrap {' '.join(args)} succeeded:\n{out.out}"
        return code, out.err

    def commit(self, message: str) -> None:
        """Commit everything changed, if anything is."""
        git(self.path, "add", "-A")
        if git(self.path, "status", "--porcelain").stdout:
            git(self.path, "commit", "-q", "-m", message)

    def pull(self) -> None:
        """Merge what the others pushed; any conflict fails the test, naming the files."""
        result = git(self.path, "pull", "--no-rebase", "--no-edit", "origin", "main", check=False)
        conflicts = git(self.path, "diff", "--name-only", "--diff-filter=U").stdout
        assert result.returncode == 0 and not conflicts, f"git pull:\n{result.stdout}{result.stderr}"

    def push(self) -> None:
        git(self.path, "push", "-q", "origin", "main")

    def changed(self) -> str:
        """`git status --porcelain`: what is not committed."""
        return git(self.path, "status", "--porcelain").stdout

    def edit(self, name: Path, old: str, new: str) -> None:
        path = self.path / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def team(seed, tmp_path, capsys):
    """People with a clone each of a fresh shared remote holding the sample workspace: `team("zhang", "li")`."""
    shared = tmp_path / "shared.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(shared))

    def clones(*names: str) -> list[Clone]:
        for name in names:
            git(tmp_path, "clone", "-q", str(shared), str(tmp_path / name))
            # the parsed versions a clone keeps in build/ (not versioned) after its first command: each
            # test need not parse the sample's four versions again
            shutil.copytree(seed.parent / "plan" / CACHE, tmp_path / name / CACHE)
        return [Clone(tmp_path / name, capsys) for name in names]
    return clones


def exchange(*clones: Clone, message: str = "work") -> None:
    """Each clone in turn commits its work, merges what the others pushed and pushes; then every clone
    has everyone's work. A merge conflict fails the test."""
    for clone in clones:
        clone.commit(message)
        clone.pull()
        clone.push()
    for clone in clones[:-1]:
        clone.pull()


def returned(draft: Path, folder: Path, name: str, notes: list[tuple[str, str, str]]) -> Path:
    """The consultation draft as a reviewer returns it: Word comments (paragraph, quote, text) on it."""
    document = docx.Document(str(draft))
    for para, quote, text in notes:
        target = split_run(paragraph_with(document, f"[{para}] "), quote)
        document.add_comment([target], text=text, author=name.split("-")[0].upper(), initials="R")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.docx"
    document.save(str(path))
    return path


def consistent(clone: Clone) -> list[dict]:
    """The merged workspace reads whole: versions, submissions, chapters (the draft `status` composes) and
    comments. Its comments."""
    clone.json("status")
    return clone.json("comments", "list")


# -- 1. harvesting returned files at once --------------------------------------------------------------
def test_two_secretaries_harvest_returned_files_into_one_round(team, consultation_draft, tmp_path):
    zhang, li = team("zhang", "li")
    mail = tmp_path / "mail"
    mohrss = returned(consultation_draft, mail, "mohrss-returned", [(*TRAINING, "Say how many per year."),
                                                                    (*STRATEGY, "Cite the strategy.")])
    acftu = returned(consultation_draft, mail, "acftu-returned", [(*BARGAINING, "Add sectoral bargaining.")])
    zhang.nhrap("comments", "harvest", str(mohrss), "--round", "4")
    li.nhrap("comments", "harvest", str(acftu), "--round", "4")
    exchange(zhang, li)
    comments = consistent(li)
    assert {(c["org"], c["para"], c["quote"]) for c in comments if c["round"] == 4} == {
        ("mohrss", *TRAINING), ("mohrss", *STRATEGY), ("acftu", *BARGAINING)}
    assert zhang.json("comments", "list", "--round", "4") == li.json("comments", "list", "--round", "4")


def test_one_organisations_files_harvested_on_two_clones(team, consultation_draft, tmp_path):
    """Two departments of one ministry answer separately, and both secretaries harvest the first file
    (it came by mail to both): one comment stored once, none lost."""
    zhang, li = team("zhang", "li")
    legal = returned(consultation_draft, tmp_path / "mail", "mohrss-legal", [(*DISCRIMINATION, "Add age.")])
    training = returned(consultation_draft, tmp_path / "mail", "mohrss-training", [(*TRAINING, "Per year?")])
    zhang.nhrap("comments", "harvest", str(legal), "--round", "4")
    li.nhrap("comments", "harvest", str(legal), str(training), "--round", "4")
    exchange(zhang, li)
    comments = consistent(zhang)
    assert sorted((c["org"], c["para"]) for c in comments if c["round"] == 4) == [
        ("mohrss", TRAINING[0]), ("mohrss", DISCRIMINATION[0])]


def test_one_file_harvested_into_two_rounds_on_two_clones_is_read_once(team, consultation_draft, tmp_path):
    """Zhang opens round 4 with a returned file; Li, who has not pulled it, harvests the same file into the
    latest round Li has, 3, and is told so. After the merge the comment is in both round folders: every
    command reads it once, from round 4, and says which file to remove; nothing is lost."""
    zhang, li = team("zhang", "li")
    mohrss = returned(consultation_draft, tmp_path / "mail", "mohrss-returned", [(*TRAINING, "Per year?")])
    assert "1 new, 0 already stored; made from v4 (document properties); stored in round 4\n" in \
        zhang.nhrap("comments", "harvest", str(mohrss), "--round", "4")
    assert "stored in round 3 (the latest round here; --round to choose)" in li.nhrap("comments", "harvest", str(mohrss))
    exchange(zhang, li)
    [comment] = [c for c in consistent(li) if c["org"] == "mohrss" and c["para"] == TRAINING[0]]
    assert comment["round"] == 4
    li.nhrap("comments", "respond", comment["id"], "--status", "noted")  # answered in both copies, still one record
    code, out = run(Workspace(li.path), li.capsys, "freeze", "--stage", "consultation", "--note", "v5", "--dry-run")
    remove = f"git rm comments/r03/{comment['id']}.yaml"
    assert code == 0 and "stored in 2 rounds, the same record" in out.err and remove in out.err
    li.commit("Answered")
    git(li.path, *remove.split()[1:])  # as the warning says
    code, out = run(Workspace(li.path), li.capsys, "comments", "list", "--json")
    assert code == 0 and not out.err
    assert {c["id"]: c["status"] for c in json.loads(out.out)}[comment["id"]] == "noted"


def test_one_file_harvested_into_two_rounds_and_answered_on_one_clone_is_refused_naming_both(
        team, consultation_draft, tmp_path):
    """As above, but Li answers the comment before the merge: the two copies differ, and only the panel can
    say which to keep. The error names the round of each copy and the command keeping either."""
    zhang, li = team("zhang", "li")
    mohrss = returned(consultation_draft, tmp_path / "mail", "mohrss-returned", [(*TRAINING, "Per year?")])
    zhang.nhrap("comments", "harvest", str(mohrss), "--round", "4")
    ident = li.json("comments", "harvest", str(mohrss))[0]["id"]
    li.nhrap("comments", "respond", ident, "--status", "accepted", "--response", "Yearly figures added.")
    exchange(zhang, li)
    code, err = li.fails("comments", "list")
    keep_round_3 = f"git rm comments/r04/{ident}.yaml"
    assert code == 2 and "the copies differ in disposition.date, disposition.resolved_in, disposition.response, " \
        "disposition.status" in err
    assert f"round 3 in comments/r03/{ident}.yaml; round 4 in comments/r04/{ident}.yaml" in err
    assert f"`{keep_round_3}` keeps round 3's" in err
    git(li.path, *keep_round_3.split()[1:])
    [comment] = [c for c in consistent(li) if c["id"] == ident]
    assert (comment["round"], comment["status"]) == (3, "accepted")


def consulted(name: str, category: str = "social") -> str:
    """A consulted organisation's line in drafts/members.yaml."""
    return f'- {{id: {name}, name_en: "{name.upper()} Association", name_zh: "{name}协会", category: {category}}}\n'


def test_organisations_new_to_the_registry_are_added_and_harvested_on_two_clones(team, consultation_draft, tmp_path):
    """Two organisations not consulted before send comments: each secretary adds one to the registry
    (at its end, as people do) and harvests its file."""
    zhang, li = team("zhang", "li")
    for clone, org, quote in ((zhang, "sshrs", STRATEGY), (li, "bjhrs", LEAVE)):
        with (clone.path / "drafts/members.yaml").open("a", encoding="utf-8") as registry:
            registry.write(consulted(org))
        path = returned(consultation_draft, tmp_path / clone.path.name, f"{org}-returned", [(*quote, "Why?")])
        clone.nhrap("comments", "harvest", str(path), "--round", "4")
    exchange(zhang, li)
    assert sorted(c["org"] for c in consistent(li) if c["round"] == 4) == ["bjhrs", "sshrs"]


def test_a_registry_line_edited_on_two_clones_is_refused_not_merged_silently(team):
    """Both secretaries correct the same organisation's line: git keeps both lines (the registry merges
    line by line), and nhrap names the organisation listed twice."""
    zhang, li = team("zhang", "li")
    for clone, name in ((zhang, "All-China Lawyers Association"), (li, "All China Lawyers' Association")):
        clone.edit(Path("drafts/members.yaml"), '"All China Lawyers Association"', f'"{name}"')
    exchange(zhang, li)
    code, err = li.fails("status")
    assert code == 2 and "members.yaml:" in err and "duplicate member id 'acla'" in err
    assert "(first on line " in err and "keep one of the two lines" in err and "keeps both sides' lines" in err


def test_instruments_and_sources_added_on_two_clones_merge_and_one_edited_on_both_is_refused(team):
    """The glossary's instrument and source lists merge line by line too: two additions at once are both
    kept; one line corrected on both clones comes out twice, and its id is named."""
    zhang, li = team("zhang", "li")
    for clone, ident in ((zhang, "CMW"), (li, "CED")):
        for name, line in (("instruments.yaml", f"- {{id: {ident}, name_en: {ident} convention, name_zh: 公约}}\n"),
                           ("sources.yaml", f"{ident}_TEXT: https://example.org/{ident}\n")):
            with (clone.path / "glossary" / name).open("a", encoding="utf-8") as listing:
                listing.write(line)
    exchange(zhang, li)
    li.nhrap("glossary", "validate")
    instruments = (li.path / "glossary/instruments.yaml").read_text(encoding="utf-8")
    assert "id: CMW," in instruments and "id: CED," in instruments
    for clone, name in ((zhang, "UN Statement on the HRBA"), (li, "Common Understanding on the HRBA")):
        clone.edit(Path("glossary/instruments.yaml"),
                   "UN Statement of Common Understanding on the Human Rights-Based Approach to Development "
                   "Cooperation", name)
    exchange(zhang, li)
    code, err = li.fails("glossary", "validate")
    assert code == 2 and "instruments.yaml:" in err and "instrument 'HRBA': duplicate id" in err


def test_style_rules_added_on_two_clones_merge_and_one_edited_on_both_is_refused(team):
    """Panel members add style rules as examination goes: two at once are both kept; a rule reworded on
    both clones comes out twice, and its phrase is named."""
    zhang, li = team("zhang", "li")
    for clone, phrase in ((zhang, "in terms of"), (li, "it should be noted that")):
        with (clone.path / "glossary/style-en.yaml").open("a", encoding="utf-8") as rules:
            rules.write(f"- {{rule: wordy, phrase: {phrase}, suggestion: delete}}\n")
    exchange(zhang, li)
    rules = (li.path / "glossary/style-en.yaml").read_text(encoding="utf-8")
    assert "phrase: in terms of," in rules and "phrase: it should be noted that," in rules
    li.nhrap("check", "style")
    for clone, suggestion in ((zhang, "now"), (li, "now, or delete")):
        clone.edit(Path("glossary/style-en.yaml"), "phrase: at the present time, suggestion: now}",
                   f"phrase: at the present time, suggestion: '{suggestion}'}}")
    exchange(zhang, li)
    code, err = li.fails("check", "style")
    assert code == 2 and "style-en.yaml:" in err and "'at the present time' is in two style rules" in err


def test_a_style_setting_changed_on_two_clones_names_both_lines_and_why(team):
    """Both clones change the sentence length: the union merge keeps both lines, and the error names both and
    says that one is to be kept."""
    zhang, li = team("zhang", "li")
    for clone, words in ((zhang, "40"), (li, "50")):
        clone.edit(Path("glossary/style-en.yaml"), "max_sentence_words: 45", f"max_sentence_words: {words}")
    exchange(zhang, li)
    text = (li.path / "glossary/style-en.yaml").read_text(encoding="utf-8").splitlines()
    first, second = [n for n, line in enumerate(text, start=1) if line.startswith("max_sentence_words:")]
    code, err = li.fails("check", "style")
    assert code == 2 and f"style-en.yaml:{second}: duplicate key 'max_sentence_words' (first on line {first}); " \
        "keep one of the two lines and delete the other" in err and "keeps both sides' lines" in err


# -- 2. answering comments at once ---------------------------------------------------------------------
def test_two_panel_members_answer_different_comments_of_a_round(team):
    zhang, li, wang = team("zhang", "li", "wang")
    first, second, third = [c["id"] for c in zhang.json("comments", "list", "--round", "3", "--status", "open")][:3]
    zhang.nhrap("comments", "respond", first, "--status", "accepted", "--response", "Done.", "--by", "Zhang")
    li.nhrap("comments", "respond", second, "--status", "not-accepted", "--response", "Out of scope.", "--by", "Li")
    wang.nhrap("comments", "respond", third, "--status", "withdrawn", "--by", "Wang")
    exchange(zhang, li, wang)
    status = {c["id"]: c["status"] for c in consistent(wang)}
    assert (status[first], status[second], status[third]) == ("accepted", "not-accepted", "withdrawn")


def changed_lines(clone: Clone) -> list[str]:
    """The lines of tracked files changed and not yet committed, without their +/- mark."""
    diff = git(clone.path, "diff", "-U0").stdout.splitlines()
    return [line[1:] for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_a_response_and_a_freeze_at_once_merge(team):
    """Li answers a comment while Zhang freezes v5. A response rewrites only the disposition, and a freeze
    rewrites no comment file (each keeps the anchor it was made with), so git has nothing to merge."""
    zhang, li = team("zhang", "li")
    ident = next(c["id"] for c in li.json("comments", "list", "--status", "open") if c["para"])
    li.nhrap("comments", "respond", ident, "--status", "accepted", "--response", "Done.", "--by", "Li")
    assert {line.split(":")[0] for line in changed_lines(li)} == {"  status", "  response", "  resolved_in", "  by",
                                                                  "  date"}  # disposition.date: the day of the response
    zhang.edit(CHAPTER, "75 million person-times", "80 million person-times")
    zhang.nhrap("freeze", "--stage", "consultation", "--note", "second draft")
    assert "comments/" not in zhang.changed()
    exchange(zhang, li)
    comment = {c["id"]: c for c in consistent(li)}[ident]
    assert (comment["status"], comment["version"]) == ("accepted", 5)


# -- 3. submissions and chapters at once ---------------------------------------------------------------
def test_submissions_and_chapters_edited_on_two_clones(team, tmp_path):
    """Zhang takes in ACFTU's Word submission while Li writes MEM's by hand; both edit a chapter, in
    neighbouring paragraphs, and Li another chapter."""
    zhang, li = team("zhang", "li")
    zhang.nhrap("intake", str(filled_template(tmp_path / "acftu.docx", [GOOD_ROW], round_no="1")))
    (li.path / "drafts/submissions/mem-r1.md").write_text(
        "---\nmember: mem\nround: 1\ndate: 2026-01-10\n---\n\n## cpr-life\n\n### Goals\n\n"
        "- [g-mem-01] Halve deaths in workplace accidents.\n", encoding="utf-8")
    zhang.edit(CHAPTER, "Work is the basis of a decent livelihood.", "Decent work is the basis of a livelihood.")
    zhang.edit(CHAPTER, "employment will be protected.", "employment will be guaranteed.")
    li.edit(CHAPTER, "Trade unions will represent workers", "Trade unions will stand for workers")  # the next paragraph
    li.edit(Path("drafts/chapters/06-edu.md"), "in ways appropriate to the age", "in ways suited to the age")
    exchange(zhang, li)
    assert {"acftu", "mem"} <= set(li.json("status")["submitted"])
    draft = Path(li.json("draft")["path"]).read_text(encoding="utf-8")
    for text in ("signs a collective contract", "Halve deaths", "Decent work is the basis", "will be guaranteed.",
                 "will stand for workers", "suited to the age"):
        assert text in draft


# -- 4. a freeze and a harvest at once -----------------------------------------------------------------
def test_comments_harvested_while_another_clone_froze_are_read_on_the_new_version(team, consultation_draft, tmp_path):
    """Li harvests comments on v4 while Zhang freezes v5, which rewrites the text one of them quotes.
    After the merge they read as carried onto v5, and after the next freeze onto v6; their files stay as
    harvested."""
    zhang, li = team("zhang", "li")
    zhang.edit(CHAPTER, "75 million person-times", "80 million person-times")
    zhang.nhrap("freeze", "--stage", "consultation", "--note", "second draft")
    mohrss = returned(consultation_draft, tmp_path / "mail", "mohrss-returned",
                      [(*TRAINING, "Per year?"), (*LEAVE, "Name the sectors.")])
    li.nhrap("comments", "harvest", str(mohrss), "--round", "4")
    exchange(zhang, li)
    harvested = {c["para"]: c for c in consistent(li) if c["round"] == 4}
    training, leave = harvested[TRAINING[0]], harvested[LEAVE[0]]
    assert (training["anchor"], training["quote"], training["original_quote"], training["version"]) == \
        ("changed", "80 million person-times", TRAINING[1], 5)
    assert (leave["anchor"], leave["quote"], leave["version"]) == ("anchored", LEAVE[1], 5)
    assert not li.changed()  # reading rewrote nothing
    li.edit(CHAPTER, "paid annual leave", "paid annual leave and parental leave")
    li.nhrap("freeze", "--stage", "consultation", "--note", "third draft")
    assert "comments/" not in li.changed()
    training = {c["id"]: c for c in li.json("comments", "list")}[training["id"]]
    assert (training["anchor"], training["quote"], training["version"]) == ("changed", "80 million person-times", 6)


def test_one_file_harvested_before_and_after_a_freeze_merges_as_one(team, consultation_draft, tmp_path):
    """Li harvests a file; Zhang, who has frozen v5 meanwhile, harvests it too. Both store the comment as
    made, on v4, in the same bytes: git merges the two as one comment."""
    zhang, li = team("zhang", "li")
    mohrss = returned(consultation_draft, tmp_path / "mail", "mohrss-returned", [(*TRAINING, "Per year?")])
    li.nhrap("comments", "harvest", str(mohrss), "--round", "4")
    zhang.edit(CHAPTER, "75 million person-times", "80 million person-times")
    zhang.nhrap("freeze", "--stage", "consultation", "--note", "second draft")
    zhang.nhrap("comments", "harvest", str(mohrss), "--round", "4")
    exchange(zhang, li)
    [comment] = [c for c in consistent(li) if c["round"] == 4]
    assert (comment["anchor"], comment["quote"], comment["version"]) == ("changed", "80 million person-times", 5)


def test_a_file_made_from_a_version_this_clone_lacks_is_refused_until_pulled(team, tmp_path):
    """Zhang freezes v5 and sends it out; Li, who has not pulled v5, is told to pull rather than to pass
    --version (the file harvested on v4 here and on v5 by Zhang would be stored twice)."""
    zhang, li = team("zhang", "li")
    zhang.edit(CHAPTER, "75 million person-times", "80 million person-times")
    zhang.nhrap("freeze", "--stage", "consultation", "--note", "second draft")
    zhang.nhrap("render", "latest", "--mode", "consultation", "-o", str(tmp_path / "v5.docx"))
    mohrss = returned(tmp_path / "v5.docx", tmp_path / "mail", "mohrss-returned", [(*LEAVE, "Which sectors?")])
    for extra in ([], ["--version", "4"]):
        code, err = li.fails("comments", "harvest", str(mohrss), *extra)
        assert code == 2 and "made from v5 (document properties), and this clone lacks v5 (its latest is v4): " \
            "git pull first" in err and "--version" not in err, err
    assert "comments/" not in li.changed()
    zhang.nhrap("comments", "harvest", str(mohrss))
    exchange(zhang, li)
    li.nhrap("comments", "harvest", str(mohrss))
    assert [c["body"] for c in consistent(li)].count("Which sectors?") == 1


# -- 5. two freezes at once ----------------------------------------------------------------------------
VERSION_FILES = ("drafts/versions/v005.md", "drafts/versions/v005.yaml")
EDUCATION = ("p0358", "in ways appropriate to the age of students")


def freeze_at_once(team) -> tuple[Clone, Clone]:
    """Zhang and Li each freeze v5 from their own edits, and Zhang pushes first: git refuses Li's push."""
    zhang, li = team("zhang", "li")
    zhang.edit(CHAPTER, "75 million person-times", "80 million person-times")
    li.edit(Path("drafts/chapters/06-edu.md"), "in ways appropriate to the age", "in ways suited to the age")
    for clone in (zhang, li):
        clone.nhrap("freeze", "--stage", "consultation", "--note", f"draft of {clone.path.name}")
        clone.commit("Froze v5")
    zhang.push()
    assert git(li.path, "push", "-q", "origin", "main", check=False).returncode != 0
    return zhang, li


def pull_conflicts(clone: Clone) -> list[str]:
    """`git pull`, which must stop in conflicts: the files in conflict."""
    assert git(clone.path, "pull", "--no-rebase", "--no-edit", "origin", "main", check=False).returncode != 0
    return git(clone.path, "diff", "--name-only", "--diff-filter=U").stdout.split()


def test_two_clones_freezing_at_once_conflict_on_the_version(team):
    _zhang, li = freeze_at_once(team)
    conflicts = pull_conflicts(li)
    assert set(VERSION_FILES) <= set(conflicts)
    li.commit("Merged as git left it")  # git's conflict markers committed
    code, err = li.fails("status")
    assert code == 2 and "v005.yaml:" in err and "a git merge conflict is left here" in err
    assert "two clones froze v5 at once. Keep the v5 shared first" in err
    assert f"once the conflict is committed: git checkout @{{upstream}} -- {' '.join(VERSION_FILES)}" in err
    for command in (["comments", "list"], ["freeze", "--stage", "consultation", "--note", "v6"]):
        code, err = li.fails(*command)
        assert code == 2 and "a git merge conflict is left here" in err
    git(li.path, "checkout", "@{upstream}", "--", *conflicts)  # as the error says
    li.commit("Kept the v5 shared first")
    assert li.json("status")["versions"][-1]["version"] == "v5"


def test_a_version_renumbered_to_settle_the_conflict_is_refused(team):
    """Li keeps Zhang's v5 and renames their own as v6: v6 was made from v4, not v5, and would carry
    comments and give out paragraph ids as if v5 did not exist."""
    _zhang, li = freeze_at_once(team)
    conflicts = pull_conflicts(li)
    for name in VERSION_FILES:
        ours = git(li.path, "show", f":2:{name}").stdout.replace("version: 5\nname: v5\n", "version: 6\nname: v6\n")
        (li.path / name.replace("v005", "v006")).write_text(ours, encoding="utf-8")
    git(li.path, "checkout", "--theirs", "--", *conflicts)
    li.commit("Both versions kept")
    for command in (["status"], ["comments", "list"], ["freeze", "--stage", "consultation", "--note", "v7"]):
        code, err = li.fails(*command)
        assert code == 2 and "v006.yaml:3: v6 was frozen from v4, not from v5" in err


def test_keeping_the_version_shared_first_and_freezing_again_settles_it(team, consultation_draft, tmp_path):
    """The settlement the error gives. A comment Li harvested meanwhile is stored on v4, which both clones
    share, so it survives the settlement and follows Li's edit (still in Li's chapter) into v6."""
    zhang, li = freeze_at_once(team)
    mohrss = returned(consultation_draft, tmp_path / "mail", "mohrss-returned", [(*EDUCATION, "Which ages?")])
    li.nhrap("comments", "harvest", str(mohrss), "--round", "4")
    git(li.path, "checkout", "--theirs", "--", *pull_conflicts(li))
    li.commit("Kept Zhang's v5")
    [comment] = [c for c in li.json("comments", "list") if c["round"] == 4]
    assert (comment["para"], comment["version"], comment["anchor"]) == (EDUCATION[0], 5, "anchored")
    li.nhrap("freeze", "--stage", "consultation", "--note", "Li's edits on top of Zhang's")
    exchange(li, zhang)
    v6 = zhang.json("show", "6")
    text = " ".join(block["text"] for block in v6)
    assert "80 million person-times" in text and "in ways suited to the age" in text
    assert len({block["id"] for block in v6}) == len(v6)
    [comment] = [c for c in consistent(zhang) if c["round"] == 4]
    assert (comment["para"], comment["version"], comment["anchor"]) == (EDUCATION[0], 6, "changed")


def test_a_file_made_from_the_v5_not_kept_is_refused_and_so_is_a_comment_stored_on_it(team, tmp_path):
    """Li sent out Li's own v5 before the conflict; Zhang's v5 was kept. A comment Li harvested from it
    meanwhile quotes words that stand at the same place in the kept v5, but not with the text the reviewer
    read around them; a file returned later is made from text no version here has. Neither is put on the
    kept v5."""
    _zhang, li = freeze_at_once(team)
    li.nhrap("render", "latest", "--mode", "consultation", "-o", str(tmp_path / "li-v5.docx"))
    mail = tmp_path / "mail"
    early = returned(tmp_path / "li-v5.docx", mail, "mohrss-early", [("p0358", "every level of education", "Which?")])
    ident = li.json("comments", "harvest", str(early))[0]["id"]
    late = returned(tmp_path / "li-v5.docx", mail, "acftu-late", [(*TRAINING, "Per year?"),
                                                                  ("p0358", "in ways suited to the age", "Ages?")])
    git(li.path, "checkout", "--theirs", "--", *pull_conflicts(li))
    li.commit("Kept Zhang's v5")
    code, err = li.fails("comments", "harvest", str(late))
    assert code == 2 and "the file says it was made from v5 (document properties), but its paragraph p0038 does " \
        "not read as in v5: it was made from a different v5 — one frozen on another clone and since replaced" in err
    assert "nhrap render 5 --mode consultation" in err and "--version v4" in err
    assert not li.changed()
    code, err = li.fails("comments", "list")
    assert code == 2 and f"{ident}.yaml:" in err and "not with the text the record keeps either side of it" in err


def test_comments_made_on_the_v5_not_kept_are_all_named_with_what_to_do(team, consultation_draft, tmp_path):
    """Li adds a comment on a paragraph new in Li's v5 and harvests one made on v4 that Li's v5 carried; then
    Zhang's v5 is kept. Every command, freeze too, names both records at once, with the likely cause and how
    each is made again: an added one added again, a harvested one harvested again."""
    zhang, li = team("zhang", "li")
    zhang.edit(CHAPTER, "75 million person-times", "80 million person-times")
    li.edit(Path("drafts/chapters/06-edu.md"), "in ways appropriate to the age of students.",
            "in ways appropriate to the age of students.\n\nTeachers will be trained in human rights education.")
    for clone in (zhang, li):
        clone.nhrap("freeze", "--stage", "consultation", "--note", f"draft of {clone.path.name}")
        clone.commit("Froze v5")
    zhang.push()
    new = next(b["id"] for b in li.json("show", "5") if b["text"].startswith("Teachers will be trained"))
    added = li.json("comments", "add", "--para", new, "--quote", "Teachers", "--org", "acwf", "--body", "Which?")
    li.nhrap("render", "latest", "--mode", "consultation", "-o", str(tmp_path / "li-v5.docx"))
    mohrss = returned(tmp_path / "li-v5.docx", tmp_path / "mail", "mohrss-returned", [(*TRAINING, "Per year?")])
    harvested = li.json("comments", "harvest", str(mohrss))[0]
    git(li.path, "checkout", "--theirs", "--", *pull_conflicts(li))
    li.commit("Kept Zhang's v5")
    for command in (["comments", "list"], ["freeze", "--stage", "consultation", "--note", "v6"]):
        code, err = li.fails(*command)
        assert code == 2 and "2 comment record(s) are anchored on text their version does not have here" in err
        assert f"{added['id']}.yaml:5: paragraph '{new}' does not exist in v5. It was added with `comments add`: " \
            "add it again on the text v5 has here (nhrap comments add --para … --quote … --version 5" in err
        assert f"{harvested['id']}.yaml:" in err and "Delete this file and harvest mohrss-returned.docx again" in err
        assert "Likely cause: v5 was frozen on two clones at once" in err


# -- no churn ------------------------------------------------------------------------------------------
def test_a_command_run_again_on_the_same_input_changes_no_file(team, consultation_draft, tmp_path):
    """Every command that writes into the workspace, run twice: the second run leaves git nothing to
    commit, and what the commands write to build/ never shows in git status."""
    [zhang] = team("zhang")
    mail = tmp_path / "mail"
    matrix = mail / "cshrs-matrix.csv"
    returned_file = returned(consultation_draft, mail, "acftu-returned", [(*BARGAINING, "Add sectoral bargaining.")])
    matrix.write_text(f"Paragraph,Quote,Comment\n{STRATEGY[0]},{STRATEGY[1]},Cite the strategy.\n", encoding="utf-8")
    ident = zhang.json("comments", "list", "--status", "open")[0]["id"]
    commands = [
        ("intake", str(filled_template(mail / "acftu.docx", [GOOD_ROW], round_no="1")), "--force"),
        ("comments", "harvest", str(returned_file), "--round", "4"),
        ("comments", "import", str(matrix), "--org", "cshrs", "--round", "4"),
        ("comments", "add", "--para", LEAVE[0], "--quote", LEAVE[1], "--org", "acwf", "--body", "Which sectors?"),
        ("comments", "respond", ident, "--status", "accepted", "--response", "Done.", "--by", "Zhang"),
        ("draft",),
        ("glossary", "export"),
    ]
    for command in commands:
        zhang.nhrap(*command)
    first_run = zhang.changed()
    assert "comments/r04/" in first_run and "acftu-r1.md" in first_run and "build/" not in first_run
    zhang.commit("First run")
    for command in commands:
        zhang.nhrap(*command)
    assert not zhang.changed()


# -- line ends ------------------------------------------------------------------------------------------
def test_a_clone_on_windows_line_ends_reads_the_frozen_versions(seed, tmp_path, capsys):
    """Git for Windows checks text out with CRLF line ends (core.autocrlf); the .gitattributes `nhrap init`
    writes keeps LF, so the frozen versions still match their hashes there."""
    git(tmp_path, "-c", "core.autocrlf=true", "clone", "-q", str(seed), str(tmp_path / "windows"))
    windows = Clone(tmp_path / "windows", capsys)
    assert b"\r\n" not in (windows.path / "drafts/versions/v001.md").read_bytes()
    assert windows.json("status")["versions"][-1]["version"] == "v4"
    windows.nhrap("comments", "respond", windows.json("comments", "list")[0]["id"], "--status", "noted")
    assert git(windows.path, "diff", "--stat").stdout.count("|") == 1  # the one comment, no line-end churn
