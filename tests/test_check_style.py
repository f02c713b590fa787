"""`nhrap check style`: rules from the workspace's editable files, English and Chinese, each with a suggestion."""
from __future__ import annotations

import shutil

import pytest

from pipeline.checks.style import StyleChecker
from pipeline.errors import UserError
from pipeline.readers.markdown import read_markdown
from pipeline.readers.termbase import DATA_DIR


@pytest.fixture(scope="module")
def checker():
    return StyleChecker(DATA_DIR)


def findings(checker, text):
    return [(f.rule, f.text, f.suggestion) for f in checker.check(read_markdown(text, path="x.md"))]


@pytest.mark.parametrize("text, rule, words, suggestion", [
    ("Units made every effort to finish.", "wordy", "made every effort to", "strive to, or the verb alone"),
    ("In order to help, we act.", "wordy", "In order to", "to"),
    ("The relevant departments act.", "vague", "relevant", "name the departments, laws or measures meant"),
    ("Parks, libraries etc. are free.", "vague", "etc.", "list every item, or write 'including' before an open list"),
    ("Coverage will be further expanded.", "vague", "further", "say by how much and by when, or delete"),
    ("相关部门要进一步加强协调。", "vague", "进一步", "写明提高多少、何时完成，或删去"),
    ("图书馆、博物馆等免费开放。", "vague", "等", "列全所列事项，或改为“包括”"),
    ("The the committee meets.", "repeated-word", "The the", "The"),
])
def test_rule_found_with_suggestion(checker, text, rule, words, suggestion):
    assert (rule, words, suggestion) in findings(checker, text)


@pytest.mark.parametrize("text", ["Coverage will be further raised to 98 per cent by 2030.", "So far, it works.",
                                  "坚持男女平等，同等条件下优先。", "积极性得到发挥。", "到2030年进一步提高到百分之九十五。"])
def test_no_finding_for_measured_or_unrelated_words(checker, text):
    assert findings(checker, text) == []


def test_abbreviation_needs_definition_at_first_use(checker):
    text = "The NWCCW meets.\n\nThe National Working Committee on Children and Women (NWCCW) reports.\n\nThe UN and NWCCW.\n"
    result = findings(checker, text)
    assert [(r, w) for r, w, _ in result] == [("abbreviation", "NWCCW")]
    defined = findings(checker, "The National Working Committee (NWCCW) meets. The NWCCW reports.")
    assert defined == []


def test_long_sentence_reported(checker):
    long_sentence = " ".join(["word"] * 50) + "."
    assert findings(checker, long_sentence)[0][0] == "long-sentence"


def test_rules_are_read_from_the_workspace_file(tmp_path):
    folder = tmp_path / "glossary"
    shutil.copytree(DATA_DIR, folder)
    (folder / "style-en.yaml").write_text("rules:\n- {rule: wordy, phrase: at this point in time, suggestion: now}\n",
                                          encoding="utf-8")
    checker = StyleChecker(folder)
    assert findings(checker, "At this point in time we act. In order to go.") == [
        ("wordy", "At this point in time", "now")]


@pytest.mark.parametrize("text, message", [
    ("rules:\n- {rule: wordy, suggestion: x}\n", "without `phrase`"),
    ("rules:\n- {rule: wordy, phrase: x, suggestion: y, unless: always}\n", "unless must be 'measure'"),
    ("rules: 3\n", "needs `rules:`"),
    ("rules:\n- {rule: wordy, phrase: in order to, suggestion: to}\n- {rule: vague, phrases: [etc., In Order To], "
     "suggestion: x}\n", "'In Order To' is in two style rules (also line 2); keep one"),
])
def test_malformed_style_file_is_refused_at_its_line(tmp_path, text, message):
    folder = tmp_path / "glossary"
    shutil.copytree(DATA_DIR, folder)
    (folder / "style-en.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as err:
        StyleChecker(folder)
    assert message in err.value.message and err.value.file.endswith("style-en.yaml") and err.value.line


TABLE = """\
Targets of the plan.

| Indicator | Target | Deadline | Lead unit |
|---|---|---|---|
| Basic pension coverage | at least 95% | 2030 | MOHRSS |
| Services for the disabled | improved as appropriate | 2030 | MCA |
"""


def test_table_cells_are_checked_like_body_text_at_the_line_of_their_row(checker):
    """Indicator tables are where a vague target matters most: a cell is checked like a paragraph."""
    document = read_markdown(TABLE, path="x.md")
    document.blocks[1].id = "p0002"
    found = {(f.rule, f.text): f for f in checker.check(document)}
    vague = found[("vague", "as appropriate")]
    assert (vague.para, vague.line) == ("p0002", 6)
    assert ("abbreviation", "MCA") in found and found[("abbreviation", "MOHRSS")].line == 5


def test_a_deadline_in_another_cell_of_the_row_counts_for_the_vague_word(checker):
    table = "| Indicator | Target | Deadline |\n|---|---|---|\n| Legal aid | gradually expanded | 2030 |\n" \
            "| Libraries | gradually expanded | |\n"
    assert [(f.text, f.line) for f in checker.check(read_markdown(table, path="x.md"))] == [("gradually", 4)]


@pytest.mark.parametrize("text, words", [
    ("The 12338 women's rights hotline will be gradually expanded.", "gradually"),
    ("Under Article 36 of the Constitution, protection will be improved step by step.", "step by step"),
    ("The 15th Five-Year Plan will be implemented gradually.", "gradually"),
    ("Services will be improved gradually, as the 2016–2020 assessment advised.", "gradually"),
    ("依据宪法第36条，进一步加强宗教事务管理。", "进一步"),
    ("12338妇女维权热线逐步扩大服务范围。", "逐步"),
    ("十五五时期，基本公共服务范围逐步扩大。", "逐步"),
    ("In 2019 the hotline was gradually expanded.", "gradually"),
    ("From 2016 to 2020 the network was gradually expanded.", "gradually"),
    ("2019年以来，服务范围逐步扩大。", "逐步"), ("过去5年服务范围逐步扩大。", "逐步"),
])
def test_a_number_that_is_no_target_does_not_excuse_a_vague_word(checker, text, words):
    """An article number, a hotline, an ordinal or a past period names something; it sets no target."""
    assert ("vague", words) in [(rule, found) for rule, found, _ in findings(checker, text)]


@pytest.mark.parametrize("text", [
    "Legal aid will be gradually extended to 20,000 more villages.", "Waiting times will be cut step by step to 48 hours.",
    "Coverage will be expanded gradually until 2028.", "Coverage will gradually reach 90% of villages.",
    "到2030年，覆盖范围逐步扩大。", "逐步新建500所学校。", "2028年逐步实现全覆盖。"])
def test_a_target_or_deadline_excuses_a_vague_word(checker, text):
    assert findings(checker, text) == []


@pytest.mark.parametrize("text", [
    "Graduates have the same rights in public employment, further study and promotion.",
    "Carry out further rounds of central environmental protection inspections.",
    "Extend the national carbon emissions trading market to further industrial sectors.",
    "Child victims will be questioned once, to avoid further harm.", "Further measures:",
    "Further development of the system is needed."])
def test_further_as_an_adjective_is_not_vague(checker, text):
    assert findings(checker, text) == []


@pytest.mark.parametrize("text", [
    "Reduce maternal and infant mortality further, with the largest reductions in rural areas.",
    "The state will further improve the rules.", "Further improve the rules on detention.",
    "Units should further strengthen coordination.", "To further expand services, units will act."])
def test_further_as_an_adverb_is_vague(checker, text):
    assert [(rule, words.lower()) for rule, words, _ in findings(checker, text)] == [("vague", "further")]


@pytest.mark.parametrize("text, words", [
    ("Rights will be realised step-by-step.", "step-by-step"), ("Rights will be realised step by step.", "step by step"),
    ("Rights will be realised step-by step.", "step-by step"), ("Act in-order-to help.", "in-order-to")])
def test_phrases_are_found_with_hyphens_or_spaces(checker, text, words):
    assert [found for _, found, _ in findings(checker, text)] == [words]


def test_a_hyphenated_rule_phrase_finds_the_spaced_spelling(tmp_path):
    folder = tmp_path / "glossary"
    shutil.copytree(DATA_DIR, folder)
    (folder / "style-en.yaml").write_text("rules:\n- {rule: vague, phrase: case-by-case, suggestion: say how}\n",
                                          encoding="utf-8")
    assert [w for _, w, _ in findings(StyleChecker(folder), "Decided case by case, or case-by-case.")] == [
        "case by case", "case-by-case"]


def repeats(checker, text):
    document = read_markdown(text, path="x.md")
    for number, block in enumerate(document.blocks, 1):
        block.id = f"p{number:04d}"
    return [(f.para, f.line, f.message) for f in checker.check(document) if f.rule == "repeated-sentence"]


def test_a_sentence_written_twice_is_reported_naming_both_paragraphs(checker):
    text = ("1. Publish model contracts for platform and flexible workers that set out working hours, rest periods "
            "and pay.\n2. Train labour inspectors.\n\nThe right to rest will receive more attention. Publish model "
            "contracts for  platform and flexible workers that set out working hours, rest periods and pay.\n")
    assert repeats(checker, text) == [("p0003", 4, "sentence written twice: in p0001 and here in p0003")]


def test_a_commitment_opening_two_list_items_is_reported(checker):
    text = ("- Take part in the fifth cycle of the Universal Periodic Review and carry out the recommendations.\n"
            "- Engage in dialogue with the special procedures.\n"
            "- Take part in the fifth cycle of the Universal Periodic Review, and assign a lead unit to each one.\n")
    assert repeats(checker, text) == [("p0003", 3, "sentence opening with the same words as one: in p0001 and here in p0003")]


def test_chinese_sentences_are_compared_one_by_one(checker):
    sentence = "为平台劳动者和灵活就业人员制定示范合同，明确工作时间、休息时间和劳动报酬"
    text = f"（一）{sentence}。\n\n保障休息权。{sentence}；加强劳动监察。\n"
    assert repeats(checker, text) == [("p0002", 3, "sentence written twice: in p0001 and here in p0002")]


def test_short_formulas_may_recur(checker):
    text = "- Improve legal aid.\n- Improve legal aid.\n\n坚持依法治国。\n\n坚持依法治国。\n"
    assert repeats(checker, text) == []


@pytest.mark.parametrize("text, sign", [("Coverage: at least 90% by 2030..", "."), ("覆盖率不低于90%（2030年）。。", "。"),
                                        ("Rates,, and wages.", ",")])
def test_a_stop_or_comma_written_twice_is_found(checker, text, sign):
    """`{{ indicator(…) }}` ends its sentence; a chapter that ends it again prints '2030..'."""
    assert ("repeated-word", sign * 2) in [(rule, found) for rule, found, _ in findings(checker, text)]


def test_an_ellipsis_is_no_doubled_stop(checker):
    assert not [f for f in findings(checker, "The list goes on...") if f[0] == "repeated-word"]


def test_sections_led_by_the_same_units_may_say_so_alike(checker):
    """`responsible()` lines of two sections led by the same units open alike; that is no repetition."""
    lead = ("Lead: Ministry of Human Resources and Social Security; co-operating: National Development and Reform "
            "Commission, Ministry of Finance")
    text = f"{lead}.\n\n{lead}, Ministry of Education.\n"
    assert repeats(checker, text) == []


def test_a_repeated_sentence_is_placed_on_the_line_it_starts_on(checker):
    """Its place is looked for by all its words, line breaks between them: not by its first word ('The'), which
    the block's first line may hold too."""
    text = ("The right to rest matters.\n\nThe plan will be revised by the panel in every later round of consultation.\n\n"
            "There is more to say here.\nThe plan will be revised by the panel in every later round of consultation.\n")
    assert repeats(checker, text) == [("p0003", 6, "sentence written twice: in p0002 and here in p0003")]
