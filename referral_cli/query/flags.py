"""A flag's word (``--service shelter``, ``--for minors``) to the taxonomy's key."""

from __future__ import annotations

from typing import Any

from referral_cli import languages
from referral_cli.errors import UsageError
from referral_cli.query.vocabulary import normalise, vocabulary
from referral_cli.suggest import did_you_mean
from referral_cli.taxonomy import Taxonomy

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
    if kind == "language":
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
        words.update({normalise(w): key for key, term in keys.items() for w in term.synonyms})
    found = words.get(normalise(word))
    if found is not None:
        return found
    raise UsageError(
        f"{FLAGS[kind]}: unknown {kind} '{word}'{did_you_mean(word, [*keys, *words])}"
        " (see 'referral taxonomy')"
    )
