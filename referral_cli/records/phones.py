"""Phone numbers as other systems need them, formatted by ``phonenumbers``.

The directory writes a phone as ``"+1 305-555-0100"`` with an optional extension
``" x12"``; a three-digit service number (211, 988) stands alone.
"""

from __future__ import annotations

import re
from typing import Any

_SHORT = re.compile(r"\d{3}")


def _parsed(number: str) -> Any | None:
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_possible_number(parsed) else None


def dialable(number: str, country: str | None) -> bool:
    """Whether a number written in the directory can be dialled: a service number
    (211, 988), or a number valid in its numbering plan, read in the provider's
    country when it has no ``+`` prefix. A number too short (``555-0192``, no
    area code), too long, or in no plan (``+1 000-000-0000``) cannot be."""
    import phonenumbers

    main = re.split(r"\s*(?:x|ext\.?)\s*\d+$", number.strip())[0]
    if _SHORT.fullmatch(main):
        return True
    try:
        parsed = phonenumbers.parse(main, country or "US")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(parsed))


def split(number: str) -> tuple[str, int | None]:
    """``"+1 305-555-0100 x12"`` -> ``("+1 305-555-0100", 12)``, the number in
    international format."""
    import phonenumbers

    main, _, ext = number.partition(" x")
    parsed = _parsed(main)
    if parsed is not None:
        main = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return main, int(ext) if ext.isdigit() else None


def tel_uri(number: str) -> str:
    """An RFC 3966 ``tel:`` link that dials the number and then its extension
    (``tel:+1-305-555-0100;ext=12``); ``""`` for text that is not a number."""
    import phonenumbers

    if _SHORT.fullmatch(number.strip()):
        return f"tel:{number.strip()}"
    parsed = _parsed(number.replace(" x", " ext. "))
    if parsed is None:
        return ""
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.RFC3966))
