"""The term base as TBX (ISO 30042:2019, TBX-Basic dialect) for translation tools.

Status → termNote administrativeStatus (preferredTerm-admn-sts …), sources →
admin source, the international mapping → a concept-level note, the rules and
the Chinese-characteristic kind → notes; deterministic output (stable order,
no dates).
"""
from __future__ import annotations

from ..model import Concept, TermForm
from ..readers.termbase import TermBase

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
          "deprecated": "deprecatedTerm-admn-sts"}
KIND_NOTES = {"cc": "Chinese-characteristic expression: explain in international vocabulary",
              "shared": "shared concept", "false_friend": "false friend"}


def write_tbx(termbase: TermBase, title: str = "NHRAP term base") -> bytes:
    from lxml import etree
    root = etree.Element(f"{{{NS}}}tbx", nsmap={None: NS}, type="TBX-Basic", style="dca")
    root.set(XML_LANG, "en")
    header = etree.SubElement(root, f"{{{NS}}}tbxHeader")
    file_desc = etree.SubElement(header, f"{{{NS}}}fileDesc")
    etree.SubElement(etree.SubElement(file_desc, f"{{{NS}}}titleStmt"), f"{{{NS}}}title").text = title
    source_desc = etree.SubElement(file_desc, f"{{{NS}}}sourceDesc")
    for key, address in sorted(termbase.sources.items()):
        etree.SubElement(source_desc, f"{{{NS}}}p").text = f"{key}: {address}"
    body = etree.SubElement(etree.SubElement(root, f"{{{NS}}}text"), f"{{{NS}}}body")
    for concept in termbase.concepts:
        _concept(body, concept, termbase.sources)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _concept(body, concept: Concept, sources: dict[str, str]) -> None:
    from lxml import etree
    entry = etree.SubElement(body, f"{{{NS}}}conceptEntry", id=concept.id)
    etree.SubElement(entry, f"{{{NS}}}descrip", type="subjectField").text = "human rights"
    if concept.note:
        etree.SubElement(entry, f"{{{NS}}}descrip", type="definition").text = concept.note
    for mapping in concept.intl:
        etree.SubElement(entry, f"{{{NS}}}note").text = f"International equivalent: {mapping}"
    etree.SubElement(entry, f"{{{NS}}}note").text = KIND_NOTES[concept.kind]
    if concept.rules:
        etree.SubElement(entry, f"{{{NS}}}note").text = "Rules: " + ", ".join(concept.rules)
    for language in ("zh", "en"):
        section = etree.SubElement(entry, f"{{{NS}}}langSec")
        section.set(XML_LANG, language)
        for form in getattr(concept, language):
            _term(section, form, sources)


def _term(section, form: TermForm, sources: dict[str, str]) -> None:
    from lxml import etree
    for written in (form.term, *form.variants):
        term_sec = etree.SubElement(section, f"{{{NS}}}termSec")
        etree.SubElement(term_sec, f"{{{NS}}}term").text = written
        etree.SubElement(term_sec, f"{{{NS}}}termNote", type="administrativeStatus").text = STATUS[form.status]
        if written != form.term:
            etree.SubElement(term_sec, f"{{{NS}}}note").text = f"variant of '{form.term}'"
        for key in form.sources:
            etree.SubElement(term_sec, f"{{{NS}}}admin", type="source").text = f"{key} {sources.get(key, '')}".strip()
        if form.note:
            etree.SubElement(term_sec, f"{{{NS}}}note").text = form.note
