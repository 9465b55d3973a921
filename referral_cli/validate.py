"""Checks for maintainers, and the only way raw YAML becomes :class:`Provider` records.

:func:`check_document` checks one parsed file and builds the providers that
passed; :func:`check_directory` adds the checks that need every file at once
(unique ids, probable duplicates, staleness). Every finding is a
:class:`Diagnostic` that names ``path:line:col``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from referral_cli import addresses, hours, languages
from referral_cli.errors import Diagnostic
from referral_cli.model import (
    GENDERS,
    TRAFFICKING_TYPES,
    Address,
    Eligibility,
    Provider,
    ServiceArea,
    Source,
)
from referral_cli.suggest import did_you_mean
from referral_cli.taxonomy import Taxonomy
from referral_cli.translations import check as check_translations
from referral_cli.yamldoc import MarkedDict, MarkedList

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHONE_RE = re.compile(r"^\+?[0-9(][0-9 ().\-/]*[0-9](?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::[0-9]+)?(?:[/?#]\S*)?$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
SUBDIVISION_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")

PROVIDER_KEYS = (
    "id",
    "name",
    "organization",
    "description",
    "services",
    "areas",
    "eligibility",
    "languages",
    "phone",
    "hotline",
    "email",
    "website",
    "hours",
    "timezone",
    "address",
    "location",
    "confidential",
    "service_area",
    "intake",
    "cost",
    "capacity",
    "last_verified",
    "keywords",
    "translations",
)
ELIGIBILITY_KEYS = ("ages", "genders", "trafficking", "populations", "notes", "stated")
ADDRESS_KEYS = ("street", "city", "county", "region", "postal_code", "country")
SERVICE_AREA_KEYS = ("radius_km", "regions", "countries", "remote")
DEFAULT_STALE_DAYS = 365
DUPLICATE_NAME_SCORE = 90.0
DUPLICATE_DISTANCE_KM = 1.0
# Bounds that keep the duplicate check linear in the size of the directory, so a
# hostile pull request (a megabyte-long name, thousands of providers on one
# point) cannot stall CI: names are compared by their first characters, and in a
# crowded neighbourhood each name only with its nearest in sorted order.
DUPLICATE_NAME_CHARS = 120
DUPLICATE_CANDIDATES = 64


def _type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        type(None): "nothing",
        dt.date: "a date",
    }.get(type(value), "a list" if isinstance(value, list) else "a mapping")


class _Checker:
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
            self.error(m.valmarks[key], f"'{label}' must be text, not {_type_name(value)}", "type")
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
                m.valmarks[key], f"'{where}{key}' must be a list, not {_type_name(value)}", "type"
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
                    pos, f"items of '{where}{key}' must be text, not {_type_name(item)}", "type"
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
                f"'{where}{key}' must be a mapping, not {_type_name(value)}",
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

    def number(self, m: MarkedDict, key: str, where: str, low: float, high: float) -> float | None:
        if key not in m or m[key] is None:
            return None
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(
                m.valmarks[key], f"'{where}{key}' must be a number, not {_type_name(value)}", "type"
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
def _service_words(tax: Taxonomy) -> dict[str, str]:
    """Every word for a service type (key, label, synonym) -> its key."""
    words: dict[str, str] = {}
    for st in tax.service_types.values():
        for w in (st.key, st.label.lower(), *st.synonyms):
            words.setdefault(w.lower(), st.key)
    return words


def _check_services(c: _Checker, p: MarkedDict) -> tuple[str, ...]:
    if "services" not in p or p["services"] in (None, [], ""):
        c.error(
            p.valmarks.get("services", p.start),
            "'services' is required: list at least one service type (see 'referral taxonomy')",
            "required",
        )
        return ()
    words = _service_words(c.tax)
    out = []
    for item, pos in c.text_list(p, "services"):
        if item in c.tax.service_types:
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


def _check_areas(c: _Checker, p: MarkedDict, services: tuple[str, ...]) -> tuple[str, ...]:
    if "areas" not in p:
        return c.tax.areas_of(services)
    keys = c.tax.area_keys
    areas = c.enum_list(p, "areas", keys, "", "area")
    return tuple(a for a in keys if a in areas)


def _check_eligibility(c: _Checker, p: MarkedDict) -> Eligibility:
    e = c.mapping(p, "eligibility", ELIGIBILITY_KEYS)
    if e is None:
        return Eligibility()
    where = "eligibility."
    low = high = None
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
                elif isinstance(item, bool) or not isinstance(item, int):
                    c.error(
                        ipos,
                        f"an age must be a whole number or null, not {_type_name(item)}",
                        "type",
                    )
                    bounds.append(None)
                elif not 0 <= item <= 130:
                    c.error(ipos, f"age {item} is out of range (0-130)", "range")
                    bounds.append(None)
                else:
                    bounds.append(item)
            low, high = bounds
            if low is not None and high is not None and low > high:
                c.error(
                    pos,
                    f"ages are out of order: {low} is above {high}; write [{high}, {low}]",
                    "range",
                )
                low = high = None
    genders = c.enum_list(e, "genders", GENDERS, where, "gender")
    trafficking = c.enum_list(e, "trafficking", TRAFFICKING_TYPES, where, "trafficking type")
    known_pops = sorted({pp.population for pp in c.tax.populations.values() if pp.population})
    populations = []
    for item, pos in c.text_list(e, "populations", where):
        if not ID_RE.match(item):
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
    stated = _check_stated(
        c, e, bool(low is not None or high is not None or genders or trafficking)
    )
    return Eligibility(low, high, genders, trafficking, tuple(populations), notes, stated)


def _check_stated(c: _Checker, e: MarkedDict, restricted: bool) -> bool:
    """``eligibility.stated``: absent or true, the provider said who it serves;
    false, nobody knows yet (a warning: search can exclude no one by it)."""
    if "stated" not in e:
        return True
    value, pos = e["stated"], e.valmarks["stated"]
    if not isinstance(value, bool):
        c.error(pos, f"'eligibility.stated' must be true or false, not {_type_name(value)}", "type")
        return False  # in doubt, never "serves everyone"
    if not value and restricted:
        c.error(
            pos,
            "'eligibility.stated: false' with ages, genders or trafficking types: remove"
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
    return value


def _check_languages(c: _Checker, p: MarkedDict) -> tuple[str, ...]:
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


def _check_contact(c: _Checker, p: MarkedDict) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    checks: dict[str, tuple[re.Pattern[str], str]] = {
        "phone": (PHONE_RE, 'a phone number such as "+1 559-555-0142"'),
        "hotline": (PHONE_RE, 'a phone number such as "+1 559-555-0142"'),
        "email": (EMAIL_RE, "an e-mail address such as intake@example.org"),
        "website": (URL_RE, "a web address starting with https://"),
    }
    for key, (pattern, shape) in checks.items():
        value = c.text(p, key)
        if value is None:
            out[key] = None
            continue
        ok = bool(pattern.match(value))
        if ok and key in ("phone", "hotline"):
            digits = sum(ch.isdigit() for ch in value.split("x")[0].split("ext")[0])
            ok = digits == 3 or 7 <= digits <= 15
        if not ok:
            shown = "" if c.secret else f" {value!r}"
            c.error(p.valmarks[key], f"'{key}'{shown} is not {shape}", "format")
        out[key] = value
    return out


def _check_hours(c: _Checker, p: MarkedDict) -> str | dict[str, str] | None:
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


def _check_timezone(c: _Checker, p: MarkedDict) -> str | None:
    tz = c.text(p, "timezone")
    if tz is None:
        return None
    if not _valid_timezone(tz):
        c.error(
            p.valmarks["timezone"],
            f"unknown time zone '{tz}'; use an IANA name such as America/Los_Angeles",
            "timezone",
        )
        return None
    return tz


@functools.cache
def _valid_timezone(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _check_address(c: _Checker, p: MarkedDict) -> Address | None:
    a = c.mapping(p, "address", ADDRESS_KEYS)
    if a is None:
        return None
    values = {k: c.text(a, k, "address.") for k in ADDRESS_KEYS}
    country, region = values["country"], values["region"]
    if country and not COUNTRY_RE.match(country):
        c.error(
            a.valmarks["country"],
            f"country '{country}' must be an ISO 3166-1 code such as US or MX",
            "format",
        )
    elif country:
        problem = addresses.country_problem(country)
        if problem:
            c.error(a.valmarks["country"], problem, "place")
        elif region and addresses.region_code(region, country) is None:
            code = region if region.startswith(f"{country}-") else f"{country}-{region}"
            c.error(a.valmarks["region"], addresses.region_problem(code, region) or "", "place")
    return Address(**values)


def _check_location(c: _Checker, p: MarkedDict) -> tuple[float | None, float | None]:
    loc = c.mapping(p, "location", ("lat", "lon"))
    if loc is None:
        return None, None
    lat = c.number(loc, "lat", "location.", -90, 90)
    lon = c.number(loc, "lon", "location.", -180, 180)
    for key in ("lat", "lon"):
        if key not in loc:
            c.error(loc.start, f"'location.{key}' is required", "required")
    if lat is None or lon is None:
        return None, None
    return lat, lon


def _check_service_area(c: _Checker, p: MarkedDict) -> ServiceArea | None:
    sa = c.mapping(p, "service_area", SERVICE_AREA_KEYS)
    if sa is None:
        return None
    radius = c.number(sa, "radius_km", "service_area.", 0, 20100)
    regions = []
    for item, pos in c.text_list(sa, "regions", "service_area."):
        if not SUBDIVISION_RE.match(item):
            c.error(pos, f"region '{item}' must be an ISO 3166-2 code such as US-CA", "format")
        elif problem := addresses.region_problem(item):
            c.error(pos, problem, "place")
        else:
            regions.append(item)
    countries = []
    for item, pos in c.text_list(sa, "countries", "service_area."):
        if not COUNTRY_RE.match(item):
            c.error(pos, f"country '{item}' must be an ISO 3166-1 code such as US", "format")
        elif problem := addresses.country_problem(item):
            c.error(pos, problem, "place")
        else:
            countries.append(item)
    remote = sa.get("remote", False)
    if not isinstance(remote, bool):
        c.error(sa.valmarks["remote"], "'service_area.remote' must be true or false", "type")
        remote = False
    return ServiceArea(radius, tuple(regions), tuple(countries), remote)


def _check_capacity(c: _Checker, p: MarkedDict) -> dict[str, Any] | None:
    cap = p.get("capacity")
    if cap is None:
        return None
    if not isinstance(cap, MarkedDict):
        c.error(p.valmarks["capacity"], "'capacity' must be a mapping such as {beds: 8}", "type")
        return None
    for key, value in cap.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            c.error(
                cap.valmarks[key], f"'capacity.{key}' must be a whole number of 0 or more", "type"
            )
    return dict(cap)


def _check_bool(c: _Checker, p: MarkedDict, key: str) -> bool:
    value = p.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        c.error(p.valmarks[key], f"'{key}' must be true or false, not {_type_name(value)}", "type")
        # When in doubt about confidentiality, protect the address.
        return key == "confidential"
    return value


def _check_date(c: _Checker, p: MarkedDict, key: str) -> dt.date | None:
    value = p.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    c.error(p.valmarks[key], f"'{key}' must be a date written YYYY-MM-DD", "type")
    return None


def _check_provider(c: _Checker, p: Any, pos: tuple[int, int]) -> Provider | None:
    if not isinstance(p, MarkedDict):
        c.error(pos, f"a provider must be a mapping of keys, not {_type_name(p)}", "type")
        return None
    flag = p.get("confidential")  # anything but false or nothing protects, as below
    c.secret = flag is not None and flag is not False
    first = len(c.diagnostics)
    before = sum(d.severity == "error" for d in c.diagnostics)
    c.unknown_keys(p, PROVIDER_KEYS, "")
    pid = c.text(p, "id", required=True)
    if pid is None and isinstance(p.get("id"), str | int):  # an id written, if not as text
        written_id = str(p["id"]).strip()
    else:
        written_id = pid or ""
    if pid is not None and not ID_RE.match(pid):
        slug = re.sub(r"[^a-z0-9]+", "-", pid.lower()).strip("-")
        c.error(p.valmarks["id"], f"id '{pid}' must be a lowercase slug such as '{slug}'", "id")
    name = c.text(p, "name", required=True)
    services = _check_services(c, p)
    areas = _check_areas(c, p, services)
    eligibility = _check_eligibility(c, p)
    languages = _check_languages(c, p)
    contact = _check_contact(c, p)
    hours = _check_hours(c, p)
    timezone = _check_timezone(c, p)
    address = _check_address(c, p)
    lat, lon = _check_location(c, p)
    confidential = _check_bool(c, p, "confidential")
    service_area = _check_service_area(c, p)
    capacity = _check_capacity(c, p)
    last_verified = _check_date(c, p, "last_verified")
    keywords = tuple(k for k, _ in c.text_list(p, "keywords"))
    texts = {k: c.text(p, k) for k in ("organization", "description", "intake", "cost")}
    translations = check_translations(c, p, c.tax.languages)
    if confidential and not (contact["phone"] or contact["hotline"]):
        c.error(
            p.keymarks.get("confidential", p.start),
            "a confidential provider must have a 'phone' or 'hotline': it is the only way to reach it",
            "confidential",
        )
    placed = None
    if lat is None and address is not None:
        found = addresses.place_of(
            postal_code=address.postal_code,
            city=address.city,
            county=address.county,
            region=address.region,
            country=address.country,
            confidential=confidential,
        )
        if found is not None:
            lat, lon, placed = found.lat, found.lon, (found.precision, found.label)
    reaches = service_area and (
        service_area.remote or service_area.regions or service_area.countries
    )
    if lat is None and not reaches:
        if address is None:
            why = "no 'location' or 'address'"
        elif confidential and address.postal_code:
            why = (
                "a confidential provider is never placed by its postal code (as private as"
                " its street), and its city and county are not places the gazetteer knows"
            )
        else:
            why = (
                "no part of the address (postal code, city, county) is a place the"
                " gazetteer knows, and there is no 'location'"
            )
        c.warning(
            p.valmarks["address"] if address is not None else p.start,
            f"{why}: nobody can find this provider by place",
            "location",
        )
    for i in range(first, len(c.diagnostics)):
        c.diagnostics[i] = dataclasses.replace(
            c.diagnostics[i], provider_line=pos[0], provider_id=written_id
        )
    if sum(d.severity == "error" for d in c.diagnostics) > before or pid is None or name is None:
        return None
    return Provider(
        id=pid,
        name=name,
        services=services,
        areas=areas,
        source=Source(c.path, pos[0], pos[1]),
        eligibility=eligibility,
        languages=languages,
        phone=contact["phone"],
        hotline=contact["hotline"],
        email=contact["email"],
        website=contact["website"],
        hours=hours,
        timezone=timezone,
        address=address,
        lat=lat,
        lon=lon,
        confidential=confidential,
        service_area=service_area,
        capacity=capacity,
        last_verified=last_verified,
        keywords=keywords,
        translations=translations,
        placed=placed,
        **texts,
    )


def check_document(doc: Any, path: str, tax: Taxonomy) -> tuple[list[Provider], list[Diagnostic]]:
    """Check one parsed file; return the providers without errors and all findings."""
    c = _Checker(path, tax)
    if doc is None:
        c.warning((1, 1), "file is empty; it adds no providers", "empty")
        return [], c.diagnostics
    if not isinstance(doc, MarkedDict):
        c.error((1, 1), "the file must be a mapping with a 'providers:' list", "type")
        return [], c.diagnostics
    c.unknown_keys(doc, ("providers",), "")
    plist = doc.get("providers")
    if not isinstance(plist, MarkedList):
        pos = doc.valmarks.get("providers", doc.start)
        if plist is None and "providers" not in doc:
            c.error(pos, "missing 'providers:' list", "required")
        elif plist is not None:
            c.error(pos, f"'providers' must be a list, not {_type_name(plist)}", "type")
        return [], c.diagnostics
    providers = []
    for raw, pos in zip(plist, plist.itemmarks, strict=True):
        provider = _check_provider(c, raw, pos)
        if provider is not None:
            providers.append(provider)
    return providers, c.diagnostics


def check_directory(
    providers: list[Provider],
    *,
    warnings: bool = True,
    today: dt.date | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> list[Diagnostic]:
    """Checks across all files: unique ids (an error), and with ``warnings`` the
    staleness and probable-duplicate checks that only ``validate`` reports."""
    out: list[Diagnostic] = []
    today = today or dt.date.today()

    def add(p: Provider, severity: str, message: str, code: str) -> None:
        src = p.source
        out.append(Diagnostic(src.path, src.line, src.col, severity, message, code, src.line, p.id))

    first: dict[str, Provider] = {}
    for p in providers:
        if p.id in first:
            add(
                p,
                "error",
                f"duplicate id '{p.id}' (first at {first[p.id].source}); ids must be unique",
                "duplicate-id",
            )
        else:
            first[p.id] = p
    if not warnings:
        return out
    for p in providers:
        if p.last_verified is not None:
            age = (today - p.last_verified).days
            if age > stale_days:
                add(
                    p,
                    "warning",
                    f"'{p.id}' was last verified {age} days ago ({p.last_verified}); call to confirm and update last_verified",
                    "stale",
                )
            elif age < -1:
                add(
                    p, "warning", f"last_verified {p.last_verified} is in the future", "future-date"
                )
        else:
            add(p, "warning", f"'{p.id}' has no last_verified date", "stale")
    _probable_duplicates(providers, add)
    return out


def _probable_duplicates(
    providers: list[Provider], add: Callable[[Provider, str, str, str], None]
) -> None:
    """Similar names less than a kilometre apart.

    Providers fall in grid cells of 0.01° (1.1 km of latitude); each is compared
    with the cells around it, as many across as a kilometre of longitude spans at
    that latitude. Names are cleaned and token-sorted once (what
    ``token_sort_ratio`` does on every call) and compared in one rapidfuzz call per
    provider; the distance is computed only for the few similar names. Both
    the names and the comparisons are bounded (:data:`DUPLICATE_NAME_CHARS`,
    :data:`DUPLICATE_CANDIDATES`).
    """
    from rapidfuzz import fuzz, process, utils

    from referral_cli.geo import KM_PER_DEGREE, distance_km

    cell = 0.01
    grid: dict[tuple[int, int], list[tuple[str, str, float, float, Provider]]] = defaultdict(list)
    for p in providers:
        lat, lon = p.lat, p.lon
        if lat is not None and lon is not None:
            name = utils.default_process(p.name[: 4 * DUPLICATE_NAME_CHARS])
            key = " ".join(sorted(name.split()))[:DUPLICATE_NAME_CHARS]
            grid[(int(lat // cell), int(lon // cell))].append((key, p.id, lat, lon, p))
    for (gy, gx), bucket in grid.items():
        # The widest latitude of the neighbourhood, where a kilometre spans most cells.
        edge = min(90.0, max(abs(gy - 1), abs(gy + 2)) * cell)
        km_per_cell = KM_PER_DEGREE * cell * max(math.cos(math.radians(edge)), 1e-3)
        span = math.ceil(1.01 * DUPLICATE_DISTANCE_KM / km_per_cell)
        near = [
            q
            for dy in (-1, 0, 1)
            for dx in range(-span, span + 1)
            for q in grid.get((gy + dy, gx + dx), ())
        ]
        # In a crowd, similar names sort close together: each is compared within
        # the same distance in sorted order either way (so every pair is seen twice).
        rank: dict[int, int] = {}
        if len(near) > 2 * DUPLICATE_CANDIDATES:
            near.sort(key=lambda q: q[0])
            rank = {id(q): r for r, q in enumerate(near)}
        keys = [q[0] for q in near]
        for item in bucket:
            key, pid, lat, lon, p = item
            at = rank.get(id(item))
            low = 0 if at is None else max(0, at - DUPLICATE_CANDIDATES)
            high = len(near) if at is None else at + DUPLICATE_CANDIDATES + 1
            for _, _, j in process.extract(
                key,
                keys[low:high],
                scorer=fuzz.ratio,
                score_cutoff=DUPLICATE_NAME_SCORE,
                limit=None,
            ):
                _, qid, qlat, qlon, q = near[low + j]
                if qid <= pid or distance_km(lat, lon, qlat, qlon) > DUPLICATE_DISTANCE_KM:
                    continue
                add(
                    q,
                    "warning",
                    f"'{qid}' may duplicate '{pid}' ({p.source}): similar name, under 1 km apart",
                    "duplicate",
                )
