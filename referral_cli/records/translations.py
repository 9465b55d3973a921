"""Provider texts in the caller's language.

The texts a slip reads out — ``description``, ``intake``, ``cost`` and the
eligibility ``notes`` — are written in English in the directory, and may be given
in other languages under ``translations``, keyed by language code::

    description: Emergency shelter for girls aged 12-17, with counselling on site.
    intake: Call the 24/7 line; staff explain the next steps.
    cost: free
    translations:
      es:
        description: Refugio de emergencia para niñas de 12 a 17 años, con consejería.
        intake: Llame a la línea 24 horas; el personal le explica los pasos.
        cost: gratis
        eligibility_notes: Derivación de CPS o de la línea de ayuda.

A slip in Spanish uses the Spanish texts and, for a text not translated, the
English one marked as such ("(en inglés)"): the person is never left with less
than the volunteer knows, and knows which parts they may need help reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from referral_cli.reading.nodes import MarkedDict

if TYPE_CHECKING:
    from referral_cli.records.model import Provider

# The translatable fields: the key under a language, and the provider's own field.
FIELDS = ("description", "intake", "cost", "eligibility_notes")


def original(p: Provider, key: str) -> str | None:
    """The directory's own (English) text of a translatable field."""
    if key == "eligibility_notes":
        return p.eligibility.notes
    value = getattr(p, key)
    return str(value) if value else None


def text_in(p: Provider, key: str, lang: str) -> tuple[str | None, bool]:
    """The text of ``key`` in ``lang`` and whether it is the English fallback
    (True when ``lang`` has no translation of a field that has a text)."""
    english = original(p, key)
    if lang == "en" or english is None:
        return english, False
    given = (p.translations or {}).get(lang, {}).get(key)
    if given:
        return str(given), False
    return english, True


def check(c: Any, p: Any, languages: Any) -> dict[str, dict[str, str]] | None:
    """``translations`` of a provider mapping, checked with the validator ``c``:
    language codes the taxonomy knows, only translatable fields, text values."""
    block = p.get("translations")
    if block is None:
        return None
    if not isinstance(block, MarkedDict):
        c.error(
            p.valmarks["translations"],
            "'translations' must be a mapping of language codes, such as {es: {cost: gratis}}",
            "type",
        )
        return None
    out: dict[str, dict[str, str]] = {}
    for code in block:
        lang = str(code).lower()
        if lang not in languages:
            c.error(
                block.keymarks[code],
                f"unknown language code '{code}' under 'translations' (ISO 639-1, as in"
                " 'languages')",
                "language",
            )
            continue
        fields = c.mapping(block, code, FIELDS, "translations.")
        if fields is None:
            continue
        texts = {k: c.text(fields, k, f"translations.{code}.") for k in FIELDS if k in fields}
        out[lang] = {k: v for k, v in texts.items() if v}
    return out or None
