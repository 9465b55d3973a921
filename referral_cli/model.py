"""Typed records of the directory.

The YAML is parsed into plain data by :mod:`referral_cli.directory`, checked by
:mod:`referral_cli.validate`, and only then turned into these records, so code
that works with a :class:`Provider` may rely on its types.

Confidentiality is enforced here, once: every output goes through
:meth:`Provider.public_dict` or :meth:`Provider.public_address`, which drop the
street, postal code and exact coordinates of a confidential provider.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

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
            self.stated
            and self.min_age is None
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
        if not self.stated:
            out["stated"] = False
        return out


UNKNOWN_ELIGIBILITY_TEXT = "eligibility not stated — call to check"


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

# A provider's fields, by the names of the YAML and of :class:`Provider`.
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
    "translations",
    "placed",
)
# A provider is stored as a row of plain values (str, int, float, bool, None,
# tuples, dicts), so the on-disk index can store rows with ``marshal``, which loads
# them about twenty times faster than pickled objects. The row starts with the
# *filter* fields: the ones that searching, counting coverage and loading a
# directory read for every provider. The index stores that head of each row on its
# own, and the rest as a separate blob read only when one of its fields is (for the
# few providers a command shows). An address is split in two: its place (city,
# county, region, country) in the head, its street and postal code in the rest.
FILTER_FIELDS = (
    "id",
    "name",
    "services",
    "areas",
    "eligibility",
    "languages",
    "lat",
    "lon",
    "confidential",
    "service_area",
    "place",  # (city, county, region, country), or None without an address
)
REST_FIELDS = (
    "source",
    "organization",
    "description",
    "phone",
    "hotline",
    "email",
    "website",
    "hours",
    "timezone",
    "street",  # (street, postal_code), or None without an address
    "intake",
    "cost",
    "capacity",
    "last_verified",
    "keywords",
    "translations",  # {language: {field: text}}, or None
    "placed",  # (precision, place label) when lat/lon were found from the address
)
ROW = FILTER_FIELDS + REST_FIELDS
HEAD = len(FILTER_FIELDS)
_PLACED = ROW.index("placed")
_TRANSLATIONS = ROW.index("translations")
_FIELD_SET = frozenset(FIELDS)
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
    "translations": None,
    "placed": None,
}
_EVERYONE = Eligibility()
# Nested records are immutable and few distinct ones exist (most providers share
# their eligibility and service area with others): each is built once per value.
# Only values with the types validation gives are remembered (ages int, radius
# float, remote bool), so that equal values of other types (50 and 50.0) are
# never taken for one another.
_ELIGIBILITIES: dict[tuple[Any, ...], Eligibility] = {}
_SERVICE_AREAS: dict[tuple[Any, ...], ServiceArea] = {}
_NONE = type(None)


def _remember(memo: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> Any:
    with contextlib.suppress(TypeError):  # a value holding a list is built each time
        memo[key] = value
    return value


def _to_row_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "source":
        return (value.path, value.line, value.col)
    if name == "eligibility":
        e = value
        if e == _EVERYONE:
            return None
        return (e.min_age, e.max_age, e.genders, e.trafficking, e.populations, e.notes, e.stated)
    if name == "service_area":
        sa = value
        return (sa.radius_km, sa.regions, sa.countries, sa.remote)
    if name == "last_verified":
        return value.isoformat()
    if isinstance(value, list):
        return tuple(value)
    return value


def _row(values: dict[str, Any]) -> tuple[Any, ...]:
    a = values["address"]
    split = {
        "place": None if a is None else (a.city, a.county, a.region, a.country),
        "street": None if a is None else (a.street, a.postal_code),
    }
    return tuple(
        split[name] if name in split else _to_row_value(name, values[name]) for name in ROW
    )


class RowSource(Protocol):
    """Where a provider read from the index gets the rest of its row."""

    def rest(self, position: int) -> tuple[Any, ...]: ...


class Provider:
    """One provider: a read-only view over a row of plain values.

    Construct with keywords (``Provider(id=..., name=..., services=..., areas=...,
    source=...)``) or from a stored row (in :data:`ROW` order) with
    :meth:`from_row`; nested records (eligibility, address, …) are built when read.

    A provider loaded from the index holds only the head of its row (the
    :data:`FILTER_FIELDS` and its position in the entry); the first read of
    another field fetches the rest from the entry. Both kinds behave the same:
    equality, pickling and :attr:`row` always see the whole row.
    """

    __slots__ = ("_f", "_r", "_src")
    _f: tuple[Any, ...]  # the head (and, when loaded from the index, the position)
    _r: tuple[Any, ...] | None  # the whole row, once known
    _src: RowSource | None

    def __init__(self, **values: Any) -> None:
        missing = [k for k in ("id", "name", "services", "areas", "source") if k not in values]
        unknown = [k for k in values if k not in _FIELD_SET]
        if missing or unknown:
            raise TypeError(f"Provider: missing {missing}, unknown {unknown}")
        self._f = self._r = _row({**_DEFAULTS, **values})
        self._src = None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Provider:
        p = cls.__new__(cls)
        p._f = p._r = row
        p._src = None
        return p

    @classmethod
    def from_head(cls, head: tuple[Any, ...], source: RowSource) -> Provider:
        """A provider of the index: ``head`` is the filter fields and the position
        that ``source.rest`` takes to give the rest of the row."""
        p = cls.__new__(cls)
        p._f = head
        p._r = None
        p._src = source
        return p

    @property
    def row(self) -> tuple[Any, ...]:
        """The whole row, in :data:`ROW` order."""
        return self._r or self._fetch()

    def _fetch(self) -> tuple[Any, ...]:
        head = self._f
        assert self._src is not None
        self._r = row = head[:HEAD] + self._src.rest(head[HEAD])
        self._f = row
        self._src = None
        return row

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Provider) and other.row == self.row

    def __hash__(self) -> int:
        return hash(self._f[0])

    def __repr__(self) -> str:
        return f"Provider(id={self.id!r}, name={self.name!r})"

    def __getstate__(self) -> tuple[Any, ...]:
        return self.row

    def __setstate__(self, row: tuple[Any, ...]) -> None:
        self._f = self._r = row
        self._src = None

    # --- the head: read without fetching the rest ---
    @property
    def id(self) -> str:
        return self._f[0]

    @property
    def name(self) -> str:
        return self._f[1]

    @property
    def services(self) -> tuple[str, ...]:
        return self._f[2]

    @property
    def areas(self) -> tuple[str, ...]:
        return self._f[3]

    @property
    def eligibility(self) -> Eligibility:
        e = self._f[4]
        if e is None:
            return _EVERYONE
        if type(e[0]) not in (int, _NONE) or type(e[1]) not in (int, _NONE):
            return Eligibility(*e)
        try:
            return _ELIGIBILITIES[e]
        except (KeyError, TypeError):
            return _remember(_ELIGIBILITIES, e, Eligibility(*e))

    @property
    def languages(self) -> tuple[str, ...]:
        return self._f[5]

    @property
    def lat(self) -> float | None:
        return self._f[6]

    @property
    def lon(self) -> float | None:
        return self._f[7]

    @property
    def confidential(self) -> bool:
        return self._f[8]

    @property
    def service_area(self) -> ServiceArea | None:
        sa = self._f[9]
        if sa is None:
            return None
        if type(sa[0]) not in (float, _NONE) or type(sa[3]) is not bool:
            return ServiceArea(*sa)
        try:
            return _SERVICE_AREAS[sa]
        except (KeyError, TypeError):
            return _remember(_SERVICE_AREAS, sa, ServiceArea(*sa))

    @property
    def place(self) -> tuple[str | None, str | None, str | None, str | None] | None:
        """The address's ``(city, county, region, country)``, never its street or
        postal code (so free to show, even for a confidential provider); ``None``
        without an address."""
        return self._f[10]

    @property
    def country(self) -> str | None:
        """The address's country, without building the address."""
        a = self._f[10]
        return None if a is None else a[3]

    # --- the rest ---
    @property
    def source(self) -> Source:
        return Source(*(self._r or self._fetch())[11])

    @property
    def organization(self) -> str | None:
        return (self._r or self._fetch())[12]

    @property
    def description(self) -> str | None:
        return (self._r or self._fetch())[13]

    @property
    def phone(self) -> str | None:
        return (self._r or self._fetch())[14]

    @property
    def hotline(self) -> str | None:
        return (self._r or self._fetch())[15]

    @property
    def email(self) -> str | None:
        return (self._r or self._fetch())[16]

    @property
    def website(self) -> str | None:
        return (self._r or self._fetch())[17]

    @property
    def hours(self) -> Hours:
        return (self._r or self._fetch())[18]

    @property
    def timezone(self) -> str | None:
        return (self._r or self._fetch())[19]

    @property
    def address(self) -> Address | None:
        place = self._f[10]
        if place is None:
            return None
        street = (self._r or self._fetch())[20]
        return Address(street[0], place[0], place[1], place[2], street[1], place[3])

    @property
    def intake(self) -> str | None:
        return (self._r or self._fetch())[21]

    @property
    def cost(self) -> str | None:
        return (self._r or self._fetch())[22]

    @property
    def capacity(self) -> dict[str, Any] | None:
        return (self._r or self._fetch())[23]

    @property
    def last_verified(self) -> dt.date | None:
        d = (self._r or self._fetch())[24]
        return None if d is None else dt.date.fromisoformat(d)

    @property
    def keywords(self) -> tuple[str, ...]:
        return (self._r or self._fetch())[25]

    @property
    def translations(self) -> dict[str, dict[str, str]] | None:
        """Texts in other languages (:mod:`referral_cli.translations`)."""
        return (self._r or self._fetch())[_TRANSLATIONS]

    @property
    def placed(self) -> tuple[str, str] | None:
        """``(precision, place)`` when ``lat``/``lon`` are an approximate point found
        from the address ("city", "Fresno, CA, US"), not a location given."""
        return (self._r or self._fetch())[_PLACED]

    def public_address(self) -> Address | None:
        """The address as it may be shown: no street or postal code when confidential."""
        if not self.confidential:
            return self.address
        place = self._f[10]
        if place is None:
            return None
        return Address(city=place[0], county=place[1], region=place[2], country=place[3])

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
        if self.last_verified is not None:
            out["last_verified"] = self.last_verified.isoformat()
        if self.keywords:
            out["keywords"] = list(self.keywords)
        if self.translations:
            out["translations"] = self.translations
        return out
