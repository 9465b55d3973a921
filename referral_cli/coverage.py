"""The coverage matrix: which strategy areas each place has, and its gaps in plain words.

:func:`build` counts, for every row (a strategy area of a framework, or with
``detail="services"`` also the service types within each area) and every place
(a county, city, region or country taken from the providers' public addresses),
the providers that serve that place. A cell tells apart the providers **located**
there from the **remote** ones (phone, online or statewide/nationwide services)
that reach it: ``2+1`` means two located here and one remote or statewide.

Rules, kept simple on purpose so a coordinator can check any number by hand:

* **Places** come from :meth:`Provider.public_address` (never the street or the
  coordinates). A provider whose address lacks the field (``--by county`` and no
  county, as Mexican addresses) is counted under its state when the address names
  one (``Baja California, MX``), else under ``(unknown)`` told apart by what the
  address gives (``(unknown) in MX``) — unless it has a ``service_area`` with
  regions or countries, in which case it is a remote service located nowhere in
  particular. Only located providers create places: a statewide line alone does
  not add a column. A region is shown by its name (``California``; with its
  country when the directory spans several: ``Baja California, MX``), a country
  by its ISO code (``US``); when the places span several states every county or
  city carries its state (``Orange County, FL``), as does a name found in two.
* **Remote reach**: a provider with ``service_area.regions`` (ISO 3166-2, such as
  ``US-CA``) or ``service_area.countries`` (``US``) reaches every place that
  overlaps them — every county or city in that region (the place's region is the
  one of the addresses of the providers located there: country ``US`` plus region
  ``CA`` is ``US-CA``), the region itself, and, for ``--by country``, the country
  that contains the region. In its own place a provider counts as located, never
  twice. A provider with only ``radius_km`` (or ``remote: true`` without regions or
  countries) counts as located in its own place only: the matrix does not guess
  which neighbouring places a radius covers.
* **Areas** of a provider are derived from its service types through the
  taxonomy's crosswalk (``taxonomy.yaml``), in every framework, the Freedom
  Strategy included. The same providers are therefore counted in each place
  whatever the framework: only the rows differ.
* **Populations** (``population="minors"``, ``"kids"``, ``"women"``, …; see
  ``referral taxonomy``): a provider counts when its eligibility admits people of
  that population — the age ranges overlap (``[18, -]`` does not admit minors,
  ``[12, 17]`` does) and its genders, if it states any, include the population's
  gender. Group populations such as ``lgbtq`` exclude nobody: every provider
  counts. Places are found from all providers, so a county whose shelters are
  only for adults still appears, with its gap, when counting for minors.
* **Gaps**: per place, the areas with nothing at all (``nothing in Restoration``;
  with a population, ``nothing in Restoration for minors`` when others are served
  there) and the critical services missing (temporary shelter, counseling, legal
  aid, medical care), e.g. ``Tulare County: nothing in Restoration; no temporary
  shelter for minors``, and the areas reached only by remote or statewide
  services (``only remote in Reforms``). **Completeness** tells the two apart:
  ``3+1/5`` is 3 areas with a provider located in the place plus 1 reached only
  remotely, of 5; a place is ``complete`` only when every area has a provider
  located there (``5/5``), never through remote help alone.
* **Order**: places by name, or with ``sort="gaps"`` those in most need first
  (fewest areas located there, fewest covered at all, most critical services
  missing, fewest providers located there).

JSON shape (``referral coverage --format json``; a stable contract — keys may be
added, never renamed or removed)::

    {
      "format_version": 1,
      "framework": {"key": "freedom", "label": "Freedom Strategy"},
      "by": "county",                       # county | city | region | country
      "detail": "areas",                    # areas | services
      "population": {"key": "minors", "label": "Minors"} | null,
      "area": "restoration" | null,         # the --area filter, if any
      "places": [
        {"label": "Fresno County", "kind": "county",
         "region": "US-CA" | null, "country": "US" | null,
         "providers": {"local": 4, "remote": 1, "total": 5},
         "completeness": {"covered": 5, "located": 4, "remote_only": 1, "total": 5,
                          "complete": false}}
      ],
      "rows": [
        {"key": "rescue-exit", "label": "Rescue / Exit", "kind": "area",
         "area": "rescue-exit", "service": null},
        {"key": "rescue-exit/temporary-shelter", "label": "Temporary shelter",
         "kind": "service", "area": "rescue-exit", "service": "temporary-shelter"}
      ],                                    # service rows only with detail "services"
      "cells": [
        {"row": "rescue-exit", "place": "Fresno County",
         "local": 2, "remote": 1, "total": 3,
         "local_ids": ["a-shelter", "b-clinic"], "remote_ids": ["ca-legal-line"]}
      ],                                    # one per row x place, rows then places
      "gaps": [
        {"place": "Tulare County",
         "message": "Tulare County: nothing in Restoration; no temporary shelter for minors",
         "missing_areas": ["restoration"],
         "missing_services": ["temporary-shelter"],
         "remote_only_areas": ["reforms"]}
      ]                                     # only places with a gap, in place order
    }

``cells[].place`` and ``gaps[].place`` are the ``label`` of a place; ``cells[].row``
is the ``key`` of a row. ``places[].providers`` counts distinct providers (located,
remote) that reach the place through any of the rows shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from referral_cli.errors import UsageError

if TYPE_CHECKING:
    from referral_cli.facets import Facets
    from referral_cli.model import Address, Eligibility, Provider
    from referral_cli.taxonomy import Framework, Population, Taxonomy

BY_CHOICES = ("county", "city", "region", "country")
DETAILS = ("areas", "services")
CRITICAL_SERVICES = ("temporary-shelter", "counseling", "legal-aid", "medical")
UNKNOWN = "(unknown)"
EMPTY = "--"
LEGEND = "2+1 = 2 located here + 1 remote/statewide;  0+1 = only remote;  -- = none"
COVERED_LEGEND = "Covered 1+4/5 = 1 area with a provider located here + 4 only remote, of 5"
SORTS = ("name", "gaps")
CSV_COLUMNS = (
    "framework",
    "row",
    "row_label",
    "row_kind",
    "area",
    "service",
    "place",
    "place_kind",
    "region",
    "country",
    "local",
    "remote",
    "total",
    "local_ids",
    "remote_ids",
)


@dataclass(frozen=True, slots=True)
class Place:
    """A column of the matrix."""

    label: str
    kind: str  # county | city | region | country
    region: str | None = None  # ISO 3166-2, such as "US-CA"
    country: str | None = None  # ISO 3166-1, such as "US"


@dataclass(frozen=True, slots=True)
class Row:
    """A line of the matrix: a framework area, or a service type within one."""

    key: str
    label: str
    kind: str  # area | service
    area: str
    service: str | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    """Providers located in a place and remote ones reaching it, for one row."""

    local: int = 0
    remote: int = 0
    local_ids: tuple[str, ...] = ()
    remote_ids: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.local + self.remote

    @property
    def text(self) -> str:
        """``2``, ``2+1``, ``0+1`` or ``--``."""
        if not self.total:
            return EMPTY
        return f"{self.local}+{self.remote}" if self.remote else str(self.local)

    @property
    def level(self) -> int:
        """Shade of the heatmap: 0 none, 1 only remote, 2 one, 3 two or three, 4 more."""
        if not self.total:
            return 0
        if not self.local:
            return 1
        if self.total == 1:
            return 2
        return 3 if self.total <= 3 else 4


@dataclass(frozen=True, slots=True)
class Completeness:
    """How many of the framework's areas a place has: with a provider located
    there, and only through remote or statewide services (never "complete")."""

    located: int
    remote_only: int
    total: int

    @property
    def covered(self) -> int:
        return self.located + self.remote_only

    @property
    def complete(self) -> bool:
        return self.located == self.total

    @property
    def text(self) -> str:
        """``5/5``; ``1+4/5``: 1 area with a provider located here, 4 only remote."""
        located = f"{self.located}+{self.remote_only}" if self.remote_only else str(self.located)
        return f"{located}/{self.total}"


@dataclass(frozen=True, slots=True)
class Gap:
    place: str
    message: str
    missing_areas: tuple[str, ...]
    missing_services: tuple[str, ...]
    remote_only_areas: tuple[str, ...] = ()  # reached only by remote or statewide services

    @property
    def details(self) -> str:
        """The message without the place in front."""
        prefix = f"{self.place}: "
        return self.message[len(prefix) :] if self.message.startswith(prefix) else self.message


@dataclass
class Matrix:
    framework: Framework
    by: str
    detail: str
    population: Population | None
    area: str | None
    places: list[Place]
    rows: list[Row]
    cells: dict[tuple[str, str], Cell]
    gaps: list[Gap]
    completeness: dict[str, Completeness]
    reach: dict[str, tuple[int, int]] = field(default_factory=dict)  # place -> (local, remote)
    counted: int = 0  # distinct providers counted in any cell
    critical: tuple[str, ...] = ()  # labels of the critical services checked for gaps
    remote_services: list[tuple[str, str, str]] = field(default_factory=list)  # id, name, reach

    def cell(self, row_key: str, place: str) -> Cell:
        return self.cells.get((row_key, place), Cell())

    def gap(self, place: str) -> Gap | None:
        return next((g for g in self.gaps if g.place == place), None)

    @property
    def population_words(self) -> str | None:
        return population_words(self.population) if self.population else None

    def title(self) -> str:
        text = f"Coverage by {self.by} — {self.framework.label}"
        if self.population is not None:
            text += f", for {self.population_words}"
        if self.area is not None:
            text += f", {self.framework.area(self.area).label} only"
        return text

    def as_dict(self) -> dict[str, Any]:
        """The JSON document described in the module docstring."""
        from referral_cli.output import FORMAT_VERSION

        return {
            "format_version": FORMAT_VERSION,
            "framework": {"key": self.framework.key, "label": self.framework.label},
            "by": self.by,
            "detail": self.detail,
            "population": (
                {"key": self.population.key, "label": self.population.label}
                if self.population
                else None
            ),
            "area": self.area,
            "places": [
                {
                    "label": p.label,
                    "kind": p.kind,
                    "region": p.region,
                    "country": p.country,
                    "providers": {
                        "local": self.reach.get(p.label, (0, 0))[0],
                        "remote": self.reach.get(p.label, (0, 0))[1],
                        "total": sum(self.reach.get(p.label, (0, 0))),
                    },
                    "completeness": {
                        "covered": self.completeness[p.label].covered,
                        "located": self.completeness[p.label].located,
                        "remote_only": self.completeness[p.label].remote_only,
                        "total": self.completeness[p.label].total,
                        "complete": self.completeness[p.label].complete,
                    },
                }
                for p in self.places
            ],
            "rows": [
                {
                    "key": r.key,
                    "label": r.label,
                    "kind": r.kind,
                    "area": r.area,
                    "service": r.service,
                }
                for r in self.rows
            ],
            "cells": [
                {
                    "row": r.key,
                    "place": p.label,
                    "local": c.local,
                    "remote": c.remote,
                    "total": c.total,
                    "local_ids": list(c.local_ids),
                    "remote_ids": list(c.remote_ids),
                }
                for r in self.rows
                for p in self.places
                for c in (self.cell(r.key, p.label),)
            ],
            "gaps": [
                {
                    "place": g.place,
                    "message": g.message,
                    "missing_areas": list(g.missing_areas),
                    "missing_services": list(g.missing_services),
                    "remote_only_areas": list(g.remote_only_areas),
                }
                for g in self.gaps
            ],
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        """One row per matrix row x place (columns: :data:`CSV_COLUMNS`)."""
        return [
            {
                "framework": self.framework.key,
                "row": r.key,
                "row_label": r.label,
                "row_kind": r.kind,
                "area": r.area,
                "service": r.service,
                "place": p.label,
                "place_kind": p.kind,
                "region": p.region,
                "country": p.country,
                "local": c.local,
                "remote": c.remote,
                "total": c.total,
                "local_ids": list(c.local_ids),
                "remote_ids": list(c.remote_ids),
            }
            for r in self.rows
            for p in self.places
            for c in (self.cell(r.key, p.label),)
        ]


# --------------------------------------------------------------------------- options


def _norm(word: str) -> str:
    return " ".join(word.strip().lower().replace("_", " ").replace("-", " ").split())


def resolve_choice(flag: str, value: str, choices: Sequence[str]) -> str:
    from referral_cli.suggest import did_you_mean

    lowered = value.strip().lower()
    if lowered in choices:
        return lowered
    raise UsageError(
        f"{flag}: unknown value '{value}'{did_you_mean(value, choices)};"
        f" use one of: {', '.join(choices)}"
    )


def resolve_framework(value: str | None, tax: Taxonomy) -> Framework:
    from referral_cli.suggest import did_you_mean

    if value is None:
        return tax.frameworks[tax.default_framework]
    word = _norm(value)
    for fw in tax.frameworks.values():
        if word in (_norm(fw.key), _norm(fw.label)):
            return fw
    keys = list(tax.frameworks)
    raise UsageError(
        f"--framework: unknown framework '{value}'{did_you_mean(value, keys)};"
        f" use one of: {', '.join(keys)}"
    )


def resolve_population(value: str, tax: Taxonomy) -> Population:
    """A population key, label or synonym ("kids") -> the taxonomy's population."""
    from referral_cli.suggest import did_you_mean

    word = _norm(value)
    words: dict[str, Population] = {}
    for pop in tax.populations.values():
        for phrase in (pop.key, pop.label, *pop.synonyms):
            words.setdefault(_norm(phrase), pop)
    if word in words:
        return words[word]
    raise UsageError(
        f"--for: unknown population '{value}'{did_you_mean(value, list(words))};"
        f" use one of: {', '.join(tax.populations)} (see 'referral taxonomy')"
    )


def resolve_area(value: str, fw: Framework) -> str:
    from referral_cli.suggest import did_you_mean

    word = _norm(value)
    for a in fw.areas:
        if word in {_norm(a.key), _norm(a.label), *(_norm(s) for s in a.synonyms)}:
            return a.key
    keys = [a.key for a in fw.areas]
    raise UsageError(
        f"--area: unknown area '{value}' in the {fw.label}{did_you_mean(value, keys)};"
        f" use one of: {', '.join(keys)}"
    )


def admits(e: Eligibility, pop: Population | None) -> bool:
    """Whether a provider with eligibility ``e`` serves people of ``pop``.

    Age ranges must overlap; a stated gender list must include the population's
    gender; group populations (``lgbtq``, ``foreign-nationals``) exclude nobody.
    A provider whose eligibility is not stated is not counted: nobody knows
    whether it serves them.
    """
    if pop is None:
        return True
    if not e.stated:
        return False
    if pop.has_ages:
        low = 0 if pop.min_age is None else pop.min_age
        high = 200 if pop.max_age is None else pop.max_age
        if e.min_age is not None and e.min_age > high:
            return False
        if e.max_age is not None and e.max_age < low:
            return False
    return not (pop.gender and e.genders and pop.gender not in e.genders)


# --------------------------------------------------------------------------- places


def iso_region(country: str | None, region: str | None) -> str | None:
    """``("US", "CA")`` -> ``"US-CA"``; ``None`` when either is unknown."""
    if not region:
        return None
    r = region.strip().upper()
    if country:
        c = country.strip().upper()
        return r if r.startswith(c + "-") else f"{c}-{r}"
    return r if "-" in r else None


def _short_region(address: Address) -> str | None:
    if not address.region:
        return None
    r = address.region.strip()
    country = (address.country or "").strip().upper()
    if country and r.upper().startswith(country + "-"):
        return r[len(country) + 1 :]
    return r


# (kind, name folded, region ISO, country) identifies a place before it has a label.
_Ident = tuple[str, str, str | None, str | None]


def _ident(address: Address | None, by: str) -> tuple[_Ident, str] | None:
    """A provider's place identity and display name, or ``None`` without that field."""
    if address is None:
        return None
    country = address.country.strip().upper() if address.country else None
    region = iso_region(country, address.region)
    if by == "country":
        return ((by, country.casefold(), None, country), country) if country else None
    if by == "region":
        short = _short_region(address)
        if not short:
            return None
        return (by, short.casefold(), region, country), short
    value = address.county if by == "county" else address.city
    if not value or not value.strip():
        return None
    name = " ".join(value.split())
    return (by, name.casefold(), region, country), name


def _merge_incomplete(idents: Iterable[_Ident]) -> dict[_Ident, _Ident]:
    """Fold a place missing its region or country into the one complete place of that name."""
    complete: dict[str, list[_Ident]] = {}
    idents = list(idents)
    for i in idents:
        if i[2] is not None and i[3] is not None:
            complete.setdefault(i[1], []).append(i)
    merged = {}
    for i in idents:
        if i[2] is not None and i[3] is not None:
            continue
        fits = [
            c
            for c in complete.get(i[1], [])
            if (i[2] is None or i[2] == c[2]) and (i[3] is None or i[3] == c[3])
        ]
        if len(fits) == 1:
            merged[i] = fits[0]
    return merged


# A provider's place (city, county, region, country) and the (countries, regions) its
# service area reaches: all that decides where it counts.
_Where = tuple[tuple[Any, ...] | None, tuple[tuple[str, ...], tuple[str, ...]] | None]


class _Group:
    """The providers of one place and reach: ids per service type and per area (of
    the framework counted), and how many work in any of the areas counted."""

    __slots__ = ("services", "areas", "count")

    def __init__(self) -> None:
        self.services: dict[str, list[str]] = {}
        self.areas: dict[str, list[str]] = {}
        self.count = 0


_Groups = dict[_Where, _Group]


def _place_address(place: tuple[Any, ...] | None) -> Address | None:
    """The public part of an address (never the street or postal code)."""
    from referral_cli.model import Address

    if place is None:
        return None
    return Address(city=place[0], county=place[1], region=place[2], country=place[3])


def _group(
    providers: Iterable[Provider], pop: Population | None, fw: Framework, tax: Taxonomy
) -> tuple[_Groups, _Groups, list[Provider], bool]:
    """Every provider, and those that admit ``pop``, by place and reach (one pass:
    counting then works on groups, not providers); the providers whose service area
    reaches beyond their own place; and whether no id is there twice."""
    everyone: _Groups = {}
    admitted: _Groups = {} if pop is not None else everyone
    reaching: list[Provider] = []
    ids: set[str] = set()
    unique = True
    areas_of: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for p in providers:
        sa = p.service_area
        reach = None
        if sa is not None and (sa.countries or sa.regions):
            reach = (sa.countries, sa.regions)
            reaching.append(p)
        where = (p.place, reach)
        pid = p.id
        if pid in ids:
            unique = False
        ids.add(pid)
        known = areas_of.get(p.services)
        if known is None:
            services = tuple(s for s in dict.fromkeys(p.services) if s in tax.service_types)
            areas = (a for s in services for a in tax.service_types[s].areas_in(fw.key))
            known = areas_of[p.services] = (services, tuple(dict.fromkeys(areas)))
        tables: tuple[_Groups, ...] = (everyone,)
        if pop is not None and admits(p.eligibility, pop):
            tables = (everyone, admitted)
        for table in tables:
            group = table.get(where)
            if group is None:
                group = table[where] = _Group()
            for s in known[0]:
                group.services.setdefault(s, []).append(pid)
            for a in known[1]:
                group.areas.setdefault(a, []).append(pid)
            if known[1]:
                group.count += 1
    return everyone, admitted, reaching, unique


def _group_facets(
    facets: Facets, pop: Population | None, fw: Framework
) -> tuple[_Groups, _Groups, list[Provider], bool]:
    """What :func:`_group` gives, from the groups the index made of each file."""
    from referral_cli.facets import eligibility

    everyone: _Groups = {}
    admitted: _Groups = {} if pop is not None else everyone
    for (place, reach, elig), (services, areas, counts) in facets.groups():
        where = (place, reach)
        tables: tuple[_Groups, ...] = (everyone,)
        if pop is not None and admits(eligibility(elig), pop):
            tables = (everyone, admitted)
        for table in tables:
            group = table.get(where)
            if group is None:
                group = table[where] = _Group()
            for into, columns in (
                (group.services, services),
                (group.areas, areas.get(fw.key, {})),
            ):
                for key, ids in columns.items():
                    if key in into:
                        into[key].extend(ids)
                    else:
                        into[key] = list(ids)
            group.count += counts.get(fw.key, 0)
    return everyone, admitted, facets.reaching(), facets.unique_ids


def _places(wheres: Iterable[_Where], by: str) -> tuple[list[Place], dict[_Where, str | None]]:
    """The places (columns) and, per place and reach of providers, the label of the
    place they are located in (``None``: a remote service located nowhere in particular)."""
    names: dict[_Ident, str] = {}
    located_ident: dict[_Where, _Ident] = {}
    unknown: dict[str, Place] = {}  # providers without the field, by region and country
    located: dict[_Where, str | None] = {}
    seen: dict[tuple[Any, ...] | None, tuple[_Ident, str] | None] = {}
    for where in wheres:  # in the order the providers come
        place, reach = where
        if place in seen:  # most providers share their place with others
            found = seen[place]
        else:
            found = seen[place] = _ident(_place_address(place), by)
        if found is None:
            if reach is not None:
                located[where] = None  # a remote service located nowhere in particular
                continue
            unknown_place = _unknown_place(_place_address(place), by)
            unknown.setdefault(unknown_place.label, unknown_place)
            located[where] = unknown_place.label
            continue
        ident, name = found
        names.setdefault(ident, name)
        located_ident[where] = ident
    merged = _merge_incomplete(names)
    finals = [i for i in names if i not in merged]
    # Labels: the name, told apart by region (then country) when two places share it.
    by_name: dict[str, list[_Ident]] = {}
    for i in finals:
        by_name.setdefault(i[1], []).append(i)
    many_regions = len({i[2] for i in finals if i[2]}) > 1
    many_countries = len({i[3] for i in finals if i[3]}) > 1
    label_of: dict[_Ident, str] = {}
    for group in by_name.values():
        for i in group:
            label = names[i]
            if by == "region":
                label = place_label(region_name(i[3], i[2]) or label, i[3], many_countries)
                if len(group) > 1 and not many_countries:
                    label = f"{label}, {i[3] or '?'}"
            elif len(group) > 1 or (many_regions and by in ("county", "city")):
                region = i[2].split("-", 1)[1] if i[2] and "-" in i[2] else i[2]
                regions = [g[2] for g in group]
                if region and regions.count(i[2]) == 1:
                    label = f"{label}, {region}"
                else:
                    label = f"{label}, {region or '?'}, {i[3] or '?'}"
            label_of[i] = label
    places = [Place(label_of[i], by, i[2] if by != "country" else None, i[3]) for i in finals]
    places.sort(key=lambda pl: _natural(pl.label))
    for where, ident in located_ident.items():
        located[where] = label_of[merged.get(ident, ident)]
    places.extend(sorted(unknown.values(), key=lambda pl: _natural(pl.label)))
    return places, located


def places_of(providers: Sequence[Provider], by: str) -> tuple[list[Place], list[str | None]]:
    """The places of ``providers`` (as the matrix's columns) and the label of the
    place each one is located in (``None``: a remote service located nowhere)."""
    wheres: list[_Where] = []
    for p in providers:
        sa = p.service_area
        reach = (
            (sa.countries, sa.regions) if sa is not None and (sa.countries or sa.regions) else None
        )
        wheres.append((p.place, reach))
    places, located = _places(dict.fromkeys(wheres), resolve_choice("--by", by, BY_CHOICES))
    return places, [located[w] for w in wheres]


def _unknown_place(address: Address | None, by: str) -> Place:
    """Where a provider without the ``by`` field is counted: its state when the
    address gives one (``Baja California, MX``: Mexican addresses name no county),
    else ``(unknown)``, told apart by what the address gives (``(unknown) in MX``)."""
    country = address.country.strip().upper() if address and address.country else None
    region = iso_region(country, address.region) if address and by in ("county", "city") else None
    if by == "country":
        country = None
    named = region_name(country, region)
    if named:
        return Place(place_label(named, country, True), by, region, country)
    where = [w for w in (region.split("-", 1)[1] if region else None, country) if w]
    label = f"{UNKNOWN} in {', '.join(where)}" if where else UNKNOWN
    return Place(label, by, region, country)


def region_name(country: str | None, region: str | None) -> str | None:
    """ "Baja California" for ``MX``/``MX-BC``; None when unknown (or no gazetteer)."""
    from referral_cli import geo
    from referral_cli.errors import ReferralError

    try:
        return geo.region_name(country, region)
    except ReferralError:
        return None


def place_label(name: str, country: str | None, with_country: bool) -> str:
    return f"{name}, {country}" if with_country and country else name


def _natural(text: str) -> tuple[Any, ...]:
    """Sort key: "District 2" before "District 10", case ignored."""
    parts = re.split(r"(\d+)", text.casefold())
    return (tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in parts), text)


def _reach_index(
    places: Sequence[Place],
) -> Callable[[tuple[tuple[str, ...], tuple[str, ...]] | None], list[Place]]:
    """A function giving the places a service area's ``(countries, regions)`` cover.

    A statewide service reaches the places of its region, and the country as a
    whole when places are countries; a national one every place of its country.
    Looked up by key, so counting stays linear in the number of providers.
    """
    by_country: dict[str, list[Place]] = {}
    by_region: dict[str, list[Place]] = {}
    for pl in places:
        if pl.country:
            by_country.setdefault(pl.country, []).append(pl)
        if pl.region:
            by_region.setdefault(pl.region, []).append(pl)

    def reached(reach: tuple[tuple[str, ...], tuple[str, ...]] | None) -> list[Place]:
        if reach is None:
            return []
        countries, regions = reach
        hits: dict[str, Place] = {}
        for country in countries:
            for pl in by_country.get(country.upper(), ()):
                hits[pl.label] = pl
        for region in regions:
            code = region.upper()
            for pl in by_region.get(code, ()):
                hits[pl.label] = pl
            for pl in by_country.get(code.split("-", 1)[0], ()) if "-" in code else ():
                if pl.kind == "country":
                    hits[pl.label] = pl
        return list(hits.values())

    return reached


# --------------------------------------------------------------------------- counting


_Tally = dict[tuple[str, str], tuple[list[str], list[str]]]


@dataclass
class _Counts:
    """Distinct providers counted, per place (located, remote) and in all, when ids
    are unique (then groups, which share no provider, add up); and the remote ids."""

    local: dict[str, int] = field(default_factory=dict)
    remote: dict[str, int] = field(default_factory=dict)
    counted: int = 0
    remote_ids: set[str] = field(default_factory=set)


def _tally(
    groups: _Groups,
    places: Sequence[Place],
    located: dict[_Where, str | None],
    only_area: str | None,
) -> tuple[_Tally, _Tally, _Counts]:
    """(area key, place) and (service key, place) -> (located ids, remote ids); and
    the counts of the areas counted (``only_area``, or all)."""
    by_area: _Tally = {}
    by_service: _Tally = {}
    counts = _Counts()
    reach = _reach_index(places)
    for where, group in groups.items():
        home = located[where]
        reached = [pl.label for pl in reach(where[1]) if pl.label != home]
        if home is None and not reached:
            continue
        for table, columns in ((by_area, group.areas), (by_service, group.services)):
            for key, ids in columns.items():
                if home is not None:
                    table.setdefault((key, home), ([], []))[0].extend(ids)
                for label in reached:
                    table.setdefault((key, label), ([], []))[1].extend(ids)
        n = group.count if only_area is None else len(group.areas.get(only_area, ()))
        if not n:
            continue
        counts.counted += n
        if home is not None:
            counts.local[home] = counts.local.get(home, 0) + n
        for label in reached:
            counts.remote[label] = counts.remote.get(label, 0) + n
        if reached:
            for key, ids in group.areas.items():
                if only_area in (None, key):
                    counts.remote_ids.update(ids)
    return by_area, by_service, counts


def _cell(ids: tuple[list[str], list[str]] | None) -> Cell:
    if ids is None:
        return Cell()
    local, remote = sorted(ids[0]), sorted(ids[1])
    return Cell(len(local), len(remote), tuple(local), tuple(remote))


def _lower_first(text: str) -> str:
    """ "Temporary shelter" -> "temporary shelter"; "LGBTQ" stays."""
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def population_words(pop: Population) -> str:
    """ "Minors (under 18)" -> "minors", "LGBTQ+ people" stays: the words after "for"."""
    return _lower_first(pop.label.split(" (", 1)[0].strip())


def join_words(words: Sequence[str], conjunction: str = "or") -> str:
    """ "a", "a or b", "a, b or c"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


class Indexed(Protocol):
    """A directory as the index serves it (:class:`referral_cli.directory.Directory`)."""

    @property
    def providers(self) -> list[Provider]: ...

    def facets(self) -> Facets | None: ...


def build(
    providers: Sequence[Provider] | Indexed,
    *,
    by: str = "county",
    framework: str | None = "freedom",
    detail: str = "areas",
    population: str | None = None,
    area: str | None = None,
    sort: str = "name",
    tax: Taxonomy | None = None,
) -> Matrix:
    """The coverage matrix of ``providers`` (see the module docstring for the rules);
    places in name order, or with ``sort="gaps"`` those in most need first.

    Raises :class:`UsageError` for an unknown ``by``, ``framework``, ``detail``,
    ``population`` or ``area`` (with a suggestion).
    """
    from referral_cli.describe import reach_text
    from referral_cli.taxonomy import load

    if tax is None:
        tax = load()
    by = resolve_choice("--by", by, BY_CHOICES)
    detail = resolve_choice("--detail", detail, DETAILS)
    sort = resolve_choice("--sort", sort, SORTS)
    fw = resolve_framework(framework, tax)
    pop = resolve_population(population, tax) if population else None
    area_key = resolve_area(area, fw) if area else None
    area_keys = [a.key for a in fw.areas if area_key in (None, a.key)]

    facets = None
    if not isinstance(providers, Sequence):
        facets = providers.facets() if tax is load() else None
        if facets is None:
            providers = providers.providers
    if facets is None:
        assert isinstance(providers, Sequence)
        everyone, admitted, reaching, unique = _group(providers, pop, fw, tax)
    else:
        everyone, admitted, reaching, unique = _group_facets(facets, pop, fw)
    places, located = _places(everyone, by)
    by_area, by_service, counts = _tally(admitted, places, located, area_key)
    everyone_area = by_area
    if pop is not None:
        everyone_area, _, _ = _tally(everyone, places, located, area_key)

    rows: list[Row] = []
    cells: dict[tuple[str, str], Cell] = {}
    for key in area_keys:
        a = fw.area(key)
        rows.append(Row(a.key, a.label, "area", a.key))
        for pl in places:
            cells[(a.key, pl.label)] = _cell(by_area.get((a.key, pl.label)))
        if detail == "services":
            for st in tax.service_types.values():
                if key not in st.areas_in(fw.key):
                    continue
                row = Row(f"{key}/{st.key}", st.label, "service", key, st.key)
                rows.append(row)
                for pl in places:
                    cells[(row.key, pl.label)] = _cell(by_service.get((st.key, pl.label)))

    reach: dict[str, tuple[int, int]] = {}
    for pl in places:
        if unique:
            reach[pl.label] = (counts.local.get(pl.label, 0), counts.remote.get(pl.label, 0))
            continue
        local: set[str] = set()
        remote: set[str] = set()
        for key in area_keys:
            ids = by_area.get((key, pl.label))
            if ids:
                local.update(ids[0])
                remote.update(ids[1])
        reach[pl.label] = (len(local), len(remote))

    critical = [
        s
        for s in CRITICAL_SERVICES
        if s in tax.service_types and set(tax.service_types[s].areas_in(fw.key)) & set(area_keys)
    ]
    who = f" for {population_words(pop)}" if pop else ""
    gaps: list[Gap] = []
    completeness: dict[str, Completeness] = {}
    for pl in places:
        missing = [k for k in area_keys if not by_area.get((k, pl.label))]
        remote_only = [k for k in area_keys if k not in missing and not by_area[(k, pl.label)][0]]
        completeness[pl.label] = Completeness(
            len(area_keys) - len(missing) - len(remote_only), len(remote_only), len(area_keys)
        )
        missing_services = [s for s in critical if not by_service.get((s, pl.label))]
        if not missing and not missing_services and not remote_only:
            continue
        parts = []
        for_nobody = [k for k in missing if not everyone_area.get((k, pl.label))]
        for_them = [k for k in missing if k not in for_nobody]
        if for_nobody:
            parts.append("nothing in " + join_words([fw.area(k).label for k in for_nobody]))
        if for_them:
            parts.append("nothing in " + join_words([fw.area(k).label for k in for_them]) + who)
        if missing_services:
            labels = [_lower_first(tax.service_types[s].label) for s in missing_services]
            parts.append("no " + join_words(labels) + who)
        if remote_only:
            labels = [fw.area(k).label for k in remote_only]
            parts.append("only remote in " + join_words(labels, "and"))
        gaps.append(
            Gap(
                pl.label,
                f"{pl.label}: " + "; ".join(parts),
                tuple(missing),
                tuple(missing_services),
                tuple(remote_only),
            )
        )
    if sort == "gaps":
        _sort_by_need(places, gaps, completeness, reach)
    area_set = set(area_keys)
    counted = counts.counted
    if not unique:
        counted = len(
            {i for (k, _), ids in by_area.items() if k in area_set for i in (*ids[0], *ids[1])}
        )
    remote_ids = sorted(counts.remote_ids)
    by_id = {p.id: p for p in reaching if p.id in counts.remote_ids and admits(p.eligibility, pop)}
    remote_services = [(i, by_id[i].name, reach_text(by_id[i]) or "") for i in remote_ids]
    return Matrix(
        framework=fw,
        by=by,
        detail=detail,
        population=pop,
        area=area_key,
        places=places,
        rows=rows,
        cells=cells,
        gaps=gaps,
        completeness=completeness,
        reach=reach,
        critical=tuple(_lower_first(tax.service_types[s].label) for s in critical),
        remote_services=remote_services,
        counted=counted,
    )


def _sort_by_need(
    places: list[Place],
    gaps: list[Gap],
    completeness: dict[str, Completeness],
    reach: dict[str, tuple[int, int]],
) -> None:
    """Places (and their gaps) in most need first: fewest areas with a provider
    located there, then fewest covered at all, most critical services missing,
    fewest providers located there, then name."""
    missing = {g.place: len(g.missing_services) for g in gaps}

    def need(pl: Place) -> tuple[Any, ...]:
        c = completeness[pl.label]
        local = reach.get(pl.label, (0, 0))[0]
        return (c.located, c.covered, -missing.get(pl.label, 0), local, _natural(pl.label))

    places.sort(key=need)
    order = {pl.label: i for i, pl in enumerate(places)}
    gaps.sort(key=lambda g: order[g.place])


# --------------------------------------------------------------------------- rendering

# Heatmap shades by Cell.level: (background, foreground), shared by terminal and HTML.
# Colours of the xterm 256-colour cube, so 256-colour terminals show the same ones.
SHADES = {
    0: ("#af0000", "#ffffff"),  # none
    1: ("#ffd75f", "#000000"),  # only remote or statewide
    2: ("#d7ffd7", "#000000"),  # one located here
    3: ("#87d787", "#000000"),  # two or three
    4: ("#00875f", "#ffffff"),  # four or more
}
# Empty cells of service rows: paler (in a terminal: no shade), so that the area
# rows, the gaps that count, stand out.
PALE_EMPTY = ("#ffd7d7", "#870000")
SHADE_WORDS = {
    0: "none",
    1: "only remote",
    2: "1",
    3: "2-3",
    4: "4+",
}


# Terminals with only the 16 standard colours, whose shades differ from one theme to
# another: red and yellow blocks for gaps and remote-only help, green numbers else.
STANDARD_SHADES = {
    0: "bold bright_white on red",
    1: "black on yellow",
    2: "green",
    3: "bold green",
    4: "bold bright_green",
}


def _style(level: int, palette: str | None = "full") -> str:
    if palette == "standard":
        return STANDARD_SHADES[level]
    bg, fg = SHADES[level]
    return f"bold {fg} on {bg}" if level == 0 else f"{fg} on {bg}"


def abbreviate(label: str, width: int = 7) -> str:
    """A short column header: the first word, cut to ``width`` letters with a dot
    (``Prevention`` -> ``Prevent.``, ``Restoration`` -> ``Restor.``)."""
    words = label.replace("/", " ").replace("&", " ").split()
    word = words[0] if words else label
    if len(word) <= width + 1:
        return word
    cut = word[:width]
    while len(cut) > 3 and cut[-1].lower() in "aeiouy":
        cut = cut[:-1]
    return cut + "."


def _cell_text(cell: Cell, color: str | None, row: Row | None = None) -> Any:
    from rich.text import Text

    style = ""
    if color:
        pale = row is not None and row.kind == "service" and cell.level == 0
        style = "dim" if pale else _style(cell.level, color)
    return Text(f" {cell.text} ", style=style, justify="center")


def _fits(out: Any, table: Any, *, wrap: bool = False) -> bool:
    """Whether ``table`` fits the console; with ``wrap``, column headers may wrap."""
    from rich.measure import Measurement

    # Measure unconstrained: Rich clamps a measurement to the width it is given.
    options = out.options.update(max_width=100_000)
    measured = Measurement.get(out, options, table)
    return bool((measured.minimum if wrap else measured.maximum) <= out.width)


def _row_label(row: Row) -> Any:
    from referral_cli.output import rich_text

    if row.kind == "area":
        return rich_text(row.label, "bold")
    return rich_text("  " + row.label)


def _score(m: Matrix, place: str) -> str:
    return m.completeness[place].text


def _new_table() -> Any:
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE_HEAD, padding=(0, 0), pad_edge=False, show_edge=False)


def _places_as_columns(m: Matrix, places: Sequence[Place], color: str | None) -> Any:
    from referral_cli.output import rich_text

    table = _new_table()
    first = "Area / service" if m.detail == "services" else "Area"
    table.add_column(first + " ", no_wrap=True)
    for pl in places:
        table.add_column(rich_text(pl.label, "bold"), justify="center", min_width=5)
    for i, row in enumerate(m.rows):
        last_of_area = i + 1 == len(m.rows) or m.rows[i + 1].kind == "area"
        table.add_row(
            _row_label(row),
            *(_cell_text(m.cell(row.key, pl.label), color, row) for pl in places),
            end_section=last_of_area and (m.detail == "services" or i + 1 == len(m.rows)),
        )
    table.add_row(
        rich_text("Areas covered", "italic"), *(rich_text(_score(m, pl.label)) for pl in places)
    )
    return table


def _places_as_rows(m: Matrix, rows: Sequence[Row], color: str | None, short: bool) -> Any:
    from referral_cli.output import rich_text

    table = _new_table()
    table.add_column(m.by.capitalize(), no_wrap=True)
    for row in rows:
        label = abbreviate(row.label) if short else row.label
        table.add_column(rich_text(label, "bold"), justify="center", min_width=5)
    table.add_column(rich_text(" Covered", "italic"), justify="right", no_wrap=True)
    for pl in m.places:
        table.add_row(
            rich_text(pl.label + " "),
            *(_cell_text(m.cell(row.key, pl.label), color) for row in rows),
            rich_text(_score(m, pl.label)),
            end_section=pl is m.places[-1],
        )
    table.add_row(
        rich_text("Places covered", "italic"), *(rich_text(_reach_of(m, r)) for r in rows), ""
    )
    return table


def _reach_of(m: Matrix, row: Row) -> str:
    """ "8/24": in how many places a row has at least one provider."""
    covered = sum(1 for pl in m.places if m.cell(row.key, pl.label).total)
    return f"{covered}/{len(m.places)}"


def _chunks(items: Sequence[Any], fits: Any) -> list[list[Any]]:
    """``items`` cut greedily into runs for which ``fits(run)`` holds (at least one each)."""
    pages: list[list[Any]] = []
    current: list[Any] = []
    for item in items:
        if current and not fits([*current, item]):
            pages.append(current)
            current = []
        current.append(item)
    if current:
        pages.append(current)
    return pages


def _layout(m: Matrix, out: Any, color: str | None) -> tuple[list[Any], bool]:
    """The tables to print, and whether area headers are abbreviated.

    Areas as rows and places as columns when that fits the width; otherwise
    (``detail="areas"``) places as rows and areas as columns, abbreviated if
    needed; on very narrow screens places as columns with wrapped names, or
    else several tables of area columns;
    with service rows, the places are split into several tables of columns.
    """
    table = _places_as_columns(m, m.places, color)
    if _fits(out, table):
        return [table], False
    if m.detail == "areas":
        for short in (False, True):
            table = _places_as_rows(m, m.rows, color, short)
            if _fits(out, table):
                return [table], short
        table = _places_as_columns(m, m.places, color)
        if _fits(out, table, wrap=True):
            return [table], False
        pages = _chunks(m.rows, lambda rows: _fits(out, _places_as_rows(m, rows, color, True)))
        return [_places_as_rows(m, rows, color, True) for rows in pages], True
    pages = _chunks(
        m.places, lambda places: _fits(out, _places_as_columns(m, places, color), wrap=True)
    )
    return [_places_as_columns(m, places, color) for places in pages], False


def print_table(m: Matrix, out: Any) -> None:
    """The heatmap, its legend and the gaps with each place's score, for a terminal.

    Fits ``out.width`` (see :func:`_layout`); plain text without colour when the
    console has none (empty cells read ``--``, so they stand out anyway), without
    the spaces Rich pads lines with.
    """
    color = None
    if out.color_system and not out.no_color:
        color = "standard" if out.color_system in ("standard", "windows") else "full"
    if color:
        _print_table(m, out, color)
        return
    with out.capture() as captured:
        _print_table(m, out, color)
    text = "\n".join(line.rstrip() for line in captured.get().splitlines())
    out.file.write(text + "\n")


def _print_table(m: Matrix, out: Any, color: str | None) -> None:
    from rich.table import Table
    from rich.text import Text

    from referral_cli.output import rich_text

    out.print(rich_text(m.title(), "bold"))
    if not m.places:
        out.print(
            rich_text(
                f"No provider has a {m.by} in its address: there are no places to show."
                " Try --by region or --by country."
            )
        )
        return
    out.print()
    tables, short = _layout(m, out, color)
    for n, table in enumerate(tables, 1):
        if len(tables) > 1:
            out.print(rich_text(f"Part {n} of {len(tables)}", "italic"))
        out.print(table)
    if short:
        keys = [
            f"{abbreviate(r.label)} = {r.label}" for r in m.rows if abbreviate(r.label) != r.label
        ]
        text = "Columns:"
        for key in keys:  # wrapped between keys, never inside one
            if len(text) + 3 + len(key) > out.width and text.strip():
                out.print(rich_text(text + ";"))
                text = "        "
            text += (" " if text.endswith(":") or not text.strip() else ";  ") + key
        if keys:
            out.print(rich_text(text))
    out.print(rich_text(LEGEND))
    out.print(rich_text(COVERED_LEGEND))
    if color:
        swatches = Text("Shading (providers): ")
        for level in SHADES:
            swatches.append(f" {SHADE_WORDS[level]} ", style=_style(level, color))
            swatches.append(" ")
        out.print(swatches)
    out.print()
    if not m.gaps:
        out.print(rich_text("No gaps: every place has every area and critical service.", "bold"))
        return
    out.print(rich_text(f"Gaps ({len(m.gaps)} of {len(m.places)} places)", "bold"))
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for g in m.gaps:
        line = Text()
        line.append_text(rich_text(g.place, "bold"))
        line.append(f" ({_score(m, g.place)}): ")
        line.append_text(rich_text(g.details))
        grid.add_row(" *", line)
    out.print(grid)


def table_text(m: Matrix, width: int = 80) -> str:
    """The terminal rendering as plain text (for ``--output`` with ``--format table``)."""
    import io

    from rich.console import Console

    buf = io.StringIO()
    out = Console(
        file=buf,
        width=width,
        no_color=True,
        color_system=None,
        force_terminal=False,
        highlight=False,
        markup=False,
        emoji=False,
    )
    print_table(m, out)
    return buf.getvalue()


_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def md_text(text: object) -> str:
    """Data text for a Markdown table or list: no raw HTML, no Markdown syntax."""
    from referral_cli.output import clean

    s = _ENTITY.sub("&amp;", clean(text)).replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|~":
        s = s.replace(ch, "\\" + ch)
    return s


def markdown(m: Matrix) -> str:
    """A Markdown table, the legend and the gap list."""
    lines = [f"## {md_text(m.title())}", ""]
    if not m.places:
        lines.append(f"No provider has a {m.by} in its address.")
        return "\n".join(lines) + "\n"
    header = ["Area"] + [md_text(pl.label) for pl in m.places]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" + "|".join(":-:" for _ in m.places) + "|")
    for row in m.rows:
        label = (
            f"**{md_text(row.label)}**"
            if row.kind == "area"
            else f"&nbsp;&nbsp;{md_text(row.label)}"
        )
        cells = [m.cell(row.key, pl.label).text for pl in m.places]
        lines.append("| " + " | ".join([label, *cells]) + " |")
    scores = [_score(m, pl.label) for pl in m.places]
    lines.append("| " + " | ".join(["*Areas covered*", *scores]) + " |")
    lines += ["", LEGEND, "", COVERED_LEGEND, ""]
    if m.gaps:
        lines += ["### Gaps", ""]
        for g in m.gaps:
            score = _score(m, g.place)
            lines.append(f"- **{md_text(g.place)}** ({score}): {md_text(g.details)}")
    else:
        lines.append("No gaps: every place has every area and critical service.")
    return "\n".join(lines) + "\n"


_HTML_SHADE_WORDS = {
    0: "-- nothing",
    1: "0+1 only remote or statewide",
    2: "1 provider",
    3: "2-3 providers",
    4: "4 or more",
}

_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 1.55em; margin: 0 0 4px; }
h2 { font-size: 1.15em; margin: 28px 0 8px; }
.meta { color: #555; margin: 0 0 18px; }
.scroll { overflow-x: auto; }
table.heat { border-collapse: separate; border-spacing: 3px; }
table.heat th { font-weight: 600; text-align: left; padding: 4px 8px; vertical-align: bottom; }
table.heat thead th { text-align: center; max-width: 9em; }
table.heat thead th.row { text-align: left; }
td.score { color: #333; font-style: italic; background: #f2f2f2; }
table.heat th.row { white-space: nowrap; position: sticky; left: 0; background: #fff; }
table.heat th.service { font-weight: 400; padding-left: 22px; }
table.heat td { text-align: center; min-width: 3.6em; padding: 6px 8px; border-radius: 4px;
  font-variant-numeric: tabular-nums; }
td.l0 { font-weight: 700; }
tr.service td.l0 { font-weight: 400; }
tr.score th, tr.score td { color: #333; font-style: italic; background: #f2f2f2; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 14px 0 0; }
.legend span.sw { display: inline-block; padding: 2px 10px; border-radius: 4px; }
.howto { color: #333; margin: 10px 0 0; }
.nw { white-space: nowrap; }
ul.gaps { padding-left: 1.2em; }
ul.gaps li { margin: 4px 0; }
.score-pill { display: inline-block; min-width: 2.6em; text-align: center; background: #eee;
  border-radius: 9px; padding: 0 6px; margin-right: 6px; font-size: .9em; }
footer { margin-top: 32px; color: #666; font-size: .85em; }
@media print { main { padding: 0; } .scroll { overflow: visible; } }
"""


def html(m: Matrix, *, generated: dt.date | None = None) -> str:
    """One self-contained HTML page (inline CSS, no scripts or external assets)."""
    from referral_cli.output import html_text as h

    generated = generated or dt.date.today()
    css = _CSS + "".join(
        f"td.l{level}, span.l{level} {{ background: {bg}; color: {fg}; }}\n"
        for level, (bg, fg) in SHADES.items()
    )
    css += f"tr.service td.l0 {{ background: {PALE_EMPTY[0]}; color: {PALE_EMPTY[1]}; }}\n"
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(m.title())}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body><main>",
        f"<h1>{h(m.title())}</h1>",
    ]
    meta = [f"{len(m.places)} places", f"{m.counted} providers counted"]
    if m.population is not None:
        meta.append(f"only providers that serve {m.population_words}")
    meta.append(f"generated {generated.isoformat()}")
    out.append(f'<p class="meta">{h(" · ".join(meta))}</p>')
    if not m.places:
        out.append(f"<p>No provider has a {h(m.by)} in its address.</p>")
    else:
        out.append(_html_table(m))
        out.append('<div class="legend">')
        for level in SHADES:
            out.append(f'<span class="sw l{level}">{h(_HTML_SHADE_WORDS[level])}</span>')
        out.append("</div>")
        out.append(
            '<p class="howto">Each cell counts the providers serving the place: '
            "<b>2+1</b> means 2 located there and 1 remote or statewide service that reaches it; "
            '<b>0+1</b> means only remote help; <b class="nw">--</b> means nothing. '
            "“Areas covered” reads <b>1+4/5</b>: 1 area with a provider located in the place "
            "and 4 reached only remotely, of 5; a place is complete only when every area "
            "has a provider located there.</p>"
        )
        out.append(f"<h2>Gaps ({len(m.gaps)} of {len(m.places)} places)</h2>")
        if m.gaps:
            out.append('<ul class="gaps">')
            for g in m.gaps:
                score = _score(m, g.place)
                out.append(
                    f'<li><span class="score-pill">{h(score)}</span>'
                    f"<strong>{h(g.place)}</strong>: {h(g.details)}</li>"
                )
            out.append("</ul>")
        else:
            out.append("<p>No gaps: every place has every area and critical service.</p>")
        if m.remote_services:
            out.append("<h2>Remote and statewide services counted</h2>")
            out.append('<ul class="remote">')
            for _, name, reach in m.remote_services:
                words = f" — {h(reach)}" if reach else ""
                out.append(f"<li>{h(name)}{words}</li>")
            out.append("</ul>")
    notes = ["Made with referral-cli (<code>referral coverage</code>)."]
    if m.critical:
        notes.append(
            f"Critical services checked in every place: {h(join_words(m.critical, 'and'))}."
        )
    if any(pl.label.startswith(UNKNOWN) for pl in m.places):
        notes.append(f"{UNKNOWN}: providers whose address gives no {h(m.by)}.")
    out.append(f"<footer>{' '.join(notes)}</footer>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def _html_cell(m: Matrix, row: Row, pl: Place) -> str:
    from referral_cli.output import html_text as h

    c = m.cell(row.key, pl.label)
    tip = f"{pl.label} · {row.label}: {c.local} located here, {c.remote} remote/statewide"
    return f'<td class="l{c.level}" title="{h(tip)}">{h(c.text)}</td>'


def _html_table(m: Matrix) -> str:
    from referral_cli.output import html_text as h

    transpose = m.detail == "areas" and len(m.places) > 8
    lines = ['<div class="scroll"><table class="heat">']
    if transpose:
        heads = "".join(f'<th scope="col">{h(r.label)}</th>' for r in m.rows)
        lines.append(
            f'<thead><tr><th class="row">{h(m.by.capitalize())}</th>{heads}'
            '<th scope="col">Areas covered</th></tr></thead><tbody>'
        )
        for pl in m.places:
            cells = "".join(_html_cell(m, r, pl) for r in m.rows)
            score = _score(m, pl.label)
            lines.append(
                f'<tr><th class="row" scope="row">{h(pl.label)}</th>{cells}'
                f'<td class="score">{h(score)}</td></tr>'
            )
        reached = "".join(f"<td>{h(_reach_of(m, r))}</td>" for r in m.rows)
        lines.append(
            f'<tr class="score"><th class="row" scope="row">Places covered</th>{reached}'
            "<td></td></tr>"
        )
    else:
        first = "Area / service" if m.detail == "services" else "Area"
        heads = "".join(f'<th scope="col">{h(pl.label)}</th>' for pl in m.places)
        lines.append(f'<thead><tr><th class="row">{first}</th>{heads}</tr></thead><tbody>')
        for r in m.rows:
            kind = "row" if r.kind == "area" else "row service"
            cells = "".join(_html_cell(m, r, pl) for pl in m.places)
            tr = ' class="service"' if r.kind == "service" else ""
            lines.append(f'<tr{tr}><th class="{kind}" scope="row">{h(r.label)}</th>{cells}</tr>')
        scores = "".join(f"<td>{h(_score(m, pl.label))}</td>" for pl in m.places)
        lines.append(
            f'<tr class="score"><th class="row" scope="row">Areas covered</th>{scores}</tr>'
        )
    lines.append("</tbody></table></div>")
    return "\n".join(lines)
