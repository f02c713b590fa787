"""The round report as a reader sees it: LibreOffice lays out each report once per module and the
PDF text must carry the summary line, the subtitle and the table headers, in English and Chinese."""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import uuid
import zipfile

import pytest

from pipeline.cli import main
from pipeline.workspace import Workspace
from pipeline.writers.docx_plain import default_style
from pipeline.writers.docx_report import TEXT, labels_for, organisation_names, report_title, write_round_report

from conftest import copy_sample


def _cli(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(args)) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """PDF text of: the English sample's report (`nhrap comments report`), the Chinese sample's report
    and matrix (no comments yet), and the English sample's figures with the Chinese plan's wording and look."""
    folder = tmp_path_factory.mktemp("report")
    en, zh = copy_sample(folder / "en", "en"), copy_sample(folder / "zh", "zh")
    for name, ws in (("en", en), ("zh", zh)):
        _cli("--workspace", str(ws), "comments", "report", "-o", str(folder / f"{name}.docx"))
    _cli("--workspace", str(zh), "comments", "matrix", "-o", str(folder / "zh_matrix.docx"))
    stats = json.loads(_cli("--workspace", str(en), "comments", "stats", "--json"))
    zh_plan = Workspace(zh).plan
    title, subtitle = report_title(zh_plan, [3], [4])
    write_round_report(stats, [], folder / "zh_figures.docx", title=title, subtitle=subtitle, date="2026-03-02",
                       language="zh", labels=labels_for(zh_plan), style=default_style("zh"))
    names = ("en", "zh", "zh_figures", "zh_matrix")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder / f'lo-{uuid.uuid4().hex}'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *(str(folder / f"{n}.docx") for n in names)],
                   check=True, capture_output=True, timeout=240)
    text = {n: subprocess.run(["pdftotext", "-layout", str(folder / f"{n}.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout for n in names}
    return {"text": text, "stats": stats, "zh_plan": zh_plan}


def _words(text: str) -> str:
    """PDF text with every line break and run of spaces as one space (table cells wrap)."""
    return " ".join(text.split())


def _squashed(text: str) -> str:
    return "".join(text.split())


def _header_rows(text: str, first: str) -> list[list[str]]:
    """The words of each table's header row: the line that opens with `first` and the two after it (a
    header cell may wrap to a second or third line)."""
    lines = text.splitlines()
    return [" ".join(lines[k:k + 3]).split() for k, line in enumerate(lines[:-1]) if line.split()[:1] == [first]]


def test_english_report_states_the_figures_subtitle_and_headers(reports):
    stats, text = reports["stats"], _words(reports["text"]["en"])
    labels = TEXT["en"]
    statuses = ", ".join(f"{labels.get(k, k)}: {v}" for k, v in stats["by_status"].items())
    assert f"Comments received: {stats['total']}. {statuses}." in text
    assert stats["total"] > 0 and "Accepted with modification: " in text
    assert "Consultation round report — round " in text and ", comments on v" in text
    headers = [labels[k] for k in ("received", "accepted_any", "not-accepted", "noted", "open", "share")]
    rows = [row for first in ("Category", "Chapter", "Type") for row in _header_rows(reports["text"]["en"], first)]
    assert len(rows) >= 3 and {row[0] for row in rows} == {"Category", "Chapter", "Type"}  # no table says "Group"
    for words in rows:
        assert all(word in words for header in headers for word in header.split()), words
    for heading in ("By organisation category", "By chapter", "By type", "Substantive comments awaiting a response"):
        assert heading in text


def test_english_report_names_comment_types_in_words_not_codes(reports):
    """The "By type" table read "editorial", "general", "substantive", the stored codes; the Chinese report
    reads 文字性, 一般性, 实质性."""
    lines = reports["text"]["en"].splitlines()
    table = lines[next(k for k, line in enumerate(lines) if line.strip().endswith("By type")):]
    first_words = [line.split()[0] for line in table[1:12] if line.split()]
    for code in reports["stats"]["by_type"]:
        assert TEXT["en"][code] == code.capitalize() and code.capitalize() in first_words
        assert code not in first_words


def test_chinese_reports_use_chinese_wording_and_punctuation(reports):
    empty = _squashed(reports["text"]["zh"])
    assert "征求意见情况报告" in empty and "收到意见：0。" in empty
    figures = "意见数采纳（含部分采纳）不采纳已知悉待处理采纳率"  # 采纳 alone would read as not counting 部分采纳
    stats, text = reports["stats"], _squashed(reports["text"]["zh_figures"])
    assert "二、按章节" in text
    for section, column in (("一、按单位类别", "类别"), ("二、按章节", "章节"), ("三、按意见类型", "类型")):
        assert f"{section}{column}{figures}" in text
    statuses = "，".join(f"{TEXT['zh'][k]}：{v}" for k, v in stats["by_status"].items())
    assert f"收到意见：{stats['total']}。{statuses}。" in text
    assert "征求意见情况报告（第3轮，针对v4）" in text
    assert text.count(figures) >= 3  # and again atop a table that goes on to the next page
    assert ": " not in reports["text"]["zh_figures"] and ", " not in reports["text"]["zh_figures"]


def test_with_no_comments_yet_the_report_and_matrix_say_so(reports):
    """Not a subtitle naming no round over tables of headers alone: the reader is told there are none."""
    report, matrix = _squashed(reports["text"]["zh"]), _squashed(reports["text"]["zh_matrix"])
    assert "征求意见情况报告（尚无意见）" in report and "收到意见：0。" in report
    assert "类别意见数" not in report and "尚未答复的实质性意见" not in report
    assert "意见汇总表（尚无意见）" in matrix and "尚未收到意见。" in matrix and "序号" not in matrix


def test_an_unanswered_comment_is_listed_with_chinese_punctuation(reports):
    from types import SimpleNamespace
    comment = SimpleNamespace(id="c1", org="spc", anchor=SimpleNamespace(para="p0005"), body="同意。")
    stats = dict(reports["stats"])
    data = write_round_report(stats, [comment], None, title="计划", date="2026-03-02", language="zh",
                              labels=labels_for(reports["zh_plan"]), style=default_style("zh"),
                              organisations=organisation_names(reports["zh_plan"]))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
    assert "c1 — 最高人民法院，p0005：同意。" in body  # the registry name, as the matrix prints it, not "spc"


def test_comments_awaiting_a_response_name_organisations_as_the_matrix_does(reports):
    """The report listed "undp-cn", "exp-zhou": internal ids where the matrix prints registry names."""
    words = _words(reports["text"]["en"])
    waiting = words[words.index("Substantive comments awaiting a response"):]
    assert "— UNDP China Office, p" in waiting
    assert "— undp-cn" not in waiting and "— exp-" not in waiting


def test_a_chinese_plan_on_the_english_profile_keeps_one_language(reports):
    """The profile sets the look; titles, subject and punctuation follow the plan's language."""
    plan = reports["zh_plan"]
    title, subtitle = report_title(plan, [3], [4])
    data = write_round_report(reports["stats"], [], None, title=title, subtitle=subtitle, date="2026-03-02",
                              language="zh", labels=labels_for(plan), style=default_style("en"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core, body = archive.read("docProps/core.xml").decode(), archive.read("word/document.xml").decode()
    assert f"<dc:title>{title}{subtitle}</dc:title>" in core and "<dc:subject>征求意见情况报告</dc:subject>" in core
    assert f"收到意见：{reports['stats']['total']}。" in body


def test_a_round_without_comments_has_no_empty_chart(tmp_path):
    ws = copy_sample(tmp_path / "zh", "zh")
    _cli("--workspace", str(ws), "comments", "report", "-o", str(tmp_path / "r.docx"))
    with zipfile.ZipFile(tmp_path / "r.docx") as archive:
        assert not [name for name in archive.namelist() if name.startswith("word/media/")]


def _charted(monkeypatch, stats: dict) -> list:
    """The matplotlib figures chart_png draws for `stats`."""
    from matplotlib.figure import Figure
    from pipeline.writers.docx_report import chart_png
    figures, savefig = [], Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: (figures.append(self), savefig(self, *a, **k)))
    chart_png(stats, {"received": "Comments", "accepted_any": "Accepted", "by_category": "c", "by_chapter": "ch"})
    return figures


def test_a_single_group_is_charted_with_bars_as_wide_as_among_several(monkeypatch):
    """One category drew one bar across half the chart, as if something had gone wrong."""
    def bar_share(names: list[str]) -> float:
        group = {n: {"total": 3, "accepted": 1, "accepted-with-modification": 1} for n in names}
        axes = _charted(monkeypatch, {"by_category": group, "by_chapter": group})[-1].axes[0]
        low, high = axes.get_xlim()
        return axes.patches[0].get_width() / (high - low)
    one, six = bar_share(["people"]), bar_share([f"g{i}" for i in range(6)])
    assert abs(one - six) < 1e-9 and one < 0.1


def test_chart_counts_comments_in_whole_numbers(monkeypatch):
    from matplotlib.figure import Figure
    from pipeline.writers.docx_report import chart_png
    figures, savefig = [], Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: (figures.append(self), savefig(self, *a, **k)))
    group = {"people": {"total": 3, "accepted": 1, "accepted-with-modification": 1}}
    chart_png({"by_category": group, "by_chapter": group},
              {"received": "Comments", "accepted_any": "Accepted", "by_category": "c", "by_chapter": "ch"})
    ticks = [tick for axes in figures[0].axes for tick in axes.get_yticks()]
    assert ticks and all(float(tick).is_integer() for tick in ticks)  # not 0.5, 1.5, 2.5
