"""Free text -> structured query.

A hotline volunteer types what the caller said: "temporary shelter for minors
near Fresno", "lawyer for T-visa, speaks Punjabi, 93721", "a 16 year old girl
needs a safe house in Tulare County". :func:`parse` finds, in order:

1. the place ("near/in/around X", a ZIP code, "lat,lon", degrees-minutes),
2. ages ("16 year old", "age 16", "aged 16"),
3. the longest phrases of the taxonomy (service types, populations,
   trafficking types, languages, areas, with their synonyms),
4. typo-tolerant matches for what is left (rapidfuzz),

and keeps every other word as a text term, matched against provider names,
descriptions and keywords. Flags and free text combine: :func:`merge`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any

from referral_cli.taxonomy import Taxonomy

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "for",
        "to",
        "of",
        "and",
        "or",
        "with",
        "who",
        "is",
        "are",
        "was",
        "be",
        "been",
        "that",
        "this",
        "these",
        "those",
        "i",
        "we",
        "my",
        "our",
        "me",
        "us",
        "you",
        "your",
        "she",
        "he",
        "her",
        "him",
        "his",
        "they",
        "them",
        "their",
        "it",
        "its",
        "someone",
        "somebody",
        "person",
        "people",
        "need",
        "needs",
        "needed",
        "needing",
        "want",
        "wants",
        "looking",
        "look",
        "find",
        "get",
        "getting",
        "give",
        "please",
        "help",
        "some",
        "any",
        "place",
        "places",
        "service",
        "services",
        "resource",
        "resources",
        "available",
        "can",
        "could",
        "would",
        "should",
        "will",
        "there",
        "here",
        "now",
        "today",
        "tonight",
        "right",
        "away",
        "asap",
        "urgent",
        "urgently",
        "what",
        "where",
        "which",
        "how",
        "call",
        "caller",
        "just",
        "also",
        "very",
        "really",
        "only",
        "has",
        "have",
        "had",
        "do",
        "does",
        "program",
        "programs",
        "centre",
        "center",
        "called",
        "named",
        "year",
        "years",
        "yr",
        "yrs",
        "old",
        "aged",
        "age",
        "ages",
        "yo",
    ]
)
WEAK_PREPOSITIONS = ("in", "at", "by")
PLACE_PREPOSITIONS = ("near", "around", "close to", "nearby", "within reach of", "in", "at", "by")
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
    ]
)
_ZIP = re.compile(r"(?<![\d.,-])\d{5}(?:-\d{4})?(?![\d.,])")
_LATLON = re.compile(r"(?<![\w.])-?\d{1,2}(?:\.\d+)?\s*,\s*-?\d{1,3}(?:\.\d+)?(?![\w.])")
_DMS = re.compile(
    r"\d{1,3}\s*°\s*(?:\d{1,2}\s*['′]\s*)?(?:\d{1,2}(?:\.\d+)?\s*[\"″]\s*)?[NSns]"
    r"[\s,]*\d{1,3}\s*°\s*(?:\d{1,2}\s*['′]\s*)?(?:\d{1,2}(?:\.\d+)?\s*[\"″]\s*)?[EWew]"
)
_COUNTY = re.compile(r"\b(?:(?-i:[A-Z])[\w.'-]+\s+)?[\w.'-]+\s+county\b", re.IGNORECASE)
_TRAILING_PREPOSITION = re.compile(r"\b(?:near|in|around|at|by|close to)\s*$", re.IGNORECASE)
_AGE = re.compile(
    r"\b(?:(?:age|aged)\s+(\d{1,3})|(\d{1,3})\s*(?:-\s*)?(?:years?|yrs?|y/o|yo)(?:\s*-?\s*old)?)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w+'/-]+", re.UNICODE)
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
        if key and key not in STOP_WORDS:
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
                    break
                j += 1
            candidate = " ".join(place_words).strip(" ,.;:!?")
            if candidate and not _looks_like_need(candidate, prep in WEAK_PREPOSITIONS):
                rest = " ".join(words[:i] + words[j:])
                return candidate, rest
    m = _COUNTY.search(text)
    if m:
        return _cut(text, m)
    return None, text


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
        weak and " " not in norm and _closest(norm, _fuzzy_choices(load(), multiword=False))
    )


def parse(text: str, tax: Taxonomy | None = None) -> Query:
    """Understand free text; never raises on any input."""
    from referral_cli.taxonomy import load

    tax = tax or load()
    q = Query(text=text)
    place, rest = _extract_place(text)
    q.place = place
    age_match = _AGE.search(rest)
    if age_match:
        value = int(age_match.group(1) or age_match.group(2))
        if 0 <= value <= 120:
            q.age = value
        rest = rest[: age_match.start()] + " " + rest[age_match.end() :]
    tokens = _norm(rest).split()
    vocab = vocabulary(tax)
    i = 0
    while i < len(tokens):
        n, meaning, typo = _match_at(tokens, i, vocab, tax)
        if meaning is not None:
            _apply(q, meaning)
            if typo:
                q.corrections.append(f"'{' '.join(tokens[i : i + n])}' read as '{typo}'")
        elif tokens[i] not in STOP_WORDS and not tokens[i].isdigit() and tokens[i] not in q.terms:
            q.terms.append(tokens[i])
        i += n
    return q


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
    if word in STOP_WORDS:
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
    if first in STOP_WORDS:
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
    and flags; a flag adds to what the text said.
    """

    def union(a: list[str], b: list[str]) -> list[str]:
        return a + [x for x in b if x not in a]

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
    )


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
