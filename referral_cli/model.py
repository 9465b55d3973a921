"""Typed records of the directory.

The YAML is parsed into plain data by :mod:`referral_cli.directory`, checked by
:mod:`referral_cli.validate`, and only then turned into these records, so code
that works with a :class:`Provider` may rely on its types.

Confidentiality is enforced here, once: every output goes through
:meth:`Provider.public_dict` or :meth:`Provider.public_address`, which drop the
street, postal code and exact coordinates of a confidential provider.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

GENDERS = ("female", "male", "nonbinary")
TRAFFICKING_TYPES = ("sex", "labor", "organ")


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
    """Who a provider serves. Empty tuples and ``None`` ends mean "anyone"."""

    min_age: int | None = None
    max_age: int | None = None
    genders: tuple[str, ...] = ()
    trafficking: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    notes: str | None = None

    def admits_age(self, age: int) -> bool:
        if self.min_age is not None and age < self.min_age:
            return False
        return not (self.max_age is not None and age > self.max_age)

    def admits_age_range(self, low: int | None, high: int | None) -> bool:
        """True when every age in ``[low, high]`` is admitted (a population such as
        "minors" must be fully served, not just partly)."""
        lo = 0 if low is None else low
        hi = 130 if high is None else high
        if self.min_age is not None and lo < self.min_age:
            return False
        return not (self.max_age is not None and hi > self.max_age)

    def admits_gender(self, gender: str) -> bool:
        return not self.genders or gender in self.genders

    def admits_trafficking(self, kind: str) -> bool:
        return not self.trafficking or kind in self.trafficking

    @property
    def is_open_to_all(self) -> bool:
        return (
            self.min_age is None
            and self.max_age is None
            and not self.genders
            and not self.trafficking
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
        return out


@dataclass(frozen=True, slots=True)
class Address:
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


Hours = str | dict[str, str] | None


@dataclass(slots=True)
class Provider:
    id: str
    name: str
    services: tuple[str, ...]
    areas: tuple[str, ...]
    source: Source
    organization: str | None = None
    description: str | None = None
    eligibility: Eligibility = field(default_factory=Eligibility)
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
    last_verified: dt.date | None = None
    keywords: tuple[str, ...] = ()

    def public_address(self) -> Address | None:
        """The address as it may be shown: no street or postal code when confidential."""
        if self.address is None or not self.confidential:
            return self.address
        a = self.address
        return Address(city=a.city, county=a.county, region=a.region, country=a.country)

    def public_location(self) -> tuple[float, float] | None:
        """Exact coordinates, or ``None`` for a confidential provider."""
        if self.confidential or self.lat is None or self.lon is None:
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
        out["confidential"] = self.confidential
        if self.service_area is not None:
            out["service_area"] = self.service_area.as_dict()
        for key in ("intake", "cost", "capacity"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.last_verified is not None:
            out["last_verified"] = self.last_verified.isoformat()
        if self.keywords:
            out["keywords"] = list(self.keywords)
        return out
