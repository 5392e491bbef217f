"""Fill translations into locale/zh_Hans (and mark en as identity), then compile both .mo files.

    python tools/po_update.py tools/zh_hans.tsv     # TSV: English msgid <TAB> Chinese msgstr

A row of three columns is a string with a context (pgettext, `{% translate "x" context "y" %}`):
context <TAB> English msgid <TAB> Chinese msgstr.

Run `make messages` first so the .po files list every string in the code.
"""

import csv
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(tsv: str) -> None:
    table = {}
    with open(tsv, encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) >= 2 and not row[0].startswith("#"):
                context, msgid, msgstr = row if len(row) == 3 else (None, *row[:2])
                table[context, msgid.replace("\\n", "\n")] = msgstr.replace("\\n", "\n")
    zh = polib.pofile(str(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = []
    for entry in zh:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in table:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: table[key]}
            else:
                entry.msgstr = table[key]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif "fuzzy" in entry.flags or (not entry.msgstr and not entry.msgstr_plural.get(0)):
            missing.append(entry.msgid)
    zh.save()
    zh.save_as_mofile(str(ROOT / "locale/zh_Hans/LC_MESSAGES/django.mo"))
    en = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    en.save_as_mofile(str(ROOT / "locale/en/LC_MESSAGES/django.mo"))
    for m in missing:
        print("untranslated:", repr(m))
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main(sys.argv[1])
