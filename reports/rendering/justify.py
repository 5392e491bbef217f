"""Justified Chinese body text in WeasyPrint (issue 15).

WeasyPrint 70 justifies a line by widening its spaces only (U+0020, U+00A0), and Chinese has none,
so 30-70 % of full lines ended 1.4-8 mm short of the type area. Typesetters spread the gap across
the characters instead (CSS `text-justify: inter-character`, which WeasyPrint does not implement).
`install()` wraps WeasyPrint's `justify_line`: a line without spaces gets its remaining width as
extra letter-spacing on each of its characters. The text, its line breaks and the 28-character grid
are untouched (justification runs after line breaking); lines with spaces justify as before.
The line breaker's own Pango layout of each piece of text is kept: WeasyPrint rebuilds it from the
box's style when drawing, so the wider letter-spacing needs no layout of its own (half the cost).
"""

from __future__ import annotations


def install() -> bool:
    """Patch WeasyPrint (70.x) once per process. Returns False, patching nothing, on a WeasyPrint
    whose layout code no longer looks as expected (the measured layout test then fails)."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text.line_break import Layout, create_layout

    if getattr(inline, "_hr_inter_character", False):
        return True
    if not (hasattr(inline, "justify_line") and hasattr(Layout, "reactivate")):
        return False
    space_justify = inline.justify_line

    def text_boxes(box):
        if isinstance(box, boxes.TextBox):
            yield box
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            for child in box.children:
                yield from text_boxes(child)

    def spread(context, box, per_char: float, x_advance: float) -> float:
        """Like WeasyPrint's add_word_spacing, widening every character instead of every space."""
        if isinstance(box, boxes.TextBox):
            box.position_x += x_advance
            style = box.style.copy()
            base = style["letter_spacing"]
            style["letter_spacing"] = (0 if base == "normal" else base) + per_char
            box.style = style
            layout = box.pango_layout
            if layout.text != box.text or layout.justification_spacing:
                # Not the line breaker's own layout of this text: build one (as WeasyPrint would).
                box.pango_layout = create_layout(box.text, style, context, max_width=None, justification_spacing=0)
                box.pango_layout.deactivate()
            # Else keep it: drawing rebuilds the Pango layout from box.style (Layout.reactivate),
            # so the new letter-spacing takes effect without building a layout only to drop it.
            extra = per_char * len(box.text)
            box.width += extra
            return x_advance + extra
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += x_advance
            before = x_advance
            for child in box.children:
                if child.is_in_normal_flow():
                    x_advance = spread(context, child, per_char, x_advance)
            box.width += x_advance - before
            return x_advance
        box.translate(x_advance, 0)  # an atomic inline box moves along
        return x_advance

    def justify_line(context, line, extra_width):
        # One walk over the line's text (count_expandable_spaces walks the same boxes).
        texts = [b.text for b in text_boxes(line)]
        chars = sum(map(len, texts))
        if extra_width <= 0 or chars < 2 or any(" " in t or "\u00a0" in t for t in texts):
            return space_justify(context, line, extra_width)
        spread(context, line, extra_width / chars, 0.0)

    inline.justify_line = justify_line
    inline._hr_inter_character = True
    return True
