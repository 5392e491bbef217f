"""Downloads: the file name a browser is told to save as, and the response that carries it.

File names are built from user text (report titles, bureau names). `safe_filename` drops control
and format characters, path separators and runs of dots, so no name can point elsewhere on disk or
break the header; `content_disposition` sends it per RFC 6266: an ASCII `filename=` fallback and
the real (Chinese) name as `filename*=utf-8''...` (RFC 5987). `Cache-Control: private, no-store`
comes from healthreports.http.PrivateNoStoreMiddleware for every logged-in response.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

_FORBIDDEN = set('/\\:*?"<>|')
MAX_STEM = 120


def _clean(text: str) -> str:
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(" ")
        elif ch in _FORBIDDEN:
            out.append("_")
        else:
            out.append(ch)
    return re.sub(r"\s+", " ", re.sub(r"\.{2,}", ".", "".join(out)))


def safe_filename(filename: str, *, default: str = "download") -> str:
    """`filename` without anything that is not a plain file name (the extension kept)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    stem = _clean(stem).strip(" ._")[:MAX_STEM].strip(" ._") or default
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:10]
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """The Content-Disposition header for `filename` (sanitised), RFC 6266 with `filename*`."""
    name = safe_filename(filename)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    fallback = "".join(ch for ch in stem if ch.isascii() and (ch.isalnum() or ch in "-_")) or "download"
    fallback = f"{fallback}.{ext}" if ext else fallback
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{fallback}\"; filename*=utf-8''{quote(name, safe='')}"


def attachment_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A download of `content` saved as `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response
