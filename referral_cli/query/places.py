"""The place in what a volunteer typed: after a preposition ("near/in/around/cerca
de X"), a ZIP code, "lat,lon", degrees-minutes, "X County", or a town, county or
state named without a preposition among the words read as nothing else."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from referral_cli import geo
from referral_cli.errors import ReferralError
from referral_cli.query.vocabulary import (
    LANGUAGE_CUES,
    closest,
    fuzzy_choices,
    normalise,
    vocabulary,
)
from referral_cli.taxonomy import load

WEAK_PREPOSITIONS = ("in", "at", "by", "en")
PLACE_PREPOSITIONS = (
    "near",
    "around",
    "close to",
    "nearby",
    "within reach of",
    "cerca de",
    "cerca",
    "alrededor de",
    "in",
    "at",
    "by",
    "en",
)
# Words that end a place phrase ("near Fresno for minors").
_PLACE_END = frozenset(
    [
        "for",
        "who",
        "with",
        "that",
        "speaks",
        "speaking",
        "speak",
        "which",
        "needing",
        "needs",
        "need",
        "and",
        "or",
        "open",
        "tonight",
        "today",
        "now",
        "in",
        "near",
        "around",
        "at",
        "age",
        "aged",
        "edad",
        "para",
        "que",
        "con",
        "y",
        "en",
        "cerca",
        "hable",
        "habla",
    ]
)
_ZIP = re.compile(r"(?<![\d.,-])\d{5}(?:-\d{4})?(?![\d.,])")
# decimals both: "36.74,-119.79" is a point, "boy, 15, 16" two ages
_LATLON = re.compile(r"(?<![\w.])-?\d{1,2}\.\d+\s*,\s*-?\d{1,3}\.\d+(?![\w.])")
_DMS = re.compile(
    r"\d{1,3}\s*°\s*(?:\d{1,2}\s*['′]\s*)?(?:\d{1,2}(?:\.\d+)?\s*[\"″]\s*)?[NSns]"
    r"[\s,]*\d{1,3}\s*°\s*(?:\d{1,2}\s*['′]\s*)?(?:\d{1,2}(?:\.\d+)?\s*[\"″]\s*)?[EWew]"
)
_COUNTY = re.compile(r"\b(?:(?-i:[A-Z])[\w.'-]+\s+)?[\w.'-]+\s+county\b", re.IGNORECASE)
_TRAILING_PREPOSITION = re.compile(
    r"\b(?:near|in|around|at|by|close to|cerca de|en)\s*$", re.IGNORECASE
)


def extract_place(text: str) -> tuple[str | None, str]:
    """The place named in ``text`` and the text without it."""
    for pattern in (_DMS, _LATLON, _ZIP):
        m = pattern.search(text)
        if m:
            return _cut(text, m)
    words = text.split()
    lowered = [w.lower().strip(",.;:!?") for w in words]
    for prep in PLACE_PREPOSITIONS:  # most telling first: "near X" beats "in X"
        for i in range(len(words)):
            prep_words = prep.split()
            n = len(prep_words)
            if lowered[i : i + n] != prep_words:
                continue
            j = i + n
            place_words: list[str] = []
            while j < len(words) and lowered[j] not in _PLACE_END:
                place_words.append(words[j])
                if (
                    words[j].endswith((",", ";", "."))
                    and j + 1 < len(words)
                    and lowered[j + 1] in _PLACE_END
                ):
                    j += 1
                    break
                j += 1
            candidate = _without_article(" ".join(place_words).strip(" ,.;:!?"))
            if (
                candidate
                and not _TIME.fullmatch(place_words[0])  # "at 5pm", "at noon"
                # "in spanish, san mateo": a need, then the place on its own
                and not _looks_like_need(candidate.split(",", 1)[0], prep in WEAK_PREPOSITIONS)
            ):
                rest = " ".join(words[:i] + words[j:])
                return candidate, rest
    m = _COUNTY.search(text)
    if m:
        return _cut(text, m)
    return None, text


_TIME = re.compile(r"[\d\s:.,]*(?:[ap]\.?m\.?|h|hrs?|o'?clock)?|noon|midnight", re.IGNORECASE)
_ARTICLE = re.compile(r"(?:la|el|los|las|the)\s+(.+)", re.IGNORECASE)


def _without_article(candidate: str) -> str:
    """ "en la Ciudad de México" -> "Ciudad de México"; "Los Angeles" and "El Paso" stay."""
    m = _ARTICLE.fullmatch(candidate)
    if m and exact_place(candidate) is None and exact_place(m.group(1)) is not None:
        return m.group(1)
    return candidate


def _cut(text: str, m: re.Match[str]) -> tuple[str, str]:
    before = _TRAILING_PREPOSITION.sub(" ", text[: m.start()])
    return m.group(0).strip(), before + " " + text[m.end() :]


@functools.cache
def _need_words() -> frozenset[str]:
    return frozenset(vocabulary(load()))


def _looks_like_need(candidate: str, weak: bool) -> bool:
    """ "in Spanish", "in spanich", "in crisis", "in need" are not places. After a
    weak preposition ("in", "at", "by") a misspelt need word is not a place either."""
    norm = normalise(candidate)
    if norm in _need_words() or norm in ("need", "crisis", "danger", "trouble", "person"):
        return True
    return bool(
        weak
        and " " not in norm
        and closest(norm, fuzzy_choices(load(), multiword=False))
        and exact_place(candidate) is None  # "en México" is not a misspelt "médico"
    )


def exact_place(words: str, prefer: Sequence[str] = ()) -> geo.Resolution | None:
    """The place ``words`` spell exactly, if any (never raises: no gazetteer, no place)."""
    try:
        return geo.resolve_exact(words, prefer)
    except ReferralError:
        return None


def bare_place(
    originals: list[str],
    term_at: dict[int, str],
    prefer: Sequence[str],
    stop_words: frozenset[str],
    notes: list[str],
) -> str | None:
    """A town, county, state or country named without a preposition ("shelter Fresno
    CA", "..., Bakersfield", "Kathmandu, 16 year old girl"), among the words read as
    nothing else; its words leave ``term_at``.

    Common words are never places: a lowercase word (a county only with the word
    "county") must name a town of :data:`LOWERCASE_TOWN` people or more, or a county or state,
    in the directory's countries; a capitalised one a place there, or a city of
    :data:`FOREIGN_CITY` people or more elsewhere; a capitalised first word, or one
    beside another capitalised word read as nothing else (part of a name: "Hope
    Harbor"), a town of :data:`FIRST_WORD_TOWN` there (the first word said in a
    note unless a city: it may be a name). Of several, the largest.
    """

    # "Los Angeles", "El Paso": a capitalised stop word may start a place's name
    starts = {
        i - 1
        for i in term_at
        if i and originals[i - 1][:1].isupper() and originals[i - 1].lower() in stop_words
    }
    runs: list[list[int]] = []
    for i in sorted({*term_at, *starts}):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    shouting = all(not w.isalpha() or w.isupper() for w in originals)
    for run in runs:
        for n in range(min(4, len(run)), 0, -1):
            found = []  # of this many words: the largest place ("Safe Haven Visalia")
            for start in range(len(run) - n + 1):
                span = run[start : start + n]
                words = [originals[i] for i in span]
                capitalised = not shouting and any(
                    w[:1].isupper() and i > 0 for w, i in zip(words, span, strict=True)
                )
                first = not shouting and span[0] == 0 and words[0][:1].isupper()
                in_name = (
                    not shouting
                    and any(  # "Hope Harbor": a name, not Harbor, OR
                        i in run
                        and originals[i][:1].isupper()
                        and originals[i].lower() not in stop_words
                        for i in (span[0] - 1, span[-1] + 1)
                    )
                )
                phrase = " ".join(words)
                res = exact_place(phrase, prefer)
                if res is not None and _names_a_place(
                    res.place, phrase, capitalised, first, prefer, in_name
                ):
                    size = res.place.population or 0
                    maybe_name = first and not capitalised and size < FOREIGN_CITY
                    found.append((size, start, span, phrase, res.place.label, maybe_name))
            if found:
                _, _, span, phrase, label, maybe_name = max(found)
                for i in span:
                    term_at.pop(i, None)
                if maybe_name:
                    notes.append(
                        f"'{phrase}' read as the place {label};"
                        " if it is a name, give the place with --near"
                    )
                return phrase
    return _misspelt_last_word(originals, term_at, prefer, shouting)


def _misspelt_last_word(
    originals: list[str], term_at: dict[int, str], prefer: Sequence[str], shouting: bool
) -> str | None:
    """ "girl 15, shelter, Visaila": a capitalised last word of six letters or more that
    the gazetteer corrects to a town in the directory's countries (said in a note by
    the place lookup, as any correction is)."""
    last = len(originals) - 1
    word = originals[last] if last in term_at else ""
    if shouting or last == 0 or len(word) < 6 or not word[:1].isupper():
        return None
    if originals[last - 1].lower() in LANGUAGE_CUES:  # "habla Mixteco": a language
        return None
    try:
        res = geo.resolve(word, prefer)
    except ReferralError:
        return None
    if res.place.country not in prefer or (res.place.population or 0) < FIRST_WORD_TOWN:
        return None
    del term_at[last]
    return word


LOWERCASE_TOWN = 50_000
FIRST_WORD_TOWN = 20_000  # a capitalised first word ("Immokalee farmworker, 19")
FOREIGN_CITY = 100_000
_COUNTY_WORD = re.compile(r"\b(?:county|parish)\b", re.IGNORECASE)


def names_place(originals: list[str], i: int, prefer: Sequence[str]) -> bool:
    """Whether the single word at ``i`` names a place by the rules of :func:`bare_place`."""
    word = originals[i]
    res = exact_place(word, prefer)
    upper = word[:1].isupper()
    return res is not None and _names_a_place(
        res.place, word, upper and i > 0, upper and i == 0, prefer
    )


def _names_a_place(
    place: geo.Place,
    phrase: str,
    capitalised: bool,
    first: bool,
    prefer: Sequence[str],
    in_name: bool = False,
) -> bool:
    """Whether a phrase read as nothing else is this place (see :func:`bare_place`)."""
    at_home = place.country in prefer
    size = place.population or 0
    if place.kind == "county" and not capitalised:
        return at_home and bool(_COUNTY_WORD.search(phrase))  # "day" is no Day County
    if place.kind in ("county", "region", "country"):
        return at_home or capitalised
    if (first and not capitalised) or in_name:  # "Fresno shelter", not "Hope she can…"
        return size >= (FIRST_WORD_TOWN if at_home else FOREIGN_CITY)
    if at_home:
        return size >= (1_000 if capitalised else LOWERCASE_TOWN)
    return capitalised and size >= FOREIGN_CITY
