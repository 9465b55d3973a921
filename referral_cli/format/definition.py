"""The directory format, defined once: every key, its type, whether it is required,
its pattern or list of values, its nested record, and what it means.

The validator's per-field checks (:mod:`referral_cli.format.field_checks`), the JSON
Schema (:mod:`referral_cli.format.schema`) and the field and code lists of
``docs/maintainers.md`` (``scripts/format_docs.py``) are derived from these
records, so that they cannot disagree; ``model.FIELDS`` is the same order
(a test checks it). Code lists that come from a library or a database — language
tags (CLDR, :mod:`referral_cli.languages`), countries and regions (the gazetteer,
:mod:`referral_cli.geo.addresses`), IANA time zones — are referenced, never copied.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from referral_cli.geo import gazetteer
from referral_cli.geo.gazetteer import US_TERRITORIES
from referral_cli.records import hours
from referral_cli.records.model import GENDERS, STATES, TRAFFICKING_TYPES, UNSTATED_DIMENSIONS
from referral_cli.records.translations import FIELDS as TRANSLATABLE
from referral_cli.taxonomy import Taxonomy

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# A phone: digits and separators, an optional extension (x12, ext. 12), and 3
# (211, 988) or 7 to 15 digits before the extension (the lookahead counts them).
_DIGITS_BEFORE_EXTENSION = (
    r"(?=[^0-9xe]*(?:(?:[0-9][^0-9xe]*){3}|(?:[0-9][^0-9xe]*){7,15})(?:[xe]|$))"
)
PHONE_PATTERN = (
    rf"^{_DIGITS_BEFORE_EXTENSION}"
    r"\+?[0-9(][0-9 ().\-/]*[0-9](?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$"
)
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
URL_PATTERN = r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::[0-9]+)?(?:[/?#]\S*)?$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
SUBDIVISION_PATTERN = r"^[A-Z]{2}-[A-Z0-9]{1,3}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# A moment with its offset from UTC (RFC 3339, seconds included): a report of free beds
# means nothing without when, and "09:10" nothing without where.
DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})$"
)
# Who verified a record: initials or a role, a few words at most (never a caller's data).
VERIFIER_PATTERN = r"^[A-Za-z][A-Za-z0-9 .&/'-]{0,39}$"
# The shape of a language tag (language[-Script][-REGION], any case, - or _; the
# grandfathered i-navajo too);
# whether it names a language is :func:`referral_cli.languages.normalize`'s answer.
LANGUAGE_TAG_PATTERN = r"^[A-Za-z]{1,3}(?:[-_][A-Za-z0-9]{1,8})*$"


def any_case(word: str) -> str:
    """A pattern of ``word`` in any case. A dash stays bare: ``\\-`` outside a class is
    no valid escape in the Unicode mode of ECMA-262 regular expressions (editors)."""
    return "".join(
        f"[{ch.upper()}{ch.lower()}]" if ch.isalpha() else ch if ch == "-" else re.escape(ch)
        for ch in word
    )


# A day key of weekly hours, as :func:`referral_cli.records.hours.parse_days` reads it
# (in any case: a JSON Schema pattern has no flags).
_DAY = "(?:" + "|".join(any_case(d) for d in hours.DAYS) + ")"
_DAY_PART = rf"{_DAY}(?:-{_DAY})?"
DAYS_PATTERN = (
    r"^\s*(?:"
    + "|".join(any_case(d) for d in hours.EVERY_DAY)
    + rf"|{_DAY_PART}(?:\s*,\s*{_DAY_PART})*)\s*$"
)

ID_RE = re.compile(ID_PATTERN)
# written by import-hsds beside a 'location' that is only the middle of a postal code
# ("postal code 33130"): read as how the provider was placed, so it stays approximate
APPROXIMATE_LOCATION_KEY = "x-location-approximate"
PLACED_PRECISIONS = ("postal code", "city", "county")  # how an approximate point was found
PHONE_RE = re.compile(PHONE_PATTERN)
EMAIL_RE = re.compile(EMAIL_PATTERN)
URL_RE = re.compile(URL_PATTERN)
DATE_RE = re.compile(DATE_PATTERN)
DATETIME_RE = re.compile(DATETIME_PATTERN)

Kind = Literal[
    "text",  # a string (stripped; empty means absent unless required)
    "texts",  # a list of strings, or one string meaning a list of one
    "bool",
    "number",
    "date",  # YYYY-MM-DD (YAML may read it as a date)
    "datetime",  # a date and time with its UTC offset (YAML may read it as a timestamp)
    "count",  # a whole number of 0 or more
    "record",  # a mapping of the keys of ``record``
    "ages",  # [min, max] of whole numbers 0..130 or null
    "hours",  # free text, or a mapping of day keys to time ranges
    "counts",  # a mapping of any key to a whole number of 0 or more
    "translations",  # a mapping of language codes to records of translatable texts
    "records",  # a list of records (the providers of a file)
]


def _service_keys(tax: Taxonomy) -> tuple[str, ...]:
    return tuple(tax.service_types)


def _area_keys(tax: Taxonomy) -> tuple[str, ...]:
    return tax.area_keys


def _known_populations(tax: Taxonomy) -> tuple[str, ...]:
    return tuple(sorted({p.population for p in tax.populations.values() if p.population}))


def _translation_languages(tax: Taxonomy) -> tuple[str, ...]:
    return tuple(tax.languages)


def countries() -> tuple[str, ...]:
    """Every country code the gazetteer knows (``address.country``, ``service_area.countries``)."""
    return tuple(sorted(gazetteer.countries()))


def subdivisions() -> tuple[str, ...]:
    """Every ISO 3166-2 code the gazetteer knows, with the US territories also
    listed as US subdivisions (``service_area.regions``)."""
    codes = {code for country in gazetteer.countries() for code in gazetteer.region_codes(country)}
    codes.update(f"US-{t}" for t in US_TERRITORIES)
    return tuple(sorted(codes))


@dataclass(frozen=True, eq=False)
class Field:
    """One key of a record."""

    key: str
    kind: Kind
    description: str
    required: bool = False
    # ``key: null`` means the key is absent (true of every optional key but a few).
    nullable: bool = True
    pattern: str | None = None
    # What a value of the right shape looks like, for messages ("a phone number such as …").
    shape: str | None = None
    # A fixed list of values (of the value, or of each item of a list).
    choices: tuple[str, ...] | None = None
    # A list of values that depends on the taxonomy (services, areas, …).
    taxonomy_choices: Callable[[Taxonomy], tuple[str, ...]] | None = None
    # A list of values from a database (the gazetteer).
    database_choices: Callable[[], tuple[str, ...]] | None = None
    # Values outside the list are only a warning (a population the taxonomy lacks).
    choices_warn_only: bool = False
    minimum: float | None = None
    maximum: float | None = None
    min_items: int = 0
    record: Record | None = None
    # A check only validate makes, which a JSON Schema cannot express (a list
    # from a library or database it cannot carry, an order): says which.
    validate_only: str | None = None
    # The :class:`~referral_cli.records.model.Provider` fields this key fills (for the provider).
    fills: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Record:
    """A mapping of known keys; other keys are errors unless they start with ``x-``."""

    name: str
    description: str
    fields: tuple[Field, ...]
    # Record fields that are not keys of the YAML, set by the loader (``source``,
    # ``placed``): (the field they follow in the model's order, their name).
    derived: tuple[tuple[str, str], ...] = ()

    @functools.cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @functools.cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)

    @functools.cached_property
    def _by_key(self) -> dict[str, Field]:
        return {f.key: f for f in self.fields}

    def __getitem__(self, key: str) -> Field:
        return self._by_key[key]

    def model_fields(self) -> tuple[str, ...]:
        """The record's fields in the model's order: the keys' fills, each followed
        by the derived fields placed after it."""
        out = []
        for name in (name for f in self.fields for name in (f.fills or (f.key,))):
            out += [name, *(derived for after, derived in self.derived if after == name)]
        return tuple(out)


def _text(
    key: str,
    description: str,
    *,
    required: bool = False,
    pattern: str | None = None,
    shape: str | None = None,
    database_choices: Callable[[], tuple[str, ...]] | None = None,
    validate_only: str | None = None,
) -> Field:
    return Field(
        key,
        "text",
        description,
        required=required,
        pattern=pattern,
        shape=shape,
        database_choices=database_choices,
        validate_only=validate_only,
    )


ELIGIBILITY = Record(
    "eligibility",
    "Who the provider serves. A hard filter: absent means everyone, 'stated: false' unknown.",
    (
        Field(
            "ages",
            "ages",
            "Inclusive [min, max] of whole numbers 0-130; null leaves an end open.",
            minimum=0,
            maximum=130,
            validate_only="min not above max",
        ),
        Field("genders", "texts", "Genders served; absent means any.", choices=GENDERS),
        Field(
            "trafficking",
            "texts",
            "Trafficking types served; absent means any.",
            choices=TRAFFICKING_TYPES,
        ),
        Field(
            "populations",
            "texts",
            "Groups specially served, as lowercase slugs (a slug the taxonomy lacks is a warning).",
            pattern=ID_PATTERN,
            taxonomy_choices=_known_populations,
            choices_warn_only=True,
        ),
        _text("notes", "Conditions that are not ages, genders or trafficking types."),
        Field(
            "stated",
            "bool",
            "false: the provider has not said who it serves (unknown, never 'everyone');"
            " not allowed with ages, genders, trafficking types or children (nor their ages).",
            nullable=False,
        ),
        Field(
            "children",
            "bool",
            "Accompanying children: false, takes none (adults or youth alone); true, takes only"
            " a parent or carer with children (a family shelter); absent, either.",
            nullable=False,
        ),
        Field(
            "boys_max_age",
            "count",
            "Accompanying children: the oldest boy a parent or carer may bring ('boys up to"
            " age 12 may stay with their mother'); absent, any age.",
            minimum=0,
            maximum=17,
        ),
        Field(
            "girls_max_age",
            "count",
            "Accompanying children: the oldest girl a parent or carer may bring; absent, any"
            " age. A limit on every child is written in both.",
            minimum=0,
            maximum=17,
        ),
        Field(
            "residents_of",
            "texts",
            "Only people who live in one of these places ('DC residents only'): a town,"
            " county, state or ZIP code as the gazetteer knows it ('Montgomery County, MD',"
            " 'District of Columbia', '22041'); absent, wherever they live. Allowed with"
            " 'stated: false' (where they must live is known, who else is not).",
            validate_only="a place the gazetteer knows (referral_cli.geo.residency)",
        ),
        Field(
            "unstated",
            "texts",
            "The dimensions the provider's words leave unknown ('homeless males': ages):"
            " absent ages, genders or children mean any, these mean not known; nothing is"
            " excluded by them, but a provider known to fit ranks first. Not with a value of"
            " the same dimension, nor with 'stated: false'.",
            choices=UNSTATED_DIMENSIONS,
        ),
    ),
)

ADDRESS = Record(
    "address",
    "Postal address; of a confidential provider only the town is ever shown.",
    (
        _text("street", "Street and number."),
        _text("city", "City or town."),
        _text("county", "County (places the provider when the city is unknown)."),
        _text(
            "region",
            "State or province as people write it (CA, California, BC, Bagmati); an"
            " unknown one is a warning.",
        ),
        _text("postal_code", 'Postal code, quoted ("93721").'),
        _text(
            "country",
            "ISO 3166-1 alpha-2 code.",
            pattern=COUNTRY_PATTERN,
            shape="an ISO 3166-1 code such as US or MX",
            database_choices=countries,
        ),
    ),
)

LOCATION = Record(
    "location",
    "Exact point; optional when the address resolves in the gazetteer.",
    (
        Field("lat", "number", "Latitude.", required=True, minimum=-90, maximum=90),
        Field("lon", "number", "Longitude.", required=True, minimum=-180, maximum=180),
    ),
)

SERVICE_AREA = Record(
    "service_area",
    "Where, beyond its own site, the provider serves people.",
    (
        Field("radius_km", "number", "Distance it serves around its location.", minimum=0,
              maximum=20100),
        Field(
            "regions",
            "texts",
            "ISO 3166-2 codes such as US-CA.",
            pattern=SUBDIVISION_PATTERN,
            shape="an ISO 3166-2 code such as US-CA",
            database_choices=subdivisions,
        ),
        Field(
            "countries",
            "texts",
            "ISO 3166-1 codes such as US.",
            pattern=COUNTRY_PATTERN,
            shape="an ISO 3166-1 code such as US",
            database_choices=countries,
        ),
        Field("remote", "bool", "true: serves by phone or online.", nullable=False),
    ),
)  # fmt: skip

STATUS = Record(
    "status",
    "Whether the provider takes referrals now; only active ones are listed as results.",
    (
        Field(
            "state",
            "text",
            "active | closed (until a day, if known) | do-not-refer.",
            required=True,
            choices=STATES,
        ),
        Field("until", "date", "closed only: the day it reopens.", pattern=DATE_PATTERN),
        _text("reason", "Why, in a few words (renovation, not taking referrals)."),
    ),
)

AVAILABILITY = Record(
    "availability",
    "Free places as last reported, and when; older than a day it reads 'beds unknown'.",
    (
        Field(
            "beds_available",
            "count",
            "Beds or places free at 'as_of'; 0 is full.",
            minimum=0,
            validate_only="not more than 'maximum'",
        ),
        Field("waitlist", "count", "People waiting at 'as_of'.", minimum=0),
        Field("maximum", "count", "Beds or places in all.", minimum=0),
        Field(
            "as_of",
            "datetime",
            'When it was reported, with its UTC offset: "2026-12-07T09:10:00-08:00".',
            required=True,
            pattern=DATETIME_PATTERN,
        ),
    ),
)

TRANSLATION = Record(
    "translation",
    "Texts of the provider in one language.",
    tuple(_text(key, f"'{key}' in this language.") for key in TRANSLATABLE),
)

_PHONE_SHAPE = 'a phone number such as "+1 559-555-0142"'
_DIALLED = "a number that can be dialled in the provider's country (phonenumbers)"

PROVIDER = Record(
    "provider",
    "One service of a provider.",
    (
        _text(
            "id",
            "Unique lowercase slug, never reused.",
            required=True,
            pattern=ID_PATTERN,
        ),
        _text("name", "Name as a caller would hear it.", required=True),
        Field(
            "services",
            "texts",
            "Service type keys (see 'referral taxonomy'); at least one.",
            required=True,
            taxonomy_choices=_service_keys,
            min_items=1,
        ),
        Field(
            "areas",
            "texts",
            "Strategy areas; derived from the services when absent.",
            taxonomy_choices=_area_keys,
        ),
        _text("organization", "The organisation that runs it."),
        _text("description", "What it offers, in a sentence or two."),
        Field("eligibility", "record", ELIGIBILITY.description, record=ELIGIBILITY),
        Field(
            "languages",
            "texts",
            "ISO 639-1 or 639-3 codes, or BCP 47 tags such as zh-Hant or es-MX.",
            pattern=LANGUAGE_TAG_PATTERN,
            validate_only="a language tag of CLDR (referral_cli.languages)",
        ),
        _text("phone", "The number a caller should ring.", pattern=PHONE_PATTERN,
              shape=_PHONE_SHAPE, validate_only=_DIALLED),
        _text("hotline", "A 24/7 line, if any.", pattern=PHONE_PATTERN, shape=_PHONE_SHAPE,
              validate_only=_DIALLED),
        _text("email", "Intake e-mail address.", pattern=EMAIL_PATTERN,
              shape="an e-mail address such as intake@example.org"),
        _text("website", "Web address.", pattern=URL_PATTERN,
              shape="a web address starting with https://"),
        Field(
            "hours",
            "hours",
            'Free text such as "24/7", or days (mon-fri, sat,sun) to "HH:MM-HH:MM" ranges'
            " (several with commas; past midnight ends the next day) or closed.",
            pattern=hours.SPEC_PATTERN,  # of each day's ranges; the keys: DAYS_PATTERN
        ),
        _text("timezone", "IANA time zone, for 'open now'.",
              validate_only="an IANA time zone name (zoneinfo)"),
        Field("address", "record", ADDRESS.description, record=ADDRESS),
        Field("location", "record", LOCATION.description, record=LOCATION,
              fills=("lat", "lon")),
        # empty is unknown, and unknown confidentiality is an error (and confidential)
        Field("confidential", "bool", "Street address and exact location are never shown; `true` or `false`, never empty.", nullable=False),
        Field("service_area", "record", SERVICE_AREA.description, record=SERVICE_AREA),
        _text("intake", "How to be referred or admitted."),
        _text("cost", "What it costs."),
        Field("capacity", "counts", "Whole numbers of places, such as {beds: 8}."),
        Field("availability", "record", AVAILABILITY.description, record=AVAILABILITY),
        Field("status", "record", STATUS.description, record=STATUS),
        Field("last_verified", "date", "The day the provider was last called to confirm it.",
              pattern=DATE_PATTERN),
        _text("verified_by", "Who confirmed it: initials or a role (never a caller's data).",
              pattern=VERIFIER_PATTERN, shape="initials or a role such as JS or night lead"),
        Field("keywords", "texts", "Extra words search should match."),
        Field(
            "translations",
            "translations",
            "Texts in other languages, by language code.",
            record=TRANSLATION,
            taxonomy_choices=_translation_languages,
        ),
    ),
    derived=(("areas", "source"), ("translations", "placed")),
)  # fmt: skip

# Rules across keys, which validate and the schema both apply: a confidential
# provider is reached by one of these; 'eligibility.stated: false' (nobody knows who
# is served) comes with none of these restrictions.
CONFIDENTIAL_REACHED_BY = ("phone", "hotline")
CHILDREN_ALONG = ("boys_max_age", "girls_max_age")  # the oldest boy, girl taken along
UNSTATED_WITHOUT = ("ages", "genders", "trafficking", "children", *CHILDREN_ALONG, "unstated")

DOCUMENT = Record(
    "document",
    "A directory file.",
    (Field("providers", "records", "The providers of the file.", required=True, record=PROVIDER),),
)


@dataclass(frozen=True)
class Code:
    """A diagnostic code: its severities, what it means and how to fix it."""

    code: str
    severity: str
    meaning: str
    fix: str


# Every code a diagnostic can carry, in the order docs/maintainers.md lists them.
CODES = (
    Code("required", "error", "a required key or value is missing: `id`, `name`, `services`, `location.lat`/`lon`, the `providers:` list, or a value left empty", "add it; `services` needs at least one key from `referral taxonomy`"),
    Code("type", "error", "a value has the wrong kind: text where a list is needed, a number where text is needed (`postal_code: 93721`), `NO`/`yes` read as true/false, a date not written YYYY-MM-DD, `ages` not `[min, max]`", 'quote text (`"93721"`, `"NO"`), use the shape the message names'),
    Code("unknown-key", "error", "a key the format does not have, often a typo (`phon:`); the message suggests the closest key", "fix the spelling, or start a custom key with `x-` (`x-source:`)"),
    Code("enum", "error", f"a value outside its fixed list: a gender ({', '.join(f'`{g}`' for g in GENDERS)}), a trafficking type ({', '.join(f'`{t}`' for t in TRAFFICKING_TYPES)}), an area, or a population that is not a slug", "use one of the listed values"),
    Code("taxonomy", "error / warning", "error: a service type that is not a taxonomy key (a label or synonym gets \"use its key …\"); warning: a population the taxonomy does not know, which search will not recognise", "use the key from `referral taxonomy`; for a population, a known one or propose it for the taxonomy"),
    Code("language", "error", "a language that is not an ISO 639-1 or 639-3 code or a BCP 47 tag, a language name (`Spanish`, `Hmoob`) instead of its code, or a word that is both (`ASL`: Asilulu's code, American Sign Language's name)", "write the code the message names (`es`, `hmn`, `ase`); a script or region only where it matters (`zh-Hant`, `es-MX`)"),
    Code("format", "error", "a phone (3, or 7 to 15 digits), e-mail, web address, country (ISO 3166-1, `US`) or service-area region (ISO 3166-2, `US-CA`) in the wrong shape", '`"+1 559-555-0142"`, `intake@example.org`, `https://…`, `US`, `US-CA`'),
    Code("hours", "error", "an unknown day key or a time range not `HH:MM-HH:MM`", 'days `mon`…`sun`, ranges `mon-fri`, lists `sat,sun`; times `"09:00-17:00"`, several with commas, or `closed`; free text such as `"24/7"` goes in a plain string'),
    Code("timezone", "error", "not an IANA time zone name", "e.g. `America/Los_Angeles`"),
    Code("range", "error", "a number out of range: latitude −90…90, longitude −180…180, age 0…130, `radius_km` 0…20100, ages in the wrong order, or more `beds_available` than `maximum`", "fix the number; `ages: [12, 17]`, not `[17, 12]`"),
    Code("id", "error", "the id is not a lowercase slug", "the message proposes one (`valley-youth-safe-house`)"),
    Code("eligibility", "error", "`eligibility.stated: false` together with ages, genders, trafficking types or children (nor their ages) or `unstated`; children's ages with `children: false`; a dimension in `unstated` that has a value (`ages` with `ages: [18, null]`)", "keep the restrictions and remove `stated`, or the other way round"),
    Code("eligibility-unknown", "warning", "`eligibility.stated: false`: who is eligible is not known", "call the provider, write what it said, remove `stated`"),
    Code("status", "error", "`status.until` with a state other than `closed`", "set `state: closed`, or remove `until` (`referral update ID --reopen`)"),
    Code("confidential", "error", "`confidential: true` but no `phone` or `hotline`: nobody could reach it", "add the intake or hotline number"),
    Code("confidential-unknown", "error", "`confidential` empty, null or anything but `true`/`false`: whether the address may be shown is unknown. Serving commands serve the provider as confidential (street, postal code and point hidden) and say so", "write `confidential: true` or `confidential: false`"),
    Code("confidential-place", "error", "a provider that is not confidential has the street and postal code of a confidential provider, or a point within 10 m of its point: published, it would show where the confidential one is. The message names both; serving commands serve it as confidential", "make it `confidential: true` too (a phone is needed), or correct its address if it is elsewhere"),
    Code("location", "warning", "no `location`, and no `address` of which any part (postal code, city, county) is a place the offline gazetteer knows, and no `service_area`: a search by place can never find it", "add at least the city and county, a `location`, or a `service_area` for phone/online services"),
    Code("place", "error / warning", "error: a country or service-area region that the gazetteer does not know (`country: XX`, `service_area.regions: [US-ZZ]`), or an `eligibility.residents_of` place it does not know as a town, county, state or ZIP code; warning: an address region that is neither a region the gazetteer knows nor a current ISO 3166-2 subdivision (`region: ZZ` in the US), which never leaves the provider out. An address region may be written as people write it (`CA`, `California`, `BC` or `Baja California` in Mexico, `Bagmati` or `Bagmati Province` in Nepal), a service-area region is its ISO 3166-2 code (`US-CA`, `MX-BCN`)", "the code the message suggests"),
    Code("duplicate-id", "error", "the same id twice in the directory (also across files); the message names both places. Until one is renamed, serving commands serve the most recently verified of them (the first in directory order on a tie) and say so", "give one of them a new id"),
    Code("stale", "warning", "`last_verified` missing, or older than 365 days (or `--stale-days`)", 'call the provider and set the date (see "Verify a provider")'),
    Code("future-date", "warning", "`last_verified` is after today, or `availability.as_of` after now", "use the date of the call"),
    Code("old-report", "warning", "`availability.as_of` older than 24 hours (or `--report-hours`): every command shows \"beds unknown\" for it", "ask for tonight's figure: `referral update ID --beds N`"),
    Code("closed-past", "warning", "`status.until` is a day in the past: the provider may have reopened, but is still left out of every search", "call it, then `referral update ID --reopen` or a new `--closed-until`"),
    Code("duplicate", "warning", "two providers with very similar names less than 1 km apart (names compared by their first 120 characters; where more than 128 providers share a neighbourhood, each is compared with the 64 names nearest it in sorted order, so validate stays linear)", "merge them, or make the names say how they differ"),
    Code("empty", "warning", "a YAML file with nothing in it", "add providers or delete the file"),
    Code("style", "warning", "a language written in a longer or older form than its shortest standard one (`ES`, `eng`, `iw`, `tl`, `zh-hant`, `en-Latn`)", "write the form the message names (`es`, `en`, `he`, `fil`, `zh-Hant`, `en`)"),
    Code("io", "error", "the file or a subfolder could not be read (permissions, a broken link, a loop of links), the file is not a regular file (a pipe, a device, a link to one) or is over 256 MiB, is a link to a file outside the data folder (never followed), or it kept changing while it was read", "fix the file system problem; split a huge file; run again once the file is saved"),
    Code("trust", "warning", "a file or folder of the directory is writable by every user of the machine, or owned by another user: another account could have planted or changed providers (every command says so; `--strict-data` refuses the directory)", "make the files yours and not writable by others (`chmod o-w`, `chown`)"),
    Code("size", "warning", "more providers than the 1,000,000 the tool is built and tested for (every command also says so)", "split the directory by region"),
    Code("", "error", "the file is not usable YAML: a syntax error, not UTF-8, duplicate keys, merge keys (`<<`), aliases that expand too far, nesting too deep, a file over 256 MiB", "fix the line named; save as UTF-8; write keys out instead of using anchors. An unclosed quote is reported where it opens, a forbidden character at its own line and column, a block-structure error with the indentation it found and the one the key above has. After a syntax error every other provider of the file is still read and checked, so all independent mistakes are listed at once"),
)  # fmt: skip
