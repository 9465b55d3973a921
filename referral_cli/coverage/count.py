"""Counting the coverage matrix: providers grouped by place, reach and whom they
admit, then tallied per row and place, with each place's gaps.

:func:`count` is the one way in. The grouping has two sources that give the same
groups: a walk over the providers (:func:`_group`), and the groups the index made
when it read each file (:func:`_group_facets`, used when the list still carries
them, corrected for the few providers served otherwise than filed); everything
after the grouping is the same code. Counting only (``ids=False``: what every
format shows without ``--ids``) reads the sizes of the index's groups, never
their id lists, while ids are unique.

:func:`count` counts, for every row (a strategy area
of a framework, or with ``detail="services"`` also the service types within each
area) and every place (a county, city, region or country taken from the
providers' public addresses), the providers that serve that place. A cell tells apart the providers **located**
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
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from referral_cli.cachefile import code_digest
from referral_cli.coverage.choices import (
    resolve_area,
    resolve_choice,
    resolve_framework,
    resolve_population,
)
from referral_cli.coverage.model import (
    BY_CHOICES,
    CRITICAL_SERVICES,
    DETAILS,
    SORTS,
    Gap,
    Matrix,
    Place,
    RemoteService,
    lower_first,
    matrix_of_plain,
)
from referral_cli.coverage.places import Where, locate, reach_index, where_of
from referral_cli.coverage.tallies import (
    Counts,
    Tallied,
    Tally,
    completeness_of,
    gap_of,
    reach_of,
    rows_and_cells,
    sort_by_need,
)
from referral_cli.index.facets import Facets, eligibility
from referral_cli.records.describe import reach_text
from referral_cli.records.model import FAMILIES, Eligibility, Provider
from referral_cli.taxonomy import Framework, Population, Taxonomy, load


def admits(e: Eligibility, pop: Population | None) -> bool:
    """Whether a provider with eligibility ``e`` serves people of ``pop``.

    Age ranges must overlap; a stated gender list must include the population's
    gender; group populations (``lgbtq``, ``foreign-nationals``) exclude nobody.
    A provider whose eligibility is not stated is not counted: nobody knows
    whether it serves them. One that takes no children serves no families.
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
    if pop.population == FAMILIES and e.children is False:
        return False
    return not (pop.gender and e.genders and pop.gender not in e.genders)


class _Group:
    """The providers of one place and reach: how many per service type and per area
    (of the framework counted), and how many work in any of the areas counted; with
    their ids when they were read (always on a walk; from the index, when the
    output shows ids or ids repeat, and for groups reaching beyond their place)."""

    __slots__ = ("services", "areas", "count", "service_ids", "area_ids")

    def __init__(self) -> None:
        self.services: dict[str, int] = {}
        self.areas: dict[str, int] = {}
        self.count = 0
        self.service_ids: dict[str, list[str]] = {}
        self.area_ids: dict[str, list[str]] = {}


_Groups = dict[Where, _Group]


@dataclass(frozen=True, slots=True)
class _Grouped:
    """Every provider, and those that admit the population, by place and reach (then
    counting works on groups, not providers); the providers whose service area
    reaches beyond their own place; and whether no id is there twice."""

    everyone: _Groups
    admitted: _Groups
    reaching: list[Provider]
    unique: bool


def _group(
    providers: Iterable[Provider], pop: Population | None, fw: Framework, tax: Taxonomy
) -> _Grouped:
    """The groups, walking every provider (one pass)."""
    everyone: _Groups = {}
    admitted: _Groups = {} if pop is not None else everyone
    reaching: list[Provider] = []
    ids: set[str] = set()
    unique = True
    areas_of: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for p in providers:
        where = where_of(p)
        if where[1] is not None:
            reaching.append(p)
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
            for keys, sizes, lists in (
                (known[0], group.services, group.service_ids),
                (known[1], group.areas, group.area_ids),
            ):
                for key in keys:
                    sizes[key] = sizes.get(key, 0) + 1
                    lists.setdefault(key, []).append(pid)
            if known[1]:
                group.count += 1
    return _Grouped(everyone, admitted, reaching, unique)


class Indexed(Protocol):
    """A directory as the index serves it (:class:`referral_cli.directory.Directory`)."""

    @property
    def providers(self) -> list[Provider]: ...

    def facets(self) -> Facets | None: ...


def _group_facets(
    facets: Facets,
    pop: Population | None,
    fw: Framework,
    tax: Taxonomy,
    ids: bool,
    remote: bool,
) -> _Grouped:
    """The groups, from those the index made of each file. Without ``ids`` (and
    with ids unique), only the sizes of the groups are read, and the ids of the
    few groups that reach beyond their place come from a walk over their
    providers, read only when the ``remote`` services are listed. The few
    providers served otherwise than filed are then taken off and added as served
    (:attr:`Facets.corrections`). The only reader of the index's groups: the
    storage seam of counting."""
    everyone: _Groups = {}
    admitted: _Groups = {} if pop is not None else everyone
    with_ids = ids or not facets.unique_ids

    def put(
        where3: Any,
        services: dict[str, Any],
        areas: dict[str, dict[str, Any]],
        counts: dict[str, int],
        sign: int,
    ) -> None:
        """One summary's group added to the tables (``sign`` 1), or taken off (-1)."""
        place, reach, elig = where3
        where = (place, reach)
        tables: tuple[_Groups, ...] = (everyone,)
        if pop is not None and admits(eligibility(elig), pop):
            tables = (everyone, admitted)
        for table in tables:
            group = table.get(where)
            if group is None:
                group = table[where] = _Group()
            for sizes, lists, columns in (
                (group.services, group.service_ids, services),
                (group.areas, group.area_ids, areas.get(fw.key, {})),
            ):
                for key, found in columns.items():
                    if isinstance(found, int) or not with_ids:  # sizes, not lists
                        n = found if isinstance(found, int) else len(found)
                        sizes[key] = sizes.get(key, 0) + sign * n
                    elif sign > 0:
                        lists.setdefault(key, []).extend(found)
                        sizes[key] = sizes.get(key, 0) + len(found)
                    else:
                        for pid in found:
                            lists[key].remove(pid)
                        sizes[key] -= len(found)
            group.count += sign * counts.get(fw.key, 0)

    for where3, (services, areas, counts) in facets.groups() if with_ids else facets.sizes():
        put(where3, services, areas, counts, 1)
    changed: set[Where] = set()
    for sign, where3, (services, areas, counts) in facets.corrections():
        put(where3, services, areas, counts, sign)
        changed.add(where3[:2])
    for table in (everyone, admitted) if admitted is not everyone else (everyone,):
        for where in changed & table.keys():
            _drop_emptied(table, where)
    reaching = facets.reaching() if remote else []
    if remote and not with_ids:
        walked = _group(reaching, pop, fw, tax)
        for table, groups in ((everyone, walked.everyone), (admitted, walked.admitted)):
            for where, group in groups.items():
                table[where].service_ids = group.service_ids
                table[where].area_ids = group.area_ids
    return _Grouped(everyone, admitted, reaching, facets.unique_ids)


def _drop_emptied(table: _Groups, where: Where) -> None:
    """The rows of a group that corrections left without a provider taken out, and
    the group itself when no service is left (a provider always lists one), as a
    walk of the providers served would not make them."""
    group = table[where]
    for sizes, lists in ((group.services, group.service_ids), (group.areas, group.area_ids)):
        for key in [k for k, n in sizes.items() if not n]:
            del sizes[key]
            lists.pop(key, None)
    if not group.services:
        del table[where]


def _tally(
    groups: _Groups,
    places: Sequence[Place],
    located: dict[Where, str | None],
    only_area: str | None,
    ids: bool,
) -> tuple[Tally, Tally, Counts]:
    """(area key, place) and (service key, place) -> providers located and remote
    (with their ids when ``ids``); and the counts of the areas counted
    (``only_area``, or all).

    Without ids, what reaches places from afar is summed per reach first and
    then added to each place it reaches once (taken back at the provider's own
    place, where it counts as located): a national directory has thousands of
    statewide and national groups and thousands of places."""
    by_area: Tally = {}
    by_service: Tally = {}
    counts = Counts()
    reach = reach_index(places)
    reached_of: dict[Any, list[str]] = {}
    afar: dict[Any, _Afar] = {}
    for where, group in groups.items():
        home = located[where]
        labels = reached_of.get(where[1])
        if labels is None:
            labels = reached_of[where[1]] = [pl.label for pl in reach(where[1])]
        reached = [label for label in labels if label != home]
        if home is None and not reached:
            continue
        n = group.count if only_area is None else group.areas.get(only_area, 0)
        sums = None
        if reached and not ids:
            sums = afar.get(where[1])
            if sums is None:
                sums = afar[where[1]] = _Afar()
            if len(reached) < len(labels):  # its own place is reached too: taken back there
                sums.back.append((home, group, n))
        for table, sizes, lists, summed in (
            (by_area, group.areas, group.area_ids, None if sums is None else sums.areas),
            (
                by_service,
                group.services,
                group.service_ids,
                None if sums is None else sums.services,
            ),
        ):
            for key, size in sizes.items():
                if home is not None:
                    t = _at(table, key, home)
                    t.local += size
                    if ids:
                        t.local_ids.extend(lists[key])
                if summed is not None:
                    summed[key] = summed.get(key, 0) + size
                    continue
                for label in reached:
                    t = _at(table, key, label)
                    t.remote += size
                    if ids:
                        t.remote_ids.extend(lists[key])
        if not n:
            continue
        counts.counted += n
        if home is not None:
            counts.local[home] = counts.local.get(home, 0) + n
        if sums is not None:
            sums.count += n
        else:
            for label in reached:
                counts.remote[label] = counts.remote.get(label, 0) + n
        if reached:
            for key, found in group.area_ids.items():
                if only_area in (None, key):
                    counts.remote_ids.update(found)
    for key, sums in afar.items():
        _spread(sums, reached_of[key], by_area, by_service, counts)
    return by_area, by_service, counts


class _Afar:
    """What the groups of one reach add to every place it reaches."""

    __slots__ = ("areas", "services", "count", "back")

    def __init__(self) -> None:
        self.areas: dict[str, int] = {}
        self.services: dict[str, int] = {}
        self.count = 0
        self.back: list[tuple[str | None, _Group, int]] = []  # added at their own place too


def _spread(
    sums: _Afar, labels: list[str], by_area: Tally, by_service: Tally, counts: Counts
) -> None:
    for label in labels:
        for table, summed in ((by_area, sums.areas), (by_service, sums.services)):
            for key, size in summed.items():
                _at(table, key, label).remote += size
        if sums.count:
            counts.remote[label] = counts.remote.get(label, 0) + sums.count
    for home, group, n in sums.back:
        assert home is not None
        for table, sizes in ((by_area, group.areas), (by_service, group.services)):
            for key, size in sizes.items():
                t = _at(table, key, home)
                t.remote -= size
                if not (t.local or t.remote):
                    del table[(key, home)]
        if n:
            counts.remote[home] -= n
            if not counts.remote[home]:
                del counts.remote[home]


def _at(table: Tally, key: str, place: str) -> Tallied:
    t = table.get((key, place))
    if t is None:
        t = table[(key, place)] = Tallied()
    return t


def count(
    providers: Sequence[Provider] | Indexed,
    *,
    by: str = "county",
    framework: str | None = "freedom",
    detail: str = "areas",
    population: str | None = None,
    area: str | None = None,
    sort: str = "name",
    tax: Taxonomy | None = None,
    ids: bool = True,
    remote_services: bool = True,
) -> Matrix:
    """The coverage matrix of ``providers`` (see :mod:`referral_cli.coverage` for the
    rules); places in name order, or with ``sort="gaps"`` those in most need first.
    Without ``ids`` the cells carry counts only (all but the machine formats show),
    and an indexed directory whose ids are unique is counted from the sizes of its
    groups, never reading their id lists. Without ``remote_services`` the list of
    remote services (only HTML shows it) is left empty and their providers unread.

    Raises :class:`UnknownChoice` for an unknown ``by``, ``framework``, ``detail``,
    ``population``, ``area`` or ``sort`` (with a suggestion).
    """
    if tax is None:
        tax = load()
    by = resolve_choice("by", by, BY_CHOICES)
    detail = resolve_choice("detail", detail, DETAILS)
    sort = resolve_choice("sort", sort, SORTS)
    fw = resolve_framework(framework, tax)
    pop = resolve_population(population, tax) if population else None
    area_key = resolve_area(area, fw) if area else None

    facets = None
    if not isinstance(providers, Sequence):
        # The index's groups were made with the packaged taxonomy only.
        facets = providers.facets() if tax is load() else None
        providers = providers.providers if facets is None else ()
    if facets is None or ids:
        return _count(
            providers, facets, by, fw, detail, pop, area_key, sort, tax, ids, remote_services
        )
    # Counts only, from the index: the matrix is remembered for these very files,
    # this question and this code (a national directory's takes seconds to count).
    # The question is kept as the taxonomy's keys, never as the words typed.
    asked = repr(
        (
            by,
            fw.key,
            detail,
            pop and pop.key,
            area_key,
            sort,
            remote_services,
            code_digest("coverage"),
        )
    )
    with contextlib.suppress(KeyError, ValueError, TypeError, IndexError):
        if (found := facets.recalled(asked)) is not None:
            return matrix_of_plain(found, tax)
    m = _count((), facets, by, fw, detail, pop, area_key, sort, tax, ids, remote_services)
    facets.keep(asked, m.as_plain())
    return m


def _count(
    providers: Sequence[Provider],
    facets: Facets | None,
    by: str,
    fw: Framework,
    detail: str,
    pop: Population | None,
    area_key: str | None,
    sort: str,
    tax: Taxonomy,
    ids: bool,
    remote_services: bool,
) -> Matrix:
    """The matrix of ``providers``, or of the index's ``facets`` when given."""
    area_keys = [a.key for a in fw.areas if area_key in (None, a.key)]
    if facets is not None:
        grouped = _group_facets(facets, pop, fw, tax, ids, remote_services)
    else:
        grouped = _group(providers, pop, fw, tax)
    with_ids = ids or not grouped.unique  # repeated ids are counted as sets of ids
    places, located = locate(grouped.everyone, by)
    by_area, by_service, counts = _tally(grouped.admitted, places, located, area_key, with_ids)
    everyone_area = by_area
    if pop is not None:
        everyone_area, _, _ = _tally(grouped.everyone, places, located, area_key, False)

    rows, cells = rows_and_cells(fw, tax, area_keys, detail, places, by_area, by_service, ids)
    reach = reach_of(places, area_keys, by_area, counts, grouped.unique)
    critical = [
        s
        for s in CRITICAL_SERVICES
        if s in tax.service_types and set(tax.service_types[s].areas_in(fw.key)) & set(area_keys)
    ]
    completeness = {pl.label: completeness_of(area_keys, by_area, pl.label) for pl in places}
    gaps: list[Gap] = []
    for pl in places:
        gap = gap_of(
            pl.label, fw, tax, pop, area_keys, critical, by_area, by_service, everyone_area
        )
        if gap is not None:
            gaps.append(gap)
    if sort == "gaps":
        sort_by_need(places, gaps, completeness, reach)
    area_set = set(area_keys)
    counted = counts.counted
    if not grouped.unique:
        counted = len(
            {
                i
                for (k, _), t in by_area.items()
                if k in area_set
                for i in (*t.local_ids, *t.remote_ids)
            }
        )
    by_id = {
        p.id: p
        for p in grouped.reaching
        if p.id in counts.remote_ids and admits(p.eligibility, pop)
    }
    remote = tuple(
        RemoteService(i, by_id[i].name, reach_text(by_id[i]) or "")
        for i in (sorted(counts.remote_ids) if remote_services else ())
    )
    return Matrix(
        framework=fw,
        by=by,
        detail=detail,
        population=pop,
        area=area_key,
        places=tuple(places),
        rows=tuple(rows),
        cells=cells,
        gaps=tuple(gaps),
        completeness=completeness,
        reach=reach,
        critical=tuple(lower_first(tax.service_types[s].label) for s in critical),
        remote_services=remote,
        counted=counted,
    )
