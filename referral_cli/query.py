"""Free text -> structured query.

A hotline volunteer types what the caller said: "temporary shelter for minors
near Fresno", "lawyer for T-visa, speaks Punjabi, 93721", "she's 15, needs a
safe place tonight, Visalia", "refugio para menores cerca de Fresno".
:func:`parse` finds, in order:

1. the place after a preposition ("near/in/around/cerca de X"), a ZIP code,
   "lat,lon", degrees-minutes, "X County",
2. ages and counts (:mod:`referral_cli.people`: "she's 15", "girl, 15", "2 kids"),
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

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from referral_cli import people
from referral_cli.errors import ReferralError
from referral_cli.taxonomy import Taxonomy

if TYPE_CHECKING:
    from referral_cli import geo
    from referral_cli.search import Origin

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
_WORD = re.compile(r"[\w+'/-]+", re.UNICODE)
_ALNUM = re.compile(r"[^\W_]")  # a word has a letter or digit: "-" alone is none
MAX_PHRASE = 5


@dataclass
class Query:
    """What a search asks for. Empty means "no constraint"."""

    services: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    age: int | None = None
    populations: list[str] = field(default_factory=list)  # taxonomy population keys
    gender: str | None = None
    trafficking: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    place: str | None = None
    terms: list[str] = field(default_factory=list)  # words matched against provider text
    corrections: list[str] = field(default_factory=list)  # "'sheltr' read as temporary-shelter"
    notes: list[str] = field(default_factory=list)  # facts of the text left unused, and why
    text: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "services": self.services,
            "areas": self.areas,
            "age": self.age,
            "populations": self.populations,
            "gender": self.gender,
            "trafficking": self.trafficking,
            "languages": self.languages,
            "place": self.place,
            "terms": self.terms,
        }

    @property
    def is_empty(self) -> bool:
        return not (
            self.services
            or self.areas
            or self.age is not None
            or self.populations
            or self.gender
            or self.trafficking
            or self.languages
            or self.terms
        )


@dataclass(frozen=True)
class _Meaning:
    kind: str  # service | population | trafficking | language | area | gender
    key: str


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


@functools.cache
def vocabulary(tax: Taxonomy) -> dict[str, _Meaning]:
    """Every phrase the parser knows, normalised, to what it means."""
    vocab: dict[str, _Meaning] = {}

    def add(phrase: str, meaning: _Meaning) -> None:
        key = _norm(phrase)
        if key and key not in tax.stop_words:
            vocab.setdefault(key, meaning)

    for st in tax.service_types.values():
        m = _Meaning("service", st.key)
        for phrase in (st.key, st.key.replace("-", " "), st.label, *st.synonyms):
            add(phrase, m)
    for pop in tax.populations.values():
        m = _Meaning("population", pop.key)
        for phrase in (pop.key, pop.key.replace("-", " "), pop.label, *pop.synonyms):
            add(phrase, m)
    for t in tax.trafficking_types.values():
        m = _Meaning("trafficking", t.key)
        for phrase in (t.label, *t.synonyms):
            add(phrase, m)
    for lang in tax.languages.values():
        m = _Meaning("language", lang.code)
        for phrase in (lang.name, lang.native, *lang.synonyms):
            add(phrase, m)
    for area in tax.frameworks[tax.default_framework].areas:
        m = _Meaning("area", area.key)
        for phrase in (area.key, area.label, *area.synonyms):
            add(phrase, m)
    return vocab


@functools.cache
def _fuzzy_choices(tax: Taxonomy, multiword: bool) -> tuple[str, ...]:
    """Phrases a typo may be corrected to (five letters or more: short words
    such as "men", "ged" or "esl" match exactly or not at all)."""
    return tuple(p for p in vocabulary(tax) if len(p) >= 5 and (" " in p) == multiword)


def _extract_place(text: str) -> tuple[str | None, str]:
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
                and not _looks_like_need(candidate, prep in WEAK_PREPOSITIONS)
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
    if m and _exact_place(candidate) is None and _exact_place(m.group(1)) is not None:
        return m.group(1)
    return candidate


def _cut(text: str, m: re.Match[str]) -> tuple[str, str]:
    before = _TRAILING_PREPOSITION.sub(" ", text[: m.start()])
    return m.group(0).strip(), before + " " + text[m.end() :]


@functools.cache
def _need_words() -> frozenset[str]:
    from referral_cli.taxonomy import load

    return frozenset(vocabulary(load()))


def _looks_like_need(candidate: str, weak: bool) -> bool:
    """ "in Spanish", "in spanich", "in crisis", "in need" are not places. After a
    weak preposition ("in", "at", "by") a misspelt need word is not a place either."""
    from referral_cli.taxonomy import load

    norm = _norm(candidate)
    if norm in _need_words() or norm in ("need", "crisis", "danger", "trouble", "person"):
        return True
    return bool(
        weak
        and " " not in norm
        and _closest(norm, _fuzzy_choices(load(), multiword=False))
        and _exact_place(candidate) is None  # "en México" is not a misspelt "médico"
    )


def _exact_place(words: str, prefer: Sequence[str] = ()) -> geo.Resolution | None:
    """The place ``words`` spell exactly, if any (never raises: no gazetteer, no place)."""
    from referral_cli import geo

    try:
        return geo.resolve_exact(words, prefer)
    except ReferralError:
        return None


def parse(text: str, tax: Taxonomy | None = None, prefer_countries: Sequence[str] = ()) -> Query:
    """Understand free text; never raises on any input.

    ``prefer_countries`` (the directory's) decides which towns named without a
    preposition count: a lowercase word only names a sizeable place there.
    """
    from referral_cli.taxonomy import load

    tax = tax or load()
    q = Query(text=text)
    place, rest = _extract_place(text)
    q.place = place
    numbers = people.read_numbers(rest, tax)
    originals = [w for w in _WORD.findall(numbers.text.replace("’", "'")) if _ALNUM.search(w)]
    tokens = [t.lower() for t in originals]
    vocab = vocabulary(tax)
    mentions: list[people.Mention] = []
    term_at: dict[int, str] = {}  # token position -> term
    i = 0
    while i < len(tokens):
        n, meaning, typo = _match_at(tokens, i, vocab, tax)
        phrase = " ".join(tokens[i : i + n])
        if typo and n == 1 and _names_place(originals, i, prefer_countries):
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
        q.place = _bare_place(originals, term_at, prefer_countries, tax.stop_words, q.notes)
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
        bare = number.isdigit() and int(number) <= people.MAX_AGE
        hint = f" — is it the age? add --age {number}" if bare else ""
        q.notes.append(f"'{number}' was not used{hint}")


def _language_notes(tokens: list[str], originals: list[str], term_at: dict[int, str]) -> list[str]:
    """A word next to "speaks"/"habla" ("speaks Hmoob", "Hmong speaking") that is no
    language the taxonomy knows is said, never dropped."""
    notes = []
    for i in term_at:
        if i and tokens[i - 1] in _LANGUAGE_CUES:
            cue = f"after '{originals[i - 1]}'"
        elif i + 1 < len(tokens) and tokens[i + 1] in _LANGUAGE_CUES_AFTER:
            cue = f"before '{originals[i + 1]}'"
        else:
            continue
        notes.append(
            f"'{originals[i]}' {cue} is not a language this tool knows;"
            " give its code, e.g. --language hmn"
        )
    return notes


_LANGUAGE_CUES = frozenset(
    ["speaks", "speaking", "speak", "speaker", "language", "habla", "hable", "hablan", "idioma"]
)
_LANGUAGE_CUES_AFTER = frozenset(["speaking", "speaker", "speakers", "language", "interpreter"])


def _bare_place(
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
    :data:`FOREIGN_CITY` people or more elsewhere; a capitalised first word, a town
    of :data:`FIRST_WORD_TOWN` there (said in a note unless a city: it may be a name).
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
            for start in range(len(run) - n + 1):
                span = run[start : start + n]
                words = [originals[i] for i in span]
                capitalised = not shouting and any(
                    w[:1].isupper() and i > 0 for w, i in zip(words, span, strict=True)
                )
                first = not shouting and span[0] == 0 and words[0][:1].isupper()
                phrase = " ".join(words)
                res = _exact_place(phrase, prefer)
                if res is not None and _names_a_place(
                    res.place, phrase, capitalised, first, prefer
                ):
                    for i in span:
                        term_at.pop(i, None)
                    if first and not capitalised and (res.place.population or 0) < FOREIGN_CITY:
                        notes.append(
                            f"'{phrase}' read as the place {res.place.label};"
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
    from referral_cli import geo

    last = len(originals) - 1
    word = originals[last] if last in term_at else ""
    if shouting or last == 0 or len(word) < 6 or not word[:1].isupper():
        return None
    if originals[last - 1].lower() in _LANGUAGE_CUES:  # "habla Mixteco": a language
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


def _names_place(originals: list[str], i: int, prefer: Sequence[str]) -> bool:
    """Whether the single word at ``i`` names a place by the rules of :func:`_bare_place`."""
    word = originals[i]
    res = _exact_place(word, prefer)
    upper = word[:1].isupper()
    return res is not None and _names_a_place(
        res.place, word, upper and i > 0, upper and i == 0, prefer
    )


def _names_a_place(
    place: geo.Place, phrase: str, capitalised: bool, first: bool, prefer: Sequence[str]
) -> bool:
    """Whether a phrase read as nothing else is this place (see :func:`_bare_place`)."""
    at_home = place.country in prefer
    size = place.population or 0
    if place.kind == "county" and not capitalised:
        return at_home and bool(_COUNTY_WORD.search(phrase))  # "day" is no Day County
    if place.kind in ("county", "region", "country"):
        return at_home or capitalised
    if first and not capitalised:  # "Fresno shelter", but not "Hope she can…"
        return size >= (FIRST_WORD_TOWN if at_home else FOREIGN_CITY)
    if at_home:
        return size >= (1_000 if capitalised else LOWERCASE_TOWN)
    return capitalised and size >= FOREIGN_CITY


def _match_at(
    tokens: list[str], i: int, vocab: dict[str, _Meaning], tax: Taxonomy
) -> tuple[int, _Meaning | None, str]:
    """The phrase starting at token ``i``: (tokens used, meaning, corrected text if a typo).

    The longest exact phrase wins; a misspelt phrase of several words ("job
    trainning") beats an exact single word inside it ("job"); a single
    misspelt word is corrected last.
    """
    longest = min(MAX_PHRASE, len(tokens) - i)
    for n in range(longest, 1, -1):
        meaning = vocab.get(" ".join(tokens[i : i + n]))
        if meaning is not None:
            return n, meaning, ""
    if longest > 1 and _may_start_phrase(tokens[i], tokens[i + 1], tax):
        for n in range(min(3, longest), 1, -1):
            phrase = " ".join(tokens[i : i + n])
            corrected = _closest(phrase, _fuzzy_choices(tax, multiword=True))
            if corrected:
                return n, vocab[corrected], corrected
    word = tokens[i]
    meaning = vocab.get(word)
    if meaning is None and word.endswith("s") and len(word) > 5:
        meaning = vocab.get(word[:-1])  # plurals: "lawyers", "shelters"
    if meaning is not None:
        return 1, meaning, ""
    if word in tax.stop_words:
        return 1, None, ""
    corrected = _closest(word, _fuzzy_choices(tax, multiword=False))
    return 1, (vocab[corrected] if corrected else None), corrected


@functools.cache
def _phrase_words(tax: Taxonomy) -> tuple[frozenset[str], frozenset[str]]:
    """First and second words of the taxonomy's phrases of several words."""
    pairs = [p.split()[:2] for p in vocabulary(tax) if " " in p]
    return frozenset(a for a, _ in pairs), frozenset(b for _, b in pairs)


def _may_start_phrase(first: str, second: str, tax: Taxonomy) -> bool:
    """Whether a misspelt phrase could start here: one of its first two words is
    spelt right (keeps the fuzzy search off the common path)."""
    if first in tax.stop_words:
        return False
    firsts, seconds = _phrase_words(tax)
    return first in firsts or second in seconds


def _allowed_edits(text: str) -> int:
    """Typos tolerated: none under five letters, one up to seven, then two."""
    return 0 if len(text) < 5 else 1 if len(text) <= 7 else 2


def _closest(text: str, choices: tuple[str, ...]) -> str:
    """The choice within the allowed number of edits (transpositions count one)."""
    edits = _allowed_edits(text)
    if not edits:
        return ""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extractOne(text, choices, scorer=OSA.distance, score_cutoff=edits)
    return str(found[0]) if found else ""


def _apply(q: Query, meaning: _Meaning) -> None:
    target = {
        "service": q.services,
        "population": q.populations,
        "trafficking": q.trafficking,
        "language": q.languages,
        "area": q.areas,
    }.get(meaning.kind)
    if target is not None and meaning.key not in target:
        target.append(meaning.key)


def merge(base: Query, extra: Query) -> Query:
    """Two queries as one: lists are joined, single values of ``extra`` win.

    Flags are a query too, so ``merge(parse(text), flags)`` combines free text
    and flags; a flag adds to what the text said, and one that replaces what the
    text said ("--age 16" for "she is 15") is said in ``notes``.
    """

    def union(a: list[str], b: list[str]) -> list[str]:
        return a + [x for x in b if x not in a]

    replaced = [
        f"{name} {new} used rather than {old}"  # "--age 16" over "she is 15": said
        for name, old, new in (
            ("age", base.age, extra.age),
            ("gender", base.gender, extra.gender),
            ("place", base.place, extra.place),
        )
        if old is not None and new is not None and old != new
    ]
    return replace(
        base,
        services=union(base.services, extra.services),
        areas=union(base.areas, extra.areas),
        age=extra.age if extra.age is not None else base.age,
        populations=union(base.populations, extra.populations),
        gender=extra.gender or base.gender,
        trafficking=union(base.trafficking, extra.trafficking),
        languages=union(base.languages, extra.languages),
        place=extra.place or base.place,
        terms=union(base.terms, extra.terms),
        corrections=union(base.corrections, extra.corrections),
        notes=union(base.notes, [*extra.notes, *replaced]),
    )


def understood(q: Query, origin: Origin | None, tax: Taxonomy) -> str:
    """What a search understood, slot by slot, as the first line of an answer says it:
    ``temporary shelter · age 15 · female · near Visalia, CA, US``."""
    slots = [tax.service_types[s].label.lower() for s in q.services if s in tax.service_types]
    fw = tax.framework(None)
    slots += [f"area: {fw.area(a).label}" for a in q.areas]
    if q.age is not None:
        slots.append(f"age {q.age}")
    slots += [tax.populations[p].label.lower() for p in q.populations if p in tax.populations]
    if q.gender:
        slots.append(q.gender)
    slots += [tax.trafficking_types[t].label.lower() for t in q.trafficking]
    slots += [f"speaks {tax.language_name(code)}" for code in q.languages]
    if origin is not None:
        slots.append(f"near {origin.label}")
    elif q.place:
        slots.append(f"near {q.place}")
    if q.terms:
        slots.append("words: " + ", ".join(f"'{t}'" for t in q.terms))
    return " · ".join(slots) or "nothing in particular"


FLAGS = {
    "service": "--service",
    "population": "--for",
    "language": "--language",
    "area": "--area",
    "gender": "--gender",
    "trafficking": "--trafficking",
}


def resolve_word(kind: str, word: str, tax: Taxonomy) -> str:
    """A flag's value (key, label or synonym) -> its key, or a usage error with a suggestion."""
    from referral_cli.errors import UsageError
    from referral_cli.suggest import did_you_mean

    if kind == "language":
        from referral_cli import languages

        tag = languages.lookup(word)
        if tag is None:
            raise UsageError(
                f"--language: unknown language '{word}'{languages.suggestion(word)}"
                f" ({languages.TAG_HINT}, or its name)"
            )
        return tag
    tables: dict[str, dict[str, Any]] = {
        "service": tax.service_types,
        "population": tax.populations,
        "language": tax.languages,
        "area": {a.key: a for a in tax.frameworks[tax.default_framework].areas},
        "gender": tax.genders,
        "trafficking": tax.trafficking_types,
    }
    keys = tables[kind]
    lowered = word.strip().lower()
    if lowered in keys:
        return lowered
    words = {p: m.key for p, m in vocabulary(tax).items() if m.kind == kind}
    if kind in ("gender", "trafficking"):
        words.update({_norm(w): key for key, term in keys.items() for w in term.synonyms})
    found = words.get(_norm(word))
    if found is not None:
        return found
    raise UsageError(
        f"{FLAGS[kind]}: unknown {kind} '{word}'{did_you_mean(word, [*keys, *words])}"
        " (see 'referral taxonomy')"
    )
