"""The tallies of a coverage count, and what the matrix reads off them: its rows
and cells, how many providers reach each place, how complete each place is, its
gaps in words, and the places in order of need (:mod:`referral_cli.coverage.count`
groups and tallies; this module only reads the tallies).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from referral_cli.coverage.model import (
    Cell,
    Completeness,
    Gap,
    Place,
    Reach,
    Row,
    join_words,
    lower_first,
    population_words,
)
from referral_cli.coverage.places import natural
from referral_cli.taxonomy import Framework, Population, Taxonomy


class Tallied:
    """One row of one place: providers located there and remote ones reaching it,
    with their ids when counting keeps them."""

    __slots__ = ("local", "remote", "local_ids", "remote_ids")

    def __init__(self) -> None:
        self.local = 0
        self.remote = 0
        self.local_ids: list[str] = []
        self.remote_ids: list[str] = []


# (row key, place label) -> its tally
Tally = dict[tuple[str, str], Tallied]


@dataclass
class Counts:
    """Distinct providers counted, per place (located, remote) and in all, when ids
    are unique (then groups, which share no provider, add up); and the remote ids."""

    local: dict[str, int] = field(default_factory=dict)
    remote: dict[str, int] = field(default_factory=dict)
    counted: int = 0
    remote_ids: set[str] = field(default_factory=set)


def cell(t: Tallied | None, ids: bool) -> Cell:
    if t is None:
        return Cell()
    if not ids:
        return Cell(t.local, t.remote)
    return Cell(t.local, t.remote, tuple(sorted(t.local_ids)), tuple(sorted(t.remote_ids)))


def rows_and_cells(
    fw: Framework,
    tax: Taxonomy,
    area_keys: list[str],
    detail: str,
    places: Sequence[Place],
    by_area: Tally,
    by_service: Tally,
    ids: bool,
) -> tuple[list[Row], dict[tuple[str, str], Cell]]:
    """The rows (each area, then with ``detail="services"`` its service types) and
    the cells of every row and place (with their ids when ``ids``)."""
    rows: list[Row] = []
    cells: dict[tuple[str, str], Cell] = {}
    for key in area_keys:
        a = fw.area(key)
        rows.append(Row(a.key, a.label, "area", a.key))
        for pl in places:
            cells[(a.key, pl.label)] = cell(by_area.get((a.key, pl.label)), ids)
        if detail == "services":
            for st in tax.service_types.values():
                if key not in st.areas_in(fw.key):
                    continue
                row = Row(f"{key}/{st.key}", st.label, "service", key, st.key)
                rows.append(row)
                for pl in places:
                    cells[(row.key, pl.label)] = cell(by_service.get((st.key, pl.label)), ids)
    return rows, cells


def reach_of(
    places: Sequence[Place], area_keys: list[str], by_area: Tally, counts: Counts, unique: bool
) -> dict[str, Reach]:
    """Distinct providers reaching each place: added up per group when ids are
    unique, else counted as sets of ids."""
    reach: dict[str, Reach] = {}
    for pl in places:
        if unique:
            reach[pl.label] = Reach(counts.local.get(pl.label, 0), counts.remote.get(pl.label, 0))
            continue
        local: set[str] = set()
        remote: set[str] = set()
        for key in area_keys:
            t = by_area.get((key, pl.label))
            if t is not None:
                local.update(t.local_ids)
                remote.update(t.remote_ids)
        reach[pl.label] = Reach(len(local), len(remote))
    return reach


def completeness_of(area_keys: list[str], by_area: Tally, place: str) -> Completeness:
    located = remote_only = 0
    for k in area_keys:
        t = by_area.get((k, place))
        if t is not None:
            if t.local:
                located += 1
            else:
                remote_only += 1
    return Completeness(located, remote_only, len(area_keys))


def gap_of(
    place: str,
    fw: Framework,
    tax: Taxonomy,
    pop: Population | None,
    area_keys: list[str],
    critical: list[str],
    by_area: Tally,
    by_service: Tally,
    everyone_area: Tally,
) -> Gap | None:
    """What ``place`` lacks, in words: the areas with nothing (for anyone, or for
    ``pop``), the critical services missing, the areas reached only remotely."""
    missing = [k for k in area_keys if not by_area.get((k, place))]
    remote_only = [k for k in area_keys if k not in missing and not by_area[(k, place)].local]
    missing_services = [s for s in critical if not by_service.get((s, place))]
    if not missing and not missing_services and not remote_only:
        return None
    who = f" for {population_words(pop)}" if pop else ""
    parts = []
    for_nobody = [k for k in missing if not everyone_area.get((k, place))]
    for_them = [k for k in missing if k not in for_nobody]
    if for_nobody:
        parts.append("nothing in " + join_words([fw.area(k).label for k in for_nobody]))
    if for_them:
        parts.append("nothing in " + join_words([fw.area(k).label for k in for_them]) + who)
    if missing_services:
        labels = [lower_first(tax.service_types[s].label) for s in missing_services]
        parts.append("no " + join_words(labels) + who)
    if remote_only:
        labels = [fw.area(k).label for k in remote_only]
        parts.append("only remote in " + join_words(labels, "and"))
    return Gap(
        place,
        f"{place}: " + "; ".join(parts),
        tuple(missing),
        tuple(missing_services),
        tuple(remote_only),
    )


def sort_by_need(
    places: list[Place],
    gaps: list[Gap],
    completeness: dict[str, Completeness],
    reach: dict[str, Reach],
) -> None:
    """Places (and their gaps) in most need first: fewest areas with a provider
    located there, then fewest covered at all, most critical services missing,
    fewest providers located there, then name."""
    missing = {g.place: len(g.missing_services) for g in gaps}

    def need(pl: Place) -> tuple[object, ...]:
        c = completeness[pl.label]
        local = reach[pl.label].local if pl.label in reach else 0
        return (c.located, c.covered, -missing.get(pl.label, 0), local, natural(pl.label))

    places.sort(key=need)
    order = {pl.label: i for i, pl in enumerate(places)}
    gaps.sort(key=lambda g: order[g.place])
