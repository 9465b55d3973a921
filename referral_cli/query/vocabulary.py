"""The words the parser knows: every phrase of the taxonomy (service types,
populations, trafficking types, languages, areas, with their synonyms, English and
Spanish) to what it means, and the typo-tolerant match of a phrase (rapidfuzz)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from referral_cli.taxonomy import Taxonomy

WORD = re.compile(r"[\w+'/-]+", re.UNICODE)
MAX_PHRASE = 5
# Words next to a language's name ("speaks Hmong", "Hmong speaking")
LANGUAGE_CUES = frozenset(
    ["speaks", "speaking", "speak", "speaker", "language", "habla", "hable", "hablan", "idioma"]
)
LANGUAGE_CUES_AFTER = frozenset(["speaking", "speaker", "speakers", "language", "interpreter"])


@dataclass(frozen=True)
class Meaning:
    """What a phrase the parser knows means: a kind of term and its key."""

    kind: str  # service | population | trafficking | language | area | gender
    key: str


def normalise(text: str) -> str:
    """A phrase as the vocabulary holds it: lowercase words, one space apart."""
    return " ".join(WORD.findall(text.lower().replace("’", "'")))


@functools.cache
def vocabulary(tax: Taxonomy) -> dict[str, Meaning]:
    """Every phrase the parser knows, normalised, to what it means."""
    vocab: dict[str, Meaning] = {}

    def add(phrase: str, meaning: Meaning) -> None:
        key = normalise(phrase)
        if key and key not in tax.stop_words:
            vocab.setdefault(key, meaning)

    for st in tax.service_types.values():
        m = Meaning("service", st.key)
        for phrase in (st.key, st.key.replace("-", " "), st.label, *st.synonyms):
            add(phrase, m)
    for pop in tax.populations.values():
        m = Meaning("population", pop.key)
        for phrase in (pop.key, pop.key.replace("-", " "), pop.label, *pop.synonyms):
            add(phrase, m)
    for t in tax.trafficking_types.values():
        m = Meaning("trafficking", t.key)
        for phrase in (t.label, *t.synonyms):
            add(phrase, m)
    for lang in tax.languages.values():
        m = Meaning("language", lang.code)
        for phrase in (lang.name, lang.native, *lang.synonyms):
            add(phrase, m)
    for area in tax.frameworks[tax.default_framework].areas:
        m = Meaning("area", area.key)
        for phrase in (area.key, area.label, *area.synonyms):
            add(phrase, m)
    return vocab


@functools.cache
def fuzzy_choices(tax: Taxonomy, multiword: bool) -> tuple[str, ...]:
    """Phrases a typo may be corrected to (five letters or more: short words
    such as "men", "ged" or "esl" match exactly or not at all)."""
    return tuple(p for p in vocabulary(tax) if len(p) >= 5 and (" " in p) == multiword)


def match_at(
    tokens: list[str], i: int, vocab: dict[str, Meaning], tax: Taxonomy
) -> tuple[int, Meaning | None, str]:
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
            corrected = closest(phrase, fuzzy_choices(tax, multiword=True))
            if (
                corrected
                and corrected[:1] == phrase[:1]  # "man bed tonight" is no "a bed…"
                and _word_by_word(phrase, corrected)  # "took her kids" is no "took her id"
                # a slip after a little word ("someone to tlak to") reads as a need only:
                # "in the wife" is no "in the life"
                and (tokens[i] not in tax.stop_words or vocab[corrected].kind == "service")
            ):
                return n, vocab[corrected], corrected
    word = tokens[i]
    meaning = vocab.get(word)
    if meaning is None and word.endswith("s") and len(word) > 5:
        meaning = vocab.get(word[:-1])  # plurals: "lawyers", "shelters"
    owners = _POSSESSIVE.sub("", word)
    if meaning is None and owners != word and owners.endswith(("s", "en")):
        meaning = vocab.get(owners)  # "women's shelter", "girls' home"; not "mom's boyfriend"
    if meaning is not None:
        return 1, meaning, ""
    if word in tax.stop_words:
        return 1, None, ""
    corrected = closest(word, fuzzy_choices(tax, multiword=False))
    if corrected[:1] != word[:1]:  # a slip rarely changes the first letter: "warehouse"
        corrected = ""
    return 1, (vocab[corrected] if corrected else None), corrected


_POSSESSIVE = re.compile(r"'s?$")


@functools.cache
def _phrase_words(tax: Taxonomy) -> tuple[frozenset[str], frozenset[str]]:
    """First and second words of the taxonomy's phrases of several words."""
    pairs = [p.split()[:2] for p in vocabulary(tax) if " " in p]
    return frozenset(a for a, _ in pairs), frozenset(b for _, b in pairs)


def _may_start_phrase(first: str, second: str, tax: Taxonomy) -> bool:
    """Whether a misspelt phrase could start here: one of its first two words is
    spelt right (keeps the fuzzy search off the common path); a little word
    ("someone", "no") only with the second spelt right too."""
    firsts, seconds = _phrase_words(tax)
    if first in tax.stop_words:
        return first in firsts and second in seconds
    return first in firsts or second in seconds


def _word_by_word(typed: str, corrected: str) -> bool:
    """Whether a misspelt phrase is its correction word for word: each word a slip
    of its own (a short word spelt right or with one slip), never another word."""
    from rapidfuzz.distance import OSA

    pairs = list(zip(typed.split(), corrected.split(), strict=False))
    return len(typed.split()) == len(corrected.split()) and all(
        OSA.distance(a, b) <= (0 if len(b) < 3 else 1 if len(b) <= 7 else 2) for a, b in pairs
    )


def _allowed_edits(text: str) -> int:
    """Typos tolerated: none under five letters, one up to seven, then two."""
    return 0 if len(text) < 5 else 1 if len(text) <= 7 else 2


def closest(text: str, choices: tuple[str, ...]) -> str:
    """The choice within the allowed number of edits (transpositions count one)."""
    edits = _allowed_edits(text)
    if not edits:
        return ""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extractOne(text, choices, scorer=OSA.distance, score_cutoff=edits)
    return str(found[0]) if found else ""
