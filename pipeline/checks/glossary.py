"""`nhrap check glossary`: Chinese-characteristic terms against the term base.

Rules (an entry lists the ones that apply to it in `rules:`):
  deprecated            a deprecated form is used (always checked)            error
  explain-on-first-use  the first use in each chapter must carry its international
                        equivalent, the instrument or a footnote in the same paragraph
  prefer                an admitted form is used where a preferred one exists  info
  false-friend          a form that means something else internationally       warning
  avoid                 the concept should not appear at all                   warning
  consistency           two English renderings of one concept in one plan      warning
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Optional

from ..errors import UserError
from ..model import Block, Concept, Document, Finding
from ..readers.termbase import TermBase, example_line, glossary_dir_of, parse_intl, read_termbase
from . import line_offset
from .terms import CJK, Match, TermMatcher, modifies_a_noun

EXPLAIN_KINDS = ("paragraph", "list_item", "quote")  # headings and tables cannot carry an explanation
SKIP_KINDS = ("code", "rule")
FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\](?!:)")


@dataclass(eq=False)  # hashed by identity: explanation patterns are cached per loaded glossary
class Glossary:
    """A term base with its matcher and the explanation patterns of each concept."""
    termbase: TermBase
    matcher: TermMatcher

    @cached_property
    def concepts(self) -> dict[str, Concept]:
        return self.termbase.by_id()

    def explanation_pattern(self, concept_id: str) -> re.Pattern:
        return _explanation_pattern(self, concept_id)

    def find(self, text: str) -> list[Match]:
        return self.find_all([text])[0]

    def used_in(self, document: Document) -> list[Concept]:
        """The concepts the text uses (in any form, deprecated ones too), in term-base order."""
        used = {m.concept for _block, matches in self.matches_in(document) for m in matches}
        return [c for c in self.termbase.concepts if c.id in used]

    def matches_in(self, document: Document) -> list[tuple[Block, list[Match]]]:
        """Each block of plan text with the term matches in it (code, raw HTML and the like are not text)."""
        blocks = [b for b in document.blocks if b.kind not in SKIP_KINDS and b.text]
        return list(zip(blocks, self.find_all([b.text for b in blocks])))

    def find_all(self, texts: list[str]) -> list[list[Match]]:
        """Term matches outside instrument names ('Convention on the Rights of the Child' is no use of a term)
        and other proper names ('Law on the Protection of Women's Rights and Interests', 《妇女权益保障法》)."""
        result = []
        for text, matches in zip(texts, self.matcher.find_all(texts)):
            names = _name_spans(text, _instrument_names(self)) if matches else []
            if any(_may_be_in_name(text, m) for m in matches):
                names += _proper_name_spans(text)
            result.append([m for m in matches if not any(_inside_name(m, span) for span in names)])
        return result


def _inside_name(match: Match, span: tuple[int, int]) -> bool:
    """Within the name and not the whole of it: 'Targeted Poverty-Alleviation' alone is the term, capitalised."""
    start, end = span
    return start <= match.start and match.end <= end and (start, end) != (match.start, match.end)


def _names_pattern(names: set[str]) -> re.Pattern:
    alternatives = sorted(names, key=len, reverse=True)
    # abbreviations (ICCPR, CAT) match in capitals only, names in any case
    return re.compile("|".join(rf"(?<![\w/])(?-i:{re.escape(n)})(?![\w/])" if n.isupper() else
                               rf"(?<![\w/]){re.escape(n)}(?![\w/])" for n in alternatives), re.I)


CHINESE_NAMES = ""  # the key of the Chinese names: Chinese has no spaces, so no first word to look for


@lru_cache(maxsize=8)
def _instrument_names(glossary: Glossary) -> dict[str, list[str]]:
    """Instrument names in lower case, by their first word (abbreviations never contain a term)."""
    names: dict[str, list[str]] = {}
    for instrument in glossary.termbase.instruments.values():
        for name in instrument.names:
            if not name.isupper():
                first = CHINESE_NAMES if CJK.search(name) else name.lower().split()[0]
                names.setdefault(first, []).append(name.lower())
    return names


def _name_spans(text: str, names: dict[str, list[str]]) -> list[tuple[int, int]]:
    """Where instrument names stand in a text (any case): `find` for the names whose first word occurs, and
    for the Chinese ones in a text with Chinese (《儿童权利公约》 is no use of 儿童权利)."""
    lowered, spans = text.lower(), []
    words = set(lowered.split()) | ({CHINESE_NAMES} if CJK.search(text) else set())
    for name in (n for first in words & names.keys() for n in names[first]):
        start = lowered.find(name)
        while start >= 0:
            spans.append((start, start + len(name)))
            start = lowered.find(name, start + 1)
    return spans


WORD = re.compile(r"[A-Za-z][\w'’-]*")
# lower-case words that join the capitalised words of a name: 'Law on the Protection of Women's Rights'
NAME_JOINERS = {"of", "on", "the", "and", "for", "in", "to", "with", "against", "at", "by", "from", "or", "a", "an"}
# capitalised words that start sentences rather than names: 'The Rights to Know are protected.'
NOT_NAME_WORDS = NAME_JOINERS | {"this", "that", "these", "those", "each", "every", "all", "its", "their", "our",
                                 "under", "through", "during", "as", "while", "when", "where", "it", "they", "we"}
SENTENCE_OPENERS = set(".!?:;(\"“‘—")
BOOK_TITLE = re.compile(r"《[^《》]*》")  # Chinese titles of laws, books, courses: 《妇女权益保障法》


def _proper_name_spans(text: str) -> list[tuple[int, int]]:
    """Title-case names of laws, courses and institutions ('the Morality and Rule of Law curriculum'): runs of
    two or more capitalised words joined by spaces and lower-case joiners; and Chinese titles in 《》. A
    title-case heading is no name: its terms are used."""
    spans = [m.span() for m in BOOK_TITLE.finditer(text)]
    words = list(WORD.finditer(text))
    if all(w.group()[0].isupper() or w.group() in NAME_JOINERS for w in words):
        return spans  # a title-case heading
    run: list[re.Match] = []  # capitalised words and joiners of the current run
    for word in words + [None]:
        if word is not None and run and text[run[-1].end():word.start()].isspace() and _joins_name(word, run):
            run.append(word)
            continue
        while run and not _name_word(run[-1]):
            run.pop()
        if sum(map(_name_word, run)) >= 2:
            spans.append((run[0].start(), run[-1].end()))
        run = [word] if word is not None and _name_word(word) else []
    return spans


def _may_be_in_name(text: str, match: Match) -> bool:
    """Only a match capitalised where a sentence does not start, or one in a text with a Chinese title, can
    stand in a name (most paragraphs have neither, and need no search for names)."""
    if "《" in text:
        return True
    capitals = [i for i, c in enumerate(match.text) if c.isupper()]
    return bool(capitals) and (capitals[-1] > 0 or not _starts_sentence(text, match.start))


def _name_word(word: re.Match) -> bool:
    """Capitalised where it need not be: a sentence's first word is capitalised anyway ('Reform of the Hukou
    system' names nothing)."""
    return (word.group()[0].isupper() and word.group().lower() not in NOT_NAME_WORDS
            and not _starts_sentence(word.string, word.start()))


def _starts_sentence(text: str, index: int) -> bool:
    index -= 1
    while index >= 0 and text[index].isspace():
        index -= 1
    return index < 0 or text[index] in SENTENCE_OPENERS


def _joins_name(word: re.Match, run: list[re.Match]) -> bool:
    return _name_word(word) or (word.group() in NAME_JOINERS and len(run) < 12)


@lru_cache(maxsize=256)
def _explanation_pattern(glossary: Glossary, concept_id: str) -> re.Pattern:
    """Instrument names and international terms that explain a concept when found next to it."""
    concept = glossary.concepts[concept_id]
    names: set[str] = set()
    for entry in concept.intl:
        head, _term = parse_intl(entry)
        instrument = glossary.termbase.instruments.get(_instrument_id(head, glossary.termbase.instruments))
        if instrument:
            names.update(instrument.names)
        names.update(wording for wording in _intl_wordings(entry) if len(wording) > 3)
    return _names_pattern(names)


def _intl_wordings(entry: str) -> list[str]:
    """The international terms of one `intl` mapping: 'ICCPR art. 9 — liberty; security (closest)' → both."""
    term = re.sub(r"\s*\([^)]*\)", "", parse_intl(entry)[1])  # "(closest)" and other asides are no part of the wording
    return [part.strip() for part in term.split(";") if part.strip()]


def _instrument_id(head: str, instruments: dict) -> str:
    """The instrument id at the start of 'ICCPR art. 19(2)' (ids may contain spaces and slashes)."""
    return max((i for i in instruments if head == i or head.startswith(i + " ")), key=len, default="")


_LOADED: dict[tuple[str, str], Glossary] = {}


def load_glossary(ws: Any) -> Glossary:
    """The workspace's term base and matcher; the matcher's tables are cached in build/cache/."""
    termbase = read_termbase(glossary_dir_of(ws))
    build = getattr(ws, "build_dir", None)
    key = (str(glossary_dir_of(ws)), termbase.digest)
    if key not in _LOADED:
        cache = Path(build) / "cache" if build else None
        _LOADED[key] = Glossary(termbase, TermMatcher(termbase.concepts, cache, termbase.digest))
    return _LOADED[key]


# -- self-tests --------------------------------------------------------------------------------

def self_test(glossary: Glossary) -> list[UserError]:
    """Every `hit` example must match its entry and no `miss` example may."""
    problems = []
    for concept in glossary.termbase.concepts:
        for expected, sentences in (("hit", concept.examples.get("hit", [])), ("miss", concept.examples.get("miss", []))):
            for sentence in sentences:
                found = [m for m in glossary.find(sentence) if m.concept == concept.id]
                if bool(found) != (expected == "hit"):
                    what = (f"hit example does not match: {sentence!r}" if expected == "hit"
                            else f"miss example matches '{found[0].text}': {sentence!r}")
                    problems.append(UserError(f"entry '{concept.id}': self-test failed, {what}",
                                              concept.path, example_line(concept, sentence)))
    return problems


# -- the check ---------------------------------------------------------------------------------

@dataclass
class _Use:
    block: Block
    match: Match
    chapter: str  # the chapter's id: first uses are counted per chapter
    chapter_title: str  # what a message calls it: the title in the plan's language, else the id


def check_glossary(ws: Any, document: Document, glossary: Optional[Glossary] = None) -> list[Finding]:
    glossary = glossary or load_glossary(ws)
    plan = getattr(ws, "plan", None)
    uses = []
    for block, matches in glossary.matches_in(document):
        chapter = (plan.chapter_of(block.section) if plan and block.section else None) or block.section
        uses += [_Use(block, match, chapter, _chapter_title(plan, chapter)) for match in matches]
    findings = []
    for use in uses:
        findings += _form_findings(glossary, use)
    findings += _explain_findings(glossary, uses)
    findings += _consistency_findings(glossary, uses)
    for finding in findings:
        finding.file = document.path
    return sorted(findings, key=lambda f: (f.line, f.para, f.rule, f.text))


def _chapter_title(plan: Any, chapter: Optional[str]) -> str:
    titles = {c.id: c.title for c in getattr(plan, "chapters", None) or []}
    return titles.get(chapter, chapter or "")


def _finding(use: _Use, rule: str, message: str, suggestion: str, severity: str) -> Finding:
    return Finding(check="glossary", rule=rule, message=message, para=use.block.id, line=_line_of(use),
                   concept=use.match.concept, text=use.match.text, suggestion=suggestion, severity=severity)


def _line_of(use: _Use) -> int:
    """The source line of the match inside its block (the block may span several lines)."""
    return use.block.line + line_offset(use.block.source, use.match.text)


def _preferred(concept: Concept, language: str) -> str:
    forms = getattr(concept, language)
    for status in ("preferred", "admitted"):
        for form in forms:
            if form.status == status:
                return form.term
    return ""


def _form_findings(glossary: Glossary, use: _Use) -> list[Finding]:
    concept = glossary.concepts[use.match.concept]
    form = use.match.form
    better = _preferred(concept, form.language)
    if form.status == "deprecated":
        return [_finding(use, "deprecated", _say(form.language, "deprecated", text=use.match.text, concept=concept.id),
                         better, "error")]
    if "avoid" in concept.rules:
        message = f"{_say(form.language, 'avoid', text=use.match.text)} {concept.note}".strip()
        return [_finding(use, "avoid", message, better, "warning")]
    if form.status == "preferred" or not better or better == form.term:
        return []
    if "false-friend" in concept.rules and not _explained(glossary, concept, use):
        note = _form_note(concept, form.term) or _say(form.language, "false-friend", text=form.term)
        return [_finding(use, "false-friend", note, better, "warning")]
    if "prefer" in concept.rules:
        return [_finding(use, "prefer", _say(form.language, "prefer", better=better, text=use.match.text), better, "info")]
    return []


# Findings speak the language of the term they are about: a Chinese plan's panel reads Chinese.
MESSAGES = {
    "en": {"deprecated": "'{text}' is a deprecated rendering of '{concept}'",
           "avoid": "'{text}' is to be avoided.",
           "false-friend": "'{text}' means something else in international usage",
           "prefer": "'{better}' is preferred to '{text}'",
           "in-chapter": "chapter '{chapter}'", "in-document": "this document",
           "explain": "first use of '{text}' in {where} is not explained in international human rights vocabulary",
           "explain-how": "add the international equivalent, e.g. ({intl}), or a footnote"},
    "zh": {"deprecated": "“{text}”是已停用的译法（{concept}）",
           "avoid": "应避免使用“{text}”。",
           "false-friend": "“{text}”在国际用法中另有所指",
           "prefer": "宜用“{better}”，不用“{text}”",
           "in-chapter": "“{chapter}”章", "in-document": "本文件",
           "explain": "“{text}”在{where}首次出现，未用国际人权用语加以说明",
           "explain-how": "加注国际对应表述，如（{intl}），或加脚注"},
}


def _say(language: str, key: str, **values: str) -> str:
    return MESSAGES[language][key].format(**values)  # a term form is en or zh


def _form_note(concept: Concept, term: str) -> str:
    return next((f.note for f in concept.en + concept.zh if f.term == term), "")


def _explain_findings(glossary: Glossary, uses: list[_Use]) -> list[Finding]:
    """The first use of an explain-on-first-use concept in each chapter needs its explanation beside it."""
    seen: set[tuple[str, str]] = set()
    findings = []
    for use in uses:
        concept = glossary.concepts[use.match.concept]
        key = (use.chapter, concept.id)
        if "explain-on-first-use" not in concept.rules or use.block.kind not in EXPLAIN_KINDS or key in seen:
            continue
        seen.add(key)
        if FOOTNOTE_REF.search(use.block.source) or _explained(glossary, concept, use):
            continue
        language = use.match.form.language
        where = _say(language, "in-chapter", chapter=use.chapter_title) if use.chapter else _say(language, "in-document")
        # a Chinese text cites the instrument in Chinese: the international terms are English only
        reference = concept.intl_zh[0] if language == "zh" else concept.intl[0]
        findings.append(_finding(
            use, "explain-on-first-use", _say(language, "explain", text=use.match.text, where=where),
            _say(language, "explain-how", intl=reference), "warning"))
    return findings


def _explained(glossary: Glossary, concept: Concept, use: _Use) -> bool:
    text = use.block.text
    pattern = glossary.explanation_pattern(concept.id)
    return any(not (m.start() < use.match.end and use.match.start < m.end()) for m in pattern.finditer(text))


def _consistency_findings(glossary: Glossary, uses: list[_Use]) -> list[Finding]:
    """Two English renderings of one concept in one plan: keep the preferred one, else the commoner."""
    by_concept: dict[str, list[_Use]] = {}
    for use in uses:
        form = use.match.form
        if form.language == "en" and form.status != "deprecated" and "consistency" in glossary.concepts[form.concept].rules:
            by_concept.setdefault(form.concept, []).append(use)
    findings = []
    for concept_id, concept_uses in by_concept.items():
        if len({u.match.form.term for u in concept_uses}) < 2:
            continue
        # 'ethnic minority languages' uses neither rendering: the modifier both renderings share
        concept_uses = [u for u in concept_uses if not modifies_a_noun(u.block.text, u.match)]
        if len({u.match.form.term for u in concept_uses}) > 1:
            findings += _renderings_findings(glossary.concepts[concept_id], concept_uses)
    return findings


def _renderings_findings(concept: Concept, uses: list[_Use]) -> list[Finding]:
    """One finding per use of a rendering other than the one to keep. A rendering that is also the entry's
    international term ('rule of law' for 依法治国, mapped to S/2004/616) is not an equivalent: never kept in
    place of the national rendering nor swapped for it, only pointed out."""
    counts = Counter(u.match.form.term for u in uses)
    first_seen = list(counts)  # Counter keeps first-seen order
    international = _international_renderings(concept)
    candidates = [t for t in first_seen if t not in international] or first_seen
    preferred = [f.term for f in concept.en if f.status == "preferred"]
    keep = preferred[0] if preferred and preferred[0] in candidates \
        else max(candidates, key=lambda t: (counts[t], -first_seen.index(t)))
    listing = ", ".join(f"'{t}' ({counts[t]}×)" for t in first_seen)
    message = f"two renderings of '{concept.id}' in one plan: {listing}; use one"
    findings = []
    for use in (u for u in uses if u.match.form.term != keep):
        term = use.match.form.term
        if term in international and keep not in international:
            findings.append(_finding(use, "consistency", _not_equivalent_message(concept, term, keep, listing), "",
                                     "warning"))
        else:
            findings.append(_finding(use, "consistency", message, keep, "warning"))
    return findings


def _international_renderings(concept: Concept) -> set[str]:
    """Renderings of a Chinese-characteristic concept worded as its international term: the entry maps the
    concept to that term, it does not equate them (a shared concept's rendering is its international term)."""
    if concept.kind == "shared":
        return set()
    wordings = {w.casefold() for entry in concept.intl for w in _intl_wordings(entry)}
    return {f.term for f in concept.en if f.term.casefold() in wordings}


def _not_equivalent_message(concept: Concept, international: str, national: str, listing: str) -> str:
    mapping = next(e for e in concept.intl if international.casefold() in map(str.casefold, _intl_wordings(e)))
    return (f"two renderings of '{concept.id}' in one plan: {listing}; '{international}' is also the international "
            f"term it maps to ({parse_intl(mapping)[0]}), not an equivalent: where it renders '{concept.id}', "
            f"write '{national}'; where it means the international notion, keep it")
