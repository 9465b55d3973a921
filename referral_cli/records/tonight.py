"""What a provider says about tonight, in plain words, and how search ranks it.

A report of free beds is true when it was made: after :data:`DEFAULT_REPORT_HOURS`
(or the ``report_hours`` setting) it is "beds unknown — last report 3 days ago",
never a bed. Every function takes the moment it judges at (``now``, aware), so
that a test fixes it instead of waiting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from referral_cli.records.model import Availability, Provider, Status

DEFAULT_REPORT_HOURS = 24.0
# How a shelter need ranks a provider: a bed reported, nothing known (no report,
# or an old one), full.
HAS_BEDS, UNKNOWN, FULL = 0, 1, 2
SHELTER_SERVICES = ("temporary-shelter",)
_UNKNOWN = "beds unknown"


def now() -> dt.datetime:
    """The moment commands judge reports at (aware)."""
    return dt.datetime.now(dt.UTC)


def is_fresh(as_of: dt.datetime, at: dt.datetime, report_hours: float) -> bool:
    """A report made no longer than ``report_hours`` before ``at`` (compared as the
    index compares it: in seconds since the epoch)."""
    return as_of.timestamp() >= cutoff(at, report_hours)


def cutoff(at: dt.datetime, report_hours: float) -> float:
    """The oldest fresh report's time, in seconds since the epoch (as the index files it)."""
    return (at - dt.timedelta(hours=report_hours)).timestamp()


def bed_tier(beds: int | None, fresh: bool) -> int:
    """:data:`HAS_BEDS`, :data:`UNKNOWN` or :data:`FULL`, from a report's beds and
    whether it is fresh (``beds`` None: no report of beds)."""
    if beds is None or not fresh:
        return UNKNOWN
    return HAS_BEDS if beds > 0 else FULL


def tier_of(p: Provider, at: dt.datetime, report_hours: float) -> int:
    a = p.availability
    if a is None:
        return UNKNOWN
    return bed_tier(a.beds_available, is_fresh(a.as_of, at, report_hours))


def asks_for_beds(services: list[str]) -> bool:
    """A need for a bed tonight: the searches that rank by free beds."""
    return any(s in SHELTER_SERVICES for s in services)


def zone_of(p: Provider, moment: dt.datetime) -> dt.tzinfo | None:
    """The provider's time zone, else the moment's own offset."""
    if p.timezone:
        import zoneinfo  # only when a report is told in a provider's time zone

        try:
            return zoneinfo.ZoneInfo(p.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return moment.tzinfo


def when(moment: dt.datetime, at: dt.datetime, zone: dt.tzinfo | None) -> str:
    """ "09:10 today", "yesterday 18:00", "3 Dec 18:00" (in ``zone``)."""
    local, here = moment.astimezone(zone), at.astimezone(zone)
    clock = local.strftime("%H:%M")
    days = (here.date() - local.date()).days
    if days == 0:
        return f"{clock} today"
    if days == 1:
        return f"yesterday {clock}"
    return f"{day(local.date(), here.date())} {clock}"


def day(d: dt.date, today: dt.date) -> str:
    """ "12 Dec", with the year when it is not this one."""
    text = f"{d.day} {d.strftime('%b')}"
    return text if d.year == today.year else f"{text} {d.year}"


def ago(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 48:
        return f"{max(1, int(hours))} hours ago"
    return f"{int(hours // 24)} days ago"


def availability_text(p: Provider, at: dt.datetime, report_hours: float) -> str | None:
    """ "2 beds as of 09:10 today", "full as of yesterday 18:00", or for an old
    report "beds unknown — last report 3 days ago"; None without a report."""
    a = p.availability
    if a is None:
        return None
    if not is_fresh(a.as_of, at, report_hours):
        return f"{_UNKNOWN} — last report {ago(at - a.as_of)}"
    return _fresh_text(a, when(a.as_of, at, zone_of(p, a.as_of)))


def _fresh_text(a: Availability, stamp: str) -> str:
    beds = a.beds_available
    if beds is None:
        said = "beds not reported"
    elif beds == 0:
        said = "full"
    else:
        said = f"{beds} bed{'s' if beds != 1 else ''}"
    waiting = f", {a.waitlist} waiting" if a.waitlist else ""
    return f"{said}{waiting} as of {stamp}"


def tells_beds(reason: str) -> bool:
    """Whether a reason of a result is :func:`availability_text`'s."""
    return reason.startswith(_UNKNOWN) or " as of " in reason


def status_text(s: Status | None, today: dt.date) -> str | None:
    """ "closed until 12 Dec (renovation)", "not taking referrals (reason)"; None when active."""
    if s is None or s.refers:
        return None
    if s.state == "closed":
        said = "closed" if s.until is None else f"closed until {day(s.until, today)}"
    else:
        said = "not taking referrals"
    return f"{said} ({s.reason})" if s.reason else said


def with_beds(key: tuple[Any, ...], tier: int) -> tuple[Any, ...]:
    """A :func:`referral_cli.search.rules.rank_key` with a shelter's bed tier (:func:`bed_tier`)
    right after "within the radius asked for": a bed tonight before a nearer full one."""
    return (key[0], tier, *key[1:])


def left_out_note(left: Sequence[tuple[Provider, str]], count: int) -> str:
    """The note naming the providers a search left out because they take no referrals."""
    named = "; ".join(f"{p.name} ({why})" for p, why in left[:3])
    more = f"; and {count - 3} more" if count > 3 else ""
    return f"{count} provider(s) not taking referrals left out: {named}{more}"
