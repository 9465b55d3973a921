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
from typing import Any

from referral_cli.model import Eligibility, Provider

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


def _eligibility_key(p: Provider) -> tuple[Any, ...] | None:
    e = p.eligibility
    if e == _EVERYONE:
        return None
    return (e.min_age, e.max_age, e.genders, e.trafficking, e.populations, e.notes)


def eligibility(key: tuple[Any, ...] | None) -> Eligibility:
    """The eligibility a group of :meth:`Facets.groups` stands for."""
    return _EVERYONE if key is None else Eligibility(*key)


def summarise(
    providers: Sequence[Provider],
) -> tuple[dict[str, bytes], dict[str, bytes], Groups, bytes, dict[str, int], list[str], bool]:
    """The summary of a file's providers (in their order)."""
    from referral_cli.taxonomy import load

    tax = load()
    frameworks = list(tax.frameworks)
    offering: dict[str, array[int]] = {}
    in_area: dict[str, array[int]] = {}
    groups: dict[Where, Group] = {}
    reaching = array(_POSITION)
    countries: dict[str, int] = {}
    areas_of: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}
    ids = [p.id for p in providers]
    for position, p in enumerate(providers):
        for table, values in ((offering, p.services), (in_area, p.areas)):
            for value in dict.fromkeys(values):
                table.setdefault(value, array(_POSITION)).append(position)
        reach = reach_of(p)
        if reach is not None:
            reaching.append(position)
        if p.country:
            countries[p.country] = countries.get(p.country, 0) + 1
        where = (p.place, reach, _eligibility_key(p))
        group = groups.get(where)
        if group is None:
            group = groups[where] = (
                {},
                {fw: {} for fw in frameworks},
                dict.fromkeys(frameworks, 0),
            )
        services = tuple(s for s in dict.fromkeys(p.services) if s in tax.service_types)
        for s in services:
            group[0].setdefault(s, []).append(p.id)
        if services not in areas_of:
            areas_of[services] = {
                fw: tuple(
                    dict.fromkeys(a for s in services for a in tax.service_types[s].areas_in(fw))
                )
                for fw in frameworks
            }
        for fw, areas in areas_of[services].items():
            for a in areas:
                group[1][fw].setdefault(a, []).append(p.id)
            if areas:
                group[2][fw] += 1
    return (
        {k: v.tobytes() for k, v in offering.items()},
        {k: v.tobytes() for k, v in in_area.items()},
        groups,
        reaching.tobytes(),
        countries,
        ids,
        len(set(ids)) == len(ids),
    )


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
    """A list of providers, with the :class:`Facets` of its contents when known."""

    facets: Facets | None = None


def facets_of(providers: Iterable[Provider]) -> Facets | None:
    """The facets of ``providers``, if it carries them and is unchanged since."""
    if not isinstance(providers, ProviderList):
        return None
    facets = providers.facets
    if facets is not None and facets.describe(providers):
        return facets
    return None
