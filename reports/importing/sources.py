"""Reading an uploaded or named file as text: .txt (UTF-8, else GB18030) and .docx (paragraphs in
order). Pure Python (no Django imports); errors carry an English message id (`SourceError`)."""

from __future__ import annotations

import io
import zipfile

from healthreports.zipsafe import ZipTooLarge, zip_member_names

from .messages import Notice, _

NOT_TEXT = _("The file is neither UTF-8 nor GB18030 text (unreadable bytes at position %(position)s).")
BAD_DOCX = _("The file is not a readable Word (.docx) document.")
WRONG_TYPE = _("Only .txt and .docx files can be imported.")
DOCX_TOO_LARGE = _("This Word document unpacks to too much data to be a report. Save the text as .txt and try again.")

# A report's .docx unpacks to a few MB; a zip bomb of 10 MB unpacks to gigabytes, and python-docx reads
# a member whole into memory before parsing it, so the sizes are checked from the zip directory first.
MAX_DOCX_UNPACKED = 50 * 1024 * 1024
MAX_DOCX_MEMBERS = 500
MAX_DOCX_RATIO = 200


class SourceError(ValueError):
    """The file cannot be read as report text. `notice` says why (translate it in Django code)."""

    def __init__(self, message: str, **params: object) -> None:
        self.notice = Notice(message, **params)
        super().__init__(str(self.notice))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030; UTF-16 with its BOM (Notepad's "Unicode");
    refuses binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(NOT_TEXT, position=exc.start) from None
    if b"\x00" in data[:4096]:
        raise SourceError(NOT_TEXT, position=data.index(b"\x00"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SourceError(NOT_TEXT, position=exc.start) from None


def _check_docx_container(data: bytes) -> None:
    try:
        zip_member_names(data, max_members=MAX_DOCX_MEMBERS, max_unpacked=MAX_DOCX_UNPACKED, max_ratio=MAX_DOCX_RATIO)
    except zipfile.BadZipFile:
        raise SourceError(BAD_DOCX) from None
    except ZipTooLarge:
        raise SourceError(DOCX_TOO_LARGE) from None


def docx_text(data: bytes) -> str:
    """The paragraphs of a .docx file in document order, one a line (zip bombs refused unread)."""
    _check_docx_container(data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise SourceError(BAD_DOCX) from None
    return "\n".join(p.text for p in document.paragraphs)


def read_source(name: str, data: bytes) -> str:
    """The text of a file by its name's extension (.docx; .txt or no extension is text)."""
    lower = (name or "").lower()
    if lower.endswith(".docx"):
        return docx_text(data)
    if lower.endswith(".txt") or "." not in lower.rsplit("/", 1)[-1]:
        return decode_text(data)
    raise SourceError(WRONG_TYPE)
