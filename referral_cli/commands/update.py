"""``referral update``: what a provider said tonight, written into its YAML file."""

import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from referral_cli.app import DataOption, note_line, open_directory
from referral_cli.errors import ReferralError, UsageError
from referral_cli.output import clean

if TYPE_CHECKING:
    from referral_cli.updating.changes import Planned


def _state(value: str | None) -> str | None:
    # the core: not loaded by --help
    from referral_cli.records.model import STATES

    if value is not None and value not in STATES:
        raise UsageError(f"--status: use one of {', '.join(STATES)}, not '{value}'")
    return value


def update(
    provider_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="Provider id (or --from CSV).", show_default=False),
    ] = None,
    beds: Annotated[
        int | None,
        typer.Option("--beds", help="Beds free now (0: full).", min=0, show_default=False),
    ] = None,
    waitlist: Annotated[
        int | None,
        typer.Option("--waitlist", help="People waiting now.", min=0, show_default=False),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="active | closed | do-not-refer (closed and do-not-refer are never listed).",
            callback=_state,
            show_default=False,
        ),
    ] = None,
    closed_until: Annotated[
        str | None,
        typer.Option(
            "--closed-until", help="Closed until this day, YYYY-MM-DD.", show_default=False
        ),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why it is closed, in a few words.", show_default=False),
    ] = None,
    reopen: Annotated[
        bool, typer.Option("--reopen", help="Taking referrals again (removes 'status').")
    ] = False,
    verified_by: Annotated[
        str | None,
        typer.Option(
            "--verified-by",
            help="Your initials or role: sets verified_by and last_verified to today.",
            show_default=False,
        ),
    ] = None,
    census: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="A bed census CSV (columns id, beds, as_of; waitlist optional): every row"
            " or none.",
            show_default=False,
        ),
    ] = None,
    commit: Annotated[
        bool, typer.Option("--commit", help="Commit the change with git, naming it.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the diff; write nothing.")
    ] = False,
    data: DataOption = None,
) -> None:
    """Update a provider in its YAML file in place: beds, waitlist, status, who verified it.

    Only the keys changed are rewritten (availability, status, last_verified,
    verified_by); comments, order and layout stay. The result is validated before it
    is written (atomically) and the change is printed as a diff.

    Example: referral update fresno-mens-emergency-shelter --beds 0 --verified-by JS
    """

    # the core: not loaded by --help
    from referral_cli.records import tonight
    from referral_cli.updating import census as census_csv
    from referral_cli.updating.changes import Update, plan, write

    given = (beds, waitlist, status, closed_until, reason, verified_by)
    if census is not None:
        if provider_id is not None or any(v is not None for v in given) or reopen:
            raise UsageError("--from updates from the census alone: give no ID or other change")
    elif provider_id is None:
        raise UsageError("give a provider ID (or --from CENSUS.csv)")
    until = None
    if closed_until is not None:
        try:
            until = dt.date.fromisoformat(closed_until)
        except ValueError:
            raise UsageError(f"--closed-until: a day as YYYY-MM-DD, not '{closed_until}'") from None
    directory = open_directory(data)
    if census is not None:
        updates = census_csv.read(Path(census), census, directory)
    else:
        assert provider_id is not None
        one = Update(provider_id, beds, waitlist, None, status, until, reason, reopen, verified_by)
        try:
            one.check()
        except ReferralError as exc:
            raise UsageError(str(exc)) from None
        updates = [one]
    at = tonight.now()
    planned = plan(directory, updates, at, at.astimezone().date())
    _print_diff(planned)
    count = len(updates)
    files = ", ".join(p.shown for p in planned)
    if dry_run:
        note_line(f"--dry-run: {count} provider(s) in {files} not written")
        return
    write(planned)
    note_line(f"updated {count} provider(s) in {files}")
    if commit:
        message = _message(planned, census)
        _commit(planned, message)
        note_line(f"committed: {message.splitlines()[0]}")


def _print_diff(planned: "list[Planned]") -> None:
    for p in planned:
        for line in p.diff().splitlines():
            sys.stdout.write(clean(line) + "\n")


def _message(planned: "list[Planned]", census: str | None) -> str:
    updates = [u for p in planned for u in p.updates]
    if census is None:
        (u,) = updates
        return f"update {u.pid}: {u.summary()}"
    ids = ", ".join(u.pid for u in updates[:3]) + (", …" if len(updates) > 3 else "")
    body = "\n".join(f"- {u.pid}: {u.summary()}" for u in updates)
    return f"bed census: {len(updates)} provider(s) ({ids})\n\n{body}\n"


def _commit(planned: "list[Planned]", message: str) -> None:
    """One git commit of exactly the files updated."""
    import subprocess

    git = shutil.which("git")
    if git is None:
        raise ReferralError("updated, but not committed: git is not installed")
    paths = [str(p.path.resolve()) for p in planned]
    folder = str(Path(paths[0]).parent)
    for args in (["add", "--", *paths], ["commit", "--quiet", "-m", message, "--", *paths]):
        done = subprocess.run(
            [git, "-C", folder, *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise ReferralError(
                f"updated, but not committed: git {args[0]} said: {said[0] if said else done.returncode}"
            )
