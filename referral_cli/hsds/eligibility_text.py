"""Who a service is for, read from a directory's own words: eligibility text,
AIRS target populations and Open Eligibility terms.

Each dimension (ages, genders, families, trafficking type) is read on its own and
only when the words are clear. A number is an age only with its unit or context
("ages 18 and over", "youth 12-17", "must be 21"), never before degrees, hours, %,
money, counts or months. Gender words are read without pronouns or relatives
("his or her injuries", "male abusers" say nothing of who is served). When the
text sets a limit of some kind the reader cannot read ("an age requirement
applies", "applicants 62 years of age"), that dimension is *unread*, and the
importer then claims nothing at all: a record read partly must never pass for a
record read whole ("ages 18 and over" where the text said "men ages 18 and over").

Several statements combine as "or" (the widest ages, every gender named), because
an import must never exclude someone the provider serves. The word lists are the
``service_people`` section of ``taxonomy.yaml``; numbers in words are read by the
caller's reader (:func:`referral_cli.query.people.spell_out_numbers`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from referral_cli.query.people import MAX_AGE, spell_out_numbers
from referral_cli.records.model import FAMILIES
from referral_cli.taxonomy import Taxonomy


@dataclass
class Reading:
    """What one text or set of terms says of who is served.

    ``genders`` is ``None`` when nothing was said, ``()`` when any gender is said
    to be served; ``families`` is ``True`` for "families"/"with children",
    ``False`` for "no dependents" or families sent elsewhere, ``None`` when not
    said; ``only_families`` when single adults are turned away. ``unread`` names the
    dimensions the words limit without the reader understanding how.
    """

    ages: tuple[int | None, int | None] | None = None
    genders: tuple[str, ...] | None = None
    families: bool | None = None
    only_families: bool = False
    # the oldest boy, girl a parent may bring ("boys up to age 12 may stay")
    boys_max: int | None = None
    girls_max: int | None = None
    trafficking: tuple[str, ...] = ()
    # groups it focuses on, said in the record's words ("LGBTQ+ young people")
    populations: tuple[str, ...] = ()
    unread: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)  # the phrases read, for the import report
    gender_words: list[str] = field(default_factory=list)  # the words the genders came from


@dataclass(frozen=True)
class _Words:
    female: frozenset[str]
    male: frozenset[str]
    any_gender: frozenset[str]
    before: frozenset[str]
    after: frozenset[str]
    families: frozenset[str]
    mixed_people: frozenset[str]
    carers: frozenset[str]
    adult_words: frozenset[str]
    negations: frozenset[str]
    not_age_before: frozenset[str]
    children: frozenset[str]
    young: frozenset[str]
    not_served: frozenset[str]
    children_gendered: frozenset[str]
    no_dependents: frozenset[str]
    families_only: frozenset[str]
    families_elsewhere: frozenset[str]
    not_families: frozenset[str]
    everyone: frozenset[str]
    adult_of: re.Pattern[str]  # "adult homeless women": 18 and over
    groups: frozenset[str]  # words naming a group of people ("families", "disabled")
    gender_unread: frozenset[str]
    age_unread: tuple[str, ...]
    terms: dict[str, dict[str, Any]]
    # (population slug, its words): the groups a record may say it focuses on
    focus: tuple[tuple[str, frozenset[str]], ...]
    trafficking: dict[str, str]
    # "sex or labor trafficking": kinds named together before one "trafficking"
    trafficking_together: re.Pattern[str]
    trafficking_heads: dict[str, str]  # "sex" -> sex, "labour" -> labor
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    along: tuple[tuple[str, re.Pattern[str]], ...]  # (gender, a limit of the children along)
    people: re.Pattern[str]  # a person or age said: a bare number near it is an age
    left_over: re.Pattern[str]


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.cache
def _words(tax: Taxonomy) -> _Words:
    sp = tax.service_people

    def group(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in sp.get(key) or ())

    units = [str(u) for u in sp.get("not_age_units") or ()]
    word_units = _alt(u for u in units if u[0].isalpha())
    sign_units = _alt(u for u in units if not u[0].isalpha())
    # a number followed by one of these is not an age; "30 years of experience" neither
    not_unit = (
        rf"(?!\s*(?:{sign_units})|\s*-?\s*(?:{word_units})\b"
        r"|\s*(?:years?|yrs?)\s+(?:of\s+(?:experience|service|history|operation)|ago|in\b))"
    )
    yrs = r"(?:\s*-?\s*(?:years?|yrs?\.?|y/o|yo)(?:\s*-?\s*(?:old|of\s+age))?|\s*-?\s*year-?olds?)"
    num = r"(?<![\d$.,/:])(\d{1,3})(?!\d)(?![.,:/]\d)(?!st\b|nd\b|rd\b|th\b)"  # not "3rd grade"
    people = _alt(str(w).lower() for w in sp.get("age_people") or ())
    to = r"\s*(?:-|to|through|thru|until|and)\s*"
    patterns = (
        # "6 months to 5 years": under the years
        ("max", re.compile(rf"{num}\s*(?:months?|weeks?)(?:\s*old)?{to}{num}\s*(?:years?|yrs?)\b")),
        ("range", re.compile(rf"\b(?:ages?|aged)\s*(?:of\s*|from\s*|between\s*)?{num}{to}{num}"
                             rf"{yrs}?{not_unit}")),
        ("range", re.compile(rf"\bbetween\s*(?:the\s*ages?\s*of\s*)?{num}\s*(?:and|-|to)\s*{num}"
                             rf"{yrs}?{not_unit}")),
        ("range", re.compile(rf"{num}\s*(?:-|to|through|thru)\s*{num}{yrs}{not_unit}")),
        ("range", re.compile(rf"\b(?:{people})\s*[(,:]?\s*(?:ages?\s*)?{num}\s*(?:-|to|through|thru)"
                             rf"\s*{num}\b{yrs}?{not_unit}")),
        ("max", re.compile(rf"\b(?:from\s+)?(?:birth|newborns?|infancy|infants?){to}(?:age\s*)?{num}"
                           rf"{yrs}?{not_unit}")),
        # before the minimums: "must be 18 years old or younger" is a maximum
        ("max", re.compile(rf"{num}{yrs}?\s*(?:and|or|&)\s*(?:under|younger|below)\b{not_unit}")),
        ("min", re.compile(rf"\b(?:ages?|aged)\s*{num}\s*(?:\+|{yrs}?\s*(?:and|or|&)\s*"
                           rf"(?:over|older|above|up|upwards?)\b){not_unit}")),
        ("min", re.compile(rf"{num}\s*(?:{yrs}\s*)?(?:\+|(?:and|or|&)\s*(?:over|older|above|up)\b)"
                           rf"(?:\s*(?:years?|yrs?)(?:\s*(?:old|of\s+age))?)?{not_unit}")),
        ("min", re.compile(rf"\b(?:over|older\s+than|above|at\s+least|minimum\s+age(?:\s+of|\s+is)?"
                           rf"|no\s+younger\s+than|must\s+be|beginning\s+at|starting\s+at)\s*"
                           rf"(?:the\s*age\s*of\s*|age\s*)?{num}{yrs}?{not_unit}")),
        ("under", re.compile(rf"\b(?:under|younger\s+than|below|less\s+than)\s*"
                             rf"(?:the\s*age\s*of\s*|age\s*)?{num}{yrs}?{not_unit}")),
        # Spanish: "mayores de 18 años", "menores de 18 años"
        ("min", re.compile(rf"\bmayores?\s+de\s*{num}\s*(?:años|anos)\b")),
        ("under", re.compile(rf"\bmenores?\s+de\s*{num}\s*(?:años|anos)\b")),
        ("max", re.compile(rf"\b(?:up\s+to|through|thru|until|not\s+over)\s*(?:the\s*)?"
                           rf"(?:age\s*(?:of\s*)?{num}{yrs}?|{num}{yrs}){not_unit}")),
    )  # fmt: skip
    along = tuple(
        (gender, re.compile(pattern.replace("WHO", _alt(group(key)))))
        for gender, key in (("male", "boys_along"), ("female", "girls_along"))
        for pattern in _ALONG
    )
    trafficking = {
        str(w).lower(): key
        for key, t in tax.trafficking_types.items()
        for w in t.synonyms
        if " " in w and re.search(r"traffick|exploitation|forced|servitude|bondage|trata", w)
    }
    heads = {
        w.split()[0]: key for w, key in trafficking.items() if re.fullmatch(r"\w+ trafficking", w)
    }
    head = _alt(heads)
    joiner = r"\s*(?:,|/|&|\band/or\b|\bor\b|\band\b)\s*"
    return _Words(
        female=group("female"),
        male=group("male"),
        any_gender=group("any_gender"),
        before=group("not_the_person_before"),
        after=group("not_the_person_after"),
        families=group("families"),
        mixed_people=group("mixed_people"),
        carers=group("carers"),
        adult_words=group("adult_words"),
        negations=group("negations"),
        not_age_before=group("not_age_before"),
        children=group("children"),
        young=group("young"),
        not_served=group("not_served"),
        children_gendered=group("children_gendered"),
        no_dependents=group("no_dependents"),
        families_only=group("families_only"),
        families_elsewhere=group("families_elsewhere"),
        not_families=group("not_families"),
        everyone=group("everyone"),
        groups=group("groups")
        | {str(k).lower() for k, v in (sp.get("terms") or {}).items() if v.get("ages")},
        adult_of=re.compile(
            rf"(?<!young )(?<!older )\badult(?:\s+(?!and\b|or\b|nor\b|to\b)[a-z]+){{0,2}}?"
            rf"\s+(?:{_alt(group('adult_of'))})\b"
        ),
        gender_unread=group("gender_unread"),
        age_unread=tuple(str(w).lower() for w in sp.get("age_unread") or ()),
        terms={str(k).lower(): dict(v) for k, v in (sp.get("terms") or {}).items()},
        focus=tuple(
            (pop.population, frozenset(_plain_words(s) for s in (pop.label, *pop.synonyms)))
            for pop in tax.populations.values()
            if pop.population and not pop.has_ages and pop.population != FAMILIES
        ),
        trafficking=trafficking,
        trafficking_together=re.compile(rf"\b(?:{head})(?:{joiner}(?:{head}))+\s+traffick"),
        trafficking_heads=heads,
        patterns=patterns,
        along=along,
        people=re.compile(rf"\b(?:{people}|ages?|aged|must\s+be|eligible)\b"),
        left_over=re.compile(
            r"\b(?:ages?|aged)\s*\d|\d\s*-?\s*(?:years?|yrs?)\s*-?\s*(?:old|of\s+age)"
            r"|\d\s*-?\s*year-?olds?|\d\s*y/?o\b"
        ),
    )


# A limit on the children taken along, the oldest age in its last group: "boys up to
# (the) age (of) 12", "sons ages 0-12", "boys 12 and under", "boys under 13" (12), "no
# boys over 12", "boys older than 12 are not accepted", "sons 13 or older are referred"
# (WHO: the children's words, N the
# age, AGE_OF and YEARS the words around it)
_ALONG = tuple(
    pattern.replace("AGE_OF", r"(?:the\s+|los\s+|la\s+)?(?:age\s+(?:of\s+)?|edad\s+de\s+)?")
    .replace("YEARS", r"\s*(?:years?\s*(?:old\s*)?)?")
    .replace("N", r"(\d{1,2})(?!\d)")
    for pattern in (
        r"\b(?:WHO)\s+(?:(?:ages?|aged)\s+)?(?:\d+\s*(?:-|to|through)\s*)?(?:up\s+to|to|through|thru"
        r"|until|hasta)\s+(?:and\s+including\s+)?AGE_OFN()",
        r"\b(?:WHO)\s+(?:(?:ages?|aged)\s+)?(?:\d+\s*-\s*)?NYEARS(?:and|or|&)\s*"
        r"(?:under|younger|below)\b()",
        r"\b(?:WHO)\s+(?:under|younger\s+than|below|less\s+than)\s+AGE_OF()N",
        r"\bno\s+(?:WHO)\s+(?:over|older\s+than|above)\s+AGE_OFN()",
        r"\b(?:WHO)\s+(?:over|older\s+than|above)\s+AGE_OFNYEARS"
        r"(?:are\s+not|cannot|can\s+not|can'?t|may\s+not|will\s+not|not)\b()",
        # "sons 13 or older are referred to family shelter" (12)
        r"\b(?:WHO)\s+AGE_OF()NYEARS(?:and|or|&)\s*(?:older|over|up)\s+(?:are\s+|is\s+)?"
        r"(?:not|never|referred|sent|cannot|can\s+not|can'?t|may\s+not|will\s+not)\b",
    )
)
_RANGE_END = re.compile(r"(?:-|\bto|\bthrough|\bthru)\s*$")
_AND_OLDER = re.compile(r"\s*(?:years?\s*)?(?:old\s*)?(?:and|or|&)\s*(?:older|over|up)\b")
_STRONG = re.compile(
    r"\bages?\b|\baged\b|old|\bof\s+age|y/o|\byo\b|must\s+be|\bbirth|newborn|infan|años"
)
# "adult" said of the person in an eligibility cell, not a service ("adult day
# care", "adult education") nor someone else ("adult children", "an adult sponsor")
_ADULT = re.compile(
    r"(?<!young )(?<!young-)(?<!older )(?<!older-)(?<!\ban )\badults?\b(?![-\s]+(?:day|education|"
    r"children|child|sons?|daughters?|protective|literacy|care|services?|programs?|school|basic|ed|"
    r"sponsors?|supervision|guardians?|relatives?)\b)"
)
_SENTENCE_END = re.compile(r"[.;:!?()\n]")
_TOKEN = re.compile(r"[a-záéíóúñü]+(?:-[a-záéíóúñü]+)*", re.IGNORECASE)


def read_text(text: str, tax: Taxonomy, prose: bool = False) -> Reading:
    """What an eligibility text says, or a description standing in for one
    (``prose``: there a bare number is an age only near a person or age word)."""
    w = _words(tax)
    low = spell_out_numbers(text).lower().replace("–", "-").replace("—", "-")
    out = Reading()
    plain = spell_out_numbers(text).replace("'", "").replace("’", "")
    found = list(_TOKEN.finditer(plain))
    tokens = _without(w.not_families, [m.group(0).lower() for m in found])
    if _phrases(tokens) & w.families:
        low = _children_along(low, w, out)
    kept = _without_elsewhere(low)  # the ages of people served elsewhere are theirs
    taken = _read_ages(kept, w, out, prose)
    # in a description, a capitalised word inside a sentence is part of a name
    # ("the Center for Women and Children offers..."), not who is served
    named = (
        {i for i, m in enumerate(found) if m.group(0)[0].isupper() and _inside(plain, m.start())}
        if prose and not plain.isupper()
        else set()
    )
    families = bool(_phrases(tokens) & w.families)
    # "women, men, children": a gender word before a comma is nobody's child
    between = [plain[a.end() : b.start()] for a, b in zip(found, found[1:], strict=False)]
    glued = [gap.strip() == "" for gap in between]
    # a sentence or an aside ends between tokens i and i + 1
    ends = [bool(_SENTENCE_END.search(gap)) for gap in between]
    _read_genders(tokens, w, out, named, families, (glued, ends), prose)
    if prose and out.genders and _mixed(tokens, w):
        out.unread.append("genders")  # "women's care" at a clinic for adults
        out.genders = None
    phrases = _phrases(tokens)
    kept_tokens = [m.group(0) for m in _TOKEN.finditer(kept)]  # lowercase, as ``low``
    served_here = _phrases(_without(w.not_families, kept_tokens))
    if phrases & w.families and (
        any(p in low for p in w.families_elsewhere) or not served_here & w.families
    ):
        # "Families with children are referred to family shelter", "Families with
        # children should call the Family Housing Hub": no children taken here
        out.families = False
        out.said.append("no children: families referred elsewhere")
    elif phrases & w.families:
        out.families = True
        out.said.append("families: " + ", ".join(sorted(phrases & w.families)))
        if only := sorted(p for p in w.families_only if p in low):
            out.only_families = True
            out.said.append("families only: " + only[0])
        elif _nobody_but_families(tokens, phrases, w):
            out.only_families = True
            out.said.append("families only: no one but families named")
        elif _ALONE_TURNED_AWAY.search(low) and not served_here & w.no_dependents:
            out.only_families = True
            out.said.append("families only: a person alone turned away")
    elif served_here & w.no_dependents:
        out.families = False
        out.said.append("no dependents: " + ", ".join(sorted(served_here & w.no_dependents)))
    here = _phrases(kept_tokens)
    adults = sorted(here & w.adult_words) if not here & {"young adults", "older adults"} else []
    adults += [m.group(0) for m in w.adult_of.finditer(kept)]
    if not prose:  # an eligibility cell: "Adult", "adults-only", "Age: adult"
        adults += [m.group(0) for m in _ADULT.finditer(kept)]
    if adults and out.ages is None and phrases & w.young and not (out.families or out.genders):
        # "Pediatric - adult populations", "child, adolescent and adult survivors"; not
        # "adult women (children's groups on Tuesdays)": the women are the adults
        out.said.append(f"ages: {adults[0]!r} beside {sorted(phrases & w.young)[0]!r}, no limit")
        adults = []
    if out.ages is None and "ages" not in out.unread and adults:
        out.ages = (18, None)  # "adult women", "Adults": 18 and over
        out.said.append("ages: " + adults[0])
    elif out.ages is not None and adults and _apart(low, taken, adults):
        # "Kids 6-11 and teens 12-18 ... * Adults": the adults are served too
        out.ages = (min(out.ages[0], 18) if out.ages[0] is not None else None, None)
        out.said.append("ages: also " + adults[0])
    _check_ages(kept_tokens, here, w, out)
    if out.ages is not None and out.families and _of_a_child(low, taken, w):
        # "families ... calling for a child birth - 8 years old"
        _childrens_ages(out, "of a child of the families served")
    _open_to_all(low, tokens, w, out)
    if out.genders and out.ages is None and "ages" not in out.unread and "adult" in kept:
        # "adult" said in a way not read ("an adult-only home for women"): never the
        # gender alone, as if the record set no age
        out.unread.append("ages")
        out.said.append("ages: 'adult' said, not read")
    out.populations = _focus(tokens, w)
    if out.populations:
        out.said.append("focus: " + ", ".join(out.populations))
    # the kinds of the people it serves, not of those referred on ("Sex trafficking
    # cases are referred to ...")
    kinds_said = {key for phrase, key in w.trafficking.items() if phrase in kept}
    for together in w.trafficking_together.finditer(kept):  # "sex or labor trafficking"
        kinds_said.update(
            w.trafficking_heads[h]
            for h in re.findall(r"\w+", together[0])
            if h in w.trafficking_heads
        )
    kinds = sorted(kinds_said)
    if kinds:  # "survivors of labor or sex trafficking": survivors, of either kind
        out.trafficking = tuple(kinds)
        out.said.append(f"trafficking: {' or '.join(kinds)}")
    return out


def _children_along(low: str, w: _Words, out: Reading) -> str:
    """Reads into ``out`` the oldest boys and girls a family shelter takes along; the
    text without those limits (blanked, so that places stay), which are no age of
    the person served."""
    for gender, pattern in w.along:
        for m in pattern.finditer(low):
            oldest, under = m.group(1), m.group(2)
            age = int(oldest) if oldest else int(under) - 1
            if gender == "male":
                out.boys_max = age if out.boys_max is None else max(out.boys_max, age)
            else:
                out.girls_max = age if out.girls_max is None else max(out.girls_max, age)
            out.said.append(f"children along: {m.group(0).strip()!r}")
            low = low[: m.start()] + " " * (m.end() - m.start()) + low[m.end() :]
    return low


def _read_ages(low: str, w: _Words, out: Reading, prose: bool) -> list[tuple[int, int]]:
    """Reads the ages of ``low`` into ``out``; the spans read as ages."""
    taken: list[tuple[int, int]] = []
    lows: list[int | None] = []
    highs: list[int | None] = []
    said_again: set[int] = set()  # every number read as an age, as written
    for kind, pattern in w.patterns:
        for m in pattern.finditer(low):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            said = m.group(0)
            before = low[max(0, m.start() - 12) : m.start()].split()
            if said[0].isdigit() and before and before[-1].strip(",:(") in w.not_age_before:
                continue  # "a scale of 50 or below", "Room 18"
            if prose and not (
                _STRONG.search(said)
                or (kind == "range" and re.search(r"\d\s*-?\s*(?:years?|yrs?)", said))
                or w.people.match(said)
                or w.people.search(re.split(r"[.;]", low[max(0, m.start() - 50) : m.start()])[-1])
            ):
                continue  # "over 30", "between 9 and 5": no person or age said
            numbers = [int(g) for g in m.groups() if g is not None]
            if any(n > MAX_AGE for n in numbers):
                continue
            if _said_of(low, m.start(), w.not_served):
                taken.append((m.start(), m.end()))  # "volunteers must be 18": not the client
                out.said.append(f"ages: {said.strip()!r} not of who is served")
                continue
            lo: int | None
            hi: int | None
            if kind == "range":
                if numbers[0] > numbers[1]:
                    continue
                # "children 9-18 years old and older": the oldest is no limit
                lo, hi = numbers[0], None if _AND_OLDER.match(low, m.end()) else numbers[1]
            elif kind == "min":
                lo, hi = numbers[0], None
            elif kind == "under":
                lo, hi = None, numbers[0] - 1
            else:
                lo, hi = None, numbers[-1]
            taken.append((m.start(), m.end()))
            said_again.update(numbers)
            lows.append(lo)
            highs.append(hi)
            out.said.append(f"ages: {m.group(0).strip()!r}")
    rest = low
    for a, b in sorted(taken, reverse=True):
        rest = rest[:a] + " " + rest[b:]
    # an age said again inside what was read is no other limit ("must be 2 or older
    # (if 2 years old, ...)", "children 1-5 ... 4 year olds"), unless it ends a range
    # the reader missed ("Infants - 9 years old")
    closed = [
        (lo, hi) for lo, hi in zip(lows, highs, strict=True) if lo is not None and hi is not None
    ]
    left = [
        m
        for m in w.left_over.finditer(rest)
        if _RANGE_END.search(rest, max(0, m.start() - 8), m.start())
        or (
            (n := int(re.findall(r"\d+", m.group(0))[-1])) not in said_again
            and not any(lo <= n <= hi for lo, hi in closed)
        )
    ]
    if left or any(phrase in rest for phrase in w.age_unread):
        out.unread.append("ages")
        return taken
    if _one_of_alternatives(low, taken, w) and not _of_the_children(low, taken):
        out.unread.append("ages")  # "anyone 65 and older, or families with low income"
        out.said.append("ages: one of several groups served")
        return taken
    if lows:
        lo_out = None if any(v is None for v in lows) else min(v for v in lows if v is not None)
        hi_out = None if any(v is None for v in highs) else max(v for v in highs if v is not None)
        if lo_out == 0:
            lo_out = None
        if lo_out is not None or hi_out is not None:
            out.ages = (lo_out, hi_out)
        elif any(v for v in (*lows, *highs)):
            # "women over 21 ... with their children up to 5": limits of different
            # people, whose union would read as no limit at all
            out.unread.append("ages")
            out.said.append("ages: limits of different people")
    return taken


_SENTENCE = re.compile(r"[^.;!?\n*•]+")
_WITH_CHILDREN = re.compile(
    r"\bwith\s+(?:their\s+|minor\s+|dependent\s+|young\s+)*(?:children|child|kids|dependents)"
    r"(?:\s+(?:who\s+are|aged?|ages))?\s*$"
)


def _of_the_children(low: str, taken: list[tuple[int, int]]) -> bool:
    """Whether every age was said right after "with children" ("single mothers or
    single fathers with children under 18"): the children's ages, whatever groups
    of parents the list names."""
    return bool(taken) and all(_WITH_CHILDREN.search(low[:start]) for start, _ in taken)


_ALTERNATIVES = re.compile(r",|\bor\b|\band/or\b|/")


def _one_of_alternatives(low: str, taken: list[tuple[int, int]], w: _Words) -> bool:
    """An age said of one group of a list joined by "or" ("anyone 65 and older,
    families with low income, or people with disabilities", "disabled adults, or
    seniors 60 and over"): the union of the groups has no age limit the reader
    can give, so the ages are not the service's. Only another group of people
    counts ("families", "young adults", "disabled"): "10 and older, deaf or hard of hearing" and "16-24 who have left
    care or school" are conditions on the same person."""
    for start, end in taken:
        sentence = next(m for m in _SENTENCE.finditer(low) if m.start() <= start < m.end())
        before, after = low[sentence.start() : start], low[end : sentence.end()]
        # "survivors of sex or labor trafficking, 18+": kinds, not groups, joined by "or"
        before, after = (w.trafficking_together.sub(" ", x) for x in (before, after))
        if re.search(r"\bor\b", after) and re.match(r"\s*(?:,|or\b|and/or\b)", after):
            items = _ALTERNATIVES.split(after)
        elif re.search(r"\bor\b", before):
            items = _ALTERNATIVES.split(before)[:-1]  # the last is the age's own group
        else:
            continue
        for item in items:
            words = item.split()
            if any(
                t.strip("()") in w.groups - _FAMILY_WORDS
                and not set(words[max(0, i - 2) : i]) & w.negations
                for i, t in enumerate(words)
            ):  # "a parent or legal guardian with a child under 18": the family's child
                return True
    return False


def _said_of(low: str, start: int, words: frozenset[str]) -> bool:
    """One of ``words`` among the last words of the clause before ``start``: the
    age at ``start`` is said of them ("volunteers must be 18", "a child 0 - 5")."""
    clause = re.split(r"[.;:,\n*•]", low[max(0, start - 40) : start])[-1]
    return bool(set(_TOKEN.findall(clause)[-4:]) & words)


def _of_a_child(low: str, taken: list[tuple[int, int]], w: _Words) -> bool:
    """An age said of a child after the families served were named ("families ...
    calling for a child birth - 8 years old"); not "Children 0-5 and their families",
    where the children are served."""
    found = (re.search(rf"\b{re.escape(p)}\b", low) for p in w.families)
    first = min((m.start() for m in found if m), default=len(low))
    return any(first < start and _said_of(low, start, w.children) for start, _ in taken)


def _apart(low: str, taken: list[tuple[int, int]], words: list[str]) -> bool:
    """One of ``words`` said in a sentence or list item with no age read."""
    for sentence in _SENTENCE.finditer(low):
        a, b = sentence.span()
        if any(a <= x < b for x, _ in taken):
            continue
        if any(re.search(rf"\b{re.escape(word)}\b", sentence.group(0)) for word in words):
            return True
    return False


_FAMILY_WORDS = frozenset({"families", "family", "familias"})
# a parent: one of a family, never a person alone
_PARENTS = frozenset(
    {"mothers", "mother", "moms", "fathers", "father", "dads", "parents", "parent", "single"}
)
# the children named as a condition ("families with minor children")
_CHILDREN_AS_CONDITION = frozenset(
    {"with children", "with minor children", "with dependent children", "with dependents"}
    | {"with their children", "with a child", "with kids", "con hijos", "con niños"}
)
# people served one by one
_ALONE = frozenset(
    {"individuals", "individual", "singles", "persons", "person", "people", "couples"}
    | {"veterans", "survivors", "victims", "students", "clients", "anyone", "everyone"}
)
# people words that are not a person served alone ("residents" of a county, the children)
_NOT_ALONE = frozenset({"residents", "resident", "households", "household", "two-parent"})


def _nobody_but_families(tokens: list[str], phrases: set[str], w: _Words) -> bool:
    """A record naming only families and parents, with their children as the
    condition ("Families with children under 18", "Two-parent families, single
    mothers or single fathers with children"): a person alone is not served. Not when
    anyone else is named ("women and their children"), children may be left out
    ("with or without children") or are not named ("Low-income families")."""
    if (
        not phrases & _FAMILY_WORDS
        or not phrases & _CHILDREN_AS_CONDITION
        or any(p.startswith(("with or without", "con o sin")) for p in phrases)
    ):
        return False  # "Low-income families": whether a person alone is turned away is not said
    people = (w.female | w.male | w.adult_words | w.mixed_people | w.young | w.groups | _ALONE) - (
        w.children | _PARENTS | _FAMILY_WORDS
    )
    return not (set(tokens) - _NOT_ALONE) & people


# what a record says of people it does not take: "are not eligible", "cannot be served"
_NOT_TAKEN = (
    r"(?:(?:are|is)\s+not\s+(?:eligible|accepted|admitted|served)|(?:cannot|can\s*not"
    r"|can't|will\s+not|may\s+not)\s+be\s+(?:served|accepted|accommodated|admitted))"
)
# a sentence about people served somewhere else ("Children 12 and under are seen at
# Kids Advocacy Center", "Unaccompanied minors are referred to youth shelters")
_ELSEWHERE = re.compile(
    r"[^.;]*\b(?:are|is|will be|should be)\s+(?:seen|served|referred|sent|directed|placed)"
    r"\s+(?:at|by|to|in|elsewhere)\b[^.;]*"
    # "Single women without children are not eligible", "single adults cannot be served"
    rf"|[^.;]*\b{_NOT_TAKEN}[^.;]*"
    # "Does not serve adults; adults call Phoenix Freedom Coalition"
    r"|\b(?:does|do|will|can)\s+not\s+(?:serve|accept|take|admit)\b[^.;]*"
    r"|[^.;]*\b(?:should|must|may|can|please)?\s*call\s+(?!to\b|for\b|us\b|our\b)[^.;]*"
    # an income limit's aside: "(200% for seniors 60+ and DV survivors)"
    r"|\([^)]*(?:%|percent|poverty|income)[^)]*\)"
)


# a person alone said to be turned away ("Single women without children are not eligible")
_ALONE_TURNED_AWAY = re.compile(
    rf"\b(?:single|without children|no children|alone)\b[^.;]*\b{_NOT_TAKEN}"
)


def _without_elsewhere(low: str) -> str:
    """``low`` with the sentences about people served elsewhere blanked (their ages
    are theirs, not a limit of this service), the rest where it was."""
    return _ELSEWHERE.sub(lambda m: " " * len(m.group(0)), low)


def _plain_words(text: str) -> str:
    """A phrase as the reader's tokens spell it ("LGBTQ+ people": "lgbtq people")."""
    return " ".join(m.group(0).lower() for m in _TOKEN.finditer(text.replace("'", "")))


# after a group's words, these say it is welcome, not the group served
_WELCOME = frozenset({"welcome", "welcomed", "welcoming", "included", "affirming"})


def _focus(tokens: list[str], w: _Words) -> tuple[str, ...]:
    """The groups the record names as whom it serves ("LGBTQ+ young people",
    "immigrants and refugees"), not those refused ("no undocumented") nor only
    welcome ("LGBTQ young adults welcome")."""
    found = []
    for slug, words in w.focus:
        for n in (1, 2, 3):
            for i in range(len(tokens) - n + 1):
                if " ".join(tokens[i : i + n]) not in words:
                    continue
                before, after = set(tokens[max(0, i - 2) : i]), set(tokens[i + n : i + n + 3])
                if not (before & w.negations or after & (_WELCOME | {"not"})):
                    found.append(slug)
    return tuple(dict.fromkeys(found))


def _without(phrases: frozenset[str], tokens: list[str]) -> list[str]:
    """``tokens`` with the words of ``phrases`` blanked ("foster families" are no
    family served)."""
    out = list(tokens)
    for phrase in phrases:
        n = len(phrase.split())
        for i in range(len(out) - n + 1):
            if " ".join(out[i : i + n]) == phrase:
                out[i : i + n] = [""] * n
    return out


def _open_to_all(low: str, tokens: list[str], w: _Words, out: Reading) -> None:
    """A record "open to all" beside an age or gender limit: the limit is one
    programme's, so neither is claimed ("call to check")."""
    limits = [d for d in ("ages", "genders") if getattr(out, d)]
    if not limits:
        return
    people = w.female | w.male | w.adult_words | {"adult", "youth", "children", "seniors"}
    for phrase in w.everyone:
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", low):
            after = low[m.end() :].split()
            if after and after[0].strip(",.:;") in people:
                continue  # "open to all women": the limit itself
            for d in limits:
                setattr(out, d, None)
                out.unread.append(d)
            out.said.append(f"{', '.join(limits)} of one programme beside {phrase!r}")
            return


def _mixed(tokens: list[str], w: _Words) -> bool:
    """A word for people of any gender not beside a gender word ("adult care ... women's
    care" at a clinic; not "adult women")."""
    genders = w.female | w.male
    return any(
        t in w.mixed_people
        and not (i + 1 < len(tokens) and tokens[i + 1] in genders)
        and not (i and tokens[i - 1] in genders)
        for i, t in enumerate(tokens)
    )


def _check_ages(tokens: list[str], phrases: set[str], w: _Words, out: Reading) -> None:
    """Ages read beside a group of other ages ("children, adolescents or adults ...
    ages 12-17") were said of one programme, not of the service; children's ages
    beside their parents may not be the person's: unread."""
    if out.ages is None:
        return
    lo, hi = out.ages
    if hi is not None and hi <= 18 and phrases & w.carers:
        _childrens_ages(out, f"beside {sorted(phrases & w.carers)[0]!r}")
        return
    said = {t for i, t in enumerate(tokens) if not set(tokens[max(0, i - 2) : i]) & w.negations}
    for phrase in said & w.terms.keys():
        ages = w.terms[phrase].get("ages")
        if not ages or (out.families is not None and ages[1] is not None and ages[1] < 18):
            continue  # "women with one child": the child comes along
        if (ages[1] is not None and lo is not None and ages[1] <= lo) or (
            ages[0] is not None and hi is not None and ages[0] >= hi
        ):  # "women ... children up to age 18": the ages are the children's
            out.unread.append("ages")
            out.said.append(f"ages {out.ages} beside {phrase!r}")
            out.ages = None
            return


def _childrens_ages(out: Reading, why: str) -> None:
    """The ages read are the children's: of the families served, no limit on the
    parent ("families with a child under 18"); else not read ("parents of
    children ages 1 through 3" may be a programme for the children)."""
    out.said.append(f"ages {out.ages} {why}: the children's")
    out.ages = None
    if not out.families:
        out.unread.append("ages")


def _phrases(tokens: list[str]) -> set[str]:
    return {" ".join(tokens[i : i + n]) for n in (1, 2, 3, 4) for i in range(len(tokens) - n + 1)}


def _inside(text: str, start: int) -> bool:
    """A word at ``start`` does not begin a sentence, line or list item."""
    before = text[:start].rstrip(' \t"(*-•')
    return bool(before) and before[-1] not in ".!?:;\n"


# after the people they name: "women are not accepted", "men not allowed"
_REFUSED_AFTER = re.compile(
    r"^(?:are |is )?(?:(?:not|never|cannot be|can ?not be|may not be|will not be) "
    r"(?:accepted|allowed|admitted|eligible|served|permitted|taken)\b"
    r"|(?:referred|sent|directed) (?:to|elsewhere)\b)"
)


def _turned_away(tokens: list[str], i: int, ends: list[bool], w: _Words) -> bool:
    """The person word at ``i`` is one the record turns away, in its own sentence:
    after a negation through a list of people ("No children or women", "no pets,
    men or boys"), or before a refusal ("men are not accepted")."""
    j = i - 1
    while j >= 0 and i - j <= 5 and not ends[j]:
        word = tokens[j]
        if word in w.negations and word != "any":
            return True
        if word not in _LIST_JOINERS and word not in w.female | w.male | w.children | _REFUSED_TOO:
            break
        j -= 1
    end = next((k for k in range(i, min(i + 7, len(ends))) if ends[k]), i + 7)
    after = " ".join(t for t in tokens[i + 1 : end + 1] if t)
    after = re.sub(r"^(?:(?:and|or|nor|children|kids|boys|girls|men|women) )+", "", after)
    return bool(_REFUSED_AFTER.match(after))


_LIST_JOINERS = frozenset({"or", "and", "nor", "for", ""})  # "Not for men"
# other things a record turns away in the same list as people ("no pets or men")
_REFUSED_TOO = frozenset(
    {
        "pets",
        "animals",
        "couples",
        "teens",
        "adults",
        "visitors",
        "single",
        "adult",
        "unaccompanied",
    }
)


def _read_genders(
    tokens: list[str],
    w: _Words,
    out: Reading,
    named: set[int],
    families: bool,
    gaps: tuple[list[bool], list[bool]],
    prose: bool = False,
) -> None:
    """Genders named as who is served; ``named`` are positions inside a name,
    ``gaps`` say, for each pair of tokens ``i`` and ``i + 1``, that no punctuation
    stands between them and that a sentence or an aside ends between them; in
    a description (``prose``), the genders named apart are of different programmes."""
    glued, ends = gaps
    found: dict[str, list[str]] = {}
    phrases = _phrases(tokens)
    if phrases & w.any_gender:
        out.genders = ()
        out.said.append("any gender: " + ", ".join(sorted(phrases & w.any_gender)))
        return
    tokens = [t if i not in named else "" for i, t in enumerate(tokens)]
    only: set[str] = set()  # "(for now only men)": that gender, whatever else is said
    refused: set[str] = set()  # "No children or women": a gender turned away
    welcomed: set[str] = set()  # "Fathers with children are welcome": taken too
    at: dict[str, list[int]] = {}  # where each gender is named
    for i, token in enumerate(tokens):
        for key, words in (("female", w.female), ("male", w.male)):
            if token not in words:
                continue
            before = {tokens[i - 1] if i else "", " ".join(tokens[max(0, i - 2) : i])}
            after = tokens[i + 1] if i + 1 < len(tokens) and glued[i] else ""
            if before & w.before or after in w.after:
                continue  # "his or her", "male abusers": someone else
            if after in w.children or (token in w.children_gendered and families):
                continue  # "male children up to 18", "(boys under 4)": who comes along
            if _turned_away(tokens, i, ends, w):
                refused.add(key)
                continue
            if set(tokens[i + 1 : i + 5]) & _WELCOME:
                welcomed.add(key)  # "Men welcome with intact family": also taken
                continue
            found.setdefault(key, []).append(token)
            at.setdefault(key, []).append(i)
            if "only" in (*tokens[max(0, i - 2) : i], *tokens[i + 1 : i + 2]):
                only.add(key)
    if welcomed - set(found) - refused and only:
        out.unread.append("genders")  # "women only ... men welcome for meals": whose limit?
    elif welcomed - set(found) - refused or (welcomed and not found):
        # a gender welcome beside the one named, or alone: the gender limits no one
        out.genders = ()
        out.said.append("any gender: " + ", ".join(sorted(welcomed)) + " welcome")
    elif len(found) == 2 and len(only) == 1:
        key = next(iter(only))
        other = next(k for k in found if k != key)
        if all(any(abs(i - j) <= 2 for j in at[key]) for i in at[other]):
            # the other gender named only beside it ("men and women ... only men")
            out.genders = (key,)
            out.said.append(f"gender {key}: only {found[key][0]!r}")
        else:  # "women only ... men at the day centre": whose limit is it?
            out.unread.append("genders")
    elif (
        len(found) == 2
        and prose
        and not any(abs(i - j) <= 3 for i in at["female"] for j in at["male"])
    ):  # "shelter for women and children ... a soup kitchen for men": two programmes
        out.unread.append("genders")
        out.said.append("genders: each named apart, of different programmes")
    elif len(found) == 2:
        out.genders = ()
        out.said.append("any gender: " + ", ".join(found["female"][:1] + found["male"][:1]))
    elif found:
        key = next(iter(found))
        out.genders = (key,)
        out.said.append(f"gender {key}: {found[key][0]!r}")
    elif len(refused) == 1:  # "No men allowed": the other gender
        key = "female" if "male" in refused else "male"
        out.genders = (key,)
        out.said.append(f"gender {key}: the other turned away")
    elif set(tokens) & w.gender_unread:
        out.unread.append("genders")
    out.gender_words = [t for words in found.values() for t in words] if out.genders else []


def read_terms(names: Iterable[str], tax: Taxonomy, ages: bool = True) -> Reading:
    """What target-population terms ("Women", "Single Men", "Women/Girls") say. A
    service's taxonomy terms name whom it focuses on more than whom it admits (a
    youth club tagged "Adolescents" takes younger children): read for ages only
    where they stand as eligibility (``ages``), and then each term is a whole group
    served ("Teens": teens of any gender), so several terms widen each other."""
    w = _words(tax)
    readings = []
    for name in names:
        parts = [re.sub(r"\s+", " ", x.strip().lower()) for x in re.split(r"[/&]", name)]
        entries = [w.terms.get(x) for x in parts]
        if not parts or any(e is None for e in entries):
            continue
        for entry in (e for e in entries if e is not None):
            if not (ages or entry.get("genders") or entry.get("families")):
                continue
            r = Reading(said=[f"term {name.strip()!r}"])
            if ages:
                r.ages = (entry["ages"][0], entry["ages"][1]) if entry.get("ages") else (None, None)
                r.genders = tuple(entry.get("genders") or ())
            elif entry.get("genders"):
                r.genders = tuple(entry["genders"])
            if entry.get("families"):
                r.families = True
            readings.append(r)
    return combine(readings)


def cell_names(text: str) -> list[str]:
    """The names an eligibility cell lists ("Women, Girls", "Men and Women", "Teens;
    Youth"), each a term perhaps."""
    return [x for x in re.split(r"\s*[,;/]\s*|\s+and\s+", text.strip(" .")) if x]


def terms_only(names: list[str], tax: Taxonomy) -> Reading | None:
    """A cell whose names (:func:`cell_names`) are nothing but terms ("Men", "Women,
    Girls", "Teens"), read as the terms say (a "Men" cell is men 18 and over, as the
    term "Men" is); ``None`` when any of them is more than a term."""
    w = _words(tax)
    parts = [re.sub(r"\s+", " ", p.strip().lower()) for n in names for p in re.split(r"[/&]", n)]
    if not parts or any(p not in w.terms for p in parts):
        return None
    return read_terms(names, tax)


def ages_unstated(readings: list[Reading], tax: Taxonomy) -> bool:
    """Whether the genders read leave the ages unknown: a gender said only in words
    that name no age group of their own ("women", "males", "mujeres"), and no
    reading saying ages (a term, an age column, "all ages"). A service that names
    only women serves adult women; whether it takes a girl of 16 is not said. A
    child's word ("women and girls", "boys") says the ages it covers."""
    w = _words(tax)
    words = [t for r in readings for t in r.gender_words]
    return (
        bool(words)
        and all(r.ages is None and "ages" not in r.unread for r in readings)
        and not any(t in w.children_gendered for t in words)
    )


def combine(readings: Iterable[Reading]) -> Reading:
    """Several readings as "or": the widest ages, every gender named, families when
    any says so; a dimension unread by one is unread."""
    out = Reading()
    lows: list[int | None] = []
    highs: list[int | None] = []
    genders: set[str] = set()
    any_gender = False
    kinds: set[str] = set()
    only_families = False
    along: dict[str, list[int]] = {"male": [], "female": []}
    focus: list[str] = []
    for r in readings:
        out.said.extend(r.said)
        out.gender_words.extend(r.gender_words)
        out.unread.extend(d for d in r.unread if d not in out.unread)
        if r.ages is not None:
            lows.append(r.ages[0])
            highs.append(r.ages[1])
        if r.genders is not None:
            any_gender = any_gender or not r.genders
            genders.update(r.genders)
        if r.families is not None:
            out.families = bool(out.families) or r.families
        only_families = only_families or r.only_families
        along["male"] += [] if r.boys_max is None else [r.boys_max]
        along["female"] += [] if r.girls_max is None else [r.girls_max]
        kinds.update(r.trafficking)
        focus.extend(r.populations)
    out.populations = tuple(dict.fromkeys(focus))
    if lows:
        lo = None if any(v is None for v in lows) else min(v for v in lows if v is not None)
        hi = None if any(v is None for v in highs) else max(v for v in highs if v is not None)
        out.ages = None if lo is None and hi is None else (lo, hi)
    if any_gender or len(genders) > 1:
        out.genders = ()
    elif genders:
        out.genders = tuple(genders)
    if kinds:
        out.trafficking = tuple(sorted(kinds))
    # families only when one reading says single adults are turned away
    out.only_families = bool(out.families) and only_families
    # the widest limit said of the children along; none where no reading says one
    out.boys_max = max(along["male"], default=None)
    out.girls_max = max(along["female"], default=None)
    return out
