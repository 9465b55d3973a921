"""Strategy areas, service types, populations and framework crosswalks.

All of it is data in ``taxonomy.yaml`` beside this module, so translators and
maintainers grow the vocabulary without touching code. This module only loads
it (once, lazily) and answers questions about it.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from referral_cli import languages
from referral_cli.blake2 import blake2b
from referral_cli.cachefile import private_folder, read_sealed, write_sealed
from referral_cli.errors import ReferralError
from referral_cli.languages import Language, name


@dataclass(frozen=True, slots=True)
class Area:
    """A strategy area of a framework, with the words people use for it."""

    key: str
    label: str
    description: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Framework:
    """A strategy framework and its areas, in order."""

    key: str
    label: str
    areas: tuple[Area, ...]

    def area(self, key: str) -> Area:
        for a in self.areas:
            if a.key == key:
                return a
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class ServiceType:
    """A kind of service: the areas it belongs to in each framework, and its synonyms."""

    key: str
    label: str
    description: str
    areas: tuple[str, ...]  # Freedom Strategy areas
    crosswalk: dict[str, tuple[str, ...]]  # framework key -> its areas
    synonyms: tuple[str, ...]

    def areas_in(self, framework: str) -> tuple[str, ...]:
        if framework == "freedom":
            return self.areas
        return self.crosswalk.get(framework, ())


@dataclass(frozen=True, slots=True)
class Population:
    """A word for who the person is, as constraints on eligibility."""

    key: str
    label: str
    min_age: int | None
    max_age: int | None
    gender: str | None
    population: str | None  # a slug of ``eligibility.populations``
    synonyms: tuple[str, ...]
    # a group a caller says when the person is in it (a family, LGBTQ): a provider
    # focused on it ranks after others for a person said to be someone else
    said_when_so: bool = False

    @property
    def has_ages(self) -> bool:
        return self.min_age is not None or self.max_age is not None

    def admits_age(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age
        )


@dataclass(frozen=True, slots=True)
class Term:
    """A keyed entry with a label and the words people use for it."""

    key: str
    label: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process, used as a cache key
class Taxonomy:
    """Everything the shipped taxonomy defines, as the parser and the search read it."""

    default_framework: str
    frameworks: dict[str, Framework]
    service_types: dict[str, ServiceType]
    populations: dict[str, Population]
    genders: dict[str, Term]
    trafficking_types: dict[str, Term]
    languages: dict[str, Language]  # the common ones (see referral_cli.languages)
    # word lists of the query parser: parents, children, links, possessives, others, counted
    people: dict[str, frozenset[str]] = field(default_factory=dict)
    stop_words: frozenset[str] = frozenset()  # every language's: never a search word
    negations: frozenset[str] = frozenset()  # "not", "doesn't", "sin": a need or language denied
    # what providers write ("sexual assault") for the phrases callers say ("rape kit"):
    # words that rank the providers of an asked need (referral_cli.search.rules.said_words)
    written_as: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # word lists and term meanings of the eligibility reader (referral_cli.hsds.eligibility_text)
    service_people: dict[str, Any] = field(default_factory=dict)

    def framework(self, key: str | None) -> Framework:
        key = key or self.default_framework
        try:
            return self.frameworks[key]
        except KeyError:
            known = ", ".join(self.frameworks)
            raise ReferralError(f"unknown framework '{key}'; use one of: {known}") from None

    @property
    def area_keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.frameworks[self.default_framework].areas)

    def areas_of(self, services: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Freedom areas derived from service types, in canonical order."""
        wanted = {
            a for s in services if s in self.service_types for a in self.service_types[s].areas
        }
        return tuple(a for a in self.area_keys if a in wanted)

    def language_name(self, code: str) -> str:
        return name(code)


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def _ages(spec: dict[str, Any]) -> tuple[int | None, int | None]:
    ages = spec.get("ages") or [None, None]
    return ages[0], ages[1]


@functools.cache
def source() -> tuple[bytes, str]:
    """The taxonomy file's bytes and a digest of them (which keys every cache)."""
    data = Path(__file__).with_name("taxonomy.yaml").read_bytes()
    return data, blake2b(data, digest_size=16).hexdigest()


def _raw(cached: bool = True) -> Any:
    """The parsed YAML, from a sealed marshal copy in the cache folder when it is
    private, current and intact (saves importing PyYAML and parsing on every
    start); anything else there is ignored and replaced."""

    data, digest = source()
    folder = private_folder("taxonomy") if cached else None
    copy = folder / f"{digest}.marshal" if folder is not None else None
    payload = read_sealed(copy) if copy is not None else None
    if payload is not None:
        try:
            return marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            pass
    import yaml

    raw = yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    if copy is not None:
        with contextlib.suppress(OSError, ValueError, ReferralError):
            write_sealed(copy, marshal.dumps(raw))  # a cache we cannot write is only slower
    return raw


@functools.cache
def load() -> Taxonomy:
    """The taxonomy shipped with the package (parsed once per process)."""
    try:
        return _build(_raw())
    except (KeyError, TypeError, AttributeError, IndexError, ValueError):
        return _build(_raw(cached=False))  # a copy of another shape: the package's own


def _build(raw: Any) -> Taxonomy:
    frameworks = {
        fkey: Framework(
            key=str(fkey),
            label=f["label"],
            areas=tuple(
                Area(str(akey), a["label"], a.get("description", ""), _tuple(a.get("synonyms")))
                for akey, a in f["areas"].items()
            ),
        )
        for fkey, f in raw["frameworks"].items()
    }
    services = {
        key: ServiceType(
            key=key,
            label=s["label"],
            description=s.get("description", ""),
            areas=_tuple(s["areas"]),
            crosswalk={str(k): _tuple(v) for k, v in (s.get("crosswalk") or {}).items()},
            synonyms=_tuple(s.get("synonyms")),
        )
        for key, s in raw["service_types"].items()
    }
    populations = {
        key: Population(
            key=key,
            label=p.get("label", key),
            min_age=_ages(p)[0],
            max_age=_ages(p)[1],
            gender=p.get("gender"),
            population=p.get("population"),
            synonyms=_tuple(p.get("synonyms")),
            said_when_so=bool(p.get("said_when_so", False)),
        )
        for key, p in raw["populations"].items()
    }

    def terms(section: str) -> dict[str, Term]:
        return {
            k: Term(k, v.get("label", k), _tuple(v.get("synonyms")))
            for k, v in raw[section].items()
        }

    return Taxonomy(
        default_framework=raw.get("default_framework", "freedom"),
        frameworks=frameworks,
        service_types=services,
        populations=populations,
        genders=terms("genders"),
        trafficking_types=terms("trafficking_types"),
        languages=languages.common(),
        people={str(k): frozenset(_tuple(v)) for k, v in (raw.get("people") or {}).items()},
        stop_words=frozenset(
            w for ws in (raw.get("stop_words") or {}).values() for w in _tuple(ws)
        ),
        negations=frozenset(w for ws in (raw.get("negations") or {}).values() for w in _tuple(ws)),
        written_as={str(k): _tuple(v) for k, v in (raw.get("written_as") or {}).items()},
        service_people=dict(raw.get("service_people") or {}),
    )


def as_dict(tax: Taxonomy, framework: str | None = None) -> dict[str, Any]:
    """The taxonomy as printed by ``referral taxonomy --format json``."""
    fw = tax.framework(framework)
    return {
        "framework": {"key": fw.key, "label": fw.label},
        "areas": [
            {
                "key": a.key,
                "label": a.label,
                "description": a.description,
                "services": [
                    s.key for s in tax.service_types.values() if a.key in s.areas_in(fw.key)
                ],
            }
            for a in fw.areas
        ],
        "service_types": [
            {
                "key": s.key,
                "label": s.label,
                "description": s.description,
                "areas": list(s.areas_in(fw.key)),
                "synonyms": list(s.synonyms),
            }
            for s in tax.service_types.values()
        ],
        "populations": [
            {
                "key": p.key,
                "label": p.label,
                "ages": [p.min_age, p.max_age] if p.has_ages else None,
                "gender": p.gender,
                "population": p.population,
                "synonyms": list(p.synonyms),
            }
            for p in tax.populations.values()
        ],
        "trafficking_types": [
            {"key": t.key, "label": t.label, "synonyms": list(t.synonyms)}
            for t in tax.trafficking_types.values()
        ],
    }
