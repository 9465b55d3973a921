"""Opening hours: parsing, overnight ranges, open-now in a time zone, and words."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from conftest import LONG_PROFILE
from hypothesis import given, settings
from hypothesis import strategies as st

from referral_cli.records import hours

FRIDAY_NIGHT = {"fri": "22:00-06:00"}
LA = "America/Los_Angeles"


def at(day: str, time: str) -> dt.datetime:
    """A moment in Los Angeles in the week of Monday 2026-11-30."""
    date = dt.date(2026, 11, 30) + dt.timedelta(days=hours.DAYS.index(day))
    h, m = map(int, time.split(":"))
    return dt.datetime(date.year, date.month, date.day, h, m, tzinfo=zoneinfo.ZoneInfo(LA))


@pytest.mark.parametrize(
    ("day", "time", "open_"),
    [
        ("fri", "02:00", False),  # Friday's night has not begun; Thursday has none
        ("fri", "21:59", False),
        ("fri", "22:00", True),
        ("fri", "23:59", True),
        ("sat", "00:00", True),  # Friday's range runs into Saturday
        ("sat", "02:00", True),
        ("sat", "05:59", True),
        ("sat", "06:00", False),
        ("sat", "22:30", False),
    ],
)
def test_an_overnight_range_belongs_to_the_night_it_starts(
    day: str, time: str, open_: bool
) -> None:
    assert hours.is_open(FRIDAY_NIGHT, LA, at(day, time)) is open_


def test_sunday_night_runs_into_monday() -> None:
    assert hours.is_open({"sun": "20:00-02:00"}, LA, at("mon", "01:00")) is True
    assert hours.is_open({"sun": "20:00-02:00"}, LA, at("sun", "01:00")) is False


def test_a_range_ending_at_midnight_and_the_day_after() -> None:
    spec = {"mon-fri": "09:00-24:00"}
    assert hours.is_open(spec, LA, at("fri", "23:59")) is True
    assert hours.is_open(spec, LA, at("sat", "00:00")) is False


def test_open_now_is_unknown_without_what_it_needs() -> None:
    assert hours.is_open(None, LA) is None
    assert hours.is_open("by appointment", LA) is None
    assert hours.is_open("24 / 7", None) is True
    assert hours.is_open({"mon": "09:00-17:00"}, None) is None
    assert hours.is_open({"mon": "09:00-17:00"}, "Mars/Olympus") is None


def test_the_time_zone_decides_the_weekday() -> None:
    # Saturday 09:00 UTC is Saturday 01:00 in Los Angeles: inside Friday's night.
    utc = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
    assert hours.is_open(FRIDAY_NIGHT, LA, utc) is True
    assert hours.is_open(FRIDAY_NIGHT, "Asia/Tokyo", utc) is False


@pytest.mark.parametrize(
    ("spec", "days"),
    [
        ("mon", (0,)),
        ("Mon-Fri", (0, 1, 2, 3, 4)),
        ("fri-mon", (4, 5, 6, 0)),
        ("sat, sun", (5, 6)),
        ("daily", tuple(range(7))),
        ("monday", None),
        ("mon-", None),
        ("", None),
    ],
)
def test_day_specs(spec: str, days: tuple[int, ...] | None) -> None:
    assert hours.parse_days(spec) == days


@pytest.mark.parametrize(
    ("spec", "ranges"),
    [
        ("09:00-17:00", [(540, 1020)]),
        ("09:00-12:00, 13:00-17:00", [(540, 720), (780, 1020)]),
        ("00:00-24:00", [(0, 1440)]),
        ("22:00-06:00", [(1320, 1800)]),
        ("Closed", []),
        ("24:00-06:00", None),  # 24:00 only ends a range
        ("09:00-24:30", None),
        ("9:00-17:00", None),
        ("09:00", None),
        ("09:00-17:00,", None),
    ],
)
def test_time_ranges(spec: str, ranges: list[tuple[int, int]] | None) -> None:
    assert hours.parse_ranges(spec) == ranges


def test_words_and_the_weekly_round_trip() -> None:
    spec = {"mon-fri": "09:00-17:00", "sat": "10:00-14:00"}
    assert hours.describe(spec) == "Mon-Fri 09:00-17:00; Sat 10:00-14:00"
    assert hours.describe(spec, {"mon": "lun", "fri": "vie"}).startswith("lun-vie ")
    assert hours.from_weekly(hours.weekly(spec)) == spec
    assert hours.from_weekly(hours.weekly({"daily": "00:00-24:00"})) == "24/7"
    assert hours.from_weekly(hours.weekly(FRIDAY_NIGHT)) == FRIDAY_NIGHT


TIMES = st.integers(0, 23).flatmap(lambda h: st.integers(0, 59).map(lambda m: f"{h:02d}:{m:02d}"))
RANGE = st.tuples(TIMES, TIMES).filter(lambda r: r[0] != r[1]).map("-".join)
SCHEDULES = st.dictionaries(
    st.sampled_from([*hours.DAYS, "mon-fri", "sat,sun", "fri-mon", "daily"]),
    st.lists(RANGE, min_size=1, max_size=3).map(", ".join),
    max_size=4,
)


def minute_model(schedule: dict[str, str]) -> set[int]:
    """Every open minute of the week (Monday 00:00 is 0), walked one minute at a time."""
    week = 7 * hours.MINUTES_PER_DAY
    open_minutes: set[int] = set()
    for days, spec in schedule.items():
        for day in hours.parse_days(days) or ():
            for part in spec.split(","):
                start, end = part.strip().split("-")
                m = day * 1440 + int(start[:2]) * 60 + int(start[3:])
                stop = day * 1440 + int(end[:2]) * 60 + int(end[3:])
                if stop <= m:
                    stop += 1440
                while m < stop:
                    open_minutes.add(m % week)
                    m += 1
    return open_minutes


@settings(max_examples=150 if LONG_PROFILE else 50, deadline=None)
@given(SCHEDULES, st.integers(0, 6), st.integers(0, 1439))
def test_open_at_agrees_with_a_minute_by_minute_week(
    schedule: dict[str, str], day: int, minute: int
) -> None:
    expected = day * 1440 + minute in minute_model(schedule)
    assert hours.is_open_at(schedule, day, minute) is expected


@settings(max_examples=300 if LONG_PROFILE else 60, deadline=None)
@given(
    st.one_of(
        st.lists(
            st.one_of(RANGE, st.sampled_from(["24:00-01:00", "09:00-24:00", "9:00-10:00"])),
            min_size=1,
            max_size=3,
        ).map(", ".join),
        st.sampled_from(["closed", "CLOSED", " 09:00-17:00 ", "09:00-17:00,", "", "x"]),
        st.text(alphabet="0123456789:-, c", max_size=16),
    )
)
def test_the_json_schema_pattern_accepts_what_the_parser_accepts(spec: str) -> None:
    import re

    assert (re.match(hours.SPEC_PATTERN, spec) is not None) is (
        hours.parse_ranges(spec) is not None
    )


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [("9:00am", 540), ("5:00pm", 1020), ("12:00pm", 720), ("12:00am", 0), ("08:00", 480),
     ("4:00 PM", 960), ("3pm", 900), ("830am", 510), ("10:00:00", 600), ("09:00-05:00", 540)],
)  # fmt: skip
def test_times(raw: str, minutes: int) -> None:
    parsed = hours.read_clock(raw)
    assert parsed is not None and parsed[0] == minutes


def test_hours_compress_to_day_ranges() -> None:
    week = {d: [(540, 1020)] for d in range(5)} | {5: [(600, 720)]}
    assert hours.from_weekly(week) == {"mon-fri": "09:00-17:00", "sat": "10:00-12:00"}
    assert hours.from_weekly({d: [(0, 1440)] for d in range(7)}) == "24/7"


@given(st.integers(0, 23), st.integers(0, 59))
def test_hsds_clock_times_read_back(hour: int, minute: int) -> None:
    """What the export writes as an HSDS time, and the 12-hour forms exports use, read
    back as the same minute of the day."""
    at = hour * 60 + minute
    assert hours.read_clock(hours.hsds_time(f"{hour}:{minute:02d}")) == (at, False)
    twelve = hour % 12 or 12
    for meridiem in ("am", "AM", "a.m."):
        if hour < 12:
            assert hours.read_clock(f"{twelve}:{minute:02d} {meridiem}") == (at, True)
    if hour >= 12:
        assert hours.read_clock(f"{twelve}:{minute:02d}pm") == (at, True)


def test_hsds_end_of_day_is_the_last_clock_second() -> None:
    assert hours.hsds_time("24:00") == "23:59:59"
    assert hours.read_clock("23:59:59") == (23 * 60 + 59, False)
    assert hours.read_clock("25:00") is None and hours.read_clock("13:00 pm") is None


@given(st.lists(st.integers(0, 6), min_size=1, max_size=7))
def test_hsds_weekday_cells(days: list[int]) -> None:
    """iCalendar BYDAY codes and ISO numbers name weekdays; a monthly rule names none."""
    byday = hours.BYDAY
    assert byday == ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    assert hours.read_weekdays(",".join(byday[d] for d in days)) == days
    assert hours.read_weekdays(" ".join(str(d + 1) for d in days)) == days
    assert hours.read_weekdays(", ".join(hours.DAYS[d] for d in days)) == days
    assert hours.read_weekdays(",".join(byday[d] for d in days) + ",1MO") == []
