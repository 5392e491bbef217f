"""Precision and recall of the figures-vs-text check (issue 13), against the old matcher, same run.

1. The labelled sentences (tests/indicators/crosscheck_labelled.tsv, invented text with our own
   labels): a prediction is (sentence, figure, indicator) for a figure the check would compare with
   the grid. Precision: predictions that are labelled so; recall: labels predicted.
2. The demo reports' text (reports/demo_text.py) and the shared samples (../shared/samples/, read
   here, never copied): a report is certain to get a false warning when the check compares two
   different figures with one indicator (the grid holds one value). Counted per matcher.

The old matcher is the parser's guess on the old catalogue aliases (those the migration replaced),
every guess compared, as before issue 13.

    .venv/bin/python bench/crosscheck.py
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "indicators" / "crosscheck_labelled.tsv"
SAMPLES = ROOT.parent / "shared" / "samples"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthreports.settings")
    os.environ.setdefault("DEBUG", "1")  # reads text only: no secret key, no database
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def matchers():
    """(name, function text -> [(figure text, slug)]) for the old and the new check."""
    from importlib import import_module

    from indicators.crosscheck import level_figures
    from reports.importing.figures import CatalogueEntry, Matcher, catalogue_from_fixture, figures_of_text

    catalogue = catalogue_from_fixture(json.loads((ROOT / "fixtures" / "indicators.json").read_text()))
    changes = import_module("indicators.migrations.0004_h13_catalogue_aliases").CHANGES  # slug: (old, new)
    old_aliases = {slug: CatalogueEntry.split_aliases(old) for slug, (old, _new) in changes.items()}
    old = Matcher([replace(e, aliases=old_aliases.get(e.slug, e.aliases)) for e in catalogue])
    new = Matcher(catalogue)
    return [
        ("old", lambda text: [(f.text, f.indicator) for f in figures_of_text(text, old) if f.indicator]),
        ("new", lambda text: [(f.text, f.indicator) for f in level_figures(text, new)]),
    ]


def labelled() -> list[tuple[str, set[tuple[str, str]]]]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sentence, labels = line.split("\t")
        gold = {tuple(pair.split("=")) for pair in labels.split(";") if pair != "-"}
        rows.append((sentence, gold))
    return rows


def score(match) -> tuple[float, float, list[str]]:
    """Precision, recall and the wrong and missed predictions of one matcher on the labelled set."""
    predicted = found = wanted = 0
    wrong = []
    for sentence, gold in labelled():
        got = set(match(sentence))
        predicted += len(got)
        found += len(got & gold)
        wanted += len(gold)
        wrong += [f"wrong {fig}→{slug}: {sentence}" for fig, slug in got - gold]
        wrong += [f"missed {fig}→{slug}: {sentence}" for fig, slug in gold - got]
    return found / predicted if predicted else 1.0, found / wanted, wrong


def report_texts() -> dict[str, list[str]]:
    """Each demo report's and each shared sample report's paragraphs."""
    from reports import demo_text
    from reports.importing.figures import catalogue_from_fixture
    from reports.importing.outline import parse_text

    texts = {}
    for code, area in demo_text.AREA_WORD.items():
        for year in (2025, 2026):
            f = demo_text.figures(code, year)
            texts[f"demo {code} {year}"] = [
                t for heading, paras, items in demo_text.work_done(area, f) for t in [heading, *paras, *sum(items, ())]
            ]
    catalogue = catalogue_from_fixture(json.loads((ROOT / "fixtures" / "indicators.json").read_text()))
    for path in sorted(SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else ():
        for i, doc in enumerate(parse_text(path.read_text(encoding="utf-8"), catalogue).documents):
            paras = list(doc.lead)
            for _path, section in doc.walk():
                paras += [section.heading, *section.paragraphs]
            texts[f"sample {path.stem} #{i + 1}"] = paras
    return texts


def conflicts(match, paras: list[str]) -> int:
    """Indicators the check would compare with two or more different figures in one report."""
    values = defaultdict(set)
    for text in paras:
        for fig, slug in match(text):
            values[slug].add(fig)
    return sum(1 for figs in values.values() if len(figs) > 1)


def main() -> None:
    setup()
    texts = report_texts()
    print(f"labelled set: {len(labelled())} sentences, {sum(len(g) for _s, g in labelled())} labelled figures")
    for name, match in matchers():
        precision, recall, wrong = score(match)
        compared = sum(len(match(t)) for paras in texts.values() for t in paras)
        sure = {k: n for k, paras in texts.items() if (n := conflicts(match, paras))}
        print(
            f"{name}: precision {precision:.2f}  recall {recall:.2f}  "
            f"| {len(texts)} demo/sample reports: {compared} figures compared, "
            f"{sum(sure.values())} certain false warnings {sure or ''}"
        )
        for line in wrong:
            print(f"    {line}")


if __name__ == "__main__":
    main()
