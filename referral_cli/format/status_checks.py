"""Checks of what a provider says about tonight: ``status`` (taking referrals or
not) and ``availability`` (free places, and when that was reported), derived from
:data:`referral_cli.format.definition.STATUS` and ``AVAILABILITY``.

Whether a report is old or a closure over depends on the day: those warnings are
the checks across files' (:mod:`referral_cli.format.directory_checks`), never
these, so that a file's findings stay the same from one day to the next.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from referral_cli.format.definition import AVAILABILITY, DATETIME_RE, STATUS
from referral_cli.format.field_checks import FieldChecker, check_date, is_whole, type_name
from referral_cli.reading.nodes import MarkedDict
from referral_cli.records.model import Availability, Status


def check_status(c: FieldChecker, p: MarkedDict) -> Status | None:
    s = c.mapping(p, "status", STATUS.keys)
    if s is None:
        return None
    state = c.text(s, "state", "status.", required=True)
    choices = STATUS["state"].choices or ()
    if state is not None and state not in choices:
        c.error(
            s.valmarks["state"],
            f"unknown status '{state}' (one of: {', '.join(choices)})",
            "enum",
        )
        state = None
    until = check_date(c, s, "until")
    reason = c.text(s, "reason", "status.")
    if until is not None and state not in (None, "closed"):
        c.error(
            s.keymarks["until"],
            f"'status.until' is the day a closed provider reopens; remove it or set"
            f" 'state: closed' (it is '{state}')",
            "status",
        )
    if state is None:  # in doubt, not listed: a wrong referral costs more than a missed one
        return Status("do-not-refer", None, reason)
    return Status(state, until, reason)


def check_availability(c: FieldChecker, p: MarkedDict) -> Availability | None:
    a = c.mapping(p, "availability", AVAILABILITY.keys)
    if a is None:
        return None
    counts: dict[str, int | None] = {}
    for field in AVAILABILITY.fields:
        if field.kind == "count":
            counts[field.key] = _count(c, a, field.key)
    as_of = _moment(c, a, "as_of")
    beds, most = counts["beds_available"], counts["maximum"]
    if beds is not None and most is not None and beds > most:
        c.error(
            a.valmarks["beds_available"],
            f"'availability.beds_available' ({beds}) is more than 'maximum' ({most})",
            "range",
        )
    if as_of is None:
        return None
    return Availability(as_of, beds, counts["waitlist"], most)


def _count(c: FieldChecker, m: MarkedDict, key: str) -> int | None:
    value = m.get(key)
    if value is None:
        return None
    if not is_whole(value) or value < 0:
        c.error(
            m.valmarks[key], f"'availability.{key}' must be a whole number of 0 or more", "type"
        )
        return None
    return int(value)


def _moment(c: FieldChecker, m: MarkedDict, key: str) -> dt.datetime | None:
    """A date and time with its offset from UTC (YAML reads an unquoted one as a
    timestamp; a quoted one is text)."""
    if m.get(key) is None:
        c.error(m.start, f"'availability.{key}' is required: when the report was made", "required")
        return None
    value = m[key]
    if isinstance(value, str) and DATETIME_RE.match(value.strip()):
        with contextlib.suppress(ValueError):  # the pattern admits a 30 February
            value = dt.datetime.fromisoformat(value.strip())
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value
    what = "without its time zone" if isinstance(value, dt.datetime) else type_name(value)
    c.error(
        m.valmarks[key],
        f"'availability.{key}' must be a date and time with its UTC offset, quoted, such as"
        f' "2026-12-07T09:10:00-08:00", not {what}',
        "type",
    )
    return None
