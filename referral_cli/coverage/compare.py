"""What a change to the directory does to its coverage, in plain words.

Two coverage matrices counted with the same question (framework, places,
population) — the directory before a change and after it — are compared cell
by cell (row x place):

* a **gap opened**: a cell that had a provider (located or remote) and has
  none, or a critical service (temporary shelter, counselling, legal aid,
  medical care) that a place had and lacks ("removes the last Restoration
  provider located in Kern County (kern-hope-center)");
* **only remote now**: a cell whose last provider located in the place is gone
  while remote or statewide services still reach it;
* a **gap closed**: the reverse of either;
* **beds lost** (or gained): ``capacity.beds`` of the providers located in a place
  (admitted by the population asked about, if any), before and after.

A place that leaves the matrix (its last provider gone) is compared as empty.
``new_gaps`` (gaps opened or places left only remote) is what
``--fail-on-new-gaps`` stops on.

JSON shape (``referral coverage --compare REV --format json``; keys may be added,
never renamed or removed)::

    {"format_version": 1, "before": "HEAD~1", "after": "data/",
     "new_gaps": true,
     "changes": [{"change": "opened" | "closed" | "remote-only" | "beds-lost"
                  | "beds-gained", "place": "Kern County", "row": "restoration" | null,
                  "before": "1", "after": "0", "ids": ["kern-hope-center"],
                  "message": "removes the last Restoration provider located in Kern County
                              (kern-hope-center)"}],
     "places": [{"place": "Kern County", "before": "4/5", "after": "3+1/5"}],
     "coverage_before": {...}, "coverage_after": {...}}   # the two matrices' JSON

``places`` lists the places whose score changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from referral_cli.coverage.count import admits
from referral_cli.coverage.model import EMPTY, Cell, Matrix, lower_first, population_words
from referral_cli.coverage.places import places_of
from referral_cli.output import FORMAT_VERSION
from referral_cli.records.model import Provider
from referral_cli.taxonomy import Taxonomy

OPENED, CLOSED, REMOTE_ONLY = "opened", "closed", "remote-only"
BEDS_LOST, BEDS_GAINED = "beds-lost", "beds-gained"
KINDS = (OPENED, REMOTE_ONLY, CLOSED, BEDS_LOST, BEDS_GAINED)  # the order they are listed in
NEW_GAPS = (OPENED, REMOTE_ONLY)


@dataclass(frozen=True, slots=True)
class Change:
    """One thing the change does to one place (and row, unless it is about beds)."""

    change: str  # one of KINDS
    place: str
    row: str | None
    before: str
    after: str
    ids: tuple[str, ...]
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "place": self.place,
            "row": self.row,
            "before": self.before,
            "after": self.after,
            "ids": list(self.ids),
            "message": self.message,
        }


@dataclass(frozen=True)
class Comparison:
    before_label: str  # the revision or folder compared with
    after_label: str  # the directory as it is
    before: Matrix
    after: Matrix
    changes: tuple[Change, ...]
    scores: tuple[tuple[str, str, str], ...]  # (place, score before, after), changed ones

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.change == kind]

    @property
    def new_gaps(self) -> bool:
        return any(c.change in NEW_GAPS for c in self.changes)

    def title(self) -> str:
        return f"Coverage change: {self.before_label} → {self.after_label}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "before": self.before_label,
            "after": self.after_label,
            "new_gaps": self.new_gaps,
            "changes": [c.as_dict() for c in self.changes],
            "places": [{"place": p, "before": b, "after": a} for p, b, a in self.scores],
            "coverage_before": self.before.as_dict(),
            "coverage_after": self.after.as_dict(),
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        return [c.as_dict() | {"ids": "; ".join(c.ids)} for c in self.changes]

    csv_columns = ("change", "place", "row", "before", "after", "ids", "message")


def compare(
    before: Matrix,
    after: Matrix,
    before_providers: Sequence[Provider],
    after_providers: Sequence[Provider],
    *,
    before_label: str,
    after_label: str,
    tax: Taxonomy,
) -> Comparison:
    """What going from ``before`` to ``after`` does (both counted with ids, with the
    same framework, places, detail and population, of these providers)."""
    still_there = {p.id for p in after_providers}
    who = f" for {population_words(after.population)}" if after.population else ""
    places = list(dict.fromkeys([p.label for p in before.places] + [p.label for p in after.places]))
    rows = list(dict.fromkeys([*before.rows, *after.rows]))
    changes: list[Change] = []
    for place in places:
        for row in rows:
            old, new = before.cell(row.key, place), after.cell(row.key, place)
            label = row.label if row.kind == "area" else lower_first(row.label)
            change = _cell_change(place, row.key, label, who, old, new, still_there)
            if change is not None:
                changes.append(change)
        changes.extend(_services_change(place, before, after, who, tax))
    changes.extend(_beds(places, before, after, before_providers, after_providers, who))
    changes.sort(key=lambda c: KINDS.index(c.change))
    scores = tuple(
        (place, _score(before, place), _score(after, place))
        for place in places
        if _score(before, place) != _score(after, place)
    )
    return Comparison(before_label, after_label, before, after, tuple(changes), scores)


def _score(m: Matrix, place: str) -> str:
    return m.score(place) if place in m.completeness else EMPTY


def _cell_change(
    place: str, row: str, label: str, who: str, old: Cell, new: Cell, still_there: set[str]
) -> Change | None:
    """The change of one cell, if it opens, closes or leaves only remote a gap."""
    gone = tuple(i for i in old.local_ids if i not in new.local_ids)
    was, now = old.text if old.total else "0", new.text if new.total else "0"
    if old.total and not new.total:
        lost = gone or tuple(old.remote_ids)
        kind_of = f"provider{who} located in" if old.local else f"remote service{who} reaching"
        message = f"{_verb(lost, still_there)} the last {label} {kind_of} {place} ({_ids(lost)})"
        return Change(OPENED, place, row, was, now, lost, message)
    if old.local and not new.local:
        message = (
            f"leaves only remote {label} help{who} in {place}: {_verb(gone, still_there)}"
            f" its last located provider ({_ids(gone)})"
        )
        return Change(REMOTE_ONLY, place, row, was, now, gone, message)
    if not old.total and new.total:
        added = (*new.local_ids, *new.remote_ids)
        where = "a provider located in" if new.local else "remote help to"
        message = f"brings {label}{who} to {place}: {where} it ({_ids(added)})"
        return Change(CLOSED, place, row, was, now, added, message)
    if not old.local and new.local:
        added = new.local_ids
        message = f"gives {place} a {label} provider{who} located there ({_ids(added)})"
        return Change(CLOSED, place, row, was, now, added, message)
    return None


def _verb(ids: Sequence[str], still_there: set[str]) -> str:
    """ "removes" when the providers left the directory, else what was edited."""
    return "removes" if not any(i in still_there for i in ids) else "takes away (by an edit)"


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(ids) if ids else "no id"


def _services_change(
    place: str, before: Matrix, after: Matrix, who: str, tax: Taxonomy
) -> list[Change]:
    """Critical services a place lost or gained (from each matrix's gaps)."""
    if place not in before.completeness or place not in after.completeness:
        return []  # a place that appears or leaves: its cells say it all
    old_gap, new_gap = before.gap(place), after.gap(place)
    old = set(old_gap.missing_services if old_gap else ())
    new = set(new_gap.missing_services if new_gap else ())
    out = []
    for key in sorted(new - old):
        words = _service_words(key, tax)
        message = f"leaves {place} without {words}{who}"
        out.append(Change(OPENED, place, f"service:{key}", "yes", "no", (), message))
    for key in sorted(old - new):
        words = _service_words(key, tax)
        message = f"brings {words}{who} to {place}"
        out.append(Change(CLOSED, place, f"service:{key}", "no", "yes", (), message))
    return out


def _service_words(key: str, tax: Taxonomy) -> str:
    found = tax.service_types.get(key)
    return lower_first(found.label) if found else key


def _beds(
    places: list[str],
    before: Matrix,
    after: Matrix,
    before_providers: Sequence[Provider],
    after_providers: Sequence[Provider],
    who: str,
) -> list[Change]:
    old = _beds_by_place(before_providers, before)
    new = _beds_by_place(after_providers, after)
    out = []
    for place in places:
        b, a = old.get(place, 0), new.get(place, 0)
        if a < b:
            message = f"{place} loses {b - a} beds{who} ({b} → {a})"
            out.append(Change(BEDS_LOST, place, None, str(b), str(a), (), message))
        elif a > b:
            message = f"{place} gains {a - b} beds{who} ({b} → {a})"
            out.append(Change(BEDS_GAINED, place, None, str(b), str(a), (), message))
    return out


def _beds_by_place(providers: Sequence[Provider], m: Matrix) -> dict[str, int]:
    """``capacity.beds`` of the providers located in each place (admitted by the
    matrix's population, if any)."""
    _, located = places_of(providers, m.by)
    beds: dict[str, int] = {}
    for p, place in zip(providers, located, strict=True):
        n = (p.capacity or {}).get("beds")
        if place is not None and isinstance(n, int) and admits(p.eligibility, m.population):
            beds[place] = beds.get(place, 0) + n
    return beds
