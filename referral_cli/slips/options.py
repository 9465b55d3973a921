"""How a slip is made (language, discretion, page, first name), and its referral number.

Caller data never reaches a slip unless passed explicitly (a first name in
:attr:`SlipOptions.name`), and the referral number is random, never derived from
anything about the caller.

A slip may be read aloud on a call, handed over on paper, or found later by the
person's trafficker. So, by default, it is *discreet*: no fixed word on it names
trafficking, victims or rescue, and free text from the directory that does (a
description, a note) is left off. ``SlipOptions(discreet=False)`` lifts this for
referrals between agencies.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field

from referral_cli.errors import UsageError
from referral_cli.records.tonight import DEFAULT_REPORT_HOURS

PAGES = ("letter", "a4")

# Unambiguous when read aloud or copied by hand: no 0/O, 1/I/L.
_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_FIRST_NAME = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
_MAX_NAME = 40


def new_referral_number() -> str:
    """A random referral number such as ``R-7KQ2-9XHM`` (about 40 bits of chance)."""
    chars = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))
    return f"R-{chars[:4]}-{chars[4:]}"


@dataclass
class SlipOptions:
    """How a slip is made. Nothing here is stored anywhere."""

    lang: str = "en"
    discreet: bool = True
    name: str | None = None  # the person's first name, only if the user passes it
    page: str = "letter"  # "letter" | "a4" (PDF and HTML print size)
    hotline_name: str | None = None  # the referring hotline, from the config
    hotline_phone: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    # When beds reports are judged, and how old one may be (records.tonight).
    now: dt.datetime | None = None
    report_hours: float = DEFAULT_REPORT_HOURS
    referral_number: str = field(default_factory=new_referral_number)


def check_name(name: str | None) -> str | None:
    """The first name as given, or a usage error when it is anything more."""
    if name is None:
        return None
    name = name.strip()
    if not name or len(name) > _MAX_NAME or not _FIRST_NAME.match(name):
        raise UsageError(
            "--name takes a first name only (letters, hyphen or apostrophe; no spaces,"
            " digits or surname)"
        )
    return name
