"""Summaries of a file's providers, made once when its index entry is written.

``coverage`` would otherwise walk every provider to sort them by place. The
index stores, with each file's providers, what that walk computes: per place,
reach and eligibility (the three things that decide where and for whom a
provider counts in the coverage matrix), per service type and per area of each
framework of the taxonomy, the ids of the providers in it, and how many work in
any area of each framework; the same groups with the sizes of those id lists
only (all that a matrix of counts reads); and the number of providers per
country. The
taxonomy is part of every index entry's key, so a summary is never older than
the code reading it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any, NamedTuple

from referral_cli.records.model import Eligibility, Provider
from referral_cli.taxonomy import load

if TYPE_CHECKING:
    from referral_cli.taxonomy import Taxonomy

_EVERYONE = Eligibility()

# (place, (countries, regions) reached or None, eligibility row or None)
Where = tuple[Any, Any, Any]
# Per such group: per service type, the ids of the providers offering it; per
# framework, per strategy area, the ids of the providers working in it (through
# their service types); per framework, how many work in any of its areas.
Group = tuple[dict[str, list[str]], dict[str, dict[str, list[str]]], dict[str, int]]
Groups = dict[Where, Group]
# The same group with the number of ids of each list in place of the list.
Sizes = tuple[dict[str, int], dict[str, dict[str, int]], dict[str, int]]
SizesOfGroups = dict[Where, Sizes]


class Summary(NamedTuple):
    """One file's summary (stored as plain values)."""

    groups: Groups
    sizes: SizesOfGroups
    countries: dict[str, int]  # providers per address country, in order of appearance
    unique: bool  # no id there twice


def reach_of(p: Provider) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The ``(countries, regions)`` a provider's service area covers beyond its own
    place, or ``None``: what the coverage matrix counts as remote reach."""
    sa = p.service_area
    if sa is None or not (sa.countries or sa.regions):
        return None
    return (sa.countries, sa.regions)


_EVERYONE_KEY = (None, None, (), (), (), None, True, None, None, None, (), ())


def _eligibility_key(p: Provider) -> tuple[Any, ...] | None:
    e = p.eligibility
    key = (
        e.min_age,
        e.max_age,
        e.genders,
        e.trafficking,
        e.populations,
        e.notes,
        e.stated,
        e.children,
        e.boys_max_age,
        e.girls_max_age,
        e.residents_of,
        e.unstated,
    )
    return None if key == _EVERYONE_KEY else key


def _counted_key(key: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """An eligibility row less what counting never reads (trafficking types,
    populations, notes, the oldest children taken along, where they must live, what is
    not stated: :func:`referral_cli.coverage.count.admits` reads the ages,
    the genders, the children and whether it is stated), so that sums merge more groups."""
    if key is None:
        return None
    counted = (key[0], key[1], key[2], (), (), None, key[6], key[7], None, None, (), ())
    return None if counted == _EVERYONE_KEY else counted


def summed(per_file: Iterable[SizesOfGroups]) -> SizesOfGroups:
    """The group sizes of several files as one set of groups: sizes of the same
    place, reach and counted eligibility added up (the providers of a directory
    whose ids are unique are in one group only, so sizes add)."""
    total: SizesOfGroups = {}
    for sizes in per_file:
        _fold(total, sizes, 1)
    return total


def summed_again(
    total: SizesOfGroups, removed: Iterable[SizesOfGroups], added: Iterable[SizesOfGroups]
) -> SizesOfGroups:
    """A sum made by :func:`summed` (changed in place) less the sizes of some files
    and with those of others: what :func:`summed` makes of the files then. A
    size that falls to nothing is taken out, and a group with no service left
    (a provider always lists one), as a sum of the files would not have them."""
    for sizes in removed:
        _fold(total, sizes, -1)
    for sizes in added:
        _fold(total, sizes, 1)
    return total


def _fold(total: SizesOfGroups, sizes: SizesOfGroups, sign: int) -> None:
    """One file's group sizes added to ``total`` (``sign`` 1) or taken off it (-1:
    its groups must be there, a ``KeyError`` else)."""
    for (place, reach, elig), (services, areas, counts) in sizes.items():
        where = (place, reach, _counted_key(elig))
        found = total.get(where)
        if found is None:
            if sign < 0:
                raise KeyError(where)
            found = total[where] = ({}, {}, {})
        _add(found[0], services, sign)
        for fw, by_area in areas.items():
            _add(found[1][fw] if sign < 0 else found[1].setdefault(fw, {}), by_area, sign)
        _add(found[2], counts, sign)
        if sign < 0 and not found[0]:
            del total[where]


def _add(into: dict[str, int], sizes: dict[str, int], sign: int) -> None:
    for key, n in sizes.items():
        left = into.get(key, 0) + sign * n
        if left or sign > 0:
            into[key] = left
        else:
            del into[key]


def eligibility(key: tuple[Any, ...] | None) -> Eligibility:
    """The eligibility a group of :meth:`Facets.groups` stands for."""
    return _EVERYONE if key is None else Eligibility(*key)


def summarised(p: Provider) -> tuple[str, Where, tuple[str, ...]]:
    """All that a summary reads of a provider: its id, its group (place, reach,
    eligibility) and its service types."""
    return p.id, (p.place, reach_of(p), _eligibility_key(p)), p.services


def summarise(providers: Sequence[Provider]) -> Summary:
    """The summary of a file's providers (in their order)."""
    tax = load()
    by_where: dict[Where, dict[str, list[str]]] = {}
    countries: dict[str, int] = {}
    ids: set[str] = set()
    for p in providers:
        pid, where, services = summarised(p)
        ids.add(pid)
        place = where[0]
        if place is not None and place[3]:
            countries[place[3]] = countries.get(place[3], 0) + 1
        by_service = by_where.get(where)
        if by_service is None:
            by_service = by_where[where] = {}
        for s in services:
            listed = by_service.get(s)
            if listed is None:
                if s in tax.service_types:
                    by_service[s] = [pid]
            elif listed[-1] is not pid:  # listed twice: once
                listed.append(pid)
    groups = _with_areas(by_where, tax)
    return Summary(groups, _sizes(groups), countries, len(ids) == len(providers))


def _with_areas(by_where: dict[Where, dict[str, list[str]]], tax: Taxonomy) -> Groups:
    """Each group's ids per area of each framework, from its ids per service type."""
    frameworks = {
        fw: {key: st.areas_in(fw) for key, st in tax.service_types.items()} for fw in tax.frameworks
    }
    groups: Groups = {}
    for where, by_service in by_where.items():
        areas: dict[str, dict[str, list[str]]] = {}
        counts: dict[str, int] = {}
        for fw, areas_of in frameworks.items():
            lists: dict[str, list[list[str]]] = {}
            for s, listed in by_service.items():
                for a in areas_of[s]:
                    lists.setdefault(a, []).append(listed)
            areas[fw] = {a: _union(found) for a, found in lists.items()}
            counts[fw] = len(_union([by_service[s] for s in by_service if areas_of[s]]))
        groups[where] = (by_service, areas, counts)
    return groups


def _sizes(groups: Groups) -> SizesOfGroups:
    return {
        where: (
            {s: len(ids) for s, ids in services.items()},
            {fw: {a: len(ids) for a, ids in by_area.items()} for fw, by_area in areas.items()},
            counts,
        )
        for where, (services, areas, counts) in groups.items()
    }


def _union(lists: list[list[str]]) -> list[str]:
    if len(lists) == 1:
        return lists[0]
    return list(dict.fromkeys(chain.from_iterable(lists)))


# A group to take off (-1) or add (1): see :func:`corrections`.
Correction = tuple[int, Where, Group]


def corrections(served_otherwise: Iterable[tuple[Provider, Provider | None]]) -> list[Correction]:
    """What providers served otherwise than filed (each as filed, and as served:
    ``None`` when left out) change in the groups of :meth:`Facets.groups` (and
    :meth:`Facets.sizes`): the group of each as filed to take off, and as
    served to add, for those whose summary serving changes. Exact when no id
    is twice in one file (a file's summary counts such an id once)."""
    out: list[Correction] = []
    for filed, served in served_otherwise:
        if served is not None and summarised(filed) == summarised(served):
            continue
        for sign, p in ((-1, filed), (1, served)):
            if p is not None:
                out += [(sign, where, group) for where, group in summarise([p]).groups.items()]
    return out


@dataclass(frozen=True)
class Facets:
    """The summaries of the files of a directory, for ``coverage``."""

    groups_of_files: Callable[[], Iterable[Groups]]
    sizes_of_files: Callable[[], Iterable[SizesOfGroups]]
    reaching: Callable[[], list[Provider]]  # the providers reaching regions or countries
    unique_ids: bool  # no id in the directory twice (an id then stands for its provider)
    # What the few providers served otherwise than filed change in the groups
    # (:func:`corrections`).
    corrections: Callable[[], Iterable[Correction]]
    # What was kept (plain values) for exactly these files and a question, and
    # keeping it: ``coverage`` remembers the matrices it counted.
    recalled: Callable[[str], Any]
    keep: Callable[[str, Any], None]

    def groups(self) -> Iterator[tuple[Where, Group]]:
        """Per place, reach and eligibility, file by file: see :data:`Group` (ids in
        the order of the providers; a group may come again from a later file)."""
        for groups in self.groups_of_files():
            yield from groups.items()

    def sizes(self) -> Iterator[tuple[Where, Sizes]]:
        """The same groups, with how many ids each list has (not the ids): cheap
        to read when only counts are shown."""
        for sizes in self.sizes_of_files():
            yield from sizes.items()


def countries(per_file: Iterable[dict[str, int]]) -> dict[str, int]:
    """Providers per address country, in the order countries first appear."""
    counts: dict[str, int] = {}
    for found in per_file:
        for country, n in found.items():
            counts[country] = counts.get(country, 0) + n
    return counts
