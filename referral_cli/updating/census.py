"""A nightly bed census as a CSV file: one row per provider (``id``, ``beds``,
``as_of``; ``waitlist`` too when the sheet has it).

Every row is read and checked before anything is written: one bad row (an
unknown id, a number that is not one, a time without its zone where the
provider has none) refuses the whole census, with every problem listed by line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from pathlib import Path

from referral_cli.directory import Directory
from referral_cli.errors import ReferralError
from referral_cli.format.definition import ID_RE
from referral_cli.updating.changes import Update

REQUIRED = ("id", "beds")
KNOWN = ("id", "beds", "as_of", "waitlist")
MAX_BYTES = 16 * 1024 * 1024


class CensusError(ReferralError):
    """Rows of a census that cannot be used, each ``path:line: problem``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "; ".join(problems[:5])
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        super().__init__(f"census refused, nothing written: {shown}{more}")


def read(path: Path, shown: str, directory: Directory) -> list[Update]:
    """The census's updates, or :class:`CensusError` naming every bad row."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ReferralError(f"cannot read {shown}: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise ReferralError(f"{shown} is over 16 MiB; a census has a row per provider")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReferralError(f"{shown} is not UTF-8; save the sheet as CSV UTF-8") from None
    rows = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in rows.fieldnames or []]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise ReferralError(
            f"{shown}:1: the header needs the columns {', '.join(REQUIRED)} (and may have"
            f" {', '.join(k for k in KNOWN if k not in REQUIRED)}); missing: {', '.join(missing)}"
        )
    problems: list[str] = []
    updates: list[Update] = []
    seen: dict[str, int] = {}
    for row in rows:
        line = rows.line_num
        cells = {(k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        if not any(cells.values()):
            continue
        found = _row(cells, directory, seen, line)
        if isinstance(found, str):
            problems.append(f"{shown}:{line}: {found}")
        else:
            seen[found.pid] = line
            updates.append(found)
    if problems:
        raise CensusError(problems)
    if not updates:
        raise ReferralError(f"{shown}: no rows; nothing to update")
    return updates


def _row(
    cells: dict[str, str], directory: Directory, seen: dict[str, int], line: int
) -> Update | str:
    """The row's update, or what is wrong with it."""
    pid = cells.get("id", "")
    if not ID_RE.match(pid):
        return f"'{pid}' is not a provider id"
    if pid in seen:
        return f"'{pid}' is given twice (first at line {seen[pid]})"
    try:
        provider = directory.get(pid)
    except ReferralError:
        return f"no provider with id '{pid}'"
    counts: dict[str, int | None] = {}
    for key in ("beds", "waitlist"):
        value = cells.get(key, "")
        if not value and key == "beds":
            return "beds is empty; write 0 for full"
        if value and not (value.isascii() and value.isdigit()):
            return f"{key} '{value}' is not a whole number of 0 or more"
        counts[key] = int(value) if value else None
    as_of: dt.datetime | None = None
    if cells.get("as_of"):
        moment = _moment(cells["as_of"], provider.timezone)
        if isinstance(moment, str):
            return moment
        as_of = moment
    return Update(pid, beds=counts["beds"], waitlist=counts["waitlist"], as_of=as_of)


def _moment(text: str, timezone: str | None) -> dt.datetime | str:
    """A time with its offset; one without, on the provider's clock when it has one."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or len(text) <= len("2026-12-07"):
        return f"as_of '{text}' is not a date and time such as 2026-12-07T21:00-08:00"
    if moment.tzinfo is not None:
        return moment
    if moment.tzinfo is None and timezone:
        return moment.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
    return f"as_of '{text}' has no UTC offset and the provider no time zone; write 21:00-08:00"
