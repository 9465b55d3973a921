"""Free text -> structured query.

A hotline volunteer types what the caller said: "temporary shelter for minors
near Fresno", "lawyer for T-visa, speaks Punjabi, 93721", "she's 15, needs a
safe place tonight, Visalia", "refugio para menores cerca de Fresno".
:func:`parse` finds, in order:

1. the place after a preposition ("near/in/around/cerca de X"), a ZIP code,
   "lat,lon", degrees-minutes, "X County",
2. ages and counts (:mod:`referral_cli.query.people`: "she's 15", "girl, 15", "2 kids"),
3. the longest phrases of the taxonomy (service types, populations,
   trafficking types, languages, areas, with their synonyms, English and Spanish),
4. typo-tolerant matches for what is left (rapidfuzz),
5. a town, county or state named without a preposition, among the words left,
6. gender and household from pronouns and relations ("my daughter", "a woman
   with 2 kids"),

and keeps every other word as a text term, matched against provider names,
descriptions and keywords. What was not used (a number, a language name) is
said in ``notes``. Flags and free text combine: :func:`merge`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from referral_cli.query import people
from referral_cli.query.places import (
    bare_place,
    extract_place,
    names_place,
)
from referral_cli.query.record import Query
from referral_cli.query.vocabulary import (
    LANGUAGE_CUES,
    LANGUAGE_CUES_AFTER,
    WORD,
    Meaning,
    match_at,
    vocabulary,
)
from referral_cli.taxonomy import Taxonomy, load

_ALNUM = re.compile(r"[^\W_]")  # a word has a letter or digit: "-" alone is none

# A query is a sentence or two of a call; a longer text (a pasted file, an attack)
# is refused with this many characters named, so every reading stays fast.
MAX_QUERY_CHARS = 2000


def length_problem(text: str) -> str | None:
    """Why ``text`` is too long to be read as a query, if it is."""
    if len(text) <= MAX_QUERY_CHARS:
        return None
    return (
        f"{len(text):,} characters is more than the {MAX_QUERY_CHARS:,} a query may have:"
        " give the need, the person and the place in a sentence or two"
    )


def parse(text: str, tax: Taxonomy | None = None, prefer_countries: Sequence[str] = ()) -> Query:
    """Understand free text; never raises on any input.

    ``prefer_countries`` (the directory's) decides which towns named without a
    preposition count: a lowercase word only names a sizeable place there.
    """
    tax = tax or load()
    q = Query(text=text)
    place, rest = extract_place(text)
    q.place = place
    numbers = people.read_numbers(rest, tax)
    originals = [w for w in WORD.findall(numbers.text.replace("’", "'")) if _ALNUM.search(w)]
    tokens = [t.lower() for t in originals]
    vocab = vocabulary(tax)
    mentions: list[people.Mention] = []
    term_at: dict[int, str] = {}  # token position -> term
    i = 0
    while i < len(tokens):
        n, meaning, typo = match_at(tokens, i, vocab, tax)
        phrase = " ".join(tokens[i : i + n])
        if typo and n == 1 and names_place(originals, i, prefer_countries):
            meaning = None  # "hotline México": a place, not a misspelt "médico"
        if meaning is not None:
            _apply(q, meaning)
            if meaning.kind == "population":
                mentions.append(people.Mention(i, phrase, meaning.key))
            if typo:
                q.corrections.append(f"'{phrase}' read as '{typo}'")
        elif not (
            tokens[i] in tax.stop_words
            or tokens[i].isdigit()
            or people.is_person_word(tokens[i], tax)
        ):
            term_at[i] = tokens[i]  # a person word ("sister", "ella") is read by people
        if meaning is None and phrase in people.household_words(tax):
            mentions.append(people.Mention(i, phrase))
        i += n
    if q.place is None:
        q.place = bare_place(originals, term_at, prefer_countries, tax.stop_words, q.notes)
    q.terms = list(dict.fromkeys(term_at.values()))
    _read_people(q, numbers, tokens, mentions, tax)
    q.notes += _language_notes(tokens, originals, term_at)
    return q


def _read_people(
    q: Query,
    numbers: people.Numbers,
    tokens: list[str],
    mentions: list[people.Mention],
    tax: Taxonomy,
) -> None:
    """Age, gender and household into ``q``, and a note for each fact left unused."""
    who = people.read_people(tokens, mentions, tax)
    q.notes += who.notes
    q.populations = [p for p in q.populations if p not in who.drop_populations]
    if who.family:
        if not any((tax.populations[p].min_age or 0) >= 18 for p in q.populations):
            q.populations.append("adults")
        if "families" not in q.populations:
            q.populations.append("families")
    q.gender = who.gender or numbers.gender
    if numbers.ages:
        q.age, *others = numbers.ages
        for other in others:
            q.notes.append(
                f"'{other}' was not used: more than one age; search once per person"
                f" (add --age {other})"
            )
        for key in [p for p in q.populations if not tax.populations[p].admits_age(q.age)]:
            pop = tax.populations[key]
            q.populations.remove(key)
            q.notes.append(f"age {q.age} is outside '{pop.label}': searching by the age")
            q.gender = q.gender or pop.gender
    for number, whose in numbers.others_ages:
        q.notes.append(
            f"'{number}' was not used: it reads as the {whose}'s age;"
            f" if it is the person's, add --age {number}"
        )
    for number in numbers.unused:
        if q.place and number in q.place:
            continue
        bare = (
            number.isdigit()
            and len(number) <= people.MAX_NUMBER_DIGITS
            and int(number) <= people.MAX_AGE
        )
        hint = f" — is it the age? add --age {number}" if bare else ""
        q.notes.append(f"'{number}' was not used{hint}")


def _language_notes(tokens: list[str], originals: list[str], term_at: dict[int, str]) -> list[str]:
    """A word next to "speaks"/"habla" ("speaks Hmoob", "Hmong speaking") that is no
    language the taxonomy knows is said, never dropped."""
    notes = []
    for i in term_at:
        if i and tokens[i - 1] in LANGUAGE_CUES:
            cue = f"after '{originals[i - 1]}'"
        elif i + 1 < len(tokens) and tokens[i + 1] in LANGUAGE_CUES_AFTER:
            cue = f"before '{originals[i + 1]}'"
        else:
            continue
        notes.append(
            f"'{originals[i]}' {cue} is not a language this tool knows;"
            " give its code, e.g. --language hmn"
        )
    return notes


def _apply(q: Query, meaning: Meaning) -> None:
    target = {
        "service": q.services,
        "population": q.populations,
        "trafficking": q.trafficking,
        "language": q.languages,
        "area": q.areas,
    }.get(meaning.kind)
    if target is not None and meaning.key not in target:
        target.append(meaning.key)
