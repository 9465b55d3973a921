"""A slip as one self-contained HTML page that prints well on Letter or A4."""

from __future__ import annotations

from referral_cli.output import html_text
from referral_cli.slips.content import Row, Slip, row_link
from referral_cli.slips.webfonts import FONT_STACK, font_faces


def _html_value(row: Row) -> str:
    text = html_text(row.value)
    href = row_link(row)
    if href:
        return f'<a href="{html_text(href)}">{text}</a>'
    return text


_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: FONT_STACK, "Noto Sans", Arial, sans-serif;
  font-size: 16px; line-height: 1.45; color: #1d1d1d; background: #fff; margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .6rem; }
h2 { font-size: 1.2rem; margin: 0 0 .4rem; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 1rem; }
.meta dt { font-weight: bold; }
.meta dd { margin: 0; }
.intro { margin: 0 0 1.2rem; }
section.provider { border-top: 2px solid #3b6e8f; padding: .8rem 0 .6rem; }
section.provider dl { display: grid; grid-template-columns: 9.5rem 1fr; gap: .15rem 1rem; margin: 0; }
section.provider dt { font-weight: bold; color: #333; }
section.provider dd { margin: 0; overflow-wrap: anywhere; }
dd.phone { font-size: 1.15rem; font-weight: bold; }
a { color: #1f4f7a; }
footer { border-top: 1px solid #999; margin-top: 1rem; padding-top: .6rem; font-size: .95rem; }
@media (max-width: 34rem) {
  section.provider dl, .meta { grid-template-columns: 1fr; }
  section.provider dd { margin-bottom: .3rem; }
}
@media print {
  @page { size: PAGE_SIZE; margin: 15mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section.provider { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _slip_text(slip: Slip) -> str:
    """Every character the slip shows (to embed the glyphs it needs)."""
    rows = [*slip.header, *(row for block in slip.blocks for row in block.rows)]
    parts = [slip.title, slip.intro, slip.closing, slip.page_label]
    parts += [f"{b.number}. {b.name}" for b in slip.blocks]
    parts += [f"{row.label} {row.value}" for row in rows]
    return "".join(parts) + "0123456789:.,"


def render_html(slip: Slip) -> str:
    """One self-contained page: inline CSS with print styles, no script, no external asset."""
    css = _CSS.replace("PAGE_SIZE", "letter" if slip.page == "letter" else "A4")
    css = font_faces(_slip_text(slip)) + "\n" + css.replace("FONT_STACK", FONT_STACK)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{html_text(slip.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy"'
        " content=\"default-src 'none'; style-src 'unsafe-inline'; font-src data:\">",
        '<meta name="referrer" content="no-referrer">',
        '<meta name="robots" content="noindex">',
        f"<title>{html_text(slip.title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{html_text(slip.title)}</h1>",
        '<dl class="meta">',
    ]
    for row in slip.header:
        out.append(f"<dt>{html_text(row.label)}</dt><dd>{html_text(row.value)}</dd>")
    out += ["</dl>", f'<p class="intro">{html_text(slip.intro)}</p>', "</header>"]
    for block in slip.blocks:
        out.append('<section class="provider">')
        out.append(f"<h2>{block.number}. {html_text(block.name)}</h2>")
        out.append("<dl>")
        for row in block.rows:
            cls = ' class="phone"' if row.key in ("phone", "hotline") else ""
            out.append(f"<dt>{html_text(row.label)}</dt><dd{cls}>{_html_value(row)}</dd>")
        out += ["</dl>", "</section>"]
    out += [
        f"<footer><p>{html_text(slip.closing)}</p></footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


# Noto Sans covers Latin (Spanish, Vietnamese, Hmong RPA), Greek and Cyrillic; the
