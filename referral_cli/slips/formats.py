"""A slip in the format asked for, with the warnings the user must see first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from referral_cli.errors import UsageError
from referral_cli.output import formats_of
from referral_cli.records import tonight
from referral_cli.slips.content import build, discreet_warnings
from referral_cli.slips.labels import labels
from referral_cli.slips.options import PAGES, SlipOptions
from referral_cli.slips.render_html import render_html
from referral_cli.slips.render_pdf import pdf_missing_glyphs, pdf_printable, render_pdf
from referral_cli.slips.render_text import render_markdown, render_text

if TYPE_CHECKING:
    from referral_cli.records.model import Provider

FORMATS = formats_of("slip")  # text, markdown, html, pdf


def render(providers: list[Provider], fmt: str, options: SlipOptions) -> tuple[bytes, list[str]]:
    """The slip for ``providers`` as ``fmt`` (text, markdown, html or pdf) bytes, and
    warnings for the user (fields that are not discreet, characters a PDF cannot show)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown slip format '{fmt}'; use one of: {', '.join(FORMATS)}")
    if options.page not in PAGES:
        raise UsageError(f"unknown page size '{options.page}'; use letter or a4")
    warnings = discreet_warnings(providers, options)
    at = options.now or tonight.now()
    for p in providers:
        said = tonight.status_text(p.status, at.date())
        if said:
            warnings.append(f"'{p.id}' takes no referrals now: {said}")
    lab = labels(options.lang)
    if not lab.get("reviewed", True):
        warnings.append(
            f"the {lab['language_name']} ({options.lang}) labels are a draft not yet reviewed"
            " by a native speaker: have one read the slip before it is handed over"
        )
    if fmt == "pdf":
        if not pdf_printable(f"{lab['title']} {lab['intro']}"):
            raise UsageError(
                f"the PDF fonts shipped cannot show {lab['language_name']} ({options.lang});"
                " make an HTML slip (-o slip.html) and print it from a browser"
            )
        slip = build(providers, options, pdf_printable)
        warnings += pdf_missing_glyphs(slip)
        return render_pdf(slip), warnings
    slip = build(providers, options)
    renderer = {"text": render_text, "markdown": render_markdown, "html": render_html}[fmt]
    return renderer(slip).encode("utf-8"), warnings
