"""What a place lookup answers: the place, the notes a volunteer must read, and
the one error for a place that cannot be placed."""

from __future__ import annotations

from dataclasses import dataclass, field

from referral_cli.errors import ReferralError

HINT = "give a ZIP code or lat,lon"  # what an unknown place's message tells to do


@dataclass(frozen=True)
class Place:
    """A place the gazetteer knows (or coordinates given): its label, its point and
    the country, region, county and city it lies in."""

    label: str
    lat: float
    lon: float
    kind: str = "city"  # city | zip | county | region | country | coordinates | online
    country: str | None = None  # ISO 3166-1 alpha-2
    region: str | None = None  # ISO 3166-2, e.g. "US-CA"
    county: str | None = None
    city: str | None = None
    population: int | None = None


@dataclass(frozen=True)
class Origin:
    """Where a search is measured from: a resolved place's label and point, the
    country and region that decide which area-wide services reach it, and the place
    the person is said to be in."""

    label: str
    lat: float
    lon: float
    country: str | None = None
    region: str | None = None  # ISO 3166-2, e.g. "US-CA"
    # the place said for the person, taken as where they live (residency limits:
    # :mod:`referral_cli.geo.residency`); None for the volunteer's home place
    lives: Place | None = None


@dataclass(frozen=True)
class Resolution:
    """A place text resolved: the place, the notes a volunteer must read, and the
    other places the text could have named."""

    place: Place
    notes: list[str] = field(default_factory=list)
    alternatives: list[Place] = field(default_factory=list)
    corrected: bool = False  # the text was misspelt and read as the nearest name


class UnknownPlace(ReferralError):
    pass
