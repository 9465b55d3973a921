"""Providers as tuples of plain values, and back.

The index stores providers, and parallel parsing hands them between processes,
with :mod:`marshal`: it loads plain values (str, int, float, bool, None, tuples,
dicts) many times faster than pickled objects and can never construct an
arbitrary object from a tampered file. This module is the one place that knows
that layout; a value is a tuple in :data:`referral_cli.records.model.FIELDS` order with
each nested record flattened to a tuple of its fields in order. A field is found by
its name (:data:`AT`), never by a number written here: a new plain field of the model
is stored with no edit here; a record or a date is one entry of ``_CONVERTED``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

from referral_cli.records.model import (
    FIELDS,
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


def _record(fields_of: type) -> Callable[[Any], Values]:
    """The values of a nested record, in the order of its fields."""
    return attrgetter(*(f.name for f in fields(fields_of)))


_SOURCE, _ADDRESS, _SERVICE_AREA, _ELIGIBILITY = (
    _record(r) for r in (Source, Address, ServiceArea, Eligibility)
)


def _encode_eligibility(e: Eligibility) -> Values | None:
    return None if e == _EVERYONE else _ELIGIBILITY(e)


def _availability(a: Availability | None) -> Values | None:
    if a is None:
        return None
    return (a.as_of.isoformat(), a.beds_available, a.waitlist, a.maximum)


def _decode_availability(a: Values | None) -> Availability | None:
    return None if a is None else Availability(dt.datetime.fromisoformat(a[0]), *a[1:])


def _status(s: Status | None) -> Values | None:
    if s is None:
        return None
    return (s.state, None if s.until is None else s.until.isoformat(), s.reason)


def _decode_status(s: Values | None) -> Status | None:
    if s is None:
        return None
    return Status(s[0], None if s[1] is None else dt.date.fromisoformat(s[1]), s[2])


# The fields stored otherwise than as they are, by name: (to plain values, back).
# Every other field of :data:`FIELDS` is a plain value already and stored as is.
_CONVERTED: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "source": (_SOURCE, lambda s: Source(*s)),
    "eligibility": (_encode_eligibility, lambda e: eligibility(e)),
    "address": (
        lambda a: None if a is None else _ADDRESS(a),
        lambda a: None if a is None else Address(*a),
    ),
    "service_area": (
        lambda sa: None if sa is None else _SERVICE_AREA(sa),
        lambda sa: service_area(sa),
    ),
    "availability": (_availability, _decode_availability),
    "status": (_status, _decode_status),
    "last_verified": (
        lambda d: None if d is None else d.isoformat(),
        lambda d: None if d is None else dt.date.fromisoformat(d),
    ),
}
# Where each field is in a stored provider.
AT = {name: i for i, name in enumerate(FIELDS)}
_ALL = attrgetter(*FIELDS)
_ENCODERS = tuple((AT[name], to) for name, (to, _) in _CONVERTED.items())
_DECODERS = tuple((AT[name], back) for name, (_, back) in _CONVERTED.items())


def encode(p: Provider) -> Values:
    """``p`` as plain values."""
    v = list(_ALL(p))
    for i, to in _ENCODERS:
        v[i] = to(v[i])
    return tuple(v)


def decode(v: Values) -> Provider:
    """The provider that :func:`encode` made ``v`` from."""
    values = list(v)
    for i, back in _DECODERS:
        values[i] = back(values[i])
    return Provider(*values)


def shared(v: Values) -> tuple[tuple[str, Any], ...]:
    """The values of an encoded provider most providers share with others, by kind:
    its eligibility (without its notes, which no search reads), languages, hours
    with time zone, and service area (keyed by the index: :mod:`referral_cli.index.filing`)."""
    e = v[_AT_ELIGIBILITY]
    return (
        (ELIGIBILITY, None if e is None else (*e[:_AT_NOTES], None, *e[_AT_NOTES + 1 :])),
        (LANGUAGES, v[_AT_LANGUAGES]),
        (HOURS, (v[_AT_HOURS], v[_AT_TIMEZONE])),
        (SERVICE_AREA, v[_AT_SERVICE_AREA]),
    )


_AT_ELIGIBILITY, _AT_LANGUAGES, _AT_HOURS, _AT_TIMEZONE, _AT_SERVICE_AREA = (
    AT[name] for name in ("eligibility", "languages", "hours", "timezone", "service_area")
)
_AT_NOTES = [f.name for f in fields(Eligibility)].index("notes")


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
