"""``referral locate``: how a place resolves in the offline gazetteer and the directory."""

import dataclasses
from typing import Annotated, Any

import typer

from referral_cli.app import DataOption, format_option, note_line, open_directory
from referral_cli.output import FORMAT_VERSION, MachineOutput, clean, is_machine, write_output


def locate(
    place: Annotated[
        str, typer.Argument(help="Town, ZIP code, 'X County', state, country or 'lat,lon'.")
    ],
    fmt: Annotated[str, format_option("locate")] = "text",
    online: Annotated[
        bool,
        typer.Option(
            "--online", help="If not found offline, ask OpenStreetMap (sends the place text)."
        ),
    ] = False,
    data: DataOption = None,
) -> None:
    """Show how a place resolves (offline unless --online), with alternatives.

    An ambiguous name goes to the biggest place, preferring the countries of the
    directory's providers; a town's name far from every provider goes to a place of
    that name near them, or that their own names and descriptions name ("Capitol
    Hill" in a Seattle directory), exactly as 'referral find' reads it.

    Example: referral locate "Fresno"
    """
    # the core: not loaded by --help
    from referral_cli.config import load_config
    from referral_cli.geo.online import geocode_online
    from referral_cli.geo.place import UnknownPlace
    from referral_cli.search.network_places import resolve_for

    directory = open_directory(data, say_left_out=not is_machine(fmt))
    try:
        res = resolve_for(directory, place)
        found, notes, alternatives = res.place, [*res.notes, *directory.notes], res.alternatives
    except UnknownPlace:
        if not (online or load_config().online):
            raise
        note_line(
            f"looking up {place!r} online (OpenStreetMap Nominatim): the place text leaves this machine"
        )
        found, notes, alternatives = geocode_online(place), ["found online"], []
    if is_machine(fmt):
        document = {
            "format_version": FORMAT_VERSION,
            "input": place,
            "place": _place_dict(found),
            "notes": notes,
            "alternatives": [_place_dict(a) for a in alternatives],
        }
        write_output(fmt, MachineOutput(lambda: document))
        return
    typer.echo(f"{clean(found.label)}  ({found.lat:.4f}, {found.lon:.4f})  [{found.kind}]")
    details = [
        f"{k}: {v}"
        for k, v in (("county", found.county), ("region", found.region), ("country", found.country))
        if v
    ]
    if details:
        typer.echo("  " + clean(", ".join(details)))
    for note in notes:
        typer.echo(f"  note: {clean(note)}")
    for alt in alternatives[:5]:
        typer.echo(f"  also: {clean(alt.label)}  ({alt.lat:.4f}, {alt.lon:.4f})")


def _place_dict(place: Any) -> dict[str, Any]:

    return dataclasses.asdict(place)
