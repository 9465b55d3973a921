"""Referral slips: a printable list of providers for the person being helped.

A slip may be read aloud on a call, handed over on paper, or found later by the
person's trafficker. So, by default, it is *discreet*: no fixed word on it names
trafficking, victims or rescue, and free text from the directory that does (a
description, a note) is left off. ``SlipOptions(discreet=False)`` lifts this for
referrals between agencies.

The fixed words live in ``slip_labels.yaml``, one block per language, so that
translators can add a language without touching code. Caller data never reaches
a slip unless passed explicitly (a first name in :attr:`SlipOptions.name`), and
the referral number is random, never derived from anything about the caller.

Confidential providers: only :meth:`Provider.public_address` is read, so the
street, postal code and coordinates of a confidential provider cannot appear.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from referral_cli import hours as opening_hours
from referral_cli.errors import UsageError
from referral_cli.output import clean, html_text

if TYPE_CHECKING:
    from referral_cli.model import Eligibility, Provider

FORMATS = ("text", "markdown", "html", "pdf")
PAGES = ("letter", "a4")
TEXT_WIDTH = 80
LABELS_FILE = Path(__file__).with_name("slip_labels.yaml")
DISCREET_WORDS_FILE = Path(__file__).with_name("discreet_words.yaml")
FONTS_DIR = Path(__file__).with_name("fonts")

# Unambiguous when read aloud or copied by hand: no 0/O, 1/I/L.
_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_FIRST_NAME = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
_MAX_NAME = 40


def new_referral_number() -> str:
    """A random referral number such as ``R-7KQ2-9XHM`` (about 40 bits of chance)."""
    chars = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))
    return f"R-{chars[:4]}-{chars[4:]}"


@dataclass
class SlipOptions:
    """How a slip is made. Nothing here is stored anywhere."""

    lang: str = "en"
    discreet: bool = True
    name: str | None = None  # the person's first name, only if the user passes it
    page: str = "letter"  # "letter" | "a4" (PDF and HTML print size)
    hotline_name: str | None = None  # the referring hotline, from the config
    hotline_phone: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    referral_number: str = field(default_factory=new_referral_number)


# --------------------------------------------------------------------------- labels


@lru_cache(maxsize=1)
def _all_labels() -> dict[str, dict[str, Any]]:
    import yaml

    data = yaml.safe_load(LABELS_FILE.read_text("utf-8"))
    return {str(k): v for k, v in data.items()}


def languages() -> tuple[str, ...]:
    """Codes of the languages a slip can be printed in."""
    return tuple(_all_labels())


def check_lang(lang: str) -> str:
    if lang not in _all_labels():
        from referral_cli.suggest import did_you_mean

        known = languages()
        raise UsageError(
            f"no slip labels for language '{lang}'{did_you_mean(lang, known)};"
            f" use one of: {', '.join(known)}"
        )
    return lang


def check_name(name: str | None) -> str | None:
    """The first name as given, or a usage error when it is anything more."""
    if name is None:
        return None
    name = name.strip()
    if not name or len(name) > _MAX_NAME or not _FIRST_NAME.match(name):
        raise UsageError(
            "--name takes a first name only (letters, hyphen or apostrophe; no spaces,"
            " digits or surname)"
        )
    return name


def labels(lang: str) -> dict[str, Any]:
    """The label set of ``lang``, with English filling any key a translation lacks."""
    every = _all_labels()
    check_lang(lang)
    if lang == "en":
        return every["en"]
    merged = dict(every["en"])
    for key, value in every[lang].items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=1)
def sensitive_words() -> tuple[str, ...]:
    """Words that must not appear on a discreet slip, in every language, from the
    one list of them (``discreet_words.yaml``)."""
    import yaml

    groups = yaml.safe_load(DISCREET_WORDS_FILE.read_text("utf-8"))
    words = {str(w).lower() for by_lang in groups.values() for ws in by_lang.values() for w in ws}
    return tuple(sorted(words))


def is_sensitive(text: str | None) -> bool:
    if not text:
        return False
    low = text.lower()
    return any(w in low for w in sensitive_words())


# --------------------------------------------------------------------- plain words


def date_text(day: dt.date, lab: dict[str, Any]) -> str:
    month = lab["months"][day.month - 1]
    return str(lab["date_format"]).format(day=day.day, month=month, year=day.year)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def who_it_serves(e: Eligibility, lab: dict[str, Any], discreet: bool) -> str:
    """Who a provider serves, in the slip's language; trafficking types only for agencies."""
    if not e.stated:
        return str(lab["eligibility_unknown"])
    if e.is_open_to_all and not e.populations:
        return str(lab["everyone"])
    parts = []
    if e.genders:
        group = (
            0 if e.max_age is not None and e.max_age < 18 else 1 if (e.min_age or 0) >= 18 else 2
        )
        words = [lab["genders"][g][group] for g in e.genders if g in lab["genders"]]
        parts.append(f" {lab['and']} ".join(words))
    if e.min_age is not None and e.max_age is not None:
        parts.append(str(lab["ages_range"]).format(min=e.min_age, max=e.max_age))
    elif e.max_age is not None:
        parts.append(str(lab["ages_up_to"]).format(max=e.max_age))
    elif e.min_age is not None:
        parts.append(str(lab["ages_from"]).format(min=e.min_age))
    parts = [p for p in parts if p]
    text = ", ".join(parts) if parts else str(lab["everyone"])
    if e.trafficking and not discreet:
        kinds = [lab["trafficking"].get(t, t) for t in e.trafficking]
        text += " (" + f" {lab['and']} ".join(kinds) + ")"
    if e.populations:
        groups = [lab["populations"].get(p, p.replace("-", " ")) for p in e.populations]
        text += f"; {lab['especially']} " + ", ".join(groups)
    return _cap(text)


def services_words(services: tuple[str, ...], lab: dict[str, Any], discreet: bool) -> str:
    from referral_cli.taxonomy import load

    types = load().service_types
    out = []
    for key in services:
        word = lab["discreet_services"].get(key) if discreet else None
        word = word or lab["services"].get(key)
        if word is None:
            word = types[key].label if key in types else key.replace("-", " ")
        out.append(_cap(clean(word)))
    return "; ".join(out)


def hours_words(hours: Any, lab: dict[str, Any]) -> str | None:
    if not hours:
        return None
    if isinstance(hours, str):
        return clean(hours)
    return clean(opening_hours.describe(hours, lab["days"]))


def languages_words(
    codes: tuple[str, ...], printable: Callable[[str], bool] | None = None
) -> str | None:
    """Language names in their own words: "English, Español, Tiếng Việt, नेपाली (Nepali)"
    (other scripts with the English name for the volunteer); only the English name
    where ``printable`` says the own name cannot be shown (a PDF font lacks it)."""
    if not codes:
        return None
    from referral_cli.taxonomy import load

    known = load().languages
    words = []
    for code in codes:
        lang = known.get(code) or known.get(code.split("-")[0])  # es-MX: español
        if lang is None:
            words.append(clean(code))
            continue
        native, english = _cap(clean(lang.native)), clean(lang.name)
        if printable is not None and not printable(native):
            words.append(english)
        elif native == english or _latin(native):
            words.append(native)
        else:  # another script: the volunteer can read the English name too
            words.append(f"{native} ({english})")
    return ", ".join(words)


def _latin(text: str) -> bool:
    import unicodedata

    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def reach_words(p: Provider, lab: dict[str, Any]) -> str | None:
    sa = p.service_area
    if sa is None:
        return None
    r = lab["reach"]
    parts = []
    if sa.countries:
        parts.append(str(r["countries"]).format(list=", ".join(sa.countries)))
    if sa.regions:
        parts.append(str(r["regions"]).format(list=", ".join(sa.regions)))
    if sa.radius_km is not None:
        parts.append(str(r["radius"]).format(km=f"{sa.radius_km:g}"))
    if sa.remote:
        parts.append(str(r["remote"]))
    return clean(_cap("; ".join(parts))) if parts else None


def address_words(p: Provider, lab: dict[str, Any]) -> str | None:
    """A postal-style line; for a confidential provider only the town and the notice."""
    a = p.public_address()  # the only way the address is read: confidentiality applied
    town = None
    if a is not None:
        town = ", ".join(x for x in (a.city, a.region) if x) or a.county or a.country
    if p.confidential:
        hidden = str(lab["address_hidden"])
        return f"{hidden} ({clean(town)})" if town else hidden
    if a is None:
        return None
    region = " ".join(x for x in (a.region, a.postal_code) if x)
    parts = [x for x in (a.street, a.city, region) if x]
    if not parts:
        parts = [x for x in (a.county, a.country) if x]
    return clean(", ".join(parts)) or None


# ------------------------------------------------------------------ slip structure


@dataclass
class Row:
    key: str  # label key: "phone", "hotline", "website", … (renderers link by it)
    label: str
    value: str


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
    from referral_cli.translations import text_in

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
    from referral_cli.translations import text_in

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


# ------------------------------------------------------------------------ renderers


def render(providers: list[Provider], fmt: str, options: SlipOptions) -> tuple[bytes, list[str]]:
    """The slip for ``providers`` as ``fmt`` (text, markdown, html or pdf) bytes, and
    warnings for the user (fields that are not discreet, characters a PDF cannot show)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown slip format '{fmt}'; use one of: {', '.join(FORMATS)}")
    if options.page not in PAGES:
        raise UsageError(f"unknown page size '{options.page}'; use letter or a4")
    warnings = discreet_warnings(providers, options)
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


def _wrap(label: str, value: str, indent: str) -> list[str]:
    first = f"{indent}{label}: "
    return textwrap.wrap(
        value,
        width=TEXT_WIDTH,
        initial_indent=first,
        subsequent_indent=indent + "    ",
        break_on_hyphens=False,
    ) or [first.rstrip()]


def render_text(slip: Slip) -> str:
    """Plain text within 80 columns, in the order it is best read aloud."""
    lines = [slip.title, "=" * len(slip.title), ""]
    for row in slip.header:
        lines += _wrap(row.label, row.value, "")
    lines += [""] + textwrap.wrap(slip.intro, TEXT_WIDTH)
    for block in slip.blocks:
        lines += [""]
        lines += textwrap.wrap(
            block.name,
            TEXT_WIDTH,
            initial_indent=f"{block.number}. ",
            subsequent_indent="   ",
        )
        for row in block.rows:
            lines += _wrap(row.label, row.value, "   ")
    lines += [""] + textwrap.wrap(slip.closing, TEXT_WIDTH)
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def md_text(value: str) -> str:
    """Data as Markdown text: every character with a meaning is backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", clean(value))


def render_markdown(slip: Slip) -> str:
    lines = [f"# {md_text(slip.title)}", ""]
    lines += [f"**{md_text(row.label)}:** {md_text(row.value)}  " for row in slip.header]
    lines[-1] = lines[-1].rstrip()
    lines += ["", md_text(slip.intro)]
    for block in slip.blocks:
        lines += ["", f"## {block.number}\\. {md_text(block.name)}", ""]
        lines += [f"- **{md_text(row.label)}:** {md_text(row.value)}" for row in block.rows]
    lines += ["", "---", "", md_text(slip.closing)]
    return "\n".join(lines) + "\n"


def _tel(phone: str) -> str:
    from referral_cli.phones import tel_uri

    return tel_uri(phone)  # the extension as ";ext=", so the phone dials it


def _http(url: str) -> str:
    return url if re.match(r"(?i)https?://[^\s\"'<>]+$", url) else ""


def _html_value(row: Row) -> str:
    text = html_text(row.value)
    href = ""
    if row.key in ("phone", "hotline"):
        href = _tel(row.value)
    elif row.key == "website":
        href = _http(row.value)
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
    from referral_cli.slipfonts import FONT_STACK, font_faces

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
# fallbacks cover Devanagari (Nepali, Hindi, Marathi), Gurmukhi (Punjabi), Khmer, Lao
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


@lru_cache(maxsize=1)
def _pdf_charset() -> frozenset[int]:
    """Code points the shipped fonts can draw (regular faces; bold ones match)."""
    from fontTools.ttLib import TTFont  # a dependency of fpdf2

    points: set[int] = set()
    for _family, style, file in _PDF_FONTS:
        if not style:
            with TTFont(str(FONTS_DIR / file), lazy=True) as font:
                points.update(font.getBestCmap())
    return frozenset(points)


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
    for family, style, file in _PDF_FONTS:
        pdf.add_font(family, style, str(FONTS_DIR / file))
    pdf.set_fallback_fonts(list(_PDF_FALLBACKS), exact_match=False)
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
            link = _tel(row.value) if row.key in ("phone", "hotline") else ""
            link = _http(row.value) if row.key == "website" else link
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
