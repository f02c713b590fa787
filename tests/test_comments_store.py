"""The comment store: git-friendly files, concurrent writers, dispositions and the consensus gate."""
from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from helpers import freeze_text, run

DATA = Path(__file__).parent / "data" / "comments"




@pytest.fixture
def ws(frozen_ws):
    return frozen_ws


def _writer(args) -> None:
    root, worker = args
    from pipeline import comments as store
    from pipeline.workspace import open_workspace
    ws = open_workspace(Path(root))
    version, member = ws.load_version("latest"), ws.plan.members["mohrss"]
    anchor = store.anchor_in_version(version, "p0003", "within 5.5 per cent")
    for n in range(100):
        comment = store.new_comment(round=1, version=1, anchor=anchor, member=member, body=f"worker {worker} comment {n}")
        added, _present, _carried = store.store_comments(ws, [comment], version)
        assert added


def test_eight_concurrent_writers_lose_nothing(ws):
    with multiprocessing.get_context("fork").Pool(8) as pool:
        pool.map(_writer, [(str(ws.root), w) for w in range(8)])
    from pipeline.comments import load_comments
    comments = load_comments(ws)
    assert len(comments) == 800 and len({c.id for c in comments}) == 800
    assert {c.body for c in comments} == {f"worker {w} comment {n}" for w in range(8) for n in range(100)}
    assert not list((ws.root / "comments").rglob("*.tmp"))


def test_one_readable_yaml_file_per_comment_with_the_full_record(ws, capsys):
    code, out = run(ws, capsys, "comments", "add", "--para", "p0004", "--quote", "all workers", "--org", "exp-li",
                    "--body", "Include self-employed workers.", "--proposed", "all workers, including the self-employed",
                    "--author", "Li Ming", "--round", "2", "--json")
    assert code == 0, out.err
    record = json.loads(out.out)
    path = ws.root / "comments" / "r02" / f"{record['id']}.yaml"
    text = path.read_text()
    for line in ("round: 2", "version: 1", "para: p0004", "quote: all workers", "prefix: 'xaminations will be extended to '",
                 "org: exp-li", "org_category: expert", "kind: amendment", "status: open"):
        assert line in text
    again = run(ws, capsys, "comments", "add", "--para", "p0004", "--quote", "all workers", "--org", "exp-li",
                "--body", "Include self-employed workers.", "--proposed", "all workers, including the self-employed",
                "--author", "Li Ming", "--round", "2")[1]
    assert "already stored" in again.out


@pytest.mark.parametrize("args, message", [
    (["--para", "p0999", "--quote", "x"], "paragraph 'p0999' does not exist in v1"),
    (["--para", "p0003", "--quote", "not there"], "is not in paragraph p0003"),
    (["--para", "p0003", "--org", "nobody"], "known ids: acftu"),
    (["--para", "p0003", "--type", "urgent"], "unknown comment type 'urgent'"),
])
def test_bad_add_is_refused(ws, capsys, args, message):
    base = {"--org": "mohrss"}
    if "--org" in args:
        base = {}
    flat = [x for k, v in base.items() for x in (k, v)]
    code, out = run(ws, capsys, "comments", "add", *flat, *args, "--body", "b")
    assert code == 2 and message in out.err
    assert not list((ws.root / "comments").rglob("*.yaml"))


@pytest.mark.parametrize("date", ["next week", "2026-02-30", "05/03/2026"])
def test_add_refuses_a_date_that_is_no_day(ws, capsys, date):
    code, out = run(ws, capsys, "comments", "add", "--para", "p0003", "--quote", "within", "--org", "mohrss",
                    "--body", "t", "--date", date)
    assert code == 2 and f"--date '{date}' is not a date (YYYY-MM-DD or 2026年3月5日, a day that exists)" in out.err
    assert not list((ws.root / "comments").rglob("*.yaml"))


@pytest.mark.parametrize("date", ["2026-03-05", "2026年3月5日"])
def test_add_stores_the_day_it_is_given(ws, capsys, date):
    code, out = run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss", "--body", "t",
                    "--date", date, "--json")
    assert code == 0, out.err
    path = next((ws.root / "comments").rglob(f"{json.loads(out.out)['id']}.yaml"))
    assert "\ndate: '2026-03-05'\n" in path.read_text()


def test_respond_records_disposition_and_version(ws, capsys):
    ident = json.loads(run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss",
                           "--body", "Tighten the target.", "--json")[1].out)["id"]
    code, out = run(ws, capsys, "comments", "respond", ident, "--status", "accepted with modification",
                    "--response", "Target set at 5.5%.", "--json")
    assert code == 0, out.err
    assert json.loads(out.out) == [{"id": ident, "status": "accepted-with-modification",
                                    "response": "Target set at 5.5%.", "resolved_in": 1}]
    code, out = run(ws, capsys, "comments", "respond", ident, "--status", "maybe")
    assert code == 2 and "unknown status 'maybe'" in out.err


def test_approval_freeze_waits_for_substantive_responses(ws, capsys):
    ident = json.loads(run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss",
                           "--body", "Substantive point.", "--json")[1].out)["id"]
    run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss", "--type", "editorial", "--body", "Typo.")
    from pipeline.comments import unanswered_substantive
    assert [c.id for c in unanswered_substantive(ws)] == [ident]
    code, out = run(ws, capsys, "freeze", "--stage", "approval", "--note", "final", "--from", str(DATA / "v1.md"))
    assert code == 2 and ident in out.err
    run(ws, capsys, "comments", "respond", ident, "--status", "not-accepted", "--response", "Out of scope.")
    assert unanswered_substantive(ws) == []


@pytest.mark.parametrize("command", ["add", "list", "stats"])
@pytest.mark.parametrize("value", ["-1", "0", "-2", "two"])
def test_a_round_is_a_positive_number(ws, capsys, command, value):
    extra = ["--para", "p0003", "--org", "mohrss", "--body", "b"] if command == "add" else []
    with pytest.raises(SystemExit) as exit_:
        run(ws, capsys, "comments", command, *extra, "--round", value)
    assert exit_.value.code == 2
    assert f"'{value}' is not a round: rounds are numbered 1, 2, 3" in capsys.readouterr().err
    assert not list((ws.root / "comments").rglob("*.yaml"))


def test_an_empty_comment_is_refused(ws, capsys):
    code, out = run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss", "--body", "  ")
    assert code == 2 and "the comment is empty" in out.err
    assert not list((ws.root / "comments").rglob("*.yaml"))


@pytest.mark.parametrize("option, message", [
    (["--status", "bogus"], "unknown status 'bogus' (use one of: open, accepted, accepted-with-modification"),
    (["--org", "nosuch"], "unknown organisation 'nosuch'; known ids: acftu"),
    (["--org", "MOHRS"], "unknown organisation 'MOHRS'; did you mean 'mohrss'?"),
])
def test_list_refuses_a_filter_that_matches_nothing_by_definition(ws, capsys, option, message):
    code, out = run(ws, capsys, "comments", "list", *option)
    assert code == 2 and message in out.err and not out.out


def test_list_filters_by_status_in_any_wording(ws, capsys):
    ident = json.loads(run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss",
                           "--body", "Tighten the target.", "--json")[1].out)["id"]
    run(ws, capsys, "comments", "respond", ident, "--status", "not-accepted", "--response", "No.")
    code, out = run(ws, capsys, "comments", "list", "--status", "Not accepted", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out.out)] == [ident]


def test_respond_refuses_a_version_that_does_not_exist(ws, capsys):
    ident = json.loads(run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss",
                           "--body", "Tighten the target.", "--json")[1].out)["id"]
    path = next((ws.root / "comments").rglob(f"{ident}.yaml"))
    before = path.read_text()
    code, out = run(ws, capsys, "comments", "respond", ident, "--status", "accepted", "--resolved-in", "999")
    assert code == 2 and "version v999 does not exist (versions: v1)" in out.err
    assert path.read_text() == before
    code, out = run(ws, capsys, "comments", "respond", ident, "--status", "accepted", "--resolved-in", "v1", "--json")
    assert code == 0 and json.loads(out.out)[0]["resolved_in"] == 1


def test_respond_refuses_a_version_older_than_the_one_commented_on(ws, capsys, tmp_path):
    freeze_text(ws, capsys, tmp_path, (DATA / "v1.md").read_text() + "\nA closing paragraph.\n", "v2")
    ident = json.loads(run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss",
                           "--body", "Tighten the target.", "--json")[1].out)["id"]
    path = next((ws.root / "comments").rglob(f"{ident}.yaml"))
    before = path.read_text()
    code, out = run(ws, capsys, "comments", "respond", ident, "--status", "accepted", "--resolved-in", "1")
    assert code == 2
    assert f"comment {ident} was made on v2: it cannot be resolved in v1, an older version" in out.err
    assert path.read_text() == before


def test_a_stored_comment_resolved_before_it_was_made_is_refused_at_its_line(ws, capsys, tmp_path):
    freeze_text(ws, capsys, tmp_path, (DATA / "v1.md").read_text() + "\nA closing paragraph.\n", "v2")
    ident = json.loads(run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss",
                           "--body", "Tighten the target.", "--json")[1].out)["id"]
    path = next((ws.root / "comments").rglob(f"{ident}.yaml"))
    text = path.read_text().replace("resolved_in: null", "resolved_in: 1")
    path.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "resolved_in:" in row)
    code, out = run(ws, capsys, "comments", "list")
    assert code == 2
    assert f"{path.name}:{line}: field 'disposition.resolved_in': v1 is older than v2, the version the comment " \
           f"was made on" in out.err


@pytest.mark.parametrize("extra, named", [
    (["IDENT", "--status", "accepted"], "give comment ID IDENT, --status without --from"),
    (["--response", "Agreed."], "give --response without --from"),
    (["--resolved-in", "1"], "give --resolved-in without --from"),
])
def test_respond_from_a_matrix_refuses_what_it_would_ignore(ws, capsys, tmp_path, extra, named):
    ident = json.loads(run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss",
                           "--body", "Tighten the target.", "--json")[1].out)["id"]
    assert run(ws, capsys, "comments", "matrix", "-o", str(tmp_path / "m.xlsx"))[0] == 0
    path = next((ws.root / "comments").rglob(f"{ident}.yaml"))
    before = path.read_text()
    extra = [ident if word == "IDENT" else word for word in extra]
    code, out = run(ws, capsys, "comments", "respond", "--from", str(tmp_path / "m.xlsx"), *extra)
    assert code == 2 and named.replace("IDENT", ident) in out.err
    assert "--from takes each comment's status and response from the matrix's rows" in out.err
    assert path.read_text() == before


def test_a_disposition_is_dated_the_day_it_is_recorded(ws, capsys, monkeypatch):
    ident = json.loads(run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss",
                           "--body", "Tighten the target.", "--json")[1].out)["id"]
    path = next((ws.root / "comments").rglob(f"{ident}.yaml"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775001600")  # 2026-04-01
    assert run(ws, capsys, "comments", "respond", ident, "--status", "accepted", "--by", "Li")[0] == 0
    assert "  by: Li\n  date: '2026-04-01'\n" in path.read_text()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775088000")  # 2026-04-02: nothing changes, nothing is dated again
    assert run(ws, capsys, "comments", "respond", ident, "--status", "accepted")[0] == 0
    assert "  date: '2026-04-01'\n" in path.read_text()
    assert run(ws, capsys, "comments", "respond", ident, "--status", "accepted", "--response", "Done.")[0] == 0
    assert "  date: '2026-04-02'\n" in path.read_text()


def test_list_shows_the_whole_id_and_what_the_reviewer_said_on_an_80_column_terminal(ws, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    body = "建议增加困境儿童基本生活保障标准的量化指标，并写明完成时限。"
    ident = json.loads(run(ws, capsys, "comments", "add", "--para", "p0003", "--org", "mohrss", "--body", body,
                           "--json")[1].out)["id"]
    code, out = run(ws, capsys, "comments", "list")
    assert code == 0 and ident in out.out  # `comments respond` needs it whole
    assert "".join(out.out.replace("│", " ").split()).count(body) == 1
    [row] = json.loads(run(ws, capsys, "comments", "list", "--json")[1].out)
    assert row["body"] == body and "author" in row


def test_a_paragraph_and_quote_typed_on_the_other_keyboard_are_found(zh_ws, capsys):
    """ｐ０００４ or P0004 for p0004, and an ASCII comma where the text has ，: the comment is stored on the
    text as it stands in the version."""
    code, out = run(zh_ws, capsys, "comments", "add", "--para", "ｐ０００４", "--quote", "健全公共就业服务体系,加强",
                    "--org", "mohrss", "--body", "建议明确覆盖范围。", "--json")
    assert code == 0, out.err
    record = json.loads(out.out)
    assert (record["para"], record["quote"]) == ("p0004", "健全公共就业服务体系，加强")
    code, out = run(zh_ws, capsys, "comments", "add", "--para", "P0004", "--quote", "加强劳动保障监察",
                    "--org", "mohrss", "--body", "另一条。")
    assert code == 0, out.err
