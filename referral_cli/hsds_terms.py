"""What the words of an HSDS record say beyond its taxonomy codes.

Real 211 exports put their meaning in names, keywords and descriptions: a
national hotline says "anywhere in the United States", a keyword reads "Food
Pantries" where the map has "food pantry", a test record says "Lorem ipsum".
These readers are plain functions of text so :mod:`referral_cli.hsds` can ask
them per service and report every guess they make.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- term names


def name_forms(key: str) -> list[str]:
    """A normalised term name and its singular forms ("food pantries" ->
    "food pantry"), most specific first, so plural keywords find the map's entry."""
    forms = [key]
    words = key.split()
    if not words:
        return forms
    last = words[-1]
    for plural, singular in (
        ("ies", "y"),
        ("sses", "ss"),
        ("shes", "sh"),
        ("ches", "ch"),
        ("s", ""),
    ):
        if last.endswith(plural) and len(last) > len(plural) + 2 and not last.endswith("ss"):
            forms.append(" ".join([*words[:-1], last[: -len(plural)] + singular]))
            break
    return forms


# ---------------------------------------------------------------- placeholders

# A record name that is a placeholder, and phrases that mark test data anywhere.
_PLACEHOLDER_NAME = re.compile(
    r"^(?:(?:admin )?test|fake|dummy|example|sample) (?:org|organi[sz]ation|service|location"
    r"|agency|record)\b|^service with blank fields$|\btest location$",
    re.IGNORECASE,
)
_PLACEHOLDER_PHRASES = (
    "lorem ipsum",
    "not a real service",
    "not a real organization",
    "not a real organisation",
    "not a real location",
    "for testing purposes",
    "for testting purposes",
    "created for testing",
    "just a test",
)


def placeholder_reason(names: list[str], texts: list[str]) -> str | None:
    """The words that mark a record as a test or placeholder, if any do."""
    for name in names:
        found = _PLACEHOLDER_NAME.search(name.strip())
        if found:
            return found.group(0)
    for text in texts:
        low = text.lower()
        for phrase in _PLACEHOLDER_PHRASES:
            if phrase in low:
                return phrase
    return None


# ---------------------------------------------------------------- survivor shelters

_SURVIVOR_WORDS = (
    "domestic violence",
    "human trafficking",
    "sexual assault",
    "trafficking victims",
    "trafficking survivors",
    "battered",
    "abused women",
    "sex trafficking",
    "intimate partner violence",
)


def survivor_shelter(services: list[str], words: str) -> bool:
    """A shelter whose terms or text say it houses survivors of violence or
    trafficking: its address is kept private until a maintainer confirms."""
    text = words.lower()
    return "temporary-shelter" in services and any(w in text for w in _SURVIVOR_WORDS)


# ---------------------------------------------------------------- reach

_NATIONAL = re.compile(
    r"\b(?:anywhere in|across|throughout|serves) the (?:united states|u\.s\.|us|country|nation)\b"
    r"|\bnation(?:al|wide),? (?:toll[- ]free )?(?:hotline|helpline|crisis line)\b"
    r"|\bnationwide (?:hotline|helpline|service)\b",
    re.IGNORECASE,
)
_STATEWIDE = re.compile(
    r"\bstatewide (?:hotline|helpline|crisis line|toll[- ]free)\b"
    r"|\b(?:anywhere in|throughout) the state\b|\bstatewide\b",
    re.IGNORECASE,
)
_TOLL_FREE = re.compile(r"^\+1 8(?:00|33|44|55|66|77|88)-")
_NO_STREET = re.compile(r"^\s*(?:p\.?\s*o\.?\s*box|post office box)\b", re.IGNORECASE)


def guess_reach(
    *,
    name: str,
    description: str,
    services: list[str],
    phone: str | None,
    street: str | None,
    country: str | None,
    region: str | None,
    home_region: str | None,
) -> tuple[dict[str, object], str] | None:
    """The service area a phone or national service's own data implies, and why.

    Only services that work by phone (a hotline, or a toll-free number with no
    street to visit) are read this way: a day-care centre that mentions
    "statewide" funding is not a statewide service. A toll-free line with no
    street is read as statewide in the export's own state (``home_region``, the
    state most of its addresses are in) and as national from any other state: a
    Miami directory lists a Texas toll-free line because Floridians can call it.
    """
    toll_free = bool(phone and _TOLL_FREE.match(phone))
    no_street = not street or bool(_NO_STREET.match(street))
    by_phone = "hotline" in services or (toll_free and no_street)
    if not by_phone:
        return None
    text = f"{name}\n{description}"
    us = country in (None, "US")
    found = _NATIONAL.search(text)
    if found and us:
        return {"countries": ["US"], "remote": True}, f"national: the text says {found.group(0)!r}"
    if us and toll_free and name.strip().lower().startswith("national "):
        return {"countries": ["US"], "remote": True}, "national: a 'National …' toll-free line"
    state = f"US-{region}" if us and region and re.fullmatch(r"[A-Z]{2}", region) else None
    found = _STATEWIDE.search(text)
    if found and state:
        return {"regions": [state], "remote": True}, f"statewide: the text says {found.group(0)!r}"
    if toll_free and no_street and state and region == home_region:
        return (
            {"regions": [state], "remote": True},
            "statewide: a toll-free line with no street address",
        )
    if toll_free and no_street and us and region:
        return (
            {"countries": ["US"], "remote": True},
            f"national: a toll-free line with no street, listed from {region}",
        )
    return None
