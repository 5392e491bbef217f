"""The character sets the PDF fonts must cover (checked by tests, used to cut the shipped fonts)."""

from functools import cache


@cache
def gb2312() -> frozenset[str]:
    """Every character of GB 2312 (rows 0xA1-0xF7, cells 0xA1-0xFE that decode)."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)
