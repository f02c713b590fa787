"""Accuracy and speed of the examination checks (glossary + style).

Accuracy: the annotated corpus in tests/data/checks/corpus-{en,zh}.yaml
(one paragraph per item, each checked as its own document); precision and
recall per rule and language. "match" is term detection itself. The
comparison tool is a case-insensitive regex over every listed form
(what a Vale `existence` rule or a plain search does).

Speed: glossary + style checks of a 60,000-word English plan made by
repeating the corpus (until bench/generate.py provides a real-scale plan),
after start-up; start-up of a fresh process (imports, term base, matcher)
is measured separately, cold (no build/cache) and warm.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "data" / "checks"
TARGET_WORDS = 60_000
SCORED_STYLE = {"wordy", "vague", "abbreviation", "repeated-word"}


def load_corpus(language: str) -> list[dict]:
    return yaml.safe_load((CORPUS / f"corpus-{language}.yaml").read_text(encoding="utf-8"))


def workspace(build_dir: Path) -> SimpleNamespace:
    """The sample workspace's glossary with a private build folder (plan-less: each paragraph is its own chapter)."""
    return SimpleNamespace(glossary_dir=REPO / "glossary", build_dir=build_dir, plan=None)


def document_of(text: str, path: str = "corpus.md"):
    from pipeline.model import Block, Document
    return Document([Block(kind="paragraph", source=text, text=text, id="p0001", line=1)], path=path)


def expected_keys(item: dict) -> Counter:
    keys = Counter()
    for entry in item.get("x") or []:
        rule, concept, *text = entry.split("|")
        keys[_key(rule, concept, text[0] if text else "")] += 1
    return keys


def _key(rule: str, concept: str, text: str) -> tuple:
    if rule == "match" or not concept:
        return (rule, concept, text.casefold())
    return (rule, concept, "")  # glossary findings are scored by rule and concept


def predicted_keys(glossary, style, text: str) -> Counter:
    from pipeline.checks.glossary import check_glossary
    document = document_of(text)
    keys = Counter(_key("match", m.concept, m.text) for m in glossary.find(text))
    keys.update(_key(f.rule, f.concept, f.text) for f in check_glossary(None, document, glossary))
    keys.update(_key(f.rule, "", f.text) for f in style.check(document) if f.rule in SCORED_STYLE)
    return keys


def regex_keys(forms: list[tuple[re.Pattern, str]], text: str) -> Counter:
    return Counter(("match", concept, m.group(0).casefold()) for pattern, concept in forms for m in pattern.finditer(text))


def regex_forms(concepts) -> list[tuple[re.Pattern, str]]:
    result = []
    for concept in concepts:
        for form in concept.en + concept.zh:
            for written in (form.term, *form.variants):
                # English: whole words, any case; Chinese: plain substring (no word boundaries in the script)
                pattern = re.escape(written) if re.search(r"[\u4e00-\u9fff]", written) else rf"(?<!\w){re.escape(written)}(?!\w)"
                result.append((re.compile(pattern, re.I), concept.id))
    return result


def score(pairs: list[tuple[Counter, Counter]], language: str) -> dict[tuple[str, str], dict]:
    """{(language, rule): {tp, fp, fn, precision, recall}} over (expected, predicted) pairs."""
    table: dict[tuple[str, str], Counter] = {}
    for expected, predicted in pairs:
        for key in set(expected) | set(predicted):
            row = table.setdefault((language, key[0]), Counter())
            hit = min(expected[key], predicted[key])
            row["tp"] += hit
            row["fp"] += predicted[key] - hit
            row["fn"] += expected[key] - hit
    return {k: _ratios(v) for k, v in table.items()}


def _ratios(row: Counter) -> dict:
    tp, fp, fn = row["tp"], row["fp"], row["fn"]
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0}


def misses(glossary, style, language: str) -> list[str]:
    """Human-readable differences between expectation and result (for debugging the corpus)."""
    lines = []
    for item in load_corpus(language):
        expected, predicted = expected_keys(item), predicted_keys(glossary, style, item["t"])
        for key in (expected - predicted):
            lines.append(f"MISSED {key} in {item['t'][:70]!r}")
        for key in (predicted - expected):
            lines.append(f"EXTRA  {key} in {item['t'][:70]!r}")
    return lines


def accuracy(glossary, style) -> dict:
    result = {}
    for language in ("en", "zh"):
        items = load_corpus(language)
        ours = [(expected_keys(i), predicted_keys(glossary, style, i["t"])) for i in items]
        result.update(score(ours, language))
        forms = regex_forms(glossary.termbase.concepts)
        baseline = [(Counter({k: v for k, v in expected_keys(i).items() if k[0] == "match"}), regex_keys(forms, i["t"]))
                    for i in items]
        result[(language, "match (regex baseline)")] = score(baseline, language)[(language, "match")]
    return result


def big_document(words: int = TARGET_WORDS):
    """About `words` words of plan text: the English corpus repeated, one block per paragraph, chapters of 40 blocks.

    Each copy is numbered ("Para 12. …") so that no two blocks are the same text and no cache flatters the figure.
    """
    from pipeline.model import Block, Document
    paragraphs = [i["t"] for i in load_corpus("en")]
    blocks, count = [], 0
    while count < words:
        for paragraph in paragraphs:
            number = len(blocks) + 1
            text = f"Para {number}. {paragraph}"
            blocks.append(Block(kind="paragraph", source=text, text=text, id=f"p{number:05d}", line=number * 2,
                                section=f"s{number // 40}"))
            count += len(text.split())
    return Document(blocks, path="bench.md"), count


def speed(glossary, style) -> dict:
    from pipeline.checks.glossary import check_glossary
    document, words = big_document()
    warm_up = document_of("The right to know is protected in order to help, etc. 保障知情权。")
    check_glossary(None, warm_up, glossary), style.check(warm_up)  # start-up is measured separately
    start = time.perf_counter()
    findings = check_glossary(None, document, glossary) + style.check(document)
    seconds = time.perf_counter() - start
    forms = regex_forms(glossary.termbase.concepts)
    text = "\n".join(b.text for b in document.blocks)
    start = time.perf_counter()
    for pattern, _ in forms:
        sum(1 for _ in pattern.finditer(text))
    regex_seconds = time.perf_counter() - start
    return {"words": words, "seconds": round(seconds, 3), "words_per_s": int(words / seconds),
            "findings": len(findings), "regex_words_per_s": int(words / regex_seconds),
            "ratio_vs_regex": round(regex_seconds / seconds, 3), "target_seconds": 1.0}


STARTUP = """
import time, sys
t = time.perf_counter()
from types import SimpleNamespace
from pathlib import Path
from pipeline.checks.glossary import load_glossary
from pipeline.checks.style import StyleChecker
ws = SimpleNamespace(glossary_dir=Path(sys.argv[1]), build_dir=Path(sys.argv[2]), plan=None)
g = load_glossary(ws); s = StyleChecker(ws)
g.find("The right to know is protected."); s.matchers["en"].find("in order to")
if sys.argv[3] == "zh":
    g.find("保障知情权。")
print(time.perf_counter() - t)
"""


def startup(build_dir: Path, language: str) -> float:
    out = subprocess.run([sys.executable, "-c", STARTUP, str(REPO / "glossary"), str(build_dir), language],
                         cwd=REPO, capture_output=True, text=True, check=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 3)


def run(results: dict) -> None:
    sys.path.insert(0, str(REPO))
    from pipeline.checks.glossary import load_glossary
    from pipeline.checks.style import StyleChecker
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp)
        cold = startup(build / "cold", "en")
        warm = startup(build / "cold", "en")
        warm_zh = startup(build / "cold", "zh")
        ws = workspace(build / "run")
        glossary, style = load_glossary(ws), StyleChecker(ws)
        for (language, rule), row in sorted(accuracy(glossary, style).items()):
            results[f"checks accuracy {language} {rule}"] = row
        results["checks speed glossary+style 60k words"] = speed(glossary, style)
        results["checks start-up"] = {"cold_s": cold, "warm_s": warm, "warm_with_jieba_s": warm_zh}


if __name__ == "__main__":
    figures: dict = {}
    run(figures)
    for name, row in figures.items():
        print(f"{name:55s} " + "  ".join(f"{k}={v}" for k, v in row.items()))
    if "--misses" in sys.argv:
        from pipeline.checks.glossary import load_glossary
        from pipeline.checks.style import StyleChecker
        with tempfile.TemporaryDirectory() as tmp:
            ws = workspace(Path(tmp))
            for language in ("en", "zh"):
                print("\n".join(misses(load_glossary(ws), StyleChecker(ws), language)))
