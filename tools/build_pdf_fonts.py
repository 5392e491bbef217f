"""Rebuild the pre-subset PDF fonts in static/fonts/ from the Debian font packages.

    .venv/bin/python tools/build_pdf_fonts.py      (takes a few minutes; needs fonts-noto-cjk, fonts-arphic-ukai)

Why: WeasyPrint copies each embedded font file into memory and subsets it on every render; the Noto
CJK collections are 19-27 MB with glyph ids up to 65,000, which made them the biggest cost of a PDF.
Cut down to GB 2312, the characters of the traditional sample, ASCII and CJK punctuation, the same
faces are 3.6-5.2 MB. Anything outside falls back to the full system font (see document-pdf.css).
Licences: Noto CJK under the SIL Open Font License 1.1 (no reserved name applies to "Noto"), AR PL
UKai under the Arphic Public License; both allow modified copies with the licence alongside.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reports.rendering.charset import gb2312

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "fonts"
SAMPLE = Path("/work/shared/samples/xuanzhou-2022-h1-traditional.txt")
EXTRA = ROOT / "tools" / "pdf_font_extra_chars.txt"  # the traditional sample's characters, kept in the repo

# output file -> (source collection, index of the SC face as fc-match reports it)
FONTS = {
    "NotoSansCJKsc-Regular-GB.otf": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    "NotoSerifCJKsc-Bold-GB.otf": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    "ARPLUKaiCN-GB.ttf": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
}


def codepoints() -> list[int]:
    extra = set(EXTRA.read_text(encoding="utf-8")) if EXTRA.exists() else set()
    if SAMPLE.exists():
        extra |= {c for c in SAMPLE.read_text(encoding="utf-8") if ord(c) > 0x2000 and not c.isspace()}
        EXTRA.write_text("".join(sorted(extra)) + "\n", encoding="utf-8")
    ranges = [range(0x20, 0x7F), range(0x2010, 0x2070), range(0x3000, 0x3040), range(0xFF00, 0xFF66)]
    return sorted({ord(c) for c in gb2312() | extra if not c.isspace()} | {cp for r in ranges for cp in r})


def build(source: str, index: int, target: Path, unicodes: list[int]) -> None:
    font = TTCollection(source).fonts[index] if source.endswith(".ttc") else TTFont(source)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(target)
    print(f"{target.name}: {target.stat().st_size:,} bytes")


# The page numbers' 宋体 (Noto Serif CJK SC Regular): "— 7 —" needs only these, a 3 KB file.
PAGE_NUMBER_FONT = (
    "NotoSerifCJKsc-Regular-PageNumbers.otf",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    2,
)
PAGE_NUMBER_CHARS = "0123456789 —"


def main() -> None:
    unicodes = codepoints()
    for name, (source, index) in FONTS.items():
        build(source, index, OUT / name, unicodes)
    name, source, index = PAGE_NUMBER_FONT
    build(source, index, OUT / name, [ord(c) for c in PAGE_NUMBER_CHARS])


if __name__ == "__main__":
    main()
