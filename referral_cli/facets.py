"""Summaries of a file's providers, made once when its index entry is written.

A warm command would otherwise spend most of its time walking every provider in
Python: ``find`` to keep those offering a service, ``coverage`` to sort them by
place. The index stores, with each file's rows, what those walks compute:

* per service type and per strategy area, the positions of the providers that
  list it (the hard filters of a search);
* per place, reach and eligibility (the three things that decide where and for
  whom a provider counts in the coverage matrix): per service type, and per area
  of each framework of the taxonomy, the ids of the providers in it, and how
  many work in any area of each framework;
* the positions of the providers whose service area reaches regions or countries;
* the number of providers per country, the ids, and whether an id is there twice.

:class:`ProviderList` carries them with the providers they summarise. They are
used only while the list holds exactly those providers in that order (checked
by identity, which is cheap), and by ``coverage`` only with the taxonomy they
were made with; otherwise the providers are walked as before. The taxonomy and
the program version are part of every index entry's key, so a summary is never
older than the code reading it.
"""

from __future__ import annotations

import operator
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

from referral_cli.model import Eligibility, Provider

if TYPE_CHECKING:
    from referral_cli.taxonomy import Taxonomy

_POSITION = "I"
_EVERYONE = Eligibility()

# (place, (countries, regions) reached or None, eligibility row or None)
Where = tuple[Any, Any, Any]
# Per such group: per service type, the ids of the providers offering it; per
# framework, per strategy area, the ids of the providers working in it (through
# their service types); per framework, how many work in any of its areas.
Group = tuple[dict[str, list[str]], dict[str, dict[str, list[str]]], dict[str, int]]
Groups = dict[Where, Group]
# Stored as plain values (marshal): (offering, in_area, groups, reaching, countries,
# the ids, whether no id is there twice). The groups, which only ``coverage`` reads,
# may be given as a function that loads them when first asked for.
Summary = tuple[
    dict[str, bytes],
    dict[str, bytes],
    Groups | Callable[[], Groups],
    bytes,
    dict[str, int],
    list[str],
    bool,
]


def reach_of(p: Provider) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The ``(countries, regions)`` a provider's service area covers beyond its own
    place, or ``None``: what the coverage matrix counts as remote reach."""
    sa = p.service_area
    if sa is None or not (sa.countries or sa.regions):
        return None
    return (sa.countries, sa.regions)


_EVERYONE_KEY = (None, None, (), (), (), None, True)


def _eligibility_key(p: Provider) -> tuple[Any, ...] | None:
    e = p.eligibility
    key = (e.min_age, e.max_age, e.genders, e.trafficking, e.populations, e.notes, e.stated)
    return None if key == _EVERYONE_KEY else key


def eligibility(key: tuple[Any, ...] | None) -> Eligibility:
    """The eligibility a group of :meth:`Facets.groups` stands for."""
    return _EVERYONE if key is None else Eligibility(*key)


def summarise(
    providers: Sequence[Provider],
) -> tuple[dict[str, bytes], dict[str, bytes], Groups, bytes, dict[str, int], list[str], bool]:
    """The summary of a file's providers (in their order)."""
    from referral_cli.taxonomy import load

    tax = load()
    offering: dict[str, array[int]] = {}
    in_area: dict[str, array[int]] = {}
    by_where: dict[Where, dict[str, list[str]]] = {}
    reaching = array(_POSITION)
    countries: dict[str, int] = {}
    ids: list[str] = []
    for position, p in enumerate(providers):
        pid = p.id
        ids.append(pid)
        for table, values in ((offering, p.services), (in_area, p.areas)):
            for value in values:
                positions = table.get(value)
                if positions is None:
                    table[value] = array(_POSITION, [position])
                elif positions[-1] != position:  # listed twice: once
                    positions.append(position)
        reach = reach_of(p)
        if reach is not None:
            reaching.append(position)
        place = p.place
        if place is not None and place[3]:
            countries[place[3]] = countries.get(place[3], 0) + 1
        where = (place, reach, _eligibility_key(p))
        by_service = by_where.get(where)
        if by_service is None:
            by_service = by_where[where] = {}
        for s in p.services:
            listed = by_service.get(s)
            if listed is None:
                if s in tax.service_types:
                    by_service[s] = [pid]
            elif listed[-1] is not pid:  # listed twice: once
                listed.append(pid)
    return (
        {k: v.tobytes() for k, v in offering.items()},
        {k: v.tobytes() for k, v in in_area.items()},
        _with_areas(by_where, tax),
        reaching.tobytes(),
        countries,
        ids,
        len(set(ids)) == len(ids),
    )


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


def _union(lists: list[list[str]]) -> list[str]:
    if len(lists) == 1:
        return lists[0]
    return list(dict.fromkeys(chain.from_iterable(lists)))


def _positions(data: bytes) -> array[int]:
    out = array(_POSITION)
    out.frombytes(data)
    return out


class Facets:
    """The summaries of the files making up a list of providers."""

    __slots__ = ("_parts", "_snapshot", "unique_ids")

    def __init__(self, parts: list[tuple[int, Summary]], providers: Sequence[Provider]) -> None:
        self._parts = parts  # (position of the file's first provider, its summary)
        self._snapshot = tuple(providers)
        # Known to hold no id twice (then a provider's id stands for it in counts).
        self.unique_ids = False

    @classmethod
    def combine(cls, pieces: Iterable[tuple[Facets, int]], providers: Sequence[Provider]) -> Facets:
        """The facets of lists joined end to end: ``pieces`` are each list's facets
        and length, in order."""
        parts: list[tuple[int, Summary]] = []
        base = 0
        for facets, length in pieces:
            parts.extend((base + start, summary) for start, summary in facets._parts)
            base += length
        return cls(parts, providers)

    def describe(self, providers: Sequence[Provider]) -> bool:
        """Whether these facets are those of ``providers``: the same objects in the
        same order as when they were made."""
        snapshot = self._snapshot
        return len(providers) == len(snapshot) and all(map(operator.is_, providers, snapshot))

    def _having(self, index: int, value: str) -> list[int]:
        out: list[int] = []
        for base, summary in self._parts:
            found = (summary[0] if index == 0 else summary[1]).get(value)
            if found:
                positions = _positions(found)
                out.extend(positions if not base else [base + i for i in positions])
        return out

    def having(self, services: Sequence[str], areas: Sequence[str]) -> list[int]:
        """Positions, in order, of the providers listing every one of ``services``
        and ``areas``."""
        wanted = [(0, s) for s in services] + [(1, a) for a in areas]
        if not wanted:
            return list(range(len(self._snapshot)))
        found = [self._having(index, value) for index, value in wanted]
        found.sort(key=len)
        if len(found) == 1:
            return found[0]
        keep = set(found[0]).intersection(*found[1:])
        return [i for i in found[0] if i in keep]

    def reaching(self) -> list[int]:
        """Positions of the providers whose service area reaches regions or countries."""
        out: list[int] = []
        for base, summary in self._parts:
            out.extend(base + i for i in _positions(summary[3]))
        return out

    def groups(self) -> Iterator[tuple[Where, Group]]:
        """Per place, reach and eligibility, file by file: see :data:`Group` (ids in
        the order of the providers; a group may come again from a later file). Read
        only."""
        for _, summary in self._parts:
            groups = summary[2]
            yield from (groups if isinstance(groups, dict) else groups()).items()

    def repeated_ids(self) -> bool:
        """Whether some id is there twice (each file knows whether it has one)."""
        if not all(summary[6] for _, summary in self._parts):
            return True
        if len(self._parts) == 1:
            return False
        seen: set[str] = set()
        for _, summary in self._parts:
            seen.update(summary[5])
        return len(seen) < len(self._snapshot)

    def countries(self) -> dict[str, int]:
        """Providers per address country, in the order countries first appear."""
        counts: dict[str, int] = {}
        for _, summary in self._parts:
            for country, n in summary[4].items():
                counts[country] = counts.get(country, 0) + n
        return counts


class ProviderList(list[Provider]):
    """A list of providers, with the :class:`Facets` of its contents when known.

    A copy or a pickle is of the providers only (the facets stay with the index)."""

    facets: Facets | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (ProviderList, (list(self),))


def facets_of(providers: Iterable[Provider]) -> Facets | None:
    """The facets of ``providers``, if it carries them and is unchanged since."""
    if not isinstance(providers, ProviderList):
        return None
    facets = providers.facets
    if facets is not None and facets.describe(providers):
        return facets
    return None
