""" "Did you mean" suggestions, shared by every command that rejects a word."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], cutoff: float = 70.0) -> str | None:
    """The choice most like ``word``, or ``None`` when nothing is close enough."""
    from rapidfuzz import fuzz, process, utils

    options = list(choices)
    if not options or not word:
        return None
    found = process.extractOne(
        word, options, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=cutoff
    )
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 70.0) -> str:
    """``"; did you mean 'x'?"`` or an empty string."""
    best = closest(word, choices, cutoff)
    return f"; did you mean '{best}'?" if best else ""
