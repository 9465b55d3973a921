"""``hsds_map.yaml``: what HSDS taxonomy terms, words, ages, languages and places
mean for the directory, read once into :class:`HsdsMap` (data, not code)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    """What one taxonomy term means for us."""

    services: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    confirm: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()  # the types still given when the text does not confirm
    part_of: tuple[str, ...] = ()  # no type of its own when the service has one of these


@dataclass
class HsdsMap:
    """The sections of hsds_map.yaml, read into lookups."""

    airs: dict[str, Target]
    airs_fallback: dict[str, Target]
    open_eligibility: dict[str, Target]
    names: dict[str, Target]
    described: dict[str, str]  # a description's phrase -> the service type it names
    # (a type the terms give, the phrases of the service's text that add a type, that type)
    also: list[tuple[str, tuple[str, ...], str]]
    # (a type the terms give, the phrases of the service's NAME that say it is
    # something else, what it is instead)
    instead: list[tuple[str, tuple[str, ...], str]]
    fallback: tuple[str, ...]
    always_kept: frozenset[str]  # types never cut by the limit of three
    population_words: frozenset[str]
    languages: dict[str, str | None]
    language_noise: tuple[str, ...]
    strip_patterns: tuple[str, ...]
    mojibake: dict[str, str]
    countries: dict[str, str]
    us_states: dict[str, tuple[str, str]]  # code -> (name, time zone)

    def all_targets(self) -> Iterator[tuple[str, Target]]:
        for section in ("airs", "airs_fallback", "open_eligibility", "names"):
            for key, target in getattr(self, section).items():
                yield f"{section}.{key}", target
        for phrase, key in self.described.items():
            yield f"described.{phrase}", Target((key,))
        for given, _, added in self.also:
            yield f"also.{given}", Target((given, added))
        for given, _, other in self.instead:
            yield f"instead.{given}", Target((given, other))
        yield "fallback", Target(self.fallback)


def _target(value: Any) -> Target:
    if value is None:
        return Target(())
    if isinstance(value, list):
        return Target(tuple(str(v) for v in value))
    if isinstance(value, dict):
        return Target(
            tuple(str(v) for v in value.get("services") or ()),
            tuple(str(v) for v in value.get("keywords") or ()),
            tuple(str(v).lower() for v in value.get("confirm") or ()),
            tuple(str(v) for v in value.get("unconfirmed") or ()),
            tuple(str(v) for v in value.get("part_of") or ()),
        )
    raise ValueError(f"bad mapping value {value!r}")


def norm_term(text: str) -> str:
    """A term name compared without case, punctuation variants or extra spaces."""
    return " ".join(text.lower().replace("’", "'").split())


@functools.cache
def load_map() -> HsdsMap:
    """The mapping table shipped beside this module."""
    import yaml  # heavy: loaded by an import only, not at start-up

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = Path(__file__).with_name("hsds_map.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=loader)  # noqa: S506 - safe loader
    return HsdsMap(
        airs={str(k): _target(v) for k, v in (raw.get("airs") or {}).items()},
        airs_fallback={str(k): _target(v) for k, v in (raw.get("airs_fallback") or {}).items()},
        open_eligibility={
            str(k): _target(v) for k, v in (raw.get("open_eligibility") or {}).items()
        },
        names={norm_term(str(k)): _target(v) for k, v in (raw.get("names") or {}).items()},
        described={
            norm_term(str(phrase)): str(key)
            for key, phrases in (raw.get("described") or {}).items()
            for phrase in phrases
        },
        also=[
            (str(a["given"]), tuple(norm_term(str(w)) for w in a["words"]), str(a["adds"]))
            for a in raw.get("also") or []
        ],
        instead=[
            (str(a["given"]), tuple(norm_term(str(w)) for w in a["names"]), str(a["is"]))
            for a in raw.get("instead") or []
        ],
        fallback=tuple(str(s) for s in raw.get("fallback") or ()),
        always_kept=frozenset(str(s) for s in raw.get("always_kept") or ()),
        population_words=frozenset(str(w).lower() for w in raw.get("population_words") or ()),
        languages={
            norm_term(str(k)): (str(v) if v else None)
            for k, v in (raw.get("languages") or {}).items()
        },
        language_noise=tuple(str(w).lower() for w in raw.get("language_noise") or ()),
        strip_patterns=tuple(str(p) for p in raw.get("strip_patterns") or ()),
        mojibake={str(k): str(v) for k, v in (raw.get("mojibake") or {}).items()},
        countries={str(k).lower(): str(v) for k, v in (raw.get("countries") or {}).items()},
        us_states={str(k): (str(v[0]), str(v[1])) for k, v in (raw.get("us_states") or {}).items()},
    )
