"""Reading an uploaded or named file as text: .txt (UTF-8, UTF-16, GB18030 or Big5, told apart by
charset-normalizer) and .docx (paragraphs in order). Pure Python (no Django imports); errors carry
an English message id (`SourceError`)."""

from __future__ import annotations

import io
import zipfile

from healthreports.zipsafe import ZipTooLarge, zip_member_names

from .messages import Notice, _

NOT_TEXT = _(
    "The file is not text in UTF-8, UTF-16, GB18030 or Big5 (unreadable bytes at position %(position)s). "
    "Save it as UTF-8 text and try again."
)
OTHER_ENCODING = _(
    "The file looks like %(encoding)s text, not Chinese in UTF-8, UTF-16, GB18030 or Big5. "
    "Save it as UTF-8 text and try again."
)
# Chinese encodings read; others (Shift-JIS …) are recognised only to be refused by name.
_CHINESE = ("gb18030", "big5")
_RECOGNISED = (*_CHINESE, "shift_jis")
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


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM); UTF-16 with its BOM (Notepad's "Unicode"); else GB18030 or
    Big5, whichever charset-normalizer finds the text to be. Refuses binary data and text in other
    encodings (Shift-JIS …) with a message instead of importing garbage."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(NOT_TEXT, position=exc.start) from None
    if b"\x00" in data[:4096]:
        raise SourceError(NOT_TEXT, position=data.index(b"\x00"))
    text = _strict(data, "utf-8-sig")
    if text is not None:
        return text
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=list(_RECOGNISED)).best()
    if best is not None and best.encoding in _CHINESE:
        text = _strict(data, best.encoding)
        if text is not None:
            return text
    if best is not None and best.encoding not in _CHINESE:
        raise SourceError(OTHER_ENCODING, encoding=best.encoding.replace("_", "-").upper())
    for encoding in _CHINESE:
        text = _strict(data, encoding)
        if text is not None:
            return text
    try:
        data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SourceError(NOT_TEXT, position=exc.start) from None
    raise SourceError(NOT_TEXT, position=0)  # pragma: no cover - gb18030 decoded after all


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
