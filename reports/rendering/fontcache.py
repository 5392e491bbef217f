"""Keep the font files WeasyPrint embeds in memory between PDFs.

For each font of each PDF, WeasyPrint (70.x, `pdf.fonts.Font`) copies the whole font file out of
HarfBuzz into new bytes, then subsets the HarfBuzz face and drops the copy. For the five faces of
the official layout that is 20 MB of fresh memory per render: about 5 % of the CPU time of
bench/pdf.py's 17-page report, mostly page faults. The faces of our cached font configuration
(reports/rendering/pdf.py) live as long as the process, so their bytes are copied once per face and
kept (about 20 MB per rendering thread). Only the whole files are kept; the subsets, which depend on
the document's text, are made afresh for each PDF. Faces of other font configurations are untouched.
"""

from __future__ import annotations

import atexit

_font_maps: set[int] = set()  # addresses of the Pango font maps whose faces are kept
_faces: dict[int, tuple[object, bytes]] = {}  # face address -> (the face, held alive; its file)
# Release the faces before interpreter teardown (their destructors need live modules).
atexit.register(_faces.clear)


def install(font_map) -> bool:
    """Keep the faces of `font_map` (a FontConfiguration's). Returns False, patching nothing, on a
    WeasyPrint whose font code no longer looks as expected (PDFs are then made as before)."""
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi, pango

    if not (hasattr(fonts, "Font") and hasattr(fonts, "get_hb_object_data")):
        return False

    def address(cdata) -> int:
        return int(ffi.cast("uintptr_t", cdata))

    _font_maps.add(address(font_map))
    if getattr(fonts, "_hr_kept_faces", False):
        return True
    whole_file = fonts.get_hb_object_data
    font_init = fonts.Font.__init__

    def face_data(hb_object, ot_color=None, glyph=None):
        # A kept face is held alive, so no other face can have its address.
        if ot_color is None and (kept := _faces.get(address(hb_object))) is not None:
            return kept[1]
        return whole_file(hb_object, ot_color, glyph)

    def init(self, pango_font, *args, **kwargs):
        font_init(self, pango_font, *args, **kwargs)
        if self.file_content and address(pango.pango_font_get_font_map(pango_font)) in _font_maps:
            _faces.setdefault(address(self.hb_face), (self.hb_face, self.file_content))

    fonts.get_hb_object_data = face_data
    fonts.Font.__init__ = init
    fonts._hr_kept_faces = True
    return True
