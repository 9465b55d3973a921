"""``referral config``: where the settings file is and what it sets."""

import dataclasses
from typing import Annotated

import typer

from referral_cli.app import note_line
from referral_cli.output import clean

config_app = typer.Typer(
    help="Show or change settings (default directory, home place, radius, hotline).\n\n"
    'Example: referral config set hotline_phone "+1 559-555-0100"',
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


@config_app.callback()
def config_show(ctx: typer.Context) -> None:
    """Show where the settings file is and what is set."""
    if ctx.invoked_subcommand is not None:
        return
    # the core: not loaded by --help
    from referral_cli.config import Config, config_path, load_config

    cfg = load_config()
    path = config_path()
    typer.echo(f"settings file: {clean(path)}{'' if path.exists() else ' (not created yet)'}")
    for f in dataclasses.fields(Config):
        value = getattr(cfg, f.name)
        mark = "" if value == f.default else "  (set)"
        typer.echo(f"  {f.name} = {clean(value if value is not None else '')}{mark}")


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="Setting name, as listed by 'referral config'.")],
    value: Annotated[str, typer.Argument(help="New value.")],
) -> None:
    """Set one setting.

    Example: referral config set home "Fresno, CA"
    """
    # the core: not loaded by --help
    from referral_cli.config import coerce, load_config, save_config

    checked = coerce(key, value)
    if key == "home":
        checked = _checked_place(str(checked))
    cfg = dataclasses.replace(load_config(), **{key: checked})
    typer.echo(f"saved {key} in {clean(save_config(cfg))}", err=True)


def _checked_place(value: str) -> str:
    """The home place, if the offline gazetteer knows it (said on stderr how it
    resolves); an unknown place is an error with a suggestion, nothing saved."""
    # the core: not loaded by --help
    from referral_cli.geo.place import UnknownPlace
    from referral_cli.geo.resolving import resolve

    try:
        found = resolve(value)
    except UnknownPlace as exc:
        raise UnknownPlace(f"{exc}; home not saved") from None
    if found.corrected:
        raise UnknownPlace(
            f"unknown place '{value}'; did you mean {found.place.label}? home not saved"
        )
    note_line(f"home '{value}' is {found.place.label}")
    for note in found.notes:
        note_line(note)
    return value


@config_app.command("unset")
def config_unset(
    key: Annotated[str, typer.Argument(help="Setting name.")],
) -> None:
    """Return one setting to its default.

    Example: referral config unset home
    """
    # the core: not loaded by --help
    from referral_cli.config import Config, check_key, load_config, save_config

    default = getattr(Config(), check_key(key))
    cfg = dataclasses.replace(load_config(), **{key: default})
    typer.echo(f"reset {key} in {clean(save_config(cfg))}", err=True)
