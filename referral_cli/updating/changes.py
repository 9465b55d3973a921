"""What an update says of a provider, the keys it sets, and the files it makes.

An :class:`Update` (one provider: beds, waitlist, status, who verified it)
becomes new values of ``availability``, ``status``, ``last_verified`` and
``verified_by``, written by :mod:`referral_cli.updating.yamledit`. Each file is
planned whole, then checked with the validator: an edit that leaves a provider
it touched invalid, or the file with more errors than before, is refused and
nothing is written (:func:`plan`). :func:`write` writes the files planned, each
atomically, and puts back those written before when one fails.
"""

from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from referral_cli import taxonomy
from referral_cli.directory import Directory
from referral_cli.errors import ReferralError
from referral_cli.files import write_atomic
from referral_cli.format.validate import check_document
from referral_cli.reading import yamldoc
from referral_cli.reading.nodes import MarkedDict
from referral_cli.updating.yamledit import FileEdit, Value

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Update:
    """What a maintainer says of one provider; ``None`` leaves a value as it is."""

    pid: str
    beds: int | None = None
    waitlist: int | None = None
    as_of: dt.datetime | None = None  # the report's time (aware); the moment of the update
    state: str | None = None  # active | closed | do-not-refer
    until: dt.date | None = None  # implies closed
    reason: str | None = None
    reopen: bool = False
    verified_by: str | None = None

    def check(self) -> None:
        """Refuse what cannot be meant together."""
        if self.reopen and (self.state not in (None, "active") or self.until is not None):
            raise ReferralError(
                "--reopen takes the provider back: not with --status or --closed-until"
            )
        if self.until is not None and self.state not in (None, "closed"):
            raise ReferralError(
                f"--closed-until goes with a closed provider, not --status {self.state}"
            )
        if self.reason is not None and self.reopen:
            raise ReferralError("--reason says why a provider is closed: not with --reopen")
        if not self.says_anything:
            raise ReferralError(
                "nothing to update: give --beds, --waitlist, --status, --closed-until,"
                " --reason, --reopen or --verified-by"
            )

    @property
    def says_anything(self) -> bool:
        return (
            any(
                v is not None
                for v in (
                    self.beds,
                    self.waitlist,
                    self.state,
                    self.until,
                    self.reason,
                    self.verified_by,
                )
            )
            or self.reopen
        )

    def summary(self) -> str:
        """The change in words, for the commit message: "beds 0; closed until 2026-12-12"."""
        parts = []
        if self.beds is not None or self.waitlist is not None:
            said = [f"beds {self.beds}"] * (self.beds is not None)
            said += [f"waitlist {self.waitlist}"] * (self.waitlist is not None)
            stamp = f" as of {self.as_of.isoformat(timespec='minutes')}" if self.as_of else ""
            parts.append(", ".join(said) + stamp)
        if self.reopen or self.state == "active":
            parts.append("reopened")
        elif self.state or self.until or self.reason:
            state = self.state or "closed"
            until = f" until {self.until.isoformat()}" if self.until else ""
            reason = f" ({self.reason})" if self.reason else ""
            parts.append(f"{state}{until}{reason}")
        if self.verified_by:
            parts.append(f"verified by {self.verified_by}")
        return "; ".join(parts)


def moment_for(p: MarkedDict, at: dt.datetime) -> dt.datetime:
    """``at`` on the provider's clock (its time zone, else this machine's), to the second."""
    zone: dt.tzinfo | None = None
    tz = p.get("timezone")
    if isinstance(tz, str):
        try:
            zone = zoneinfo.ZoneInfo(tz.strip())
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
    return at.astimezone(zone).replace(microsecond=0)


def changes_of(u: Update, p: MarkedDict, at: dt.datetime, today: dt.date) -> dict[str, Value]:
    """The keys ``u`` sets in provider ``p`` (as read), and their new values."""
    out: dict[str, Value] = {}
    if u.beds is not None or u.waitlist is not None:
        old = p.get("availability")
        new: dict[str, Any] = {}
        if u.beds is not None:
            new["beds_available"] = u.beds
        if u.waitlist is not None:
            new["waitlist"] = u.waitlist
        if isinstance(old, MarkedDict) and old.get("maximum") is not None:
            new["maximum"] = old["maximum"]  # a property of the place, not of the report
        new["as_of"] = u.as_of or moment_for(p, at)
        out["availability"] = new
    if u.reopen or u.state == "active":
        out["status"] = None
    elif u.state or u.until or u.reason:
        old_status = p.get("status")
        was = old_status if isinstance(old_status, MarkedDict) else MarkedDict()
        state = u.state or ("closed" if u.until else was.get("state"))
        if state is None:
            raise ReferralError(
                f"'{u.pid}' has no status: --reason goes with --status or --closed-until"
            )
        same = state == was.get("state")
        status: dict[str, Any] = {"state": state}
        until = u.until or (was.get("until") if same else None)
        if until is not None:
            status["until"] = until
        reason = u.reason or (was.get("reason") if same else None)
        if reason is not None:
            status["reason"] = reason
        out["status"] = status
    if u.verified_by is not None:
        out["last_verified"] = today
        out["verified_by"] = u.verified_by
    return out


@dataclass
class Planned:
    """One file's text before and after its updates."""

    path: Path
    shown: str
    before: bytes
    after: bytes
    updates: list[Update]

    def diff(self) -> str:
        """The change as a unified diff of the changed lines alone: no context, so
        a confidential provider's street or point next to them is never printed."""
        old = self.before.decode("utf-8-sig").splitlines(keepends=True)
        new = self.after.decode("utf-8-sig").splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, f"a/{self.shown}", f"b/{self.shown}", n=0)
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def plan(
    directory: Directory, updates: Sequence[Update], at: dt.datetime, today: dt.date
) -> list[Planned]:
    """Every file the updates touch, edited and checked; nothing is written."""
    if directory.origin == "sample":
        raise ReferralError(
            "no directory given: the sample shipped with referral-cli is not updated;"
            " give --data FILE or set $REFERRAL_DATA"
        )
    by_file: dict[str, list[Update]] = {}
    seen: set[str] = set()
    for u in updates:
        if u.pid in seen:
            raise ReferralError(f"'{u.pid}' is updated twice; give each provider once")
        seen.add(u.pid)
        by_file.setdefault(directory.get(u.pid).source.path, []).append(u)
    return [_plan_file(directory.index.path_of(shown), shown, found, at, today)
            for shown, found in by_file.items()]  # fmt: skip


def _plan_file(
    path: Path, shown: str, updates: list[Update], at: dt.datetime, today: dt.date
) -> Planned:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReferralError(f"cannot read {shown}: {exc.strerror}") from None
    text = yamldoc.decode(data, shown)
    edit = FileEdit(text, shown)
    done = []
    for u in updates:
        p = edit.provider(u.pid)
        if u.as_of is None and (u.beds is not None or u.waitlist is not None):
            u = replace(u, as_of=moment_for(p, at))  # the report is of now
        edit.set(u.pid, changes_of(u, p, at, today))
        done.append(u)
    after = edit.text()
    _check(text, after, shown, [u.pid for u in updates])
    encoded = (BOM if data.startswith(BOM) else b"") + after.encode("utf-8")
    return Planned(path, shown, data, encoded, done)


def _check(before: str, after: str, shown: str, pids: list[str]) -> None:
    """Refuse an edit that leaves a provider it touched invalid, or adds an error."""
    tax = taxonomy.load()
    _, old = check_document(yamldoc.load(before, shown), shown, tax)
    try:
        providers, new = check_document(yamldoc.load(after, shown), shown, tax)
    except yamldoc.YamlError as exc:
        raise ReferralError(f"{exc.diagnostic}; {shown} is left as it was") from None
    touched = [d for d in new if d.severity == "error" and d.provider_id in pids]
    more = sum(d.severity == "error" for d in new) > sum(d.severity == "error" for d in old)
    if touched or more:
        first = touched[0] if touched else next(d for d in new if d.severity == "error")
        raise ReferralError(f"{first}; {shown} is left as it was")
    valid = {p.id for p in providers}
    missing = [pid for pid in pids if pid not in valid]
    if missing:
        raise ReferralError(
            f"'{missing[0]}' has errors ('referral validate {shown}'); {shown} is left as it was"
        )


def write(planned: Sequence[Planned]) -> None:
    """Write each planned file atomically, once none has changed since it was read;
    when a write fails, put back those written before it."""
    for p in planned:
        try:
            current = p.path.read_bytes()
        except OSError as exc:
            raise ReferralError(f"cannot read {p.shown}: {exc.strerror}") from None
        if current != p.before:
            raise ReferralError(
                f"{p.shown} changed while it was being updated; nothing written, run again"
            )
    done: list[Planned] = []
    for p in planned:
        try:
            write_atomic(p.path, p.after, force=True)
        except ReferralError as exc:
            for q in reversed(done):
                write_atomic(q.path, q.before, force=True)
            undone = f" ({len(done)} file(s) put back as they were)" if done else ""
            raise ReferralError(f"{exc}{undone}") from None
        done.append(p)
