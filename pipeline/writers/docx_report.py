"""The round report: figures and a chart of comments and acceptance by category and chapter.

Built on the plan's reference document (docx_plain): the plan's title and
heading styles, tables in the Plan Table style with columns that fit.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Optional, Sequence

from .docx_plain import PlainDocument, PlanStyle, default_style, full_title, titles
from .profiles import language_profile

CJK_FONTS = ["Noto Sans CJK SC", "Noto Serif CJK SC", "AR PL UKai CN", "DejaVu Sans"]
SUBJECT = {"en": "Consultation round report", "zh": "征求意见情况报告"}
SLOTS = 6  # the x axis has room for at least six groups: a group's bars are as wide for one group as for six


def chart_png(stats: dict, labels: dict[str, str]) -> bytes:
    """Two bar charts (by category, by chapter): comments received and accepted. Fixed metadata: same bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator
    import matplotlib
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = CJK_FONTS
    matplotlib.rcParams["svg.hashsalt"] = "nhrap"
    figure = Figure(figsize=(9, 6.5), dpi=100)
    FigureCanvasAgg(figure)
    for row, key in enumerate(("by_category", "by_chapter")):
        axes = figure.add_subplot(2, 1, row + 1)
        groups = stats[key]
        names = list(groups)
        totals = [groups[n]["total"] for n in names]
        accepted = [groups[n]["accepted"] + groups[n]["accepted-with-modification"] for n in names]
        positions = range(len(names))
        axes.bar([p - 0.2 for p in positions], totals, width=0.4, label=labels["received"], color="#4472c4")
        axes.bar([p + 0.2 for p in positions], accepted, width=0.4, label=labels["accepted_any"], color="#70ad47")
        span = max(len(names), SLOTS)
        axes.set_xlim((len(names) - 1 - span) / 2, (len(names) - 1 + span) / 2)  # the groups in the middle
        axes.set_xticks(list(positions))
        axes.set_xticklabels([labels.get(n, n) for n in names], rotation=20, ha="right", fontsize=8)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # comments are counted: no 2.5 on the axis
        axes.set_title(labels[key], fontsize=10)
        axes.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _group_rows(groups: dict, labels: dict[str, str]) -> list[list[str]]:
    rows = []
    for name, figures in groups.items():
        share = figures["accepted_share"]
        rows.append([labels.get(name, name), str(figures["total"]),
                     str(figures["accepted"] + figures["accepted-with-modification"]), str(figures["not-accepted"]),
                     str(figures["noted"]), str(figures["open"]), "—" if share is None else f"{share:.0%}"])
    return rows


def report_title(plan, rounds: Sequence[int] = (), versions: Sequence[int] = ()) -> tuple[str, str]:
    return titles(plan, SUBJECT, rounds, versions)


def write_round_report(stats: dict, unanswered: list, path: Optional[Path], *, title: str, date: str,
                       language: str, labels: dict[str, str], subtitle: str = "",
                       style: Optional[PlanStyle] = None, organisations: Optional[dict[str, str]] = None) -> bytes:
    """A .docx: summary, the chart, tables by category and chapter, unanswered substantive comments.
    `language` is the plan's, the language of `labels` and titles: it sets the punctuation and the
    subject even when `style` is another language's profile. `organisations`: the name each organisation
    id is printed as (organisation_names), as in the matrix."""
    style = style or default_style(language)
    colon, comma, stop = (language_profile(language).label(key) for key in ("colon", "comma", "stop"))
    document = PlainDocument(style)
    document.add("Title", title)
    if subtitle:
        document.add("Subtitle", subtitle)
    statuses = comma.join(f"{labels.get(k, k)}{colon}{v}" for k, v in stats["by_status"].items())
    summary = f"{labels['total']}{colon}{stats['total']}{stop}" + (f"{statuses}{stop}" if statuses else "")
    document.add("BodyText", summary.strip())
    if stats["total"]:  # no comments yet: the summary says so; empty axes and header-only tables would not
        _figures(document, stats, unanswered, labels, colon, comma, organisations or {})
    return document.save(path, title=full_title(title, subtitle, language),
                         subject=SUBJECT.get(language, SUBJECT["en"]), date=date)


def _figures(document: PlainDocument, stats: dict, unanswered: list, labels: dict[str, str], colon: str,
             comma: str, organisations: dict[str, str]) -> None:
    """The chart, a table for each grouping, and the substantive comments still awaiting a response."""
    document.picture(chart_png(stats, labels), 160, labels.get("chart", ""))
    figures = [labels[key] for key in ("received", "accepted_any", "not-accepted", "noted", "open", "share")]
    for key in ("by_category", "by_chapter", "by_type"):
        document.heading(labels[key])
        document.table([labels[f"{key}_column"], *figures], _group_rows(stats[key], labels),
                       align=["left"] + ["right"] * len(figures))
    document.heading(labels["unanswered"])
    if not unanswered:
        document.add("BodyText", labels["none"])
    for comment in unanswered:
        org = organisations.get(comment.org, comment.org)
        document.bullet(f"{comment.id} — {org}{comma}{comment.anchor.para or '—'}{colon}{comment.body}")


TEXT = {
    "en": {"received": "Comments", "accepted": "Accepted", "by_category": "By organisation category",
           "by_chapter": "By chapter", "by_type": "By type", "total": "Comments received",
           # the first column of each table: what its rows are
           "by_category_column": "Category", "by_chapter_column": "Chapter", "by_type_column": "Type",
           # the tables and the chart count accepted and accepted-with-modification together; the summary
           # line names each on its own
           "accepted_any": "Accepted (incl. with modification)",
           "not-accepted": "Not accepted", "noted": "Noted", "open": "Open", "share": "Acceptance",
           "unanswered": "Substantive comments awaiting a response", "none": "None.",
           "accepted-with-modification": "Accepted with modification", "withdrawn": "Withdrawn",
           "(general)": "Whole draft", "general": "General", "substantive": "Substantive", "editorial": "Editorial",
           "chart": "Comments received and accepted, by category and by chapter"},
    "zh": {"received": "意见数", "accepted": "采纳", "by_category": "按单位类别", "by_chapter": "按章节",
           "by_type": "按意见类型", "total": "收到意见",
           "by_category_column": "类别", "by_chapter_column": "章节", "by_type_column": "类型",
           "accepted_any": "采纳（含部分采纳）", "not-accepted": "不采纳", "noted": "已知悉", "open": "待处理", "share": "采纳率", "unanswered": "尚未答复的实质性意见", "none": "无。",
           "accepted-with-modification": "部分采纳", "withdrawn": "撤回", "(general)": "全文",
           "general": "一般性", "substantive": "实质性", "editorial": "文字性",
           "chart": "按单位类别和按章节统计的意见数与采纳数"},
}


def labels_for(plan) -> dict[str, str]:
    """Report wording in the plan language, with category and chapter names."""
    from ..model import CATEGORY_NAMES, CATEGORY_NAMES_ZH
    language = plan.language  # en or zh: the plan reader allows no other
    labels = dict(TEXT[language])
    labels.update(CATEGORY_NAMES_ZH if language == "zh" else CATEGORY_NAMES)
    labels.update({c.id: c.title for c in plan.chapters})
    return labels


def organisation_names(plan) -> dict[str, str]:
    """Each organisation's registry name in the plan language ("UNDP China Office"), by id ("undp-cn")."""
    return {org_id: member.name(plan.language) for org_id, member in plan.members.items()}
