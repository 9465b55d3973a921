"""The words a coverage matrix is asked for, checked: place kind, framework, area,
population, detail and order.

Each check returns the canonical key or raises :class:`UnknownChoice`, which
names the parameter and the value that was wrong (with a suggestion); the CLI
turns the parameter into its flag.
"""

from __future__ import annotations

from collections.abc import Sequence

from referral_cli.errors import ReferralError
from referral_cli.suggest import did_you_mean
from referral_cli.taxonomy import Framework, Population, Taxonomy


class UnknownChoice(ReferralError):
    """A value that is none of the choices: ``str()`` is ``"<parameter>: <reason>"``."""

    def __init__(self, parameter: str, reason: str) -> None:
        self.parameter = parameter  # by | detail | sort | kind | framework | population | area
        self.reason = reason  # "unknown framework '6p'; use one of: freedom, ..."
        super().__init__(f"{parameter}: {reason}")


def _norm(word: str) -> str:
    return " ".join(word.strip().lower().replace("_", " ").replace("-", " ").split())


def resolve_choice(parameter: str, value: str, choices: Sequence[str]) -> str:
    """``value`` as one of ``choices`` (case and spaces ignored)."""
    lowered = value.strip().lower()
    if lowered in choices:
        return lowered
    raise UnknownChoice(
        parameter,
        f"unknown value '{value}'{did_you_mean(value, choices)}; use one of: {', '.join(choices)}",
    )


def resolve_framework(value: str | None, tax: Taxonomy) -> Framework:
    """A framework key or label -> the framework; ``None`` -> the taxonomy's default."""
    if value is None:
        return tax.frameworks[tax.default_framework]
    word = _norm(value)
    for fw in tax.frameworks.values():
        if word in (_norm(fw.key), _norm(fw.label)):
            return fw
    keys = list(tax.frameworks)
    raise UnknownChoice(
        "framework",
        f"unknown framework '{value}'{did_you_mean(value, keys)}; use one of: {', '.join(keys)}",
    )


def resolve_population(value: str, tax: Taxonomy) -> Population:
    """A population key, label or synonym ("kids") -> the taxonomy's population."""
    word = _norm(value)
    words: dict[str, Population] = {}
    for pop in tax.populations.values():
        for phrase in (pop.key, pop.label, *pop.synonyms):
            words.setdefault(_norm(phrase), pop)
    if word in words:
        return words[word]
    raise UnknownChoice(
        "population",
        f"unknown population '{value}'{did_you_mean(value, list(words))};"
        f" use one of: {', '.join(tax.populations)} (see 'referral taxonomy')",
    )


def resolve_area(value: str, fw: Framework) -> str:
    """An area key, label or synonym of ``fw`` -> the area's key."""
    word = _norm(value)
    for a in fw.areas:
        if word in {_norm(a.key), _norm(a.label), *(_norm(s) for s in a.synonyms)}:
            return a.key
    keys = [a.key for a in fw.areas]
    raise UnknownChoice(
        "area",
        f"unknown area '{value}' in the {fw.label}{did_you_mean(value, keys)};"
        f" use one of: {', '.join(keys)}",
    )
