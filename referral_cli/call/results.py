"""How a result shows in the call session: one line in the list, and its details."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from referral_cli.output import clean
from referral_cli.records.describe import fields, number_to_call
from referral_cli.search.rules import is_open

if TYPE_CHECKING:
    from referral_cli.search.rules import Result


def deciding_reason(r: Result, shared: frozenset[str] = frozenset()) -> str:
    """What sets this result apart: who it serves, reach; reasons every result
    shares ("offers temporary shelter", "speaks Spanish") and the distance, which
    has its own column, are left out."""
    parts = [x for x in r.reasons if x not in shared and "km away" not in x]
    return "; ".join(p.removeprefix("serves: ") for p in parts)


def shared_reasons(results: list[Result]) -> frozenset[str]:
    """The reasons all the results give (the facts every one of them matches)."""
    if len(results) < 2:
        return frozenset(x for r in results for x in r.reasons if x.startswith("offers "))
    common = set(results[0].reasons)
    for r in results[1:]:
        common &= set(r.reasons)
    return frozenset(common)


def result_line(number: int, r: Result, marked: bool, width: int, why: str) -> Text:
    """One result on one line of ``width`` cells: mark, number, phone, name, km, reason."""
    p = r.provider
    to_call, _ = number_to_call(p)
    phone = clean(to_call or "no phone")
    approximate = "~" if p.confidential else ""
    km = "" if r.distance_km is None else f"{approximate}{_km(r.distance_km)}"
    wide = width >= 60
    rest = max(width - (2 + 3 + 17 + (6 if wide else 0)), 10)
    name_width = max(rest * 11 // 20, 10) if wide else rest
    why_width = rest - name_width - 1 if wide else 0
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("* " if marked else "  ", style="bold")
    line.append(f"{number:>2} ")
    line.append(f"{phone:<16.16} ", style="bold")
    line.append(_fit(clean(p.name), name_width))
    if wide:
        line.append(f"{km:>5} ")
    if why_width > 0:
        line.append(" " + _fit(clean(why), why_width), style="dim")
    return line


def _km(km: float) -> str:
    """At most five cells: 2.5, 63.3, 256, 3681 (a wider figure would wrap the line)."""
    return f"{km:g}" if km < 100 else f"{km:.0f}" if km < 99_999 else "far"


def _fit(text: str, width: int) -> str:
    if len(text) <= width:
        return text.ljust(width)
    return text[: max(width - 1, 0)] + "…"


def details_text(r: Result, report_hours: float) -> Table:
    """The chosen provider in plain words, phone first (after a status that stops
    referrals), its beds as reported; confidential address left out."""
    opened = is_open(r.provider)
    now = "unknown (the hours do not say)" if opened is None else "yes" if opened else "no"
    rows = [
        (label, value)
        for label, value in fields(r.provider, report_hours=report_hours)
        if label != "Name"
    ]  # the title
    at = next((i + 1 for i, (label, _) in enumerate(rows) if label == "Hours"), len(rows))
    rows.insert(at, ("Open now", now))
    rows.append(("Why it is here", "; ".join(r.reasons)))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(Text(f"{label}:" if label else ""), Text(clean(value)))
    return grid
