"""Word profiles: a little YAML (labels, page numbers, heading numbering) plus a reference .docx.

A profile's look lives in its reference document (styles, page set-up, the
numbering of headings), which the panel may restyle in Word; the YAML holds
what is not a style: cover and footer wording, page-number patterns, line
numbering. English and Chinese differ only in data, never in code branches.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..errors import UserError
from ..fileio import load_yaml
from ..model import chinese_counting

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PROFILES_DIR = DATA_DIR / "profiles"
STYLES_DIR = DATA_DIR / "styles"
# between plan title, version and label in the page header of a consultation draft or redline; the
# harvest of a returned draft reads the version back from it
HEADER_SEPARATOR = " · "
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


@dataclass
class Profile:
    name: str
    language: str
    labels: dict[str, str]
    page_numbers: dict[str, Any]
    line_numbers: dict[str, Any]
    headings: list[dict[str, Any]]
    data: dict[str, Any] = field(default_factory=dict)  # the whole YAML, for the reference builder

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def phrase(self, key: str, **values: Any) -> str:
        """A label with its {placeholders} filled in: phrase("diff_after", id="p0187") -> "after p0187"."""
        return self.label(key).format(**values)

    def field(self, key: str, value: str) -> str:
        """A cover line "Version: v3" / "版本：v3": the label, the profile's colon, the value."""
        return f"{self.label(key)}{self.labels.get('colon', ': ')}{value}"

    def date(self, iso: str) -> str:
        """An ISO date as the profile writes dates (`date_format`: {year} {month} {day}, {month_name} from
        the profile's `months`, or {iso})."""
        pattern = self.data.get("date_format", "{iso}")
        try:
            year, month, day = (int(part) for part in iso[:10].split("-"))
        except ValueError:
            return iso
        months = self.data.get("months") or []
        month_name = months[month - 1] if 0 < month <= len(months) else str(month)
        return pattern.format(year=year, month=month, day=day, month_name=month_name, iso=iso[:10])

    def stage(self, stage: str) -> str:
        """A plan stage (drafting, consultation, …) in the profile's language."""
        return dict(self.data.get("stages") or {}).get(stage, stage)

    def stage_named(self, name: str) -> Optional[str]:
        """The stage this profile prints as `name` (征求意见 → consultation); None if none."""
        return next((stage for stage, shown in dict(self.data.get("stages") or {}).items() if shown == name), None)

    def heading_label(self, counters: list[int]) -> str:
        """The number Word shows before a heading ("II. ", "（三）"), for a filled-in TOC."""
        level = len(counters)
        if level > len(self.headings):
            return ""
        text = self.headings[level - 1].get("text", "")
        for index, value in enumerate(counters, 1):
            fmt = self.headings[index - 1].get("fmt", "decimal") if index <= len(self.headings) else "decimal"
            text = text.replace(f"%{index}", format_number(value, fmt))
        return text


def format_number(value: int, fmt: str) -> str:
    """A list number as Word prints it for the formats our profiles use."""
    if fmt == "upperRoman":
        return _roman(value)
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "chineseCounting":
        return chinese_counting(value)
    return str(value)


def _roman(value: int) -> str:
    out = []
    for number, letters in _ROMAN:
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def available() -> list[str]:
    return sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))


@functools.lru_cache(maxsize=None)
def load_profile(name: str) -> Profile:
    """A packaged profile, read once per process (commands ask for it from many places; nothing changes it)."""
    path = PROFILES_DIR / f"{name}.yaml"
    if not path.is_file():
        raise UserError(f"unknown Word profile '{name}' (profiles: {', '.join(available())})")
    data = load_yaml(path)
    return Profile(name=data["name"], language=data.get("language", "en"), labels=dict(data.get("labels", {})),
                   page_numbers=dict(data.get("page_numbers", {})), line_numbers=dict(data.get("line_numbers", {})),
                   headings=list(data.get("headings", [])), data=data)


def reference_file(folder: Path, profile_name: str) -> Path:
    """Where a profile's reference document sits in `folder` (styles/, or the packaged styles)."""
    return Path(folder) / f"reference-{profile_name}.docx"


def working_draft_labels() -> list[str]:
    """What each profile calls the working draft where a version's name would stand (cover, page header,
    document keywords): a returned draft saying so was not made from a version."""
    return sorted({load_profile(name).label("working_draft") for name in available()})


def language_profile(language: str) -> Profile:
    """The packaged profile of a plan language: its punctuation and wording for text in that language,
    whatever profile gives the look (there is one profile per plan language)."""
    return load_profile("zh" if language == "zh" else "en")


def reference_path(profile: Profile, styles_dir: Optional[Path]) -> Path:
    """The workspace's reference document if it has one (the panel's restyled copy), else the packaged one."""
    if styles_dir is not None and reference_file(styles_dir, profile.name).exists():
        return reference_file(styles_dir, profile.name)
    return reference_file(STYLES_DIR, profile.name)
