"""Coordinates as people type them: "36.74,-119.79", "36°44'N 119°47'W"."""

from __future__ import annotations

import math
import re

from referral_cli.geo.place import UnknownPlace

_NUMBER = r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]*)?|\.[0-9]+)"
_PAIR = rf"\(?\s*({_NUMBER})\s*(?:[,;]\s*|\s+)({_NUMBER})\s*\)?"
_TOKEN = r"\s*(?:([0-9]{1,3}(?:\.[0-9]+)?)|([NSEWnsew])|([°'\"])|([,;]))"
_SYMBOLS = str.maketrans({"′": "'", "’": "'", "‘": "'", "″": '"', "“": '"', "”": '"', "º": "°"})
_SYMBOLS.update({ord("˚"): "°"})


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """(lat, lon) from "36.74,-119.79", "36.74 -119.79", "36°44'N 119°47'W",
    "36 44 30 N 119 47 0 W", "N 36.74, W 119.79"; ``None`` when ``text`` is not
    coordinates. Out-of-range coordinates raise :class:`UnknownPlace`."""
    m = re.fullmatch(_PAIR, text.strip())
    if m:
        return _checked(float(m.group(1)), float(m.group(2)), text)
    return _parse_dms(text)


def _checked(lat: float, lon: float, text: str) -> tuple[float, float]:
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        raise UnknownPlace(
            f"coordinates out of range in '{text}': latitude is -90 to 90 and longitude"
            " -180 to 180 (e.g. 36.74,-119.79)"
        )
    return lat, lon


def _parse_dms(text: str) -> tuple[float, float] | None:
    t = text.translate(_SYMBOLS).replace("''", '"').strip()
    token = re.compile(_TOKEN)
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(t):
        m = token.match(t, pos)
        if m is None or m.end() == pos:
            return None
        number, letter, unit, sep = m.groups()
        if number:
            tokens.append(("n", number))
        elif letter:
            tokens.append(("h", letter.upper()))
        elif unit:
            tokens.append(("u", unit))
        else:
            tokens.append(("s", sep))
        pos = m.end()
    hemispheres = [i for i, (kind, _) in enumerate(tokens) if kind == "h"]
    if len(hemispheres) != 2:
        return None
    a, b = hemispheres
    if a == 0:  # "N 36 44, W 119 47": letters first
        groups = [tokens[1:b], tokens[b + 1 :]]
        letters = [tokens[a][1], tokens[b][1]]
    elif b == len(tokens) - 1:  # "36 44 N 119 47 W": letters last
        groups = [tokens[:a], tokens[a + 1 : b]]
        letters = [tokens[a][1], tokens[b][1]]
    else:
        return None
    values = [_angle(g) for g in groups]
    if None in values or {letters[0] in "NS", letters[1] in "NS"} != {True, False}:
        return None
    signed = [v if h in "NE" else -v for v, h in zip(values, letters, strict=True) if v is not None]
    lat, lon = signed if letters[0] in "NS" else signed[::-1]
    return _checked(lat, lon, text)


def _angle(tokens: list[tuple[str, str]]) -> float | None:
    """Degrees from one coordinate's tokens: up to three numbers, each with an
    optional unit mark (° ' ") in that order, separators only at the ends."""
    while tokens and tokens[0][0] == "s":
        tokens = tokens[1:]
    while tokens and tokens[-1][0] == "s":
        tokens = tokens[:-1]
    numbers: list[float] = []
    marked = False  # the last number already has its unit mark
    for kind, value in tokens:
        if kind == "n" and len(numbers) < 3:
            numbers.append(float(value))
            marked = False
        elif kind == "u" and numbers and not marked and "°'\"".index(value) == len(numbers) - 1:
            marked = True
        else:
            return None
    if not numbers or any(x >= 60 for x in numbers[1:]):
        return None
    if any(x != int(x) for x in numbers[:-1]):  # only the last part may have decimals
        return None
    return float(sum(x / 60**i for i, x in enumerate(numbers)))
