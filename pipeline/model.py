"""The document model: plain dataclasses, no I/O.

Readers build these objects from files; services transform them; writers
turn them into files. Nothing here touches the disk.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Union

CATEGORIES = ("party", "legislature", "judicial", "administrative", "people", "social")
CATEGORY_NAMES = {
    "party": "Organs of the ruling party",
    "legislature": "Legislature and political consultative bodies",
    "judicial": "Judicial organs",
    "administrative": "State administrative agencies",
    "people": "People's groups",
    "social": "Social organisations",
    "expert": "Experts",
    "international": "International organisations",
    "public": "Members of the public",
}
CATEGORY_NAMES_ZH = {
    "party": "党的机关",
    "legislature": "立法机关和政治协商机关",
    "judicial": "司法机关",
    "administrative": "国家行政机关",
    "people": "人民团体",
    "social": "社会组织",
    "expert": "专家",
    "international": "国际组织",
    "public": "社会公众",
}
INDICATOR_KINDS = ("binding", "expected")
COMPARISONS = ("at-least", "at-most", "reach", "reduce-by", "increase-by", "maintain")


@dataclass
class Section:
    id: str
    title: str
    chapter: str
    goals: bool = True


@dataclass
class Chapter:
    id: str
    title: str
    sections: list[Section] = field(default_factory=list)


CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")  # years as a Chinese text writes them: 二〇三一
_CN_DIGITS = "零一二三四五六七八九"


def chinese_counting(value: int) -> str:
    """一 … 九百九十九, as Word's chineseCounting prints them (十, 十一, 二十, 一百零一, 一百一十) and Chinese law numbers
    articles (the Rome Statute has 128); from 1000 in figures."""
    if value < 10:
        return _CN_DIGITS[value]
    if value >= 1000:
        return str(value)
    if value >= 100:
        hundreds, rest = divmod(value, 100)
        return f"{_CN_DIGITS[hundreds]}百{_after_hundreds(rest)}"
    tens, ones = divmod(value, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}"


def _after_hundreds(rest: int) -> str:
    """What follows 一百: 零一 (101), 一十 (110, not 十), 二十八 (128)."""
    if rest == 0:
        return ""
    if rest < 10:
        return "零" + _CN_DIGITS[rest]
    return ("一" if rest < 20 else "") + chinese_counting(rest)


# 十三五, 十四五时期: the 10th to 19th Five-Year Plans. From the 3rd (1966–1970) they follow one another
# every five years.
FIVE_YEAR_PLAN = re.compile(r"^十([一二三四五六七八九]?)五(?:时期|规划)?$")
FIRST_REGULAR_PLAN_START = 1966


@dataclass
class MembershipEvent:
    cycle: str  # the plan period, as the registry writes it: "2031-2035", "2031–2035", "2031", "二〇三一—二〇三五", "十六五"
    event: str  # added | removed | merged | renamed
    into: Optional[str] = None
    previous_name: Optional[str] = None

    @property
    def years(self) -> list[int]:
        """The years the cycle names, in the order written: [2031, 2035], [2031] or [] for none. A
        Five-Year Plan period as Chinese names it (十四五: the 14th, 2021–2025) gives its five years."""
        written = [int(year) for year in re.findall(r"(?<!\d)\d{4}(?!\d)", self.cycle.translate(CHINESE_DIGITS))]
        plan = FIVE_YEAR_PLAN.match(self.cycle.strip())
        if written or not plan:
            return written
        start = FIRST_REGULAR_PLAN_START + 5 * (10 + int(plan.group(1).translate(CHINESE_DIGITS) or 0) - 3)
        return [start, start + 4]

    def starts_in(self, year: int) -> bool:
        """Is this the cycle of the plan starting in `year`, however the registry writes the period?"""
        return self.years[:1] == [year]


@dataclass
class Member:
    id: str
    name_en: str
    name_zh: str
    category: str
    role: str = "member"  # lead | member | former | expert | consulted
    affiliation: str = ""
    history: list[MembershipEvent] = field(default_factory=list)

    def name(self, language: str) -> str:
        if language == "zh" and self.name_zh:
            return self.name_zh
        return self.name_en or self.name_zh


@dataclass
class Plan:
    title: str
    period_start: int
    period_end: int
    language: str = "en"
    profile: str = "en"
    title_zh: str = ""
    lead_units: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    approval_stage: str = "approval"
    approval_statement: str = ""
    chapters: list[Chapter] = field(default_factory=list)
    members: dict[str, Member] = field(default_factory=dict)

    @property
    def sections(self) -> dict[str, Section]:
        return {s.id: s for c in self.chapters for s in c.sections}

    @property
    def outline_ids(self) -> set[str]:
        return {c.id for c in self.chapters} | set(self.sections)

    def chapter_of(self, outline_id: str) -> Optional[str]:
        """Chapter id for a chapter or section id; None when unknown."""
        for chapter in self.chapters:
            if chapter.id == outline_id or any(s.id == outline_id for s in chapter.sections):
                return chapter.id
        return None

    def organisation(self, org_id: str) -> Optional[Member]:
        return self.members.get(org_id)

    def stage_before(self, stage: str, than: str) -> bool:
        """Does `stage` come before `than` in the plan's stages? A stage read from a version may since have
        left plan.yaml, and then has no place in the order."""
        return stage in self.stages and than in self.stages and self.stages.index(stage) < self.stages.index(than)

    def approved_at(self, stage: str) -> bool:
        """Is a version at `stage` approved: at the approval stage or one after it, where the text stands
        agreed? A stage the plan does not list (the working draft's, a loose file's) is not."""
        return stage in self.stages and not self.stage_before(stage, self.approval_stage)

    def section_titled(self, title: str) -> Optional[Section]:
        """The outline section with this title (letter case aside): a Word submission may name one so."""
        wanted = " ".join(title.split()).lower()
        return next((section for section in self.sections.values()
                     if " ".join(section.title.split()).lower() == wanted), None)

    def member_named(self, name: str) -> Optional[Member]:
        """The unit with this registry name, English (letter case aside) or Chinese; None for no name (a
        unit may have no Chinese name)."""
        wanted = " ".join(name.split())
        if not wanted:
            return None
        return next((member for member in self.members.values()
                     if wanted == member.name_zh or wanted.lower() == member.name_en.lower()), None)


@dataclass
class Goal:
    id: str
    text: str
    section: str
    member: str
    line: int = 0


@dataclass
class Measure:
    id: str
    text: str
    section: str
    member: str
    line: int = 0


@dataclass
class Indicator:
    id: str
    text: str
    target: Union[float, int, str]
    kind: str
    lead: str
    section: str
    member: str
    unit: str = ""
    comparison: str = ""
    baseline: Union[float, int, str, None] = None
    base_year: Optional[int] = None
    deadline: Optional[str] = None
    cooperating: list[str] = field(default_factory=list)
    goal: Optional[str] = None
    line: int = 0

    @property
    def numeric(self) -> bool:
        return isinstance(self.target, (int, float)) and not isinstance(self.target, bool)

    @property
    def deadline_year(self) -> Optional[int]:
        return int(str(self.deadline)[:4]) if self.deadline else None


@dataclass
class Submission:
    member: str
    round: int
    date: str
    path: str
    line: int = 0  # of `round:` in the front matter, where errors about the round as a whole point
    goals: list[Goal] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


PARAGRAPH_ID = re.compile(r"^p\d+$")  # p0001: a paragraph id, as versions give them


@dataclass
class Block:
    """One Markdown block of a draft: the unit that carries a paragraph id.

    `kind` is heading, paragraph, list_item, table, quote, code, footnote or rule.
    `source` is the block's Markdown exactly as written (list items keep
    their marker and indentation); `text` is its plain text.
    """
    kind: str
    source: str
    text: str
    section: str = ""
    id: str = ""
    level: int = 0  # heading level, or list depth (1 = top level)
    line: int = 0  # 1-based line in the Markdown file it was read from
    anchor: str = ""  # outline id written on a heading as {#id}
    pin: str = ""  # paragraph id a drafter wrote at the end of a paragraph or list item as {#p0123}


@dataclass
class Document:
    blocks: list[Block]
    path: str = ""
    # The Markdown the blocks were read from, when they are exactly its blocks in order (their `line`
    # counts in it): writers may render from it rather than from the joined block sources.
    source: str = ""

    def by_id(self) -> dict[str, Block]:
        return {b.id: b for b in self.blocks}


@dataclass
class Changes:
    """How one version's blocks relate to its parent's (ids are the new version's)."""
    edited: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    split: dict[str, str] = field(default_factory=dict)  # new id -> old id it was split from
    merged: dict[str, str] = field(default_factory=dict)  # old id -> new id it was merged into
    # id kept -> deleted id whose text is as close: calls for the drafter to confirm (reported by freeze,
    # not written to the metadata)
    close_calls: dict[str, str] = field(default_factory=dict)


@dataclass
class Version:
    number: int
    parent: Optional[int]
    date: str
    stage: str
    note: str
    sha256: str
    next_id: int
    document: Document
    changes: Changes = field(default_factory=Changes)
    path: str = ""
    # set by freeze only: comments carried to this version, by outcome (reanchored, changed, orphaned, applied)
    comments_carried: dict[str, int] = field(default_factory=dict)
    # set by freeze only: what the drafter should see of this step though it is allowed (a stage going back)
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"v{self.number}"


COMMENT_TYPES = ("general", "substantive", "editorial")
COMMENT_KINDS = ("comment", "amendment", "question")
COMMENT_STATUSES = ("open", "accepted", "accepted-with-modification", "not-accepted", "noted", "withdrawn")


@dataclass
class Anchor:
    """Where a comment points: a paragraph id plus a text-quote selector."""
    para: str
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int = 0  # offsets into the paragraph's plain text
    end: int = 0
    state: str = "anchored"  # anchored | moved | changed | orphaned | applied (pipeline.anchoring)
    version: int = 0  # the version this anchor refers to
    original_quote: str = ""  # set when the text changed under the comment
    replaced_by: str = ""  # for orphaned comments: the paragraph that replaced the text, if any

    def stands_on(self, text: str) -> bool:
        """Is the quote at its place (`start`–`end`) in the paragraph's `text`?"""
        return text[self.start:self.end] == self.quote

    def read_on(self, text: str) -> bool:
        """Does the paragraph's `text` read as the anchor was made on: the quote at its place, and the text
        kept either side of it (`prefix`, `suffix`) beside it?"""
        before = text[max(0, self.start - len(self.prefix)):self.start]
        return self.stands_on(text) and before == self.prefix and text[self.end:self.end + len(self.suffix)] == self.suffix

    def located_in(self, text: str) -> int:
        """Where the quote is in `text`: its own place while it stands there, else its first occurrence
        (-1 when it is not there)."""
        return self.start if self.stands_on(text) else text.find(self.quote)


@dataclass
class Disposition:
    status: str = "open"
    response: str = ""
    resolved_in: Optional[int] = None  # version number where it was resolved
    by: str = ""
    date: str = ""


@dataclass
class Comment:
    id: str
    round: int
    version: int  # version the reviewer commented on
    anchor: Anchor
    org: str
    org_category: str
    type: str = "substantive"  # general | substantive | editorial
    kind: str = "comment"  # comment | amendment | question
    body: str = ""
    proposed: Optional[str] = None  # amendment: proposed new text of the quoted passage
    author: str = ""
    date: str = ""
    reply_to: Optional[str] = None  # thread parent comment id
    source: str = ""  # file it was harvested from (name only)
    disposition: Disposition = field(default_factory=Disposition)


@dataclass
class TermForm:
    term: str
    status: str = "admitted"  # preferred | admitted | deprecated
    variants: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Concept:
    """One glossary entry: a concept with its Chinese and English terms."""
    id: str
    kind: str  # cc (Chinese-characteristic) | shared | false_friend
    zh: list[TermForm] = field(default_factory=list)
    en: list[TermForm] = field(default_factory=list)
    intl: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    note: str = ""
    sources: list[str] = field(default_factory=list)
    examples: dict[str, list[str]] = field(default_factory=dict)  # hit/miss -> sentences
    intl_zh: list[str] = field(default_factory=list)  # `intl` for a Chinese text: 《公民权利和政治权利国际公约》第十九条第二款
    path: str = ""
    line: int = 0


# how `{{ responsible(…) }}` opens its line; sections with the same lead units print the same opening
RESPONSIBLE_LEAD = {"en": "Lead: ", "zh": "牵头单位："}
FINDINGS_AUTHOR = "nhrap check"  # author of the Word comments `render --with-findings` attaches; harvest skips them


@dataclass
class Finding:
    """One result of an examination check, tied to a paragraph."""
    check: str  # glossary | style | plan
    rule: str
    message: str
    para: str = ""
    line: int = 0
    concept: str = ""
    text: str = ""
    suggestion: str = ""
    severity: str = "warning"  # error | warning | info
    file: str = ""
