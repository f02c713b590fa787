"""`nhrap check glossary`: terms found in every listed form, explained at first use, one rendering per plan."""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from pipeline.checks.glossary import check_glossary, load_glossary
from pipeline.cli import main
from pipeline.readers.markdown import read_markdown
from pipeline.readers.termbase import DATA_DIR

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def glossary(tmp_path_factory):
    return load_glossary(DATA_DIR)


def concepts_in(glossary, text):
    return [(m.concept, m.text) for m in glossary.find(text)]


@pytest.mark.parametrize("text, concept, words", [
    ("The Rights to Know are protected.", "right-to-know", "Rights to Know"),
    ("A people-centered approach.", "people-centred", "people-centered approach"),
    ("A people centred approach.", "people-centred", "people centred approach"),
    ("Targeted Poverty-Alleviation works.", "targeted-poverty-alleviation", "Targeted Poverty-Alleviation"),
    ("Left behind children are visited.", "left-behind-children", "Left behind children"),
    ("Spending on the people’s livelihood rises.", "livelihood", "people’s livelihood"),
    ("深化户籍制度改革。", "hukou", "户籍制度"),
])
def test_finds_inflected_spelling_hyphen_and_case_variants(glossary, text, concept, words):
    assert (concept, words) in concepts_in(glossary, text)


def test_coordinated_forms_name_each_concept(glossary):
    found = concepts_in(glossary, "The rights to know and to participate and the rights of expression and supervision.")
    assert [c for c, _ in found] == ["right-to-know", "right-to-participate", "right-of-expression", "right-of-supervision"]
    assert ("right-to-participate", "rights to know and to participate") in found


@pytest.mark.parametrize("text", ["人民生活水平显著提高。", "Firms share their right to know-how.",
                                  "It is protected in the law on basic medical and health care.",
                                  "The Convention on the Rights of the Child applies."])
def test_decoys_are_not_terms(glossary, text):
    assert concepts_in(glossary, text) == []


@pytest.mark.parametrize("text", ["The Law on the Protection of Women's Rights and Interests was revised.",
                                  "Schools teach the Morality and Rule of Law course.",
                                  "The Law on Legal Aid came into force.", "实施《法律援助法》。"])
def test_terms_inside_names_of_laws_and_courses_are_no_uses(glossary, text):
    assert concepts_in(glossary, text) == []
    assert check_glossary(None, document(text), glossary) == []


def test_a_title_case_heading_still_uses_its_terms(glossary):
    assert concepts_in(glossary, "Care for the Disabled") == [("persons-with-disabilities", "the Disabled")]
    assert concepts_in(glossary, "Protecting the Rights of Ethnic Minority Groups") == \
        [("ethnic-minorities", "Ethnic Minority Groups")]
    assert concepts_in(glossary, "完善法律援助制度。") == [("legal-aid", "法律援助")]


def document(text: str):
    return read_markdown(text, path="plan.md")


def test_explain_on_first_use_per_chapter_only_first_use(glossary):
    doc = document("Household registration will be reformed.\n\nHousehold registration again.\n")
    findings = check_glossary(None, doc, glossary)
    assert [(f.rule, f.line, f.text) for f in findings] == [("explain-on-first-use", 1, "Household registration")]
    assert "ICCPR" in findings[0].suggestion


@pytest.mark.parametrize("explained", [
    "Household registration reform serves the liberty of movement and freedom to choose one's residence.",
    "Household registration reform follows the International Covenant on Civil and Political Rights.",
    "Household registration reform continues.[^1]\n\n[^1]: See article 12.",
])
def test_explanation_by_term_instrument_or_footnote(glossary, explained):
    findings = check_glossary(None, document(explained), glossary)
    assert [f for f in findings if f.rule == "explain-on-first-use"] == []


def test_deprecated_rendering_is_an_error_with_the_preferred_one(glossary):
    [finding] = check_glossary(None, document("Services for the disabled improve."), glossary)
    assert (finding.rule, finding.severity, finding.text, finding.suggestion) == \
        ("deprecated", "error", "the disabled", "persons with disabilities")


def test_two_renderings_of_one_concept_in_one_plan(glossary):
    doc = document("Ethnic minority groups are protected.\n\nEthnic minority groups vote.\n\nEthnic minorities learn.\n")
    [finding] = check_glossary(None, doc, glossary)
    assert (finding.rule, finding.line, finding.suggestion) == ("consistency", 5, "ethnic minority groups")


def test_a_rendering_qualifying_a_noun_is_no_competing_rendering(glossary):
    """'ethnic minority languages' would become 'ethnic minority groups languages': not a second rendering."""
    doc = document("Ethnic minority groups are protected.\n\nThe plan appears in the main ethnic minority languages.\n\n"
                   "Offices open in rural, ethnic minority and border areas, and ethnic minority officials are trained.\n")
    assert check_glossary(None, doc, glossary) == []


def test_no_swap_to_or_from_a_rendering_the_entry_does_not_equate(glossary):
    """law-based-governance lists 'rule of law', its international term (S/2004/616), with 'do not equate silently'."""
    doc = document("Law-based governance is advanced.\n\nThe rule of law is upheld.\n\nThe rule of law protects rights.\n")
    findings = [f for f in check_glossary(None, doc, glossary) if f.rule == "consistency"]
    assert [(f.text, f.suggestion) for f in findings] == [("rule of law", ""), ("rule of law", "")]
    assert "'rule of law' is also the international term it maps to (S/2004/616 para. 6), not an equivalent" \
        in findings[0].message
    assert "write 'law-based governance'" in findings[0].message


def test_a_shared_concept_keeps_its_international_rendering(glossary):
    doc = document("The right to work is protected.\n\nLabour rights are protected.\n")
    [finding] = check_glossary(None, doc, glossary)
    assert (finding.rule, finding.text, finding.suggestion) == ("consistency", "Labour rights", "right to work")


def test_a_singular_rendering_with_a_determiner_still_competes(glossary):
    doc = document("Ethnic minority groups are protected.\n\nEach ethnic minority has a deputy.\n")
    [finding] = check_glossary(None, doc, glossary)
    assert (finding.rule, finding.text, finding.suggestion) == ("consistency", "ethnic minority", "ethnic minority groups")


@pytest.fixture
def cli_ws(mini_ws):
    root = mini_ws.root
    shutil.copytree(DATA_DIR, root / "glossary")
    (root / "check.md").write_text("# Intro {#esc}\n\nCare for the elderly and the disabled.\n", encoding="utf-8")
    return root


def test_cli_json_lists_findings_with_their_words(cli_ws, capsys):
    status = main(["--workspace", str(cli_ws), "check", "glossary", str(cli_ws / "check.md"), "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert status == 1  # a deprecated rendering is an error
    assert {r["text"] for r in rows} == {"the elderly", "the disabled"}
    assert set(rows[0]) >= {"para", "line", "rule", "concept", "text", "message", "suggestion"}


def test_cli_glossary_validate_reports_a_failing_entry(cli_ws, capsys):
    entry = cli_ws / "glossary" / "terms" / "legal-aid.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("Legal advice and aid agencies.", "More legal aid."),
                     encoding="utf-8")
    assert main(["--workspace", str(cli_ws), "glossary", "validate"]) == 2
    assert f"{entry}:" in capsys.readouterr().err


def test_annotated_corpus_meets_accuracy_targets(glossary):
    spec = importlib.util.spec_from_file_location("bench_checks", REPO / "bench" / "bench_checks.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from pipeline.checks.style import StyleChecker
    style = StyleChecker(DATA_DIR.parent)  # no workspace: packaged style rules
    table = bench.accuracy(glossary, style)
    assert sum(len(bench.load_corpus(lang)) for lang in ("en", "zh")) >= 150
    for (language, rule), row in table.items():
        if "baseline" not in rule:
            assert row["precision"] >= 0.97 and row["recall"] >= 0.95, (language, rule, row)


def test_findings_on_chinese_terms_are_worded_in_chinese(glossary):
    document = read_markdown("# 经济权利 {#esc}\n\n保障残废人的合法权益，改善民生。\n", {"esc"})
    document.blocks[1].id = "p0002"
    findings = {f.rule: f for f in check_glossary(None, document, glossary)}
    assert findings["deprecated"].message.startswith("“残废人”是已停用的译法")
    assert findings["explain-on-first-use"].suggestion.startswith("加注国际对应表述")


def test_chinese_findings_cite_the_instrument_in_chinese_and_name_the_chapter_by_its_title(glossary):
    """Were: 在“esc”章首次出现 … 加注国际对应表述，如（ICESCR art. 11 — adequate standard of living）."""
    from types import SimpleNamespace
    from pipeline.model import Chapter, Section
    plan = SimpleNamespace(chapters=[Chapter("esc", "经济、社会和文化权利", [Section("esc-living", "基本生活水准权利", "esc")])],
                           chapter_of=lambda section: "esc")
    document = read_markdown("# 基本生活水准权利 {#esc-living}\n\n改善民生。\n", {"esc-living"})
    [finding] = check_glossary(SimpleNamespace(plan=plan), document, glossary)
    assert finding.message == "“民生”在“经济、社会和文化权利”章首次出现，未用国际人权用语加以说明"
    assert finding.suggestion == "加注国际对应表述，如（《经济社会文化权利国际公约》第十一条），或加脚注"
