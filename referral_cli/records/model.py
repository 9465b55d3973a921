"""Typed records of the directory.

The YAML is parsed into plain data by :mod:`referral_cli.directory`, checked by
:mod:`referral_cli.format.validate`, and only then turned into these records, so code
that works with a :class:`Provider` may rely on its types.

Confidentiality is enforced here, once: every output goes through
:meth:`Provider.public_dict` or :meth:`Provider.public_address`, which drop the
street, postal code and exact coordinates of a confidential provider.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

GENDERS = ("female", "male", "nonbinary")
TRAFFICKING_TYPES = ("sex", "labor", "organ")
# Whether a provider takes referrals: only ``active`` ones are listed as results.
STATES = ("active", "closed", "do-not-refer")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value came from: file path and 1-based line and column."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who a provider serves. Empty tuples and ``None`` ends mean "anyone".

    ``stated=False`` is the third state, *unknown*: the source did not say who
    is eligible (most imported records). Nothing is excluded by it, but it is
    never "everyone": search ranks it after providers known to fit and every
    output says "eligibility not stated — call to check".
    """

    min_age: int | None = None
    max_age: int | None = None
    genders: tuple[str, ...] = ()
    trafficking: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    notes: str | None = None
    stated: bool = True
    # accompanying children: False takes none (adults or youth alone), True takes
    # only a parent or carer with children (a family shelter), None either
    children: bool | None = None
    # the oldest accompanying boy, girl a parent or carer may bring ("boys up to age 12
    # may stay with their mother"); None, any age
    boys_max_age: int | None = None
    girls_max_age: int | None = None
    # only people who live in one of these places ("DC residents only"): names the
    # gazetteer resolves ("Montgomery County, MD", "District of Columbia", a ZIP code)
    residents_of: tuple[str, ...] = ()
    # the dimensions the provider's words leave unknown (UNSTATED_DIMENSIONS): never
    # "any", though nothing is excluded by them ("homeless males": ages unknown)
    unstated: tuple[str, ...] = ()

    def admits_age(self, age: int) -> bool:
        if self.min_age is not None and age < self.min_age:
            return False
        return not (self.max_age is not None and age > self.max_age)

    def admits_gender(self, gender: str) -> bool:
        return not self.genders or gender in self.genders

    def admits_trafficking(self, kind: str) -> bool:
        return not self.trafficking or kind in self.trafficking

    def admits_children(self, with_children: bool) -> bool:
        return self.children is None or self.children == with_children

    def admits_child(self, age: int, gender: str | None) -> bool | None:
        """Whether an accompanying child of ``age`` may come along: ``None`` when
        that hangs on a gender not said (boys up to 12, a child of 14)."""
        limits = {"male": self.boys_max_age, "female": self.girls_max_age}
        if gender in limits:
            limit = limits[gender]
            return limit is None or age <= limit
        admitted = {limit is None or age <= limit for limit in limits.values()}
        return admitted.pop() if len(admitted) == 1 else None

    @property
    def is_open_to_all(self) -> bool:
        return (
            self.stated
            and self.min_age is None
            and self.max_age is None
            and not self.genders
            and not self.trafficking
            and self.children is None
            and self.boys_max_age is None
            and self.girls_max_age is None
            and not self.residents_of
            and not self.unstated
        )

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.min_age is not None or self.max_age is not None:
            out["ages"] = [self.min_age, self.max_age]
        if self.genders:
            out["genders"] = list(self.genders)
        if self.trafficking:
            out["trafficking"] = list(self.trafficking)
        if self.populations:
            out["populations"] = list(self.populations)
        if self.notes:
            out["notes"] = self.notes
        if not self.stated:
            out["stated"] = False
        if self.children is not None:
            out["children"] = self.children
        if self.boys_max_age is not None:
            out["boys_max_age"] = self.boys_max_age
        if self.girls_max_age is not None:
            out["girls_max_age"] = self.girls_max_age
        if self.residents_of:
            out["residents_of"] = list(self.residents_of)
        if self.unstated:
            out["unstated"] = list(self.unstated)
        return out


UNKNOWN_ELIGIBILITY_TEXT = "eligibility not stated — call to check"
# the dimensions an eligibility may leave unknown one by one (``Eligibility.unstated``)
UNSTATED_DIMENSIONS = ("ages", "genders", "children")
FAMILIES = "families"  # the population of a parent with accompanying children


@dataclass(frozen=True, slots=True)
class Address:
    """A provider's postal address; any part may be missing."""

    street: str | None = None
    city: str | None = None
    county: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("street", self.street),
                ("city", self.city),
                ("county", self.county),
                ("region", self.region),
                ("postal_code", self.postal_code),
                ("country", self.country),
            )
            if v
        }

    def one_line(self) -> str:
        return ", ".join(self.as_dict().values())


@dataclass(frozen=True, slots=True)
class ServiceArea:
    """Beyond its own site, where a provider serves people."""

    radius_km: float | None = None
    regions: tuple[str, ...] = ()  # ISO 3166-2 such as "US-CA"
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 such as "US"
    remote: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.radius_km is not None:
            out["radius_km"] = self.radius_km
        if self.regions:
            out["regions"] = list(self.regions)
        if self.countries:
            out["countries"] = list(self.countries)
        if self.remote:
            out["remote"] = True
        return out


@dataclass(frozen=True, slots=True)
class Status:
    """Whether a provider is taking referrals: ``closed`` (until a day, if known)
    or ``do-not-refer`` ones are never listed as results, only shown."""

    state: str = "active"
    until: dt.date | None = None
    reason: str | None = None

    @property
    def refers(self) -> bool:
        return self.state == "active"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"state": self.state}
        if self.until is not None:
            out["until"] = self.until.isoformat()
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True)
class Availability:
    """Places free as reported at ``as_of`` (aware): a report, never a promise."""

    as_of: dt.datetime
    beds_available: int | None = None
    waitlist: int | None = None
    maximum: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            k: v
            for k, v in (
                ("beds_available", self.beds_available),
                ("waitlist", self.waitlist),
                ("maximum", self.maximum),
            )
            if v is not None
        }
        out["as_of"] = self.as_of.isoformat()
        return out


Hours = str | dict[str, str] | None

_EVERYONE = Eligibility()
_LISTS = ("services", "areas", "languages", "keywords")


@dataclass(frozen=True, slots=True)
class Provider:
    """One provider of the directory, as validation made it.

    Construct with keywords; ``id``, ``name``, ``services``, ``areas`` and
    ``source`` are required. Lists given for the list fields are kept as tuples
    and a missing eligibility means everyone, so equal providers compare equal
    however they were built. How a provider is stored is the index's business
    (:mod:`referral_cli.records.codec`), never this record's.
    """

    id: str
    name: str
    services: tuple[str, ...]
    areas: tuple[str, ...]
    source: Source
    organization: str | None = None
    description: str | None = None
    eligibility: Eligibility = _EVERYONE
    languages: tuple[str, ...] = ()
    phone: str | None = None
    hotline: str | None = None
    email: str | None = None
    website: str | None = None
    hours: Hours = None
    timezone: str | None = None
    address: Address | None = None
    lat: float | None = None
    lon: float | None = None
    confidential: bool = False
    service_area: ServiceArea | None = None
    intake: str | None = None
    cost: str | None = None
    capacity: dict[str, Any] | None = None
    availability: Availability | None = None
    status: Status | None = None
    last_verified: dt.date | None = None
    verified_by: str | None = None
    keywords: tuple[str, ...] = ()
    translations: dict[str, dict[str, str]] | None = (
        None  # :mod:`referral_cli.records.translations`
    )
    # ``(precision, place)`` when lat/lon are an approximate point found from the
    # address ("city", "Fresno, CA, US"), not a location given.
    placed: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        for name in _LISTS:
            value = getattr(self, name)
            if type(value) is not tuple:
                object.__setattr__(self, name, tuple(value))
        if self.eligibility is None:
            object.__setattr__(self, "eligibility", _EVERYONE)

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def refers(self) -> bool:
        """Taking referrals: no status, or ``active``."""
        return self.status is None or self.status.refers

    def __repr__(self) -> str:
        return f"Provider(id={self.id!r}, name={self.name!r})"

    @property
    def place(self) -> tuple[str | None, str | None, str | None, str | None] | None:
        """The address's ``(city, county, region, country)``, never its street or
        postal code (so free to show, even for a confidential provider); ``None``
        without an address."""
        a = self.address
        return None if a is None else (a.city, a.county, a.region, a.country)

    @property
    def country(self) -> str | None:
        a = self.address
        return None if a is None else a.country

    def public_address(self) -> Address | None:
        """The address as it may be shown: no street or postal code when confidential."""
        a = self.address
        if a is None or not self.confidential:
            return a
        return Address(city=a.city, county=a.county, region=a.region, country=a.country)

    def public_location(self) -> tuple[float, float] | None:
        """Exact coordinates, or ``None`` for a confidential provider and for a point
        only found from the address (not a location of the provider's own)."""
        if self.confidential or self.lat is None or self.lon is None or self.placed:
            return None
        return (self.lat, self.lon)

    def public_dict(self) -> dict[str, Any]:
        """Every field that may leave the program, in the directory's own key names.

        The one serialisation used by every machine-readable output and export.
        """
        out: dict[str, Any] = {"id": self.id, "name": self.name}
        for key in ("organization", "description"):
            value = getattr(self, key)
            if value:
                out[key] = value
        out["services"] = list(self.services)
        out["areas"] = list(self.areas)
        elig = self.eligibility.as_dict()
        if elig:
            out["eligibility"] = elig
        if self.languages:
            out["languages"] = list(self.languages)
        for key in ("phone", "hotline", "email", "website", "hours", "timezone"):
            value = getattr(self, key)
            if value:
                out[key] = value
        address = self.public_address()
        if address is not None and address.as_dict():
            out["address"] = address.as_dict()
        location = self.public_location()
        if location is not None:
            out["location"] = {"lat": location[0], "lon": location[1]}
        if self.placed:  # how it was placed; the point itself only when not confidential
            precision, place = self.placed
            out["placed"] = {"from": precision, "place": place}
            if not self.confidential and self.lat is not None and self.lon is not None:
                out["placed"].update(lat=self.lat, lon=self.lon)
        out["confidential"] = self.confidential
        if self.service_area is not None:
            out["service_area"] = self.service_area.as_dict()
        for key in ("intake", "cost", "capacity"):
            value = getattr(self, key)
            if value:
                out[key] = value
        for key in ("availability", "status"):
            record = getattr(self, key)
            if record is not None:
                out[key] = record.as_dict()
        if self.last_verified is not None:
            out["last_verified"] = self.last_verified.isoformat()
        if self.verified_by:
            out["verified_by"] = self.verified_by
        if self.keywords:
            out["keywords"] = list(self.keywords)
        if self.translations:
            out["translations"] = self.translations
        return out


# A provider's fields, by the names of the YAML and of :class:`Provider`, in order.
FIELDS = tuple(f.name for f in fields(Provider))
