"""Who the person is, as volunteers and callers say it: age, gender, household.

Eligibility filters on these facts, so each is read the ways people say it:
"she's 15", "girl, 15", "a fifteen year old", "13-year-old", "15yo", "age: 15",
"de 15 años", "40 F", "kicked out at 18" are ages, while "2 kids" or "3 people" are
counts and never ages; of two ages of the person, a correction ("but she's really
16") makes the later one the age, and two without one bind neither.
Gender comes from the person's words and pronouns ("she", "my daughter", "trans
man"), not from someone else's ("her boyfriend"). "A woman with 2 kids" is an
adult with accompanying children: a family. The word lists are the taxonomy's
(``genders`` and ``people`` in ``taxonomy.yaml``), so they grow without code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from referral_cli.taxonomy import Taxonomy

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)} | {
    w: 20 + 10 * i for i, w in enumerate(_TENS)
}
# Spanish numbers, read only before "años" (like "one"): "once" is also English.
SPANISH_NUMBERS = {
    "uno": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14,
    "quince": 15, "dieciséis": 16, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18,
    "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintidós": 22, "veintidos": 22,
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60,
}  # fmt: skip
_AGE_UNIT = r"(?:years?|yrs?|yr|y/o|y\.o\.?|yo|años|anos|año|ano)"
# "15 years" alone may be how long ("there 3 years"): an age only with "old", or written
# the short ways ("15yo", "15 y/o"), or in Spanish unless "hace" (ago) or "por" (for)
_SHORT_UNIT = r"(?:y/o|y\.o\.?|yo|yrs?|yr)"
_DURATION_BEFORE = {  # words before "N yrs" / "N años" that make it how long
    "en": frozenset(["for", "been", "there", "ago", "past", "last", "over", "after", "since",
                     "during"]),
    "es": frozenset(["hace", "por", "durante", "desde", "tras", "después"]),
}  # fmt: skip
# Patterns a query needs only in some sentences are kept as text: ``re`` compiles
# one on first use and keeps it (compiling them all at start-up cost every run).
_SURELY_AGE = r"(?i)old|y/o|y\.o|yo\b"
_NOT_AN_AGE_AFTER = (
    r"(?!\s*(?:%|\$|km|kms|mi\b|miles?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?"
    r"|dollars?|am\b|pm\b|:\d|\.\d|,\d{3}|th\b|st\b|nd\b|rd\b"
    r"|°|degrees?\b|grados\b|percent\b|lbs?\b|pounds?\b|kilos?\b|kg\b))"
)
MAX_AGE = 120
# before "3F": an apartment, a room or a floor, not an age
_NOT_A_UNIT = "".join(f"(?<!{w} )" for w in ("apt", "apt.", "unit", "suite", "room", "rm", "floor"))
_WITH_UNIT = 3  # the age pattern "15 years old": "15 years" alone may be how long
_EVENT = 2  # the age pattern "kicked out at 18": the age at an event of the person's
_SAID = 5  # the age pattern "she is 15": said of the person
_PAST = r"(?i)(?:was|were)\b"
# Between two ages of the person, words that correct the first: the later one is the age
_CORRECTION = (
    r"(?i)\b(?:really|actually|in fact|in reality|in truth|truly|turns out|realmente|en realidad"
    r"|de verdad|de hecho|en verdad)\b|\bno\s*,|\b(?:but|pero)\s+(?:(?:she|he|they|ella|él)\s*)?"
    r"(?:'s|'re|is|are|was|tiene|ten[ií]a)(?!\w)"
)
_VERB = r"(?i)^(?:is|am|are|was|were|turned|turning|tiene|tengo|'s|'m)\s+"
_ONE_PERSON = (
    "girl|boy|female|male|woman|man|teen|teenager|kid|child|guy|lady|chica|chico|niña|niño"
)


@dataclass
class Numbers:
    """What the numbers of a text said, and the text without them."""

    text: str
    ages: list[int] = field(default_factory=list)
    age_words: dict[int, str] = field(default_factory=dict)  # each age, as written
    counts: list[int] = field(default_factory=list)
    sexes: dict[str, list[str]] = field(default_factory=dict)  # "female": ["16F"] (shorthand)
    unused: list[str] = field(default_factory=list)  # numbers read as nothing ("20 miles")
    others_ages: list[tuple[str, str]] = field(default_factory=list)  # ("17", "boyfriend")
    set_aside: list[tuple[int, str]] = field(default_factory=list)  # an age not used, and why
    unbound: list[int] = field(default_factory=list)  # "she's 18, she's 16": neither is sure


@functools.cache
def _patterns(tax: Taxonomy) -> tuple[re.Pattern[str], ...]:
    counted = "|".join(re.escape(w) for w in sorted(tax.people.get("counted", ()), key=len)[::-1])
    counted = counted or "people"
    person = "|".join(
        re.escape(w)
        for w in sorted(
            {
                *tax.people.get("children", ()),
                *tax.people.get("parents", ()),
                *(w for g in tax.genders.values() for w in g.synonyms if len(w) > 1),
                *(
                    w
                    for p in tax.populations.values()
                    if not p.population  # "family of 4" is a count
                    for w in (p.key, *p.synonyms)
                ),
                "caller", "client", "victim", "survivor", "person",
            },
            key=len,
        )[::-1]
        if " " not in w and "/" not in w and w not in tax.people.get("others", ())
    )  # fmt: skip
    no_count = rf"(?!\s*(?:{counted})\b)"
    events = "|".join(re.escape(w) for w in sorted(tax.people.get("age_events", ()), key=len)[::-1])
    return (
        # "2 kids", "3 people", "family of 4": counts, found first so no other reading takes them
        re.compile(
            rf"(?<![\w.])(\d{{1,2}})\s+(?=(?:{counted})\b)|(?<=\bfamily of )(\d{{1,2}})"
            r"|(?<=\bfamilia de )(\d{1,2})",
            re.IGNORECASE,
        ),
        # "16F", "40 F", "M, 17", "17M" (case-note shorthand): the age and the sex letter;
        # never "apt 3F", "$1M", nor an "F1" or "M-1" visa (a letter first needs a space)
        re.compile(
            rf"{_NOT_A_UNIT}(?<![\w.'$#-])(?P<age>\d{{1,2}})\s*,?\s*(?P<sex>[fm])(?![\w'-])"
            r"(?!\s*,?\s*\d)"  # "M 17, F 16": the F is the next one's
            r"(?!\s+(?:away|far|lejos)\b)",  # "5 m away": metres
            re.IGNORECASE,
        ),
        re.compile(
            rf"{_NOT_A_UNIT}(?<![\w.'$#-])(?P<sex>[fm])(?:\s*,\s*|\s+)(?P<age>\d{{1,2}})"
            r"(?![\w.,:-]\d|\w)" + _NOT_AN_AGE_AFTER,
            re.IGNORECASE,
        ),
        # "kicked out at 18", "ran away at 15", "a los 16": the person's age at an event
        re.compile(
            rf"\b(?:(?:{events or '(?!)'})\s+at|a\s+los|desde\s+los)\s+(\d{{1,2}})\b"
            + _NOT_AN_AGE_AFTER
            + r"(?!\s*(?:minutos|horas|d[ií]as|semanas|meses|km|millas|de la)\b)",
            re.IGNORECASE,
        ),
        # "15 year old", "13-year-old", "15yo", "15 y/o", "15 y.o.", "15yrs", "15 años"
        re.compile(
            rf"(?<![\w.])(\d{{1,3}})\s*-?\s*(?:{_AGE_UNIT}\s*-?\s*old|{_SHORT_UNIT}|años|anos|año)"
            r"(?!\w)(?!\s+ago\b)",
            re.IGNORECASE,
        ),
        # "age 15", "age: 15", "aged 15", "edad 15"
        re.compile(r"\b(?:age|aged|edad)\s*(?:is|of|[:=-])?\s*(\d{1,3})(?![\w.,]\d)", re.I),
        # "she is 15", "she's 15", "he was 17", "turned 16", "tiene 15"
        re.compile(
            r"(?:\b(?<!\bit )(?<!\bthat )(?<!\bthere )(?:is|am|are|was|turned|turning|hes|shes"
            r"|tiene|tengo|cumplió|cumplio|really|actually)|(?<!\bit)(?<!\bthat)(?<!\bthere)'s"
            r"|'m)\s+"
            r"(?:(?:only|just|about|around|almost|nearly|like|maybe|probably|barely|really"
            r"|actually)\s+)?"
            rf"(\d{{1,3}})\b{_NOT_AN_AGE_AFTER}" + no_count,
            re.IGNORECASE,
        ),
        # "girl 15", "boy, 15", "female (16)", "chica de 16"
        re.compile(
            rf"\b(?:{person})\s*(?:[,:(]|\s+(?:de|of|aged))?\s*(\d{{1,2}})\b{_NOT_AN_AGE_AFTER}"
            + no_count,
            re.IGNORECASE,
        ),
        # "16 girl", "15 female": a number before one person is an age, not a count
        re.compile(rf"(?<![\w.])([2-9]|\d\d)(?=\s+(?:{_ONE_PERSON})\b)", re.IGNORECASE),
        # "safe house, 15, girl", "just a bed. 25, Bakersfield": a number alone in a
        # comma list or as a sentence of its own (never a decimal: "2.5,")
        re.compile(
            r"(?:^|,|[.;]\s)\s*(\d{1,2})\s*(?:years?|yrs?)?\s*(?=[,;]|\.(?!\d)|$)",
            re.IGNORECASE,
        ),
    )


_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(_TENS) + r")(?:[\s-](" + "|".join(_UNITS[1:10]) + r"))?\b"
    r"|\b(" + "|".join(sorted(_UNITS, key=len)[::-1]) + r")\b",
    re.IGNORECASE,
)
_SPANISH_NUMBER = re.compile(
    r"\b(" + "|".join(sorted(SPANISH_NUMBERS, key=len)[::-1]) + r")(?=\s+(?:años|anos)\b)",
    re.IGNORECASE,
)
_BEFORE_UNIT = rf"(?i)\s*-?\s*{_AGE_UNIT}\b"
_DIGITS = r"(?<![\w.,/:-])\d+(?![\w.,/:-]*\d)(?![^\W\d_])"  # not "5pm"
# A run of more digits than this is a word (a reference number, or noise), never
# read as a number (Python refuses to read very long ones); it is said unused.
MAX_NUMBER_DIGITS = 16
_BEFORE_WINDOW = 200  # characters searched for the two words before an age
# "an 18-month-old": an age in years; "in her forties", "in his 40s": the decade's first
_MONTHS_OLD = re.compile(r"(?<![\w.])(\d{1,2})\s*-?\s*months?\s*-?\s*old\b", re.IGNORECASE)
_DECADE = re.compile(
    r"\bin\s+(?:her|his|their|my|your)\s+(?:early\s+|mid\s+|late\s+)?"
    r"(?:(" + "|".join(t[:-1] for t in _TENS) + r")ies|([2-9]0)'?s)\b",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(\d)\s*[-–]\s*(?=\d)")
_UNIT_AFTER = (
    r"(?i)\s*(miles?|mi|km|kms|minutes?|mins?|hours?|hrs?|nights?|days?|weeks?|months?|years?"
    r"|dollars?|noches|días|dias|semanas|meses|años|horas)\b"
)


def spell_out_numbers(text: str) -> str:
    """Number words as digits: "fifteen" -> "15", "twenty-one" -> "21", "quince años".

    "one" and Spanish numbers only before an age unit ("one year old"), as they are
    ordinary words elsewhere ("the one", "once").
    """

    def english(m: re.Match[str]) -> str:
        if m.group(3):
            word = m.group(3).lower()
            if word in ("one", "zero") and not re.compile(_BEFORE_UNIT).match(text, m.end()):
                return m.group(0)
            return str(NUMBER_WORDS[word])
        value = NUMBER_WORDS[m.group(1).lower()]
        return str(value + (NUMBER_WORDS[m.group(2).lower()] if m.group(2) else 0))

    text = _NUMBER_WORD.sub(english, text)
    return _SPANISH_NUMBER.sub(lambda m: str(SPANISH_NUMBERS[m.group(1).lower()]), text)


def read_numbers(text: str, tax: Taxonomy) -> Numbers:
    """Ages and counts in ``text`` (number words included), in the order written."""
    text = _RANGE.sub(r"\1 - ", spell_out_numbers(text))  # "15-16": two numbers, not "-16"
    text = _MONTHS_OLD.sub(lambda m: f"{int(m.group(1)) // 12} year old", text)
    text = _DECADE.sub(
        lambda m: f"aged {NUMBER_WORDS[m.group(1).lower() + 'y'] if m.group(1) else m.group(2)}",
        text,
    )
    if not any(c.isdigit() for c in text):  # every reading below starts at a digit
        return Numbers(text)
    count_re, *age_res = _patterns(tax)
    found: list[tuple[int, int, int, str]] = []  # start, end, value, kind
    covered = bytearray(len(text))  # 1 where a reading took the character

    def free(start: int, end: int) -> bool:
        return not any(covered[start:end])

    def take(start: int, end: int) -> None:
        covered[start:end] = b"\x01" * (end - start)

    out = Numbers(text)
    for m in count_re.finditer(text):
        found.append((m.start(), m.end(), int(m.group(0)), "count"))
        take(m.start(), m.end())
    others = tax.people.get("others", frozenset())
    third_person = tax.people.get("third_person", frozenset())
    pronouns = tax.people.get("pronouns", frozenset())
    for pattern in age_res:
        age = "age" if "age" in pattern.groupindex else 1
        for m in pattern.finditer(text):
            number = (m.start(age), m.end(age))
            if not free(*number):
                continue
            # the two words before (a window, so that many numbers stay linear)
            window = text[max(0, m.start() - _BEFORE_WINDOW) : m.start()]
            before = [w.strip(",.;:!?'()").lower() for w in window.split()[-2:]]
            spanish = "a" in m.group(0)[len(m.group(age)) :].lower()  # "años", not "yrs"
            if (
                pattern is age_res[_WITH_UNIT]
                and before
                and before[-1] in _DURATION_BEFORE["es" if spanish else "en"]
                and not re.search(_SURELY_AGE, m.group(0))
            ):
                continue  # "been there 3 years", "hace 2 años": how long, not how old
            if (
                len(before) == 2
                and (before[0] in third_person or before[0].endswith("'s"))
                and before[1] in others
            ):
                # "her boyfriend is 17": someone else's age
                out.others_ages.append((m.group(age), before[1]))
                found.append((*number, 0, "other"))
                take(*number)
                continue
            span = (m.start(age), m.end()) if age == 1 else (m.start(), m.end())
            # the words before the number ("she is", "girl") stay to be read
            # "she's 16", "tiene 16": said of the person; "her brother is 17" is an age only
            subject = not before or before[-1] in pronouns or not is_person_word(before[-1], tax)
            kind = "said" if pattern is age_res[_SAID] and subject else "age"
            if pattern is age_res[_EVENT] or (kind == "said" and re.match(_PAST, m.group(0))):
                kind = "past"  # "kicked out at 18", "since she was 15": the age then
            found.append((*span, int(m.group(age)), kind))
            said = re.sub(_VERB, "", " ".join(m.group(0).split())).strip(",:( ")
            out.age_words.setdefault(int(m.group(age)), said)
            take(*span)
            if "sex" in pattern.groupindex:  # "16F", "F 40"
                sex = "female" if m.group("sex").lower() == "f" else "male"
                out.sexes.setdefault(sex, []).append(" ".join(m.group(0).split()))
    found.sort()
    prior: tuple[int, int, str] | None = None  # the last age read: end, value, kind
    for start, end, value, kind in found:
        if kind == "count":
            out.counts.append(value)
        elif kind == "other":
            continue
        elif value > MAX_AGE:
            out.unused.append(str(value))
        elif prior is not None and value != prior[1]:  # a second age
            _restated(out, text[prior[0] : start], (prior[1], prior[2]), (value, kind))
            prior = (end, value, kind)
        elif value not in out.ages:
            out.ages.append(value)
            prior = (end, value, kind)
    pieces, last = [], 0
    for start, end, _, _ in found:
        pieces.append(text[last:start])
        last = max(last, end)
    pieces.append(text[last:])
    out.text = " ".join(pieces)
    for m in re.finditer(_DIGITS, out.text):
        unit = re.compile(_UNIT_AFTER).match(out.text, m.end())
        out.unused.append(m.group(0) + (" " + unit.group(1) if unit else ""))
    return out


def _restated(out: Numbers, between: str, earlier: tuple[int, str], later: tuple[int, str]) -> None:
    """A second age (value, kind) after another: a correction between them ("she says
    she's 18 but she's really 16") or an age then before one now ("ran away at 15,
    she's 22") makes the later one the person's; the person's age said twice without a
    correction binds neither; an age in the past after one now is set aside; any other
    is another age."""
    cue = re.search(_CORRECTION, between)
    now = earlier[1] == "past" and later[1] != "past"
    if cue or now:
        out.ages = [later[0] if a == earlier[0] else a for a in out.ages]
        why = (
            f"'{' '.join(cue.group(0).split())}' corrects it to {later[0]}"
            if cue
            else f"it is an age in the past; {later[0]} is said after it"
        )
        out.set_aside.append((earlier[0], why))
    elif later[1] == "past" and earlier[1] != "past":  # "she's 22, ran away at 15"
        out.set_aside.append((later[0], "it is an age in the past"))
    elif earlier[1] == later[1] == "said" and earlier[0] in out.ages:
        out.ages.remove(earlier[0])
        out.unbound += [earlier[0], later[0]]
    elif later[0] not in out.ages:
        out.ages.append(later[0])


@dataclass(frozen=True)
class Mention:
    """A word of the text that says who someone is: where it is and what it means."""

    index: int  # token position
    words: str
    population: str | None = None  # taxonomy population key


@dataclass
class People:
    """The gender and household read from a text's words, and what to say about them."""

    gender: str | None = None
    gender_words: str = ""  # the words the gender came from
    disagree: bool = False  # gender words of more than one gender, about the person
    # the gender came only from a word for someone else said first ("abusive boyfriend"):
    # any other word of the person's gender ("30 F") outweighs it
    others_only: bool = False
    family: bool = False
    drop_populations: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


@functools.cache
def household_words(tax: Taxonomy) -> frozenset[str]:
    """Words for a parent or a child ("mom", "kids"): who may make a household."""
    return tax.people.get("parents", frozenset()) | tax.people.get("children", frozenset())


def is_person_word(word: str, tax: Taxonomy) -> bool:
    """A word that says who someone is ("sister", "husband", "ella"): read for gender and
    household, never a search word of its own."""
    return word in _gender_words(tax) or word in household_words(tax) or word in _others(tax)


@functools.cache
def _others(tax: Taxonomy) -> frozenset[str]:
    return tax.people.get("others", frozenset())


@functools.cache
def _gender_words(tax: Taxonomy) -> dict[str, str]:
    return {w.lower(): key for key, g in tax.genders.items() for w in g.synonyms if len(w) > 1}


def read_people(
    tokens: list[str],
    mentions: list[Mention],
    tax: Taxonomy,
    family: bool = False,
    inside: set[int] | None = None,
) -> People:
    """Gender and household from the tokens of a text and its population words.

    A parent word and a child word joined by "with"/"and" ("woman with 2 kids",
    "mother and her children") is a family; a parent word without that link
    ("mom calling about her son") is the caller, and the child is the person; with
    ``family`` (the text said "family") they are a family however far apart. A
    word for someone else ("her boyfriend", "her mom's boyfriend") and a pronoun of
    that someone's gender after it say nothing of the person's gender, nor do the
    words of a need or trafficking phrase (``inside``: "sleep with men for money").
    """
    words = tax.people
    parents, children = words.get("parents", frozenset()), words.get("children", frozenset())
    links, possessives = words.get("links", frozenset()), words.get("possessives", frozenset())
    others = words.get("others", frozenset())
    out = People()
    theirs = words.get("children_when_theirs", frozenset())
    child_at = {
        m.index
        for m in mentions
        if m.words in children
        or (m.words in theirs and possessives.intersection(tokens[max(0, m.index - 2) : m.index]))
    }  # "kids"; "his 2 boys", not "shelter for boys"
    child = next((m for m in mentions if m.index in child_at), None)
    callers_own = words.get("callers_own", frozenset())
    pronouns = words.get("pronouns", frozenset())
    parent = next(
        (
            m
            for m in mentions
            if m.words in parents
            # "my daughter, she was exploited": the pronoun is the caller's child
            and not (
                m.words in pronouns
                and child is not None
                and child.index
                and m.index > child.index
                and tokens[child.index - 1] in callers_own
            )
        ),
        None,
    )
    ignored: set[int] = set(inside or ())  # token positions whose gender is someone else's
    parents_own: int | None = None  # "with her kids": the parent's own possessive
    whose = words.get("whose", frozenset())
    if (
        parent is not None
        and child is not None
        and child.index
        and tokens[child.index - 1] in whose
    ):
        # "a mom, 40, whose son was trafficked": the son is hers; she is the person
        ignored.add(child.index)
        if child.population:
            out.drop_populations.add(child.population)
    elif child is not None and _with_own_children(tokens, child.index, links, possessives):
        # "a place to stay for her and her 2 kids", "him and his son": a family, the
        # pronoun the parent, however the sentence began; "a survivor and her
        # daughter": the parent's possessive says the parent's gender
        _a_family(
            out, ignored, [m for m in mentions if m.words in children or _a_child_of(m, None)]
        )
        parents_own = max((k for k in range(child.index) if tokens[k] in possessives), default=None)
    elif child is not None and (parent is not None or family):
        # "farmworker family, kids 5 and 9": the family is the parents with their kids
        low, high = sorted((child.index if parent is None else parent.index, child.index))
        between = tokens[low + 1 : high]
        if (
            family  # "family w/ kids 2, 4, 7, dad 41"
            or high - low == 1
            or (high - low <= 6 and any(t in links for t in between))
            or parent is None  # said "family": the first clause
        ):
            kids = [m for m in mentions if m.index in child_at or _a_child_of(m, parent)]
            _a_family(out, ignored, kids)
        else:
            if parent.population:
                out.drop_populations.add(parent.population)
            ignored.add(parent.index)
            if child.index and tokens[child.index - 1] in possessives:
                ignored.add(child.index - 1)
            out.notes.append(
                f"'{parent.words}' read as the caller and '{child.words}' as the person;"
                " for the whole family add --for families"
            )
    for i in range(1, len(tokens)):
        if i - 1 == parents_own:
            continue
        if tokens[i - 1] in possessives and (
            tokens[i] in children or tokens[i] in others or tokens[i].endswith("'s")
        ):  # "for her son": "her" is the caller, the son the person; "her mom's boyfriend"
            ignored.add(i - 1)
    gender_words = _gender_words(tax)
    votes: dict[str, list[str]] = {}
    others_said: set[str] = set()  # genders of the others named so far ("her boyfriend")
    i = 0
    while i < len(tokens):
        n, key = _gender_at(tokens, i, gender_words)
        if not key:
            n, key = _object_pronoun(tokens, i, tax, gender_words)
        phrase = " ".join(tokens[i : i + n])
        after_possessive = i > 0 and (tokens[i - 1] in possessives or tokens[i - 1].endswith("'s"))
        if phrase in others:
            # someone else ("her boyfriend", "her mom's boyfriend"): their gender, not the person's
            if key:
                others_said.add(key)
            if after_possessive or any(votes.values()):
                i += n
                continue
        if (
            key
            and phrase not in pronouns
            and (_acts_on_another(tokens, i + n, key, tax) or _controls(tokens, i + n, tax))
        ):
            # "older guy sells her": he is someone else, and so is his group ("Men")
            others_said.add(key)
            out.drop_populations.update(
                m.population for m in mentions if m.index == i and m.population
            )
            i += n
            continue
        if key and phrase in pronouns and key in others_said:
            # "her boyfriend is 19, he sells her": "he" may be the boyfriend
            i += n
            continue
        if key and i not in ignored:
            votes.setdefault(key, []).append(phrase)
        i += n
    own = {key: said for key, said in votes.items() if not set(said) <= others}
    if len(votes) > 1 and len(own) == 1:
        votes = own  # "abusive boyfriend, she needs shelter": the boyfriend is someone else
    if len(votes) == 1:
        out.gender_words = ", ".join(dict.fromkeys(next(iter(votes.values()))))
        out.gender = next(iter(votes))
        out.others_only = not own
    elif len(votes) > 1:
        out.disagree = True
        said = "; ".join(f"{k}: {', '.join(repr(w) for w in v)}" for k, v in votes.items())
        out.notes.append(
            f"gender not set: the words disagree ({said}); add --gender if it is known"
        )
    return out


_OBJECTS = {"her": "female", "him": "male"}


def _a_family(out: People, ignored: set[int], kids: list[Mention]) -> None:
    """The person is a parent with these children: their words are no one's gender,
    their groups no limit on the person."""
    out.family = True
    for m in kids:
        ignored.add(m.index)
        if m.population:
            out.drop_populations.add(m.population)


_CHILDREN = frozenset(["boys", "girls", "minors"])  # populations a family's children name


def _a_child_of(m: Mention, parent: Mention | None) -> bool:
    """Whether a mention names one of a family's children ("woman and her 2 kids (girl
    6, boy 9)": the girl and the boy): a child's word said after the parent."""
    return m.population in _CHILDREN and (parent is None or m.index > parent.index)


def _with_own_children(
    tokens: list[str], child: int, links: frozenset[str], possessives: frozenset[str]
) -> bool:
    """Whether the child word at ``child`` follows "her and her", "him with his" (a
    count between: "her and her 2 kids"), or "with her" ("she needs a bed tonight
    with her 3 kids"): the person and their own children."""
    k = child - 1
    while k >= 0 and (
        tokens[k] in possessives
        or tokens[k].isdigit()
        or tokens[k] in _COUNTS
        or tokens[k] in _ARTICLES
    ):
        k -= 1
    # "with her kids", "with a baby": the children come along with the person
    owned = k + 1 < child and (tokens[k + 1] in possessives or tokens[k + 1] in _ARTICLES)
    if k < 0:
        return False
    before = tokens[k - 1] if k >= 1 else ""
    return (tokens[k] in links and (before in _OBJECTS or before in _SAID_OF)) or (
        owned and tokens[k] in _ALONG_WITH
    )


_ALONG_WITH = frozenset(["with", "w/", "con"])  # "with her kids": they come along
_ARTICLES = frozenset(["a", "an"])
# who a volunteer says a call is about: "caller and her daughter" is a family
_SAID_OF = frozenset(["caller", "client", "survivor", "victim"])


_COUNTS = frozenset(["two", "three", "four", "five", "six", "both", "dos", "tres", "cuatro"])


def _acts_on_another(tokens: list[str], end: int, key: str, tax: Taxonomy) -> bool:
    """Whether the words after a gender word say that someone of it acts on a person of
    another gender: a pronoun of that other gender as the object of a verb one to three
    words on ("older guy sells her", "dad took her", "the man who trafficked her", "a
    guy is posting her"; never "her" before a person word, as in "boy, his mom called",
    nor after a stop word other than a relative pronoun or an auxiliary)."""
    after = tokens[end : end + 5]
    for k in (2, 3, 4):
        if k >= len(after) + 1 or _OBJECTS.get(after[k - 1], key) == key:
            continue
        following = after[k] if k < len(after) else ""
        verbs = [v for v in after[: k - 1] if v not in _LINKING]
        return (
            bool(verbs)
            and not is_person_word(following, tax)
            and not any(is_person_word(v, tax) or v in tax.stop_words for v in verbs)
        )
    return False


def _controls(tokens: list[str], end: int, tax: Taxonomy) -> bool:
    """Whether a relative clause after a person word says they hold or force someone
    ("a man who keeps the money", "the woman who took their papers"); "a man who was
    forced to work" is the person, passive."""
    if end + 1 >= len(tokens) or tokens[end] not in ("who", "that", "que", "quien"):
        return False
    verb = tokens[end + 1]
    return verb in tax.people.get("holding", ()) or verb in tax.people.get("forcing", ())


# "the man who trafficked her", "a guy is posting her": words that may stand between a
# person and the verb by which they act on another
_LINKING = frozenset(["who", "that", "que", "quien", "is", "was", "has", "had", "been", "keeps"])


def _object_pronoun(
    tokens: list[str], i: int, tax: Taxonomy, gender_words: dict[str, str]
) -> tuple[int, str]:
    """ "la obligaban", "lo golpean": a Spanish object pronoun before a verb (see
    ``verb_endings`` in taxonomy.yaml), the gender of whom it stands for."""
    words = tax.people
    key = (
        "female"
        if tokens[i] in words.get("her_before_verb", ())
        else "male"
        if tokens[i] in words.get("him_before_verb", ())
        else ""
    )
    verb = tokens[i + 1] if key and i + 1 < len(tokens) else ""
    if (
        len(verb) < 5
        or not verb.endswith(tuple(words.get("verb_endings", ())))
        or verb in gender_words
        or is_person_word(verb, tax)
    ):
        return 1, ""
    return 2, key


def _gender_at(tokens: list[str], i: int, gender_words: dict[str, str]) -> tuple[int, str]:
    for n in (3, 2, 1):
        key = gender_words.get(" ".join(tokens[i : i + n]))
        if key and i + n <= len(tokens):
            return n, key
    return 1, ""


# "..., age 30", "she is 30": the person's own age, even after a word for a child
_PERSONS_AGE = frozenset(["age", "aged", "edad", "is", "was", "she's", "he's", "tiene", "am"])
# "his son who is 6", "su hijo que tiene 6": the age of the child just named
_OF_THE_CHILD = frozenset(["who", "que", "quien", "which"])
_NUMBER = r"(?<![\w.])(\d{1,2})(?!\w|\.\d)"


def children_ages(text: str, tax: Taxonomy) -> list[int]:
    """The ages written after the first word for a child ("mom with two kids, 4 and 9"):
    the children's, which describe the household, never the person's."""
    spelt = spell_out_numbers(text)
    words = "|".join(re.escape(w) for w in sorted(tax.people.get("children", ()), key=len)[::-1])
    theirs = "|".join(map(re.escape, tax.people.get("children_when_theirs", ())))
    whose = "|".join(map(re.escape, tax.people.get("possessives", ())))
    first = rf"\b(?:{words})\b" + (rf"|\b(?:{whose})\s+(?:\w+\s+)?(?:{theirs})\b" if theirs else "")
    m = re.search(first, spelt, re.IGNORECASE) if words else None
    if m is None:
        return []
    young = _young_words(tax)
    parents = frozenset(tax.people.get("parents", ())) - young
    ages = [
        int(n.group(1))
        for n in re.compile(_NUMBER).finditer(spelt, m.end())
        if (prior := [w.lower().strip(":=,") for w in spelt[: n.start()].split()[-2:]])
        # "his son who is 6", "oldest boy is 13": the child's, not the person's
        and (prior[-1] not in _PERSONS_AGE or prior[0] in _OF_THE_CHILD or prior[0] in young)
        # "with a baby ..., young mom, 17": the parent's, said after the parent's word
        and prior[-1] not in parents
    ]
    # "with her 14 yr old son": the age just before a word for a child
    ages += [int(n) for n, _ in re.findall(_age_before(words), spelt, re.IGNORECASE)]
    return sorted(a for a in set(ages) if a < 18)


@functools.cache
def _young_words(tax: Taxonomy) -> frozenset[str]:
    """Words for a child of the family ("son", "boy", "kids"): an age said of one of
    them ("her son is 14") is the child's."""
    return frozenset(tax.people.get("children", ())) | frozenset(_child_gender_words(tax))


@functools.cache
def _child_gender_words(tax: Taxonomy) -> dict[str, str]:
    """The single words for a child of one gender ("son", "daughter", "boy", "girl",
    "hijo"), each with that gender."""
    return {
        word: pop.gender
        for pop in tax.populations.values()
        if pop.gender and pop.max_age is not None and pop.max_age < 18
        for word in (pop.key, *pop.synonyms)  # "boys" is the key of the boys
        if " " not in word
    }


def _age_before(words: str) -> str:
    """A pattern of an age said just before one of ``words`` ("14 yr old son"): the
    age and the word."""
    return rf"(\d{{1,2}})\s*-?\s*{_AGE_UNIT}\s*-?\s*(?:old\s+)?({words})\b"


def children_genders(text: str, tax: Taxonomy) -> dict[int, str]:
    """The gender of each child whose age is said beside a word for a son or daughter
    ("her 14-year-old son", "a daughter, 9", "su hijo de 14 años"): what a limit on
    the boys or girls a shelter takes along is checked against. An age said of a
    son and a daughter both is left out: which one it is, nobody knows."""
    spelt = spell_out_numbers(text)
    gender_of = _child_gender_words(tax)
    if not gender_of:
        return {}
    words = "|".join(re.escape(w) for w in sorted(gender_of, key=len)[::-1])
    # "a daughter, 9", "2 boys, 9 and 14": each age of the list after the word
    word_first = (
        rf"\b({words})\b(?:,|\s+(?:who\s+is|is|aged|age|ages|de|que\s+tiene))?\s+"
        rf"((?:\d{{1,2}}\s*(?:,|and|&|y)\s*)*\d{{1,2}})(?!\d)"
    )
    said: dict[int, set[str]] = {}
    for age, word in re.findall(_age_before(words), spelt, re.IGNORECASE):
        said.setdefault(int(age), set()).add(gender_of[word.lower()])
    for word, ages in re.findall(word_first, spelt, re.IGNORECASE):
        for age in re.findall(r"\d+", ages):
            said.setdefault(int(age), set()).add(gender_of[word.lower()])
    return {age: genders.pop() for age, genders in said.items() if len(genders) == 1 and age < 18}
