"""Comments carried to each newly frozen version: anchored, moved, changed or orphaned — never silently moved."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import freeze_text, run

DATA = Path(__file__).parent / "data" / "comments"
V1 = (DATA / "v1.md").read_text()
WORK, HEALTH = V1.split("## Right to health {#esc-health}")
P3 = "The state will keep the surveyed urban unemployment rate within 5.5 per cent and expand vocational training for rural migrant workers."
P4 = "Occupational health examinations will be extended to all workers exposed to occupational hazards."
P6 = "Average life expectancy will reach 79 years by 2030, and basic public health services will be improved."




def add(ws, capsys, para: str, quote: str, body: str) -> str:
    code, out = run(ws, capsys, "comments", "add", "--para", para, "--quote", quote, "--org", "mohrss",
                    "--body", body, "--json")
    assert code == 0, out.err
    return json.loads(out.out)["id"]


@pytest.fixture
def ws(mini_ws, capsys, tmp_path):
    freeze_text(mini_ws, capsys, tmp_path, V1, "v1")
    return mini_ws


def listed(ws, capsys) -> dict[str, dict]:
    code, out = run(ws, capsys, "comments", "list", "--json")
    assert code == 0
    rows = json.loads(out.out)
    assert all(set(r) >= {"id", "para", "status", "anchor", "quote", "version"} for r in rows)
    return {r["id"]: r for r in rows}


def test_edits_moves_and_rewrites_give_honest_verdicts(ws, capsys, tmp_path):
    target = add(ws, capsys, "p0003", "within 5.5 per cent", "Use the 14th FYP target.")
    workers = add(ws, capsys, "p0004", "extended to all workers exposed to", "Include gig workers.")
    who = add(ws, capsys, "p0004", "all workers", "Who exactly?")
    hazards = add(ws, capsys, "p0004", "occupational hazards", "Define hazards.")
    health = add(ws, capsys, "p0006", "basic public health services", "Which services?")
    v2 = (WORK.replace(P3, P6 + "\n\n" + P3.replace("rural migrant", "all rural migrant"))
          .replace("all workers exposed", "all employees and gig workers exposed")
          .replace("occupational hazards", "dangerous working conditions") + "## Right to health {#esc-health}\n")
    freeze_text(ws, capsys, tmp_path, v2, "v2")
    rows = listed(ws, capsys)
    assert (rows[target]["anchor"], rows[target]["para"], rows[target]["quote"], rows[target]["version"]) == \
        ("anchored", "p0003", "within 5.5 per cent", 2)
    assert rows[health]["anchor"] == "moved" and rows[health]["para"] == "p0006"
    assert rows[workers]["anchor"] == "changed" and rows[workers]["para"] == "p0004"
    assert rows[workers]["original_quote"] == "extended to all workers exposed to"
    assert "gig workers" in rows[workers]["quote"]
    assert (rows[who]["anchor"], rows[who]["quote"]) == ("changed", "all employees and gig workers")
    assert rows[hazards]["anchor"] == "orphaned" and rows[hazards]["replaced_by"] == "p0004"
    assert rows[hazards]["quote"] == "occupational hazards"


def test_deleted_paragraph_orphans_its_comments_and_later_versions_keep_them_orphaned(ws, capsys, tmp_path):
    health = add(ws, capsys, "p0006", "basic public health services", "Which services?")
    freeze_text(ws, capsys, tmp_path, WORK + "## Right to health {#esc-health}\n\nAll residents will have a family doctor.\n", "v2")
    rows = listed(ws, capsys)
    assert rows[health]["anchor"] == "orphaned" and rows[health]["quote"] == "basic public health services"
    freeze_text(ws, capsys, tmp_path, WORK + "## Right to health {#esc-health}\n\nAll residents will have a family doctor.\n\n"
           + P6 + "\n", "v3")
    rows = listed(ws, capsys)
    assert rows[health]["anchor"] == "orphaned" and rows[health]["version"] == 3


def test_split_paragraph_carries_each_comment_to_its_part(ws, capsys, tmp_path):
    first = add(ws, capsys, "p0003", "surveyed urban unemployment rate", "Urban only?")
    second = add(ws, capsys, "p0003", "vocational training for rural migrant workers", "Funding?")
    split = ("The state will keep the surveyed urban unemployment rate within 5.5 per cent. "
             "\n\nIt will also expand vocational training for rural migrant workers in every province.")
    freeze_text(ws, capsys, tmp_path, V1.replace(P3, split), "v2")
    rows = listed(ws, capsys)
    assert rows[first]["quote"] == "surveyed urban unemployment rate"
    assert rows[second]["quote"] == "vocational training for rural migrant workers"
    assert rows[first]["para"] != rows[second]["para"]
    assert {rows[first]["anchor"], rows[second]["anchor"]} <= {"anchored", "moved"}


def test_a_comment_merged_in_on_an_older_version_reads_as_carried_onto_the_latest(ws, capsys, tmp_path):
    """One clone harvested a comment on v1 while another froze v2, and git merged the two: the comment's
    file is still on v1. Every reading shows it carried onto v2, and on v3 after the next freeze, which
    rewrites no comment file."""
    ident = add(ws, capsys, "p0004", "occupational hazards", "Define hazards.")
    path = next((ws.root / "comments").rglob(f"{ident}.yaml"))
    as_harvested = path.read_bytes()
    v2 = V1.replace("occupational hazards", "dangerous working conditions")
    freeze_text(ws, capsys, tmp_path, v2, "v2")
    path.write_bytes(as_harvested)  # the record as the merge brings it in
    row = listed(ws, capsys)[ident]
    assert (row["anchor"], row["version"], row["replaced_by"]) == ("orphaned", 2, "p0004")
    assert path.read_bytes() == as_harvested  # reading writes nothing
    freeze_text(ws, capsys, tmp_path, v2 + "\nEvery worker will have a health check.\n", "v3")
    assert path.read_bytes() == as_harvested
    row = listed(ws, capsys)[ident]
    assert (row["anchor"], row["version"], row["replaced_by"]) == ("orphaned", 3, "p0004")

def test_reanchor_is_exposed_for_versions_in_memory(ws, capsys, tmp_path):
    from pipeline.anchoring import reanchor
    from pipeline.comments import load_comments
    ident = add(ws, capsys, "p0004", "occupational hazards", "Define hazards.")
    freeze_text(ws, capsys, tmp_path, V1.replace(P4, "Every worker will have a health check."), "v2")
    old, new = ws.load_version(1), ws.load_version(2)
    original = [c for c in load_comments(ws) if c.id == ident]
    original[0].anchor.version, original[0].anchor.state = 1, "anchored"
    original[0].anchor.para, original[0].anchor.quote = "p0004", "occupational hazards"
    original[0].anchor.start = P4.index("occupational hazards")
    original[0].anchor.end = original[0].anchor.start + len("occupational hazards")
    [carried] = reanchor(original, old, new)
    assert carried.anchor.state == "orphaned" and carried.anchor.version == 2


def amend(ws, capsys, para: str, quote: str, proposed: str) -> str:
    code, out = run(ws, capsys, "comments", "add", "--para", para, "--quote", quote, "--org", "mohrss",
                    "--body", f"Replace “{quote}”.", "--proposed", proposed, "--json")
    assert code == 0, out.err
    return json.loads(out.out)["id"]


def test_an_applied_amendment_is_marked_applied_not_orphaned(ws, capsys, tmp_path):
    from pipeline.anchoring import carry_to
    from pipeline.comments import load_comments
    short = amend(ws, capsys, "p0003", "vocational", "technical")  # one word: the case that was orphaned
    hazards = amend(ws, capsys, "p0004", "occupational hazards", "occupational risks")
    deletion = amend(ws, capsys, "p0006", "basic ", "")
    insertion = amend(ws, capsys, "p0006", "reach", "reach at least")
    other = amend(ws, capsys, "p0004", "extended to", "offered to")  # the drafters chose other words
    comment = add(ws, capsys, "p0003", "vocational", "Which training?")
    run(ws, capsys, "comments", "respond", short, "--status", "accepted", "--response", "Done.")
    before = load_comments(ws)
    v2 = V1.replace("vocational", "technical").replace("occupational hazards", "occupational risks") \
        .replace("basic public", "public").replace("will reach", "will reach at least") \
        .replace("extended to", "made available to")
    freeze_text(ws, capsys, tmp_path, v2, "v2")
    rows = listed(ws, capsys)
    assert (rows[short]["anchor"], rows[short]["para"], rows[short]["quote"], rows[short]["original_quote"],
            rows[short]["replaced_by"]) == ("applied", "p0003", "technical", "vocational", "")
    assert (rows[hazards]["anchor"], rows[hazards]["quote"]) == ("applied", "occupational risks")
    assert (rows[deletion]["anchor"], rows[deletion]["quote"], rows[deletion]["para"]) == ("applied", "", "p0006")
    assert (rows[insertion]["anchor"], rows[insertion]["quote"]) == ("applied", "reach at least")
    assert rows[other]["anchor"] == "orphaned" and rows[comment]["anchor"] == "orphaned"
    assert rows[short]["status"] == "accepted"  # the panel's disposition is the panel's
    # what freeze reports: the counts of the same carry
    carried = carry_to(ws, before, ws.load_version(2))
    assert carried.counts == {"reanchored": 6, "changed": 0, "orphaned": 2, "applied": 4}
    assert carried.summary() == "6 comment(s) re-anchored on v2: 2 orphaned, 4 applied"
    # applied stays applied, and keeps following its text
    freeze_text(ws, capsys, tmp_path, v2.replace(P3.split(" and ")[0].replace("vocational", "technical"),
                                            "The state will hold unemployment within 5.5 per cent"), "v3")
    rows = listed(ws, capsys)
    assert (rows[short]["anchor"], rows[short]["quote"], rows[short]["version"]) == ("applied", "technical", 3)


def test_freeze_reports_what_this_step_did_and_rewrites_no_comment_file(ws, capsys, tmp_path):
    """A freeze that rewrote every comment's anchor made each freeze touch every comment file in git."""
    amend(ws, capsys, "p0004", "occupational hazards", "occupational risks")
    add(ws, capsys, "p0006", "basic public health services", "Which services?")
    files = {path: path.read_bytes() for path in (ws.root / "comments").rglob("*.yaml")}
    v2 = V1.replace("hazards", "risks").replace(P6, "All residents will have a family doctor.")
    for name, text, counts in (("v2", v2, {"reanchored": 2, "changed": 0, "orphaned": 1, "applied": 1}),
                               ("v3", v2 + "\nA new paragraph.\n", {"reanchored": 2, "changed": 0, "orphaned": 0,
                                                                      "applied": 0})):
        (tmp_path / "draft.md").write_text(text)
        code, out = run(ws, capsys, "freeze", "--stage", "consultation", "--note", name, "--from",
                        str(tmp_path / "draft.md"), "--json")
        assert code == 0 and json.loads(out.out)["comments"] == counts  # what became so in this step only
    assert {path: path.read_bytes() for path in (ws.root / "comments").rglob("*.yaml")} == files
    assert {r["version"] for r in listed(ws, capsys).values()} == {3}


def test_an_amendment_cutting_its_quote_short_is_applied_only_once_the_text_is_cut(ws, capsys, tmp_path):
    ident = amend(ws, capsys, "p0003", "within 5.5 per cent", "5.5 per cent")
    freeze_text(ws, capsys, tmp_path, V1.replace("training for", "training to"), "v2")
    assert listed(ws, capsys)[ident]["anchor"] == "anchored"
    freeze_text(ws, capsys, tmp_path, V1.replace("rate within 5.5", "rate 5.5"), "v3")
    row = listed(ws, capsys)[ident]
    assert (row["anchor"], row["quote"], row["original_quote"]) == ("applied", "5.5 per cent", "within 5.5 per cent")


def test_an_applied_amendment_whose_paragraph_is_deleted_is_orphaned_not_locked(ws, capsys, tmp_path):
    ident = amend(ws, capsys, "p0004", "occupational hazards", "occupational risks")
    v2 = V1.replace("occupational hazards", "occupational risks")
    freeze_text(ws, capsys, tmp_path, v2, "v2")
    assert listed(ws, capsys)[ident]["anchor"] == "applied"
    freeze_text(ws, capsys, tmp_path, v2.replace(P4.replace("hazards", "risks"), ""), "v3")
    row = listed(ws, capsys)[ident]  # every command reads the store again, freeze included
    assert (row["anchor"], row["para"], row["version"], row["original_quote"]) == \
        ("orphaned", "p0004", 3, "occupational hazards")
    freeze_text(ws, capsys, tmp_path, v2.replace(P4.replace("hazards", "risks"), "") + "\nMore.\n", "v4")
    assert listed(ws, capsys)[ident]["anchor"] == "orphaned"


# -- carried once, then read from build/cache/ ------------------------------------------------------------
def _carried_twice_fails(monkeypatch) -> None:
    import pipeline.carry_cache
    monkeypatch.setattr(pipeline.carry_cache, "carry_to", lambda *args, **kwargs: pytest.fail("carried again"))


def test_comments_are_carried_once_then_read_from_the_cache(ws, capsys, tmp_path, monkeypatch):
    hazards = add(ws, capsys, "p0004", "occupational hazards", "Define hazards.")
    freeze_text(ws, capsys, tmp_path, V1.replace("occupational hazards", "dangerous working conditions"), "v2")
    first = listed(ws, capsys)
    _carried_twice_fails(monkeypatch)
    assert listed(ws, capsys) == first and first[hazards]["anchor"] == "orphaned"
    run(ws, capsys, "comments", "respond", hazards, "--status", "noted", "--response", "Seen.")  # not read by carrying
    assert listed(ws, capsys)[hazards]["status"] == "noted"


def test_a_changed_comment_or_a_damaged_cache_is_carried_again(ws, capsys, tmp_path):
    hazards = add(ws, capsys, "p0004", "occupational hazards", "Define hazards.")
    freeze_text(ws, capsys, tmp_path, V1 + "\nA new paragraph.\n", "v2")
    [path] = (ws.root / "comments").rglob(f"{hazards}.yaml")
    path.write_text(path.read_text().replace("state: anchored", "state: changed"))  # edited by hand
    assert listed(ws, capsys)[hazards]["anchor"] == "changed"
    cache = ws.root / "build" / "cache" / "carried-comments.json"
    cache.write_text("{not json")
    assert listed(ws, capsys)[hazards]["anchor"] == "changed" and json.loads(cache.read_text())["comments"]


def test_a_version_edited_after_the_comments_were_cached_is_refused(ws, capsys, tmp_path):
    """The cache is keyed by every version's files: it cannot vouch for a version changed since."""
    add(ws, capsys, "p0004", "occupational hazards", "Define hazards.")
    freeze_text(ws, capsys, tmp_path, V1 + "\nA new paragraph.\n", "v2")
    listed(ws, capsys)
    latest = ws.root / "drafts" / "versions" / "v002.md"
    latest.write_text(latest.read_text().replace("A new paragraph.", "A paragraph edited in place."))
    code, out = run(ws, capsys, "comments", "list")
    assert code == 2 and "v002.md" in out.err and "edited after it was frozen" in out.err


@pytest.mark.parametrize("damage", [
    lambda data: {**data, "comments": []},
    lambda data: {**data, "comments": {ident: "x" for ident in data["comments"]}},
    lambda data: {**data, "comments": {ident: {**e, "anchor": {"para": "p0001"}} for ident, e in data["comments"].items()}},
    lambda data: {**data, "comments": {ident: {**e, "anchor": {**e["anchor"], "start": "0"}}
                                       for ident, e in data["comments"].items()}},
    lambda data: {**data, "comments": {ident: {**e, "anchor": {**e["anchor"], "quote": "elsewhere"}}
                                       for ident, e in data["comments"].items()}},
    lambda data: {**data, "comments": {ident: {**e, "anchor": {**e["anchor"], "version": 1}}
                                       for ident, e in data["comments"].items()}},
])
def test_a_cache_entry_that_does_not_stand_on_the_latest_text_is_carried_again(ws, capsys, tmp_path, damage):
    hazards = add(ws, capsys, "p0004", "occupational hazards", "Define hazards.")
    freeze_text(ws, capsys, tmp_path, V1 + "\nA new paragraph.\n", "v2")
    right = listed(ws, capsys)[hazards]
    cache = ws.root / "build" / "cache" / "carried-comments.json"
    cache.write_text(json.dumps(damage(json.loads(cache.read_text()))))
    assert listed(ws, capsys)[hazards] == right


def test_an_unwritable_cache_is_no_error(ws, capsys, tmp_path, monkeypatch):
    hazards = add(ws, capsys, "p0004", "occupational hazards", "Define hazards.")
    freeze_text(ws, capsys, tmp_path, V1 + "\nA new paragraph.\n", "v2")
    import pipeline.carry_cache

    def refuse(*args, **kwargs):
        raise PermissionError("build/ is read-only")
    monkeypatch.setattr(pipeline.carry_cache, "atomic_write", refuse)
    (ws.root / "build" / "cache" / "carried-comments.json").unlink()
    assert listed(ws, capsys)[hazards]["version"] == 2


def test_a_dry_run_says_what_would_become_of_the_comments_and_keeps_nothing_of_its_version(ws, capsys, tmp_path):
    """The drafter previewing a freeze sees the comments it would orphan; nothing of the version the dry run
    did not write reaches the carry cache, which holds only the versions there are."""
    from pipeline.carry_cache import history_key
    add(ws, capsys, "p0004", "occupational hazards", "Define hazards.")
    freeze_text(ws, capsys, tmp_path, V1 + "\nA new paragraph.\n", "v2")
    cache = ws.root / "build" / "cache" / "carried-comments.json"
    cache.unlink()
    (tmp_path / "v3.md").write_text(V1.replace("occupational hazards", "workplace risks") + "\nAnother paragraph.\n")
    code, out = run(ws, capsys, "freeze", "--dry-run", "--json", "--from", str(tmp_path / "v3.md"))
    assert code == 0, out.err
    previewed = json.loads(out.out)["comments"]
    assert previewed["reanchored"] == 1 and previewed["orphaned"] + previewed["changed"] == 1, previewed
    assert json.loads(cache.read_text())["history"] == history_key(ws, [1, 2])
    code, out = run(ws, capsys, "freeze", "--dry-run", "--from", str(tmp_path / "v3.md"))
    assert "If frozen, 1 comment(s) re-anchored on v3" in out.out
    code, out = run(ws, capsys, "freeze", "--stage", "consultation", "--note", "v3", "--json", "--from",
                    str(tmp_path / "v3.md"))
    assert code == 0 and json.loads(out.out)["comments"] == previewed


def test_a_freeze_reads_each_version_once(ws, capsys, tmp_path, monkeypatch):
    """Checking the comments, carrying them and aligning the new version all use the parent: it was read
    three times, four at approval."""
    ident = add(ws, capsys, "p0004", "occupational hazards", "Define hazards.")
    import pipeline.versions
    versions_read, read_version = [], pipeline.versions.read_version
    monkeypatch.setattr(pipeline.versions, "read_version",
                        lambda ws, number: versions_read.append(number) or read_version(ws, number))
    for stage, note in (("consultation", "v2"), ("approval", "v3")):
        versions_read.clear()
        (tmp_path / f"{note}.md").write_text(V1 + f"\nA paragraph for {note}.\n")
        code, out = run(ws, capsys, "freeze", "--stage", stage, "--note", note, "--from", str(tmp_path / f"{note}.md"))
        assert code == 0, out.err
        assert sorted(set(versions_read)) == sorted(versions_read), (stage, versions_read)
        run(ws, capsys, "comments", "respond", ident, "--status", "accepted", "--response", "Done.")


def test_an_edited_quote_is_carried_as_the_whole_phrase_it_became(ws, capsys, tmp_path):
    """The quote's last words were moved behind it (“rural migrant workers” → “migrant workers from rural
    areas”): the carried quote is the edited phrase, ending at a word, not cut off after “from ”."""
    rural = add(ws, capsys, "p0003", "training for rural migrant workers", "Name the provinces.")
    freeze_text(ws, capsys, tmp_path, V1.replace("for rural migrant workers.", "for migrant workers from rural areas."),
                "v2")
    row = listed(ws, capsys)[rural]
    assert (row["anchor"], row["quote"], row["original_quote"]) == \
        ("changed", "training for migrant workers from rural areas", "training for rural migrant workers")


def test_a_quote_still_in_its_paragraph_after_a_reordering_is_found_there(ws, capsys, tmp_path):
    """The sentence now runs otherwise, and the quoted words stand in it in another letter case: found
    there (changed, the reviewer's words shown beside), not orphaned, since the text is not gone."""
    life = add(ws, capsys, "p0006", "Average life expectancy", "Say by how much.")
    freeze_text(ws, capsys, tmp_path, V1.replace(P6, "By 2030, average life expectancy will reach 79 years, and basic "
                                                     "public health services will be improved."), "v2")
    row = listed(ws, capsys)[life]
    assert (row["anchor"], row["para"], row["quote"], row["original_quote"]) == \
        ("changed", "p0006", "average life expectancy", "Average life expectancy")
