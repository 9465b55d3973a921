"""The fixed words of a slip, per language, and the words a discreet slip must not show.

The fixed words live in ``slip_labels.yaml``, one block per language, so that
translators can add a language without touching code; the words that name
trafficking, victims or rescue live in ``discreet_words.yaml``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from referral_cli.errors import UsageError
from referral_cli.suggest import did_you_mean

LABELS_FILE = Path(__file__).parents[1] / "slip_labels.yaml"
DISCREET_WORDS_FILE = Path(__file__).parents[1] / "discreet_words.yaml"


@lru_cache(maxsize=1)
def _all_labels() -> dict[str, dict[str, Any]]:
    import yaml

    data = yaml.safe_load(LABELS_FILE.read_text("utf-8"))
    return {str(k): v for k, v in data.items()}


def languages() -> tuple[str, ...]:
    """Codes of the languages a slip can be printed in."""
    return tuple(_all_labels())


def check_lang(lang: str) -> str:
    if lang not in _all_labels():
        known = languages()
        raise UsageError(
            f"no slip labels for language '{lang}'{did_you_mean(lang, known)};"
            f" use one of: {', '.join(known)}"
        )
    return lang


def labels(lang: str) -> dict[str, Any]:
    """The label set of ``lang``, with English filling any key a translation lacks."""
    every = _all_labels()
    check_lang(lang)
    if lang == "en":
        return every["en"]
    merged = dict(every["en"])
    for key, value in every[lang].items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=1)
def sensitive_words() -> tuple[str, ...]:
    """Words that must not appear on a discreet slip, in every language, from the
    one list of them (``discreet_words.yaml``)."""
    import yaml

    groups = yaml.safe_load(DISCREET_WORDS_FILE.read_text("utf-8"))
    words = {str(w).lower() for by_lang in groups.values() for ws in by_lang.values() for w in ws}
    return tuple(sorted(words))


def is_sensitive(text: str | None) -> bool:
    if not text:
        return False
    low = text.lower()
    return any(w in low for w in sensitive_words())
