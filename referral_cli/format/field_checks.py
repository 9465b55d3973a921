"""Per-field checks of a provider, derived from :mod:`referral_cli.format.definition`:
types, patterns, lists of values, ranges, nested records and unknown keys.

A :class:`FieldChecker` collects the diagnostics of one file; each
``check_*`` function reads one key of a provider mapping and returns its value
for the :class:`~referral_cli.records.model.Provider` record (or a safe default after
an error). Which keys exist, which are required, their patterns, shapes, lists
and bounds all come from the format; the messages are written here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

from referral_cli import languages
from referral_cli.errors import Diagnostic
from referral_cli.format.definition import (
    ADDRESS,
    DATE_RE,
    ELIGIBILITY,
    LOCATION,
    PHONE_PATTERN,
    PROVIDER,
    SERVICE_AREA,
    UNSTATED_WITHOUT,
    Field,
)
from referral_cli.geo import addresses
from referral_cli.geo.residency import area_place
from referral_cli.reading.nodes import MarkedDict, MarkedList
from referral_cli.records import hours, phones
from referral_cli.records.model import UNSTATED_DIMENSIONS, Address, Eligibility, ServiceArea
from referral_cli.suggest import did_you_mean
from referral_cli.taxonomy import Taxonomy


def type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        type(None): "nothing",
        dt.date: "a date",
    }.get(type(value), "a list" if isinstance(value, list) else "a mapping")


def is_whole(value: object) -> bool:
    """A whole number: an int, or a float without a fraction (YAML ``12.0``, which a
    JSON Schema "integer" accepts too)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


@functools.cache
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@functools.cache
def choices_of(field: Field, tax: Taxonomy) -> tuple[str, ...]:
    """The values a field's items may take, in order: fixed, or from the taxonomy."""
    if field.choices is not None:
        return field.choices
    return field.taxonomy_choices(tax) if field.taxonomy_choices else ()


# Texts of a shape the format describes (phone, hotline, e-mail, web address), and
# texts of no particular shape (organization, description, intake, cost).
CONTACT_KEYS = tuple(f.key for f in PROVIDER.fields if f.kind == "text" and f.shape)
PHONE_KEYS = tuple(f.key for f in PROVIDER.fields if f.pattern == PHONE_PATTERN)
FREE_TEXT_KEYS = tuple(
    f.key
    for f in PROVIDER.fields
    if f.kind == "text" and not (f.required or f.pattern or f.validate_only)
)


class FieldChecker:
    """Collects the diagnostics of one file."""

    def __init__(self, path: str, tax: Taxonomy):
        self.path = path
        self.tax = tax
        self.diagnostics: list[Diagnostic] = []
        # Set while a confidential provider is checked: its messages name fields,
        # never their values (a mistyped street or coordinate is still the address).
        self.secret = False

    def add(self, pos: tuple[int, int], severity: str, message: str, code: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, pos[0], pos[1], severity, message, code))

    def error(self, pos: tuple[int, int], message: str, code: str) -> None:
        self.add(pos, "error", message, code)

    def warning(self, pos: tuple[int, int], message: str, code: str) -> None:
        self.add(pos, "warning", message, code)

    # --- typed getters: return the value when it has the right type, else report ---

    def text(self, m: MarkedDict, key: str, where: str = "", required: bool = False) -> str | None:
        label = f"{where}{key}"
        if key not in m or m[key] is None:
            if required:
                self.error(m.start, f"'{label}' is required", "required")
            return None
        value = m[key]
        if isinstance(value, bool) and key in ("country", "region"):
            self.error(m.valmarks[key], f"'{label}' reads as true/false; quote it (\"NO\")", "type")
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.error(
                m.valmarks[key],
                f"'{label}' must be text; quote it" + ("" if self.secret else f' ("{value}")'),
                "type",
            )
            return None
        if not isinstance(value, str):
            self.error(m.valmarks[key], f"'{label}' must be text, not {type_name(value)}", "type")
            return None
        value = value.strip()
        if required and not value:
            self.error(m.valmarks[key], f"'{label}' must not be empty", "required")
            return None
        return value or None

    def text_list(
        self, m: MarkedDict, key: str, where: str = ""
    ) -> list[tuple[str, tuple[int, int]]]:
        """Items of a list of text with their positions; a single text counts as a list."""
        if key not in m or m[key] is None:
            return []
        value = m[key]
        if isinstance(value, str):
            return [(value.strip(), m.valmarks[key])]
        if not isinstance(value, MarkedList):
            self.error(
                m.valmarks[key], f"'{where}{key}' must be a list, not {type_name(value)}", "type"
            )
            return []
        out = []
        for item, pos in zip(value, value.itemmarks, strict=True):
            if isinstance(item, bool) and key == "languages":
                self.error(
                    pos, "a language reads as true/false; quote it ('no' for Norwegian)", "type"
                )
            elif not isinstance(item, str):
                self.error(
                    pos, f"items of '{where}{key}' must be text, not {type_name(item)}", "type"
                )
            else:
                out.append((item.strip(), pos))
        return out

    def mapping(
        self, m: MarkedDict, key: str, allowed: tuple[str, ...], where: str = ""
    ) -> MarkedDict | None:
        if key not in m or m[key] is None:
            return None
        value = m[key]
        if not isinstance(value, MarkedDict):
            self.error(
                m.valmarks[key],
                f"'{where}{key}' must be a mapping, not {type_name(value)}",
                "type",
            )
            return None
        self.unknown_keys(value, allowed, f"{where}{key}.")
        return value

    def unknown_keys(self, m: MarkedDict, allowed: tuple[str, ...], where: str) -> None:
        for key in m:
            if key not in allowed and not key.startswith("x-"):
                self.error(
                    m.keymarks[key],
                    f"unknown key '{where}{key}'{did_you_mean(key, allowed)}"
                    " (custom keys start with 'x-')",
                    "unknown-key",
                )

    def enum_list(
        self, m: MarkedDict, key: str, allowed: tuple[str, ...], where: str, what: str
    ) -> tuple[str, ...]:
        out = []
        for item, pos in self.text_list(m, key, where):
            if item in allowed:
                out.append(item)
            else:
                self.error(
                    pos,
                    f"unknown {what} '{item}'{did_you_mean(item, allowed)}"
                    f" (one of: {', '.join(allowed)})",
                    "enum",
                )
        return tuple(out)

    def number(self, m: MarkedDict, field: Field, where: str) -> float | None:
        """A number within the field's bounds."""
        key, low, high = field.key, field.minimum, field.maximum
        assert low is not None and high is not None
        if key not in m or m[key] is None:
            return None
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(
                m.valmarks[key], f"'{where}{key}' must be a number, not {type_name(value)}", "type"
            )
            return None
        if not low <= value <= high:
            given = "" if self.secret else f" is {value};"
            self.error(
                m.valmarks[key],
                f"'{where}{key}'{given} must be between {low:g} and {high:g}",
                "range",
            )
            return None
        return float(value)


@functools.cache
def service_words(tax: Taxonomy) -> dict[str, str]:
    """Every word for a service type (key, label, synonym) -> its key."""
    words: dict[str, str] = {}
    for st in tax.service_types.values():
        for w in (st.key, st.label.lower(), *st.synonyms):
            words.setdefault(w.lower(), st.key)
    return words


def check_services(c: FieldChecker, p: MarkedDict) -> tuple[str, ...]:
    if "services" not in p or p["services"] in (None, [], ""):
        c.error(
            p.valmarks.get("services", p.start),
            "'services' is required: list at least one service type (see 'referral taxonomy')",
            "required",
        )
        return ()
    words = service_words(c.tax)
    out = []
    keys = choices_of(PROVIDER["services"], c.tax)
    for item, pos in c.text_list(p, "services"):
        if item in keys:
            out.append(item)
            continue
        hint = words.get(item.lower())
        if hint:
            c.error(pos, f"unknown service type '{item}'; use its key '{hint}'", "taxonomy")
        else:
            c.error(
                pos,
                f"unknown service type '{item}'{did_you_mean(item, words)}"
                " (see 'referral taxonomy')",
                "taxonomy",
            )
    return tuple(out)


def check_areas(c: FieldChecker, p: MarkedDict, services: tuple[str, ...]) -> tuple[str, ...]:
    if "areas" not in p:
        return c.tax.areas_of(services)
    keys = choices_of(PROVIDER["areas"], c.tax)
    areas = c.enum_list(p, "areas", keys, "", "area")
    return tuple(a for a in keys if a in areas)


def check_eligibility(c: FieldChecker, p: MarkedDict) -> Eligibility:
    e = c.mapping(p, "eligibility", ELIGIBILITY.keys)
    if e is None:
        return Eligibility()
    where = "eligibility."
    low = high = None
    low_age, high_age = ELIGIBILITY["ages"].minimum or 0, ELIGIBILITY["ages"].maximum or 0
    if "ages" in e and e["ages"] is not None:
        ages = e["ages"]
        pos = e.valmarks["ages"]
        if not isinstance(ages, MarkedList) or len(ages) != 2:
            c.error(pos, "'eligibility.ages' must be [min, max]; use null for an open end", "type")
        else:
            bounds: list[int | None] = []
            for item, ipos in zip(ages, ages.itemmarks, strict=True):
                if item is None:
                    bounds.append(None)
                elif not is_whole(item):
                    c.error(
                        ipos,
                        f"an age must be a whole number or null, not {type_name(item)}",
                        "type",
                    )
                    bounds.append(None)
                elif not low_age <= item <= high_age:
                    c.error(ipos, f"age {item} is out of range ({low_age:g}-{high_age:g})", "range")
                    bounds.append(None)
                else:
                    bounds.append(int(item))
            low, high = bounds
            if low is not None and high is not None and low > high:
                c.error(
                    pos,
                    f"ages are out of order: {low} is above {high}; write [{high}, {low}]",
                    "range",
                )
                low = high = None
    genders = c.enum_list(e, "genders", choices_of(ELIGIBILITY["genders"], c.tax), where, "gender")
    trafficking = c.enum_list(
        e, "trafficking", choices_of(ELIGIBILITY["trafficking"], c.tax), where, "trafficking type"
    )
    known_pops = choices_of(ELIGIBILITY["populations"], c.tax)
    populations = []
    for item, pos in c.text_list(e, "populations", where):
        if not compiled(ELIGIBILITY["populations"].pattern or "").match(item):
            c.error(pos, f"population '{item}' must be a lowercase slug such as 'lgbtq'", "enum")
            continue
        if known_pops and item not in known_pops:
            c.warning(
                pos,
                f"population '{item}' is not in the taxonomy{did_you_mean(item, known_pops)};"
                " search will not recognise it",
                "taxonomy",
            )
        populations.append(item)
    notes = c.text(e, "notes", where)
    children = check_children(c, e)
    boys, girls = (check_child_age(c, e, key) for key in ("boys_max_age", "girls_max_age"))
    given = {
        "ages": (low, high) != (None, None),
        "genders": genders,
        "trafficking": trafficking,
        "children": children is not None,
        "boys_max_age": boys is not None,
        "girls_max_age": girls is not None,
    }
    unstated = c.enum_list(e, "unstated", UNSTATED_DIMENSIONS, where, "dimension")
    given["unstated"] = bool(unstated)
    stated = check_stated(c, e, any(given[key] for key in UNSTATED_WITHOUT))
    residents = check_residents_of(c, e, where)
    for dimension in unstated:
        said = given[dimension] or (
            dimension == "children" and (given["boys_max_age"] or given["girls_max_age"])
        )
        if said:
            c.error(
                e.valmarks["unstated"],
                f"'eligibility.unstated' lists {dimension!r}, which the eligibility states;"
                " remove one",
                "eligibility",
            )
    return Eligibility(
        low, high, genders, trafficking, tuple(populations), notes, stated, children, boys, girls,
        residents, unstated,
    )  # fmt: skip


def check_residents_of(c: FieldChecker, e: MarkedDict, where: str) -> tuple[str, ...]:
    """``eligibility.residents_of``: places the gazetteer knows as a town, county,
    state or ZIP code; one it does not know is an error, for search could never tell
    whether a person lives there."""
    out = []
    for item, pos in c.text_list(e, "residents_of", where):
        if area_place(item) is None:
            c.error(
                pos,
                f"'eligibility.residents_of' place {item!r} is not a town, county, state or ZIP"
                " code the gazetteer knows; write it with its state ('Montgomery County, MD')",
                "place",
            )
            continue
        out.append(item)
    return tuple(out)


def check_children(c: FieldChecker, e: MarkedDict) -> bool | None:
    """``eligibility.children``: whether a parent's accompanying children are taken."""
    if "children" not in e:
        return None
    value = e["children"]
    if not isinstance(value, bool):
        c.error(
            e.valmarks["children"],
            f"'eligibility.children' must be true (families only) or false (no children),"
            f" not {type_name(value)}",
            "type",
        )
        return None
    return value


def check_child_age(c: FieldChecker, e: MarkedDict, key: str) -> int | None:
    """``eligibility.boys_max_age``/``girls_max_age``: the oldest accompanying child
    of that gender taken; an age no child has, or children turned away, is an error."""
    value = e.get(key)
    if value is None:
        return None
    top = ELIGIBILITY[key].maximum or 0
    if not is_whole(value) or not 0 <= value <= top:
        c.error(
            e.valmarks[key],
            f"'eligibility.{key}' must be a whole number 0-{top:g}, not {value!r}",
            "range" if is_whole(value) else "type",
        )
        return None
    if e.get("children") is False:
        c.error(
            e.valmarks[key],
            f"'eligibility.{key}' with 'children: false': no child comes along; remove one",
            "eligibility",
        )
    return int(value)


def check_stated(c: FieldChecker, e: MarkedDict, restricted: bool) -> bool:
    """``eligibility.stated``: absent or true, the provider said who it serves;
    false, nobody knows yet (a warning: search can exclude no one by it)."""
    if "stated" not in e:
        return True
    value, pos = e["stated"], e.valmarks["stated"]
    if not isinstance(value, bool):
        c.error(pos, f"'eligibility.stated' must be true or false, not {type_name(value)}", "type")
        return False  # in doubt, never "serves everyone"
    if not value and restricted:
        c.error(
            pos,
            "'eligibility.stated: false' with ages, genders, trafficking types or children: remove"
            " 'stated' if the provider stated them, or the restrictions if it did not",
            "eligibility",
        )
    elif not value:
        c.warning(
            pos,
            "eligibility not stated: no one is excluded by it and results say 'call to check';"
            " call the provider and write who it serves",
            "eligibility-unknown",
        )
    return bool(value)


def check_languages(c: FieldChecker, p: MarkedDict) -> tuple[str, ...]:
    out: list[str] = []
    for item, pos in c.text_list(p, "languages"):
        tag = languages.normalize(item)
        meant = languages.common_meaning(item)
        if tag is not None and meant is not None and languages.primary(tag) != meant:
            c.error(
                pos,
                f"'{item}' is ambiguous: the code of {languages.name(tag)}, and a name of"
                f" {languages.name(meant)}; write '{meant}' or '{tag}'",
                "language",
            )
            continue
        if tag is not None:
            if item != tag:
                c.warning(
                    pos,
                    f"write language '{item}' as '{tag}' ({languages.name(tag)}), its shortest"
                    " standard form",
                    "style",
                )
            if tag not in out:
                out.append(tag)
            continue
        named = languages.by_name(item)
        if named:
            c.error(
                pos,
                f"'{item}' is a language name; use its code '{named}' ({languages.name(named)})",
                "language",
            )
        else:
            c.error(
                pos,
                f"unknown language code '{item}'{languages.suggestion(item)} ({languages.TAG_HINT})",
                "language",
            )
    return tuple(out)


def check_contact(c: FieldChecker, p: MarkedDict) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key in CONTACT_KEYS:
        value = c.text(p, key)
        out[key] = value
        field = PROVIDER[key]
        if value is not None and not compiled(field.pattern or "").match(value):
            shown = "" if c.secret else f" {value!r}"
            c.error(p.valmarks[key], f"'{key}'{shown} is not {field.shape}", "format")
    return out


def check_dialable(
    c: FieldChecker, p: MarkedDict, contact: dict[str, str | None], country: str | None
) -> None:
    """A phone of the right shape that no one could dial (a digit missing, no area
    code, a number in no plan) is an error: a volunteer would read it out to a caller."""
    for key in PHONE_KEYS:
        value = contact.get(key)
        shaped = value and compiled(PROVIDER[key].pattern or "").match(value)
        if shaped and value and not phones.dialable(value, country):
            shown = "" if c.secret else f" {value!r}"
            where = f" in {country}" if country else ""
            c.error(
                p.valmarks[key],
                f"'{key}'{shown} cannot be dialled{where}: check the digits, and write"
                " the area code (or +country code)",
                "format",
            )


def check_hours(c: FieldChecker, p: MarkedDict) -> str | dict[str, str] | None:
    if "hours" not in p or p["hours"] is None:
        return None
    value = p["hours"]
    if isinstance(value, str):
        return value.strip()
    if not isinstance(value, MarkedDict):
        c.error(
            p.valmarks["hours"],
            "'hours' must be text such as \"24/7\" or a mapping of days",
            "type",
        )
        return None
    out: dict[str, str] = {}
    for key, spec in value.items():
        if hours.parse_days(key) is None:
            c.error(
                value.keymarks[key],
                f"unknown day '{key}'; use mon..sun, a range such as mon-fri, or a list such as sat,sun",
                "hours",
            )
            continue
        if not isinstance(spec, str):
            c.error(
                value.valmarks[key],
                f"hours for '{key}' must be text such as \"09:00-17:00\"",
                "type",
            )
            continue
        spec = spec.strip()
        if hours.parse_ranges(spec) is None:
            c.error(
                value.valmarks[key],
                f"hours {spec!r} for '{key}' must be HH:MM-HH:MM (24:00 may end a range; a range past midnight ends the next day; several separated by commas) or closed",
                "hours",
            )
            continue
        out[key] = spec
    return out


def check_timezone(c: FieldChecker, p: MarkedDict) -> str | None:
    tz = c.text(p, "timezone")
    if tz is None:
        return None
    if not valid_timezone(tz):
        c.error(
            p.valmarks["timezone"],
            f"unknown time zone '{tz}'; use an IANA name such as America/Los_Angeles",
            "timezone",
        )
        return None
    return tz


@functools.cache
def valid_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def check_address(c: FieldChecker, p: MarkedDict) -> Address | None:
    a = c.mapping(p, "address", ADDRESS.keys)
    if a is None:
        return None
    values = {k: c.text(a, k, "address.") for k in ADDRESS.keys}
    country, region = values["country"], values["region"]
    if country and not compiled(ADDRESS["country"].pattern or "").match(country):
        c.error(
            a.valmarks["country"],
            f"country '{country}' must be {ADDRESS['country'].shape}",
            "format",
        )
    elif country:
        problem = addresses.country_problem(country)
        if problem:
            c.error(a.valmarks["country"], problem, "place")
        elif region and addresses.region_code(region, country) is None:
            # A warning: the provider keeps its place by its point, city or postal code.
            code = region if region.startswith(f"{country}-") else f"{country}-{region}"
            c.warning(a.valmarks["region"], addresses.region_problem(code, region) or "", "place")
    return Address(**values)


def check_location(c: FieldChecker, p: MarkedDict) -> tuple[float | None, float | None]:
    loc = c.mapping(p, "location", LOCATION.keys)
    if loc is None:
        return None, None
    lat = c.number(loc, LOCATION["lat"], "location.")
    lon = c.number(loc, LOCATION["lon"], "location.")
    for key in LOCATION.required:
        if loc.get(key) is None:  # absent, or null
            c.error(loc.start, f"'location.{key}' is required", "required")
    if lat is None or lon is None:
        return None, None
    return lat, lon


def _place_codes(
    c: FieldChecker,
    sa: MarkedDict,
    field: Field,
    noun: str,
    problem_of: Callable[[str], str | None],
) -> list[str]:
    """The codes of a list of places: of the field's shape, and known to the gazetteer."""
    out = []
    for item, pos in c.text_list(sa, field.key, "service_area."):
        if not compiled(field.pattern or "").match(item):
            c.error(pos, f"{noun} '{item}' must be {field.shape}", "format")
        elif problem := problem_of(item):
            c.error(pos, problem, "place")
        else:
            out.append(item)
    return out


def check_service_area(c: FieldChecker, p: MarkedDict) -> ServiceArea | None:
    sa = c.mapping(p, "service_area", SERVICE_AREA.keys)
    if sa is None:
        return None
    radius = c.number(sa, SERVICE_AREA["radius_km"], "service_area.")
    regions = _place_codes(c, sa, SERVICE_AREA["regions"], "region", addresses.region_problem)
    countries = _place_codes(c, sa, SERVICE_AREA["countries"], "country", addresses.country_problem)
    remote = sa.get("remote", False)
    if not isinstance(remote, bool):
        c.error(sa.valmarks["remote"], "'service_area.remote' must be true or false", "type")
        remote = False
    return ServiceArea(radius, tuple(regions), tuple(countries), remote)


def check_capacity(c: FieldChecker, p: MarkedDict) -> dict[str, Any] | None:
    cap = p.get("capacity")
    if cap is None:
        return None
    if not isinstance(cap, MarkedDict):
        c.error(p.valmarks["capacity"], "'capacity' must be a mapping such as {beds: 8}", "type")
        return None
    for key, value in cap.items():
        if not is_whole(value) or value < 0:
            c.error(
                cap.valmarks[key], f"'capacity.{key}' must be a whole number of 0 or more", "type"
            )
    return {k: int(v) if is_whole(v) else v for k, v in cap.items()}


def check_confidential(c: FieldChecker, p: MarkedDict) -> bool:
    """``confidential`` written as anything but ``true`` or ``false`` (empty, ``~``,
    ``"yes"``) is an error, and the provider is taken as confidential: when in
    doubt about confidentiality, protect the address. The one error that does not
    leave the provider out (:data:`referral_cli.errors.SERVED_DESPITE`): it is served, as confidential."""
    if "confidential" not in p:
        return False
    value = p["confidential"]
    if isinstance(value, bool):
        return value
    what = "empty" if value is None else type_name(value)
    c.error(
        p.valmarks["confidential"],
        f"'confidential' must be true or false, not {what}; served as confidential until then",
        "confidential-unknown",
    )
    return True


def check_date(c: FieldChecker, p: MarkedDict, key: str) -> dt.date | None:
    value = p.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and DATE_RE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    c.error(p.valmarks[key], f"'{key}' must be a date written YYYY-MM-DD", "type")
    return None
