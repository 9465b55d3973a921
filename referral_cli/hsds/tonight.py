"""Status and capacity between HSDS and the directory.

A 211 export marks records "Active, but do not refer", "temporarily closed",
"inactive" or "defunct", in the status or in the service's ``alert`` (HSDS 3.0:
"ACTIVE, BUT DO NOT REFER. Not accepting referrals pending review"): each is read
into ``status`` (an inactive or defunct
one is imported only with ``--include-inactive``, and then never as taking
referrals). HSDS 3.1's ``service_capacity`` rows (available, maximum, when
updated, in a unit such as beds) are read into ``availability``; HSDS 3.0 has no
such table, so an export carries ``availability`` and ``status`` as its own
fields, and ``service.status`` says what HSDS can: ``temporarily closed`` or
``inactive``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from referral_cli.hsds.read import Row

# A status that says the record must not be referred to, as 211 systems word it.
_DO_NOT_REFER = re.compile(r"\bdo[\s-]*not[\s-]*refer", re.I)
# An alert that says so ("Agency not accepting referrals pending license review")
_NO_REFERRALS = re.compile(
    _DO_NOT_REFER.pattern + r"|\bnot\s+(?:accepting|taking)\s+(?:new\s+)?referrals", re.I
)
INACTIVE_STATUSES = ("inactive", "defunct")


def status_of(written: str) -> dict[str, Any] | None:
    """The directory's ``status`` for an HSDS ``service.status``; None when active."""
    said = " ".join(written.split())
    lowered = said.lower()
    if _DO_NOT_REFER.search(said):
        return {"state": "do-not-refer", "reason": f"source status: {said}"}
    if lowered == "temporarily closed":
        return {"state": "closed", "reason": "source status: temporarily closed"}
    if lowered in INACTIVE_STATUSES:
        return {"state": "do-not-refer", "reason": f"source status: {lowered}"}
    return None


def alert_status(alert: str) -> dict[str, Any] | None:
    """The directory's ``status`` for a service whose alert says not to refer to it."""
    said = " ".join(alert.split())
    if not _NO_REFERRALS.search(said):
        return None
    return {"state": "do-not-refer", "reason": f"source alert: {said[:200]}"}


def hsds_status(status: dict[str, Any] | None) -> str:
    """``service.status`` of HSDS 3.0 for a provider's ``status``."""
    if not status or status.get("state") == "active":
        return "active"
    return "temporarily closed" if status.get("state") == "closed" else "inactive"


def _whole(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 0 else None


def availability_of(rows: list[Row], units: dict[str, Row]) -> tuple[dict[str, Any] | None, str]:
    """``availability`` from a service's HSDS 3.1 capacity rows (those counting beds,
    or the only one), and what was left out and why ("" when nothing was)."""

    def unit_name(r: Row) -> str:
        return units.get(r.get("unit_id", ""), {}).get("name", "").lower()

    beds = [r for r in rows if "bed" in unit_name(r)] or (rows if len(rows) == 1 else [])
    if not beds:
        return None, "service_capacity in units other than beds: not imported" if rows else ""
    r = beds[0]
    available, maximum = _whole(r.get("available", "")), _whole(r.get("maximum", ""))
    try:
        updated = dt.datetime.fromisoformat(r.get("updated", "").strip().replace("Z", "+00:00"))
    except ValueError:
        updated = None
    if updated is None or updated.tzinfo is None or available is None:
        return (
            None,
            "service_capacity without a whole 'available' or an 'updated' time with its zone: not imported",
        )
    found: dict[str, Any] = {"beds_available": available}
    if maximum is not None and maximum >= available:
        found["maximum"] = maximum
    found["as_of"] = updated.isoformat()
    return found, ""
