"""Referral slips: a printable list of providers for the person being helped.

A slip may be read aloud on a call, handed over on paper, or found later by the
person's trafficker. So, by default, it is *discreet*: no fixed word on it names
trafficking, victims or rescue, and free text from the directory that does (a
description, a note) is left off. ``SlipOptions(discreet=False)`` lifts this for
referrals between agencies.

:mod:`.options` says how a slip is made, :mod:`.labels` holds its fixed words per
language, :mod:`.wording` puts provider fields in those words, :mod:`.content`
builds what goes on the slip, and :mod:`.formats` draws it with
:mod:`.render_text` (text, Markdown), :mod:`.render_html` or :mod:`.render_pdf`.
"""

from referral_cli.slips.formats import FORMATS, render
from referral_cli.slips.labels import check_lang, languages
from referral_cli.slips.options import PAGES, SlipOptions, check_name, new_referral_number

__all__ = [
    "FORMATS",
    "PAGES",
    "SlipOptions",
    "check_lang",
    "check_name",
    "languages",
    "new_referral_number",
    "render",
]
