"""Words as search compares them: folded, and matched by their beginning.

A word the volunteer types that is neither a service, a population nor a place
("Hope Harbor", "hmong-speaking") is looked for in a provider's name,
organisation, description, keywords and id. It matches a word there that
begins with it ("shelter" finds "shelters"), never the middle of one ("ice"
does not find "services"), without regard to case or accents. The index's
full-text table holds the same folded words and is asked the same question
(:func:`match_expression`), so a search answered from it finds exactly what a
walk over every provider would.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from referral_cli.records.model import Provider

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` without case or accents."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@functools.lru_cache(maxsize=1 << 18)
def provider_words(p: Provider) -> tuple[str, ...]:
    """The words a provider is found by (remembered: a call session asks again)."""
    text = " ".join((p.name, p.organization or "", p.description or "", *p.keywords, p.id))
    return tuple(words_of(text))


def hits(words: Sequence[str], term: str) -> bool:
    """Whether ``term`` (one or more words: "o'brien") begins a run of ``words``:
    every word of it but the last equal, the last a beginning."""
    pieces = _pieces(term)
    if not pieces:
        return False
    *whole, last = pieces
    if not whole:
        return any(w.startswith(last) for w in words)
    n = len(whole)
    for i, w in enumerate(words):
        if w.startswith(last) and i >= n and list(words[i - n : i]) == whole:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _pieces(term: str) -> tuple[str, ...]:
    return tuple(words_of(term))


def spaced(found: Sequence[str]) -> str:
    """Words as the index keeps them to look for a phrase in: each after a space,
    so that a phrase found by :func:`phrase` begins a word."""
    return "".join(" " + w for w in found)


def phrase(term: str) -> str | None:
    """What :func:`hits` asks, as a substring of :func:`spaced` words: " o brien"
    is in " mary o briens" exactly when "o'brien" begins a run of its words (every
    word but the last equal, the last a beginning); None when the term has no word."""
    pieces = _pieces(term)
    return spaced(pieces) if pieces else None


def match_expression(terms: Iterable[str], *, every: bool = False) -> str | None:
    """The full-text query (SQLite FTS5) for providers that any of ``terms`` hits
    (``every``: each term that has a word); None when no term has a word."""
    phrases = []
    for term in terms:
        pieces = _pieces(term)
        if pieces:
            phrases.append('"' + " ".join(pieces) + '" *')
    return (" AND " if every else " OR ").join(phrases) or None


# Endings of an English word's forms, longest first: "suicidal" and "suicide" are
# both "suicid", "abusive" and "abuse" "abus", "utility" "util", "bills" "bill".
_ENDINGS = (
    "ations", "ation", "ities", "ity", "ings", "ing", "ions", "ion", "ives", "ive", "ally",
    "al", "ies", "ied", "ed", "es", "s", "e", "y",
)  # fmt: skip
# A stem shorter than this says too little ("rap" of "rape"): the word is kept whole.
SHORTEST_STEM = 4


def stem(word: str) -> str:
    """The beginning the forms of a folded English word share, to look for as
    :func:`hits` looks for a term: "suicid" begins "suicide" and "suicidal";
    "counsel" begins "counseling" and "counselling". A word too short for an ending
    to come off is itself."""
    for ending in _ENDINGS:
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= SHORTEST_STEM:
            if len(base) > SHORTEST_STEM and base[-1] == base[-2] and base[-1] not in "aeious":
                base = base[:-1]  # "counselling": "counsel", as "counseling"
            return base
    return word
