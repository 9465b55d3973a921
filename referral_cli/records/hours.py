"""Opening hours: the one home of how the directory writes them and what they mean.

A provider's ``hours`` is either free text ("24/7", "by appointment") or a
mapping of day specs to time ranges: ``{mon-fri: "09:00-17:00, 18:00-20:00",
sat: closed, fri: "22:00-06:00"}``. A range whose end is not after its start
runs past midnight: Friday's "22:00-06:00" is open on Friday from 22:00 and on
Saturday until 06:00. ``24:00`` may end a range and nothing else.

HSDS schedules are read and written here too: the clock times ("9:00am",
"17:00:00") and weekday cells ("MO,TU", "Monday", "1") other systems write.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BYDAY = tuple(day[:2].upper() for day in DAYS)  # iCalendar weekdays, as HSDS writes them
DAY_NAMES = dict(zip(DAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))
EVERY_DAY = ("daily", "everyday", "mon-sun")
ALWAYS_OPEN = ("24/7", "24x7", "24hours", "always")
MINUTES_PER_DAY = 24 * 60

Hours = str | Mapping[str, str] | None
Range = tuple[int, int]  # minutes after midnight; end > start, at most 24:00 the next day

_TIME = r"([01][0-9]|2[0-3]):([0-5][0-9])"
_RANGE_RE = re.compile(rf"^{_TIME}-(?:{_TIME}|(24):(00))$")
_PLAIN_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]"
_PLAIN_RANGE = rf"{_PLAIN_TIME}-(?:{_PLAIN_TIME}|24:00)"
# What :func:`parse_ranges` accepts, for the JSON Schema (which has no flags).
SPEC_PATTERN = rf"^\s*(?:[Cc][Ll][Oo][Ss][Ee][Dd]|{_PLAIN_RANGE}(?:\s*,\s*{_PLAIN_RANGE})*)\s*$"


def is_always_open(text: str) -> bool:
    """Free-text hours that mean open around the clock ("24/7", "24 hours")."""
    return text.strip().replace(" ", "").lower() in ALWAYS_OPEN


def parse_days(spec: str) -> tuple[int, ...] | None:
    """Weekday numbers (Monday 0) of "mon", "mon-fri", "fri-mon", "sat,sun", "daily";
    None when the spec is not one."""
    spec = spec.strip().lower()
    if spec in EVERY_DAY:
        return tuple(range(7))
    days: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        start, dash, end = part.partition("-")
        if dash:
            if start not in DAYS or end not in DAYS:
                return None
            i, j = DAYS.index(start), DAYS.index(end)
            days.extend(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
        elif part in DAYS:
            days.append(DAYS.index(part))
        else:
            return None
    return tuple(days)


def parse_ranges(spec: str) -> list[Range] | None:
    """The ranges of "09:00-12:00, 13:00-17:00" ([] for "closed"); None when invalid.

    A range that ends at or before its start ends on the next day, so its end is
    returned past 24:00 ("22:00-06:00" is (1320, 1800)).
    """
    text = spec.strip()
    if text.lower() == "closed":
        return []
    out: list[Range] = []
    for part in text.split(","):
        m = _RANGE_RE.match(part.strip())
        if not m:
            return None
        start = int(m.group(1)) * 60 + int(m.group(2))
        end_h, end_m = (m.group(3), m.group(4)) if m.group(3) else (m.group(5), m.group(6))
        end = int(end_h) * 60 + int(end_m)
        if end <= start:
            end += MINUTES_PER_DAY
        out.append((start, end))
    return out


def weekly(hours: Mapping[str, str]) -> dict[int, list[Range]]:
    """Each weekday's ranges as written (an overnight range stays on the day it starts);
    invalid entries are left out (validation reports them)."""
    out: dict[int, list[Range]] = {}
    for days_spec, spec in hours.items():
        days = parse_days(days_spec)
        ranges = parse_ranges(spec)
        if days is None or ranges is None:
            continue
        for day in days:
            out.setdefault(day, []).extend(ranges)
    return out


def is_open_at(hours: Mapping[str, str], weekday: int, minute: int) -> bool:
    """Open on ``weekday`` (Monday 0) at ``minute`` after midnight, counting the part
    of the previous day's overnight ranges that runs into this day."""
    week = weekly(hours)
    if any(start <= minute < end for start, end in week.get(weekday, ())):
        return True
    previous = week.get((weekday - 1) % 7, ())
    return any(start <= minute + MINUTES_PER_DAY < end for start, end in previous)


def is_open(hours: Hours, timezone: str | None, now: dt.datetime | None = None) -> bool | None:
    """Open at ``now`` (aware; default the current time), or None when the hours cannot
    say: free text other than "24/7", no time zone, or a time zone this machine lacks."""
    if hours is None:
        return None
    if isinstance(hours, str):
        return True if is_always_open(hours) else None
    if not timezone:
        return None
    import zoneinfo  # only when hours are judged in a provider's time zone

    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    local = (now or dt.datetime.now(dt.UTC)).astimezone(zone)
    return is_open_at(hours, local.weekday(), local.hour * 60 + local.minute)


def days_label(spec: str, names: Mapping[str, str] = DAY_NAMES) -> str:
    """ "mon-fri" -> "Mon-Fri" in the names given (a slip's language)."""
    return "-".join(names.get(d.strip(), d.strip()) for d in spec.split("-"))


def describe(hours: Hours, names: Mapping[str, str] = DAY_NAMES) -> str | None:
    """Hours in words: "Mon-Fri 09:00-17:00; Sat closed"."""
    if hours is None:
        return None
    if isinstance(hours, str):
        return hours
    return "; ".join(f"{days_label(days, names)} {spec}" for days, spec in hours.items())


def hhmm(minutes: int) -> str:
    """Minutes after midnight as "HH:MM" (1440 is "24:00")."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def from_weekly(days: Mapping[int, list[Range]]) -> str | dict[str, str] | None:
    """Ranges per weekday -> "24/7" or {"mon-fri": "09:00-17:00", ...}, joining runs of
    days with the same ranges (the inverse of :func:`weekly`)."""
    if not days:
        return None
    texts: dict[int, str] = {}
    for day, ranges in days.items():
        texts[day] = ", ".join(
            f"{hhmm(a)}-{hhmm(b % MINUTES_PER_DAY if b > MINUTES_PER_DAY else b)}"
            for a, b in sorted(set(ranges))
        )
    if len(texts) == 7 and all(t in ("00:00-24:00", "00:00-23:59") for t in texts.values()):
        return "24/7"
    out: dict[str, str] = {}
    day = 0
    while day < 7:
        if day not in texts:
            day += 1
            continue
        end = day
        while end + 1 < 7 and texts.get(end + 1) == texts[day]:
            end += 1
        key = DAYS[day] if end == day else f"{DAYS[day]}-{DAYS[end]}"
        out[key] = texts[day]
        day = end + 1
    return out


# --- HSDS schedules: the clock times and weekday cells other systems write -------

_DAY_WORDS = {
    "mo": 0, "mon": 0, "monday": 0, "tu": 1, "tue": 1, "tues": 1, "tuesday": 1,
    "we": 2, "wed": 2, "wednesday": 2, "th": 3, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fr": 4, "fri": 4, "friday": 4, "sa": 5, "sat": 5, "saturday": 5,
    "su": 6, "sun": 6, "sunday": 6,
}  # fmt: skip
_CLOCK = re.compile(
    r"^(\d{1,2}?)(?:[:.h]?(\d{2})|[:.h](\d))?(?::\d{2}(?:\.\d+)?)?\s*(?:([ap])\.?\s*m?\.?)?\s*(?:z|[+-]\d{2}(?::?\d{2})?)?$",
    re.I,
)


def read_clock(value: str) -> tuple[int, bool] | None:
    """Minutes after midnight of a clock time as exports write it, and whether am/pm was
    given: "9:00am" -> (540, True), "17:00:00" -> (1020, False), "noon"."""
    s = re.sub(r"\([^)]*\)", " ", value).strip().lower()
    if s in ("noon", "12 noon"):
        return 720, True
    if s == "midnight":
        return 0, True
    m = _CLOCK.match(s)
    if not m:
        return None
    hour = int(m.group(1))
    minute = int(m.group(2)) if m.group(2) else int(m.group(3)) * 10 if m.group(3) else 0
    meridiem = m.group(4)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return hour * 60 + minute, bool(meridiem)


def read_weekdays(value: str) -> list[int]:
    """Weekday numbers (Monday 0) of an HSDS weekday cell: "Monday", "MO,TU" (iCalendar
    BYDAY), "1" (ISO, Monday 1); [] for anything else ("1MO" is monthly)."""
    out: list[int] = []
    for part in re.split(r"[,;/\s]+", value.strip().lower()):
        part = part.strip(".")
        if not part:
            continue
        if part.isdigit() and 1 <= int(part) <= 7:
            out.append(int(part) - 1)
        elif part in _DAY_WORDS:
            out.append(_DAY_WORDS[part])
        else:
            return []  # "1MO" (monthly) and unknown words: not a weekly day
    return out


def hsds_time(hhmm: str) -> str:
    """``"9:00"`` -> ``"09:00:00"``; the end of the day ``"24:00"`` -> ``"23:59:59"``
    (HSDS times are clock times, and 24:00 is not one)."""
    hours, _, minutes = hhmm.strip().partition(":")
    if int(hours) >= 24:
        return "23:59:59"
    return f"{int(hours):02d}:{int(minutes or 0):02d}:00"
