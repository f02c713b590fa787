"""`nhrap check style`: wordy and vague phrases, undefined abbreviations, repeated words and sentences, long sentences.

Rules live in the workspace's glossary/style-en.yaml and style-zh.yaml
(the packaged starter files when a workspace has none). A block is checked
with the Chinese rules when most of its letters are Chinese, else with the
English ones, so English renderings inside a Chinese plan are left alone.
Table cells are checked one by one, like paragraphs.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..errors import UserError
from ..fileio import load_yaml
from ..model import RESPONSIBLE_LEAD, Block, Document, Finding
from ..readers.termbase import DATA_DIR, glossary_dir_of
from . import line_offset
from .terms import CJK, ChineseMatcher, EnglishMatcher, Form, jieba_tokenizer

PHRASE_KINDS = ("paragraph", "list_item", "quote", "heading", "footnote", "table")
SENTENCE_KINDS = ("paragraph", "list_item", "quote", "footnote")
SEVERITIES = ("error", "warning", "info")
# A repeated sentence is reported when it is at least this long (shorter formulas recur by design) and
# compared by its opening at most this long: 'Take part in the fifth cycle of the Universal Periodic Review …'
# written in two list items is one commitment twice, however each goes on.
REPEAT_MIN = {"en": 10, "zh": 20}  # words, Chinese characters
LIST_NUMBER = re.compile(r"^\s*(?:\(?\d+[.)）]|[（(][\d一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|[a-z][.)])\s*")
FORMS_VERSION = 2  # in the matcher cache's name: bump when _forms writes other forms for the same rule file
# What excuses a vague word under `unless: measure`: a target or a deadline. Numbers that only name something
# (Article 36, the 12338 hotline, the 15th Five-Year Plan, 第36条, 十五五) do not.
TARGET = {
    "en": re.compile(
        r"\d(?:[\d,.]*\d)?\s*(?:%|per\s?cent\b|percent\b)"  # 98 per cent, 5.5%
        r"|\b(?:by|before|until|till|through|within|no later than)\s+(?:the\s+end\s+of\s+)?(?:19|20)\d\d\b"
        r"|\b(?:by|before)\s+the\s+end\s+of\s+the\s+(?:plan\s+)?period\b", re.I),
    "zh": re.compile(
        r"\d(?:[\d,.]*\d)?\s*[%％]|百分之[\d〇零一二三四五六七八九十百点]+"
        r"|(?:(?:19|20)\d\d|[〇零一二三四五六七八九]{4})\s*年(?!以来|来|起|以后|之后|至今)|规划期末"  # 到2030年, 二〇三〇年 — not 2019年以来
        r"|(?<![第\d.])(?<!过去)(?<!近)(?!(?:19|20)\d\d\s*年)\d[\d,]*(?:\.\d+)?\s*[万亿千百]?\s*"  # 12万名, 500所 — not 第36条, 12338热线, 过去5年
        r"(?:个|项|所|家|人|名|位|张|倍|成|元|公里|千米|平方米|米|公顷|亩|床|册|天|日|小时|周|月|年|次|岁|户|套|座|件|台|辆|吨|份|场|批)"
        r"|(?<![第一二三四五六七八九十百千两])[一二三四五六七八九十百千两]+[个项所家万亿倍成]"  # 三个, 两倍 — not 第十五个
        r"|(?:达到|提高到|提升到|降低到|降至|下降到|减少到|增加到|增长到|不低于|不少于|不超过|不高于|控制在|保持在)\s*[\d一二三四五六七八九十]"),
}
# A quantity: '20,000 interpreters', '1.1 volumes', 'within 48 hours'. Not a bare year, not five or more digits
# run together (a hotline), not glued to letters or hyphens (15th, COVID-19, A/75/1).
QUANTITY = re.compile(r"(?<![\w.,/-])(?!(?:19|20)\d\d(?![\d,.]\d))(?:\d{1,3}(?:,\d{3})+|\d{1,4})(?:\.\d+)?(?![\w/-]|[.,]\d)")
# ... nor the number of a provision: 'Article 36', 'arts. 2 and 26', 'No. 5', 'SDG 16'.
PROVISION_BEFORE = re.compile(r"\b(?:articles?|arts?\.|nos?\.|numbers?|sections?|chapters?|paragraphs?|paras?\.|items?|"
                              r"rules?|annex|resolution|goals?|SDGs?|phase|grade|level|volume|vol\.)\s+"
                              r"(?:\d+[\w()]*\s*(?:,|and|or|to|-|–)\s*)*$", re.I)
AUXILIARIES = {"will", "shall", "should", "must", "can", "could", "may", "might", "would", "be", "is", "are", "was",
               "were", "been", "being", "has", "have", "had"}
IRREGULAR_PARTICIPLES = {"done", "made", "taken", "given", "built", "kept", "held", "set", "brought", "sought", "laid",
                         "met", "spread", "undertaken", "put", "cut", "shown", "known", "grown", "drawn"}
WORD_BEFORE = re.compile(r"([A-Za-z'-]+|[^\sA-Za-z'-])\s*$")
WORD_AFTER = re.compile(r"\s*([A-Za-z'-]+)(?:\s+([A-Za-z'-]+))?")
YEAR_CELL = re.compile(r"\s*(?:19|20)\d\d\s*年?\s*")  # the deadline column of an indicator table
SENTENCE_END = {"en": re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"“])"), "zh": re.compile(r"(?<=[。！？；])")}
ABBREVIATION = re.compile(r"(?<![\w-])([A-Z][A-Z0-9&]*[A-Z](?:-\d+)?)s?(?![\w-])")
ROMAN = re.compile(r"^[IVXLC]+$")
DOUBLED_SIGN = re.compile(r"(?<![.])\.\.(?![.])|。。|，，|,,|；；")  # not an ellipsis (...)
REPEATED_EN = re.compile(r"\b(\w+)\s+\1\b", re.I)
TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")  # |---|:--:| under the header


@dataclass
class Piece:
    """A stretch of plan text checked on its own: a block, or one cell of a table (indicator targets are
    where a vague word matters most)."""
    block: Block
    text: str
    line: int  # line of its first character in the file
    source: str  # the Markdown it stands in, to find the line of a match inside it
    row: str = ""  # a cell's whole row: a target or deadline in another cell of it counts for `unless: measure`


@dataclass
class StyleRule:
    rule: str
    phrases: list[str]
    suggestion: str
    message: str = ""
    unless: str = ""
    severity: str = "warning"
    only: str = ""  # adverb: only where the word modifies a verb ('will further improve', not 'further study')


@dataclass
class StyleRules:
    language: str
    rules: list[StyleRule]
    max_sentence: int
    abbreviations: set[str] = field(default_factory=set)
    repeated_exceptions: set[str] = field(default_factory=set)
    digest: str = ""


def style_file(ws: Any, language: str) -> Path:
    """The workspace's rule file, or the packaged starter when the workspace has none."""
    path = glossary_dir_of(ws) / f"style-{language}.yaml"
    return path if path.is_file() else DATA_DIR / f"style-{language}.yaml"


def read_style_rules(path: Path, language: str) -> StyleRules:
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise UserError("a style file needs `rules:` (a list)", path, 1)
    rules = [_read_rule(item, path) for item in data["rules"]]
    _refuse_phrases_twice(data["rules"], rules, path)
    limit_key = "max_sentence_words" if language == "en" else "max_sentence_chars"
    limit = data.get(limit_key, 45 if language == "en" else 120)
    if not isinstance(limit, int) or limit < 1:
        raise UserError(f"{limit_key} must be a positive whole number", path, getattr(data, "line", 1))
    return StyleRules(language, rules, limit, set(map(str, data.get("abbreviations", []) or [])),
                      set(map(str, data.get("repeated_word_exceptions", []) or [])),
                      hashlib.sha256(path.read_bytes()).hexdigest()[:16])


def _read_rule(item: Any, path: Path) -> StyleRule:
    line = getattr(item, "line", 0)
    if not isinstance(item, dict):
        raise UserError("a style rule must be a mapping {rule, phrase(s), suggestion}", path, line)
    phrases = item.get("phrases", [item["phrase"]] if "phrase" in item else [])
    if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise UserError("style rule without `phrase` or `phrases`", path, line)
    if not item.get("rule") or not isinstance(item.get("suggestion"), str):
        raise UserError(f"style rule for '{phrases[0]}' needs `rule` and `suggestion`", path, line)
    if item.get("unless", "") not in ("", "measure"):
        raise UserError(f"style rule for '{phrases[0]}': unless must be 'measure'", path, line)
    if item.get("only", "") not in ("", "adverb"):
        raise UserError(f"style rule for '{phrases[0]}': only must be 'adverb'", path, line)
    if item.get("severity", "warning") not in SEVERITIES:
        raise UserError(f"style rule for '{phrases[0]}': severity must be one of {', '.join(SEVERITIES)}", path, line)
    return StyleRule(str(item["rule"]), [p.strip() for p in phrases], item["suggestion"], str(item.get("message", "")),
                     item.get("unless", ""), item.get("severity", "warning"), item.get("only", ""))


def _refuse_phrases_twice(items: list, rules: list[StyleRule], path: Path) -> None:
    """A phrase in two rules would be reported twice, perhaps with two suggestions: the file is union-merged
    in git, and a rule changed on two clones comes back as two lines."""
    seen: dict[str, int] = {}  # phrase -> index of the rule holding it
    for index, (item, rule) in enumerate(zip(items, rules)):
        for phrase in rule.phrases:
            first = seen.setdefault(phrase.casefold(), index)
            if first != index:
                raise UserError(f"'{phrase}' is in two style rules (also line {getattr(items[first], 'line', 0)}); "
                                "keep one", path, getattr(item, "line", 0))


class StyleChecker:
    def __init__(self, ws: Any):
        self.rules = {lang: read_style_rules(style_file(ws, lang), lang) for lang in ("en", "zh")}
        build = getattr(ws, "build_dir", None)
        cache = Path(build) / "cache" if build else None
        self.matchers = {
            "en": EnglishMatcher(self._forms("en"), cache, f"style{FORMS_VERSION}-" + self.rules["en"].digest),
            "zh": ChineseMatcher(self._forms("zh")),
        }

    def _forms(self, language: str) -> list[tuple[str, Form]]:
        return [(written, Form(str(index), phrase, language, "admitted"))
                for index, rule in enumerate(self.rules[language].rules) for phrase in rule.phrases
                for written in _hyphen_variants(phrase)]

    def check(self, document: Document) -> list[Finding]:
        findings: list[Finding] = []
        defined = _defined_abbreviations(document)
        reported: set[str] = set()
        pieces = [piece for block in document.blocks if block.text and block.kind in PHRASE_KINDS
                  for piece in _pieces(block)]
        languages = ["zh" if _mostly_chinese(p.text) else "en" for p in pieces]
        english = iter(self.matchers["en"].find_all([p.text for p, lang in zip(pieces, languages) if lang == "en"]))
        for piece, language in zip(pieces, languages):
            matches = next(english) if language == "en" else self.matchers["zh"].find(piece.text)
            found = self._phrases(piece, language, matches)
            if piece.block.kind in SENTENCE_KINDS:
                found += self._long_sentences(piece.text, language)
            found += self._repeated(piece.text, language)
            found += self._abbreviations(piece, defined, reported)
            for rule, message, text, start, suggestion, severity in found:
                findings.append(Finding(check="style", rule=rule, message=message, para=piece.block.id,
                                        line=piece.line + line_offset(piece.source, text), text=text,
                                        suggestion=suggestion, severity=severity, file=document.path))
        return findings + _repeated_sentences(document)

    def vague_words(self, text: str) -> list[str]:
        """The vague words of a short text (an indicator's target in words), by the rules the plan's text is
        checked with, and nothing else of the style check."""
        language = "zh" if _mostly_chinese(text) else "en"
        piece = _pieces(Block(kind="paragraph", source=text, text=text))[0]
        return [found[2] for found in self._phrases(piece, language, self.matchers[language].find(text))
                if found[0] == "vague"]

    def _phrases(self, piece: Piece, language: str, matches: list) -> list[tuple]:
        rules = self.rules[language].rules
        result = []
        for match in matches:
            rule = rules[int(match.concept)]
            if rule.unless == "measure" and _measured(piece, match.start, language):
                continue
            if rule.only == "adverb" and not _adverb_use(piece.text, match.start, match.end):
                continue
            message = rule.message or _default_message(rule.rule, match.text, language)
            result.append((rule.rule, message, match.text, match.start, rule.suggestion, rule.severity))
        return result

    def _long_sentences(self, text: str, language: str) -> list[tuple]:
        limit = self.rules[language].max_sentence
        result = []
        for start, sentence in _sentences(text, language):
            size = len(sentence.split()) if language == "en" else len(CJK.findall(sentence))
            if size > limit:
                unit = "words" if language == "en" else "characters"
                result.append(("long-sentence", f"sentence of {size} {unit} (limit {limit})",
                               sentence.strip(), start, "split it into shorter sentences", "info"))
        return result

    def _repeated(self, text: str, language: str) -> list[tuple]:
        """The same word twice in a row: 'the the'; in Chinese, the same jieba word twice (的的, 进一步进一步); and a
        stop or comma twice ('by 2030..' where a chapter ends the sentence a helper already ended)."""
        exceptions = self.rules[language].repeated_exceptions
        if language == "en":
            pairs = [(m.group(1), m.group(0), m.start()) for m in REPEATED_EN.finditer(text)]
        else:
            words = list(jieba_tokenizer().tokenize(text, HMM=False))
            pairs = [(w, text[s:e2], s) for (w, s, _), (w2, _, e2) in zip(words, words[1:])
                     if w == w2 and CJK.search(w)]
        pairs += [(m.group(0)[0], m.group(0), m.start()) for m in DOUBLED_SIGN.finditer(text)]
        return [("repeated-word", f"'{word}' is written twice", written, start, word, "warning")
                for word, written, start in pairs
                if not (written in exceptions or word.lower() in exceptions or word.isdigit())]

    def _abbreviations(self, piece: Piece, defined: dict[str, tuple[int, int]], reported: set[str]) -> list[tuple]:
        """The first use of an abbreviation must come with its definition: 'Full Name (ABBR)'."""
        known = self.rules["en"].abbreviations
        result = []
        for match in ABBREVIATION.finditer(piece.text):
            abbr = match.group(1)
            if abbr in known or abbr in reported or ROMAN.match(abbr) or len(abbr) > 10:
                continue
            reported.add(abbr)
            where = defined.get(abbr)
            here = (piece.line, match.start())
            if where is not None and where <= here:
                continue
            later = " (it is defined later: move the definition to the first use)" if where else ""
            result.append(("abbreviation", f"'{abbr}' is not defined at its first use{later}", abbr, match.start(),
                           f"write the full name followed by ({abbr}) at its first use", "warning"))
        return result


def _defined_abbreviations(document: Document) -> dict[str, tuple[int, int]]:
    """Where each abbreviation is defined, as '(ABBR)' after its full name: (line, offset)."""
    defined: dict[str, tuple[int, int]] = {}
    for block in document.blocks:
        for match in re.finditer(r"[(（]\s*([A-Z][A-Z0-9&]*[A-Z](?:-\d+)?)s?\s*[)）]", block.text):
            defined.setdefault(match.group(1), (block.line, match.start()))
    return defined


def _repeated_sentences(document: Document) -> list[Finding]:
    """A sentence written twice or more in the plan (letter case, spacing and list numbering aside), reported at
    each later place, naming where it was first."""
    first: dict[str, tuple[Block, str]] = {}
    findings = []
    for block in (b for b in document.blocks if b.text and b.kind in SENTENCE_KINDS):
        language = "zh" if _mostly_chinese(block.text) else "en"
        for _start, sentence in _sentences(block.text, language):
            key, exact = _sentence_key(sentence, language)
            if not key:
                continue
            if key not in first:
                first[key] = (block, exact)
                continue
            earlier, earlier_exact = first[key]
            said = "sentence written twice" if exact == earlier_exact else "sentence opening with the same words as one"
            shown = sentence.strip()
            findings.append(Finding(check="style", rule="repeated-sentence", para=block.id,
                                    message=f"{said}: in {earlier.id} and here in {block.id}",
                                    line=block.line + line_offset(block.source, shown), text=shown,
                                    suggestion="keep it in one place", severity="warning", file=document.path))
    return findings


def _sentence_key(sentence: str, language: str) -> tuple[str, str]:
    """(its opening, the whole) of a sentence normalised; ('', '') for one too short to count, or for the
    lead units a section's `responsible()` line names (sections led by the same units say the same)."""
    if sentence.lstrip().startswith(RESPONSIBLE_LEAD[language]):
        return "", ""
    text = " ".join(LIST_NUMBER.sub("", sentence).casefold().split()).rstrip(".;。；!?！？ ")
    if language == "en":
        words = text.split()
        return (" ".join(words[:REPEAT_MIN["en"]]), text) if len(words) >= REPEAT_MIN["en"] else ("", "")
    size = REPEAT_MIN["zh"]
    return (text[:size], text) if len(CJK.findall(text)) >= size else ("", "")


def _hyphen_variants(phrase: str) -> list[str]:
    """A phrase as written plus its all-hyphen spelling: 'step by step' also finds 'step-by-step' (the matcher
    itself finds a hyphen between two words, and every spacing of a hyphenated phrase)."""
    hyphenated = "-".join(phrase.split())
    return [phrase] if hyphenated == phrase or CJK.search(phrase) else [phrase, hyphenated]


def _pieces(block: Block) -> list[Piece]:
    """A block as one piece; a table as its cells, each at the line of its row."""
    if block.kind != "table":
        return [Piece(block, block.text, block.line, block.source)]
    rows = block.text.split("\n")
    lines = [n for n, line in enumerate(block.source.split("\n")) if not TABLE_DELIMITER.match(line)]
    if len(lines) != len(rows):  # a row written over several lines: every cell at the table's first line
        lines = [0] * len(rows)
    return [Piece(block, cell.strip(), block.line + line, cell, row)
            for row, line in zip(rows, lines) for cell in row.split(" | ") if cell.strip()]


def states_target(text: str, language: str) -> bool:
    """Does the text give a target or a deadline: a percentage, a quantity, a year or period it is due by?"""
    if TARGET[language].search(text):
        return True
    return language == "en" and any(not PROVISION_BEFORE.search(text[max(0, m.start() - 40):m.start()])
                                    for m in QUANTITY.finditer(text))


def _measured(piece: Piece, offset: int, language: str) -> bool:
    """Does the sentence at `offset` (for a table cell: its row, where a year alone is the deadline) state a target?"""
    if piece.row:
        return states_target(piece.row, language) or any(YEAR_CELL.fullmatch(c) for c in piece.row.split(" | "))
    return states_target(_sentence_at(piece.text, offset, language), language)


def _adverb_use(text: str, start: int, end: int) -> bool:
    """Is the word at text[start:end] an adverb: 'will further improve', 'be further expanded', 'Further improve
    the rules', 'reduce mortality further.' — not the adjective of 'further study', 'further rounds of
    inspections', 'to further industrial sectors', 'to avoid further harm', 'Further measures:'?"""
    before = WORD_BEFORE.search(text[:start])
    previous = before.group(1).lower() if before else ""
    sentence_start = previous in ("", ".", "!", "?", ";", ":")
    if re.match(r"\s*(?:[.,;:!?)]|$)", text[end:]):  # after its verb at the end of a clause
        return not sentence_start
    after = WORD_AFTER.match(text[end:])
    following, then = (after.group(1).lower(), (after.group(2) or "").lower()) if after else ("", "")
    if previous in AUXILIARIES or _participle(following):
        return True
    return (sentence_start or previous == "to") and then != "of" and _verb_base(following)


def _participle(word: str) -> bool:
    return (len(word) > 4 and word.endswith("ed")) or word in IRREGULAR_PARTICIPLES


def _verb_base(word: str) -> bool:
    """A verb as an imperative or infinitive writes it ('improve', 'study'): its past form is in the lemma table."""
    if not word or (word.endswith("s") and not word.endswith("ss")):
        return False
    from .terms import _lookup_tables
    lemmas = _lookup_tables()[1]
    past = (word + "ed", word + "d", word[:-1] + "ied", word + word[-1:] + "ed")
    return any(lemmas.get(form) == word for form in past)


def _mostly_chinese(text: str) -> bool:
    if not CJK.search(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return bool(letters) and len(CJK.findall(text)) * 2 > letters


def _sentences(text: str, language: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence of a block's text."""
    cuts = [0, *(m.end() for m in SENTENCE_END[language].finditer(text)), len(text)]
    return [(start, text[start:end]) for start, end in zip(cuts, cuts[1:]) if text[start:end].strip()]


def _sentence_at(text: str, offset: int, language: str) -> str:
    return next((s for start, s in _sentences(text, language) if start <= offset < start + len(s)), text)


def _default_message(rule: str, text: str, language: str) -> str:
    if language == "zh":
        return {"wordy": f"“{text}”可删或可简", "vague": f"“{text}”含义不确定"}.get(rule, f"“{text}”")
    return {"wordy": f"'{text}' is wordy", "vague": f"'{text}' is vague"}.get(rule, f"'{text}'")


def check_style(ws: Any, document: Document, checker: Optional[StyleChecker] = None) -> list[Finding]:
    return (checker or StyleChecker(ws)).check(document)
