"""Look inside an uploaded zip container (.xlsx, .docx) before any library inflates it.

Pure Python: the text importer (which must not import Django) and the Excel upload both use it.
The sizes come from the zip directory, so a zip bomb is refused without being unpacked.
"""

import io
import zipfile


class ZipTooLarge(ValueError):
    """The container has too many members, unpacks to too much, or compresses suspiciously well."""


def zip_member_names(
    data: bytes,
    *,
    max_members: int,
    max_unpacked: int,
    max_ratio: int = 200,
    max_member: int | None = None,
    member_limits: dict[str, int] | None = None,
) -> set[str]:
    """The member names of a zip file in `data`. Raises zipfile.BadZipFile for anything that is not
    a readable zip, ZipTooLarge when it is over any limit: the member count, the total unpacked size,
    the compression ratio, any one member's unpacked size (`max_member`) or a named member's
    (`member_limits`, e.g. an .xlsx's shared strings, which a parser holds in memory whole)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (ValueError, OSError) as exc:
        raise zipfile.BadZipFile(str(exc)) from None
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > max_members or unpacked > max_unpacked or unpacked / packed > max_ratio:
        raise ZipTooLarge(f"{len(infos)} members, {unpacked} bytes unpacked")
    for info in infos:
        limit = (member_limits or {}).get(info.filename, max_member)
        if limit is not None and info.file_size > limit:
            raise ZipTooLarge(f"{info.filename}: {info.file_size} bytes unpacked")
    return {i.filename for i in infos}
