"""Parsers of single HSDS cells into the directory's forms: phones, web and e-mail
addresses, ages, numbers, dates, coordinates and lists."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

from referral_cli.format.definition import EMAIL_RE, PHONE_RE, URL_RE
from referral_cli.records import phones

_PHONE_EXT = re.compile(
    r"^(.*?)(?:\s*[,;]?\s*(?:x|ext\.?|extension|#)\s*([0-9A-Za-z]+)\s*)?$", re.I
)


def normalise_phone(
    number: str, extension: str = "", country: str | None = None
) -> tuple[str | None, str]:
    """A phone in the directory's form, and a note when something was dropped.

    US/Canadian numbers become "+1 305-555-0100"; an extension stays as "x123".
    """

    raw = number.strip().strip("'\"")
    if raw.lower().startswith("tel:"):
        raw = raw[4:]
    m = _PHONE_EXT.match(raw)
    main, ext = (m.group(1), m.group(2) or "") if m else (raw, "")
    ext = ext or extension.strip()
    if ext.endswith(".0") and ext[:-2].isdigit():
        ext = ext[:-2]
    note = ""
    digits = re.sub(r"\D", "", main)
    plus = main.strip().startswith("+")
    if re.search(r"[A-Za-z]", main):
        return None, f"{number!r} is not a phone number"
    if (not plus and (country in (None, "", "US", "CA", "PR")) and len(digits) == 10) or (
        len(digits) == 11 and digits[0] == "1" and (plus or country in (None, "", "US", "CA", "PR"))
    ):
        d = digits[-10:]
        out = f"+1 {d[:3]}-{d[3:6]}-{d[6:]}"
    elif len(digits) == 3 and not plus:
        out = digits  # 211, 911, 988
    else:
        out = " ".join(re.sub(r"[^0-9 ()+.\-/]", " ", main).split())
        if plus and not out.startswith("+"):
            out = "+" + out
    if ext:
        if re.fullmatch(r"[0-9]{1,6}", ext):
            out = f"{out} x{ext}"
        else:
            note = f"extension {ext!r} dropped"
    count = sum(ch.isdigit() for ch in out.split(" x")[0])
    if not PHONE_RE.match(out) or not (count == 3 or 7 <= count <= 15):
        return None, f"{number!r} is not a phone number"
    if not phones.dialable(out, country or None):
        return None, f"{number!r} cannot be dialled (a digit missing or in no numbering plan)"
    return out, note


def normalise_url(value: str) -> str | None:
    """A web address in the directory's form (https:// added), or None."""
    s = value.strip().strip("<>\"'").replace("\\", "/")
    if not s:
        return None
    s = re.sub(r"^(https?):/(?=[^/])", r"\1://", s, flags=re.I)
    if not re.match(r"^[a-z][a-z0-9+.-]*://", s, re.I):
        if s.lower().startswith(("mailto:", "tel:")):
            return None
        s = "https://" + s.lstrip("/")
    scheme, _, rest = s.partition("://")
    s = scheme.lower() + "://" + rest
    return s if URL_RE.match(s) else None


def normalise_email(value: str) -> str | None:
    """An e-mail address without ``mailto:`` or query, or None."""
    s = value.strip().strip("<>\"'")
    if s.lower().startswith("mailto:"):
        s = s[7:]
    s = s.split("?")[0].strip()
    return s if EMAIL_RE.match(s) else None


def to_float(value: str) -> float | None:
    """A finite number written in a cell, or None."""
    try:
        f = float(value.strip().strip("'"))
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def to_date(value: str) -> dt.date | None:
    """A date written as ISO, US (m/d/y) or in words, or None."""
    s = value.strip()
    if not s:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        for fmt in ("%m/%d/%Y", "%m/%d/%y", "%B %d, %Y"):
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
    except ValueError:
        return None
    return None


def to_age(value: str) -> int | None:
    """An age in years (0-130) written in a cell, or None."""
    f = to_float(value) if value and value.strip() else None
    if f is None or not 0 <= f <= 130:
        return None
    return int(f)


def valid_coords(lat: float | None, lon: float | None) -> bool:
    """Coordinates on the globe, and not the 0,0 of an empty geocode."""
    return (
        lat is not None
        and lon is not None
        and -90 <= lat <= 90
        and -180 <= lon <= 180
        and not (abs(lat) < 1e-6 and abs(lon) < 1e-6)
    )


def split_list(value: str) -> list[str]:
    """The items of a comma-separated cell."""
    return [x.strip() for x in value.split(",") if x.strip()] if value else []


def phrases(text: str) -> list[str]:
    """The runs of three, two and one words of a text, longest first."""
    words = text.split()
    return [" ".join(words[i : i + n]) for n in (3, 2, 1) for i in range(len(words) - n + 1)]


def dedupe(items: Iterable[str]) -> list[str]:
    """Items without repeats (compared without case or surrounding spaces), in order."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(item.strip())
    return out
