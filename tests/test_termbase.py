"""The term base: the starter entries load and pass their self-tests; malformed entries are refused at file:line."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from pipeline.checks.glossary import load_glossary, self_test
from pipeline.errors import UserError
from pipeline.readers.termbase import DATA_DIR, annex_rows, chinese_article, read_termbase
from pipeline.writers.glossary_table import glossary_docx, glossary_markdown
from pipeline.writers.tbx import write_tbx

from helpers import run

REPO = Path(__file__).resolve().parent.parent
ENTRY = """\
id: test-term
kind: cc
zh:
- {term: 测试权, status: preferred}
en:
- {term: right to test, status: preferred}
intl:
- {instrument: ICCPR, article: art. 19, term: freedom of expression}
rules: [explain-on-first-use]
examples:
  hit: [The right to test is protected.]
  miss: [A test of rights.]
"""


@pytest.fixture
def glossary_dir(tmp_path):
    folder = tmp_path / "glossary"
    shutil.copytree(DATA_DIR, folder)
    return folder


def add_entry(folder: Path, text: str, name: str = "test-term") -> Path:
    path = folder / "terms" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_starter_term_base_has_40_entries_that_pass_their_self_tests():
    concepts = read_termbase(DATA_DIR).concepts
    assert len(concepts) >= 40
    assert all(c.examples["hit"] for c in concepts)
    assert self_test(load_glossary(DATA_DIR)) == []


def test_workspace_term_base_is_the_packaged_starter():
    assert sorted(p.relative_to(REPO / "glossary") for p in (REPO / "glossary").rglob("*.yaml")) == sorted(p.relative_to(DATA_DIR) for p in DATA_DIR.rglob("*.yaml"))


@pytest.mark.parametrize("change, message", [
    (("en:\n- {term: right to test, status: preferred}\n", ""), "missing English rendering"),
    (("rules: [explain-on-first-use]", "rules: [explain-always]"), "unknown rule 'explain-always'"),
    (("status: preferred}\nintl", "status: favourite}\nintl"), "status of 'right to test' must be one of"),
    (("instrument: ICCPR", "instrument: ICCPRR"), "unknown instrument 'ICCPRR'"),
    (("kind: cc", "kind: special"), "kind must be one of"),
])
def test_malformed_entry_names_entry_file_and_line(glossary_dir, change, message):
    path = add_entry(glossary_dir, ENTRY.replace(*change))
    with pytest.raises(UserError) as err:
        read_termbase(glossary_dir)
    assert message in err.value.message and "entry 'test-term'" in err.value.message
    assert err.value.file == str(path) and err.value.line >= 1


@pytest.mark.parametrize("change, line, message", [
    (("- {term: right to test, status: preferred}\n", "- {term: right to test, status: preferred}\n"
      "- term: right to examine\n  staus: deprecated\n"), 8,
     "unknown key 'staus' in English rendering 'right to examine'; did you mean 'status'?"),
    (("{term: 测试权, status: preferred}", "{term: 测试权, statsu: preferred}"), 4,
     "unknown key 'statsu' in Chinese term '测试权'; did you mean 'status'?"),
    (("article: art. 19,", "artcle: art. 19,"), 8,
     "unknown key 'artcle' in the intl mapping to ICCPR; did you mean 'article'?"),
    (("  miss:", "  mis:"), 12, "unknown key 'mis' in examples; did you mean 'miss'?"),
    (("rules:", "# a comment line\nnotes: fine\nrules:"), 10,
     "unknown key 'notes' in the term entry; did you mean 'note'?"),
])
def test_a_misspelt_key_is_refused_at_its_own_line(glossary_dir, change, line, message):
    path = add_entry(glossary_dir, ENTRY.replace(*change))
    with pytest.raises(UserError) as err:
        read_termbase(glossary_dir)
    assert (err.value.file, err.value.line, err.value.message) == (str(path), line, f"entry 'test-term': {message}")


def test_an_instrument_name_cut_short_by_an_unquoted_comma_is_refused_at_its_line(glossary_dir):
    """In a flow mapping the comma ends the name: "International Covenant on Economic" was read, and the rest
    became a key of its own. The starter files had three such names."""
    path = glossary_dir / "instruments.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number, line = next((n, text) for n, text in enumerate(lines, 1) if text.startswith("- {id: ICESCR,"))
    lines[number - 1] = line.replace('"International Covenant on Economic, Social and Cultural Rights"',
                                     "International Covenant on Economic, Social and Cultural Rights")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(UserError) as err:
        read_termbase(glossary_dir)
    assert (err.value.file, err.value.line) == (str(path), number)
    assert err.value.message == ("unknown key 'Social and Cultural Rights' in instrument 'ICESCR' "
                                 "(a comma in an unquoted name? quote it)")


def test_glossary_validate_refuses_a_misspelt_status_at_its_line(mini_ws, capsys):
    shutil.copytree(DATA_DIR, mini_ws.root / "glossary")
    path = mini_ws.root / "glossary" / "terms" / "right-to-know.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- term: right to be informed\n  status: admitted",
                                 "- term: right to be informed\n  staus: deprecated"), encoding="utf-8")
    code, out = run(mini_ws, capsys, "glossary", "validate")
    line = text.splitlines().index("- term: right to be informed") + 2
    assert code == 2 and f"right-to-know.yaml:{line}: entry 'right-to-know': unknown key 'staus' in English " \
                          f"rendering 'right to be informed'; did you mean 'status'?" in out.err


def test_duplicate_id_is_refused(glossary_dir):
    path = add_entry(glossary_dir, ENTRY.replace("id: test-term", "id: hukou"), name="hukou-copy")
    with pytest.raises(UserError, match=r"entry 'hukou': duplicate id \(also in .*hukou.yaml\)") as err:
        read_termbase(glossary_dir)
    assert err.value.file == str(path)


def test_entry_file_named_after_its_id(glossary_dir):
    add_entry(glossary_dir, ENTRY, name="other-name")
    with pytest.raises(UserError, match="file must be named test-term.yaml"):
        read_termbase(glossary_dir)


def test_same_term_in_two_entries_is_refused(glossary_dir):
    add_entry(glossary_dir, ENTRY.replace("right to test", "legal aid"))
    with pytest.raises(UserError, match="term 'legal aid' is also in entry 'legal-aid'"):
        read_termbase(glossary_dir)


def test_failing_self_test_is_reported_at_its_line(glossary_dir):
    path = add_entry(glossary_dir, ENTRY.replace("miss: [A test of rights.]", "miss: [Rights to test are new.]"))
    problem = self_test(load_glossary(glossary_dir))[0]
    assert "entry 'test-term': self-test failed" in problem.message and "Rights to test" in problem.message
    assert problem.file == str(path) and problem.line == 12


def test_tbx_export_carries_status_and_both_languages():
    termbase = read_termbase(DATA_DIR)
    root = etree.fromstring(write_tbx(termbase))
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    entries = root.findall(".//t:conceptEntry", ns)
    assert len(entries) == len(termbase.concepts)
    disabled = root.find(".//t:conceptEntry[@id='persons-with-disabilities']", ns)
    statuses = {s.findtext("t:term", namespaces=ns): s.findtext("t:termNote", namespaces=ns)
                for s in disabled.iter("{urn:iso:std:iso:30042:ed-2}termSec")}
    assert statuses["the disabled"] == "deprecatedTerm-admn-sts"
    assert statuses["残疾人"] == "preferredTerm-admn-sts"
    assert write_tbx(termbase) == write_tbx(termbase)


def test_annex_rows_leave_out_deprecated_renderings_and_render_as_tables(tmp_path):
    rows = annex_rows(read_termbase(DATA_DIR).concepts)
    row = next(r for r in rows if r["id"] == "persons-with-disabilities")
    assert row["zh"] == "残疾人" and "the disabled" not in row["en"] and "CRPD" in row["intl"]
    markdown = glossary_markdown(rows)
    assert markdown.count("\n|") == len(rows) + 2 and "| 残疾人 | persons with disabilities" in markdown
    first = glossary_docx(rows, tmp_path / "g.docx")
    assert first == glossary_docx(rows, None)
    import pypandoc
    html = pypandoc.convert_file(str(tmp_path / "g.docx"), "html")  # an independent reader of the .docx
    assert html.count("<tr") == len(rows) + 1 and "<th>Chinese term</th>" in html  # bold from the Plan Table style


def test_a_chinese_annex_cites_instruments_in_chinese():
    """The 国际人权文书及条款 column held 'ICCPR art. 19(2) — freedom of expression' in a Chinese plan."""
    rows = {r["id"]: r for r in annex_rows(read_termbase(DATA_DIR).concepts, "zh")}
    assert rows["right-of-expression"]["intl"].startswith("《公民权利和政治权利国际公约》第十九条")
    assert rows["rural-migrant-workers"]["intl"].startswith("《经济社会文化权利国际公约》第二条第二款、第六条和第七条")
    assert not [r["intl"] for r in rows.values() if re.search(r"[A-Za-z]", r["intl"])]  # no English in the column


@pytest.mark.parametrize("article, chinese", [
    ("art. 11", "第十一条"), ("art. 19(2)", "第十九条第二款"), ("art. 2(1)-(2)", "第二条第一款至第二款"),
    ("arts. 9, 18 and 20", "第九条、第十八条和第二十条"), ("art. 14(3)(d)", "第十四条第三款（丁）项"),
    ("para. 6", "第6段"), ("part II, para. 71", "第二部分第71段"), ("arts. 1-3", "第一条至第三条")])
def test_articles_are_cited_the_chinese_way(article, chinese):
    assert chinese_article(article) == chinese


def test_export_and_final_annex_share_their_words():
    """`glossary export` said 术语对照表 / 中文术语 / 英文译法 / 国际人权用语及文书, the annex 术语表 / 中文 / 英文 / 国际人权法对应."""
    from pipeline.writers.profiles import load_profile
    profile = load_profile("zh")
    markdown = glossary_markdown([], "zh")
    assert markdown.startswith(f"# {profile.label('glossary_annex')} ")
    assert all(profile.label(key) in markdown for key in ("glossary_zh", "glossary_term", "glossary_intl"))
    assert "| 中文术语 | 英文译法 | 国际人权文书及条款 |" in markdown


def test_chinese_annex_is_in_pinyin_order():
    rows = [row["zh"] for row in annex_rows(read_termbase(DATA_DIR).concepts, "zh")]
    # 表达权 (biǎo) before 参与权 (cān) before 残疾人 (cán) before 儿童 (ér): pinyin, then tone
    firsts = [next(r for r in rows if r.startswith(word)) for word in ("表达权", "参与权", "残疾人", "儿童")]
    assert [rows.index(r) for r in firsts] == sorted(rows.index(r) for r in firsts)


@pytest.mark.parametrize("name, start", [("terms.md", "# Glossary"), ("terms.tbx", "<?xml"), ("terms.xml", "<?xml")])
def test_export_writes_the_format_its_file_name_asks_for(tmp_path, capsys, name, start):
    from pipeline.cli import main
    assert main(["init", str(tmp_path / "ws")]) == 0
    assert main(["--workspace", str(tmp_path / "ws"), "glossary", "export", "-o", str(tmp_path / name)]) == 0
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)


def test_the_terms_a_chinese_text_uses_are_found_in_any_form_and_only_those():
    """What the final document's glossary annex lists for a Chinese plan (jieba, not spaCy, finds them)."""
    from pipeline.readers.markdown import read_markdown
    text = "# 总则\n\n保障残疾人平等参与社会生活，推进户籍制度改革，改善人民生活。\n\n```\n获得感\n```\n"
    used = [c.id for c in load_glossary(DATA_DIR).used_in(read_markdown(text, []))]
    # term-base order; 民生 is not inside 人民生活, and a code block is no use of 获得感 (sense of gain)
    assert used == ["hukou", "persons-with-disabilities"]


@pytest.mark.parametrize("text", ["履行《儿童权利公约》第三条。", "Implement article 3 of the Convention on the Rights of the Child."])
def test_a_term_inside_an_instruments_name_is_no_use_of_it_in_chinese_either(text):
    """Instrument names were looked up by their first word, which a Chinese name, with no spaces, never
    offered: 儿童权利 in 《儿童权利公约》 put 'rights of children' into the annex of a plan that never used it."""
    from pipeline.readers.markdown import read_markdown
    assert load_glossary(DATA_DIR).used_in(read_markdown(f"# 总则\n\n{text}\n", [])) == []
