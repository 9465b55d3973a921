"""What a search asks for (:class:`Query`), two of them as one (:func:`merge`), and
what a search understood, said in one line (:func:`understood`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from referral_cli.taxonomy import Taxonomy

if TYPE_CHECKING:
    from referral_cli.geo.place import Origin


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
    # the words each fact came from: "service:temporary-shelter" -> "somewhere to sleep",
    # "age" -> "she is 15" (see fact_key)
    evidence: dict[str, str] = field(default_factory=dict)
    household: list[int] = field(default_factory=list)  # the children's ages ("with kids 4 and 9")
    # a child's age -> its gender, when both are said ("her 14-year-old son")
    children_genders: dict[int, str] = field(default_factory=dict)
    negated: list[str] = field(default_factory=list)
    # cues of a hard filter that could not be bound: "age:9" (a number that may be the
    # age), "gender" (words disagree), "trafficking" (no kind said); results that would be
    # excluded if the cue applied are marked "check"
    unsure: list[str] = field(default_factory=list)  # "service:temporary-shelter": "not a shelter"
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
            "children_ages": self.household,
            "negated": self.negated,
            "unsure": self.unsure,
            "facts": self.facts(),
        }

    def facts(self) -> list[dict[str, Any]]:
        """Each fact with the words it came from (``None``: given by a flag)."""
        slots: list[tuple[str, Any]] = [
            *(("service", s) for s in self.services),
            *(("area", a) for a in self.areas),
            ("age", self.age),
            *(("population", p) for p in self.populations),
            ("gender", self.gender),
            *(("trafficking", t) for t in self.trafficking),
            *(("language", c) for c in self.languages),
            ("place", self.place),
        ]
        out = [
            {"fact": kind, "value": value, "words": self.evidence.get(fact_key(kind, value))}
            for kind, value in slots
            if value is not None
        ]
        out += [
            {"fact": "not " + key.partition(":")[0], "value": key.partition(":")[2],
             "words": self.evidence.get("not " + key)}
            for key in self.negated
        ]  # fmt: skip
        return out

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


def _settled(cue: str, flags: Query) -> bool:
    """Whether a flag settles an unbound cue ("--age 9" for "age:9")."""
    kind = cue.partition(":")[0]
    return {"age": flags.age is not None, "gender": bool(flags.gender)}.get(
        kind, bool(flags.trafficking)
    )


def fact_key(kind: str, value: object) -> str:
    """The key of a fact in :attr:`Query.evidence`: "age", "gender" and "place" are one
    a query; the others "kind:value"."""
    return kind if kind in ("age", "gender", "place") else f"{kind}:{value}"


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
        evidence={**base.evidence, **extra.evidence},
        household=extra.household or base.household,
        children_genders=extra.children_genders or base.children_genders,
        negated=union(base.negated, extra.negated),
        unsure=[u for u in union(base.unsure, extra.unsure) if not _settled(u, extra)],
        corrections=union(base.corrections, extra.corrections),
        notes=union(base.notes, [*extra.notes, *replaced]),
    )


def understood(q: Query, origin: Origin | None, tax: Taxonomy) -> str:
    """What a search understood, fact by fact, as the first line of an answer says it,
    each fact with the words it came from when they differ from its name:
    ``temporary shelter ('somewhere to sleep') · age 15 ('she is 15') · female ·
    near Visalia, CA, US``."""

    def said(label: str, kind: str, value: object) -> str:
        words = q.evidence.get(fact_key(kind, value))
        if not words or words.lower() == label.lower() or words.lower() in label.lower():
            return label
        return f"{label} ('{words}')"

    fw = tax.framework(None)
    slots = [
        said(tax.service_types[s].label.lower(), "service", s)
        for s in q.services
        if s in tax.service_types
    ]
    slots += [said(f"area: {fw.area(a).label}", "area", a) for a in q.areas]
    if q.age is not None:
        slots.append(said(f"age {q.age}", "age", q.age))
    slots += [
        said(tax.populations[p].label.lower(), "population", p)
        for p in q.populations
        if p in tax.populations
    ]
    if q.gender:
        slots.append(said(q.gender, "gender", q.gender))
    slots += [said(tax.trafficking_types[t].label.lower(), "trafficking", t) for t in q.trafficking]
    slots += [said(f"speaks {tax.language_name(c)}", "language", c) for c in q.languages]
    if q.household:
        slots.append("with children aged " + ", ".join(map(str, q.household)))
    slots += [f"not {_negated_label(key, tax)}" for key in q.negated]
    if origin is not None:
        slots.append(f"near {origin.label}")
    elif q.place:
        slots.append(f"near {q.place}")
    if q.terms:
        slots.append("words: " + ", ".join(f"'{t}'" for t in q.terms))
    return " · ".join(slots) or "nothing in particular"


def _negated_label(key: str, tax: Taxonomy) -> str:
    kind, _, value = key.partition(":")
    if kind == "service" and value in tax.service_types:
        return tax.service_types[value].label.lower()
    if kind == "language":
        return f"speaks {tax.language_name(value)}"
    return value
