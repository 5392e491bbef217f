"""Static files survive `collectstatic` with the manifest storage used when DEBUG is off."""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
SOURCE_MAP = re.compile(r"[#@] sourceMappingURL=([^\s*]+)")


def test_every_source_map_reference_exists():
    """ManifestStaticFilesStorage fails collectstatic on a reference to a missing .map file (the
    vendored Chart.js had one; its comment was removed)."""
    missing = []
    for path in list(STATIC.rglob("*.js")) + list(STATIC.rglob("*.css")):
        for target in SOURCE_MAP.findall(path.read_text(encoding="utf-8", errors="replace")[-500:]):
            if not target.startswith("data:") and not (path.parent / target).exists():
                missing.append(f"{path.relative_to(STATIC)} -> {target}")
    assert not missing, missing
