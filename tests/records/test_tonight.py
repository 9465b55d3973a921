"""The words of tonight, judged at a fixed moment (no waiting): beds as of when,
an old report as unknown, a closure with its day and reason."""

from __future__ import annotations

import datetime as dt

from referral_cli.records import tonight
from referral_cli.records.model import Availability, Provider, Source, Status

LA = dt.timezone(dt.timedelta(hours=-8))
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=LA)


def shelter(
    a: Availability | None = None, s: Status | None = None, zone: str | None = None
) -> Provider:
    return Provider(
        id="s", name="S", services=("temporary-shelter",), areas=(), source=Source("x", 1, 1),
        timezone=zone, availability=a, status=s,
    )  # fmt: skip


def test_beds_as_of_today_and_full_as_of_yesterday() -> None:
    today = shelter(Availability(dt.datetime(2026, 12, 7, 9, 10, tzinfo=LA), 2))
    assert tonight.availability_text(today, NOW, 24) == "2 beds as of 09:10 today"
    one = shelter(Availability(dt.datetime(2026, 12, 7, 9, 10, tzinfo=LA), 1, waitlist=3))
    assert tonight.availability_text(one, NOW, 24) == "1 bed, 3 waiting as of 09:10 today"
    full = shelter(Availability(dt.datetime(2026, 12, 6, 18, 0, tzinfo=LA), 0))
    assert tonight.availability_text(full, NOW, 24) == "full as of yesterday 18:00"


def test_the_time_is_on_the_providers_clock() -> None:
    utc = dt.datetime(2026, 12, 7, 17, 10, tzinfo=dt.UTC)  # 09:10 in Los Angeles
    p = shelter(Availability(utc, 2), zone="America/Los_Angeles")
    assert tonight.availability_text(p, NOW, 24) == "2 beds as of 09:10 today"


def test_an_old_report_is_beds_unknown_never_a_bed() -> None:
    old = shelter(Availability(NOW - dt.timedelta(days=3, hours=2), 5))
    assert tonight.availability_text(old, NOW, 24) == "beds unknown — last report 3 days ago"
    assert tonight.tier_of(old, NOW, 24) == tonight.UNKNOWN
    hours = shelter(Availability(NOW - dt.timedelta(hours=30), 5))
    assert tonight.availability_text(hours, NOW, 24) == "beds unknown — last report 30 hours ago"
    # the age is a setting: exactly on the edge it is still fresh
    edge = shelter(Availability(NOW - dt.timedelta(hours=24), 5))
    assert tonight.tier_of(edge, NOW, 24) == tonight.HAS_BEDS
    assert tonight.tier_of(hours, NOW, 48) == tonight.HAS_BEDS


def test_tiers_put_a_bed_before_nothing_known_before_full() -> None:
    beds = shelter(Availability(NOW, 1))
    full = shelter(Availability(NOW, 0))
    assert tonight.tier_of(beds, NOW, 24) < tonight.tier_of(shelter(), NOW, 24)
    assert tonight.tier_of(shelter(), NOW, 24) < tonight.tier_of(full, NOW, 24)


def test_a_closure_says_until_when_and_why() -> None:
    today = NOW.date()
    s = Status("closed", dt.date(2026, 12, 12), "renovation")
    assert tonight.status_text(s, today) == "closed until 12 Dec (renovation)"
    assert (
        tonight.status_text(Status("closed", dt.date(2027, 1, 5)), today)
        == "closed until 5 Jan 2027"
    )
    assert tonight.status_text(Status("do-not-refer"), today) == "not taking referrals"
    assert tonight.status_text(Status("active"), today) is None
    assert tonight.status_text(None, today) is None
