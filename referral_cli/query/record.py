"""What a search asks for (:class:`Query`), two of them as one (:func:`merge`), and
what a search understood, said in one line (:func:`understood`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from referral_cli.taxonomy import Taxonomy

if TYPE_CHECKING:
    from referral_cli.search.rules import Origin


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
