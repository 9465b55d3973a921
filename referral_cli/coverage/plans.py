"""Planning matrices beside the coverage matrix: beds, languages in person, staleness.

``referral coverage --matrix capacity|languages|stale`` answers what a coordinator
plans with, per place (the same places as the coverage matrix, from the
providers' public addresses):

* **capacity** — the beds (``capacity.beds``) of the providers located in the
  place, per population their eligibility admits (minors, girls, boys, adults,
  women, men; a provider counts in every column it admits, so columns overlap).
  Beds of a provider that states no ages or genders are shown apart, never
  counted as beds for minors or for men.
* **languages** — the languages spoken in person: by providers located in the
  place that are not phone/online services, with how many speak each.
* **stale** — records not verified within ``stale_days`` (365 by default, or
  the config's), or never; remote services located nowhere have a row of their own.

Each is a :class:`Grid`: rows of cells under named columns, rendered the same
way in every format (JSON shape in :meth:`Grid.as_dict`; renderers in the
``render_*`` modules, beside the coverage matrix's).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from referral_cli.coverage.choices import resolve_choice
from referral_cli.coverage.count import admits
from referral_cli.coverage.model import EMPTY, MATRICES, population_words
from referral_cli.coverage.places import places_of
from referral_cli.output import FORMAT_VERSION
from referral_cli.records import tonight
from referral_cli.records.model import Provider
from referral_cli.taxonomy import Population, Taxonomy, load

BED_POPULATIONS = ("minors", "girls", "boys", "adults", "women", "men")
REMOTE_ROW = "remote / statewide (no place)"
UNSTATED = "unstated"  # beds of providers stating no ages or genders


@dataclass(frozen=True)
class Grid:
    """A planning matrix: one row per place, cells under ``columns``."""

    kind: str  # capacity | languages | stale
    title: str
    by: str
    first: str  # heading of the row labels
    columns: tuple[str, ...]
    rows: list[tuple[str, tuple[Any, ...]]]
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # row label -> what JSON adds

    def as_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "matrix": self.kind,
            "by": self.by,
            "title": self.title,
            "columns": list(self.columns),
            "rows": [
                {
                    "place": label,
                    "cells": dict(zip(self.columns, cells, strict=True)),
                    **self.details.get(label, {}),
                }
                for label, cells in self.rows
            ],
            "notes": self.notes,
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        return [
            {"matrix": self.kind, "place": label, **dict(zip(self.columns, cells, strict=True))}
            for label, cells in self.rows
        ]

    @property
    def csv_columns(self) -> tuple[str, ...]:
        return ("matrix", "place", *self.columns)


def build(
    kind: str,
    providers: Sequence[Provider],
    *,
    by: str = "county",
    population: Population | None = None,
    stale_days: int = 365,
    today: dt.date | None = None,
    tax: Taxonomy | None = None,
    now: dt.datetime | None = None,
    report_hours: float = tonight.DEFAULT_REPORT_HOURS,
) -> Grid:
    """The ``kind`` matrix of ``providers`` by ``by``; with ``population``, only the
    providers whose eligibility admits it are counted."""
    kind = resolve_choice("matrix", kind, MATRICES)
    tax = tax or load()
    places, located = places_of(providers, by)
    chosen = [(p, home) for p, home in zip(providers, located, strict=True)]
    if population is not None:
        chosen = [(p, home) for p, home in chosen if admits(p.eligibility, population)]
    labels = [pl.label for pl in places]
    who = f", for {population_words(population)}" if population else ""
    if kind == "capacity":
        free = _free_beds(chosen, labels, now or tonight.now(), report_hours)
        return _capacity(chosen, labels, by, who, tax, free, report_hours)
    if kind == "languages":
        return _languages(chosen, labels, by, who, tax)
    return _stale(chosen, labels, by, who, stale_days, today or dt.date.today())


def _capacity(
    chosen: list[tuple[Provider, str | None]],
    labels: list[str],
    by: str,
    who: str,
    tax: Taxonomy,
    free: dict[str, tuple[int, str, int]],
    report_hours: float,
) -> Grid:
    pops = [tax.populations[k] for k in BED_POPULATIONS if k in tax.populations]
    beds: dict[str, Counter[str]] = {label: Counter() for label in labels}
    for p, home in chosen:
        count = (p.capacity or {}).get("beds")
        if home is None or not isinstance(count, int) or isinstance(count, bool) or not count:
            continue
        e = p.eligibility
        tally = beds[home]
        tally["all"] += count
        if e.min_age is None and e.max_age is None and not e.genders:
            tally[UNSTATED] += count
            continue
        for pop in pops:
            if admits(e, pop):
                tally[pop.key] += count
    columns = (*(population_words(pop) for pop in pops), UNSTATED, "all beds", *FREE_COLUMNS)
    keys = (*(pop.key for pop in pops), UNSTATED, "all")
    rows = [(label, (*(beds[label][k] for k in keys), *free[label])) for label in labels]
    without = [label for label, cells in rows if not cells[len(keys) - 1]]
    notes = [
        "beds of the providers located in each place (capacity.beds), in every column "
        "their eligibility admits: the columns overlap",
        f"'{UNSTATED}': beds of providers whose eligibility gives no ages or genders,"
        " counted in no population's column",
    ]
    notes.append(
        f"'{FREE_COLUMNS[0]}': beds reported free (availability.beds_available) in the last"
        f" {report_hours:g} hours, as of the oldest such report ('{FREE_COLUMNS[1]}');"
        f" '{FREE_COLUMNS[2]}': providers with beds but no report that recent, or closed"
    )
    if without:
        notes.append(f"no beds recorded in {len(without)} of {len(labels)} places")
    return Grid("capacity", f"Beds by {by}{who}", by, by.capitalize(), columns, rows, notes)


FREE_COLUMNS = ("free now", "as of", "no report")


def _free_beds(
    chosen: list[tuple[Provider, str | None]],
    labels: list[str],
    at: dt.datetime,
    report_hours: float,
) -> dict[str, tuple[int, str, int]]:
    """Per place: beds reported free recently by providers taking referrals, the
    oldest such report's time, and how many providers with beds have none."""
    free: Counter[str] = Counter()
    oldest: dict[str, dt.datetime] = {}
    unknown: Counter[str] = Counter()
    for p, home in chosen:
        a = p.availability
        has_beds = bool((p.capacity or {}).get("beds")) or a is not None
        if home is None or not has_beds:
            continue
        if (
            a is None
            or a.beds_available is None
            or not p.refers
            or not tonight.is_fresh(a.as_of, at, report_hours)
        ):
            unknown[home] += 1
        else:
            free[home] += a.beds_available
            if home not in oldest or a.as_of < oldest[home]:
                oldest[home] = a.as_of
    return {
        label: (
            free[label],
            oldest[label].isoformat(sep=" ", timespec="minutes") if label in oldest else "--",
            unknown[label],
        )
        for label in labels
    }


def _languages(
    chosen: list[tuple[Provider, str | None]],
    labels: list[str],
    by: str,
    who: str,
    tax: Taxonomy,
) -> Grid:
    spoken: dict[str, Counter[str]] = {label: Counter() for label in labels}
    in_person: Counter[str] = Counter()
    for p, home in chosen:
        sa = p.service_area
        if home is None or (sa is not None and sa.remote):
            continue
        in_person[home] += 1
        spoken[home].update(dict.fromkeys(p.languages, 1))
    rows = []
    details = {}
    for label in labels:
        ranked = spoken[label].most_common()
        text = ", ".join(f"{tax.language_name(code)} {n}" for code, n in ranked)
        rows.append((label, (in_person[label], text or "--")))
        details[label] = {"languages": dict(ranked)}
    notes = [
        "languages of the providers located in each place that are not phone or online "
        "services, with how many speak each (a provider stating none counts for none)"
    ]
    return Grid(
        "languages",
        f"Languages spoken in person by {by}{who}",
        by,
        by.capitalize(),
        ("providers in person", "languages"),
        rows,
        notes,
        details,
    )


def _stale(
    chosen: list[tuple[Provider, str | None]],
    labels: list[str],
    by: str,
    who: str,
    stale_days: int,
    today: dt.date,
) -> Grid:
    order = [*labels, REMOTE_ROW]
    records: dict[str, list[Provider]] = {label: [] for label in order}
    for p, home in chosen:
        records[home if home is not None else REMOTE_ROW].append(p)
    limit = today - dt.timedelta(days=stale_days)
    rows = []
    details = {}
    for label in order:
        group = records[label]
        if label == REMOTE_ROW and not group:
            continue
        stale = [p for p in group if p.last_verified is None or p.last_verified < limit]
        dates = [p.last_verified for p in group if p.last_verified is not None]
        oldest = min(dates).isoformat() if dates else "--"
        ids = ", ".join(p.id for p in sorted(stale, key=_verified_key)) or "--"
        rows.append((label, (len(group), len(stale), oldest, ids)))
        details[label] = {
            "stale_ids": [p.id for p in sorted(stale, key=_verified_key)],
        }
    notes = [
        f"stale: not verified in the {stale_days} days before {today.isoformat()}, or never"
        " (call to confirm, then update last_verified); stale ids oldest first"
    ]
    return Grid(
        "stale",
        f"Records not verified in {stale_days} days, by {by}{who}",
        by,
        by.capitalize(),
        ("providers", "stale", "oldest check", "stale ids"),
        rows,
        notes,
        details,
    )


def _verified_key(p: Provider) -> tuple[dt.date, str]:
    return (p.last_verified or dt.date.min, p.id)


def cell_text(value: Any) -> str:
    """A grid cell as every format shows it: a zero count reads ``--``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if value else EMPTY
    return str(value)
