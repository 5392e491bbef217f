"""Hostile input, reusable by every feature's tests: script and HTML payloads, control characters,
invalid UTF-8, huge bodies and zip bombs shaped like .xlsx / .docx.

    from tests.security.hostile import SCRIPT_PAYLOADS, assert_shown_as_text, zip_bomb
"""

from __future__ import annotations

import functools
import html
import io
import zipfile

# Strings that must come back as text, never as markup.
SCRIPT_PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(2)</script>",
    "{{ 7*7 }}{% debug %}",
    "<b>粗体</b>&amp;<i>斜体</i>",
]

# C0 controls (without TAB/LF/CR), DEL, a NUL, bidi overrides and zero-width characters.
CONTROL_CHARS = "".join(chr(c) for c in range(0x01, 0x20) if c not in (9, 10, 13)) + "\x7f\u202e\u200b\ufeff"
NUL = "\x00"

INVALID_UTF8 = [b"\xff\xfe\xfd", b"\xc3\x28", b"\xe4\xb8", b"abc\x80def", b"\xed\xa0\x80"]  # last: a surrogate

MB = 1024 * 1024


def huge_text(size: int = 2 * MB, unit: str = "卫生健康") -> str:
    return (unit * (size // len(unit.encode()) + 1))[: size // 3]


def huge_body(size: int = 50 * MB) -> bytes:
    return b"x" * size


@functools.lru_cache(maxsize=8)
def zip_bomb(kind: str = "xlsx", *, inflated: int = 200 * MB) -> bytes:
    """A small zip (a few hundred KB) whose main member inflates to `inflated` bytes, with the
    members an .xlsx or .docx opener looks for first. `kind`: "xlsx", "docx" or "zip"."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        if kind == "xlsx":
            zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(main="/xl/workbook.xml", type="spreadsheetml"))
            zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
            member = "xl/worksheets/sheet1.xml"
        elif kind == "docx":
            zf.writestr(
                "[Content_Types].xml", _CONTENT_TYPES.format(main="/word/document.xml", type="wordprocessingml")
            )
            zf.writestr("_rels/.rels", _DOCX_RELS)  # so python-docx really goes for the member
            member = "word/document.xml"
        else:
            member = "payload.bin"
        with zf.open(member, "w", force_zip64=True) as fh:
            chunk = b"0" * MB
            for _ in range(inflated // MB):
                fh.write(chunk)
    return buf.getvalue()


_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def corrupt_zip(kind: str = "xlsx") -> bytes:
    """A file that starts like a zip (so type sniffing passes) but is cut off."""
    return zip_bomb(kind, inflated=MB)[:300]


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="{main}" ContentType="application/vnd.openxmlformats-officedocument.'
    '{type}.main+xml"/></Types>'
)


def assert_shown_as_text(page: str, payload: str) -> None:
    """The payload appears escaped (as text) and never raw (as markup)."""
    if "<" in payload or ">" in payload or '"' in payload:
        assert payload not in page, f"unescaped in page: {payload!r}"
    assert html.escape(payload, quote=True) in page or html.escape(payload, quote=False) in page, (
        f"payload not shown as text: {payload!r}"
    )


def assert_server_up(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type, built by hand (no copies through Django)."""
    boundary = "----hostile-boundary-7d93a"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        out.write(data)
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def report_fingerprint(report_pk: int) -> tuple:
    """What a refused request must leave alone: the report's state and title, its sections, figures
    and transitions. Equal before and after means nothing was written."""
    from indicators.models import IndicatorValue
    from reports.models import Report, Section, Transition

    return (
        Report.objects.filter(pk=report_pk).values_list("state", "title").first(),
        tuple(
            Section.objects.filter(report_id=report_pk).order_by("pk").values_list("pk", "version", "heading", "body")
        ),
        tuple(IndicatorValue.objects.filter(report_id=report_pk).order_by("pk").values_list("pk", "version", "value")),
        Transition.objects.filter(report_id=report_pk).count(),
    )
