"""glossary/ → the term base: concepts, the instruments they map to, and their sources.

Layout of a workspace's glossary folder (docs/glossary.md has the details):

    glossary/terms/<concept-id>.yaml   one concept per file (git-friendly)
    glossary/instruments.yaml          international instruments: id, names, aliases
    glossary/sources.yaml              source keys → addresses
    glossary/style-en.yaml, style-zh.yaml   style rules (read by pipeline.checks.style)

Every mistake in an entry is a UserError at `file:line` naming the entry.
The self-tests (`examples: {hit, miss}`) need the matcher and run in
pipeline.checks.glossary.self_test, not here, so loading stays cheap.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from ..errors import UserError, shown
from ..fileio import load_yaml, read_text
from ..model import Concept, TermForm, chinese_counting
from .config import ID_PATTERN, check_keys

KINDS = ("cc", "shared", "false_friend")
STATUSES = ("preferred", "admitted", "deprecated")
RULES = ("explain-on-first-use", "prefer", "avoid", "consistency", "false-friend")
ENTRY_KEYS = ("id", "kind", "zh", "en", "intl", "rules", "note", "sources", "examples")
FORM_KEYS = ("term", "status", "variants", "sources", "note")
INTL_KEYS = ("instrument", "article", "term")
EXAMPLE_KEYS = ("hit", "miss")
INTL_SEPARATOR = " — "  # "ICCPR art. 19(2) — freedom to seek, receive and impart information"
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "glossary"


@dataclass
class Instrument:
    id: str  # short name used in entries: ICCPR, CRC, DRTD …
    name_en: str
    name_zh: str = ""
    aliases: list[str] = field(default_factory=list)  # other ways a draft names it (en and zh)

    @property
    def names(self) -> list[str]:
        return [n for n in (self.id, self.name_en, self.name_zh, *self.aliases) if n]


@dataclass
class TermBase:
    concepts: list[Concept]
    instruments: dict[str, Instrument]
    sources: dict[str, str]
    digest: str  # hash of every file read: keys the matcher cache

    def by_id(self) -> dict[str, Concept]:
        return {c.id: c for c in self.concepts}


def glossary_dir_of(ws_or_dir: Any) -> Path:
    """A workspace's glossary folder (the packaged starter when it has none), or the folder itself when given a path."""
    if not hasattr(ws_or_dir, "glossary_dir"):
        return Path(ws_or_dir)
    folder = Path(ws_or_dir.glossary_dir)
    return folder if (folder / "terms").is_dir() else DATA_DIR


def read_termbase(folder: Path) -> TermBase:
    folder = Path(folder)
    term_files = sorted((folder / "terms").glob("*.yaml"))
    if not term_files:
        raise UserError("no term entries (expected glossary/terms/<concept-id>.yaml)", folder / "terms")
    digest = hashlib.sha256()
    sources = _read_sources(folder / "sources.yaml", digest)
    instruments = _read_instruments(folder / "instruments.yaml", digest)
    concepts: dict[str, Concept] = {}
    for path in term_files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        concept = read_concept(path, sources, instruments)
        if concept.id in concepts:
            raise UserError(f"entry '{concept.id}': duplicate id (also in {concepts[concept.id].path})", path, concept.line)
        concepts[concept.id] = concept
    _check_unique_terms(list(concepts.values()))
    return TermBase(sorted(concepts.values(), key=lambda c: c.id), instruments, sources, digest.hexdigest()[:16])


def _read_sources(path: Path, digest: Any) -> dict[str, str]:
    if not path.is_file():
        return {}
    digest.update(path.read_bytes())
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise UserError("sources.yaml must map source keys to addresses", path, 1)
    return {str(k): str(v) for k, v in data.items()}


INSTRUMENT_KEYS = ("id", "name_en", "name_zh", "aliases")


def _read_instruments(path: Path, digest: Any) -> dict[str, Instrument]:
    if not path.is_file():
        raise UserError("missing instruments.yaml (the instruments term entries map to)", path)
    digest.update(path.read_bytes())
    data = load_yaml(path) or []
    if not isinstance(data, list):
        raise UserError("instruments.yaml must be a list of {id, name_en, name_zh, aliases}", path, 1)
    result: dict[str, Instrument] = {}
    for item in data:
        line = getattr(item, "line", 0)
        if not isinstance(item, dict) or not item.get("id") or not item.get("name_en"):
            raise UserError("an instrument needs id and name_en", path, line)
        if item["id"] in result:
            raise UserError(f"instrument '{item['id']}': duplicate id", path, line)
        check_keys(item, INSTRUMENT_KEYS, path, f"instrument '{item['id']}'", "name")
        result[item["id"]] = Instrument(str(item["id"]), str(item["name_en"]), str(item.get("name_zh", "")),
                                        [str(a) for a in item.get("aliases", [])])
    return result


def read_concept(path: Path, sources: dict[str, str], instruments: dict[str, Instrument]) -> Concept:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise UserError("a term entry must be a mapping (id, kind, zh, en, intl, rules …)", path, 1)
    entry = _Entry(path, data)
    concept_id = entry.text("id")
    if not ID_PATTERN.match(concept_id):
        raise UserError(f"entry '{concept_id}': id must be lowercase letters, digits and hyphens", path, data.line)
    twin = path.with_name(f"{concept_id}.yaml")
    if concept_id != path.stem and twin.is_file():
        raise UserError(f"entry '{concept_id}': duplicate id (also in {twin})", path, data.line)
    if concept_id != path.stem:
        raise UserError(f"entry '{concept_id}': file must be named {concept_id}.yaml", path, data.line)
    entry.name = concept_id
    entry.known_keys(data, ENTRY_KEYS, "the term entry")
    concept = Concept(
        id=concept_id,
        kind=entry.choice("kind", KINDS),
        zh=entry.forms("zh", sources),
        en=entry.forms("en", sources),
        intl=entry.intl(instruments),
        intl_zh=entry.intl(instruments, chinese=True),
        rules=entry.rules(),
        note=str(data.get("note", "") or ""),
        sources=entry.source_keys(data.get("sources", []), sources, data),
        examples=entry.examples(),
        path=str(path),
        line=data.line,
    )
    if "explain-on-first-use" in concept.rules and not concept.intl:
        entry.fail("rule explain-on-first-use needs at least one intl mapping to explain with", data)
    return concept


class _Entry:
    """Field-by-field validation of one entry; every error names the entry and its line."""

    def __init__(self, path: Path, data: dict):
        self.path, self.data, self.name = path, data, "?"

    def fail(self, message: str, node: Any = None) -> None:
        line = getattr(node, "line", 0) or self.data.line
        raise UserError(f"entry '{self.name}': {message}", self.path, line)

    def known_keys(self, node: dict, allowed: tuple[str, ...], what: str) -> None:
        """A misspelt key is refused at its own line, with the key meant: ignored, `staus: deprecated` would
        leave a deprecated rendering unflagged."""
        try:
            check_keys(node, allowed, self.path, what)
        except UserError as error:
            raise UserError(f"entry '{self.name}': {error.message}", error.file, error.line) from None

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.name = str(self.data.get("id", "?"))
            self.fail(f"missing {key}")
        return value.strip()

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.data.get(key)
        if value not in allowed:
            self.fail(f"{key} must be one of {', '.join(allowed)}, not {shown(value)}")
        return value

    def forms(self, language: str, sources: dict[str, str]) -> list[TermForm]:
        items = self.data.get(language)
        what = "English rendering" if language == "en" else "Chinese term"
        if not isinstance(items, list) or not items:
            self.fail(f"missing {what} (`{language}:` needs at least one {{term: …}})", items)
        forms = [self.form(item, what, sources) for item in items]
        if sum(f.status == "preferred" for f in forms) > 1:
            self.fail(f"more than one preferred {what}", items)
        return forms

    def form(self, item: Any, what: str, sources: dict[str, str]) -> TermForm:
        if isinstance(item, str):
            item = {"term": item}
        term = item.get("term") if isinstance(item, dict) else None
        if not isinstance(term, str) or not term.strip():
            self.fail(f"{what} without `term`", item)
        self.known_keys(item, FORM_KEYS, f"{what} '{term}'")
        status = item.get("status", "admitted")
        if status not in STATUSES:
            self.fail(f"status of '{term}' must be one of {', '.join(STATUSES)}, not {shown(status)}", item)
        variants = item.get("variants", [])
        if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
            self.fail(f"variants of '{term}' must be a list of strings", item)
        return TermForm(term=term.strip(), status=status, variants=[v.strip() for v in variants],
                        sources=self.source_keys(item.get("sources", []), sources, item),
                        note=str(item.get("note", "") or ""))

    def source_keys(self, keys: Any, sources: dict[str, str], node: Any) -> list[str]:
        keys = [keys] if isinstance(keys, str) else keys
        if not isinstance(keys, list):
            self.fail("sources must be a list of keys from sources.yaml", node)
        for key in keys:
            if key not in sources:
                self.fail(f"unknown source '{key}' (add it to glossary/sources.yaml)", node)
        return [str(k) for k in keys]

    def intl(self, instruments: dict[str, Instrument], chinese: bool = False) -> list[str]:
        """The mappings as 'ICCPR art. 19(2) — freedom of expression', or for a Chinese text as
        《公民权利和政治权利国际公约》第十九条第二款 (the international terms are English only)."""
        items = self.data.get("intl", []) or []
        if not isinstance(items, list):
            self.fail("intl must be a list of {instrument, article, term}", items)
        result = []
        for item in items:
            if not isinstance(item, dict) or not item.get("instrument"):
                self.fail("an intl mapping needs `instrument` (and usually article and term)", item)
            self.known_keys(item, INTL_KEYS, f"the intl mapping to {item['instrument']}")
            if item["instrument"] not in instruments:
                self.fail(f"unknown instrument '{item['instrument']}' (add it to glossary/instruments.yaml)", item)
            instrument, article = str(item["instrument"]), str(item.get("article", "") or "")
            result.append(chinese_reference(instruments[instrument], article) if chinese
                          else format_intl(instrument, article, str(item.get("term", "") or "")))
        return result

    def rules(self) -> list[str]:
        rules = self.data.get("rules", []) or []
        if not isinstance(rules, list):
            self.fail("rules must be a list", rules)
        for rule in rules:
            if rule not in RULES:
                self.fail(f"unknown rule '{rule}' (known: {', '.join(RULES)})", rules)
        return list(rules)

    def examples(self) -> dict[str, list[str]]:
        data = self.data.get("examples", {}) or {}
        if not isinstance(data, dict):
            self.fail("examples must be {hit: [sentences], miss: [sentences]}", data)
        self.known_keys(data, EXAMPLE_KEYS, "examples")
        result = {}
        for key in EXAMPLE_KEYS:
            items = data.get(key, []) or []
            if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
                self.fail(f"examples.{key} must be a list of sentences", data)
            result[key] = list(items)
        if not result["hit"]:
            self.fail("needs at least one `examples: {hit: [...]}` sentence so the entry is tested", data)
        return result


def format_intl(instrument: str, article: str, term: str) -> str:
    head = f"{instrument} {article}".strip()
    return f"{head}{INTL_SEPARATOR}{term}" if term else head


NUMBERED_DOCUMENT = re.compile(r"第[\d/]+号")  # 第34号一般性意见, 第76/300号决议: cited without 《》
ARTICLE_UNIT = re.compile(r"(arts?\.|paras?\.|part|goal|target)\s+", re.I)
ARTICLE_ITEM = re.compile(r"(\d+)((?:\(\w+\))*)(?:-(\d+)?((?:\(\w+\))*))?")
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"  # (a), (b) … of a treaty article, as the Chinese texts of the covenants number them
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def chinese_reference(instrument: Instrument, article: str) -> str:
    """《经济社会文化权利国际公约》第十一条: the instrument's Chinese name and the article the Chinese way."""
    name = instrument.name_zh or instrument.name_en
    if instrument.name_zh and not NUMBERED_DOCUMENT.search(name):
        name = f"《{name}》"
    return name + chinese_article(article)


def chinese_article(article: str) -> str:
    """'art. 19(2)' → 第十九条第二款, 'arts. 2(2), 6 and 7' → 第二条第二款、第六条和第七条, 'para. 6' → 第6段
    (UN documents number paragraphs in figures), 'art. 14(3)(d)' → 第十四条第三款（丁）项; anything else as written."""
    pieces = ARTICLE_UNIT.split(article.strip())
    if not article.strip() or pieces[0].strip():
        return article
    parts = []
    for unit, references in zip(pieces[1::2], pieces[2::2]):
        items = [_chinese_item(unit.lower().rstrip(".s"), item)
                 for item in re.split(r",\s*|\s+and\s+", references.strip().rstrip(",")) if item]
        if not items or None in items:
            return article
        parts.append("、".join(items[:-1]) + ("和" if len(items) > 1 else "") + items[-1])
    return "".join(parts)


def _chinese_item(unit: str, item: str) -> Optional[str]:
    if unit == "part":
        return f"第{chinese_counting(ROMAN[item])}部分" if item in ROMAN else None
    if unit in ("goal", "target"):
        return f"{'目标' if unit == 'goal' else '具体目标'}{item}"
    found = ARTICLE_ITEM.fullmatch(item)
    if not found:
        return None
    first, subdivisions, last, last_subdivisions = found.groups()
    if unit == "para":
        return f"第{first}段" + (f"至第{last}段" if last else "")
    start = f"第{chinese_counting(int(first))}条{_chinese_subdivisions(subdivisions)}"
    if last:
        return f"{start}至第{chinese_counting(int(last))}条{_chinese_subdivisions(last_subdivisions or '')}"
    return start + (f"至{_chinese_subdivisions(last_subdivisions)}" if last_subdivisions else "")


def _chinese_subdivisions(text: str) -> str:
    """'(3)(d)' → 第三款（丁）项."""
    out = ""
    for part in re.findall(r"\((\w+)\)", text):
        if part.isdigit():
            out += f"第{chinese_counting(int(part))}款"
        elif len(part) == 1 and "a" <= part <= "j":
            out += f"（{HEAVENLY_STEMS[ord(part) - ord('a')]}）项"
        else:
            out += f"({part})"
    return out


def parse_intl(text: str) -> tuple[str, str]:
    """(instrument + article, international term) of a display string made by format_intl."""
    head, _, term = text.partition(INTL_SEPARATOR)
    return head, term


def _check_unique_terms(concepts: list[Concept]) -> None:
    """One written form belongs to one concept; otherwise a match would be ambiguous."""
    owner: dict[str, Concept] = {}
    for concept in concepts:
        for form in concept.zh + concept.en:
            for written in (form.term, *form.variants):
                key = written.casefold()
                other = owner.setdefault(key, concept)
                if other is not concept:
                    raise UserError(f"entry '{concept.id}': term '{written}' is also in entry '{other.id}'",
                                    concept.path, concept.line)


def example_line(concept: Concept, sentence: str) -> int:
    """Line of a self-test sentence in its entry file (for error messages)."""
    text = read_text(Path(concept.path))
    index = text.find(sentence[:40])
    return text.count("\n", 0, index) + 1 if index >= 0 else concept.line


def annex_rows(concepts: Union[list[Concept], TermBase], language: str = "en") -> list[dict[str, str]]:
    """Rows of the glossary annex: Chinese term, English rendering, international equivalent/instrument.

    Deprecated renderings never appear; the preferred rendering comes first.
    Sorted by English rendering (en plans) or by Chinese term (zh plans).
    """
    items = concepts.concepts if isinstance(concepts, TermBase) else concepts
    rows = []
    for concept in items:
        rows.append({
            "id": concept.id,
            "zh": "；".join(f.term for f in _usable(concept.zh)),
            "en": "; ".join(f.term for f in _usable(concept.en)),
            "intl": "；".join(concept.intl_zh) if language == "zh" else "; ".join(concept.intl),
            "note": concept.note,
        })
    if language == "zh":  # a Chinese glossary reads in pinyin order (then tone), as a dictionary does
        from pypinyin import Style, lazy_pinyin
        return sorted(rows, key=lambda r: (lazy_pinyin(r["zh"], style=Style.TONE3), r["zh"], r["id"]))
    return sorted(rows, key=lambda r: (r["en"].casefold(), r["id"]))


def _usable(forms: list[TermForm]) -> list[TermForm]:
    order = {"preferred": 0, "admitted": 1}
    return sorted((f for f in forms if f.status != "deprecated"), key=lambda f: order[f.status])
