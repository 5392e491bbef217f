"""System checks: warn when the PDF toolchain would be slow or would draw tofu."""

import ctypes.util
import shutil
import subprocess

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
    if "Noto Serif CJK SC" not in families or "Noto Sans CJK SC" not in families:
        problems.append(
            Warning(
                "The CJK fonts for the official layout are missing: PDFs would show empty boxes for Chinese text.",
                hint="apt-get install fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming",
                id="healthreports.W002",
            )
        )
    return problems
