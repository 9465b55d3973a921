"""Provider fields in plain words, shared by ``show``, ``find`` and slips."""

from __future__ import annotations

import datetime as dt
from typing import Any

from referral_cli.records import hours, tonight
from referral_cli.records.model import UNKNOWN_ELIGIBILITY_TEXT, Eligibility, Provider
from referral_cli.taxonomy import load

# Gender words by age group: (children only, adults only, any age, ages not stated).
_GENDER_WORDS = {
    "female": ("girls", "women", "women and girls", "females"),
    "male": ("boys", "men", "men and boys", "males"),
    "nonbinary": ("nonbinary young people", "nonbinary adults", "nonbinary people",
                  "nonbinary people"),
}  # fmt: skip
# What an eligibility leaves unknown, said (``Eligibility.unstated``)
UNSTATED_WORDS = {
    "ages": "ages not stated",
    "genders": "genders not stated",
    "children": "whether children may come not stated",
}


def age_group(e: Eligibility) -> int:
    """Which of a gender's words fits the ages: children only, adults only, any age, or
    ages not stated."""
    if "ages" in e.unstated:
        return 3
    return 0 if e.max_age is not None and e.max_age < 18 else 1 if (e.min_age or 0) >= 18 else 2


def ages_text(e: Eligibility) -> str | None:
    if e.min_age is None and e.max_age is None:
        return None
    if e.min_age is None:
        return f"up to age {e.max_age}"
    if e.max_age is None:
        return f"ages {e.min_age} and over"
    return f"ages {e.min_age}-{e.max_age}"


def who_it_serves(e: Eligibility) -> str:
    """ "Serves women and girls, ages 12-17 (sex trafficking)" style summary."""
    text = _people_served(e)
    if e.residents_of:
        text += "; " + RESIDENTS_OF.format(places=" or ".join(e.residents_of))
    return text


RESIDENTS_OF = "residents of {places} only"


def _people_served(e: Eligibility) -> str:
    if not e.stated:
        return UNKNOWN_ELIGIBILITY_TEXT[0].upper() + UNKNOWN_ELIGIBILITY_TEXT[1:]
    if e.is_open_to_all and not e.populations:
        return "Everyone"
    parts = []
    if e.genders:
        group = age_group(e)
        parts.append(" and ".join(_GENDER_WORDS[g][group] for g in e.genders if g in _GENDER_WORDS))
    ages = ages_text(e)
    if ages:
        parts.append(ages)
    if e.children is not None:
        parts.append(_CHILDREN_WORDS[e.children])
    parts += children_ages_words(e, *CHILDREN_UP_TO)
    text = ", ".join(parts) if parts else "people" if e.unstated else "Everyone"
    if e.unstated:
        text += " (" + ", ".join(UNSTATED_WORDS[d] for d in e.unstated) + ")"
    if e.trafficking:
        text += " (" + " and ".join(e.trafficking) + " trafficking)"
    if e.populations:
        text += "; especially " + ", ".join(p.replace("-", " ") for p in e.populations)
    return text[0].upper() + text[1:]


_CHILDREN_WORDS = {False: "no children", True: "parents or carers with children only"}
CHILDREN_UP_TO = ("with boys up to {max}", "with girls up to {max}", "with children up to {max}")


def children_ages_words(e: Eligibility, boys: str, girls: str, both: str) -> list[str]:
    """The oldest accompanying children taken, in a language's words for boys,
    girls and both up to an age ("{max}"): one limit for both said once."""
    if e.boys_max_age is not None and e.boys_max_age == e.girls_max_age:
        return [both.format(max=e.boys_max_age)]
    out = [] if e.boys_max_age is None else [boys.format(max=e.boys_max_age)]
    return out + ([] if e.girls_max_age is None else [girls.format(max=e.girls_max_age)])


def services_text(services: tuple[str, ...]) -> str:
    types = load().service_types
    return ", ".join(types[s].label if s in types else s for s in services)


def languages_text(codes: tuple[str, ...]) -> str:
    tax = load()
    return ", ".join(tax.language_name(c) for c in codes)


def place_text(p: Provider) -> str | None:
    address = p.public_address()
    return address.one_line() if address else None


def reach_text(p: Provider) -> str | None:
    """Where beyond its own site a provider serves, in words."""
    sa = p.service_area
    if sa is None:
        return None
    parts = []
    if sa.countries:
        parts.append("nationwide (" + ", ".join(sa.countries) + ")")
    if sa.regions:
        parts.append("statewide (" + ", ".join(sa.regions) + ")")
    if sa.radius_km is not None:
        parts.append(f"within {sa.radius_km:g} km")
    if sa.remote:
        parts.append("by phone or online")
    return "; ".join(parts) or None


def placed_text(p: Provider) -> str | None:
    """How a provider without a location was placed from its address, if it was."""
    if p.placed is None:
        return None
    precision, place = p.placed
    return f"approximately, at the middle of its {precision} ({place}): no location given"


def number_to_call(p: Provider) -> tuple[str | None, bool]:
    """The number a volunteer gives a caller now, and whether it is the 24/7 line:
    the 24/7 line when there is one (it answers at any hour, and a confidential
    shelter takes its intake there), else the phone. ``find``, ``call`` (its list
    and F5) and slips all give this one."""
    return (p.hotline, True) if p.hotline else (p.phone, False)


def fields(
    p: Provider, at: dt.datetime | None = None, report_hours: float = tonight.DEFAULT_REPORT_HOURS
) -> list[tuple[str, Any]]:
    """Label/value pairs of a provider for people, phone first (after a status that
    stops referrals); confidentiality applied; beds as reported, judged at ``at``."""
    address_note = "Address given when you call" if p.confidential else None
    at = at or tonight.now()
    verified = p.last_verified.isoformat() if p.last_verified else None
    if verified and p.verified_by:
        verified = f"{verified} by {p.verified_by}"
    rows: list[tuple[str, Any]] = [
        ("Status", tonight.status_text(p.status, at.date())),
        ("Phone", p.phone),
        ("24/7 line", p.hotline),
        ("Name", p.name),
        ("Organisation", p.organization),
        ("Offers", services_text(p.services)),
        ("Beds", tonight.availability_text(p, at, report_hours)),
        ("About", p.description),
        ("Serves", who_it_serves(p.eligibility)),
        ("Eligibility notes", p.eligibility.notes),
        ("Languages", languages_text(p.languages) if p.languages else None),
        ("Hours", hours.describe(p.hours)),
        ("Address", place_text(p)),
        ("", address_note),
        ("Placed", placed_text(p)),
        ("Reach", reach_text(p)),
        ("Intake", p.intake),
        ("Cost", p.cost),
        ("E-mail", p.email),
        ("Website", p.website),
        ("Last verified", verified),
        ("Id", p.id),
    ]
    return [(label, value) for label, value in rows if value]
