"""The Simplified Chinese translation is complete and compiled."""

import re
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def test_chinese_translation_is_complete():
    po = polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == []


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))
    mo = polib.mofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.mo"))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    source = {(e.msgctxt, e.msgid): e.msgstr for e in po if e.translated() and not e.msgid_plural}
    assert source.items() <= compiled.items()


# One English word, two meanings: each meaning has its own context and its own Chinese. Listed here
# so a later catalogue edit that merges them back (the history calling a section "同级章节", "增减"
# standing for the admin's "修改") fails.
MEANINGS = {
    (None, "Change"): "修改",  # an edit: the admin's links, the history, the Excel preview
    ("difference from the previous period", "Change"): "增减",
    (None, "Section: "): "章节：",  # the history: what was edited
    ("a new section at the same level", "Section"): "同级章节",
}

CJK = "\u4e00-\u9fff"
HALF_WIDTH_NEXT_TO_CHINESE = re.compile(rf"[{CJK}][:;,!?()]|[:;,!?()][{CJK}]|[{CJK}]:\s*$")


def _catalogue():
    return polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))


def test_each_meaning_has_its_own_chinese():
    po = _catalogue()
    found = {(e.msgctxt, e.msgid): e.msgstr for e in po if (e.msgctxt, e.msgid) in MEANINGS}
    assert found == MEANINGS


def test_chinese_strings_use_full_width_punctuation():
    wrong = [
        (e.msgid, s)
        for e in _catalogue()
        for s in [e.msgstr, *e.msgstr_plural.values()]
        if HALF_WIDTH_NEXT_TO_CHINESE.search(s)
    ]
    assert wrong == []


def test_labels_with_a_colon_are_translated_with_a_full_width_one():
    """ "批量导出:" and "指标:" were a translated word and an ASCII colon in the template."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    glued = [
        str(p.relative_to(templates))
        for p in templates.rglob("*.html")
        if re.search(r"""\{% translate ["'][^"']*["'] %\}:""", p.read_text(encoding="utf-8"))
    ]
    assert glued == []


UNTRANSLATED_ATTRIBUTE = re.compile(r'\b(aria-label|title|placeholder|alt)="[A-Za-z][a-z]')


def test_templates_have_no_english_in_attributes_a_reader_hears_or_sees():
    """aria-label, title, placeholder and alt are read out or shown: English there is untranslated."""
    templates = Path(__file__).resolve().parents[1] / "templates"
    found = [
        f"{path.relative_to(templates)}: {m.group(0)}"
        for path in templates.rglob("*.html")
        for m in UNTRANSLATED_ATTRIBUTE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found


COLON_BETWEEN_VALUES = re.compile(r"(\}\}|%\}): \{")
BLOCKTRANSLATE = re.compile(r"\{% blocktranslate.*?\{% endblocktranslate %\}", re.S)


def test_templates_leave_the_colon_between_two_values_to_the_translation():
    """`{{ label }}: {{ value }}` prints a half-width colon in the Chinese pages and mails; the
    pattern belongs in a blocktranslate, whose Chinese has the full-width one."""
    templates = Path(__file__).resolve().parents[1] / "templates"
    found = [
        f"{path.relative_to(templates)}: {m.group(0)}"
        for pattern in ("*.html", "*.txt")
        for path in templates.rglob(pattern)
        for m in COLON_BETWEEN_VALUES.finditer(BLOCKTRANSLATE.sub("", path.read_text(encoding="utf-8")))
    ]
    assert not found, found
