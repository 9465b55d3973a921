"""What goes on a slip: its rows and provider blocks, before any format draws them.

A discreet slip leaves off free text from the directory that names trafficking,
victims or rescue (a description, a note), and says which fields it had to keep.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from referral_cli.output import clean
from referral_cli.records import tonight
from referral_cli.records.phones import tel_uri
from referral_cli.records.translations import text_in
from referral_cli.slips.labels import is_sensitive, labels
from referral_cli.slips.options import SlipOptions, check_name
from referral_cli.slips.wording import (
    address_words,
    date_text,
    hours_words,
    languages_words,
    reach_words,
    services_words,
    tonight_words,
    who_it_serves,
)

if TYPE_CHECKING:
    from referral_cli.records.model import Provider


@dataclass
class Row:
    key: str  # label key: "phone", "hotline", "website", … (renderers link by it)
    label: str
    value: str


def row_link(row: Row) -> str:
    """The link a row's value may carry: ``tel:`` for a phone, an http(s) website."""
    if row.key in ("phone", "hotline"):
        return tel_uri(row.value)  # the extension as ";ext=", so the phone dials it
    if row.key == "website":
        return row.value if re.match(r"(?i)https?://[^\s\"'<>]+$", row.value) else ""
    return ""


@dataclass
class Block:
    number: int
    name: str
    rows: list[Row]


@dataclass
class Slip:
    lang: str
    page: str
    title: str
    intro: str
    header: list[Row]
    blocks: list[Block]
    closing: str
    page_label: str


def build(
    providers: list[Provider],
    options: SlipOptions,
    printable: Callable[[str], bool] | None = None,
) -> Slip:
    """What goes on the slip, with every data field already cleaned of control codes.

    ``printable`` tells whether a text can be shown (the PDF's fonts); languages
    whose own name cannot be are given by their English name."""
    lab = labels(options.lang)
    discreet = options.discreet
    name = check_name(options.name)
    header = [
        Row("date", lab["date"], date_text(options.today, lab)),
        Row("referral_number", lab["referral_number"], clean(options.referral_number)),
    ]
    referrer = ", ".join(clean(x) for x in (options.hotline_name, options.hotline_phone) if x)
    if referrer:
        header.append(Row("referred_by", lab["referred_by"], referrer))
    if name:
        header.append(Row("for", lab["for"], name))
    blocks = []
    at = options.now or tonight.now()
    for number, p in enumerate(providers, 1):
        e = p.eligibility
        about, notes, cost, intake = (
            _data_text(p, key, options.lang, lab)
            for key in ("description", "eligibility_notes", "cost", "intake")
        )
        if discreet:
            about = None if is_sensitive(about) else about
            notes = None if is_sensitive(notes) else notes
        serves = who_it_serves(e, lab, discreet)
        if notes:
            serves = f"{serves}. {notes}"
        verified = date_text(p.last_verified, lab) if p.last_verified else None
        values = [
            ("phone", clean(p.phone) if p.phone else None),
            ("hotline", clean(p.hotline) if p.hotline else None),
            ("tonight", tonight_words(p, lab, at, options.report_hours)),
            ("offers", services_words(p.services, lab, discreet)),
            ("about", about),
            ("hours", hours_words(p.hours, lab)),
            ("address", address_words(p, lab)),
            ("area_served", reach_words(p, lab)),
            ("serves", serves),
            ("languages", languages_words(p.languages, printable)),
            ("cost", cost),
            ("how_to_start", intake),
            ("website", clean(p.website) if p.website else None),
            ("email", clean(p.email) if p.email else None),
            ("last_checked", verified),
        ]
        rows = [Row(k, str(lab[k]), v) for k, v in values if v]
        blocks.append(Block(number, clean(p.name).strip(), rows))
    return Slip(
        lang=options.lang,
        page=options.page,
        title=str(lab["title"] if discreet else lab["title_agency"]),
        intro=" ".join(str(lab["intro"] if discreet else lab["intro_agency"]).split()),
        header=header,
        blocks=blocks,
        closing=" ".join(str(lab["closing"]).split()),
        page_label=str(lab["page"]),
    )


def _data_text(p: Provider, key: str, lang: str, lab: dict[str, Any]) -> str | None:
    """A provider's text in the slip's language, or the English one marked as such."""
    text, fallback = text_in(p, key, lang)
    if not text:
        return None
    text = clean(text)
    return f"{text} {lab['untranslated']}" if fallback else text


def discreet_warnings(providers: list[Provider], options: SlipOptions) -> list[str]:
    """Fields kept on a discreet slip (they are needed to reach help) that still name
    trafficking or victims, so the user can decide before handing the slip over."""
    if not options.discreet:
        return []
    out = []
    for p in providers:
        for label, value in (
            ("name", p.name),
            ("how to start", text_in(p, "intake", options.lang)[0]),
            ("website", p.website),
            ("e-mail", p.email),
            ("hours", p.hours if isinstance(p.hours, str) else None),
            ("cost", text_in(p, "cost", options.lang)[0]),
        ):
            if is_sensitive(value):
                out.append(
                    f"the {label} of '{clean(p.id)}' mentions trafficking or victims;"
                    " the slip is not fully discreet"
                )
    return out
