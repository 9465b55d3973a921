"""The place in what a volunteer typed: after a preposition ("near/in/around/cerca
de X"), a ZIP code, "lat,lon", degrees-minutes, "X County", or a town, county or
state named without a preposition among the words read as nothing else."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from referral_cli.errors import ReferralError
from referral_cli.geo.gazetteer import aliases
from referral_cli.geo.place import Place, Resolution
from referral_cli.geo.resolving import BIG_CITY, corrected, names_a_region, resolve_exact
from referral_cli.query.vocabulary import (
    LANGUAGE_CUES,
    closest,
    fuzzy_choices,
    normalise,
    vocabulary,
)
from referral_cli.taxonomy import load

WEAK_PREPOSITIONS = ("in", "at", "by", "en")
ORIGIN_PREPOSITIONS = ("from",)  # where the person comes from: the place only if no other
# before "to ... in X" these make X where the person is going ("a bus ticket home to
# her mom in Ohio", "safe transport to a shelter in Toledo"): never the place searched
# near, which is where the person is; "go to a shelter in Fresno" asks for Fresno
_JOURNEY = frozenset(
    ["ticket", "tickets", "transport", "transportation", "ride", "relocate", "relocation",
     "relocating", "travel", "bus", "flight", "fly", "home", "move", "moving", "return",
     "returning", "repatriation", "back", "passage", "fare"]
)  # fmt: skip
PLACE_PREPOSITIONS = (
    "near",
    "nr",  # hotline shorthand: "nr the med center"
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
        "-",  # "in Fresno - no wait, Visalia"
        "–",
        "—",
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
_ZIP = re.compile(r"(?<![\d.,-])\d{5}(?:-\d{4})?(?![\d.]|,\d)")
# decimals both: "36.74,-119.79" is a point, "boy, 15, 16" two ages
_LATLON = re.compile(r"(?<![\w.])-?\d{1,2}\.\d+\s*,\s*-?\d{1,3}\.\d+(?![\w.])")
_DMS = re.compile(
    r"\d{1,3}\s*°\s*(?:\d{1,2}\s*['′]\s*)?(?:\d{1,2}(?:\.\d+)?\s*[\"″]\s*)?[NSns]"
    r"[\s,]*\d{1,3}\s*°\s*(?:\d{1,2}\s*['′]\s*)?(?:\d{1,2}(?:\.\d+)?\s*[\"″]\s*)?[EWew]"
)
_COUNTY = re.compile(r"\b(?:(?-i:[A-Z])[\w.'-]+\s+)?[\w.'-]+\s+county\b", re.IGNORECASE)
# kept as text, compiled by ``re`` on first use: only some queries need it
_TRAILING_PREPOSITION = r"(?i)\b(?:near|in|around|at|by|close to|cerca de|en)\s*$"


@dataclass(frozen=True)
class Candidate:
    """A phrase that may name the place, the text without it, and how it was said:
    ``exact`` (coordinates, ZIP code), ``near`` (after near/around/cerca de),
    ``in`` (after in/at/by/en), ``county`` ("X County", with its state), ``from``
    (where the person comes from: a place only when no other is named) or ``to``
    (where the person is going: never the place)."""

    phrase: str
    rest: str
    how: str
    at: int = 0  # where in ``rest`` the phrase stood


def place_candidates(text: str, prefer: Sequence[str] = ()) -> list[Candidate]:
    """Every phrase of ``text`` that may name the place, most telling first
    (``prefer``: the directory's countries, where "the Bronx" may be a place)."""
    for pattern in (_DMS, _LATLON, _ZIP):
        m = pattern.search(text)
        if m:
            return [Candidate(*_cut(text, m), "exact")]
    found: list[Candidate] = []
    m = _numbered_names().search(text)
    if m:  # "shelter Ward 8": a place's name, its number no age
        found.append(Candidate(*_cut(text, m), "near"))
    words = text.split()
    lowered = [w.lower().strip(",.;:!?") for w in words]
    for prep in (*PLACE_PREPOSITIONS, *ORIGIN_PREPOSITIONS):  # "near X" before "in X"
        prep_words = prep.split()
        n = len(prep_words)
        for i in range(len(words)):
            if lowered[i : i + n] != prep_words:
                continue
            j = i + n
            place_words: list[str] = []
            while j < len(words) and lowered[j] not in _PLACE_END:
                place_words.append(words[j])
                j += 1
                if words[j - 1].endswith((",", ";", ".")) and (
                    j < len(words) and lowered[j] in _PLACE_END or not _qualifier_next(words, j)
                ):
                    break
            candidate = _without_article(" ".join(place_words).strip(" ,.;:!?"))
            weak = prep in WEAK_PREPOSITIONS or prep in ORIGIN_PREPOSITIONS
            if (
                candidate
                and not _TIME.fullmatch(place_words[0])  # "at 5pm", "at noon"
                # "by her aunt", "in a motel": a lowercase little word starts no place
                and not (
                    weak
                    and candidate.split()[0] in _little_words()  # lowercase: said so
                    and not _article_place(candidate, prefer)  # "in the bronx"
                )
                # "in spanish, san mateo": a need, then the place on its own
                and not _looks_like_need(candidate.split(",", 1)[0], prep in WEAK_PREPOSITIONS)
            ):
                how = (
                    "from"
                    if prep in ORIGIN_PREPOSITIONS
                    else "to"
                    if _journey_before(words, lowered, i)
                    else "in"
                    if prep in WEAK_PREPOSITIONS
                    else "near"
                )
                before = " ".join(words[:i])
                rest = " ".join(words[:i] + words[j:])
                found.append(Candidate(candidate, rest, how, len(before) + bool(before)))
    for m in _COUNTY.finditer(text):
        end = _with_state(text, m.start(), m.end())
        before = re.sub(_TRAILING_PREPOSITION, " ", text[: m.start()])
        found.append(Candidate(text[m.start() : end].strip(), before + " " + text[end:], "county"))
    m = _dotted_names().search(text)
    if m:  # "T.O., man 25": the words lose the dots, and "T" and "O" alone name nothing
        found.append(Candidate(*_cut(text, m), "near"))
    return found


def _journey_before(words: list[str], lowered: list[str], i: int) -> bool:
    """A journey said before "to ..." in the clause that ends at word ``i``."""
    start = i
    while start > 0 and not words[start - 1].endswith((",", ";", ".", "!", "?")):
        start -= 1
    clause = lowered[start:i]
    if "to" not in clause:
        return False
    last_to = len(clause) - 1 - clause[::-1].index("to")
    return bool(_JOURNEY.intersection(clause[:last_to]))


@functools.cache
def _numbered_names() -> re.Pattern[str]:
    """The names people say with a number in them ("Ward 8", "the 6ix": aliases.tsv)."""
    names = sorted((k for k in aliases() if re.search(r"\d", k)), key=len, reverse=True)
    return re.compile(
        r"\b(?:" + "|".join(r"\W+".join(map(re.escape, n.split())) for n in names) + r")\b",
        re.IGNORECASE,
    )


@functools.cache
def _dotted_names() -> re.Pattern[str]:
    """The names of aliases.tsv that are initials, as written with dots ("T.O.",
    "L.A.", "D.C."): never the little words they spell without them ("to", "la")."""
    names = sorted((k for k in aliases() if re.fullmatch(r"[a-z](?: [a-z])+", k)), key=len)
    dotted = (r"\.\s?".join(n.split()) + r"\.?" for n in reversed(names))
    return re.compile(r"\b(?:" + "|".join(dotted) + r")(?!\w)", re.IGNORECASE)


def _article_place(candidate: str, prefer: Sequence[str]) -> bool:
    """Whether a phrase starting with "the" is a sizeable place of the directory's
    countries by that very name ("the Bronx", "the OC"), not "the morning"."""
    res = exact_place(candidate, prefer) if _ARTICLE.fullmatch(candidate) else None
    return (
        res is not None
        and res.place.country in prefer
        and (res.place.kind != "city" or (res.place.population or 0) >= LOWERCASE_TOWN)
    )


def _qualifier_next(words: list[str], j: int) -> bool:
    """Whether the words from ``j`` continue a place with its state ("Fresno, CA")."""
    word = words[j].strip(",.;:!?") if j < len(words) else ""
    return word[:1].isupper() and names_a_region("x, " + word)  # "es", "her": words


_STATE_AFTER = r"[\s,]+([^\W\d_]+)(?:\s+([^\W\d_]+))?"  # compiled on first use


def _with_state(text: str, start: int, end: int) -> int:
    """Where "X County" ends with its state when one follows ("Jefferson County TX",
    "Montgomery County, Ohio"), so the state is kept."""
    m = re.compile(_STATE_AFTER).match(text, end)
    if m is None:
        return end
    for stop in (m.end(), m.end(1)):
        phrase = text[start:stop]
        if names_a_region(phrase) and exact_place(phrase) is not None:
            return stop
    return end


def extract_place(text: str, prefer: Sequence[str] = ()) -> tuple[str | None, str]:
    """The place named in ``text`` and the text without it: the first candidate
    that names a place (:func:`names_place_phrase`); a phrase after a preposition
    that names none ("in a motel") stays in the text, to be read as words. When
    no candidate names a place the first is kept, for the place lookup to refuse
    with its suggestion, unless a place named without a preposition is found."""
    candidates = place_candidates(text, prefer)
    refused = None  # "not in Seattle - he's in Everett": the place said after
    for c in candidates:
        if c.how == "exact":
            return c.phrase, c.rest
        if c.how not in ("from", "to") and names_place_phrase(c.phrase, c.how, prefer):
            if _refused(c):
                refused = refused or c
                continue
            return _corrected_place(text, c, prefer) or _named_part(c, prefer)
    if refused is not None:
        return _named_part(refused, prefer)
    return None, text


_NOT_THERE = frozenset(["not", "no", "isnt", "isn't", "nor"])


def _refused(c: Candidate) -> bool:
    """Whether the place was said as where the person is not ("not in Seattle")."""
    before = c.rest[: c.at].split()
    return bool(before) and before[-1].lower().strip(",.;:") in _NOT_THERE


_CORRECTED = re.compile(
    r"\b(?:no,?\s+wait|wait|actually|sorry|i\s+mean|correction|perd[oó]n|digo|mejor\s+dicho)"
    r"\s*[,:]?\s*(?:(?:in|near|en|at)\s+)?((?-i:[A-Z])[\w.'-]*(?:\s+(?-i:[A-Z])[\w.'-]*){0,2})",
    re.IGNORECASE,
)


def _corrected_place(text: str, first: Candidate, prefer: Sequence[str]) -> tuple[str, str] | None:
    """ "in Fresno - no wait, Visalia": a place said after the words of a correction,
    after the first place, is the place; the first is dropped from the words too."""
    for m in _CORRECTED.finditer(text, first.at):
        phrase = m.group(1).strip(" ,.")
        if phrase != first.phrase and names_place_phrase(phrase, "near", prefer):
            rest = first.rest.replace(phrase, " ", 1)
            return phrase, rest
    return None


def _named_part(c: Candidate, prefer: Sequence[str]) -> tuple[str, str]:
    """The candidate's place without the lowercase words said after it ("in Fresno
    wants to be reunited": Fresno, the rest read as words); a phrase whose words all
    belong to it ("in San Mateo County") stays whole."""
    words = c.phrase.split()
    if c.how == "county" or exact_place(c.phrase, prefer) is not None:
        return c.phrase, c.rest
    for end in range(len(words) - 1, 0, -1):
        after = next((w for w in words[end:] if any(ch.isalpha() for ch in w)), "")
        if after[:1].islower() and exact_place(" ".join(words[:end]), prefer) is not None:
            place = " ".join(words[:end]).rstrip(" ,;:")
            return place, " ".join((c.rest[: c.at], *words[end:], c.rest[c.at :]))
    return c.phrase, c.rest


def fallback_place(text: str, prefer: Sequence[str]) -> str | None:
    """When nothing else names the place: where the person comes from ("man from
    Nepal"), or else the first phrase said as a place though it names none, for the
    place lookup to refuse with its suggestion."""
    candidates = place_candidates(text, prefer)
    for c in candidates:
        if c.how == "from" and names_place_phrase(c.phrase, c.how, prefer):
            return c.phrase
    # "by landlord", "at work": a lowercase word after in/at/by names no place to refuse
    said = (c for c in candidates if c.how not in ("from", "exact", "to"))
    first = next((c for c in said if not (c.how == "in" and c.phrase[:1].islower())), None)
    return _named_part(first, prefer)[0] if first else None


def inside_unplaced(phrase: str, text: str) -> bool:
    """Whether ``phrase`` is part of a phrase said as a place that names none ("near
    Blorptastic Springs": not Springs, but a place this tool does not know)."""
    wanted = f" {normalise(phrase)} "
    return any(
        c.how not in ("from", "exact") and wanted in f" {normalise(c.phrase)} "
        for c in place_candidates(text)
    )


def names_place_phrase(phrase: str, how: str, prefer: Sequence[str]) -> bool:
    """Whether a phrase said as a place names one: exactly (a lowercase phrase after
    "in/at/by/en" only a sizeable town, county or state of the directory's countries:
    "in a motel", "en una construcción" are not places), by its first words
    ("Fresno blorptastic"), with its state ("Kern, TX"), or misspelt into a town of
    the directory's countries ("Colombus")."""
    words = phrase.split()
    for end in range(len(words), 0, -1):
        part = " ".join(words[:end])
        res = exact_place(part, prefer)
        if res is None:
            continue
        capitalised = any(w[:1].isupper() for w in words[:end])
        at_home = res.place.country in prefer
        if how == "near" and end == len(words):
            return True
        if capitalised and (at_home or end == len(words)):
            return True
        if at_home and (
            res.place.kind in ("county", "region", "country")
            or (res.place.population or 0) >= LOWERCASE_TOWN
        ):
            return True
    if names_a_region(phrase):
        return True  # "Kern, TX": the region's message if there is no such place
    # by its first words too: "in west end zorblat" as "in west end"
    return any(
        corrected(" ".join(words[:end]), prefer) is not None for end in range(len(words), 0, -1)
    )


_TIME = re.compile(r"[\d\s:.,]*(?:[ap]\.?m\.?|h|hrs?|o'?clock)?|noon|midnight", re.IGNORECASE)
_ARTICLE = re.compile(r"(?:la|el|los|las|the)\s+(.+)", re.IGNORECASE)


def _without_article(candidate: str) -> str:
    """ "en la Ciudad de México" -> "Ciudad de México"; "Los Angeles" and "El Paso" stay."""
    m = _ARTICLE.fullmatch(candidate)
    if m and exact_place(candidate) is None and exact_place(m.group(1)) is not None:
        return m.group(1)
    return candidate


def _cut(text: str, m: re.Match[str]) -> tuple[str, str]:
    before = re.sub(_TRAILING_PREPOSITION, " ", text[: m.start()])
    return m.group(0).strip(), before + " " + text[m.end() :]


@functools.cache
def _little_words() -> frozenset[str]:
    return load().stop_words


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


def exact_place(words: str, prefer: Sequence[str] = ()) -> Resolution | None:
    """The place ``words`` spell exactly, if any (never raises: no gazetteer, no place)."""
    try:
        return resolve_exact(words, prefer)
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
    best: tuple[tuple[bool, bool, bool, int], list[int], str, str, bool] | None = None
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
                    found.append((size, start, span, phrase, res.place, maybe_name))
            if found:
                size, _, span, phrase, place, maybe_name = max(found)
                # of several runs: not where the person comes from ("from Nepal"),
                # then in the directory's countries, then the largest
                after_from = span[0] > 0 and originals[span[0] - 1].lower() in ORIGIN_PREPOSITIONS
                town = place.kind not in ("region", "country")  # "Ohio ... Columbus"
                key = (not after_from, place.country in prefer, town, size)
                if best is None or key > best[0]:
                    best = (key, span, phrase, place.label, maybe_name)
                break
    if best is None:
        return _misspelt_word(originals, term_at, prefer, shouting)
    _, span, phrase, label, maybe_name = best
    for i in span:
        term_at.pop(i, None)
    if maybe_name:
        notes.append(
            f"'{phrase}' read as the place {label}; if it is a name, give the place with --near"
        )
    return phrase


def _misspelt_word(
    originals: list[str], term_at: dict[int, str], prefer: Sequence[str], shouting: bool
) -> str | None:
    """ "girl 15, shelter, Visaila", "Huston, girl 17 needs shelter": a word of six
    letters or more, first, last or after a comma, read as nothing else, that is a
    slip from a town of the directory's countries (:func:`corrected`; said in a
    note by the place lookup, as any correction is): of :data:`FIRST_WORD_TOWN` people
    or more when capitalised, of :data:`FOREIGN_CITY` when not ("seatle"). A
    capitalised word of five letters is more often a name ("Maria", "Elena"): only a
    city of :data:`~referral_cli.geo.resolving.BIG_CITY` ("Hustn", "Dalas")."""
    if shouting:
        return None
    last = len(originals) - 1
    for i in sorted(term_at):
        word = originals[i].strip(",.;:!?")
        said_alone = i in (0, last) or originals[i - 1].endswith(",")
        if len(word) < (5 if word[:1].isupper() else 6) or not said_alone:
            continue
        if i and originals[i - 1].lower() in LANGUAGE_CUES:  # "habla Mixteco": a language
            continue
        res = corrected(word, prefer)
        least = FIRST_WORD_TOWN if word[:1].isupper() else FOREIGN_CITY
        least = BIG_CITY if len(word) == 5 else least
        if res is None or (res.place.population or 0) < least:
            continue
        del term_at[i]
        return word
    return None


LOWERCASE_TOWN = 50_000
FIRST_WORD_TOWN = 20_000  # a capitalised first word ("Immokalee farmworker, 19")
FOREIGN_CITY = 100_000
_COUNTY_WORD = r"(?i)\b(?:county|parish)\b"  # compiled on first use


def names_place(originals: list[str], i: int, prefer: Sequence[str]) -> bool:
    """Whether the single word at ``i`` names a place by the rules of :func:`bare_place`."""
    word = originals[i]
    res = exact_place(word, prefer)
    upper = word[:1].isupper()
    return res is not None and _names_a_place(
        res.place, word, upper and i > 0, upper and i == 0, prefer
    )


def place_over(originals: list[str], i: int, n: int, text: str, prefer: Sequence[str]) -> bool:
    """Whether the need or language phrase of ``n`` words at ``i`` begins the
    capitalised name of a place the gazetteer knows whole, written as one phrase in
    ``text`` ("German Village", "Spanish Harlem", "Shelter Island"; never "French,
    Camp Hill"): the words are the place, not the need."""
    if all(not w.isalpha() or w.isupper() for w in originals):
        return False  # all in capitals: no word is written as a name
    for end in range(min(len(originals), i + 4), i + n, -1):
        words = originals[i:end]
        if not all(w[:1].isupper() for w in words):
            continue
        phrase = " ".join(words)
        if not re.search(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b", text):
            continue
        res = exact_place(phrase, prefer)
        if res is not None and _names_a_place(res.place, phrase, True, False, prefer):
            return True
    return False


def town_in_capitals(originals: list[str], i: int, text: str, prefer: Sequence[str]) -> bool:
    """Whether a little word written in capitals names a town by its short name,
    at the start of the line or standing alone between commas ("LA youth, 22",
    "shelter, LA, tonight"), where "la" is otherwise an article ("la obligaban").
    Only a town: "OK, she needs…" and "IN" are no states here."""
    word = originals[i]
    if len(word) < 2 or not word.isupper() or all(w.isupper() for w in originals):
        return False
    alone = re.search(rf"(?:^|,)\s*{re.escape(word)}\s*(?:,|$)", text)
    if i != 0 and alone is None:
        return False
    res = exact_place(word, prefer)
    return res is not None and res.place.kind == "city" and res.place.country in prefer


def _state_after(phrase: str) -> bool:
    """Whether ``phrase`` ends with a state ("decatur ga") that is no little word
    ("house me", "help in": Maine and Indiana are no places there)."""
    last = phrase.split()[-1].lower()
    return " " in phrase and last not in _little_words() and names_a_region(phrase)


def _names_a_place(
    place: Place,
    phrase: str,
    capitalised: bool,
    first: bool,
    prefer: Sequence[str],
    in_name: bool = False,
) -> bool:
    """Whether a phrase read as nothing else is this place (see :func:`bare_place`)."""
    at_home = place.country in prefer
    size = place.population or 0
    if place.kind == "city" and at_home and size >= 1_000 and _state_after(phrase):
        return True  # "decatur ga": a town with its state, however written
    if place.kind == "county" and not capitalised:
        return at_home and bool(re.search(_COUNTY_WORD, phrase))  # "day" is no Day County
    if place.kind == "country" and in_name:
        return False  # "Little Haiti", "Little Italy": a neighbourhood's name, not the country
    if place.kind in ("county", "region", "country"):
        return at_home or capitalised
    if (first and not capitalised) or in_name:  # "Fresno shelter", not "Hope she can…"
        return size >= (FIRST_WORD_TOWN if at_home else FOREIGN_CITY)
    if at_home:
        return size >= (1_000 if capitalised else LOWERCASE_TOWN)
    return capitalised and size >= FOREIGN_CITY
