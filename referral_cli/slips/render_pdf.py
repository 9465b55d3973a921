"""A slip as a PDF, drawn with the fonts shipped in the package (no system fonts)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from referral_cli.slips.content import Block, Row, Slip, row_link
from referral_cli.slips.webfonts import FONTS_DIR

# and Thai, languages of the farm and service workforce in the Central Valley and
# beyond. HarfBuzz shapes their clusters. Not shipped (the HTML slip shows them):
# Chinese, Japanese and Korean (tens of megabytes), and right-to-left scripts.
_PDF_FALLBACKS = {
    "NotoDeva": "Devanagari",
    "NotoGuru": "Gurmukhi",
    "NotoKhmr": "Khmer",
    "NotoLaoo": "Lao",
    "NotoThai": "Thai",
}
_PDF_FONTS = (
    ("Noto", "", "NotoSans-Regular.ttf"),
    ("Noto", "B", "NotoSans-Bold.ttf"),
    *(
        (family, style, f"NotoSans{script}-{weight}.ttf")
        for family, script in _PDF_FALLBACKS.items()
        for style, weight in (("", "Regular"), ("B", "Bold"))
    ),
)
_PDF_LABEL_WIDTH = 38.0  # mm


@lru_cache(maxsize=len(_PDF_FONTS))
def _cmap(file: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # a dependency of fpdf2

    with TTFont(str(FONTS_DIR / file), lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=1)
def _pdf_charset() -> frozenset[int]:
    """Code points the shipped fonts can draw (regular faces; bold ones match)."""
    return frozenset().union(*(_cmap(file) for _family, style, file in _PDF_FONTS if not style))


def _fallbacks_drawing(text: str) -> list[str]:
    """The fallback families that draw a character of ``text``: for each character the
    main face lacks, the first fallback that has it, as fpdf2 picks one. Only these
    are embedded (each face is a subset of its own in the file, even one that draws
    nothing)."""
    main = _cmap(_PDF_FONTS[0][2])
    regular = {family: _cmap(file) for family, style, file in _PDF_FONTS[2:] if not style}
    drawing: set[str] = set()
    for point in {ord(ch) for ch in text} - main:
        family = next((f for f, points in regular.items() if point in points), None)
        if family is not None:
            drawing.add(family)
    return [family for family in _PDF_FALLBACKS if family in drawing]


def _drawn_text(slip: Slip) -> str:
    """Every text the PDF draws (what render_pdf writes, the footer's label included)."""
    rows = [*slip.header, *(row for block in slip.blocks for row in block.rows)]
    return "\n".join(
        [
            slip.title,
            slip.intro,
            slip.closing,
            slip.page_label,
            *(f"{block.number}. {block.name}" for block in slip.blocks),
            *(text for row in rows for text in (row.label, row.value)),
        ]
    )


def pdf_printable(text: str) -> bool:
    charset = _pdf_charset()
    return all(ord(ch) in charset or ch.isspace() for ch in text)


def pdf_missing_glyphs(slip: Slip) -> list[str]:
    """One warning per provider whose text has characters the PDF fonts lack."""
    out = []
    for block in slip.blocks:
        texts = [block.name, *(row.value for row in block.rows)]
        missing = sorted({ch for t in texts for ch in t if not pdf_printable(ch)})
        if missing:
            shown = "".join(missing[:10])
            out.append(
                f"the PDF fonts cannot show some characters of '{block.name}' ({shown});"
                " the HTML slip shows them"
            )
    return out


_PDF_LINE = 5.6  # mm, for 11 pt text
_PDF_SCALES = (1.0, 0.95, 0.9, 0.85, 0.8)


def render_pdf(slip: Slip) -> bytes:
    """A PDF for Letter or A4 with the fonts shipped in the package (no system fonts)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class SlipPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Noto", "", 9)
            self.set_text_color(90)
            text = slip.page_label.format(page=self.page_no(), pages="{nb}")
            self.cell(0, 6, text, align="C")

    pdf = SlipPDF(format="Letter" if slip.page == "letter" else "A4", unit="mm")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    fallbacks = _fallbacks_drawing(_drawn_text(slip))
    for family, style, file in _PDF_FONTS:
        if family == "Noto" or family in fallbacks:
            pdf.add_font(family, style, str(FONTS_DIR / file))
    pdf.set_fallback_fonts(fallbacks, exact_match=False)
    pdf.set_text_shaping(True)
    pdf.set_title(slip.title)
    pdf.set_creator("referral-cli")
    pdf.set_lang(slip.lang)
    pdf.add_page()

    k = 1.0  # scale of every size and line: below 1 when that fits the slip on one page

    def row_style(row: Row, size: float) -> tuple[str, float, float]:
        big = row.key in ("phone", "hotline")
        return ("B", size + 1.5 * k, (_PDF_LINE + 0.6) * k) if big else ("", size, _PDF_LINE * k)

    def height(text: str, width: float, style: str, size: float, line: float) -> float:
        pdf.set_font("Noto", style, size)
        measured: Any = pdf.multi_cell(width, line, text, align="L", dry_run=True, output="HEIGHT")
        return float(measured)

    def rows_height(items: list[Row], size: float) -> float:
        value_width = pdf.epw - _PDF_LABEL_WIDTH
        total = 0.0
        for row in items:
            style, vsize, line = row_style(row, size)
            total += max(
                height(row.label, _PDF_LABEL_WIDTH, "B", size, _PDF_LINE * k),
                height(row.value, value_width, style, vsize, line),
            )
        return total

    def block_height(block: Block) -> float:
        title = f"{block.number}. {block.name}"
        return (
            3
            + 1.5 * k
            + height(title, pdf.epw, "B", 13.5 * k, 7 * k)
            + rows_height(block.rows, 11 * k)
        )

    def slip_height() -> float:
        """The height of the whole slip drawn at scale ``k`` on one page."""
        total = height(slip.title, pdf.epw, "B", 20 * k, 9 * k) + 4
        total += rows_height(slip.header, 10.5 * k)
        total += height(slip.intro, pdf.epw, "", 11 * k, _PDF_LINE * k)
        total += sum(block_height(b) for b in slip.blocks)
        return total + 6 + height(slip.closing, pdf.epw, "", 10 * k, 5 * k)

    def rows(items: list[Row], size: float) -> None:
        for row in items:
            top = pdf.get_y()
            pdf.set_font("Noto", "B", size)
            pdf.multi_cell(_PDF_LABEL_WIDTH, _PDF_LINE * k, row.label, align="L", new_y=YPos.NEXT)
            label_bottom = pdf.get_y()
            pdf.set_xy(pdf.l_margin + _PDF_LABEL_WIDTH, top)
            style, vsize, line = row_style(row, size)
            pdf.set_font("Noto", style, vsize)
            link = row_link(row)
            pdf.multi_cell(
                0,
                line,
                row.value,
                link=link or None,
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            pdf.set_y(max(pdf.get_y(), label_bottom))

    # A slip of a few providers is easier to hand over on one sheet: the sizes
    # shrink, down to 80 %, when that is enough to fit it on the first page.
    room = pdf.page_break_trigger - pdf.get_y()
    full = slip_height()
    # Heights shrink about as the square of the scale (smaller text, fewer wrapped
    # lines): only the scales that could fit are measured (each is a dry run).
    for scale in (s for s in _PDF_SCALES[1:] if full > room and s * s * full <= room * 1.1):
        k = scale
        if slip_height() <= room:
            break
    else:
        k = 1.0
    pdf.set_font("Noto", "B", 20 * k)
    pdf.multi_cell(0, 9 * k, slip.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    rows(slip.header, 10.5 * k)
    pdf.ln(2)
    pdf.set_font("Noto", "", 11 * k)
    pdf.multi_cell(0, _PDF_LINE * k, slip.intro, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for block in slip.blocks:
        title = f"{block.number}. {block.name}"
        if (
            pdf.get_y() + block_height(block) > pdf.page_break_trigger
            and pdf.get_y() > pdf.t_margin + 20
        ):
            pdf.add_page()  # a provider does not split across pages when it fits on one
        else:
            pdf.ln(3)
        pdf.set_draw_color(59, 110, 143)
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(1.5 * k)
        pdf.set_font("Noto", "B", 13.5 * k)
        pdf.multi_cell(0, 7 * k, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        rows(block.rows, 11 * k)
    pdf.ln(4)
    pdf.set_draw_color(150)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)
    pdf.set_font("Noto", "", 10 * k)
    pdf.multi_cell(0, 5 * k, slip.closing, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
