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
from dataclasses import dataclass
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

# The order of a provider's row: plain values only (str, int, float, bool, None,
# tuples, dicts), so the on-disk index can store rows with ``marshal``, which
# loads 100,000 of them about twenty times faster than pickled objects.
FIELDS = (
    "id",
    "name",
    "services",
    "areas",
    "source",
    "organization",
    "description",
    "eligibility",
    "languages",
    "phone",
    "hotline",
    "email",
    "website",
    "hours",
    "timezone",
    "address",
    "lat",
    "lon",
    "confidential",
    "service_area",
    "intake",
    "cost",
    "capacity",
    "last_verified",
    "keywords",
)
_INDEX = {name: i for i, name in enumerate(FIELDS)}
_DEFAULTS: dict[str, Any] = {
    "organization": None,
    "description": None,
    "eligibility": None,
    "languages": (),
    "phone": None,
    "hotline": None,
    "email": None,
    "website": None,
    "hours": None,
    "timezone": None,
    "address": None,
    "lat": None,
    "lon": None,
    "confidential": False,
    "service_area": None,
    "intake": None,
    "cost": None,
    "capacity": None,
    "last_verified": None,
    "keywords": (),
}
_EVERYONE = Eligibility()


def _to_row_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "source":
        return (value.path, value.line, value.col)
    if name == "eligibility":
        e = value
        if e == _EVERYONE:
            return None
        return (e.min_age, e.max_age, e.genders, e.trafficking, e.populations, e.notes)
    if name == "address":
        a = value
        return (a.street, a.city, a.county, a.region, a.postal_code, a.country)
    if name == "service_area":
        sa = value
        return (sa.radius_km, sa.regions, sa.countries, sa.remote)
    if name == "last_verified":
        return value.isoformat()
    if isinstance(value, list):
        return tuple(value)
    return value


class Provider:
    """One provider: a read-only view over a row of plain values.

    Construct with keywords (``Provider(id=..., name=..., services=..., areas=...,
    source=...)``) or from a stored row with :meth:`from_row`; nested records
    (eligibility, address, …) are built when read.
    """

    __slots__ = ("row",)
    row: tuple[Any, ...]

    def __init__(self, **values: Any) -> None:
        missing = [k for k in ("id", "name", "services", "areas", "source") if k not in values]
        unknown = [k for k in values if k not in _INDEX]
        if missing or unknown:
            raise TypeError(f"Provider: missing {missing}, unknown {unknown}")
        merged = {**_DEFAULTS, **values}
        self.row = tuple(_to_row_value(name, merged[name]) for name in FIELDS)

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Provider:
        p = cls.__new__(cls)
        p.row = row
        return p

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Provider) and other.row == self.row

    def __hash__(self) -> int:
        return hash(self.row[0])

    def __repr__(self) -> str:
        return f"Provider(id={self.id!r}, name={self.name!r})"

    def __getstate__(self) -> tuple[Any, ...]:
        return self.row

    def __setstate__(self, row: tuple[Any, ...]) -> None:
        self.row = row

    # --- plain fields ---
    @property
    def id(self) -> str:
        return self.row[0]

    @property
    def name(self) -> str:
        return self.row[1]

    @property
    def services(self) -> tuple[str, ...]:
        return self.row[2]

    @property
    def areas(self) -> tuple[str, ...]:
        return self.row[3]

    @property
    def source(self) -> Source:
        return Source(*self.row[4])

    @property
    def organization(self) -> str | None:
        return self.row[5]

    @property
    def description(self) -> str | None:
        return self.row[6]

    @property
    def eligibility(self) -> Eligibility:
        e = self.row[7]
        return _EVERYONE if e is None else Eligibility(*e)

    @property
    def languages(self) -> tuple[str, ...]:
        return self.row[8]

    @property
    def phone(self) -> str | None:
        return self.row[9]

    @property
    def hotline(self) -> str | None:
        return self.row[10]

    @property
    def email(self) -> str | None:
        return self.row[11]

    @property
    def website(self) -> str | None:
        return self.row[12]

    @property
    def hours(self) -> Hours:
        return self.row[13]

    @property
    def timezone(self) -> str | None:
        return self.row[14]

    @property
    def address(self) -> Address | None:
        a = self.row[15]
        return None if a is None else Address(*a)

    @property
    def country(self) -> str | None:
        """The address's country, without building the address."""
        a = self.row[15]
        return None if a is None else a[5]

    @property
    def lat(self) -> float | None:
        return self.row[16]

    @property
    def lon(self) -> float | None:
        return self.row[17]

    @property
    def confidential(self) -> bool:
        return self.row[18]

    @property
    def service_area(self) -> ServiceArea | None:
        sa = self.row[19]
        return None if sa is None else ServiceArea(*sa)

    @property
    def intake(self) -> str | None:
        return self.row[20]

    @property
    def cost(self) -> str | None:
        return self.row[21]

    @property
    def capacity(self) -> dict[str, Any] | None:
        return self.row[22]

    @property
    def last_verified(self) -> dt.date | None:
        d = self.row[23]
        return None if d is None else dt.date.fromisoformat(d)

    @property
    def keywords(self) -> tuple[str, ...]:
        return self.row[24]

    def public_address(self) -> Address | None:
        """The address as it may be shown: no street or postal code when confidential."""
        a = self.address
        if a is None or not self.confidential:
            return a
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
