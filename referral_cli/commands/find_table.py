"""The human answer of ``referral find``: what was understood, where, notes, results.

Two layouts. **compact** is for a volunteer on a live call in an 80x24 terminal:
two lines a result (rank, phone in bold, name, km; then the id and the one reason
that matters most), as many results as fit under the header and notes, and a line
saying how many more there are. **full** is the bordered table with every phone,
the address and all reasons. ``auto`` is compact on a terminal, full when piped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from referral_cli.output import clean, console, rich_text
from referral_cli.records import tonight
from referral_cli.records.describe import number_to_call, place_text
from referral_cli.search.rules import AREA_WIDE

if TYPE_CHECKING:
    from referral_cli.search.rules import Result, SearchResult


def print_table(result: SearchResult, layout: str) -> None:
    out = console(width=None)
    err = console(stderr=True)
    header = "Results"
    if result.origin is not None:
        header += f" near {result.origin.label}"
        if result.radius_km is not None:
            header += f" (within {result.radius_km:g} km, plus services that cover it)"
    lines = [(f"Understood: {result.understood}", "bold")] if result.understood else []
    lines += [(header, ""), *((f"note: {note}", "yellow") for note in result.notes)]
    for line, style in lines:
        err.print(rich_text(line, style))
    if not result.results:
        err.print(
            rich_text(
                "No provider matches. Try fewer words, a wider --radius, or 'referral taxonomy'."
            )
        )
        return
    if layout == "compact" or (layout == "auto" and out.is_terminal):
        # the rows above, as wrapped on screen, and the "using directory" line before them
        above = 1 + sum(len(line) // max(1, err.width) + 1 for line, _ in lines)
        _print_compact(result, out, err, above)
    else:
        _print_full(result, out)


def main_reason(r: Result) -> str:
    """The reason a volunteer needs first: how an area-wide service reaches the caller,
    else whom the provider serves when that is a restriction, else what it offers;
    after its beds tonight, when it reported them."""
    beds = next((f"{x}; " for x in r.reasons if tonight.tells_beds(x)), "")
    if r.reach in AREA_WIDE:
        return beds + r.reasons[-1]
    serves = next((x for x in r.reasons if x.startswith("serves")), "")
    if serves and serves != "serves everyone":
        return beds + serves
    return beds + next((x for x in r.reasons if x.startswith(("speaks", "mentions"))), r.reasons[0])


def _print_compact(result: SearchResult, out: Any, err: Any, above: int) -> None:
    """Two lines a result; on a terminal only as many as fit under the ``above`` rows."""
    from rich.text import Text

    width = out.width
    shown = result.results
    if out.is_terminal:
        room = max(1, (out.height - above - 2) // 2)  # a line for "more" and one for the prompt
        shown = shown[:room]
    for i, r in enumerate(shown, 1):
        p = r.provider
        phone, always = number_to_call(p)
        km = "" if r.distance_km is None else f"{r.distance_km:g} km"
        first = Text(f"{i:>2} ")
        first.append(("24/7 " if always else "") + clean(phone or ""), style="bold")
        first.append("  ")
        tail = f"  {km}" if km else ""
        name_room = max(8, width - len(first) - len(tail))
        name = Text(clean(p.name))
        name.truncate(name_room, overflow="ellipsis")
        first.append_text(name)
        if tail:
            first.append(" " * max(0, name_room - len(name)) + tail)
        second = Text("   ")
        second.append(clean(p.id), style="dim")  # whole: an id is what 'show' needs
        second.append(" · ")
        reason = Text(clean(main_reason(r)))
        reason.truncate(max(8, width - len(second)), overflow="ellipsis")
        second.append_text(reason)
        out.print(first, no_wrap=True, overflow="ellipsis", crop=True)
        out.print(second, no_wrap=True, overflow="ellipsis", crop=True)
    hidden = len(result.results) - len(shown)
    if hidden:
        err.print(rich_text(f"{hidden} more: use a taller window, --limit, or --layout full"))


def _print_full(result: SearchResult, out: Any) -> None:
    from rich.table import Table

    table = Table(
        show_header=True, header_style="bold", expand=False, show_lines=True, pad_edge=False
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Phone", no_wrap=True, min_width=15)
    table.add_column("Provider", overflow="fold", ratio=2, min_width=18)
    table.add_column("km", justify="right", no_wrap=True)
    table.add_column("Why", overflow="fold", ratio=3, min_width=18)
    for i, r in enumerate(result.results, 1):
        p = r.provider
        phones = rich_text(p.phone or "")
        if p.hotline and p.hotline != p.phone:
            phones.append(("\n" if p.phone else "") + "24/7 " + clean(p.hotline))
        where = clean(place_text(p) or "")
        name = rich_text(p.name, "bold")
        name.append("\n" + clean(p.id), style="dim")
        if where:
            name.append("\n" + where)
        km = "-" if r.distance_km is None else f"{r.distance_km:g}"
        why = rich_text("; ".join(r.reasons))
        if p.eligibility.notes:  # the record's own words, so the volunteer can check the fit
            why.append("\nEligibility says: " + clean(p.eligibility.notes), style="dim")
        table.add_row(str(i), phones, name, km, why)
    out.print(table)
