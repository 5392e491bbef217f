"""System checks: warn when the PDF toolchain would be slow or would draw tofu."""

import ctypes.util
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.checks import Warning, register


@register()
def pdf_toolchain_check(app_configs, **kwargs):
    problems = []
    if not ctypes.util.find_library("harfbuzz-subset"):
        problems.append(
            Warning(
                "libharfbuzz-subset0 is missing: PDF font subsetting falls back to fontTools and is 30x slower.",
                hint="apt-get install libharfbuzz-subset0",
                id="healthreports.W001",
            )
        )
    fc_list = shutil.which("fc-list")
    families = ""
    if fc_list:
        try:
            families = subprocess.run(
                [fc_list, ":lang=zh-cn", "family"], capture_output=True, text=True, timeout=10
            ).stdout
        except (OSError, subprocess.SubprocessError):
            families = ""
    all_families = ""
    if fc_list:
        try:
            all_families = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            all_families = ""
    # family -> Debian package that provides it (see static/css/document-pdf.css).
    needed = {
        "Noto Serif CJK SC": "fonts-noto-cjk",
        "Noto Sans CJK SC": "fonts-noto-cjk",
        "AR PL UKai CN": "fonts-arphic-ukai",
    }
    missing = sorted({pkg for family, pkg in needed.items() if family not in families + all_families})
    if missing:
        problems.append(
            Warning(
                "The fonts for the official layout are missing: PDFs would show empty boxes for Chinese text "
                "or fall back to the wrong faces.",
                hint="apt-get install " + " ".join(missing),
                id="healthreports.W002",
            )
        )
    fonts_dir = Path(settings.BASE_DIR) / "static" / "fonts"
    shipped = [
        "FandolFang-Regular.otf",
        "NotoSansCJKsc-Regular-GB.otf",
        "NotoSerifCJKsc-Bold-GB.otf",
        "ARPLUKaiCN-GB.ttf",
        "NotoSerifCJKsc-Regular-PageNumbers.otf",
    ]
    absent = [name for name in shipped if not (fonts_dir / name).exists()]
    if absent:
        problems.append(
            Warning(
                f"PDF fonts missing from {fonts_dir}: {', '.join(absent)}. PDFs fall back to the system fonts "
                "(仿宋 becomes Noto Serif CJK) and take longer.",
                hint="FandolFang: apt-get download texlive-lang-chinese && dpkg -x, copy the OTF; "
                "the others: python tools/build_pdf_fonts.py",
                id="healthreports.W003",
            )
        )
    return problems
