"""Checks for maintainers, and the only way raw YAML becomes :class:`Provider` records.

:func:`check_document` checks one parsed file and builds the providers that
passed, with the per-field checks of :mod:`referral_cli.format.field_checks` (derived
from the format, :mod:`referral_cli.format.definition`) and the rules across fields;
:func:`check_directory` (:mod:`referral_cli.format.directory_checks`) adds the checks
that need every file at once (unique ids, probable duplicates, staleness).
Every finding is a :class:`Diagnostic` that names ``path:line:col``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from referral_cli.errors import SERVED_DESPITE, Diagnostic
from referral_cli.format.definition import (
    APPROXIMATE_LOCATION_KEY,
    CONFIDENTIAL_REACHED_BY,
    DOCUMENT,
    EMAIL_RE,
    ID_RE,
    PHONE_RE,
    PLACED_PRECISIONS,
    PROVIDER,
    URL_RE,
)
from referral_cli.format.directory_checks import (
    DEFAULT_STALE_DAYS,
    DUPLICATE_CANDIDATES,
    DUPLICATE_NAME_CHARS,
    check_directory,
)
from referral_cli.format.field_checks import (
    FREE_TEXT_KEYS,
    FieldChecker,
    check_address,
    check_areas,
    check_capacity,
    check_confidential,
    check_contact,
    check_date,
    check_dialable,
    check_eligibility,
    check_hours,
    check_languages,
    check_location,
    check_service_area,
    check_services,
    check_timezone,
    type_name,
)
from referral_cli.format.status_checks import check_availability, check_status
from referral_cli.geo import addresses
from referral_cli.reading.nodes import MarkedDict, MarkedList
from referral_cli.records.model import Provider, Source
from referral_cli.records.translations import check as check_translations
from referral_cli.taxonomy import Taxonomy

# The entry points, and the format's patterns that the HSDS importer reads from here.
__all__ = [
    "DEFAULT_STALE_DAYS",
    "DUPLICATE_CANDIDATES",
    "DUPLICATE_NAME_CHARS",
    "EMAIL_RE",
    "ID_RE",
    "PHONE_RE",
    "URL_RE",
    "check_directory",
    "check_document",
]


def _check_provider(c: FieldChecker, p: Any, pos: tuple[int, int]) -> Provider | None:
    if not isinstance(p, MarkedDict):
        c.error(pos, f"a provider must be a mapping of keys, not {type_name(p)}", "type")
        return None
    # written, and anything but false, protects (check_confidential)
    c.secret = "confidential" in p and p["confidential"] is not False
    first = len(c.diagnostics)  # this provider's findings start here
    c.unknown_keys(p, PROVIDER.keys, "")
    pid = c.text(p, "id", required=True)
    if pid is None and isinstance(p.get("id"), str | int):  # an id written, if not as text
        written_id = str(p["id"]).strip()
    else:
        written_id = pid or ""
    if pid is not None and not ID_RE.match(pid):
        slug = re.sub(r"[^a-z0-9]+", "-", pid.lower()).strip("-")
        c.error(p.valmarks["id"], f"id '{pid}' must be a lowercase slug such as '{slug}'", "id")
    name = c.text(p, "name", required=True)
    services = check_services(c, p)
    areas = check_areas(c, p, services)
    eligibility = check_eligibility(c, p)
    languages = check_languages(c, p)
    contact = check_contact(c, p)
    hours = check_hours(c, p)
    timezone = check_timezone(c, p)
    address = check_address(c, p)
    check_dialable(c, p, contact, address.country if address else None)
    lat, lon = check_location(c, p)
    confidential = check_confidential(c, p)
    service_area = check_service_area(c, p)
    capacity = check_capacity(c, p)
    availability = check_availability(c, p)
    status = check_status(c, p)
    last_verified = check_date(c, p, "last_verified")
    keywords = tuple(k for k, _ in c.text_list(p, "keywords"))
    texts = {k: c.text(p, k) for k in FREE_TEXT_KEYS}
    translations = check_translations(c, p, c.tax.languages)
    if confidential and not any(contact[key] for key in CONFIDENTIAL_REACHED_BY):
        c.error(
            p.keymarks.get("confidential", p.start),
            "a confidential provider must have a 'phone' or 'hotline': it is the only way to reach it",
            "confidential",
        )
    placed = None
    approximate = p.get(APPROXIMATE_LOCATION_KEY)  # "postal code 33130": a point only approximate
    if lat is not None and isinstance(approximate, str):
        precision = next((w for w in PLACED_PRECISIONS if approximate.startswith(w)), None)
        if precision and confidential:
            lat = lon = (
                None  # placed again below, never by its postal code (as private as its street)
            )
        elif precision:
            placed = (precision, approximate.removeprefix(precision).strip() or approximate)
    if lat is None and address is not None:
        found = addresses.place_of(address, confidential=confidential)
        if found is not None:
            lat, lon, placed = found.lat, found.lon, (found.precision, found.label)
    reaches = service_area and (
        service_area.remote or service_area.regions or service_area.countries
    )
    # A 'location' written wrong has its own error; the warning is for none at all.
    if lat is None and not reaches and p.get("location") is None:
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
    failed = any(
        d.severity == "error" and d.code not in SERVED_DESPITE for d in c.diagnostics[first:]
    )
    if failed or pid is None or name is None:
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
        availability=availability,
        status=status,
        last_verified=last_verified,
        verified_by=contact["verified_by"],
        keywords=keywords,
        translations=translations,
        placed=placed,
        **texts,
    )


def check_document(doc: Any, path: str, tax: Taxonomy) -> tuple[list[Provider], list[Diagnostic]]:
    """Check one parsed file; return the providers without errors and all findings."""
    c = FieldChecker(path, tax)
    if doc is None:
        c.warning((1, 1), "file is empty; it adds no providers", "empty")
        return [], c.diagnostics
    if not isinstance(doc, MarkedDict):
        c.error((1, 1), "the file must be a mapping with a 'providers:' list", "type")
        return [], c.diagnostics
    if "providers" not in doc:
        # Not a directory file (a link to /etc/shadow, a stray config): its keys
        # are its content, never repeated in a message.
        c.error(doc.start, "missing 'providers:' list: this is not a directory file", "required")
        return [], c.diagnostics
    c.unknown_keys(doc, DOCUMENT.keys, "")
    plist = doc.get("providers")
    if not isinstance(plist, MarkedList):
        pos = doc.valmarks.get("providers", doc.start)
        if plist is not None:
            c.error(pos, f"'providers' must be a list, not {type_name(plist)}", "type")
        return [], c.diagnostics
    providers = []
    for raw, pos in zip(plist, plist.itemmarks, strict=True):
        provider = _check_provider(c, raw, pos)
        if provider is not None:
            providers.append(provider)
    return providers, c.diagnostics
