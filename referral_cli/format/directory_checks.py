"""Checks across the files of a directory: unique ids (an error), and the
staleness and probable-duplicate warnings that only ``validate`` reports.

They read a :class:`Checked` of each provider, not the provider: the index
lists those from its columns, so that ``validate`` of a large directory never
decodes (and holds) every provider."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from referral_cli.errors import Diagnostic
from referral_cli.geo.distance import KM_PER_DEGREE, distance_km
from referral_cli.records import tonight
from referral_cli.records.model import Provider

DEFAULT_STALE_DAYS = 365
DUPLICATE_NAME_SCORE = 90.0
DUPLICATE_DISTANCE_KM = 1.0
# Bounds that keep the duplicate check linear in the size of the directory, so a
# hostile pull request (a megabyte-long name, thousands of providers on one
# point) cannot stall CI: names are compared by their first characters, and in a
# crowded neighbourhood each name only with its nearest in sorted order.
DUPLICATE_NAME_CHARS = 120
DUPLICATE_CANDIDATES = 64


@dataclass(frozen=True, slots=True)
class Checked:
    """What the checks across files read of a provider: its id, its name (as
    lower case: the comparison ignores case), its exact point, its
    ``last_verified`` date, where it starts (``path:line:col``), and whether it is
    closed (or not taking referrals), when it reported its beds (seconds since the
    epoch) and the day a closure ends."""

    id: str
    name: str
    lat: float | None
    lon: float | None
    last_verified: dt.date | None
    path: str
    line: int
    col: int
    closed: bool = False
    as_of: float | None = None
    until: dt.date | None = None

    @classmethod
    def of(cls, p: Provider) -> Checked:
        src = p.source
        a, s = p.availability, p.status
        return cls(
            p.id, p.name.lower(), p.lat, p.lon, p.last_verified, src.path, src.line, src.col,
            not p.refers, None if a is None else a.as_of.timestamp(),
            None if s is None else s.until,
        )  # fmt: skip

    @property
    def source(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


def served_of(same: Sequence[Checked]) -> Checked:
    """Of providers sharing an id, the one a serving command keeps: the most recently
    verified (a maintainer's newest word on it), the first in directory order on a tie
    or when none has a date."""
    return max(same, key=lambda p: p.last_verified or dt.date.min)


def check_directory(
    providers: Sequence[Checked],
    *,
    warnings: bool = True,
    today: dt.date | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
    now: dt.datetime | None = None,
    report_hours: float = tonight.DEFAULT_REPORT_HOURS,
) -> list[Diagnostic]:
    """Checks across all files: unique ids (an error), and with ``warnings`` the
    staleness, old-report, past-closure and probable-duplicate checks that only
    ``validate`` reports."""
    out: list[Diagnostic] = []
    today = today or dt.date.today()
    now = now or tonight.now()

    def add(p: Checked, severity: str, message: str, code: str) -> None:
        out.append(Diagnostic(p.path, p.line, p.col, severity, message, code, p.line, p.id))

    sharing: dict[str, list[Checked]] = {}
    for p in providers:
        sharing.setdefault(p.id, []).append(p)
    for same in sharing.values():
        if len(same) == 1:
            continue
        served = served_of(same)
        for p in same:
            if p is not served:
                verified = f", verified {served.last_verified}" if served.last_verified else ""
                add(
                    p,
                    "error",
                    f"duplicate id '{p.id}' (also at {served.source}); ids must be unique. Until"
                    f" one is renamed, the most recently verified one is served: {served.source}"
                    f"{verified}",
                    "duplicate-id",
                )
    if not warnings:
        return out
    for p in providers:
        if p.last_verified is not None:
            age = (today - p.last_verified).days
            if age > stale_days:
                add(
                    p,
                    "warning",
                    f"'{p.id}' was last verified {age} days ago ({p.last_verified}); call to confirm and update last_verified",
                    "stale",
                )
            elif age < -1:
                add(
                    p, "warning", f"last_verified {p.last_verified} is in the future", "future-date"
                )
        else:
            add(p, "warning", f"'{p.id}' has no last_verified date", "stale")
        _tonight(p, now, today, report_hours, add)
    probable_duplicates(providers, add)
    return out


def _tonight(
    p: Checked,
    now: dt.datetime,
    today: dt.date,
    report_hours: float,
    add: Callable[[Checked, str, str, str], None],
) -> None:
    """An availability report too old to tell tonight, or made after ``now``; a
    closure whose end is past."""
    if p.as_of is not None and not p.closed:
        made = dt.datetime.fromtimestamp(p.as_of, dt.UTC)
        if not tonight.is_fresh(made, now, report_hours):
            add(
                p,
                "warning",
                f"'{p.id}' reported its beds {tonight.ago(now - made)}: every command shows"
                f" 'beds unknown'; update it (referral update {p.id} --beds N)",
                "old-report",
            )
        elif made - now > dt.timedelta(hours=1):
            add(
                p,
                "warning",
                f"availability.as_of {made.isoformat()} is in the future",
                "future-date",
            )
    if p.closed and p.until is not None and p.until < today:
        add(
            p,
            "warning",
            f"'{p.id}' was closed until {p.until}, a day past: call it, then 'referral update"
            f" {p.id} --reopen' or give a new --closed-until",
            "closed-past",
        )


def probable_duplicates(
    providers: Sequence[Checked], add: Callable[[Checked, str, str, str], None]
) -> None:
    """Similar names less than a kilometre apart.

    Providers fall in grid cells of 0.01° (1.1 km of latitude); each is compared
    with the cells around it, as many across as a kilometre of longitude spans at
    that latitude. Names are cleaned and token-sorted once (what
    ``token_sort_ratio`` does on every call) and compared in one rapidfuzz call per
    provider; the distance is computed only for the few similar names. Both
    the names and the comparisons are bounded (:data:`DUPLICATE_NAME_CHARS`,
    :data:`DUPLICATE_CANDIDATES`).
    """
    from rapidfuzz import fuzz, process, utils

    cell = 0.01
    grid: dict[tuple[int, int], list[tuple[str, str, float, float, Checked]]] = defaultdict(list)
    for p in providers:
        lat, lon = p.lat, p.lon
        if lat is not None and lon is not None:
            name = utils.default_process(p.name[: 4 * DUPLICATE_NAME_CHARS])
            key = " ".join(sorted(name.split()))[:DUPLICATE_NAME_CHARS]
            grid[(int(lat // cell), int(lon // cell))].append((key, p.id, lat, lon, p))
    for (gy, gx), bucket in grid.items():
        # The widest latitude of the neighbourhood, where a kilometre spans most cells.
        edge = min(90.0, max(abs(gy - 1), abs(gy + 2)) * cell)
        km_per_cell = KM_PER_DEGREE * cell * max(math.cos(math.radians(edge)), 1e-3)
        span = math.ceil(1.01 * DUPLICATE_DISTANCE_KM / km_per_cell)
        near = [
            q
            for dy in (-1, 0, 1)
            for dx in range(-span, span + 1)
            for q in grid.get((gy + dy, gx + dx), ())
        ]
        # In a crowd, similar names sort close together: each is compared within
        # the same distance in sorted order either way (so every pair is seen twice).
        rank: dict[int, int] = {}
        if len(near) > 2 * DUPLICATE_CANDIDATES:
            near.sort(key=lambda q: q[0])
            rank = {id(q): r for r, q in enumerate(near)}
        keys = [q[0] for q in near]
        for item in bucket:
            key, pid, lat, lon, p = item
            at = rank.get(id(item))
            low = 0 if at is None else max(0, at - DUPLICATE_CANDIDATES)
            high = len(near) if at is None else at + DUPLICATE_CANDIDATES + 1
            for _, _, j in process.extract(
                key,
                keys[low:high],
                scorer=fuzz.ratio,
                score_cutoff=DUPLICATE_NAME_SCORE,
                limit=None,
            ):
                _, qid, qlat, qlon, q = near[low + j]
                if qid <= pid or distance_km(lat, lon, qlat, qlon) > DUPLICATE_DISTANCE_KM:
                    continue
                add(
                    q,
                    "warning",
                    f"'{qid}' may duplicate '{pid}' ({p.source}): similar name, under 1 km apart",
                    "duplicate",
                )
