"""Providers as tuples of plain values, and back.

The index stores providers, and parallel parsing hands them between processes,
with :mod:`marshal`: it loads plain values (str, int, float, bool, None, tuples,
dicts) many times faster than pickled objects and can never construct an
arbitrary object from a tampered file. This module is the one place that knows
that layout; a value is a tuple in :data:`referral_cli.records.model.FIELDS` order with
each nested record flattened to a tuple.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from referral_cli.records.model import (
    Address,
    Availability,
    Eligibility,
    Provider,
    ServiceArea,
    Source,
    Status,
)

Values = tuple[Any, ...]
_Record = TypeVar("_Record", Eligibility, ServiceArea)

# The kinds of shared value the index keys (:mod:`referral_cli.index.filing`).
ELIGIBILITY, LANGUAGES, HOURS, SERVICE_AREA = "e", "l", "h", "a"

_EVERYONE = Eligibility()
_NONE = type(None)
# Nested records are immutable and few distinct ones exist (most providers share
# their eligibility and service area with others): each is built once per value.
# Only values with the types validation gives are remembered (ages int, radius
# float, remote bool), so that equal values of other types (50 and 50.0) are
# never taken for one another.
_ELIGIBILITIES: dict[Values, Eligibility] = {}
_SERVICE_AREAS: dict[Values, ServiceArea] = {}


def encode(p: Provider) -> Values:
    """``p`` as plain values."""
    e = p.eligibility
    sa = p.service_area
    a = p.address
    s = p.source
    return (
        p.id,
        p.name,
        p.services,
        p.areas,
        (s.path, s.line, s.col),
        p.organization,
        p.description,
        None
        if e == _EVERYONE
        else (e.min_age, e.max_age, e.genders, e.trafficking, e.populations, e.notes, e.stated),
        p.languages,
        p.phone,
        p.hotline,
        p.email,
        p.website,
        p.hours,
        p.timezone,
        None if a is None else (a.street, a.city, a.county, a.region, a.postal_code, a.country),
        p.lat,
        p.lon,
        p.confidential,
        None if sa is None else (sa.radius_km, sa.regions, sa.countries, sa.remote),
        p.intake,
        p.cost,
        p.capacity,
        _availability(p.availability),
        _status(p.status),
        None if p.last_verified is None else p.last_verified.isoformat(),
        p.verified_by,
        p.keywords,
        p.translations,
        p.placed,
    )


def decode(v: Values) -> Provider:
    """The provider that :func:`encode` made ``v`` from."""
    e = v[7]
    sa = v[19]
    a = v[15]
    d = v[25]
    return Provider(
        v[0],
        v[1],
        v[2],
        v[3],
        Source(*v[4]),
        v[5],
        v[6],
        _EVERYONE if e is None else _eligibility(e),
        v[8],
        v[9],
        v[10],
        v[11],
        v[12],
        v[13],
        v[14],
        None if a is None else Address(*a),
        v[16],
        v[17],
        v[18],
        None if sa is None else _service_area(sa),
        v[20],
        v[21],
        v[22],
        None if v[23] is None else _decode_availability(v[23]),
        None if v[24] is None else _decode_status(v[24]),
        None if d is None else dt.date.fromisoformat(d),
        v[26],
        v[27],
        v[28],
        v[29],
    )


def _availability(a: Availability | None) -> Values | None:
    if a is None:
        return None
    return (a.as_of.isoformat(), a.beds_available, a.waitlist, a.maximum)


def _decode_availability(a: Values) -> Availability:
    return Availability(dt.datetime.fromisoformat(a[0]), *a[1:])


def _status(s: Status | None) -> Values | None:
    if s is None:
        return None
    return (s.state, None if s.until is None else s.until.isoformat(), s.reason)


def _decode_status(s: Values) -> Status:
    return Status(s[0], None if s[1] is None else dt.date.fromisoformat(s[1]), s[2])


def shared(v: Values) -> tuple[tuple[str, Any], ...]:
    """The values of an encoded provider most providers share with others, by kind:
    its eligibility (without its notes, which no search reads), languages, hours
    with time zone, and service area (keyed by the index: :mod:`referral_cli.index.filing`)."""
    e = v[7]
    return (
        (ELIGIBILITY, None if e is None else (*e[:5], None, e[6])),
        (LANGUAGES, v[8]),
        (HOURS, (v[13], v[14])),
        (SERVICE_AREA, v[19]),
    )


def eligibility(e: Values | None) -> Eligibility:
    """The eligibility that :func:`encode` wrote as ``e``."""
    return _EVERYONE if e is None else _eligibility(e)


def service_area(sa: Values | None) -> ServiceArea | None:
    """The service area that :func:`encode` wrote as ``sa``."""
    return None if sa is None else _service_area(sa)


def _eligibility(e: Values) -> Eligibility:
    if type(e[0]) not in (int, _NONE) or type(e[1]) not in (int, _NONE):
        return Eligibility(*e)
    return _remembered(_ELIGIBILITIES, e, Eligibility)


def _service_area(sa: Values) -> ServiceArea:
    if type(sa[0]) not in (float, _NONE) or type(sa[3]) is not bool:
        return ServiceArea(*sa)
    return _remembered(_SERVICE_AREAS, sa, ServiceArea)


def _remembered(memo: dict[Values, _Record], key: Values, make: Callable[..., _Record]) -> _Record:
    try:
        return memo[key]
    except KeyError:
        found = memo[key] = make(*key)
        return found
    except TypeError:  # a value holding a list is built each time
        return make(*key)
