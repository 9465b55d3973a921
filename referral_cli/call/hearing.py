"""How one typed line changes the facts of a live call (``referral call``).

A volunteer types what the caller says as it comes: "somewhere to stay",
"she's 15", "hmong", "not Fresno, Visalia", "no, she's 16", "within 20 km",
"drop language". :func:`hear` turns one such line into a change of the known
:class:`Facts`, reading it with :func:`referral_cli.query.parse` (the reader of
``find``), around which it knows only the shape of a conversation: corrections,
take-backs, names and origins that are not facts. Plain functions, no state, no
Textual: :mod:`referral_cli.call.session` keeps the facts of a call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from referral_cli.config import RANGES
from referral_cli.errors import ReferralError
from referral_cli.query.flags import resolve_word
from referral_cli.query.parser import length_problem, parse
from referral_cli.query.record import Query

if TYPE_CHECKING:
    from referral_cli.taxonomy import Taxonomy

# The slots of the bar, in the order they are shown; each can be removed alone.
SLOTS = ("need", "for", "age", "gender", "language", "place", "radius")
# Facts fields each slot holds.
_SLOT_FIELDS = {
    "need": ("services", "areas", "terms"),
    "for": ("populations", "trafficking"),
    "age": ("age",),
    "gender": ("gender",),
    "language": ("languages",),
    "place": ("place",),
    "radius": ("radius_km",),
}
# Words a volunteer uses for a slot ("drop language", "forget the place").
_SLOT_WORDS = {
    "need": ("need", "needs", "service", "services", "help", "what", "words"),
    "for": ("for", "who", "population", "populations", "group", "trafficking"),
    "age": ("age", "ages", "old"),
    "gender": ("gender", "sex"),
    "language": ("language", "languages", "lang", "speaks"),
    "place": ("place", "location", "town", "city", "where", "area", "zip", "near"),
    "radius": ("radius", "distance", "km", "range", "miles"),
}
_REMOVE = r"(?:drop|remove|forget|clear|delete|undo|no|any|without|never\s*mind)"
_SLOT_COMMAND = re.compile(rf"^{_REMOVE}\s+(?:the\s+)?([a-z]+(?:\s+[a-z]+)?)$")
_EVERYTHING = re.compile(rf"^(?:{_REMOVE}\s+)?(?:all|everything)$")
# "no, ...", "actually ...", "sorry, ...": a correction that follows; the single
# values it names replace the old ones anyway, so the opener is dropped.
_OPENER = re.compile(
    r"^(?:no|nope|sorry|actually|wait|correction|i\s+mean|oh|ok|okay|um+|uh+|so|and|also)\b[\s,;:.!-]*",
    re.IGNORECASE,
)
_NO_WORD = re.compile(
    r"^no\s+(?!(?:she|he|they|it|i|we|the|actually|wait|sorry|it's|she's|he's|they're|we're|i'm)\b)"
    r"([^\s,;:.!?][^,;:.!?]*)(.*)$",
    re.IGNORECASE,
)
_NOT = re.compile(
    r"^(?:not|isn't)\s+(.+?)(?:\s*[,;]\s*|\s+but\s+|\s+it's\s+|$)(.*)$", re.IGNORECASE
)
_PRONOUN_AGE = re.compile(
    r"\b(she|he|they|the\s+(?:girl|boy|kid|child|person|caller|victim|client)|caller)"
    r"\s*(?:'s|’s|is|are|was|'re|’re)\s+(?:only\s+|just\s+|about\s+|around\s+)?(\d{1,3})\b"
    r"(?!\s*(?:km|kms|kilomet|mi\b|miles?|minutes?|hours?|%))",
    re.IGNORECASE,
)
_BARE_AGE = re.compile(r"^(?:age\s+|aged\s+)?(\d{1,3})(?:\s*(?:years?|yrs?|y/?o)(?:\s*old)?)?$")
_RADIUS = re.compile(
    r"\b(?:(?:within|under|less\s+than|up\s+to|inside|in)\s+)?(\d{1,4}(?:\.\d+)?)\s*"
    r"(km|kms|kilomet(?:er|re)s?|mi|miles?)\b",
    re.IGNORECASE,
)
# Conversation around the facts ("she speaks Hmong", "we're in Visalia"): not
# words to look for in provider text, so not kept as terms.
_CHATTER = frozenset(
    [
        "we're",
        "she's",
        "he's",
        "they're",
        "i'm",
        "it's",
        "that's",
        "there's",
        "we",
        "she",
        "he",
        "they",
        "it",
        "speaks",
        "speak",
        "speaking",
        "spoken",
        "lives",
        "live",
        "living",
        "stays",
        "staying",
        "currently",
        "from",
        "just",
        "is",
        "in",
        "at",
        "on",
        "says",
        "said",
        "told",
        "thinks",
        "think",
        "maybe",
        "probably",
        "too",
        "um",
        "uh",
        "ok",
        "okay",
        "yes",
        "yeah",
        "well",
        "also",
        "only",
        "so",
        "but",
        "actually",
        "about",
        "around",
        "approximately",
        "roughly",
        "like",
        "sure",
        "know",
        "guess",
        "calling",
        "name",
        "doesn't",
        "don't",
        "can't",
        "isn't",
        "she'd",
        "she'll",
        "he'd",
        "we'd",
        "i'd",
        "i've",
        "we've",
        "they've",
        "would",
        "could",
    ]
)
# Where a person is from is not where they are: "she's from Guatemala".
_ORIGIN = re.compile(
    r"\b(?:'s|is|are|'re|was|were|comes?|came|originally)\s+from\s+([^\W\d_][\w'-]*(?:\s+[^\W\d_][\w'-]*)?)",
    re.IGNORECASE,
)
# A person's name is not a fact the search uses, and is not kept: "her name is Maria".
_NAME = re.compile(
    r"\b(?:(?:her|his|their|my|the)\s+)?(?:name\s+is|name's|named|called|goes\s+by)\s+"
    r"[^\W\d_][\w'-]*",
    re.IGNORECASE,
)
# A negation inside a line: what follows it is taken back ("she doesn't speak English").
_INNER_NOT = re.compile(
    r"\b(?:doesn't|does\s+not|don't|do\s+not|didn't|did\s+not|can't|cannot|can\s+not|isn't|"
    r"is\s+not|aren't|are\s+not|won't|will\s+not|never|not)\b",
    re.IGNORECASE,
)
_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORD = re.compile(
    rf"\b(?:({'|'.join(_TENS)})(?:[\s-]({'|'.join(_UNITS[1:10])}))?|({'|'.join(_UNITS)}))\b",
    re.IGNORECASE,
)
KM_PER_MILE = 1.609344
PlaceTest = Callable[[str], bool]  # whether words name a place
MAX_RADIUS_KM = 1000.0


@dataclass(frozen=True)
class Facts:
    """What is known about the caller's need, slot by slot. Empty: nothing yet."""

    services: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()  # words kept to look for in provider text
    populations: tuple[str, ...] = ()
    trafficking: tuple[str, ...] = ()
    age: int | None = None
    gender: str | None = None
    languages: tuple[str, ...] = ()
    place: str | None = None
    radius_km: float | None = None

    @property
    def is_empty(self) -> bool:
        return self == Facts()

    def query(self) -> Query:
        """The query ``find`` would build from these facts given as flags."""
        return Query(
            services=list(self.services),
            areas=list(self.areas),
            age=self.age,
            populations=list(self.populations),
            gender=self.gender,
            trafficking=list(self.trafficking),
            languages=list(self.languages),
            place=self.place,
            terms=list(self.terms),
        )

    def without(self, slot: str) -> Facts:
        """These facts with one slot emptied."""
        emptied: dict[str, Any] = {name: _empty(name) for name in _SLOT_FIELDS[slot]}
        return replace(self, **emptied)

    def filled(self) -> list[str]:
        """The slots that hold something, in bar order."""
        return [
            s for s in SLOTS if any(getattr(self, n) not in (None, ()) for n in _SLOT_FIELDS[s])
        ]


def _empty(name: str) -> tuple[()] | None:
    default = next(f.default for f in fields(Facts) if f.name == name)
    return None if default is None else ()


@dataclass(frozen=True)
class Heard:
    """One line understood: the facts after it, and what changed, in words."""

    facts: Facts
    said: list[str] = field(default_factory=list)
    unused: tuple[str, ...] = ()  # words of the line that were not understood


def slot_text(facts: Facts, slot: str, tax: Taxonomy) -> str:
    """A slot's value in plain words ("temporary shelter, 'scared'"), or ''."""
    if slot == "need":
        parts = [
            tax.service_types[s].label if s in tax.service_types else s for s in facts.services
        ]
        framework = tax.framework(None)
        parts += [framework.area(a).label for a in facts.areas]
        parts += [f"'{t}'" for t in facts.terms]
        return ", ".join(parts)
    if slot == "for":
        parts = [tax.populations[p].label if p in tax.populations else p for p in facts.populations]
        parts += [f"{t} trafficking" for t in facts.trafficking]
        return ", ".join(parts)
    if slot == "age":
        return "" if facts.age is None else str(facts.age)
    if slot == "gender":
        return facts.gender or ""
    if slot == "language":
        return ", ".join(tax.language_name(c) for c in facts.languages)
    if slot == "place":
        return facts.place or ""
    if slot == "radius":
        return "" if facts.radius_km is None else f"{facts.radius_km:g} km"
    raise ValueError(f"unknown slot {slot!r}")


def slot_named(word: str) -> str | None:
    """The slot a word names ("language", "the place", "km"), if any."""
    word = word.strip().lower()
    for slot, words in _SLOT_WORDS.items():
        if word == slot or word in words:
            return slot
    return None


def hear(
    facts: Facts,
    line: str,
    tax: Taxonomy,
    is_place: PlaceTest | None = None,
    prefer: Sequence[str] = (),
) -> Heard:
    """The facts after one line the volunteer typed; never raises on any input.

    ``is_place`` says whether words are a place name (``CallSession`` asks the
    gazetteer), so that "Visalia" alone, or "not Fresno, Visalia", sets the place.
    """
    problem = length_problem(line)
    if problem is not None:
        return Heard(facts, [f"{problem}; the facts are as they were"])
    text = _with_digits(" ".join(line.replace("’", "'").split()))
    refused = _NO_WORD.match(text)
    if refused and not _BARE_AGE.match(refused.group(1).strip().lower()):
        # "no shelter", "no language": take it back ("no, she's 16", "no 16" correct);
        # what follows a comma is heard on its own ("no place, she can travel").
        taken = _subtract(facts, refused.group(1).strip(), tax, is_place, prefer)
        rest = refused.group(2).strip(" ,;:.!?")
        if not rest:
            return taken
        more = hear(taken.facts, rest, tax, is_place, prefer)
        return Heard(more.facts, [*taken.said, *more.said], more.unused)
    while True:
        opened = _OPENER.sub("", text, count=1)
        if opened == text or not opened:
            break
        text = opened
    lowered = text.lower().rstrip(".!?")
    if not lowered:
        return Heard(facts)
    if _EVERYTHING.match(lowered):
        return Heard(Facts(), ["forgot every fact"] if not facts.is_empty else [])
    command = _SLOT_COMMAND.match(lowered)
    if command:
        slot = slot_named(command.group(1).removeprefix("the "))
        if slot is not None:
            return forget_slot(facts, slot)
    negated = _NOT.match(text.rstrip(".!?"))
    if negated:
        return _not(facts, negated, tax, is_place, prefer)
    if lowered.split()[0] in ("drop", "remove", "forget", "without"):
        rest = text.split(None, 1)[1] if " " in text else ""
        return _subtract(facts, rest, tax, is_place, prefer)
    inner = _INNER_NOT.search(text)
    if inner:  # "she doesn't speak English", "she is not 15, she's 16"
        before, after = text[: inner.start()], text[inner.end() :].strip()
        first = (
            _add(facts, before, tax, is_place, prefer) if _understand(before, tax, None) else None
        )
        then = _NOT.match(f"not {after}") if after else None
        second = (
            _not(first.facts if first else facts, then, tax, is_place, prefer) if then else None
        )
        said = [*(first.said if first else []), *(second.said if second else [])]
        return Heard((second or first or Heard(facts)).facts, said)
    return _add(facts, text, tax, is_place, prefer)


def _with_digits(text: str) -> str:
    """ "sixteen" -> "16", "twenty-five" -> "25" (ages and distances are said in words)."""

    def number(m: re.Match[str]) -> str:
        if m.group(3):
            return str(_UNITS.index(m.group(3).lower()))
        tens = (_TENS.index(m.group(1).lower()) + 2) * 10
        return str(tens + (_UNITS.index(m.group(2).lower()) if m.group(2) else 0))

    return _NUMBER_WORD.sub(number, text)


def change_said(slot: str, before: str, after: str) -> str:
    """A slot's change in words: "age 15 → 16" for a single value replaced,
    "need: Temporary shelter, Counselling" for a value set or grown."""
    if before and slot in ("age", "gender", "language", "place", "radius"):
        return f"{slot} {before} → {after}"
    return f"{slot}: {after}"


def forget_slot(facts: Facts, slot: str) -> Heard:
    """These facts without one slot, and what that changed, in words."""
    if slot not in facts.filled():
        return Heard(facts, [f"no {slot} was set"])
    return Heard(facts.without(slot), [f"removed {slot}"])


def _not(
    facts: Facts,
    m: re.Match[str],
    tax: Taxonomy,
    is_place: PlaceTest | None,
    prefer: Sequence[str] = (),
) -> Heard:
    """ "not Fresno, Visalia", "not 15, 16", "not hmong": take back, then add."""
    wrong, right = m.group(1).strip(), m.group(2).strip()
    if _names_place(wrong, facts.place) or (
        right and is_place is not None and is_place(wrong) and is_place(right)
    ):
        if right:
            return _set_place(facts, right, change_said("place", facts.place or "", right))
        return forget_slot(facts, "place")
    taken = _subtract(facts, wrong, tax, is_place, prefer)
    if not right:
        return taken
    added = _add(taken.facts, right, tax, is_place, prefer)
    return Heard(added.facts, [*taken.said, *added.said])


def _names_place(words: str, place: str | None) -> bool:
    """Whether words name the place known: as typed, or the town of the gazetteer's
    label kept for a misspelt one ("Fresno" for "Fresno, CA, US")."""
    if place is None:
        return False
    said = words.strip().lower()
    return said in (place.lower(), place.split(",")[0].strip().lower())


def _set_place(facts: Facts, place: str, said: str) -> Heard:
    return Heard(replace(facts, place=place), [said])


def _subtract(
    facts: Facts, text: str, tax: Taxonomy, is_place: PlaceTest | None, prefer: Sequence[str] = ()
) -> Heard:
    """Take back what ``text`` means ("drop hmong", "not minors", "not 15")."""
    slot = slot_named(text)
    if slot is not None:
        return forget_slot(facts, slot)
    if _names_place(text, facts.place):
        return forget_slot(facts, "place")
    heard = _understand(text, tax, is_place, prefer)
    if heard is None:
        return Heard(facts, [f"'{text}' is not among the facts; nothing removed"])
    q, radius = heard
    gone: list[str] = []

    def keep(name: str, values: list[str]) -> tuple[str, ...]:
        current: tuple[str, ...] = getattr(facts, name)
        left = tuple(v for v in current if v not in values)
        if left != current:
            gone.append(name)
        return left

    changes: dict[str, Any] = {
        name: keep(name, getattr(q, name))
        for name in ("services", "areas", "terms", "populations", "trafficking", "languages")
    }
    if q.age is not None and q.age == facts.age:
        changes["age"] = None
        gone.append("age")
    if q.gender and q.gender == facts.gender:
        changes["gender"] = None
        gone.append("gender")
    if q.place and _names_place(q.place, facts.place):
        changes["place"] = None
        gone.append("place")
    if radius is not None and radius == facts.radius_km:
        changes["radius_km"] = None
        gone.append("radius")
    if not gone:
        return Heard(facts, [f"'{text}' is not among the facts; nothing removed"])
    return Heard(replace(facts, **changes), [f"removed '{text}'"])


def _understand(
    text: str, tax: Taxonomy, is_place: PlaceTest | None, prefer: Sequence[str] = ()
) -> tuple[Query, float | None] | None:
    """A line as a query and a radius; ``None`` when it holds nothing."""
    radius: float | None = None
    m = _RADIUS.search(text)
    if m:
        value = float(m.group(1))
        radius = value * KM_PER_MILE if m.group(2).lower().startswith("mi") else value
        text = (text[: m.start()] + " " + text[m.end() :]).strip()
    bare = _BARE_AGE.match(text.lower())
    if bare:
        text = "age " + bare.group(1)
    text = _PRONOUN_AGE.sub(_age_of, text)
    named = _NAME.search(text)
    if named:
        text = (text[: named.start()] + " " + text[named.end() :]).strip()
    origin = _ORIGIN.search(text)
    if origin:  # never the place to search from
        text = (text[: origin.start()] + " " + text[origin.end() :]).strip()
    q = parse(text, tax, prefer) if text else Query()
    if named:
        q.corrections.append("a name is not needed to search, and is not kept")
    if origin:
        q.corrections.append(
            f"'from {origin.group(1)}' is where the person is from, not where they are:"
            " not used as the place"
        )
    q.terms = [t for t in q.terms if t not in _CHATTER]
    for term in q.terms:  # "female", "male": the gender a flag would give
        gender = _gender(term, tax)
        if gender and not q.gender:
            q = replace(q, gender=gender, terms=[t for t in q.terms if t != term])
    if q.place is None and q.terms and is_place is not None:
        words = " ".join(q.terms)
        candidate = _place_words(text, q.terms)
        if candidate and is_place(candidate):
            q = replace(q, place=candidate, terms=[])
        elif is_place(words):
            q = replace(q, place=words, terms=[])
    if q.is_empty and q.place is None and radius is None and not (origin or named):
        return None
    return q, radius


def _age_of(m: re.Match[str]) -> str:
    """ "she's 15" -> "she age 15": the age, and the subject when it says a gender,
    as ``find`` reads "she's 15" (age 15, female)."""
    who = m.group(1).lower()
    gendered = who in ("she", "he") or who.endswith(("girl", "boy"))
    return f" {who if gendered else ''} age {m.group(2)} "


def _gender(word: str, tax: Taxonomy) -> str | None:
    """The gender key a word names as ``--gender`` reads it, if it does."""
    if len(word) < 3:
        return None  # "f", "m": too short to be sure of in running speech
    try:
        return resolve_word("gender", word, tax)
    except ReferralError:
        return None


def _place_words(text: str, terms: list[str]) -> str:
    """The run of the original words that the leftover terms came from ("Los Angeles")."""
    wanted = set(terms)
    words = [w.strip(",.;:!?") for w in text.split()]
    picked = [w for w in words if w.lower() in wanted]
    return " ".join(picked)


def _add(
    facts: Facts, text: str, tax: Taxonomy, is_place: PlaceTest | None, prefer: Sequence[str] = ()
) -> Heard:
    heard = _understand(text, tax, is_place, prefer)
    if heard is None:
        return Heard(facts, [f"nothing understood in '{text}'"])
    q, radius = heard
    said: list[str] = []
    unused = tuple(q.terms)
    if q.terms and not (q.services or q.areas):
        # Words beside no need ("her name is Maria", "she's pregnant") would become a
        # filter on provider text: said, not kept.
        said.append("not understood, not kept: " + ", ".join(f"'{t}'" for t in q.terms))
        q = replace(q, terms=[])

    def union(name: str) -> tuple[str, ...]:
        current: tuple[str, ...] = getattr(facts, name)
        new = [v for v in getattr(q, name) if v not in current]
        return current + tuple(new)

    changes: dict[str, Any] = {
        name: union(name) for name in ("services", "areas", "terms", "populations", "trafficking")
    }
    if q.languages:  # the languages last said: a provider must speak every one listed
        changes["languages"] = tuple(q.languages)
    if q.age is not None:
        changes["age"] = q.age
    if q.gender:
        changes["gender"] = q.gender
    if q.place:
        changes["place"] = q.place
    if radius is not None:
        kept = round(radius, 1)  # the radius searched: "0.01 miles" would be 0 km
        low = RANGES["radius_km"][0]
        if low <= kept <= MAX_RADIUS_KM:
            changes["radius_km"] = kept
        else:
            said.append(f"a radius must be from {low:g} to {MAX_RADIUS_KM:g} km; not changed")
    after = replace(facts, **changes)
    for slot in SLOTS:
        before_text, after_text = slot_text(facts, slot, tax), slot_text(after, slot, tax)
        if before_text == after_text:
            continue
        said.append(change_said(slot, before_text, after_text))
    if q.terms:
        said.append("kept as words to look for: " + ", ".join(f"'{t}'" for t in q.terms))
    said += q.corrections
    # What the parser read but did not use, and why (a parser that says so keeps it
    # in ``Query.notes``): said too, never dropped.
    parser_notes: list[str] = getattr(q, "notes", [])
    said += parser_notes
    return Heard(after, said, unused)
