"""The Typer application, its global options and its error handling.

Command modules under :mod:`referral_cli.commands` add their commands to
:data:`app`; :mod:`referral_cli.cli` imports them all and runs it. Every
failure leaves as one line on stderr with the exit code of :class:`ExitStatus`;
no traceback (and so no local variable, which could hold caller data) reaches a
user unless they ask with ``--debug``.
"""

import inspect
import os
import re
import sys
import traceback
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from referral_cli import __version__
from referral_cli.errors import DataError, ExitStatus, ReferralError, UsageError
from referral_cli.output import FORMATS, clean, formats_of
from referral_cli.suggest import did_you_mean

MAX_DATA_ERRORS_SHOWN = 20


@dataclass
class State:
    """Global options, set by the callback and read by commands."""

    data: str | None = None
    debug: bool = False
    strict_data: bool = False


state = State()


def error_line(message: str) -> None:
    sys.stderr.write(f"referral: error: {clean(message)}\n")


def note_line(message: str) -> None:
    sys.stderr.write(f"referral: {clean(message)}\n")


class ReferralGroup(TyperGroup):
    """Turns every exception into one line on stderr and a documented exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from typer._click.exceptions import ClickException  # Typer vendors Click
        from typer._click.exceptions import UsageError as ClickUsageError

        kwargs["standalone_mode"] = False
        argv = args[0] if args else kwargs.get("args")
        completing = "_REFERRAL_COMPLETE" in os.environ  # the shell asks for completions
        if not completing and not (sys.argv[1:] if argv is None else list(argv)):
            sys.stderr.write(self.short_usage())
            sys.exit(ExitStatus.USAGE)
        try:
            result = super().main(*args, **kwargs)
        except typer.Exit as exc:
            sys.exit(exc.exit_code)
        except ClickUsageError as exc:
            hint = ""
            if exc.ctx is not None:
                hint = f" (see '{exc.ctx.command_path} --help')"
            error_line(f"{exc.format_message()}{hint}")
            sys.exit(ExitStatus.USAGE)
        except ClickException as exc:
            error_line(exc.format_message())
            sys.exit(ExitStatus.ERROR)
        except typer.Abort:
            sys.stderr.write("\n")
            sys.exit(130)
        except KeyboardInterrupt:
            sys.stderr.write("\n")
            sys.exit(130)
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(ExitStatus.OK)
        except DataError as exc:
            for d in exc.diagnostics[:MAX_DATA_ERRORS_SHOWN]:
                sys.stderr.write(f"{clean(str(d))}\n")  # names and values from the data
            error_line(
                f"the directory has {len(exc.diagnostics)} error(s); fix them and retry"
                " ('referral validate' lists them all)"
            )
            sys.exit(ExitStatus.ERROR)
        except ReferralError as exc:
            error_line(str(exc))
            sys.exit(exc.exit_status)
        except OSError as exc:  # the system refused a read or write the core did not expect
            where = f"{exc.filename}: " if exc.filename else ""
            error_line(
                f"{where}{exc.strerror or exc}; check the path, its permissions and free space"
            )
            sys.exit(ExitStatus.ERROR)
        except MemoryError:
            error_line(
                "out of memory: the input is larger than this machine can hold"
                " (docs/performance.md gives the sizes the tool supports)"
            )
            sys.exit(ExitStatus.ERROR)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if state.debug:
                traceback.print_exc()
            error_line(
                f"unexpected {type(exc).__name__}; this is a bug — run again with --debug"
                " for details and report it"
            )
            sys.exit(ExitStatus.ERROR)
        if isinstance(result, int) and result:
            sys.exit(result)
        return result

    def short_usage(self) -> str:
        """What ``referral`` alone prints: the usage line and one line per command
        (as git and most Click programs do, on stderr with exit 2)."""
        names = list(self.commands)  # as registered: the order of ``--help`` too
        width = max(map(len, names))
        lines = [
            "usage: referral [--data PATH] [--debug] COMMAND [ARGS]...",
            "",
            "Directory and referral tool for local anti-trafficking care networks.",
            "",
            "commands:",
            *(
                f"  {n:<{width}}  {self.commands[n].get_short_help_str(limit=76 - width)}"
                for n in names
            ),
            "",
            "'referral COMMAND --help' shows a command's options and an example;",
            "'referral --help' the global options.",
        ]
        return "\n".join(lines) + "\n"


class ReferralCommand(TyperCommand):
    """A command whose usage line names arguments as most programs do:
    ``slip [OPTIONS] ID...``, ``find [OPTIONS] [QUERY]`` (Typer writes ``{ID}``)."""

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        """The help text, its ``Example:`` lines kept whole (a wrapped example
        cannot be copied and run)."""
        help_text = self.help
        if help_text:
            self.help = re.sub(r"^(Examples?:)", "\b\n\\1", inspect.cleandoc(help_text), flags=re.M)
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = help_text

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name != "argument":
                pieces.extend(param.get_usage_pieces(ctx))
                continue
            name = (param.metavar or param.name or "").upper()
            if param.nargs != 1:
                name += "..."
            pieces.append(name if param.required else f"[{name}]")
        return pieces


def use_conventional_usage(typer_app: typer.Typer) -> None:
    """Give every command of ``typer_app`` (and of its groups) :class:`ReferralCommand`."""
    for info in typer_app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = ReferralCommand
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            use_conventional_usage(group.typer_instance)


def _silence_stdout() -> None:

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


app = typer.Typer(
    name="referral",
    cls=ReferralGroup,
    help=(
        "Directory and referral tool for local anti-trafficking care networks.\n\n"
        "Find providers by need, place and eligibility; print referral slips; "
        "show where the network has gaps.\n\n"
        'Example: referral find "temporary shelter for minors near Fresno"'
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Results a command may be asked for: more than a directory of the supported size
# (docs/performance.md) holds is a typo, and a number past a C integer cannot reach
# SQLite's LIMIT at all (a usage error, exit 2, rather than a crash).
MAX_LIMIT = 10_000_000
LimitOption = Annotated[
    int, typer.Option("--limit", "-n", help="Most results to show.", min=1, max=MAX_LIMIT)
]

BomOption = Annotated[
    bool,
    typer.Option(
        "--bom",
        help="Start --format csv with a UTF-8 byte order mark, which Excel on Windows"
        " needs to show accents and other scripts.",
    ),
]
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        "-d",
        help="Directory file or folder (default: $REFERRAL_DATA, config, ./data/, the sample).",
        metavar="PATH",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"referral {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    data: DataOption = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Print a traceback (without local values) on a crash.")
    ] = False,
    strict_data: Annotated[
        bool,
        typer.Option(
            "--strict-data",
            help="Refuse to serve a directory with errors, or with files or folders another"
            " account could have written (default: leave out the providers with errors, warn"
            " about the files, and say so; also the config key strict_data).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Directory and referral tool for local anti-trafficking care networks."""
    state.data = data
    state.debug = debug
    state.strict_data = strict_data


def open_directory(data: str | None, *, say_left_out: bool = True) -> Any:
    """The directory for a serving command, saying on stderr which one when not given
    explicitly, and what was left out because of errors (unless ``say_left_out`` is
    false: the command carries :attr:`Directory.notes` in its own notes)."""
    # The directory and the settings: not loaded by --version, --help or a usage error.
    from referral_cli.config import load_config
    from referral_cli.directory import display_path, open_directory, size_warning

    cfg = load_config()
    chosen = data or state.data
    directory = open_directory(chosen, cfg.data, strict=state.strict_data or cfg.strict_data)
    if directory.origin != "--data":
        note_line(f"using directory {display_path(directory.location)} ({directory.origin})")
    if say_left_out:
        for note in directory.notes:
            note_line(note)
    untrusted = directory.untrusted
    if untrusted:
        named = ", ".join(d.path for d in untrusted[:3]) + (", …" if len(untrusted) > 3 else "")
        note_line(
            f"warning: {len(untrusted)} file(s) or folder(s) of the directory could have been"
            f" changed by another account ({named}); 'referral validate' says why,"
            " --strict-data refuses them"
        )
    too_large = size_warning(len(directory))
    if too_large is not None:
        note_line(f"warning: {too_large}")
    return directory


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise UsageError(
            f"unknown format '{value}'{did_you_mean(value, allowed)}; use one of: {', '.join(allowed)}"
        )
    return value


def format_option(*commands: str, default: str | None = None, more: str = "") -> Any:
    """The ``--format`` option of a command: the formats :data:`output.FORMATS`
    says ``commands`` offer, each with its help, a check of the value given, and
    their completion. ``default`` (the first format unless given) and ``more``
    complete the help."""
    allowed = formats_of(*commands)
    listed = " | ".join(f"{name} ({FORMATS[name].help})" for name in allowed)
    said = f"default: {default or allowed[0]}"
    return typer.Option(
        "--format",
        "-f",
        help=f"{listed}; {said}{more}.",
        callback=lambda value: None if value is None else check_format(value, allowed),
        autocompletion=lambda incomplete: [
            (name, FORMATS[name].help) for name in allowed if name.startswith(incomplete.lower())
        ],
        show_default=False,
    )
