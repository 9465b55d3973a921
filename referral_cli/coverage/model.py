"""The coverage matrix as records: places, rows, cells, gaps, and the matrix itself.

Counting (:mod:`referral_cli.coverage.count`) makes a :class:`Matrix`; the
renderers only read it. The rules behind every number are in the package
docstring (:mod:`referral_cli.coverage`).

JSON shape (``referral coverage --format json``; a stable contract — keys may be
added, never renamed or removed without a new ``format_version``)::

    {
      "format_version": 2,
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
      ],                                    # one per row x place, rows then places;
                                            # the ids only with --ids
      "gaps": [
        {"place": "Tulare County",
         "message": "Tulare County: nothing in Restoration; no temporary shelter for minors",
         "missing_areas": ["restoration"],
         "missing_services": ["temporary-shelter"],
         "remote_only_areas": ["reforms"]}
      ]                                     # only places with a gap, in place order
    }

Version 2: a cell lists its providers' ids only when asked (``--ids``): a
count of a large directory need not read every id. ``cells[].place`` and
``gaps[].place`` are the ``label`` of a place; ``cells[].row``
is the ``key`` of a row. ``places[].providers`` counts distinct providers (located,
remote) that reach the place through any of the rows shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from referral_cli.taxonomy import Framework, Population, Taxonomy

BY_CHOICES = ("county", "city", "region", "country")
DETAILS = ("areas", "services")
SORTS = ("name", "gaps")
MATRICES = ("areas", "capacity", "languages", "stale")  # areas: the coverage matrix
# The coverage matrix's own version of its JSON (README "Output for machines"): 2 since
# the cells' ids are given only with --ids.
MATRIX_FORMAT_VERSION = 2
CRITICAL_SERVICES = ("temporary-shelter", "counseling", "legal-aid", "medical")
UNKNOWN = "(unknown)"
EMPTY = "--"
COUNT_COLUMNS = (  # the CSV's columns; with --ids also the cells' ids (CSV_COLUMNS)
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
)
CSV_COLUMNS = (*COUNT_COLUMNS, "local_ids", "remote_ids")


@dataclass(frozen=True, slots=True)
class PlaceKey:
    """What makes two providers' places the same before the place has a label: the
    kind, the name case-folded, and the region and country when the address gives them."""

    kind: str  # county | city | region | country
    name: str  # folded: "fresno county"
    region: str | None  # ISO 3166-2, such as "US-CA"
    country: str | None  # ISO 3166-1, such as "US"

    @property
    def complete(self) -> bool:
        return self.region is not None and self.country is not None


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
    """What a place lacks, in words and as keys."""

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


class Reach(NamedTuple):
    """Distinct providers that reach a place through any of the rows shown (a pair,
    ``(local, remote)``, as it was before it had names)."""

    local: int = 0
    remote: int = 0

    @property
    def total(self) -> int:
        return self.local + self.remote


@dataclass(frozen=True, slots=True)
class RemoteService:
    """A remote or statewide service counted somewhere, for the page's list of them."""

    id: str
    name: str
    reach: str  # "statewide in California", or "" when nothing is known to say


@dataclass(frozen=True, slots=True)
class Matrix:
    framework: Framework
    by: str
    detail: str
    population: Population | None
    area: str | None
    places: tuple[Place, ...]
    rows: tuple[Row, ...]
    cells: Mapping[tuple[str, str], Cell]  # (row key, place label) -> cell
    gaps: tuple[Gap, ...]
    completeness: Mapping[str, Completeness]  # place label -> completeness
    reach: Mapping[str, Reach]  # place label -> providers reaching it
    counted: int = 0  # distinct providers counted in any cell
    critical: tuple[str, ...] = ()  # labels of the critical services checked for gaps
    remote_services: tuple[RemoteService, ...] = ()

    def cell(self, row_key: str, place: str) -> Cell:
        return self.cells.get((row_key, place), Cell())

    def gap(self, place: str) -> Gap | None:
        return next((g for g in self.gaps if g.place == place), None)

    def score(self, place: str) -> str:
        """The place's completeness as shown in every format: ``1+4/5``."""
        return self.completeness[place].text

    def places_covered(self, row: Row) -> str:
        """ "8/24": in how many places a row has at least one provider."""
        covered = sum(1 for pl in self.places if self.cell(row.key, pl.label).total)
        return f"{covered}/{len(self.places)}"

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

    def as_dict(self, ids: bool = True) -> dict[str, Any]:
        """The JSON document described in this module's docstring (each cell's
        ids with ``ids``)."""
        return {
            "format_version": MATRIX_FORMAT_VERSION,
            "framework": {"key": self.framework.key, "label": self.framework.label},
            "by": self.by,
            "detail": self.detail,
            "population": (
                {"key": self.population.key, "label": self.population.label}
                if self.population
                else None
            ),
            "area": self.area,
            "places": [self._place_dict(p) for p in self.places],
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
                {"row": r.key, "place": p.label, **_cell_dict(self.cell(r.key, p.label), ids)}
                for r in self.rows
                for p in self.places
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

    def _place_dict(self, p: Place) -> dict[str, Any]:
        reach = self.reach.get(p.label, Reach())
        c = self.completeness[p.label]
        return {
            "label": p.label,
            "kind": p.kind,
            "region": p.region,
            "country": p.country,
            "providers": {"local": reach.local, "remote": reach.remote, "total": reach.total},
            "completeness": {
                "covered": c.covered,
                "located": c.located,
                "remote_only": c.remote_only,
                "total": c.total,
                "complete": c.complete,
            },
        }

    def csv_rows(self, ids: bool = True) -> list[dict[str, Any]]:
        """One row per matrix row x place (columns: :data:`CSV_COLUMNS`, the ids
        only with ``ids``)."""
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
                **_cell_dict(self.cell(r.key, p.label), ids),
            }
            for r in self.rows
            for p in self.places
        ]

    @property
    def csv_columns(self) -> tuple[str, ...]:
        return CSV_COLUMNS

    def as_plain(self) -> tuple[Any, ...]:
        """The matrix as plain values (for :mod:`marshal`), its framework and
        population by key: what the index remembers of a count
        (:func:`matrix_of_plain` reads it back)."""
        return (
            self.framework.key,
            self.by,
            self.detail,
            None if self.population is None else self.population.key,
            self.area,
            [(p.label, p.kind, p.region, p.country) for p in self.places],
            [(r.key, r.label, r.kind, r.area, r.service) for r in self.rows],
            [(*k, c.local, c.remote, c.local_ids, c.remote_ids) for k, c in self.cells.items()],
            [
                (g.place, g.message, g.missing_areas, g.missing_services, g.remote_only_areas)
                for g in self.gaps
            ],
            [(k, c.located, c.remote_only, c.total) for k, c in self.completeness.items()],
            [(k, r.local, r.remote) for k, r in self.reach.items()],
            self.counted,
            self.critical,
            [(r.id, r.name, r.reach) for r in self.remote_services],
        )


def matrix_of_plain(values: Sequence[Any], tax: Taxonomy) -> Matrix:
    """The matrix :meth:`Matrix.as_plain` gave (a ``KeyError`` or ``ValueError`` if
    it is not one, or names what ``tax`` lacks)."""
    fw, by, detail, pop, area, places, rows, cells, gaps, complete, reach = values[:11]
    counted, critical, remote = values[11:]
    return Matrix(
        framework=tax.frameworks[fw],
        by=by,
        detail=detail,
        population=None if pop is None else tax.populations[pop],
        area=area,
        places=tuple(Place(*p) for p in places),
        rows=tuple(Row(*r) for r in rows),
        cells={(c[0], c[1]): Cell(*c[2:]) for c in cells},
        gaps=tuple(Gap(*g) for g in gaps),
        completeness={c[0]: Completeness(*c[1:]) for c in complete},
        reach={r[0]: Reach(*r[1:]) for r in reach},
        counted=counted,
        critical=tuple(critical),
        remote_services=tuple(RemoteService(*r) for r in remote),
    )


def _cell_dict(c: Cell, ids: bool) -> dict[str, Any]:
    """A cell's counts, and its ids with ``ids``, as JSON and CSV give them."""
    counts = {"local": c.local, "remote": c.remote, "total": c.total}
    if not ids:
        return counts
    return {**counts, "local_ids": list(c.local_ids), "remote_ids": list(c.remote_ids)}


def lower_first(text: str) -> str:
    """ "Temporary shelter" -> "temporary shelter"; "LGBTQ" stays."""
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def population_words(pop: Population) -> str:
    """ "Minors (under 18)" -> "minors", "LGBTQ+ people" stays: the words after "for"."""
    return lower_first(pop.label.split(" (", 1)[0].strip())


def join_words(words: Sequence[str], conjunction: str = "or") -> str:
    """ "a", "a or b", "a, b or c"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
