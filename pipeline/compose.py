"""Expert chapter drafts + member submissions → the consolidated working draft.

Chapters are Jinja2 templates rendered in a SandboxedEnvironment. Helpers
pull submission data in and record what was used, so the panel can see
which contributions are not yet in the draft. Submission text is inserted
as data: a `{{ … }}` written by a member unit appears literally.
"""
from __future__ import annotations

import re
import signal
import sys
import threading
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote

from jinja2 import FunctionLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .errors import UserError, did_you_mean, excerpt
from .fileio import KEYBOARD_SIGNS, local_image, read_text
from .model import RESPONSIBLE_LEAD, Block, Document, Goal, Indicator, Measure, Plan, Submission
from .readers.markdown import HEADING_ID, assign_sections, parse, parse_blocks, refuse_entity_controls
from .writers.markdown import literal
from .writers.profiles import Profile, load_profile

COMPARISON_WORDS = {
    "en": {"at-least": "at least {v}", "at-most": "at most {v}", "reach": "{v}", "reduce-by": "down {v}",
           "increase-by": "up {v}", "maintain": "kept at {v}", "": "{v}"},
    "zh": {"at-least": "不低于{v}", "at-most": "不高于{v}", "reach": "达到{v}", "reduce-by": "下降{v}",
           "increase-by": "增长{v}", "maintain": "保持{v}", "": "{v}"},
}
# A target that already says its comparison in words is printed as written, not "kept at maintained".
COMPARISON_ECHOES = {comparison: re.compile(pattern, re.I) for comparison, pattern in {
    "at-least": r"\bat least\b|不低于|不少于", "at-most": r"\bat most\b|不高于|不超过",
    "reach": r"\breach|达到", "reduce-by": r"\b(?:down|reduc|cut)|下降|减少",
    "increase-by": r"\b(?:up\b|increas|rais)|增长|提高", "maintain": r"\b(?:maintain|kept|keep)|保持|维持",
}.items()}
HELPERS = ("unit", "goal", "goals", "measures", "indicator", "indicator_table", "responsible")  # chapters' functions
OBJECT_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")  # Python's name for an object: <… object at 0x7f34…>
TABLE_HEAD = {
    "en": ("Indicator", "Target", "Deadline", "Kind", "Lead unit"),
    "zh": ("指标", "目标值", "完成时限", "属性", "牵头单位"),
}
MAX_VALUE_SIZE = 10_000_000  # characters, items or bits a chapter expression may build
CHAPTER_TIME_LIMIT = 20.0  # seconds; the sample's chapters render in well under 0.1 s each
KIND_WORDS = {"en": {"binding": "binding", "expected": "expected"}, "zh": {"binding": "约束性", "expected": "预期性"}}
# `{#id}` marks heading ids, so Jinja's `{# … #}` comments are spelt `{%# … #%}` instead.
COMMENT_START, COMMENT_END = "{%#", "#%}"
JINJA_COMMENT = re.compile(re.escape(COMMENT_START) + ".*?" + re.escape(COMMENT_END), re.S)
STRAY_MARK = re.compile(r"\{#[^{}]*\}")  # `{# … #}`, `{#P0031}`: what is left once ids and marks are taken out
PIN_LIKE = re.compile(r"^p\d+$", re.I)
# `｛｛ goals("esc-work") ｝｝` typed on a Chinese keyboard is no template: it would be printed in the plan as written
# (a full-width brace in prose next to a real `{{ … }}`, 见｛{{ unit("mca") }}｝, is prose)
# (nor is a doubled full-width brace around Chinese words: an expression starts with an ASCII name)
FULL_WIDTH_DELIMITER = re.compile(r"｛｛(?=\s*[A-Za-z_])|[A-Za-z0-9_)\]\"']\s*｝｝|｛%|｛\{(?!\{)|(?<!\})\}｝|\{｛|｝\}"
                                  r"|[｛{]%[^\n%]*%｝")
# what a Chinese keyboard types inside an expression: Jinja then stops at "unexpected char '（'"
# [^3], not an escaped \[^3\] of a unit's text (definitions, `[^3]: …`, are blocks of their own)
FOOTNOTE_REFERENCE = re.compile(r"(?<!\\)\[\^([^\]\s]+)\]")
INLINE_CODE = re.compile(r"`[^`]*`")
UNEXPECTED_CHAR = re.compile(r"unexpected char '(.)' at \d+")
ATX_HEADING = re.compile(r" {0,3}#{1,6}[ \t]")


@dataclass
class ComposeReport:
    unused_goals: list[Goal] = field(default_factory=list)
    unused_measures: list[Measure] = field(default_factory=list)
    unused_indicators: list[Indicator] = field(default_factory=list)
    omitted_sections: list[str] = field(default_factory=list)  # outline ids with no text
    repeated: list[str] = field(default_factory=list)  # contributions put into the draft more than once
    chapters: int = 0
    blocks: int = 0

    def as_json(self) -> dict:
        return {
            "chapters": self.chapters, "blocks": self.blocks,
            "unused": {
                "goals": [{"id": g.id, "member": g.member, "section": g.section} for g in self.unused_goals],
                "measures": [{"id": m.id, "member": m.member, "section": m.section} for m in self.unused_measures],
                "indicators": [{"id": i.id, "member": i.member, "section": i.section} for i in self.unused_indicators],
            },
            "omitted_sections": self.omitted_sections,
            "repeated": self.repeated,
        }


def format_number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10000 else str(value)


def format_target(indicator: Indicator, language: str) -> str:
    value = format_number(indicator.target)
    if indicator.unit:
        value += indicator.unit if _unit_glued(indicator.unit, language) else f" {indicator.unit}"
    echo = COMPARISON_ECHOES.get(indicator.comparison)
    if echo and echo.search(value):  # the member already wrote "保持全覆盖", "at least 90%", "full coverage maintained"
        return value
    return COMPARISON_WORDS[language].get(indicator.comparison, "{v}").format(v=value)


def format_deadline(indicator: Indicator, profile: Profile, in_table: bool = False) -> str:
    """A year, or the day a unit promised (30 June 2028 is not the end of 2028), written as the plan's profile
    writes dates; a Chinese sentence says 2030年, a table's deadline column 2030."""
    deadline = str(indicator.deadline or "")
    if len(deadline) > 4:
        return profile.date(deadline)
    return deadline + ("年" if profile.language == "zh" and deadline and not in_table else "")


def _unit_glued(unit: str, language: str) -> bool:
    """Chinese writes 80岁, 5.5%; but a unit starting with a digit needs a space (12 1/10万, not 121/10万)."""
    return unit in ("%", "‰") or (language == "zh" and not unit[0].isdigit())


def _cell(text: str) -> str:
    return literal(" ".join(str(text).split()))


class _Helpers:
    """The functions chapter templates may call; each records what it used."""

    def __init__(self, plan: Plan, submissions: list[Submission]):
        self.plan, self.language = plan, plan.language
        self.goals_by_id = {g.id: g for s in submissions for g in s.goals}
        self.measures_by_id = {m.id: m for s in submissions for m in s.measures}
        self.indicators_by_id = {i.id: i for s in submissions for i in s.indicators}
        # (id, "inline" | "list") -> times put in: citing an item in prose and listing it too is normal,
        # listing it twice (a section's goals pulled into two chapters) is a mistake
        self.uses: Counter = Counter()

    @property
    def profile(self) -> Profile:
        """Dates as the plan's Word documents write them; read only when an indicator is printed."""
        return load_profile(self.plan.profile)

    def _section(self, section: str) -> str:
        if section not in self.plan.sections:
            raise UserError(f"unknown outline section '{section}'{did_you_mean(section, self.plan.sections)}")
        return section

    def _use(self, items: Iterable, how: str = "list") -> list:
        items = list(items)
        self.uses.update((item.id, how) for item in items)
        return items

    def _lookup(self, table: dict, ident: str, what: str):
        if ident not in table:
            raise UserError(f"unknown {what} id '{ident}'{did_you_mean(ident, table)}")
        return self._use([table[ident]], "inline")[0]

    @property
    def used(self) -> set[str]:
        return {ident for ident, _how in self.uses}

    def repeated(self) -> list[str]:
        return sorted({ident for (ident, _how), times in self.uses.items() if times > 1})

    def unit(self, member_id: str) -> str:
        member = self.plan.members.get(member_id)
        if member is None:
            raise UserError(f"unknown member unit '{member_id}'")
        return literal(member.name(self.language))

    def goal(self, goal_id: str) -> str:
        return literal(self._lookup(self.goals_by_id, goal_id, "goal").text)

    def goals(self, section: str) -> str:
        section = self._section(section)
        return "\n".join(f"- {literal(g.text)}" for g in self._use(g for g in self.goals_by_id.values()
                                                                    if g.section == section))

    def measures(self, section: str) -> str:
        section = self._section(section)
        return "\n".join(f"- {literal(m.text)}" for m in self._use(m for m in self.measures_by_id.values()
                                                                   if m.section == section))

    def indicator(self, indicator_id: str) -> str:
        ind = self._lookup(self.indicators_by_id, indicator_id, "indicator")
        return literal(self._indicator_sentence(ind))

    def _indicator_sentence(self, ind: Indicator) -> str:
        target = format_target(ind, self.language)
        if self.language == "zh":
            return f"{ind.text}{target}" + (f"（{format_deadline(ind, self.profile)}）" if ind.deadline else "") + "。"
        return f"{ind.text}: {target}" + (f" by {format_deadline(ind, self.profile)}" if ind.deadline else "") + "."

    def indicator_table(self, section: str) -> str:
        section = self._section(section)
        rows = self._use(i for i in self.indicators_by_id.values() if i.section == section)
        if not rows:
            return ""
        head = TABLE_HEAD[self.language]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for ind in rows:
            cells = (ind.text, format_target(ind, self.language), format_deadline(ind, self.profile, in_table=True),
                     KIND_WORDS[self.language][ind.kind], self.plan.members[ind.lead].name(self.language))
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        return "\n".join(lines)

    def responsible(self, section: str) -> str:
        section = self._section(section)
        indicators = [i for i in self.indicators_by_id.values() if i.section == section]
        leads = list(dict.fromkeys(i.lead for i in indicators))
        partners = [u for u in dict.fromkeys(u for i in indicators for u in i.cooperating) if u not in leads]
        names = lambda ids: ("、" if self.language == "zh" else ", ").join(self.unit(u) for u in ids)
        if self.language == "zh":
            return f"{RESPONSIBLE_LEAD['zh']}{names(leads)}" + (f"；参与单位：{names(partners)}" if partners else "")
        return f"{RESPONSIBLE_LEAD['en']}{names(leads)}" + (f"; co-operating: {names(partners)}" if partners else "")

    def as_globals(self) -> dict[str, Callable | dict]:
        plan = {"title": self.plan.title, "title_zh": self.plan.title_zh, "language": self.language,
                "period": {"start": self.plan.period_start, "end": self.plan.period_end}}
        return {"plan": plan, **{name: getattr(self, name) for name in HELPERS}}


class _ChapterSandbox(SandboxedEnvironment):
    """Chapters may compute, but a chapter that tries to build a value of millions of characters or
    digits is stopped before the machine runs out of memory."""
    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator: str, left, right):
        sequences = (str, list, tuple)
        if operator == "*" and (isinstance(left, sequences) or isinstance(right, sequences)):
            sized, times = (left, right) if isinstance(left, sequences) else (right, left)
            if isinstance(times, int) and len(sized) * times > MAX_VALUE_SIZE:
                raise SecurityError(f"a value of more than {MAX_VALUE_SIZE:,} items")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and \
                abs(left) > 1 and right * abs(left).bit_length() > MAX_VALUE_SIZE:
            raise SecurityError(f"a number of more than {MAX_VALUE_SIZE:,} bits")
        return super().call_binop(context, operator, left, right)


def _chapter_loader(chapters_dir: Path, workspace: Path) -> FunctionLoader:
    """Chapters may include other files of the chapters folder, and nothing else: submissions are data,
    never templates, and files elsewhere on the machine are none of a chapter's business. Each file is
    checked as written when it is loaded, so that a slip is reported at its own line."""
    root = chapters_dir.resolve()

    def load(name: str):
        path = (root / name).resolve()
        if root not in path.parents:
            raise TemplateNotFound(f"{name}: a chapter may include only other files of drafts/chapters/")
        if not path.is_file():
            raise TemplateNotFound(f"{name}: no such file in drafts/chapters/ (names are relative to that folder)")
        source = read_text(path)
        _check_as_written(source, path, workspace)
        return source, str(path), lambda: True
    return FunctionLoader(load)


def _check_as_written(source: str, path: Path, workspace: Path) -> None:
    """Refuse, at its line in the chapter file, what would otherwise pass into the draft unnoticed: a template
    expression in full-width braces, text `{#…}` that is neither a heading's id nor a paragraph's mark, and an
    image that render would not find."""
    text = JINJA_COMMENT.sub(lambda comment: "\n" * comment.group(0).count("\n"), source)  # lines kept
    delimiter = FULL_WIDTH_DELIMITER.search(text)
    if delimiter:
        written = delimiter.group(0)[-2:] if delimiter.group(0).endswith(("%｝", "｝｝")) else delimiter.group(0)
        raise UserError(f"full-width '{written}' — write '{written.replace('｛', '{').replace('｝', '}')}': "
                        "as typed, the template expression would be printed in the plan",
                        path, text.count("\n", 0, delimiter.start()) + 1)
    if not all(_ends_a_heading(text, mark) for mark in STRAY_MARK.finditer(text)):
        for block in parse_blocks(text, path=str(path)).blocks:  # only then is the chapter parsed a second time
            _check_marks(block, path)
    if "![" in text:
        _check_images(text, path, workspace)


def _ends_a_heading(text: str, mark: re.Match) -> bool:
    """Whether `mark` is the `{#id}` at the end of a heading line, as nearly every mark of a chapter is."""
    start, end = text.rfind("\n", 0, mark.start()) + 1, text.find("\n", mark.end())
    line_end = text[mark.start(): end if end >= 0 else len(text)]
    return bool(ATX_HEADING.match(text, start, mark.start()) and HEADING_ID.fullmatch(line_end))


def _check_marks(block: Block, path: Path) -> None:
    """A heading keeps its `{#id}` and a paragraph its `{#p0123}` out of the text (code is literal): any other
    `{#…}` in the block would be printed in the plan."""
    if block.kind == "code":
        return
    written = block.text if block.kind == "heading" else block.source
    match = STRAY_MARK.search(written)
    if match:
        line = block.line + (0 if block.kind == "heading" else written.count("\n", 0, match.start()))
        raise UserError(_stray_mark_message(match.group(0)), path, line)


def _stray_mark_message(mark: str) -> str:
    inner = mark[2:-1].strip()
    if PIN_LIKE.match(inner):
        fix = (f"a paragraph's mark is written '{{#{inner.lower()}}}'" if inner != inner.lower() else
               "a paragraph's mark stands at the end of its paragraph or list item")
    elif HEADING_ID.match(mark):
        fix = "an id '{#…}' stands at the end of a heading, a paragraph's mark '{#p0123}' at the end of its paragraph"
    else:
        fix = f"a comment is written '{COMMENT_START} … {COMMENT_END}'"
    return f"'{excerpt(mark, 40)}' would be printed in the plan as text: {fix}"


def _check_images(text: str, path: Path, workspace: Path) -> None:
    """Images resolve against the workspace folder, as render finds them in the draft and its versions."""
    lines = text.split("\n")
    for token in parse(text):
        if token.type != "inline" or not token.map:
            continue
        for child in token.children or []:
            if child.type == "image":
                _check_image(child.attrs.get("src", ""), lines, token.map, path, workspace)


def _check_image(src: str, lines: list[str], rows: list[int], path: Path, workspace: Path) -> None:
    written = unquote(src)
    if "{{" in written or "{%" in written:  # made by the template: known only once rendered
        return
    try:
        local_image(src, workspace, workspace)
    except UserError as err:
        line = next((row + 1 for row in range(*rows) if written in lines[row]), rows[0] + 1)
        raise UserError(err.message, path, line) from None


def _environment(helpers: _Helpers, chapters_dir: Path, workspace: Path) -> SandboxedEnvironment:
    environment = _ChapterSandbox(loader=_chapter_loader(chapters_dir, workspace), undefined=StrictUndefined,
                                  autoescape=False, keep_trailing_newline=True, comment_start_string=COMMENT_START,
                                  comment_end_string=COMMENT_END, finalize=_printable)
    # random text and a random pick: the same chapters would give another draft at each run
    del environment.globals["lipsum"], environment.filters["random"]
    environment.globals.update(helpers.as_globals())
    return environment


def _printable(value):
    """What `{{ … }}` prints. A helper printed uncalled (`{{ goals }}`, `{{ [goals] }}`) or another Python object
    would print Python's name for it, with an address that changes at every run."""
    name = getattr(value, "__name__", "")
    if callable(value) and name in HELPERS:
        raise TypeError(f"{name} is a helper to call, e.g. {name}(\"…\"), not a value to print")
    if callable(value) or OBJECT_ADDRESS.search(str(value)):
        raise TypeError("this would print a Python object, not text: print text, a number or what a helper returns")
    return value


def _with_full_width_hint(message: str) -> str:
    """Jinja's "unexpected char '（' at 235" names the sign but not the fix, nor that it is the keyboard's."""
    sign = UNEXPECTED_CHAR.search(message)
    if sign and sign.group(1) in KEYBOARD_SIGNS:
        return f"full-width '{sign.group(1)}' in a template expression — use '{KEYBOARD_SIGNS[sign.group(1)]}'"
    return message


def _template_line(name: str) -> int:
    """Line in the chapter file of the innermost template frame of the exception being handled."""
    frames = [f for f in traceback.extract_tb(sys.exc_info()[2]) if f.filename == name]
    return frames[-1].lineno if frames else 0


class _TooSlow(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    """Stop a chapter whose loops would run for hours (only where a timer signal is available)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum, _frame):
        raise _TooSlow()
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_chapter(path: Path, environment: SandboxedEnvironment) -> str:
    name = str(path.resolve())
    try:
        with _time_limit(CHAPTER_TIME_LIMIT):
            return environment.get_template(path.name).render()
    except TemplateSyntaxError as err:
        raise UserError(f"template error: {_with_full_width_hint(err.message or '')}", path, err.lineno) from None
    except UserError as err:
        if err.file:  # already located (e.g. the chapter is not UTF-8)
            raise
        raise UserError(err.message, path, _template_line(name)) from None
    except _TooSlow:
        raise UserError(f"the chapter took more than {CHAPTER_TIME_LIMIT:g} s to render (a loop too large?)",
                        path, _template_line(name)) from None
    except TemplateError as err:
        raise UserError(f"template error: {err}", path, _template_line(name)) from None
    except RecursionError:
        raise UserError("template error: a chapter includes itself, or a macro calls itself, without end", path,
                        _template_line(name)) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, MemoryError) as err:
        # the chapter's own computation failed (wrong arguments to a helper, a range too big, …)
        message = str(err).replace(f"{_Helpers.__name__}.", "")
        if "int_max_str_digits" in message:  # Python's advice, not the chapter's
            message = "a number too long to print (more than 4,300 digits)"
        raise UserError(f"template error: {message}", path, _template_line(name)) from None


def check_headings(blocks: list[Block], plan: Plan, path: Path, seen: dict[str, str]) -> None:
    """An unknown `{#id}` on a level 1–2 heading of a chapter is an error, and so is an outline section
    written twice (a chapter copied, or a section started again in another chapter)."""
    for block in blocks:
        if block.kind != "heading" or not block.anchor or block.level > 2:
            continue
        if block.anchor not in plan.outline_ids:
            raise UserError(f"heading id '{block.anchor}' is not in the outline (drafts/plan.yaml)", path, block.line)
        if block.anchor in seen:
            raise UserError(f"heading id '{block.anchor}' is already used in {seen[block.anchor]}", path, block.line)
        seen[block.anchor] = f"{path.name} (line {block.line})"


def _check_id_marks(ws, blocks: list[Block], chapter_of: dict[int, Path]) -> None:
    """`{#p0123}` marks are checked against the latest version here, so a slip is reported at its
    chapter line by `nhrap draft`, not first by freeze at a line of the composed draft."""
    if not any(block.pin for block in blocks):
        return
    from .versions import pinned_indices
    numbers = ws.version_numbers()
    pinned_indices(ws.load_version(numbers[-1]) if numbers else None, blocks,
                   lambda block: (chapter_of[id(block)], _mark_line(chapter_of[id(block)], block)))


def _mark_line(path: Path, block: Block) -> int:
    """The chapter line of a block's `{#p0123}` mark."""
    return _written_line(path, f"{{#{block.pin}}}", block.line) if block.pin else block.line


def _written_line(path: Path, needle: str, rendered_line: int) -> int:
    """The chapter line holding `needle`. Block lines count in the rendered chapter, where helpers may have
    grown to several lines, so it is looked up in the chapter as written: the last one at or before the
    rendered line."""
    lines = _lines_holding(path, needle)
    return max((n for n in lines if n <= rendered_line), default=lines[0] if lines else rendered_line)


def _lines_holding(path: Path, needle: str) -> list[int]:
    return [n for n, text in enumerate(read_text(path).splitlines(), 1) if needle in text]


def _check_footnotes(blocks: list[Block], chapter_of: dict[int, Path]) -> None:
    """A footnote defined twice loses one text in Word (the first definition wins), and a reference with no
    definition is printed as `[^3]`: both are refused at their chapter line."""
    defined: dict[str, Block] = {}
    for block in (b for b in blocks if b.kind == "footnote"):
        if block.anchor in defined:
            first, second = (chapter_of[id(b)] for b in (defined[block.anchor], block))
            # helpers make rendered lines differ from written ones: the definitions are found in order as written
            needle = f"[^{block.anchor}]:"
            lines = _lines_holding(second, needle) or [block.line]  # (or in a file the chapter includes)
            first_line = (_lines_holding(first, needle) or [defined[block.anchor].line])[0]
            second_line = lines[1] if first == second and len(lines) > 1 else lines[0]
            raise UserError(f"footnote [^{block.anchor}] is defined twice (also at line {first_line} of "
                            f"{first.name}): give one of them another label", second, second_line)
        defined[block.anchor] = block
    for block in (b for b in blocks if b.kind not in ("footnote", "code")):
        for label in FOOTNOTE_REFERENCE.findall(INLINE_CODE.sub("", block.source)):
            if label not in defined:
                raise UserError(f"footnote [^{label}] has no definition: add a line '[^{label}]: …' to the chapter",
                                *_where_written(block, f"[^{label}]", chapter_of))


def _where_written(block: Block, needle: str, chapter_of: dict[int, Path]) -> tuple[Path, int]:
    path = chapter_of[id(block)]
    return path, _written_line(path, needle, block.line)


def compose_draft(ws) -> tuple[str, ComposeReport]:
    """The consolidated Markdown of the working draft, and what it leaves out."""
    plan = ws.plan
    helpers = _Helpers(plan, ws.submissions())
    environment = _environment(helpers, ws.chapters_dir, ws.root)
    parts: list[str] = []
    blocks: list[Block] = []  # each chapter is parsed once, for its headings and for the report
    headings: dict[str, str] = {}
    chapter_of: dict[int, Path] = {}  # id(block) -> its chapter file, for errors about `{#p0123}` marks
    for path in ws.chapter_files():
        rendered = render_chapter(path, environment).strip()
        chapter = parse_blocks(rendered, path=str(path)).blocks
        refuse_entity_controls(chapter, path)
        check_headings(chapter, plan, path, headings)
        parts.append(rendered)
        blocks += chapter
        chapter_of.update((id(block), path) for block in chapter)
    _check_id_marks(ws, blocks, chapter_of)
    _check_footnotes(blocks, chapter_of)
    text = "\n\n".join(p for p in parts if p) + "\n"
    report = ComposeReport(chapters=len(parts), blocks=len(blocks))
    document = Document(blocks)
    assign_sections(document, plan.outline_ids)
    filled = {b.section for b in document.blocks if b.kind != "heading" and b.section}
    report.omitted_sections = [s.id for c in plan.chapters for s in c.sections if s.id not in filled]
    report.repeated = helpers.repeated()
    used = helpers.used
    report.unused_goals = [g for g in helpers.goals_by_id.values() if g.id not in used]
    report.unused_measures = [m for m in helpers.measures_by_id.values() if m.id not in used]
    report.unused_indicators = [i for i in helpers.indicators_by_id.values() if i.id not in used]
    return text, report
