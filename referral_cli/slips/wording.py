"""Provider fields in the plain words of a slip's language.

Confidential providers: only :meth:`Provider.public_address` is read, so the
street, postal code and coordinates of a confidential provider cannot appear.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from referral_cli.output import clean
from referral_cli.records import hours as opening_hours
from referral_cli.records import tonight
from referral_cli.records.describe import age_group, children_ages_words
from referral_cli.taxonomy import load

if TYPE_CHECKING:
    from referral_cli.records.model import Eligibility, Provider


def date_text(day: dt.date, lab: dict[str, Any]) -> str:
    month = lab["months"][day.month - 1]
    return str(lab["date_format"]).format(day=day.day, month=month, year=day.year)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def who_it_serves(e: Eligibility, lab: dict[str, Any], discreet: bool) -> str:
    """Who a provider serves, in the slip's language; trafficking types only for
    agencies; where they must live, whether or not the rest is known."""
    text = _people_words(e, lab, discreet)
    if e.residents_of:
        text += "; " + str(lab["residents_of"]).format(places=", ".join(e.residents_of))
    return text


def _people_words(e: Eligibility, lab: dict[str, Any], discreet: bool) -> str:
    if not e.stated:
        return str(lab["eligibility_unknown"])
    if e.is_open_to_all and not e.populations:
        return str(lab["everyone"])
    parts = []
    if e.genders:
        group = age_group(e)
        words = [
            lab["gender_ages_unstated"][g] if group == 3 else lab["genders"][g][group]
            for g in e.genders
            if g in lab["genders"]
        ]
        parts.append(f" {lab['and']} ".join(words))
    if e.min_age is not None and e.max_age is not None:
        parts.append(str(lab["ages_range"]).format(min=e.min_age, max=e.max_age))
    elif e.max_age is not None:
        parts.append(str(lab["ages_up_to"]).format(max=e.max_age))
    elif e.min_age is not None:
        parts.append(str(lab["ages_from"]).format(min=e.min_age))
    parts = [p for p in parts if p]
    if e.children is not None:
        parts.append(str(lab["children"][int(e.children)]))
    parts += children_ages_words(e, *map(str, lab["children_up_to"]))
    text = ", ".join(parts) if parts else str(lab["everyone"])
    if e.unstated:
        unknown = [str(lab["unstated"][d]) for d in e.unstated]
        text = (f"{text} (" if parts else "") + ", ".join(unknown) + (")" if parts else "")
    if e.trafficking and not discreet:
        kinds = [lab["trafficking"].get(t, t) for t in e.trafficking]
        text += " (" + f" {lab['and']} ".join(kinds) + ")"
    if e.populations:
        groups = [lab["populations"].get(p, p.replace("-", " ")) for p in e.populations]
        text += f"; {lab['especially']} " + ", ".join(groups)
    return _cap(text)


def services_words(services: tuple[str, ...], lab: dict[str, Any], discreet: bool) -> str:
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


def tonight_words(
    p: Provider, lab: dict[str, Any], at: dt.datetime, report_hours: float
) -> str | None:
    """Why it takes no referrals now, or its free beds as reported while the report
    is fresh (an old report says nothing a person can rely on later)."""
    s = p.status
    if s is not None and not s.refers:
        if s.state != "closed":
            return str(lab["no_referrals"])
        if s.until is None:
            return str(lab["closed"])
        return str(lab["closed_until"]).format(date=date_text(s.until, lab))
    a = p.availability
    if a is None or a.beds_available is None or not tonight.is_fresh(a.as_of, at, report_hours):
        return None
    local = a.as_of.astimezone(tonight.zone_of(p, a.as_of))
    return str(lab["beds_free" if a.beds_available else "beds_full"]).format(
        count=a.beds_available, date=date_text(local.date(), lab), time=local.strftime("%H:%M")
    )
